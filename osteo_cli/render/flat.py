"""A Document drawn as a table straight to its final text, without building Rich renderables.

`table.to_renderable` and a Rich Console draw every table osteo prints; for the documents
osteo makes (fixed column widths from `layout.widths`, text cells and bullet lists) most
of that time goes to Rich's general layout machinery. This module writes the very same
characters directly: the same wrapping (a port of `rich.text.Text.wrap` with
`rich._wrap.divide_line`), the same padding, rules and blank lines, and on a terminal the
same SGR codes, segment by segment, as Rich's `Style.render` writes them (each styled
segment opens its codes and closes with a reset, even when the next one has the same style).
The one difference: the addresses listed under a table are hyperlinks on a colour terminal,
and Rich gives each link an id from a randomly started counter, so no two runs of either
renderer write the same ids; the ids here are made the same way.

It covers the common subset and declines everything else (`draw` returns None), which is
then drawn by Rich as before:

- a grid that would be stacked (no column widths fit), a bullet list in a column narrower
  than `Bullets.MIN_WIDTH`, an empty list cell or item, a grid without columns or with
  ragged rows;
- any character whose width Rich measures other than as one cell, or measures through its
  Unicode tables in a way not checked here: wide (CJK) and zero-width (combining) characters,
  emoji, line and paragraph separators; and a newline inside a figure line;
- a console Rich would set up differently from a plain terminal or pipe: Windows (legacy
  console rendering), Jupyter, IDLE, a stream whose encoding is not UTF (Rich then draws
  the rule with ASCII), no stream at all, a width below 1.

`tests/test_flat.py` holds the two renderers to the same bytes: random documents at random
widths, every command's output, with and without colour.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from osteo_cli.render.document import Cell, Document, Grid
from osteo_cli.render.layout import BULLET, detach_urls, right_padding, tall, widths
from osteo_cli.render.textsafe import clean

MIN_BULLET_WIDTH = 4  # table.Bullets.MIN_WIDTH: narrower list cells are drawn by a nested grid

# Characters Rich measures as one cell whatever Unicode version it reads widths from
# (tests/test_flat.py checks every one against every table Rich ships): the ranges Rich
# itself takes as single-cell without a lookup, and the punctuation, arrows, mathematical
# signs and marks osteo's text uses. Anything else sends the document to Rich.
_NARROW = (
    "\n\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2500-\u25fc\u2800-\u28ff"
    "\u2010-\u2027\u2030-\u205e\u2070-\u2071\u2074-\u208e\u2090-\u209c\u20a0-\u20c0"
    "\u2100-\u214f\u2190-\u21ff\u2200-\u22ff\u2460-\u24ff\ufffd"
)
_OUTSIDE = re.compile(f"[^{_NARROW}]")

# rich._wrap.re_word and rich.text._re_whitespace
_WORD = re.compile(r"(\s*\S+)\s*")  # rich._wrap.re_word, its trailing whitespace apart
_TRAILING_WHITESPACE = re.compile(r"\s+$")

RULE = "─"

# As rich.style's ids: a counter from a random 24-bit start (os.urandom: no `random` import).
_link_ids = itertools.count(int.from_bytes(os.urandom(3), "big"))  # the head row of box.SIMPLE_HEAD


class Screen(NamedTuple):
    """What a Rich Console made by `output.console()` would decide about its stream."""

    width: int
    is_terminal: bool
    colour: bool  # Rich writes SGR codes (it detected a colour system)
    no_color: bool  # NO_COLOR: attributes (bold) stay, colours go


def screen(stderr: bool = False, environ: Mapping[str, str] = os.environ) -> Screen | None:
    """`Console(stderr=stderr)`'s width, terminal and colour decisions (rich 15,
    `Console.__init__`, `is_terminal`, `is_dumb_terminal`, `_detect_color_system`, `size`),
    or None where this module does not reproduce Rich (see the module's docstring)."""
    if sys.platform == "win32":
        return None
    import builtins

    if hasattr(builtins, "get_ipython"):  # Rich checks for Jupyter
        return None
    stdin = sys.stdin
    if hasattr(stdin, "__module__") and str(stdin.__module__).startswith("idlelib"):
        return None
    stream = sys.stderr if stderr else sys.stdout
    stream = getattr(stream, "rich_proxied_file", stream)
    if stream is None:
        return None
    encoding = (getattr(stream, "encoding", "utf-8") or "utf-8").lower()
    if not encoding.startswith("utf"):
        return None  # Rich would draw the table's rule in ASCII

    is_terminal: bool
    tty_compatible = environ.get("TTY_COMPATIBLE", "")
    force_color = environ.get("FORCE_COLOR")
    if tty_compatible in ("0", "1"):
        is_terminal = tty_compatible == "1"
    elif force_color is not None:
        is_terminal = force_color != ""
    else:
        isatty = getattr(stream, "isatty", None)
        try:
            is_terminal = False if isatty is None else bool(isatty())
        except ValueError:
            is_terminal = False
    dumb = is_terminal and environ.get("TERM", "").lower() in ("dumb", "unknown")

    try:
        columns = environ.get("COLUMNS")
        fixed_width = int(columns) if columns is not None and columns.isdigit() else None
        lines = environ.get("LINES")
        fixed_height = int(lines) if lines is not None and lines.isdigit() else None
    except ValueError:  # "²".isdigit(): Rich's own int() would fail
        return None
    width: int
    if fixed_width is not None and fixed_height is not None:
        width = fixed_width
    elif dumb:
        width = 80
    elif fixed_width is not None:
        width = fixed_width
    else:
        measured = 0
        for fd in _std_streams():
            try:
                measured = os.get_terminal_size(fd).columns
            except (AttributeError, ValueError, OSError):
                continue
            break
        width = measured or 80
    if width < 1:
        return None
    colour = is_terminal and not dumb
    return Screen(width, is_terminal, colour, environ.get("NO_COLOR", "") != "")


def _std_streams() -> tuple[int, int, int]:
    """The descriptors Rich asks for the terminal's size, in its order."""
    fds = []
    for stream, default in ((sys.__stdin__, 0), (sys.__stdout__, 1), (sys.__stderr__, 2)):
        try:
            fds.append(stream.fileno())  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - as rich.console does
            fds.append(default)
    return fds[0], fds[1], fds[2]


class Drawn(NamedTuple):
    stdout: str  # what emit() writes to stdout (piped: without trailing spaces)
    stderr: str  # the footer for stderr when stdout is piped, else ""


def draw(doc: Document) -> Drawn | None:
    """The text emit() would write for `doc` as a table, or None to leave it to Rich."""
    out = screen()
    if out is None or not _in_subset(doc):
        return None
    body = document(doc, out)
    if body is None:
        return None
    footer = ""
    if doc.footer and not out.is_terminal:
        err = screen(stderr=True)
        if err is None:
            return None
        footer = _Writer(err).text(clean(doc.footer), err.width, DIM).done()
    return Drawn(body, footer)


def write_stderr(text: str) -> None:
    """The footer to stderr, as a Rich Console prints it (a broken pipe ends the run as Rich's
    `Console.on_broken_pipe` does)."""
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(1) from None


def _in_subset(doc: Document) -> bool:
    texts: list[str] = [doc.title or "", *doc.intro, *doc.notes, doc.footer]
    if any("\n" in line for line in doc.figure):
        return False
    texts += doc.figure
    for grid in doc.grids:
        count = len(grid.headers)
        if not count:
            return False
        texts += [grid.title or "", *grid.headers]
        for row in grid.rows:
            if len(row) != count:
                return False
            for cell in row:
                if isinstance(cell, str):
                    texts.append(cell)
                elif not cell or "" in cell:  # Rich's path fails on these (layout.tall)
                    return False
                else:
                    texts += cell
    # One search over them all: clean() keeps "\n", which the subset holds, so a text has a
    # character outside it exactly when the joined text does.
    return _OUTSIDE.search(clean("\n".join(texts))) is None


# SGR parameters of the styles osteo uses, as rich.style.Style renders them.
BOLD = "1"
DIM = "2"
ITALIC = "3"
BOLD_CYAN = "1;36"


def _segment(text: str, sgr: str) -> str:
    """A segment as Rich's Console writes it: each styled piece of text with its own reset."""
    return f"\x1b[{sgr}m{text}\x1b[0m" if sgr and text else text


class _Writer:
    """Collects the output segment by segment, as Console._render_buffer joins them; with
    `strip`, each line without its trailing whitespace, as emit() makes of piped text (the
    whole text is never split into lines again afterwards)."""

    def __init__(self, screen: Screen, strip: bool = False) -> None:
        self.colour = screen.colour
        self.no_color = screen.no_color
        self.strip = strip
        self.parts: list[str] = []
        self.line_start = 0  # where the line being written begins in `parts`

    def end_line(self) -> None:
        if self.strip and self.line_start < len(self.parts):
            line = "".join(self.parts[self.line_start :]).rstrip()
            del self.parts[self.line_start :]
            self.parts.append(line)
        self.parts.append("\n")
        self.line_start = len(self.parts)

    def line(self, text: str) -> None:
        """A whole line, written at the start of one."""
        self.parts.append(text.rstrip() if self.strip else text)
        self.parts.append("\n")
        self.line_start = len(self.parts)

    def style(self, sgr: str) -> str:
        if not self.colour:
            return ""
        if self.no_color and sgr == BOLD_CYAN:
            return BOLD
        return sgr

    def put(self, text: str, sgr: str = "") -> None:
        self.parts.append(_segment(text, sgr))

    def link(self, url: str) -> None:
        """An address that is a hyperlink where Rich would write colour. Rich numbers its links
        from a random start, so no two runs write the same id: ids here are made alike."""
        if self.colour:
            self.parts.append(f"\x1b]8;id={next(_link_ids)};{url}\x1b\\{url}\x1b]8;;\x1b\\")
        else:
            self.parts.append(url)

    def text(self, value: str, width: int, sgr: str = "", *, no_wrap: bool = False) -> _Writer:
        """A Text printed by itself (justify "default", overflow "fold"), one line each."""
        sgr = self.style(sgr)
        for line in wrap(value, width, pad=False, no_wrap=no_wrap):
            self.put(line, sgr)
            self.end_line()
        return self

    def done(self) -> str:
        return "".join(self.parts)


def _breaks(text: str, width: int) -> list[int]:
    """rich._wrap.divide_line(text, width, fold=True) for one-cell characters. Its words are
    `\\s*\\S+\\s*`, each starting where the last ended, so finditer finds the same ones."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        word_length = match.end(1) - start  # the word without its trailing whitespace
        if width - offset >= word_length:
            offset += end - start
        elif word_length > width:
            word = match.group(0)
            folded = [word[i : i + width] for i in range(0, len(word), width)]
            for n, piece in enumerate(folded):
                if start:
                    breaks.append(start)
                if n == len(folded) - 1:
                    offset = len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = end - start
    return breaks


def wrap(text: str, width: int, *, pad: bool, no_wrap: bool = False) -> list[str]:
    """rich.text.Text.wrap(width, justify="left" if pad else "default", overflow="fold")."""
    lines: list[str] = []
    for line in text.split("\n"):
        if no_wrap or len(line) <= width:  # a line that fits has no break (its words sum to it)
            pieces = [line]
        else:
            bounds = [0, *_breaks(line, width), len(line)]
            pieces = []
            for start, end in itertools.pairwise(bounds):
                piece = line[start:end]
                if len(piece) > width:  # Text.rstrip_end
                    trailing = _TRAILING_WHITESPACE.search(piece)
                    if trailing is not None:
                        piece = piece[: len(piece) - min(len(trailing.group(0)), len(piece) - width)]
                pieces.append(piece)
        for piece in pieces:
            length = len(piece)
            if length > width:
                piece = piece[:width]
            elif pad and length < width:
                piece += " " * (width - length)
            lines.append(piece)
    return lines


def document(doc: Document, screen: Screen) -> str | None:
    """What `Console.print(to_renderable(doc, width), crop=False)` captures (and the dim
    footer after it on a terminal), or None when a grid is outside the subset."""
    width = screen.width
    out = _Writer(screen, strip=not screen.is_terminal)
    started = False
    if doc.title:
        out.text(clean(doc.title), width, BOLD)
        started = True
    for line in doc.intro:
        out.text(clean(line), width, ITALIC)
        started = True
    if doc.figure:
        started = True
        figure = [clean(line) for line in doc.figure]
        needed = max(len(line) for line in figure)
        if needed <= width:
            out.end_line()
            for line in figure:
                out.text(line, width, no_wrap=True)
            out.end_line()
        else:
            out.text(f"(The figure needs {needed} columns; the table has the same facts.)", width, ITALIC)
    for grid in doc.grids:
        if started and grid.title:
            out.end_line()
        if not _table(grid, width, out):
            return None
        started = True
    if doc.notes:
        out.end_line()
    for note in doc.notes:
        out.text(clean(note), width)
    if doc.footer and screen.is_terminal:
        out.text(clean(doc.footer), width, DIM)
    return out.done()


def _text_cell(value: str, width: int, padding: int, sgr: str) -> list[str]:
    """The cell's lines as written: each line's text, then the cell's padding, both styled."""
    pad = _segment(" " * padding, sgr)
    return [_segment(line, sgr) + pad for line in wrap(clean(value), width, pad=True)]


def _bullet_cell(items: Sequence[str], width: int, padding: int, sgr: str) -> list[str]:
    """table.Bullets inside the cell's Padding: every segment takes the cell's style."""
    lines = [(n, line) for item in items for n, line in enumerate(wrap(clean(item), width - BULLET, pad=False))]
    drawn = BULLET + max((len(line) for _, line in lines), default=0)
    cell: list[str] = []
    for n, line in lines:
        segments = [("  " if n else "- "), line]
        if drawn - BULLET > len(line):
            segments.append(" " * (drawn - BULLET - len(line)))
        if drawn < width:
            segments.append(" " * (width - drawn))
        segments.append(" " * padding)
        cell.append("".join(_segment(text, sgr) for text in segments))
    return cell


def _repeated_texts(grid: Grid) -> list[set[str]]:
    """The texts that appear more than once in each column of the grid's body."""
    repeated: list[set[str]] = []
    for k in range(len(grid.headers)):
        seen: set[str] = set()
        again: set[str] = set()
        for row in grid.rows:
            cell = row[k]
            if isinstance(cell, str):
                (again if cell in seen else seen).add(cell)
        repeated.append(again)
    return repeated


def _table(grid: Grid, width: int, out: _Writer) -> bool:
    """The grid as table._table's Rich Table draws it, or False to leave the document to Rich."""
    show_header = any(grid.headers)
    column_widths = widths(grid, width, show_header)
    if column_widths is None:
        return False  # stacked
    grid, urls = detach_urls(grid, column_widths)  # long addresses go below the table
    padding = right_padding(show_header)
    table_width = sum(column_widths) + padding * len(column_widths) + (len(column_widths) - 1 if show_header else 0)
    if table_width > width:
        return False
    list_widths = [
        w for row in grid.rows for cell, w in zip(row, column_widths, strict=True) if not isinstance(cell, str)
    ]
    if any(w < MIN_BULLET_WIDTH for w in list_widths):
        return False
    show_lines = show_header and tall(grid, column_widths)  # without a box, Rich draws no lines

    bold = out.style(BOLD)
    if grid.title:
        for line in wrap(clean(grid.title), table_width, pad=True):
            out.put(line, bold)
            out.end_line()
    first_style = out.style(BOLD_CYAN) if grid.row_headers else ""
    styles = [first_style, *[""] * (len(column_widths) - 1)]
    # A text repeated down a column (a category, a route) is wrapped once; a row's cells are
    # drawn as it is written, so a long table is never held whole in cells.
    repeated = _repeated_texts(grid)
    drawn: list[dict[str, list[str]]] = [{} for _ in column_widths]

    def text_cell(k: int, value: str, w: int, sgr: str) -> list[str]:
        if value not in repeated[k]:
            return _text_cell(value, w, padding, sgr)
        if value not in drawn[k]:
            drawn[k][value] = _text_cell(value, w, padding, sgr)
        return list(drawn[k][value])  # a copy: it is padded in place below

    def row_cells(row: Sequence[Cell]) -> list[list[str]]:
        return [
            text_cell(k, cell, w, sgr) if isinstance(cell, str) else _bullet_cell(cell, w, padding, sgr)
            for k, (cell, w, sgr) in enumerate(zip(row, column_widths, styles, strict=True))
        ]

    divider = " " if show_header else ""

    def put_row(cells: list[list[str]], cell_styles: list[str], header: bool) -> None:
        height = max(len(cell) for cell in cells)
        if height > 1:  # every cell has a line at least: pad the shorter ones
            for cell, w, sgr in zip(cells, column_widths, cell_styles, strict=True):
                extra = [_segment(" " * (w + padding), sgr)] * (height - len(cell))
                cell[:] = extra + cell if header else cell + extra  # the header row is aligned to the bottom
        for line_no in range(height):
            out.line(divider.join([cell[line_no] for cell in cells]))

    if show_header:
        header_cells = [_text_cell(h, w, padding, bold) for h, w in zip(grid.headers, column_widths, strict=True)]
        put_row(header_cells, [bold] * len(column_widths), True)
        out.put(RULE * table_width)
        out.end_line()
    for index, row in enumerate(grid.rows):
        put_row(row_cells(row), styles, False)
        if show_lines and index < len(grid.rows) - 1:
            out.put(" " * table_width)
            out.end_line()
    for n, url in enumerate(urls, 1):  # never folded: the terminal wraps them, and copies them whole
        out.put(f"[{n}] ")
        out.link(clean(url))
        out.end_line()
    return True
