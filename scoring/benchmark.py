"""The 指标库 benchmark (标杆): where one unit's figure sits among the units using the same indicator.

Quantile method: linear interpolation between the closest ranks, the "inclusive" method — Hyndman
and Fan's type 7, what PostgreSQL's ``percentile_cont``, Excel's ``PERCENTILE.INC``/``QUARTILE.INC``,
numpy's default and ``statistics.quantiles(method="inclusive")`` compute. For sorted values
x[0] … x[n-1] and a fraction p, the position is h = (n − 1)·p; the quantile is
x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). So the median of an even count is the mean of the middle two,
the 0 and 1 quantiles are the minimum and maximum, and every quantile lies between them. One value
gives that value for every quantile.

Pure arithmetic on Decimal (exact); the database computes the same figures with ``percentile_cont``
on PostgreSQL, and the web layer compares both in its tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.rounding import display_amount, format_decimal

QUARTILES = (Decimal("0.25"), Decimal("0.5"), Decimal("0.75"))


def quantile(ordered: Sequence[Decimal], fraction: Decimal) -> Decimal:
    """The ``fraction`` quantile (0 ≤ fraction ≤ 1) of ``ordered`` (sorted ascending, not empty)."""
    if not ordered:
        raise ValueError("quantile of no values")
    if not Decimal(0) <= fraction <= Decimal(1):
        raise ValueError("fraction outside [0, 1]")
    position = (len(ordered) - 1) * fraction
    low = int(position)  # floor: position ≥ 0
    if low >= len(ordered) - 1:
        return ordered[-1]
    weight = position - low
    below, above = ordered[low], ordered[low + 1]
    if weight == 0 or below == above:
        return below
    return below + weight * (above - below)


@dataclass(frozen=True)
class Summary:
    """The spread of one indicator's values: how many values from how many units, and the five
    figures (minimum, lower quartile, median, upper quartile, maximum)."""

    count: int
    units: int
    minimum: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    maximum: Decimal


def summarise(values: Iterable[Decimal], *, units: int) -> Summary | None:
    """The summary of ``values`` (None when there are none); ``units`` is the number of distinct
    units the values came from (the caller counts them, the values do not say)."""
    ordered = sorted(values)
    if not ordered:
        return None
    q1, median, q3 = (quantile(ordered, p) for p in QUARTILES)
    return Summary(
        count=len(ordered),
        units=units,
        minimum=ordered[0],
        q1=q1,
        median=median,
        q3=q3,
        maximum=ordered[-1],
    )


def position_of(value: Decimal, summary: Summary) -> str:
    """Where ``value`` lies against the spread, as a reviewer reads it: "below" the lower quartile,
    "above" the upper quartile, or "within" (the middle half, quartiles included)."""
    if value < summary.q1:
        return "below"
    if value > summary.q3:
        return "above"
    return "within"


def format_statistic(value: Decimal) -> str:
    """A computed benchmark figure as shown: half up to 0.01, no trailing zeros (the rule for
    computed figures in scoring.rounding: 1.755 → '1.76', 250.00 → '250')."""
    return format_decimal(display_amount(value))
