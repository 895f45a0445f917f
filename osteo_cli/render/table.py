"""Document -> Rich renderables. Every piece of data enters Rich as Text, never markup."""

from __future__ import annotations

import re

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from osteo_cli.render.document import Cell, Document, Grid
from osteo_cli.render.textsafe import clean

# A column is not squeezed below its longest word (up to this many characters) while
# the table fits, so wrapping happens between words instead of inside them.
MAX_WORD = 24
GAP = 2  # spaces between columns
BULLET = 2  # "- " before each item of a list cell


def text(value: str, style: str = "") -> Text:
    """Untrusted text as a Rich Text: never parsed as markup, cleaned of control characters."""
    return Text(clean(value), style=style)


def _cell(cell: Cell) -> RenderableType:
    if isinstance(cell, str):
        return text(cell)
    return Bullets([text(item) for item in cell])


def _bullet_grid(items: list[Text]) -> Table:
    """A list as a grid: a bullet column gives wrapped items a hanging indent."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row("-", item)
    return grid


class Bullets:
    """A list cell, drawn as `_bullet_grid` draws it ("- " before each item, wrapped lines
    under the item's first letter) but line by line: a nested grid costs a whole table
    layout per cell, most of the time of a long monograph. Cells narrower than MIN_WIDTH,
    where the grid's own layout is odd, are left to the grid."""

    MIN_WIDTH = 4

    def __init__(self, items: list[Text]) -> None:
        self.items = items

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if width < self.MIN_WIDTH:
            yield _bullet_grid(self.items)
            return
        lines = [
            (n, line)
            for item in self.items
            for n, line in enumerate(item.wrap(console, width - BULLET, justify="default", overflow="fold"))
        ]
        drawn = BULLET + max((line.cell_len for _, line in lines), default=0)  # as wide as the grid
        for n, line in lines:
            yield Segment("  " if n else "- ")
            yield from line.render(console)
            if drawn - BULLET > line.cell_len:
                yield Segment(" " * (drawn - BULLET - line.cell_len))
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, _bullet_grid(self.items))


def _lines(cell: Cell) -> list[str]:
    """The text lines of a cell as drawn, with the room a bullet takes."""
    if isinstance(cell, str):
        return cell.splitlines() or [""]
    return [" " * BULLET + line for item in cell for line in item.splitlines()]


def _padding(divider: bool) -> int:
    """Right padding of a cell: with a header rule Rich adds a one-space divider column."""
    return GAP - 1 if divider else GAP


