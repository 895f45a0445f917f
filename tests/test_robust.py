"""Input bounds and hostile arguments (reliability review 2026-11): each is refused at once
with one line and the right exit code, never an internal error or a silently wrong answer."""

from __future__ import annotations

import json
import time

import pytest
from helpers import invoke

from osteo_cli.render.textsafe import clean


def _one_error(result: object, code: int) -> str:
    assert result.exit_code == code, result.output  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("osteo: error: "), lines
    assert "internal error" not in lines[0]
    return str(lines[0])


@pytest.mark.parametrize("value", ["0E-999999999", "1E-99999999", "1E-2000000", "1e-320", "-2.5e0"])
def test_a_tscore_with_an_exponent_is_refused_at_once(value: str) -> None:
    """C1: Decimal read the exponent and format() wrote out every digit."""
    start = time.monotonic()
    for fmt in ("table", "json"):
        _one_error(invoke("tscore", value, "-f", fmt), 2)
    assert time.monotonic() - start < 5


def test_a_tscore_keeps_the_precision_it_was_typed_with() -> None:
    """D7: -2.4999999999999999999 became -2.5 in JSON while its category said otherwise."""
    _one_error(invoke("tscore", "-2.4999999999999999999"), 2)
    data = json.loads(invoke("tscore", "-2.4999", "-f", "json").stdout)
    assert data["tscore"] == -2.4999 and data["category"]["id"] == "low_bone_mass"


@pytest.mark.parametrize("value", ["-2.5h", "-2.5f", "-inf"])
def test_a_tscore_with_letters_is_not_read_as_options(value: str) -> None:
    """U4: -2.5h printed the help (h read as -h); -2.5f wanted a format."""
    line = _one_error(invoke("tscore", value), 2)
    assert "not a number" in line or "not a T-score" in line


def test_a_misspelt_tscore_option_is_named_as_an_option() -> None:
    assert "No such option: --fractur" in _one_error(invoke("tscore", "-2.7", "--fractur"), 2)


@pytest.mark.parametrize("word", ["²", "①"])
def test_a_superscript_digit_is_no_such_question(word: str) -> None:
    """C3: str.isdigit() is true for these, but int() rejects them."""
    assert "there is no question" in _one_error(invoke("faq", word), 2)


@pytest.mark.parametrize("name", ["xgeva", "Zometa", "wyost"])
def test_a_related_cancer_product_is_not_planned_as_the_osteoporosis_one(name: str) -> None:
    """D8: xgeva:2y was planned as Prolia with 4 doses, and zometa:3y as Reclast."""
    message = _one_error(invoke("sequence", f"{name}:2y", "alendronate:1y"), 2)
    assert "cancer treatment" in message and "not the osteoporosis product" in message


def test_repeats_of_one_drug_cannot_pass_the_50_year_cap_together() -> None:
    """U13: denosumab:50y denosumab:50y merged into one 100-year course."""
    assert "longer than 50 years" in _one_error(invoke("sequence", "denosumab:50y", "denosumab:50y"), 2)


def test_a_limit_just_passed_is_not_rounded_back_to_the_limit() -> None:
    """U7: 24.04 months read "24 months … the limit is 24 months"."""
    result = invoke("sequence", "teriparatide:24.04m", "alendronate:2y", "-f", "json")
    assert "24.04 months" in json.dumps(json.loads(result.stdout))


def test_a_duration_with_many_decimals_is_refused() -> None:
    _one_error(invoke("sequence", "romosozumab:12.00000000000000000000001doses"), 2)


def test_a_plan_of_centuries_is_drawn_not_an_internal_error() -> None:
    """C2: StopIteration in the axis once a plan passed 400 years."""
    result = invoke("sequence", *["alendronate:50y", "denosumab:50y"] * 5)
    assert "internal error" not in result.stderr


def test_a_huge_argument_is_shortened_in_the_error() -> None:
    """U3: a 128 KB argument was echoed whole."""
    line = _one_error(invoke("drugs", "show", "x" * 131_072), 2)
    assert len(line) < 600


def test_invisible_characters_are_cleaned_from_echoed_text() -> None:
    """U15: zero-width spaces and RLM/LRM reached the terminal in error messages."""
    for ch in "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c":
        assert ch not in clean(f"a{ch}b")
    line = _one_error(invoke("drugs", "show", "pro\u200blia\u200f"), 2)
    assert "\u200b" not in line and "\u200f" not in line


