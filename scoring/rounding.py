"""The one rounding rule of jixiao (舍入规则).

Arithmetic is exact Decimal. Each indicator score (得分) is rounded once, half up to 0.01 point, when
it is computed; the total is the exact sum of those rounded scores, and the grade is read off that
total. So the scoring table a reader adds up by hand gives exactly the total and grade printed.
Ratios and completion rates stay exact for every comparison (met? over a threshold?) and are
rounded half up to 0.01 percent only when shown (158.075% → 158.08%).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_score(value: Decimal) -> Decimal:
    """An indicator score as recorded: half up to 0.01 point."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def display_percent(value: Decimal) -> Decimal:
    """A rate in percent as shown: half up to 0.01 percent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def display_amount(value: Decimal) -> Decimal:
    """An amount in 万元 as shown: half up to 0.01 万元."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_decimal(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros beyond what it carries: 98.00 → '98', 4.50 → '4.5'."""
    normalized = value.normalize()
    text = format(normalized, "f")
    return text
