"""The one YAML reader: PyYAML's safe loader with osteo's hardening (no anchors, aliases,
tags, merge or duplicate keys; bounded depth and size; impossible dates on their line)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from osteo_cli.knowledge import read

HOSTILE = Path(__file__).parent / "hostile"
SHIPPED = Path(__file__).resolve().parent.parent / "data" / "medications.yaml"


def _typed(value: Any) -> Any:
    """The data with every scalar's type spelt out (1 == 1.0 == True would hide a change)."""
    if isinstance(value, dict):
        return [("map", _typed(k), _typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return ["seq", *(_typed(v) for v in value)]
    return (type(value).__name__, repr(value))


def _locs(value: Any, loc: tuple[int | str, ...] = ()) -> list[tuple[int | str, ...]]:
    out = [loc]
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(key, str | int):
                out += _locs(inner, (*loc, key))
        out.append((*loc, "no-such-key"))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            out += _locs(inner, (*loc, i))
        out.append((*loc, len(value)))
    return out


def _outcome(text: str) -> Any:
    try:
        data, lines = read.load_yaml(text)
    except read.YamlProblem as exc:
        return ("refused", exc.message, exc.line)
    return ("read", _typed(data), [(loc, lines.of(loc)) for loc in _locs(data)])


CASES = {
    "plain types": "a: 1\nb: 1.5\nc: true\nd: ~\ne: 2026-01-02\nf: 2026-01-02 10:00:00\ng: text\nh: 0x1f\n",
    "yaml 1.1 surprises": "a: NO\nb: 1.10\nc: 12:30\nd: on\ne: 0o17\nf: 017\ng: .inf\nh: -.nan\ni: 1_000\n",
    "quoted stays text": "a: 'NO'\nb: \"1.10\"\nc: '2026-01-02'\nd: ''\ne: |\n  block\nf: >\n  folded\n",
    "empty values": "a:\nb: []\nc: {}\nd: [~, null, Null, NULL, '']\n",
    "keys of other types": "1: a\ntrue: b\n~: c\n2026-01-02: d\n1.5: e\n",
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate key, nested": "x:\n  - a: 1\n    a: 2\n",
    "duplicate key by value": "1: a\n0x1: b\n",
    "true and 1 are one key": "1: a\ntrue: b\n",
    "merge key": "base: {a: 1}\nx:\n  <<: {b: 2}\n",
    "value key": "a: 1\n=: 2\n",
    "value scalar": "a: =\n",
    "complex key": "? [a, b]\n: c\n",
    "mapping as a flow key": "{[a]: 1}\n",
    "impossible date": "a: 2026-02-30\n",
    "impossible date as a key": "2026-13-40: a\n",
    "impossible date after a duplicate key": "x:\n  a: 1\n  a: 2\ny: 2026-02-30\n",
    "duplicate key before an anchor": "a: 1\na: 2\nb: &x 3\n",
    "duplicate key before a syntax error": "a: 1\na: 2\nb: [\n",
    "anchor": "a: &x 1\n",
    "alias": "a: *x\n",
    "anchored collection": "a: &x [1]\n",
    "python tag": "a: !!python/object/apply:os.system ['true']\n",
    "custom tag": "a: !include x.yaml\n",
    "non-specific tag": "a: ! 12\n",
    "explicit str tag": "a: !!str 12\n",
    "tagged map": "a: !!map {b: 1}\n",
    "set": "a: !!set {b, c}\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "two documents, then an anchor": "a: 1\n---\nb: &x 2\n",
    "explicit document": "---\na: 1\n...\n",
    "empty document": "---\n...\n",
    "comment only": "# nothing\n",
    "top-level list": "- 1\n- 2\n",
    "scalar": "just text\n",
    "syntax error": "a: [1, 2\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "tab": "a:\n\tb: 1\n",
    "control character": "a: b\x07c\n",
    "deep": "a: " + "[" * 40 + "]" * 40 + "\n",
    "just deep enough": "a: " + "[" * 31 + "]" * 31 + "\n",
    "flow mapping": "a: {b: 1, c: [x, y], d: {e: f}}\n",
    "question key": "? a\n: 1\n",
    "unicode": "name: Ostéoporose ✓\n",
    "nested lists of mappings": "a:\n  - b: 1\n    c:\n      - d: 2\n      - e: 3\n  - f: 4\n",
}

# What each refused case is refused with, and on which line.
REFUSED = {
    "keys of other types": ("duplicate key 'True'", 2),
    "duplicate key": ("duplicate key 'a'", 3),
    "duplicate key, nested": ("duplicate key 'a'", 3),
    "duplicate key by value": ("duplicate key '1'", 2),
    "true and 1 are one key": ("duplicate key 'True'", 2),
    "merge key": ("merge keys ('<<') are not allowed", 3),
    "value key": ("not valid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:value'", 2),
    "value scalar": ("not valid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:value'", 1),
    "complex key": ("a mapping key must be a plain value", 1),
    "mapping as a flow key": ("a mapping key must be a plain value", 1),
    "impossible date": ("'2026-02-30' is not a real date (day is out of range for month)", 1),
    "impossible date as a key": ("'2026-13-40' is not a real date (month must be in 1..12)", 1),
    "impossible date after a duplicate key": ("'2026-02-30' is not a real date (day is out of range for month)", 4),
    "duplicate key before an anchor": ("anchors ('&name') are not allowed", 3),
    "duplicate key before a syntax error": ("not valid YAML: did not find expected node content", 4),
    "anchor": ("anchors ('&name') are not allowed", 1),
    "alias": ("aliases ('*name') are not allowed", 1),
    "anchored collection": ("anchors ('&name') are not allowed", 1),
    "python tag": ("tags ('tag:yaml.org,2002:python/object/apply:os.system') are not allowed", 1),
    "custom tag": ("tags ('!include') are not allowed", 1),
    "explicit str tag": ("tags ('tag:yaml.org,2002:str') are not allowed", 1),
    "tagged map": ("tags ('tag:yaml.org,2002:map') are not allowed", 1),
    "set": ("tags ('tag:yaml.org,2002:set') are not allowed", 1),
    "two documents": ("not valid YAML: but found another document", 2),
    "two documents, then an anchor": ("anchors ('&name') are not allowed", 3),
    "syntax error": ("not valid YAML: did not find expected ',' or ']'", 2),
    "bad indentation": ("not valid YAML: did not find expected key", 3),
    "tab": ("not valid YAML: found character that cannot start any token", 2),
    "control character": ("control character U+0007 is not allowed", 1),
    "deep": ("nesting is deeper than 32 levels", 1),
}


@pytest.mark.parametrize("name", CASES.keys())
def test_each_case_is_read_or_refused_on_its_line(name: str) -> None:
    outcome = _outcome(CASES[name])
    if name in REFUSED:
        assert outcome == ("refused", *REFUSED[name])
    else:
        assert outcome[0] == "read"


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_same_outcome_with_the_pure_python_parser(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where libyaml is missing, PyYAML's own parser reads the same data and refuses the same
    way, on the same line (a syntax error is said in that parser's own words)."""

    def said(outcome: Any) -> Any:
        syntax = outcome[0] == "refused" and outcome[1].startswith("not valid YAML: ")
        return (*outcome[:1], "a syntax error", *outcome[2:]) if syntax else outcome

    expected = said(_outcome(text))
    monkeypatch.setattr(read, "_Loader", yaml.SafeLoader)
    assert said(_outcome(text)) == expected


def test_yaml_1_1_values_are_read_as_yaml_1_1_reads_them() -> None:
    data = read.load_yaml(CASES["plain types"]).data
    assert data == {
        "a": 1,
        "b": 1.5,
        "c": True,
        "d": None,
        "e": dt.date(2026, 1, 2),
        "f": dt.datetime(2026, 1, 2, 10, 0),
        "g": "text",
        "h": 31,
    }
    assert read.load_yaml(CASES["quoted stays text"]).data["a"] == "NO"


@pytest.mark.parametrize("path", sorted(HOSTILE.glob("*.yaml")), ids=lambda p: p.name)
def test_hostile_files_never_raise_anything_but_a_problem(path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        pytest.skip("refused before YAML")
    _outcome(text)


def test_event_and_depth_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_EVENTS", 40)
    outcome = _outcome("a:\n" + "".join(f"  - {i}\n" for i in range(60)))
    assert outcome[:2] == ("refused", "more than 40 YAML nodes; is this a knowledge base?")
    monkeypatch.setattr(read, "MAX_DEPTH", 3)
    assert _outcome("a: [[[x]]]\n")[:2] == ("refused", "nesting is deeper than 3 levels")


def test_the_shipped_file_is_read_with_its_lines() -> None:
    parsed = read.load_yaml(SHIPPED.read_text(encoding="utf-8"))
    assert isinstance(parsed.data["last_reviewed"], dt.date)
    assert parsed.lines.of(("agents", 0, "id")) is not None


def test_garbage_collection_is_restored() -> None:
    import gc

    assert gc.isenabled()
    with pytest.raises(read.YamlProblem):
        read.load_yaml("a: &x 1\n")
    assert gc.isenabled()
    gc.disable()
    try:
        read.load_yaml("a: 1\n")
        assert not gc.isenabled()
    finally:
        gc.enable()


_SCALARS = ["a", "1", "1.5", "NO", "yes", "~", "''", "'x'", "2026-01-02", "2026-02-30", "=", "<<", "0x1", "*x", "&x y"]
_SCALARS += ["!!str z", "!t z", "[a, b]", "{a: 1}", "[", "}", "- a", "? a", "---", "...", ":", "#c", '"\\x07"', "\t"]
_KEYS = ["a", "b", "1", "true", "<<", "=", "? a", "[a]", "'a'", "2026-01-02", "x y"]


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """Small documents of tricky pieces: mostly valid YAML, with duplicates, tags, anchors..."""
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        indent = "  " * draw(st.integers(0, 3))
        if draw(st.booleans()):
            lines.append(f"{indent}{draw(st.sampled_from(_KEYS))}: {draw(st.sampled_from([*_SCALARS, '']))}")
        else:
            lines.append(f"{indent}- {draw(st.sampled_from([*_SCALARS, *(k + ': 1' for k in _KEYS)]))}")
    return "\n".join(lines) + "\n"


@given(_documents())
def test_generated_documents_are_read_or_refused_never_crash(text: str) -> None:
    _outcome(text)
