"""A cache of compiled knowledge bases, so a command never pays for validation twice.

Validating with pydantic costs more than the rest of a command, so what osteo compiles
from a file (the validated knowledge base as a database of rows, the completion names, the
search index as an SQLite database) is kept in the user's cache directory, keyed by the
sha256 of the file's bytes and of osteo's code that shapes the compiled form.

The cache is untrusted. Every rule below turns a doubt into a miss, never an error:
- the directory is ignored unless it is absolute, owned by this user and writable by no
  one else (a relative `XDG_CACHE_HOME` is ignored, as the XDG spec says; an empty or
  relative `HOME` means no cache);
- an entry is read only from a regular file (`O_NOFOLLOW | O_NONBLOCK`, then `fstat`: no
  FIFO, no symlink to /dev/zero), at most `MAX_ENTRY_BYTES`;
- an entry stores the sha256 of the bytes it was compiled from, and an HMAC over that
  and its payload, under a secret key (`key`, mode 0600) that only this user can read: a
  file crafted by anyone else, or compiled from other bytes, is never served;
- the caller checks the payload's shape and references (`revive` is typed);
- writes are atomic (temp file + `os.replace`); SIGTERM or SIGHUP during a write removes
  the temp file; temp files left by a killed process and entries unused for
  `MAX_AGE_DAYS`, or beyond the newest `MAX_ENTRIES`, are removed by later writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import stat
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from osteo_cli import __version__

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import KnowledgeBase

# The code that shapes what is compiled: a change to any of these is a new key, so an old
# entry is never served under new code. Reading them is cheaper than importing them.
_HERE = Path(__file__).parent.parent  # osteo_cli/
CODE: tuple[str, ...] = ("knowledge/models.py", "queries/names.py", "queries/search.py", "knowledge/cache.py")
CODE += ("knowledge/compiled.py", "queries/drugs.py")  # drugs.py shapes the summary rows of `drugs list`
MAGIC = b"osteo-cache 2\n"
DIGEST = 32  # bytes of a sha256 and of an HMAC-SHA256
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_ENTRIES = 48  # about eight entries a knowledge-base file (rows, search, names, verdicts...): six files
MAX_AGE_DAYS = 30
STALE_TEMP_SECONDS = 600
KEY_NAME = "key"


def cache_dir() -> Path | None:
    """`$OSTEO_CACHE_DIR`, else the XDG cache directory; None when `OSTEO_NO_CACHE` is set,
    or when there is no absolute home to put it in."""
    if os.environ.get("OSTEO_NO_CACHE"):
        return None
    if override := os.environ.get("OSTEO_CACHE_DIR"):
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the spec: a relative path is invalid and is ignored
        home = os.environ.get("HOME", "")
        if not os.path.isabs(home) or home == "/":
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "osteo"


@cache
def _code_digest() -> bytes | None:
    try:
        code = [(_HERE / name).read_bytes() for name in CODE]
    except OSError:
        return None
    return hashlib.sha256(b"\0".join([__version__.encode(), *code])).digest()


def _usable_dir(folder: Path, create: bool) -> bool:
    """The directory exists (or was made), is this user's, and no one else can write to it."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        if not create:
            return False
        try:
            folder.mkdir(parents=True, mode=0o700)
            info = os.stat(folder)
        except OSError:
            return False
    except (OSError, ValueError):
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


def _open_regular(path: Path, limit: int, package: bool = False) -> int | None:
    """A descriptor of this user's regular file (for a bundle, a file of the package's: see
    `_as_safe_as_code`) of at most `limit` bytes, opened without following a symlink or
    blocking on a FIFO; None on any doubt. The caller closes it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        owned = _as_safe_as_code(info) if package else info.st_uid == os.geteuid()
        if stat.S_ISREG(info.st_mode) and info.st_size <= limit and owned:
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _read_regular(path: Path, limit: int, package: bool = False) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes, never following a symlink,
    never blocking on a FIFO; None on any doubt."""
    fd = _open_regular(path, limit, package)
    if fd is None:
        return None
    try:
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return None
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _key(folder: Path, create: bool) -> bytes | None:
    """This user's secret HMAC key for the cache, made on first write."""
    path = folder / KEY_NAME
    key = _read_regular(path, DIGEST)
    if key is not None and len(key) == DIGEST:
        try:
            if not os.lstat(path).st_mode & 0o077:
                return key
        except OSError:
            pass
        return None
    if not create or key is not None:
        return None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except OSError:
        return None
    new = os.urandom(DIGEST)
    try:
        os.write(fd, new)
    finally:
        os.close(fd)
    return new


