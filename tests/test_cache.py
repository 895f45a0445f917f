"""The cache rules: untrusted on read, atomic on write, cleaned up, and never a source of truth.

A cache entry that is odd in any way (not a regular file, too big, not written by this
user's osteo, compiled from other bytes, of the wrong shape, pointing at nothing) is a
miss: the command answers from the file itself, without an error and without hanging.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from osteo_cli import knowledge
from osteo_cli.knowledge import cache, check, load, parse, shipped_path
from osteo_cli.queries.names import completion_names as completion_names_of

HOSTILE = Path(__file__).parent / "hostile" / "cache"
SHIPPED = shipped_path()
DATA = SHIPPED.read_bytes()


def _entry(folder: Path, kind: str = "names", data: bytes = DATA) -> Path:
    named = cache._name(kind, data)
    assert named is not None
    return folder / named[0]


# The rules every entry follows are tried on one of them: the completion names, a JSON entry.
NAMES = completion_names_of(parse(DATA)[0])  # type: ignore[arg-type]


def _warm(folder: Path) -> Path:
    assert knowledge.completion_names(None) == NAMES
    entry = _entry(folder)
    assert entry.is_file()
    return entry


def _served() -> Any:
    """The names entry as the cache serves it, or None."""
    return cache.get_json("names", DATA)


def _answered() -> bool:
    """Whatever the cache holds, the names are right (rebuilt from the file on a miss)."""
    return knowledge.completion_names(None) == NAMES


# --- reading: bounded, regular files only -------------------------------------------


def test_a_fifo_in_place_of_an_entry_is_a_miss_not_a_hang(_cache_dir: Path) -> None:
    entry = _warm(_cache_dir)
    entry.unlink()
    os.mkfifo(entry)
    assert _served() is None  # O_NONBLOCK + fstat: never blocks on the FIFO
    assert load(None).kb.agents


def test_a_symlink_to_dev_zero_is_a_miss(_cache_dir: Path) -> None:
    entry = _warm(_cache_dir)
    entry.unlink()
    entry.symlink_to("/dev/zero")
    assert _served() is None
    assert _answered()


def test_a_symlink_to_a_good_entry_is_a_miss(_cache_dir: Path, tmp_path: Path) -> None:
    entry = _warm(_cache_dir)
    elsewhere = tmp_path / "elsewhere"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert _served() is None


def test_an_entry_over_the_size_cap_is_a_miss(_cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = _warm(_cache_dir)
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", entry.stat().st_size - 1)
    assert _served() is None
    assert _answered()


# --- reading: only what this user's osteo wrote, from these bytes --------------------


def test_a_tampered_entry_is_never_served(_cache_dir: Path) -> None:
    """The reliability review's D1, on an entry (the rows' own is below)."""
    entry = _warm(_cache_dir)
    raw = entry.read_bytes()
    assert b'"denosumab"' in raw
    entry.write_bytes(raw.replace(b'"denosumab"', b'"denosumax"'))
    assert _served() is None
    assert _answered()


def test_an_entry_signed_with_another_key_is_a_miss(_cache_dir: Path) -> None:
    _warm(_cache_dir)
    (_cache_dir / cache.KEY_NAME).write_bytes(os.urandom(cache.DIGEST))
    assert _served() is None
    assert _answered()


def test_a_key_others_can_read_is_not_used(_cache_dir: Path) -> None:
    _warm(_cache_dir)
    (_cache_dir / cache.KEY_NAME).chmod(0o644)
    assert _served() is None


def test_an_entry_compiled_from_other_bytes_is_a_miss(_cache_dir: Path) -> None:
    """Stored under the key of other content (D3's race, or a renamed file)."""
    entry = _warm(_cache_dir)
    other = DATA + b"\n# edited\n"
    entry.rename(_entry(_cache_dir, data=other))
    assert cache.get_json("names", other) is None


def test_the_key_covers_the_file_bytes_and_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    assert {"knowledge/models.py", "queries/names.py", "queries/search.py", "knowledge/cache.py"} <= set(cache.CODE)
    before = cache._name("rows", DATA)
    assert before != cache._name("rows", DATA + b" ")
    monkeypatch.setattr(cache, "_code_digest", lambda: b"\1" * 32)
    assert cache._name("rows", DATA) != before


def test_a_directory_others_can_write_is_not_used(_cache_dir: Path) -> None:
    _warm(_cache_dir)
    _cache_dir.chmod(0o777)
    try:
        assert _served() is None
        cache.put_json("names", b"x", ["a"])
        assert not _entry(_cache_dir, "names", b"x").exists()
    finally:
        _cache_dir.chmod(0o700)


def test_the_cache_directory_is_private_when_made(_cache_dir: Path) -> None:
    _warm(_cache_dir)
    assert _cache_dir.stat().st_mode & 0o777 == 0o700
    assert (_cache_dir / cache.KEY_NAME).stat().st_mode & 0o777 == 0o600


# --- reading: the shape of what was signed (the hostile cache corpus) ------------------


def _sign(_cache_dir: Path, payload: bytes) -> None:
    """Store `payload` as the shipped file's entry, as if by osteo itself: so only the
    shape checks stand between it and a command."""
    cache.put_bytes("names", DATA, payload)


@pytest.mark.parametrize("name", sorted(p.name for p in HOSTILE.glob("*.json")))
def test_hostile_cache_files_are_misses(name: str, _cache_dir: Path) -> None:
    _sign(_cache_dir, (HOSTILE / name).read_bytes())
    assert _answered()
    assert _served() == NAMES  # the hostile entry was a miss, and was replaced


def _drug_name_is_a_number(row: dict[str, Any]) -> None:
    row["name"] = 5


def _unknown_field(row: dict[str, Any]) -> None:
    row["surprise"] = 1


def _missing_field(row: dict[str, Any]) -> None:
    del row["dosing"]


def _list_for_a_record(row: dict[str, Any]) -> None:
    row["dosing"] = []


def _literal_out_of_range(row: dict[str, Any]) -> None:
    row["category"] = "rumour"


def _bool_for_a_string(head: dict[str, Any]) -> None:
    head["fields"]["kb_version"] = True


def _not_a_date(head: dict[str, Any]) -> None:
    head["fields"]["last_reviewed"] = "yesterday"


def _list_for_a_head_record(head: dict[str, Any]) -> None:
    head["fields"]["bone_density"] = []


ROW_MUTATIONS: list[Callable[[dict[str, Any]], None]] = [
    _drug_name_is_a_number,
    _unknown_field,
    _missing_field,
    _list_for_a_record,
    _literal_out_of_range,
]
HEAD_MUTATIONS: list[Callable[[dict[str, Any]], None]] = [_bool_for_a_string, _not_a_date, _list_for_a_head_record]


def _signed_again(folder: Path, entry: Path) -> tuple[bytes, str, bytes]:
    """What signs a row of `entry` as this user's osteo would: its key, name and source."""
    return (folder / cache.KEY_NAME).read_bytes(), entry.name, cache.digest(DATA)


def _rewrite_row(folder: Path, entry: Path, section: str, pos: int, mutate: Callable[[Any], None]) -> None:
    import sqlite3

    db = sqlite3.connect(entry)
    try:
        ((text,),) = db.execute("SELECT v FROM entries WHERE section = ? AND pos = ?", (section, pos)).fetchall()
        value = json.loads(text)
        mutate(value)
        new = json.dumps(value, separators=(",", ":")).encode()
        mac = cache._row_mac(*_signed_again(folder, entry), section, pos, new)
        db.execute("UPDATE entries SET v = ?, mac = ? WHERE section = ? AND pos = ?", (new, mac, section, pos))
        db.commit()
    finally:
        db.close()


def _rewrite_head(folder: Path, entry: Path, mutate: Callable[[Any], None]) -> None:
    import sqlite3

    db = sqlite3.connect(entry)
    try:
        ((text,),) = db.execute("SELECT v FROM head WHERE k = 'head'").fetchall()
        value = json.loads(text)
        mutate(value)
        new = json.dumps(value, separators=(",", ":")).encode()
        key, name, source = _signed_again(folder, entry)
        db.execute(
            "UPDATE head SET v = ?, mac = ? WHERE k = 'head'", (new, cache._mac(key, name, source, b"head\0" + new))
        )
        db.commit()
    finally:
        db.close()


@pytest.mark.parametrize("mutate", ROW_MUTATIONS, ids=lambda f: f.__name__.strip("_"))
def test_signed_rows_of_the_wrong_shape_are_answered_from_the_file(
    mutate: Callable[[dict[str, Any]], None], _cache_dir: Path
) -> None:
    """Only this user's osteo can sign a row, so this is a bug's row, not an attacker's:
    it is still checked as it is revived, and the file answers."""
    entry = _rows(_cache_dir)
    _rewrite_row(_cache_dir, entry, "agents", 0, mutate)
    kb = load(None).kb
    assert kb.agent("alendronate").name == "Alendronate"
    assert kb.agents[0].dosing.sources  # rebuilt from the file


@pytest.mark.parametrize("mutate", HEAD_MUTATIONS, ids=lambda f: f.__name__.strip("_"))
def test_a_signed_header_of_the_wrong_shape_is_a_miss(
    mutate: Callable[[dict[str, Any]], None], _cache_dir: Path
) -> None:
    from osteo_cli.knowledge.compiled import CompiledKnowledgeBase

    entry = _rows(_cache_dir)
    _rewrite_head(_cache_dir, entry, mutate)
    assert cache.open_rows(DATA) is not None  # signed: only its shape is wrong
    kb = load(None).kb
    assert not isinstance(kb, CompiledKnowledgeBase)
    assert kb.kb_version == parse(DATA)[0].kb_version  # type: ignore[union-attr]


def test_the_rows_signed_again_unchanged_are_served(_cache_dir: Path) -> None:
    """The rewriting above signs as osteo does: without a change, the rows are a hit."""
    from osteo_cli.knowledge.compiled import CompiledKnowledgeBase

    entry = _rows(_cache_dir)
    _rewrite_row(_cache_dir, entry, "agents", 0, lambda row: None)
    _rewrite_head(_cache_dir, entry, lambda head: None)
    kb = load(None).kb
    assert isinstance(kb, CompiledKnowledgeBase)
    assert kb.agents[0].name == "Alendronate" and not kb._full


def test_a_signed_search_index_that_is_not_a_database_is_rebuilt(_cache_dir: Path) -> None:
    cache.put_database("search", DATA, b"SQLite format 3\0 but not really")
    index = knowledge.search_index(None)
    assert index.db is not None and index.kb_version


# --- kb validate reads the file, never the cache -------------------------------------


def test_kb_validate_never_reads_the_cache(_cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = DATA.replace(b"      route: oral\n", b"      route: 1\n", 1)
    path = tmp_path / "kb.yaml"
    path.write_bytes(broken)
    kb, _ = parse(DATA)
    assert kb is not None
    knowledge.store_rows(broken, kb)  # a valid knowledge base stored under the broken file's key
    assert cache.open_rows(broken) is not None
    assert any(p.severity == "error" for p in check(path))

    def no_cache(*args: object) -> None:
        raise AssertionError("kb validate read the cache")

    monkeypatch.setattr(cache, "open_rows", no_cache)
    assert not [p for p in check(SHIPPED) if p.severity == "error"]


# --- where the cache lives ----------------------------------------------------------


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OSTEO_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", ".cache")
    assert cache.cache_dir() == tmp_path / ".cache" / "osteo"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "osteo"


@pytest.mark.parametrize("home", ["", "relative/home", "/"])
def test_no_usable_home_means_no_cache(home: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OSTEO_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", home)
    assert cache.cache_dir() is None
    assert load(None).kb.agents


# --- writing: atomic, cleaned up, bounded -------------------------------------------


def test_sigterm_during_a_write_leaves_nothing_behind(_cache_dir: Path, tmp_path: Path) -> None:
    """A real process, stopped by SIGTERM while its temp file is open."""
    script = tmp_path / "slow_write.py"
    script.write_text(
        "import os, sys, time\n"
        "from osteo_cli.knowledge import cache\n"
        "real = os.fdopen\n"
        "class Slow:\n"
        "    def __init__(self, f): self.f = f\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *a): self.f.close()\n"
        "    def write(self, data):\n"
        "        self.f.write(data[:10]); self.f.flush(); print('writing', flush=True); time.sleep(60)\n"
        "os.fdopen = lambda fd, mode: Slow(real(fd, mode))\n"
        "cache.put_bytes('kb', b'x', b'payload' * 1000)\n",
        encoding="utf-8",
    )
    env = {**os.environ, "OSTEO_CACHE_DIR": str(_cache_dir), "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None and child.stdout.readline() == "writing\n"
    assert list(_cache_dir.glob(".tmp-*"))
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 128 + signal.SIGTERM
    assert not list(_cache_dir.glob(".tmp-*"))
    assert not list(_cache_dir.glob("kb-*"))


def test_temp_files_of_dead_processes_are_removed_later(_cache_dir: Path) -> None:
    _warm(_cache_dir)
    dead = _cache_dir / ".tmp-999999999-abc"  # above any pid_max
    old = _cache_dir / f".tmp-{os.getpid()}-old"
    live = _cache_dir / f".tmp-{os.getpid()}-live"
    for path in (dead, old, live):
        path.write_bytes(b"half")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    cache.put_json("names", b"other", ["x"])
    assert not dead.exists() and not old.exists() and live.exists()


def test_old_and_surplus_entries_are_evicted(_cache_dir: Path) -> None:
    _warm(_cache_dir)
    now = time.time()
    for i in range(cache.MAX_ENTRIES + 5):
        path = _cache_dir / f"kb-{i:064x}"
        path.write_bytes(b"x")
        os.utime(path, (now - 3600 - i, now - 3600 - i))
    ancient = _cache_dir / f"names-{'f' * 64}"
    ancient.write_bytes(b"x")
    os.utime(ancient, (now - 40 * 86400, now - 40 * 86400))
    cache.put_json("names", b"fresh", ["x"])
    entries = [p for p in _cache_dir.iterdir() if p.name != cache.KEY_NAME]
    assert len(entries) == cache.MAX_ENTRIES
    assert not ancient.exists()
    assert (_cache_dir / cache.KEY_NAME).exists()
    assert cache.get_json("names", b"fresh") == ["x"]  # the newest is kept


def test_a_search_marks_its_index_and_its_digest_used(_cache_dir: Path) -> None:
    """Both, or eviction would part them and the next search would rebuild the index."""
    knowledge.search_index(None)
    entries = [_entry(_cache_dir, "search"), _entry(_cache_dir, "search-digest")]
    week_ago = time.time() - 7 * 86400
    for entry in entries:
        os.utime(entry, (week_ago, week_ago))
    assert knowledge.search_index(None).db is not None
    assert all(entry.stat().st_mtime > week_ago + 86400 for entry in entries)


def test_a_hit_marks_the_entry_used(_cache_dir: Path) -> None:
    entry = _warm(_cache_dir)
    week_ago = time.time() - 7 * 86400
    os.utime(entry, (week_ago, week_ago))
    assert _served() is not None
    assert entry.stat().st_mtime > week_ago + 86400


def test_search_index_is_built_from_one_read_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _cache_dir: Path
) -> None:
    """D3: what is stored under a file's key was compiled from exactly those bytes."""
    reads: list[Path] = []
    real = knowledge.read_bytes

    def counting(path: Path) -> bytes:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(knowledge, "read_bytes", counting)
    knowledge.search_index(None)
    assert len(reads) == 1
    reads.clear()
    knowledge.completion_names(None)
    assert len(reads) == 1


# --- the compiled rows: one SQLite row per entry, each checked when it is read ----------


def _rows(folder: Path) -> Path:
    load(None)
    entry = _entry(folder, "rows")
    assert entry.is_file()
    return entry


def _sql(entry: Path, statement: str, *args: Any) -> None:
    import sqlite3

    db = sqlite3.connect(entry)
    try:
        db.execute(statement, args)
        db.commit()
    finally:
        db.close()


def _stop_denosumab(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "osteo_cli", "sequence", "denosumab:2y", "stop"],
        capture_output=True,
        text=True,
        env={**os.environ, "OSTEO_CACHE_DIR": str(folder)},
        check=False,
    )


def test_a_warm_load_reads_rows_and_revives_only_what_it_is_asked(_cache_dir: Path) -> None:
    from osteo_cli.knowledge.compiled import CompiledKnowledgeBase

    _rows(_cache_dir)
    kb = load(None).kb
    assert isinstance(kb, CompiledKnowledgeBase)
    assert kb.agent("denosumab").name == "Denosumab"
    assert kb.agent("denosumab") is kb.agent("denosumab")
    assert list(kb._revived) == [("agents", [a.id for a in parse(DATA)[0].agents].index("denosumab"))]  # type: ignore[union-attr]
    assert kb.agent("denosumab") in kb.agents  # the same object however it is reached
    assert len(kb._revived) == len(kb.agents)


def test_the_rows_hold_what_the_file_says(_cache_dir: Path) -> None:
    _rows(_cache_dir)
    compiled, parsed = load(None).kb, parse(DATA)[0]
    assert parsed is not None
    import dataclasses

    assert dataclasses.asdict(parsed) == {f.name: _plain(getattr(compiled, f.name)) for f in dataclasses.fields(parsed)}
    for agent in parsed.agents:
        assert [a.id for a in compiled.members(agent.family)] == [a.id for a in parsed.members(agent.family)]
        if agent.duration.limit is not None:
            group = agent.duration.limit.group
            assert [a.id for a in compiled.sharing_limit(group)] == [a.id for a in parsed.sharing_limit(group)]


def _plain(value: Any) -> Any:
    import dataclasses

    if isinstance(value, list):
        return [_plain(v) for v in value]
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) and not isinstance(value, type) else value


def test_a_tampered_row_is_never_served(_cache_dir: Path) -> None:
    """D1 again, in the rows: the row fails its HMAC and the file answers."""
    entry = _rows(_cache_dir)
    _sql(entry, "UPDATE entries SET v = replace(v, '\"must_be_followed\":true', '\"must_be_followed\":false')")
    assert cache.open_rows(DATA) is not None  # the header holds; the row is checked when read
    kb = load(None).kb
    assert kb.agent("denosumab").stopping.must_be_followed
    assert _stop_denosumab(_cache_dir).returncode == 1


def test_a_row_moved_to_another_place_is_never_served(_cache_dir: Path) -> None:
    entry = _rows(_cache_dir)
    _sql(entry, "UPDATE entries SET pos = -1 WHERE section = 'agents' AND pos = 0")
    _sql(entry, "UPDATE entries SET pos = 0 WHERE section = 'agents' AND pos = 1")
    _sql(entry, "UPDATE entries SET pos = 1 WHERE section = 'agents' AND pos = -1")
    kb = load(None).kb
    assert [a.id for a in kb.agents] == [a.id for a in parse(DATA)[0].agents]  # type: ignore[union-attr]


def test_a_removed_row_or_name_or_a_tampered_header_is_a_miss(_cache_dir: Path) -> None:
    entry = _rows(_cache_dir)
    pristine = entry.read_bytes()
    for statement in (
        "DELETE FROM entries WHERE section = 'agents' AND id = 'denosumab'",
        "DELETE FROM names WHERE norm = 'prolia'",
        'UPDATE head SET v = replace(v, \'"kb_version":"\', \'"kb_version":"9\')',
        "DROP TABLE names",
    ):
        entry.write_bytes(pristine)
        _sql(entry, statement)
        assert cache.open_rows(DATA) is None, statement
        assert load(None).kb.agent("denosumab").name == "Denosumab"


def test_a_tampered_name_resolves_from_the_entries(_cache_dir: Path) -> None:
    from osteo_cli.queries.names import resolve

    entry = _rows(_cache_dir)
    _sql(entry, "UPDATE names SET v = replace(v, 'denosumab', 'romosozumab') WHERE norm = 'prolia'")
    assert resolve(load(None).kb, "Prolia").entry.id == "denosumab"


def test_rows_of_other_bytes_a_symlink_or_a_fifo_are_a_miss(_cache_dir: Path, tmp_path: Path) -> None:
    entry = _rows(_cache_dir)
    other = DATA + b"\n# edited\n"
    entry.rename(_entry(_cache_dir, "rows", other))
    assert cache.open_rows(other) is None
    assert cache.open_rows(DATA) is None
    _entry(_cache_dir, "rows", other).rename(tmp_path / "elsewhere")
    entry.symlink_to(tmp_path / "elsewhere")
    assert cache.open_rows(DATA) is None
    entry.unlink()
    os.mkfifo(entry)
    assert cache.open_rows(DATA) is None
    assert load(None).kb.agents


def test_rows_signed_with_another_key_or_not_sqlite_are_a_miss(_cache_dir: Path) -> None:
    entry = _rows(_cache_dir)
    (_cache_dir / cache.KEY_NAME).write_bytes(os.urandom(cache.DIGEST))
    assert cache.open_rows(DATA) is None
    entry.write_bytes(b"SQLite format 3\0" + b"\xff" * 4096)
    assert cache.open_rows(DATA) is None
    assert load(None).kb.agents


# --- summary rows: what `drugs list` shows, without reviving whole agents ----------------


def _listed_outputs(kb: Any) -> list[Any]:
    """Every category's list, its table document and its JSON, from `kb`."""
    from osteo_cli.queries.drugs import agents_in
    from osteo_cli.views.drugs import agent_list, agent_list_json

    loaded = knowledge.Loaded(kb, SHIPPED, False)
    out: list[Any] = []
    for category in (None, "antiresorptive", "anabolic", "both"):
        agents = agents_in(kb, category)
        out += [agents, agent_list(loaded, agents), agent_list_json(loaded, agents)]
    return [repr(item) for item in out]  # records compare by identity; their repr is every field


def test_drugs_list_from_summary_rows_is_what_the_entries_give(_cache_dir: Path) -> None:
    from osteo_cli.knowledge.compiled import CompiledKnowledgeBase

    _rows(_cache_dir)
    kb = load(None).kb
    assert isinstance(kb, CompiledKnowledgeBase)
    from_rows = _listed_outputs(kb)
    assert not kb._revived  # read from the summary rows: no agent was revived
    assert from_rows == _listed_outputs(parse(DATA)[0])


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE entries SET v = replace(v, 'Denosumab', 'Denosumab, forged') WHERE section = 'summary:drugs-list'",
        "UPDATE entries SET v = replace(v, '\"anabolic\"', '\"antiresorptive\"') WHERE section = 'summary:drugs-list'",
        "UPDATE entries SET pos = pos + 1000 WHERE section = 'summary:drugs-list' AND pos = 0",
    ],
)
def test_a_tampered_summary_row_is_never_served(_cache_dir: Path, statement: str) -> None:
    entry = _rows(_cache_dir)
    _sql(entry, statement)
    kb = load(None).kb
    assert kb.summary("drugs-list") is None  # type: ignore[attr-defined]
    assert _listed_outputs(kb) == _listed_outputs(parse(DATA)[0])


