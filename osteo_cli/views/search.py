"""Views of `osteo search`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osteo_cli.render.document import Document, Grid, View
from osteo_cli.views.common import footer, meta

if TYPE_CHECKING:
    from osteo_cli.queries.search import Hit
    from osteo_cli.views.common import Provenance


def search_document(source: Provenance, words: list[str], hits: list[Hit]) -> Document:
    rows = [(str(i), h.kind, h.title, h.snippet, h.command) for i, h in enumerate(hits, start=1)]
    grid = Grid(("#", "Where", "Title", "Match", "Show it with"), rows)
    return Document(
        [grid],
        title=f"{len(hits)} result{'s' if len(hits) != 1 else ''} for '{' '.join(words)}'",
        footer=footer(source),
    )


def search_json(source: Provenance, words: list[str], hits: list[Hit]) -> dict[str, Any]:
    return {
        **meta(source),
        "query": " ".join(words),
        "results": [
            {
                "rank": i,
                "kind": h.kind,
                "title": h.title,
                "score": h.score,
                "snippet": h.snippet,
                "command": h.command,
            }
            for i, h in enumerate(hits, start=1)
        ],
    }


def search_view(source: Provenance, words: list[str], hits: list[Hit]) -> View:
    return View(lambda: search_document(source, words, hits), lambda: search_json(source, words, hits))
