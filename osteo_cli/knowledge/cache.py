"""The cache: what osteo compiled from a file, kept as pip and git keep theirs.

Entries are named by content: `<kind>-<sha256 of the source bytes and of osteo's code that
builds the entry>.<ext>` (`entry_name`). The code is every module of `knowledge/` (the
layer that reads and validates a file: it imports nothing above it, a test holds that),
osteo's version and errors, and the module that builds the entry (the search index:
`queries/search.py`), read from the files at run time. So an edited file, or an edited
osteo, never meets an old entry. Read back, an entry is checked for shape by its reader;
anything odd is a miss, answered from the file.

Where entries are read from:
- the bundle, `osteo_cli/data/compiled/` (written into the wheel by `hatch_build.py`): package
  data, trusted as the code beside it is, like a `.pyc`; never written or evicted;
- osteo's cache folder: `$OSTEO_CACHE_DIR`, else `<$XDG_CACHE_HOME or ~/.cache>/osteo`.

The folder's rules:
- osteo uses a folder that carries osteo's `CACHEDIR.TAG`, or one it may claim and then
  tags: a folder it creates (mode 0700), an empty one, or the default `.../osteo`, osteo's
  by its name (an older osteo made it without a tag). An `OSTEO_CACHE_DIR` that holds
  anything else without osteo's tag (your home, a project) is never used: nothing is read,
  written or deleted there;
- it is opened once, without following a symlink (`O_NOFOLLOW | O_DIRECTORY`), and must be
  this user's and writable by no one else; every read, write, rename and delete is made
  relative to that descriptor, so the folder checked is the folder used;
- writes are atomic (a temp file, then a rename inside the folder); any failure to write
  (a full disk, a quota, a read-only or size-limited file system) is silent, and the
  answer still comes from the file;
- osteo deletes only names it writes (`OWN`), in that folder: temp files older than
  `STALE_TEMP_SECONDS`, entries unused for `MAX_AGE_DAYS`, and all but the newest
  `MAX_ENTRIES`. Each file is handled on its own, so two processes evicting at once do
  not stop each other;
- `OSTEO_NO_CACHE=1` turns it off, and the bundle with it: every answer comes from the file.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterable
from contextlib import suppress
from functools import cache
from pathlib import Path

# sha256 from CPython's own builtin module where there is one, as the standard library's
# `random` takes sha512: `hashlib` loads OpenSSL, 3.5 MiB of every run's memory for
# hashing a few hundred KiB. The digests are the same.
try:  # a Python built without its own hashes has only OpenSSL's
    if sys.version_info >= (3, 12):
        from _sha2 import sha256
    else:
        from _sha256 import sha256  # type: ignore[import-not-found]
except ImportError:
    from hashlib import sha256

PACKAGE = Path(__file__).resolve().parent.parent  # osteo_cli/
BUNDLE = PACKAGE / "data" / "compiled"
# Every kind of entry, and its file's suffix: the knowledge base, the names completion offers
# (a Tab press reads a list, not the knowledge base), the search index.
KINDS = {"kb": ".json", "names": ".json", "search": ".sqlite"}
OWN = re.compile(r"(?:(?:kb|names)-[0-9a-f]{64}\.json|search-[0-9a-f]{64}\.sqlite|\.tmp-[0-9a-f]{16})")
TAG_NAME = "CACHEDIR.TAG"
TAG = (
    b"Signature: 8a477f597d28d172789f06886806bc55\n"
    b"# This file is a cache directory tag created by osteo.\n"
    b"# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_ENTRIES = 48  # three entries a knowledge-base file: sixteen files
MAX_AGE_DAYS = 30
STALE_TEMP_SECONDS = 600
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
# Where a folder cannot be opened without following a link and then worked in through its
# descriptor (Windows), osteo keeps no cache folder; the bundle is read all the same.
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_DIR_FDS = bool(_DIRECTORY) and {os.open, os.stat, os.unlink, os.rename} <= os.supports_dir_fd


@cache
def code_digest(*builders: Path) -> bytes | None:
    """The sha256 of osteo's code that reads, validates and compiles a file, and of the
    `builders` (the modules that build an entry from it); None when it cannot be read (then
    nothing is cached)."""
    files = [*sorted((PACKAGE / "knowledge").glob("*.py")), PACKAGE / "__init__.py", PACKAGE / "errors.py", *builders]
    digest = sha256()
    try:
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    code: bytes = digest.digest()
    return code


def entry_name(kind: str, source: bytes, builders: Iterable[Path] = ()) -> str | None:
    """The name of the entry of this `kind` for these source bytes, under this code."""
    code = code_digest(*builders)
    if code is None:
        return None
    key = sha256(sha256(source).digest() + code).hexdigest()
    return f"{kind}-{key}{KINDS[kind]}"


def folder() -> tuple[str, bool] | None:
    """osteo's cache folder, and whether it is osteo's by its name (the default one); None
    when the cache is off or there is no absolute home to put it in."""
    if os.environ.get("OSTEO_NO_CACHE"):
        return None
    if given := os.environ.get("OSTEO_CACHE_DIR"):
        return os.path.abspath(given), False
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is invalid and is ignored
        home = os.environ.get("HOME", "")
        if not os.path.isabs(home) or home == "/":
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "osteo"), True


def _open_folder(create: bool) -> int | None:
    """A descriptor of osteo's cache folder (made first, when `create`), or None."""
    where = folder()
    if where is None or not _DIR_FDS:
        return None
    path, by_name = where
    made = False
    try:
        if create:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            with suppress(FileExistsError):
                os.mkdir(path, 0o700)
                made = True
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(fd)
        if info.st_uid == os.geteuid() and not info.st_mode & 0o022:
            if _read_at(fd, TAG_NAME, len(TAG)) == TAG:
                return fd
            ours = made or by_name or (create and _empty(fd))
            if ours and (not create or _write_at(fd, TAG_NAME, TAG)):
                return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _empty(fd: int) -> bool:
    """Whether the folder holds nothing but osteo's own names (a folder osteo made and could
    not tag, on a full disk: claiming it again keeps the cache from staying off for good)."""
    with os.scandir(fd) as listing:
        return all(OWN.fullmatch(item.name) for item in listing)


