"""`osteo sequence`: check a treatment plan against the knowledge base's rules."""

from typing import Annotated

import typer

from osteo_cli.commands.common import DataOption, FormatOption, at_most, columns, complete_step, finish, load
from osteo_cli.errors import ExitCode
from osteo_cli.render.formats import OutputFormat


def sequence(
    steps: Annotated[
        list[str],
        typer.Argument(
            metavar="STEP...",
            show_default=False,
            autocompletion=complete_step,
            help="DRUG:DURATION, with the duration in m, y or doses (12m, 2y, 12doses); then optionally stop. "
            "At most 20 steps.",
            callback=at_most(20, "steps"),
        ),
    ],
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Draw a treatment plan as a timeline and flag what breaks the rules, with sources.

    Problems: a drug used past a limit its label sets (romosozumab beyond 12 doses;
    abaloparatide with other PTH analogs beyond 24 months), a drug that must be followed
    by another but is last or followed by `stop`, a follow-on that does not count
    (after denosumab only a bisphosphonate does), an anabolic course not followed by an
    antiresorptive. Cautions: teriparatide alone beyond 24 months (allowed only while
    fracture risk stays high). Exit 0 when the plan has no problem (cautions only
    included), 1 when it has one, 2 for a step osteo cannot read.

    Example: `osteo sequence romosozumab:12m denosumab:2y stop`
    """
    from osteo_cli.queries import sequence as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import sequence as views

    loaded = load(data)
    plan = queries.build(loaded.kb, steps)
    emit(fmt, views.sequence_view(loaded, plan, columns(fmt)))
    finish(ExitCode.FAILURE if plan.problems else ExitCode.OK)
