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

from osteo_cli.knowledge import models
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


_STR = _exact(str)


def _number(value: Any) -> Any:
    if type(value) not in (int, float):
        raise TypeError("expected a number")
    return value


@cache
def _hint(annotation: Any) -> Any:
    """A field's type from its annotation. The models' annotations are strings (`from
    __future__ import annotations`), evaluated in the models' namespace as
    `typing.get_type_hints` would, but once per distinct string: 323 fields share 116,
    and evaluating each field's apart was a quarter of a warm command's loading."""
    return eval(annotation, vars(models)) if isinstance(annotation, str) else annotation


@cache
def _reviver(tp: Any) -> Callable[[Any], Any]:
    """A function that checks JSON for `tp` and turns it back into `tp`, built once per type."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        # `dump` writes every field, so a record is an object with exactly its fields. Strings,
        # most of the values, are checked here rather than by a call each.
        fields = [(f.name, _reviver(_hint(f.type))) for f in dataclasses.fields(tp)]
        plain = [(name, None if convert is _STR else convert) for name, convert in fields]
        names = {name for name, _ in fields}
        new, assign = object.__new__, object.__setattr__

        def build(value: Any) -> Any:
            if type(value) is not dict or value.keys() != names:
                raise TypeError(f"expected {tp.__name__}")
            record = new(tp)
            for name, convert in plain:
                item = value[name]
                if convert is not None:
                    item = convert(item)
                elif type(item) is not str:
                    raise TypeError("expected str")
                assign(record, name, item)
            return record

        return build
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:  # the constraints were checked when the file was validated
        return _reviver(typing.get_args(tp)[0])
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
    if tp is str:
        return _STR
    if tp in (int, bool):
        return _exact(tp)
    raise TypeError(f"no reviver for {tp!r}")
