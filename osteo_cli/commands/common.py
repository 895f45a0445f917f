"""Options every command shares, and the one way commands load the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from osteo_cli.formats import OutputFormat

FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="Output: a table, JSON for scripts, or Markdown for notes.", case_sensitive=False
    ),
]
DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        envvar="OSTEO_DATA",
        metavar="PATH",
        show_default=False,
        help="Read this knowledge-base file instead of the shipped one.",
    ),
]


def load(data: Path | None):  # type: ignore[no-untyped-def]  # -> knowledge.Loaded, imported lazily
    from osteo_cli.knowledge import load as load_kb

    return load_kb(data)


def complete_name(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of drug and family names (reads names only, from the cache)."""
    try:
        from osteo_cli.knowledge import completion_names
        from osteo_cli.names import complete

        return complete(completion_names(ctx.params.get("data")), incomplete)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into a shell
        return []
