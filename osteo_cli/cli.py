"""The `osteo` command: the root app, and the one boundary where errors become exit codes.

Exit codes: 0 success; 1 a data or runtime error (or nothing found); 2 a usage error
(unknown name, bad value, bad option); 130 interrupted. A user never sees a
traceback; set OSTEO_DEBUG=1 to get one for an unexpected error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from osteo_cli.commands import calls, drugs, kb, tscore
from osteo_cli.commands.boundary import forget_nonsense_sizes
from osteo_cli.commands.check import check
from osteo_cli.commands.evidence import evidence, guidelines
from osteo_cli.commands.faq import faq
from osteo_cli.commands.learn import learn, lifestyle
from osteo_cli.commands.schedule import schedule
from osteo_cli.commands.search import search
from osteo_cli.commands.sequence import sequence
from osteo_cli.render import emoji_table

emoji_table.install()  # Typer's help loads Rich's emoji table only if a text holds a code


class OsteoGroup(TyperGroup):
    """The root group. Its `main` is the single error boundary, for the console script,
    `python -m osteo_cli` and CliRunner alike."""

    def main(  # type: ignore[override]  # always standalone: this is the boundary
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        from osteo_cli.commands.boundary import guarded
        from osteo_cli.errors import ExitCode

        def parse_and_run() -> int:
            try:
                code = super(OsteoGroup, self).main(
                    args, prog_name or "osteo", complete_var, standalone_mode=False, **extra
                )
            except typer.exceptions.TyperException as exc:  # Click's usage errors
                # No arguments at all: the help was just printed, and says more than a line could.
                # Matched by name, as Typer does, since Click is vendored and private.
                if type(exc).__name__ != "NoArgsIsHelpError":
                    _error(_usage_message(exc))
                return int(getattr(exc, "exit_code", ExitCode.USAGE))
            except typer.Abort:
                return ExitCode.INTERRUPTED
            return code if isinstance(code, int) else 0

        forget_nonsense_sizes()
        sys.exit(guarded(parse_and_run))

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        """`drugs`, the main group, first; the rest in the order they were added."""
        names = list(super().list_commands(ctx))
        return sorted(names, key=lambda name: name != "drugs")

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:  # type: ignore[override]
        """A newcomer's first guess is often a `drugs` subcommand without `drugs` (`osteo show
        prolia`), or a drug's name alone: point to the command they meant."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            group = self.get_command(ctx, "drugs")
            subcommands = getattr(group, "commands", {})
            if name in subcommands:
                ctx.fail(f"No such command '{name}'. Did you mean 'osteo drugs {name}'?")
            if _is_drug_name(name):
                ctx.fail(f"No such command '{name}'. To look up a drug: osteo drugs show {name}")
        return super().resolve_command(ctx, args)


def _is_drug_name(word: str) -> bool:
    try:
        from osteo_cli.knowledge import load
        from osteo_cli.queries.names import resolve

        resolve(load(None).kb, word)
    except Exception:  # noqa: BLE001 - only a hint: any doubt means no hint
        return False
    return True


def _error(message: str) -> None:
    from osteo_cli.render.output import error  # only failures pay for it

    error(message)


def _usage_message(exc: typer.exceptions.TyperException) -> str:
    message = exc.format_message()
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


app = typer.Typer(
    cls=OsteoGroup,
    name="osteo",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(drugs.app, name="drugs")
app.command("faq")(faq)
app.command("sequence")(sequence)
app.command("check")(check)
app.command("schedule")(schedule)
app.command("tscore", cls=tscore.TscoreCommand)(tscore.tscore)
app.command("evidence")(evidence)
app.command("guidelines")(guidelines)
app.command("lifestyle")(lifestyle)
app.command("learn")(learn)
app.command("search")(search)
app.add_typer(kb.app, name="kb")


def _version(value: bool) -> None:
    if not value:
        return
    custom = os.environ.get("OSTEO_DATA")
    raise typer.Exit(calls.version(Path(custom) if custom else None))


@app.callback()
def root(
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Never page long output on a terminal (or set OSTEO_PAGER=cat). "
            "The pager is OSTEO_PAGER, then PAGER, then 'less -FRX'.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", is_eager=True, callback=_version, help="Show osteo's and the knowledge base's versions."
        ),
    ] = False,
) -> None:
    """The osteoporosis medication reference: what each drug does, how it is given,
    how long it can be taken and what must follow it. Reference only, not medical advice.

    **Examples**

    ```
    $ osteo drugs list
    $ osteo drugs show zoledronic acid
    $ osteo drugs compare denosumab teriparatide
    $ osteo sequence romosozumab:12m denosumab:2y
    $ osteo tscore -2.7
    $ osteo search rebound
    ```
    """
    from osteo_cli.render import output

    output.pager_off = no_pager
