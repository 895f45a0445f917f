"""Document -> Rich renderables. Every piece of data enters Rich as Text, never markup."""

from __future__ import annotations

from collections.abc import Mapping

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
from osteo_cli.render.layout import BULLET, cell_lines, detach_urls, is_url, right_padding, tall, widths
from osteo_cli.render.textsafe import clean


def text(value: str, style: str = "") -> Text:
    """Untrusted text as a Rich Text: never parsed as markup, cleaned of control characters."""
    return Text(clean(value), style=style)


WIDE = 2  # the columns of the widest character (漢): what a wrapped line needs at the least

# What each emphasis of a Grid looks like on a terminal (NO_COLOR keeps the bold).
EMPHASIS = {"danger": "bold red", "warning": "bold yellow", "notice": "bold magenta"}


def _cell(cell: Cell, emphasis: Mapping[str, str] | None = None) -> RenderableType:
    if isinstance(cell, str):
        return text(cell, EMPHASIS.get((emphasis or {}).get(cell, ""), ""))
    return Bullets([text(item) for item in cell])


class Bullets:
    """A list cell: "- " before each item, and its wrapped lines under the item's first
    letter (a hanging indent). Drawn line by line from Rich's own wrapping: a nested grid
    would cost a whole table layout per cell, most of the time of a long monograph. A cell
    too narrow for the bullet and a wide letter (漢: two columns) shows the items without
    bullets."""

    def __init__(self, items: list[Text]) -> None:
        self.items = items

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        bullet = BULLET if width >= BULLET + WIDE else 0
        lines = [
            (n, line)
            for item in self.items
            for n, line in enumerate(item.wrap(console, width - bullet, justify="default", overflow="fold"))
        ]
        drawn = max((line.cell_len for _, line in lines), default=0)  # every line as wide as the widest
        for n, line in lines:
            if bullet:
                yield Segment("  " if n else "- ")
            yield from line.render(console)
            if drawn > line.cell_len:
                yield Segment(" " * (drawn - line.cell_len))
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        words = [word for item in self.items for word in item.plain.split()]
        lines = [line for item in self.items for line in item.plain.splitlines()]
        return Measurement(
            BULLET + max(map(cell_len, words), default=0), BULLET + max(map(cell_len, lines), default=0)
        ).clamp(max_width=options.max_width)


class Indented:
    """A paragraph wrapped to the width less `indent`, each line after that many spaces
    (but the first, when it `hangs`: a heading whose next lines stand under its words):
    Rich's own wrapping, without a Padding's second pass over every line (a third of the
    time of a long list of answers)."""

    def __init__(self, paragraph: Text, indent: int, hangs: bool = False) -> None:
        self.paragraph = paragraph
        self.indent = indent
        self.hangs = hangs

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self.indent if options.max_width >= self.indent + WIDE else 0
        lines = self.paragraph.wrap(console, options.max_width - indent, justify="default", overflow="fold")
        for n, line in enumerate(lines):
            if indent and (n or not self.hangs):
                yield Segment(" " * indent)
            yield from line.render(console)
            yield Segment.line()


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
            parts += [text(line, "bold cyan") for line in cell_lines(label)]
        for k, (header, cell) in enumerate(fields):
            first = k == 0 and not grid.row_headers and bool(first_header)
            urls: list[str] = []
            if isinstance(cell, str):
                lines = cell.split("\n")
                urls = [line.strip() for line in lines if is_url(line)]
                cell = "\n".join(line for line in lines if not is_url(line))
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


def _url_text(url: str) -> Text:
    """An address is never folded: it overflows the width (the terminal wraps it, and copies
    it whole) and is a hyperlink where the terminal supports them."""
    return Text(clean(url), style=Style(link=clean(url)), no_wrap=True, overflow="ignore")


def _table(grid: Grid, width: int) -> RenderableType:
    show_header = any(grid.headers)
    column_widths = widths(grid, width, show_header)
    if column_widths is None:
        return _stacked(grid, width)
    grid, urls = detach_urls(grid, column_widths)
    table = Table(
        title=text(grid.title, "bold") if grid.title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD if show_header else None,
        show_header=show_header,
        header_style="bold",
        show_edge=False,
        show_lines=tall(grid, column_widths),  # a blank line between rows when some take several
        padding=(0, right_padding(show_header), 0, 0),  # keep pad_edge: rich 15 crops the last column without it
    )
    for i, (header, column_width) in enumerate(zip(grid.headers, column_widths, strict=True)):
        table.add_column(
            text(header),
            style="bold cyan" if grid.row_headers and i == 0 else "",
            width=column_width,
            overflow="fold",  # never truncate data; only words wider than the column are split
        )
    for row in grid.rows:
        table.add_row(*(_cell(cell, grid.emphasis) for cell in row))
    if not urls:
        return table
    return Group(
        table,
        *(Text.assemble(f"[{n}] ", _url_text(url), no_wrap=True, overflow="ignore") for n, url in enumerate(urls, 1)),
    )


ENTRY_INDENT = 4  # an entry's paragraphs, under its heading


def to_renderable(doc: Document, width: int) -> RenderableType:
    """The document's title, intro, tables, entries and notes (the footer is printed separately)."""
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
    indent = ENTRY_INDENT if width >= 24 else 0
    for n, entry in enumerate(doc.entries):
        if n or parts:
            parts.append(Text())
        parts.append(Indented(Text(clean(entry.heading), style="bold"), indent, hangs=True))
        parts += [Indented(Text(clean(p)), indent) for p in entry.paragraphs]
    if doc.notes:
        parts.append(Text())
    parts += [text(note) for note in doc.notes]
    return Group(*parts)