def test_empty_data_path_says_so() -> None:
    """U11: `--data ''` said '.: is a directory'."""
    assert "names no file" in _one_error(invoke("drugs", "list", "--data", ""), 2)


@pytest.mark.parametrize(("value", "traceback"), [("0", False), ("false", False), ("1", True), ("yes", True)])
def test_osteo_debug_0_means_off(value: str, traceback: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """U14: any non-empty OSTEO_DEBUG showed tracebacks."""
    from osteo_cli.queries import drugs as drug_queries

    def boom(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(drug_queries, "agents_in", boom)
    result = invoke("drugs", "list", env={"OSTEO_DEBUG": value})
    assert (result.exception is not None and not isinstance(result.exception, SystemExit)) is traceback


# Names as people type them, and a newcomer's first guesses (newcomer review D2, D6).


@pytest.mark.parametrize("command", [["drugs", "show"], ["drugs", "stopping"]])
def test_several_words_are_one_name(command: list[str]) -> None:
    result = invoke(*command, "zoledronic", "acid")
    assert result.exit_code == 0, result.stderr
    assert "Zoledronic acid" in result.stdout


def test_schedule_takes_a_name_of_several_words() -> None:
    result = invoke("schedule", "zoledronic", "acid", "-r", "yearly", "--last", "2026-01-10", "--today", "2026-11-25")
    assert result.exit_code == 0, result.stderr


def test_compare_joins_the_words_of_a_name() -> None:
    result = invoke("drugs", "compare", "zoledronic", "acid", "denosumab", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert [c["name"] for c in json.loads(result.stdout)["columns"]] == ["Zoledronic acid", "Denosumab"]


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["compare", "denosumab", "teriparatide"], "Did you mean 'osteo drugs compare'?"),
        (["list"], "Did you mean 'osteo drugs list'?"),
        (["show", "prolia"], "Did you mean 'osteo drugs show'?"),
        (["prolia"], "To look up a drug: osteo drugs show prolia"),
    ],
)
def test_top_level_guesses_point_to_the_drugs_command(args: list[str], hint: str) -> None:
    assert hint in _one_error(invoke(*args), 2)


def test_root_help_shows_examples_and_lists_drugs_first() -> None:
    """Newcomer D7: the root docstring's examples never showed; drugs was 7th of 8."""
    result = invoke("--help")
    assert "$ osteo drugs show zoledronic acid" in result.stdout
    commands = result.stdout[result.stdout.index("Commands") :]
    assert commands.split("│")[1].split()[0] == "drugs"


def test_option_metavars_do_not_split_at_80_columns() -> None:
    result = invoke("drugs", "list", "--help", env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert "CATEGORY" in result.stdout and "<antiresorptive|anabolic|b" not in result.stdout


@pytest.mark.parametrize("group", ["drugs", "kb"])
def test_group_help_shows_an_example(group: str) -> None:
    """Newcomer D7: the README promised an example in every --help; groups had none."""
    assert f"$ osteo {group} " in invoke(group, "--help").stdout  # last, one command a line


def test_kb_validate_json_has_the_fields_every_command_has() -> None:
    """Newcomer D13: `kb validate -f json` lacked kb_version and custom_data, and a path."""
    data = json.loads(invoke("kb", "validate", "-f", "json").stdout)
    assert data["custom_data"] is False and data["kb_version"] and data["path"].endswith("medications.yaml")


def test_markdown_escapes_inline_markup_from_the_data() -> None:
    """Newcomer D14: *stars*, <b>html</b>, [links](…) and `code` passed into notes as markup."""
    from osteo_cli.render.document import Document, Grid
    from osteo_cli.render.markdown import to_markdown

    hostile = "*stars* _under_ <b>html</b> [a link](http://example.com) `code` &amp;"
    md = to_markdown(Document([Grid(("A",), [(hostile,)])]))
    assert "\\*stars\\* \\_under\\_ &lt;b&gt;html&lt;/b&gt; \\[a link\\](http://example.com) \\`code\\` &amp;amp;" in md


def test_version_cleans_the_custom_data_path(tmp_path: object) -> None:
    """U5: `OSTEO_DATA=$'k\\e[31mRED.yaml' osteo --version` sent a raw ESC to the terminal."""
    from pathlib import Path

    from helpers import SHIPPED

    path = Path(str(tmp_path)) / "k\x1b[31mRED.yaml"
    path.write_bytes(SHIPPED.read_bytes())
    result = invoke("--version", env={"OSTEO_DATA": str(path)})
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "RED.yaml" in result.stdout
