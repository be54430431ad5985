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


# ---------------------------------------------------------------- display formatters
# Every figure a document prints goes through one of these, chosen by what the figure is. A computed
# figure (a score, a rate) is never printed with more than two decimals; a figure the unit typed
# (a count, a target value) is printed as typed, except a percentage, which is a rate.


def format_score(value: Decimal) -> str:
    """A score, points or a total: half up to 0.01 point, no trailing zeros (98.00 → '98')."""
    return format_decimal(round_score(value))


def format_percent(value: Decimal) -> str:
    """A rate in percent with its sign: half up to 0.01%, no trailing zeros (158.075 → '158.08%')."""
    return f"{format_decimal(display_percent(value))}%"


def format_amount(value: Decimal) -> str:
    """An amount in 万元: half up, always two decimals (33.28 → '33.28', 5 → '5.00')."""
    return format(display_amount(value), "f")


def format_entered(value: Decimal) -> str:
    """A count or target value as the unit typed it (25478 → '25478', 4.50 → '4.5')."""
    return format_decimal(value)


def format_figure(value: Decimal, unit: str) -> str:
    """An indicator or target value with its unit: a '%' value is a rate, anything else as typed.

    The unit decides, not where the figure came from: 预算执行率 and the other derived actuals carry
    '%' and are exact quotients (11.36 / 12 = 94.666…%), so they must take the rate rule.
    """
    if unit == "%":
        return format_percent(value)
    return f"{format_entered(value)}{unit}"
