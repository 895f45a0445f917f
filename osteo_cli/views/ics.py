"""`osteo schedule --format ics`: the next doses as an iCalendar file (RFC 5545).

Built with the `icalendar` library, which gets the format's details right (line folding
at 75 octets, escaping of commas and semicolons, CRLF line ends, date values).

Each dose day is an all-day event that names the medicine and carries the label's
missed-dose rule, with a reminder (a VALARM, by default at 18:00 the evening before). A
regular schedule is one event with a recurrence rule; one that a recurrence rule would
get wrong has its dates listed (RDATE): RFC 5545 skips a month without the start's day
(a 31st), where osteo, like a label, moves to the month's last day.

The next doses are one series whose UID names only the medicine and the regimen, and the
missed dose has one of its own: importing a newer file (after the next dose, say)
updates the series instead of adding it twice. Its SEQUENCE is the answer's day, so a
newer file always wins. A course with no dose left is an error (exit 1) that says why,
never a calendar with no event, which RFC 5545 does not allow.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from osteo_cli import __version__
from osteo_cli.errors import OsteoError, UsageError
from osteo_cli.render.textsafe import clean
from osteo_cli.views.common import DISCLAIMER

if TYPE_CHECKING:
    from icalendar import Event

    from osteo_cli.knowledge.models import Interval
    from osteo_cli.queries.schedule import Answer

PRODID = f"-//osteo//osteo schedule {__version__}//EN"
_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}


EPOCH = dt.date(2000, 1, 1)  # SEQUENCE counts days from here: a later answer supersedes an earlier one
MAX_REMIND = dt.timedelta(days=14)


def uid(agent_id: str, regimen_id: str, missed: bool = False) -> str:
    """The same for every file about this medicine and regimen, whatever its dates."""
    return f"{agent_id}-{regimen_id}{'-missed' if missed else ''}@osteo"


def parse_remind(text: str) -> dt.timedelta | None:
    """`--remind`: how long before the dose day begins the reminder goes off, in hours (`6h`,
    the default: 18:00 the evening before) or days (`1d`), up to 14 days; `0` at the day's
    start; `none` for no reminder."""
    import re

    typed = text.strip().lower()
    if typed in ("none", "off", "no"):
        return None
    match = re.fullmatch(r"(\d{1,3})([hd]?)", typed, re.ASCII)
    if match is None or (match.group(1) != "0" and not match.group(2)):
        raise UsageError(
            f"--remind '{text[:40]}' is not a lead time; give hours or days before the dose day, "
            "such as 6h (18:00 the evening before), 1d, 0 or none"
        )
    amount = int(match.group(1))
    lead = dt.timedelta(hours=amount) if match.group(2) == "h" else dt.timedelta(days=amount)
    if lead > MAX_REMIND:
        raise UsageError(f"--remind '{text[:40]}' is too early: at most 14 days (14d) before the dose day")
    return lead


def regular(interval: Interval, dates: tuple[dt.date, ...]) -> bool:
    """Whether an RRULE from the first date gives exactly these dates (a 31st clamped to a
    30th, or 29 February moved to the 28th, is not what RFC 5545 would give)."""
    if len(dates) < 2:
        return False
    first = dates[0]
    if interval.unit == "month":
        return first.day <= 28 and all(d.day == first.day for d in dates)
    if interval.unit == "year":
        return (first.month, first.day) != (2, 29) and all((d.month, d.day) == (first.month, first.day) for d in dates)
    return True


def _description(result: Answer, make_up: bool) -> str:
    agent, regimen = result.agent, result.schedule.regimen
    lines = [
        f"{agent.name}, {regimen.name}." + (" The missed dose." if make_up else ""),
        f"If a dose is missed: {regimen.text}",
    ]
    if agent.stopping.must_be_followed:
        lines.append(f"Delaying or stopping it: {agent.stopping.summary}")
    lines += [f"Sources: {', '.join(dict.fromkeys([*regimen.sources, *agent.stopping.sources]))}.", DISCLAIMER]
    return clean("\n".join(lines))


def _event(
    result: Answer,
    start: dt.date,
    summary: str,
    description: str,
    stamp: dt.datetime,
    remind: dt.timedelta | None,
    missed: bool = False,
) -> Event:
    from icalendar import Alarm, Event

    schedule = result.schedule
    event = Event()
    event.add("uid", uid(result.agent.id, schedule.regimen.regimen, missed))
    event.add("sequence", (schedule.today - EPOCH).days)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(days=schedule.regimen.doses_per_interval))
    event.add("summary", clean(summary))
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a reminder: it does not make anyone busy
    if remind is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", clean(summary))
        alarm.add("trigger", -remind)  # before the all-day event's start (midnight, local time)
        event.add_component(alarm)
    return event


def _nothing_due(result: Answer) -> str:
    """Why there is no dose to put in a calendar."""
    agent, course = result.agent, result.course
    if course is not None:
        limit = course.limit
        return (
            f"no dose of {agent.name} is left to put in a calendar: the course limit of {limit.amount} "
            f"{limit.unit} is used up (reached on {course.ends.isoformat()}); run it without '-f ics' "
            "for what must follow"
        )
    return f"no dose of {agent.name} is due to put in a calendar; run it without '-f ics' for why"


def to_ics(result: Answer, remind: dt.timedelta | None = dt.timedelta(hours=6)) -> bytes:
    """The calendar: the missed dose (if the rule says to take it), then the next scheduled
    ones, each with a reminder `remind` before its day (none for None). An OsteoError when
    no dose is left (a used-up course)."""
    from icalendar import Calendar

    agent, schedule = result.agent, result.schedule
    regimen = schedule.regimen
    if not schedule.make_up and not schedule.upcoming:
        raise OsteoError(_nothing_due(result))
    # The stamp is today's date (as given), so the same question gives the same file.
    stamp = dt.datetime.combine(schedule.today, dt.time(0), tzinfo=dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", clean(f"{agent.name} ({regimen.name})"))
    if schedule.make_up:
        summary = f"{agent.name}: the missed dose ({regimen.name})"
        missed = _event(result, schedule.make_up[0], summary, _description(result, True), stamp, remind, missed=True)
        cal.add_component(missed)
    summary = f"{agent.name}: {regimen.name}"
    description = _description(result, False)
    upcoming = schedule.upcoming
    if upcoming:
        event = _event(result, upcoming[0], summary, description, stamp, remind)
        if regular(regimen.interval, upcoming):
            rule = {"freq": _FREQ[regimen.interval.unit], "interval": regimen.interval.every, "count": len(upcoming)}
            event.add("rrule", rule)
        elif len(upcoming) > 1:
            # Dates an RRULE would get wrong, each listed; the first too, although DTSTART counts
            # already (RFC 5545 drops the duplicate), for readers that leave it out (vobject).
            event.add("rdate", list(upcoming))
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
