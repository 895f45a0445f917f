"""Views of `osteo drugs ...`: list, show, compare, stopping."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, assert_never

from osteo_cli.knowledge.models import SITES, Agent
from osteo_cli.queries import evidence
from osteo_cli.queries.drugs import CATEGORY_LABELS, FEATURES, Comparison
from osteo_cli.queries.relations import followers, members_of, name_link, sharing_limit
from osteo_cli.render.document import Cell, Document, Grid, View
from osteo_cli.views.common import brands, facts, follow_on, footer, lines, meta, ref, sources_grid, with_sources
from osteo_cli.views.sections import SECTIONS, Section

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.knowledge.models import Approval, Brand, Family, KnowledgeBase, Practice
    from osteo_cli.queries.drugs import Listed
    from osteo_cli.queries.names import Resolved


def agent_list(loaded: Loaded, agents: Sequence[Listed]) -> Document:
    rows = [(a.name, brands(a.brands), a.family_name, a.category, f"{a.route}, {a.schedule}") for a in agents]
    grid = Grid(("Drug", "Brands", "Family", "Category", "Route and schedule"), rows)
    return Document([grid], footer=footer(loaded))


def agent_list_json(loaded: Loaded, agents: Sequence[Listed]) -> dict[str, Any]:
    return {
        **meta(loaded),
        "agents": [
            {
                "id": a.id,
                "name": a.name,
                "brands": [dataclasses.asdict(b) for b in a.brands],
                "family": {"id": a.family, "name": a.family_name},
                "category": a.category,
                "route": a.route,
                "schedule": a.schedule,
            }
            for a in agents
        ],
    }


def match_note(found: Resolved) -> str | None:
    """Say how a brand or related product led to the entry shown (None for its own name)."""
    return name_link(found)


def agent_groups(agent: Agent) -> dict[str, list[str]]:
    """Each fact group of an agent with the sources it cites."""
    groups = {
        "names and products": agent.sources,
        "dosing": agent.dosing.sources,
        "missed dose": [s for m in agent.missed_doses for s in m.sources],
        "contraindications": [s for r in agent.contraindications for s in r.sources],
        "interactions": [s for i in agent.interactions for s in i.sources],
        "kidney": _kidney_sources(agent),
        "safety": [*agent.safety.sources, *(s for c in agent.safety.changes for s in c.sources)],
        "side effects": agent.side_effects.sources if agent.side_effects else [],
        "monitoring": [s for m in agent.monitoring for s in m.sources],
        "pregnancy": agent.pregnancy.sources if agent.pregnancy else [],
        "approvals": [s for a in agent.approvals for s in a.sources],
        "duration": agent.duration.sources,
        "stopping": agent.stopping.sources,
        "practical": [s for p in agent.practical for s in p.sources],
    }
    return {group: list(dict.fromkeys(ids)) for group, ids in groups.items() if ids}


def _kidney_sources(agent: Agent) -> list[str]:
    if agent.kidney is None:
        return []
    return [*agent.kidney.sources, *(s for t in agent.kidney.thresholds for s in t.sources)]


INTERCHANGEABLE = {
    "yes": "interchangeable",
    "provisional": "interchangeability provisional at approval",
    "not-confirmed": "interchangeability not confirmed",
    "no": "not interchangeable",
}


def brand_facts(brand: Brand) -> list[str]:
    """What kind of product a brand is: biosimilar of what, whose, where and when approved."""
    parts = []
    if brand.kind == "biosimilar":
        parts.append(f"biosimilar to {brand.reference}" if brand.reference else "biosimilar")
    elif brand.reference:
        parts.append(f"follow-on to {brand.reference}")
    if brand.maker:
        parts.append(brand.maker)
    if brand.approved:
        where = f"{brand.jurisdiction} " if brand.jurisdiction else ""
        parts.append(f"{where}approval {brand.approved}")
    elif brand.jurisdiction:
        parts.append(brand.jurisdiction)
    if brand.interchangeable:
        since = f" since {brand.interchangeable_since}" if brand.interchangeable_since else ""
        parts.append(INTERCHANGEABLE[brand.interchangeable] + since)
    if brand.pair:
        parts.append(f"cancer-use twin: {brand.pair}")
    return parts


def _brand_line(brand: Brand) -> str:
    facts = brand_facts(brand)
    kind = f" ({'; '.join(facts)})" if facts else ""
    note = f": {brand.note}" if brand.note else ""
    confidence = " (medium confidence)" if brand.confidence == "medium" else ""
    return f"{brand.name}{kind}{note}{confidence}"


def _qualified(
    text: str,
    *,
    action: str | None = None,
    applies_to: str | None = None,
    jurisdiction: str = "US",
    confidence: str = "high",
) -> str:
    """One fact with what qualifies it: the form it is about, what to do, whose label, how sure."""
    lead = f"{jurisdiction} label only: " if jurisdiction == "EU" else ""
    parts = [lead + (f"{applies_to[0].upper()}{applies_to[1:]}: {text}" if applies_to else text)]
    if action:
        parts.append(f"What to do: {action}")
    if jurisdiction not in ("US", "EU"):
        parts.append(f"({jurisdiction} labels)")
    if confidence == "medium":
        parts.append("(medium confidence)")
    return " ".join(parts)


LEVEL_LABELS = {
    "contraindicated": "Do not use",
    "not-recommended": "Not recommended",
    "caution": "Use with care",
    "not-approved": "Not approved",
}
INTERACTION_LABELS = {
    "avoid": "avoid",
    "separate": "separate the doses",
    "monitor": "monitor",
    "caution": "use with care",
    "no-effect": "no effect found",
}
WHEN_LABELS = {"before": "Before starting", "each-dose": "Before each dose", "during": "During treatment"}
POPULATION_LABELS = {
    "postmenopausal-treatment": "Treatment, women past menopause",
    "postmenopausal-prevention": "Prevention, women past menopause",
    "men": "Men",
    "glucocorticoid-treatment": "Treatment, steroid-induced osteoporosis",
    "glucocorticoid-prevention": "Prevention, steroid-induced osteoporosis",
    "cancer-bone-loss": "Bone loss from cancer treatment",
    "breast-cancer-risk-reduction": "Lowering breast-cancer risk",
    "paget": "Paget's disease of bone",
}
MEASURE_LABELS = {"crcl": ("creatinine clearance", "mL/min"), "egfr": ("eGFR", "mL/min/1.73 m2")}


def _sources_row(ids: list[str]) -> tuple[str, Cell]:
    return ("Sources", ", ".join(dict.fromkeys(ids)))


def _overview(kb: KnowledgeBase, agent: Agent) -> Grid:
    family = kb.family(agent.family)
    rows: list[tuple[str, Cell]] = [
        ("Family", f"{family.name} ({family.category})"),
        ("Mechanism", family.mechanism),
        ("Brands", lines([_brand_line(b) for b in agent.brands]) if agent.brands else "-"),
    ]
    if agent.related_products:
        rows.append(("Same molecule", lines([f"{p.name}, for {p.use}: {p.note}" for p in agent.related_products])))
    if agent.notes:
        rows.append(("Notes", lines(agent.notes)))
    return facts("Overview", [*rows, _sources_row(agent.sources)])


def _dosing(agent: Agent) -> Grid:
    rows: list[tuple[str, Cell]] = [("Route", agent.dosing.route), ("Dose", agent.dosing.dose)]
    if agent.dosing.how:
        rows.append(("How", lines(agent.dosing.how)))
    return facts("How to take it", [*rows, _sources_row(agent.dosing.sources)])


def _missed(agent: Agent) -> Grid:
    rows: list[tuple[str, Cell]] = [
        (m.name, _qualified(m.text, confidence=m.confidence)) for m in agent.missed_doses
    ] or [("Missed dose", "osteo holds no missed-dose rule for this medicine.")]
    return facts("After a missed dose", [*rows, _sources_row([s for m in agent.missed_doses for s in m.sources])])


def _contraindications(kb: KnowledgeBase, agent: Agent) -> Grid:
    rows: list[tuple[str, Cell]] = []
    for level, label in LEVEL_LABELS.items():
        items = [
            _qualified(
                r.text,
                action=r.action,
                applies_to=r.applies_to,
                jurisdiction=r.jurisdiction,
                confidence=r.confidence,
            )
            for r in agent.contraindications
            if r.level == level
        ]
        if items:
            rows.append((label, lines(items)))
    if not rows:
        rows.append(("Conditions", "osteo holds no label contraindication for this medicine."))
    cited = [s for r in agent.contraindications for s in r.sources]
    return facts("Who should not take it, or take care", [*rows, _sources_row(cited)])


def _interactions(kb: KnowledgeBase, agent: Agent) -> Grid:
    names = {x.id: x.name for x in kb.substances}
    rows: list[tuple[str, Cell]] = [
        (
            names.get(i.substance, i.substance),
            _qualified(
                f"{i.effect} ({INTERACTION_LABELS[i.level]})",
                action=i.action,
                applies_to=i.applies_to,
                jurisdiction=i.jurisdiction,
                confidence=i.confidence,
            ),
        )
        for i in agent.interactions
    ] or [("Interactions", "osteo holds no interaction for this medicine; that does not mean there are none.")]
    return facts(
        "Other medicines, food and supplements",
        [*rows, _sources_row([s for i in agent.interactions for s in i.sources])],
    )


def _kidney(agent: Agent) -> Grid:
    kidney = agent.kidney
    if kidney is None:
        return facts("Kidney function", [("Kidney", "osteo holds no kidney-function facts for this medicine.")])
    rows: list[tuple[str, Cell]] = [("Summary", kidney.summary)]
    for t in kidney.thresholds:
        measure, unit = MEASURE_LABELS[t.measure]
        label = f"{measure} below {t.below} {unit} ({LEVEL_LABELS[t.level].lower()})"
        text = _qualified(
            t.text,
            action=t.action,
            applies_to=t.applies_to,
            jurisdiction=t.jurisdiction,
            confidence=t.confidence,
        )
        rows.append((label if label.startswith("eGFR") else label[0].upper() + label[1:], text))
    return facts("Kidney function", [*rows, _sources_row(_kidney_sources(agent))])


def _safety(agent: Agent) -> Grid:
    safety = agent.safety
    rows: list[tuple[str, Cell]] = []
    if safety.boxed_warning:
        as_of = f" (as in the label of {safety.boxed_warning_as_of})" if safety.boxed_warning_as_of else ""
        rows.append(("Boxed warning", safety.boxed_warning + as_of))
    if safety.warnings:
        rows.append(("Warnings", lines(safety.warnings)))
    if safety.changes:
        changes = [
            _qualified(f"{c.date}: {c.text}", jurisdiction=c.jurisdiction, confidence=c.confidence)
            for c in sorted(safety.changes, key=lambda c: c.date, reverse=True)
        ]
        rows.append(("Label changes", lines(changes)))
    cited = [*safety.sources, *(s for c in safety.changes for s in c.sources)]
    return facts("Safety", [*rows, _sources_row(cited)])


def _side_effects(agent: Agent) -> list[Grid]:
    effects = agent.side_effects
    if effects is None:
        return [facts("Side effects", [("Side effects", "osteo holds no side-effect facts for this medicine.")])]
    medium = " (medium confidence)" if effects.confidence == "medium" else ""
    rows: list[tuple[str, Cell]] = []
    if effects.summary:
        rows.append(("Most common", effects.summary + medium))
    if effects.serious:
        rows.append(("Serious", lines(effects.serious)))
    if effects.frequencies and effects.trial:
        rows.append(("In the trials", effects.trial))
    grids = [facts("Side effects", [*rows, _sources_row(effects.sources)])]
    if effects.frequencies:
        table = [
            (
                f.effect + (" (medium confidence)" if f.confidence == "medium" else ""),
                f"{f.drug:.1f}%",
                f"{f.comparator:.1f}%",
            )
            for f in effects.frequencies
        ]
        title = "How often, in the label's trials (share of people, not a risk for one person)"
        grids.append(Grid(("Side effect", "On the medicine", "On the comparator"), table, title=title))
    return grids


def _monitoring(agent: Agent) -> Grid:
    rows: list[tuple[str, Cell]] = []
    for when, label in WHEN_LABELS.items():
        items = [
            _qualified(m.text, jurisdiction=m.jurisdiction, confidence=m.confidence)
            for m in agent.monitoring
            if m.when == when
        ]
        if items:
            rows.append((label, lines(items)))
    if not rows:
        rows.append(("Checks", "osteo holds no checks for this medicine."))
    return facts(
        "Checks before and during treatment", [*rows, _sources_row([s for m in agent.monitoring for s in m.sources])]
    )


def _pregnancy(agent: Agent) -> Grid:
    p = agent.pregnancy
    if p is None:
        return facts("Pregnancy and breastfeeding", [("Pregnancy", "osteo holds no facts on this for this medicine.")])
    medium = " (medium confidence)" if p.confidence == "medium" else ""
    rows: list[tuple[str, Cell]] = [("Pregnancy", p.pregnancy + medium), ("Breastfeeding", p.breastfeeding + medium)]
    return facts("Pregnancy and breastfeeding", [*rows, _sources_row(p.sources)])


def approval_text(a: Approval) -> str:
    status = "approved" if a.approved else "not approved"
    since = f" since {a.since}" if a.approved and a.since else ""
    note = f". {a.note}" if a.note else ""
    return _qualified(
        f"{status}{since}{note}", applies_to=a.applies_to, jurisdiction=a.jurisdiction, confidence=a.confidence
    )


PRACTICE_LABELS = {
    "onset": "When it starts to work",
    "offset": "After stopping",
    "side-effect": "Side effect: what to do",
    "fracture-signs": "Warning signs",
    "dental": "Dental work",
    "upper-gi": "Stomach and gullet",
    "tests": "Tests",
    "course": "Course",
    "liver": "Liver",
    "stopping": "Stopping",
    "after-fracture": "After a fracture",
    "men": "Men",
    "steroids": "Steroid medicines",
}
EVIDENCE_WORDS = {
    "label": "label",
    "trial": "trial",
    "observational": "observational study: an association, not proof of cause",
    "expert": "expert opinion or guideline",
    "patient-info": "patient information",
    "regulator": "regulator",
}


def practices(kb: KnowledgeBase, agent: Agent) -> list[Practice]:
    """The agent's practical facts: its family's shared ones first, then its own, in topic order."""
    order = list(PRACTICE_LABELS)
    items = [*kb.family(agent.family).practical, *agent.practical]
    return sorted(items, key=lambda p: order.index(p.topic))  # stable: file order within a topic


def practice_text(p: Practice) -> str:
    lead = f"{p.jurisdiction}: " if p.jurisdiction and not p.text.startswith(p.jurisdiction) else ""
    parts = [lead + p.text]
    if p.action:
        parts.append(f"What to do: {p.action}")
    sure = "; medium confidence" if p.confidence == "medium" else ""
    parts.append(f"({EVIDENCE_WORDS[p.evidence]}; {', '.join(p.sources)}{sure})")
    return " ".join(parts)


def _practical(kb: KnowledgeBase, agent: Agent) -> Grid:
    rows: list[tuple[str, Cell]] = []
    for p in practices(kb, agent):
        label = PRACTICE_LABELS[p.topic]
        rows.append((p.about or label, practice_text(p)))
    if not rows:
        rows.append(("-", "osteo holds no practical facts on this medicine yet."))
    return facts("In practice", rows)


def _approvals(agent: Agent) -> Grid:
    rows: list[tuple[str, Cell]] = [(POPULATION_LABELS[a.population], approval_text(a)) for a in agent.approvals] or [
        ("Approved for", "osteo holds no approval facts for this medicine.")
    ]
    return facts("Who it is approved for", [*rows, _sources_row([s for a in agent.approvals for s in a.sources])])


def _evidence(kb: KnowledgeBase, agent: Agent) -> Grid:
    trials = evidence.for_agent(kb, agent.id)
    if not trials:
        return facts("How well it works", [("Trials", "osteo holds no pivotal trial for this medicine.")])
    summary = evidence.site_summary(kb, agent.id)
    rows: list[tuple[str, Cell]] = [(evidence.SITE_NAMES[site], summary[site]) for site in SITES]
    rows.append(("What this means", evidence.MEANING + " * medium confidence. More: osteo evidence " + agent.id))
    return facts("How well it works", [*rows, _sources_row([s for t in trials for s in t.sources])])


def _duration(kb: KnowledgeBase, agent: Agent) -> Grid:
    return facts(
        "How long",
        [("Duration", agent.duration.summary), ("Limit", _limit_text(kb, agent)), _sources_row(agent.duration.sources)],
    )


def agent_section_grids(kb: KnowledgeBase, agent: Agent, section: Section) -> list[Grid]:
    """The grids of one monograph section of an agent."""
    match section:
        case Section.overview:
            return [_overview(kb, agent)]
        case Section.dosing:
            return [_dosing(agent)]
        case Section.practical:
            return [_practical(kb, agent)]
        case Section.missed_dose:
            return [_missed(agent)]
        case Section.contraindications:
            return [_contraindications(kb, agent)]
        case Section.interactions:
            return [_interactions(kb, agent)]
        case Section.kidney:
            return [_kidney(agent)]
        case Section.safety:
            return [_safety(agent)]
        case Section.side_effects:
            return _side_effects(agent)
        case Section.monitoring:
            return [_monitoring(agent)]
        case Section.pregnancy:
            return [_pregnancy(agent)]
        case Section.approvals:
            return [_approvals(agent)]
        case Section.evidence:
            return [_evidence(kb, agent)]
        case Section.duration:
            return [_duration(kb, agent)]
        case Section.stopping:
            return [facts("Stopping", [*_stopping_rows(kb, agent), _sources_row(agent.stopping.sources)])]
        case Section.sources:
            return [sources_grid(kb, (s for ids in agent_groups(agent).values() for s in ids))]
    assert_never(section)


def show_agent(loaded: Loaded, agent: Agent, note: str | None, sections: Sequence[Section] = SECTIONS) -> Document:
    kb = loaded.kb
    family = kb.family(agent.family)
    wanted = [s for s in SECTIONS if s in sections]  # always in the monograph's order
    grids = [g for section in wanted for g in agent_section_grids(kb, agent, section)]
    return Document(
        grids,
        title=f"{agent.name}: {CATEGORY_LABELS[family.category]}",
        intro=[note] if note else [],
        notes=[f"Last reviewed {agent.last_reviewed}."],
        footer=footer(loaded),
    )


def _first_sentence(text: str) -> str:
    """A text's headline: up to its first full stop followed by a space (or all of it)."""
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _best_result(kb: KnowledgeBase, agent: Agent) -> str | None:
    """The largest fracture reduction any of the agent's pivotal trials showed, in one line."""
    best: tuple[float, str] | None = None
    for trial in evidence.for_agent(kb, agent.id):
        for site in SITES:
            result = getattr(trial.results, site)
            if result.measured and result.shown and result.percent is not None:
                star = " (medium confidence)" if result.confidence == "medium" else ""
                text = (
                    f"{evidence.percent_text(result.percent)} {evidence.SITE_SHORT[site]} fractures{star} "
                    f"({trial.name}, {evidence.against(trial)})"
                )
                if best is None or result.percent > best[0]:
                    best = (result.percent, text)
    return best[1] if best else None


