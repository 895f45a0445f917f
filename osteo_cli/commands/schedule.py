"""`osteo schedule`: when the next dose is due, what to do about a missed one, and a calendar."""

from typing import Annotated

import typer

from osteo_cli.commands.common import DataOption, NameArgument, load, one_name
from osteo_cli.render.formats import OutputFormat, ScheduleFormat

MAX_COUNT = 60  # `--count`: five years of monthly doses


def schedule(
    words: NameArgument,
    last: Annotated[
        str, typer.Option("--last", metavar="DATE", show_default=False, help="The day of the last dose, YYYY-MM-DD.")
    ],
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="DATE", show_default=False, help="The day to answer for (default: today)."),
    ] = None,
    count: Annotated[int, typer.Option("--count", "-n", min=1, max=MAX_COUNT, help="How many next doses to list.")] = 3,
    regimen: Annotated[
        str | None,
        typer.Option("--regimen", "-r", metavar="ID", show_default=False, help="Which regimen (weekly, daily...)."),
    ] = None,
    started: Annotated[
        str | None,
        typer.Option(
            "--started", metavar="DATE", show_default=False, help="The day the course began: shows how much is left."
        ),
    ] = None,
    remind: Annotated[
        str,
        typer.Option(
            "--remind",
            metavar="LEAD",
            help="With -f ics, when each reminder goes off: hours or days before the dose day "
            "(6h is 18:00 the evening before; 1d; 0; at most 14d), or none.",
        ),
    ] = "6h",
    fmt: Annotated[
        ScheduleFormat,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="Output: a table, JSON for scripts, Markdown for notes, or an iCalendar file (ics).",
        ),
    ] = ScheduleFormat.table,
    data: DataOption = None,
) -> None:
    """When the next dose is due and, if one was missed, what the label says to do now.

    For a regimen given on several days in a row, --last is the first day of the last set.
    With --started, a medicine with a course limit shows how much of it is left and what
    must follow. `--format ics` writes the next doses as calendar events, each with a
    reminder (`--remind`); importing a newer file updates them instead of adding them twice.
    Exit 1 when the knowledge base holds no schedule rule for the medicine.

    Example: `osteo schedule prolia --last 2026-05-10 --today 2026-11-25`
    """
    import datetime as dt

    from osteo_cli.queries.schedule import answer, parse_day
    from osteo_cli.render.output import emit, write
    from osteo_cli.views import schedule as views
    from osteo_cli.views.ics import parse_remind, to_ics

    lead = parse_remind(remind)
    last_day = parse_day(last, "--last")
    today_day = parse_day(today, "--today") if today is not None else dt.date.today()
    started_day = parse_day(started, "--started") if started is not None else None
    loaded = load(data)
    name = one_name(words)
    result = answer(loaded.kb, name, last=last_day, today=today_day, count=count, regimen=regimen, started=started_day)
    if fmt is ScheduleFormat.ics:
        write(to_ics(result, lead))
        return
    emit(OutputFormat(fmt.value), views.schedule_view(loaded, name, result))
