"""`osteo drugs`: listing by category, and profiles for comparing medicines side by side.

Pure functions from a KnowledgeBase (and what the user typed) to plain results.
They never print and never import Rich.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Literal, NamedTuple

from osteo_cli.errors import UsageError
from osteo_cli.knowledge.models import SITES, Agent, Brand, Family, KnowledgeBase, Site
from osteo_cli.knowledge.vocabulary import Category
from osteo_cli.queries import evidence
from osteo_cli.queries.names import Resolved, group_words, resolve
from osteo_cli.queries.relations import members_of, name_link


class Listed(NamedTuple):
    """What `osteo drugs list` shows of an agent: its row, with its family's name and category."""

    id: str
    name: str
    brands: list[Brand]
    family: str
    family_name: str
    category: Category
    route: str
    schedule: str


def agents_in(kb: KnowledgeBase, category: Category | None = None) -> list[Listed]:
    """Every agent, or those whose family has `category`.

    Romosozumab's family is both anabolic and antiresorptive, so it is listed
    under either filter; `both` selects only such families.
    """
    listed = _listed(kb)
    if category is None:
        return listed
    wanted = {category} if category == "both" else {category, "both"}
    return [a for a in listed if a.category in wanted]


def _listed(kb: KnowledgeBase) -> list[Listed]:
    def row(a: Agent) -> Listed:
        family = kb.family(a.family)
        return Listed(a.id, a.name, a.brands, a.family, family.name, family.category, a.dosing.route, a.dosing.schedule)

    return [row(a) for a in kb.agents]


CATEGORY_LABELS: dict[str, str] = {
    "antiresorptive": "antiresorptive (slows bone breakdown)",
    "anabolic": "anabolic (builds bone)",
    "both": "both (builds bone and slows its breakdown)",
}

# The features compared side by side: the source article's four, then three more.
FEATURES: tuple[tuple[str, str], ...] = (
    ("category", "Category"),
    ("mechanism", "Primary mechanism"),
    ("administration", "Administration"),
    ("typical_use", "Typical use"),
    ("after_treatment", "After treatment"),
    ("brands", "Brands"),
    ("dose", "Dose and schedule"),
    ("limit", "Duration limit"),
    ("contraindications", "Do not use or not recommended with"),
    ("kidney", "Kidney function"),
    ("side_effects", "Common side effects"),
    ("approvals", "Approved for (US)"),
    ("vertebral", "Spine fractures (trials)"),
    ("non_vertebral", "Non-spine fractures (trials)"),
    ("hip", "Hip fractures (trials)"),
)


class Profile(NamedTuple):
    """One column of a comparison: an agent, or a family summed over its members."""

    id: str
    kind: Literal["agent", "family"]
    name: str
    family: Family
    features: dict[str, str]  # keyed by the ids in FEATURES: the text of the table's cell
    values: dict[str, list[AgentValue]]  # the same, as data: each member's value, for JSON


class AgentValue(NamedTuple):
    """One member's value of a compared feature: a plain str, number, list, dict or None."""

    agent: str
    value: Any


_POPULATIONS = {
    "postmenopausal-treatment": "treatment after menopause",
    "postmenopausal-prevention": "prevention after menopause",
    "men": "men",
    "glucocorticoid-treatment": "steroid-induced (treatment)",
    "glucocorticoid-prevention": "steroid-induced (prevention)",
    "cancer-bone-loss": "bone loss from cancer treatment",
    "breast-cancer-risk-reduction": "lowering breast-cancer risk",
    "paget": "Paget's disease",
}


def _ruled_out(kb: KnowledgeBase, agent: Agent) -> str:
    names = {c.id: c.name for c in kb.conditions}
    ids = [
        r.condition + (" (EU)" if r.jurisdiction == "EU" else "")
        for r in agent.contraindications
        if r.level in ("contraindicated", "not-recommended")
    ]
    # Ruled out by the EU label and by another too: said once, unmarked ("(EU)" means the EU alone).
    ids = [i for i in ids if not (i.endswith(" (EU)") and i.removesuffix(" (EU)") in ids)]
    return (
        "; ".join(
            names.get(i.removesuffix(" (EU)"), i) + (" (EU)" if i.endswith(" (EU)") else "") for i in dict.fromkeys(ids)
        )
        or "-"
    )


def _kidney(agent: Agent) -> str:
    if agent.kidney is None:
        return "-"
    limits = [
        (f"{t.applies_to}: " if t.applies_to else "")
        + f"{'CrCl' if t.measure == 'crcl' else 'eGFR'} below {t.below}: {t.level.replace('-', ' ')}"
        + (" (EU)" if t.jurisdiction == "EU" else "")
        for t in agent.kidney.thresholds
    ]
    return "; ".join(limits) or "no threshold in the label"


def _approved(agent: Agent) -> str:
    approved = [
        _POPULATIONS[a.population] + (f" ({a.applies_to})" if a.applies_to else "")
        for a in agent.approvals
        if a.approved and a.jurisdiction != "EU"
    ]
    return ", ".join(dict.fromkeys(approved)) or "-"


