"""Exit codes and domain errors. Each error carries the exit code the CLI boundary turns it into."""

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
