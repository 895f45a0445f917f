"""Views of `osteo search`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osteo_cli.document import Document, Grid
from osteo_cli.views.common import footer, meta

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.search import Hit


def search_document(loaded: Loaded, words: list[str], hits: list[Hit]) -> Document:
    rows = [(str(i), h.entry.kind, h.entry.title, h.snippet, h.entry.command) for i, h in enumerate(hits, start=1)]
    grid = Grid(("#", "Where", "Title", "Match", "Show it with"), rows)
    return Document(
        [grid],
        title=f"{len(hits)} result{'s' if len(hits) != 1 else ''} for '{' '.join(words)}'",
        footer=footer(loaded),
    )


def search_json(loaded: Loaded, words: list[str], hits: list[Hit]) -> dict[str, Any]:
    return {
        **meta(loaded),
        "query": " ".join(words),
        "results": [
            {
                "rank": i,
                "kind": h.entry.kind,
                "title": h.entry.title,
                "score": h.score,
                "snippet": h.snippet,
                "command": h.entry.command,
            }
            for i, h in enumerate(hits, start=1)
        ],
    }