def _mac(key: bytes, name: str, source: bytes, payload: bytes) -> bytes:
    # hmac.digest: the one-shot C function (the same bytes as hmac.new(...).digest(), a third of the time).
    return hmac.digest(key, b"\0".join([MAGIC, name.encode(), source, payload]), "sha256")


def _name(kind: str, content: bytes) -> tuple[str, bytes] | None:
    """The entry's file name and the sha256 of the content it is compiled from."""
    code = _code_digest()
    if code is None:
        return None
    source = _sha256(content)
    return f"{kind}-{hashlib.sha256(code + source).hexdigest()}", source


class Digest(bytes):
    """The sha256 of a file's bytes, known without the bytes (see `identity`): passed where
    an entry's content goes, it names the same entries as the bytes themselves."""


_last_hashed: tuple[bytes, bytes] | None = None


def digest(content: bytes) -> bytes:
    """The sha256 of `content` (a Digest is its own)."""
    return _sha256(content)


def _sha256(content: bytes) -> bytes:
    """The sha256 of `content`, computed once for the bytes a command read (a knowledge base
    a hundred times the shipped one takes milliseconds to hash; each entry's name needs it).
    Held by identity: the bytes object is kept, so its id cannot be reused by other bytes."""
    global _last_hashed
    if type(content) is Digest:
        return bytes(content)
    if _last_hashed is None or _last_hashed[0] is not content:
        _last_hashed = (content, hashlib.sha256(content).digest())
    return _last_hashed[1]


class _Slot(NamedTuple):
    """Where an entry for `content` lives, and what signs it."""

    folder: Path
    name: str
    source: bytes  # the sha256 of the content
    key: bytes  # this user's HMAC key (the bundle's public one: see BUNDLE)
    package: bool = False  # in the package's bundle, not this user's cache


def _slot(kind: str, content: bytes, create: bool) -> _Slot | None:
    """The entry's slot in a usable cache directory, with this user's key (made first when
    `create`); None when there is no cache to use. While a bundle is built (`bundling`),
    every write goes to the bundle."""
    named = _name(kind, content)
    if _bundling is not None and named is not None and create:
        return _Slot(_bundling, named[0], named[1], _bundle_key())
    folder = cache_dir()
    if folder is None or named is None or not _usable_dir(folder, create=create):
        return None
    key = _key(folder, create=create)
    return None if key is None else _Slot(folder, named[0], named[1], key)


def _slots(kind: str, content: bytes) -> Iterator[_Slot]:
    """Where to read an entry for `content` from: this user's cache, then the bundle."""
    slot = _slot(kind, content, create=False)
    if slot is not None:
        yield slot
    if kind in BUNDLED:
        slot = _bundled(kind, content)
        if slot is not None:
            yield slot


def _same_folder(slot: _Slot, kind: str, content: bytes) -> _Slot | None:
    """The slot of another entry for `content`, in the same folder with the same key."""
    named = _name(kind, content)
    return None if named is None else slot._replace(name=named[0])


def get_bytes(kind: str, content: bytes) -> bytes | None:
    """The payload stored for `content`, if it is there and this user's osteo wrote it
    (or it is in the bundle of this osteo's package)."""
    for slot in _slots(kind, content):
        payload = _get_in(slot)
        if payload is not None:
            if not slot.package:  # a bundle is the package's: never touched
                _touch(slot.folder / slot.name)
            return payload
    return None


def _get_in(slot: _Slot) -> bytes | None:
    folder, name, source, key, package = slot
    raw = _read_regular(folder / name, MAX_ENTRY_BYTES, package)
    if raw is None:
        return None
    head = len(MAGIC)
    stored_source, mac, payload = (
        raw[head : head + DIGEST],
        raw[head + DIGEST : head + 2 * DIGEST],
        raw[head + 2 * DIGEST :],
    )
    if raw[:head] != MAGIC or not hmac.compare_digest(stored_source, source):
        return None
    if not hmac.compare_digest(mac, _mac(key, name, source, payload)):
        return None
    return payload


