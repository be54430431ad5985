"""The scoring rules (scoring.rules), one kind at a time, with exact values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.results import FlagCode
from scoring.rules import (
    RuleOutcome,
    score_budget_execution,
    score_deduction,
    score_qualitative,
    score_quantitative,
)
from scoring.ruleset import Band, Direction, RuleSet, Thresholds
from scoring.tests.factories import one_leaf_ruleset

D = Decimal
GE, LE, EQ, RANGE = Direction.AT_LEAST, Direction.AT_MOST, Direction.EQUAL, Direction.RANGE
DEFAULT_BANDS: tuple[Band, ...] = one_leaf_ruleset().bands


def quantitative(
    direction: Direction,
    points: str,
    target: str,
    actual: str,
    target_high: str | None = None,
    explanation: str = "",
    over_completion: str = "150",
) -> RuleOutcome:
    return score_quantitative(
        points=D(points),
        direction=direction,
        target=D(target),
        target_high=D(target_high) if target_high is not None else None,
        actual=D(actual),
        thresholds=Thresholds(over_completion=D(over_completion)),
        explanation=explanation,
    )


# A reviewer's table: rule, points, target, actual → score (unrounded rule output).
WORKED_EXAMPLES = [
    # 正向指标（≥）：达成即满分
    ("≥", GE, "10", "12000", "12000", None, "10"),
    # 正向指标（≥）：超额完成也只得满分，不加分
    ("≥", GE, "10", "12000", "18969", None, "10"),
    # 正向指标（≥）：未达成，10 × 9000 / 12000 = 7.5
    ("≥", GE, "10", "12000", "9000", None, "7.5"),
    # 正向指标（≥）：完成为零得零分
    ("≥", GE, "10", "100", "0", None, "0"),
    # 反向指标（≤，成本）：不超过目标即满分
    ("≤", LE, "10", "2000", "1800", None, "10"),
    # 反向指标（≤，成本）：超支，10 × 2000 / 2500 = 8
    ("≤", LE, "10", "2000", "2500", None, "8"),
    # 反向指标（≤）：目标为负（变动率 ≤ −5%）而实际为 0，无比例分，也不除以零
    ("≤", LE, "5", "-5", "0", None, "0"),
    # 正向指标（≥）：目标为 0 而实际为负，无比例分，也不除以零
    ("≥", GE, "5", "0", "-1", None, "0"),
    # 等于目标（=）：相等满分
    ("=", EQ, "5", "100", "100", None, "5"),
    # 等于目标（=）：不相等零分（通过/不通过）
    ("=", EQ, "5", "100", "99.99", None, "0"),
    # 区间（90～110）：落在区间内（含端点）满分
    ("区间", RANGE, "5", "90", "110", "110", "5"),
    # 区间（90～110）：低于下限零分
    ("区间", RANGE, "5", "90", "89.9", "110", "0"),
    # 区间（90～110）：高于上限零分
    ("区间", RANGE, "5", "90", "110.1", "110", "0"),
]


@pytest.mark.parametrize(
    ("rule", "direction", "points", "target", "actual", "target_high", "score"),
    WORKED_EXAMPLES,
    ids=[f"{r[0]} {r[2]}分 目标{r[3]} 实际{r[4]}" for r in WORKED_EXAMPLES],
)
def test_worked_examples_of_quantitative_rules(
    rule: str,
    direction: Direction,
    points: str,
    target: str,
    actual: str,
    target_high: str | None,
    score: str,
) -> None:
    outcome = quantitative(direction, points, target, actual, target_high=target_high)
    assert outcome.score == D(score)


def test_an_explained_flag_stays_but_no_longer_asks_for_an_explanation() -> None:
    # A published report once read "须填写偏差原因分析及改进措施" next to a written explanation.
    [miss] = quantitative(GE, "10", "12000", "9000", explanation="部分考点顺延").flags
    assert miss.message == "未达成年度指标值（目标 12000，实际 9000），已说明偏差原因"
    assert not miss.missing_explanation
    [over] = quantitative(GE, "10", "100", "200", explanation="目标偏低").flags
    assert over.message == "完成率 200.00% 超过 150%，偏离度过大（目标可能设定偏低），已说明原因"


def test_at_least_miss_is_flagged_and_needs_an_explanation() -> None:
    outcome = quantitative(GE, "10", "12000", "9000")
    assert outcome.completion_rate == D(75)
    [flag] = outcome.flags
    assert flag.code is FlagCode.NOT_MET
    assert flag.message == "未达成年度指标值（目标 12000，实际 9000），须填写偏差原因分析及改进措施"
    assert flag.missing_explanation


def test_a_miss_with_an_explanation_is_no_longer_missing_one() -> None:
    outcome = quantitative(GE, "10", "12000", "9000", explanation="受政策调整影响。")
    assert outcome.flags[0].code is FlagCode.NOT_MET
    assert not outcome.flags[0].missing_explanation


def test_at_most_completion_rate_is_target_over_actual() -> None:
    outcome = quantitative(LE, "10", "2000", "2500")
    assert outcome.completion_rate == D(80)
    assert outcome.flags[0].code is FlagCode.NOT_MET


def test_met_within_threshold_has_no_flag() -> None:
    outcome = quantitative(GE, "10", "4400", "5570")
    assert outcome.flags == ()
    assert outcome.score == D(10)


def test_over_completion_above_threshold_is_flagged() -> None:
    outcome = quantitative(GE, "10", "12000", "18969")
    assert outcome.score == D(10)
    assert outcome.completion_rate == D("158.075")
    [flag] = outcome.flags
    assert flag.code is FlagCode.OVER_COMPLETION
    assert flag.message == ("完成率 158.08% 超过 150%，偏离度过大（目标可能设定偏低），须说明原因")
    assert flag.missing_explanation


def test_over_completion_exactly_at_threshold_is_not_flagged() -> None:
    assert quantitative(GE, "10", "100", "150").flags == ()
    assert quantitative(GE, "10", "100", "150.01").flags[0].code is FlagCode.OVER_COMPLETION


def test_over_completion_threshold_comes_from_the_ruleset() -> None:
    assert quantitative(GE, "10", "100", "130", over_completion="120").flags[0].code is (
        FlagCode.OVER_COMPLETION
    )
    assert quantitative(GE, "10", "100", "130", over_completion="200").flags == ()


def test_over_completion_explained() -> None:
    outcome = quantitative(GE, "10", "100", "200", explanation="目标测算保守。")
    assert outcome.flags[0].code is FlagCode.OVER_COMPLETION
    assert not outcome.flags[0].missing_explanation


def test_missing_target_is_not_scored() -> None:
    outcome = score_quantitative(
        points=D(10), direction=GE, target=None, actual=D(5), thresholds=Thresholds()
    )
    assert outcome.score == D(0)
    assert [(f.code, f.message) for f in outcome.flags] == [
        (FlagCode.NOT_SCORED, "未评分：缺少年度指标值")
    ]


# Qualitative bands: A 80–100%, B 60–80%, C 0–60% of the points.
QUALITATIVE_EXAMPLES = [
    # 达成预期指标：5 分指标在 4–5 分之间取值
    ("A", "5", "4", "4", "达成预期指标"),
    # 部分达成：10 分指标在 6–8 分之间取值，档内任何值都可
    ("B", "10", "7.5", "7.5", "部分达成预期指标并具有一定效果"),
    # 未达成：0 分也在档内
    ("C", "10", "0", "0", "未达成预期指标且效果较差"),
    # 档次可写中文名称
    ("部分达成预期指标并具有一定效果", "5", "3", "3", "部分达成预期指标并具有一定效果"),
]


@pytest.mark.parametrize(("band", "points", "given", "score", "label"), QUALITATIVE_EXAMPLES)
def test_qualitative_score_inside_its_band(
    band: str, points: str, given: str, score: str, label: str
) -> None:
    outcome, chosen, problem = score_qualitative(
        points=D(points), bands=DEFAULT_BANDS, band=band, score=D(given)
    )
    assert (outcome.score, chosen, problem) == (D(score), label, None)


def test_qualitative_score_outside_its_band_is_refused() -> None:
    outcome, chosen, problem = score_qualitative(
        points=D(5), bands=DEFAULT_BANDS, band="A", score=D("3.5")
    )
    assert problem == "得分 3.5 不在所选档次「达成预期指标」的范围 4–5 分内"
    assert chosen == "达成预期指标"
    assert outcome.score == D("3.5")


def test_qualitative_score_above_points_is_refused_and_capped() -> None:
    outcome, _, problem = score_qualitative(points=D(5), bands=DEFAULT_BANDS, band="A", score=D(6))
    assert problem == "得分 6 超过分值 5"
    assert outcome.score == D(5)


def test_qualitative_unknown_band_is_refused() -> None:
    _, _, problem = score_qualitative(points=D(5), bands=DEFAULT_BANDS, band="D", score=D(4))
    assert problem == (
        "档次「D」不存在，可选：A（达成预期指标）、B（部分达成预期指标并具有一定效果）、"
        "C（未达成预期指标且效果较差）"
    )


def test_qualitative_without_band_reads_it_off_the_score_edges_to_the_higher_band() -> None:
    _, chosen, problem = score_qualitative(points=D(5), bands=DEFAULT_BANDS, band=None, score=D(4))
    assert (chosen, problem) == ("达成预期指标", None)
    _, chosen, _ = score_qualitative(points=D(5), bands=DEFAULT_BANDS, band=None, score=D("3.99"))
    assert chosen == "部分达成预期指标并具有一定效果"


def test_qualitative_bands_of_a_province_with_80_50_0() -> None:
    bands = RuleSet.model_validate(
        {
            **one_leaf_ruleset().model_dump(),
            "bands": [
                {"key": "A", "label": "达成", "low": 80, "high": 100},
                {"key": "B", "label": "部分达成", "low": 50, "high": 80},
                {"key": "C", "label": "未达成", "low": 0, "high": 50},
            ],
        }
    ).bands
    _, _, problem = score_qualitative(points=D(10), bands=bands, band="B", score=D(5))
    assert problem is None
    _, _, problem = score_qualitative(points=D(10), bands=bands, band="C", score=D(6))
    assert problem == "得分 6 不在所选档次「未达成」的范围 0–5 分内"


# 扣分制：在职人员控制率 ≤ 100%，每超 1 个百分点扣 1 分，扣完为止（5 分）
DEDUCTION_EXAMPLES = [
    ("71.43", "5"),  # 7 个编制 5 人在职：不扣分
    ("100", "5"),  # 正好满编：不扣分
    ("102.5", "2.5"),  # 超 2.5 个百分点：扣 2.5 分
    ("104", "1"),  # 超 4 个百分点
    ("105", "0"),  # 扣完
    ("140", "0"),  # 不得为负
]


@pytest.mark.parametrize(("actual", "score"), DEDUCTION_EXAMPLES)
def test_deduction_per_point_over_the_limit_floor_zero(actual: str, score: str) -> None:
    outcome = score_deduction(
        points=D(5), direction=LE, actual=D(actual), limit=D(100), deduct_per_point=D(1)
    )
    assert outcome.score == D(score)
    assert outcome.completion_rate == D(actual)


def test_deduction_flags_the_excess_without_asking_for_an_explanation() -> None:
    outcome = score_deduction(
        points=D(5), direction=LE, actual=D("102.5"), limit=D(100), deduct_per_point=D(1)
    )
    [flag] = outcome.flags
    assert flag.code is FlagCode.NOT_MET
    assert flag.message == "实际 102.50% 超出限值 100%，按规则扣分"
    assert not flag.needs_explanation


def test_deduction_for_at_least_counts_points_below_the_limit() -> None:
    # 政府采购执行率 ≥ 95%：每低 1 个百分点扣 0.5 分
    outcome = score_deduction(
        points=D(4), direction=GE, actual=D(91), limit=D(95), deduct_per_point=D("0.5")
    )
    assert outcome.score == D(2)


# 预算执行率：分值 × 执行率，封顶
EXECUTION_EXAMPLES = [
    ("15", "100", "15"),  # 全部执行
    ("15", "90", "13.5"),  # 执行 90%
    ("10", "95", "9.5"),
    ("15", "115.53", "15"),  # 超过 100% 也只得满分
    ("15", "0", "0"),
]


@pytest.mark.parametrize(("points", "rate", "score"), EXECUTION_EXAMPLES)
def test_budget_execution_is_points_times_rate_capped(points: str, rate: str, score: str) -> None:
    outcome = score_budget_execution(points=D(points), rate=D(rate))
    assert outcome.score == D(score)
    assert outcome.completion_rate == D(rate)
