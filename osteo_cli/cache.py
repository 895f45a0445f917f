"""A cache of validated knowledge bases, so a command never pays for validation twice.

Validating with pydantic costs more than the rest of a command, so the validated
form of a file is kept as JSON in the user's cache directory, keyed by a hash of the
file's bytes (never its modification time) and of osteo's version. Reading it back
rebuilds the dataclasses directly. A cache that is missing, corrupt or unwritable is
skipped or rebuilt silently: it can make osteo faster, never make it fail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import tempfile
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any

from osteo_cli import __version__
from osteo_cli.models import SCHEMA_VERSION, KnowledgeBase


def cache_dir() -> Path | None:
    """`$OSTEO_CACHE_DIR`, else the XDG cache directory; None when `OSTEO_NO_CACHE` is set."""
    if os.environ.get("OSTEO_NO_CACHE"):
        return None
    if override := os.environ.get("OSTEO_CACHE_DIR"):
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "osteo"


def _entry(data: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{__version__}/{SCHEMA_VERSION}\0".encode() + data).hexdigest()
    return folder / f"kb-{digest}.json"


def get(data: bytes) -> KnowledgeBase | None:
    """The validated knowledge base for these file bytes, if cached and readable."""
    entry = _entry(data)
    if entry is None:
        return None
    try:
        kb: KnowledgeBase = revive(KnowledgeBase, json.loads(entry.read_bytes()))
        return kb
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        return None


def put(data: bytes, kb: KnowledgeBase) -> None:
    """Store `kb` for these bytes: written whole or not at all (temp file + os.replace)."""
    entry = _entry(data)
    if entry is None:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(dataclasses.asdict(kb), default=dt.date.isoformat, separators=(",", ":"))
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".kb-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return  # a read-only or full disk: run without the cache


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def revive(tp: Any, value: Any) -> Any:
    """Rebuild dataclasses from JSON that was dumped from them (trusted: validated before)."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        return tp(**{name: revive(hints[name], item) for name, item in value.items()})
    origin = typing.get_origin(tp)
    if origin is list:
        (item_type,) = typing.get_args(tp)
        return [revive(item_type, item) for item in value]
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        (inner,) = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        return revive(inner, value)
    if tp is dt.date:
        return dt.date.fromisoformat(value)
    return value  # str, int, bool and Literal values are stored as themselves
