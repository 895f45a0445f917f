"""`osteo lifestyle` and `osteo learn`: what to do besides medicine, and the background."""

from typing import TYPE_CHECKING, Annotated

import typer

from osteo_cli.commands.common import DataOption, FormatOption, choices, complete_topic, load
from osteo_cli.knowledge.vocabulary import AdviceGroup
from osteo_cli.render.formats import OutputFormat

if TYPE_CHECKING:
    from enum import StrEnum as Group
else:
    Group = choices("Group", AdviceGroup)


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
    from osteo_cli.queries import evidence
    from osteo_cli.queries import learn as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import learn as views

    loaded = load(data)
    chosen = group.value if group else None
    advice = queries.lifestyle(loaded.kb, chosen)
    amounts = evidence.intake_amounts(loaded.kb, chosen)
    measures = evidence.measures(loaded.kb, chosen)
    emit(fmt, views.lifestyle_view(loaded, advice, amounts, measures))


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
    from osteo_cli.queries import learn as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import learn as views

    loaded = load(data)
    found = queries.topics(loaded.kb, topic)
    emit(fmt, views.topics_view(loaded, found))
