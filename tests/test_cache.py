"""The cache, as pip and git keep theirs: a folder osteo owns, entries named by content and
code, checked for shape only, deleted only by their own names, and never an error.

Each case of the December 2026 reliability review that concerns the cache has a test here,
named by its id (L1, S1, S2, C1, W1, W2, U1, U6).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import OSTEO, ROOT, SHIPPED, process_env

from osteo_cli import knowledge
from osteo_cli.errors import DataError
from osteo_cli.knowledge import cache, compiled, load, names, records
from osteo_cli.queries import search


class _Forgetful(dict[str, Any]):
    def __setitem__(self, key: str, value: Any) -> None:
        pass


# What validating each file gave: the same bytes always validate the same way, so the tests
# share it (half a CPU-second a time) and time goes into what the cache does.
_VALIDATED: dict[tuple[str, bytes], Any] = {}
_validated = knowledge.validated


def _validated_once(target: Path, data: bytes) -> Any:
    key = (str(target), data)
    if key not in _VALIDATED:
        _VALIDATED[key] = _validated(target, data)
    return _VALIDATED[key]


@pytest.fixture(autouse=True)
def _as_new_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each load here is a new process's: from the cache folder, never this process's memory
    (only the validation of a file is shared, above)."""
    monkeypatch.setattr(knowledge, "_loaded", _Forgetful())
    monkeypatch.setattr(knowledge, "validated", _validated_once)


OLD = time.time() - 40 * 86400


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != cache.TAG_NAME)


def _kb_entry(folder: Path) -> Path:
    (entry,) = folder.glob("kb-*.json")
    return entry


