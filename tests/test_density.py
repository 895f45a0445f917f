"""T-scores: the WHO boundaries exactly, parsing, and the gauge."""

from __future__ import annotations

from decimal import Decimal

import pytest

from osteo_cli.errors import UsageError
from osteo_cli.knowledge import load
from osteo_cli.queries.tscore import classify, parse_tscore
from osteo_cli.views.figures import gauge

DENSITY = load(None).kb.bone_density


@pytest.mark.parametrize(
    ("typed", "fracture", "key"),
    [
        ("1.2", False, "normal"),
        ("-1.0", False, "normal"),  # exactly -1.0 is normal
        ("-1", False, "normal"),
        ("-1.01", False, "low_bone_mass"),
        ("-2.4999", False, "low_bone_mass"),  # compared as decimals: just above -2.5
        ("-2.5", False, "osteoporosis"),  # exactly -2.5 is osteoporosis
        ("-2.50", False, "osteoporosis"),
        ("-3.1", False, "osteoporosis"),
        ("-2.5", True, "severe_osteoporosis"),
        ("-3.1", True, "severe_osteoporosis"),
        ("-2.0", True, "low_bone_mass"),  # a fracture counts only at -2.5 or lower
        ("−2.7", False, "osteoporosis"),  # a typographic minus, pasted from a report
    ],
)
def test_who_categories(typed: str, fracture: bool, key: str) -> None:
    result = classify(DENSITY, parse_tscore(typed), fracture)
    assert result.key == key
    assert result.fracture_counted == (key == "severe_osteoporosis")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "is not a number"),
        ("nan", "is not a T-score"),
        ("inf", "is not a T-score"),
        ("-inf", "is not a T-score"),
        ("42", "outside any plausible range"),
        ("-10.5", "outside any plausible range"),
        ("", "is not a number"),
        ("1e400", "outside any plausible range"),
    ],
)
def test_bad_values(typed: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_tscore(typed)


def test_gauge_marks_the_value_between_the_zones() -> None:
    bar, marker, ticks, legend = gauge(Decimal("-2.7"), Decimal("-2.5"), Decimal("-1.0"))
    assert len(bar) == 48
    assert bar.index("▒") == 15 and bar.index("░") == 24  # -2.5 and -1.0 on a -5..+3 scale
    assert marker.index("▲") == 14 and marker.endswith("-2.7")
    assert ticks.startswith("-5") and "0" in ticks
    assert "osteoporosis" in legend


def test_gauge_says_when_a_value_is_off_the_scale() -> None:
    assert gauge(Decimal("-7"), Decimal("-2.5"), Decimal("-1.0"))[1] == "▲ -7 (beyond the scale)"


def test_a_wrist_fracture_makes_osteoporosis_possible_not_certain() -> None:
    """Content review N-I9: NBHA counts low bone mass with a wrist fracture only in some cases."""
    import json

    from helpers import invoke

    wrist = invoke("tscore", "-1.8", "--fracture", "wrist")
    assert wrist.stdout.startswith("T-score -1.8 with a fragility fracture (wrist): Possible osteoporosis\n")
    assert json.loads(invoke("tscore", "-1.8", "--fracture", "wrist", "-f", "json").stdout)["possible"] is True
    hip = invoke("tscore", "-1.8", "--fracture", "hip")
    assert hip.stdout.startswith("T-score -1.8 with a fragility fracture (hip): Osteoporosis\n")
