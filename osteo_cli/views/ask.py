"""Views of `osteo ask`: each answer's facts with their sources, and the commands that show more."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osteo_cli.knowledge.models import Agent
from osteo_cli.render.document import Cell, Document, Grid, View
from osteo_cli.views.common import facts, footer, lines, meta

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.queries.ask import Answer, Asked
    from osteo_cli.queries.search import Hit


def _title(answer: Answer) -> str:
    if answer.medicine is None:
        return answer.title
    return f"{answer.medicine.name}: {answer.title.lower()}"


def _named(asked: Asked) -> list[str]:
    """How each medicine named was read: "Fosamax is alendronate"."""
    out = []
    for m in asked.medicines:
        entry, claim = m.found.entry, m.found.claim
        kind = "medicine" if isinstance(entry, Agent) else "family"
        if claim.name.casefold() != entry.name.casefold() and claim.how not in ("id", "singular"):
            out.append(f"{claim.name} is {entry.name} (the {kind} osteo answers for).")
    return out


def _grid(answer: Answer) -> Grid:
    rows: list[tuple[str, Cell]] = []
    for f in answer.facts:
        cited = f" (Sources: {', '.join(f.sources)}.)" if f.sources else ""
        rows.append((f.label, f.text + cited))
    if answer.note:
        rows.append(("-", answer.note))
    rows.append(("More", lines(list(answer.more)) if answer.more else "-"))
    return facts(_title(answer), rows)


def _hits_grid(hits: list[Hit]) -> Grid:
    rows = [(str(i), h.kind, h.title, h.snippet, h.command) for i, h in enumerate(hits, start=1)]
    return Grid(("#", "Where", "Title", "Match", "Show it with"), rows, title="Nearest search hits")


def ask_document(loaded: Loaded, asked: Asked, hits: list[Hit]) -> Document:
    if not asked.answered:
        notes = () if hits else ("Nothing in osteo comes near it; 'osteo search WORD' or 'osteo faq' may help.",)
        return Document(
            [_hits_grid(hits)] if hits else [],
            title=asked.question,
            intro=[f"{asked.unanswered}."],
            notes=notes,
            footer=footer(loaded),
        )
    return Document([_grid(a) for a in asked.answers], title=asked.question, intro=_named(asked), footer=footer(loaded))


def ask_json(loaded: Loaded, asked: Asked, hits: list[Hit]) -> dict[str, Any]:
    return {
        **meta(loaded),
        "question": asked.question,
        "answered": asked.answered,
        "unanswered": asked.unanswered,
        "medicines": [
            {
                "typed": m.typed,
                "id": m.found.entry.id,
                "name": m.found.entry.name,
                "kind": m.found.claim.kind,
            }
            for m in asked.medicines
        ],
        "topics": [t.id for t in asked.topics],
        "substances": [{"typed": typed, "ids": [s.id for s in found]} for typed, found in asked.substances],
        "answers": [
            {
                "topic": a.topic,
                "title": _title(a),
                "medicine": None if a.medicine is None else {"id": a.medicine.id, "name": a.medicine.name},
                "facts": [{"id": f.id, "label": f.label, "text": f.text, "sources": list(f.sources)} for f in a.facts],
                "note": a.note,
                "more": list(a.more),
            }
            for a in asked.answers
        ],
        "nearest": [{"kind": h.kind, "title": h.title, "snippet": h.snippet, "command": h.command} for h in hits],
    }


def ask_view(loaded: Loaded, asked: Asked, hits: list[Hit]) -> View:
    return View(lambda: ask_document(loaded, asked, hits), lambda: ask_json(loaded, asked, hits))
