"""Issue 22: every command that takes a medicine takes a multi-word name unquoted, and
completion offers the closed vocabularies (conditions, substances, FAQ topics)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from helpers import invoke

from osteo_cli.commands.common import complete_condition, complete_faq, complete_substance


@pytest.mark.parametrize(
    "args",
    [
        ("evidence", "zoledronic", "acid"),
        ("sequence", "zoledronic", "acid:3y"),
        ("sequence", "denosumab:2y", "zoledronic", "acid:1y", "stop"),
        ("check", "--egfr", "28", "zoledronic", "acid"),
        ("check", "--has", "hypocalcemia", "zoledronic", "acid", "fosamax", "plus", "d"),
        ("drugs", "show", "zoledronic", "acid", "--section", "dosing"),
        ("drugs", "stopping", "zoledronic", "acid"),
        ("drugs", "compare", "zoledronic", "acid", "denosumab"),
    ],
)
def test_multi_word_names_need_no_quotes(args: tuple[str, ...]) -> None:
    result = invoke(*args, "-f", "json")
    assert "no drug or family" not in result.stderr
    assert result.exit_code in (0, 1), result.stderr
    assert "Zoledronic acid" in result.stdout or "zoledronic-acid" in result.stdout


def test_a_step_without_a_duration_is_still_an_error() -> None:
    result = invoke("sequence", "zoledronic", "stop")
    assert result.exit_code == 2 and "'zoledronic' is not a step" in result.stderr


def test_did_you_mean_never_repeats_the_input() -> None:
    result = invoke("evidence", "zoledronic")
    assert result.exit_code == 2
    hint = result.stderr.removeprefix("osteo: error: no drug or family called 'zoledronic'; ")
    assert hint.startswith("did you mean 'Zoledronic acid'")
    assert "'zoledronic'" not in hint and "zoledronate" not in hint  # not the input, nor one entry twice


def _ctx() -> Any:
    return SimpleNamespace(params={})


def test_completion_offers_conditions_substances_and_faq_topics() -> None:
    assert complete_condition(_ctx(), "preg") == ["pregnancy", "pregnant"]
    assert "heart-attack" in complete_condition(_ctx(), "heart")
    assert complete_substance(_ctx(), "omep") == ["omeprazole"]
    assert complete_faq(_ctx(), "denosumab-") == ["denosumab-late", "denosumab-stop"]
    assert complete_faq(_ctx(), "Deno") == ["Denosumab-late", "Denosumab-stop"]  # kept as typed


def test_a_faq_topic_shows_that_question() -> None:
    result = invoke("faq", "denosumab-stop", "-f", "json")
    assert result.exit_code == 0
    assert '"id": "denosumab-stop"' in result.stdout or "Can I stop denosumab?" in result.stdout
    assert result.stdout.count('"question"') == 1


@pytest.mark.parametrize(
    "args",
    [
        ("drugs", "show", "prolia", "--section", "dosing", "--no-pager"),
        ("drugs", "--no-pager", "show", "prolia", "--section", "dosing"),
        ("--no-pager", "drugs", "show", "prolia", "--section", "dosing"),
    ],
)
def test_no_pager_is_accepted_anywhere_on_the_line(args: tuple[str, ...]) -> None:
    from osteo_cli.render import output

    result = invoke(*args)
    assert result.exit_code == 0, result.stderr
    assert output.pager_off is True


def test_no_pager_after_a_double_dash_is_left_alone() -> None:
    from osteo_cli.cli import _root_options_first as lift_no_pager

    assert lift_no_pager(["search", "--", "--no-pager"]) == ["search", "--", "--no-pager"]
    assert lift_no_pager(["faq", "--no-pager", "4"]) == ["--no-pager", "faq", "4"]
