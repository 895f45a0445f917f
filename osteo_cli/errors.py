"""Domain errors. Each carries the exit code the CLI boundary turns it into."""

from __future__ import annotations


class OsteoError(Exception):
    """A known failure: the boundary prints its message on one line and exits."""

    exit_code = 1


class DataError(OsteoError):
    """The knowledge base cannot be read or is not valid (exit 1)."""

    exit_code = 1


class UsageError(OsteoError):
    """The user asked for something that does not exist or is malformed (exit 2)."""

    exit_code = 2
