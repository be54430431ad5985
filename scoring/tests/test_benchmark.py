"""The benchmark statistics (scoring.benchmark): quartiles by linear interpolation (type 7)."""

from __future__ import annotations

import statistics
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.benchmark import position_of, quantile, summarise

values = st.lists(
    st.decimals(
        min_value=Decimal("-1000000"),
        max_value=Decimal("1000000"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    ),
    min_size=1,
    max_size=60,
)


def test_worked_examples() -> None:
    # 1, 2, 3, 4: positions 0.75, 1.5, 2.25 → 1.75, 2.5, 3.25 (Excel QUARTILE.INC gives the same).
    s = summarise([Decimal(4), Decimal(1), Decimal(3), Decimal(2)], units=3)
    assert s is not None
    assert (s.count, s.units) == (4, 3)
    assert (s.minimum, s.q1, s.median, s.q3, s.maximum) == (
        Decimal(1),
        Decimal("1.75"),
        Decimal("2.5"),
        Decimal("3.25"),
        Decimal(4),
    )
    # An odd count: the middle value; one value: that value everywhere.
    assert summarise([Decimal(12000), Decimal(9000), Decimal(15000)], units=3).median == 12000  # type: ignore[union-attr]
    one = summarise([Decimal("18969")], units=1)
    assert one is not None and one.q1 == one.median == one.q3 == Decimal("18969")
    assert summarise([], units=0) is None


def test_quantile_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        quantile([], Decimal("0.5"))
    with pytest.raises(ValueError):
        quantile([Decimal(1)], Decimal("1.5"))


@settings(deadline=None)
@given(values)
def test_quartiles_are_ordered_and_within_the_range(data: list[Decimal]) -> None:
    s = summarise(data, units=1)
    assert s is not None
    assert s.minimum <= s.q1 <= s.median <= s.q3 <= s.maximum
    assert s.minimum == min(data) and s.maximum == max(data)
    assert s.count == len(data)


@settings(deadline=None)
@given(values)
def test_equals_the_reference_computation(data: list[Decimal]) -> None:
    s = summarise(data, units=1)
    assert s is not None
    if len(data) >= 2:
        # The standard library's inclusive method is the same type-7 interpolation.
        q1, median, q3 = statistics.quantiles(data, n=4, method="inclusive")
        assert (s.q1, s.median, s.q3) == (q1, median, q3)
    assert s.median == statistics.median(data)


@settings(deadline=None)
@given(values, st.decimals(min_value=0, max_value=1, places=3))
def test_quantile_is_monotone_in_the_fraction(data: list[Decimal], p: Decimal) -> None:
    ordered = sorted(data)
    assert quantile(ordered, Decimal(0)) == ordered[0]
    assert quantile(ordered, Decimal(1)) == ordered[-1]
    assert ordered[0] <= quantile(ordered, p) <= ordered[-1]
    assert quantile(ordered, p) <= quantile(ordered, min(Decimal(1), p + Decimal("0.1")))


@settings(deadline=None)
@given(values)
def test_order_of_the_values_does_not_matter(data: list[Decimal]) -> None:
    assert summarise(data, units=1) == summarise(list(reversed(data)), units=1)


def test_position_against_the_spread() -> None:
    s = summarise([Decimal(v) for v in (10, 20, 30, 40, 50)], units=5)
    assert s is not None
    assert position_of(Decimal(19), s) == "below"
    assert position_of(Decimal(20), s) == "within"
    assert position_of(Decimal(40), s) == "within"
    assert position_of(Decimal(41), s) == "above"
