"""绩效运行监控: 序时进度, execution and target progress, every warning rule and its edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.monitoring import (
    BudgetRow,
    Level,
    Likelihood,
    MonitoringReport,
    Reason,
    TargetRow,
    Thresholds,
    completion_level,
    evaluate,
    execution_level,
    execution_progress,
    report_from_data,
    submission_problems,
    target_progress,
    time_progress,
    warning_text,
)
from scoring.ruleset import Direction

D = Decimal
DEFAULT = Thresholds()
JULY_31 = dt.date(2026, 7, 31)


# --- 序时进度 -------------------------------------------------------------------------------------


def test_time_progress_counts_the_as_of_day():
    assert time_progress(JULY_31, 2026) == D(212) * 100 / D(365)
    assert time_progress(dt.date(2026, 1, 1), 2026) == D(100) / D(365)
    assert time_progress(dt.date(2026, 12, 31), 2026) == D(100)
    assert time_progress(dt.date(2024, 12, 31), 2024) == D(100)  # leap year: 366/366
    assert time_progress(dt.date(2024, 2, 29), 2024) == D(60) * 100 / D(366)


def test_time_progress_outside_the_year_is_clamped():
    assert time_progress(dt.date(2025, 12, 31), 2026) == 0
    assert time_progress(dt.date(2027, 1, 1), 2026) == 100


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 30)))
def test_time_progress_for_any_date(day):
    progress = time_progress(day, day.year)
    assert 0 < progress <= 100
    following = day + dt.timedelta(days=1)
    if following.year == day.year:
        assert time_progress(following, day.year) > progress
    else:
        assert progress == 100
    # one day is one day's share of the year
    elapsed = (day - dt.date(day.year, 1, 1)).days + 1
    days = 366 if (day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)) else 365
    assert abs(progress * days - elapsed * 100) < D("1e-20")


# --- execution and target progress -------------------------------------------------------------


def test_execution_progress():
    assert execution_progress(D("45"), D("100")) == D(45)
    assert execution_progress(D("11.36"), D("12")) == D("11.36") * 100 / 12
    assert execution_progress(D("5"), D("0")) is None
    assert execution_progress(None, D("10")) is None


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
positive = st.decimals(min_value=D("0.01"), max_value=10**9, places=2, allow_nan=False)


@given(amounts, positive)
def test_execution_progress_is_the_share_spent(executed, adjusted):
    progress = execution_progress(executed, adjusted)
    assert progress is not None and progress >= 0
    assert (progress >= 100) == (executed >= adjusted)
    assert abs(progress * adjusted - executed * 100) <= D("1e-15") * max(executed, 1)


def test_target_progress_by_direction():
    assert target_progress(Direction.AT_LEAST, D(1000), D(850)) == D(85)
    assert target_progress(Direction.AT_LEAST, D(0), D(5)) is None
    # ≤ is inverted: a cost expected at 125 against a ceiling of 100 keeps to 80% of it
    assert target_progress(Direction.AT_MOST, D(100), D(125)) == D(80)
    assert target_progress(Direction.AT_MOST, D(100), D(60)) == D(100)
    assert target_progress(Direction.AT_MOST, D(0), D(0)) == D(100)
    assert target_progress(Direction.EQUAL, D(100), D(95)) == D(95)
    assert target_progress(Direction.EQUAL, D(100), D(105)) == D(95)
    assert target_progress(Direction.EQUAL, D(100), D(300)) == D(0)
    assert target_progress(Direction.RANGE, D(90), D(80), high=D(100)) == D(80) * 100 / 90
    assert target_progress(Direction.RANGE, D(90), D(95), high=D(100)) == D(100)
    assert target_progress(Direction.RANGE, D(90), D(125), high=D(100)) == D(80)
    assert target_progress(Direction.AT_LEAST, None, D(1)) is None
    assert target_progress(Direction.AT_LEAST, D(1), None) is None


@given(positive, positive)
def test_at_most_is_at_least_inverted(target, expected):
    at_most = target_progress(Direction.AT_MOST, target, expected)
    at_least = target_progress(Direction.AT_LEAST, expected, target)
    assert at_most is not None and at_least is not None
    assert at_most == min(D(100), at_least)


@given(positive, positive, positive)
def test_more_is_never_worse_for_at_least(target, a, b):
    low, high = sorted((a, b))
    p_low = target_progress(Direction.AT_LEAST, target, low)
    p_high = target_progress(Direction.AT_LEAST, target, high)
    assert p_low is not None and p_high is not None and p_low <= p_high


# --- the warning rules, at their edges -------------------------------------------------------


@pytest.mark.parametrize(
    ("gap", "level"),
    [
        (D("0"), Level.NONE),
        (D("10"), Level.NONE),  # exactly 10 points behind is not "more than 10"
        (D("10.01"), Level.YELLOW),
        (D("20"), Level.YELLOW),
        (D("20.0001"), Level.RED),
        (D("-5"), Level.NONE),  # ahead of time
    ],
)
def test_execution_behind_time(gap, level):
    time = D(60)
    got, reason = execution_level(time, time - gap, DEFAULT)
    assert got == level
    assert reason == (Reason.EXECUTION_BEHIND if level else None)


def test_over_budget_is_red_and_no_budget_is_no_warning():
    assert execution_level(D(50), D("100.01"), DEFAULT) == (Level.RED, Reason.OVER_BUDGET)
    assert execution_level(D(50), D(100), DEFAULT) == (Level.NONE, None)
    assert execution_level(D(50), None, DEFAULT) == (Level.NONE, None)


@pytest.mark.parametrize(
    ("completion", "level"),
    [
        (D("100"), Level.NONE),
        (D("90"), Level.NONE),  # "below 90%" is strict
        (D("89.99"), Level.YELLOW),
        (D("80"), Level.YELLOW),
        (D("79.999"), Level.RED),
        (None, Level.NONE),
    ],
)
def test_target_expected_below(completion, level):
    assert completion_level(completion, DEFAULT) == level


thresholds = st.builds(
    lambda a, b, c, d: Thresholds(min(a, b), max(a, b), max(c, d), min(c, d)),
    st.integers(0, 100).map(D),
    st.integers(0, 100).map(D),
    st.integers(0, 100).map(D),
    st.integers(0, 100).map(D),
)


@given(thresholds, st.decimals(min_value=0, max_value=100, places=4))
def test_execution_thresholds_at_their_edges(limits, time):
    assert not limits.problems()
    for edge, below, above in (
        (limits.execution_yellow, Level.NONE, Level.YELLOW),
        (limits.execution_red, None, Level.RED),
    ):
        at = execution_level(time, time - edge, limits)[0]
        past = execution_level(time, time - edge - D("0.0001"), limits)[0]
        if below is not None and limits.execution_yellow == edge:
            assert at == below
        assert past >= above
        assert at <= past


@given(thresholds)
def test_target_thresholds_at_their_edges(limits):
    assert completion_level(limits.target_yellow, limits) < Level.YELLOW or (
        limits.target_red > limits.target_yellow
    )
    assert completion_level(limits.target_red - D("0.0001"), limits) == Level.RED
    just_below_yellow = limits.target_yellow - D("0.0001")
    assert completion_level(just_below_yellow, limits) >= Level.YELLOW
    assert completion_level(limits.target_red, limits) <= Level.YELLOW


def test_threshold_problems():
    assert Thresholds().problems() == []
    assert Thresholds(execution_yellow=D(30), execution_red=D(20)).problems()
    assert Thresholds(target_yellow=D(70), target_red=D(80)).problems()


# --- a whole report -----------------------------------------------------------------------------


def _report(**overrides):
    data = {
        "year": 2026,
        "budget": [{"source": "财政拨款", "adjusted": "100", "executed": "30"}],
        "targets": [
            {
                "code": "T1",
                "name": "培训人次",
                "value": "1000",
                "to_date": "400",
                "expected": "750",
            },
            {"code": "T2", "name": "鉴定人数", "value": "500", "to_date": "300", "expected": "440"},
            {"code": "T3", "name": "成本", "direction": "<=", "value": "50", "expected": "45"},
            {"code": "T4", "name": "服务质量", "value_text": "有效提升", "likelihood": "possible"},
        ],
    }
    data.update(overrides)
    return report_from_data(data)


def test_a_report_in_july():
    result = evaluate(_report(), as_of=JULY_31, thresholds=DEFAULT)
    # 58.08% of the year, 30% spent: 28 points behind → red
    assert result.execution_progress == D(30)
    assert result.execution_level == Level.RED
    by_code = {(w.target_code, w.reason): w.level for w in result.warnings}
    assert by_code == {
        ("", Reason.EXECUTION_BEHIND): Level.RED,
        ("T1", Reason.TARGET_SHORTFALL): Level.RED,  # 75%
        ("T2", Reason.TARGET_SHORTFALL): Level.YELLOW,  # 88%
        ("T4", Reason.TARGET_UNLIKELY): Level.YELLOW,
    }
    assert result.level == Level.RED
    assert result.target_by_code["T1"].to_date_share == D(40)
    assert result.target_by_code["T3"].level == Level.NONE


def test_red_needs_measures_and_any_warning_a_cause():
    report = _report()
    problems = submission_problems(report, evaluate(report, as_of=JULY_31, thresholds=DEFAULT))
    assert problems == [
        "预算执行红色预警：须填写偏差原因",
        "预算执行红色预警：须填写纠偏措施",
        "绩效目标“培训人次”红色预警：须填写偏差原因",
        "绩效目标“培训人次”红色预警：须填写纠偏措施",
        "绩效目标“鉴定人数”黄色预警：须填写偏差原因",
        "绩效目标“服务质量”黄色预警：须填写偏差原因",
    ]
    fixed = _report(
        budget_cause="项目招标延后",
        budget_measures="8月完成招标并支付首付款",
        targets=[
            {**t, "cause": "原因", "measures": "措施" if t["code"] == "T1" else ""}
            for t in _report().model_dump(mode="json")["targets"]
        ],
    )
    assert submission_problems(fixed, evaluate(fixed, as_of=JULY_31, thresholds=DEFAULT)) == []


def test_missing_figures_are_listed():
    report = _report(
        budget=[{"source": "财政拨款"}],
        targets=[
            {"code": "T1", "name": "培训人次", "value": "1000"},
            {"code": "T2", "name": "质量"},
        ],
    )
    assert submission_problems(report, evaluate(report, as_of=JULY_31, thresholds=DEFAULT)) == [
        "预算执行情况（财政拨款）：未填写全年预算数",
        "预算执行情况（财政拨款）：未填写执行数",
        "绩效目标“培训人次”：未填写全年预计完成值",
        "绩效目标“质量”：未选择完成目标可能性",
    ]
    assert submission_problems(
        MonitoringReport(year=2026),
        evaluate(MonitoringReport(year=2026), as_of=JULY_31, thresholds=DEFAULT),
    ) == ["未填写预算执行情况"]


def test_thresholds_are_the_rounds():
    lenient = Thresholds(D(30), D(40), D(70), D(60))
    result = evaluate(_report(), as_of=JULY_31, thresholds=lenient)
    assert [(w.target_code, w.level) for w in result.warnings] == [("T4", Level.YELLOW)]


def test_unlikely_is_red_only_without_a_number():
    report = _report(
        targets=[
            {"code": "A", "name": "定性", "value_text": "达标", "likelihood": "unlikely"},
            {
                "code": "B",
                "name": "定量",
                "value": "10",
                "expected": "10",
                "likelihood": "unlikely",
            },
        ]
    )
    result = evaluate(report, as_of=JULY_31, thresholds=DEFAULT)
    assert [(w.target_code, w.level, w.reason) for w in result.warnings if w.target_code] == [
        ("A", Level.RED, Reason.TARGET_UNLIKELY)
    ]
    assert Likelihood("certain") == Likelihood.CERTAIN


def test_duplicate_codes_are_refused():
    with pytest.raises(ValueError, match="指标编码重复：T1"):
        report_from_data({"year": 2026, "targets": [{"code": "T1"}, {"code": "T1"}]})


def test_warning_text():
    result = evaluate(_report(), as_of=JULY_31, thresholds=DEFAULT)
    assert [warning_text(w) for w in result.warnings] == [
        "预算执行进度 30%，低于序时进度 58.08%",
        "培训人次：全年预计完成目标的 75%",
        "鉴定人数：全年预计完成目标的 88%",
        "服务质量：完成目标可能性低",
    ]
    over = _report(budget=[{"source": "a", "adjusted": "10", "executed": "12"}], targets=[])
    assert [
        warning_text(w) for w in evaluate(over, as_of=JULY_31, thresholds=DEFAULT).warnings
    ] == ["预算执行进度 120%，超过调整后预算"]


def test_budget_rows_add_up():
    report = MonitoringReport(
        year=2026,
        budget=(
            BudgetRow(source="财政拨款", adjusted=D(80), executed=D(50)),
            BudgetRow(source="其他资金", adjusted=D(20), executed=D(10)),
        ),
        targets=(TargetRow(code="T1", name="x", value=D(1), expected=D(1)),),
    )
    result = evaluate(report, as_of=JULY_31, thresholds=DEFAULT)
    assert (result.adjusted_total, result.executed_total, result.execution_progress) == (
        D(100),
        D(60),
        D(60),
    )
    assert result.warnings == ()
