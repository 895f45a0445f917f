"""Rules a deliberate breakage once survived (code review 2026-11, mutation probes).

Each test here fails if its rule is deleted: two integrity rules, the same-family wording
of `compare`, one finding per limit group however often it is crossed, and the steps a
merged course was typed as.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers import SHIPPED, invoke
from kb_edits import edited_kb, problems

from osteo_cli.knowledge import load
from osteo_cli.queries.sequence import build

KB = load(None).kb


def test_a_limit_in_doses_needs_the_dosing_interval(tmp_path: Path) -> None:
    old = "      schedule: monthly, 12 doses\n      how:"
    text = SHIPPED.read_text(encoding="utf-8")
    start = text.index(old)
    interval = "      interval: {every: 1, unit: month}\n"
    at = text.index(interval, start)
    path = tmp_path / "edited.yaml"
    path.write_text(text[:at] + text[at + len(interval) :], encoding="utf-8")
    result = invoke("kb", "validate", str(path), "-f", "json")
    messages = [p["message"] for p in json.loads(result.stdout)["problems"]]
    assert "a limit in doses needs the dosing interval, to count a plan's months" in messages


def test_the_osteoporosis_boundary_must_be_below_normal(tmp_path: Path) -> None:
    messages = problems(
        edited_kb(tmp_path, ("  osteoporosis_at_or_below: -2.5\n", "  osteoporosis_at_or_below: -0.5\n"))
    )
    assert "must be below normal_at_or_above" in messages


def test_two_names_of_one_family_are_said_to_be_the_same_family() -> None:
    result = invoke("drugs", "compare", "bisphosphonates", "bisphosphonate", "alendronate")
    assert result.exit_code == 0, result.output
    assert "Bisphosphonates and Bisphosphonate are the same family: Bisphosphonates." in result.stdout


def test_a_limit_group_crossed_twice_gives_one_finding() -> None:
    plan = build(KB, ["romosozumab:13m", "alendronate:1y", "romosozumab:2m", "alendronate:1y"])
    assert [(f.rule, f.step) for f in plan.findings if f.rule == "limit"] == [("limit", 0)]


def test_a_merged_course_keeps_every_step_as_typed() -> None:
    plan = build(KB, ["denosumab:2y", "denosumab:3y", "alendronate:1y"])
    assert [s.typed for s in plan.steps] == ["denosumab:2y denosumab:3y", "alendronate:1y"]
    assert plan.steps[0].months == 60


def test_medium_confidence_is_marked_where_it_is_shown() -> None:
    text = " ".join(invoke("drugs", "show", "teriparatide", "--all", env={"COLUMNS": "200"}).stdout.split())
    assert "Terrosa (biosimilar to Forsteo; Gedeon Richter; EU approval 2017-01): An EU biosimilar" in text
    assert "from several makers. (medium confidence)" in text  # US generic teriparatide: an industry blog


def test_a_plan_counts_doses_for_a_drug_with_one_schedule() -> None:
    result = invoke("sequence", "romosozumab:12m", "denosumab:2y", "alendronate:1y", env={"COLUMNS": "200"})
    assert "12 months (12 doses)" in result.stdout
    assert "24 months (4 doses)" in result.stdout
