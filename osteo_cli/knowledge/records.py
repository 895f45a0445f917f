"""A section of the knowledge base read back from its compiled form: each record is built
the first time it is asked for.

`drugs show denosumab` needs a handful of a file's thousand records, and building them all
cost a warm run time in proportion to the file: a lookup in a file ten times the size took
1.5 times as long. So a section keeps each record's JSON line and builds the record on
first use. The ids (and each agent's family) come with it, so finding a record by id
builds nothing else.

A line that is not of its record's shape, or not the record the first line says stands
there (the compiled form was damaged after it was written), costs no answer: the
knowledge base is then validated from the file's own bytes, and every record not yet built
is taken from there.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

T = TypeVar("T")
_UNBUILT: Any = object()


class Shared:
    """What the sections of one knowledge base share: the way back to the file."""

    __slots__ = ("claims", "recovered", "sections", "validate")

    def __init__(self, validate: Callable[[], Any] | None, claims: list[Any]) -> None:
        self.validate = validate  # the knowledge base validated from the file's bytes
        self.claims = claims  # every name an entry answers to (names.Claim), in file order
        self.sections: list[Records[Any]] = []
        self.recovered = False

    def recover(self) -> None:
        """Fill every record not yet built from the file's validated knowledge base."""
        if self.recovered:
            return
        if self.validate is None:
            raise ValueError("a damaged record, and no file to read it from")
        kb = self.validate()
        for section in self.sections:
            section.take(getattr(kb, section.name))
        self.recovered = True


class Records(Sequence[T]):
    """The records of one section, in file order, each built from its JSON line on first use."""

    __slots__ = ("_build", "_items", "_lines", "columns", "name", "shared")

    def __init__(
        self,
        name: str,
        lines: list[bytes],
        build: Callable[[Any], T],
        columns: dict[str, list[str]],
        shared: Shared,
    ) -> None:
        self.name = name
        self.columns = columns  # a few fields of every record ("id", "family"), for lookups
        self._lines = lines
        self._build = build
        self._items: list[T] = [_UNBUILT] * len(lines)
        self.shared = shared
        shared.sections.append(self)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        item = self._items[index]
        if item is _UNBUILT:
            try:
                item = self._build(json.loads(self._lines[index]))
                if any(getattr(item, name) != column[index] for name, column in self.columns.items()):
                    raise ValueError("not the record the first line puts here")
            except (ValueError, TypeError, RecursionError):  # JSONDecodeError is a ValueError
                self.shared.recover()
                return self._items[index]
            self._items[index] = item
        return item

    def __iter__(self) -> Iterator[T]:
        for index in range(len(self._items)):
            yield self[index]

    def built(self) -> list[T]:
        """The records built so far."""
        return [item for item in self._items if item is not _UNBUILT]

    def take(self, records: Sequence[T]) -> None:
        """Fill the records not yet built from `records` (the same section, validated)."""
        if len(records) != len(self._items):
            self._items = list(records)
            return
        for index, item in enumerate(self._items):
            if item is _UNBUILT:
                self._items[index] = records[index]
