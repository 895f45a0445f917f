"""The compiled form: a validated KnowledgeBase as JSON lines, and back.

`dump` writes what pydantic validated (as `dataclasses.asdict` would, dates as ISO strings):
- a first line, the CRC-32 of everything after it;
- a line with the fields that are not lists of records, each such section's length and a
  few fields of every record (`models.COLUMNS`: ids, and an agent's family and limit
  group), and every name an entry answers to;
- one line per record, the sections one after another in the order of their fields.
  (Compact JSON escapes every line break inside a string, so each record is one line.)

`restore` checks the CRC-32 and the shape of the second line, and leaves each record to be
built when it is first used (see `records`), checking its shape then: each value has its
field's type (a date is an ISO string, a Literal one of its values, a record an object with
exactly its fields). Constraints and cross-references are not checked again: the document
was written by this code from a file it validated, under a name that holds the sha256 of
both (see `cache`). The CRC-32 is against damage (a disk, a copy cut short), not against
anyone, as a zip file's is: any damaged byte makes `restore` return None, and the caller
answers from the file, so what the ids and names of the second line say is what the
records hold.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
import zlib
from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from osteo_cli.knowledge import names
from osteo_cli.knowledge.models import COLUMNS, KnowledgeBase
from osteo_cli.knowledge.records import Records

AGENT_COLUMNS = ("id", "family", "limit_group")  # other sections keep their ids (see models.COLUMNS)


def _json(value: Any) -> bytes:
    return json.dumps(value, default=dt.date.isoformat, separators=(",", ":")).encode()


def dump(kb: KnowledgeBase) -> bytes:
    """The validated knowledge base as JSON lines."""
    plan = _plan()
    fields = {name: _plain(getattr(kb, name)) for name in plan.fields}
    sections, lines = {}, []
    for name, (_, columns) in plan.sections.items():
        records = getattr(kb, name)
        sections[name] = {"count": len(records), "columns": {c: [COLUMNS[c](r) for r in records] for c in columns}}
        lines += [_json(_plain(record)) for record in records]
    claims = [[c.name, c.how, c.kind, c.id, c.loc] for c in names.claims(kb)]
    body = b"\n".join([_json({"fields": fields, "sections": sections, "claims": claims}), *lines])
    return _crc(body) + b"\n" + body


def _crc(body: bytes) -> bytes:
    # A CRC, not a sha256: it finds any damage a disk or a cut-short copy does, in a
    # sixteenth of the time (the whole entry is checked on every run).
    return b"%08x" % zlib.crc32(body)


def _plain(value: Any) -> Any:
    """`value` as JSON-ready data: what `dataclasses.asdict` gives for records, at a third of
    the cost (it copies every value it meets)."""
    fields = getattr(type(value), "__record_fields__", None)
    if fields is not None:
        return {name: _plain(getattr(value, name)) for name, _, _ in fields}
    if type(value) is list:
        return [_plain(item) for item in value]
    return value


def restore(data: bytes) -> KnowledgeBase | None:
    """The knowledge base `dump` wrote, or None when `data` is not what it wrote."""
    plan = _plan()
    stated, _, body = data.partition(b"\n")
    if stated != _crc(body):
        return None
    try:
        head, *lines = body.split(b"\n")
        header = json.loads(head)
        if type(header) is not dict or header.keys() != {"fields", "sections", "claims"}:
            raise TypeError("expected the first line")
        fields, sections = header["fields"], header["sections"]
        if type(fields) is not dict or fields.keys() != plan.fields.keys():
            raise TypeError("expected the fields")
        if type(sections) is not dict or sections.keys() != plan.sections.keys():
            raise TypeError("expected the sections")
        kb = object.__new__(KnowledgeBase)
        for name, convert in plan.fields.items():
            object.__setattr__(kb, name, convert(fields[name]))
        claims, start = _claims(header["claims"]), 0
        for name, (build, columns) in plan.sections.items():
            count, kept = _section(sections[name], columns)
            object.__setattr__(kb, name, Records(lines[start : start + count], build, kept, claims))
            start += count
        if start != len(lines):
            raise ValueError("more lines than records")
    except (ValueError, TypeError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    return kb


def _section(meta: Any, columns: tuple[str, ...]) -> tuple[int, dict[str, list[str]]]:
    """A section's length and columns, from the first line, checked for shape."""
    if type(meta) is not dict or meta.keys() != {"count", "columns"} or type(meta["count"]) is not int:
        raise TypeError("expected a section")
    count, kept = meta["count"], meta["columns"]
    if count < 0 or type(kept) is not dict or kept.keys() != set(columns):
        raise TypeError("expected a section's columns")
    for values in kept.values():
        if type(values) is not list or len(values) != count or not all(type(v) is str for v in values):
            raise TypeError("expected a column of strings")
    return count, kept


_HOW, _KINDS = set(typing.get_args(names.How)), {"agent", "family"}


def _claims(stored: Any) -> list[names.Claim]:
    """The names entries answer to, from the first line, checked for shape."""
    if type(stored) is not list:
        raise TypeError("expected the names")
    claims = []
    for item in stored:
        if type(item) is not list or len(item) != 5:
            raise TypeError("expected a name")
        name, how, kind, key, loc = item
        if type(name) is not str or how not in _HOW or kind not in _KINDS or type(key) is not str:
            raise TypeError("expected a name")
        if type(loc) is not list or not all(type(step) in (str, int) for step in loc):
            raise TypeError("expected a name's place")
        claims.append(names.Claim(name, how, kind, key, tuple(loc)))
    return claims


class _Plan(NamedTuple):
    fields: dict[str, Callable[[Any], Any]]  # the fields kept whole on the first line
    sections: dict[str, tuple[Callable[[Any], Any], tuple[str, ...]]]  # record builder, columns


@cache
def _plan() -> _Plan:
    """Which of KnowledgeBase's fields are sections (lists of records), from its type hints."""
    fields, sections = {}, {}
    for field in dataclasses.fields(KnowledgeBase):
        hint = _bare(typing.cast(Any, field.type))
        item = _bare(typing.get_args(hint)[0]) if typing.get_origin(hint) is list else None
        if isinstance(item, type) and dataclasses.is_dataclass(item):
            keys = {f.name for f in dataclasses.fields(item)}
            columns: tuple[str, ...] = AGENT_COLUMNS if field.name == "agents" else ("id",) if "id" in keys else ()
            sections[field.name] = (_reviver(item), columns)
        else:
            fields[field.name] = _reviver(hint)
    return _Plan(fields, sections)


def _bare(tp: Any) -> Any:
    """`tp` without its Annotated constraints."""
    return typing.get_args(tp)[0] if typing.get_origin(tp) is typing.Annotated else tp


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
def _reviver(tp: Any) -> Callable[[Any], Any]:
    """A function that checks JSON for `tp` and turns it back into `tp`, built once per type."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        # `dump` writes every field, so a record is an object with exactly its fields. Strings,
        # most of the values, are checked here rather than by a call each.
        fields = [(f.name, _reviver(typing.cast(Any, f.type))) for f in dataclasses.fields(tp)]
        plain = [(name, None if convert is _STR else convert) for name, convert in fields]
        keys = {name for name, _ in fields}
        new, assign = object.__new__, object.__setattr__

        def build(value: Any) -> Any:
            if type(value) is not dict or value.keys() != keys:
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
