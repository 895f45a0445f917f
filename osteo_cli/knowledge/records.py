"""A section of the knowledge base read back from its compiled form: each record is built
the first time it is asked for.

`drugs show denosumab` needs a handful of a file's thousand records, and building them all
cost a warm run time in proportion to the file: a lookup in a file ten times the size took
1.5 times as long. So a section keeps each record's JSON line and builds the record on
first use. A few fields of every record come with it (`columns`: its id, an agent's family
and limit group), so finding records by them builds nothing else.

The compiled form is checked whole before any section is made (see `compiled`), so what
the columns say is what the lines hold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, overload

T = TypeVar("T")
_UNBUILT: Any = object()


class Records(Sequence[T]):
    """The records of one section, in file order, each built from its JSON line on first use."""

    __slots__ = ("_build", "_items", "_lines", "claims", "columns")

    def __init__(
        self, lines: list[bytes], build: Callable[[Any], T], columns: dict[str, list[str]], claims: list[Any]
    ) -> None:
        self.columns = columns  # a few fields of every record, for lookups
        self.claims = claims  # every name an entry of the knowledge base answers to (names.Claim)
        self._lines = lines
        self._build = build
        self._items: list[T] = [_UNBUILT] * len(lines)

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
            item = self._items[index] = self._build(json.loads(self._lines[index]))
        return item

    def __iter__(self) -> Iterator[T]:
        for index in range(len(self._items)):
            yield self[index]

    def built(self) -> list[T]:
        """The records built so far."""
        return [item for item in self._items if item is not _UNBUILT]
