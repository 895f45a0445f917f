"""The screening findings of the 2026-12 content review: each case as a new user would type it."""

from __future__ import annotations

import json
from typing import Any

from helpers import invoke


def screen(*args: str) -> tuple[int, dict[str, Any]]:
    result = invoke("check", *args, "-f", "json")
    return result.exit_code, {r["agent"]["id"]: r for r in json.loads(result.stdout)["results"]}


def test_dialysis_rules_out_zoledronic_acid_and_the_tablets() -> None:
    """N-E1: dialysis is below every label's kidney limit, so no number is needed."""
    for words in ("dialysis", "kidney failure", "end-stage kidney disease", "ESKD"):
        code, got = screen("zoledronic-acid", "alendronate", "risedronate", "ibandronate", "--has", words)
        assert code == 1, words
        assert {k: r["verdict"] for k, r in got.items()} == dict.fromkeys(got, "avoid"), words
        kidney = [r for r in got["zoledronic-acid"]["reasons"] if r["kind"] == "kidney"]
        assert kidney and kidney[0]["level"] == "contraindicated"
    # the EU-only teriparatide limit stays a caution, and says whose label it is (N-S4)
    code, got = screen("teriparatide", "--has", "dialysis")
    assert code == 0 and got["teriparatide"]["verdict"] == "caution"


def test_cardiovascular_risk_factors_reach_romosozumab() -> None:
    """N-E2: the boxed warning asks about other cardiovascular risk factors."""
    for words in ("hypertension", "smoker", "atrial fibrillation", "afib", "tia", "mini-stroke"):
        _, got = screen("romosozumab", "--has", words)
        # a TIA may count as a stroke in the past year: asked, with that rule's verdict meanwhile
        assert got["romosozumab"]["verdict"] == ("avoid" if words in ("tia", "mini-stroke") else "caution"), words
        assert any(r["about"] == "cardiovascular-risk" for r in got["romosozumab"]["reasons"]), words


def test_an_undated_heart_attack_is_asked_about_not_passed() -> None:
    """A time-bound rule is never silently skipped: the strict verdict stands until the person says."""
    result = invoke("check", "romosozumab", "--has", "heart attack", "-f", "json")
    payload = json.loads(result.stdout)
    assert payload["input"]["asked_conditions"] == ["heart-attack-or-stroke-past-year"]
    [romosozumab] = payload["results"]
    assert romosozumab["verdict"] == "avoid" and result.exit_code == 1
    question = next(r for r in romosozumab["reasons"] if r["kind"] == "question")
    assert "osteo cannot tell whether this applies" in question["text"]
    assert "heart-attack-or-stroke-earlier" in question["action"]
    # saying when settles it
    code, got = screen("romosozumab", "--has", "heart attack over a year ago")
    assert code == 0 and got["romosozumab"]["verdict"] == "caution"
    code, got = screen("romosozumab", "--has", "recent mi")
    assert code == 1 and all(r["kind"] != "question" for r in got["romosozumab"]["reasons"])


def test_radiation_is_asked_about_and_radioactive_iodine_is_not_skeletal() -> None:
    """N-I10: only radiation that reached the skeleton matters for the PTH analogs."""
    code, got = screen("teriparatide", "--has", "radiotherapy")
    assert got["teriparatide"]["verdict"] == "avoid"
    assert {r["kind"] for r in got["teriparatide"]["reasons"]} == {"question"}
    code, got = screen("teriparatide", "abaloparatide", "--has", "radioactive iodine")
    assert code == 0 and {r["verdict"] for r in got.values()} == {"no-label-restriction-found"}


def test_upper_gi_disease_is_a_caution_for_the_tablets() -> None:
    """N-O2: reflux, Barrett's, gastritis and ulcers are label cautions, not contraindications."""
    for words in ("gerd", "reflux", "barrett's esophagus", "peptic ulcer", "gastritis", "dysphagia"):
        code, got = screen("alendronate", "risedronate", "ibandronate", "zoledronic-acid", "--has", words)
        verdicts = {k: r["verdict"] for k, r in got.items()}
        assert verdicts == {
            "alendronate": "caution",
            "risedronate": "caution",
            "ibandronate": "caution",
            "zoledronic-acid": "no-label-restriction-found",
        }, words
    # an unspecified gullet problem may be a narrowing: asked, with the strict verdict meanwhile
    code, got = screen("alendronate", "--has", "oesophagus")
    assert code == 1
    assert got["alendronate"]["verdict"] == "avoid"
    assert any(r["kind"] == "question" for r in got["alendronate"]["reasons"])


def test_every_oral_medicine_follows_the_30_and_60_minute_rule() -> None:
    """N-I3: levothyroxine, omeprazole and any other oral medicine."""
    for med, wait in (("alendronate", "30"), ("risedronate", "30"), ("ibandronate", "60")):
        for other in (
            ("levothyroxine", "metformin") if med == "risedronate" else ("levothyroxine", "omeprazole", "metformin")
        ):
            _, got = screen(med, "--takes", other)
            reason = got[med]["reasons"][0]
            assert reason["level"] == "separate" and f"at least {wait} minutes" in reason["action"], (med, other)
    # not for an injection (Xgeva is not taken by mouth), which is named as the bone medicine it is
    _, got = screen("alendronate", "--takes", "xgeva")
    assert all(r["about"] != "other-oral-medicines" for r in got["alendronate"]["reasons"])
    assert got["alendronate"]["reasons"][0]["kind"] == "duplicate"


