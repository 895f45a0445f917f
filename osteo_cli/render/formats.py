"""The output formats every command offers."""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class ScheduleFormat(StrEnum):
    """`osteo schedule` also writes an iCalendar file."""

    table = "table"
    json = "json"
    markdown = "markdown"
    ics = "ics"
