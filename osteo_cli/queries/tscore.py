"""Bone density: a T-score -> its WHO category. Pure; never prints.

Values are compared as decimals, exactly as typed, so -2.5 is osteoporosis and
-2.4999 is not, whatever binary floating point would make of them.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Literal, NamedTuple

from osteo_cli.errors import UsageError

if TYPE_CHECKING:
    from osteo_cli.knowledge.models import BoneDensity, DensityCategory, FractureSite

SITES: tuple[FractureSite, ...] = ("hip", "spine", "humerus", "pelvis", "wrist", "other")
_SITE_WORDS: dict[str, FractureSite] = {
    **{s: s for s in SITES},
    "vertebra": "spine",
    "vertebral": "spine",
    "upper-arm": "humerus",
    "arm": "humerus",
    "forearm": "wrist",
}

# T-scores in real scans stay well inside this; anything outside is a typing mistake.
PLAUSIBLE = (Decimal(-10), Decimal(10))

Key = Literal["normal", "low_bone_mass", "osteoporosis", "severe_osteoporosis"]


# As reports print them: at most two digits before the point and four after. Checked before
# any arithmetic, so `0E-999999999` is refused at once instead of expanding to a billion digits.
_TSCORE = re.compile(r"[+-]?(\d{1,2}(\.\d{0,4})?|\.\d{1,4})", re.ASCII)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def parse_tscore(text: str) -> Decimal:
    """A T-score as typed (`-2.7`, `−2.7`, `+0.5`), or a UsageError that says why not."""
    text = text.strip()
    cleaned = text.replace("\u2212", "-")  # a typographic minus, pasted from a report
    if not _TSCORE.fullmatch(cleaned):
        if cleaned.lstrip("+-").lower() in ("nan", "inf", "infinity"):
            raise UsageError(f"'{text}' is not a T-score; give a finite number such as -2.7")
        if _NUMBER.fullmatch(cleaned):
            low, high = PLAUSIBLE
            raise UsageError(
                f"a T-score of {text} is outside any plausible range ({low} to {high}) or more precise than "
                "a report gives: type it as the report does, such as -2.7"
            )
        raise UsageError(f"'{text}' is not a number; a T-score looks like -2.7")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise UsageError(f"'{text}' is not a number; a T-score looks like -2.7") from None
    low, high = PLAUSIBLE
    if not low <= value <= high:
        raise UsageError(f"a T-score of {text} is outside any plausible range ({low} to {high})")
    return value


def parse_site(text: str | None, fracture: bool) -> FractureSite | None:
    """The fracture site typed after --fracture (None when none was given)."""
    if text is None:
        return None
    if not fracture:
        raise UsageError(
            f"'{text[:40]}': a fracture site goes after --fracture, as in 'osteo tscore -1.8 --fracture hip'"
        )
    site = _SITE_WORDS.get(text.strip().lower())
    if site is None:
        raise UsageError(f"'{text[:40]}' is not a fracture site; give one of {', '.join(SITES)}")
    return site


class Classification(NamedTuple):
    value: Decimal
    key: Key
    category: DensityCategory
    fracture: bool
    fracture_counted: bool  # a fracture was given and changed the category
    site: FractureSite | None = None
    clinical: bool = False  # osteoporosis by the fracture, not by the T-score alone
    possible: bool = False  # ... and at a site where the rule holds only in some cases


def boundaries(density: BoneDensity) -> tuple[Decimal, Decimal]:
    """(osteoporosis at or below, normal at or above) as exact decimals: the file holds floats."""
    return Decimal(str(density.osteoporosis_at_or_below)), Decimal(str(density.normal_at_or_above))


def classify(
    density: BoneDensity, value: Decimal, fracture: bool = False, site: FractureSite | None = None
) -> Classification:
    osteoporosis, normal = boundaries(density)
    clinical_rule = density.clinical_diagnosis
    key: Key
    clinical = False
    if value <= osteoporosis:
        key = "severe_osteoporosis" if fracture else "osteoporosis"
    elif (fracture and site and clinical_rule and site in clinical_rule.any_tscore) or (
        value < normal and fracture and site and clinical_rule and site in clinical_rule.with_low_bone_mass
    ):
        key, clinical = "osteoporosis", True
    elif value >= normal:
        key = "normal"
    else:
        key = "low_bone_mass"
    category: DensityCategory = getattr(density, key)
    counted = key == "severe_osteoporosis" or clinical
    possible = clinical and clinical_rule is not None and site in clinical_rule.possible
    return Classification(value, key, category, fracture, counted, site, clinical, possible)
