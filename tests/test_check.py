"""`osteo check`: verdicts, kidney measures, implied conditions, synonyms, exit codes, JSON.

The shipped knowledge base has no conditions, substances or structured label rules yet,
so these tests add a small synthetic set to it (values chosen for the tests, not taken
from the labels) and pass it with --data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import SHIPPED, invoke
from typer.testing import Result

from osteo_cli.screening import key

SRC = ["label-fosamax"]

CONDITIONS: list[dict[str, Any]] = [
    {
        "id": "recent-heart-attack-or-stroke",
        "name": "Heart attack or stroke in the past year",
        "synonyms": ["recent-mi", "recent stroke"],
        "implies": ["heart-attack-or-stroke"],
    },
    {
        "id": "heart-attack-or-stroke",
        "name": "Heart attack or stroke, ever",
        "implies": ["cardiovascular-disease", "recent-heart-attack-or-stroke-cycle"],
    },
    {"id": "cardiovascular-disease", "name": "Heart or blood vessel disease", "synonyms": ["cvd"]},
    # a cycle back to the start must not loop
    {"id": "recent-heart-attack-or-stroke-cycle", "name": "Cycle", "implies": ["recent-heart-attack-or-stroke"]},
    {"id": "blood-clots", "name": "Blood clots, past or present", "synonyms": ["vte", "dvt", "pulmonary embolism"]},
    {"id": "slow-esophagus", "name": "An esophagus that empties slowly", "synonyms": ["achalasia", "stricture"]},
    {"id": "hypocalcemia", "name": "Low blood calcium", "synonyms": ["low calcium"]},
    {"id": "pregnancy", "name": "Pregnancy", "synonyms": ["pregnant"]},
    {"id": "male", "name": "Male", "synonyms": ["man", "men"]},
    {"id": "dialysis", "name": "On dialysis", "synonyms": ["haemodialysis", "hemodialysis"], "kidney": True},
    {"id": "acute-kidney-injury", "name": "Acute kidney injury", "synonyms": ["aki"], "kidney": True},
]

SUBSTANCES: list[dict[str, Any]] = [
    {"id": "calcium", "name": "Calcium supplements", "synonyms": ["Tums", "calcium carbonate"]},
    {"id": "antacids", "name": "Antacids", "synonyms": ["Tums", "Maalox"]},
    {"id": "st-johns-wort", "name": "St. John's wort", "synonyms": ["hypericum"]},
    {"id": "loop-diuretics", "name": "Loop diuretics", "synonyms": ["furosemide", "Lasix"]},
    {"id": "nsaids", "name": "NSAIDs", "synonyms": ["ibuprofen", "naproxen"]},
    {"id": "warfarin", "name": "Warfarin", "synonyms": ["Coumadin"]},
    {"id": "esomeprazole", "name": "Esomeprazole", "synonyms": ["Nexium"]},
]


def rule(condition: str, level: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"condition": condition, "level": level, "text": text, "sources": SRC, **extra}


def interaction(substance: str, level: str, effect: str, action: str, **extra: Any) -> dict[str, Any]:
    return {"substance": substance, "level": level, "effect": effect, "action": action, "sources": SRC, **extra}


def threshold(measure: str, below: int, level: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"measure": measure, "below": below, "level": level, "text": text, "sources": SRC, **extra}


def kidney(*thresholds: dict[str, Any]) -> dict[str, Any]:
    return {"summary": "Kidney limits.", "sources": SRC, "thresholds": list(thresholds)}


AGENTS: dict[str, dict[str, Any]] = {
    "alendronate": {
        "contraindications": [
            rule("hypocalcemia", "contraindicated", "Not with low blood calcium.", action="Correct calcium first."),
            rule("slow-esophagus", "contraindicated", "Not with a slow esophagus.", applies_to="tablets"),
            rule("pregnancy", "caution", "No data in pregnancy.", jurisdiction="EU", confidence="medium"),
        ],
        "kidney": kidney(threshold("crcl", 35, "not-recommended", "Not recommended with weak kidneys.")),
        "interactions": [
            interaction("calcium", "separate", "Calcium blocks absorption.", "Take calcium 30 minutes later."),
            interaction("antacids", "separate", "Antacids block absorption.", "Take antacids 30 minutes later."),
            interaction("nsaids", "monitor", "More stomach upset.", "Watch for stomach pain."),
        ],
    },
    "risedronate": {
        "kidney": kidney(threshold("crcl", 30, "not-recommended", "Not recommended with weak kidneys.")),
    },
    "zoledronic-acid": {
        "contraindications": [rule("acute-kidney-injury", "contraindicated", "Not with acute kidney injury.")],
        "kidney": kidney(threshold("crcl", 35, "contraindicated", "Contraindicated with weak kidneys.")),
        "interactions": [interaction("loop-diuretics", "caution", "Low calcium risk.", "Check calcium.")],
    },
    "denosumab": {
        "kidney": kidney(
            threshold("egfr", 30, "caution", "Severe hypocalcemia risk.", action="Check calcium in 10 to 14 days.")
        ),
    },
    "teriparatide": {
        "interactions": [interaction("loop-diuretics", "no-effect", "No meaningful change.", "Nothing to do.")],
    },
    "romosozumab": {
        "contraindications": [
            rule("heart-attack-or-stroke", "not-recommended", "Not after a heart attack or stroke in the past year."),
            rule("cardiovascular-disease", "caution", "Weigh heart risk."),
        ],
    },
    "raloxifene": {
        "contraindications": [
            rule("blood-clots", "contraindicated", "Not with blood clots."),
            rule("male", "not-approved", "Not approved for men."),
        ],
        "interactions": [interaction("st-johns-wort", "avoid", "Invented for the test.", "Do not combine.")],
    },
}


class _Dumper(yaml.SafeDumper):
    """Writes shared lists out in full: osteo refuses YAML anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def knowledge_base() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["conditions"] = CONDITIONS
    data["substances"] = SUBSTANCES
    for agent in data["agents"]:
        agent.update(AGENTS.get(agent["id"], {}))
    return data


