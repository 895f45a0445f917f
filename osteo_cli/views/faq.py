"""Views of `osteo faq`."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from osteo_cli.render.document import Document, Entry, View
from osteo_cli.views.common import footer, meta, with_sources

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.queries.faq import FaqHit


def _answer(hit: FaqHit) -> Entry:
    entry = hit.entry
    more = f" More: {entry.more}." if entry.more else ""
    return Entry(f"{hit.number}. {entry.question}", (f"{entry.answer}{more} (Sources: {', '.join(entry.sources)}.)",))


def faq_document(loaded: Loaded, hits: list[FaqHit]) -> Document:
    """Each question a heading, its answer under it across the whole width."""
    return Document([], entries=[_answer(h) for h in hits], footer=footer(loaded))


def faq_json(loaded: Loaded, hits: list[FaqHit]) -> dict[str, Any]:
    faq = [{"number": h.number, **dataclasses.asdict(h.entry)} for h in hits]
    return with_sources(loaded.kb, {**meta(loaded), "faq": faq})


def faq_view(loaded: Loaded, hits: list[FaqHit]) -> View:
    return View(lambda: faq_document(loaded, hits), lambda: faq_json(loaded, hits))