def put_bytes(kind: str, content: bytes, payload: bytes) -> None:
    """Store `payload` for `content`: whole or not at all; a failed write is only skipped."""
    slot = _slot(kind, content, create=True)
    if slot is None:
        return
    folder, name, source, key, _ = slot
    _write(folder, name, MAGIC + source + _mac(key, name, source, payload) + payload)
    evict(folder)


def _write(folder: Path, name: str, data: bytes) -> None:
    tmp = folder / f".tmp-{os.getpid()}-{os.urandom(6).hex()}"
    try:
        with _removed_on_signal(tmp):
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(tmp, folder / name)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
    except OSError:
        return  # a read-only or full disk: run without the cache


@contextmanager
def _removed_on_signal(tmp: Path) -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP remove the temp file before the process ends."""
    import signal

    def leave(signum: int, frame: object) -> None:
        tmp.unlink(missing_ok=True)
        raise SystemExit(128 + signum)

    previous: dict[signal.Signals, Any] = {}
    try:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            previous[sig] = signal.signal(sig, leave)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no such signal
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def evict(folder: Path, now: float | None = None) -> None:
    """Remove temp files a killed process left, entries unused for MAX_AGE_DAYS, and all
    but the newest MAX_ENTRIES entries."""
    import time

    if folder == _bundling:  # a bundle being built holds only what it is given
        return
    now = time.time() if now is None else now
    entries: list[tuple[float, Path]] = []
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                if item.name == KEY_NAME or not item.is_file(follow_symlinks=False):
                    continue
                mtime = item.stat(follow_symlinks=False).st_mtime
                if item.name.startswith(".tmp-"):
                    if now - mtime > STALE_TEMP_SECONDS or not _alive(item.name):
                        os.unlink(item.path)
                elif now - mtime > MAX_AGE_DAYS * 86400:
                    os.unlink(item.path)
                else:
                    entries.append((mtime, Path(item.path)))
        entries.sort(reverse=True)
        for _, path in entries[MAX_ENTRIES:]:
            path.unlink(missing_ok=True)
    except OSError:
        return


def _alive(temp_name: str) -> bool:
    """Whether the process that named this temp file (`.tmp-<pid>-…`) is still running."""
    try:
        pid = int(temp_name.split("-")[1])
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (ValueError, IndexError):
        return False
    except OSError:
        return True  # another user's process: leave its file
    return True


def _touch(path: Path) -> None:
    """Mark an entry of this user's as used today, so eviction keeps it (at most once a day)."""
    try:
        import time

        if time.time() - os.stat(path, follow_symlinks=False).st_mtime > 86400:
            os.utime(path, follow_symlinks=False)
    except (OSError, NotImplementedError):
        return


# --- The bundle: the shipped knowledge base's compiled form, in the package -------
#
# A wheel carries the entries a first run would write for the shipped file (its rows,
# search index and completion names: `knowledge.bundle`, run by hatch_build.py), so the
# first run after install needs neither YAML nor pydantic. They are read as entries of
# this user's cache are, with two differences, both because they belong to the package:
# - they are trusted for where they are, as osteo's own code is: the folder inside the
#   installed package, which (folder and files) no one can write who cannot also write the
#   code (`_as_safe_as_code`). Their HMAC key is public (derived from the code's digest), so
#   it only proves that the entry was compiled by this code from these bytes, undamaged;
# - they are never written, touched or evicted.
# An edited file has other bytes, so its entries are never in the bundle.

BUNDLE = _HERE / "data" / "compiled"
BUNDLED = ("rows", "search", "search-digest", "names")  # what a bundle holds (nothing keyed by time)
_bundling: Path | None = None  # where `bundle.build` is writing one


def _bundle_key() -> bytes:
    code = _code_digest() or b""
    return hashlib.sha256(b"osteo bundle key\0" + code).digest()


def _bundled(kind: str, content: bytes) -> _Slot | None:
    """The entry's slot in the package's bundle, if there is a bundle to trust (and the
    cache is not off: `OSTEO_NO_CACHE` means every answer comes from the file itself)."""
    named = _name(kind, content)
    if named is None or os.environ.get("OSTEO_NO_CACHE") or not _package_folder(BUNDLE):
        return None
    return _Slot(BUNDLE, named[0], named[1], _bundle_key(), package=True)


def _package_folder(folder: Path) -> bool:
    """A folder of the installed package: a directory no more writable than osteo's code."""
    try:
        info = os.stat(folder)
    except (OSError, ValueError):
        return False
    return stat.S_ISDIR(info.st_mode) and _as_safe_as_code(info)


