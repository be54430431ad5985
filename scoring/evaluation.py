"""The self-evaluation (绩效自评) as structured data: everything a unit enters, once.

The scoring engine reads the figures (targets, budget, staffing, indicator self-assessments); the
report model reads everything, narrative included. Amounts are in 万元, counts in their own units,
rates in percent. All numbers are Decimal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from scoring.messages import N_, Msg
from scoring.numbers import NumberFormatError, parse_count, parse_decimal
from scoring.plausibility import impossible_figure
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


# --- size limits (issue 9.6): the same for forms, autosave, the API, YAML and workbooks ----------
# A report is a few thousand characters per part; these leave room for the longest real one and
# keep a hostile 1.6-million-character body (137 s to render) out. The entry forms take their
# max_length from here (jixiao.evaluations.forms).
CODE_MAX = 40  # 指标编码, 档次
UNIT_MAX = 20  # 计量单位, 自称
CREDIT_CODE_MAX = 18  # 统一社会信用代码
ROLE_MAX = 50  # 组内职务
NUMBER_MAX = 100  # 通知文号, 资金来源, 人员姓名
NAME_MAX = 200  # names of units, projects, targets, the issuer
LINE_MAX = 500  # a title, a function, a duty
TEXT_MAX = 20_000  # one narrative field (a textarea)
DOCUMENT_TEXT_MAX = 100_000  # every character of one evaluation together (about 60 A4 pages)
ROWS_MAX = 200  # targets, assessments
ITEMS_MAX = 100  # key tasks, analyses, practices, problems, improvements, functions, members


Code = Annotated[str, StringConstraints(max_length=CODE_MAX)]
UnitText = Annotated[str, StringConstraints(max_length=UNIT_MAX)]
CreditCode = Annotated[str, StringConstraints(max_length=CREDIT_CODE_MAX)]
Role = Annotated[str, StringConstraints(max_length=ROLE_MAX)]
Short = Annotated[str, StringConstraints(max_length=NUMBER_MAX)]
Name = Annotated[str, StringConstraints(max_length=NAME_MAX)]
Line = Annotated[str, StringConstraints(max_length=LINE_MAX)]
Text = Annotated[str, StringConstraints(max_length=TEXT_MAX)]


def _count_text(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_count_text(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_count_text(v) for v in value)
    return 0


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Notice(Frozen):
    """The finance bureau's notice this evaluation answers (通知)."""

    title: Line  # 湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知
    number: Short  # 湛财绩〔2026〕2号
    issuer: Name = ""  # 湛江市财政局


class UnitProfile(Frozen):
    """单位基本情况."""

    name: Name
    short_name: UnitText = ""  # 我中心 / 我局: how the unit calls itself in the report
    credit_code: CreditCode = ""  # 统一社会信用代码
    unit_type: Short = ""  # 公益二类事业单位
    supervisor: Name = ""  # 主管部门
    staffing_quota: Count = None  # 编制数
    staff_actual: Count = None  # 实有人数 (年末)
    retired: Count = None  # 离退休人数
    temporary: Count = None  # 临时聘用人数
    functions: Annotated[tuple[Line, ...], Field(max_length=ITEMS_MAX)] = ()  # 主要职能


class KeyTask(Frozen):
    """年度重点工作任务."""

    title: Line
    detail: Text = ""


