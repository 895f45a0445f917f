"""The one boundary where errors become exit codes, for the Typer path and the fast path alike.

Exit codes: 0 success; 1 a data or runtime error (or nothing found); 2 a usage error
(unknown name, bad value, bad option); 130 interrupted. A user never sees a
traceback; set OSTEO_DEBUG=1 to get one for an unexpected error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from osteo_cli.errors import ExitCode, OsteoError

DEBUG_VARIABLE = "OSTEO_DEBUG"


def guarded(run: Callable[[], int]) -> int:
    """`run()`'s exit code, with its output flushed; any error is one line on stderr."""
    from osteo_cli.entry import debug

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


def cannot_start(exc: Exception) -> str:
    """The one line for a dependency that is missing or fails to import."""
    message = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return f"cannot start (a dependency is missing or broken): {message}"


def forget_nonsense_sizes() -> None:
    """COLUMNS=0, -5 or abc means nothing: drop it, so Rich and Typer treat the width as
    unknown (the terminal's, or 80) rather than drawing into zero columns."""
    for name in ("COLUMNS", "LINES"):
        value = os.environ.get(name)
        if value is not None and not (value.strip().isdecimal() and 0 < int(value) <= 100_000):
            del os.environ[name]


def error(message: str) -> None:
    from osteo_cli.render.output import error as write_error  # only failures pay for it

    write_error(message)


def _silence_stdout() -> None:
    # Python docs, "Note on SIGPIPE": point stdout at devnull so the interpreter's
    # final flush does not raise again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
