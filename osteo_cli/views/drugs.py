"""Views of `osteo drugs ...`: list, show, compare, stopping."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from osteo_cli.catalog import CATEGORY_LABELS, FEATURES, Comparison
from osteo_cli.document import Cell, Document, Grid
from osteo_cli.models import Agent
from osteo_cli.views.common import brands, facts, footer, lines, meta, sources_grid

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.models import Brand, Family, KnowledgeBase
    from osteo_cli.names import Resolved


def agent_list(loaded: Loaded, agents: list[Agent]) -> Document:
    kb = loaded.kb
    rows = [
        (
            a.name,
            brands(a.brands),
            kb.family(a.family).name,
            kb.family(a.family).category,
            f"{a.dosing.route}, {a.dosing.schedule}",
        )
        for a in agents
    ]
    grid = Grid(("Drug", "Brands", "Family", "Category", "Route and schedule"), rows)
    return Document([grid], footer=footer(loaded))


def agent_list_json(loaded: Loaded, agents: list[Agent]) -> dict[str, Any]:
    kb = loaded.kb
    return {
        **meta(loaded),
        "agents": [
            {
                "id": a.id,
                "name": a.name,
                "brands": [dataclasses.asdict(b) for b in a.brands],
                "family": {"id": a.family, "name": kb.family(a.family).name},
                "category": kb.family(a.family).category,
                "route": a.dosing.route,
                "schedule": a.dosing.schedule,
            }
            for a in agents
        ],
    }


def match_note(typed: str, found: Resolved) -> str | None:
    """Say how a brand or related product led to the entry shown (None for its own name)."""
    claim, name = found.claim, found.entry.name
    if claim.how in ("brand", "biosimilar"):
        what = "a biosimilar of" if claim.how == "biosimilar" else "a brand of"
        return f"{claim.name} is {what} {name}."
    if claim.how == "related" and isinstance(found.entry, Agent):
        product = next(p for p in found.entry.related_products if p.name == claim.name)
        return f"{claim.name} is {name} for {product.use}, not osteoporosis. {product.note}"
    return None


def agent_groups(agent: Agent) -> dict[str, list[str]]:
    """Each fact group of an agent with the sources it cites."""
    return {
        "names and products": agent.sources,
        "dosing": agent.dosing.sources,
        "duration": agent.duration.sources,
        "stopping": agent.stopping.sources,
        "safety": agent.safety.sources,
    }


def _brand_line(brand: Brand) -> str:
    kind = " (biosimilar)" if brand.kind == "biosimilar" else ""
    note = f": {brand.note}" if brand.note else ""
    confidence = " (medium confidence)" if brand.confidence == "medium" else ""
    return f"{brand.name}{kind}{note}{confidence}"


def show_agent(loaded: Loaded, agent: Agent, note: str | None) -> Document:
    kb = loaded.kb
    family = kb.family(agent.family)
    overview: list[tuple[str, Cell]] = [
        ("Family", f"{family.name} ({family.category})"),
        ("Mechanism", family.mechanism),
        ("Brands", lines([_brand_line(b) for b in agent.brands]) if agent.brands else "-"),
    ]
    if agent.related_products:
        overview.append(("Same molecule", lines([f"{p.name}, for {p.use}: {p.note}" for p in agent.related_products])))
    if agent.notes:
        overview.append(("Notes", lines(agent.notes)))
    dosing: list[tuple[str, Cell]] = [("Route", agent.dosing.route), ("Dose", agent.dosing.dose)]
    if agent.dosing.how:
        dosing.append(("How", lines(agent.dosing.how)))
    safety: list[tuple[str, Cell]] = []
    if agent.safety.boxed_warning:
        safety.append(("Boxed warning", agent.safety.boxed_warning))
    if agent.safety.warnings:
        safety.append(("Warnings", lines(agent.safety.warnings)))
    grids = [
        facts("Overview", overview),
        facts("Dosing", [*dosing, ("Sources", ", ".join(agent.dosing.sources))]),
        facts(
            "How long",
            [
                ("Duration", agent.duration.summary),
                ("Limit", _limit_text(kb, agent)),
                ("Sources", ", ".join(agent.duration.sources)),
            ],
        ),
        facts("Stopping", [*_stopping_rows(kb, agent), ("Sources", ", ".join(agent.stopping.sources))]),
        facts("Safety", [*safety, ("Sources", ", ".join(agent.safety.sources))]),
        sources_grid(kb, (s for ids in agent_groups(agent).values() for s in ids)),
    ]
    return Document(
        grids,
        title=f"{agent.name}: {CATEGORY_LABELS[family.category]}",
        intro=[note] if note else [],
        notes=[f"Last reviewed {agent.last_reviewed}."],
        footer=footer(loaded),
    )


def show_family(loaded: Loaded, family: Family, note: str | None) -> Document:
    kb = loaded.kb
    members = kb.members(family.id)
    features = Grid(
        ("", ""),
        [
            ("Mechanism", family.mechanism),
            ("Administration", family.administration),
            ("Typical use", family.typical_use),
            ("After treatment", family.after_treatment),
            ("Sources", ", ".join(family.sources)),
        ],
        title="Features",
        row_headers=True,
    )
    agents = Grid(
        ("Drug", "Brands", "Route", "Dose and schedule"),
        [(a.name, brands(a.brands), a.dosing.route, a.dosing.dose) for a in members],
        title="Drugs in this family",
    )
    return Document(
        [features, agents, sources_grid(kb, family.sources)],
        title=f"{family.name}: {CATEGORY_LABELS[family.category]}",
        intro=[note] if note else [],
        notes=[f"Last reviewed {family.last_reviewed}."],
        footer=footer(loaded),
    )


def show_document(loaded: Loaded, typed: str, found: Resolved, sources_only: bool = False) -> Document:
    """`drugs show`: an agent or a family, or with `--sources` the sources of each fact group."""
    if sources_only:
        return show_sources(loaded, found)
    note = match_note(typed, found)
    if isinstance(found.entry, Agent):
        return show_agent(loaded, found.entry, note)
    return show_family(loaded, found.entry, note)


def show_sources(loaded: Loaded, found: Resolved) -> Document:
    """`drugs show NAME --sources`: which sources back each group of facts."""
    kb, entry = loaded.kb, found.entry
    groups = agent_groups(entry) if isinstance(entry, Agent) else {"features": entry.sources}
    rows = [(group, ", ".join(ids)) for group, ids in groups.items()]
    grid = Grid(("Facts", "Sources"), rows, title="Sources by fact group", row_headers=True)
    return Document(
        [grid, sources_grid(kb, (s for ids in groups.values() for s in ids))],
        title=f"{entry.name}: sources",
        footer=footer(loaded),
    )


def show_json(loaded: Loaded, typed: str, found: Resolved) -> dict[str, Any]:
    kb, entry = loaded.kb, found.entry
    body: dict[str, Any]
    if isinstance(entry, Agent):
        body = {"agent": dataclasses.asdict(entry), "family": dataclasses.asdict(kb.family(entry.family))}
        cited = [s for ids in agent_groups(entry).values() for s in ids]
    else:
        body = {"family": dataclasses.asdict(entry), "agents": [dataclasses.asdict(a) for a in kb.members(entry.id)]}
        cited = list(entry.sources)
    return {
        **meta(loaded),
        "query": typed,
        "match": {
            "kind": found.claim.kind,
            "name": found.claim.name,
            "how": found.claim.how,
            "note": match_note(typed, found),
        },
        **body,
        "sources": [dataclasses.asdict(kb.source(s)) for s in dict.fromkeys(cited)],
    }


def compare_document(loaded: Loaded, comparison: Comparison) -> Document:
    profiles = comparison.profiles
    headers = ("Feature", *(p.name for p in profiles))
    rows = [(label, *(p.features[key] for p in profiles)) for key, label in FEATURES]
    return Document([Grid(headers, rows, row_headers=True)], intro=comparison.notes, footer=footer(loaded))


def compare_json(loaded: Loaded, comparison: Comparison) -> dict[str, Any]:
    return {
        **meta(loaded),
        "notes": comparison.notes,
        "features": [{"id": key, "label": label} for key, label in FEATURES],
        "columns": [
            {"id": p.id, "kind": p.kind, "name": p.name, "family": p.family.id, "features": p.features}
            for p in comparison.profiles
        ],
    }


def _limit_text(kb: KnowledgeBase, agent: Agent) -> str:
    limit = agent.duration.limit
    if limit is None:
        return "none fixed"
    shared = [a.name for a in kb.agents if a.duration.limit and a.duration.limit.group == limit.group]
    together = f", counted together for {' and '.join(shared)}" if len(shared) > 1 else ""
    return f"{limit.amount} {limit.unit}{together}"


def _follow_text(kb: KnowledgeBase, agent: Agent) -> str:
    stopping = agent.stopping
    if not stopping.must_be_followed:
        return "no"
    names = " or ".join(kb.family(f).name for f in stopping.followed_by)
    return f"yes, by a medicine that slows bone breakdown ({names})"


def _stopping_rows(kb: KnowledgeBase, agent: Agent) -> list[tuple[str, Cell]]:
    stopping = agent.stopping
    confidence = " (medium confidence)" if stopping.confidence == "medium" else ""
    return [
        ("Drug holiday", "possible" if stopping.holiday else "no"),
        ("Must be followed", _follow_text(kb, agent)),
        ("When stopping", stopping.summary + confidence),
    ]


def stopping_document(loaded: Loaded, found: Resolved, note: str | None) -> Document:
    kb, entry = loaded.kb, found.entry
    agents = [entry] if isinstance(entry, Agent) else kb.members(entry.id)
    grids = []
    for agent in agents:
        stopping = agent.stopping
        rows: list[tuple[str, Cell]] = [
            *_stopping_rows(kb, agent),
            ("Duration limit", _limit_text(kb, agent)),
            ("How long", agent.duration.summary),
            ("Sources", ", ".join(dict.fromkeys([*stopping.sources, *agent.duration.sources]))),
        ]
        grids.append(facts(agent.name, rows))
    cited = (s for a in agents for s in (*a.stopping.sources, *a.duration.sources))
    return Document(
        [*grids, sources_grid(kb, cited)],
        title=f"Stopping {entry.name}",
        intro=[note] if note else [],
        footer=footer(loaded),
    )


def stopping_json(loaded: Loaded, typed: str, found: Resolved) -> dict[str, Any]:
    kb, entry = loaded.kb, found.entry
    agents = [entry] if isinstance(entry, Agent) else kb.members(entry.id)
    return {
        **meta(loaded),
        "query": typed,
        "agents": [
            {
                "id": a.id,
                "name": a.name,
                "stopping": dataclasses.asdict(a.stopping),
                "duration": dataclasses.asdict(a.duration),
            }
            for a in agents
        ],
        "sources": [
            dataclasses.asdict(kb.source(s))
            for s in dict.fromkeys(s for a in agents for s in (*a.stopping.sources, *a.duration.sources))
        ],
    }
