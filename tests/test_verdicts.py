"""`kb validate`'s stored verdicts (knowledge/verdicts.py): the same problems as a full
validation, and served only for the exact bytes, the same code and the same day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from helpers import invoke

from osteo_cli import knowledge
from osteo_cli.knowledge import cache, verdicts

TODAY = dt.date(2026, 12, 7)
LATER = dt.date(2028, 1, 1)  # review dates have lapsed: warnings


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a file is parsed from now on."""
    count: list[int] = []
    real = knowledge.parse

    def spy(*args: Any, **kwargs: Any) -> Any:
        count.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(knowledge, "parse", spy)
    return count


def test_unchanged_bytes_are_not_parsed_again(kb_file: Path, parses: list[int]) -> None:
    first = knowledge.check(kb_file, LATER)
    assert any(p.severity == "warning" for p in first)
    assert knowledge.check(kb_file, LATER) == first
    assert len(parses) == 1


def test_a_changed_byte_is_validated_again(kb_file: Path, parses: list[int]) -> None:
    knowledge.check(kb_file, TODAY)
    data = kb_file.read_bytes()
    kb_file.write_bytes(data.replace(b"route: oral\n", b"route: 1\n", 1))
    assert any(p.severity == "error" for p in knowledge.check(kb_file, TODAY))
    assert len(parses) == 2


def test_another_day_is_validated_again(kb_file: Path, parses: list[int]) -> None:
    assert not [p for p in knowledge.check(kb_file, TODAY) if p.severity == "warning"]
    assert [p for p in knowledge.check(kb_file, LATER) if p.severity == "warning"]
    assert len(parses) == 2


def test_other_code_is_validated_again(kb_file: Path, parses: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge.check(kb_file, TODAY)
    monkeypatch.setattr(verdicts, "_code", lambda: "0" * 32)
    knowledge.check(kb_file, TODAY)
    assert len(parses) == 2


def test_a_tampered_verdict_is_never_served(kb_file: Path, parses: list[int], _cache_dir: Path) -> None:
    broken = kb_file.read_bytes().replace(b"route: oral\n", b"route: 1\n", 1)
    kb_file.write_bytes(broken)
    first = knowledge.check(kb_file, TODAY)
    (entry,) = _cache_dir.glob("verdict-*")
    entry.write_bytes(entry.read_bytes().replace(b'"error"', b'"warning"'))  # "valid", unsigned
    assert knowledge.check(kb_file, TODAY) == first
    assert len(parses) == 2


@pytest.mark.parametrize(
    "stored",
    [b"{}", b"[[1, [], 'x', null]]", b'[["error", [], "x"]]', b'[["error", [1.5], "x", null]]', b"[[", b"[0]"],
)
def test_a_signed_verdict_of_another_shape_is_a_miss(kb_file: Path, parses: list[int], stored: bytes) -> None:
    first = knowledge.check(kb_file, LATER)
    kind = verdicts._kind(LATER)
    assert kind is not None
    cache.put_bytes(kind, kb_file.read_bytes(), stored)
    assert knowledge.check(kb_file, LATER) == first
    assert len(parses) == 2


def test_kb_validate_prints_the_same_the_second_time(kb_file: Path) -> None:
    first = invoke("kb", "validate", str(kb_file), "--strict")
    second = invoke("kb", "validate", str(kb_file), "--strict")
    assert (second.exit_code, second.stdout, second.stderr) == (first.exit_code, first.stdout, first.stderr)
