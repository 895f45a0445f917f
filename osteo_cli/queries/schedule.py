"""Dose schedules: from the last dose, a dosing interval and the label's missed-dose rule
to the next due dates and what to do now. Pure; never prints.

All arithmetic is on `datetime.date`, never on floats. Months are calendar months that
clamp to the month's end (31 January + 1 month is 28 or 29 February), and every date of
a schedule is counted from its anchor, so a schedule that starts on the 31st comes back
to the 31st whenever a month has one.

What to do about a late dose comes from the knowledge base: each regimen's `rule` kind
(see `models.MissedRule`) and `window_days`. This module applies the kind; the label's
own words (`MissedDose.text`) are for the views to show.

For a regimen of several doses on consecutive days (`doses_per_interval`), a date in a
schedule is the first day of its set, and `last` is the first day of the last set taken.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

from osteo_cli.errors import OsteoError, UsageError

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import Agent, Interval, KnowledgeBase, LateAdvice, Limit, MissedDose
    from osteo_cli.queries.names import Resolved

# The longest a unit can last, in days: used only to skip ahead safely (see `_first_on_or_after`).
_MAX_DAYS = {"day": 1, "week": 7, "month": 31, "year": 366}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Dates people type for a treatment; outside these a date is a typing mistake.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)
# Room after the last computed date for the days of a set (`doses_per_interval`, at most 4).
_HORIZON = dt.date.max - dt.timedelta(days=7)

Status = Literal["not-due", "due-today", "late"]
# wait: not yet due; due: take it today; make-up: take the missed dose on the `make_up` dates;
# skip: leave the missed dose out; reset: give it now and count the interval from today;
# check: the label leaves it to judgement (no rule, or "near the next dose" without a number).
# course-done: a course limit (--started) is used up, so no more doses are scheduled.
Decision = Literal["wait", "due", "make-up", "skip", "reset", "check", "course-done"]


class Schedule(NamedTuple):
    """Where a regimen stands on `today`, given the last dose, and the dates that follow."""

    regimen: MissedDose
    last: dt.date
    today: dt.date
    due: dt.date  # the first dose after `last`, by the usual schedule
    status: Status
    days_late: int  # 0 unless late
    days_until: int  # 0 unless not yet due
    missed: int  # scheduled sets that passed without being taken
    decision: Decision
    make_up: tuple[dt.date, ...]  # the days to take a missed set (one date a dose)
    upcoming: tuple[dt.date, ...]  # the next scheduled sets (first day of each)
    next_days_away: int | None  # for a late dose: days from today to the next scheduled set
    reset: bool  # the upcoming dates are counted from today, not from `last`


class Course(NamedTuple):
    """How much of a limited course is used and left (`--started`)."""

    started: dt.date
    limit: Limit
    used: int  # doses given (a limit in doses) or whole months since the start (in months)
    left: int  # never negative
    ends: dt.date  # the last dose of the course (doses), or the day the limit is reached (months)
    reached: bool


class Answer(NamedTuple):
    """Everything `osteo schedule` shows: the medicine, where its regimen stands, its course."""

    found: Resolved
    agent: Agent
    schedule: Schedule
    started: dt.date | None
    course: Course | None  # None without --started, or for a medicine with no course limit
    late_risk: bool  # late, for a medicine that must not be stopped or delayed without a follow-on
    late_advice: LateAdvice | None = None  # what to do, beyond the label's rule, for a dose this late


def answer(
    kb: KnowledgeBase,
    typed: str,
    *,
    last: dt.date,
    today: dt.date,
    count: int,
    regimen: str | None = None,
    started: dt.date | None = None,
) -> Answer:
    """The schedule of the medicine `typed` names. UsageError for a family or a bad choice;
    OsteoError (exit 1) when the knowledge base holds no missed-dose rule for it."""
    from osteo_cli.knowledge.models import Agent
    from osteo_cli.queries.names import resolve
    from osteo_cli.queries.relations import members_of

    found = resolve(kb, typed)
    agent = found.entry
    if not isinstance(agent, Agent):
        members = ", ".join(a.name for a in members_of(kb, agent))
        raise UsageError(f"'{typed}' is a family ({agent.name}); name one medicine: {members}")
    if not agent.missed_doses:
        raise OsteoError(f"the knowledge base holds no schedule or missed-dose rule for {agent.name}")
    schedule = plan(choose_regimen(agent, regimen), last, today, count)
    if started is not None and started > last:
        raise UsageError(f"--started ({started}) is after the last dose ({last})")
    limit = agent.duration.limit
    limited = course(limit, schedule, started) if limit is not None and started is not None else None
    if limited is not None:
        schedule = within_course(schedule, limited)
    late_risk = schedule.status == "late" and agent.stopping.must_be_followed
    return Answer(found, agent, schedule, started, limited, late_risk, late_advice(schedule.regimen, schedule))


def parse_day(text: str, option: str) -> dt.date:
    """An ISO date (YYYY-MM-DD), or a UsageError naming the option."""
    stripped = text.strip()
    try:
        if not _ISO_DAY.match(stripped):
            raise ValueError
        day = dt.date.fromisoformat(stripped)
    except ValueError:
        raise UsageError(f"{option} '{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24") from None
    if not EARLIEST <= day <= LATEST:
        raise UsageError(f"{option} {day} is not between {EARLIEST.year} and {LATEST.year}")
    return day


def late_advice(regimen: MissedDose, schedule: Schedule) -> LateAdvice | None:
    """The regimen's advice for a dose this late: the one with the largest `after_days` reached."""
    if schedule.status != "late":
        return None
    reached = [a for a in regimen.late if a.after_days <= schedule.days_late]
    return max(reached, key=lambda a: a.after_days) if reached else None