CODE_FOLDER = _HERE / "knowledge"  # the folder of this module: whoever can write it can change osteo


def _as_safe_as_code(info: os.stat_result) -> bool:
    """Whether no one can write this bundle folder or file who cannot also write osteo's own
    code, so that trusting it trusts no one new: never writable by others; owned by this
    user, root or the code's owner; writable by its group only where the code's folder is
    that group's to write too (as pip installs under umask 002)."""
    try:
        code = os.stat(CODE_FOLDER)
    except (OSError, ValueError):
        return False
    if info.st_mode & 0o002 or info.st_uid not in (os.geteuid(), 0, code.st_uid):
        return False
    return not info.st_mode & 0o020 or (bool(code.st_mode & 0o020) and code.st_gid == info.st_gid)


@contextmanager
def bundling(folder: Path) -> Iterator[None]:
    """Every entry written inside goes to `folder`, signed with the bundle's key."""
    global _bundling
    previous, _bundling = _bundling, folder
    try:
        yield
    finally:
        _bundling = previous


# --- SQLite databases, opened where they are ---------------------------------------
#
# A database read by queries (the search index) is stored as a plain SQLite file, so a
# command opens it in place (read-only, immutable) instead of reading, copying and
# deserializing all of it. Its sha256 is stored in an entry of its own (`<kind>-digest`,
# signed like any entry); the file is hashed in chunks and compared before SQLite opens it,
# so a database that is not byte for byte the one this user's osteo wrote is a miss.


def put_database(kind: str, content: bytes, payload: bytes) -> None:
    """Store the bytes of an SQLite database for `content`, with its signed sha256."""
    slot = _slot(kind, content, create=True)
    if slot is None:
        return
    _write(slot.folder, slot.name, payload)
    put_bytes(kind + "-digest", content, hashlib.sha256(payload).digest())


def _open_sqlite(
    path: Path, check: Callable[[io.BufferedReader, int], bool] | None = None, package: bool = False
) -> Any:
    """A read-only connection to the SQLite file at `path` (this user's regular file, no
    symlink, bounded), once `check(handle, fd)` has passed; None on any doubt. The directory
    is this user's alone (or the package's, for the bundle), so the file checked is the file
    opened, and immutable: no other process changes it (osteo's writes replace a file whole)."""
    import sqlite3

    fd = _open_regular(path, MAX_ENTRY_BYTES, package)
    if fd is None:
        return None
    try:
        with open(fd, "rb", closefd=False) as handle:
            if handle.read(16) != b"SQLite format 3\0" or (check is not None and not check(handle, fd)):
                return None
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    except (OSError, sqlite3.Error, ValueError):
        return None
    finally:
        os.close(fd)
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute("PRAGMA query_only = ON")
    except sqlite3.Error:
        db.close()
        return None
    return db


def open_database(kind: str, content: bytes) -> Any:
    """A read-only connection to the database stored for `content`, once its bytes have
    matched the signed digest; None on any doubt. The caller checks its shape."""

    for slot in _slots(kind, content):
        db = _open_database_in(slot, kind, content)
        if db is not None:
            return db
    return None


def _open_database_in(slot: _Slot, kind: str, content: bytes) -> Any:
    signed = _same_folder(slot, kind + "-digest", content)
    digest = _get_in(signed) if signed is not None else None
    if signed is None or digest is None or len(digest) != DIGEST:
        return None
    path = slot.folder / slot.name
    from osteo_cli.knowledge import identity

    def same_bytes(handle: io.BufferedReader, fd: int) -> bool:
        # Unchanged since it was last hashed (its signed status record), or hashed now,
        # in chunks: a database a hundred times the shipped one is never held in memory.
        if identity.known(path) == digest:
            return True
        before = os.fstat(fd)
        handle.seek(0)
        if not hmac.compare_digest(hashlib.file_digest(handle, "sha256").digest(), digest):
            return False
        identity.remember_digest(path, before, digest)
        return True

    db = _open_sqlite(path, same_bytes, slot.package)
    if db is None:
        return None
    if not slot.package:  # used today: eviction keeps the index and its digest together
        _touch(path)
        _touch(signed.folder / signed.name)
    return db


# --- JSON entries ------------------------------------------------------------------


def get_json(kind: str, content: bytes) -> Any:
    """A JSON entry for `content`, or None. The caller checks its shape."""
    payload = get_bytes(kind, content)
    if payload is None:
        return None
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):
        return None


