"""`osteo evidence` and `osteo guidelines`: how well each medicine works, and what guidelines advise."""

from __future__ import annotations

from typing import Annotated

import typer

from osteo_cli.commands import calls
from osteo_cli.commands.common import DataOption, FormatOption, complete_name, finish
from osteo_cli.render.formats import OutputFormat


def evidence(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME...]",
            help="Drug or family names; none shows every trial.",
            autocompletion=complete_name,
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """How well each medicine works: fewer new fractures (spine, non-spine, hip) in its pivotal trials.

    Trials against placebo are drawn apart from trials against another medicine.
    Example: `osteo evidence alendronate denosumab`
    """
    finish(calls.evidence(names or [], fmt, data))


def guidelines(
    guideline: Annotated[
        str | None,
        typer.Argument(
            metavar="[GUIDELINE]", show_default=False, help="bhof, aace or endocrine; none shows all side by side."
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """What the guidelines say: treatment thresholds, high and very high risk, first choices,
    drug holidays and how often bone density is rechecked.

    Example: `osteo guidelines aace`
    """
    finish(calls.guidelines(guideline, fmt, data))