def choose_regimen(agent: Agent, wanted: str | None) -> MissedDose:
    """The regimen `wanted` (by id), the only one, or a UsageError listing the choices."""
    regimens = agent.missed_doses
    choices = "; ".join(f"'{r.regimen}' ({r.name}{': ' + r.purpose if r.purpose else ''})" for r in regimens)
    if wanted is None:
        if len(regimens) == 1:
            return regimens[0]
        raise UsageError(f"{agent.name} has several regimens: choose one with --regimen: {choices}")
    for regimen in regimens:
        if regimen.regimen == wanted.strip().casefold():
            return regimen
    raise UsageError(f"{agent.name} has no regimen '{wanted}'; choose one of: {choices}")


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise UsageError("the dates run past the year 9999")
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def shift(anchor: dt.date, interval: Interval, times: int) -> dt.date:
    """The date `times` intervals after `anchor`, counted from the anchor (never step by step)."""
    steps = interval.every * times
    try:
        if interval.unit == "day":
            day = anchor + dt.timedelta(days=steps)
        elif interval.unit == "week":
            day = anchor + dt.timedelta(weeks=steps)
        else:
            day = add_months(anchor, steps * 12 if interval.unit == "year" else steps)
    except OverflowError:
        day = dt.date.max
    if day > _HORIZON:
        raise UsageError("the dates run past the year 9999")
    return day


def series(anchor: dt.date, interval: Interval, first: int, count: int) -> tuple[dt.date, ...]:
    """`count` dates of the schedule anchored at `anchor`, from the `first`-th interval on."""
    return tuple(shift(anchor, interval, k) for k in range(first, first + count))


def days_of(start: dt.date, doses: int) -> tuple[dt.date, ...]:
    """The days of a set of `doses` doses on consecutive days, from `start`."""
    return tuple(start + dt.timedelta(days=i) for i in range(doses))


