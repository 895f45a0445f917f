"""A knowledge base read from its compiled rows (`cache.Rows`): each entry is revived when a
command first asks for it, so a command that needs one agent reads one row.

It is a KnowledgeBase like any other to the code that uses it: each section is a plain list,
revived from its rows when it is first read, and its lookups by id, family and limit group read the rows
they need. Any row that fails its checks (see `cache.Rows`) makes it answer from the file
itself from then on (`fallback`), so a doubt is a slower answer, never a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from osteo_cli.knowledge import cache
from osteo_cli.knowledge.models import Agent, Family, KnowledgeBase, Source

if TYPE_CHECKING:
    from osteo_cli.knowledge.cache import Rows


class _Lazy:
    """A section of a CompiledKnowledgeBase: a plain list, revived from its rows on first use."""

    def __init__(self, section: str) -> None:
        self.section = section

    def __get__(self, kb: CompiledKnowledgeBase | None, owner: object = None) -> Any:
        return self if kb is None else kb._section(self.section)

    def __set__(self, kb: CompiledKnowledgeBase, value: object) -> None:
        """The rows hold the sections: what KnowledgeBase.__init__ sets is not kept."""


_TYPES: dict[str, Any] = {}


def _types() -> dict[str, Any]:
    if not _TYPES:
        import typing

        hints = typing.get_type_hints(KnowledgeBase)
        for name in (*cache.SECTIONS, *cache.HEAD):
            hint = hints[name]
            _TYPES[name] = typing.get_args(hint)[0] if name in cache.SECTIONS else hint
    return _TYPES


class CompiledKnowledgeBase(KnowledgeBase):
    """A KnowledgeBase whose entries are read from `rows` as they are needed."""

    _rows: Rows
    _fallback: Callable[[], KnowledgeBase]
    _full: KnowledgeBase | None
    _revived: dict[tuple[str, int], Any]
    _sections: dict[str, list[Any]]

    def __init__(self, rows: Rows, fallback: Callable[[], KnowledgeBase]) -> None:
        types = _types()
        fields: dict[str, Any] = {name: cache.revive(types[name], value) for name, value in rows.head["fields"].items()}
        object.__setattr__(self, "_sections", {})
        unused: dict[str, Any] = {name: [] for name in cache.SECTIONS}  # kept by the rows instead
        super().__init__(**fields, **unused)
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_fallback", fallback)
        object.__setattr__(self, "_full", None)
        object.__setattr__(self, "_revived", {})

    # --- reviving rows, with the file as the answer to any doubt --------------------------

    def full(self) -> KnowledgeBase:
        """The knowledge base from the file itself (once a row has failed its checks)."""
        if self._full is None:
            object.__setattr__(self, "_full", self._fallback())
        full = self._full
        assert full is not None
        return full

    def _at(self, section: str, pos: int) -> Any:
        """The entry at `pos`, revived once (so it is the same object however it is reached)."""
        revived: dict[tuple[str, int], Any] = self._revived
        if (section, pos) in revived:
            return revived[section, pos]
        if self._full is not None:
            return getattr(self._full, section)[pos]
        value = self._rows.entry(section, pos)
        try:
            entry = None if value is None else cache.revive(_types()[section], value)
        except (TypeError, ValueError):
            entry = None
        if entry is None:
            return getattr(self.full(), section)[pos]
        revived[section, pos] = entry
        return entry

    def _section(self, section: str) -> list[Any]:
        """Every entry of `section`, in file order, revived once."""
        if section not in self._sections:
            self._sections[section] = self._fill(section)
        return self._sections[section]

    def _fill(self, section: str) -> list[Any]:
        if self._full is None:
            values = self._rows.section(section)
            if values is not None:
                revived = self._revived
                try:
                    out = []
                    for pos, value in enumerate(values):
                        if (section, pos) not in revived:
                            revived[section, pos] = cache.revive(_types()[section], value)
                        out.append(revived[section, pos])
                    return out
                except (TypeError, ValueError):
                    pass
        return list(getattr(self.full(), section))

    def _by_id(self, section: str, entry_id: str) -> Any:
        if self._full is None:
            pos = self._rows.position(section, entry_id)
            if pos is not None:
                entry = self._at(section, pos)
                if getattr(entry, "id", None) == entry_id:
                    return entry
        return getattr(self.full(), section.rstrip("s") if section != "families" else "family")(entry_id)

    # --- KnowledgeBase's lookups, by row ------------------------------------------------

    def family(self, family_id: str) -> Family:
        found: Family = self._by_id("families", family_id)
        return found

    def agent(self, agent_id: str) -> Agent:
        found: Agent = self._by_id("agents", agent_id)
        return found

    def source(self, source_id: str) -> Source:
        found: Source = self._by_id("sources", source_id)
        return found

    def members(self, family_id: str) -> list[Agent]:
        return self._tagged("family", family_id, lambda a: a.family == family_id)

    def sharing_limit(self, group: str) -> list[Agent]:
        return self._tagged("group", group, lambda a: a.duration.limit is not None and a.duration.limit.group == group)

    def _tagged(self, tag: str, value: str, holds: Callable[[Agent], bool]) -> list[Agent]:
        if self._full is None:
            positions = self._rows.tagged("agents", tag, value)
            if positions is not None:
                agents = [self._at("agents", pos) for pos in positions]
                if self._full is None and all(holds(a) for a in agents):
                    return agents
        return [a for a in self.full().agents if holds(a)]

    def summary(self, name: str) -> list[Any] | None:
        """The summary rows stored under `name`, as JSON; None when the rows cannot say (the
        caller then reads the entries). The caller checks each row's shape."""
        if self._full is not None:
            return None
        return self._rows.summary(name)

    def claim(self, norm: str) -> Any:
        """The stored claim (JSON) that wins a normalized name; False when none does; None
        when the rows cannot say (the caller then scans the entries)."""
        if self._full is not None:
            return None
        found = self._rows.name(norm)
        if found is None:
            self.full()
        return found


for _name in cache.SECTIONS:
    setattr(CompiledKnowledgeBase, _name, _Lazy(_name))
