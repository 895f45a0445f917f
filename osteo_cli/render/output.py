"""Writing a command's result: data to stdout, everything else to stderr.

JSON goes through json.dumps and straight to the stream, never a Rich console, which would
wrap long lines into invalid JSON. The reference-only footer goes with the data on
a terminal and in Markdown (it belongs in a pasted note), but to stderr when a table
is piped, so the data stream stays clean.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from typing import TYPE_CHECKING, Any, assert_never

from osteo_cli.render.formats import OutputFormat

if TYPE_CHECKING:
    from osteo_cli.render.document import Document, View

_SURROGATE = re.compile("[\ud800-\udfff]")


def console(stderr: bool = False) -> Any:
    """A Rich console made per call (never at import), so tests and pipes are honoured."""
    from rich.console import Console

    return Console(stderr=stderr, markup=False, emoji=False, highlight=False)


def to_json(payload: dict[str, Any]) -> str:
    import json  # only JSON output pays for it (--help and tables never do)

    # ASCII-safe: the same bytes whatever the stream's encoding (cp1252, ascii, a pipe).
    text = json.dumps(payload, indent=2, ensure_ascii=True, default=_default)
    if "\\ud" in text:  # a character beyond U+FFFF (a pair: fine), or a lone surrogate
        text = json.dumps(_no_surrogates(payload), indent=2, ensure_ascii=True, default=_default)
    return text


def _no_surrogates(value: Any) -> Any:
    """`value` with every lone surrogate (undecodable argv bytes, as Python keeps them) made
    U+FFFD, as the table does: I-JSON (RFC 7493) forbids them, and strict parsers refuse them."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_no_surrogates(k): _no_surrogates(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_no_surrogates(v) for v in value]
    return value


def _default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def emit(fmt: OutputFormat, view: View) -> None:
    """Write a command's answer in `fmt`. Only that format is built: a table or Markdown
    never builds the JSON, nor JSON the document."""
    if fmt is OutputFormat.json:
        _show(to_json(view.data()) + "\n")
    elif fmt is OutputFormat.markdown:
        from osteo_cli.render.markdown import to_markdown

        _show(to_markdown(view.document()))
    elif fmt is OutputFormat.table:
        _table(view.document())
    else:
        assert_never(fmt)


def _table(doc: Document) -> None:
    """A table, drawn by Rich; the footer goes with it on a terminal, to stderr when piped."""
    from osteo_cli.render.table import text, to_renderable

    out = console()
    with out.capture() as captured:
        out.print(to_renderable(doc, out.width), crop=False)  # a long address overflows whole
        if doc.footer and out.is_terminal:
            out.print(text(doc.footer, "dim"))  # wrapped by words, never mid-date
    rendered = captured.get()
    if not out.is_terminal:  # piped: no padding after the last word of a line
        rendered = "".join(line.rstrip() + "\n" for line in rendered.splitlines())
    _show(rendered)
    if doc.footer and not out.is_terminal:
        console(stderr=True).print(text(doc.footer, "dim"))


# Set by the root command's --no-pager on every run (so it never carries over in-process).
pager_off = False
DEFAULT_PAGER = "less -FRX"  # quit if one screen, keep colours, leave the text on screen


def pager_command() -> str | None:
    """The pager for long output on a terminal, as git and gh choose it: OSTEO_PAGER, then
    PAGER, then `less -FRX` (none on a TERM=dumb terminal); none when --no-pager is given, the
    pager is `cat` or empty, or stdout is not a terminal (a pipe or a file is never paged)."""
    if pager_off or not sys.stdout.isatty():
        return None
    import os

    command = os.environ.get("OSTEO_PAGER")
    if command is None:
        command = os.environ.get("PAGER")
    if command is None:  # as git does, no default pager on a dumb terminal: less would stop and ask
        command = "cat" if os.environ.get("TERM", "") == "dumb" else DEFAULT_PAGER
    return None if command.strip() in ("", "cat") else command


def _show(text: str) -> None:
    """Text to stdout; through the pager when it is taller than the terminal."""
    import shutil

    command = pager_command()
    if command is None or text.count("\n") < shutil.get_terminal_size().lines - 1:
        _out(text)
        return
    if not _page(command, text):
        # As git does: a pager that cannot start is named, and the answer is shown without it.
        from osteo_cli.render.textsafe import clean

        sys.stderr.write(f"osteo: warning: cannot run the pager {clean(command)[:100]!r}; set OSTEO_PAGER or PAGER\n")
        _out(text)


# A pager command with none of these is run directly (as git does), so a missing program is
# an OSError here, not a line from the shell; with any of them, a shell runs it.
_SHELL_SYNTAX = frozenset("|&;<>()$`\\\"'*?[]#~=%{}\n")
_CANNOT_RUN = (126, 127)  # the shell's exit status for a command it cannot run, or cannot find


def _page(command: str, text: str) -> bool:
    """`text` through the pager; False when the pager could not start (nothing was shown)."""
    import os
    import signal
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git does: a `less` without options behaves as `less -FRX`
    shell = bool(_SHELL_SYNTAX & set(command))
    try:
        pager = subprocess.Popen(command if shell else command.split(), shell=shell, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert pager.stdin is not None
    # Ctrl-C belongs to the pager while it runs: osteo waits for it, quietly.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        try:
            pager.stdin.write(text.encode(sys.stdout.encoding or "utf-8", errors="replace"))
            pager.stdin.close()
        except BrokenPipeError:  # the reader quit the pager before the end, or it never started
            pass
        code = pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return not (shell and code in _CANNOT_RUN)


def _out(text: str) -> None:
    """Text to stdout in the stream's own encoding (Click's echo would switch an ASCII
    stream to UTF-8); what the encoding cannot carry is degraded by the stream."""
    sys.stdout.write(text)
    sys.stdout.flush()  # before the footer goes to stderr, so the two keep their order


def write(data: bytes) -> None:
    """A file's bytes to stdout as they are (an iCalendar file keeps its CRLF line ends)."""
    import typer

    typer.echo(data, nl=False)


def error(message: str) -> None:
    """One line on stderr, control characters removed (it may quote argv or a file)."""
    import typer

    from osteo_cli.render.textsafe import clean

    one_line = shorten(" ".join(clean(message).split()))
    typer.echo(f"osteo: error: {one_line}", err=True)


LONGEST_WORD = 100  # characters of one word (an argument, a path) an error message quotes
LONGEST_ERROR = 400


def shorten(message: str) -> str:
    """An error that quotes a 128 KB argument stays one readable line."""
    import re

    def cut(match: re.Match[str]) -> str:
        word = match.group()
        return f"{word[: LONGEST_WORD - 21]}…{word[-20:]}"

    message = re.sub(rf"\S{{{LONGEST_WORD + 1},}}", cut, message)
    return message if len(message) <= LONGEST_ERROR else message[: LONGEST_ERROR - 1] + "…"
