"""`osteo tscore`: what a bone-density T-score means."""

from __future__ import annotations

from typing import Annotated

import typer

from osteo_cli.commands.common import DataOption, FormatOption, load
from osteo_cli.formats import OutputFormat

# A negative T-score (-2.7) looks like an option to the parser: let it through as the value.
SETTINGS = {"ignore_unknown_options": True}


def tscore(
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE", show_default=False, help="The T-score from a bone density (DEXA) report, e.g. -2.7."
        ),
    ],
    fracture: Annotated[bool, typer.Option("--fracture", help="There has been a fragility fracture.")] = False,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """The WHO category of a T-score, its exact boundaries, caveats, and a gauge.

    Type negative values plainly. Example: `osteo tscore -2.7 --fracture`
    """
    from osteo_cli import density
    from osteo_cli.render.output import emit
    from osteo_cli.views import tscore as views

    parsed = density.parse_tscore(value)
    loaded = load(data)
    result = density.classify(loaded.kb.bone_density, parsed, fracture)
    emit(fmt, views.tscore_document(loaded, result), views.tscore_json(loaded, result))
