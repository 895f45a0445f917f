"""Document -> Rich renderables. Every piece of data enters Rich as Text, never markup."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from osteo_cli.document import Cell, Document, Grid
from osteo_cli.textsafe import clean

# A column is not squeezed below its longest word (up to this many characters) while
# the table fits, so wrapping happens between words instead of inside them.
MAX_WORD = 24
GAP = 2  # spaces between columns


def text(value: str, style: str = "") -> Text:
    """Untrusted text as a Rich Text: never parsed as markup, cleaned of control characters."""
    return Text(clean(value), style=style)


def _cell(cell: Cell) -> RenderableType:
    if isinstance(cell, str):
        return text(cell)
    items = Table.grid(padding=(0, 1, 0, 0))  # a bullet column gives wrapped items a hanging indent
    items.add_column(no_wrap=True)
    items.add_column(overflow="fold")
    for item in cell:
        items.add_row("-", text(item))
    return items


BULLET = 2  # "- " before each item of a list cell


def _lines(cell: Cell) -> list[str]:
    """The text lines of a cell as drawn, with the room a bullet takes."""
    if isinstance(cell, str):
        return cell.splitlines() or [""]
    return [" " * BULLET + line for item in cell for line in item.splitlines()]


def _padding(divider: bool) -> int:
    """Right padding of a cell: with a header rule Rich adds a one-space divider column."""
    return GAP - 1 if divider else GAP


def widths(grid: Grid, available: int, divider: bool) -> list[int]:
    """Column widths that fill at most `available` characters, computed here rather than by
    Rich, whose own layout can overshoot by a character and crop the last column (rich 15).

    Every column gets its longest line when that fits; otherwise at least its longest word
    (up to MAX_WORD), with the rest shared out by how much more each column would use; and
    when even that does not fit, the widest columns give way first. Words that do not fit
    fold onto the next line: nothing is ever cut off.
    """
    count = len(grid.headers)
    budget = available - _padding(divider) * count - (count - 1 if divider else 0)
    columns = [[header, *(row[i] for row in grid.rows)] for i, header in enumerate(grid.headers)]
    lines = [[line for cell in column for line in _lines(cell)] for column in columns]
    natural = [max(1, *(len(line) for line in column)) for column in lines]
    # A word in a list item also needs the room of the bullet before it.
    longest_word = [
        max(1, *(len(line) - len(line.lstrip()) + max(map(len, line.split()), default=0) for line in column))
        for column in lines
    ]
    minimum = [min(n, MAX_WORD, w) for n, w in zip(natural, longest_word, strict=True)]
    if grid.row_headers:  # a row's label reads best on one line
        minimum[0] = min(natural[0], MAX_WORD)
    if sum(natural) <= budget:
        return natural
    if sum(minimum) <= budget:
        return _share(minimum, [n - m for n, m in zip(natural, minimum, strict=True)], budget - sum(minimum))
    # Too narrow for every word: narrow the widest columns first, so fewest words fold.
    shrunk = list(minimum)
    while sum(shrunk) > max(budget, count) and max(shrunk) > 1:
        shrunk[shrunk.index(max(shrunk))] -= 1
    return shrunk


def _share(base: list[int], wants: list[int], extra: int) -> list[int]:
    """`base` plus up to `wants` more each, from `extra` shared out fairly: columns that want
    less than an equal share get all they want (so short columns never wrap), and the
    long ones split what is left."""
    given = [0] * len(wants)
    active = [i for i, want in enumerate(wants) if want > 0]
    while active and extra > 0:
        share = extra // len(active)
        satisfied = [i for i in active if wants[i] - given[i] <= share]
        if not satisfied:
            for rank, i in enumerate(active):
                given[i] += share + (1 if rank < extra % len(active) else 0)
            break
        for i in satisfied:
            extra -= wants[i] - given[i]
            given[i] = wants[i]
            active.remove(i)
    return [b + g for b, g in zip(base, given, strict=True)]


def _table(grid: Grid, width: int) -> Table:
    show_header = any(grid.headers)
    table = Table(
        title=text(grid.title, "bold") if grid.title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD if show_header else None,
        show_header=show_header,
        header_style="bold",
        show_edge=False,
        padding=(0, _padding(show_header), 0, 0),  # keep pad_edge: rich 15 crops the last column without it
    )
    for i, (header, column_width) in enumerate(zip(grid.headers, widths(grid, width, show_header), strict=True)):
        table.add_column(
            text(header),
            style="bold cyan" if grid.row_headers and i == 0 else "",
            width=column_width,
            overflow="fold",  # never truncate data; only words wider than the column are split
        )
    for row in grid.rows:
        table.add_row(*(_cell(cell) for cell in row))
    return table


def to_renderable(doc: Document, width: int) -> RenderableType:
    """The document's title, intro, tables and notes (the footer is printed separately)."""
    parts: list[RenderableType] = []
    if doc.title:
        parts.append(text(doc.title, "bold"))
    parts += [text(line, "italic") for line in doc.intro]
    if doc.figure:
        parts += [Text(), *(Text(clean(line), no_wrap=True, overflow="crop") for line in doc.figure), Text()]
    for grid in doc.grids:
        if parts and grid.title:
            parts.append(Text())
        parts.append(_table(grid, width))
    if doc.notes:
        parts.append(Text())
    parts += [text(note) for note in doc.notes]
    return Group(*parts)
