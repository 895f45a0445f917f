"""The console-script entry point, kept free of third-party imports so Ctrl-C is quiet from the start.

A KeyboardInterrupt during the import of Typer would otherwise print a traceback; catching
it here, around the import too, exits 130. A KeyboardInterrupt that Python can only report
as "Exception ignored" (in a finaliser, in `threading._shutdown` as the process ends) exits
130 too, at once. A dependency that fails to import is one line, not a traceback.

The cyclic garbage collector is off while a command runs: a command is short, and
reference counting frees what it makes; the collections would walk every imported object
again and again. At exit, `gc.freeze()` moves every object out of the collector's sight,
so the interpreter's final collections do not walk them either. Output is flushed and
errors reported before that (in `cli.py`, the error boundary): only the exit is cheaper.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from typing import Any

from osteo_cli.errors import ExitCode, cannot_start, debug  # stdlib only


def _unraisable(unraisable: Any) -> None:
    if _interrupt(unraisable.exc_value):
        os._exit(ExitCode.INTERRUPTED)
    sys.__unraisablehook__(unraisable)


def _interrupt(exc: BaseException | None) -> bool:
    """A Ctrl-C that Python can only report: a KeyboardInterrupt, or a SIGINT that arrived
    as its handler was being replaced (CPython reports "Signal 2 ignored due to race
    condition" as an OSError)."""
    if isinstance(exc, KeyboardInterrupt):
        return True
    return isinstance(exc, OSError) and str(exc) == f"Signal {int(signal.SIGINT)} ignored due to race condition"


def run() -> None:
    gc.disable()
    sys.unraisablehook = _unraisable
    try:
        from osteo_cli.render import streams

        streams.install()
        try:
            from osteo_cli.cli import app
        except Exception as exc:  # a broken install is one line, not a traceback
            if debug():
                raise
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
