"""`osteo search`: one ranked list across everything osteo holds."""

from __future__ import annotations

from typing import Annotated

import typer

from osteo_cli.commands import calls
from osteo_cli.commands.common import DataOption, FormatOption, finish
from osteo_cli.render.formats import OutputFormat


def search(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="WORD...",
            show_default=False,
            help="Words that must all appear (the start of a word, or another ending of it, is enough).",
        ),
    ],
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Search drugs (their monographs too), families, trials, guidelines, the FAQ, lifestyle and learn topics at once.

    Each result says where it is and the command that shows it whole. Exit 1 when
    nothing matches.

    Example: `osteo search rebound`
    """
    finish(calls.search(words, fmt, data))
