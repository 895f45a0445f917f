"""A file's sha256 from its status (knowledge/identity.py): trusted only when every field of
the status matches a signed record made safely after the file's last change."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

from osteo_cli import knowledge
from osteo_cli.errors import DataError
from osteo_cli.knowledge import cache, identity
from osteo_cli.queries.names import resolve


@pytest.fixture
def untimed(monkeypatch: pytest.MonkeyPatch) -> None:
    """No racy window: a record made after the file's last change is trusted at once."""
    monkeypatch.setattr(identity, "RACY_NS", 0)


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The knowledge-base files read from now on."""
    seen: list[Path] = []
    real = knowledge._read

    def spy(path: Path) -> tuple[bytes, os.stat_result]:
        seen.append(path)
        return real(path)

    monkeypatch.setattr(knowledge, "_read", spy)
    return seen


def _show(path: Path) -> str:
    loaded = knowledge.load(path)
    entry = resolve(loaded.kb, "denosumab").entry
    return entry.dosing.dose  # type: ignore[union-attr]


def test_an_unchanged_file_is_not_read_again(kb_file: Path, untimed: None, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _show(kb_file)  # reads, compiles, records
    names = knowledge.completion_names(kb_file)
    knowledge.search_index(kb_file)
    assert identity.known(kb_file) == cache.digest(kb_file.read_bytes())
    reads = _reads(monkeypatch)
    assert _show(kb_file) == first
    assert knowledge.completion_names(kb_file) == names
    assert knowledge.search_index(kb_file).db is not None
    assert reads == []


def test_a_changed_file_is_read_again_and_its_new_text_served(
    kb_file: Path, untimed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _show(kb_file)
    text = kb_file.read_text(encoding="utf-8")
    before = os.stat(kb_file)
    edited = text.replace('kb_version: "2026.12.0"', 'kb_version: "2026.11.9"', 1)
    assert edited != text and len(edited) == len(text)  # the same size: only the times tell the change
    kb_file.write_text(edited, encoding="utf-8")
    os.utime(kb_file, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime set back: ctime still moves
    reads = _reads(monkeypatch)
    assert identity.known(kb_file) is None
    assert knowledge.load(kb_file).kb.kb_version == "2026.11.9"
    assert reads == [kb_file]


def test_a_record_made_within_the_racy_window_is_not_trusted(kb_file: Path) -> None:
    knowledge.load(kb_file)  # the file was written a moment ago
    assert identity.known(kb_file) is None


@pytest.mark.parametrize("field", ["status", "sha256", "made_ns"])
def test_a_record_of_another_shape_is_a_miss(kb_file: Path, untimed: None, field: str) -> None:
    knowledge.load(kb_file)
    payload = cache.get_bytes(identity.KIND, identity._key(kb_file))
    assert payload is not None
    import json

    record = json.loads(payload)
    record[field] = "x"
    cache.put_bytes(identity.KIND, identity._key(kb_file), json.dumps(record).encode())
    assert identity.known(kb_file) is None


def test_a_tampered_record_is_a_miss(kb_file: Path, untimed: None, _cache_dir: Path) -> None:
    knowledge.load(kb_file)
    assert identity.known(kb_file) is not None
    (entry,) = _cache_dir.glob(f"{identity.KIND}-*")
    raw = entry.read_bytes()
    entry.write_bytes(raw.replace(b'"sha256": "', b'"sha256": "0', 1)[: len(raw)])
    assert identity.known(kb_file) is None


def test_a_status_that_changes_while_the_file_is_read_is_not_recorded(
    kb_file: Path, untimed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = knowledge._read

    def read_then_touch(path: Path) -> tuple[bytes, os.stat_result]:
        data, info = real(path)
        kb_file.write_bytes(data)  # rewritten between the read and the record
        return data, info

    monkeypatch.setattr(knowledge, "_read", read_then_touch)
    knowledge.read_bytes(kb_file)
    assert identity.known(kb_file) is None


def test_rows_are_never_mixed_with_another_version_of_the_file(kb_file: Path) -> None:
    with pytest.raises(DataError, match="changed while osteo was reading it"):
        knowledge._read_as(kb_file, b"\0" * 32)
    assert knowledge._read_as(kb_file, cache.digest(kb_file.read_bytes())) == kb_file.read_bytes()


def test_an_unchanged_search_index_is_not_hashed_again(
    kb_file: Path, untimed: None, monkeypatch: pytest.MonkeyPatch, _cache_dir: Path
) -> None:
    knowledge.search_index(kb_file)  # builds it
    knowledge.search_index(kb_file)  # hashes it, and records its status
    hashed: list[object] = []
    real = hashlib.file_digest

    def spy(*args: Any, **kwargs: Any) -> Any:
        hashed.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "file_digest", spy)
    assert knowledge.search_index(kb_file).db is not None
    assert hashed == []
    (index,) = [p for p in _cache_dir.glob("search-*") if not p.name.startswith("search-digest")]
    index.write_bytes(index.read_bytes())  # the same bytes, rewritten: hashed again, and still served
    assert knowledge.search_index(kb_file).db is not None
    assert len(hashed) == 1
