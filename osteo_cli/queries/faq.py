"""`osteo faq`: the questions and answers, by words or by number. Pure; never prints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from osteo_cli.errors import UsageError
from osteo_cli.queries.names import normalize

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import FaqEntry, KnowledgeBase


class FaqHit(NamedTuple):
    number: int  # 1-based position in the knowledge base, stable under filtering
    entry: FaqEntry


def faq(kb: KnowledgeBase, words: Sequence[str] = ()) -> list[FaqHit]:
    """The question whose topic (id) the words are; else the questions and answers containing
    every word (any case); all of them when none."""
    wanted = [normalize(w) for w in words if normalize(w)]
    topic = " ".join(wanted)
    for number, entry in enumerate(kb.faq, start=1):
        if topic and normalize(entry.id) == topic:  # a topic, as completion offers it: that question
            return [FaqHit(number, entry)]
    hits = []
    for number, entry in enumerate(kb.faq, start=1):
        text = normalize(f"{entry.question} {entry.answer}")
        if all(w in text for w in wanted):
            hits.append(FaqHit(number, entry))
    return hits


def faq_entry(kb: KnowledgeBase, number: int) -> list[FaqHit]:
    """`osteo faq 4`: the question with that number."""
    if not 1 <= number <= len(kb.faq):
        raise UsageError(f"there is no question {number}; they are numbered 1 to {len(kb.faq)}")
    return [FaqHit(number, kb.faq[number - 1])]
