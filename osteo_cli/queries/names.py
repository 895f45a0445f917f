"""Name resolution: whatever a person types -> one agent or family. Pure; never prints.

A name resolves however it is cased or spaced ("FORTEO", "zoledronic-acid",
"Zoledronic  Acid"), by generic name, brand, biosimilar, related product, family
name, family singular or alias.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from osteo_cli.errors import UsageError
from osteo_cli.knowledge.names import Claim, claims, completion_names, normalize, slug

if TYPE_CHECKING:  # annotations only: shell completion imports this module, never the models
    from osteo_cli.knowledge.models import Agent, Family, KnowledgeBase

__all__ = ["Claim", "Resolved", "claims", "complete", "completion_names", "group_words", "normalize", "resolve", "slug"]


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
    for claim in claims(kb):
        if normalize(claim.name) == wanted:
            entry: Agent | Family = kb.agent(claim.id) if claim.kind == "agent" else kb.family(claim.id)
            return Resolved(entry, claim)
    index: dict[str, Claim] = {}
    for claim in claims(kb):
        index.setdefault(normalize(claim.name), claim)
    raise UsageError(_unknown(typed, index))


MAX_NAME_WORDS = 4  # the longest name in the knowledge base has three words


def group_words(kb: KnowledgeBase, words: Sequence[str]) -> list[str]:
    """Words typed unquoted, joined into names: `zoledronic acid denosumab` ->
    [`zoledronic acid`, `denosumab`]. At each word the longest run that is a name wins; a
    word that starts no name stays alone (and `resolve` says what it is close to)."""
    known = {normalize(claim.name) for claim in claims(kb)}
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

    wanted = normalize(typed)
    close = get_close_matches(wanted, list(index), n=6, cutoff=0.6)
    # One suggestion an entry, by its own name (an alias or a brand close to what was typed
    # names the same entry), and never one spelt as typed: that would only repeat the input.
    first: dict[tuple[str, str], str] = {}
    for key in close:  # closest first: each entry by the name of it closest to what was typed
        first.setdefault((index[key].kind, index[key].id), index[key].name)
    names = [n for n in list(first.values())[:3] if normalize(n) != wanted]
    hint = (
        "did you mean " + " or ".join(f"'{name}'" for name in names) + "?"
        if names
        else "run 'osteo drugs list' to see every name"
    )
    return f"no drug or family called '{typed}'; {hint}"


def complete(names: list[str], incomplete: str) -> list[str]:
    """The names that start with what is typed so far, however it is cased or spaced."""
    prefix = slug(incomplete)
    return [name for name in names if name.startswith(prefix)]
