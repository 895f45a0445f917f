"""`osteo evidence`, `osteo guidelines` and lifestyle's amounts: pinned numbers, the picture, JSON."""

from __future__ import annotations

import json
import re

import pytest
from helpers import SHIPPED, invoke

from osteo_cli.commands.evidence import can_draw
from osteo_cli.knowledge import load, parse
from osteo_cli.knowledge.models import SITES
from osteo_cli.queries import evidence
from osteo_cli.views.evidence import figure

KB = load().kb
ZERO = re.compile(r"(?<![\d.])0%")  # "0%" on its own, not the end of "−40%"

# A representative number per trial, as `osteo evidence` prints it: (medicine, trial, site, text).
PINNED = [
    ("alendronate", "FIT-1", "vertebral", "−47%"),
    ("alendronate", "FIT-2", "vertebral", "−44%"),
    ("risedronate", "VERT-NA", "non_vertebral", "−39%"),
    ("risedronate", "VERT-MN", "vertebral", "−49%"),
    ("risedronate", "HIP", "hip", "−30%"),
    ("ibandronate", "BONE", "hip", "not shown"),
    ("zoledronic-acid", "HORIZON-PFT", "vertebral", "−70%"),
    ("zoledronic-acid", "HORIZON-RFT", "non_vertebral", "−27%"),
    ("denosumab", "FREEDOM", "vertebral", "−68%"),
    ("teriparatide", "Fracture Prevention Trial", "non_vertebral", "−53%"),
    ("teriparatide", "VERO", "vertebral", "−56%"),
    ("abaloparatide", "ACTIVE", "vertebral", "−86%"),
    ("abaloparatide", "ACTIVExtend", "vertebral", "−84%"),
    ("romosozumab", "FRAME", "vertebral", "−73%"),
    ("romosozumab", "ARCH", "non_vertebral", "−19%"),
    ("raloxifene", "MORE", "hip", "not shown"),
    ("conjugated-estrogens", "WHI (estrogen plus progestin)", "hip", "−33%"),
]


def test_every_trial_is_pinned() -> None:
    assert sorted(name for _, name, _, _ in PINNED) == sorted(t.name for t in KB.trials)


@pytest.mark.parametrize(("agent", "trial", "site", "text"), PINNED)
def test_the_pinned_number_is_what_evidence_prints(agent: str, trial: str, site: str, text: str) -> None:
    result = invoke("evidence", agent, "-f", "json")
    assert result.exit_code == 0, result.output
    found = next(t for t in json.loads(result.stdout)["trials"] if t["name"] == trial)
    assert found["results"][site]["text"].removesuffix(" *") == text
    table = invoke("evidence", agent, env={"COLUMNS": "120"}).stdout
    row = next(line for line in table.splitlines() if f"  {trial.split()[0]}" in line and "%" in line)
    assert text in row
    columns = [c for c in re.split(r"\s{2,}", row.strip()) if c]
    assert columns[4 + SITES.index(site)].removesuffix(" *") == text  # medicine, trial, against, people, sites


def test_not_shown_is_never_zero() -> None:
    result = invoke("evidence", "-f", "json")
    payload = json.loads(result.stdout)
    for trial in payload["trials"]:
        for site in SITES:
            got = trial["results"][site]
            assert got["percent"] != 0
            if not got["shown"]:
                assert got["percent"] is None
                assert got["text"].startswith(("not shown", "not measured"))
    for fmt in ("table", "markdown"):
        out = invoke("evidence", "-f", fmt).stdout
        assert "not shown" in out
        assert not ZERO.search(out.replace("not the same as 0%", ""))  # only the legend says 0%


def test_ibandronate_and_raloxifene_show_no_hip_reduction() -> None:
    for agent in ("ibandronate", "raloxifene"):
        summary = evidence.site_summary(KB, agent)
        assert summary["hip"].startswith("not shown")


def test_the_meaning_of_a_number_is_said_once() -> None:
    out = invoke("evidence").stdout
    assert out.count("relative reduction") == 1
    assert "not a promise for one person" in " ".join(out.split())


