"""The Typer options and arguments every command shares, and shell completion."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from osteo_cli.commands import calls
from osteo_cli.render.formats import OutputFormat

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


def _data_path(ctx: typer.Context) -> str | None:
    """--data (or OSTEO_DATA) while completing: Click hands it over unconverted, as a str."""
    import os

    data = ctx.params.get("data") or os.environ.get("OSTEO_DATA") or None
    return str(data) if data is not None else None


def complete_name(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of drug and family names (reads names only, from the cache)."""
    return calls.completion_names(_data_path(ctx), incomplete)


def complete_topic(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of `osteo learn` topics: their ids, never file names."""
    try:
        wanted = incomplete.casefold()
        data = _data_path(ctx)
        ids = [topic.id for topic in calls.load(Path(data) if data is not None else None).kb.topics]
        return calls.as_typed([i for i in ids if i.casefold().startswith(wanted)], incomplete)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into a shell
        return []


def complete_step(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of a plan step: a drug's name and its colon (`deno` -> `denosumab:`)."""
    if ":" in incomplete:
        return []
    names = [f"{name}:" for name in complete_name(ctx, incomplete)]
    return [*names, "stop"] if "stop".startswith(incomplete) and incomplete else names


NameArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="NAME",
        help="A generic or brand name, or a family; several words are one name (zoledronic acid).",
        autocompletion=complete_name,
        show_default=False,
    ),
]


def finish(code: int) -> None:
    """A call's exit code, as Typer expects it: nothing for 0, typer.Exit otherwise."""
    if code:
        raise typer.Exit(code)
