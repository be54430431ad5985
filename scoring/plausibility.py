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

from decimal import Decimal

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


def impossible_figure(*, name: str, unit: str, value: Decimal, label: str) -> str | None:
    """Why ``value`` (a target's 年度指标值 / 区间上限 / 实际完成值) cannot be, or None."""
    if value >= ZERO:
        return None
    if is_count_unit(unit):
        return f"{label} {value} 不可能为负：计量单位“{_unit(unit)}”是数量或金额"
    if is_share(name, unit):
        return (
            f"{label} {value}% 不可能为负：百分比指标只有变动率"
            "（名称含“增长”“变动”“下降”等）可以为负"
        )
    return None


def implausible_rate(*, name: str, unit: str, value: Decimal) -> bool:
    """A share outside 0–100% (a target of 120% satisfaction): stored, flagged for a person."""
    if not is_share(name, unit):
        return False
    if value > HUNDRED and any(word in name for word in OVER_PLAN_WORDS):
        return False
    return not ZERO <= value <= HUNDRED
