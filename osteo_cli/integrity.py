"""Checks that a schema-valid knowledge base also holds together. Pure; never prints.

Errors make a file unusable (a cross-reference that points nowhere would break a
query later); warnings are things a maintainer should act on (a review date that
has lapsed) and fail only `osteo kb validate --strict`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator

from osteo_cli.models import SITES, Guideline, GuidelinePoint, KnowledgeBase
from osteo_cli.names import claims, normalize
from osteo_cli.problems import Loc, Problem

REVIEW_MAX_AGE = dt.timedelta(days=365)


def check(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    return [*_errors(kb), *_warnings(kb, today)]


def _errors(kb: KnowledgeBase) -> Iterator[Problem]:
    yield from _duplicate_ids(kb)
    yield from _duplicate_names(kb)
    family_ids = {f.id for f in kb.families}
    source_ids = {s.id for s in kb.sources}
    for loc, ref in _source_refs(kb):
        if ref not in source_ids:
            yield Problem("error", loc, f"names source '{ref}', which is not in `sources`")
    for i, agent in enumerate(kb.agents):
        if agent.family not in family_ids:
            yield Problem("error", ("agents", i, "family"), f"names family '{agent.family}', which does not exist")
        stopping = agent.stopping
        for j, ref in enumerate(stopping.followed_by):
            if ref not in family_ids:
                loc = ("agents", i, "stopping", "followed_by", j)
                yield Problem("error", loc, f"names family '{ref}', which does not exist")
        interval, limit = agent.dosing.interval, agent.duration.limit
        if limit and limit.unit == "doses" and interval is None:
            loc = ("agents", i, "dosing", "interval")
            yield Problem("error", loc, "a limit in doses needs the dosing interval, to count a plan's months")
        if stopping.must_be_followed and not stopping.followed_by:
            loc = ("agents", i, "stopping", "followed_by")
            yield Problem("error", loc, "must_be_followed is true, so name the families that can follow")
    yield from _limit_groups(kb)
    yield from _evidence(kb)
    density = kb.bone_density
    if density.osteoporosis_at_or_below >= density.normal_at_or_above:
        loc = ("bone_density", "osteoporosis_at_or_below")
        yield Problem("error", loc, "must be below normal_at_or_above")


def _duplicate_ids(kb: KnowledgeBase) -> Iterator[Problem]:
    sections: dict[str, list[str]] = {
        "sources": [s.id for s in kb.sources],
        "families": [f.id for f in kb.families],
        "agents": [a.id for a in kb.agents],
        "faq": [q.id for q in kb.faq],
        "lifestyle": [x.id for x in kb.lifestyle],
        "topics": [t.id for t in kb.topics],
    }
    for section, ids in sections.items():
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if item_id in seen:
                yield Problem("error", (section, i, "id"), f"id '{item_id}' is used twice")
            seen.add(item_id)


def _duplicate_names(kb: KnowledgeBase) -> Iterator[Problem]:
    owner: dict[str, tuple[str, str]] = {}
    for claim in claims(kb):
        key = normalize(claim.name)
        mine = (claim.kind, claim.id)
        first = owner.setdefault(key, mine)
        if first != mine:
            yield Problem("error", claim.loc, f"'{claim.name}' is already the name of {first[0]} '{first[1]}'")


def _limit_groups(kb: KnowledgeBase) -> Iterator[Problem]:
    groups: dict[str, tuple[int, str]] = {}
    for i, agent in enumerate(kb.agents):
        limit = agent.duration.limit
        if limit is None:
            continue
        first = groups.setdefault(limit.group, (limit.amount, limit.unit))
        if first != (limit.amount, limit.unit):
            yield Problem(
                "error",
                ("agents", i, "duration", "limit"),
                f"limit group '{limit.group}' is {first[0]} {first[1]} elsewhere",
            )


def _source_refs(kb: KnowledgeBase) -> Iterator[tuple[Loc, str]]:
    def refs(prefix: Loc, ids: Iterable[str]) -> Iterator[tuple[Loc, str]]:
        for j, ref in enumerate(ids):
            yield (*prefix, "sources", j), ref

    for i, f in enumerate(kb.families):
        yield from refs(("families", i), f.sources)
    for i, a in enumerate(kb.agents):
        yield from refs(("agents", i), a.sources)
        for group in ("dosing", "duration", "stopping", "safety"):
            yield from refs(("agents", i, group), getattr(a, group).sources)
    for i, q in enumerate(kb.faq):
        yield from refs(("faq", i), q.sources)
    yield from refs(("bone_density",), kb.bone_density.sources)
    for i, advice in enumerate(kb.lifestyle):
        yield from refs(("lifestyle", i), advice.sources)
    for i, topic in enumerate(kb.topics):
        yield from refs(("topics", i), topic.sources)
    yield from _evidence_source_refs(kb)


def _evidence(kb: KnowledgeBase) -> Iterator[Problem]:
    """Trials name agents that exist; a site not shown has no percentage; guidelines name agents."""
    agent_ids = {a.id for a in kb.agents}
    seen: set[str] = set()
    for i, trial in enumerate(kb.trials):
        if trial.id in seen:
            yield Problem("error", ("trials", i, "id"), f"id '{trial.id}' is used twice")
        seen.add(trial.id)
        for key in ("agent", "comparator_agent"):
            ref = getattr(trial, key)
            if ref is not None and ref not in agent_ids:
                yield Problem("error", ("trials", i, key), f"names agent '{ref}', which does not exist")
        loc: Loc
        if trial.head_to_head != (trial.comparator_agent is not None):
            loc = ("trials", i, "comparator_agent")
            yield Problem("error", loc, "a head-to-head trial names its comparator_agent, and only such a trial")
        for site in SITES:
            result = getattr(trial.results, site)
            if result.percent is not None and not (result.shown and result.measured):
                loc = ("trials", i, "results", site, "percent")
                yield Problem("error", loc, "a reduction that was not shown (or not measured) has no percentage")
            if result.shown and not result.measured:
                loc = ("trials", i, "results", site, "shown")
                yield Problem("error", loc, "a site that was not measured cannot show a reduction")
    for i, guideline in enumerate(kb.guidelines):
        for section, points in _guideline_sections(guideline):
            for j, point in enumerate(points):
                for k, ref in enumerate(point.agents):
                    if ref not in agent_ids:
                        where = ("guidelines", i, section, j, "agents", k)
                        yield Problem("error", where, f"names agent '{ref}', which does not exist")


def _guideline_sections(guideline: Guideline) -> Iterator[tuple[str, list[GuidelinePoint]]]:
    for f in dataclasses.fields(guideline):
        value = getattr(guideline, f.name)
        if isinstance(value, list) and value and isinstance(value[0], GuidelinePoint):
            yield f.name, value


def _evidence_source_refs(kb: KnowledgeBase) -> Iterator[tuple[Loc, str]]:
    def refs(prefix: Loc, ids: Iterable[str]) -> Iterator[tuple[Loc, str]]:
        for j, ref in enumerate(ids):
            yield (*prefix, "sources", j), ref

    for i, trial in enumerate(kb.trials):
        yield from refs(("trials", i), trial.sources)
        for site in SITES:
            yield from refs(("trials", i, "results", site), getattr(trial.results, site).sources)
    for i, guideline in enumerate(kb.guidelines):
        yield from refs(("guidelines", i), guideline.sources)
        for section, points in _guideline_sections(guideline):
            for j, point in enumerate(points):
                yield from refs(("guidelines", i, section, j), point.sources)
    for i, amount in enumerate(kb.intake.amounts):
        yield from refs(("intake", "amounts", i), amount.sources)
    for i, measure in enumerate(kb.intake.measures):
        yield from refs(("intake", "measures", i), measure.sources)


def _warnings(kb: KnowledgeBase, today: dt.date) -> Iterator[Problem]:
    dated: list[tuple[Loc, dt.date]] = [
        (("last_reviewed",), kb.last_reviewed),
        *((("families", i, "last_reviewed"), f.last_reviewed) for i, f in enumerate(kb.families)),
        *((("agents", i, "last_reviewed"), a.last_reviewed) for i, a in enumerate(kb.agents)),
        *((("faq", i, "last_reviewed"), q.last_reviewed) for i, q in enumerate(kb.faq)),
    ]
    for loc, when in dated:
        if when > today:
            yield Problem("warning", loc, f"review date {when} is in the future")
        elif today - when > REVIEW_MAX_AGE:
            yield Problem("warning", loc, f"last reviewed {when}, more than a year ago")
    used = {ref for _, ref in _source_refs(kb)}
    for i, source in enumerate(kb.sources):
        if source.id not in used:
            yield Problem("warning", ("sources", i, "id"), f"source '{source.id}' is not cited by any entry")