def _kidney_line(agent: Agent) -> str:
    kidney = agent.kidney
    if kidney is None:
        return "osteo holds no kidney-function facts for this medicine."
    if not kidney.thresholds:
        return _first_sentence(kidney.summary)
    limits = []
    for t in kidney.thresholds:
        measure, unit = MEASURE_LABELS[t.measure]
        limits.append(f"{measure} below {t.below} {unit}: {LEVEL_LABELS[t.level].lower()}")
    return "; ".join(dict.fromkeys(limits))


def _stop_line(kb: KnowledgeBase, agent: Agent) -> str:
    stopping = agent.stopping
    holiday = "a drug holiday is possible" if stopping.holiday else "no drug holiday"
    if not stopping.must_be_followed:
        return f"Nothing must follow; {holiday}."
    months = stopping.follow_within.months if stopping.follow_within else None
    within = f", started no later than {months} months after the last dose" if months else ""
    return f"Must be followed by {follow_on(kb, agent)}{within}; {holiday}."


def glance_grid(kb: KnowledgeBase, agent: Agent) -> Grid:
    """`drugs show NAME`: the facts a person needs first, one line or two each."""
    family = kb.family(agent.family)
    approved = [POPULATION_LABELS.get(a.population, a.population) for a in agent.approvals if a.approved]
    mechanism = _first_sentence(family.mechanism)
    rows: list[tuple[str, Cell]] = [
        ("What it is", f"{family.singular}: {mechanism.partition(': ')[2] or mechanism}"),
        ("For whom", "; ".join(dict.fromkeys(approved)) or family.typical_use),
        ("How it is taken", agent.dosing.dose),
    ]
    if agent.safety.boxed_warning:
        rows.append(("Boxed warning", _first_sentence(agent.safety.boxed_warning)))
    rows += [("Kidney", _kidney_line(agent)), ("When it stops", _stop_line(kb, agent))]
    best = _best_result(kb, agent)
    rows.append(("Best trial result", best or "osteo holds no pivotal trial for this medicine."))
    return facts(None, rows)


