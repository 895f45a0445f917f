"""Random argv never leaks an exception: every run ends in exit 0, 1 or 2.

The generator mixes real commands, drug names and options with markup, control
characters, surrogates, huge and empty strings, so it reaches the interesting code
(name resolution, option parsing, file loading) instead of only the usage error.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from osteo_cli.cli import app
from osteo_cli.knowledge import load
from osteo_cli.queries.names import claims

NAMES = sorted({c.name for c in claims(load(None).kb)})
COMMANDS = [
    ["drugs", "stopping"],
    ["sequence"],
    ["tscore"],
    ["lifestyle"],
    ["learn"],
    ["search"],
    ["drugs", "list"],
    ["drugs", "show"],
    ["drugs", "compare"],
    ["faq"],
    ["kb", "validate"],
    ["kb", "schema"],
    ["drugs"],
    ["kb"],
    [],
]
OPTIONS = [
    "--format",
    "-f",
    "json",
    "markdown",
    "table",
    "--category",
    "-c",
    "anabolic",
    "--data",
    "--sources",
    "--strict",
    "--help",
    "--version",
    "-V",
    "--",
    "-",
    "--format=json",
    "--data=/dev/null",
    "-2.7",
    "--fracture",
    "stop",
    "romosozumab:12m",
    "denosumab:2y",
    "teriparatide:abc",
    "unknown:3m",
    "x:-1y",
    "nan",
    "-inf",
    "1e999",
    "exercise",
    "scans",
]
NASTY = [
    "",
    " ",
    "[bold]x[/bold]",
    "[link=https://e.example]x[/link]",
    ":skull:",
    "[/x]",
    "\x1b[31m",
    "\x00",
    "\ud800",
    "\u202e",
    "é",
    "\n",
    "x" * 100_000,
    "/dev/zero",
    "/",
    "data/medications.yaml",
    "%s%n",
    "'",
]

token = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(OPTIONS),
    st.sampled_from(NASTY),
    st.text(max_size=30),
)
argv = st.builds(lambda head, tail: head + tail, st.sampled_from(COMMANDS), st.lists(token, max_size=6))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(args=argv)
def test_random_argv_exits_cleanly(args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output[-500:])
    assert "Traceback" not in result.output
    if result.exit_code:
        # An error is one line; `sequence` and `check` also exit 1 as a verdict, after their
        # answer, whose reference-only footer goes to stderr when the table is piped.
        verdict = result.exit_code == 1 and bool(result.stdout) and result.stderr.startswith("Reference only")
        assert verdict or result.stderr.startswith("osteo: error: ") or result.stderr == "", (args, result.stderr[:300])
