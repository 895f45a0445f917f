"""What a command shows, before any format is chosen: plain text in grids.

Renderers turn a Document into a Rich table or Markdown; JSON output is built from
the domain objects instead (see `osteo_cli/views/`), so its shape does not follow layout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

# A cell holds one text, or several items shown as a bulleted list.
Cell = str | tuple[str, ...]


class Grid(NamedTuple):
    headers: tuple[str, ...]
    rows: Sequence[Sequence[Cell]]
    title: str | None = None
    row_headers: bool = False  # the first column names each row (show, compare)
    # A cell whose whole text is a key here is marked on a terminal: "danger", "warning" or "notice".
    emphasis: Mapping[str, str] = {}  # never mutated


class Entry(NamedTuple):
    """A heading and the paragraphs under it: a question and its answer. Text that reads
    as prose gets the whole width, not a column of a table."""

    heading: str
    paragraphs: Sequence[str]


class Document(NamedTuple):
    grids: Sequence[Grid]
    title: str | None = None
    intro: Sequence[str] = ()  # short lines shown under the title
    figure: Sequence[str] = ()  # preformatted lines (a timeline, a gauge)
    notes: Sequence[str] = ()  # short lines shown after the grids
    footer: str = ""  # the reference-only line with the knowledge-base version
    entries: Sequence[Entry] = ()  # shown after the grids, before the notes


class View(NamedTuple):
    """One command's answer, from one place (its views module): what people see and what
    JSON carries. Each is built only when its format is asked for."""

    document: Callable[[], Document]
    data: Callable[[], dict[str, Any]]
