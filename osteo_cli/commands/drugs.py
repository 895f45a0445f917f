"""`osteo drugs ...`: list, show and compare medicines and families."""

from typing import TYPE_CHECKING, Annotated, cast

import typer

from osteo_cli.commands.common import (
    DataOption,
    FormatOption,
    NameArgument,
    at_most,
    choices,
    complete_name,
    load,
    one_name,
)
from osteo_cli.knowledge.vocabulary import Category
from osteo_cli.render.formats import OutputFormat
from osteo_cli.views.sections import SECTIONS, Section

if TYPE_CHECKING:
    from enum import StrEnum as CategoryChoice
else:
    CategoryChoice = choices("CategoryChoice", Category)

app = typer.Typer(
    help="Osteoporosis medicines: list, show one, compare several.\n\nExample: `osteo drugs show zoledronic acid`",
    no_args_is_help=True,
)


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
    from osteo_cli.queries import drugs as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import drugs as views

    loaded = load(data)
    chosen = cast("Category", category.value) if category else None
    # The query runs inside the view asked for, so its rows are freed once the view is
    # built: a thousand agents' rows are not held while the table is drawn.
    emit(fmt, views.list_view(loaded, lambda: queries.agents_in(loaded.kb, chosen)))


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
            help="Show only this section of a medicine; repeat for several (at most 20): " + ", ".join(SECTIONS) + ".",
            callback=at_most(20, "sections"),
        ),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", "-a", help="The whole monograph: every section, with its sources.")
    ] = False,
    sources: Annotated[bool, typer.Option("--sources", help="List the sources behind each group of facts.")] = False,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """One medicine at a glance, or a family; its sections with --section, everything with --all.

    The card says what it is and for whom, how it is taken, the boxed warning, the kidney
    limit, what must follow when it stops and its best trial result. The whole monograph
    (--all) runs from what it is and how to take it, through what to do after a missed
    dose and who should not take it, to interactions, kidney function, safety, side
    effects, checks, pregnancy, approvals, duration and stopping. JSON always holds it all.

    Example: `osteo drugs show prolia`, or only some sections:
    `osteo drugs show alendronate --section missed-dose --section interactions`
    """
    from osteo_cli.queries.names import resolve
    from osteo_cli.render.output import emit
    from osteo_cli.views import drugs as views

    loaded = load(data)
    name = one_name(words)
    found = resolve(loaded.kb, name)
    glance = not section and not everything
    emit(fmt, views.show_view(loaded, name, found, sources_only=sources, sections=section or SECTIONS, glance=glance))


@app.command()
def compare(
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME...",
            help="Two or more drug or family names, at most 12.",
            callback=at_most(12, "names to compare"),
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
    from osteo_cli.queries import drugs as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import drugs as views

    loaded = load(data)
    comparison = queries.compare(loaded.kb, names)
    emit(fmt, views.compare_view(loaded, comparison))


@app.command()
def stopping(
    words: NameArgument,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """What stopping a medicine involves: drug holiday, what must follow and why, limits.

    Example: `osteo drugs stopping denosumab`
    """
    from osteo_cli.queries.names import resolve
    from osteo_cli.render.output import emit
    from osteo_cli.views import drugs as views

    loaded = load(data)
    name = one_name(words)
    found = resolve(loaded.kb, name)
    emit(fmt, views.stopping_view(loaded, name, found))
