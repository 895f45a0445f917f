"""How entries of the knowledge base relate: the members of an entry, the agents sharing a
limit group, the families that can follow a drug, and what a brand, biosimilar or related
product is of its molecule.

Each rule lives here once; queries and views both ask it. Pure; never prints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from osteo_cli.knowledge.models import Agent

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import Family, KnowledgeBase
    from osteo_cli.queries.names import Resolved


def members_of(kb: KnowledgeBase, entry: Agent | Family) -> list[Agent]:
    """The agents an entry stands for: an agent itself, or a family's members in file order."""
    return [entry] if isinstance(entry, Agent) else kb.members(entry.id)


def sharing_limit(kb: KnowledgeBase, group: str) -> list[Agent]:
    """Every agent whose duration limit belongs to `group`; their use is counted together."""
    return kb.sharing_limit(group)


def followers(kb: KnowledgeBase, agent: Agent) -> list[Family]:
    """The families the data names as the follow-on for `agent` (empty when it names none)."""
    return [kb.family(f) for f in agent.stopping.followed_by]


def name_link(found: Resolved, *, with_note: bool = True) -> str | None:
    """What the name typed is of the entry it found, in one sentence: "Prolia is a brand of
    Denosumab.", a biosimilar, or a related product for another use (with its note unless
    `with_note` is false). None when the name is the entry's own name, id or alias."""
    claim, entry = found.claim, found.entry
    if claim.how == "brand":
        return f"{claim.name} is a brand of {entry.name}."
    if claim.how == "biosimilar":
        return f"{claim.name} is a biosimilar of {entry.name}."
    if claim.how == "nonproprietary" and isinstance(entry, Agent):
        brand = next(b for b in entry.brands if b.suffix and claim.name.endswith(f"-{b.suffix}"))
        pair = f" and {brand.pair}" if brand.pair else ""
        return f"{claim.name} is the US nonproprietary name of {brand.name}{pair}: {entry.name}, the same molecule."
    if claim.how == "related" and isinstance(entry, Agent):
        product = next(p for p in entry.related_products if p.name == claim.name)
        sentence = f"{claim.name} is {entry.name} for {product.use}, not osteoporosis."
        return f"{sentence} {product.note}" if with_note else sentence
    return None
