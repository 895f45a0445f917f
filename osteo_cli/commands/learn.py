"""`osteo lifestyle` and `osteo learn`: what to do besides medicine, and the background."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from osteo_cli.commands import calls
from osteo_cli.commands.common import DataOption, FormatOption, complete_topic, finish
from osteo_cli.render.formats import OutputFormat


class Group(StrEnum):
    exercise = "exercise"
    nutrition = "nutrition"
    habits = "habits"


def lifestyle(
    group: Annotated[
        Group | None,
        typer.Argument(
            metavar="[GROUP]", case_sensitive=False, show_default=False, help="Only exercise, nutrition or habits."
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Exercise, nutrition and habits that support bone, with calcium and vitamin D amounts
    by age and sex, upper limits, and the guidelines' general measures in numbers.

    Example: `osteo lifestyle exercise`
    """
    finish(calls.lifestyle(group.value if group else None, fmt, data))


def learn(
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="[TOPIC]",
            show_default=False,
            help="A topic id or title; none lists the topics.",
            autocompletion=complete_topic,
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Background: bone remodeling, the two kinds of medicine, bone density scans, key points.

    Example: `osteo learn scans`
    """
    finish(calls.learn(topic, fmt, data))
