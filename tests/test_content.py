"""Content: the source article's facts and the fact sheet's label facts, as users see them.

Each assertion pins a fact to its source, so an edit that changes a medical fact
fails here and has to be made on purpose.
"""

from __future__ import annotations

import json

from helpers import invoke


def _compare(*names: str) -> dict[str, dict[str, str]]:
    result = invoke("drugs", "compare", *names, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {c["id"]: c["features"] for c in json.loads(result.stdout)["columns"]}


def _agent(name: str) -> dict:  # type: ignore[type-arg]
    result = invoke("drugs", "show", name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["agent"]  # type: ignore[no-any-return]


def test_article_comparison_denosumab_and_teriparatide() -> None:
    """The article's table, columns 'Denosumab' and 'Anabolic Agents (e.g., Teriparatide)'."""
    cols = _compare("denosumab", "teriparatide")
    d, t = cols["denosumab"], cols["teriparatide"]
    assert "slows bone breakdown" in d["mechanism"].lower()
    assert "builds bone" in t["mechanism"].lower()
    assert d["administration"] == "An injection under the skin every 6 months."
    assert t["administration"].startswith("An injection under the skin every day, usually for up to 2 years")
    assert "Teriparatide may be used for longer if fracture risk stays or becomes high again" in t["administration"]
    assert "cannot take bisphosphonates" in d["typical_use"] and "fracture risk is high" in d["typical_use"]
    assert "severe osteoporosis" in t["typical_use"] and "very high risk of fracture" in t["typical_use"]
    # E2: the family names the follow-on, and says what does not count.
    assert d["after_treatment"].startswith("Must be followed by a bisphosphonate")
    assert "Raloxifene or hormone therapy does not prevent the rebound" in d["after_treatment"]
    assert "bisphosphonate" in t["after_treatment"]


def test_article_comparison_bisphosphonates_and_romosozumab() -> None:
    cols = _compare("bisphosphonates", "romosozumab")
    b, r = cols["bisphosphonates"], cols["romosozumab"]
    assert "daily, weekly or monthly" in b["administration"] and "once a year" in b["administration"]
    assert b["typical_use"].startswith("The usual first treatment for most people")
    assert "drug holiday" in b["after_treatment"]
    assert "once a month for 1 year" in r["administration"]
    assert r["category"].startswith("both")
    assert "women past menopause" in r["typical_use"]


def test_alendronate_is_oral_although_the_article_lists_it_with_yearly_infusions() -> None:
    """The article says 'yearly infusions (alendronate, zoledronic acid)'; the label says oral."""
    assert _agent("alendronate")["dosing"]["route"] == "oral"
    assert _agent("zoledronic acid")["dosing"]["route"] == "intravenous"


def test_label_doses() -> None:
    assert "70 mg once a week" in _agent("alendronate")["dosing"]["dose"]
    assert "150 mg once a month" in _agent("risedronate")["dosing"]["dose"]
    # E3: IV ibandronate is a quick injection, not an infusion.
    assert "3 mg injected into a vein over 15 to 30 seconds every 3 months" in _agent("ibandronate")["dosing"]["dose"]
    assert "5 mg by intravenous infusion over at least 15 minutes" in _agent("reclast")["dosing"]["dose"]
    assert _agent("prolia")["dosing"]["dose"].startswith("60 mg injected under the skin every 6 months")
    assert _agent("forteo")["dosing"]["dose"].startswith("20 micrograms")
    assert _agent("tymlos")["dosing"]["dose"].startswith("80 micrograms")
    assert "two 105 mg injections" in _agent("evenity")["dosing"]["dose"]


def test_duration_limits_are_structured() -> None:
    # I4: past 24 months is a caution for teriparatide alone, a problem once abaloparatide counts.
    teriparatide = {"amount": 24, "unit": "months", "group": "pth-analogs", "severity": "caution"}
    assert _agent("teriparatide")["duration"]["limit"] == teriparatide
    abaloparatide = {"amount": 24, "unit": "months", "group": "pth-analogs", "severity": "problem"}
    assert _agent("abaloparatide")["duration"]["limit"] == abaloparatide
    assert _agent("romosozumab")["duration"]["limit"] == {
        "amount": 12,
        "unit": "doses",
        "group": "romosozumab",
        "severity": "problem",
    }
    assert _agent("denosumab")["duration"]["limit"] is None


def test_what_must_follow_each_drug() -> None:
    den = _agent("denosumab")["stopping"]
    assert (den["holiday"], den["must_be_followed"], den["followed_by"]) == (False, True, ["bisphosphonates"])
    for name in ("teriparatide", "abaloparatide", "romosozumab"):
        stop = _agent(name)["stopping"]
        assert stop["must_be_followed"] and "bisphosphonates" in stop["followed_by"]
    for name in ("alendronate", "risedronate", "ibandronate", "zoledronic acid"):
        stop = _agent(name)["stopping"]
        assert stop["holiday"] and not stop["must_be_followed"]


def test_boxed_warnings() -> None:
    assert "chronic kidney disease" in _agent("denosumab")["safety"]["boxed_warning"]
    assert "heart attack, stroke" in _agent("romosozumab")["safety"]["boxed_warning"]
    assert _agent("teriparatide")["safety"]["boxed_warning"] is None  # removed November 2020


def test_same_molecule_products() -> None:
    names = [p["name"] for p in _agent("denosumab")["related_products"]]
    assert names[:2] == ["Xgeva", "Wyost"] and {"Osenvelt", "Bomyntra", "Xbryk", "Oziltus"} <= set(names)
    assert [p["name"] for p in _agent("zoledronic acid")["related_products"]] == ["Zometa"]


def test_faq_has_the_articles_seven_answers() -> None:
    faq = json.loads(invoke("faq", "-f", "json").stdout)["faq"]
    assert len(faq) >= 30
    assert all(q["question"].endswith("?") and q["sources"] and q["more"].startswith("osteo ") for q in faq)
    article = [q["id"] for q in faq if "article" in q["sources"]]
    assert article == ["reversible", "fastest", "exercise", "stopping", "how-long", "too-late", "monitoring"]
    by_id = {q["id"]: q["answer"] for q in faq}
    assert by_id["reversible"].startswith("Not completely.")
    assert "teriparatide and romosozumab" in by_id["fastest"]
    assert "every one to two years" in by_id["monitoring"]
    assert "denosumab" in by_id["stopping"] and "drug holiday" in by_id["stopping"]
    # O9, I12, I13: every bone builder needs a follow-on; strength and balance first; stable is a response.
    assert "teriparatide, abaloparatide and romosozumab" in by_id["stopping"]
    assert "jogging" not in by_id["exercise"] and "balance exercises are the core" in by_id["exercise"]
    assert "a density that holds steady is also a good response" in by_id["monitoring"]


def test_raloxifene_from_the_evista_label() -> None:
    agent = _agent("evista")
    assert agent["id"] == "raloxifene"
    assert agent["family"] == {"id": "serms", "name": "Selective estrogen receptor modulators"}
    assert agent["dosing"]["dose"] == "60 mg by mouth once a day, with or without food."
    assert "blood clots" in agent["safety"]["boxed_warning"] and "stroke" in agent["safety"]["boxed_warning"]
    assert "72 hours" in " ".join(agent["safety"]["warnings"])
    assert agent["safety"]["sources"] == ["label-evista"]
    assert agent["duration"]["limit"] is None and "fades" in agent["stopping"]["summary"]


def test_hormone_therapy_is_for_prevention_only() -> None:
    family = json.loads(invoke("drugs", "show", "menopausal hormone therapy", "-f", "json").stdout)["family"]
    assert family["typical_use"].startswith("Preventing osteoporosis only, in women at significant risk of it.")
    assert "first" not in family["typical_use"]  # I8: 'considered first' overstated the label
    assert "medicines without estrogen be considered carefully" in family["typical_use"]
    premarin = _agent("premarin")
    assert [b["name"] for b in premarin["brands"]] == ["Premarin", "Prempro", "Duavee"]
    assert premarin["stopping"]["confidence"] == "medium"
    assert "osteo does not list them" in premarin["dosing"]["dose"]


def test_who_categories_and_caveats() -> None:
    data = json.loads(invoke("tscore", "-2.5", "-f", "json").stdout)
    caveats = " ".join(data["caveats"])
    assert "ISCD applies them to men aged 50 or older too" in caveats  # I11: ISCD, not WHO 1994
    assert "Z-score instead (ISCD)" in caveats and "(medium confidence)" not in caveats  # I11: an ISCD position
    assert "lumbar spine, the total hip and the femoral neck" in caveats
    assert "FRAX" in caveats and "University of Sheffield" in caveats


def test_lifestyle_from_the_article() -> None:
    advice = json.loads(invoke("lifestyle", "-f", "json").stdout)["lifestyle"]
    by_id = {a["id"]: a for a in advice}
    assert by_id["weight-bearing"]["examples"] == ["walking", "dancing", "climbing stairs"]  # I12: no jogging
    assert by_id["balance"]["examples"] == ["tai chi", "yoga (modified)"]  # review N-I12
    assert "absorb calcium" in by_id["calcium-vitamin-d"]["text"]
    assert all("article" in a["sources"] for a in advice)


def test_dosing_intervals_that_count_doses() -> None:
    assert _agent("romosozumab")["dosing"]["interval"] == {"every": 1, "unit": "month"}
    assert _agent("denosumab")["dosing"]["interval"] == {"every": 6, "unit": "month"}
    assert _agent("alendronate")["dosing"]["interval"] is None  # several schedules
