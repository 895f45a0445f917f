"""Options every command shares, and the one way commands load the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from osteo_cli.render.formats import OutputFormat

if TYPE_CHECKING:
    from osteo_cli.knowledge import Loaded

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


def _data_path(ctx: typer.Context) -> Path | None:
    """--data (or OSTEO_DATA) while completing: Click hands it over unconverted, as a str."""
    import os

    data = ctx.params.get("data") or os.environ.get("OSTEO_DATA") or None
    return Path(data) if data is not None else None


def _as_typed(names: list[str], incomplete: str) -> list[str]:
    """Matches kept in the case they were typed in (`Pro` -> `Prolia`): Typer keeps only
    candidates that start with the typed text, case and all, and names resolve in any case."""
    from osteo_cli.queries.names import slug

    if len(slug(incomplete)) != len(incomplete):
        return names
    return [incomplete + name[len(incomplete) :] for name in names]


def complete_name(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of drug and family names (reads names only, from the cache)."""
    try:
        from osteo_cli.knowledge import completion_names
        from osteo_cli.queries.names import complete

        return _as_typed(complete(completion_names(_data_path(ctx)), incomplete), incomplete)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into a shell
        return []


def complete_topic(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of `osteo learn` topics: their ids, never file names."""
    try:
        wanted = incomplete.casefold()
        ids = [topic.id for topic in load(_data_path(ctx)).kb.topics]
        return _as_typed([i for i in ids if i.casefold().startswith(wanted)], incomplete)
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


def one_name(words: list[str]) -> str:
    """The words of NAME as one name: `osteo drugs show zoledronic acid` needs no quotes."""
    return " ".join(words)


def load(data: Path | None) -> Loaded:
    from osteo_cli.knowledge import load as load_kb  # not at import: --help needs no knowledge base

    if data is not None and str(data) == ".":  # how `--data ''` arrives
        from osteo_cli.errors import UsageError

        raise UsageError("--data (or OSTEO_DATA) names no file; give the path of a knowledge-base file")
    return load_kb(data)


def columns(fmt: OutputFormat) -> int | None:
    """The width a table's figure must fit: the terminal's (or COLUMNS, or 80); None for
    JSON and Markdown, which have no width."""
    if fmt is not OutputFormat.table:
        return None
    import shutil

    return shutil.get_terminal_size((80, 24)).columns