def show_glance(loaded: Loaded, agent: Agent, note: str | None) -> Document:
    """The at-a-glance card: one 80x24 screen, then where the rest is."""
    kb = loaded.kb
    family = kb.family(agent.family)
    more = f"More: --section NAME ({', '.join(s.value for s in SECTIONS)}), or --all for everything."
    return Document(
        [glance_grid(kb, agent)],
        title=f"{agent.name} at a glance: {CATEGORY_LABELS[family.category]}",
        intro=[note] if note else [],
        notes=[more],
        footer=footer(loaded),
    )


def show_family(loaded: Loaded, family: Family, note: str | None) -> Document:
    kb = loaded.kb
    members = members_of(kb, family)
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


def show_document(
    loaded: Loaded,
    typed: str,
    found: Resolved,
    sources_only: bool = False,
    sections: Sequence[Section] = SECTIONS,
    glance: bool = False,
) -> Document:
    """`drugs show`: an agent (at a glance, all or some sections) or a family, or with
    `--sources` the sources of each fact group."""
    if sources_only:
        return show_sources(loaded, found)
    note = match_note(found)
    if isinstance(found.entry, Agent) and glance:
        return show_glance(loaded, found.entry, note)
    if isinstance(found.entry, Agent):
        return show_agent(loaded, found.entry, note, sections)
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


