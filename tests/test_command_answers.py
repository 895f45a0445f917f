"""What the commands answer and how they exit, through CliRunner: stopping, sequence,
tscore, lifestyle, learn, search, faq, and compare (names that are one molecule, the
features as data)."""

from __future__ import annotations

import json

import pytest
from helpers import invoke


def test_stopping_denosumab() -> None:
    out = invoke("drugs", "stopping", "denosumab").stdout
    for text in (
        "Drug holiday      no",
        "yes, by a medicine that slows bone breakdown (Bisphosphonates)",
        "rebound in bone loss",
        "Duration limit    none fixed",
        "endocrine-2019",
    ):
        assert text in out, text


def test_stopping_a_family_shows_each_member() -> None:
    data = json.loads(invoke("drugs", "stopping", "PTH analogs", "-f", "json").stdout)
    assert [a["id"] for a in data["agents"]] == ["teriparatide", "abaloparatide"]
    assert data["agents"][0]["duration"]["limit"] == {
        "amount": 24,
        "unit": "months",
        "group": "pth-analogs",
        "severity": "caution",
    }


def test_sequence_with_problems_exits_1_and_names_sources() -> None:
    result = invoke("sequence", "teriparatide:18m", "abaloparatide:12m", "-f", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [(p["rule"], p["step"]) for p in data["problems"]] == [
        ("limit", 2),
        ("must-follow", 2),
    ]
    assert all(p["sources"] for p in data["problems"])


def test_sequence_romosozumab_then_denosumab_then_stop() -> None:
    result = invoke("sequence", "romosozumab:12m", "denosumab:2y", "stop")
    assert result.exit_code == 1
    assert "Denosumab is followed by 'stop'" in result.stdout
    assert "█" in result.stdout and "■" in result.stdout  # the timeline
    assert "1 problem found in this plan." in result.stdout


def test_sequence_without_problems_says_so_and_exits_0() -> None:
    result = invoke("sequence", "romosozumab:12m", "denosumab:2y", "alendronate:1y", "stop")
    assert result.exit_code == 0
    assert "No problem found" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["romosozumab:abc"], "'abc' is not a duration"),
        (["unknown:3m"], "no drug or family called 'unknown'"),
        (["denosumab:-1y"], "the duration must be a positive number"),
    ],
)
def test_sequence_bad_step_is_one_line_exit_2(args: list[str], message: str) -> None:
    result = invoke("sequence", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr


@pytest.mark.parametrize(
    ("args", "title"),
    [
        (["-2.5"], "T-score -2.5: Osteoporosis"),
        (["-3.1", "--fracture"], "T-score -3.1 with a fragility fracture: Severe (established) osteoporosis"),
        (["--fracture", "-1.0"], "T-score -1.0 with a fragility fracture: Normal"),
        (["-1.5"], "T-score -1.5: Low bone mass (osteopenia)"),
        (["0.3"], "T-score 0.3: Normal"),
    ],
)
def test_tscore_negative_values_typed_plainly(args: list[str], title: str) -> None:
    result = invoke("tscore", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(title + "\n")
    assert "▲" in result.stdout and "FRAX" in result.stdout


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-inf", "1e9", "99", "-x"])
def test_tscore_bad_value_is_one_line_exit_2(value: str) -> None:
    result = invoke("tscore", value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("osteo: error: ")


def test_tscore_json() -> None:
    data = json.loads(invoke("tscore", "-2.5", "-f", "json").stdout)
    assert data["category"]["id"] == "osteoporosis"
    assert data["boundaries"] == {"normal_at_or_above": -1.0, "osteoporosis_at_or_below": -2.5}
    assert [s["id"] for s in data["sources"]][:3] == ["who-1994", "iscd-official-positions", "article"]
    assert all(s["title"] for s in data["sources"])  # objects, as in every command's JSON


def test_lifestyle_groups_and_filter() -> None:
    out = invoke("lifestyle").stdout
    for heading in (
        "Exercise",
        "Nutrition",
        "Habits",
        "Weight-bearing",
        "Resistance",
        "Balance",
        "Calcium",
        "Protein",
        "smoking",
        "alcohol",
    ):
        assert heading.lower() in out.lower(), heading
    only = json.loads(invoke("lifestyle", "nutrition", "-f", "json").stdout)["lifestyle"]
    assert [a["id"] for a in only] == ["calcium-vitamin-d", "protein"]
    assert invoke("lifestyle", "dieting").exit_code == 2


def test_learn_topics() -> None:
    assert [t["id"] for t in json.loads(invoke("learn", "-f", "json").stdout)["topics"]] == [
        "remodeling",
        "medicines",
        "scans",
        "key-points",
        "steroids",
        "after-fracture",
        "men",
        "dental-care",
    ]
    scans = invoke("learn", "Bone density").stdout
    assert "Neither is a cure." in scans and "above -2.5" in scans
    unknown = invoke("learn", "astrology")
    assert (
        unknown.exit_code == 2 and "the topics are remodeling, medicines, scans, key-points, steroids" in unknown.stderr
    )


def test_search_results_name_the_command() -> None:
    data = json.loads(invoke("search", "rebound", "-f", "json").stdout)
    assert [(r["kind"], r["command"]) for r in data["results"]][:2] == [
        ("agent", "osteo drugs show denosumab --section stopping"),
        ("family", "osteo drugs show rankl-inhibitors"),
    ]
    nothing = invoke("search", "xylophone")
    assert nothing.exit_code == 1 and nothing.stdout == ""


def test_faq_by_number() -> None:
    data = json.loads(invoke("faq", "4", "-f", "json").stdout)
    assert [q["id"] for q in data["faq"]] == ["stopping"]
    assert invoke("faq", "0").exit_code == 2


@pytest.mark.parametrize(
    ("names", "note"),
    [
        (
            ["prolia", "xgeva"],
            "Prolia and Xgeva are the same molecule: Denosumab. Xgeva is Denosumab for cancer "
            "treatment (120 mg), not osteoporosis.",
        ),
        (
            ["reclast", "zometa"],
            "Reclast and Zometa are the same molecule: Zoledronic acid. Zometa is Zoledronic acid "
            "for cancer treatment (4 mg), not osteoporosis.",
        ),
        (
            ["prolia", "jubbonti"],
            "Prolia and Jubbonti are the same molecule: Denosumab. Jubbonti is a biosimilar of Denosumab.",
        ),
    ],
)
def test_same_molecule_is_said_plainly(names: list[str], note: str) -> None:
    data = json.loads(invoke("drugs", "compare", *names, "-f", "json").stdout)
    assert data["notes"] == [note]
    assert len(data["columns"]) == 1


def test_xgeva_and_zometa_resolve_as_cancer_products() -> None:
    xgeva = invoke("drugs", "show", "xgeva")
    assert xgeva.exit_code == 0
    assert "Xgeva is Denosumab for cancer treatment (120 mg), not osteoporosis." in xgeva.stdout
    assert (
        "Zometa is Zoledronic acid for cancer treatment (4 mg), not osteoporosis."
        in invoke("drugs", "show", "zometa").stdout
    )


def test_compare_json_carries_each_feature_as_data() -> None:
    data = json.loads(invoke("drugs", "compare", "teriparatide", "bisphosphonates", "-f", "json").stdout)
    teriparatide, bisphosphonates = data["columns"]
    values = teriparatide["values"]
    assert set(values) == {f["id"] for f in data["features"]} == set(teriparatide["features"])
    limit = {"amount": 24, "unit": "months", "group": "pth-analogs", "severity": "caution"}
    teriparatide_ref = {"id": "teriparatide", "name": "Teriparatide"}
    assert values["limit"] == [{"agent": teriparatide_ref, "value": limit}]
    assert values["category"] == [{"agent": teriparatide_ref, "value": "anabolic"}]
    assert [v["agent"]["id"] for v in bisphosphonates["values"]["dose"]] == [
        "alendronate",
        "risedronate",
        "ibandronate",
        "zoledronic-acid",
    ]
    assert [v["value"] for v in bisphosphonates["values"]["limit"]] == [None] * 4
