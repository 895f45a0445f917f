"""Views of `osteo schedule`: where a regimen stands, what to do now, the next dates, the course.

The label's own rule is shown in the knowledge base's words (`MissedDose.text`); the
sentences here only say what the computed dates are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from osteo_cli.queries.relations import followers, sharing_limit
from osteo_cli.render.document import Cell, Document, Grid, View
from osteo_cli.views.common import facts, follow_on, footer, meta, sources_grid
from osteo_cli.views.drugs import match_note

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded
    from osteo_cli.knowledge.models import Agent, Interval, KnowledgeBase, MissedDose
    from osteo_cli.queries.schedule import Answer, Course, Schedule

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day(date: dt.date) -> str:
    """A date as `2026-11-30 (Monday)`: the weekday in English whatever the locale."""
    return f"{date.isoformat()} ({_WEEKDAYS[date.weekday()]})"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def interval_text(interval: Interval) -> str:
    return f"every {interval.unit}" if interval.every == 1 else f"every {interval.every} {interval.unit}s"


def _dates(dates: tuple[dt.date, ...]) -> str:
    return " and ".join(day(d) for d in dates)


def status_text(schedule: Schedule) -> str:
    if schedule.decision == "course-done":
        return "course complete: no more doses are due"
    if schedule.status == "not-due":
        return f"not yet due: due on {day(schedule.due)}, in {_plural(schedule.days_until, 'day')}"
    if schedule.status == "due-today":
        return "due today"
    missed = f" ({schedule.missed} scheduled doses missed)" if schedule.missed > 1 else ""
    return f"late by {_plural(schedule.days_late, 'day')}: it was due on {day(schedule.due)}{missed}"


def action_text(schedule: Schedule) -> str:
    """What the computed dates say to do now (the label's own words are shown beside it)."""
    regimen = schedule.regimen
    upcoming = schedule.upcoming
    if schedule.decision == "course-done":
        return "No more doses are scheduled: the course limit is used up (see the course below for what follows)."
    after = (
        f"then back to the usual schedule: next on {day(upcoming[0])}."
        if upcoming
        else "that is the last dose of the course (see the course below)."
    )
    if schedule.decision == "wait":
        return f"Nothing to do yet: the next dose is on {day(schedule.due)}."
    if schedule.decision == "due":
        if regimen.doses_per_interval > 1:
            rest = upcoming[0] + dt.timedelta(days=regimen.doses_per_interval - 1)
            return f"Take the first of the {regimen.doses_per_interval} doses today, the last on {day(rest)}."
        return "Take today's dose as usual."
    if schedule.decision == "make-up":
        when = "today" if schedule.make_up[0] == schedule.today else "the morning of"
        return f"Take the missed dose {when} {_dates(schedule.make_up)}; {after}"
    if schedule.decision == "skip":
        if upcoming[0] == schedule.today:
            return "Leave the missed dose out: the next one is due today, so take that one only."
        return f"Leave the missed dose out; take the next one as usual on {day(upcoming[0])}."
    if schedule.decision == "reset":
        following = ", ".join(day(d) for d in upcoming[:2])
        return (
            "Give the missed dose as soon as possible (today, if it can be); the schedule then counts from "
            f"that day: next on {following}. If it is given on another day, count from that day instead."
        )
    if regimen.rule == "none":
        return (
            "The label gives no rule for a late dose: ask the prescriber or a pharmacist. "
            f"By the usual schedule the next dose is on {day(upcoming[0])}."
        )
    return (
        "The label leaves it to judgement how near the next dose may be: ask the prescriber or a pharmacist. "
        f"The next dose is on {day(upcoming[0])}, {_plural(schedule.next_days_away or 0, 'day')} away."
    )


def _course_done_text(result: Answer) -> str | None:
    """For a course whose limit is a caution (teriparatide's label allows more while fracture
    risk stays high), say so instead of a flat 'no more doses'."""
    limited = result.course
    if result.schedule.decision != "course-done" or limited is None or limited.limit.severity != "caution":
        return None
    return (
        f"Past the usual {limited.limit.amount} {limited.limit.unit}, so no more doses are scheduled here. "
        "The label allows going on only while fracture risk stays high: that is for the prescriber to decide."
    )


def _window_text(schedule: Schedule) -> str | None:
    window = schedule.regimen.window_days
    if schedule.status != "late" or window is None or schedule.next_days_away is None:
        return None
    away = _plural(schedule.next_days_away, "day")
    side = "more than" if schedule.next_days_away > window else "not more than"
    return f"the next scheduled dose is {away} away, {side} the label's {_plural(window, 'day')}"


def _rule_text(regimen: MissedDose) -> str:
    return regimen.text + (" (medium confidence)" if regimen.confidence == "medium" else "")


def dose_rows(schedule: Schedule) -> list[tuple[str, str]]:
    """Each day a dose is taken, in order: a missed set first, then the scheduled ones."""
    doses = schedule.regimen.doses_per_interval
    rows: list[tuple[str, str]] = []

    def add(start: dt.date, what: str) -> None:
        for i in range(doses):
            part = f", dose {i + 1} of {doses}" if doses > 1 else ""
            rows.append((day(start + dt.timedelta(days=i)), what + part))

    if schedule.make_up:
        add(schedule.make_up[0], "the missed dose" + (", as soon as possible" if schedule.reset else ""))
    for start in schedule.upcoming:
        add(start, "scheduled" if not schedule.reset else "scheduled, counted from today")
    return rows


def _course_rows(kb: KnowledgeBase, agent: Agent, course: Course) -> list[tuple[str, Cell]]:
    limit = course.limit
    if limit.unit == "doses":
        used = f"{course.used} of {limit.amount} doses given (counted by the usual interval from the start)"
        left = (
            f"{_plural(course.left, 'dose')}: the last one on {day(course.ends)}"
            if course.left
            else f"none: all {limit.amount} doses are given"
        )
    else:
        used = f"{_plural(course.used, 'month')} of {limit.amount} since the start"
        left = (
            f"{_plural(course.left, 'month')}: the limit is reached on {day(course.ends)}"
            if not course.reached
            else f"none: the limit was reached on {day(course.ends)}"
        )
    rows: list[tuple[str, Cell]] = [("Started", day(course.started)), ("Used", used), ("Left", left)]
    shared = [a.name for a in sharing_limit(kb, limit.group)]
    if len(shared) > 1:
        rows.append(("Counted together", f"time on {' and '.join(shared)} counts toward the same limit"))
    if agent.stopping.must_be_followed:
        then = follow_on(kb, agent)
        rows.append(("Then", f"{then[:1].upper()}{then[1:]}. {agent.stopping.summary}"))
    rows.append(("Sources", ", ".join(dict.fromkeys([*agent.duration.sources, *agent.stopping.sources]))))
    return rows


def _regimen_text(regimen: MissedDose) -> str:
    """ "Name (id), for purpose"; the id is left out when the name already ends with it."""
    tag = f"({regimen.regimen})"
    name = regimen.name if regimen.name.endswith(tag) else f"{regimen.name} {tag}"
    return name + (f", for {regimen.purpose}" if regimen.purpose else "")


def schedule_document(loaded: Loaded, typed: str, result: Answer) -> Document:
    kb, agent, schedule = loaded.kb, result.agent, result.schedule
    regimen = schedule.regimen
    rows: list[tuple[str, Cell]] = [
        ("Regimen", _regimen_text(regimen)),
        ("Interval", interval_text(regimen.interval)),
        ("Last dose", day(schedule.last)),
        ("Today", day(schedule.today)),
        ("Status", status_text(schedule)),
        ("What to do now", _course_done_text(result) or action_text(schedule)),
    ]
    window = _window_text(schedule)
    if window:
        rows.append(("Window", window))
    advice = result.late_advice
    if advice is not None:
        sure = " (medium confidence)" if advice.confidence == "medium" else ""
        rows.append(("Because it is late", f"{advice.text}{sure} Sources: {', '.join(advice.sources)}."))
    rows += [("The label says", _rule_text(regimen)), ("Sources", ", ".join(regimen.sources))]
    grids = [facts("Schedule", rows)]
    if doses := dose_rows(schedule):
        grids.append(Grid(("Date", "Dose"), doses, title="Next doses"))
    cited = [*regimen.sources, *(advice.sources if advice else [])]
    notes: list[str] = []
    if result.late_risk:
        stopping = agent.stopping
        confidence = " (medium confidence)" if stopping.confidence == "medium" else ""
        risk: list[tuple[str, Cell]] = [
            ("Stopping or delaying it", stopping.summary + confidence),
            ("If it is stopped", f"It must be followed by {follow_on(kb, agent)}."),
            ("Sources", ", ".join(stopping.sources)),
        ]
        grids.append(facts("Why a late dose matters", risk))
        cited += stopping.sources
    if result.course is not None:
        grids.append(
            facts(
                f"Course: at most {result.course.limit.amount} {result.course.limit.unit}",
                _course_rows(kb, agent, result.course),
            )
        )
        cited += [*agent.duration.sources, *agent.stopping.sources]
    elif result.started is not None:
        notes.append(f"{agent.name} has no fixed course limit in the knowledge base: {agent.duration.summary}")
    note = match_note(result.found)
    return Document(
        [*grids, sources_grid(kb, cited)],
        title=f"{agent.name}: {regimen.name}",
        intro=[note] if note else [],
        notes=notes,
        footer=footer(loaded),
    )


def schedule_json(loaded: Loaded, typed: str, result: Answer) -> dict[str, Any]:
    kb, agent, schedule = loaded.kb, result.agent, result.schedule
    regimen = schedule.regimen
    course = result.course
    cited = [*regimen.sources]
    if result.late_risk:
        cited += agent.stopping.sources
    if course is not None:
        cited += [*agent.duration.sources, *agent.stopping.sources]
    return {
        **meta(loaded),
        "query": typed,
        "agent": {"id": agent.id, "name": agent.name},
        "regimen": {
            "id": regimen.regimen,
            "name": regimen.name,
            "interval": dataclasses.asdict(regimen.interval),
            "doses_per_interval": regimen.doses_per_interval,
            "rule": regimen.rule,
            "window_days": regimen.window_days,
            "text": regimen.text,
            "confidence": regimen.confidence,
            "sources": regimen.sources,
        },
        "last": schedule.last,
        "today": schedule.today,
        "due": schedule.due,
        "status": schedule.status,
        "days_late": schedule.days_late,
        "days_until": schedule.days_until,
        "missed": schedule.missed,
        "decision": schedule.decision,
        "next_scheduled_days_away": schedule.next_days_away,
        "make_up": list(schedule.make_up),
        "upcoming": list(schedule.upcoming),
        "counted_from_today": schedule.reset,
        "late_advice": (
            None
            if (advice := result.late_advice) is None
            else {"after_days": advice.after_days, "text": advice.text, "sources": advice.sources}
        ),
        "late_risk": (
            {
                "text": agent.stopping.summary,
                "followed_by": [{"id": f.id, "name": f.name} for f in followers(kb, agent)],
                "sources": agent.stopping.sources,
            }
            if result.late_risk
            else None
        ),
        "course": (
            {
                "started": course.started,
                "limit": dataclasses.asdict(course.limit),
                "used": course.used,
                "left": course.left,
                "ends": course.ends,
                "reached": course.reached,
                "followed_by": [{"id": f.id, "name": f.name} for f in followers(kb, agent)],
            }
            if course is not None
            else None
        ),
        "sources": [dataclasses.asdict(kb.source(s)) for s in dict.fromkeys(cited)],
    }


def schedule_view(loaded: Loaded, typed: str, result: Answer) -> View:
    return View(lambda: schedule_document(loaded, typed, result), lambda: schedule_json(loaded, typed, result))
