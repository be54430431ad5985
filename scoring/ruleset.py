"""Rule-sets (评分规则集): an indicator framework as versioned data.

A rule-set is a tree of indicators (一级 → 二级 → 三级指标). Every leaf carries its points (分值), its
explanation (指标解释), its scoring criteria text (评分标准) and a machine rule. A node may be *open*
(由单位自设): the unit then supplies the third-level indicators itself (its performance targets),
whose points must add up to the node's points. Every percentage in a rule-set is written in percent
(150 means 150%), because bureau staff read and edit these files.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scoring.messages import N_
from scoring.rounding import format_decimal

Percent = Annotated[Decimal, Field(ge=0)]
Points = Annotated[Decimal, Field(ge=0)]


class Direction(StrEnum):
    """指标方向: how an actual value is compared with its target."""

    AT_LEAST = ">="  # 正向指标: 越大越好
    AT_MOST = "<="  # 反向指标: 成本、结余率、三公经费
    EQUAL = "="  # 等于目标值才算达成
    RANGE = "range"  # 落在区间内才算达成


class RuleKind(StrEnum):
    """How a leaf indicator is scored (评分方法)."""

    QUANTITATIVE = "quantitative"  # 定量: 达成满分，未达成按比例
    QUALITATIVE = "qualitative"  # 定性: 三档，档内取值
    DEDUCTION = "deduction"  # 扣分制: 超过限值每个百分点扣分，扣完为止
    BUDGET_EXECUTION = "budget_execution"  # 预算执行率: 分值 × 执行率，封顶


class DerivedMetric(StrEnum):
    """Ratios the engine computes from the evaluation's own data, so the user enters figures once."""

    EXECUTION_RATE = "execution_rate"  # 预算执行率 = 全年执行数 / 全年预算数
    ADJUSTMENT_RATE = "adjustment_rate"  # 预算调整率 = (全年预算数 − 年初预算数) / 年初预算数
    STAFFING_CONTROL_RATE = "staffing_control_rate"  # 在职人员控制率 = 实有人数 / 编制数


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Band(Frozen):
    """One qualitative band (定性档次), as percent of the indicator's points: low ≤ value ≤ high."""

    key: str
    label: str
    label_en: str = ""  # the English UI's label (documents print ``label``)
    low: Percent
    high: Percent


class Rule(Frozen):
    """The machine rule of a leaf. Which fields matter depends on ``kind``."""

    kind: RuleKind
    direction: Direction = Direction.AT_LEAST
    # Where the actual value comes from when it is not typed in (a derived ratio, in percent).
    source: DerivedMetric | None = None
    # Fixed target for rule-set-level quantitative leaves (e.g. 预算调整率 ≤ 20%).
    target: Decimal | None = None
    target_high: Decimal | None = None
    # Deduction rule: full points up to ``limit`` percent, then ``deduct_per_point`` per
    # percentage point beyond it (for AT_LEAST direction: per point below it), never below 0.
    limit: Decimal | None = None
    deduct_per_point: Decimal | None = None


