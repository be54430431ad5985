"""The self-evaluation (绩效自评) as structured data: everything a unit enters, once.

The scoring engine reads the figures (targets, budget, staffing, indicator self-assessments); the
report model reads everything, narrative included. Amounts are in 万元, counts in their own units,
rates in percent. All numbers are Decimal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from scoring.numbers import NumberFormatError, parse_count, parse_decimal
from scoring.ruleset import Direction


def _typed_decimal(value: Any) -> Any:
    """A number given as text (API, YAML string, workbook cell) is read as a person typed it
    (scoring.numbers): "11,360" and "１１３６０" are 11360, "33,28" is refused; blank is None."""
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return parse_decimal(value)
        except NumberFormatError as exc:
            raise PydanticCustomError("number_format", exc.message) from None
    return value


def _typed_count(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return parse_count(value)
        except NumberFormatError as exc:
            raise PydanticCustomError("number_format", exc.message) from None
    return value


# Optional numbers: blank is None. The constraint sits on the inner type, where None never meets it.
Number = Annotated[Decimal | None, BeforeValidator(_typed_decimal)]
NonNegative = Annotated[Annotated[Decimal, Field(ge=0)] | None, BeforeValidator(_typed_decimal)]
Amount = Annotated[
    Decimal, BeforeValidator(_typed_decimal), Field(ge=0, description="金额（万元），不得为负")
]
Count = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(_typed_count)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Notice(Frozen):
    """The finance bureau's notice this evaluation answers (通知)."""

    title: str  # 湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知
    number: str  # 湛财绩〔2026〕2号
    issuer: str = ""  # 湛江市财政局


class UnitProfile(Frozen):
    """单位基本情况."""

    name: str
    short_name: str = ""  # 我中心 / 我局: how the unit calls itself in the report
    credit_code: str = ""  # 统一社会信用代码
    unit_type: str = ""  # 公益二类事业单位
    supervisor: str = ""  # 主管部门
    staffing_quota: Count = None  # 编制数
    staff_actual: Count = None  # 实有人数 (年末)
    retired: Count = None  # 离退休人数
    temporary: Count = None  # 临时聘用人数
    functions: tuple[str, ...] = ()  # 主要职能


class KeyTask(Frozen):
    """年度重点工作任务."""

    title: str
    detail: str = ""


class Target(Frozen):
    """A performance target (绩效目标 / 单位自设三级指标) with its actual value.

    A target with ``points`` is scored under the open rule-set node ``parent``; one without points is
    a reported figure only (e.g. 参加认定人次数), shown in the report but not scored.
    """

    code: str
    name: str
    unit: str = ""  # 人次, %, 万元 …
    direction: Direction = Direction.AT_LEAST
    target: Number = None  # 年度指标值
    target_high: Number = None  # 区间指标上限
    # 实际完成值. A draft may not have it yet: the target then scores nothing and is listed as a
    # problem, while the rest of the evaluation still scores (a unit sees its progress as it types).
    actual: Number = None
    parent: str | None = None  # open rule-set node the target is scored under
    points: NonNegative = None
    explanation: str = ""  # 偏差原因分析及改进措施
    reviewer_deduction: NonNegative = None
    reviewer_deduction_reason: str = ""
    part_of: str | None = None  # 其中: code of the target this one is a part of (report wording)

    @model_validator(mode="after")
    def _scored_needs_target(self) -> Target:
        if self.points is not None and self.parent is None:
            raise ValueError("有分值的绩效目标须用 parent 指明所属的评分指标")
        if self.points is not None and self.target is None:
            raise ValueError("有分值的绩效目标须填写年度指标值 target")
        if (
            self.direction is Direction.RANGE
            and self.target_high is None
            and self.target is not None
        ):
            raise ValueError("区间指标须填写上限 target_high")
        if self.reviewer_deduction and not self.reviewer_deduction_reason.strip():
            raise ValueError("复核扣分须写明扣分理由 reviewer_deduction_reason")
        return self


class BudgetRow(Frozen):
    """One fund source of the budget block (年初预算数 / 全年预算数 / 全年执行数), in 万元."""

    source: str  # 当年财政拨款 / 上年结转资金 / 其他资金
    initial: Amount  # 年初预算数
    full_year: Amount  # 全年预算数 (调整后)
    executed: Amount  # 全年执行数