def widths(grid: Grid, available: int, divider: bool) -> list[int] | None:
    """Column widths that fill at most `available` characters, computed here rather than by
    Rich, whose own layout can overshoot by a character and crop the last column (rich 15).

    Every column gets its longest line when that fits; otherwise at least its longest word
    (up to MAX_WORD), with the rest shared out by how much more each column would use; and
    when even that does not fit, None: the grid is drawn stacked instead (one block per
    row), so no column is ever dropped and no word is ever cut off.
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
    if sum(natural) <= budget:
        return natural
    # A row's label, or the identifier a row starts with ("Zoledronic acid"), reads best on
    # one line: it keeps its whole width when that fits, and wraps only between words otherwise.
    whole = [min(natural[0], MAX_WORD), *minimum[1:]]
    for base in (whole, minimum):
        if sum(base) <= budget:
            return _share(base, [n - m for n, m in zip(natural, base, strict=True)], budget - sum(base))
    return None  # too narrow for every word: stack the rows


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


def _stacked(grid: Grid, width: int) -> RenderableType:
    """One block per row, each field under its header: every word kept at any width."""
    indent = 2 if width >= 24 else 0
    parts: list[RenderableType] = [text(grid.title, "bold")] if grid.title else []
    if grid.row_headers and grid.headers[0]:  # the labels' own heading, said once
        parts.append(text(grid.headers[0], "bold"))
    for n, row in enumerate(grid.rows):
        if n or grid.title:
            parts.append(Text())
        fields = list(zip(grid.headers, row, strict=True))
        (first_header, label), fields = fields[0], fields[1:]
        if first_header and not grid.row_headers:
            fields = [(first_header, label), *fields]  # the first column has a header: show it too
        else:
            parts += [text(line, "bold cyan") for line in _lines(label)]
        for k, (header, cell) in enumerate(fields):
            first = k == 0 and not grid.row_headers and bool(first_header)
            urls: list[str] = []
            if isinstance(cell, str):
                lines = cell.split("\n")
                urls = [line.strip() for line in lines if _is_url(line)]
                cell = "\n".join(line for line in lines if not _is_url(line))
            parts.append(Padding(_field(header, cell), (0, 0, 0, 0 if first else indent)))
            parts += [_url_text(url) for url in urls]  # unindented: Padding would crop them
    return Group(*parts)


def _field(header: str, cell: Cell) -> RenderableType:
    """`Header: value` on one line when the value is one text; list items below the header."""
    lead = Text(clean(header) + ": ", style="bold") if header else Text()
    if isinstance(cell, str):
        return Text.assemble(lead, Text(clean(cell)), overflow="fold")
    items = [Text(f"- {clean(item)}", overflow="fold") for item in cell]
    return Group(lead, *items) if header else Group(*items)


_URL = re.compile(r"https?://\S+")


def _is_url(line: str) -> bool:
    return _URL.fullmatch(line.strip()) is not None


def _url_text(url: str) -> Text:
    """An address is never folded: it overflows the width (the terminal wraps it, and copies
    it whole) and is a hyperlink where the terminal supports them."""
    return Text(clean(url), style=Style(link=clean(url)), no_wrap=True, overflow="ignore")


def _detach_urls(grid: Grid, column_widths: list[int]) -> tuple[Grid, list[str]]:
    """Addresses wider than their column leave the cell for a numbered list under the table."""
    urls: list[str] = []

    def fix(cell: Cell, width: int) -> Cell:
        if not isinstance(cell, str):
            return cell
        lines = []
        for line in cell.split("\n"):
            if _is_url(line) and len(line.strip()) > width:
                urls.append(line.strip())
                line = f"[{len(urls)}] below"
            lines.append(line)
        return "\n".join(lines)

    rows = [tuple(fix(c, w) for c, w in zip(row, column_widths, strict=True)) for row in grid.rows]
    return grid._replace(rows=rows), urls


def _tall(grid: Grid, column_widths: list[int]) -> bool:
    """Whether some row takes more than one line at these widths."""
    return any(
        len(lines) > 1 or len(lines[0]) > width
        for row in grid.rows
        for cell, width in zip(row, column_widths, strict=True)
        for lines in [_lines(cell)]
    )


def _table(grid: Grid, width: int) -> RenderableType:
    show_header = any(grid.headers)
    column_widths = widths(grid, width, show_header)
    if column_widths is None:
        return _stacked(grid, width)
    grid, urls = _detach_urls(grid, column_widths)
    table = Table(
        title=text(grid.title, "bold") if grid.title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD if show_header else None,
        show_header=show_header,
        header_style="bold",
        show_edge=False,
        show_lines=_tall(grid, column_widths),  # a blank line between rows when some take several
        padding=(0, _padding(show_header), 0, 0),  # keep pad_edge: rich 15 crops the last column without it
    )
    for i, (header, column_width) in enumerate(zip(grid.headers, column_widths, strict=True)):
        table.add_column(
            text(header),
            style="bold cyan" if grid.row_headers and i == 0 else "",
            width=column_width,
            overflow="fold",  # never truncate data; only words wider than the column are split
        )
    for row in grid.rows:
        table.add_row(*(_cell(cell) for cell in row))
    if not urls:
        return table
    return Group(
        table,
        *(Text.assemble(f"[{n}] ", _url_text(url), no_wrap=True, overflow="ignore") for n, url in enumerate(urls, 1)),
    )


def to_renderable(doc: Document, width: int) -> RenderableType:
    """The document's title, intro, tables and notes (the footer is printed separately)."""
    parts: list[RenderableType] = []
    if doc.title:
        parts.append(text(doc.title, "bold"))
    parts += [text(line, "italic") for line in doc.intro]
    if doc.figure:
        needed = max(cell_len(clean(line)) for line in doc.figure)
        if needed <= width:
            parts += [Text(), *(Text(clean(line), no_wrap=True) for line in doc.figure), Text()]
        else:  # a cropped bar would tell a shorter course: leave the figure out, and say so
            parts.append(text(f"(The figure needs {needed} columns; the table has the same facts.)", "italic"))
    for grid in doc.grids:
        if parts and grid.title:
            parts.append(Text())
        parts.append(_table(grid, width))
    if doc.notes:
        parts.append(Text())
    parts += [text(note) for note in doc.notes]
    return Group(*parts)