def _first_on_or_after(anchor: dt.date, interval: Interval, day: dt.date) -> int:
    """The smallest k >= 1 with shift(anchor, interval, k) >= day."""
    # Jump close without passing it: k intervals of the longest length still end on or before `day`.
    k = max(1, (day - anchor).days // (interval.every * _MAX_DAYS[interval.unit]))
    while shift(anchor, interval, k) < day:
        k += 1
    return k


def plan(regimen: MissedDose, last: dt.date, today: dt.date, count: int) -> Schedule:
    """Where `regimen` stands on `today` after a last dose on `last`, with `count` next dates."""
    if last > today:
        raise UsageError(f"the last dose ({last}) is after today ({today}); check --last and --today")
    if count < 1:
        raise UsageError("--count must be at least 1")
    interval = regimen.interval
    due = shift(last, interval, 1)
    if today <= due:
        status: Status = "due-today" if today == due else "not-due"
        return Schedule(
            regimen,
            last,
            today,
            due,
            status,
            days_late=0,
            days_until=(due - today).days,
            missed=0,
            decision="due" if status == "due-today" else "wait",
            make_up=(),
            upcoming=series(last, interval, 1, count),
            next_days_away=None,
            reset=False,
        )
    k = _first_on_or_after(last, interval, today)
    following = shift(last, interval, k)  # the next scheduled set, on or after today
    away = (following - today).days
    decision, make_up = _late(regimen, today, away)
    reset = decision == "reset"
    upcoming = series(today, interval, 1, count) if reset else series(last, interval, k, count)
    return Schedule(
        regimen,
        last,
        today,
        due,
        "late",
        days_late=(today - due).days,
        days_until=0,
        missed=k - 1,
        decision=decision,
        make_up=make_up,
        upcoming=upcoming,
        next_days_away=away,
        reset=reset,
    )


def _late(regimen: MissedDose, today: dt.date, away: int) -> tuple[Decision, tuple[dt.date, ...]]:
    """What a rule kind says about a late set, when the next scheduled set is `away` days off."""
    doses = regimen.doses_per_interval
    tomorrow = today + dt.timedelta(days=1)
    rule = regimen.rule
    if rule == "reset":
        return "reset", days_of(today, doses)
    if rule == "next-morning":
        # Never two on one day: when the usual day comes first (or tomorrow), that dose is the one.
        return ("make-up", days_of(tomorrow, doses)) if away > doses else ("skip", ())
    if rule == "window":
        if regimen.window_days is None:
            return "check", ()
        return ("make-up", days_of(tomorrow, doses)) if away > regimen.window_days else ("skip", ())
    if rule == "unless-near-next":
        if away == 0:  # the next one is due today: never two at once
            return "skip", ()
        if regimen.window_days is None:
            return "check", ()
        return ("make-up", days_of(today, doses)) if away > regimen.window_days else ("skip", ())
    if rule in ("skip", "same-day"):  # same-day: the day has passed, so it is left out
        return "skip", ()
    return "check", ()


def doses_from(schedule: Schedule, count: int) -> tuple[dt.date, ...]:
    """The first day of each of the next `count` sets to be taken: a make-up set first, if any."""
    regimen = schedule.regimen
    interval = regimen.interval
    lead = schedule.make_up[:1]
    if schedule.reset:
        regular = series(schedule.today, interval, 1, max(count - len(lead), 0))
    else:
        first = schedule.upcoming[0]
        k = _first_on_or_after(schedule.last, interval, first)
        regular = series(schedule.last, interval, k, max(count - len(lead), 0))
    return (*lead, *regular)[:count]


def course(limit: Limit, schedule: Schedule, started: dt.date) -> Course:
    """How much of a course limited by `limit` is used and left, started on `started`."""
    last, today = schedule.last, schedule.today
    if started > last:
        raise UsageError(f"--started ({started}) is after the last dose ({last})")
    if limit.unit == "months":
        used = _whole_months(started, today)
        ends = add_months(started, limit.amount)
        return Course(started, limit, used, max(limit.amount - used, 0), ends, reached=today >= ends)
    interval = schedule.regimen.interval
    used = 1 + _intervals_within(started, interval, last)
    left = max(limit.amount - used, 0)
    ends = doses_from(schedule, left)[-1] if left else last
    return Course(started, limit, used, left, ends, reached=left == 0)


def within_course(schedule: Schedule, limited: Course) -> Schedule:
    """The schedule cut at the end of a limited course: no dose is scheduled past the limit."""
    if limited.limit.unit == "doses":
        keep = limited.left  # sets still to give, a missed one included
        make_up = schedule.make_up if keep > 0 else ()
        upcoming = schedule.upcoming[: max(keep - (1 if make_up else 0), 0)]
    else:
        make_up = tuple(d for d in schedule.make_up if d < limited.ends)
        upcoming = tuple(d for d in schedule.upcoming if d < limited.ends)
    if upcoming == schedule.upcoming and make_up == schedule.make_up:
        return schedule
    done = not upcoming and not make_up
    due_today = schedule.decision == "due" and upcoming[:1] == (schedule.today,)
    decision: Decision = "course-done" if done or (schedule.decision == "due" and not due_today) else schedule.decision
    return schedule._replace(make_up=make_up, upcoming=upcoming, decision=decision)


def _whole_months(start: dt.date, day: dt.date) -> int:
    months = (day.year - start.year) * 12 + day.month - start.month
    return months - 1 if months > 0 and add_months(start, months) > day else max(months, 0)


def _intervals_within(anchor: dt.date, interval: Interval, day: dt.date) -> int:
    """How many whole intervals after `anchor` still fall on or before `day`."""
    if day <= anchor:
        return 0
    k = _first_on_or_after(anchor, interval, day)
    return k if shift(anchor, interval, k) == day else k - 1


def set_days(starts: Sequence[dt.date], doses: int) -> tuple[tuple[dt.date, ...], ...]:
    """Each set's days, for a regimen of `doses` doses on consecutive days."""
    return tuple(days_of(start, doses) for start in starts)
