"""`osteo evidence` and `osteo guidelines`: how well each medicine works, and what guidelines advise."""

from typing import TYPE_CHECKING, Annotated

import typer

from osteo_cli.commands.common import DataOption, FormatOption, at_most, complete_name, load
from osteo_cli.render.formats import OutputFormat

if TYPE_CHECKING:
    pass

# The bar characters of the evidence picture; a stream that cannot encode them gets `#` bars.
PROBE = "█▏▎▍▌▋▊▉═−…"


def can_draw(encoding: str | None) -> bool:
    """Whether a stream with this encoding can write the picture's block characters."""
    try:
        PROBE.encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def evidence(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME...]",
            help="Drug or family names, at most 20; none shows every trial.",
            callback=at_most(20, "names"),
            autocompletion=complete_name,
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """How well each medicine works: fewer new fractures (spine, non-spine, hip) in its pivotal trials.

    Trials against placebo are drawn apart from trials against another medicine.
    Example: `osteo evidence alendronate denosumab`
    """
    import shutil
    import sys

    from osteo_cli.queries import evidence as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import evidence as views

    loaded = load(data)
    trials = queries.trials_for(loaded.kb, names or [])

    width = max(20, shutil.get_terminal_size().columns)
    unicode = can_draw(getattr(sys.stdout, "encoding", None))
    emit(fmt, views.evidence_view(loaded, trials, width, unicode, details=bool(names)))


def guidelines(
    guideline: Annotated[
        str | None,
        typer.Argument(
            metavar="[GUIDELINE]", show_default=False, help="bhof, aace or endocrine; none shows all side by side."
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    data: DataOption = None,
) -> None:
    """What the guidelines say: treatment thresholds, high and very high risk, first choices,
    drug holidays and how often bone density is rechecked.

    Example: `osteo guidelines aace`
    """
    from osteo_cli.queries import evidence as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import evidence as views

    loaded = load(data)
    found = queries.guidelines(loaded.kb, guideline)
    emit(fmt, views.guidelines_view(loaded, found))