def put_json(kind: str, content: bytes, value: Any) -> None:
    put_bytes(kind, content, json.dumps(value, separators=(",", ":")).encode())


def dump_records(value: Any) -> bytes:
    """JSON of records (dataclasses), lists, dates and plain values: the bytes of
    `json.dumps(dataclasses.asdict(value), default=dt.date.isoformat)`, compactly, without
    asdict's deep copy of every value (4 of the 8 seconds of a first run at 100x)."""
    return json.dumps(value, default=_jsonable, separators=(",", ":")).encode()


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    if cls not in _FIELD_NAMES:
        _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return _FIELD_NAMES[cls]


def _jsonable(value: Any) -> Any:
    cls = type(value)
    if cls not in _FIELD_NAMES and not dataclasses.is_dataclass(cls):
        return dt.date.isoformat(value)  # a TypeError for anything else, as json.dumps raises
    return {name: getattr(value, name) for name in _field_names(cls)}


# Kept for callers of the older names.
get_derived = get_json
put_derived = put_json


def get_schema() -> dict[str, Any] | None:
    """The knowledge base's JSON Schema, cached per osteo code (it is derived from the code)."""
    schema = get_json("schema", b"")
    return schema if isinstance(schema, dict) else None


def put_schema(schema: dict[str, Any]) -> None:
    put_json("schema", b"", schema)


def revive(tp: Any, value: Any) -> Any:
    """Rebuild dataclasses from JSON that was dumped from them, checking every type:
    a value of another type raises (TypeError or ValueError), which callers treat as a miss."""
    return _reviver(tp)(value)


def reviver(tp: Any) -> Callable[[Any], Any]:
    """`revive` for one type, as a function: for many values, look the type up once."""
    return _reviver(tp)


def _exact(kind: type) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}")
        return value

    return check


def _number(value: Any) -> Any:
    if type(value) not in (int, float):
        raise TypeError("expected a number")
    return value


@cache
def _reviver(tp: Any) -> Callable[[Any], Any]:
    """A function that checks JSON for `tp` and turns it back into `tp`, built once per type."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        converters = {name: _reviver(hint) for name, hint in hints.items()}

        def build(value: Any) -> Any:
            if type(value) is not dict or not converters.keys() >= value.keys():
                raise TypeError(f"expected {tp.__name__}")
            return tp(**{name: converters[name](v) for name, v in value.items()})

        return build
    origin = typing.get_origin(tp)
    if origin is list:
        item = _reviver(typing.get_args(tp)[0])

        def items(values: Any) -> list[Any]:
            if type(values) is not list:
                raise TypeError("expected a list")
            return [item(v) for v in values]

        return items
    if origin in (typing.Union, types.UnionType):
        (inner_type,) = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        inner = _reviver(inner_type)
        return lambda v: None if v is None else inner(v)
    if origin is typing.Literal:
        allowed = typing.get_args(tp)

        def literal(value: Any) -> Any:
            if type(value) not in (str, int) or value not in allowed:
                raise ValueError("not an allowed value")
            return value

        return literal
    if tp is dt.date:
        return lambda v: dt.date.fromisoformat(_exact(str)(v))
    if tp is float:
        return _number
    if tp in (str, int, bool):
        return _exact(tp)
    raise TypeError(f"no reviver for {tp!r}")


# --- the compiled knowledge base: one SQLite row per entry -----------------------------
#
# A command that needs one entry reads one row, so its cost does not grow with the
# knowledge base. The database is an entry like any other (`rows-<key>`, written whole and
# atomically, evicted with the rest), and is as untrusted: it is opened only from a regular
# file of this user's in the checked directory, read-only; its header (the small fields and
# the number of rows of each section) carries an HMAC that is checked on open, with the row
# counts; and every row carries its own HMAC over its section, position and text, checked
# when the row is read, so a row cannot be forged, moved, mixed in from another database or
# removed. A row that fails is reported to the caller (`Rows.entry` returns None), which then
# answers from the file itself.

SECTIONS: tuple[str, ...] = ("sources", "families", "agents", "conditions", "substances", "faq", "lifestyle")
SECTIONS += ("topics", "trials", "guidelines")
HEAD = ("schema_version", "kb_version", "last_reviewed", "bone_density", "intake")


def _row_mac(key: bytes, name: str, source: bytes, section: str, pos: int, text: bytes) -> bytes:
    return _mac(key, name, source, b"\0".join([b"row", section.encode(), str(pos).encode(), text]))


def _tags(section: str, item: Any) -> list[tuple[str, str]]:
    """What rows are looked up by besides their id: an agent's family and limit group."""
    if section != "agents":
        return []
    tags = [("family", item.family)]
    if item.duration.limit is not None:
        tags.append(("group", item.duration.limit.group))
    return tags


