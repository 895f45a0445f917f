"""The compiled form: a validated KnowledgeBase as one plain JSON document, and back.

`dump` writes what pydantic validated (`dataclasses.asdict`, dates as ISO strings).
`restore` reads it back with `json.loads` and builds the records again, checking only
the shape: each value has its field's type (a date is an ISO string, a Literal one of its
values, a record an object with no unknown keys). Constraints and cross-references are not
checked again: the document was written by this code from a file it validated, under a
name that holds the sha256 of both (see `cache`). Anything odd makes `restore` return None,
and the caller answers from the file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any

from osteo_cli.knowledge.models import KnowledgeBase


def dump(kb: KnowledgeBase) -> bytes:
    """The validated knowledge base as compact JSON."""
    return json.dumps(dataclasses.asdict(kb), default=dt.date.isoformat, separators=(",", ":")).encode()


def restore(data: bytes) -> KnowledgeBase | None:
    """The knowledge base `dump` wrote, or None when `data` is not of its shape."""
    try:
        kb: KnowledgeBase = _reviver(KnowledgeBase)(json.loads(data))
    except (ValueError, TypeError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    return kb


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
        converters = {name: _reviver(hint) for name, hint in typing.get_type_hints(tp).items()}

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
