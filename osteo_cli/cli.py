"""The `osteo` command: the root app, and the one boundary where errors become exit codes.

Exit codes: 0 success; 1 a data or runtime error (or nothing found); 2 a usage error
(unknown name, bad value, bad option); 130 interrupted. A user never sees a
traceback; set OSTEO_DEBUG=1 to get one for an unexpected error.

Parsing, help and shell completion are Typer's. Each command's module imports the
knowledge base, its query, its view and Rich only when the command runs.
"""

import inspect
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from osteo_cli.commands import ask, check, drugs, evidence, faq, kb, learn, schedule, search, sequence, tscore
from osteo_cli.errors import DEBUG_VARIABLE, ExitCode, OsteoError, cannot_start, debug

# -- the error boundary -----------------------------------------------------------------


def guarded(run: Callable[[], int]) -> int:
    """`run()`'s exit code, with its output flushed; any error is one line on stderr."""
    try:
        code = run()
        sys.stdout.flush()  # inside the try, so a closed pipe or a full disk is caught here
    except OsteoError as exc:
        error(str(exc))
        code = exc.exit_code
    except BrokenPipeError:
        _silence_stdout()
        code = ExitCode.FAILURE
    except UnicodeEncodeError as exc:
        if debug():
            raise
        if "surrogates" in str(exc):  # bytes in argv or a path that the system's encoding cannot read
            error("an argument or a path is not valid text: its bytes are not in this system's encoding")
            code = ExitCode.USAGE
        else:
            error(_internal(exc))
            code = ExitCode.FAILURE
    except ImportError as exc:  # modules load lazily, so a broken install can show here too
        if debug():
            raise
        error(cannot_start(exc))
        code = ExitCode.FAILURE
    except Exception as exc:
        if debug():
            raise
        error(_internal(exc))
        code = ExitCode.FAILURE
    return code


def _internal(exc: Exception) -> str:
    return f"internal error: {type(exc).__name__}: {exc} (set {DEBUG_VARIABLE}=1 for the traceback)"


MIN_COLUMNS = 40  # the narrowest the tables and figures are drawn: a narrower terminal wraps them
MIN_HELP_COLUMNS = 60  # below this, Typer's help shortens option names with "…"


def forget_nonsense_sizes(args: Sequence[str] = ()) -> None:
    """COLUMNS=0, -5 or abc means nothing: drop it, so Rich and Typer treat the width as
    unknown (the terminal's, or 80) rather than drawing into zero columns. A width that is
    real but too narrow to draw in without cutting words (a 7-column pane, COLUMNS=1) is
    drawn at MIN_COLUMNS (help at MIN_HELP_COLUMNS), and the terminal wraps it: the whole
    answer, never one letter a line or names cut short."""
    for name in ("COLUMNS", "LINES"):
        value = os.environ.get(name)
        if value is not None and not (value.strip().isdecimal() and 0 < int(value) <= 100_000):
            del os.environ[name]
    value = os.environ.get("COLUMNS")
    if value is not None:
        columns = int(value)
    else:
        columns = _terminal_columns()
        if columns <= 0:  # no terminal, or one that reports no size: Rich's own default (80)
            return
    # Help: asked for, or shown for a bare `osteo` or `osteo drugs` (a command of one word at
    # 60 columns is as whole as at 40).
    helping = len(args) <= 1 or any(arg in ("--help", "-h") for arg in args)
    least = MIN_HELP_COLUMNS if helping else MIN_COLUMNS
    if columns < least:
        os.environ["COLUMNS"] = str(least)


def _terminal_columns() -> int:
    """The width of the first of stdin, stdout and stderr that is a terminal, as Rich finds it."""
    for fd in (0, 1, 2):
        try:
            return os.get_terminal_size(fd).columns
        except (OSError, ValueError):
            continue
    return 0


def error(message: str) -> None:
    from osteo_cli.render.output import error as write_error  # only failures pay for it

    write_error(message)


def _silence_stdout() -> None:
    # Python docs, "Note on SIGPIPE": point stdout at devnull so the interpreter's
    # final flush does not raise again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


