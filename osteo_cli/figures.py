"""Text figures: a plan's timeline and a T-score gauge, as plain lines. Pure; never prints.

Plain text, so one function serves the terminal, Markdown (as a code block) and tests.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from osteo_cli.plans import Plan

WIDTH = 48  # characters of the bar area: fits an 80-column terminal with the labels


def timeline(plan: Plan, width: int = WIDTH) -> list[str]:
    """One bar per course along a shared time axis, with the final `stop` marked."""
    total = plan.months
    scale = Decimal(width) / total
    label_width = max(len(s.agent.name) for s in plan.steps) + 2
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
    step = next(s for s in (1, 2, 5, 10, 50) if years / s <= 8)
    axis = [" "] * (width + 8)
    year = 0
    while year <= years:
        col = int((Decimal(year * 12) * width / months).to_integral_value())
        label = f"{year}y"
        if all(c == " " for c in axis[max(0, col - 1) : col + len(label)]):
            axis[col : col + len(label)] = list(label)
        year += step
    return "".join(axis).rstrip()


GAUGE_LOW, GAUGE_HIGH = Decimal(-5), Decimal(3)


def gauge(value: Decimal, osteoporosis: Decimal, normal: Decimal, width: int = WIDTH) -> list[str]:
    """A bar from -5 to +3, shaded by category, with a marker at the value."""
    span = GAUGE_HIGH - GAUGE_LOW

    def col(x: Decimal) -> int:
        clamped = min(max(x, GAUGE_LOW), GAUGE_HIGH)
        return min(width - 1, int(((clamped - GAUGE_LOW) * width / span).to_integral_value()))

    low, high = col(osteoporosis), col(normal)
    bar = "▓" * low + "▒" * (high - low) + "░" * (width - high)
    marker = " " * col(value) + "▲ " + format(value, "f")
    if value < GAUGE_LOW or value > GAUGE_HIGH:
        marker += " (beyond the scale)"
    ticks = [" "] * (width + 4)
    for tick in range(int(GAUGE_LOW), int(GAUGE_HIGH) + 1):
        label = f"{tick:+d}" if tick else "0"
        start = col(Decimal(tick))
        ticks[start : start + len(label)] = list(label)
    legend = "▓ osteoporosis   ▒ low bone mass   ░ normal"
    return [bar, marker, "".join(ticks).rstrip(), legend]
