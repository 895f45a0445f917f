"""The fast path (commands/fast.py) against the Typer path: for every command line the fast
path takes, the same stdout, stderr and exit code, in every format; everything else declined."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from helpers import OSTEO, SHIPPED, process_env
from hypothesis import given
from hypothesis import strategies as st

from osteo_cli.cli import app
from osteo_cli.commands import fast
from osteo_cli.commands.drugs import CategoryChoice
from osteo_cli.commands.learn import Group
from osteo_cli.render.formats import OutputFormat, ScheduleFormat
from osteo_cli.views.sections import SECTIONS

Outcome = tuple[str, str, int]

# Each command's fast-path lines: answers, errors from the data (unknown names), and edge words.
SAMPLES: dict[tuple[str, ...], list[list[str]]] = {
    ("drugs", "list"): [[], ["--category", "anabolic"], ["-c", "both"], ["--data", str(SHIPPED)]],
    ("drugs", "show"): [
        ["denosumab"],
        ["zoledronic", "acid"],
        ["prolia", "--section", "missed-dose", "-s", "kidney"],
        ["alendronate", "--sources"],
        ["bisphosphonates"],
        ["nonesuch"],
        [""],
        ["denosumab", "--data", "/nonexistent.yaml"],
    ],
    ("drugs", "compare"): [["denosumab", "teriparatide"], ["denosumab"], ["x", "y"], ["alendronate", "risedronate"]],
    ("drugs", "stopping"): [["denosumab"], ["romosozumab"], ["nope"]],
    ("faq",): [[], ["4"], ["stop"], ["999"], ["²"], ["zzzz"], ["0"]],
    ("search",): [["rebound"], ["side", "effects"], ["zolendronic"], ["fractures"], ["rebound?"], ["a"], ["!!"]],
    ("learn",): [[], ["scans"], ["nope"]],
    ("lifestyle",): [[], ["exercise"], ["habits"]],
    ("evidence",): [[], ["denosumab"], ["alendronate", "denosumab"], ["nope"]],
    ("guidelines",): [[], ["aace"], ["nope"]],
    ("check",): [
        ["--crcl", "32"],
        ["--has", "recent-mi"],
        ["alendronate", "--takes", "calcium", "--takes", "omeprazole"],
        ["--has", "vtee"],
        ["--list"],
        [],
        ["denosumab", "--egfr", "20"],
        ["--crcl", "abc"],
    ],
    ("sequence",): [["romosozumab:12m", "denosumab:2y"], ["denosumab:2y", "raloxifene:2y", "stop"], ["bad"]],
    ("tscore",): [["-2.7"], ["-1.8", "--fracture", "hip"], ["1"], ["-2.5h"], ["abc"], ["-inf"], ["-2", "wrist"]],
    ("schedule",): [
        ["prolia", "--last", "2026-05-10", "--today", "2026-11-25"],
        ["alendronate", "-r", "weekly", "--last", "2026-11-16", "--today", "2026-11-24", "-n", "5"],
        ["evenity", "--last", "2026-01-10", "--today", "2026-11-25", "--started", "2026-01-10"],
        ["prolia", "--last", "nope"],
    ],
    ("kb", "validate"): [[], ["/nonexistent.yaml"], [str(SHIPPED)], ["--strict"]],
    ("kb", "schema"): [[]],
}

# Lines the fast path must leave to Typer: help, other spellings, typos, missing values.
DECLINED = [
    [],
    ["--help"],
    ["drugs"],
    ["drugs", "show"],
    ["drugs", "show", "denosumab", "--help"],
    ["drugs", "show", "denosumab", "-h"],
    ["drugs", "show", "denosumab", "--format=json"],
    ["drugs", "show", "denosumab", "-fjson"],
    ["drugs", "show", "denosumab", "--format", "JSON"],
    ["drugs", "show", "denosumab", "--format"],
    ["drugs", "show", "denosumab", "-f", "json", "-f", "table"],
    ["drugs", "show", "denosumab", "--section", "side_effects"],
    ["drugs", "show", "--", "denosumab"],
    ["drugs", "show", "-", "denosumab"],
    ["drugs", "list", "extra"],
    ["drugs", "list", "--category", "Anabolic"],
    ["drugs", "lst"],
    ["show", "prolia"],
    ["prolia"],
    ["lifestyle", "Exercise"],
    ["lifestyle", "nope"],
    ["learn", "scans", "more"],
    ["tscore"],
    ["tscore", "-2.7", "--frac"],
    ["schedule", "prolia"],
    ["schedule", "prolia", "--last", "2026-05-10", "-n", "0"],
    ["schedule", "prolia", "--last", "2026-05-10", "-n", "05"],
    ["schedule", "prolia", "--last", "2026-05-10", "-n", "61"],
    ["check", "--crcl", "-5"],
    ["check", "--list", "--list"],
    ["kb", "validate", "--data", "x.yaml"],
    ["kb", "schema", "x"],
    ["--no-pager", "--no-pager", "faq"],
    ["--version", "faq"],
    ["search", "rebound", "--data", ""],
]


def _run_typer(argv: list[str]) -> int:
    try:
        app(args=argv, prog_name="osteo")
    except SystemExit as exc:
        return int(exc.code or 0)
    raise AssertionError("the app returned without an exit code")


def _run_fast(argv: list[str]) -> int:
    call = fast.parse(argv, os.environ)
    assert call is not None, f"the fast path declined {argv}"
    return fast.run(call)


def _outcome(run: object, argv: list[str], monkeypatch: pytest.MonkeyPatch) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        code = run(argv)  # type: ignore[operator]
    return out.getvalue(), err.getvalue(), code


def _both(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[Outcome, Outcome]:
    return _outcome(_run_typer, argv, monkeypatch), _outcome(_run_fast, argv, monkeypatch)


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fast-cache")


@pytest.fixture(autouse=True)
def _shared_cache(warm_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One cache for the module: hundreds of runs need not each validate the file."""
    monkeypatch.setenv("OSTEO_CACHE_DIR", str(warm_cache))