def _agent_json(kb: KnowledgeBase, agent: Agent) -> dict[str, Any]:
    """An agent as in the knowledge base, but its `family` as `{id, name}`, as everywhere in JSON."""
    return {**dataclasses.asdict(agent), "family": ref(kb.family(agent.family))}


def show_json(loaded: Loaded, typed: str, found: Resolved) -> dict[str, Any]:
    kb, entry = loaded.kb, found.entry
    body: dict[str, Any]
    if isinstance(entry, Agent):
        family = kb.family(entry.family)
        body = {"agent": _agent_json(kb, entry), "family": dataclasses.asdict(family)}
        cited = [s for ids in agent_groups(entry).values() for s in ids]
    else:
        body = {"family": dataclasses.asdict(entry), "agents": [_agent_json(kb, a) for a in members_of(kb, entry)]}
        cited = list(entry.sources)
    return with_sources(
        kb,
        {
            **meta(loaded),
            "query": typed,
            "match": {
                "kind": found.claim.kind,
                "name": found.claim.name,
                "how": found.claim.how,
                "note": match_note(found),
            },
            **body,
            "sources": list(dict.fromkeys(cited)),
        },
    )


def compare_document(loaded: Loaded, comparison: Comparison) -> Document:
    profiles = comparison.profiles
    headers = ("Feature", *(p.name for p in profiles))
    rows = [(label, *(p.features[key] for p in profiles)) for key, label in FEATURES]
    notes = [*comparison.notes, evidence.MEANING]
    agents = {v.agent for p in profiles for values in p.values.values() for v in values}
    if evidence.any_medium(loaded.kb, agents):
        notes.append(evidence.MEDIUM)
    return Document([Grid(headers, rows, row_headers=True)], intro=notes, footer=footer(loaded))


