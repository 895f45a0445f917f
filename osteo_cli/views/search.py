"""Views of `osteo search`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osteo_cli.queries.search import query_words
from osteo_cli.render.document import Document, Grid, View
from osteo_cli.views.common import footer, meta

if TYPE_CHECKING:
    from osteo_cli.queries.search import Found, Hit
    from osteo_cli.views.common import Provenance


# JSON calls a medicine an agent, as every other command's JSON does ("drug" is the table's word).
JSON_KINDS = {"drug": "agent"}


def _heading(words: list[str], hits: list[Hit], found: Found | None) -> tuple[str, list[str], list[str]]:
    """The title, the lines under it (which words were searched for) and the notes (how many more)."""
    total = found.total if found else len(hits)
    counted = f"{len(hits)} of {total} results" if total > len(hits) else f"{len(hits)} result{'s' * (len(hits) != 1)}"
    intro, notes = [], []
    if found and found.words != query_words(words):
        left = [w for w in query_words(words) if w not in found.words]
        intro.append(f"Searched for: {' '.join(found.words)} (left out: {' '.join(left)}).")
    if found and found.partial:
        intro.append("No entry has every word; these have the most of them.")
    if total > len(hits):
        notes.append(f"{total - len(hits)} more not shown: add a word to narrow the search.")
    return f"{counted} for '{' '.join(words)}'", intro, notes


def search_document(source: Provenance, words: list[str], hits: list[Hit], found: Found | None = None) -> Document:
    rows = [(str(i), h.kind, h.title, h.snippet, h.command) for i, h in enumerate(hits, start=1)]
    grid = Grid(("#", "Where", "Title", "Match", "Show it with"), rows)
    title, intro, notes = _heading(words, hits, found)
    return Document([grid], title=title, intro=intro, notes=notes, footer=footer(source))


def search_json(source: Provenance, words: list[str], hits: list[Hit], found: Found | None = None) -> dict[str, Any]:
    return {
        **meta(source),
        "query": " ".join(words),
        "searched_for": found.words if found else query_words(words),
        "partial": found.partial if found else False,
        "total": found.total if found else len(hits),
        "results": [
            {
                "rank": i,
                "kind": JSON_KINDS.get(h.kind, h.kind),
                "title": h.title,
                "score": h.score,
                "snippet": h.snippet,
                "command": h.command,
            }
            for i, h in enumerate(hits, start=1)
        ],
    }


def search_view(source: Provenance, words: list[str], hits: list[Hit], found: Found | None = None) -> View:
    """`found` (optional, for callers that have only hits) says how many matched in all."""
    return View(lambda: search_document(source, words, hits, found), lambda: search_json(source, words, hits, found))