def test_head_to_head_trials_are_drawn_apart() -> None:
    lines = figure(KB, list(KB.trials), 100)
    head = next(i for i, line in enumerate(lines) if line.startswith("Head to head"))
    placebo_part, h2h_part = "\n".join(lines[:head]), "\n".join(lines[head:])
    assert "ARCH: Romosozumab vs alendronate" in h2h_part and "VERO: Teriparatide vs risedronate" in h2h_part
    assert "ARCH" not in placebo_part and "FREEDOM" in placebo_part


def _bar_length(lines: list[str], trial: str, site: str) -> int:
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{trial}:"))
    line = next(line for line in lines[start + 1 :] if line.strip().startswith(site))
    return sum(1 for c in line if c in "█▏▎▍▌▋▊▉#")


@pytest.mark.parametrize("width", [40, 80, 120])
def test_the_picture_fits_its_width(width: int) -> None:
    trials = list(KB.trials)
    for unicode in (True, False):
        lines = figure(KB, trials, width, unicode)
        assert all(len(line) <= width for line in lines)
        assert any("68%" in line for line in lines)
    lines = figure(KB, trials, width)
    assert _bar_length(lines, "FREEDOM", "spine") > _bar_length(lines, "FREEDOM", "non-spine") > 0
    bone_hip = next(
        line for line in lines[lines.index(next(x for x in lines if x.startswith("BONE:"))) :] if "hip" in line
    )
    assert bone_hip.strip() == "hip       not shown"


def test_bars_grow_with_the_width() -> None:
    lengths = [_bar_length(figure(KB, list(KB.trials), w), "FREEDOM", "spine") for w in (40, 80, 120)]
    assert lengths[0] < lengths[1] < lengths[2]


def test_the_ascii_fallback() -> None:
    lines = figure(KB, list(KB.trials), 80, unicode=False)
    "\n".join(lines).encode("ascii")  # raises if anything is not ASCII
    assert any("#" in line and "68%" in line for line in lines)
    assert not can_draw("ascii") and not can_draw("latin-1") and can_draw("utf-8")


@pytest.mark.parametrize("columns", ["40", "80", "120"])
def test_the_command_draws_at_the_terminal_width(columns: str) -> None:
    result = invoke("evidence", "denosumab", env={"COLUMNS": columns})
    assert result.exit_code == 0
    spine = next(line for line in result.stdout.splitlines() if line.strip().startswith("spine"))
    assert len(spine) <= int(columns) and "68%" in spine


def test_families_expand_and_names_resolve() -> None:
    payload = json.loads(invoke("evidence", "bisphosphonates", "-f", "json").stdout)
    agents = {t["agent"]["id"] for t in payload["trials"]}
    assert agents == {"alendronate", "risedronate", "ibandronate", "zoledronic-acid"}
    prolia = json.loads(invoke("evidence", "Prolia", "-f", "json").stdout)
    assert [t["name"] for t in prolia["trials"]] == ["FREEDOM"]
    assert invoke("evidence", "nonesuch").exit_code == 2
    assert invoke("evidence", "estradiol").exit_code == 2  # no trial of its own in osteo


def test_evidence_json_shape() -> None:
    payload = json.loads(invoke("evidence", "romosozumab", "-f", "json").stdout)
    assert set(payload) == {"kb_version", "custom_data", "meaning", "trials", "sources"}
    arch = next(t for t in payload["trials"] if t["id"] == "arch")
    assert arch["head_to_head"] is True and arch["comparator_agent"] == {"id": "alendronate", "name": "Alendronate"}
    assert set(arch["results"]) == {"vertebral", "non_vertebral", "hip"}
    assert set(arch["results"]["hip"]) == {"shown", "measured", "percent", "note", "sources", "confidence", "text"}
    assert arch["results"]["hip"]["confidence"] == "medium"
    assert arch["results"]["vertebral"]["percent"] == 48


def test_site_summary_for_drugs_show_and_compare() -> None:
    assert evidence.site_summary(KB, "denosumab") == {
        "vertebral": "−68% (FREEDOM, vs placebo)",
        "non_vertebral": "−20% (FREEDOM, vs placebo)",
        "hip": "−40% (FREEDOM, vs placebo)",
    }
    assert evidence.site_summary(KB, "alendronate")["vertebral"] == (
        "−47% (FIT-1, vs placebo); −44% (FIT-2, vs placebo)"
    )
    assert evidence.site_summary(KB, "estradiol")["hip"] == "no trial in osteo"
    assert [t.name for t in evidence.for_agent(KB, "romosozumab")] == ["FRAME", "ARCH"]


