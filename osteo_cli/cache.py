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
import types
import typing
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from osteo_cli import __version__

if TYPE_CHECKING:
    from osteo_cli.models import KnowledgeBase

# The key covers the models' source as well as osteo's version, so a change to the schema
# during development never revives a stale cache entry. Reading a file is cheaper than
# importing the models, which shell completion never needs.
_MODELS = Path(__file__).with_name("models.py")


def cache_dir() -> Path | None:
    """`$OSTEO_CACHE_DIR`, else the XDG cache directory; None when `OSTEO_NO_CACHE` is set."""
    if os.environ.get("OSTEO_NO_CACHE"):
        return None
    if override := os.environ.get("OSTEO_CACHE_DIR"):
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "osteo"


def _path(kind: str, content: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        # The models shape the validated form and search.py the index: a change to either
        # is a new key, so an old entry is never served under new code.
        code = [path.read_bytes() for path in (_MODELS, _MODELS.with_name("search.py"))]
    except OSError:
        return None
    digest = hashlib.sha256(b"\0".join([__version__.encode(), *code, content])).hexdigest()
    return folder / f"{kind}-{digest}.json"


def _read(path: Path | None) -> Any:
    """Parsed JSON from the cache, or None when there is none or it is unreadable."""
    if path is None:
        return None
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _write(path: Path | None, text: str) -> None:
    """Write whole or not at all (temp file + os.replace); a failed write is only skipped."""
    if path is None:
        return
    import tempfile  # only a cache miss writes: keep it off the start-up path

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return  # a read-only or full disk: run without the cache


def get(data: bytes) -> KnowledgeBase | None:
    """The validated knowledge base for these file bytes, if cached and readable."""
    raw = _read(_path("kb", data))
    if raw is None:
        return None
    from osteo_cli.models import KnowledgeBase

    try:
        kb: KnowledgeBase = revive(KnowledgeBase, raw)
    except Exception:  # noqa: BLE001 - JSON of another shape is simply rebuilt
        return None
    return kb


def put(data: bytes, kb: KnowledgeBase) -> None:
    """Store the validated `kb` for these file bytes."""
    text = json.dumps(dataclasses.asdict(kb), default=dt.date.isoformat, separators=(",", ":"))
    _write(_path("kb", data), text)


def get_derived(kind: str, data: bytes) -> Any:
    """Something derived from the knowledge base with these bytes (completion names, a
    search index), if cached; None otherwise. The caller checks its shape."""
    return _read(_path(kind, data))


def put_derived(kind: str, data: bytes, value: Any) -> None:
    _write(_path(kind, data), json.dumps(value, separators=(",", ":")))


def get_schema() -> dict[str, Any] | None:
    """The knowledge base's JSON Schema, cached per osteo version (it is derived from the code)."""
    schema = _read(_path("schema", b""))
    return schema if isinstance(schema, dict) else None


def put_schema(schema: dict[str, Any]) -> None:
    _write(_path("schema", b""), json.dumps(schema))


def revive(tp: Any, value: Any) -> Any:
    """Rebuild dataclasses from JSON that was dumped from them (trusted: validated before)."""
    reviver = _reviver(tp)
    return value if reviver is None else reviver(value)


@cache
def _reviver(tp: Any) -> Callable[[Any], Any] | None:
    """A function that turns JSON for `tp` back into `tp`, or None where JSON is `tp` already.

    Built once per type, so reviving a large knowledge base makes no per-value type checks
    and leaves strings, numbers and booleans (most of the data) untouched.
    """
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        converters = {name: f for name, hint in hints.items() if (f := _reviver(hint)) is not None}

        def build(value: dict[str, Any]) -> Any:
            for name, convert in converters.items():
                if name in value:
                    value[name] = convert(value[name])
            return tp(**value)

        return build
    origin = typing.get_origin(tp)
    if origin is list:
        item = _reviver(typing.get_args(tp)[0])
        return None if item is None else (lambda values: [item(v) for v in values])
    if origin in (typing.Union, types.UnionType):
        (inner_type,) = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        inner = _reviver(inner_type)
        return None if inner is None else (lambda v: None if v is None else inner(v))
    if tp is dt.date:
        return dt.date.fromisoformat
    return None  # str, int, bool and Literal values are stored as themselves