def test_a_summary_row_of_another_shape_is_a_miss(_cache_dir: Path) -> None:
    """Signed but not what a list row holds (an older osteo's shape): the entries answer."""
    from osteo_cli.queries.drugs import LISTED_ROWS, listed_rows

    parsed = parse(DATA)[0]
    assert parsed is not None
    rows = listed_rows(parsed)
    rows[0] = {**rows[0], "category": "neither"}
    from osteo_cli.queries.names import stored_names

    cache.put_rows(DATA, parsed, stored_names(parsed), {LISTED_ROWS: rows})
    assert _listed_outputs(load(None).kb) == _listed_outputs(parsed)


def test_a_removed_or_added_summary_row_is_a_miss(_cache_dir: Path) -> None:
    entry = _rows(_cache_dir)
    pristine = entry.read_bytes()
    for statement in (
        "DELETE FROM entries WHERE section = 'summary:drugs-list' AND pos = 3",
        "INSERT INTO entries SELECT 'summary:other', pos, id, v, mac FROM entries WHERE section = 'agents'",
    ):
        entry.write_bytes(pristine)
        _sql(entry, statement)
        assert cache.open_rows(DATA) is None, statement
        assert _listed_outputs(load(None).kb) == _listed_outputs(parse(DATA)[0])


# --- the search index: an SQLite file opened in place, once its bytes match -------------


