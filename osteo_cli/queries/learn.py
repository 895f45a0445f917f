"""`osteo lifestyle` and `osteo learn`: the advice by group, and the background topics. Pure; never prints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osteo_cli.errors import UsageError
from osteo_cli.queries.names import normalize

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import Advice, KnowledgeBase, Topic


def lifestyle(kb: KnowledgeBase, group: str | None = None) -> list[Advice]:
    return [a for a in kb.lifestyle if group is None or a.group == group]


def topics(kb: KnowledgeBase, typed: str | None = None) -> list[Topic]:
    """Every topic, or the one `typed` names (by id, title or the start of either)."""
    if typed is None:
        return list(kb.topics)
    wanted = normalize(typed)
    names = [(t, normalize(t.id), normalize(t.title)) for t in kb.topics]
    exact = [t for t, tid, title in names if wanted in (tid, title)]
    starts = [t for t, tid, title in names if tid.startswith(wanted) or title.startswith(wanted)]
    for found in (exact, starts):
        if len(found) == 1:
            return found
    ids = ", ".join(t.id for t in kb.topics)
    raise UsageError(f"no single topic called '{typed}'; the topics are {ids}")