# -- the app ----------------------------------------------------------------------------


class OsteoGroup(TyperGroup):
    """The root group. Its `main` is the single error boundary, for the console script,
    `python -m osteo_cli` and CliRunner alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            examples_last(command)

    def main(  # type: ignore[override]  # always standalone: this is the boundary
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        argv = _root_options_first(list(sys.argv[1:] if args is None else args))

        def parse_and_run() -> int:
            try:
                code = super(OsteoGroup, self).main(
                    argv, prog_name or "osteo", complete_var, standalone_mode=False, **extra
                )
            except typer.exceptions.TyperException as exc:  # Click's usage errors
                # No arguments at all: the help was just printed, and says more than a line could.
                # Matched by name, as Typer does, since Click is vendored and private.
                if type(exc).__name__ != "NoArgsIsHelpError":
                    error(_usage_message(exc))
                return int(getattr(exc, "exit_code", ExitCode.USAGE))
            except typer.Abort:
                return ExitCode.INTERRUPTED
            return code if isinstance(code, int) else 0

        forget_nonsense_sizes(argv)
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


def _root_options_first(args: list[str]) -> list[str]:
    """`--no-pager` anywhere before a `--` (`osteo drugs show prolia --no-pager`, as people
    type it after reading a long answer) is moved to the front, where the root reads it."""
    end = args.index("--") if "--" in args else len(args)
    moved = [arg for arg in args[:end] if arg == "--no-pager"]
    if not moved or args[: len(moved)] == moved:
        return args
    return ["--no-pager", *[arg for arg in args[:end] if arg != "--no-pager"], *args[end:]]


def _is_drug_name(word: str) -> bool:
    try:
        from osteo_cli.knowledge import load
        from osteo_cli.queries.names import resolve

        resolve(load(None).kb, word)
    except Exception:  # noqa: BLE001 - only a hint: any doubt means no hint
        return False
    return True


def _usage_message(exc: typer.exceptions.TyperException) -> str:
    message = exc.format_message()
    if close := _closest_choice(exc, message):
        message += f" Did you mean {close!r}?"
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


def _closest_choice(exc: typer.exceptions.TyperException, message: str) -> str | None:
    """For a value that is not one of an option's choices (`--section stoping`), the choice
    it is closest to, as a misspelt drug name gets one."""
    choices = getattr(getattr(getattr(exc, "param", None), "type", None), "choices", None)
    typed = re.search(r"'([^']*)' is not one of ", message)
    if not choices or typed is None:
        return None
    import difflib

    close = difflib.get_close_matches(typed[1].lower(), [str(c) for c in choices], n=1)
    return close[0] if close else None


# -- what the help says beyond the options (the man page says it too: tests/docgen.py) -----

ENVIRONMENT = (
    ("OSTEO_DATA", "A knowledge-base file to read instead of the shipped one (what --data sets)."),
    (
        "OSTEO_CACHE_DIR",
        "The cache folder; default $XDG_CACHE_HOME/osteo, else ~/.cache/osteo. Used only if it is "
        "yours alone and empty, made by osteo or tagged by it (CACHEDIR.TAG).",
    ),
    (
        "OSTEO_NO_CACHE",
        "Any value but empty: no cache, and not the wheel's compiled copy either; every answer is read "
        "from the YAML file.",
    ),
    ("OSTEO_DEBUG", "1, true, yes or on: show the Python traceback of an unexpected error."),
    ("OSTEO_PAGER", "The pager for long output on a terminal; cat or empty for none."),
    ("PAGER", "The pager when OSTEO_PAGER is not set; without either, less -FRX."),
    ("NO_COLOR", "Any value but empty: no colour."),
    ("FORCE_COLOR", "Any value but empty: colour even when output is not a terminal."),
    ("TERM", "dumb: no colour and no default pager (a PAGER you set is still used)."),
    ("COLUMNS", "The width of tables and help; default the terminal's, or 80."),
    ("LINES", "The terminal's height: longer output is paged."),
    ("XDG_CACHE_HOME", "Where the cache folder goes when OSTEO_CACHE_DIR is not set; default ~/.cache."),
)

EXIT_STATUS = (
    (ExitCode.OK, "Success."),
    (
        ExitCode.FAILURE,
        "A finding a script should see: problems in a sequence, a named medicine to avoid in check, "
        "no schedule rule, a knowledge-base file with problems, nothing found. Or the knowledge base "
        "cannot be read, or an unexpected error.",
    ),
    (ExitCode.USAGE, "A usage error: an unknown name, a bad value or option, no command."),
    (ExitCode.INTERRUPTED, "Interrupted (Ctrl-C)."),
)

EXAMPLES = (
    "osteo drugs list",
    "osteo drugs show zoledronic acid",
    "osteo drugs compare denosumab teriparatide",
    "osteo sequence romosozumab:12m denosumab:2y",
    "osteo tscore -2.7",
    "osteo search rebound",
)


def examples_block(commands: Sequence[str]) -> str:
    """The help's last section: each example a command on a line of its own."""
    lines = "\n".join(f"$ {command}" for command in commands)
    return f"**Examples**\n\n```\n{lines}\n```"