def _formats(path: tuple[str, ...]) -> list[list[str]]:
    if path == ("kb", "schema"):
        return [[]]
    choices = ScheduleFormat if path == ("schedule",) else OutputFormat
    return [[], *(["-f" if i % 2 else "--format", f.value] for i, f in enumerate(choices))]


LINES = [[*path, *sample, *fmt] for path, samples in SAMPLES.items() for sample in samples for fmt in _formats(path)]


def test_every_command_of_the_fast_grammar_has_samples() -> None:
    assert set(SAMPLES) == set(fast._grammars())


@pytest.mark.parametrize("argv", LINES, ids=" ".join)
def test_the_fast_path_prints_what_typer_prints(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    typer_outcome, fast_outcome = _both(argv, monkeypatch)
    assert fast_outcome == typer_outcome


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--version"], {}),
        (["-V"], {"OSTEO_DATA": str(SHIPPED)}),
        (["--no-pager", "drugs", "show", "prolia"], {}),
        (["drugs", "show", "prolia"], {"OSTEO_DATA": str(SHIPPED)}),
        (["drugs", "show", "prolia"], {"OSTEO_DATA": ""}),  # empty means unset, to Click as here
        (["drugs", "show", "prolia"], {"OSTEO_DATA": "/nonexistent.yaml"}),
        (["drugs", "show", "prolia", "--data", str(SHIPPED)], {"OSTEO_DATA": "/nonexistent.yaml"}),
        (["evidence", "denosumab"], {"COLUMNS": "40"}),
        (["tscore", "-2.7"], {"COLUMNS": "0"}),
    ],
)
def test_the_root_options_and_the_environment_read_alike(
    argv: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    typer_outcome, fast_outcome = _both(argv, monkeypatch)
    assert fast_outcome == typer_outcome


@pytest.mark.parametrize("argv", DECLINED, ids=" ".join)
def test_what_the_fast_grammar_does_not_hold_goes_to_typer(argv: list[str]) -> None:
    assert fast.parse(argv, {}) is None


def test_the_choices_are_the_typer_commands_own() -> None:
    grammars = fast._grammars()
    assert grammars[("drugs", "list")].options["--category"].choices == tuple(CategoryChoice)
    assert grammars[("drugs", "show")].options["--section"].choices == tuple(SECTIONS)
    assert grammars[("lifestyle",)].word_choices == tuple(Group)
    assert grammars[("faq",)].options["--format"].choices == tuple(OutputFormat)
    assert grammars[("schedule",)].options["-f"].choices == tuple(ScheduleFormat)


# Completion: Typer's bash protocol, one name a line.
COMPLETIONS = [
    ("osteo drugs show den", "3"),
    ("osteo drugs show Pro", "3"),
    ("osteo drugs show ", "3"),
    ("osteo drugs show", "3"),
    ("osteo drugs stopping zol", "3"),
    ("osteo drugs compare denosumab te", "4"),
    ("osteo drugs show zoledronic ac", "4"),
    ("osteo drugs show xyz", "3"),
    ("osteo drugs show den", "2"),
]


@pytest.mark.parametrize(("words", "cword"), COMPLETIONS)
@pytest.mark.parametrize("data", [None, str(SHIPPED), "/nonexistent.yaml"])
def test_completion_answers_as_typer_does(
    words: str, cword: str, data: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"_OSTEO_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": cword}
    if data is not None:
        env["OSTEO_DATA"] = data
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    call = fast.parse([], os.environ)
    if cword == "2":  # completing the subcommand itself: Typer's
        assert call is None
        return
    assert call is not None
    typer_outcome = _outcome(lambda argv: _run_typer(argv), [], monkeypatch)
    fast_outcome = _outcome(lambda argv: fast.run(call), [], monkeypatch)
    assert fast_outcome == typer_outcome
    if words.endswith(" den") and data != "/nonexistent.yaml":
        assert "denosumab" in fast_outcome[0].split("\n")


@pytest.mark.parametrize(
    "env",
    [
        {"_OSTEO_COMPLETE": "complete_zsh", "COMP_WORDS": "osteo drugs show den", "COMP_CWORD": "3"},
        {"_OSTEO_COMPLETE": "source_bash"},
        {"_OSTEO_COMPLETE": "complete_bash", "COMP_WORDS": "osteo drugs show 'den", "COMP_CWORD": "3"},
        {"_OSTEO_COMPLETE": "complete_bash", "COMP_WORDS": "osteo drugs show --data x den", "COMP_CWORD": "5"},
        {"_OSTEO_COMPLETE": "complete_bash", "COMP_WORDS": "osteo drugs show -", "COMP_CWORD": "3"},
        {"_OSTEO_COMPLETE": "complete_bash", "COMP_WORDS": "osteo check den", "COMP_CWORD": "2"},
        {"_OSTEO_COMPLETE": "complete_bash", "COMP_WORDS": "osteo drugs show den", "COMP_CWORD": "x"},
    ],
)
def test_other_completions_go_to_typer(env: Mapping[str, str]) -> None:
    assert fast.parse([], env) is None


# Any line built from the grammar's own tokens, and some that are not: if the fast path
# takes it, it answers as Typer does.
WORDS = (
    "drugs show list compare stopping faq search check tscore learn lifestyle evidence guidelines"
    " sequence schedule kb validate schema denosumab prolia zoledronic acid teriparatide rebound stop 4"
    " -2.7 hip romosozumab:12m exercise scans aace calcium recent-mi 32 2026-05-10 --format -f json"
    " markdown table --section -s kidney --sources --category -c anabolic --crcl --has --takes --list"
    " --fracture --last --today -n 3 --strict --no-pager --data --help -h -- - x"
)
TOKENS = st.sampled_from([*WORDS.split(" "), ""])


@given(st.lists(TOKENS, max_size=7))
def test_any_line_the_fast_path_takes_reads_as_typer_reads_it(argv: list[str]) -> None:
    if fast.parse(argv, os.environ) is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        typer_outcome, fast_outcome = _both(argv, monkeypatch)
    assert fast_outcome == typer_outcome


def _imported(args: list[str]) -> Iterator[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *OSTEO[1:], *args], capture_output=True, text=True, env=process_env()
    )
    assert proc.returncode == 0, proc.stderr
    for line in proc.stderr.splitlines():
        if line.startswith("import time:"):
            yield line.rsplit("|", 1)[1].strip()