def _run(
    *args: str, env: dict[str, str], limit_file_size: bool = False, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    def no_file_growth() -> None:  # `ulimit -f 0`: every write fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

    return subprocess.run(
        [*OSTEO, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        preexec_fn=no_file_growth if limit_file_size else None,
    )


# --- the folder ---------------------------------------------------------------------


def test_the_folder_is_made_private_and_tagged(_cache_dir: Path) -> None:
    load(None)
    assert stat.S_IMODE(_cache_dir.stat().st_mode) == 0o700
    assert (_cache_dir / cache.TAG_NAME).read_bytes().startswith(b"Signature: 8a477f597d28d172789f06886806bc55\n")
    assert [p.name for p in _cache_dir.glob("kb-*.json")] == [cache.entry_name("kb", SHIPPED.read_bytes())]


def test_L1_an_existing_folder_that_is_not_osteos_is_never_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """L1: OSTEO_CACHE_DIR at a folder of the user's (here 60 files, one 40 days old, and a
    file with an entry's name) deleted 13 of them. Now nothing there is read, written or removed."""
    folder = tmp_path / "home"
    folder.mkdir()
    for i in range(60):
        (folder / f"n{i}").write_text(str(i))
    os.utime(folder / "n1", (OLD, OLD))
    planted = folder / cache.entry_name("kb", SHIPPED.read_bytes())  # type: ignore[operator]
    planted.write_text("{}")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setenv("OSTEO_CACHE_DIR", str(folder))
    assert load(None).kb.agents
    assert load(SHIPPED).kb.agents
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_L1_only_osteos_own_names_are_evicted_in_its_folder(_cache_dir: Path) -> None:
    """In osteo's own folder, files it did not write are kept whatever their age or number."""
    load(None)
    fd = os.open(_cache_dir, os.O_RDONLY)
    try:
        for i in range(cache.MAX_ENTRIES + 10):
            name = f"kb-{i:064x}.json"
            (_cache_dir / name).write_text("{}")
            (_cache_dir / f"note-{i}").write_text("mine")
            os.utime(_cache_dir / f"note-{i}", (OLD, OLD))
        (_cache_dir / "old.json").write_text("mine")
        os.utime(_cache_dir / "old.json", (OLD, OLD))
        (_cache_dir / ".tmp-old").write_text("mine")
        os.utime(_cache_dir / ".tmp-old", (OLD, OLD))
        os.utime(_cache_dir / "kb-0000000000000000000000000000000000000000000000000000000000000000.json", (OLD, OLD))
        (_cache_dir / ".tmp-0123456789abcdef").write_text("")
        os.utime(_cache_dir / ".tmp-0123456789abcdef", (OLD, OLD))
        cache.evict(fd)
    finally:
        os.close(fd)
    names = set(_entries(_cache_dir))
    assert {f"note-{i}" for i in range(cache.MAX_ENTRIES + 10)} | {"old.json", ".tmp-old"} <= names
    assert len([n for n in names if cache.OWN.fullmatch(n)]) == cache.MAX_ENTRIES
    assert ".tmp-0123456789abcdef" not in names
    assert f"kb-{0:064x}.json" not in names  # unused for 40 days


def test_an_empty_folder_is_claimed_and_tagged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    monkeypatch.setenv("OSTEO_CACHE_DIR", str(folder))
    load(None)
    assert (folder / cache.TAG_NAME).read_bytes() == cache.TAG
    assert list(folder.glob("kb-*.json"))


def test_the_default_folder_is_osteos_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`<XDG_CACHE_HOME>/osteo`, as an older osteo left it (untagged, with its own files)."""
    monkeypatch.delenv("OSTEO_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "xdg" / "osteo"
    folder.mkdir(parents=True, mode=0o700)
    (folder / "key").write_bytes(b"k" * 32)
    load(None)
    assert (folder / cache.TAG_NAME).read_bytes() == cache.TAG
    assert (folder / "key").exists() and list(folder.glob("kb-*.json"))


def test_S1_a_symlinked_folder_is_never_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """S1: someone who can write the cache's parent plants `osteo` as a link to a folder of
    the victim's. osteo neither writes there nor deletes anything; the answer still comes."""
    victim = tmp_path / "documents"
    victim.mkdir(mode=0o700)
    for i in range(60):
        (victim / f"doc{i}").write_text(str(i))
        os.utime(victim / f"doc{i}", (OLD, OLD))
    (victim / cache.TAG_NAME).write_bytes(cache.TAG)  # even a folder that looks like osteo's
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "osteo").symlink_to(victim)
    before = sorted(p.name for p in victim.iterdir())
    monkeypatch.delenv("OSTEO_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    assert load(None).kb.agents
    assert knowledge.check(SHIPPED) is not None
    assert search.search(search.open_index(None), ["rebound"])
    assert sorted(p.name for p in victim.iterdir()) == before
    monkeypatch.setenv("OSTEO_CACHE_DIR", str(shared / "osteo"))
    assert load(None).kb.agents
    assert sorted(p.name for p in victim.iterdir()) == before


def test_a_folder_others_can_write_is_refused(_cache_dir: Path) -> None:
    _cache_dir.mkdir(mode=0o700)
    (_cache_dir / cache.TAG_NAME).write_bytes(cache.TAG)
    _cache_dir.chmod(0o777)
    assert load(None).kb.agents
    assert _entries(_cache_dir) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a folder to another user")
def test_a_folder_of_another_user_is_refused(_cache_dir: Path) -> None:
    _cache_dir.mkdir(mode=0o700)
    (_cache_dir / cache.TAG_NAME).write_bytes(cache.TAG)
    os.chown(_cache_dir, 65534, 65534)
    assert load(None).kb.agents
    assert _entries(_cache_dir) == []


def test_the_cache_can_be_turned_off(_cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "compiled"
    bundle.mkdir()
    (bundle / cache.entry_name("kb", SHIPPED.read_bytes())).write_text("{}")  # type: ignore[operator]
    monkeypatch.setattr(cache, "BUNDLE", bundle)
    monkeypatch.setenv("OSTEO_NO_CACHE", "1")
    assert cache.folder() is None
    calls: list[Path] = []
    real = knowledge.validated

    def validated(target: Path, data: bytes) -> Any:
        calls.append(target)
        return real(target, data)

    monkeypatch.setattr(knowledge, "validated", validated)
    assert load(None).kb.agents and calls == [SHIPPED]  # from the file: neither the folder nor the bundle
    assert not _cache_dir.exists()


def test_without_descriptor_relative_calls_there_is_no_folder(
    _cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no O_DIRECTORY and no dir_fd: osteo keeps no folder there, and answers."""
    monkeypatch.setattr(cache, "_DIR_FDS", False)
    assert load(None).kb.agents and search.search(search.open_index(None), ["rebound"])
    assert not _cache_dir.exists()


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OSTEO_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.folder() == (str(tmp_path / ".cache" / "osteo"), True)


@pytest.mark.parametrize("home", ["", "relative", "/"])
def test_no_usable_home_means_no_cache(home: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OSTEO_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", home)
    assert cache.folder() is None
    assert load(None).kb.agents


def test_a_folder_that_is_a_file_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("OSTEO_CACHE_DIR", str(blocker / "sub"))
    assert load(None).kb.agents
    assert blocker.read_text() == "x"


# --- entries: named by content and code, checked for shape ----------------------------


def test_an_entry_is_named_by_the_bytes_and_the_code(kb_file: Path) -> None:
    data = kb_file.read_bytes()
    name = cache.entry_name("kb", data)
    assert name is not None and cache.OWN.fullmatch(name)
    assert cache.entry_name("kb", data + b"\n# edited\n") != name
    assert cache.entry_name("search", data, (Path(search.__file__),)) != name.replace("kb-", "search-")


def test_a_warm_load_is_the_same_knowledge_base(_cache_dir: Path) -> None:
    cold = load(None).kb
    assert len(_entries(_cache_dir)) == 1
    warm = load(None).kb
    assert compiled.dump(warm) == compiled.dump(cold)
    assert warm.agent("denosumab").name == "Denosumab"
    assert [a.id for a in warm.members("bisphosphonates")] == [a.id for a in cold.members("bisphosphonates")]


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b"[]", b"{}", b'{"schema_version": 1}', b"\xff\xfe", b"[" * 100_000, b"\0" * 64],
    ids=["empty", "not json", "a list", "an object", "too little", "not utf-8", "deep", "zeros"],
)
def test_a_damaged_entry_is_a_miss_and_is_written_again(damage: bytes, _cache_dir: Path) -> None:
    expected = compiled.dump(load(None).kb)
    entry = _kb_entry(_cache_dir)
    entry.write_bytes(damage)
    assert compiled.dump(load(None).kb) == expected
    assert entry.read_bytes() == expected


def _lines(entry: Path) -> list[Any]:
    """The entry's lines after its CRC: the header, then a record a line."""
    return [json.loads(line) for line in entry.read_bytes().split(b"\n")[1:]]


def _written(lines: list[Any]) -> bytes:
    """`lines` as an entry, with the CRC `dump` would put first: only the shape is wrong."""
    body = b"\n".join(json.dumps(line, separators=(",", ":")).encode() for line in lines)
    return b"%08x\n" % zlib.crc32(body) + body


def test_a_header_of_the_wrong_shape_is_a_miss(_cache_dir: Path) -> None:
    """Checked for shape, under a right CRC: a value of another type, an unknown key, a
    count that does not match the lines, a name of an unknown kind."""
    load(None)
    good = _lines(_kb_entry(_cache_dir))
    changes: list[Callable[[list[Any]], Any]] = [
        lambda d: d[0]["fields"].update(last_reviewed="yesterday"),
        lambda d: d[0]["fields"].update(surprise="x"),
        lambda d: d[0]["sections"]["agents"].update(count=d[0]["sections"]["agents"]["count"] + 1),
        lambda d: d[0]["sections"]["agents"]["columns"]["id"].pop(),
        lambda d: d[0]["sections"]["agents"]["columns"].pop("limit_group"),
        lambda d: d[0]["claims"][0].__setitem__(1, "nickname"),
        lambda d: d.pop(),  # the last record's line lost
        lambda d: d.append({}),  # a line too many
    ]
    for change in changes:
        bad = json.loads(json.dumps(good))
        change(bad)
        assert compiled.restore(_written(bad)) is None
    assert compiled.restore(_written(good)) is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda lines: lines.__setitem__(1, lines[1].replace(b'"id":"', b'"id":"x', 1)),  # an id in the header
        lambda lines: lines.__setitem__(-1, lines[-1][:-1] + b" "),  # the last record's last byte
        lambda lines: lines.insert(3, lines.pop(4)),  # two records swapped
        lambda lines: lines.__setitem__(0, b"0" * 8),  # the CRC itself
    ],
    ids=["an id in the header", "a record's byte", "two records swapped", "the CRC"],
)
def test_any_damaged_byte_is_a_miss_answered_from_the_file(
    damage: Callable[[list[bytes]], Any], _cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lookups trust the header's ids, families and names, so a damaged entry must never be
    read: each of these, of the right shape or not, is a miss, and the entry is written again."""
    expected = compiled.dump(load(None).kb)
    entry = _kb_entry(_cache_dir)
    lines = entry.read_bytes().split(b"\n")
    damage(lines)
    entry.write_bytes(b"\n".join(lines))
    assert entry.read_bytes() != expected
    assert compiled.restore(entry.read_bytes()) is None
    validations: list[Path] = []

    def counted(target: Path, data: bytes) -> Any:
        validations.append(target)
        return _validated_once(target, data)

    monkeypatch.setattr(knowledge, "validated", counted)
    kb = load(None).kb
    assert len(validations) == 1
    assert compiled.dump(kb) == expected
    assert entry.read_bytes() == expected


@pytest.mark.parametrize("cached", [True, False])
def test_every_load_answers_from_the_compiled_form(cached: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """One shape of the knowledge base above `knowledge/`: a first run, a warm one and a run
    with the cache off all answer from the compiled form, whose sections build lazily."""
    if not cached:
        monkeypatch.setenv("OSTEO_NO_CACHE", "1")
    for _ in range(2):
        kb = load(None).kb
        assert isinstance(kb.agents, records.Records) and kb.agents.built() == []


def test_a_lookup_builds_only_the_records_it_needs(_cache_dir: Path) -> None:
    """What makes a lookup cost the same in a file ten times the size: by id, nothing else
    is built; and the names entries answer to come with the compiled form."""
    load(None)
    kb = load(None).kb
    agents, families = kb.agents, kb.families
    assert isinstance(agents, records.Records) and isinstance(families, records.Records)
    kb.agent("denosumab")
    kb.members("bisphosphonates")
    limit = kb.agent("teriparatide").duration.limit
    assert limit is not None
    sharing = kb.sharing_limit(limit.group)  # the bone builders' lifetime limit
    built = agents.built()
    wanted = {"denosumab", "teriparatide", *(a.id for a in kb.members("bisphosphonates")), *(a.id for a in sharing)}
    assert sorted(a.id for a in built) == sorted(wanted)
    assert len(built) < len(agents) and len(sharing) > 1
    assert len(list(names.claims(kb))) > len(agents) and families.built() == []


def test_an_edited_file_is_never_answered_from_the_old_entry(kb_file: Path) -> None:
    old = load(kb_file).kb.kb_version
    kb_file.write_text(kb_file.read_text(encoding="utf-8").replace(f'kb_version: "{old}"', 'kb_version: "2099.1.1"'))
    assert load(kb_file).kb.kb_version == "2099.1.1"


def test_W1_an_edit_that_keeps_size_and_times_is_seen(kb_file: Path) -> None:
    """W1: status records trusted under clock skew served old rows for good. The cache now
    keeps no status: every run hashes the bytes it read, so no clock or mtime can mislead it."""
    old = load(kb_file).kb.kb_version
    new = old[:-1] + str((int(old[-1]) + 1) % 10)
    info = kb_file.stat()
    text = kb_file.read_text(encoding="utf-8").replace(f'kb_version: "{old}"', f'kb_version: "{new}"')
    kb_file.write_text(text, encoding="utf-8")
    os.utime(kb_file, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert kb_file.stat().st_size == info.st_size
    assert load(kb_file).kb.kb_version == new


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "symlink"])
def test_an_entry_that_is_not_a_regular_file_is_a_miss(kind: str, _cache_dir: Path, tmp_path: Path) -> None:
    expected = compiled.dump(load(None).kb)
    entry = _kb_entry(_cache_dir)
    good = tmp_path / "good.json"
    shutil.move(entry, good)
    if kind == "fifo":
        os.mkfifo(entry)
    else:
        entry.symlink_to("/dev/zero" if kind == "dev-zero" else good)
    assert compiled.dump(load(None).kb) == expected  # neither hangs nor reads through the link


def test_an_entry_over_the_size_cap_is_a_miss(_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load(None)
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 100)
    assert cache.read(_kb_entry(_cache_dir).name) is None


def test_a_hit_marks_the_entry_used(_cache_dir: Path) -> None:
    load(None)
    entry = _kb_entry(_cache_dir)
    os.utime(entry, (OLD, OLD))
    load(None)
    assert time.time() - entry.stat().st_mtime < 3600


def test_kb_validate_reads_the_file_never_the_compiled_form(_cache_dir: Path, tmp_path: Path) -> None:
    """An entry planted under a broken file's name must not make `kb validate` call it valid."""
    load(None)
    broken = tmp_path / "broken.yaml"
    broken.write_text(SHIPPED.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 2"))
    planted = _cache_dir / cache.entry_name("kb", broken.read_bytes())  # type: ignore[operator]
    shutil.copyfile(_kb_entry(_cache_dir), planted)
    assert any(p.severity == "error" for p in knowledge.check(broken))


def test_a_valid_file_checked_is_compiled_for_the_next_run(_cache_dir: Path, kb_file: Path) -> None:
    knowledge.check(kb_file)
    assert (_cache_dir / cache.entry_name("kb", kb_file.read_bytes())).is_file()  # type: ignore[operator]


def test_a_file_that_fails_leaves_nothing_cached(_cache_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 2\n")
    with pytest.raises(DataError):
        load(broken)
    assert not _cache_dir.exists()


# --- writes that fail, and eviction -------------------------------------------------


def test_C1_a_first_write_that_fails_is_silent_and_the_answer_comes(tmp_path: Path) -> None:
    """C1: `ulimit -f 0` (as a full disk or a quota) made the first run an internal error."""
    expected = _run("drugs", "list", env=process_env())
    assert expected.returncode == 0, expected.stderr
    folder = tmp_path / "c"
    for args in (["drugs", "list"], ["search", "rebound"], ["kb", "validate"]):
        ran = _run(*args, env=process_env(OSTEO_CACHE_DIR=str(folder)), limit_file_size=True)
        assert ran.returncode == 0, ran.stderr
        assert "error" not in ran.stderr
    # The next run, after every write failed, answers as the first did.
    assert _run("drugs", "list", env=process_env(OSTEO_CACHE_DIR=str(folder)), limit_file_size=True).stdout == (
        expected.stdout
    )
    assert not [p for p in folder.iterdir() if p.name.startswith(".tmp-")]


def test_C1_a_write_refused_by_the_system_is_silent(_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    assert load(None).kb.agents
    assert not list(_cache_dir.glob(".tmp-*")) and not list(_cache_dir.glob("kb-*"))


def test_U1_a_cache_that_could_not_be_tagged_heals(tmp_path: Path, kb_file: Path) -> None:
    """U1: one failed first write left a bad key that turned the cache off for good.
    A folder osteo made but could not tag is empty, and is claimed on the next write."""
    folder = tmp_path / "c"
    env = process_env(OSTEO_CACHE_DIR=str(folder))
    assert _run("drugs", "list", env=env, limit_file_size=True).returncode == 0
    assert folder.is_dir() and not (folder / cache.TAG_NAME).exists()
    assert _run("drugs", "show", "denosumab", "--data", str(kb_file), env=env).returncode == 0
    assert (folder / cache.TAG_NAME).read_bytes() == cache.TAG
    assert list(folder.glob("kb-*.json"))


def test_U6_concurrent_evictions_do_not_stop_each_other(_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """U6: a file another process removed between the listing and its stat ended the pass."""
    load(None)
    names = [f"kb-{i:064x}.json" for i in range(cache.MAX_ENTRIES + 8)]
    for i, name in enumerate(names):
        (_cache_dir / name).write_text("{}")
        os.utime(_cache_dir / name, (OLD + i * 60, OLD + i * 60))  # all older than MAX_AGE_DAYS
    real_stat = os.stat

    def racing_stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if path == names[0]:  # the other process got there first
            os.unlink(_cache_dir / path)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", racing_stat)
    fd = os.open(_cache_dir, os.O_RDONLY)
    try:
        cache.evict(fd)
    finally:
        os.close(fd)
    assert not any((_cache_dir / name).exists() for name in names)


def test_U6_processes_writing_at_once_all_answer(tmp_path: Path, kb_file: Path) -> None:
    folder = tmp_path / "c"
    env = process_env(OSTEO_CACHE_DIR=str(folder))
    copies = []
    for i in range(4):
        copy = tmp_path / f"kb{i}.yaml"
        copy.write_bytes(kb_file.read_bytes() + f"\n# copy {i}\n".encode())
        copies.append(copy)
    runs = [
        subprocess.Popen([*OSTEO, "drugs", "list", "--data", str(c)], env=env, stdout=subprocess.DEVNULL)
        for c in copies
    ]
    assert [r.wait(timeout=120) for r in runs] == [0] * len(runs)
    assert len(list(folder.glob("kb-*.json"))) == len(copies)
    assert not list(folder.glob(".tmp-*"))


# --- the code is part of the key (W2) -----------------------------------------------


def test_W2_a_change_to_the_validating_code_is_a_miss(tmp_path: Path, kb_file: Path) -> None:
    """W2: a new integrity rule (same version) was not seen while the old entry was served."""
    shutil.copytree(ROOT / "osteo_cli", tmp_path / "copy" / "osteo_cli", ignore=shutil.ignore_patterns("__pycache__"))
    env = process_env(OSTEO_CACHE_DIR=str(tmp_path / "c"))
    env["PYTHONPATH"] = str(tmp_path / "copy")
    args = ("drugs", "show", "denosumab", "--data", str(kb_file))
    assert _run(*args, env=env, cwd=tmp_path).returncode == 0
    integrity = tmp_path / "copy" / "osteo_cli" / "knowledge" / "integrity.py"
    text = integrity.read_text(encoding="utf-8")
    rule = "    yield Problem('error', ('agents',), 'a rule added after the cache was filled')\n"
    marker = "def _errors(kb: KnowledgeBase, refs: list[tuple[Loc, str]]) -> Iterator[Problem]:\n"
    assert marker in text
    integrity.write_text(text.replace(marker, marker + rule), encoding="utf-8")
    ran = _run(*args, env=env, cwd=tmp_path)
    assert ran.returncode == 1 and "a rule added after the cache was filled" in ran.stderr


def test_the_code_digest_covers_every_module_of_knowledge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No hand-kept list: a new module in knowledge/ is part of the key from its first day."""
    copy = tmp_path / "osteo_cli"
    shutil.copytree(ROOT / "osteo_cli", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", copy)
    cache.code_digest.cache_clear()
    try:
        before = cache.code_digest()
        (copy / "knowledge" / "new_rules.py").write_text("RULE = 1\n")
        cache.code_digest.cache_clear()
        assert cache.code_digest() != before
        (copy / "errors.py").write_text((copy / "errors.py").read_text() + "\n# edited\n")
        before = cache.code_digest()
        cache.code_digest.cache_clear()
        assert cache.code_digest() != before
    finally:
        cache.code_digest.cache_clear()


# --- the search index: an entry like the others (S2) ----------------------------------


def test_S2_the_index_is_opened_from_the_bytes_read_never_by_path_again(
    _cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S2: the index was hashed through one descriptor, then opened again by path."""
    first = search.open_index(None)
    (entry,) = _cache_dir.glob("search-*.sqlite")
    opened: list[Any] = []
    real = sqlite3.connect

    def connect(target: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(target)
        db: sqlite3.Connection = real(target, *args, **kwargs)
        return db

    monkeypatch.setattr(sqlite3, "connect", connect)
    warm = search.open_index(None)
    assert opened == [":memory:"]
    assert [h.title for h in search.search(warm, ["rebound"])] == [h.title for h in search.search(first, ["rebound"])]
    entry.write_bytes(b"SQLite format 3\0" + b"\0" * 100)  # damaged: a miss, rebuilt
    assert search.search(search.open_index(None), ["rebound"])


def test_a_search_index_entry_that_is_a_symlink_is_a_miss(_cache_dir: Path, tmp_path: Path) -> None:
    search.open_index(None)
    (entry,) = _cache_dir.glob("search-*.sqlite")
    forged = tmp_path / "forged.sqlite"
    db = sqlite3.connect(forged)
    db.execute("CREATE TABLE meta (kb_version TEXT, last_reviewed TEXT)")
    db.execute("INSERT INTO meta VALUES ('forged', '2026-01-01')")
    db.commit()
    db.close()
    entry.unlink()
    entry.symlink_to(forged)
    assert search.open_index(None).kb_version != "forged"


# --- completion names: an entry of their own ------------------------------------------


def test_completion_names_are_read_without_the_knowledge_base(
    _cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = knowledge.completion_names()
    assert "denosumab" in first and list(_cache_dir.glob("names-*.json"))

    def no_loading(*args: object) -> None:
        raise AssertionError("the knowledge base was built")

    monkeypatch.setattr(knowledge, "compile_bytes", no_loading)
    assert knowledge.completion_names() == first


@pytest.mark.parametrize("damage", [b"", b"{", b'{"a": 1}', b'["a", 2]', b"[" * 100_000])
def test_a_damaged_names_entry_is_built_again(damage: bytes, _cache_dir: Path) -> None:
    first = knowledge.completion_names()
    (entry,) = _cache_dir.glob("names-*.json")
    entry.write_bytes(damage)
    assert knowledge.completion_names() == first


# --- the bundle: package data, read first ------------------------------------------


def test_the_bundle_answers_a_first_run_without_validating(
    _cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = SHIPPED.read_bytes()
    kb = load(None).kb
    bundle = tmp_path / "compiled"
    bundle.mkdir()
    (bundle / cache.entry_name("kb", data)).write_bytes(compiled.dump(kb))  # type: ignore[operator]
    names = knowledge.completion_names()
    (bundle / cache.entry_name("names", data)).write_text(json.dumps(names))  # type: ignore[operator]
    index = cache.entry_name("search", data, (Path(search.__file__),))
    (bundle / index).write_bytes(search.build_index(kb))  # type: ignore[operator]
    shutil.rmtree(_cache_dir)
    monkeypatch.setattr(cache, "BUNDLE", bundle)

    def no_validation(*args: object) -> None:
        raise AssertionError("validated")

    monkeypatch.setattr(knowledge, "validated", no_validation)
    assert compiled.dump(load(None).kb) == compiled.dump(kb)
    assert search.search(search.open_index(None), ["rebound"])
    assert knowledge.completion_names() == names
    assert not _cache_dir.exists()  # read from the bundle: nothing to write


def test_a_warm_run_imports_neither_pydantic_nor_yaml(tmp_path: Path) -> None:
    env = process_env(OSTEO_CACHE_DIR=str(tmp_path / "c"))
    code = "import sys; from osteo_cli.knowledge import load; load(None); "
    code += "print(sorted({'pydantic', 'yaml'} & set(sys.modules)))"
    assert subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True).returncode == 0
    warm = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    assert warm.stdout.strip() == "[]"