class Budget(Frozen):
    """The year's budget by fund source; the total row (年度资金总额) is the sum."""

    rows: tuple[BudgetRow, ...]
    change_reason: str = ""  # 预算调整 / 支出变动的原因
    execution_explanation: str = ""  # 执行率偏低的原因

    @property
    def initial(self) -> Decimal:
        return sum((r.initial for r in self.rows), Decimal(0))

    @property
    def full_year(self) -> Decimal:
        return sum((r.full_year for r in self.rows), Decimal(0))

    @property
    def executed(self) -> Decimal:
        return sum((r.executed for r in self.rows), Decimal(0))


class GroupMember(Frozen):
    name: str = ""
    role: str  # 组长 / 成员
    duty: str = ""  # 负责预算绩效管理的具体组织协调及评价工作


class EvaluationGroup(Frozen):
    """评价小组."""

    basis: str = ""  # 依据的文件, e.g. 《关于印发…的通知》(湛财评〔2019〕26号)
    members: tuple[GroupMember, ...] = ()
    description: str = ""  # free text, used verbatim when given


class Assessment(Frozen):
    """A unit's self-assessment of one fixed rule-set leaf (定性打分, 或手填实际值)."""

    code: str
    band: str | None = None  # 定性档次 key or label
    score: NonNegative = None
    target: Number = None  # overrides the rule's target for quantitative leaves
    actual: Number = None  # for quantitative leaves without a derived source
    explanation: str = ""
    reviewer_deduction: NonNegative = None
    reviewer_deduction_reason: str = ""
    example: bool = False  # 示例分值: the source document does not give this score

    @model_validator(mode="after")
    def _deduction_has_reason(self) -> Assessment:
        if self.reviewer_deduction and not self.reviewer_deduction_reason.strip():
            raise ValueError("复核扣分须写明扣分理由 reviewer_deduction_reason")
        return self


class TitledText(Frozen):
    """A numbered point with a short lead and its text (主要做法, 指标分析)."""

    title: str
    text: str = ""


class Project(Frozen):
    """项目信息, for project self-evaluations (项目支出绩效自评)."""

    name: str
    implementing_unit: str = ""  # 实施单位
    goal_expected: str = ""  # 年度总体目标: 预期目标
    goal_actual: str = ""  # 年度总体目标: 实际完成情况


class SelfEvaluation(Frozen):
    """One self-evaluation (部门整体 or 项目) for one year: the single source of every document."""

    kind: str = "department"  # department | project
    ruleset: str  # rule-set id (optionally id@version)
    year: Annotated[int, BeforeValidator(_typed_count)] = Field(ge=2000, le=2100)  # 评价年度
    filled_on: dt.date | None = None  # 填报日期
    notice: Notice | None = None
    unit: UnitProfile
    project: Project | None = None
    key_tasks: tuple[KeyTask, ...] = ()
    targets: tuple[Target, ...] = ()
    budget: Budget
    group: EvaluationGroup = EvaluationGroup()
    process: str = ""  # 自评工作过程
    submission_quality: str = ""  # 自评材料报送时间及质量
    submission_consistency: str = ""  # 自评材料报送及公开一致情况
    assessments: tuple[Assessment, ...] = ()
    result_statement: str = ""  # 自评结果的说明 (how the scoring was done)
    analyses: tuple[TitledText, ...] = ()  # 绩效指标分析, by dimension
    practices: tuple[TitledText, ...] = ()  # 主要做法和经验
    problems: tuple[str, ...] = ()  # 存在问题
    improvements: tuple[str, ...] = ()  # 改进措施
    other: str = ""  # 其他自评情况
    example_note: str = ""  # which figures are illustrative, when the data is an example

    @model_validator(mode="after")
    def _consistent(self) -> SelfEvaluation:
        if self.kind not in {"department", "project"}:
            raise ValueError("kind 须为 department（部门整体）或 project（项目）")
        if self.kind == "project" and self.project is None:
            raise ValueError("项目自评须填写 project（项目名称等）")
        codes = [t.code for t in self.targets] + [a.code for a in self.assessments]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"指标编码重复：{'、'.join(duplicates)}")
        known = {t.code for t in self.targets}
        for t in self.targets:
            if t.part_of is not None and t.part_of not in known:
                raise ValueError(f"绩效目标 {t.code} 的 part_of 指向不存在的目标 {t.part_of}")
        return self

    @property
    def ruleset_id(self) -> str:
        return self.ruleset.split("@", 1)[0]

    @property
    def ruleset_version(self) -> str | None:
        return self.ruleset.split("@", 1)[1] if "@" in self.ruleset else None