class Indicator(Frozen):
    """A node of the indicator tree (一级/二级/三级指标)."""

    code: str
    name: str
    name_en: str = ""  # the English UI's name (documents, the CLI and the sheets use ``name``)
    points: Points
    explanation: str = ""  # 指标解释
    criteria: str = ""  # 评分标准
    rule: Rule | None = None
    open: bool = False  # 由单位自设三级指标 (performance targets go here)
    children: tuple[Indicator, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children and not self.open


class Grade(Frozen):
    """A grade band (评价等级): total ≥ ``min_score`` earns it, the highest band first wins."""

    code: str
    label: str  # 优
    name: str  # 优秀
    min_score: Decimal


class Thresholds(Frozen):
    """Thresholds that trigger flags and required explanations, in percent."""

    # 完成率高于此值视为偏离度过大 (目标设定偏低). 150 is jixiao's own default and has no rule text
    # we know of; 120 (a provincial vendor's engine) and 130 (one province) are used in practice:
    # docs/rulesets.md「评分选项」. Kept at 150 so results already scored stay as they were.
    over_completion: Percent = Decimal(150)
    # A "≥" target of 0 has no completion rate: an actual at or above this number counts as
    # over-completed instead (one province: 30 with its 130% line). None: not checked (default).
    over_completion_zero_target: Annotated[Decimal, Field(gt=0)] | None = None
    execution_min: Percent = Decimal(90)  # 预算执行率低于此值须说明原因
    adjustment_max: Percent = Decimal(30)  # 预算调整率高于此值须说明原因


class ReverseScoring(StrEnum):
    """How a missed reverse (≤) indicator scores (反向指标计分)."""

    RATIO = "ratio"  # 分值 × 年度指标值 / 实际完成值 (jixiao default)
    LINEAR = "linear"  # 分值 × (1 − (实际 − 目标) / 目标): 0 at twice the target


class ZeroTarget(StrEnum):
    """When an "=" indicator with a target of 0 is met (e.g. 安全事故 = 0 起)."""

    EXACT = "exact"  # only an actual of exactly 0 (default)
    AT_MOST = "at_most"  # any actual ≤ 0: a negative actual counts as 0 (one vendor's engine)


class NotApplicableRule(StrEnum):
    """What an indicator the unit marks 不适用 does."""

    REFUSE = "refuse"  # not allowed: listed as a problem, the indicator scores 0 (default)
    RESCALE = "rescale"  # dropped; the other indicators' points are rescaled to total_points


class CategoryCap(Frozen):
    """At most ``max_points`` for the unit's targets of one 二级指标 category (e.g. 成本指标 ≤ 5).

    Matched against ``Target.category``; a rule-set node with that name may not carry more either.
    """

    category: Annotated[str, Field(min_length=1, max_length=40)]
    max_points: Points


class ScoringOptions(Frozen):
    """Scoring variants real rule texts differ on (docs/rulesets.md「评分选项」). The defaults are
    the rules jixiao always applied, so a rule-set without ``options`` scores as before."""

    reverse: ReverseScoring = ReverseScoring.RATIO
    equal_zero_target: ZeroTarget = ZeroTarget.EXACT
    not_applicable: NotApplicableRule = NotApplicableRule.REFUSE
    # 得分低于分值须填写偏差原因及改进措施 (every leaf, not only a missed quantitative target)
    explain_below_points: bool = False
    category_caps: tuple[CategoryCap, ...] = ()

    def cap_for(self, category: str) -> CategoryCap | None:
        name = category.strip()
        return next((c for c in self.category_caps if name and c.category == name), None)


class RuleSet(Frozen):
    """A versioned indicator framework (评分规则集)."""

    id: str
    version: str
    name: str
    name_en: str = ""  # the English UI's title
    kind: str  # "department" (部门整体) or "project" (项目)
    basis: str = ""  # 文件依据, e.g. 财预〔2020〕10号
    description: str = ""
    total_points: Points = Decimal(100)
    indicators: tuple[Indicator, ...]
    bands: tuple[Band, ...] = Field(
        default=(
            Band(
                key="A",
                label=N_("达成预期指标"),
                low=Decimal(80),
                high=Decimal(100),
            ),
            Band(
                key="B",
                label=N_("部分达成预期指标并具有一定效果"),
                low=Decimal(60),
                high=Decimal(80),
            ),
            Band(
                key="C",
                label=N_("未达成预期指标且效果较差"),
                low=Decimal(0),
                high=Decimal(60),
            ),
        )
    )
    grades: tuple[Grade, ...] = Field(
        default=(
            Grade(code="excellent", label="优", name="优秀", min_score=Decimal(90)),
            Grade(code="good", label="良", name="良好", min_score=Decimal(80)),
            Grade(code="fair", label="中", name="中等", min_score=Decimal(60)),
            Grade(code="poor", label="差", name="较差", min_score=Decimal(0)),
        )
    )
    thresholds: Thresholds = Thresholds()
    options: ScoringOptions = ScoringOptions()

    @property
    def ref(self) -> str:
        """``id@version``, the reference stored with every score."""
        return f"{self.id}@{self.version}"

    def walk(self) -> Iterator[tuple[tuple[Indicator, ...], Indicator]]:
        """Every node depth-first, with its ancestors (outermost first)."""

        def visit(
            path: tuple[Indicator, ...], node: Indicator
        ) -> Iterator[tuple[tuple[Indicator, ...], Indicator]]:
            yield path, node
            for child in node.children:
                yield from visit((*path, node), child)

        for top in self.indicators:
            yield from visit((), top)

    def find(self, code: str) -> Indicator | None:
        return next((node for _, node in self.walk() if node.code == code), None)

    def band(self, key_or_label: str) -> Band | None:
        return next((b for b in self.bands if key_or_label in (b.key, b.label)), None)

    @model_validator(mode="after")
    def _validate(self) -> RuleSet:
        problems = list(ruleset_problems(self))
        if problems:
            raise ValueError("；".join(problems))
        return self


def ruleset_problems(ruleset: RuleSet) -> Iterator[str]:
    """Everything wrong with a rule-set, each named in words a bureau user understands."""
    top_sum = sum((node.points for node in ruleset.indicators), Decimal(0))
    if top_sum != ruleset.total_points:
        yield f"一级指标分值合计 {top_sum} 不等于总分 {ruleset.total_points}"
    seen: set[str] = set()
    for path, node in ruleset.walk():
        where = " / ".join([*(p.name for p in path), node.name])
        if node.code in seen:
            yield f"指标编码 {node.code} 重复（{where}）"
        seen.add(node.code)
        if node.children:
            child_sum = sum((c.points for c in node.children), Decimal(0))
            if child_sum != node.points:
                yield f"「{where}」的下级指标分值合计 {child_sum} 不等于其分值 {node.points}"
            if node.open:
                yield f"「{where}」既有下级指标又标为单位自设，只能二选一"
        elif not node.open:
            if node.rule is None:
                yield f"末级指标「{where}」缺少评分规则"
            else:
                yield from _rule_problems(where, node.rule)
    previous_high: Decimal | None = None
    for band in ruleset.bands:
        if band.low > band.high:
            yield f"定性档次「{band.label}」下限 {band.low} 高于上限 {band.high}"
        if band.high > 100:
            yield f"定性档次「{band.label}」上限 {band.high} 超过 100%"
        if previous_high is not None and band.high != previous_high:
            yield f"定性档次「{band.label}」上限 {band.high} 与上一档下限 {previous_high} 不衔接"
        previous_high = band.low
    if ruleset.bands and (ruleset.bands[0].high != 100 or ruleset.bands[-1].low != 0):
        yield "定性档次须从 100% 开始、到 0% 结束，并按从高到低排列"
    minimums = [g.min_score for g in ruleset.grades]
    if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums):
        yield "评价等级须按分数线从高到低排列且分数线互不相同"
    if ruleset.grades and ruleset.grades[-1].min_score != 0:
        yield "最低评价等级的分数线须为 0，使每个总分都有等级"
    if ruleset.kind not in {"department", "project"}:
        yield f"规则集类型 {ruleset.kind!r} 无效，应为 department（部门整体）或 project（项目）"
    yield from _option_problems(ruleset)


