"""The bundle: the shipped knowledge base's compiled form, carried by the wheel, serves the
first run after install (no YAML, no pydantic), and is trusted only where and as it should be."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import SHIPPED, invoke

from osteo_cli import knowledge
from osteo_cli.errors import DataError
from osteo_cli.knowledge import bundle, cache
from osteo_cli.queries import names, search


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bundle") / "compiled"


@pytest.fixture
def code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Stands for the folder of osteo's code, whose writers the bundle's are compared with."""
    folder = tmp_path / "code"
    folder.mkdir()
    folder.chmod(0o755)
    monkeypatch.setattr(cache, "CODE_FOLDER", folder)
    return folder


@pytest.fixture
def bundled(built: Path, tmp_path: Path, code: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh bundle of the shipped file, where the package's would be; the cache is empty."""
    folder = tmp_path / "compiled"
    if not built.exists():
        bundle.build(built, SHIPPED)
    shutil.copytree(built, folder)
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)
    monkeypatch.setattr(cache, "BUNDLE", folder)
    yield folder


class Calls:
    """Counts the calls of the functions a first run without a bundle needs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.counts: dict[str, int] = {}
        for owner, name in ((knowledge, "parse"), (search, "build_index"), (names, "completion_names")):
            self._spy(monkeypatch, owner, name)

    def _spy(self, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> None:
        real = getattr(owner, name)

        def spy(*args: Any, **kwargs: Any) -> Any:
            self.counts[name] = self.counts.get(name, 0) + 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, spy)

    @property
    def compiled(self) -> bool:
        """Whether anything was parsed, validated or built from the file."""
        return bool(self.counts)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    return Calls(monkeypatch)


def _answers() -> tuple[str, str, str]:
    shown = invoke("drugs", "show", "denosumab")
    found = invoke("search", "rebound")
    listed = invoke("drugs", "list", "-f", "json")
    for result in (shown, found, listed):
        assert result.exit_code == 0, result.output
    return shown.stdout, found.stdout, listed.stdout


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    """What the commands print when compiled from the file itself (no bundle)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OSTEO_CACHE_DIR", str(tmp_path_factory.mktemp("plain-cache")))
        patch.setattr(cache, "BUNDLE", tmp_path_factory.mktemp("no-bundle") / "compiled")
        return _answers()


def test_the_first_run_reads_the_bundle_and_compiles_nothing(
    bundled: Path, calls: Calls, expected: tuple[str, str, str]
) -> None:
    assert _answers() == expected
    assert not calls.compiled
    assert knowledge.completion_names(None) == names.completion_names(
        knowledge.validated(SHIPPED, SHIPPED.read_bytes())
    )
    assert calls.counts == {"parse": 1, "completion_names": 1}  # only the two calls just above


def test_later_runs_read_the_bundle_too_and_never_write_it(
    bundled: Path, calls: Calls, expected: tuple[str, str, str], _cache_dir: Path
) -> None:
    before = {p.name: p.read_bytes() for p in bundled.iterdir()}
    assert _answers() == expected
    assert _answers() == expected  # warm: the file's status is known now
    assert not calls.compiled
    assert {p.name: p.read_bytes() for p in bundled.iterdir()} == before
    # This user's cache holds only what is this user's: the file's status records.
    assert {p.name.split("-")[0] for p in _cache_dir.iterdir()} == {"key", "stat"}


