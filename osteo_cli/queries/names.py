"""Name resolution: whatever a person types -> one agent or family. Pure; never prints.

A name resolves however it is cased or spaced ("FORTEO", "zoledronic-acid",
"Zoledronic  Acid"), by generic name, brand, biosimilar, related product, family
name, family singular or alias.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

from osteo_cli.errors import UsageError

if TYPE_CHECKING:  # annotations only: shell completion imports this module, never the models
    from osteo_cli.knowledge.models import Agent, Family, KnowledgeBase
    from osteo_cli.knowledge.problems import Loc

How = Literal["id", "name", "alias", "brand", "biosimilar", "nonproprietary", "related", "family", "singular"]


def normalize(text: str) -> str:
    """The form names are compared in: case-folded, with runs of space, `-`, `_` as one space."""
    # str methods, not a regex: this runs for every name (and for search, every text) per command.
    return " ".join(text.casefold().replace("-", " ").replace("_", " ").split())


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


class Resolved(NamedTuple):
    """What a typed name resolved to, and through which of its names."""

    entry: Agent | Family
    claim: Claim


def resolve(kb: KnowledgeBase, typed: str) -> Resolved:
    """The entry `typed` names, or a UsageError that suggests the closest names.

    The first entry in the file to claim a name wins (`osteo kb validate` reports two
    claiming one). A plain scan that stops at the match: no index is built, so a knowledge
    base a hundred times larger costs only as far as the name stands in it.
    """
    wanted = normalize(typed)
    stored = _stored(kb, wanted)[1]
    if stored is not None:
        found: Agent | Family = kb.agent(stored.id) if stored.kind == "agent" else kb.family(stored.id)
        return Resolved(found, stored)
    for claim in claims(kb):
        if normalize(claim.name) == wanted:
            entry: Agent | Family = kb.agent(claim.id) if claim.kind == "agent" else kb.family(claim.id)
            return Resolved(entry, claim)
    index: dict[str, Claim] = {}
    for claim in claims(kb):
        index.setdefault(normalize(claim.name), claim)
    raise UsageError(_unknown(typed, index))


def _stored(kb: KnowledgeBase, wanted: str) -> tuple[bool, Claim | None]:
    """Whether a compiled knowledge base's names table answers for `wanted`, and the claim
    that wins it there (see knowledge.compiled): a knowledge base of any size resolves a name
    by one row. Not answered (a plain knowledge base, or a row in doubt): the caller scans."""
    lookup = getattr(kb, "claim", None)
    if lookup is None:
        return False, None
    raw = lookup(wanted)
    if raw is False:
        return True, None
    try:
        name, how, kind, entry_id, loc = raw
        if not (type(name) is type(how) is type(entry_id) is str and kind in ("agent", "family")):
            return False, None
        if normalize(name) != wanted or type(loc) is not list:
            return False, None
        return True, Claim(name, how, kind, entry_id, tuple(loc))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False, None


class _Known:
    """The names a compiled knowledge base knows, asked one at a time."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def __contains__(self, norm: object) -> bool:
        if not isinstance(norm, str):
            return False
        answered, claim = _stored(self.kb, norm)
        if not answered:
            return any(normalize(c.name) == norm for c in claims(self.kb))
        return claim is not None


def stored_names(kb: KnowledgeBase) -> list[tuple[str, list[object]]]:
    """What a compiled knowledge base stores for `_stored`: each normalized name with the
    claims that may win it, in file order (the first stored wins)."""
    return [(normalize(c.name), [c.name, c.how, c.kind, c.id, list(c.loc)]) for c in claims(kb)]


MAX_NAME_WORDS = 4  # the longest name in the knowledge base has three words


def group_words(kb: KnowledgeBase, words: Sequence[str]) -> list[str]:
    """Words typed unquoted, joined into names: `zoledronic acid denosumab` ->
    [`zoledronic acid`, `denosumab`]. At each word the longest run that is a name wins; a
    word that starts no name stays alone (and `resolve` says what it is close to)."""
    known: Container[str] = _Known(kb) if _stored(kb, "")[0] else {normalize(claim.name) for claim in claims(kb)}
    names: list[str] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_NAME_WORDS), i, -1):
            if j == i + 1 or normalize(" ".join(words[i:j])) in known:
                names.append(" ".join(words[i:j]))
                i = j
                break
    return names


def _unknown(typed: str, index: dict[str, Claim]) -> str:
    from difflib import get_close_matches  # only an unknown name needs it

    close = get_close_matches(normalize(typed), list(index), n=3, cutoff=0.6)
    # Two spellings of one entry (an id and its name) would read as one suggestion twice.
    names = list(dict.fromkeys(index[key].name for key in close))
    hint = (
        "did you mean " + " or ".join(f"'{name}'" for name in names) + "?"
        if names
        else "run 'osteo drugs list' to see every name"
    )
    return f"no drug or family called '{typed}'; {hint}"


def completion_names(kb: KnowledgeBase) -> list[str]:
    """Every name, spelt for a shell (`zoledronic-acid`), once each, in file order."""
    # A biosimilar's nonproprietary name resolves but is not offered: its brand is (ten "denosumab-…" otherwise).
    return list(dict.fromkeys(slug(claim.name) for claim in claims(kb) if claim.how != "nonproprietary"))


def complete(names: list[str], incomplete: str) -> list[str]:
    """The names that start with what is typed so far, however it is cased or spaced."""
    prefix = slug(incomplete)
    return [name for name in names if name.startswith(prefix)]