def _option_problems(ruleset: RuleSet) -> Iterator[str]:
    caps = ruleset.options.category_caps
    names = [c.category.strip() for c in caps]
    for name in sorted({n for n in names if names.count(n) > 1}):
        yield f"分值上限中的类别「{name}」重复"
    for cap in caps:
        if cap.max_points > ruleset.total_points:
            yield (
                f"类别「{cap.category}」的分值上限 {cap.max_points} 超过总分 {ruleset.total_points}"
            )
        for path, node in ruleset.walk():
            if node.name == cap.category.strip() and node.points > cap.max_points:
                where = " / ".join([*(p.name for p in path), node.name])
                yield f"「{where}」分值 {node.points} 超过该类别的分值上限 {cap.max_points}"


def _rule_problems(where: str, rule: Rule) -> Iterator[str]:
    if rule.kind is RuleKind.DEDUCTION:
        if rule.limit is None or rule.deduct_per_point is None:
            yield f"扣分指标「{where}」须给出限值 limit 和每个百分点扣分 deduct_per_point"
        if rule.source is None:
            yield f"扣分指标「{where}」须给出取数来源 source"
    if rule.kind is RuleKind.BUDGET_EXECUTION and rule.source not in (
        None,
        DerivedMetric.EXECUTION_RATE,
    ):
        yield f"预算执行率指标「{where}」的取数来源只能是 execution_rate"
    if (
        rule.direction is Direction.RANGE
        and rule.target is not None
        and (rule.target_high is None or rule.target_high < rule.target)
    ):
        yield f"区间指标「{where}」须给出上限 target_high 且不小于下限"


def option_notes(ruleset: RuleSet) -> tuple[str, ...]:
    """The rule-set's scoring options that differ from the defaults, one Chinese sentence each,
    for the 评分表 (a reader sees which variant scored it; the 评分标准 text is the rule-set's own
    and may not say). Nothing for a rule-set on the defaults: its documents stay as they were."""
    options, limits = ruleset.options, ruleset.thresholds
    notes: list[str] = []
    if options.reverse is ReverseScoring.LINEAR:
        notes.append(
            "反向指标未达成的按线性计分：分值 ×（1 −（实际完成值 − 年度指标值）÷ 年度指标值），"
            "实际完成值达到年度指标值两倍时为 0"
        )
    if options.equal_zero_target is ZeroTarget.AT_MOST:
        notes.append("“=”指标年度指标值为 0 的，实际完成值不大于 0 即为达成")
    if options.not_applicable is NotApplicableRule.RESCALE:
        notes.append("标为不适用的指标剔除，其余指标分值按总分折算")
    if options.explain_below_points:
        notes.append("得分低于分值的指标均须说明偏差原因及改进措施")
    if options.category_caps:
        caps = "、".join(
            f"{c.category}不超过 {format_decimal(c.max_points)} 分" for c in options.category_caps
        )
        notes.append(f"类别分值上限：{caps}")
    if limits.over_completion != Thresholds().over_completion:
        notes.append(f"完成率超过 {format_decimal(limits.over_completion)}% 的须说明原因")
    return tuple(notes)
