"""`osteo check`: verdicts, kidney measures, implied conditions, synonyms, exit codes, JSON.

Most tests run against the shipped knowledge base (data/medications.yaml), whose
`conditions`, `substances` and per-agent `contraindications`, `interactions` and `kidney`
thresholds are real content. A few need something the real data does not have (a cycle
in `implies`, a condition every medicine is contraindicated for, markup in a text): they
start from the shipped file, overwrite the one field they need, and pass it with --data.

The verdict of every agent, for every condition of the vocabulary and for kidney values
just below and at every threshold in the data, is pinned in
tests/snapshots/check-verdicts.json (issue 9), so a content change that alters a verdict
shows in review. After a deliberate content change, regenerate it with

    OSTEO_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest -q tests/test_check.py -k snapshot

and review the diff of the JSON file before committing it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import invoke, shipped_data, write_yaml
from typer.testing import Result

from osteo_cli.queries.check import key

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "check-verdicts.json"
UPDATE = os.environ.get("OSTEO_UPDATE_SNAPSHOTS") == "1"

CAUTION = "caution"
AVOID = "avoid"
NONE = "no-label-restriction-found"
COMPARE = "cannot-compare"  # a kidney limit in the other measure than the one given


shipped = shipped_data
SHIPPED_DATA = shipped()
ALL = [agent["id"] for agent in SHIPPED_DATA["agents"]]
CONDITION_IDS = [c["id"] for c in SHIPPED_DATA["conditions"]]
SUBSTANCE_IDS = [s["id"] for s in SHIPPED_DATA["substances"]]


def agent_of(data: dict[str, Any], agent_id: str) -> dict[str, Any]:
    agent: dict[str, Any]
    [agent] = [a for a in data["agents"] if a["id"] == agent_id]
    return agent


def condition_of(data: dict[str, Any], condition_id: str) -> dict[str, Any]:
    entry: dict[str, Any]
    [entry] = [c for c in data["conditions"] if c["id"] == condition_id]
    return entry


write = write_yaml


Run = Callable[..., Result]


@pytest.fixture
def check() -> Run:
    """`osteo check` on the shipped knowledge base."""

    def run(*args: str) -> Result:
        return invoke("check", *args)

    return run


def results(result: Result) -> dict[str, dict[str, Any]]:
    payload = json.loads(result.stdout)
    return {r["agent"]["id"]: r for r in payload["results"]}


def verdicts(check: Run, *args: str) -> dict[str, str]:
    result = check(*args, "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    return {rid: r["verdict"] for rid, r in results(result).items()}


def pinned(**changed: str) -> dict[str, str]:
    assert {name.replace("_", "-") for name in changed} <= set(ALL)
    return {agent: changed.get(agent.replace("-", "_"), NONE) for agent in ALL}


# --- the verdict of every agent, for the whole real vocabulary (issue 9) -------------------------


def kidney_values() -> dict[str, list[str]]:
    """For each measure, the values just below and at every threshold in the shipped data."""
    values: dict[str, set[int]] = {"crcl": set(), "egfr": set()}
    for agent in SHIPPED_DATA["agents"]:
        for t in (agent.get("kidney") or {}).get("thresholds", []):
            values[t["measure"]] |= {t["below"] - 1, t["below"]}
    return {measure: [str(v) for v in sorted(found)] for measure, found in values.items()}


def snapshot_cases() -> dict[str, list[str]]:
    """Snapshot key -> the `osteo check` arguments it stands for."""
    cases = {f"has:{cid}": ["--has", cid] for cid in CONDITION_IDS}
    for measure, found in kidney_values().items():
        cases.update({f"{measure}:{value}": [f"--{measure}", value] for value in found})
    return cases


def test_snapshot_covers_every_threshold_and_condition() -> None:
    # the thresholds of the data today: a new or moved one changes the keys, and so the snapshot
    assert kidney_values() == {"crcl": ["29", "30", "34", "35"], "egfr": ["29", "30"]}
    assert len(CONDITION_IDS) == len(set(CONDITION_IDS)) > 30


def test_snapshot_of_every_verdict(check: Run) -> None:
    got = {case: verdicts(check, *args) for case, args in snapshot_cases().items()}
    if UPDATE:
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert SNAPSHOT.exists(), "no snapshot: run with OSTEO_UPDATE_SNAPSHOTS=1 to write it"
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert list(got) == list(expected), "the vocabulary or the thresholds changed: regenerate and review"
    for case in got:
        assert got[case] == expected[case], f"{case}: verdicts changed (OSTEO_UPDATE_SNAPSHOTS=1 to accept)"


def test_snapshot_is_well_formed() -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    for case, row in expected.items():
        assert sorted(row) == sorted(ALL), case
        assert set(row.values()) <= {AVOID, CAUTION, COMPARE, NONE}, case
    # every condition in the vocabulary restricts at least one medicine, or it would not be there;
    # except one that only says a narrower condition does not apply (radiation that missed the skeleton)
    only_excludes = {c["id"] for c in SHIPPED_DATA["conditions"] if c.get("excludes") and not c.get("implies")}
    for cid in CONDITION_IDS:
        if cid not in only_excludes:
            assert set(expected[f"has:{cid}"].values()) != {NONE}, cid


# The medically important rows, spelt out so a reader can check them without the JSON file.


def test_crcl_32_rules_out_alendronate_and_zoledronic_acid_only() -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    got = verdicts(invoke, "check", "--crcl", "32")
    # below 35: alendronate not recommended, zoledronic acid contraindicated
    assert got["alendronate"] == AVOID and got["zoledronic-acid"] == AVOID
    # their limit is 30: 32 is above it
    assert got["risedronate"] != AVOID and got["ibandronate"] != AVOID
    assert got["teriparatide"] != AVOID
    # the eGFR labels cannot be compared with a creatinine clearance: their own verdict, never a pass
    assert got["denosumab"] == COMPARE and got["romosozumab"] == COMPARE
    # 32 lies between the pinned 30 and 34
    assert expected["crcl:30"] == pinned(
        alendronate=AVOID, zoledronic_acid=AVOID, denosumab=COMPARE, romosozumab=COMPARE
    )
    assert got == expected["crcl:30"] == expected["crcl:34"]


def test_crcl_at_and_below_30() -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    below = expected["crcl:29"]
    for agent in ("alendronate", "risedronate", "ibandronate", "zoledronic-acid"):
        assert below[agent] == AVOID, agent
    # Teriparatide's limit is in its EU label only: shown, marked, but a caution for a US screen.
    assert below["teriparatide"] == CAUTION
    assert expected["crcl:35"]["alendronate"] == NONE and expected["crcl:35"]["zoledronic-acid"] == NONE


def test_egfr_below_30_is_a_caution_for_denosumab_and_romosozumab() -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert expected["egfr:29"]["denosumab"] == CAUTION and expected["egfr:29"]["romosozumab"] == CAUTION
    # at 30 the eGFR limit is not reached; the creatinine-clearance labels still ask for their measure
    assert expected["egfr:30"] == pinned(
        alendronate=COMPARE, risedronate=COMPARE, ibandronate=COMPARE, zoledronic_acid=COMPARE, teriparatide=COMPARE
    )


def test_heart_attack_or_stroke_in_the_past_year() -> None:
    got = verdicts(invoke, "check", "--has", "heart-attack-or-stroke-past-year")
    assert got["romosozumab"] == AVOID  # the boxed warning
    assert got["conjugated-estrogens"] == AVOID and got["estradiol"] == AVOID  # arterial clots, implied
    assert got == json.loads(SNAPSHOT.read_text(encoding="utf-8"))["has:heart-attack-or-stroke-past-year"]


def test_pregnancy() -> None:
    got = verdicts(invoke, "check", "--has", "pregnancy")
    for agent in ("denosumab", "raloxifene", "conjugated-estrogens", "estradiol", "romosozumab", "abaloparatide"):
        assert got[agent] == AVOID, agent
    assert got == json.loads(SNAPSHOT.read_text(encoding="utf-8"))["has:pregnancy"]


def test_venous_thrombosis() -> None:
    got = verdicts(invoke, "check", "--has", "venous-thrombosis")
    assert got == pinned(raloxifene=AVOID, conjugated_estrogens=AVOID, estradiol=AVOID)
    assert got == json.loads(SNAPSHOT.read_text(encoding="utf-8"))["has:venous-thrombosis"]


def test_allergy_to_the_medicine_rules_out_all_but_raloxifene(check: Run) -> None:
    # the raloxifene label lists no hypersensitivity contraindication, so not every medicine is avoided
    result = check("--has", "hypersensitivity")
    assert result.exit_code == 0
    assert verdicts(check, "--has", "allergy") == {agent: NONE if agent == "raloxifene" else AVOID for agent in ALL}


# --- the example ---------------------------------------------------------------------------


def test_alendronate_with_calcium_and_omeprazole(check: Run) -> None:
    result = check("alendronate", "--takes", "calcium", "--takes", "omeprazole")
    assert result.exit_code == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "Take calcium at least 30 minutes after the alendronate dose." in out
    # omeprazole is known (an acid reducer) and has no entry of its own on alendronate's label, so the
    # label's rule for every other oral medicine applies (review N-I3): take it 30 minutes later.
    assert "omeprazole (Medicines that lower stomach acid" in out
    assert "Medicines that lower stomach acid (proton pump inhibitors and H2 blockers), if taken by mouth:" in out
    assert "wait at least 30 minutes before any other medicine by mouth" in out
    payload = json.loads(check("alendronate", "--takes", "calcium", "--takes", "omeprazole", "-f", "json").stdout)
    assert payload["input"]["substances"] == [
        {"typed": "calcium", "matched": ["calcium"]},
        {"typed": "omeprazole", "matched": ["acid-reducers"]},
    ]
    [alendronate] = payload["results"]
    assert alendronate["verdict"] == CAUTION
    assert [(r["kind"], r["about"], r["level"]) for r in alendronate["reasons"]] == [
        ("interaction", "calcium", "separate"),
        ("interaction", "other-oral-medicines", "separate"),  # calcium is a medicine by mouth too
        ("interaction", "other-oral-medicines", "separate"),
    ]


def test_a_medicine_not_on_file_says_so(check: Run) -> None:
    result = check("denosumab", "--takes", "calcimimetics", "--takes", "metformin")
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "metformin (not in osteo's list of medicines)" in out
    assert "no interaction on file between Denosumab and metformin" in out
    # with an oral bisphosphonate, an unknown medicine still follows the label's rule for every oral medicine
    out = " ".join(check("alendronate", "--takes", "metformin").stdout.split())
    assert "metformin, if taken by mouth:" in out and "at least 30 minutes" in out


# --- each kind of rule, on the real data --------------------------------------------------------


def test_interaction_levels(check: Run) -> None:
    # digoxin: a caution (teriparatide), a monitor (zoledronic acid), no effect (raloxifene)
    got = results(check("--takes", "digoxin", "-f", "json"))
    assert [(r["kind"], r["level"]) for r in got["teriparatide"]["reasons"]] == [("interaction", "caution")]
    assert [(r["kind"], r["level"]) for r in got["zoledronic-acid"]["reasons"]] == [("interaction", "monitor")]
    assert got["teriparatide"]["verdict"] == got["zoledronic-acid"]["verdict"] == CAUTION
    # no-effect is reported but does not make a caution
    assert [(r["kind"], r["level"]) for r in got["raloxifene"]["reasons"]] == [("interaction", "no-effect")]
    assert got["raloxifene"]["verdict"] == NONE
    # avoid
    assert verdicts(check, "raloxifene", "--takes", "cholestyramine") == {"raloxifene": AVOID}
    # separate
    assert verdicts(check, "alendronate", "--takes", "iron") == {"alendronate": CAUTION}


def test_contraindication_levels(check: Run) -> None:
    # contraindicated, not recommended: avoid; caution, not approved: caution
    assert verdicts(check, "alendronate", "--has", "achalasia") == {"alendronate": AVOID}
    assert verdicts(check, "teriparatide", "--has", "paget") == {"teriparatide": AVOID}
    assert verdicts(check, "raloxifene", "--has", "liver disease") == {"raloxifene": CAUTION}
    got = results(check("ibandronate", "--has", "men", "-f", "json"))["ibandronate"]
    assert got["verdict"] == CAUTION and [r["level"] for r in got["reasons"]] == ["not-approved"]


def test_rows_are_sorted_avoid_then_caution_then_the_rest(check: Run) -> None:
    order = list(results(check("--crcl", "34", "-f", "json")))
    assert order[:4] == ["alendronate", "zoledronic-acid", "denosumab", "romosozumab"]
    assert order[4:] == [a for a in ALL if a not in order[:4]]


def test_reason_carries_text_action_sources_jurisdiction_and_confidence(check: Run) -> None:
    got = results(check("teriparatide", "ibandronate", "--has", "pregnant", "--has", "achalasia", "-f", "json"))
    teriparatide = got["teriparatide"]["reasons"]
    assert sorted((r["kind"], r["level"], r["about"], r["jurisdiction"]) for r in teriparatide) == [
        ("contraindication", "caution", "pregnancy", None),
        ("contraindication", "contraindicated", "pregnancy", "EU"),  # EU only: a caution at most
    ]
    assert got["teriparatide"]["verdict"] == CAUTION
    eu = next(r for r in teriparatide if r["jurisdiction"] == "EU")
    us = next(r for r in teriparatide if r["jurisdiction"] is None)
    assert eu["sources"] == ["forsteo-eu"]
    assert us["action"] == "Stopping is considered once a pregnancy is known."
    ibandronate = next(r for r in got["ibandronate"]["reasons"] if r["applies_to"] == "tablets")
    assert ibandronate["applies_to"] == "tablets" and ibandronate["confidence"] == "high"
    assert ibandronate["action"] == "A different medicine or form is needed."
    estrogen = results(check("estradiol", "--has", "nursing", "-f", "json"))["estradiol"]["reasons"]
    assert [(r["level"], r["confidence"]) for r in estrogen] == [("not-recommended", "medium")]
    table = check("teriparatide", "estradiol", "--has", "pregnant", "--has", "nursing", "-f", "markdown").stdout
    assert "What to do: Stopping is considered once a pregnancy is known." in table
    assert "(EU label.)" in table and "(medium confidence)" in table
    assert "forsteo-eu" in table and "label-estrogens" in table


def test_measure_mismatch_says_the_label_uses_another_measure(check: Run) -> None:
    got = results(check("alendronate", "denosumab", "--egfr", "20", "-f", "json"))
    alendronate = got["alendronate"]
    assert alendronate["verdict"] == COMPARE
    [reason] = alendronate["reasons"]
    assert reason["kind"] == "kidney-measure" and reason["level"] == "not-recommended"
    assert "creatinine clearance, not the eGFR given" in reason["text"]
    assert "Measure the creatinine clearance" in reason["action"]
    # denosumab's label uses eGFR: compared directly
    assert [(r["kind"], r["level"]) for r in got["denosumab"]["reasons"]] == [("kidney", "caution")]
    assert "given: 20 mL/min/1.73 m2" in got["denosumab"]["reasons"][0]["text"]
    assert got["denosumab"]["reasons"][0]["action"].startswith("Before deciding to treat, check for CKD-MBD")


def test_kidney_flag_condition_asks_for_the_value_unless_a_rule_says_more(check: Run) -> None:
    got = results(check("--has", "aki", "-f", "json"))
    # zoledronic acid: contraindicated in acute kidney injury, so no question about the value
    assert [r["kind"] for r in got["zoledronic-acid"]["reasons"]] == ["contraindication"]
    assert got["zoledronic-acid"]["verdict"] == AVOID
    alendronate = got["alendronate"]["reasons"]
    assert [r["kind"] for r in alendronate] == ["kidney-measure"]
    assert "Acute kidney problems (acute kidney injury)" in alendronate[0]["text"]
    assert got["alendronate"]["verdict"] == CAUTION
    assert got["raloxifene"]["verdict"] == NONE  # no kidney limit on its label
    # once the label's measure is given, the value decides
    with_value = verdicts(check, "--has", "aki", "--crcl", "50", "--egfr", "50")
    assert with_value == pinned(zoledronic_acid=AVOID)
    # a caution rule on the kidney condition does not settle it: the value is still asked for
    # dialysis means kidney function below every threshold (review N-E1): the eGFR warning applies as such
    dialysis = results(check("denosumab", "--has", "dialysis", "-f", "json"))["denosumab"]["reasons"]
    assert [(r["kind"], r["level"]) for r in dialysis] == [
        ("contraindication", "caution"),
        ("kidney", "caution"),
    ]


def test_implies_is_followed_transitively(check: Run) -> None:
    result = check("romosozumab", "estradiol", "--has", "recent-mi", "-f", "json")
    payload = json.loads(result.stdout)
    assert payload["input"]["conditions"] == ["heart-attack-or-stroke-past-year"]
    assert payload["input"]["implied_conditions"] == [
        "heart-attack-or-stroke",
        "cardiovascular-risk",
        "coronary-heart-disease",
        "stroke-risk",
    ]
    got = {r["agent"]["id"]: r for r in payload["results"]}
    assert [(r["about"], r["level"]) for r in got["romosozumab"]["reasons"]] == [
        ("heart-attack-or-stroke-past-year", "not-recommended"),
        ("cardiovascular-risk", "caution"),  # two steps away
    ]
    assert [(r["about"], r["level"]) for r in got["estradiol"]["reasons"]] == [
        ("heart-attack-or-stroke", "contraindicated"),  # one step away
    ]
    assert result.exit_code == 1


def test_a_cycle_in_implies_does_not_loop(tmp_path: Path) -> None:
    # the real vocabulary has no cycle: close one (cardiovascular-risk -> the start)
    data = shipped()
    condition_of(data, "cardiovascular-risk")["implies"] = ["heart-attack-or-stroke-past-year"]
    path = write(tmp_path / "cycle.yaml", data)
    result = invoke("check", "romosozumab", "--has", "recent-mi", "-f", "json", "--data", str(path))
    assert result.exit_code == 1, result.stderr
    payload = json.loads(result.stdout)
    assert payload["input"]["implied_conditions"] == [
        "heart-attack-or-stroke",
        "cardiovascular-risk",
        "coronary-heart-disease",
        "stroke-risk",
    ]
    assert payload["custom_data"] is True


@pytest.mark.parametrize(
    "typed",
    ["vte", "DVT", "Pulmonary-Embolism", "blood clots", "Blood clots in the veins or lungs, now or in the past"],
)
def test_condition_synonyms(check: Run, typed: str) -> None:
    assert verdicts(check, "raloxifene", "--has", typed) == {"raloxifene": AVOID}


@pytest.mark.parametrize("typed", ["St Johns wort", "st. john's wort", "ST JOHN’S WORT", "st-johns-wort", "Hypericum"])
def test_substance_synonyms_and_punctuation(check: Run, typed: str) -> None:
    payload = json.loads(check("estradiol", "--takes", typed, "-f", "json").stdout)
    assert payload["input"]["substances"] == [{"typed": typed, "matched": ["cyp3a4-inducers"]}]
    [reason] = payload["results"][0]["reasons"]
    assert (reason["kind"], reason["level"], payload["results"][0]["verdict"]) == ("interaction", "caution", CAUTION)


def test_one_name_can_match_several_substances(check: Run) -> None:
    result = check("alendronate", "--takes", "tums", "-f", "json")
    payload = json.loads(result.stdout)
    assert payload["input"]["substances"] == [{"typed": "tums", "matched": ["calcium", "antacids"]}]
    reasons = payload["results"][0]["reasons"]
    assert [(r["about"], r["level"]) for r in reasons] == [
        ("calcium", "separate"),
        ("antacids", "separate"),
        ("other-oral-medicines", "separate"),  # the wait covers every medicine by mouth, once per name
    ]
    assert reasons[0]["action"] == "Take calcium at least 30 minutes after the alendronate dose."
    assert result.exit_code == 0


def test_unknown_condition_suggests_and_exits_2(check: Run) -> None:
    result = check("--has", "vtee")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "osteo: error: no condition called 'vtee'; did you mean 'vte'?\n"
    far = check("--has", "sunburn")
    assert far.exit_code == 2 and far.stdout == ""
    assert (
        far.stderr == "osteo: error: no condition called 'sunburn'; run 'osteo check --list' to see every condition\n"
    )


def test_medicine_close_to_a_known_name_is_a_typo(check: Run) -> None:
    result = check("--takes", "furosemid")
    assert result.exit_code == 2 and result.stdout == ""
    assert "did you mean 'furosemide'?" in result.stderr
    # another medicine that only shares most letters is not a typo
    assert check("--takes", "xnaproxen").exit_code == 0
    assert check("--takes", "dexlansoprazole").exit_code == 0  # lansoprazole is on file, it is not


def test_unknown_medicine_is_accepted_without_suggesting_safety(check: Run) -> None:
    result = check("denosumab", "--takes", "calcimimetics", "--takes", "metformin", "-f", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["input"]["substances"][1] == {"typed": "metformin", "matched": []}
    denosumab = payload["results"][0]
    assert denosumab["verdict"] == CAUTION
    [_, missing] = denosumab["reasons"]
    assert missing["kind"] == "no-interaction-on-file" and missing["about"] == "metformin"
    assert "no interaction on file between Denosumab and metformin" in missing["text"]
    assert "does not show that they are safe" in missing["text"]
    assert "safe" not in missing["text"].replace("does not show that they are safe", "")
    table = check("denosumab", "--takes", "metformin").stdout
    assert "metformin (not in osteo's list of medicines)" in table
    assert "does not mean the medicine is safe" in " ".join(table.split())


def test_known_substance_without_interaction_for_an_agent(check: Run) -> None:
    got = results(check("alendronate", "denosumab", "--takes", "blood thinner", "-f", "json"))
    # alendronate: warfarin by mouth follows the label's rule for every other oral medicine
    [oral] = got["alendronate"]["reasons"]
    assert (oral["kind"], oral["about"], oral["level"]) == ("interaction", "other-oral-medicines", "separate")
    for agent in ("denosumab",):
        [reason] = got[agent]["reasons"]
        assert reason["kind"] == "no-interaction-on-file" and reason["about"] == "warfarin"
        name = got[agent]["agent"]["name"]
        assert "between " + name + " and Warfarin and other coumarin anticoagulants" in reason["text"]
        assert got[agent]["verdict"] == NONE
    # raloxifene has one
    assert verdicts(check, "raloxifene", "--takes", "warfarin") == {"raloxifene": CAUTION}


def test_exit_codes_named_and_unnamed(check: Run) -> None:
    assert check("alendronate", "--crcl", "34").exit_code == 1
    assert check("alendronate", "denosumab", "--crcl", "34").exit_code == 1  # one named is avoid
    assert check("denosumab", "--crcl", "34").exit_code == 0  # caution only
    assert check("--crcl", "34").exit_code == 0  # not every medicine is avoid
    assert check("--crcl", "60").exit_code == 0


def test_exit_1_unnamed_only_when_every_medicine_is_avoid(tmp_path: Path) -> None:
    data = shipped()
    rule = {"condition": "pregnancy", "level": "contraindicated", "text": "Not in pregnancy.", "sources": ["article"]}
    for agent in data["agents"]:
        agent["contraindications"] = [rule]
    path = write(tmp_path / "all.yaml", data)
    assert invoke("check", "--has", "pregnancy", "--data", str(path)).exit_code == 1
    # in the shipped data, some medicines are not avoided in pregnancy
    assert invoke("check", "--has", "pregnancy").exit_code == 0


def test_families_as_names(check: Run) -> None:
    got = verdicts(check, "bisphosphonates", "reclast", "--crcl", "32")
    assert list(got) == ["alendronate", "zoledronic-acid", "risedronate", "ibandronate"]
    assert got == {"alendronate": AVOID, "zoledronic-acid": AVOID, "risedronate": NONE, "ibandronate": NONE}


def test_unknown_medicine_name_exits_2(check: Run) -> None:
    result = check("alendronat", "--crcl", "30")
    assert result.exit_code == 2 and "did you mean 'Alendronate'" in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-5", "0", "201", "1e400", "abc", "", "sNaN", "9" * 500])
@pytest.mark.parametrize("option", ["--crcl", "--egfr"])
def test_kidney_values_are_bounded(check: Run, option: str, value: str) -> None:
    result = check(option, value)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith("osteo: error: ") and result.stderr.count("\n") == 1


def test_nothing_to_screen_is_a_usage_error(check: Run) -> None:
    result = check("alendronate")
    assert result.exit_code == 2 and "--crcl, --egfr, --has or --takes" in result.stderr


def test_json_shape(check: Run) -> None:
    payload = json.loads(check("alendronate", "--crcl", "32.5", "--has", "vte", "--takes", "tums", "-f", "json").stdout)
    assert set(payload) == {"kb_version", "custom_data", "input", "results", "sources"}
    assert payload["custom_data"] is False and payload["kb_version"] == SHIPPED_DATA["kb_version"]
    assert payload["input"] == {
        "crcl": 32.5,
        "egfr": None,
        "conditions": ["venous-thrombosis"],
        "implied_conditions": [],
        "asked_conditions": [],
        "substances": [{"typed": "tums", "matched": ["calcium", "antacids"]}],
    }
    [result] = payload["results"]
    assert set(result) == {"agent", "verdict", "reasons"}
    assert (result["agent"]["id"], result["agent"]["name"], result["verdict"]) == ("alendronate", "Alendronate", AVOID)
    assert set(result["reasons"][0]) == {
        "kind",
        "level",
        "about",
        "applies_to",
        "text",
        "action",
        "sources",
        "jurisdiction",
        "confidence",
    }
    assert [(r["kind"], r["about"]) for r in result["reasons"]] == [
        ("kidney", "crcl"),
        ("interaction", "calcium"),
        ("interaction", "antacids"),
        ("interaction", "other-oral-medicines"),
    ]
    assert "given: 32.5 mL/min" in result["reasons"][0]["text"]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_human_output_has_the_footer(check: Run, fmt: str) -> None:
    result = check("--crcl", "32", "-f", fmt)
    assert result.exit_code == 0
    assert "Reference only, not medical advice." in result.output
    out = " ".join(result.stdout.split())
    assert "Kidney function: creatinine clearance 32 mL/min." in out
    assert out.startswith(
        (
            "Screening against the labels 11 medicines screened: 2 to avoid, 2 cannot be compared (their labels use "
            "eGFR), 7 with no label restriction found."
        ).lstrip("#")
    ) or out.startswith("## Screening against the labels 11 medicines screened: 2 to avoid, 2 cannot be compared")


def test_list_prints_the_vocabulary(check: Run) -> None:
    table = check("--list")
    assert table.exit_code == 0
    assert "recent-mi" in table.stdout and "St. John's wort" in table.stdout
    payload = json.loads(check("--list", "-f", "json").stdout)
    assert set(payload) == {"kb_version", "custom_data", "conditions", "substances"}
    assert payload["conditions"][0] == {
        "id": "hypocalcemia",
        "name": "Low blood calcium (hypocalcemia)",
        "synonyms": ["low calcium", "low blood calcium", "hypocalcaemia"],
        "implies": [],
        "kidney": False,
        "note": None,
    }
    by_id = {c["id"]: c for c in payload["conditions"]}
    assert by_id["heart-attack-or-stroke-past-year"]["implies"] == ["heart-attack-or-stroke"]
    assert by_id["dialysis"]["kidney"] is True
    assert [c["id"] for c in payload["conditions"]] == CONDITION_IDS
    assert [s["id"] for s in payload["substances"]] == SUBSTANCE_IDS
    markdown = check("--list", "-f", "markdown").stdout
    assert "### Conditions (--has)" in markdown
    assert (
        "| dialysis | On dialysis (about kidney function) | haemodialysis, hemodialysis, peritoneal dialysis, "
        "kidney failure, end-stage kidney disease, end stage kidney disease, eskd, esrd, end-stage renal disease | - |"
    ) in markdown


def test_data_text_is_not_markup(tmp_path: Path) -> None:
    data = shipped()
    agent_of(data, "alendronate")["contraindications"] = [
        {"condition": "pregnancy", "level": "caution", "text": "[bold red]x[/] | y", "sources": ["label-fosamax"]}
    ]
    path = write(tmp_path / "markup.yaml", data)
    table = invoke("check", "alendronate", "--has", "pregnancy", "--data", str(path))
    assert table.exit_code == 0, table.stderr
    assert "[bold red]x[/]" in table.stdout
    markdown = invoke("check", "alendronate", "--has", "pregnancy", "-f", "markdown", "--data", str(path))
    assert "\\[bold red\\]x\\[/\\] \\| y" in markdown.stdout  # inert in Markdown as well


def test_help_documents_exit_codes_and_examples() -> None:
    result = invoke("check", "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and "osteo check --crcl 32" in result.stdout
    assert "Exit 0" in result.stdout


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("St. John's wort", "st johns wort"), ("ST JOHN’S-WORT", "st johns wort"), ("  a__b  ", "a b")],
)
def test_key(typed: str, expected: str) -> None:
    assert key(typed) == expected


def test_a_rule_about_one_form_is_a_caution_and_says_which_form() -> None:
    payload = json.loads(invoke("check", "alendronate", "ibandronate", "--has", "aspiration", "-f", "json").stdout)
    verdicts_now = {r["agent"]["id"]: r["verdict"] for r in payload["results"]}
    assert verdicts_now["alendronate"] == CAUTION  # only the liquid forms are ruled out
    text = " ".join(invoke("check", "alendronate", "--has", "aspiration").stdout.split())
    assert "Only oral solution and effervescent tablet (Binosto):" in text


def test_rules_against_every_form_rule_the_medicine_out() -> None:
    # Ibandronate: tablets and injection are both ruled out below a CrCl of 30.
    payload = json.loads(invoke("check", "ibandronate", "--crcl", "25", "-f", "json").stdout)
    assert payload["results"][0]["verdict"] == AVOID
    # Tablets only (60 minutes upright): the injection may still suit.
    payload = json.loads(invoke("check", "ibandronate", "--has", "cannot-stay-upright-60", "-f", "json").stdout)
    assert payload["results"][0]["verdict"] == CAUTION


def test_cannot_stay_upright_30_minutes_includes_60_not_the_reverse() -> None:
    payload = json.loads(invoke("check", "--has", "cannot-stay-upright-60", "-f", "json").stdout)
    assert payload["input"]["implied_conditions"] == []
    payload = json.loads(invoke("check", "--has", "bedbound", "-f", "json").stdout)
    assert payload["input"]["implied_conditions"] == ["cannot-stay-upright-60"]


def test_check_leads_with_the_verdicts_and_direct_rules_come_first() -> None:
    result = invoke("check", "--egfr", "28", env={"COLUMNS": "80", "LINES": "24"})
    first_screen = result.stdout.splitlines()[:24]
    words = " ".join(" ".join(first_screen).split())
    assert words.startswith(
        "Screening against the labels 11 medicines screened: 2 with a caution, 5 cannot be compared "
        "(their labels use creatinine clearance), 4 with no label restriction found."
    )
    assert "caution Denosumab, Romosozumab" in words
    assert "cannot compare Alendronate, Risedronate, Ibandronate, Zoledronic acid, Teriparatide" in words
    assert "Denosumab caution Boxed warning: with an eGFR below 30" in words  # the direct rule, on screen 1


def test_one_medicine_and_one_fact_fit_one_screen() -> None:
    cases = (("--egfr", "28", "alendronate"), ("--crcl", "28", "alendronate"), ("--has", "pregnancy", "raloxifene"))
    for args in cases:
        result = invoke("check", *args, env={"COLUMNS": "80"})
        assert len((result.stdout + result.stderr).splitlines()) <= 24, args
    words = " ".join(invoke("check", "--egfr", "28", "alendronate", env={"COLUMNS": "80"}).stdout.split())
    assert "Alendronate cannot compare The label's kidney limit is in creatinine clearance" in words


def test_verdict_words_are_coloured_on_a_terminal() -> None:
    from osteo_cli.render.document import Grid
    from osteo_cli.render.table import _cell

    grid = Grid(("Verdict",), [("avoid",)], emphasis={"avoid": "danger", "caution": "warning"})
    assert str(_cell("avoid", grid.emphasis).style) == "bold red"  # type: ignore[union-attr]
    assert str(_cell("caution", grid.emphasis).style) == "bold yellow"  # type: ignore[union-attr]
    assert str(_cell("avoid").style) == ""  # type: ignore[union-attr]