@pytest.fixture
def kb_path(tmp_path: Path) -> Path:
    return write(tmp_path / "kb.yaml", knowledge_base())


Run = Callable[..., Result]


@pytest.fixture
def check(kb_path: Path) -> Run:
    def run(*args: str) -> Result:
        return invoke("check", *args, "--data", str(kb_path))

    return run


def results(result: Result) -> dict[str, dict[str, Any]]:
    payload = json.loads(result.stdout)
    return {r["id"]: r for r in payload["results"]}


def verdicts(check: Run, *args: str) -> dict[str, str]:
    result = check(*args, "-f", "json")
    assert result.exit_code in (0, 1), result.stderr
    return {rid: r["verdict"] for rid, r in results(result).items()}


CAUTION = "caution"
AVOID = "avoid"
NONE = "no-label-restriction-found"
ALL = [
    "alendronate",
    "risedronate",
    "ibandronate",
    "zoledronic-acid",
    "denosumab",
    "teriparatide",
    "abaloparatide",
    "romosozumab",
    "raloxifene",
    "conjugated-estrogens",
    "estradiol",
]


def pinned(**changed: str) -> dict[str, str]:
    return {agent: changed.get(agent.replace("-", "_"), NONE) for agent in ALL}


# Every condition of the vocabulary, every agent's verdict: a data change that alters one shows here.
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--has", "recent-heart-attack-or-stroke"], pinned(romosozumab=AVOID)),
        (["--has", "heart-attack-or-stroke"], pinned(romosozumab=AVOID)),
        (["--has", "cardiovascular-disease"], pinned(romosozumab=CAUTION)),
        (["--has", "blood-clots"], pinned(raloxifene=AVOID)),
        (["--has", "slow-esophagus"], pinned(alendronate=AVOID)),
        (["--has", "hypocalcemia"], pinned(alendronate=AVOID)),
        (["--has", "pregnancy"], pinned(alendronate=CAUTION)),
        (["--has", "male"], pinned(raloxifene=CAUTION)),
        (
            ["--has", "dialysis"],
            pinned(alendronate=CAUTION, risedronate=CAUTION, zoledronic_acid=CAUTION, denosumab=CAUTION),
        ),
        (
            ["--has", "acute-kidney-injury"],
            pinned(alendronate=CAUTION, risedronate=CAUTION, zoledronic_acid=AVOID, denosumab=CAUTION),
        ),
        # kidney thresholds: value < below triggers; the other measure is a caution, never a pass
        (["--crcl", "34"], pinned(alendronate=AVOID, zoledronic_acid=AVOID, denosumab=CAUTION)),
        (["--crcl", "35"], pinned(denosumab=CAUTION)),
        (["--crcl", "29.5"], pinned(alendronate=AVOID, risedronate=AVOID, zoledronic_acid=AVOID, denosumab=CAUTION)),
        (["--crcl", "200"], pinned(denosumab=CAUTION)),
        (
            ["--egfr", "29"],
            pinned(alendronate=CAUTION, risedronate=CAUTION, zoledronic_acid=CAUTION, denosumab=CAUTION),
        ),
        (
            ["--egfr", "30"],
            pinned(alendronate=CAUTION, risedronate=CAUTION, zoledronic_acid=CAUTION),
        ),
        (["--crcl", "60", "--egfr", "60"], pinned()),
        (["--crcl", "32", "--egfr", "25"], pinned(alendronate=AVOID, zoledronic_acid=AVOID, denosumab=CAUTION)),
    ],
)
def test_verdict_of_every_agent_is_pinned(check: Run, args: list[str], expected: dict[str, str]) -> None:
    assert verdicts(check, *args) == expected