def _root_epilog() -> str:
    environment = "\n".join(f"- `{name}`: {text}" for name, text in ENVIRONMENT)
    status = "\n".join(f"- `{int(code)}`: {text}" for code, text in EXIT_STATUS)
    return (
        f"**Environment**\n\n{environment}\n\n**Exit status**\n\n{status}\n\n"
        f"Errors are one line on stderr. `man osteo` has more.\n\n{examples_block(EXAMPLES)}"
    )


EXAMPLE_LINE = re.compile(r"^Examples?:", re.MULTILINE)
EXAMPLE_COMMAND = re.compile(r"`(osteo [^`]+)`")


def split_examples(text: str) -> tuple[str, list[str]]:
    """A docstring's help, and the commands of its closing `Example:` line (one or more
    `osteo ...` in backticks, with words between), which the help shows last, one a line."""
    text = inspect.cleandoc(text)
    starts = [match.start() for match in EXAMPLE_LINE.finditer(text)]
    if not starts:
        return text, []
    commands = EXAMPLE_COMMAND.findall(text[starts[-1] :])
    if not commands:
        return text, []
    return text[: starts[-1]].rstrip(), [" ".join(command.split()) for command in commands]


def examples_last(command: Any) -> None:
    """Move every command's `Example:` line from its help into its epilog, the help's end."""
    for sub in getattr(command, "commands", {}).values():
        examples_last(sub)
    if command.help and not command.epilog:
        command.help, commands = split_examples(command.help)
        if commands:
            command.epilog = examples_block(commands)


app = typer.Typer(
    cls=OsteoGroup,
    name="osteo",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=_root_epilog(),
)
app.add_typer(drugs.app, name="drugs")
app.command("faq")(faq.faq)
app.command("sequence")(sequence.sequence)
app.command("check")(check.check)
app.command("schedule")(schedule.schedule)
app.command("tscore", cls=tscore.TscoreCommand)(tscore.tscore)
app.command("evidence")(evidence.evidence)
app.command("guidelines")(evidence.guidelines)
app.command("lifestyle")(learn.lifestyle)
app.command("learn")(learn.learn)
app.command("search")(search.search)
app.command("ask")(ask.ask)
app.add_typer(kb.app, name="kb")


def _version(value: bool) -> None:
    if not value:
        return
    from osteo_cli import __version__
    from osteo_cli.commands.common import load
    from osteo_cli.render.textsafe import clean

    custom = os.environ.get("OSTEO_DATA")
    loaded = load(Path(custom) if custom else None)
    kb = loaded.kb
    which = f"custom knowledge base {clean(str(loaded.path))}" if loaded.custom else "knowledge base"
    sys.stdout.write(f"osteo {__version__}, {which} {kb.kb_version} (reviewed {kb.last_reviewed})\n")
    raise typer.Exit()


@app.callback()
def root(
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Never page long output on a terminal (here or anywhere after the command; "
            "or set OSTEO_PAGER=cat). "
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
    """
    from osteo_cli.render import output

    output.pager_off = no_pager
