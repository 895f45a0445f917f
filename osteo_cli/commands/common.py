"""What every command shares: the --format and --data options, the NAME argument, loading
the knowledge base, and shell completion.

Only Typer and the standard library are imported here: the knowledge base, the queries,
the views and Rich are imported inside the functions that use them, so `--help` and a Tab
press load no more than they need.
"""

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast, get_args

import typer

from osteo_cli.render.formats import OutputFormat

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from osteo_cli.knowledge import Loaded


def choices(name: str, literal: Any) -> type[StrEnum]:
    """A Typer choice from a `Literal` of the knowledge base's models: the values are
    written once, in `knowledge/models.py`."""
    made = StrEnum(name, [(value, value) for value in get_args(literal)])  # type: ignore[misc]  # dynamic
    return cast("type[StrEnum]", made)


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


def load(data: Path | None) -> "Loaded":
    """The knowledge base --data names (or OSTEO_DATA), else the shipped one."""
    from osteo_cli.knowledge import load as load_kb

    if data is not None and str(data) == ".":  # how `--data ''` arrives
        from osteo_cli.errors import UsageError

        raise UsageError("--data (or OSTEO_DATA) names no file; give the path of a knowledge-base file")
    return load_kb(data)


def at_most(limit: int, what: str) -> "Callable[[list[str] | None], list[str] | None]":
    """A callback that bounds a repeatable option or argument: more than `limit` values is
    a usage error (exit 2), before any of them is looked at. State the bound in the help."""

    def check(values: list[str] | None) -> list[str] | None:
        if values and len(values) > limit:
            from osteo_cli.errors import UsageError

            raise UsageError(f"give at most {limit} {what} ({len(values)} given)")
        return values

    return check


MAX_NAME_WORDS = 8  # words of one NAME: the longest name has three


def one_name(words: "Sequence[str]") -> str:
    """The words of NAME as one name: `osteo drugs show zoledronic acid` needs no quotes."""
    return " ".join(words)


def columns(fmt: OutputFormat) -> int | None:
    """The width a table's figure must fit: the terminal's (or COLUMNS, or 80); None for
    JSON and Markdown, which have no width."""
    if fmt is not OutputFormat.table:
        return None
    import shutil

    return shutil.get_terminal_size().columns


def finish(code: int) -> None:
    """A command's exit code, as Typer expects it: nothing for 0, typer.Exit otherwise."""
    if code:
        raise typer.Exit(code)


# -- shell completion: names only, and never a traceback into a shell ---------------------


def _data_path(ctx: typer.Context) -> Path | None:
    """--data (or OSTEO_DATA) while completing: Click hands it over unconverted, as a str."""
    import os

    data = ctx.params.get("data") or os.environ.get("OSTEO_DATA") or None
    return Path(data) if data is not None else None


def as_typed(names: list[str], incomplete: str) -> list[str]:
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

        return as_typed(complete(completion_names(_data_path(ctx)), incomplete), incomplete)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into a shell
        return []


def complete_topic(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of `osteo learn` topics: their ids, never file names."""
    try:
        wanted = incomplete.casefold()
        ids = [topic.id for topic in load(_data_path(ctx)).kb.topics]
        return as_typed([i for i in ids if i.casefold().startswith(wanted)], incomplete)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into a shell
        return []


def _complete_words(ctx: typer.Context, incomplete: str, which: str) -> list[str]:
    """Shell completion from a vocabulary: the ids and synonyms of the knowledge base's
    conditions (`--has`), substances (`--takes`), or the ids of its FAQ entries (`faq`),
    spelt for a shell (`heart-attack`); each typed form resolves to its entry."""
    try:
        kb = load(_data_path(ctx)).kb
        if which == "faq":
            words = [entry.id for entry in kb.faq]
        else:
            from osteo_cli.queries.check import key

            entries = kb.conditions if which == "conditions" else kb.substances
            words = [key(n).replace(" ", "-") for e in entries for n in (e.id, *e.synonyms)]
        wanted = incomplete.casefold()
        return as_typed([w for w in dict.fromkeys(words) if w.casefold().startswith(wanted)], incomplete)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into a shell
        return []


def complete_condition(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of `osteo check --has`: condition ids and synonyms."""
    return _complete_words(ctx, incomplete, "conditions")


def complete_substance(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of `osteo check --takes`: substance ids and synonyms."""
    return _complete_words(ctx, incomplete, "substances")


def complete_faq(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion of `osteo faq`: the questions' topics (their ids), never file names."""
    return _complete_words(ctx, incomplete, "faq")


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
        help="A generic or brand name, or a family; several words are one name (zoledronic acid); "
        f"at most {MAX_NAME_WORDS} words.",
        autocompletion=complete_name,
        callback=at_most(MAX_NAME_WORDS, "words of one name"),
        show_default=False,
    ),
]
