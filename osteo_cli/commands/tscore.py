"""`osteo tscore`: what a bone-density T-score means."""

import re
from typing import Annotated

import typer
from typer.core import TyperCommand

from osteo_cli.commands.common import DataOption, FormatOption, columns, load
from osteo_cli.render.formats import OutputFormat

# A negative T-score (-2.7, -2.5h, -inf) looks like an option, or a cluster of short
# options (-2.5h holds -h), to the parser: such a word is marked as a value before parsing.
NUMBER_LIKE = re.compile(r"-[\d.]|-(inf|infinity|nan)$", re.IGNORECASE)


class TscoreCommand(TyperCommand):
    """Reads a word that starts like a negative number as the VALUE, never as options."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        marked = [f" {arg}" if NUMBER_LIKE.match(arg) else arg for arg in args]  # a space: not an option
        return super().parse_args(ctx, marked)


def tscore(
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE", show_default=False, help="The T-score from a bone density (DEXA) report, e.g. -2.7."
        ),
    ],
    site: Annotated[
        str | None,
        typer.Argument(
            metavar="[SITE]",
            show_default=False,
            help="With --fracture, where it was: hip, spine, humerus, pelvis, wrist or other.",
        ),
    ] = None,
    fracture: Annotated[
        bool, typer.Option("--fracture", help="There has been a fragility fracture; give its SITE after it.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """The WHO category of a T-score, its exact boundaries, caveats, and a gauge.

    A fragility fracture counts too: a hip or spine fracture means osteoporosis whatever
    the T-score, and so does low bone mass with a fracture of the upper arm (humerus),
    pelvis or, in some cases, wrist (a clinical diagnosis). Type negative values plainly.

    Example: `osteo tscore -2.7`, or with a fracture: `osteo tscore -1.8 --fracture hip`
    """
    from osteo_cli.queries import tscore as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import tscore as views

    parsed = queries.parse_tscore(value)
    where = queries.parse_site(site, fracture)
    loaded = load(data)
    result = queries.classify(loaded.kb.bone_density, parsed, fracture, where)
    emit(fmt, views.tscore_view(loaded, result, columns(fmt)))
