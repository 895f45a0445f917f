"""The one-pass YAML reader against the reference reader (event checks, composition, the
strict constructor): the same data, or the same refusal with the same message and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from osteo_cli.knowledge import safe_yaml

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


def _outcome(read: Any, text: str) -> Any:
    try:
        data, lines = read(text)
    except safe_yaml.YamlProblem as exc:
        return ("refused", exc.message, exc.line)
    return ("read", _typed(data), [(loc, lines.of(loc)) for loc in _locs(data)])


def _reference(text: str) -> safe_yaml.Parsed:
    return safe_yaml._guarded(safe_yaml._reference, text)


def _same(text: str) -> Any:
    fast = _outcome(safe_yaml.load_yaml, text)
    assert fast == _outcome(_reference, text)
    return fast


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


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_same_outcome_as_the_reference_reader(text: str) -> None:
    _same(text)


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_same_outcome_with_the_pure_python_parser(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where libyaml is missing, the one-pass reader runs on PyYAML's own parser."""
    monkeypatch.setattr(safe_yaml, "_Loader", yaml.SafeLoader)
    _same(text)


@pytest.mark.parametrize("path", sorted(HOSTILE.glob("*.yaml")), ids=lambda p: p.name)
def test_hostile_files_are_refused_as_before(path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        pytest.skip("refused before YAML")
    _same(text)


def test_event_and_depth_caps_are_met_at_the_same_event(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_yaml, "MAX_EVENTS", 40)
    outcome = _same("a:\n" + "".join(f"  - {i}\n" for i in range(60)))
    assert outcome[:2] == ("refused", "more than 40 YAML nodes; is this a knowledge base?")
    monkeypatch.setattr(safe_yaml, "MAX_DEPTH", 3)
    assert _same("a: [[[x]]]\n")[:2] == ("refused", "nesting is deeper than 3 levels")


def test_shipped_file_is_read_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast reader must not quietly hand a valid file to the slow one."""
    text = SHIPPED.read_text(encoding="utf-8")
    expected = _outcome(_reference, text)

    def refuse(text: str) -> safe_yaml.Parsed:
        raise AssertionError("the reference reader was used")

    monkeypatch.setattr(safe_yaml, "_reference", refuse)
    assert _outcome(safe_yaml.load_yaml, text) == expected
    assert isinstance(safe_yaml.load_yaml(text).data["last_reviewed"], dt.date)


def test_lines_are_composed_only_when_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = safe_yaml.load_yaml("a:\n  - b: 1\n")
    composed: list[str] = []
    real = yaml.compose

    def compose(text: str, **kwargs: Any) -> Any:
        composed.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(yaml, "compose", compose)
    assert composed == []
    assert parsed.lines.of(("a", 0, "b")) == 2
    assert parsed.lines.of(("a", 0)) == 2
    assert composed == ["a:\n  - b: 1\n"]  # once


def test_garbage_collection_is_restored() -> None:
    import gc

    assert gc.isenabled()
    with pytest.raises(safe_yaml.YamlProblem):
        safe_yaml.load_yaml("a: &x 1\n")
    assert gc.isenabled()
    gc.disable()
    try:
        safe_yaml.load_yaml("a: 1\n")
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
def test_same_outcome_for_generated_documents(text: str) -> None:
    _same(text)
