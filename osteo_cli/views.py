"""Query results -> what each command shows: a Document for people, a dict for JSON.

Pure and Rich-free. The JSON shapes built here are documented in the README and kept
stable: fields are added, never renamed or removed, within one major version.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from osteo_cli.catalog import CATEGORY_LABELS, FEATURES, FaqHit, Profile
from osteo_cli.document import Cell, Document, Grid
from osteo_cli.knowledge import Loaded
from osteo_cli.models import Agent, Brand, Family, KnowledgeBase
from osteo_cli.names import Resolved
from osteo_cli.problems import Problem

DISCLAIMER = "Reference only, not medical advice."


def footer(loaded: Loaded) -> str:
    kb = loaded.kb
    if loaded.custom:
        return (
            f"{DISCLAIMER} Custom knowledge base {loaded.path} (version {kb.kb_version}), "
            "not the shipped, reviewed one."
        )
    return f"{DISCLAIMER} Knowledge base {kb.kb_version}, reviewed {kb.last_reviewed}."


def _meta(loaded: Loaded) -> dict[str, Any]:
    return {"kb_version": loaded.kb.kb_version, "custom_data": loaded.custom}


def _brands(brands: Iterable[Brand]) -> str:
    return ", ".join(f"{b.name} (biosimilar)" if b.kind == "biosimilar" else b.name for b in brands)


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _lines(items: list[str]) -> Cell:
    """Several items for one cell: a bulleted list when there is more than one."""
    return items[0] if len(items) == 1 else tuple(items)


# --- drugs list -------------------------------------------------------------------


def agent_list(loaded: Loaded, agents: list[Agent]) -> Document:
    kb = loaded.kb
    rows = [
        (
            a.name,
            _brands(a.brands),
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
        **_meta(loaded),
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


# --- drugs show -------------------------------------------------------------------


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


def _cited(kb: KnowledgeBase, ids: Iterable[str]) -> Grid:
    unique = list(dict.fromkeys(ids))
    rows = []
    for source_id in unique:
        s = kb.source(source_id)
        detail = [s.title, *(x for x in (s.url, f"revised {s.revised}" if s.revised else None) if x)]
        rows.append((source_id, s.kind, "\n".join(detail)))
    return Grid(("Source", "Kind", "Title and address"), rows, title="Sources")


def agent_groups(agent: Agent) -> dict[str, list[str]]:
    """Each fact group of an agent with the sources it cites."""
    return {
        "names and products": agent.sources,
        "dosing": agent.dosing.sources,
        "duration": agent.duration.sources,
        "stopping": agent.stopping.sources,
        "safety": agent.safety.sources,
    }


def show_agent(loaded: Loaded, agent: Agent, note: str | None) -> Document:
    kb = loaded.kb
    family = kb.family(agent.family)
    limit = agent.duration.limit
    shared = [a.name for a in kb.agents if a.duration.limit and limit and a.duration.limit.group == limit.group]
    limit_text = "none fixed"
    if limit:
        limit_text = f"{limit.amount} {limit.unit}"
        if len(shared) > 1:
            limit_text += f", counted together for {', '.join(shared)}"
    followers = ", ".join(kb.family(f).name for f in agent.stopping.followed_by) or "-"
    overview: list[tuple[str, Cell]] = [
        ("Family", f"{family.name} ({family.category})"),
        ("Mechanism", family.mechanism),
        (
            "Brands",
            _lines(
                [
                    f"{b.name}{' (biosimilar)' if b.kind == 'biosimilar' else ''}"
                    f"{': ' + b.note if b.note else ''}{' (medium confidence)' if b.confidence == 'medium' else ''}"
                    for b in agent.brands
                ]
            )
            if agent.brands
            else "-",
        ),
    ]
    if agent.related_products:
        overview.append(("Same molecule", _lines([f"{p.name}, for {p.use}: {p.note}" for p in agent.related_products])))
    if agent.notes:
        overview.append(("Notes", _lines(agent.notes)))
    grids = [
        Grid(("", ""), overview, title="Overview", row_headers=True),
        Grid(
            ("", ""),
            [
                ("Route", agent.dosing.route),
                ("Dose", agent.dosing.dose),
                *((("How", _lines(agent.dosing.how)),) if agent.dosing.how else ()),
                ("Sources", ", ".join(agent.dosing.sources)),
            ],
            title="Dosing",
            row_headers=True,
        ),
        Grid(
            ("", ""),
            [
                ("Duration", agent.duration.summary),
                ("Limit", limit_text),
                ("Sources", ", ".join(agent.duration.sources)),
            ],
            title="How long",
            row_headers=True,
        ),
        Grid(
            ("", ""),
            [
                ("Drug holiday", _yes_no(agent.stopping.holiday)),
                ("Must be followed", _yes_no(agent.stopping.must_be_followed)),
                ("Followed by", followers),
                ("When stopping", agent.stopping.summary),
                ("Sources", ", ".join(agent.stopping.sources)),
            ],
            title="Stopping",
            row_headers=True,
        ),
        Grid(
            ("", ""),
            [
                *((("Boxed warning", agent.safety.boxed_warning),) if agent.safety.boxed_warning else ()),
                *((("Warnings", _lines(agent.safety.warnings)),) if agent.safety.warnings else ()),
                ("Sources", ", ".join(agent.safety.sources)),
            ],
            title="Safety",
            row_headers=True,
        ),
        _cited(kb, (s for ids in agent_groups(agent).values() for s in ids)),
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
        [(a.name, _brands(a.brands), a.dosing.route, a.dosing.dose) for a in members],
        title="Drugs in this family",
    )
    return Document(
        [features, agents, _cited(kb, family.sources)],
        title=f"{family.name}: {CATEGORY_LABELS[family.category]}",
        intro=[note] if note else [],
        notes=[f"Last reviewed {family.last_reviewed}."],
        footer=footer(loaded),
    )


def show_sources(loaded: Loaded, found: Resolved) -> Document:
    """`drugs show NAME --sources`: which sources back each group of facts."""
    kb, entry = loaded.kb, found.entry
    groups = agent_groups(entry) if isinstance(entry, Agent) else {"features": entry.sources}
    rows = [(group, ", ".join(ids)) for group, ids in groups.items()]
    grid = Grid(("Facts", "Sources"), rows, title="Sources by fact group", row_headers=True)
    return Document(
        [grid, _cited(kb, (s for ids in groups.values() for s in ids))],
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
        **_meta(loaded),
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


# --- drugs compare ----------------------------------------------------------------


def compare_document(loaded: Loaded, profiles: list[Profile]) -> Document:
    headers = ("Feature", *(p.name for p in profiles))
    rows = [(label, *(p.features[key] for p in profiles)) for key, label in FEATURES]
    return Document([Grid(headers, rows, row_headers=True)], footer=footer(loaded))


def compare_json(loaded: Loaded, profiles: list[Profile]) -> dict[str, Any]:
    return {
        **_meta(loaded),
        "features": [{"id": key, "label": label} for key, label in FEATURES],
        "columns": [
            {"id": p.id, "kind": p.kind, "name": p.name, "family": p.family.id, "features": p.features}
            for p in profiles
        ],
    }


# --- faq --------------------------------------------------------------------------


def faq_document(loaded: Loaded, hits: list[FaqHit]) -> Document:
    rows = [(str(h.number), h.entry.question, h.entry.answer) for h in hits]
    return Document([Grid(("#", "Question", "Answer"), rows)], footer=footer(loaded))


def faq_json(loaded: Loaded, hits: list[FaqHit]) -> dict[str, Any]:
    return {**_meta(loaded), "faq": [{"number": h.number, **dataclasses.asdict(h.entry)} for h in hits]}


# --- kb validate ------------------------------------------------------------------


def _count(problems: list[Problem], severity: str) -> str:
    n = sum(p.severity == severity for p in problems)
    return f"{n} {severity}{'' if n == 1 else 's'}"


def validation_document(label: str, problems: list[Problem]) -> Document:
    summary = f"{label}: {_count(problems, 'error')}, {_count(problems, 'warning')}"
    if not problems:
        return Document([], title=f"{label}: valid, no problems")
    rows = [(p.severity, str(p.line or ""), p.field, p.message) for p in problems]
    return Document([Grid(("Severity", "Line", "Field", "Problem"), rows)], title=summary)


def validation_json(label: str, problems: list[Problem]) -> dict[str, Any]:
    return {
        "file": label,
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "problems": [
            {"severity": p.severity, "line": p.line, "field": p.field, "message": p.message} for p in problems
        ],
    }
