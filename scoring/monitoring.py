"""绩效运行监控 ("双监控"): a monitoring report as data, its arithmetic and its warning rules.

双监控 watches two things during the year: how far the budget is spent (预算执行进度) against how far
the year has gone (序时进度), and how far each target is expected to be met by the year's end
(绩效目标实现程度). Pure Python, no Django: the web stores a report as JSON in this shape, and the
warnings table, the submission check and the 绩效监控表 are all computed here.

The rules and their defaults (docs/decisions.md, "Monitoring"):

* 序时进度 at an as-of date is the share of the budget year elapsed **including** the as-of day: data
  "截至7月31日" is the data of 1–7月, so 31 July counts as elapsed (212/365 = 58.08%); 31 December is
  100%. A date before the year is 0%, after it 100%.
* 预算执行进度 = executed ÷ adjusted budget (调整后预算数), in percent. No budget, no progress.
* 执行偏差 = 序时进度 − 预算执行进度, in percentage points. **Red** when more than ``execution_red``
  (default 20) points behind, **yellow** when more than ``execution_yellow`` (default 10). Sichuan's
  川财绩〔2025〕10号 warns at 40% executed by June (序时 50%) and 60% by August (序时 67%), i.e. about
  10 and 7 points behind; a 10-point yellow is that practice, a 20-point red is twice it (the issue's
  suggested default). Spending more than the adjusted budget (超预算执行) is always red.
* 目标完成进度 = the expected full-year value against the target, direction aware: ≥ targets
  expected ÷ target, ≤ targets target ÷ expected (inverted: a cost expected above its ceiling is
  behind), = targets 100% less the relative miss, a range 100% inside it. **Red** when below
  ``target_red`` (default 80%), **yellow** when below ``target_yellow`` (default 90%) — the
  year-end 绩效自评 gives full points from 100% and the grade bands 中/良 start at 80/90, so a target
  expected below 80% is headed for a failing share. A target without a number (定性指标) is judged by
  the unit's 完成目标可能性 (I2: 确定能 / 有可能 / 完全不可能): 有可能 is yellow, 完全不可能 red.
* Every threshold is compared exactly (Decimal); only the printed figure is rounded (rounding.py).
* Any warning needs 偏差原因 before submission; a red one needs 纠偏措施 too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from scoring.evaluation import (
    ROWS_MAX,
    Code,
    Frozen,
    Line,
    Name,
    NonNegative,
    Number,
    Text,
    UnitText,
)
from scoring.rounding import format_percent
from scoring.ruleset import Direction

HUNDRED = Decimal(100)
ZERO = Decimal(0)


class Level(IntEnum):
    """预警等级, ordered so the worst of several is ``max``."""

    NONE = 0
    YELLOW = 1  # 黄色预警
    RED = 2  # 红色预警

    @property
    def key(self) -> str:
        return {0: "none", 1: "yellow", 2: "red"}[self.value]

    @property
    def label(self) -> str:
        return {0: "无预警", 1: "黄色预警", 2: "红色预警"}[self.value]


class Reason(StrEnum):
    """Why a warning was raised (预警原因): the column the bureau filters by."""

    EXECUTION_BEHIND = "execution_behind"  # 预算执行进度滞后于序时进度
    OVER_BUDGET = "over_budget"  # 执行数超过调整后预算数
    TARGET_SHORTFALL = "target_shortfall"  # 全年预计完成值低于目标
    TARGET_UNLIKELY = "target_unlikely"  # 完成目标可能性低（定性指标）


REASON_LABELS: dict[Reason, str] = {
    Reason.EXECUTION_BEHIND: "预算执行滞后",
    Reason.OVER_BUDGET: "超预算执行",
    Reason.TARGET_SHORTFALL: "目标预计未达成",
    Reason.TARGET_UNLIKELY: "目标完成可能性低",
}


class Likelihood(StrEnum):
    """完成目标可能性 (as in the provincial monitoring tables: 1 确定能, 2 有可能, 3 完全不可能)."""

    CERTAIN = "certain"
    POSSIBLE = "possible"
    UNLIKELY = "unlikely"


LIKELIHOOD_LABELS = {
    Likelihood.CERTAIN: "确定能完成",
    Likelihood.POSSIBLE: "有可能完成",
    Likelihood.UNLIKELY: "完全不可能完成",
}


@dataclass(frozen=True)
class Thresholds:
    """A round's warning thresholds: execution in percentage points behind 序时进度, targets in
    percent of the target expected by the year's end."""

    execution_yellow: Decimal = Decimal(10)
    execution_red: Decimal = Decimal(20)
    target_yellow: Decimal = Decimal(90)
    target_red: Decimal = Decimal(80)

    def problems(self) -> list[str]:
        """Why these thresholds make no sense (empty: they do)."""
        out = []
        if not ZERO <= self.execution_yellow <= self.execution_red <= HUNDRED:
            out.append("执行进度预警阈值须满足 0 ≤ 黄色 ≤ 红色 ≤ 100（百分点）")
        if not ZERO <= self.target_red <= self.target_yellow <= HUNDRED:
            out.append("目标预警阈值须满足 0 ≤ 红色 ≤ 黄色 ≤ 100（%）")
        return out


