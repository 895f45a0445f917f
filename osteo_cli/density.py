"""Bone density: a T-score -> its WHO category. Pure; never prints.

Values are compared as decimals, exactly as typed, so -2.5 is osteoporosis and
-2.4999 is not, whatever binary floating point would make of them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Literal, NamedTuple

from osteo_cli.errors import UsageError

if TYPE_CHECKING:
    from osteo_cli.models import BoneDensity, DensityCategory

# T-scores in real scans stay well inside this; anything outside is a typing mistake.
PLAUSIBLE = (Decimal(-10), Decimal(10))

Key = Literal["normal", "low_bone_mass", "osteoporosis", "severe_osteoporosis"]


def parse_tscore(text: str) -> Decimal:
    """A T-score as typed (`-2.7`, `−2.7`, `+0.5`), or a UsageError that says why not."""
    cleaned = text.strip().replace("\u2212", "-")  # a typographic minus, pasted from a report
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise UsageError(f"'{text}' is not a number; a T-score looks like -2.7") from None
    if not value.is_finite():
        raise UsageError(f"'{text}' is not a T-score; give a finite number such as -2.7")
    low, high = PLAUSIBLE
    if not low <= value <= high:
        raise UsageError(f"a T-score of {text} is outside any plausible range ({low} to {high})")
    return value


class Classification(NamedTuple):
    value: Decimal
    key: Key
    category: DensityCategory
    fracture: bool
    fracture_counted: bool  # a fracture was given and changed the category


def classify(density: BoneDensity, value: Decimal, fracture: bool = False) -> Classification:
    normal = Decimal(str(density.normal_at_or_above))
    osteoporosis = Decimal(str(density.osteoporosis_at_or_below))
    key: Key
    if value >= normal:
        key = "normal"
    elif value > osteoporosis:
        key = "low_bone_mass"
    elif fracture:
        key = "severe_osteoporosis"
    else:
        key = "osteoporosis"
    category: DensityCategory = getattr(density, key)
    return Classification(value, key, category, fracture, key == "severe_osteoporosis")
