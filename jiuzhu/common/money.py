"""Money in integer fen (1 yuan = 100 fen). No Django, no floats.

All rounding goes through `round_to_fen` (ROUND_HALF_UP unless a policy says otherwise).
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from fractions import Fraction

Fen = int

_YUAN_RE = re.compile(r"^-?\d{1,13}(\.\d{1,2})?$")


class MoneyFormatError(ValueError):
    """The text is not an amount in yuan with at most two decimals."""


def round_to_fen(value: Decimal, rounding: str = ROUND_HALF_UP) -> Fen:
    return int(value.quantize(Decimal(1), rounding=rounding))


def round_fraction_to_fen(value: Fraction, rounding: str = ROUND_HALF_UP, unit_fen: int = 1) -> Fen:
    """Round an exact fraction of fen to a multiple of `unit_fen` (1 = to the fen, 100 = to the yuan).

    Exact (no Decimal context precision involved), so (600 - 1000/3) * 3 is exactly 800 yuan.
    Modes follow `decimal`: ROUND_HALF_UP (ties away from zero), ROUND_UP (away from zero),
    ROUND_DOWN (towards zero).
    """
    if unit_fen < 1:
        raise ValueError("unit_fen must be a positive number of fen")
    if unit_fen == 1:  # already whole fen (most values): nothing to round
        if type(value) is int:
            return value
        if isinstance(value, Fraction) and value.denominator == 1:
            return value.numerator
    units = Fraction(value) / unit_fen
    whole, remainder = divmod(abs(units.numerator), units.denominator)
    if remainder:
        if rounding == ROUND_UP or (rounding == ROUND_HALF_UP and 2 * remainder >= units.denominator):
            whole += 1
        elif rounding not in (ROUND_DOWN, ROUND_HALF_UP):
            raise ValueError(f"unsupported rounding mode: {rounding}")
    return (-whole if units < 0 else whole) * unit_fen


def yuan_to_fen(text: str) -> Fen:
    """Parse "1234.56" (yuan) into 123456 fen; reject more than two decimals or non-numbers."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    if not _YUAN_RE.match(cleaned):
        raise MoneyFormatError(text)
    try:
        return int((Decimal(cleaned) * 100).to_integral_exact())
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise MoneyFormatError(text) from exc


def fen_to_yuan_text(fen: Fen) -> str:
    """123456 -> "1,234.56"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"
