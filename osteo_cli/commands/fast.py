"""The fast path: the common command lines answered without importing Typer (a third of a
run's time), by the very same calls (`commands/calls.py`) the Typer commands make.

It reads a deliberately small grammar: a known command path, its own options spelt out in
full (`--format json`, `-f json`, never `--format=json` or `-fjson`), choices in lower
case, values that do not start with `-`, each single option at most once, and the right
number of words. Anything else — help, an unknown option, a typo, a missing value,
completion other than bash's — is declined before anything runs, and Typer parses it as
before. So the fast path never has its own errors or help, and `tests/test_fast.py` holds
it to Typer's stdout, stderr and exit code for every command and format.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

from osteo_cli.commands import calls
from osteo_cli.errors import ExitCode
from osteo_cli.render.formats import OutputFormat, ScheduleFormat

Call = Callable[[], int]
Kind = Literal["flag", "value", "values", "choice", "choices", "count"]

# A negative T-score (-2.7, -2.5h, -inf) looks like an option, or a cluster of short
# options (-2.5h holds -h), to a parser: `tscore` reads such a word as its VALUE.
NUMBER_LIKE = re.compile(r"-[\d.]|-(inf|infinity|nan)$", re.IGNORECASE)
COUNT = re.compile(r"[1-9]\d?", re.ASCII)


class Option(NamedTuple):
    dest: str
    kind: Kind
    choices: tuple[str, ...] = ()


class Grammar(NamedTuple):
    """What one command accepts on the fast path, and how to call it."""

    words: tuple[int, int | None]  # how many positional words: at least, at most (None: any)
    options: Mapping[str, Option]
    call: Callable[[list[str], dict[str, Any]], int]
    data: bool = True  # has --data (and OSTEO_DATA)
    number_like: bool = False  # a word like -2.7 is a value, as `tscore` reads it
    word_choices: tuple[str, ...] = ()  # the words allowed, when the argument is a choice
    required: tuple[str, ...] = ()  # options without a default


def _format(*choices: str) -> dict[str, Option]:
    option = Option("fmt", "choice", choices)
    return {"--format": option, "-f": option}


FORMATS = _format(*OutputFormat)
DATA = {"--data": Option("data", "value")}


def _grammars() -> dict[tuple[str, ...], Grammar]:
    from osteo_cli.views.sections import SECTIONS

    def fmt(opts: dict[str, Any]) -> OutputFormat:
        return OutputFormat(opts.get("fmt", "table"))

    def data(opts: dict[str, Any]) -> Path | None:
        return opts.get("data")

    def lone(words: list[str]) -> str | None:
        return words[0] if words else None

    category = Option("category", "choice", ("antiresorptive", "anabolic", "both"))
    section = Option("sections", "choices", tuple(SECTIONS))
    count = Option("count", "count")
    regimen = Option("regimen", "value")
    return {
        ("drugs", "list"): Grammar(
            (0, 0),
            {"--category": category, "-c": category, **FORMATS, **DATA},
            lambda w, o: calls.drugs_list(o.get("category"), fmt(o), data(o)),
        ),
        ("drugs", "show"): Grammar(
            (1, None),
            {"--section": section, "-s": section, "--sources": Option("sources", "flag"), **FORMATS, **DATA},
            lambda w, o: calls.drugs_show(
                w, [_section(s) for s in o.get("sections", [])], o.get("sources", False), fmt(o), data(o)
            ),
        ),
        ("drugs", "compare"): Grammar(
            (1, None), {**FORMATS, **DATA}, lambda w, o: calls.drugs_compare(w, fmt(o), data(o))
        ),
        ("drugs", "stopping"): Grammar(
            (1, None), {**FORMATS, **DATA}, lambda w, o: calls.drugs_stopping(w, fmt(o), data(o))
        ),
        ("faq",): Grammar((0, None), {**FORMATS, **DATA}, lambda w, o: calls.faq(w, fmt(o), data(o))),
        ("search",): Grammar((1, None), {**FORMATS, **DATA}, lambda w, o: calls.search(w, fmt(o), data(o))),
        ("learn",): Grammar((0, 1), {**FORMATS, **DATA}, lambda w, o: calls.learn(lone(w), fmt(o), data(o))),
        ("lifestyle",): Grammar(
            (0, 1),
            {**FORMATS, **DATA},
            lambda w, o: calls.lifestyle(lone(w), fmt(o), data(o)),
            word_choices=("exercise", "nutrition", "habits"),
        ),
        ("evidence",): Grammar((0, None), {**FORMATS, **DATA}, lambda w, o: calls.evidence(w, fmt(o), data(o))),
        ("guidelines",): Grammar((0, 1), {**FORMATS, **DATA}, lambda w, o: calls.guidelines(lone(w), fmt(o), data(o))),
        ("check",): Grammar(
            (0, None),
            {
                "--crcl": Option("crcl", "value"),
                "--egfr": Option("egfr", "value"),
                "--has": Option("has", "values"),
                "--takes": Option("takes", "values"),
                "--list": Option("list", "flag"),
                **FORMATS,
                **DATA,
            },
            lambda w, o: calls.check(
                w,
                o.get("crcl"),
                o.get("egfr"),
                o.get("has", []),
                o.get("takes", []),
                o.get("list", False),
                fmt(o),
                data(o),
            ),
        ),
        ("sequence",): Grammar((1, None), {**FORMATS, **DATA}, lambda w, o: calls.sequence(w, fmt(o), data(o))),
        ("tscore",): Grammar(
            (1, 2),
            {"--fracture": Option("fracture", "flag"), **FORMATS, **DATA},
            lambda w, o: calls.tscore(w[0], lone(w[1:]), o.get("fracture", False), fmt(o), data(o)),
            number_like=True,
        ),
        ("schedule",): Grammar(
            (1, None),
            {
                "--last": Option("last", "value"),
                "--today": Option("today", "value"),
                "--count": count,
                "-n": count,
                "--regimen": regimen,
                "-r": regimen,
                "--started": Option("started", "value"),
                **_format(*ScheduleFormat),
                **DATA,
            },
            lambda w, o: calls.schedule(
                w,
                o["last"],
                o.get("today"),
                o.get("count", 3),
                o.get("regimen"),
                o.get("started"),
                ScheduleFormat(o.get("fmt", "table")),
                data(o),
            ),
            required=("last",),
        ),
        ("kb", "validate"): Grammar(
            (0, 1),
            {"--strict": Option("strict", "flag"), **FORMATS},
            lambda w, o: calls.kb_validate(Path(w[0]) if w else None, o.get("strict", False), fmt(o)),
            data=False,
        ),
        ("kb", "schema"): Grammar((0, 0), {}, lambda w, o: calls.kb_schema(), data=False),
    }


def _section(value: str) -> Any:
    from osteo_cli.views.sections import Section

    return Section(value)


def parse(argv: Sequence[str], env: Mapping[str, str]) -> Call | None:
    """The call this command line makes, or None when Typer must read it."""
    if "_OSTEO_COMPLETE" in env:
        return _completion(env)
    args = list(argv)
    pager_off = bool(args) and args[0] == "--no-pager"
    if pager_off:
        args = args[1:]
    if args in (["--version"], ["-V"]):
        custom = env.get("OSTEO_DATA")
        return _with_pager(pager_off, lambda: calls.version(Path(custom) if custom else None))
    grammars = _grammars()
    path = tuple(args[:2]) if tuple(args[:2]) in grammars else tuple(args[:1])
    grammar = grammars.get(path)
    if grammar is None:
        return None
    parsed = _read(grammar, args[len(path) :])
    if parsed is None:
        return None
    words, options = parsed
    if grammar.data and "data" not in options and env.get("OSTEO_DATA"):  # as Click: empty is unset
        options["data"] = Path(env["OSTEO_DATA"])
    return _with_pager(pager_off, lambda: grammar.call(words, options))


def _read(grammar: Grammar, args: list[str]) -> tuple[list[str], dict[str, Any]] | None:
    """The words and options of `args`, or None for anything outside the fast grammar."""
    words: list[str] = []
    options: dict[str, Any] = {}
    tokens = iter(args)
    for token in tokens:
        option = grammar.options.get(token)
        if option is None:
            if token.startswith("-") and not (grammar.number_like and NUMBER_LIKE.match(token)):
                return None
            words.append(f" {token}" if grammar.number_like and NUMBER_LIKE.match(token) else token)
            continue
        repeated = option.kind in ("values", "choices")
        if option.dest in options and not repeated:
            return None
        if option.kind == "flag":
            options[option.dest] = True
            continue
        value = next(tokens, None)
        if value is None or value == "" or value.startswith("-"):
            return None
        if option.kind in ("choice", "choices") and value not in option.choices:
            return None
        if option.kind == "count":
            if not COUNT.fullmatch(value) or int(value) > calls.MAX_COUNT:
                return None
            options[option.dest] = int(value)
        elif option.dest == "data":
            options[option.dest] = Path(value)
        elif repeated:
            options.setdefault(option.dest, []).append(value)
        else:
            options[option.dest] = value
    least, most = grammar.words
    if len(words) < least or (most is not None and len(words) > most):
        return None
    if any(name not in options for name in grammar.required):
        return None
    if grammar.word_choices and any(word not in grammar.word_choices for word in words):
        return None
    return words, options


def _with_pager(pager_off: bool, call: Call) -> Call:
    def run() -> int:
        from osteo_cli.render import output

        output.pager_off = pager_off  # as the root command's --no-pager sets it
        try:
            return call()
        except KeyboardInterrupt:  # as Typer: 130, and nothing more to say
            return ExitCode.INTERRUPTED

    return run


COMPLETED = (("drugs", "show"), ("drugs", "stopping"), ("drugs", "compare"))


def _completion(env: Mapping[str, str]) -> Call | None:
    """Bash completion of the names after `osteo drugs show|stopping|compare`, as Typer
    prints it: one candidate a line, only those that start with the typed text. The names
    are read here, before anything is written, so that Typer can still take over."""
    line, position = env.get("COMP_WORDS"), env.get("COMP_CWORD", "")
    if env["_OSTEO_COMPLETE"] != "complete_bash" or line is None or not position.isdecimal():
        return None
    # Click splits the line as a shell would; a plain one of words split at spaces is the same.
    if any(c in "'\"\\" or (c.isspace() and c not in " \t\r\n") for c in line):
        return None
    words = line.split()
    cword = int(position)
    args, incomplete = words[1:cword], (words[cword] if cword < len(words) else "")
    if tuple(args[:2]) not in COMPLETED or any(w.startswith("-") for w in [*args[2:], incomplete]):
        return None
    data = env.get("OSTEO_DATA") or None
    names = [n for n in calls.completion_names(data, incomplete) if n.startswith(incomplete)]
    # Click's echo re-encodes a stream it finds misconfigured and strips escape codes from a
    # pipe: only plain printable ASCII is written the same by both (the shipped names are).
    if not all(name.isascii() and name.isprintable() for name in names):
        return None

    def run() -> int:
        sys.stdout.write("\n".join(names) + "\n")
        return ExitCode.OK

    return run


def run(call: Call) -> int:
    """The call's exit code, through the same error boundary as the Typer path."""
    from osteo_cli.commands.boundary import forget_nonsense_sizes, guarded

    forget_nonsense_sizes()
    return guarded(call)