def _search_db(folder: Path) -> Path:
    knowledge.search_index(None)
    entry = _entry(folder, "search")
    assert entry.is_file() and _entry(folder, "search-digest").is_file()
    return entry


def _opened_file(index: Any) -> str:
    """The file the index's database was opened from (not the entry when built in memory)."""
    return str(index.db.execute("PRAGMA database_list").fetchall()[0][2])


def test_a_warm_search_opens_the_stored_index_in_place(_cache_dir: Path) -> None:
    entry = _search_db(_cache_dir)
    index = knowledge.search_index(None)
    assert _opened_file(index) == str(entry)  # no copy in memory
    assert [h.title for h in finder_search(index, ["rebound"])]


def finder_search(index: Any, words: list[str]) -> list[Any]:
    from osteo_cli.queries import search as finder

    return finder.search(index, words)


def test_a_search_index_altered_after_it_was_written_is_rebuilt(_cache_dir: Path) -> None:
    entry = _search_db(_cache_dir)
    expected = finder_search(knowledge.search_index(None), ["rebound"])
    _sql(entry, "UPDATE entries SET title = 'Forged: stop nothing'")
    index = knowledge.search_index(None)
    assert _opened_file(index) != str(entry)  # the stored file failed its digest: rebuilt in memory
    assert finder_search(index, ["rebound"]) == expected
    assert _opened_file(knowledge.search_index(None)) == str(entry)  # and stored again


def test_a_search_index_without_its_digest_or_not_a_regular_file_is_a_miss(_cache_dir: Path, tmp_path: Path) -> None:
    entry = _search_db(_cache_dir)
    expected = finder_search(knowledge.search_index(None), ["rebound"])
    _entry(_cache_dir, "search-digest").unlink()
    assert cache.open_database("search", DATA) is None
    assert finder_search(knowledge.search_index(None), ["rebound"]) == expected
    entry.rename(tmp_path / "elsewhere")
    entry.symlink_to(tmp_path / "elsewhere")
    assert cache.open_database("search", DATA) is None
    entry.unlink()
    os.mkfifo(entry)
    assert cache.open_database("search", DATA) is None
    assert finder_search(knowledge.search_index(None), ["rebound"]) == expected


def test_a_search_digest_signed_with_another_key_is_a_miss(_cache_dir: Path) -> None:
    _search_db(_cache_dir)
    (_cache_dir / cache.KEY_NAME).write_bytes(os.urandom(cache.DIGEST))
    assert cache.open_database("search", DATA) is None
