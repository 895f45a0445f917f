"""`osteo search`: one ranked list across everything osteo holds."""

from typing import Annotated

import typer

from osteo_cli.commands.common import DataOption, FormatOption
from osteo_cli.render.formats import OutputFormat


def search(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="WORD...",
            show_default=False,
            help="Words that must all appear (the start of a word, or another ending of it, is enough); "
            "at most 16 different words.",
        ),
    ],
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Search drugs (their monographs too), families, trials, guidelines, the FAQ, lifestyle and learn topics at once.

    Whole words and names come first, then other endings of a word. A question's small
    words (how, does, to) are left out. Each result says where it is and the command that
    shows it (for a medicine, the section). Exit 1 when nothing matches.

    Example: `osteo search rebound`
    """
    from osteo_cli.errors import OsteoError
    from osteo_cli.queries import search as finder
    from osteo_cli.render.output import emit
    from osteo_cli.views import search as views

    finder.query_words(words)  # a usage error before any reading
    index = finder.open_index(data)
    found = finder.find(index, words)
    hits = found.hits
    if not hits:
        better = finder.suggest(index, words)
        hint = f"did you mean {' '.join(better)!r}?" if better else "try fewer or shorter words"
        raise OsteoError(f"nothing mentions {' '.join(words)!r}; {hint}")
    emit(fmt, views.search_view(index, words, hits, found))