SUMMARY = "summary:"  # the section of named summary rows (`Rows.summary`)


def put_rows(
    content: bytes,
    kb: KnowledgeBase,
    names: list[tuple[str, Any]],
    summaries: dict[str, list[Any]] | None = None,
) -> None:
    """Store the validated `kb` for `content` as a database of rows, with `names`
    (normalized name -> the claim that wins it, as JSON) for resolution, and `summaries`
    (rows of JSON by name: what a listing shows, so it need not revive whole entries)."""
    import sqlite3

    slot = _slot("rows", content, create=True)
    if slot is None:
        return
    folder, name, source, key, _ = slot

    def dump(value: Any) -> bytes:
        return json.dumps(value, default=dt.date.isoformat, separators=(",", ":")).encode()

    db = sqlite3.connect(":memory:")
    try:
        db.executescript(
            "CREATE TABLE head (k TEXT PRIMARY KEY, v BLOB, mac BLOB);"
            "CREATE TABLE entries (section TEXT, pos INTEGER, id TEXT, v BLOB, mac BLOB,"
            " PRIMARY KEY (section, pos));"
            "CREATE INDEX entries_id ON entries (section, id, pos);"
            "CREATE TABLE tags (section TEXT, tag TEXT, value TEXT, pos INTEGER);"
            "CREATE INDEX tags_value ON tags (section, tag, value, pos);"
            "CREATE TABLE names (norm TEXT PRIMARY KEY, v BLOB, mac BLOB);"
        )
        counts = {}
        for section in SECTIONS:
            items = getattr(kb, section)
            counts[section] = len(items)
            for pos, item in enumerate(items):
                text = dump_records(item)
                mac = _row_mac(key, name, source, section, pos, text)
                db.execute(
                    "INSERT INTO entries VALUES (?,?,?,?,?)", (section, pos, getattr(item, "id", None), text, mac)
                )
                for tag, value in _tags(section, item):
                    db.execute("INSERT INTO tags VALUES (?,?,?,?)", (section, tag, value, pos))
        for summary, values in (summaries or {}).items():
            section = SUMMARY + summary
            counts[section] = len(values)
            for pos, value in enumerate(values):
                text = dump(value)
                mac = _row_mac(key, name, source, section, pos, text)
                db.execute("INSERT INTO entries VALUES (?,?,?,?,?)", (section, pos, None, text, mac))
        for norm, claim in names:
            text = dump(claim)
            mac = _mac(key, name, source, b"\0".join([b"name", norm.encode(), text]))
            db.execute("INSERT OR IGNORE INTO names VALUES (?,?,?)", (norm, text, mac))
        (counts["names"],) = db.execute("SELECT count(*) FROM names").fetchone()
        head = dump_records({"fields": {f: getattr(kb, f) for f in HEAD}, "counts": counts})
        db.execute("INSERT INTO head VALUES ('head', ?, ?)", (head, _mac(key, name, source, b"head\0" + head)))
        db.commit()
        payload = db.serialize()
    finally:
        db.close()
    _write(folder, name, payload)
    evict(folder)