def test_common_commands_run_without_typer_and_help_with_it() -> None:
    assert not any(m.startswith("typer") for m in _imported(["drugs", "show", "denosumab"]))
    assert not any(m.startswith(("typer", "rich")) for m in _imported(["drugs", "show", "denosumab", "-f", "json"]))
    assert "typer" in set(_imported(["drugs", "show", "--help"]))


@pytest.mark.parametrize("brand", ["Prolía", "P\x1b[31mrolia"])
def test_completion_of_names_click_would_reencode_or_strip_goes_to_typer(
    brand: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Click's echo writes UTF-8 to an ASCII stream and strips escape codes from a pipe; the
    fast path writes only plain ASCII names, so any other name is Typer's to print."""
    data = SHIPPED.read_text(encoding="utf-8").replace("name: Prolia\n", f"name: {json.dumps(brand)}\n", 1)
    path = tmp_path / "custom.yaml"
    path.write_text(data, encoding="utf-8")
    env = {"_OSTEO_COMPLETE": "complete_bash", "COMP_WORDS": "osteo drugs show P", "COMP_CWORD": "3"}
    assert fast.parse([], {**env, "OSTEO_DATA": str(SHIPPED)}) is not None
    if brand.isprintable():  # a name with an escape code does not validate (see test_kb)
        assert fast.parse([], {**env, "OSTEO_DATA": str(path)}) is None


def test_an_argument_that_is_not_text_is_a_usage_error_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    for argv in (["drugs", "show", "\udcff"], ["evidence", "\udcff"]):
        typer_outcome, fast_outcome = _both(argv, monkeypatch)
        assert fast_outcome == typer_outcome
        # A usage error either way. Its wording came from the row store's lookup (which could not
        # encode the name) and so depended on the cache; now it is the unknown-name message.
        assert fast_outcome[2] == 2 and "no drug or family called" in fast_outcome[1]


def test_a_fast_path_that_cannot_read_the_line_leaves_it_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    from osteo_cli import entry

    def broken(argv: object, env: object) -> None:
        raise RuntimeError("a bug in the fast grammar")

    monkeypatch.setattr(fast, "parse", broken)
    monkeypatch.setattr(sys, "argv", ["osteo", "tscore", "-2.7"])
    entry._answer_fast()  # returns, neither raising nor exiting: Typer reads the line next
    monkeypatch.setenv("OSTEO_DEBUG", "1")
    with pytest.raises(RuntimeError):
        entry._answer_fast()


# --- only the format asked for is built ----------------------------------------------------

ONE_LINE_EACH = [
    [*path, *samples[0], *fmt]
    for path, samples in SAMPLES.items()
    if path != ("kb", "schema")
    for fmt in _formats(path)
]


def _views_that_build(fmt: str) -> list[tuple[object, str]]:
    """The view functions a command must not call for `fmt`: the JSON views for a table or
    Markdown, the documents for JSON."""
    import importlib
    import pkgutil

    import osteo_cli.views

    found: list[tuple[object, str]] = []
    for info in pkgutil.iter_modules(osteo_cli.views.__path__):
        module = importlib.import_module(f"osteo_cli.views.{info.name}")
        for name in dir(module):
            document = name.endswith("_document") or name == "agent_list"
            if callable(getattr(module, name)) and (name.endswith("_json") if fmt != "json" else document):
                found.append((module, name))
    return found


@pytest.mark.parametrize("argv", ONE_LINE_EACH, ids=" ".join)
def test_only_the_format_asked_for_is_built(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fmt = argv[-1] if argv[-2:-1] in (["-f"], ["--format"]) else "table"
    expected = _outcome(_run_fast, argv, monkeypatch)
    unused = _views_that_build(fmt)
    assert len(unused) >= 10

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{fmt}: built a view it does not print")

    with monkeypatch.context() as patch:
        for module, name in unused:
            patch.setattr(module, name, refuse)
        assert _outcome(_run_fast, argv, monkeypatch) == expected
