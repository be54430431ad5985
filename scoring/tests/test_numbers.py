"""Typed numbers (scoring.numbers): thousands separators and full-width digits are accepted where
their meaning is certain, a decimal comma and malformed groupings are refused (issue 8.3)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.evaluation import BudgetRow, Target, UnitProfile
from scoring.loading import InputError, validate_data
from scoring.numbers import NumberFormatError, parse_count, parse_decimal

D = Decimal
FULL_WIDTH = str.maketrans("0123456789.,-+", "０１２３４５６７８９．，－＋")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("11360", D("11360")),
        ("11,360", D("11360")),
        ("11，360", D("11360")),
        ("１１３６０", D("11360")),
        ("１１，３６０", D("11360")),
        ("３３．２８", D("33.28")),
        ("33.28", D("33.28")),
        ("1,234,567.89", D("1234567.89")),
        (" 38.45 ", D("38.45")),
        ("\u300012\u3000", D("12")),
        ("－5", D("-5")),
        ("−5", D("-5")),
        ("+5", D("5")),
        (".5", D("0.5")),
        ("0", D("0")),
        ("999", D("999")),
    ],
)
def test_accepted(text: str, value: Decimal) -> None:
    assert parse_decimal(text) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("33,28", "decimal_comma"),
        ("33，28", "decimal_comma"),
        ("0,5", "decimal_comma"),
        ("1,23,4", "bad_grouping"),
        ("1,2345", "bad_grouping"),
        ("12,34,567", "bad_grouping"),
        ("0,500", "bad_grouping"),
        (",500", "bad_grouping"),
        ("1,,000", "bad_grouping"),
        ("1e5", "not_a_number"),
        ("NaN", "not_a_number"),
        ("Infinity", "not_a_number"),
        ("约5", "not_a_number"),
        ("5万", "not_a_number"),
        ("33。28", "not_a_number"),
        ("", "not_a_number"),
    ],
)
def test_refused_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(NumberFormatError) as caught:
        parse_decimal(text)
    assert caught.value.code == code


def test_messages_say_what_to_type() -> None:
    with pytest.raises(NumberFormatError, match=r"逗号不能作小数点，请用小数点（如 33\.28）"):
        parse_decimal("33,28")
    with pytest.raises(NumberFormatError, match="千位分隔不正确：逗号应每三位一个"):
        parse_decimal("1,23,4")


def test_counts_are_whole() -> None:
    assert parse_count("１，２３４") == 1234
    with pytest.raises(NumberFormatError, match="应为整数"):
        parse_count("5.5")
    assert parse_count("5.0") == 5


# --- properties ---------------------------------------------------------------------------------

amounts = st.decimals(
    min_value=D("-1e12"), max_value=D("1e12"), places=4, allow_nan=False, allow_infinity=False
)


@given(value=amounts, full_width=st.booleans(), comma=st.sampled_from([",", "，"]))
def test_grouped_and_full_width_read_back_exactly(
    value: Decimal, full_width: bool, comma: str
) -> None:
    text = f"{value:,f}".replace(",", comma)
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert parse_decimal(text) == value
    assert parse_decimal(f"{value:f}") == value


@given(
    whole=st.integers(min_value=0, max_value=10**9),
    decimals=st.from_regex(r"\d{1,2}", fullmatch=True),
)
def test_a_comma_before_one_or_two_digits_is_never_read_as_a_number(
    whole: int, decimals: str
) -> None:
    with pytest.raises(NumberFormatError) as caught:
        parse_decimal(f"{whole},{decimals}")
    assert caught.value.code == "decimal_comma"


@given(digits=st.from_regex(r"[1-9]\d{3,12}", fullmatch=True), data=st.data())
def test_a_comma_anywhere_but_the_thousands_is_refused(digits: str, data: st.DataObject) -> None:
    good = {len(digits) - 3 * k for k in range(1, len(digits))} - {0}
    cuts = sorted(
        data.draw(
            st.sets(st.integers(min_value=1, max_value=len(digits) - 1), min_size=1, max_size=3)
        )
    )
    text = "".join(("," if i in cuts else "") + ch for i, ch in enumerate(digits))
    if set(cuts) <= good and set(cuts) == {c for c in good if c > 0}:
        assert parse_decimal(text) == D(digits)  # exactly the thousands: accepted
    else:
        with pytest.raises(NumberFormatError):
            parse_decimal(text)


@given(text=st.text(max_size=12))
def test_anything_either_parses_to_a_finite_decimal_or_is_refused(text: str) -> None:
    try:
        value = parse_decimal(text)
    except NumberFormatError as exc:
        assert exc.message
    else:
        assert value.is_finite()


# --- every path that reads the model reads numbers this way ---------------------------------------


def test_the_model_reads_typed_numbers() -> None:
    row = BudgetRow(
        source="当年财政拨款", initial="３３．２８", full_year="38.45", executed="３８．４５"
    )
    assert (row.initial, row.executed) == (D("33.28"), D("38.45"))
    assert Target(code="T1", name="证书", actual="18,969").actual == D("18969")
    assert UnitProfile(name="某单位", staffing_quota="７").staffing_quota == 7


def test_the_model_refuses_a_decimal_comma_naming_the_field() -> None:
    with pytest.raises(InputError) as caught:
        validate_data(
            BudgetRow,
            {"source": "当年财政拨款", "initial": "33,28", "full_year": "1", "executed": "1"},
            "x",
        )
    (problem,) = caught.value.problems
    assert problem.field == "initial"
    assert problem.message == "「33,28」中的逗号不能作小数点，请用小数点（如 33.28）"
