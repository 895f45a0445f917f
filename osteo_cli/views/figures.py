"""Text figures: a plan's timeline and a T-score gauge, as plain lines. Pure; never prints.

Plain text, so one function serves the terminal, Markdown (as a code block) and tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from osteo_cli.queries.sequence import Plan

WIDTH = 48  # characters of the bar area: fits an 80-column terminal with the labels
SMALLEST = 12  # a bar area narrower than this tells too little: no figure (the table has it all)


def timeline(plan: Plan, width: int = WIDTH, columns: int | None = None) -> list[str]:
    """One bar per course along a shared time axis, with the final `stop` marked.

    With `columns`, the bars are scaled so every line fits in that many characters; when
    they cannot be drawn at a useful size there is no figure at all (never a cropped bar).
    """
    total = plan.months
    label_width = max(len(s.agent.name) for s in plan.steps) + 2
    if columns is not None:
        width = min(width, columns - label_width - 4)  # room for the `stop` marker and the last label
        if width < SMALLEST:
            return []
    scale = Decimal(width) / total
    lines = []
    for step in plan.steps:
        start = int((step.start * scale).to_integral_value())
        end = max(start + 1, int(((step.start + step.months) * scale).to_integral_value()))
        lines.append(f"{step.agent.name:<{label_width}}{' ' * start}{'█' * (end - start)}")
    if plan.stopped:
        lines.append(f"{'stop':<{label_width}}{' ' * width}■")
    lines.append(" " * label_width + _axis(total, width))
    return lines


def _axis(months: Decimal, width: int) -> str:
    """Year marks under the bars: every year, or every 2, 5 or 10 for long plans."""
    years = months / 12
    step = next((s for s in (1, 2, 5, 10, 50, 100) if years / s <= 8), int(years / 8) + 1)
    axis = [" "] * (width + 4)
    year = 0
    while year <= years:
        col = int((Decimal(year * 12) * width / months).to_integral_value())
        label = f"{year}y"
        if col + len(label) <= len(axis) and all(c == " " for c in axis[max(0, col - 1) : col + len(label)]):
            axis[col : col + len(label)] = list(label)
        year += step
    return "".join(axis).rstrip()


GAUGE_LOW, GAUGE_HIGH = Decimal(-5), Decimal(3)


def gauge(
    value: Decimal, osteoporosis: Decimal, normal: Decimal, width: int = WIDTH, columns: int | None = None
) -> list[str]:
    """A bar from -5 to +3, shaded by category, with a marker at the value.

    With `columns`, scaled to fit that many characters, or no figure when too narrow.
    """
    if columns is not None:
        width = min(width, columns - 4)
        if width < 2 * SMALLEST:
            return []
    span = GAUGE_HIGH - GAUGE_LOW

    def col(x: Decimal) -> int:
        clamped = min(max(x, GAUGE_LOW), GAUGE_HIGH)
        return min(width - 1, int(((clamped - GAUGE_LOW) * width / span).to_integral_value()))

    low, high = col(osteoporosis), col(normal)
    bar = "▓" * low + "▒" * (high - low) + "░" * (width - high)
    label = format(value, "f") + (" (beyond the scale)" if value < GAUGE_LOW or value > GAUGE_HIGH else "")
    at = col(value)
    if at + 2 + len(label) <= width + 4:
        marker = " " * at + "▲ " + label
    else:  # no room on the right: the label goes before the marker
        marker = " " * max(0, at - len(label) - 1) + label + " ▲"
    ticks = [" "] * (width + 4)
    for tick in range(int(GAUGE_LOW), int(GAUGE_HIGH) + 1):
        label = f"{tick:+d}" if tick else "0"
        start = col(Decimal(tick))
        ticks[start : start + len(label)] = list(label)
    legend = "▓ osteoporosis   ▒ low bone mass   ░ normal"
    keys = [legend] if len(legend) <= width + 4 else ["▓ osteoporosis", "▒ low bone mass", "░ normal"]
    return [bar, marker, "".join(ticks).rstrip(), *keys]


class Bar(NamedTuple):
    """One bar: its label, its length in percent (None draws no bar) and the words after it."""

    label: str
    value: float | None
    text: str


EIGHTHS = " ▏▎▍▌▋▊▉"  # partial blocks: a bar's last cell, in eighths of a character


def bars(blocks: Sequence[tuple[str, Sequence[Bar]]], width: int, unicode: bool = True) -> list[str]:
    """Horizontal bars from 0 to 100%, each block under its heading, fitted to `width` columns.

    Unicode block characters (with eighths for the last cell), or `#` when the output cannot
    encode them. A bar without a value shows only its words: "not shown" is never a 0% bar.
    """
    label_width = 1 + max((len(b.label) for _, group in blocks for b in group), default=0)
    tail = 1 + max((len(b.text) for _, group in blocks for b in group), default=0)
    span = max(4, width - 2 - label_width - tail)
    lines: list[str] = []
    for heading, group in blocks:
        lines.append(_fit(heading, width, unicode))
        for bar in group:
            drawn = "" if bar.value is None else _bar(bar.value, span, unicode)
            gap = " " if drawn else ""
            lines.append(_fit(f"  {bar.label:<{label_width}}{drawn}{gap}{bar.text}".rstrip(), width, unicode))
    return lines


def _bar(percent: float, span: int, unicode: bool) -> str:
    cells = Decimal(str(min(max(percent, 0.0), 100.0))) * span / 100
    if not unicode:
        return "#" * max(1, int(cells.to_integral_value()))
    eighths = max(1, int((cells * 8).to_integral_value()))
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


def _fit(line: str, width: int, unicode: bool) -> str:
    """The line, cut to `width` with a mark where it was cut."""
    return line if len(line) <= width else line[: max(1, width - 1)] + ("…" if unicode else "~")
