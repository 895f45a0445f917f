"""`kb validate`'s verdict on a file, stored so that validating unchanged bytes again is a
lookup instead of a parse (at a hundred times the shipped size, a parse takes seconds).

The verdict (every problem, warnings included) is a pure function of three things, and its
entry is keyed by all three: the exact bytes (their sha256), the code that decides it (the
bytes of every module of `knowledge/`, `queries/names.py` and osteo's version), and the day
(review dates turn into warnings as days pass). It is a signed cache entry like the others
(this user's key, HMAC-checked), so a file that changes by one byte, an entry written by
anyone else, or a verdict of other code or of another day is never served: any doubt
is a full validation. The knowledge base a validation builds is never read from a cache.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import cache as once
from pathlib import Path
from typing import Any

from osteo_cli import __version__
from osteo_cli.knowledge import cache
from osteo_cli.knowledge.problems import Problem

_HERE = Path(__file__).parent  # osteo_cli/knowledge/


@once
def _code() -> str | None:
    """A digest of the code that decides a verdict; None when it cannot be read."""
    try:
        files = sorted(_HERE.glob("*.py"))
        code = [path.read_bytes() for path in [*files, _HERE.parent / "queries" / "names.py"]]
    except OSError:
        return None
    return hashlib.sha256(b"\0".join([__version__.encode(), *code])).hexdigest()[:32]


def _kind(day: dt.date) -> str | None:
    code = _code()
    return None if code is None else f"verdict-{code}-{day.isoformat()}"


def get(content: bytes, day: dt.date) -> list[Problem] | None:
    """The stored verdict on these bytes (or their Digest) today, or None."""
    kind = _kind(day)
    payload = cache.get_bytes(kind, content) if kind is not None else None
    if payload is None:
        return None
    try:
        stored = json.loads(payload)
        if type(stored) is not list:
            return None
        return [_problem(item) for item in stored]
    except (ValueError, TypeError, RecursionError):
        return None


def put(content: bytes, day: dt.date, problems: list[Problem]) -> None:
    kind = _kind(day)
    if kind is not None:
        cache.put_bytes(kind, content, json.dumps([list(p) for p in problems]).encode())


def _problem(item: Any) -> Problem:
    """A stored problem, every part of the type it must have (else TypeError: a miss)."""
    if type(item) is not list or len(item) != 4:
        raise TypeError("a problem is four fields")
    severity, loc, message, line = item
    if severity not in ("error", "warning") or type(message) is not str or type(loc) is not list:
        raise TypeError("severity, location or message")
    if not all(type(step) in (int, str) for step in loc) or not (line is None or type(line) is int):
        raise TypeError("location or line")
    return Problem(severity, tuple(loc), message, line)