def test_interaction_levels(check: Run) -> None:
    got = verdicts(check, "--takes", "ibuprofen", "--takes", "Lasix", "--takes", "hypericum")
    assert got == pinned(alendronate=CAUTION, zoledronic_acid=CAUTION, raloxifene=AVOID)
    # no-effect is reported but does not make a caution
    teriparatide = results(check("teriparatide", "--takes", "furosemide", "-f", "json"))["teriparatide"]
    assert teriparatide["verdict"] == NONE
    assert [(r["kind"], r["level"]) for r in teriparatide["reasons"]] == [("interaction", "no-effect")]


def test_rows_are_sorted_avoid_then_caution_then_the_rest(check: Run) -> None:
    order = list(results(check("--crcl", "34", "-f", "json")))
    assert order[:3] == ["alendronate", "zoledronic-acid", "denosumab"]


def test_reason_carries_text_action_sources_jurisdiction_and_confidence(check: Run) -> None:
    result = check("alendronate", "--has", "pregnant", "--has", "low calcium", "--has", "achalasia", "-f", "json")
    reasons = results(result)["alendronate"]["reasons"]
    assert [(r["kind"], r["level"], r["about"]) for r in reasons] == [
        ("contraindication", "contraindicated", "hypocalcemia"),
        ("contraindication", "contraindicated", "slow-esophagus"),
        ("contraindication", "caution", "pregnancy"),
    ]
    assert reasons[0]["action"] == "Correct calcium first."
    assert reasons[0]["sources"] == SRC and reasons[0]["jurisdiction"] is None
    assert reasons[1]["applies_to"] == "tablets"
    assert reasons[2]["jurisdiction"] == "EU" and reasons[2]["confidence"] == "medium"
    table = check("alendronate", "--has", "pregnant", "--has", "low calcium", "-f", "markdown").stdout
    assert "What to do: Correct calcium first." in table
    assert "(EU label.)" in table and "(medium confidence)" in table
    assert "label-fosamax" in table


def test_measure_mismatch_says_the_label_uses_another_measure(check: Run) -> None:
    result = check("alendronate", "denosumab", "--egfr", "20", "-f", "json")
    got = results(result)
    alendronate = got["alendronate"]
    assert alendronate["verdict"] == CAUTION
    [reason] = alendronate["reasons"]
    assert reason["kind"] == "kidney-measure" and reason["level"] == "not-recommended"
    assert "creatinine clearance, not the eGFR given" in reason["text"]
    assert "Measure the creatinine clearance" in reason["action"]
    # denosumab's label uses eGFR: compared directly
    assert [(r["kind"], r["level"]) for r in got["denosumab"]["reasons"]] == [("kidney", "caution")]
    assert got["denosumab"]["reasons"][0]["action"] == "Check calcium in 10 to 14 days."


