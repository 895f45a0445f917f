"""The walk that finds every `sources` list, against the plain recursive one it replaced."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

from helpers import SHIPPED

from osteo_cli.knowledge import integrity, parse
from osteo_cli.knowledge.problems import Loc


def _plain_walk(value: object, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _plain_walk(item, (*loc, i))
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            inner = getattr(value, f.name)
            if f.name == "sources" and isinstance(inner, list):
                for j, ref in enumerate(inner):
                    yield (*loc, "sources", j), ref
            elif isinstance(inner, list) or dataclasses.is_dataclass(inner):
                yield from _plain_walk(inner, (*loc, f.name))


def _kb() -> Any:
    kb, problems = parse(SHIPPED.read_bytes())
    assert kb is not None and not [p for p in problems if p.severity == "error"]
    return kb


def test_every_source_reference_is_found_in_order() -> None:
    kb = _kb()
    expected = [
        ref
        for f in dataclasses.fields(kb)
        if f.name != "sources"
        for ref in _plain_walk(getattr(kb, f.name), (f.name,))
    ]
    assert len(expected) > 100
    assert integrity._source_refs(kb) == expected


def test_references_are_walked_once_for_errors_and_warnings(monkeypatch: Any) -> None:
    kb = _kb()
    walks: list[int] = []
    real = integrity._source_refs

    def counted(kb: Any) -> list[tuple[Loc, str]]:
        walks.append(1)
        return real(kb)

    monkeypatch.setattr(integrity, "_source_refs", counted)
    integrity.check(kb, dt.date(2000, 1, 1))
    assert walks == [1]


@dataclasses.dataclass
class _Cited:
    sources: list[str]


@dataclasses.dataclass
class _Holder:
    text: str
    when: dt.date
    kind: Literal["a", "b"]
    count: int | None
    cited: _Cited | None
    many: list[_Cited]
    nested: list[list[_Cited]]
    bare: list  # type: ignore[type-arg]
    anything: Any


def test_fields_skipped_are_only_those_that_cannot_hold_sources() -> None:
    assert integrity._field_names(_Holder) == ("cited", "many", "nested", "bare", "anything")
    assert integrity._field_names(_Cited) == ("sources",)
    assert integrity._field_names(str) is None
