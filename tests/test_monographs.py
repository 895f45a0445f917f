"""Content issue: the review's fixes and the new monograph sections, as commands print them.

One representative fact per agent and section, pinned to the command's output (not a copy of
the YAML), the follow-on and PTH rules in both directions, and one broken file per integrity rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import invoke
from kb_edits import edited_kb, problems

from osteo_cli.knowledge import load
from osteo_cli.queries.sequence import build

KB = load(None).kb


def show(name: str, *sections: str) -> str:
    args = ["drugs", "show", name]
    for section in sections:
        args += ["--section", section]
    if not sections:
        args.append("--all")
    result = invoke(*args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())  # words, whatever the wrapping


def test_alendronate_tells_a_patient_what_to_avoid_and_what_to_do_after_a_missed_tablet() -> None:
    text = show("alendronate")
    assert "Who should not take it, or take care" in text
    assert "achalasia" in text
    assert "After a missed dose" in text
    assert "Never take two tablets on the same day" in text or "never two" in text.lower()
    assert "Take calcium" in text or "calcium" in text.lower()


def test_sections_come_in_the_monograph_order_and_can_be_chosen() -> None:
    from osteo_cli.views.drugs import show_agent

    doc = show_agent(load(None), KB.agent("alendronate"), None)
    titles = [g.title for g in doc.grids]
    assert titles == [
        "Overview",
        "How to take it",
        "After a missed dose",
        "In practice",
        "Who should not take it, or take care",
        "Other medicines, food and supplements",
        "Kidney function",
        "Safety",
        "Side effects",
        "How often, in the label's trials (share of people, not a risk for one person)",
        "Checks before and during treatment",
        "Pregnancy and breastfeeding",
        "Who it is approved for",
        "How well it works",
        "How long",
        "Stopping",
        "Sources",
    ]
    only = show("alendronate", "kidney", "missed-dose")
    assert "Kidney function" in only and "After a missed dose" in only and "Overview" not in only


def test_unknown_section_is_a_usage_error() -> None:
    result = invoke("drugs", "show", "alendronate", "--section", "kidneys")
    assert result.exit_code == 2
    assert "kidney" in result.stderr


def test_denosumab_kidney_section_shows_the_boxed_warning_in_full() -> None:
    text = show("denosumab", "kidney")
    for words in ("eGFR below 30", "dialysis", "deaths", "CKD-MBD", "every week for the first month"):
        assert words in text, words


@pytest.mark.parametrize(
    ("agent", "section", "fact"),
    [
        ("alendronate", "side-effects", "6.6%"),
        ("risedronate", "missed-dose", "7 days"),
        ("ibandronate", "contraindications", "60 minutes"),
        ("zoledronic acid", "kidney", "below 35"),
        ("zoledronic acid", "interactions", "Loop diuretics"),
        ("denosumab", "monitoring", "10 to 14 days"),
        ("teriparatide", "safety", "2026-08"),
        ("teriparatide", "contraindications", "EU label"),
        ("abaloparatide", "contraindications", "Paget"),
        ("romosozumab", "contraindications", "heart attack or stroke"),
        ("raloxifene", "interactions", "Warfarin"),
        ("conjugated estrogens", "safety", "10 November 2025"),
        ("estradiol", "contraindications", "stroke"),
        ("denosumab", "approvals", "Men"),
        ("raloxifene", "pregnancy", "Pregnancy"),
    ],
)
def test_a_representative_fact_per_agent_and_section(agent: str, section: str, fact: str) -> None:
    assert fact.lower() in show(agent, section).lower()


def test_every_agent_has_every_monograph_section() -> None:
    for agent in KB.agents:
        assert agent.contraindications and agent.side_effects and agent.interactions, agent.id
        assert agent.missed_doses and agent.monitoring and agent.approvals, agent.id
    # Risedronate and ibandronate now carry the class statement, marked medium confidence (review N-I4).
    assert [a.id for a in KB.agents if a.pregnancy is None] == []
    assert "medium confidence" in show("risedronate", "pregnancy")


def test_label_sources_carry_set_ids_or_search_links() -> None:
    for source in KB.sources:
        if source.kind == "fda-label":
            assert source.url and ("setid=" in source.url or "search.cfm?query=" in source.url), source.id
    assert KB.source("label-prolia").set_id == "49e5afe9-a0c7-40c4-af9f-f287a80c5c88"


def test_hormone_therapy_boxed_warning_is_dated_and_duavee_specific() -> None:
    text = show("premarin", "safety")
    assert "10 November 2025" in text and "12 February 2026" in text
    assert "Duavee's box never named breast cancer" in text
    # dated by the FDA notices, not by a label revision that was not read (review N-S5)
    assert "as in the label of" not in text


def test_json_carries_the_structured_sections() -> None:
    payload = json.loads(invoke("drugs", "show", "alendronate", "-f", "json").stdout)
    agent = payload["agent"]
    hypocalcemia = next(c for c in agent["contraindications"] if c["condition"] == "hypocalcemia")
    assert hypocalcemia["level"] == "contraindicated"
    assert agent["kidney"]["thresholds"][0]["measure"] == "crcl"
    assert {m["regimen"] for m in agent["missed_doses"]} == {"weekly", "daily"}


# --- rules, both directions -------------------------------------------------------------


def findings(*steps: str) -> list[tuple[str, str, int]]:
    return [(f.rule, f.severity, f.step) for f in build(KB, list(steps)).findings]


def test_after_denosumab_only_a_bisphosphonate_counts() -> None:
    assert findings("denosumab:2y", "raloxifene:2y", "stop") == [("must-follow", "problem", 0)]
    assert findings("denosumab:3y", "estradiol:2y", "stop") == [
        ("must-follow", "problem", 0),
        ("long-use", "caution", 0),
    ]
    assert findings("denosumab:2y", "zoledronic acid:1y", "stop") == []
    assert findings("denosumab:2y", "alendronate:1y") == []


def test_sequence_denosumab_then_raloxifene_exits_1() -> None:
    result = invoke("sequence", "denosumab:2y", "raloxifene:2y", "stop")
    assert result.exit_code == 1
    assert "only a bisphosphonate" in result.stdout


def test_teriparatide_alone_past_24_months_is_a_caution_that_exits_0() -> None:
    assert findings("teriparatide:30m", "alendronate:2y") == [("limit", "caution", 0)]
    assert findings("teriparatide:24m", "alendronate:2y") == []
    result = invoke("sequence", "teriparatide:30m", "alendronate:2y")
    assert result.exit_code == 0
    assert "1 caution to review" in result.stdout


def test_abaloparatide_with_a_pth_analog_past_24_months_is_a_problem() -> None:
    assert findings("abaloparatide:30m", "alendronate:1y") == [("limit", "problem", 0)]
    assert ("limit", "problem", 1) in findings("teriparatide:18m", "abaloparatide:12m", "alendronate:1y")
    # one PTH-analog course in two steps (review N-I6)
    assert findings("abaloparatide:12m", "teriparatide:12m", "alendronate:1y") == []
    assert invoke("sequence", "abaloparatide:30m", "alendronate:1y").exit_code == 1


# --- tscore by fracture site --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "site", "category"),
    [
        ("-1.8", "hip", "Osteoporosis (clinical diagnosis"),
        ("-0.5", "spine", "Osteoporosis (clinical diagnosis"),
        ("-1.8", "wrist", "Possible osteoporosis (clinical diagnosis"),
        ("-0.5", "wrist", "Normal"),
        ("-1.8", "other", "Low bone mass"),
        ("-2.7", "hip", "Severe (established) osteoporosis"),
    ],
)
def test_tscore_with_a_fracture_site(value: str, site: str, category: str) -> None:
    result = invoke("tscore", value, "--fracture", site, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert f"Category {category}" in " ".join(result.stdout.split())


def test_tscore_site_without_fracture_is_a_usage_error() -> None:
    assert invoke("tscore", "-1.8", "hip").exit_code == 2
    assert invoke("tscore", "-1.8", "--fracture", "knee").exit_code == 2


# --- integrity of the new structured fields -------------------------------------------------


def test_unknown_condition_id(tmp_path: Path) -> None:
    messages = problems(
        edited_kb(tmp_path, ("  - condition: esophagus-slow-emptying", "  - condition: slow-gullet")), strict=True
    )
    assert "names condition 'slow-gullet', which is not in `conditions`" in messages


def test_unknown_substance_id(tmp_path: Path) -> None:
    messages = problems(edited_kb(tmp_path, ("  - substance: calcium\n", "  - substance: chalk\n")), strict=True)
    assert "names substance 'chalk', which is not in `substances`" in messages


def test_kidney_threshold_without_its_measure(tmp_path: Path) -> None:
    messages = problems(edited_kb(tmp_path, ("      - measure: crcl\n", "      - measure: serum\n")), strict=True)
    assert any("'crcl'" in m and "'egfr'" in m for m in messages)


def test_label_source_without_set_id_or_search_link(tmp_path: Path) -> None:
    old = '    url: "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=Binosto"\n'
    messages = problems(edited_kb(tmp_path, (old, '    url: "https://dailymed.nlm.nih.gov"\n')), strict=True)
    assert "label 'label-binosto' has no DailyMed set id and no DailyMed search link" in messages


def test_window_days_only_with_the_window_rule(tmp_path: Path) -> None:
    messages = problems(edited_kb(tmp_path, ("      window_days: 7\n", "")), strict=True)
    assert "window_days goes with rule 'window', and only with it" in messages


def test_compare_has_rows_for_safety_approvals_and_each_fracture_site() -> None:
    result = invoke("drugs", "compare", "alendronate", "denosumab", "-f", "json")
    columns = {c["id"]: c["features"] for c in json.loads(result.stdout)["columns"]}
    assert columns["alendronate"]["kidney"] == "CrCl below 35: not recommended"
    assert columns["denosumab"]["kidney"] == "eGFR below 30: caution"
    assert "Pregnancy" in columns["denosumab"]["contraindications"]
    assert "men" in columns["alendronate"]["approvals"]
    assert columns["denosumab"]["vertebral"] == "−68% (FREEDOM, vs placebo)"
    assert columns["alendronate"]["non_vertebral"].startswith("not shown (FIT-1")
    text = " ".join(invoke("drugs", "compare", "alendronate", "denosumab", env={"COLUMNS": "200"}).stdout.split())
    assert "not a promise for one person" in text  # what the numbers mean, said once
    assert text.count("not a promise for one person") == 1


def test_show_has_an_evidence_section() -> None:
    text = show("prolia", "evidence")
    assert "−68% (FREEDOM, vs placebo)" in text and "relative reduction" in text


@pytest.mark.parametrize("words", ["achalasia", "omeprazole", "missed dose", "breastfeeding"])
def test_search_finds_the_monograph_sections(words: str) -> None:
    result = invoke("search", *words.split())
    assert result.exit_code == 0, result.stderr


def test_compare_names_the_form_each_kidney_limit_is_for() -> None:
    """Content review N-S1: ibandronate's two limits read as one repeated without the forms."""
    import json

    from helpers import invoke

    payload = json.loads(invoke("drugs", "compare", "zoledronic-acid", "ibandronate", "-f", "json").stdout)
    kidney = {c["id"]: c["features"]["kidney"] for c in payload["columns"]}
    assert kidney["ibandronate"] == "tablets: CrCl below 30: not recommended; injection: CrCl below 30: not recommended"
