"""The commands, through CliRunner and the real error boundary."""

from __future__ import annotations

import json

import pytest
from helpers import command_paths, invoke

from osteo_cli.render.formats import OutputFormat

ANSI = "\x1b["


@pytest.mark.parametrize("args", [[], ["drugs"], ["kb"]])
def test_no_arguments_shows_help_and_exits_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Usage: osteo" in result.stdout
    assert result.stderr == ""


def test_list_shows_every_agent_with_brand_family_and_category() -> None:
    result = invoke("drugs", "list")
    assert result.exit_code == 0
    for word in (
        "Alendronate",
        "Zoledronic",
        "Denosumab",
        "Teriparatide",
        "Abaloparatide",
        "Romosozumab",
        "Fosamax",
        "Prolia",
        "Evenity",
        "Bisphosphonates",
        "antiresorptive",
        "anabolic",
        "subcutaneous",
    ):
        assert word in result.stdout


def test_list_category_filter() -> None:
    anabolic = invoke("drugs", "list", "--category", "anabolic", "--format", "json")
    names = [a["name"] for a in json.loads(anabolic.stdout)["agents"]]
    assert names == ["Teriparatide", "Abaloparatide", "Romosozumab"]
    anti = json.loads(invoke("drugs", "list", "-c", "ANTIRESORPTIVE", "-f", "json").stdout)["agents"]
    assert [a["id"] for a in anti] == [
        "alendronate",
        "risedronate",
        "ibandronate",
        "zoledronic-acid",
        "denosumab",
        "romosozumab",
        "raloxifene",
        "conjugated-estrogens",
        "estradiol",
    ]


def test_bad_category_is_a_usage_error_on_one_line() -> None:
    result = invoke("drugs", "list", "--category", "vitamins")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("osteo: error: ")


def test_show_agent_includes_every_fact_group_and_sources() -> None:
    result = invoke("drugs", "show", "denosumab", "--all")
    assert result.exit_code == 0
    out = result.stdout
    for text in (
        "RANKL inhibitors",
        "Prolia",
        "Jubbonti",
        "60 mg",
        "every 6 months",
        "No drug holiday",
        "Boxed warning",
        "Sources",
        "label-prolia",
        "endocrine-2019",
        "https://dailymed.nlm.nih.gov",
    ):
        assert text in out, text


def test_show_by_brand_says_whose_brand_it_is() -> None:
    result = invoke("drugs", "show", "FORTEO")
    assert result.exit_code == 0
    assert "Forteo is a brand of Teriparatide." in result.stdout


