"""The reliability review of December 2026 (shared/reviews/reliability-2026-12.md), outside the
cache: each reproduction, as a test that failed before its fix. Ids are the review's."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from helpers import invoke
from hypothesis import given
from hypothesis import strategies as st

from osteo_cli.queries.numbers import plain_decimal

# --- W4, U2: check reads a number once, exactly, and bounded ---------------------------


@pytest.mark.parametrize(
    "typed",
    ["34.99999999999999999999999", "3_4", "1E+1", "1e1", "35.001", "nan", "inf", "-inf", "1e309", "0E-999999999"],
)
def test_check_refuses_a_number_it_cannot_judge_exactly(typed: str) -> None:
    result = invoke("check", "alendronate", "--crcl", typed, "-f", "json")
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "at most 2 decimal places" in result.stderr


@pytest.mark.parametrize(("typed", "shown"), [("34.99", 34.99), ("35", 35), ("+35", 35), (" 34.5 ", 34.5)])
def test_check_shows_and_writes_the_value_it_judged(typed: str, shown: float) -> None:
    result = invoke("check", "alendronate", "--crcl", typed, "-f", "json")
    data = json.loads(result.stdout)
    assert data["input"]["crcl"] == shown
    verdict = data["results"][0]["verdict"]
    assert (verdict == "avoid") == (shown < 35)


def test_check_egfr_is_bounded_the_same_way() -> None:
    result = invoke("check", "--egfr", "2_9")
    assert result.exit_code == 2 and "--egfr '2_9'" in result.stderr


@given(st.decimals(min_value=1, max_value=200, places=2, allow_nan=False, allow_infinity=False))
def test_every_accepted_value_survives_json_digit_for_digit(value: Decimal) -> None:
    parsed = plain_decimal(str(value), whole=3, places=2)
    assert parsed == value
    assert Decimal(json.dumps(float(value))) == value


# --- U3: undecodable argv never reaches JSON as a lone surrogate ------------------------


def _strict_json(text: str) -> object:
    """Parsed as a strict (I-JSON) reader does: a lone surrogate escape is refused."""
    import re

    pairs = re.sub(r"\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}", "", text, flags=re.IGNORECASE)
    assert not re.search(r"\\ud[89a-f][0-9a-f]{2}", pairs, re.IGNORECASE), "a lone surrogate in JSON"
    return json.loads(text)


@pytest.mark.parametrize(
    "args",
    [
        ("search", "bone\udcff"),
        ("check", "--takes", "calcium\udcff"),
        ("check", "--has", "\udcffpregnancy", "alendronate"),
    ],
)
def test_undecodable_argv_is_cleaned_to_u_fffd_in_json(args: tuple[str, ...]) -> None:
    result = invoke(*args, "-f", "json")
    assert result.stdout, result.stderr
    _strict_json(result.stdout)  # the condition resolves whatever the stray byte: nothing to clean there
    if args[1] != "--has":
        assert "\ufffd" in json.dumps(json.loads(result.stdout), ensure_ascii=False)


def test_a_character_beyond_the_bmp_stays_itself_in_json() -> None:
    from osteo_cli.render.output import to_json

    assert json.loads(to_json({"a": "\U0001f9b4 bone\udcff"})) == {"a": "\U0001f9b4 bone\ufffd"}


# --- U7: full-width and Turkish capitals resolve -----------------------------------------


@pytest.mark.parametrize("typed", ["İBANDRONATE", "ＩＢＡＮＤＲＯＮＡＴＥ", "ıbandronate", "Ｂｏｎｉｖａ"])
def test_names_are_nfkc_normalised_before_case_folding(typed: str) -> None:
    result = invoke("drugs", "show", typed, "--section", "dosing", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["agent"]["id"] == "ibandronate"


def test_check_vocabulary_is_nfkc_normalised_too() -> None:
    result = invoke("check", "alendronate", "--takes", "ＣＡＬＣＩＵＭ", "-f", "json")
    assert json.loads(result.stdout)["input"]["substances"][0]["matched"] == ["calcium"]


# --- U8: every repeatable option and argument has a bound, stated in its help ------------


def _repeatable() -> list[tuple[str, object]]:
    from helpers import command_paths
    from typer.main import get_command

    from osteo_cli.cli import app

    root = get_command(app)
    found = []
    for path in command_paths():
        command = root
        for part in path.split():
            command = command.commands[part]  # type: ignore[attr-defined]
        found += [(path, p) for p in command.params if getattr(p, "multiple", False) or p.nargs == -1]
    return found


def test_every_repeatable_option_and_argument_states_its_bound() -> None:
    unbounded = [
        f"{path} {param.name}"  # type: ignore[attr-defined]
        for path, param in _repeatable()
        if "at most" not in (getattr(param, "help", "") or "").lower()
    ]
    assert unbounded == []


def test_check_refuses_thousands_of_takes_at_once() -> None:
    takes = [arg for i in range(5000) for arg in ("--takes", f"x{i}")]
    result = invoke("check", "alendronate", *takes)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "osteo: error: give at most 20 medicines with --takes (5000 given)\n"


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--has", "x", *["alendronate"] * 21),
        ("check", *[a for _ in range(21) for a in ("--has", "pregnancy")]),
        ("evidence", *["denosumab"] * 21),
        ("drugs", "compare", *["denosumab"] * 13),
        ("drugs", "show", *["zoledronic"] * 9),
        ("drugs", "show", "alendronate", *[a for _ in range(21) for a in ("--section", "dosing")]),
        ("faq", *["bone"] * 17),
        ("sequence", *["denosumab:1y"] * 21),
        ("schedule", *["x"] * 9, "--last", "2026-01-01"),
    ],
)
def test_one_past_each_bound_is_a_usage_error(args: tuple[str, ...]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "give at most" in result.stderr and result.stderr.count("\n") == 1
