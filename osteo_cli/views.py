"""Query results -> what each command shows: a Document for people, a dict for JSON.

Pure and Rich-free. The JSON shapes built here are documented in the README and kept
stable: fields are added, never renamed or removed, within one major version.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from osteo_cli.catalog import CATEGORY_LABELS, FEATURES, Comparison, FaqHit
from osteo_cli.density import Classification
from osteo_cli.document import Cell, Document, Grid
from osteo_cli.figures import gauge, timeline
from osteo_cli.knowledge import Loaded
from osteo_cli.models import Advice, Agent, Brand, Family, KnowledgeBase, Topic
from osteo_cli.names import Resolved
from osteo_cli.plans import Plan, Step, number
from osteo_cli.problems import Problem
from osteo_cli.search import Hit

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


def compare_document(loaded: Loaded, comparison: Comparison) -> Document:
    profiles = comparison.profiles
    headers = ("Feature", *(p.name for p in profiles))
    rows = [(label, *(p.features[key] for p in profiles)) for key, label in FEATURES]
    return Document([Grid(headers, rows, row_headers=True)], intro=comparison.notes, footer=footer(loaded))


def compare_json(loaded: Loaded, comparison: Comparison) -> dict[str, Any]:
    return {
        **_meta(loaded),
        "notes": comparison.notes,
        "features": [{"id": key, "label": label} for key, label in FEATURES],
        "columns": [
            {"id": p.id, "kind": p.kind, "name": p.name, "family": p.family.id, "features": p.features}
            for p in comparison.profiles
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


# --- drugs stopping ---------------------------------------------------------------


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


def stopping_document(loaded: Loaded, found: Resolved, note: str | None) -> Document:
    kb, entry = loaded.kb, found.entry
    agents = [entry] if isinstance(entry, Agent) else kb.members(entry.id)
    grids = []
    for agent in agents:
        stopping = agent.stopping
        confidence = " (medium confidence)" if stopping.confidence == "medium" else ""
        rows: list[tuple[str, Cell]] = [
            ("Drug holiday", "possible" if stopping.holiday else "no"),
            ("Must be followed", _follow_text(kb, agent)),
            ("When stopping", stopping.summary + confidence),
            ("Duration limit", _limit_text(kb, agent)),
            ("How long", agent.duration.summary),
            ("Sources", ", ".join(dict.fromkeys([*stopping.sources, *agent.duration.sources]))),
        ]
        grids.append(Grid(("", ""), rows, title=agent.name, row_headers=True))
    cited = (s for a in agents for s in (*a.stopping.sources, *a.duration.sources))
    return Document(
        [*grids, _cited(kb, cited)], title=f"Stopping {entry.name}", intro=[note] if note else [], footer=footer(loaded)
    )


def stopping_json(loaded: Loaded, typed: str, found: Resolved) -> dict[str, Any]:
    kb, entry = loaded.kb, found.entry
    agents = [entry] if isinstance(entry, Agent) else kb.members(entry.id)
    return {
        **_meta(loaded),
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


# --- sequence ---------------------------------------------------------------------


def _duration_text(step: Step) -> str:
    months = f"{number(step.months)} months"
    if step.doses is not None and step.agent.dosing.interval and step.agent.dosing.interval.unit in ("month", "year"):
        return f"{months} ({number(step.doses)} doses)"
    return months


def sequence_document(loaded: Loaded, plan: Plan) -> Document:
    kb = loaded.kb
    steps = Grid(
        ("#", "Drug", "Family", "Category", "From", "For"),
        [
            (str(i), s.agent.name, s.family.name, s.family.category, f"month {number(s.start)}", _duration_text(s))
            for i, s in enumerate(plan.steps, start=1)
        ],
    )
    grids = [steps]
    if plan.findings:
        grids.append(
            Grid(
                ("Step", "Problem", "Sources"),
                [(str(f.step + 1), f.message, ", ".join(f.sources)) for f in plan.findings],
                title="Problems",
            )
        )
        grids.append(_cited(kb, (s for f in plan.findings for s in f.sources)))
    count = len(plan.findings)
    verdict = (
        f"{count} problem{'s' if count != 1 else ''} found in this plan."
        if count
        else "No problem found: no limit is passed, and every drug that must be followed is."
    )
    ending = " Then stop." if plan.stopped else ""
    courses = f"{len(plan.steps)} course{'s' if len(plan.steps) != 1 else ''}"
    title = f"Plan: {number(plan.months)} months, {courses}.{ending}"
    return Document(grids, title=title, figure=timeline(plan), notes=[verdict], footer=footer(loaded))


def sequence_json(loaded: Loaded, plan: Plan) -> dict[str, Any]:
    return {
        **_meta(loaded),
        "ok": not plan.findings,
        "months": float(plan.months),
        "stopped": plan.stopped,
        "steps": [
            {
                "typed": s.typed,
                "agent": s.agent.id,
                "name": s.agent.name,
                "family": s.family.id,
                "category": s.family.category,
                "start_month": float(s.start),
                "months": float(s.months),
                "doses": None if s.doses is None else round(float(s.doses), 1),
            }
            for s in plan.steps
        ],
        "problems": [
            {"rule": f.rule, "step": f.step + 1, "message": f.message, "sources": f.sources} for f in plan.findings
        ],
    }


# --- tscore -----------------------------------------------------------------------


def tscore_document(loaded: Loaded, result: Classification) -> Document:
    density = loaded.kb.bone_density
    value = format(result.value, "f")
    rows: list[tuple[str, Cell]] = [
        ("Category", result.category.name),
        ("Means", result.category.meaning),
        (
            "Boundaries",
            (
                f"{density.normal_at_or_above:.1f} or higher: {density.normal.name.lower()}",
                f"below {density.normal_at_or_above:.1f} and above {density.osteoporosis_at_or_below:.1f}: "
                f"{density.low_bone_mass.name.lower()}",
                f"{density.osteoporosis_at_or_below:.1f} or lower: {density.osteoporosis.name.lower()}",
                f"{density.osteoporosis_at_or_below:.1f} or lower with a fragility fracture: "
                f"{density.severe_osteoporosis.name.lower()}",
            ),
        ),
    ]
    if result.fracture and not result.fracture_counted:
        rows.append(
            (
                "Fracture",
                "The WHO categories count a fragility fracture only with a T-score of "
                f"{density.osteoporosis_at_or_below:.1f} or lower; see the caveats below on fracture risk.",
            )
        )
    rows += [("Caveats", tuple(density.caveats)), ("Sources", ", ".join(density.sources))]
    grid = Grid(("", ""), rows, row_headers=True)
    figure = gauge(
        result.value, Decimal(str(density.osteoporosis_at_or_below)), Decimal(str(density.normal_at_or_above))
    )
    fracture = " with a fragility fracture" if result.fracture else ""
    return Document(
        [grid, _cited(loaded.kb, density.sources)],
        title=f"T-score {value}{fracture}: {result.category.name}",
        figure=figure,
        footer=footer(loaded),
    )


def tscore_json(loaded: Loaded, result: Classification) -> dict[str, Any]:
    density = loaded.kb.bone_density
    return {
        **_meta(loaded),
        "tscore": float(result.value),
        "fracture": result.fracture,
        "category": {"id": result.key, "name": result.category.name, "meaning": result.category.meaning},
        "boundaries": {
            "normal_at_or_above": density.normal_at_or_above,
            "osteoporosis_at_or_below": density.osteoporosis_at_or_below,
        },
        "caveats": density.caveats,
        "sources": density.sources,
    }


# --- lifestyle and learn ------------------------------------------------------------

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
            grids.append(Grid(("", ""), rows, title=title, row_headers=True))
    cited = [s for a in advice for s in a.sources]
    return Document(
        grids,
        title="What you can do besides medicine",
        notes=[f"Sources: {', '.join(dict.fromkeys(cited))}."],
        footer=footer(loaded),
    )


def lifestyle_json(loaded: Loaded, advice: list[Advice]) -> dict[str, Any]:
    return {**_meta(loaded), "lifestyle": [dataclasses.asdict(a) for a in advice]}


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
        [Grid(("", ""), rows, row_headers=True), _cited(loaded.kb, topic.sources)],
        title=topic.title,
        footer=footer(loaded),
    )


def topics_json(loaded: Loaded, topics: list[Topic]) -> dict[str, Any]:
    return {**_meta(loaded), "topics": [dataclasses.asdict(t) for t in topics]}


# --- search -------------------------------------------------------------------------


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
        **_meta(loaded),
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