def read(name: str | None) -> bytes | None:
    """The entry called `name`, from the bundle or osteo's cache folder; None if there is none."""
    if name is None or os.environ.get("OSTEO_NO_CACHE"):
        return None
    data = _read_at(None, os.path.join(BUNDLE, name))
    if data is not None:
        return data
    fd = _open_folder(create=False)
    if fd is None:
        return None
    try:
        data = _read_at(fd, name)
        if data is not None:
            _touch(fd, name)
        return data
    finally:
        os.close(fd)


def write(name: str | None, data: bytes) -> None:
    """Store the entry `name` in osteo's cache folder, whole or not at all; never an error."""
    if name is None or not OWN.fullmatch(name):
        return
    fd = _open_folder(create=True)
    if fd is None:
        return
    try:
        if _write_at(fd, name, data):
            evict(fd)
    finally:
        os.close(fd)


def _read_at(fd: int | None, name: str, limit: int | None = None) -> bytes | None:
    """The bytes of the regular file `name` in the folder `fd` (None: `name` is a path), of at
    most `limit` bytes (MAX_ENTRY_BYTES), opened without following a symlink or blocking on a
    FIFO; None on any doubt."""
    limit = MAX_ENTRY_BYTES if limit is None else limit
    try:
        file = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=fd)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(file)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks, size = [], 0
        while chunk := os.read(file, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return None
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(file)


def _write_at(fd: int, name: str, data: bytes) -> bool:
    """Write `name` in the folder `fd` atomically: a temp file of osteo's, renamed into place."""
    temp = f".tmp-{os.urandom(8).hex()}"
    try:
        out = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600, dir_fd=fd)
        try:
            with open(out, "wb", closefd=True) as handle:
                handle.write(data)
            os.replace(temp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp, dir_fd=fd)
            raise
    except OSError:  # a full disk, a quota, a read-only file system: run without the cache
        return False
    return True


def evict(fd: int, now: float | None = None) -> None:
    """In the folder `fd`, remove osteo's own temp files left by a killed process, its
    entries unused for MAX_AGE_DAYS, and all but its newest MAX_ENTRIES entries."""
    import time

    now = time.time() if now is None else now
    try:
        with os.scandir(fd) as listing:
            names = [item.name for item in listing if OWN.fullmatch(item.name)]
    except OSError:
        return
    entries = []
    for name in names:
        try:  # each on its own: another process may have removed it already
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        age = now - info.st_mtime
        if age > (STALE_TEMP_SECONDS if name.startswith(".tmp-") else MAX_AGE_DAYS * 86400):
            _unlink(fd, name)
        elif not name.startswith(".tmp-"):
            entries.append((info.st_mtime, name))
    entries.sort(reverse=True)
    for _, name in entries[MAX_ENTRIES:]:
        _unlink(fd, name)


def _unlink(fd: int, name: str) -> None:
    with suppress(OSError):
        os.unlink(name, dir_fd=fd)


def _touch(fd: int, name: str) -> None:
    """Mark an entry as used today, so eviction keeps it (at most once a day)."""
    import time

    with suppress(OSError, NotImplementedError):
        if time.time() - os.stat(name, dir_fd=fd, follow_symlinks=False).st_mtime > 86400:
            os.utime(name, dir_fd=fd, follow_symlinks=False)