def test_an_interaction_of_its_own_does_not_switch_off_the_wait() -> None:
    """Fact-check error 1: the label's wait covers every other medicine by mouth, besides its own entry."""
    cases = [
        ("risedronate", "omeprazole", "30"),
        ("risedronate", "estradiol", "30"),
        ("alendronate", "ibuprofen", "30"),
        ("risedronate", "ibuprofen", "30"),
        ("ibandronate", "calcium", "60"),
    ]
    for med, other, wait in cases:
        _, got = screen(med, "--takes", other)
        assert got[med]["verdict"] == "caution", (med, other)
        waits = [r for r in got[med]["reasons"] if r["about"] == "other-oral-medicines"]
        assert len(waits) == 1 and f"at least {wait} minutes" in waits[0]["action"], (med, other)
    # not for food (its own entry says it) nor for an injection
    for other in ("coffee", "zometa"):
        _, got = screen("alendronate", "--takes", other)
        assert all(r["about"] != "other-oral-medicines" for r in got["alendronate"]["reasons"]), other


def test_another_osteoporosis_medicine_is_named_and_not_a_timing_note() -> None:
    """Fact-check error 2: a KB brand is never 'unknown', and two of a family are flagged, not just timed."""
    for other, family in (
        ("actonel", "bisphosphonate"),
        ("risedronate", "bisphosphonate"),
        ("boniva", "bisphosphonate"),
    ):
        result = invoke("check", "alendronate", "--takes", other, "-f", "json")
        payload = json.loads(result.stdout)
        [alendronate] = payload["results"]
        first = alendronate["reasons"][0]
        assert first["kind"] == "duplicate" and f"another {family}" in first["text"], other
        assert alendronate["verdict"] == "caution" and result.exit_code == 0
    text = " ".join(invoke("check", "alendronate", "--takes", "actonel").stdout.split())
    assert "not in osteo's list" not in text and "Risedronate, an osteoporosis medicine in osteo" in text


def test_every_name_of_a_pth_analog_reaches_the_pth_rule() -> None:
    """Fact-check: Bonsity, Forsteo, the EU biosimilars and generic teriparatide are teriparatide."""
    names = ("Bonsity", "Forsteo", "Terrosa", "Movymia", "Livogiva", "teriparatide injection", "Forteo")
    for name in names:
        _, got = screen("abaloparatide", "--takes", name)
        assert any(r["about"] == "other-pth-analogs" for r in got["abaloparatide"]["reasons"]), name
    _, got = screen("teriparatide", "--takes", "tymlos")
    assert got["teriparatide"]["verdict"] == "caution"
    assert any(r["about"] == "other-pth-analogs" for r in got["teriparatide"]["reasons"])


def test_a_nonproprietary_biosimilar_name_is_the_same_molecule() -> None:
    """Fact-check error 3: denosumab-<suffix>, of a Prolia-type or an Xgeva-type product."""
    for name in ("denosumab-bnht", "denosumab-nxxp", "Denosumab-BBDZ", "denosumab kyqq"):
        code, got = screen("denosumab", "--takes", name)
        assert code == 1 and got["denosumab"]["reasons"][0]["kind"] == "duplicate", name
    shown = invoke("drugs", "show", "denosumab-nxxp")
    assert shown.exit_code == 0 and "Bildyos" in shown.stdout


def test_the_same_molecule_under_any_name_is_a_duplicate() -> None:
    """N-O1: biosimilars and cancer-use twins are denosumab."""
    for name in ("osenvelt", "stoboclo", "Bomyntra", "prolia", "jubbonti", "Oziltus", "xbryk"):
        code, got = screen("denosumab", "--takes", name)
        assert code == 1 and got["denosumab"]["verdict"] == "avoid", name
    code, got = screen("alendronate", "--takes", "fosamax")
    assert got["alendronate"]["reasons"][0]["kind"] == "duplicate"


def test_pregnancy_reaches_every_medicine_whose_monograph_rules_it_out() -> None:
    """N-I4, and `pregnancy.avoid` in the data: each such medicine has a rule."""
    _, got = screen("--has", "pregnancy")
    not_for_pregnancy = [
        "alendronate",
        "risedronate",
        "ibandronate",
        "zoledronic-acid",
        "denosumab",
        "abaloparatide",
        "romosozumab",
        "raloxifene",
        "conjugated-estrogens",
        "estradiol",
    ]
    for agent in not_for_pregnancy:
        assert got[agent]["verdict"] != "no-label-restriction-found", agent
    for agent in ("risedronate", "ibandronate"):
        shown = invoke("drugs", "show", agent, "--section", "pregnancy").stdout
        assert "not for pregnancy" in " ".join(shown.split())