def compare_json(loaded: Loaded, comparison: Comparison) -> dict[str, Any]:
    kb = loaded.kb
    return {
        **meta(loaded),
        "notes": comparison.notes,
        "features": [{"id": key, "label": label} for key, label in FEATURES],
        "columns": [
            {
                "id": p.id,
                "kind": p.kind,
                "name": p.name,
                "family": ref(p.family),
                "features": p.features,
                "values": {
                    key: [{"agent": ref(kb.agent(v.agent)), "value": v.value} for v in values]
                    for key, values in p.values.items()
                },
            }
            for p in comparison.profiles
        ],
    }


def _limit_text(kb: KnowledgeBase, agent: Agent) -> str:
    limit = agent.duration.limit
    if limit is None:
        return "none fixed"
    shared = [a.name for a in sharing_limit(kb, limit.group)]
    together = f", counted together for {' and '.join(shared)}" if len(shared) > 1 else ""
    return f"{limit.amount} {limit.unit}{together}"


def _follow_text(kb: KnowledgeBase, agent: Agent) -> str:
    stopping = agent.stopping
    if not stopping.must_be_followed:
        return "no"
    names = " or ".join(f.name for f in followers(kb, agent))
    return f"yes, by a medicine that slows bone breakdown ({names})"


def _stopping_rows(kb: KnowledgeBase, agent: Agent) -> list[tuple[str, Cell]]:
    stopping = agent.stopping
    confidence = " (medium confidence)" if stopping.confidence == "medium" else ""
    return [
        ("Drug holiday", "possible" if stopping.holiday else "no"),
        ("Must be followed", _follow_text(kb, agent)),
        ("When stopping", stopping.summary + confidence),
    ]


