"""Document -> GitHub-flavoured Markdown, to paste into notes."""

from __future__ import annotations

from osteo_cli.render.document import Cell, Document, Grid
from osteo_cli.render.textsafe import clean

# Inline markup a note must not gain from the data: emphasis, links, code spans. CommonMark
# lets any ASCII punctuation be backslash-escaped; <, > and & become HTML entities.
_INLINE = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]|"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"})


def _text(text: str) -> str:
    # A pipe would end the cell and a newline the row: escape one, turn the other into <br>.
    return clean(text).translate(_INLINE).replace("\n", "<br>")


def _cell(cell: Cell) -> str:
    return _text(cell) if isinstance(cell, str) else "<br>".join(f"- {_text(item)}" for item in cell)


def _grid(grid: Grid) -> list[str]:
    lines = [f"### {_text(grid.title)}", ""] if grid.title else []
    headers = [_text(h) for h in grid.headers]
    if grid.row_headers and not any(headers[1:]):
        headers = ["Field", "Value"]  # Markdown tables need a header row
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    for row in grid.rows:
        cells = [_cell(c) for c in row]
        if grid.row_headers:
            cells[0] = f"**{cells[0]}**"
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def to_markdown(doc: Document) -> str:
    lines: list[str] = [f"## {_text(doc.title)}", ""] if doc.title else []
    if doc.intro:
        lines += [*(_text(line) for line in doc.intro), ""]
    if doc.figure:
        lines += ["```text", *(clean(line) for line in doc.figure), "```", ""]
    for grid in doc.grids:
        lines += [*_grid(grid), ""]
    for entry in doc.entries:
        lines += [f"**{_text(entry.heading)}**", ""]
        lines += [line for paragraph in entry.paragraphs for line in (_text(paragraph), "")]
    lines += [_text(note) for note in doc.notes]
    if doc.notes:
        lines.append("")
    if doc.footer:
        lines.append(f"_{_text(doc.footer)}_")
    return "\n".join(lines).rstrip("\n") + "\n"
