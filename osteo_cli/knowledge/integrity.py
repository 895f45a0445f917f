"""Checks that a schema-valid knowledge base also holds together. Pure; never prints.

Errors make a file unusable (a cross-reference that points nowhere would break a
query later); warnings are things a maintainer should act on (a review date that
has lapsed) and fail only `osteo kb validate --strict`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Iterator
from typing import Any

from osteo_cli.knowledge.models import (
    SITES,
    AskSection,
    Guideline,
    GuidelinePoint,
    KnowledgeBase,
    Population,
    PracticeTopic,
)
from osteo_cli.knowledge.names import claims, normalize
from osteo_cli.knowledge.problems import Loc, Problem

REVIEW_MAX_AGE = dt.timedelta(days=365)
# Where a label's set id is not confirmed, its source links to a DailyMed search instead.
LABEL_SEARCH = "dailymed.nlm.nih.gov/dailymed/search.cfm?query="


def check(kb: KnowledgeBase, today: dt.date) -> list[Problem]:
    refs = _source_refs(kb)  # walked once, for the errors and the warnings
    return [*_errors(kb, refs), *_warnings(kb, today, refs)]


def _errors(kb: KnowledgeBase, refs: list[tuple[Loc, str]]) -> Iterator[Problem]:
    yield from _duplicate_ids(kb)
    yield from _duplicate_names(kb)
    family_ids = {f.id for f in kb.families}
    source_ids = {s.id for s in kb.sources}
    for loc, ref in refs:
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
    yield from _vocabulary(kb)
    yield from _evidence(kb)
    yield from _ask(kb)
    density = kb.bone_density
    if density.osteoporosis_at_or_below >= density.normal_at_or_above:
        loc = ("bone_density", "osteoporosis_at_or_below")
        yield Problem("error", loc, "must be below normal_at_or_above")


def _sections(kb: KnowledgeBase) -> Iterator[tuple[str, object]]:
    """Every top-level section of the file, read from the model: a new one cannot be missed."""
    for f in dataclasses.fields(kb):
        yield f.name, getattr(kb, f.name)


def _duplicate_ids(kb: KnowledgeBase) -> Iterator[Problem]:
    for section, value in _sections(kb):
        if not isinstance(value, list):
            continue
        seen: set[str] = set()
        for i, item in enumerate(value):
            item_id = getattr(item, "id", None)
            if item_id is None:
                continue
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


def _source_refs(kb: KnowledgeBase) -> list[tuple[Loc, str]]:
    """Every `sources` list anywhere in the file, found from the models (so a new section
    cannot be forgotten), except the top-level list of sources itself."""
    refs: list[tuple[Loc, str]] = []
    for name, value in _sections(kb):
        if name != "sources":
            _refs_in(value, (name,), refs)
    return refs


# Each record class's fields that can lead to a `sources` list, worked out once from the
# type hints (values are what pydantic validated against them): most fields hold text.
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}
_SCALARS = (str, int, float, bool, type(None), dt.date)


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields of a record class worth walking for sources, or None for any other type."""
    if cls not in _FIELD_NAMES:
        if not dataclasses.is_dataclass(cls):
            _FIELD_NAMES[cls] = None
        else:
            hints = typing.get_type_hints(cls)
            _FIELD_NAMES[cls] = tuple(
                f.name
                for f in dataclasses.fields(cls)
                if f.name == "sources" or _may_hold_sources(hints.get(f.name, typing.Any), set())
            )
    return _FIELD_NAMES[cls]


