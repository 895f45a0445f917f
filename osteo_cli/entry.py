"""The console-script entry point, kept free of third-party imports so Ctrl-C is quiet from the start.

A KeyboardInterrupt during the ~100 ms of importing typer, rich and pydantic would
otherwise print a traceback; catching it here, around the import too, exits 130. A
KeyboardInterrupt that Python can only report as "Exception ignored" (in a finaliser, in
`threading._shutdown` as the process ends) exits 130 too, at once. A dependency that
fails to import is one line, not a traceback.

The common command lines are answered by the fast path (`commands/fast.py`) without
importing Typer; anything else goes to Typer. The cyclic garbage collector is off while the
fast path runs (a command is short, and reference counting frees what it makes; the
collections would walk every imported object again and again), and on for Typer's path.
At exit, `gc.freeze()` moves every object out of the collector's sight, so the
interpreter's final collections do not walk them (about 15% of a command's time). Output
is flushed and errors reported before that, as without it: only the exit is cheaper.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from typing import Any

from osteo_cli.errors import ExitCode  # stdlib only (enum, which signal has loaded)


def _unraisable(unraisable: Any) -> None:
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        os._exit(ExitCode.INTERRUPTED)
    sys.__unraisablehook__(unraisable)


def debug() -> bool:
    """OSTEO_DEBUG is on for 1, true, yes or on; 0, false, no, off and empty mean off."""
    return os.environ.get("OSTEO_DEBUG", "").strip().lower() in ("1", "true", "yes", "on")


def run() -> None:
    gc.disable()  # on the fast path (see the docstring)
    sys.unraisablehook = _unraisable
    try:
        from osteo_cli.render import streams

        streams.install()
        _answer_fast()
        gc.enable()  # Typer's path builds help and parsers: collect as usual there
        try:
            from osteo_cli.cli import app
        except Exception as exc:  # a broken install is one line, not a traceback
            if debug():
                raise
            from osteo_cli.commands.boundary import cannot_start

            sys.stderr.write(f"osteo: error: {cannot_start(exc)}\n")
            sys.exit(ExitCode.FAILURE)
        try:
            app()
        finally:
            # The output is complete (or failed): a Ctrl-C from now on changes nothing, so
            # it must not land in Python's shutdown as "Exception ignored".
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        sys.exit(ExitCode.INTERRUPTED)
    finally:
        gc.freeze()


def _answer_fast() -> None:
    """Answer a common command line without Typer, and exit; return for Typer to parse it."""
    from osteo_cli.commands import fast

    try:
        call = fast.parse(sys.argv[1:], os.environ)
    except Exception:  # reading the line must not fail; if it does, Typer reads it instead
        if debug():
            raise
        return
    if call is None:
        return
    try:
        code = fast.run(call)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # as below: the output is complete
    sys.exit(code)