def test_details_name_the_source_of_each_number() -> None:
    out = " ".join(invoke("evidence", "romosozumab", env={"COLUMNS": "120"}).stdout.split())
    assert "The Evenity label gives 50%" in out
    assert "[trial-arch, label-evenity]" in out


def test_guidelines_explain_very_high_risk_with_sources() -> None:
    result = invoke("guidelines", "aace", env={"COLUMNS": "120"})
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    for text in (
        "A fracture in the past 12 months.",
        "A T-score below -3.0.",
        "above 4.5% for a hip fracture",
        "aace-2020",
    ):
        assert text in out
    assert "* medium confidence" in out


def test_guidelines_side_by_side() -> None:
    out = " ".join(invoke("guidelines", env={"COLUMNS": "200"}).stdout.split())
    for name in ("BHOF 2022", "AACE/ACE 2020", "Endocrine Society 2019/2020"):
        assert name in out
    assert "every 1-3 years in women at high risk" in out
    assert "not for women at high risk of heart attack or stroke" in out
    assert invoke("guidelines", "nonesuch").exit_code == 2


def test_guidelines_json_shape() -> None:
    payload = json.loads(invoke("guidelines", "-f", "json").stdout)
    assert [g["id"] for g in payload["guidelines"]] == ["bhof-2022", "aace-2020", "endocrine-society-2019"]
    aace = payload["guidelines"][1]
    point = aace["first_choice_very_high"][0]
    assert set(point) == {"text", "sources", "agents", "confidence"}
    assert "romosozumab" in point["agents"] and point["confidence"] == "medium"


def test_lifestyle_gives_calcium_and_vitamin_d_amounts() -> None:
    out = " ".join(invoke("lifestyle", "nutrition", env={"COLUMNS": "120"}).stdout.split())
    for text in ("Women 51-70 1,200 mg", "Men 51-70 1,000 mg", "4,000 IU upper limit", "800-1,000 IU", "0.8 g"):
        assert text in out
    payload = json.loads(invoke("lifestyle", "-f", "json").stdout)
    amounts = payload["intake"]["amounts"]
    women = [a for a in amounts if a["nutrient"] == "calcium" and a["sex"] == "women" and a["by"] == "BHOF 2022"]
    assert women[0]["amount"] == 1200 and women[0]["unit"] == "mg"
    assert {m["group"] for m in payload["intake"]["measures"]} >= {"calcium", "alcohol", "exercise", "falls"}
    exercise = invoke("lifestyle", "exercise", "-f", "json").stdout
    assert '"amounts": []' in exercise and "30 minutes" in exercise


def test_search_finds_the_new_sections() -> None:
    for words, kind in (
        (["FREEDOM"], "evidence"),
        (["12", "months", "fracture"], "guideline"),
        (["kidney", "stones"], "lifestyle"),
    ):
        payload = json.loads(invoke("search", *words, "-f", "json").stdout)
        assert kind in {r["kind"] for r in payload["results"]}, words


def test_integrity_checks_trial_agents_and_not_shown() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    bad_agent = text.replace("    agent: alendronate\n    citation", "    agent: nonesuch\n    citation", 1)
    _, problems = parse(bad_agent.encode())
    assert any("names agent 'nonesuch'" in p.message for p in problems)
    zero = text.replace(
        "hip: {shown: false, sources: [trial-bone]}", "hip: {shown: false, percent: 5, sources: [trial-bone]}"
    )
    assert zero != text
    _, problems = parse(zero.encode())
    assert any("has no percentage" in p.message for p in problems)
    missing = text.replace("sources: [trial-freedom]}", "sources: [no-such-source]}", 1)
    _, problems = parse(missing.encode())
    assert any("no-such-source" in p.message for p in problems)


def test_compare_shows_bone_regimen_caveat() -> None:
    """N-I8: BONE's −62% comes from a daily tablet, not the regimens people are given."""
    summary = evidence.site_summary(KB, "ibandronate")
    for site in ("vertebral", "non_vertebral", "hip"):
        assert "BONE, vs placebo; tested daily and intermittent tablets" in summary[site]
    assert "tested" not in evidence.site_summary(KB, "zoledronic-acid")["vertebral"]
