"""What each command does once its arguments are parsed: load, query, build the view, emit.

Typer-free, so that the Typer commands and the fast path (`commands/fast.py`) run the very
same code after parsing: the two can differ only in how they read argv, and a test holds
them to the same stdout, stderr and exit code. Each call returns the exit code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osteo_cli.errors import ExitCode
from osteo_cli.render.formats import OutputFormat, ScheduleFormat

if TYPE_CHECKING:
    from collections.abc import Sequence

    from osteo_cli.knowledge import Loaded
    from osteo_cli.knowledge.models import Category
    from osteo_cli.render.document import Document
    from osteo_cli.views.sections import Section

# The bar characters of the evidence picture; a stream that cannot encode them gets `#` bars.
PROBE = "█▏▎▍▌▋▊▉═−…"
MAX_COUNT = 60  # `schedule --count`: five years of monthly doses


def load(data: Path | None) -> Loaded:
    from osteo_cli.knowledge import load as load_kb  # not at import: --help needs no knowledge base

    if data is not None and str(data) == ".":  # how `--data ''` arrives
        from osteo_cli.errors import UsageError

        raise UsageError("--data (or OSTEO_DATA) names no file; give the path of a knowledge-base file")
    return load_kb(data)


def one_name(words: Sequence[str]) -> str:
    """The words of NAME as one name: `osteo drugs show zoledronic acid` needs no quotes."""
    return " ".join(words)


def columns(fmt: OutputFormat) -> int | None:
    """The width a table's figure must fit: the terminal's (or COLUMNS, or 80); None for
    JSON and Markdown, which have no width."""
    if fmt is not OutputFormat.table:
        return None
    from osteo_cli.render.streams import terminal_size

    return terminal_size().columns


def can_draw(encoding: str | None) -> bool:
    """Whether a stream with this encoding can write the picture's block characters."""
    try:
        PROBE.encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def version(data: Path | None) -> int:
    import sys

    from osteo_cli import __version__
    from osteo_cli.render.textsafe import clean

    loaded = load(data)
    kb = loaded.kb
    which = f"custom knowledge base {clean(str(loaded.path))}" if loaded.custom else "knowledge base"
    sys.stdout.write(f"osteo {__version__}, {which} {kb.kb_version} (reviewed {kb.last_reviewed})\n")
    return ExitCode.OK


def drugs_list(category: Category | None, fmt: OutputFormat, data: Path | None) -> int:
    from osteo_cli.queries import drugs as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import drugs as views

    loaded = load(data)
    # The query runs inside the view asked for, so its rows are freed once the view is
    # built: a thousand agents' rows are not held while the table is drawn.
    emit(
        fmt,
        lambda: views.agent_list(loaded, queries.agents_in(loaded.kb, category)),
        lambda: views.agent_list_json(loaded, queries.agents_in(loaded.kb, category)),
    )
    return ExitCode.OK


def drugs_show(
    words: Sequence[str], sections: Sequence[Section], sources: bool, fmt: OutputFormat, data: Path | None
) -> int:
    from osteo_cli.queries.names import resolve
    from osteo_cli.render.output import emit
    from osteo_cli.views import drugs as views
    from osteo_cli.views.sections import SECTIONS

    loaded = load(data)
    name = one_name(words)
    found = resolve(loaded.kb, name)
    emit(
        fmt,
        lambda: views.show_document(loaded, name, found, sources_only=sources, sections=list(sections) or SECTIONS),
        lambda: views.show_json(loaded, name, found),
    )
    return ExitCode.OK


def drugs_compare(names: Sequence[str], fmt: OutputFormat, data: Path | None) -> int:
    from osteo_cli.queries import drugs as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import drugs as views

    loaded = load(data)
    comparison = queries.compare(loaded.kb, list(names))
    emit(fmt, lambda: views.compare_document(loaded, comparison), lambda: views.compare_json(loaded, comparison))
    return ExitCode.OK


def drugs_stopping(words: Sequence[str], fmt: OutputFormat, data: Path | None) -> int:
    from osteo_cli.queries.names import resolve
    from osteo_cli.render.output import emit
    from osteo_cli.views import drugs as views

    loaded = load(data)
    name = one_name(words)
    found = resolve(loaded.kb, name)
    emit(fmt, lambda: views.stopping_document(loaded, found), lambda: views.stopping_json(loaded, name, found))
    return ExitCode.OK


