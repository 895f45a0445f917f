"""Rich's table of emoji codes, loaded at the first lookup rather than at the first markup.

Typer's Markdown help passes every help text and panel title through Rich's emoji
replacement, which imports `rich._emoji_codes` (3,600 names, about 0.8 MB: the largest part
of a help's memory) whether or not the text holds a `:code:`, and osteo's help holds none.
`install()` puts a stand-in in its place whose table is empty until something looks a code
up; then it loads Rich's own table and answers from it. What Rich prints is the same either
way: a code is replaced as before, and a text without one never needed the table.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

NAME = "rich._emoji_codes"


def _rich_table() -> dict[str, str]:
    """Rich's own EMOJI dict, executed from its file under another module name."""
    spec = importlib.util.find_spec("rich")
    assert spec is not None and spec.origin is not None
    path = Path(spec.origin).parent / "_emoji_codes.py"
    loader_spec = importlib.util.spec_from_file_location("rich._emoji_codes_table", path)
    assert loader_spec is not None and loader_spec.loader is not None
    module = importlib.util.module_from_spec(loader_spec)
    loader_spec.loader.exec_module(module)
    table: dict[str, str] = module.EMOJI
    return table


class OnFirstLookup(dict[str, str]):
    """A dict that fills itself with Rich's table the first time it is read."""

    loaded = False

    def _load(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.update(_rich_table())

    def __missing__(self, key: str) -> str:  # dict's [] calls it for a key it lacks
        if self.loaded:
            raise KeyError(key)
        self._load()
        return self[key]

    def __contains__(self, key: object) -> bool:
        self._load()
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self._load()
        return super().__iter__()

    def __len__(self) -> int:
        self._load()
        return super().__len__()

    def get(self, key: str, default: Any = None) -> Any:
        self._load()
        return super().get(key, default)

    def keys(self) -> Any:
        self._load()
        return super().keys()

    def items(self) -> Any:
        self._load()
        return super().items()

    def values(self) -> Any:
        self._load()
        return super().values()


def install() -> None:
    """Put the stand-in where Rich imports its table from, unless the table is loaded already."""
    if NAME in sys.modules or importlib.util.find_spec("rich") is None:
        return
    stand_in = types.ModuleType(NAME, __doc__)
    stand_in.EMOJI = OnFirstLookup()  # type: ignore[attr-defined]
    sys.modules[NAME] = stand_in