# --- the report as data -------------------------------------------------------------------------


class BudgetRow(Frozen):
    """One fund source: the year's adjusted budget and what was spent by the as-of date (万元)."""

    source: Line = ""  # 资金来源
    adjusted: NonNegative = None  # 全年预算数（调整后）
    executed: NonNegative = None  # 截至监控时点执行数


class TargetRow(Frozen):
    """One target under watch: the approved value, and the unit's figures and explanation."""

    code: Code = ""
    level1: Line = ""
    level2: Line = ""
    name: Name = ""
    direction: Direction = Direction.AT_LEAST
    value: Number = None  # 年度指标值
    value_high: Number = None  # 区间上限
    value_text: Line = ""  # 定性指标值
    unit: UnitText = ""
    to_date: Number = None  # 截至监控时点完成值
    expected: Number = None  # 全年预计完成值
    likelihood: Likelihood | None = None  # 完成目标可能性
    cause: Text = ""  # 偏差原因
    measures: Text = ""  # 纠偏措施
    # Read from the approved targets (targets_in_force): name, direction and value are not the
    # unit's to change here.
    approved: bool = False


class MonitoringReport(Frozen):
    """A unit's (部门整体) or one project's monitoring report for one round."""

    kind: Literal["monitoring"] = "monitoring"
    year: int = Field(default=2000, ge=2000, le=2100)
    unit_name: Name = ""
    project_name: Name = ""
    project_code: Code = ""
    budget: Annotated[tuple[BudgetRow, ...], Field(max_length=ROWS_MAX)] = ()
    budget_cause: Text = ""  # 预算执行偏差原因
    budget_measures: Text = ""  # 预算执行纠偏措施
    targets: Annotated[tuple[TargetRow, ...], Field(max_length=ROWS_MAX)] = ()
    summary: Text = ""  # 总体情况说明
    filled_on: Line = ""  # 填报日期

    @model_validator(mode="after")
    def _codes_unique(self) -> MonitoringReport:
        codes = [t.code for t in self.targets if t.code]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"指标编码重复：{'、'.join(duplicates)}")
        return self


def report_from_data(data: dict[str, Any]) -> MonitoringReport:
    return MonitoringReport.model_validate(data)


# --- arithmetic ---------------------------------------------------------------------------------


