"""The layout decisions osteo makes before Rich draws a table (`table.py`): column widths that
never drop a column or cut a word, addresses moved out of narrow cells, blank lines between
tall rows. Plain functions of a Grid's text, so they can be read and tested without Rich."""

from __future__ import annotations

import re

from osteo_cli.render.document import Cell, Grid

# A column is not squeezed below its longest word (up to this many characters) while
# the table fits, so wrapping happens between words instead of inside them.
MAX_WORD = 24
GAP = 2  # spaces between columns
BULLET = 2  # "- " before each item of a list cell


def cell_lines(cell: Cell) -> list[str]:
    """The text lines of a cell as drawn, with the room a bullet takes."""
    if isinstance(cell, str):
        return cell.splitlines() or [""]
    return [" " * BULLET + line for item in cell for line in item.splitlines()]


def right_padding(divider: bool) -> int:
    """Right padding of a cell: with a header rule Rich adds a one-space divider column."""
    return GAP - 1 if divider else GAP


def widths(grid: Grid, available: int, divider: bool) -> list[int] | None:
    """Column widths that fill at most `available` characters, computed here rather than by
    Rich, whose own layout can overshoot by a character and crop the last column (rich 15).

    Every column gets its longest line when that fits; otherwise at least its longest word
    (up to MAX_WORD), with the rest shared out by how much more each column would use; and
    when even that does not fit, None: the grid is drawn stacked instead (one block per
    row), so no column is ever dropped and no word is ever cut off.
    """
    count = len(grid.headers)
    budget = available - right_padding(divider) * count - (count - 1 if divider else 0)
    columns = [[header, *(row[i] for row in grid.rows)] for i, header in enumerate(grid.headers)]
    lines = [[line for cell in column for line in cell_lines(cell)] for column in columns]
    natural = [max(1, *(len(line) for line in column)) for column in lines]
    # A word in a list item also needs the room of the bullet before it.
    longest_word = [
        max(1, *(len(line) - len(line.lstrip()) + max(map(len, line.split()), default=0) for line in column))
        for column in lines
    ]
    minimum = [min(n, MAX_WORD, w) for n, w in zip(natural, longest_word, strict=True)]
    if sum(natural) <= budget:
        return natural
    # A row's label, or the identifier a row starts with ("Zoledronic acid"), reads best on
    # one line: it keeps its whole width when that fits, and wraps only between words otherwise.
    whole = [min(natural[0], MAX_WORD), *minimum[1:]]
    for base in (whole, minimum):
        if sum(base) <= budget:
            return _share(base, [n - m for n, m in zip(natural, base, strict=True)], budget - sum(base))
    return None  # too narrow for every word: stack the rows


def _share(base: list[int], wants: list[int], extra: int) -> list[int]:
    """`base` plus up to `wants` more each, from `extra` shared out fairly: columns that want
    less than an equal share get all they want (so short columns never wrap), and the
    long ones split what is left."""
    given = [0] * len(wants)
    active = [i for i, want in enumerate(wants) if want > 0]
    while active and extra > 0:
        share = extra // len(active)
        satisfied = [i for i in active if wants[i] - given[i] <= share]
        if not satisfied:
            for rank, i in enumerate(active):
                given[i] += share + (1 if rank < extra % len(active) else 0)
            break
        for i in satisfied:
            extra -= wants[i] - given[i]
            given[i] = wants[i]
            active.remove(i)
    return [b + g for b, g in zip(base, given, strict=True)]


URL = re.compile(r"https?://\S+")


def is_url(line: str) -> bool:
    return URL.fullmatch(line.strip()) is not None


def detach_urls(grid: Grid, column_widths: list[int]) -> tuple[Grid, list[str]]:
    """Addresses wider than their column leave the cell for a numbered list under the table."""
    urls: list[str] = []

    def fix(cell: Cell, width: int) -> Cell:
        if not isinstance(cell, str) or "://" not in cell:  # no address in it: nothing to move
            return cell
        lines = []
        for line in cell.split("\n"):
            if is_url(line) and len(line.strip()) > width:
                urls.append(line.strip())
                line = f"[{len(urls)}] below"
            lines.append(line)
        return "\n".join(lines)

    rows = [tuple(fix(c, w) for c, w in zip(row, column_widths, strict=True)) for row in grid.rows]
    return grid._replace(rows=rows), urls


def tall(grid: Grid, column_widths: list[int]) -> bool:
    """Whether some row takes more than one line at these widths."""
    return any(
        len(lines) > 1 or len(lines[0]) > width
        for row in grid.rows
        for cell, width in zip(row, column_widths, strict=True)
        for lines in [cell_lines(cell)]
    )
