"""Number and text formatting for report templates (报告模板的数字格式).

One place decides how a figure looks in every document (the formatters of scoring.rounding, chosen
by what the figure is): percentages half up to 0.01% without trailing zeros (158.075 → 158.08%,
100 → 100%), amounts in 万元 with two decimals (33.28), scores and points half up to 0.01 without
trailing zeros (98.00 → 98), counts and target values as entered (4.50 → 4.5) unless their unit is
%, dates as 2026年5月21日. A template never prints a Decimal without one of these filters.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from scoring.rounding import (
    format_amount,
    format_entered,
    format_figure,
    format_percent,
    format_score,
)

register = template.Library()

MISSING_PREFIX = "【待补充："
MISSING_SUFFIX = "】"


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | str):
        return Decimal(value)
    raise TypeError(f"not a number: {value!r}")


@register.filter
def percent(value: object) -> str:
    """A rate in percent, with its sign: 158.075 → '158.08%'."""
    number = _decimal(value)
    if number is None:
        return "—"
    return format_percent(number)


@register.filter
def amount(value: object) -> str:
    """An amount in 万元, always two decimals: 33.28 → '33.28', 5 → '5.00'."""
    number = _decimal(value)
    if number is None:
        return "—"
    return format_amount(number)


@register.filter
def number(value: object) -> str:
    """A count or target value as entered: 25478 → '25478', 4.50 → '4.5' (not for computed ones)."""
    number = _decimal(value)
    if number is None:
        return "—"
    return format_entered(number)


@register.filter
def score(value: object) -> str:
    """A score, points or total: half up to 0.01 point, 98.00 → '98', 4.50 → '4.5'."""
    number = _decimal(value)
    if number is None:
        return "—"
    return format_score(number)


@register.filter
def figure(value: object, unit: str) -> str:
    """An indicator or target value with its unit; a '%' value is a rate (94.666…, '%' → '94.67%')."""
    number = _decimal(value)
    if number is None:
        return "—"
    return format_figure(number, unit or "")


@register.filter
def cn_date(value: dt.date | None) -> str:
    """2026-05-21 → '2026年5月21日'."""
    if value is None:
        return missing("填报日期")
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def sentence(value: str) -> str:
    """Text without its closing punctuation, so a template can continue the sentence."""
    return value.strip().rstrip("。；;，,. ")


@register.filter
def or_missing(value: object, what: str) -> str:
    """The value, or a visible 【待补充：what】: a missing explanation is never silently dropped."""
    text = "" if value is None else str(value).strip()
    return text or missing(what)


def missing(what: str) -> str:
    return f"{MISSING_PREFIX}{what}{MISSING_SUFFIX}"