def test_with_the_cache_off_the_bundle_is_not_read_either(
    bundled: Path, calls: Calls, expected: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OSTEO_NO_CACHE", "1")
    assert _answers() == expected
    assert calls.counts["parse"] >= 1 and calls.counts["build_index"] == 1


def test_an_edited_file_is_compiled_from_its_bytes(bundled: Path, calls: Calls, kb_file: Path) -> None:
    kb_file.write_bytes(kb_file.read_bytes() + b"\n# an edit\n")
    assert invoke("drugs", "show", "denosumab", "--data", str(kb_file)).exit_code == 0
    assert calls.counts.get("parse") == 1


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_bundle_others_can_write_to_is_not_trusted(
    bundled: Path, calls: Calls, expected: tuple[str, str, str], mode: int
) -> None:
    bundled.chmod(mode)
    assert _answers() == expected
    assert calls.counts["parse"] >= 1 and calls.counts["build_index"] == 1


@pytest.mark.parametrize("mode", [0o646, 0o666, 0o664])
def test_a_bundle_file_others_can_write_to_is_not_trusted(
    bundled: Path, calls: Calls, expected: tuple[str, str, str], mode: int
) -> None:
    """The key is public: whoever can write a file could sign rows of their own in it."""
    for path in bundled.iterdir():
        path.chmod(mode)
    assert _answers() == expected
    assert calls.counts["parse"] >= 1 and calls.counts["build_index"] == 1


def test_a_bundle_as_writable_as_the_code_is_trusted(
    bundled: Path, code: Path, calls: Calls, expected: tuple[str, str, str]
) -> None:
    """pip under umask 002 installs folders 775 and files 664, the code's as the bundle's:
    its group can change osteo itself, so the bundle trusts no one new."""
    code.chmod(0o775)
    bundled.chmod(0o775)
    for path in bundled.iterdir():
        path.chmod(0o664)
    assert _answers() == expected
    assert not calls.compiled


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_a_bundle_writable_by_another_group_than_the_codes_is_not_trusted(
    bundled: Path, code: Path, calls: Calls, expected: tuple[str, str, str]
) -> None:
    code.chmod(0o775)
    bundled.chmod(0o775)
    os.chown(bundled, -1, code.stat().st_gid + 4321)
    assert _answers() == expected
    assert calls.compiled


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_a_bundle_owned_by_the_codes_owner_is_trusted(
    bundled: Path, code: Path, calls: Calls, expected: tuple[str, str, str]
) -> None:
    """A user's own install (pip --user) run by root: the code's owner owns the bundle too."""
    for path in (code, bundled, *bundled.iterdir()):
        os.chown(path, 12345, -1)
    assert _answers() == expected
    assert not calls.compiled


def test_bundle_files_are_never_touched(bundled: Path, expected: tuple[str, str, str]) -> None:
    """Marking an entry used is for this user's cache: the package's files stay as installed."""
    old = 1_600_000_000
    for path in bundled.iterdir():
        os.utime(path, (old, old))
    assert _answers() == expected
    assert _answers() == expected
    assert knowledge.completion_names(None)  # the names entry, read as a JSON entry is
    assert {path.stat().st_mtime for path in bundled.iterdir()} == {old}


def test_a_damaged_bundle_row_costs_one_validation_not_one_a_run(
    bundled: Path, calls: Calls, expected: tuple[str, str, str]
) -> None:
    rows = _entry(bundled, "rows")
    _damage(rows, rows.read_bytes().index(b'"denosumab"') + 2)
    assert _answers() == expected
    assert calls.counts["parse"] == 1
    assert _answers() == expected  # the rows stored again in this user's cache are read first
    assert calls.counts["parse"] == 1


def _entry(folder: Path, kind: str) -> Path:
    (path,) = (p for p in folder.iterdir() if p.name.rsplit("-", 1)[0] == kind)
    return path


def _damage(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_damaged_row_is_answered_from_the_file(bundled: Path, calls: Calls, expected: tuple[str, str, str]) -> None:
    rows = _entry(bundled, "rows")
    data = rows.read_bytes()
    _damage(rows, data.index(b'"denosumab"') + 2)  # inside the row's JSON: its HMAC fails
    assert _answers() == expected
    assert calls.counts["parse"] == 1


def test_a_damaged_search_index_is_rebuilt(bundled: Path, calls: Calls, expected: tuple[str, str, str]) -> None:
    _damage(_entry(bundled, "search"), 5000)
    assert _answers() == expected
    assert calls.counts["build_index"] == 1


def test_an_entry_signed_with_another_key_is_not_served(bundled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_bundle_key", lambda: b"\1" * cache.DIGEST)
    assert cache.open_rows(SHIPPED.read_bytes()) is None
    assert cache.get_json("names", SHIPPED.read_bytes()) is None
    assert cache.open_database("search", SHIPPED.read_bytes()) is None


def test_a_symlinked_entry_is_not_followed(bundled: Path, tmp_path: Path) -> None:
    rows = _entry(bundled, "rows")
    moved = tmp_path / "elsewhere"
    rows.rename(moved)
    rows.symlink_to(moved)
    assert cache.open_rows(SHIPPED.read_bytes()) is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_an_entry_owned_by_another_user_is_not_trusted(bundled: Path) -> None:
    os.chown(_entry(bundled, "rows"), 12345, -1)
    assert cache.open_rows(SHIPPED.read_bytes()) is None


def test_only_what_a_bundle_may_hold_is_read_from_it(bundled: Path) -> None:
    """Entries keyed by time or by this user's files (verdicts, status records) never come
    from a bundle, even if one held them."""
    assert set(cache.BUNDLED) == {"rows", "search", "search-digest", "names"}
    assert [slot.folder for slot in cache._slots("verdict", SHIPPED.read_bytes())] == []


def test_the_bundle_holds_every_kind_a_first_run_reads(built: Path) -> None:
    if not built.exists():
        bundle.build(built, SHIPPED)
    assert sorted(p.name.rsplit("-", 1)[0] for p in built.iterdir()) == sorted(cache.BUNDLED)


def test_a_knowledge_base_that_does_not_validate_stops_the_build(tmp_path: Path, kb_file: Path) -> None:
    kb_file.write_text(kb_file.read_text().replace("id: denosumab", "id: Denosumab!", 1))
    with pytest.raises(DataError):
        bundle.build(tmp_path / "out", kb_file)


def test_the_command_line_builds_a_bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bundle.main([str(tmp_path / "out"), str(SHIPPED)]) == 0
    assert sorted(capsys.readouterr().out.split()) == sorted(p.name for p in (tmp_path / "out").iterdir())
    assert bundle.main([]) == 2


def test_a_bundle_is_never_built_into_a_folder_that_holds_something(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Building writes entries and evicts as a cache does: never among files of someone else's."""
    out = tmp_path / "out"
    out.mkdir()
    old = 1_600_000_000
    for i in range(cache.MAX_ENTRIES + 5):
        (out / f"notes-{i}").write_text("precious")
        os.utime(out / f"notes-{i}", (old, old))
    assert bundle.main([str(out), str(SHIPPED)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert len(list(out.iterdir())) == cache.MAX_ENTRIES + 5
