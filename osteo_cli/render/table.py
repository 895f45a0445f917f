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
PADDING = 1  # spaces on each side of a cell


def text(value: str, style: str = "") -> Text:
    """Untrusted text as a Rich Text: never parsed as markup, cleaned of control characters."""
    return Text(clean(value), style=style)


def _cell(cell: Cell) -> RenderableType:
    if isinstance(cell, str):
        return text(cell)
    items = Table.grid(padding=(0, 1, 0, 0))  # a bullet column gives wrapped items a hanging indent
    items.add_column(no_wrap=True)
    items.add_column()
    for item in cell:
        items.add_row("-", text(item))
    return items


def _words(cell: Cell) -> list[str]:
    return [word for item in ((cell,) if isinstance(cell, str) else cell) for word in item.split()]


def _table(grid: Grid, width: int) -> Table:
    show_header = any(grid.headers)
    table = Table(
        title=text(grid.title, "bold") if grid.title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD if show_header else None,
        show_header=show_header,
        header_style="bold",
        show_edge=False,
        padding=(0, PADDING),  # keep pad_edge: rich 15 crops the last column without it
    )
    columns = [[header, *(row[i] for row in grid.rows)] for i, header in enumerate(grid.headers)]
    minimums = [min(MAX_WORD, max((len(w) for c in col for w in _words(c)), default=1)) for col in columns]
    if sum(minimums) + 2 * PADDING * len(minimums) > width:
        minimums = [1] * len(minimums)  # too narrow for whole words: let Rich fold them
    for i, header in enumerate(grid.headers):
        table.add_column(
            text(header),
            style="bold cyan" if grid.row_headers and i == 0 else "",
            min_width=minimums[i],
            overflow="fold",  # never truncate data; only over-long words are split
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
