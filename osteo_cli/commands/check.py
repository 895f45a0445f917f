"""`osteo check`: screen medicines against one person's kidney function, conditions and medicines."""

from typing import Annotated

import typer

from osteo_cli.commands.common import (
    DataOption,
    FormatOption,
    at_most,
    complete_condition,
    complete_name,
    complete_substance,
    finish,
    load,
)
from osteo_cli.errors import ExitCode
from osteo_cli.render.formats import OutputFormat


def check(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME...]",
            help="Medicines or families to screen (any name `drugs show` accepts), at most 20; "
            "every medicine when none.",
            autocompletion=complete_name,
            callback=at_most(20, "medicines to screen"),
            show_default=False,
        ),
    ] = None,
    crcl: Annotated[
        str | None,
        typer.Option(
            "--crcl",
            metavar="N",
            show_default=False,
            help="Creatinine clearance, mL/min: 1 to 200, at most 2 decimal places.",
        ),
    ] = None,
    egfr: Annotated[
        str | None,
        typer.Option(
            "--egfr", metavar="N", show_default=False, help="eGFR, mL/min/1.73 m2: 1 to 200, at most 2 decimal places."
        ),
    ] = None,
    has: Annotated[
        list[str] | None,
        typer.Option(
            "--has",
            metavar="CONDITION",
            show_default=False,
            autocompletion=complete_condition,
            help="A condition (repeatable, at most 20); see --list.",
            callback=at_most(20, "conditions with --has"),
        ),
    ] = None,
    takes: Annotated[
        list[str] | None,
        typer.Option(
            "--takes",
            metavar="MEDICINE",
            show_default=False,
            autocompletion=complete_substance,
            help="Another medicine, food or supplement taken (repeatable, at most 20), brand or generic.",
            callback=at_most(20, "medicines with --takes"),
        ),
    ] = None,
    vocabulary: Annotated[
        bool, typer.Option("--list", help="List the conditions and medicines osteo check understands.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Screen medicines against one person's kidney function, conditions and other medicines.

    The answer leads with each verdict and its medicines, then the reasons, most severe
    first. Each medicine gets a verdict from its label: **avoid** (a contraindication, "not
    recommended", an interaction to avoid), **caution** (a warning, an unapproved use, an
    interaction to manage), **cannot compare** (the label's kidney limit is in the other
    measure than the one given: measure that one), or **no label restriction found**, which
    does not mean safe. Each reason names the action the label gives and its source.

    Exit 0 when no named medicine is to be avoided, 1 when one is (with no names: 1 only
    when every medicine is), 2 for a usage error such as an unknown condition.

    Examples: `osteo check --crcl 32`, `osteo check --has recent-mi`,
    `osteo check alendronate --takes calcium --takes omeprazole`, `osteo check --list`
    """
    from osteo_cli.errors import UsageError
    from osteo_cli.queries import check as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import check as views

    loaded = load(data)
    if vocabulary:
        emit(fmt, views.vocabulary_view(loaded))
        return
    if crcl is None and egfr is None and not has and not takes:
        raise UsageError(
            "tell osteo check something to screen against: --crcl, --egfr, --has or --takes "
            "(e.g. 'osteo check --crcl 32'); 'osteo check --list' shows the conditions"
        )
    facts = queries.facts(loaded.kb, crcl=crcl, egfr=egfr, has=has or [], takes=takes or [])
    result = queries.screen(loaded.kb, names or [], facts)
    emit(fmt, views.check_view(loaded, result))
    finish(ExitCode.FAILURE if result.ruled_out else ExitCode.OK)
