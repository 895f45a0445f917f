"""Loading the knowledge base: the shipped file, broken files, and the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SHIPPED
from kb_edits import edited_kb

from osteo_cli import knowledge
from osteo_cli.errors import DataError
from osteo_cli.knowledge import load, parse


def test_shipped_file_validates_without_problems() -> None:
    kb, problems = parse(SHIPPED.read_bytes())
    assert kb is not None
    assert [p for p in problems if p.severity == "error"] == []


def test_shipped_knowledge_base_has_its_agents_and_families(loaded: knowledge.Loaded) -> None:
    kb = loaded.kb
    assert [a.id for a in kb.agents] == [
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
    assert {f.id: f.category for f in kb.families} == {
        "bisphosphonates": "antiresorptive",
        "rankl-inhibitors": "antiresorptive",
        "pth-analogs": "anabolic",
        "sclerostin-inhibitors": "both",
        "serms": "antiresorptive",
        "menopausal-hormone-therapy": "antiresorptive",
    }
    assert len(kb.faq) >= 30
    assert not loaded.custom


@pytest.mark.parametrize(
    ("edit", "refused"),
    [
        (
            (
                "    sources: [article, label-fosamax, label-boniva-injection, label-reclast, aace-2020, bhof-2022]\n",
                "    sources: []\n",
            ),
            r"families\[0\]\.sources: List should have at least 1 item",
        ),
        (("    last_reviewed: 2026-11-25\n", ""), r"families\[0\]\.last_reviewed: Field required"),
        (("    last_reviewed: 2026-11-25\n", "    last_reviewed: soon\n"), r"families\[0\]\.last_reviewed: "),
    ],
    ids=["no sources", "no review date", "a review date that is not a date"],
)
def test_an_entry_without_sources_or_a_review_date_is_refused(
    tmp_path: Path, edit: tuple[str, str], refused: str
) -> None:
    with pytest.raises(DataError, match=refused):
        load(edited_kb(tmp_path, edit))


def test_error_names_file_line_and_field(tmp_path: Path) -> None:
    path = edited_kb(tmp_path, ("      route: subcutaneous\n", "      route: 12\n"))
    with pytest.raises(DataError) as caught:
        load(path)
    message = str(caught.value)
    line = path.read_text().splitlines().index("      route: 12") + 1
    assert message.startswith(f"{path}:{line}: agents[4].dosing.route: ")
    assert "valid string" in message
    assert "\n" not in message


def test_yaml_1_1_boolean_is_refused_where_a_string_is_meant(tmp_path: Path) -> None:
    path = edited_kb(tmp_path, ("      route: oral\n", "      route: NO\n"))
    with pytest.raises(DataError, match=r"agents\[0\]\.dosing\.route: Input should be a valid string"):
        load(path)


def test_unknown_field_is_an_error(tmp_path: Path) -> None:
    path = edited_kb(tmp_path, ("    family: bisphosphonates\n", "    family: bisphosphonates\n    famly: x\n"))
    with pytest.raises(DataError, match=r"agents\[0\]\.famly: unknown field"):
        load(path)


def test_reference_to_missing_family_is_an_error(tmp_path: Path) -> None:
    path = edited_kb(tmp_path, ("      followed_by: [bisphosphonates]\n", "      followed_by: [statins]\n"))
    with pytest.raises(DataError, match=r"followed_by\[0\]: names family 'statins', which does not exist"):
        load(path)


def test_two_entries_claiming_one_brand_is_an_error(tmp_path: Path) -> None:
    path = edited_kb(tmp_path, ("      - name: Actonel\n", "      - name: Fosamax\n"))
    with pytest.raises(DataError, match=r"'Fosamax' is already the name of agent 'alendronate'"):
        load(path)


def test_more_problems_are_counted_and_point_to_kb_validate(tmp_path: Path) -> None:
    path = edited_kb(tmp_path, ("      route: oral\n", "      route: 1\n"), ("    schedule: weekly or daily", ""))
    with pytest.raises(DataError, match=r"\(and more: 'osteo kb validate .*kb.yaml' lists them all\)$"):
        load(path)


def test_unreadable_file_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # CI runs as root, which reads any file: make the open itself fail.
    path = tmp_path / "kb.yaml"
    path.write_text("schema_version: 1\n", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(DataError, match=r"kb.yaml: permission denied$"):
        load(path)


def test_completion_names_are_every_name_spelt_for_a_shell() -> None:
    names = knowledge.completion_names()
    assert "denosumab" in names and "zoledronic-acid" in names and len(names) == len(set(names))


@pytest.mark.parametrize("date", ["2026-13-40", "2026-02-30"])
def test_a_date_that_does_not_exist_is_an_error_on_its_line(tmp_path: Path, date: str) -> None:
    """Newcomer D10: an impossible date was an internal error with no file and no line."""
    shipped = SHIPPED.read_text()
    reviewed = next(line for line in shipped.splitlines() if line.startswith("last_reviewed:"))
    path = edited_kb(tmp_path, (reviewed + "\n", f"last_reviewed: {date}\n"))
    with pytest.raises(DataError) as caught:
        load(path)
    line = path.read_text().splitlines().index(f"last_reviewed: {date}") + 1
    assert str(caught.value).startswith(f"{path}:{line}: '{date}' is not a real date")


def test_a_process_shares_what_it_loaded_and_never_an_older_file(tmp_path: Path) -> None:
    """A second load of the same bytes is the same (frozen) knowledge base; an edit is not."""
    path = tmp_path / "kb.yaml"
    path.write_bytes(SHIPPED.read_bytes())
    first = load(path).kb
    assert load(path).kb is first
    path.write_bytes(SHIPPED.read_bytes() + b"# an edit\n")
    assert load(path).kb is not first
