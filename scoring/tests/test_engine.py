"""The engine (scoring.engine): ratios, totals, grades, required explanations, and the seed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.engine import ScoringError, derive_ratios, require_complete, score_evaluation
from scoring.evaluation import Assessment, SelfEvaluation
from scoring.loading import find_ruleset
from scoring.results import EvaluationResult, FlagCode
from scoring.rounding import display_percent
from scoring.ruleset import DerivedMetric, Direction, Rule, RuleKind, RuleSet, Thresholds
from scoring.tests.factories import (
    evaluation,
    one_leaf_ruleset,
    open_node_ruleset,
    seed,
    target,
)

D = Decimal


def score_seed() -> tuple[SelfEvaluation, EvaluationResult]:
    data = seed()
    return data, score_evaluation(data, find_ruleset(data.ruleset))


# --- the seed: 湛江市职业技能鉴定指导中心 2025 ---------------------------------------------


def test_seed_scores_98_excellent_and_is_complete() -> None:
    _, result = score_seed()
    assert result.total == D("98.00")
    assert (result.grade_code, result.grade_label, result.grade_name) == ("excellent", "优", "优秀")
    assert result.ruleset_ref == "gd-department@2025.1"
    assert require_complete(result) is result
    assert result.problems == ()
    assert result.missing_explanations == ()


def test_seed_per_indicator_scores_and_group_subtotals() -> None:
    _, result = score_seed()
    assert {i.code: i.score for i in result.indicators} == {
        "B1": D(4), "B2": D(5), "B3": D(10),
        "E1": D(15), "E2": D(5), "E3": D(10),
        "S1": D(5), "S2": D(4), "S3": D(5),
        "T1": D(10), "T2": D(10), "T3": D(5), "U2": D(5), "U3": D(5),
    }  # fmt: skip
    assert [(g.name, g.points, g.score) for g in result.groups] == [
        ("预算编制", D(20), D(19)),
        ("预算执行", D(30), D(30)),
        ("预算监督", D(15), D(14)),
        ("预算使用效益", D(35), D(35)),
    ]


def test_seed_ratios_as_the_report_states_them() -> None:
    _, result = score_seed()
    ratios = result.ratios
    assert {k: display_percent(v) for k, v in ratios.completion_rates.items()} == {
        "T1": D("158.08"),
        "T2": D("126.59"),
        "T3": D("114.19"),
    }
    assert ratios.completion_rates["T1"] == D("158.075")  # exact until shown
    # 支出完成率 100% holds against the adjusted budget 38.45, not the initial 33.28.
    assert ratios.execution_rate == D(100)
    assert display_percent(ratios.execution_rate_initial or D(0)) == D("115.53")
    assert display_percent(ratios.adjustment_rate or D(0)) == D("15.53")
    assert display_percent(ratios.staffing_control_rate or D(0)) == D("71.43")


def test_seed_flags_the_over_completion_of_t1_and_has_its_explanation() -> None:
    _, result = score_seed()
    flagged = {i.code: [f.code for f in i.flags] for i in result.indicators if i.unit_defined}
    assert flagged == {"T1": [FlagCode.OVER_COMPLETION], "T2": [], "T3": []}
    assert result.flags == ()


def test_seed_keeps_the_units_listing_order() -> None:
    _, result = score_seed()
    assert [i.code for i in result.indicators] == [
        "B1", "B2", "B3", "E1", "E2", "E3", "S1", "S2", "S3", "T1", "T2", "T3", "U2", "U3",
    ]  # fmt: skip


# --- derived ratios -------------------------------------------------------------------------


def test_ratios_from_figures() -> None:
    data = evaluation(budget=("80", "100", "90"), staffing=(10, 11))
    ratios = derive_ratios(data)
    assert ratios.execution_rate == D(90)
    assert ratios.execution_rate_initial == D("112.5")
    assert ratios.adjustment_rate == D(25)
    assert ratios.staffing_control_rate == D(110)


def test_ratios_are_none_where_the_denominator_is_zero() -> None:
    data = evaluation(budget=("0", "0", "0"), staffing=(0, 3))
    ratios = derive_ratios(data)
    assert (ratios.execution_rate, ratios.adjustment_rate, ratios.staffing_control_rate) == (
        None,
        None,
        None,
    )


def test_a_budget_cut_has_a_negative_adjustment_rate() -> None:
    assert derive_ratios(evaluation(budget=("100", "60", "60"))).adjustment_rate == D(-40)


def test_completion_rate_of_an_at_most_target_is_target_over_actual() -> None:
    data = evaluation(
        targets=(
            target("A", "2000", "2500", "50", direction=Direction.AT_MOST, explanation="超支"),
            target("B", "80", "60", "50", explanation="未完成"),
        )
    )
    assert derive_ratios(data).completion_rates == {"A": D(80), "B": D(75)}


# --- totals, rounding and grades ------------------------------------------------------------


def test_each_indicator_is_rounded_half_up_once_and_the_total_is_their_sum() -> None:
    # 10 × 1 / 3 = 3.333… → 3.33; 10 × 2 / 3 = 6.666… → 6.67; 80 × 1 = 80
    data = evaluation(
        targets=(
            target("A", "3", "1", "10", explanation="x"),
            target("B", "3", "2", "10", explanation="x"),
            target("C", "1", "1", "80"),
        )
    )
    result = score_evaluation(data, open_node_ruleset())
    assert [i.score for i in result.indicators] == [D("3.33"), D("6.67"), D("80.00")]
    assert result.total == D("90.00")
    assert result.grade_label == "优"


def test_targets_met_counts_the_units_own_targets_reached() -> None:
    """指标达成: of the unit's performance targets (单位自设), those reached; rule-set indicators
    (B1, E1, ...) are not targets, and an over-completion is still met."""
    _, seed_result = score_seed()
    assert seed_result.targets_met == (3, 3)
    data = evaluation(
        targets=(
            target("A", "100", "100", "40"),
            target("B", "10", "12", "30", direction=Direction.AT_MOST, explanation="x"),
            target("C", "50", "20", "30", explanation="原因"),
        )
    )
    assert score_evaluation(data, open_node_ruleset()).targets_met == (1, 3)


def test_half_a_cent_rounds_up() -> None:
    # 1 × 5 / 1000 = 0.005 → 0.01
    data = evaluation(
        targets=(
            target("A", "1000", "5", "1", explanation="x"),
            target("B", "1", "1", "99"),
        )
    )
    result = score_evaluation(data, open_node_ruleset())
    assert result.indicators[0].score == D("0.01")


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"),
        ("90", "优"),  # 90 含在优
        ("89.99", "良"),
        ("80", "良"),  # 80 含在良
        ("79.99", "中"),
        ("60", "中"),  # 60 含在中
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_boundaries(total: str, grade: str) -> None:
    data = evaluation(assessments=(Assessment(code="Q", score=D(total)),))
    result = score_evaluation(data, one_leaf_ruleset())
    assert (result.total, result.grade_label) == (D(total), grade)


# --- reviewer deduction ---------------------------------------------------------------------


def test_reviewer_deduction_is_subtracted_and_recorded_with_its_reason() -> None:
    data = evaluation(
        assessments=(
            Assessment(
                code="Q",
                band="A",
                score=D(90),
                reviewer_deduction=D("2.5"),
                reviewer_deduction_reason="佐证材料不全",
            ),
        )
    )
    result = score_evaluation(data, one_leaf_ruleset())
    [indicator] = result.indicators
    assert indicator.score == D("87.50")
    assert indicator.reviewer_deduction == D("2.5")
    assert [(f.code, f.message) for f in indicator.flags] == [
        (FlagCode.REVIEWER_DEDUCTION, "复核扣 2.5 分：佐证材料不全")
    ]
    assert result.grade_label == "良"


def test_reviewer_deduction_never_takes_a_score_below_zero() -> None:
    deducted = target("A", "100", "100", "100")
    deducted = deducted.model_copy(
        update={"reviewer_deduction": D(150), "reviewer_deduction_reason": "目标设定明显偏低"}
    )
    result = score_evaluation(evaluation(targets=(deducted,)), open_node_ruleset())
    assert result.indicators[0].score == D(0)


def test_reviewer_deduction_of_an_over_completed_target() -> None:
    over = target("A", "100", "200", "100", explanation="目标偏低")
    over = over.model_copy(
        update={"reviewer_deduction": D(3), "reviewer_deduction_reason": "偏离度过大"}
    )
    result = score_evaluation(evaluation(targets=(over,)), open_node_ruleset())
    [indicator] = result.indicators
    assert indicator.score == D(97)
    assert [f.code for f in indicator.flags] == [
        FlagCode.OVER_COMPLETION,
        FlagCode.REVIEWER_DEDUCTION,
    ]


def test_a_deduction_without_reason_is_refused_by_the_model() -> None:
    with pytest.raises(ValueError, match="复核扣分须写明扣分理由"):
        Assessment(code="Q", score=D(5), reviewer_deduction=D(1))


# --- fixed leaves scored from derived ratios ------------------------------------------------


def staffing_ruleset() -> RuleSet:
    return one_leaf_ruleset(
        Rule(
            kind=RuleKind.DEDUCTION,
            direction=Direction.AT_MOST,
            source=DerivedMetric.STAFFING_CONTROL_RATE,
            limit=D(100),
            deduct_per_point=D(1),
        ),
        points=D(5),
    )


def test_staffing_control_within_quota_is_full_points() -> None:
    result = score_evaluation(evaluation(staffing=(7, 5)), staffing_ruleset())
    assert result.total == D(5)
    assert result.flags == ()


def test_staffing_control_over_quota_deducts_and_flags() -> None:
    # 40 编制 41 人在职：102.5%，扣 2.5 分
    result = score_evaluation(evaluation(staffing=(40, 41)), staffing_ruleset())
    assert result.total == D("2.50")
    assert [(f.code, f.message) for f in result.flags] == [
        (FlagCode.OVER_QUOTA, "实有人数 41 人超过编制数 40 人")
    ]


def test_staffing_control_without_figures_is_a_problem() -> None:
    result = score_evaluation(evaluation(), staffing_ruleset())
    assert result.total == D(0)
    assert result.problems == ("指标「综合评价」缺少计算所需的数据（预算或人员）",)
    with pytest.raises(ScoringError):
        require_complete(result)


def test_budget_execution_row_through_the_engine() -> None:
    ruleset = one_leaf_ruleset(
        Rule(kind=RuleKind.BUDGET_EXECUTION, source=DerivedMetric.EXECUTION_RATE), points=D(10)
    )
    result = score_evaluation(
        evaluation(budget=("100", "120", "96"), execution_explanation="项目延期"), ruleset
    )
    # 96 / 120 = 80% → 10 × 80% = 8
    assert result.total == D(8)
    assert result.indicators[0].completion_rate == D(80)


def test_adjustment_rate_scores_the_absolute_change() -> None:
    ruleset = one_leaf_ruleset(
        Rule(
            kind=RuleKind.DEDUCTION,
            direction=Direction.AT_MOST,
            source=DerivedMetric.ADJUSTMENT_RATE,
            limit=D(20),
            deduct_per_point=D("0.5"),
        ),
        points=D(5),
    )
    # a 25% cut counts as a 25% adjustment: 5 points over 20 → 2.5 deducted
    result = score_evaluation(evaluation(budget=("100", "75", "75"), change_reason="压减"), ruleset)
    assert result.total == D("2.50")


# --- required explanations ------------------------------------------------------------------


def test_a_missed_target_needs_an_explanation() -> None:
    data = evaluation(targets=(target("A", "100", "80", "100"),))
    result = score_evaluation(data, open_node_ruleset())
    assert result.total == D(80)
    assert result.missing_explanations == (
        "指标A：未达成年度指标值（目标 100，实际 80），须填写偏差原因分析及改进措施",
    )


def test_execution_below_threshold_needs_an_explanation() -> None:
    data = evaluation(budget=("100", "100", "89.99"), targets=(target("A", "1", "1", "100"),))
    result = score_evaluation(data, open_node_ruleset())
    assert result.missing_explanations == ("预算执行率 89.99% 低于 90%，须说明原因",)
    explained = evaluation(
        budget=("100", "100", "89.99"),
        targets=(target("A", "1", "1", "100"),),
        execution_explanation="年底资金到位",
    )
    result = score_evaluation(explained, open_node_ruleset())
    assert [f.code for f in result.flags] == [FlagCode.EXECUTION_LOW]
    assert result.missing_explanations == ()


def test_execution_at_threshold_needs_nothing() -> None:
    data = evaluation(budget=("100", "100", "90"), targets=(target("A", "1", "1", "100"),))
    assert score_evaluation(data, open_node_ruleset()).flags == ()


def test_adjustment_above_threshold_needs_an_explanation() -> None:
    data = evaluation(budget=("100", "130.01", "130.01"), targets=(target("A", "1", "1", "100"),))
    result = score_evaluation(data, open_node_ruleset())
    assert result.missing_explanations == ("预算调整率 30.01% 超过 30%，须说明调整原因",)
    at_limit = evaluation(budget=("100", "70", "70"), targets=(target("A", "1", "1", "100"),))
    assert score_evaluation(at_limit, open_node_ruleset()).flags == ()


def test_thresholds_come_from_the_ruleset() -> None:
    strict = one_leaf_ruleset(thresholds=Thresholds(execution_min=D(95), adjustment_max=D(10)))
    data = evaluation(
        budget=("100", "115", "109.24"), assessments=(Assessment(code="Q", score=D(90)),)
    )
    result = score_evaluation(data, strict)
    assert [f.code for f in result.flags] == [FlagCode.EXECUTION_LOW, FlagCode.ADJUSTMENT_HIGH]


# --- problems -------------------------------------------------------------------------------


def test_unknown_codes_and_wrong_ruleset_are_problems() -> None:
    data = evaluation(assessments=(Assessment(code="Q", score=D(90)), Assessment(code="ZZ")))
    data = data.model_copy(update={"ruleset": "other@2"})
    result = score_evaluation(data, one_leaf_ruleset())
    assert result.problems == (
        "自评使用的规则集 other@2 与评分规则集 test@1 不一致",
        "指标编码 ZZ 不在规则集 test@1 中",
    )


def test_open_node_points_must_add_up() -> None:
    data = evaluation(targets=(target("A", "1", "1", "60"),))
    result = score_evaluation(data, open_node_ruleset())
    assert result.problems == ("「产出」下绩效目标分值合计 60，应等于该指标分值 100",)


def test_qualitative_out_of_band_is_a_problem_in_chinese() -> None:
    data = evaluation(assessments=(Assessment(code="Q", band="A", score=D(70)),))
    result = score_evaluation(data, one_leaf_ruleset())
    assert result.problems == (
        "定性指标「综合评价」：得分 70 不在所选档次「达成预期指标」的范围 80–100 分内",
    )
    with pytest.raises(ScoringError, match="不在所选档次"):
        require_complete(result)


def test_a_target_without_its_actual_value_leaves_the_rest_scored():
    """A draft: one target has no 实际完成值 yet. It scores 0 with a flag and a problem; the other
    indicators score as usual, so the unit sees its progress while filling in."""
    full = seed()
    targets = tuple(
        t.model_copy(update={"actual": None}) if t.code == "T3" else t for t in full.targets
    )
    draft = full.model_copy(update={"targets": targets})
    result = score_evaluation(draft, find_ruleset(draft.ruleset))
    t3 = next(i for i in result.indicators if i.code == "T3")
    assert t3.score == Decimal("0.00")
    assert [f.code.value for f in t3.flags] == ["not_scored"]
    assert "绩效目标「新增取得技师及以上职业技能等级认定证书」缺少实际完成值" in result.problems
    assert result.total == Decimal("93.00")  # 98 − the 5 points of T3
    assert "T3" not in result.ratios.completion_rates
