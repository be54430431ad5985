"""What scoring returns: plain, frozen, and carrying the rule-set version it was scored under."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from scoring.messages import N_, Msg


class FlagCode(StrEnum):
    """Why an indicator or the evaluation needs a human's attention."""

    NOT_MET = "not_met"  # 未达成目标: 须填写偏差原因分析及改进措施
    OVER_COMPLETION = "over_completion"  # 偏离度过大 (超额完成): 须说明原因
    EXECUTION_LOW = "execution_low"  # 预算执行率低于阈值: 须说明原因
    ADJUSTMENT_HIGH = "adjustment_high"  # 预算调整率高于阈值: 须说明原因
    OVER_QUOTA = "over_quota"  # 在职人员超编
    REVIEWER_DEDUCTION = "reviewer_deduction"  # 复核扣分
    EXAMPLE_SCORE = "example_score"  # 示例分值 (不是来源文件给出的)
    NOT_SCORED = "not_scored"  # 缺少数据, 未能评分
    EXECUTION_OVER = "execution_over"  # 执行数超过全年预算数 (存疑): 须说明原因
    IMPLAUSIBLE = "implausible"  # 存疑的数值 (如比例超出 0–100%): 须核对并说明
    OUTSIDE_HISTORY = "outside_history"  # 实际完成值远超往年 (存疑): 须核对并说明
    BELOW_POINTS = "below_points"  # 得分低于分值: 须填写偏差原因及改进措施 (rule-set option)
    NOT_APPLICABLE = "not_applicable"  # 不适用: 剔除后按总分折算 (rule-set option)


@dataclass(frozen=True)
class Flag:
    code: FlagCode
    message: str  # 中文说明 (a scoring.messages.Msg: the web translates it at the edge)
    needs_explanation: bool = False
    explained: bool = True

    @property
    def missing_explanation(self) -> bool:
        return self.needs_explanation and not self.explained


@dataclass(frozen=True)
class IndicatorResult:
    """One scored leaf (末级指标) with the figures it was scored from."""

    code: str
    name: str  # a scoring.messages.Term for rule-set indicators (it carries the English name)
    level1: str  # 一级指标
    level2: str  # 二级指标 (may equal level1 for two-level frameworks)
    points: Decimal  # 分值
    score: Decimal  # 得分, rounded by scoring.rounding.round_score
    kind: str  # RuleKind value
    direction: str | None = None
    unit: str = ""
    target: Decimal | None = None  # 年度指标值
    target_high: Decimal | None = None
    actual: Decimal | None = None  # 实际完成值
    completion_rate: Decimal | None = None  # 完成率 in percent, exact (round for display)
    band: str | None = None  # 定性档次 label
    explanation: str = ""
    criteria: str = ""  # 评分标准
    reviewer_deduction: Decimal | None = None
    flags: tuple[Flag, ...] = ()
    unit_defined: bool = False  # 单位自设指标 (a performance target)
    not_applicable: bool = False  # 不适用, dropped (its points and score are 0)
    declared_points: Decimal | None = None  # 分值 before 不适用 rescaling; None when not rescaled

    def has(self, code: FlagCode) -> bool:
        return any(f.code is code for f in self.flags)


@dataclass(frozen=True)
class Ratios:
    """Derived ratios in percent (exact; round only for display). None when undefined."""

    execution_rate: Decimal | None  # 预算执行率 = 全年执行数 / 全年预算数
    execution_rate_initial: Decimal | None  # 执行数 / 年初预算数 (what a reader may mistake for it)
    adjustment_rate: Decimal | None  # 预算调整率 = (全年 − 年初) / 年初
    staffing_control_rate: Decimal | None  # 在职人员控制率 = 实有 / 编制
    completion_rates: dict[str, Decimal] = field(default_factory=dict)  # target code → rate


@dataclass(frozen=True)
class GroupTotal:
    """Subtotal of a first-level indicator (一级指标小计)."""

    code: str
    name: str
    points: Decimal
    score: Decimal


@dataclass(frozen=True)
class EvaluationResult:
    """The scored self-evaluation: total, grade, every leaf, the ratios and the open issues."""

    ruleset_id: str
    ruleset_version: str
    ruleset_name: str
    total: Decimal
    total_points: Decimal
    grade_code: str
    grade_label: str  # 优
    grade_name: str  # 优秀
    indicators: tuple[IndicatorResult, ...]
    groups: tuple[GroupTotal, ...]
    ratios: Ratios
    flags: tuple[Flag, ...]  # evaluation-level flags (budget, staffing)
    problems: tuple[str, ...] = ()  # what keeps the evaluation from being complete (中文)

    @property
    def ruleset_ref(self) -> str:
        return f"{self.ruleset_id}@{self.ruleset_version}"

    @property
    def missing_explanations(self) -> tuple[str, ...]:
        """Messages for every explanation the rules require and the data lacks."""
        items = [f.message for f in self.flags if f.missing_explanation]
        for ind in self.indicators:
            items += [
                Msg(N_("{name}：{message}"), name=ind.name, message=f.message)
                for f in ind.flags
                if f.missing_explanation
            ]
        return tuple(items)

    @property
    def targets_met(self) -> tuple[int, int]:
        """(绩效目标 met, 绩效目标 in all): the unit's own performance targets (单位自设指标); one
        counts as met when it was scored and reached its 年度指标值 (no 未达成 or 未评分 flag)."""
        targets = [ind for ind in self.indicators if ind.unit_defined]
        met = sum(
            1
            for ind in targets
            if not ind.has(FlagCode.NOT_MET) and not ind.has(FlagCode.NOT_SCORED)
        )
        return met, len(targets)