def profile(kb: KnowledgeBase, found: Resolved) -> Profile:
    entry = found.entry
    members = members_of(kb, entry)
    family = kb.family(entry.family) if isinstance(entry, Agent) else entry

    def per_member(text: list[str]) -> str:
        if len(members) == 1:
            return text[0]
        return "\n".join(f"{m.name}: {t}" for m, t in zip(members, text, strict=True))

    features: dict[str, str] = {
        "category": CATEGORY_LABELS[family.category],
        "mechanism": family.mechanism,
        "administration": family.administration,
        "typical_use": family.typical_use,
        "after_treatment": family.after_treatment,
        "brands": per_member([", ".join(b.name for b in m.brands) or "generic only" for m in members]),
        "dose": per_member([m.dosing.dose for m in members]),
        "limit": per_member([m.duration.summary for m in members]),
        "contraindications": per_member([_ruled_out(kb, m) for m in members]),
        "kidney": per_member([_kidney(m) for m in members]),
        "side_effects": per_member([m.side_effects.summary or "-" if m.side_effects else "-" for m in members]),
        "approvals": per_member([_approved(m) for m in members]),
        **{site: per_member([evidence.site_summary(kb, m.id)[site] for m in members]) for site in SITES},
    }
    return Profile(entry.id, found.claim.kind, entry.name, family, features, _values(kb, family, members))


def _values(kb: KnowledgeBase, family: Family, members: list[Agent]) -> dict[str, list[AgentValue]]:
    """Each feature of `FEATURES` for each member, as data rather than the table's wording."""

    def limit(agent: Agent) -> dict[str, Any] | None:
        found = agent.duration.limit
        if found is None:
            return None
        return {"amount": found.amount, "unit": found.unit, "group": found.group, "severity": found.severity}

    def ruled_out(agent: Agent) -> list[dict[str, str]]:
        rules = [r for r in agent.contraindications if r.level in ("contraindicated", "not-recommended")]
        return [{"condition": r.condition, "level": r.level, "jurisdiction": r.jurisdiction} for r in rules]

    def kidney(agent: Agent) -> list[dict[str, Any]] | None:
        if agent.kidney is None:
            return None
        return [
            {"measure": t.measure, "below": t.below, "level": t.level, "jurisdiction": t.jurisdiction}
            for t in agent.kidney.thresholds
        ]

    def approved(agent: Agent) -> list[dict[str, str | None]]:
        found = [a for a in agent.approvals if a.approved and a.jurisdiction != "EU"]
        return [{"population": a.population, "applies_to": a.applies_to} for a in found]

    def site(agent: Agent, name: Site) -> list[dict[str, Any]]:
        results = [(t, getattr(t.results, name)) for t in evidence.for_agent(kb, agent.id)]
        return [
            {
                "trial": t.id,
                "comparator": t.comparator,
                "measured": r.measured,
                "shown": r.shown,
                "percent": r.percent,
                "confidence": r.confidence,
            }
            for t, r in results
        ]

    per_agent: dict[str, Callable[[Agent], Any]] = {
        "category": lambda a: family.category,
        "mechanism": lambda a: family.mechanism,
        "administration": lambda a: family.administration,
        "typical_use": lambda a: family.typical_use,
        "after_treatment": lambda a: family.after_treatment,
        "brands": lambda a: [{"name": b.name, "kind": b.kind} for b in a.brands],
        "dose": lambda a: {"route": a.dosing.route, "schedule": a.dosing.schedule, "dose": a.dosing.dose},
        "limit": limit,
        "contraindications": ruled_out,
        "kidney": kidney,
        "side_effects": lambda a: a.side_effects.summary if a.side_effects else None,
        "approvals": approved,
        **{name: partial(site, name=name) for name in SITES},
    }
    return {key: [AgentValue(m.id, per_agent[key](m)) for m in members] for key, _ in FEATURES}


class Comparison(NamedTuple):
    profiles: list[Profile]
    notes: list[str]  # names that turned out to be one molecule, said plainly


def compare(kb: KnowledgeBase, names: Sequence[str]) -> Comparison:
    """Profiles for two or more names, in the order typed.

    Names for the same molecule (Prolia and Xgeva, Reclast and Zometa, a biosimilar and
    its reference product) share one column, and a note says they are one molecule.
    """
    names = group_words(kb, names)  # `zoledronic acid denosumab`: two names, not three
    if len(names) < 2:
        raise UsageError("compare needs at least two names, e.g. 'osteo drugs compare denosumab teriparatide'")
    groups: dict[tuple[str, str], list[Resolved]] = {}
    for name in names:
        found = resolve(kb, name)
        groups.setdefault((found.claim.kind, found.entry.id), []).append(found)
    notes = [_same_molecule(group) for group in groups.values() if len(group) > 1]
    return Comparison([profile(kb, group[0]) for group in groups.values()], notes)


def _same_molecule(group: list[Resolved]) -> str:
    entry = group[0].entry
    spelt = list(dict.fromkeys(found.claim.name for found in group))
    if len(spelt) == 1:
        return f"{spelt[0]} was named more than once; it is shown once."
    what = "the same molecule" if isinstance(entry, Agent) else "the same family"
    # A brand needs no sentence; a biosimilar or a product for another use does.
    uses = [name_link(found, with_note=False) for found in group if found.claim.how in ("biosimilar", "related")]
    joined = ", ".join(spelt[:-1]) + " and " + spelt[-1]
    return " ".join([f"{joined} are {what}: {entry.name}.", *(u for u in uses if u)])