class Rows:
    """An open, checked database of rows (see `open_rows`). Every read checks its row's HMAC;
    a row that fails, or is missing, is None."""

    def __init__(self, db: Any, key: bytes, name: str, source: bytes, head: dict[str, Any]) -> None:
        self._db, self._key, self._name, self._source = db, key, name, source
        self.head = head

    def _checked(self, section: str, pos: int, text: bytes, mac: bytes) -> Any:
        return self._verified(b"\0".join([b"row", section.encode(), str(pos).encode()]), text, mac)

    def _verified(self, label: bytes, text: Any, mac: Any) -> Any:
        """The JSON of `text` when `mac` signs `label`, then `text`, under this database's key;
        else None. (A row's label is its section and position; a name's, the name.)"""
        if type(text) is not bytes or type(mac) is not bytes:
            return None
        if not hmac.compare_digest(mac, _mac(self._key, self._name, self._source, label + b"\0" + text)):
            return None
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            return None

    def _query(self, sql: str, args: tuple[Any, ...]) -> list[Any] | None:
        import sqlite3

        try:
            return self._db.execute(sql, args).fetchall()  # type: ignore[no-any-return]
        except sqlite3.Error:
            return None

    def count(self, section: str) -> int:
        counts: dict[str, int] = self.head["counts"]
        return counts[section]

    def entry(self, section: str, pos: int) -> Any:
        """The JSON of the entry at `pos` in `section`, or None."""
        rows = self._query("SELECT v, mac FROM entries WHERE section = ? AND pos = ?", (section, pos))
        if not rows:
            return None
        return self._checked(section, pos, *rows[0])

    def section(self, section: str) -> list[Any] | None:
        """The JSON of every entry of `section`, in file order, or None if any fails."""
        import sqlite3

        out = []
        try:  # row by row: a long section's stored text is never all held at once
            rows = self._db.execute("SELECT pos, v, mac FROM entries WHERE section = ? ORDER BY pos", (section,))
            for i, (pos, text, mac) in enumerate(rows):
                value = None if pos != i else self._checked(section, pos, text, mac)
                if value is None:
                    return None
                out.append(value)
        except sqlite3.Error:
            return None
        return out if len(out) == self.count(section) else None

    def summary(self, name: str) -> list[Any] | None:
        """The summary rows stored under `name` (see `put_rows`), or None: not stored, or any fails."""
        return self.section(SUMMARY + name) if SUMMARY + name in self.head["counts"] else None

    def position(self, section: str, entry_id: str) -> int | None:
        """Where the first entry of `section` with this id stands (its row is checked on read)."""
        rows = self._query("SELECT min(pos) FROM entries WHERE section = ? AND id = ?", (section, entry_id))
        return rows[0][0] if rows and type(rows[0][0]) is int else None

    def tagged(self, section: str, tag: str, value: str) -> list[int] | None:
        rows = self._query(
            "SELECT pos FROM tags WHERE section = ? AND tag = ? AND value = ? ORDER BY pos", (section, tag, value)
        )
        if rows is None or any(type(r[0]) is not int for r in rows):
            return None
        return [r[0] for r in rows]

    def name(self, norm: str) -> Any:
        """The claim that wins this normalized name, as JSON; False when no entry claims it;
        None when the row fails its checks."""
        rows = self._query("SELECT v, mac FROM names WHERE norm = ?", (norm,))
        if rows is None:
            return None
        if not rows:
            return False
        text, mac = rows[0]
        return self._verified(b"name\0" + norm.encode(), text, mac)


def open_rows(content: bytes) -> Rows | None:
    """The database of rows stored for `content`, checked as far as opening can (its header's
    HMAC and its row counts), or None on any doubt."""
    for slot in _slots("rows", content):
        rows = _open_rows_in(slot)
        if rows is not None:
            if not slot.package:
                _touch(slot.folder / slot.name)
            return rows
    return None


def _open_rows_in(slot: _Slot) -> Rows | None:
    import sqlite3

    folder, name, source, key, package = slot
    db = _open_sqlite(folder / name, package=package)
    if db is None:
        return None
    try:
        rows = db.execute("SELECT v, mac FROM head WHERE k = 'head'").fetchall()
        if len(rows) != 1 or type(rows[0][0]) is not bytes or type(rows[0][1]) is not bytes:
            raise ValueError
        head_text, mac = rows[0]
        if not hmac.compare_digest(mac, _mac(key, name, source, b"head\0" + head_text)):
            raise ValueError
        head = json.loads(head_text)
        counts = head["counts"]
        found = dict(db.execute("SELECT section, count(*) FROM entries GROUP BY section").fetchall())
        found["names"] = db.execute("SELECT count(*) FROM names").fetchone()[0]
        known = {*SECTIONS, "names"}
        if type(counts) is not dict or not known <= counts.keys() or found.keys() - counts.keys():
            raise ValueError
        if any(s not in known and not s.startswith(SUMMARY) for s in counts):
            raise ValueError
        if any(type(n) is not int or found.get(s, 0) != n for s, n in counts.items()):
            raise ValueError
    except (sqlite3.Error, ValueError, TypeError, KeyError, RecursionError):
        db.close()
        return None
    return Rows(db, key, name, source, head)
