"""Issue 8.2: impossible values are refused by the model on every path; implausible ones are scored
and flagged. One test per rule of docs/scoring.md ("Impossible and implausible values")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import score_evaluation
from scoring.evaluation import Target
from scoring.loading import InputError, draft_blocking, validate_data
from scoring.plausibility import COUNT_UNITS, implausible_rate, impossible_figure, is_share
from scoring.results import FlagCode
from scoring.tests.factories import evaluation, open_node_ruleset

D = Decimal


def refused(**fields: object) -> list[tuple[str, str, str]]:
    with pytest.raises(InputError) as caught:
        validate_data(Target, {"code": "T1", **fields}, "x")
    return [(p.field, p.message, p.code) for p in caught.value.problems]


# --- impossible: refused with the field named, even in a draft -----------------------------------


def test_a_negative_actual_on_a_share_is_refused() -> None:
    # The issue: "-5" on a percentage target was autosaved and scored (−5.1%).
    assert refused(name="服务对象满意度", unit="%", target="95", actual="-5") == [
        (
            "actual",
            "实际完成值 -5% 不可能为负：百分比指标只有变动率（名称含“增长”“变动”“下降”等）可以为负",
            "impossible_value",
        )
    ]


def test_a_negative_count_or_amount_is_refused() -> None:
    assert refused(name="培训人次", unit="人次", target="-100") == [
        ("target", "年度指标值 -100 不可能为负：计量单位“人次”是数量或金额", "impossible_value")
    ]
    assert refused(name="人均成本", unit="万元", actual="-1")[0][1].startswith("实际完成值 -1")


def test_an_impossible_value_blocks_even_a_draft() -> None:
    with pytest.raises(InputError) as caught:
        validate_data(Target, {"code": "T1", "name": "满意度", "unit": "%", "actual": "-5"}, "x")
    assert [p.code for p in draft_blocking(caught.value.problems)] == ["impossible_value"]


@pytest.mark.parametrize("name", ["三公经费变动率", "收入增长率", "能耗下降率"])
def test_a_change_rate_may_be_negative(name: str) -> None:
    target = Target(code="T1", name=name, unit="%", target=D(-5), actual=D(-8))
    assert target.actual == D(-8)


def test_a_figure_without_a_known_unit_may_be_negative() -> None:
    # "A wrong value is worse than none": without a unit that says what it is, nothing is refused.
    assert Target(code="T1", name="净增", unit="", actual=D(-3)).actual == D(-3)


# --- implausible: stored, scored, flagged --------------------------------------------------------


def test_spending_above_the_budget_is_flagged_and_needs_a_reason() -> None:
    # The issue: 13 of 12 万元 (108.33%) earned full points with no flag.
    result = score_evaluation(
        evaluation(
            targets=(),
            budget=("12", "12", "13"),
        ),
        open_node_ruleset(),
    )
    [flag] = [f for f in result.flags if f.code is FlagCode.EXECUTION_OVER]
    assert flag.message == (
        "全年执行数 13 万元超过全年预算数 12 万元（执行率 108.33%），请核对；如无误须说明支出变动的原因"
    )
    assert flag.missing_explanation
    assert flag.message in result.missing_explanations
    explained = score_evaluation(
        evaluation(budget=("12", "12", "13"), change_reason="年中追加的项目当年支付"),
        open_node_ruleset(),
    )
    assert not any(f.missing_explanation for f in explained.flags)


def test_exactly_the_budget_raises_nothing() -> None:
    result = score_evaluation(evaluation(budget=("12", "12", "12")), open_node_ruleset())
    assert not any(f.code is FlagCode.EXECUTION_OVER for f in result.flags)


def test_a_share_target_above_100_is_flagged_on_the_target() -> None:
    data = evaluation(
        targets=(
            Target(
                code="T1", name="满意度", unit="%", target=D(120), actual=D(96),
                points=D(100), parent="U",
            ),
        )
    )  # fmt: skip
    [indicator] = score_evaluation(data, open_node_ruleset()).indicators
    [flag] = [f for f in indicator.flags if f.code is FlagCode.IMPLAUSIBLE]
    assert flag.message == "年度指标值 120% 超出 0–100%，请核对；如无误须说明原因"
    assert flag.missing_explanation


def test_a_completion_rate_above_100_is_over_completion_not_implausible() -> None:
    assert not implausible_rate(name="项目完成率", unit="%", value=D(120))
    assert implausible_rate(name="合格率", unit="%", value=D(101))


# --- properties ------------------------------------------------------------------------------

values = st.decimals(min_value=D(-1000), max_value=D(1000), places=2)


@given(value=values, unit=st.sampled_from(sorted(COUNT_UNITS)))
def test_counts_and_amounts_are_refused_exactly_when_negative(value: Decimal, unit: str) -> None:
    assert (
        impossible_figure(name="某指标", unit=unit, value=value, label="实际完成值") is None
    ) is (value >= 0)


@given(value=values, name=st.sampled_from(["满意度", "合格率", "覆盖率", "增长率", "变动率"]))
def test_shares_are_never_negative_and_flagged_outside_0_100(value: Decimal, name: str) -> None:
    impossible = impossible_figure(name=name, unit="%", value=value, label="实际完成值")
    assert (impossible is not None) is (value < 0 and is_share(name, "%"))
    if impossible is None:
        assert implausible_rate(name=name, unit="%", value=value) is (
            is_share(name, "%") and value > 100
        )
