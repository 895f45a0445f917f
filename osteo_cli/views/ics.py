"""`osteo schedule --format ics`: the next doses as an iCalendar file (RFC 5545).

Built with the `icalendar` library, which gets the format's details right (line folding
at 75 octets, escaping of commas and semicolons, CRLF line ends, date values).

Each dose day is an all-day event that names the medicine and carries the label's
missed-dose rule. A regular schedule is one event with a recurrence rule; one that a
recurrence rule would get wrong is listed date by date: RFC 5545 skips a month without
the start's day (a 31st), where osteo, like a label, moves to the month's last day.
UIDs come from the medicine, the regimen and the date, so importing the file again
updates the events instead of adding them twice.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from osteo_cli import __version__
from osteo_cli.render.textsafe import clean
from osteo_cli.views.common import DISCLAIMER

if TYPE_CHECKING:
    from icalendar import Event

    from osteo_cli.knowledge.models import Interval
    from osteo_cli.queries.schedule import Answer

PRODID = f"-//osteo//osteo schedule {__version__}//EN"
_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}


def uid(agent_id: str, regimen_id: str, date: dt.date) -> str:
    return f"{agent_id}-{regimen_id}-{date:%Y%m%d}@osteo"


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


def _event(result: Answer, start: dt.date, summary: str, description: str, stamp: dt.datetime) -> Event:
    from icalendar import Event

    schedule = result.schedule
    event = Event()
    event.add("uid", uid(result.agent.id, schedule.regimen.regimen, start))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(days=schedule.regimen.doses_per_interval))
    event.add("summary", clean(summary))
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a reminder: it does not make anyone busy
    return event


def to_ics(result: Answer) -> bytes:
    """The calendar: the missed dose (if the rule says to take it), then the next scheduled ones."""
    from icalendar import Calendar

    agent, schedule = result.agent, result.schedule
    regimen = schedule.regimen
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
        cal.add_component(_event(result, schedule.make_up[0], summary, _description(result, True), stamp))
    summary = f"{agent.name}: {regimen.name}"
    description = _description(result, False)
    upcoming = schedule.upcoming
    if regular(regimen.interval, upcoming):
        event = _event(result, upcoming[0], summary, description, stamp)
        rule = {"freq": _FREQ[regimen.interval.unit], "interval": regimen.interval.every, "count": len(upcoming)}
        event.add("rrule", rule)
        cal.add_component(event)
    else:
        for start in upcoming:
            cal.add_component(_event(result, start, summary, description, stamp))
    data: bytes = cal.to_ical()
    return data
