"""`osteo drugs ...`: list, show and compare medicines and families."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from osteo_cli.commands import calls
from osteo_cli.commands.common import DataOption, FormatOption, NameArgument, complete_name, finish
from osteo_cli.render.formats import OutputFormat
from osteo_cli.views.sections import SECTIONS, Section

app = typer.Typer(
    help="Osteoporosis medicines: list, show one, compare several.\n\nExample: `osteo drugs show zoledronic acid`",
    no_args_is_help=True,
)


class CategoryChoice(StrEnum):
    antiresorptive = "antiresorptive"
    anabolic = "anabolic"
    both = "both"


@app.command("list")
def list_(
    category: Annotated[
        CategoryChoice | None,
        typer.Option(
            "--category",
            "-c",
            case_sensitive=False,
            metavar="CATEGORY",
            help="Only drugs that slow bone breakdown (antiresorptive), build bone (anabolic), or both.",
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """List every medicine with its brands, family, category, route and schedule.

    Example: `osteo drugs list --category anabolic`
    """
    finish(calls.drugs_list(category.value if category else None, fmt, data))


@app.command()
def show(
    words: NameArgument,
    section: Annotated[
        list[Section] | None,
        typer.Option(
            "--section",
            "-s",
            case_sensitive=False,
            metavar="SECTION",
            help="Show only this section of a medicine; repeat for several: " + ", ".join(SECTIONS) + ".",
        ),
    ] = None,
    sources: Annotated[bool, typer.Option("--sources", help="List the sources behind each group of facts.")] = False,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Everything osteo holds about one medicine or family, with its sources.

    A medicine's monograph runs from what it is and how to take it, through what to do
    after a missed dose and who should not take it, to interactions, kidney function,
    safety, side effects, checks, pregnancy, approvals, duration and stopping.

    Example: `osteo drugs show prolia`, or only some sections:
    `osteo drugs show alendronate --section missed-dose --section interactions`
    """
    finish(calls.drugs_show(words, section or [], sources, fmt, data))


@app.command()
def compare(
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME...",
            help="Two or more drug or family names.",
            autocompletion=complete_name,
            show_default=False,
        ),
    ],
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Compare medicines or families side by side, one column each.

    Rows: the source article's four features (mechanism, administration, typical
    use, what must follow treatment), then brands, dose and schedule, duration limit.

    Example: `osteo drugs compare denosumab teriparatide`
    """
    finish(calls.drugs_compare(names, fmt, data))


@app.command()
def stopping(
    words: NameArgument,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """What stopping a medicine involves: drug holiday, what must follow and why, limits.

    Example: `osteo drugs stopping denosumab`
    """
    finish(calls.drugs_stopping(words, fmt, data))
