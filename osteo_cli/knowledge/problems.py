"""A problem found in a knowledge-base file, with where it is."""

from __future__ import annotations

from typing import Literal, NamedTuple

Loc = tuple[int | str, ...]


class Problem(NamedTuple):
    severity: Literal["error", "warning"]
    loc: Loc  # ("agents", 3, "dosing", "route"); () for the file as a whole
    message: str
    line: int | None = None

    @property
    def field(self) -> str:
        """The location as an author reads it: `agents[3].dosing.route`."""
        out = ""
        for step in self.loc:
            out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
        return out

    def describe(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        field = f" {self.field}:" if self.loc else ""
        return f"{where}:{field} {self.message}"