class Target(Frozen):
    """A performance target (绩效目标 / 单位自设三级指标) with its actual value.

    A target with ``points`` is scored under the open rule-set node ``parent``; one without points is
    a reported figure only (e.g. 参加认定人次数), shown in the report but not scored.
    """

    code: Code
    name: Name
    unit: UnitText = ""  # 人次, %, 万元 …
    direction: Direction = Direction.AT_LEAST
    target: Number = None  # 年度指标值
    target_high: Number = None  # 区间指标上限
    # 实际完成值. A draft may not have it yet: the target then scores nothing and is listed as a
    # problem, while the rest of the evaluation still scores (a unit sees its progress as it types).
    actual: Number = None
    parent: Code | None = None  # open rule-set node the target is scored under
    points: NonNegative = None
    explanation: Text = ""  # 偏差原因分析及改进措施
    reviewer_deduction: NonNegative = None
    reviewer_deduction_reason: Text = ""
    part_of: Code | None = None  # 其中: code of the target this one is a part of (report wording)
    category: Short = ""  # 二级指标 (数量指标, 成本指标 …): a rule-set's category cap counts by it
    # 不适用: dropped and the rest rescaled when the rule-set allows it (options.not_applicable)
    not_applicable: bool = False

    @field_validator("target", "target_high", "actual")
    @classmethod
    def _possible(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        # Impossible figures are refused on every path (scoring.plausibility); implausible ones
        # are scored and flagged by the engine.
        if value is None:
            return value
        labels = {
            "target": N_("年度指标值"),
            "target_high": N_("区间上限"),
            "actual": N_("实际完成值"),
        }
        why = impossible_figure(
            name=str(info.data.get("name", "")),
            unit=str(info.data.get("unit", "")),
            value=value,
            label=Msg(labels[str(info.field_name)]),
        )
        if why:
            # The message travels in the context, so the Msg (its template) reaches the edge.
            raise PydanticCustomError("impossible_value", "{text}", {"text": why})
        return value

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

    source: Short  # 当年财政拨款 / 上年结转资金 / 其他资金
    initial: Amount  # 年初预算数
    full_year: Amount  # 全年预算数 (调整后)
    executed: Amount  # 全年执行数


class Budget(Frozen):
    """The year's budget by fund source; the total row (年度资金总额) is the sum."""

    rows: Annotated[tuple[BudgetRow, ...], Field(max_length=ITEMS_MAX)]
    change_reason: Text = ""  # 预算调整 / 支出变动的原因
    execution_explanation: Text = ""  # 执行率偏低的原因

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
    name: Short = ""
    role: Role  # 组长 / 成员
    duty: Line = ""  # 负责预算绩效管理的具体组织协调及评价工作


class EvaluationGroup(Frozen):
    """评价小组."""

    basis: Text = ""  # 依据的文件, e.g. 《关于印发…的通知》(湛财评〔2019〕26号)
    members: Annotated[tuple[GroupMember, ...], Field(max_length=ITEMS_MAX)] = ()
    description: Text = ""  # free text, used verbatim when given


class Assessment(Frozen):
    """A unit's self-assessment of one fixed rule-set leaf (定性打分, 或手填实际值)."""

    code: Code
    band: Name | None = None  # 定性档次 key or label
    score: NonNegative = None
    target: Number = None  # overrides the rule's target for quantitative leaves
    actual: Number = None  # for quantitative leaves without a derived source
    explanation: Text = ""
    reviewer_deduction: NonNegative = None
    reviewer_deduction_reason: Text = ""
    example: bool = False  # 示例分值: the source document does not give this score
    not_applicable: bool = False  # 不适用 (see Target.not_applicable)

    @model_validator(mode="after")
    def _deduction_has_reason(self) -> Assessment:
        if self.reviewer_deduction and not self.reviewer_deduction_reason.strip():
            raise ValueError("复核扣分须写明扣分理由 reviewer_deduction_reason")
        return self


class TitledText(Frozen):
    """A numbered point with a short lead and its text (主要做法, 指标分析)."""

    title: Line
    text: Text = ""


class Project(Frozen):
    """项目信息, for project self-evaluations (项目支出绩效自评)."""

    name: Name
    implementing_unit: Name = ""  # 实施单位
    goal_expected: Text = ""  # 年度总体目标: 预期目标
    goal_actual: Text = ""  # 年度总体目标: 实际完成情况


class TargetsBasis(Frozen):
    """绩效目标依据: the approved target declaration a self-evaluation's targets are bound to.

    Set by the server (jixiao.targets.binding) when the unit's targets for the year were declared and
    approved; absent when they were not (the unit sets its own targets, as before). The report
    states it in one sentence (scoring.target_binding.basis_sentence).
    """

    title: Line  # 2026年度部门整体绩效目标 / 2026年度「…」项目绩效目标
    approved_by: Name = ""  # 湛江市财政局
    approved_on: dt.date | None = None
    adjustment: Annotated[int, Field(ge=1)] | None = None  # 调整序号 of the adjustment in force
    adjustment_approved_on: dt.date | None = None
    sha256: Annotated[str, StringConstraints(max_length=64)] = ""  # of the version in force


class SelfEvaluation(Frozen):
    """One self-evaluation (部门整体 or 项目) for one year: the single source of every document."""

    kind: Code = "department"  # department | project
    ruleset: Name  # rule-set id (optionally id@version)
    year: Annotated[int, BeforeValidator(_typed_count)] = Field(ge=2000, le=2100)  # 评价年度
    filled_on: dt.date | None = None  # 填报日期
    notice: Notice | None = None
    unit: UnitProfile
    project: Project | None = None
    key_tasks: Annotated[tuple[KeyTask, ...], Field(max_length=ITEMS_MAX)] = ()
    targets_basis: TargetsBasis | None = None  # set when the targets are the approved ones
    targets: Annotated[tuple[Target, ...], Field(max_length=ROWS_MAX)] = ()
    budget: Budget
    group: EvaluationGroup = EvaluationGroup()
    process: Text = ""  # 自评工作过程
    submission_quality: Text = ""  # 自评材料报送时间及质量
    submission_consistency: Text = ""  # 自评材料报送及公开一致情况
    assessments: Annotated[tuple[Assessment, ...], Field(max_length=ROWS_MAX)] = ()
    result_statement: Text = ""  # 自评结果的说明 (how the scoring was done)
    analyses: Annotated[
        tuple[TitledText, ...], Field(max_length=ITEMS_MAX)
    ] = ()  # 绩效指标分析, by dimension
    practices: Annotated[tuple[TitledText, ...], Field(max_length=ITEMS_MAX)] = ()  # 主要做法和经验
    problems: Annotated[tuple[Text, ...], Field(max_length=ITEMS_MAX)] = ()  # 存在问题
    improvements: Annotated[tuple[Text, ...], Field(max_length=ITEMS_MAX)] = ()  # 改进措施
    other: Text = ""  # 其他自评情况
    example_note: Text = ""  # which figures are illustrative, when the data is an example

    @model_validator(mode="before")
    @classmethod
    def _not_too_long(cls, data: Any) -> Any:
        # Before anything else, so a huge body is refused without validating all of it.
        size = _count_text(data)
        if size > DOCUMENT_TEXT_MAX:
            raise PydanticCustomError(
                "document_too_long",
                "自评内容共 {size} 字，超过上限 {limit} 字，请精简",
                {"size": size, "limit": DOCUMENT_TEXT_MAX},
            )
        return data

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
