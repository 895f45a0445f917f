"""Exit codes and domain errors. Each error carries the exit code the CLI boundary (`cli.py`)
turns it into. Standard library only: the entry point reports with it before anything loads."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit code osteo uses, in one place (README: Exit codes)."""

    OK = 0
    FAILURE = 1  # the knowledge base cannot be used, or the answer holds problems
    USAGE = 2  # the command line asks for something that does not exist or is malformed
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT


class OsteoError(Exception):
    """A known failure: the boundary prints its message on one line and exits."""

    exit_code = ExitCode.FAILURE


class DataError(OsteoError):
    """The knowledge base cannot be read or is not valid (exit 1)."""

    exit_code = ExitCode.FAILURE


class UsageError(OsteoError):
    """The user asked for something that does not exist or is malformed (exit 2)."""

    exit_code = ExitCode.USAGE


DEBUG_VARIABLE = "OSTEO_DEBUG"


def debug() -> bool:
    """OSTEO_DEBUG is on for 1, true, yes or on; 0, false, no, off and empty mean off."""
    import os

    return os.environ.get(DEBUG_VARIABLE, "").strip().lower() in ("1", "true", "yes", "on")


def cannot_start(exc: Exception) -> str:
    """The one line for a dependency that is missing or fails to import."""
    message = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    return f"cannot start (a dependency is missing or broken): {message}"
