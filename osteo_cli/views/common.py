"""What every view shares: the reference-only footer, metadata for JSON, cited sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from osteo_cli.queries.relations import followers
from osteo_cli.render.document import Cell, Grid

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import Agent, Brand, KnowledgeBase


DISCLAIMER = "Reference only, not medical advice."


class Provenance(Protocol):
    """Which knowledge base an answer came from: a loaded one, or an index derived from it."""

    @property
    def kb_version(self) -> str: ...
    @property
    def last_reviewed(self) -> dt.date: ...
    @property
    def path(self) -> Path: ...
    @property
    def custom(self) -> bool: ...


def footer(source: Provenance) -> str:
    if source.custom:
        return (
            f"{DISCLAIMER} Custom knowledge base {source.path} (version {source.kb_version}), "
            "not the shipped, reviewed one."
        )
    # Under 80 characters, so it reads on one line in a standard terminal.
    return f"{DISCLAIMER} Knowledge base {source.kb_version} ({source.last_reviewed})."


def meta(source: Provenance) -> dict[str, Any]:
    return {"kb_version": source.kb_version, "custom_data": source.custom}


def ref(entry: Any) -> dict[str, str]:
    """How JSON refers to an agent or a family that osteo names in its answer: `{id, name}`."""
    return {"id": entry.id, "name": entry.name}


def with_sources(kb: KnowledgeBase, body: dict[str, Any]) -> dict[str, Any]:
    """`body` with a top-level `sources`: the objects (`id`, `kind`, `title`, `url`, ...) of
    every source id cited anywhere in it (each nested `sources` is a list of ids)."""
    import dataclasses

    top = body.get("sources")
    cited: list[str] = list(top) if isinstance(top, list) else []  # the answer's own sources first

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "sources" and isinstance(item, list) and all(isinstance(i, str) for i in item):
                    cited.extend(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(body)
    return {**body, "sources": [dataclasses.asdict(kb.source(s)) for s in dict.fromkeys(cited)]}


def brands(brands: Iterable[Brand]) -> str:
    return ", ".join(f"{b.name} (biosimilar)" if b.kind == "biosimilar" else b.name for b in brands) or "-"


def facts(title: str | None, rows: Sequence[tuple[str, Cell]]) -> Grid:
    """A two-column grid, titled or not: what each row is, then its value."""
    return Grid(("", ""), rows, title=title, row_headers=True)


def lines(items: list[str]) -> Cell:
    """Several items for one cell: a bulleted list when there is more than one."""
    return items[0] if len(items) == 1 else tuple(items)


def sources_grid(kb: KnowledgeBase, ids: Iterable[str]) -> Grid:
    unique = list(dict.fromkeys(ids))
    rows = []
    for source_id in unique:
        s = kb.source(source_id)
        detail = [s.title, *(x for x in (s.url, f"revised {s.revised}" if s.revised else None) if x)]
        rows.append((source_id, s.kind, "\n".join(detail)))
    return Grid(("Source", "Kind", "Title and address"), rows, title="Sources")


def follow_on(kb: KnowledgeBase, agent: Agent) -> str:
    """What must follow `agent` when it stops, as a phrase: "a bisphosphonate", or "another
    medicine" where the data names none."""
    singulars = (f.singular.lower() if f.singular[1:2].islower() else f.singular for f in followers(kb, agent))
    return " or ".join(_a(singular) for singular in singulars) or "another medicine"


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"
