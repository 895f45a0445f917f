"""`osteo kb validate`, `osteo kb schema`, and reading a custom knowledge base."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from helpers import SHIPPED, invoke
from kb_edits import edited_kb

from osteo_cli.knowledge import check


def test_shipped_knowledge_base_passes_strict_validation() -> None:
    """Fails once a review date is more than a year old: review the entries, then bump the dates."""
    result = invoke("kb", "validate", "--strict")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "the shipped knowledge base: valid, no problems\n"


def test_validate_lists_every_schema_problem_with_line_and_field(tmp_path: Path) -> None:
    path = edited_kb(tmp_path, ("      route: subcutaneous\n", "      route: 7\n"), everywhere=True)
    result = invoke("kb", "validate", str(path), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 4 and report["warnings"] == 0
    lines = path.read_text().splitlines()
    for problem in report["problems"]:
        assert problem["field"].endswith(".dosing.route")
        assert lines[problem["line"] - 1] == "      route: 7"


def test_validate_finds_cross_reference_and_duplicate_problems(tmp_path: Path) -> None:
    path = edited_kb(
        tmp_path,
        ("      followed_by: [bisphosphonates]\n", "      followed_by: [calcitonin]\n"),
        ("      - name: Atelvia\n", "      - name: Prolia\n"),
        ("    sources: [label-reclast]\n", "    sources: [label-nowhere]\n"),
        ("  - id: reversible\n", "  - id: fastest\n"),
        everywhere=True,
    )
    messages = [p.message for p in check(path)]
    assert "names family 'calcitonin', which does not exist" in messages
    assert "'Prolia' is already the name of agent 'risedronate'" in messages  # first in the file wins
    assert "names source 'label-nowhere', which is not in `sources`" in messages
    assert "id 'fastest' is used twice" in messages


def test_limit_groups_must_agree(tmp_path: Path) -> None:
    path = edited_kb(
        tmp_path,
        (
            "        amount: 24\n        unit: months\n        group: pth-analogs\n        severity: problem\n",
            "        amount: 18\n        unit: months\n        group: pth-analogs\n        severity: problem\n",
        ),
        everywhere=True,
    )
    assert "limit group 'pth-analogs' is 24 months elsewhere" in [p.message for p in check(path)]


def test_must_be_followed_needs_a_follower(tmp_path: Path) -> None:
    path = edited_kb(tmp_path, ("      followed_by: [bisphosphonates]\n", ""), everywhere=True)
    assert any("name the families that can follow" in p.message for p in check(path))


def test_review_dates_warn_and_strict_fails(tmp_path: Path) -> None:
    reviewed, shipped_date = dt.date(2026, 12, 7), "    last_reviewed: 2026-11-25\n"
    assert check(SHIPPED, today=reviewed) == []  # so every problem below comes from the edit
    old = edited_kb(tmp_path, (shipped_date, "    last_reviewed: 2025-01-01\n"), name="old.yaml")
    problems = check(old, today=reviewed)
    assert [(p.severity, "more than a year ago" in p.message) for p in problems] == [("warning", True)]
    assert invoke("kb", "validate", str(old)).exit_code == 0
    assert invoke("kb", "validate", str(old), "--strict").exit_code == 1
    future = edited_kb(tmp_path, (shipped_date, "    last_reviewed: 2027-06-01\n"), name="future.yaml")
    assert ["is in the future" in p.message for p in check(future, today=reviewed)] == [True]


def test_old_review_date_fails_only_with_strict(tmp_path: Path) -> None:
    path = edited_kb(tmp_path, ("last_reviewed: 2026-11-25\n", "last_reviewed: 2020-01-01\n"), everywhere=True)
    lenient = invoke("kb", "validate", str(path))
    assert lenient.exit_code == 0
    assert re.search(r"0 errors,\s+\d+\s+warnings", lenient.stdout)  # the title wraps with a long path
    assert invoke("kb", "validate", str(path), "--strict").exit_code == 1


def test_unused_source_is_a_warning(tmp_path: Path) -> None:
    path = edited_kb(
        tmp_path,
        ("[label-actonel, label-atelvia]", "[label-actonel]"),
        ("      - label-atelvia\n", "      - label-actonel\n"),
        everywhere=True,
    )
    problems = check(path)
    assert [(p.severity, p.message) for p in problems] == [
        ("warning", "source 'label-atelvia' is not cited by any entry")
    ]


def test_validate_unreadable_path_is_one_line_exit_1(tmp_path: Path) -> None:
    result = invoke("kb", "validate", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 1
    assert result.stderr == f"osteo: error: {tmp_path / 'missing.yaml'}: no such file\n"


def test_schema_is_json_schema_of_the_file() -> None:
    result = invoke("kb", "schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    required = {"schema_version", "kb_version", "last_reviewed", "sources", "families", "agents", "bone_density"}
    assert set(schema["required"]) == required
    agent = schema["$defs"]["Agent"]
    assert agent["properties"]["id"]["pattern"] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    assert schema["$defs"]["Limit"]["properties"]["unit"]["enum"] == ["months", "doses"]


@pytest.mark.parametrize("how", ["option", "environment"])
def test_custom_data_is_read_and_labelled(tmp_path: Path, how: str) -> None:
    path = edited_kb(tmp_path, ("    name: Alendronate\n", "    name: Alendronate (clinic copy)\n"), everywhere=True)
    if how == "option":
        result = invoke("drugs", "show", "fosamax", "--data", str(path))
    else:
        result = invoke("drugs", "show", "fosamax", env={"OSTEO_DATA": str(path)})
    assert result.exit_code == 0, result.stderr
    assert "Alendronate (clinic copy)" in result.stdout
    footer = " ".join(result.stderr.split())  # wrapped by words to the width
    assert f"Custom knowledge base {path} (version 2026.12.0), not the shipped, reviewed one." in footer
    data = json.loads(invoke("drugs", "list", "-f", "json", "--data", str(path)).stdout)
    assert data["custom_data"] is True


def test_version_with_custom_data(tmp_path: Path) -> None:
    path = edited_kb(tmp_path, ('kb_version: "2026.12.0"', 'kb_version: "2027.1.3"'), everywhere=True)
    result = invoke("--version", env={"OSTEO_DATA": str(path)})
    assert result.stdout == f"osteo 0.2.0, custom knowledge base {path} 2027.1.3 (reviewed 2026-12-07)\n"


def test_show_sources_lists_each_fact_group() -> None:
    data = invoke("drugs", "show", "prolia", "--sources", "--format", "markdown").stdout
    for row in (
        "| **names and products** | article, label-prolia, fda-denosumab-biosimilars-2024 |",
        "| **dosing** | label-prolia |",
        "| **duration** | endocrine-2019 |",
        "| **safety** | label-prolia, fda-prolia-boxed-warning-2024 |",
    ):
        assert row in data
    assert "https://dailymed.nlm.nih.gov" in data


def test_a_name_with_a_control_character_is_refused(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("name: Prolia\n", 'name: "P\\e[31mrolia"\n', 1)
    path = tmp_path / "kb.yaml"
    path.write_text(text, encoding="utf-8")
    result = invoke("kb", "validate", str(path), "--format", "json")
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["message"] == "a name must be one line of visible text, without control characters"