def faq(words: Sequence[str], fmt: OutputFormat, data: Path | None) -> int:
    from osteo_cli.errors import OsteoError, UsageError
    from osteo_cli.queries import faq as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import faq as views

    loaded = load(data)
    # ASCII digits only: "²" and "①" pass str.isdigit() but are no number int() reads.
    if len(words) == 1 and re.fullmatch(r"\d{1,6}", words[0].strip(), re.ASCII):
        hits = queries.faq_entry(loaded.kb, int(words[0]))
    elif len(words) == 1 and words[0].strip().isdigit():
        raise UsageError(f"there is no question {words[0].strip()!r}; they are numbered 1 to {len(loaded.kb.faq)}")
    else:
        hits = queries.faq(loaded.kb, list(words))
    if not hits:
        raise OsteoError(f"no question mentions {' '.join(words)!r}; run 'osteo faq' for all of them")
    emit(fmt, lambda: views.faq_document(loaded, hits), lambda: views.faq_json(loaded, hits))
    return ExitCode.OK


def search(words: Sequence[str], fmt: OutputFormat, data: Path | None) -> int:
    from osteo_cli.errors import OsteoError
    from osteo_cli.queries import search as finder
    from osteo_cli.render.output import emit
    from osteo_cli.views import search as views

    words = list(words)
    finder.query_words(words)  # a usage error before any reading
    index = finder.open_index(data)
    hits = finder.search(index, words)
    if not hits:
        better = finder.suggest(index, words)
        hint = f"did you mean {' '.join(better)!r}?" if better else "try fewer or shorter words"
        raise OsteoError(f"nothing mentions {' '.join(words)!r}; {hint}")
    emit(fmt, lambda: views.search_document(index, words, hits), lambda: views.search_json(index, words, hits))
    return ExitCode.OK


def lifestyle(group: str | None, fmt: OutputFormat, data: Path | None) -> int:
    from osteo_cli.queries import evidence
    from osteo_cli.queries import learn as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import learn as views

    loaded = load(data)
    advice = queries.lifestyle(loaded.kb, group)
    amounts = evidence.intake_amounts(loaded.kb, group)
    measures = evidence.measures(loaded.kb, group)
    emit(
        fmt,
        lambda: views.lifestyle_document(loaded, advice, amounts, measures),
        lambda: views.lifestyle_json(loaded, advice, amounts, measures),
    )
    return ExitCode.OK


def learn(topic: str | None, fmt: OutputFormat, data: Path | None) -> int:
    from osteo_cli.queries import learn as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import learn as views

    loaded = load(data)
    found = queries.topics(loaded.kb, topic)
    emit(fmt, lambda: views.topics_document(loaded, found), lambda: views.topics_json(loaded, found))
    return ExitCode.OK


def evidence(names: Sequence[str], fmt: OutputFormat, data: Path | None) -> int:
    import sys

    from osteo_cli.queries import evidence as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import evidence as views

    loaded = load(data)
    trials = queries.trials_for(loaded.kb, list(names))

    def document() -> Document:
        from osteo_cli.render.streams import terminal_size

        width = max(20, terminal_size().columns)
        unicode = can_draw(getattr(sys.stdout, "encoding", None))
        return views.evidence_document(loaded, trials, width, unicode, details=bool(names))

    emit(fmt, document, lambda: views.evidence_json(loaded, trials))
    return ExitCode.OK


def guidelines(guideline: str | None, fmt: OutputFormat, data: Path | None) -> int:
    from osteo_cli.queries import evidence as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import evidence as views

    loaded = load(data)
    found = queries.guidelines(loaded.kb, guideline)
    emit(fmt, lambda: views.guidelines_document(loaded, found), lambda: views.guidelines_json(loaded, found))
    return ExitCode.OK


def check(
    names: Sequence[str],
    crcl: str | None,
    egfr: str | None,
    has: Sequence[str],
    takes: Sequence[str],
    vocabulary: bool,
    fmt: OutputFormat,
    data: Path | None,
) -> int:
    from osteo_cli.errors import UsageError
    from osteo_cli.queries import check as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import check as views

    loaded = load(data)
    if vocabulary:
        emit(fmt, lambda: views.vocabulary_document(loaded), lambda: views.vocabulary_json(loaded))
        return ExitCode.OK
    if crcl is None and egfr is None and not has and not takes:
        raise UsageError(
            "tell osteo check something to screen against: --crcl, --egfr, --has or --takes "
            "(e.g. 'osteo check --crcl 32'); 'osteo check --list' shows the conditions"
        )
    facts = queries.facts(loaded.kb, crcl=crcl, egfr=egfr, has=list(has), takes=list(takes))
    result = queries.screen(loaded.kb, list(names), facts)
    emit(fmt, lambda: views.check_document(loaded, result), lambda: views.check_json(loaded, result))
    return ExitCode.FAILURE if result.ruled_out else ExitCode.OK


