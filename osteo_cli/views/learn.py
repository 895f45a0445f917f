"""Views of `osteo lifestyle` and `osteo learn`."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from osteo_cli.document import Cell, Document, Grid
from osteo_cli.views.common import facts, footer, meta, sources_grid

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.models import Advice, Topic


LIFESTYLE_GROUPS = {"exercise": "Exercise", "nutrition": "Nutrition", "habits": "Habits"}


def lifestyle_document(loaded: Loaded, advice: list[Advice]) -> Document:
    grids = []
    for group, title in LIFESTYLE_GROUPS.items():
        rows = [
            (a.title, a.text + (f" Examples: {', '.join(a.examples)}." if a.examples else ""))
            for a in advice
            if a.group == group
        ]
        if rows:
            grids.append(facts(title, rows))
    cited = [s for a in advice for s in a.sources]
    return Document(
        grids,
        title="What you can do besides medicine",
        notes=[f"Sources: {', '.join(dict.fromkeys(cited))}."],
        footer=footer(loaded),
    )


def lifestyle_json(loaded: Loaded, advice: list[Advice]) -> dict[str, Any]:
    return {**meta(loaded), "lifestyle": [dataclasses.asdict(a) for a in advice]}


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
    return {**meta(loaded), "topics": [dataclasses.asdict(t) for t in topics]}