def test_kidney_flag_condition_asks_for_the_value_unless_a_rule_says_more(check: Run) -> None:
    got = results(check("--has", "aki", "-f", "json"))
    assert [r["kind"] for r in got["zoledronic-acid"]["reasons"]] == ["contraindication"]
    alendronate = got["alendronate"]["reasons"]
    assert [r["kind"] for r in alendronate] == ["kidney-measure"]
    assert "Acute kidney injury" in alendronate[0]["text"]
    # once the label's measure is given, the value decides
    assert verdicts(check, "--has", "dialysis", "--crcl", "50") == pinned(denosumab=CAUTION)


def test_implies_is_followed_transitively(check: Run) -> None:
    result = check("romosozumab", "--has", "recent-mi", "-f", "json")
    payload = json.loads(result.stdout)
    assert payload["input"]["conditions"] == ["recent-heart-attack-or-stroke"]
    assert payload["input"]["implied_conditions"] == [
        "heart-attack-or-stroke",
        "cardiovascular-disease",
        "recent-heart-attack-or-stroke-cycle",
    ]
    reasons = payload["results"][0]["reasons"]
    assert [(r["about"], r["level"]) for r in reasons] == [
        ("heart-attack-or-stroke", "not-recommended"),
        ("cardiovascular-disease", "caution"),
    ]
    assert result.exit_code == 1


@pytest.mark.parametrize("typed", ["vte", "DVT", "Pulmonary-Embolism", "blood clots", "Blood Clots, past or present"])
def test_condition_synonyms(check: Run, typed: str) -> None:
    assert verdicts(check, "raloxifene", "--has", typed) == {"raloxifene": AVOID}


@pytest.mark.parametrize("typed", ["St Johns wort", "st. john's wort", "ST JOHN’S WORT", "st-johns-wort", "Hypericum"])
def test_substance_synonyms_and_punctuation(check: Run, typed: str) -> None:
    payload = json.loads(check("raloxifene", "--takes", typed, "-f", "json").stdout)
    assert payload["input"]["substances"] == [{"typed": typed, "matched": ["st-johns-wort"]}]
    assert payload["results"][0]["verdict"] == AVOID


def test_one_name_can_match_several_substances(check: Run) -> None:
    result = check("alendronate", "--takes", "tums", "-f", "json")
    payload = json.loads(result.stdout)
    assert payload["input"]["substances"] == [{"typed": "tums", "matched": ["calcium", "antacids"]}]
    reasons = payload["results"][0]["reasons"]
    assert [(r["about"], r["level"]) for r in reasons] == [("calcium", "separate"), ("antacids", "separate")]
    assert reasons[0]["action"] == "Take calcium 30 minutes later."
    assert result.exit_code == 0


def test_unknown_condition_suggests_and_exits_2(check: Run) -> None:
    result = check("--has", "vtee")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "osteo: error: no condition called 'vtee'; did you mean 'vte'?\n"
    far = check("--has", "sunburn")
    assert far.exit_code == 2 and "osteo check --list" in far.stderr


def test_medicine_close_to_a_known_name_is_a_typo(check: Run) -> None:
    result = check("--takes", "furosemid")
    assert result.exit_code == 2
    assert "did you mean 'furosemide'?" in result.stderr
    # another medicine that only shares most letters is not a typo
    assert check("--takes", "xnaproxen").exit_code == 0
    assert check("--takes", "omeprazole").exit_code == 0  # esomeprazole is on file, omeprazole is not


