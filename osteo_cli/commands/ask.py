"""`osteo ask`: a question in plain words, answered with the knowledge base's own facts."""

from typing import Annotated

import typer

from osteo_cli.commands.common import DataOption, FormatOption, at_most, finish, load
from osteo_cli.errors import ExitCode
from osteo_cli.render.formats import OutputFormat


def ask(
    question: Annotated[
        list[str],
        typer.Argument(
            metavar="QUESTION...",
            show_default=False,
            help="The question, quoted or not (at most 60 words): it names medicines (any name `drugs show` takes) "
            "and what is asked.",
            callback=at_most(60, "words"),
        ),
    ],
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Answer a question in plain words with osteo's own facts, their sources and the command that shows more.

    It recognises medicines (generic, brand, biosimilar, family) and what is asked: a missed
    dose, side effects, kidney function, dental work, stopping, switching, other medicines,
    pregnancy, when it works, how long to take it, fractures, men, steroids, how well it works,
    how it compares. When osteo has no answer it says so, shows the nearest search hits and
    exits 1: it never guesses.

    Example: `osteo ask I missed my weekly alendronate`
    """
    from osteo_cli.queries import ask as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import ask as views

    text = " ".join(question).strip()
    if not text:
        from osteo_cli.errors import UsageError

        raise UsageError("ask a question, e.g. 'osteo ask how long does Fosamax take to work'")
    loaded = load(data)
    asked = queries.ask(loaded.kb, text)
    hits = []
    if not asked.answered:
        from osteo_cli.queries.search import open_index

        hits = queries.nearest(open_index(data), text)
    emit(fmt, views.ask_view(loaded, asked, hits))
    finish(ExitCode.OK if asked.answered else ExitCode.FAILURE)
