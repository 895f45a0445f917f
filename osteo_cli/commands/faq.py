"""`osteo faq`: the common questions, numbered, filtered by words."""

from typing import Annotated

import typer

from osteo_cli.commands.common import DataOption, FormatOption, at_most, complete_faq, load
from osteo_cli.render.formats import OutputFormat


def faq(
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[WORD...]",
            help="Show only entries with all these words (at most 16), or the one whose topic this is.",
            show_default=False,
            callback=at_most(16, "words"),
            autocompletion=complete_faq,
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Common questions about osteoporosis treatment, answered and numbered.

    Words show only the entries that contain them all; a number shows that question.

    Example: `osteo faq stop`, `osteo faq 4`
    """
    import re

    from osteo_cli.errors import OsteoError, UsageError
    from osteo_cli.queries import faq as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import faq as views

    words = words or []
    loaded = load(data)
    # ASCII digits only: "²" and "①" pass str.isdigit() but are no number int() reads.
    if len(words) == 1 and re.fullmatch(r"\d{1,6}", words[0].strip(), re.ASCII):
        hits = queries.faq_entry(loaded.kb, int(words[0]))
    elif len(words) == 1 and words[0].strip().isdigit():
        raise UsageError(f"there is no question {words[0].strip()!r}; they are numbered 1 to {len(loaded.kb.faq)}")
    else:
        hits = queries.faq(loaded.kb, words)
    if not hits:
        raise OsteoError(f"no question mentions {' '.join(words)!r}; run 'osteo faq' for all of them")
    emit(fmt, views.faq_view(loaded, hits))
