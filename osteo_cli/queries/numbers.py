"""Numbers as people type them, read once and exactly. Pure; never prints.

A value is checked as text before any arithmetic: plain ASCII digits, at most `whole`
digits before the point and `places` after it, an optional plus sign. Underscores (`3_4`,
which Decimal reads as 34), exponents (`1E+1`), `nan` and `inf`, and more places than the
value can be judged to are refused, so the value osteo judges is the one it shows and
writes to JSON, digit for digit (a float holds every value of 15 digits or fewer exactly
as its shortest repr).
"""

from __future__ import annotations

import re
from decimal import Decimal

from osteo_cli.errors import UsageError

_NONFINITE = ("nan", "snan", "inf", "infinity")


def plain_decimal(text: str, *, whole: int, places: int) -> Decimal | None:
    """`text` as a Decimal when it is a plain unsigned number within the bounds, else None."""
    body = rf"\+?(\d{{1,{whole}}}(\.\d{{0,{places}}})?|\.\d{{1,{places}}})"
    return Decimal(text) if re.fullmatch(body, text, re.ASCII) else None


def looks_numeric(text: str) -> bool:
    """Whether `text` is a number in some form (an exponent, an underscore, too many digits,
    nan or inf) rather than a word: the error then says what form osteo accepts."""
    cleaned = text.strip().lstrip("+-").lower()
    if cleaned in _NONFINITE:
        return True
    return bool(re.fullmatch(r"[\d_]*\.?[\d_]*(e[+-]?\d+)?", cleaned, re.ASCII)) and any(ch.isdigit() for ch in cleaned)


def bounded(
    text: str, *, option: str, what: str, unit: str, low: Decimal, high: Decimal, whole: int, places: int
) -> Decimal:
    """A measurement typed after `option`, or one UsageError that says which form to use."""
    typed = text.strip()
    value = plain_decimal(typed, whole=whole, places=places)
    if value is None:
        if looks_numeric(typed):
            raise UsageError(
                f"{option} '{text}' is not a plain number osteo can judge exactly; give the {what} in digits, "
                f"from {low} to {high} ({unit}) with at most {places} decimal places, e.g. {option} 34.5"
            )
        raise UsageError(f"{option} '{text}' is not a number; give the {what} in {unit}, e.g. {option} 32")
    if not low <= value <= high:
        raise UsageError(f"{option} '{text}' is not a plausible {what}; give a number from {low} to {high} ({unit})")
    return value