def test_vitamin_d_deficiency_is_corrected_first() -> None:
    _, got = screen("alendronate", "zoledronic-acid", "denosumab", "--has", "low vitamin d")
    assert {r["verdict"] for r in got.values()} == {"caution"}


def test_a_tia_asks_about_the_arterial_clot_and_past_year_rules() -> None:
    """Fact-check error 4: a TIA never gets the milder estrogen rule silently (and N-E2's one-year rule)."""
    result = invoke("check", "conjugated-estrogens", "estradiol", "romosozumab", "--has", "tia", "-f", "json")
    payload = json.loads(result.stdout)
    assert set(payload["input"]["asked_conditions"]) == {"heart-attack-or-stroke", "heart-attack-or-stroke-past-year"}
    got = {r["agent"]["id"]: r for r in payload["results"]}
    for agent, about in (
        ("conjugated-estrogens", "heart-attack-or-stroke"),
        ("estradiol", "heart-attack-or-stroke"),
        ("romosozumab", "heart-attack-or-stroke-past-year"),
    ):
        assert got[agent]["verdict"] == "avoid", agent
        assert any(r["kind"] == "question" and r["about"] == about for r in got[agent]["reasons"]), agent
    assert result.exit_code == 1


def test_breastfeeding_reaches_every_medicine_whose_monograph_rules_it_out() -> None:
    """Fact-check omission: the monographs of these say not while breastfeeding."""
    _, got = screen("--has", "breastfeeding")
    for agent in ("risedronate", "ibandronate", "zoledronic-acid", "teriparatide", "abaloparatide", "romosozumab"):
        assert got[agent]["verdict"] != "no-label-restriction-found", agent
    assert got["zoledronic-acid"]["verdict"] == "avoid"


def test_chronic_kidney_disease_of_unknown_stage_applies_the_strict_limit() -> None:
    """Fact-check omission: CKD without a number asks for it, with the label's limit standing meanwhile."""
    for words in ("ckd", "chronic kidney disease", "CKD"):
        code, got = screen("zoledronic-acid", "alendronate", "risedronate", "ibandronate", "--has", words)
        assert code == 1, words
        assert {r["verdict"] for r in got.values()} == {"avoid"}, words
        question = got["zoledronic-acid"]["reasons"][0]
        assert question["kind"] == "question" and "--crcl" in question["action"], words
    # a measurement settles it
    code, got = screen("zoledronic-acid", "--has", "ckd", "--crcl", "50")
    assert code == 0 and got["zoledronic-acid"]["verdict"] == "no-label-restriction-found"
    code, got = screen("zoledronic-acid", "--has", "ckd", "--crcl", "30")
    assert code == 1 and got["zoledronic-acid"]["reasons"][0]["kind"] == "kidney"


def test_ckd_of_unknown_stage_is_judged_by_the_labels_own_measure() -> None:
    """A number in the label's own measure settles whether CKD may mean dialysis; another measure does not."""
    code, got = screen("denosumab", "romosozumab", "--has", "ckd", "--egfr", "50")
    assert code == 0
    for agent in ("denosumab", "romosozumab"):
        assert got[agent]["verdict"] == "no-label-restriction-found", agent
    # below the level dialysis means, or in creatinine clearance (these labels use eGFR), it is still asked
    for number in (("--egfr", "20"), ("--crcl", "50"), ()):
        _, got = screen("denosumab", "romosozumab", "--has", "ckd", *number)
        for agent in ("denosumab", "romosozumab"):
            kinds = [r["kind"] for r in got[agent]["reasons"]]
            assert got[agent]["verdict"] == "caution" and "question" in kinds, (agent, number)

    # the same for a limit in creatinine clearance, given only an eGFR (second fact-check, error 2)
    for number in (("--egfr", "25"), ("--egfr", "90"), ()):
        code, got = screen("zoledronic-acid", "--has", "ckd", *number)
        assert code == 1 and got["zoledronic-acid"]["verdict"] == "avoid", number


def test_another_osteoporosis_medicine_never_denies_the_labels_rule_for_the_pair() -> None:
    """Second fact-check, error 1: where the label has a rule for the two together, osteo shows it
    and does not also say it holds none."""
    for first, other in (("raloxifene", "estradiol"), ("risedronate", "estradiol"), ("abaloparatide", "bonsity")):
        result = invoke("check", first, "--takes", other, "-f", "json")
        [screened] = json.loads(result.stdout)["results"]
        texts = " ".join(r["text"] for r in screened["reasons"])
        assert any(r["kind"] == "interaction" for r in screened["reasons"]), (first, other)
        assert "hold no rule for taking the two together" not in texts, (first, other)


def test_eu_denosumab_names_are_the_same_molecule() -> None:
    """EU Prolia-type and Xgeva-type biosimilar names resolve to denosumab."""
    for name in ("ponlimsi", "Degevma", "evfraxy", "junod", "izamby", "kefdensis", "acvybra", "xbonzy", "obodence"):
        code, got = screen("denosumab", "--takes", name)
        assert code == 1 and got["denosumab"]["verdict"] == "avoid", name
        assert got["denosumab"]["reasons"][0]["kind"] == "duplicate", name
