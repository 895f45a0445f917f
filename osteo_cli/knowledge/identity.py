"""A file's sha256 known from its status, as git's index knows a file is unchanged.

Every command keys the cache by the sha256 of the knowledge base's bytes; reading and
hashing a file a hundred times the shipped one costs more than the rest of a warm command.
So after osteo has read and hashed a file, it records the file's status (device, inode,
size, and modification and change times to the nanosecond) with the digest, in a signed
cache entry. A later run that finds the same status uses the digest without reading.

Any doubt is a miss, and the file is read and hashed as before:
- the record is a cache entry (this user's key, HMAC-checked; see `cache`);
- every field of the status must match: any write changes the change time, which no
  program can set back;
- git's "racy" rule: a file modified within `RACY_NS` of the moment its record was made
  could have changed again within the same clock tick, so such a record is never trusted
  (the next read makes a new one, which is).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from osteo_cli.knowledge import cache

RACY_NS = 2_000_000_000  # coarser than any file system's timestamps (FAT: 2 s)
KIND = "stat"


def _status(info: os.stat_result) -> list[int]:
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def _key(path: Path) -> bytes:
    return os.fsencode(os.path.abspath(path))


def known(path: Path) -> cache.Digest | None:
    """The sha256 of the file at `path` from its record, when its status is unchanged."""
    try:
        info = os.stat(path)
        payload = cache.get_bytes(KIND, _key(path))
        if payload is None:
            return None
        record: Any = json.loads(payload)
    except (OSError, ValueError, RecursionError):
        return None
    if type(record) is not dict or record.get("status") != _status(info):
        return None
    made, digest = record.get("made_ns"), record.get("sha256")
    if type(made) is not int or type(digest) is not str or len(digest) != 64:
        return None
    if max(info.st_mtime_ns, info.st_ctime_ns) >= made - RACY_NS:
        return None
    try:
        return cache.Digest(bytes.fromhex(digest))
    except ValueError:
        return None


def remember(path: Path, before: os.stat_result, data: bytes) -> None:
    """Record that the file at `path`, with status `before` (taken before `data` was read
    from it), holds `data`; nothing when its status changed while it was read."""
    remember_digest(path, before, cache.digest(data))


def remember_digest(path: Path, before: os.stat_result, digest: bytes) -> None:
    """Record that the file at `path`, with status `before` (taken before it was hashed),
    has this sha256; nothing when its status changed meanwhile."""
    try:
        if _status(os.stat(path)) != _status(before):
            return
    except OSError:
        return
    record = {"status": _status(before), "sha256": digest.hex(), "made_ns": time.time_ns()}
    cache.put_bytes(KIND, _key(path), json.dumps(record).encode())
