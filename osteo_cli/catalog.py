"""Queries over the knowledge base: listing, profiles for comparison, FAQ search.

Pure functions from a KnowledgeBase (and what the user typed) to plain results.
They never print and never import Rich.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from osteo_cli.errors import UsageError
from osteo_cli.models import Agent, Category, Family, FaqEntry, KnowledgeBase
from osteo_cli.names import Resolved, normalize, resolve


def agents_in(kb: KnowledgeBase, category: Category | None = None) -> list[Agent]:
    """Every agent, or those whose family has `category`.

    Romosozumab's family is both anabolic and antiresorptive, so it is listed
    under either filter; `both` selects only such families.
    """
    if category is None:
        return list(kb.agents)
    wanted = {category} if category == "both" else {category, "both"}
    return [a for a in kb.agents if kb.family(a.family).category in wanted]


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
)


@dataclass(frozen=True, slots=True)
class Profile:
    """One column of a comparison: an agent, or a family summed over its members."""

    id: str
    kind: str  # "agent" or "family"
    name: str
    family: Family
    features: dict[str, str]  # keyed by the ids in FEATURES


def profile(kb: KnowledgeBase, found: Resolved) -> Profile:
    entry = found.entry
    if isinstance(entry, Agent):
        family, members = kb.family(entry.family), [entry]
    else:
        family, members = entry, kb.members(entry.id)

    def per_member(text: list[str]) -> str:
        if len(members) == 1:
            return text[0]
        return "\n".join(f"{m.name}: {t}" for m, t in zip(members, text, strict=True))

    features = {
        "category": CATEGORY_LABELS[family.category],
        "mechanism": family.mechanism,
        "administration": family.administration,
        "typical_use": family.typical_use,
        "after_treatment": family.after_treatment,
        "brands": per_member([", ".join(b.name for b in m.brands) or "generic only" for m in members]),
        "dose": per_member([m.dosing.dose for m in members]),
        "limit": per_member([m.duration.summary for m in members]),
    }
    return Profile(entry.id, found.claim.kind, entry.name, family, features)


def compare(kb: KnowledgeBase, names: Sequence[str]) -> list[Profile]:
    """Profiles for two or more names, in the order typed. Naming one entry twice is an error."""
    if len(names) < 2:
        raise UsageError("compare needs at least two names, e.g. 'osteo drugs compare denosumab teriparatide'")
    found = [resolve(kb, name) for name in names]
    seen: dict[tuple[str, str], str] = {}
    for typed, match in zip(names, found, strict=True):
        key = (match.claim.kind, match.entry.id)
        if key in seen:
            raise UsageError(f"'{seen[key]}' and '{typed}' are both {match.entry.name}; name different drugs")
        seen[key] = typed
    return [profile(kb, match) for match in found]


@dataclass(frozen=True, slots=True)
class FaqHit:
    number: int  # 1-based position in the knowledge base, stable under filtering
    entry: FaqEntry


def faq(kb: KnowledgeBase, words: Sequence[str] = ()) -> list[FaqHit]:
    """The questions and answers containing every word (any case); all of them when none."""
    wanted = [normalize(w) for w in words if normalize(w)]
    hits = []
    for number, entry in enumerate(kb.faq, start=1):
        text = normalize(f"{entry.question} {entry.answer}")
        if all(w in text for w in wanted):
            hits.append(FaqHit(number, entry))
    return hits