def stopping_document(loaded: Loaded, found: Resolved) -> Document:
    kb, entry = loaded.kb, found.entry
    note = match_note(found)
    agents = members_of(kb, entry)
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
    agents = members_of(kb, entry)
    return with_sources(
        kb,
        {
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
            "sources": list(dict.fromkeys(s for a in agents for s in (*a.stopping.sources, *a.duration.sources))),
        },
    )


def list_view(loaded: Loaded, agents: Callable[[], Sequence[Listed]]) -> View:
    """`agents` is called by whichever format is drawn, so its rows are freed before drawing."""
    return View(lambda: agent_list(loaded, agents()), lambda: agent_list_json(loaded, agents()))


def show_view(
    loaded: Loaded,
    typed: str,
    found: Resolved,
    sources_only: bool,
    sections: Sequence[Section] = SECTIONS,
    glance: bool = False,
) -> View:
    """`glance`: a medicine's at-a-glance card instead of its sections (JSON keeps the whole monograph)."""
    return View(
        lambda: show_document(loaded, typed, found, sources_only=sources_only, sections=sections, glance=glance),
        lambda: show_json(loaded, typed, found),
    )


def compare_view(loaded: Loaded, comparison: Comparison) -> View:
    return View(lambda: compare_document(loaded, comparison), lambda: compare_json(loaded, comparison))


def stopping_view(loaded: Loaded, typed: str, found: Resolved) -> View:
    return View(lambda: stopping_document(loaded, found), lambda: stopping_json(loaded, typed, found))
