"""`osteo search`: one ranked list across everything osteo holds."""

from __future__ import annotations

from typing import Annotated

import typer

from osteo_cli.commands.common import DataOption, FormatOption
from osteo_cli.formats import OutputFormat


def search(
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="WORD...", show_default=False, help="Words that must all appear (the start of a word is enough)."
        ),
    ],
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """Search drugs, families, the FAQ, lifestyle advice and learn topics at once.

    Each result says where it is and the command that shows it whole. Exit 1 when
    nothing matches.

    Example: `osteo search rebound`
    """
    from osteo_cli import knowledge
    from osteo_cli import search as finder
    from osteo_cli.errors import OsteoError
    from osteo_cli.render.output import emit
    from osteo_cli.views import search as views

    # The index is cached with the knowledge base: a search never builds its objects.
    raw = knowledge.derived(data, "search", finder.build_index, finder.valid_index)
    index = finder.load_index(raw, *knowledge.locate(data))
    hits = finder.search(index, words)
    if not hits:
        raise OsteoError(f"nothing mentions {' '.join(words)!r}; try fewer or shorter words")
    emit(fmt, views.search_document(index, words, hits), views.search_json(index, words, hits))