def test_unknown_medicine_is_accepted_without_suggesting_safety(check: Run) -> None:
    result = check("alendronate", "--takes", "calcium carbonate", "--takes", "omeprazole", "-f", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["input"]["substances"][1] == {"typed": "omeprazole", "matched": []}
    alendronate = payload["results"][0]
    assert alendronate["verdict"] == CAUTION
    [_, missing] = alendronate["reasons"]
    assert missing["kind"] == "no-interaction-on-file" and missing["about"] == "omeprazole"
    assert "no interaction on file between Alendronate and omeprazole" in missing["text"]
    assert "does not show that they are safe" in missing["text"]
    assert "safe" not in missing["text"].replace("does not show that they are safe", "")
    table = check("alendronate", "--takes", "omeprazole").stdout
    assert "omeprazole (not in osteo's list of medicines)" in table
    assert "does not mean the medicine is safe" in table


def test_known_substance_without_interaction_for_an_agent(check: Run) -> None:
    got = results(check("alendronate", "raloxifene", "--takes", "coumadin", "-f", "json"))
    for agent in ("alendronate", "raloxifene"):
        [reason] = got[agent]["reasons"]
        assert reason["kind"] == "no-interaction-on-file" and reason["about"] == "warfarin"
        assert "between " + got[agent]["name"] + " and Warfarin" in reason["text"]
        assert got[agent]["verdict"] == NONE


def test_exit_codes_named_and_unnamed(check: Run) -> None:
    assert check("alendronate", "--crcl", "34").exit_code == 1
    assert check("alendronate", "denosumab", "--crcl", "34").exit_code == 1  # one named is avoid
    assert check("denosumab", "--crcl", "34").exit_code == 0  # caution only
    assert check("--crcl", "34").exit_code == 0  # not every medicine is avoid
    assert check("--crcl", "60").exit_code == 0


def test_exit_1_unnamed_only_when_every_medicine_is_avoid(tmp_path: Path) -> None:
    data = knowledge_base()
    for agent in data["agents"]:
        agent["contraindications"] = [rule("pregnancy", "contraindicated", "Not in pregnancy.")]
    path = write(tmp_path / "all.yaml", data)
    assert invoke("check", "--has", "pregnancy", "--data", str(path)).exit_code == 1


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
    assert set(payload) == {"kb_version", "custom_data", "input", "results"}
    assert payload["custom_data"] is True
    assert payload["input"] == {
        "crcl": 32.5,
        "egfr": None,
        "conditions": ["blood-clots"],
        "implied_conditions": [],
        "substances": [{"typed": "tums", "matched": ["calcium", "antacids"]}],
    }
    [result] = payload["results"]
    assert set(result) == {"id", "name", "verdict", "reasons"}
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
    assert result["reasons"][0]["kind"] == "kidney"
    assert "given: 32.5 mL/min" in result["reasons"][0]["text"]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_human_output_has_the_footer(check: Run, fmt: str) -> None:
    result = check("--crcl", "32", "-f", fmt)
    assert result.exit_code == 0
    assert "Reference only, not medical advice." in result.output
    assert "Kidney function: creatinine clearance 32 mL/min." in result.stdout
    assert "2 to avoid, 1 with a caution, 8 with no label restriction found." in result.stdout


def test_list_prints_the_vocabulary(check: Run) -> None:
    table = check("--list")
    assert table.exit_code == 0
    assert "recent-mi" in table.stdout and "St. John's wort" in table.stdout
    payload = json.loads(check("--list", "-f", "json").stdout)
    assert set(payload) == {"kb_version", "custom_data", "conditions", "substances"}
    assert payload["conditions"][0] == {
        "id": "recent-heart-attack-or-stroke",
        "name": "Heart attack or stroke in the past year",
        "synonyms": ["recent-mi", "recent stroke"],
        "implies": ["heart-attack-or-stroke"],
        "kidney": False,
        "note": None,
    }
    assert [s["id"] for s in payload["substances"]] == [s["id"] for s in SUBSTANCES]
    markdown = check("--list", "-f", "markdown").stdout
    assert "### Conditions (--has)" in markdown
    assert "| dialysis | On dialysis (about kidney function) | haemodialysis, hemodialysis | - |" in markdown


def test_data_text_is_not_markup(tmp_path: Path) -> None:
    data = knowledge_base()
    data["agents"][0]["contraindications"] = [rule("pregnancy", "caution", "[bold red]x[/] | y")]
    path = write(tmp_path / "markup.yaml", data)
    table = invoke("check", "alendronate", "--has", "pregnancy", "--data", str(path))
    assert "[bold red]x[/]" in table.stdout
    markdown = invoke("check", "alendronate", "--has", "pregnancy", "-f", "markdown", "--data", str(path))
    assert "x[/] \\| y" in markdown.stdout


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