def sequence(steps: Sequence[str], fmt: OutputFormat, data: Path | None) -> int:
    from osteo_cli.queries import sequence as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import sequence as views

    loaded = load(data)
    plan = queries.build(loaded.kb, list(steps))
    emit(fmt, lambda: views.sequence_document(loaded, plan, columns(fmt)), lambda: views.sequence_json(loaded, plan))
    return ExitCode.FAILURE if plan.problems else ExitCode.OK


def tscore(value: str, site: str | None, fracture: bool, fmt: OutputFormat, data: Path | None) -> int:
    from osteo_cli.queries import tscore as queries
    from osteo_cli.render.output import emit
    from osteo_cli.views import tscore as views

    parsed = queries.parse_tscore(value)
    where = queries.parse_site(site, fracture)
    loaded = load(data)
    result = queries.classify(loaded.kb.bone_density, parsed, fracture, where)
    emit(fmt, lambda: views.tscore_document(loaded, result, columns(fmt)), lambda: views.tscore_json(loaded, result))
    return ExitCode.OK


def schedule(
    words: Sequence[str],
    last: str,
    today: str | None,
    count: int,
    regimen: str | None,
    started: str | None,
    fmt: ScheduleFormat,
    data: Path | None,
) -> int:
    import datetime as dt

    from osteo_cli.queries.schedule import answer, parse_day
    from osteo_cli.render.output import emit, write
    from osteo_cli.views import schedule as views

    last_day = parse_day(last, "--last")
    today_day = parse_day(today, "--today") if today is not None else dt.date.today()
    started_day = parse_day(started, "--started") if started is not None else None
    loaded = load(data)
    name = one_name(words)
    result = answer(loaded.kb, name, last=last_day, today=today_day, count=count, regimen=regimen, started=started_day)
    if fmt is ScheduleFormat.ics:
        from osteo_cli.render.ics import to_ics

        write(to_ics(result))
        return ExitCode.OK
    emit(
        OutputFormat(fmt.value),
        lambda: views.schedule_document(loaded, name, result),
        lambda: views.schedule_json(loaded, name, result),
    )
    return ExitCode.OK


def kb_validate(path: Path | None, strict: bool, fmt: OutputFormat) -> int:
    from osteo_cli import knowledge
    from osteo_cli.render.output import emit
    from osteo_cli.views import kb as views

    where = path or knowledge.shipped_path()
    problems = knowledge.check(where)
    label = str(path) if path else "the shipped knowledge base"

    def payload() -> dict[str, Any]:
        version = None if any(p.severity == "error" for p in problems) else knowledge.load(path).kb.kb_version
        return views.validation_json(label, str(where), path is not None, version, problems)

    emit(fmt, lambda: views.validation_document(label, problems), payload)
    failing = [p for p in problems if p.severity == "error" or strict]
    return ExitCode.FAILURE if failing else ExitCode.OK


def kb_schema() -> int:
    import sys

    from osteo_cli.knowledge.validate import json_schema
    from osteo_cli.render.output import to_json

    sys.stdout.write(to_json(json_schema()) + "\n")
    return ExitCode.OK


def completion_names(data: str | None, incomplete: str) -> list[str]:
    """Drug and family names for shell completion, in the case they were typed (reads
    names only, from the cache). Empty on any failure: completion never prints a traceback."""
    try:
        from osteo_cli.knowledge import completion_names as names_of
        from osteo_cli.queries.names import complete

        return as_typed(complete(names_of(Path(data) if data is not None else None), incomplete), incomplete)
    except Exception:  # noqa: BLE001 - completion must never print a traceback into a shell
        return []


def as_typed(names: list[str], incomplete: str) -> list[str]:
    """Matches kept in the case they were typed in (`Pro` -> `Prolia`): Typer keeps only
    candidates that start with the typed text, case and all, and names resolve in any case."""
    from osteo_cli.queries.names import slug

    if len(slug(incomplete)) != len(incomplete):
        return names
    return [incomplete + name[len(incomplete) :] for name in names]