def test_show_family_lists_its_members() -> None:
    result = invoke("drugs", "show", "bisphosphonate")
    assert result.exit_code == 0
    for name in ("Alendronate", "Risedronate", "Ibandronate", "Zoledronic acid", "First", "drug holiday"):
        assert name.lower() in result.stdout.lower()


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["drugs", "show", "prolia", "--section", "stoping"], " Did you mean 'stopping'?"),
        (["drugs", "list", "--category", "ANABOLC"], " Did you mean 'anabolic'?"),
        (["drugs", "list", "--format", "jsn"], " Did you mean 'json'?"),
        (["drugs", "list", "--category", "zzz"], ""),  # nothing close: no guess
    ],
)
def test_a_value_not_among_the_choices_suggests_the_closest(args: list[str], hint: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "is not one of" in result.stderr
    assert result.stderr.endswith(f".{hint} (see 'osteo {' '.join(args[:2])} --help')\n")


def test_compare_explains_its_medium_confidence_mark_when_it_shows_one() -> None:
    """Newcomer trial: a "*" in compare's fracture rows had no legend."""
    marked = invoke("drugs", "compare", "denosumab", "teriparatide")
    assert marked.exit_code == 0 and " *" in marked.stdout
    assert "* medium confidence: seen only in a secondary source" in marked.stdout
    # A condition both labels rule out is said once (teriparatide's Paget's disease was twice).
    assert marked.stdout.count("Paget's") == 1
    assert "Pregnancy (EU)" in marked.stdout  # the EU's alone keeps its mark
    plain = invoke("drugs", "compare", "denosumab", "zoledronic", "acid")
    assert plain.exit_code == 0 and " *" not in plain.stdout and "medium confidence" not in plain.stdout


def test_unknown_name_suggests_and_exits_2() -> None:
    result = invoke("drugs", "show", "prolai")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "osteo: error: no drug or family called 'prolai'; did you mean 'Prolia'?\n"


def test_missing_argument_is_one_line_exit_2() -> None:
    result = invoke("drugs", "show")
    assert result.exit_code == 2
    assert result.stderr == "osteo: error: Missing argument 'NAME'. (see 'osteo drugs show --help')\n"


def test_unknown_option_is_one_line_exit_2() -> None:
    result = invoke("drugs", "list", "--colour")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--colour" in result.stderr


def test_compare_needs_two_names() -> None:
    result = invoke("drugs", "compare", "denosumab")
    assert result.exit_code == 2
    assert "at least two names" in result.stderr


def test_compare_mixes_families_and_agents() -> None:
    result = invoke("drugs", "compare", "bisphosphonates", "denosumab", "--format", "json")
    assert result.exit_code == 0
    columns = json.loads(result.stdout)["columns"]
    assert [(c["kind"], c["id"]) for c in columns] == [("family", "bisphosphonates"), ("agent", "denosumab")]


# One example run of every command the app has (read from the app, so a new command must add one).
EXAMPLES: dict[str, list[list[str]]] = {
    "drugs list": [["drugs", "list"]],
    "drugs show": [["drugs", "show", "reclast"], ["drugs", "show", "pth analogs"]],
    "drugs compare": [["drugs", "compare", "denosumab", "teriparatide"], ["drugs", "compare", "prolia", "xgeva"]],
    "drugs stopping": [["drugs", "stopping", "denosumab"], ["drugs", "stopping", "pth analogs"]],
    "faq": [["faq"], ["faq", "denosumab"]],
    "sequence": [["sequence", "romosozumab:12m", "alendronate:5y"]],
    "check": [["check", "--crcl", "32"], ["check", "--list"]],
    "schedule": [["schedule", "prolia", "--last", "2026-05-10", "--today", "2026-11-25"]],
    "tscore": [["tscore", "-2.5"]],
    "evidence": [["evidence", "denosumab"]],
    "guidelines": [["guidelines"]],
    "lifestyle": [["lifestyle"]],
    "learn": [["learn"], ["learn", "scans"]],
    "search": [["search", "rebound"]],
    "ask": [["ask", "what", "happens", "if", "I", "stop", "denosumab"]],
    "kb validate": [["kb", "validate"]],
    "kb schema": [],  # JSON only: it has no --format (test_kb covers it)
}


def test_every_command_has_an_example_run() -> None:
    assert sorted(EXAMPLES) == sorted(command_paths())


RUNS = [args for runs in EXAMPLES.values() for args in runs]


def _views_not_for(fmt: OutputFormat) -> list[tuple[object, str]]:
    """The view functions a command must not call for `fmt`: the JSON views for a table or
    Markdown, the documents for JSON (at 100x, `drugs list`'s JSON view alone takes longer
    than drawing its table)."""
    import importlib
    import pkgutil

    import osteo_cli.views

    found: list[tuple[object, str]] = []
    for info in pkgutil.iter_modules(osteo_cli.views.__path__):
        module = importlib.import_module(f"osteo_cli.views.{info.name}")
        for name in dir(module):
            document = name.endswith("_document") or name == "agent_list"
            if callable(getattr(module, name)) and (name.endswith("_json") if fmt != "json" else document):
                found.append((module, name))
    assert len(found) >= 10
    return found


@pytest.mark.parametrize("fmt", list(OutputFormat))
@pytest.mark.parametrize("args", RUNS, ids=[" ".join(a) for a in RUNS])
def test_every_command_in_every_format(args: list[str], fmt: OutputFormat, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"{fmt}: built a view it does not print")

    for module, name in _views_not_for(fmt):  # only the format asked for is built
        monkeypatch.setattr(module, name, refuse)
    result = invoke(*args, "--format", fmt.value)
    assert result.exit_code == 0, result.stderr
    assert ANSI not in result.stdout
    if fmt is OutputFormat.json:
        payload = json.loads(result.stdout)
        assert payload["kb_version"] == "2026.12.0"
        assert result.stderr == ""  # machine output stays clean
    elif fmt is OutputFormat.markdown:
        assert result.stdout.strip()
        assert "Reference only" not in result.stderr
    else:
        # piped: the data on stdout, the reference-only line on stderr
        assert "Reference only" not in result.stdout
        if args[0] != "kb":
            assert "Reference only, not medical advice." in result.stderr


def test_json_shapes_are_stable() -> None:
    listed = json.loads(invoke("drugs", "list", "-f", "json").stdout)
    assert set(listed) == {"kb_version", "custom_data", "agents"}
    assert set(listed["agents"][0]) == {"id", "name", "brands", "family", "category", "route", "schedule"}
    shown = json.loads(invoke("drugs", "show", "prolia", "-f", "json").stdout)
    assert set(shown) == {"kb_version", "custom_data", "query", "match", "agent", "family", "sources"}
    assert shown["match"] == {
        "kind": "agent",
        "name": "Prolia",
        "how": "brand",
        "note": "Prolia is a brand of Denosumab.",
    }
    compared = json.loads(invoke("drugs", "compare", "denosumab", "teriparatide", "-f", "json").stdout)
    assert [f["id"] for f in compared["features"]] == [
        "category",
        "mechanism",
        "administration",
        "typical_use",
        "after_treatment",
        "brands",
        "dose",
        "limit",
        "contraindications",
        "kidney",
        "side_effects",
        "approvals",
        "vertebral",
        "non_vertebral",
        "hip",
    ]
    faq = json.loads(invoke("faq", "-f", "json").stdout)
    assert [q["number"] for q in faq["faq"]] == list(range(1, len(faq["faq"]) + 1))
    assert set(faq["faq"][0]) == {"number", "id", "question", "answer", "sources", "last_reviewed", "more"}


def test_faq_filter_keeps_original_numbers() -> None:
    result = invoke("faq", "denosumab", "-f", "json")
    hits = json.loads(result.stdout)["faq"]
    assert [(h["number"], h["id"]) for h in hits][:1] == [(4, "stopping")]
    assert all(h["number"] > 4 for h in hits[1:]) and (12, "denosumab-stop") in [(h["number"], h["id"]) for h in hits]


def test_faq_without_match_exits_1_with_one_line() -> None:
    result = invoke("faq", "xylophone")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "osteo: error: no question mentions 'xylophone'; run 'osteo faq' for all of them\n"


def test_version_names_program_and_knowledge_base() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == "osteo 0.2.0, knowledge base 2026.12.0 (reviewed 2026-12-07)\n"


def test_format_is_case_insensitive() -> None:
    assert invoke("faq", "--format", "JSON").exit_code == 0


@pytest.mark.parametrize("args", [["drugs", "show", "\udcff"], ["evidence", "\udcff"]])
def test_an_argument_that_is_not_text_is_a_usage_error(args: list[str]) -> None:
    """Bytes in argv that the system's encoding cannot read (a surrogate) are one line, exit 2."""
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("osteo: error: ") and result.stderr.count("\n") == 1
