"""The names each entry answers to, and the form names are compared in. Pure.

Here rather than in `queries/names.py` because the integrity checks (two entries claiming
one name) need them too, and `knowledge/` imports nothing from the layers above it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal, NamedTuple

from osteo_cli.knowledge.records import Records

if TYPE_CHECKING:  # annotations only: shell completion imports this module, never the models
    from osteo_cli.knowledge.models import KnowledgeBase
    from osteo_cli.knowledge.problems import Loc

How = Literal["id", "name", "alias", "brand", "biosimilar", "nonproprietary", "related", "family", "singular"]


def fold(text: str) -> str:
    """`text` case-folded after NFKC normalisation, so full-width `ＩＢＡＮ` and the ligature
    `ﬁ` are plain letters; the Turkish capital `İ` and small dotless `ı` fold to `i` (their
    casefold is `i` with a combining dot, or themselves, which no name is spelt with)."""
    if text.isascii():  # nearly every name: nothing to normalise
        return text.casefold()
    import unicodedata

    folded = unicodedata.normalize("NFKC", text).casefold().replace("i\u0307", "i").replace("\u0131", "i")
    return unicodedata.normalize("NFKC", folded)


def normalize(text: str) -> str:
    """The form names are compared in: NFKC, case-folded, with runs of space, `-`, `_` as one space."""
    # str methods, not a regex: this runs for every name (and for search, every text) per command.
    return " ".join(fold(text).replace("-", " ").replace("_", " ").split())


def slug(text: str) -> str:
    """A shell-friendly spelling of a name that resolves to the same entry."""
    return normalize(text).replace(" ", "-")


class Claim(NamedTuple):
    """A name that an entry answers to, and where in the file it is declared."""

    name: str
    how: How
    kind: Literal["agent", "family"]
    id: str
    loc: Loc


def claims(kb: KnowledgeBase) -> Iterator[Claim]:
    """Every name an entry answers to, families first, in file order. A knowledge base read
    back from its compiled form has them at hand, and builds no record to give them."""
    if isinstance(kb.agents, Records):
        return iter(kb.agents.claims)
    return _claims(kb)


def _claims(kb: KnowledgeBase) -> Iterator[Claim]:
    for i, f in enumerate(kb.families):
        yield Claim(f.name, "family", "family", f.id, ("families", i, "name"))
        yield Claim(f.id, "id", "family", f.id, ("families", i, "id"))
        yield Claim(f.singular, "singular", "family", f.id, ("families", i, "singular"))
        for j, alias in enumerate(f.aliases):
            yield Claim(alias, "alias", "family", f.id, ("families", i, "aliases", j))
    for i, a in enumerate(kb.agents):
        # The name before the id, so a suggestion reads "Zoledronic acid", not its id.
        yield Claim(a.name, "name", "agent", a.id, ("agents", i, "name"))
        yield Claim(a.id, "id", "agent", a.id, ("agents", i, "id"))
        for j, alias in enumerate(a.aliases):
            yield Claim(alias, "alias", "agent", a.id, ("agents", i, "aliases", j))
        for j, brand in enumerate(a.brands):
            yield Claim(brand.name, brand.kind, "agent", a.id, ("agents", i, "brands", j, "name"))
        for j, brand in enumerate(a.brands):
            # A US biosimilar's nonproprietary name ("denosumab-bnht") is the same molecule, under any brand.
            if brand.suffix:
                name = f"{a.name.lower()}-{brand.suffix}"
                yield Claim(name, "nonproprietary", "agent", a.id, ("agents", i, "brands", j, "suffix"))
        for j, product in enumerate(a.related_products):
            yield Claim(product.name, "related", "agent", a.id, ("agents", i, "related_products", j, "name"))


def completion_names(kb: KnowledgeBase) -> list[str]:
    """Every name, spelt for a shell (`zoledronic-acid`), once each, in file order."""
    # A biosimilar's nonproprietary name resolves but is not offered: its brand is (ten "denosumab-…" otherwise).
    return list(dict.fromkeys(slug(claim.name) for claim in claims(kb) if claim.how != "nonproprietary"))
