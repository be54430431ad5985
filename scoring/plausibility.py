"""Impossible and implausible figures (不可能的数值与存疑的数值), decided once for every path.

*Impossible* values are refused wherever a self-evaluation is read (the model: CLI, API, forms,
autosave, imports), with a Chinese message naming the field, because no real report can hold them:
a negative amount or count, a negative share. *Implausible* values are stored and scored but
flagged (the engine's flags: live score panel, 缺项清单, reviewer view), because a real report can
hold them and a person must say why: spending above the budget, a rate target outside 0–100%.
The decision table is in docs/scoring.md ("Impossible and implausible values").

Pure Python (no Django).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from scoring.messages import N_, Msg

# Units of things that are counted or paid: a figure in one of them is never negative.
COUNT_UNITS = frozenset(
    [
        "人",
        "人次",
        "名",
        "位",
        "次",
        "场",
        "期",
        "批",
        "个",
        "项",
        "件",
        "家",
        "户",
        "所",
        "座",
        "处",
        "条",
        "台",
        "套",
        "辆",
        "册",
        "本",
        "份",
        "篇",
        "张",
        "只",
        "头",
        "株",
        "亩",
        "天",
        "日",
        "周",
        "月",
        "年",
        "小时",
        "课时",
        "学时",
        "公里",
        "千米",
        "米",
        "平方米",
        "吨",
        "元",
        "千元",
        "万元",
        "亿元",
    ]
)
PERCENT_UNITS = frozenset({"%", "％", "百分比"})
# A percentage whose name says it measures a change may be negative or above 100%: 三公经费变动率
# ≤ −5%, 收入增长率 −2%. Every other percentage is a share (满意度, 合格率, 覆盖率, 完成率).
CHANGE_WORDS = (
    "增长",
    "增速",
    "增幅",
    "增减",
    "变动",
    "变化",
    "下降",
    "降低",
    "降幅",
    "减少",
    "节约",
)
# Shares of a plan rather than of a whole: above 100% is over-completion (its own flag), not odd.
OVER_PLAN_WORDS = ("完成率", "执行率", "达成率")

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def _unit(unit: str) -> str:
    return unit.strip()


def is_count_unit(unit: str) -> bool:
    return _unit(unit) in COUNT_UNITS


def is_share(name: str, unit: str) -> bool:
    """A percentage that is a share of a whole (never negative), not a change rate."""
    return _unit(unit) in PERCENT_UNITS and not any(word in name for word in CHANGE_WORDS)


def impossible_figure(*, name: str, unit: str, value: Decimal, label: str) -> Msg | None:
    """Why ``value`` (a target's 年度指标值 / 区间上限 / 实际完成值, named by ``label``) cannot
    be, or None."""
    if value >= ZERO:
        return None
    if is_count_unit(unit):
        return Msg(
            N_("{label} {value} 不可能为负：计量单位“{unit}”是数量或金额"),
            label=label,
            value=value,
            unit=_unit(unit),
        )
    if is_share(name, unit):
        return Msg(
            N_(
                "{label} {value}% 不可能为负：百分比指标只有变动率"
                "（名称含“增长”“变动”“下降”等）可以为负"
            ),
            label=label,
            value=value,
        )
    return None


def implausible_rate(*, name: str, unit: str, value: Decimal) -> bool:
    """A share outside 0–100% (a target of 120% satisfaction): stored, flagged for a person."""
    if not is_share(name, unit):
        return False
    if value > HUNDRED and any(word in name for word in OVER_PLAN_WORDS):
        return False
    return not ZERO <= value <= HUNDRED


# --- an actual far outside the history (远超往年) ----------------------------------------------
# An actual more than HISTORY_FACTOR times, or less than 1/HISTORY_FACTOR of, the same target's
# actual in the most recent earlier year is flagged — when the larger of the two figures is at
# least HISTORY_MIN_SIZE (so 2 → 12 meetings does not trip it) and both are above zero (a zero has
# no ratio; a change rate's sign and size swing by nature, so change rates are never compared).
HISTORY_FACTOR = Decimal(5)
HISTORY_MIN_SIZE = Decimal(50)
HISTORY_YEARS = 2  # how many earlier years are looked at (the most recent match wins)


@dataclass(frozen=True)
class PastActual:
    """A target's 实际完成值 in an earlier year (from that year's self-evaluation)."""

    year: int
    code: str
    name: str
    unit: str
    actual: Decimal


def _key(name: str, unit: str) -> tuple[str, str]:
    return ("".join(name.split()), _unit(unit))


def match_history(
    *, code: str, name: str, unit: str, history: Iterable[PastActual]
) -> PastActual | None:
    """The same target in the most recent earlier year: matched by code (with the same unit of
    measure: a figure in 人次 is never held to one in 万元), else by name + unit."""
    best: PastActual | None = None
    for past in history:
        same_code = past.code == code and _unit(past.unit) == _unit(unit)
        same_name = _key(past.name, past.unit) == _key(name, unit)
        if not (same_code or same_name):
            continue
        if best is None or (past.year, same_code) > (best.year, best.code == code):
            best = past
    return best


def far_from_history(*, name: str, unit: str, actual: Decimal, past: Decimal) -> Decimal | None:
    """The factor (actual / past, or past / actual when it fell) when ``actual`` lies far outside
    last year's figure ``past`` (rule above), else None. Pure arithmetic, exact Decimal."""
    if _unit(unit) in PERCENT_UNITS and not is_share(name, unit):
        return None  # a change rate: no history to hold it to
    if actual <= ZERO or past <= ZERO or max(actual, past) < HISTORY_MIN_SIZE:
        return None
    factor = actual / past if actual >= past else past / actual
    return factor if factor > HISTORY_FACTOR else None