def _may_hold_sources(tp: Any, seen: set[type]) -> bool:
    """Whether a value of type `tp` can hold a record with a `sources` field (when in doubt, yes)."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if tp in seen:  # already being answered, higher up
            return False
        seen.add(tp)
        hints = typing.get_type_hints(tp)
        return any(f.name == "sources" or _may_hold_sources(hints.get(f.name), seen) for f in dataclasses.fields(tp))
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return False
    if origin is not None:  # list[X], X | None
        return any(_may_hold_sources(arg, seen) for arg in typing.get_args(tp))
    return not (isinstance(tp, type) and issubclass(tp, _SCALARS))


def _refs_in(value: object, loc: Loc, out: list[tuple[Loc, str]]) -> None:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, list) or _field_names(type(item)) is not None:  # text and numbers hold none
                _refs_in(item, (*loc, i), out)
        return
    for name in _field_names(type(value)) or ():
        inner = getattr(value, name)
        if name == "sources" and isinstance(inner, list):
            out.extend(((*loc, "sources", j), ref) for j, ref in enumerate(inner))
        elif isinstance(inner, list) or _field_names(type(inner)) is not None:
            _refs_in(inner, (*loc, name), out)


def _vocabulary(kb: KnowledgeBase) -> Iterator[Problem]:
    """Condition and substance ids must exist; synonyms must name one entry only."""
    conditions = {c.id for c in kb.conditions}
    substances = {s.id for s in kb.substances}
    for i, condition in enumerate(kb.conditions):
        for key in ("implies", "ask_about", "excludes"):
            for j, ref in enumerate(getattr(condition, key)):
                if ref not in conditions:
                    yield Problem("error", ("conditions", i, key, j), f"names condition '{ref}', which does not exist")
        if condition.kidney_below is not None and not condition.kidney:
            yield Problem("error", ("conditions", i, "kidney_below"), "kidney_below goes with kidney: true")
    if sum(s.any_oral for s in kb.substances) > 1:
        yield Problem("error", ("substances",), "only one substance can stand for every other oral medicine")
    for i, agent in enumerate(kb.agents):
        for j, rule in enumerate(agent.contraindications):
            if rule.condition not in conditions:
                loc = ("agents", i, "contraindications", j, "condition")
                yield Problem("error", loc, f"names condition '{rule.condition}', which is not in `conditions`")
        for j, interaction in enumerate(agent.interactions):
            if interaction.substance not in substances:
                loc = ("agents", i, "interactions", j, "substance")
                yield Problem("error", loc, f"names substance '{interaction.substance}', which is not in `substances`")
        if (
            agent.pregnancy
            and agent.pregnancy.avoid
            and not any(r.condition == "pregnancy" for r in agent.contraindications)
        ):
            yield Problem(
                "error",
                ("agents", i, "pregnancy", "avoid"),
                "the monograph says not to use it in pregnancy, so add a rule on 'pregnancy'",
            )
        regimens = [m.regimen for m in agent.missed_doses]
        for j, missed in enumerate(agent.missed_doses):
            if regimens.index(missed.regimen) != j:
                loc = ("agents", i, "missed_doses", j, "regimen")
                yield Problem("error", loc, f"regimen '{missed.regimen}' is used twice")
            if (missed.rule == "window") != (missed.window_days is not None):
                loc = ("agents", i, "missed_doses", j, "window_days")
                yield Problem("error", loc, "window_days goes with rule 'window', and only with it")
    # A condition's words name it alone; a substance's may be shared ("Tums" is calcium and an antacid).
    seen: dict[str, str] = {}
    for i, entry in enumerate(kb.conditions):
        for name in (entry.id, entry.name, *entry.synonyms):
            first = seen.setdefault(normalize(name), entry.id)
            if first != entry.id:
                yield Problem("error", ("conditions", i, "synonyms"), f"'{name}' already names condition '{first}'")


def _evidence(kb: KnowledgeBase) -> Iterator[Problem]:
    """Trials name agents that exist; a site not shown has no percentage; guidelines name agents."""
    agent_ids = {a.id for a in kb.agents}
    for i, trial in enumerate(kb.trials):  # duplicate ids: _duplicate_ids, for every section
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


def _ask(kb: KnowledgeBase) -> Iterator[Problem]:
    """Every `ask` answer names something real; a phrase means one topic only."""
    known = {
        "practical": set(typing.get_args(PracticeTopic)),
        "approvals": set(typing.get_args(Population)),
        "faq": {f.id for f in kb.faq},
        "learn": {t.id for t in kb.topics},
    }
    sections = set(typing.get_args(AskSection))
    seen: dict[str, str] = {}
    for i, topic in enumerate(kb.ask):
        for key in ("answers", "general"):
            for j, ref in enumerate(getattr(topic, key)):
                prefix, _, rest = ref.partition(".")
                real = rest in known[prefix] if prefix in known else ref in sections
                if key == "general" and prefix not in ("faq", "learn"):
                    yield Problem("error", ("ask", i, key, j), f"'{ref}': without a medicine, only faq.ID or learn.ID")
                elif not real:
                    loc = ("ask", i, key, j)
                    yield Problem("error", loc, f"'{ref}' names no section, practical topic, FAQ entry or learn topic")
        for j, phrase in enumerate(topic.phrases):
            first = seen.setdefault(normalize(phrase), topic.id)
            if first != topic.id:
                yield Problem("error", ("ask", i, "phrases", j), f"'{phrase}' already means topic '{first}'")


def _guideline_sections(guideline: Guideline) -> Iterator[tuple[str, list[GuidelinePoint]]]:
    for f in dataclasses.fields(guideline):
        value = getattr(guideline, f.name)
        if isinstance(value, list) and value and isinstance(value[0], GuidelinePoint):
            yield f.name, value


def _warnings(kb: KnowledgeBase, today: dt.date, refs: list[tuple[Loc, str]]) -> Iterator[Problem]:
    dated: list[tuple[Loc, dt.date]] = [(("last_reviewed",), kb.last_reviewed)]
    for section, value in _sections(kb):
        for i, item in enumerate(value if isinstance(value, list) else []):
            when = getattr(item, "last_reviewed", None)
            if isinstance(when, dt.date):
                dated.append(((section, i, "last_reviewed"), when))
    for loc, when in dated:
        if when > today:
            yield Problem("warning", loc, f"review date {when} is in the future")
        elif today - when > REVIEW_MAX_AGE:
            yield Problem("warning", loc, f"last reviewed {when}, more than a year ago")
    used = {ref for _, ref in refs}
    for i, source in enumerate(kb.sources):
        if source.id not in used:
            yield Problem("warning", ("sources", i, "id"), f"source '{source.id}' is not cited by any entry")
        if source.kind == "fda-label" and not (source.set_id or (source.url and LABEL_SEARCH in source.url)):
            message = f"label '{source.id}' has no DailyMed set id and no DailyMed search link"
            yield Problem("warning", ("sources", i, "set_id"), message)
        if source.set_id and source.url and source.set_id not in source.url:
            message = f"label '{source.id}' links to a page other than its set id {source.set_id}"
            yield Problem("warning", ("sources", i, "url"), message)
