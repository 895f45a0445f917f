"""`osteo faq`: the common questions, numbered, filtered by words."""

from __future__ import annotations

from typing import Annotated

import typer

from osteo_cli.commands import calls
from osteo_cli.commands.common import DataOption, FormatOption, finish
from osteo_cli.render.formats import OutputFormat


def faq(
    words: Annotated[
        list[str] | None,
        typer.Argument(metavar="[WORD...]", help="Show only entries with all these words.", show_default=False),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Common questions about osteoporosis treatment, answered and numbered.

    Words show only the entries that contain them all; a number shows that question.

    Example: `osteo faq stop`, `osteo faq 4`
    """
    finish(calls.faq(words or [], fmt, data))
