"""Views of `osteo lifestyle` and `osteo learn`."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from osteo_cli.queries.evidence import MEDIUM, amount_text, who
from osteo_cli.render.document import Cell, Document, Grid, View
from osteo_cli.views.common import facts, footer, meta, sources_grid, with_sources

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.knowledge.models import Advice, IntakeAmount, Measure, Topic


LIFESTYLE_GROUPS = {"exercise": "Exercise", "nutrition": "Nutrition", "habits": "Habits"}


def lifestyle_document(
    loaded: Loaded, advice: list[Advice], amounts: Sequence[IntakeAmount] = (), measures: Sequence[Measure] = ()
) -> Document:
    grids = []
    for group, title in LIFESTYLE_GROUPS.items():
        rows = [
            (a.title, a.text + (f" Examples: {', '.join(a.examples)}." if a.examples else ""))
            for a in advice
            if a.group == group
        ]
        if rows:
            grids.append(facts(title, rows))
    for nutrient, title in NUTRIENTS.items():
        amount_rows = [_amount_row(a) for a in amounts if a.nutrient == nutrient]
        if amount_rows:
            grids.append(Grid(("For", "A day", "Kind", "Says", "Note"), amount_rows, title=title))
    if measures:
        grids.append(facts("In numbers: the guidelines' general measures", [_measure_row(m) for m in measures]))
    cited = [s for a in advice for s in a.sources]
    cited += [s for a in amounts for s in a.sources] + [s for m in measures for s in m.sources]
    notes = [f"Sources: {', '.join(dict.fromkeys(cited))}."]
    if any(x.confidence == "medium" for x in amounts) or any(x.confidence == "medium" for x in measures):
        notes.insert(0, MEDIUM)
    if amounts:
        notes.insert(
            0,
            'Recommended amounts count food and supplements together; a dose marked "if supplementing" is '
            "the supplement alone. Each body's numbers are its own recommendation, not one figure.",
        )
    return Document(grids, title="What you can do besides medicine", notes=notes, footer=footer(loaded))


NUTRIENTS = {"calcium": "Calcium a day", "vitamin-d": "Vitamin D a day"}
KINDS = {"daily": "recommended", "supplement": "if supplementing", "upper-limit": "upper limit"}


def _amount_row(amount: IntakeAmount) -> tuple[str, ...]:
    star = " *" if amount.confidence == "medium" else ""
    return (who(amount), amount_text(amount) + star, KINDS[amount.kind], amount.by, amount.note or "")


def _measure_row(measure: Measure) -> tuple[str, Cell]:
    title = measure.title + (" *" if measure.confidence == "medium" else "")
    if not measure.points:
        return (title, measure.text)
    return (title, (measure.text, *measure.points))


def lifestyle_json(
    loaded: Loaded, advice: list[Advice], amounts: Sequence[IntakeAmount] = (), measures: Sequence[Measure] = ()
) -> dict[str, Any]:
    body = {
        **meta(loaded),
        "lifestyle": [dataclasses.asdict(a) for a in advice],
        "intake": {
            "amounts": [dataclasses.asdict(a) for a in amounts],
            "measures": [dataclasses.asdict(m) for m in measures],
        },
    }
    return with_sources(loaded.kb, body)


def topics_document(loaded: Loaded, topics: list[Topic]) -> Document:
    if len(topics) > 1:
        index = [(t.id, t.title, t.summary) for t in topics]
        return Document(
            [Grid(("Topic", "Title", "In short"), index)], title="Topics: osteo learn TOPIC", footer=footer(loaded)
        )
    (topic,) = topics
    rows: list[tuple[str, Cell]] = [("In short", topic.summary)]
    if topic.points:
        rows.append(("Points", tuple(topic.points)))
    rows.append(("Sources", ", ".join(topic.sources)))
    return Document(
        [facts(None, rows), sources_grid(loaded.kb, topic.sources)],
        title=topic.title,
        footer=footer(loaded),
    )


def topics_json(loaded: Loaded, topics: list[Topic]) -> dict[str, Any]:
    return with_sources(loaded.kb, {**meta(loaded), "topics": [dataclasses.asdict(t) for t in topics]})


def lifestyle_view(loaded: Loaded, advice: list[Advice], amounts: list[IntakeAmount], measures: list[Measure]) -> View:
    return View(
        lambda: lifestyle_document(loaded, advice, amounts, measures),
        lambda: lifestyle_json(loaded, advice, amounts, measures),
    )


def topics_view(loaded: Loaded, topics: list[Topic]) -> View:
    return View(lambda: topics_document(loaded, topics), lambda: topics_json(loaded, topics))
