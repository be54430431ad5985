from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jixiao.documents.templatetags.report_format import (
    amount,
    cn_date,
    number,
    or_missing,
    percent,
    sentence,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("158.075"), "158.08%"),
        (Decimal("126.5909090909"), "126.59%"),
        (Decimal("100"), "100%"),
        (Decimal("15.534855769"), "15.53%"),
        (Decimal("12.5"), "12.5%"),
        (Decimal("0.004"), "0%"),
        (None, "—"),
    ],
)
def test_percent_half_up_without_trailing_zeros(value: Decimal | None, shown: str) -> None:
    assert percent(value) == shown


def test_amount_always_two_decimals() -> None:
    assert amount(Decimal("33.28")) == "33.28"
    assert amount(Decimal("5")) == "5.00"
    assert amount(Decimal("0.005")) == "0.01"


def test_number_drops_trailing_zeros() -> None:
    assert number(Decimal("98.00")) == "98"
    assert number(Decimal("4.50")) == "4.5"
    assert number(Decimal("100.00")) == "100"
    assert number(25478) == "25478"


def test_dates_and_text() -> None:
    assert cn_date(dt.date(2026, 5, 21)) == "2026年5月21日"
    assert cn_date(None) == "【待补充：填报日期】"
    assert sentence("客观公正进行综合打分。") == "客观公正进行综合打分"
    assert or_missing("  ", "预算调整原因") == "【待补充：预算调整原因】"
    assert or_missing("原因", "预算调整原因") == "原因"
