"""Issue 22: `osteo drugs show NAME` opens with an at-a-glance card that fits one 80x24
screen; `--all` gives the whole monograph, and JSON keeps it all."""

from __future__ import annotations

import json

import pytest
from helpers import invoke

from osteo_cli.knowledge import load

KB = load(None).kb
AT_80 = {"COLUMNS": "80"}


def test_prolia_at_a_glance_fits_one_screen_with_the_boxed_warning_and_the_follow_on() -> None:
    result = invoke("drugs", "show", "prolia", env=AT_80)
    assert result.exit_code == 0
    screen = result.stdout + result.stderr
    assert len(screen.splitlines()) <= 22  # 24 rows, less the prompt and a line to spare
    words = " ".join(result.stdout.split())
    assert words.startswith("Denosumab at a glance: antiresorptive (slows bone breakdown) Prolia is a brand")
    for text in (
        "For whom Treatment, women past menopause",
        "How it is taken 60 mg injected under the skin every 6 months",
        "Boxed warning Severe low blood calcium in people with advanced chronic kidney disease",
        "Kidney eGFR below 30 mL/min/1.73 m2: use with care",
        "When it stops Must be followed by a bisphosphonate, started no later than 7 months after the last dose;"
        " no drug holiday.",
        "Best trial result −68% spine fractures (FREEDOM, vs placebo)",
        "More: --section NAME (overview, dosing,",
        "or --all for everything.",
    ):
        assert text in words, text


@pytest.mark.parametrize("agent", [a.id for a in KB.agents])
def test_every_medicine_at_a_glance_fits_one_screen(agent: str) -> None:
    result = invoke("drugs", "show", agent, env=AT_80)
    assert result.exit_code == 0
    assert len((result.stdout + result.stderr).splitlines()) <= 22
    assert "When it stops" in result.stdout and "How it is taken" in result.stdout


def test_all_gives_the_whole_monograph() -> None:
    words = " ".join(invoke("drugs", "show", "prolia", "--all", env=AT_80).stdout.split())
    for title in ("Overview", "How to take it", "Safety", "Stopping", "Sources"):
        assert title in words
    assert "at a glance" not in words


def test_a_section_shows_that_section_only() -> None:
    words = " ".join(invoke("drugs", "show", "prolia", "--section", "kidney", env=AT_80).stdout.split())
    assert "Kidney function" in words and "At a glance" not in words and "How to take it" not in words


def test_json_keeps_the_whole_monograph() -> None:
    data = json.loads(invoke("drugs", "show", "prolia", "-f", "json").stdout)
    assert data["agent"]["safety"]["boxed_warning"].startswith("Severe low blood calcium")
    assert data["agent"]["stopping"]["must_be_followed"] is True
    assert data["agent"]["missed_doses"]


def test_a_family_is_shown_as_before() -> None:
    words = " ".join(invoke("drugs", "show", "bisphosphonates", env=AT_80).stdout.split())
    assert "Drugs in this family" in words and "at a glance" not in words