def days_in_year(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def time_progress(as_of: dt.date, year: int) -> Decimal:
    """序时进度 in percent (exact): the share of ``year`` elapsed by the end of ``as_of``."""
    if as_of.year < year:
        return ZERO
    if as_of.year > year:
        return HUNDRED
    elapsed = (as_of - dt.date(year, 1, 1)).days + 1
    return Decimal(elapsed) * HUNDRED / Decimal(days_in_year(year))


def execution_progress(executed: Decimal | None, adjusted: Decimal | None) -> Decimal | None:
    """预算执行进度 in percent (exact), None without a budget."""
    if executed is None or adjusted is None or adjusted <= 0:
        return None
    return executed * HUNDRED / adjusted


def target_progress(
    direction: Direction,
    value: Decimal | None,
    expected: Decimal | None,
    high: Decimal | None = None,
) -> Decimal | None:
    """目标完成进度 in percent (exact) of ``expected`` against the target, None when there is no
    basis (no number, or a zero ≥ target, which anything meets)."""
    if value is None or expected is None:
        return None
    if direction == Direction.AT_LEAST:
        if value <= 0:
            return None
        return expected * HUNDRED / value
    if direction == Direction.AT_MOST:
        # A ceiling: at or under it is met; above it, the share of the ceiling it keeps to.
        if expected <= value:
            return HUNDRED
        return value * HUNDRED / expected
    if direction == Direction.EQUAL:
        if value == 0:
            return HUNDRED if expected == 0 else ZERO
        miss = abs(expected - value) * HUNDRED / abs(value)
        return max(ZERO, HUNDRED - miss)
    # RANGE: inside [value, high] is met; below, against the floor; above, against the ceiling.
    low, top = value, high if high is not None else value
    if low <= expected <= top:
        return HUNDRED
    if expected < low:
        return expected * HUNDRED / low if low > 0 else None
    return top * HUNDRED / expected if expected > 0 else None


def execution_level(
    time: Decimal, execution: Decimal | None, thresholds: Thresholds
) -> tuple[Level, Reason | None]:
    """The execution warning: red/yellow when more than the threshold points behind 序时进度;
    red when over 100% (超预算执行)."""
    if execution is None:
        return Level.NONE, None
    if execution > HUNDRED:
        return Level.RED, Reason.OVER_BUDGET
    gap = time - execution
    if gap > thresholds.execution_red:
        return Level.RED, Reason.EXECUTION_BEHIND
    if gap > thresholds.execution_yellow:
        return Level.YELLOW, Reason.EXECUTION_BEHIND
    return Level.NONE, None


def completion_level(completion: Decimal | None, thresholds: Thresholds) -> Level:
    """The target warning: red below ``target_red`` %, yellow below ``target_yellow`` %."""
    if completion is None:
        return Level.NONE
    if completion < thresholds.target_red:
        return Level.RED
    if completion < thresholds.target_yellow:
        return Level.YELLOW
    return Level.NONE


def likelihood_level(likelihood: Likelihood | None) -> Level:
    if likelihood == Likelihood.UNLIKELY:
        return Level.RED
    if likelihood == Likelihood.POSSIBLE:
        return Level.YELLOW
    return Level.NONE


# --- the result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Warning:
    """One warning of a report: the execution (``target_code`` empty) or one target."""

    level: Level
    reason: Reason
    target_code: str = ""
    target_name: str = ""
    # The figures behind it (exact): progress, time, gap, value, expected, completion.
    figures: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def needs_measures(self) -> bool:
        return self.level == Level.RED


@dataclass(frozen=True)
class TargetResult:
    code: str
    completion: Decimal | None  # 目标完成进度 of the expected value
    to_date_share: Decimal | None  # 截至监控时点完成值 against the target
    level: Level


@dataclass(frozen=True)
class MonitoringResult:
    time_progress: Decimal
    adjusted_total: Decimal
    executed_total: Decimal
    execution_progress: Decimal | None
    execution_level: Level
    targets: tuple[TargetResult, ...]
    warnings: tuple[Warning, ...]

    @property
    def level(self) -> Level:
        """The report's level (project or 部门整体): the worst of its warnings."""
        return max((w.level for w in self.warnings), default=Level.NONE)

    @property
    def target_by_code(self) -> dict[str, TargetResult]:
        return {t.code: t for t in self.targets}


def evaluate(
    report: MonitoringReport, *, as_of: dt.date, thresholds: Thresholds
) -> MonitoringResult:
    """Every figure and warning of a report at the round's as-of date and thresholds."""
    time = time_progress(as_of, report.year)
    adjusted = sum((r.adjusted or ZERO for r in report.budget), ZERO)
    executed = sum((r.executed or ZERO for r in report.budget), ZERO)
    has_budget = any(r.adjusted is not None for r in report.budget)
    execution = execution_progress(executed, adjusted) if has_budget else None
    warnings: list[Warning] = []
    exec_level, exec_reason = execution_level(time, execution, thresholds)
    if exec_reason is not None:
        warnings.append(
            Warning(
                exec_level,
                exec_reason,
                figures={
                    "time_progress": time,
                    "execution_progress": execution,
                    "gap": time - execution if execution is not None else None,
                    "adjusted": adjusted,
                    "executed": executed,
                },
            )
        )
    targets = []
    for row in report.targets:
        completion = target_progress(row.direction, row.value, row.expected, row.value_high)
        to_date = target_progress(row.direction, row.value, row.to_date, row.value_high)
        level = completion_level(completion, thresholds)
        figures = {"value": row.value, "expected": row.expected, "completion": completion}
        if level > Level.NONE:
            warnings.append(Warning(level, Reason.TARGET_SHORTFALL, row.code, row.name, figures))
        judged = likelihood_level(row.likelihood)
        if judged > Level.NONE and completion is None:
            # A number decides where there is one; the unit's judgement where there is none.
            warnings.append(Warning(judged, Reason.TARGET_UNLIKELY, row.code, row.name, figures))
            level = max(level, judged)
        targets.append(TargetResult(row.code, completion, to_date, level))
    return MonitoringResult(
        time_progress=time,
        adjusted_total=adjusted,
        executed_total=executed,
        execution_progress=execution,
        execution_level=exec_level,
        targets=tuple(targets),
        warnings=tuple(warnings),
    )


def warning_text(warning: Warning) -> str:
    """One line a reviewer reads: what lags and by how much."""
    f = warning.figures
    if warning.reason == Reason.EXECUTION_BEHIND:
        return (
            f"预算执行进度 {_pct(f.get('execution_progress'))}，"
            f"低于序时进度 {_pct(f.get('time_progress'))}"
        )
    if warning.reason == Reason.OVER_BUDGET:
        return f"预算执行进度 {_pct(f.get('execution_progress'))}，超过调整后预算"
    if warning.reason == Reason.TARGET_SHORTFALL:
        return f"{warning.target_name}：全年预计完成目标的 {_pct(f.get('completion'))}"
    return f"{warning.target_name}：完成目标可能性低"


def _pct(value: Decimal | None) -> str:
    return format_percent(value) if value is not None else "—"


def submission_problems(report: MonitoringReport, result: MonitoringResult) -> list[str]:
    """What keeps a report from being submitted (缺项清单): missing figures, and the explanation
    each warning needs (偏差原因; 纠偏措施 for a red one)."""
    problems: list[str] = []
    if not report.budget:
        problems.append("未填写预算执行情况")
    for i, line in enumerate(report.budget, start=1):
        label = line.source or f"第 {i} 行"
        if line.adjusted is None:
            problems.append(f"预算执行情况（{label}）：未填写全年预算数")
        if line.executed is None:
            problems.append(f"预算执行情况（{label}）：未填写执行数")
    for i, row in enumerate(report.targets, start=1):
        label = row.name or f"第 {i} 行"
        if row.value is not None and row.expected is None:
            problems.append(f"绩效目标“{label}”：未填写全年预计完成值")
        if row.value is None and row.likelihood is None:
            problems.append(f"绩效目标“{label}”：未选择完成目标可能性")
    execution = [w for w in result.warnings if not w.target_code]
    if execution:
        worst = max(w.level for w in execution)
        if not report.budget_cause.strip():
            problems.append(f"预算执行{worst.label}：须填写偏差原因")
        if worst == Level.RED and not report.budget_measures.strip():
            problems.append("预算执行红色预警：须填写纠偏措施")
    rows = {r.code: r for r in report.targets}
    seen: set[str] = set()
    for warning in result.warnings:
        if not warning.target_code or warning.target_code in seen:
            continue
        seen.add(warning.target_code)
        found = rows.get(warning.target_code)
        if found is None:
            continue
        worst = max(w.level for w in result.warnings if w.target_code == warning.target_code)
        if not found.cause.strip():
            problems.append(f"绩效目标“{found.name}”{worst.label}：须填写偏差原因")
        if worst == Level.RED and not found.measures.strip():
            problems.append(f"绩效目标“{found.name}”红色预警：须填写纠偏措施")
    return problems
