"""The declaration checks (绩效目标审核要点): the reviewer's checklist as named rules, run while typing.

Each rule has a code, a severity and a Chinese message with named parameters. An **error** blocks
the unit head's submission (报送 is refused with the list); a **warning** is shown to the unit and
the reviewers but does not block: a person must judge it (docs/targets.md says which is which and
why). The messages are source strings marked with :func:`N_`; the web translates the template and
then fills in the parameters, the CLI and the documents print them as they are.

Pure Python, no Django: the entry page, the submission check, the reviewer view and the API all
call :func:`check_declaration` on the same ``scoring.targets.TargetDeclaration``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from scoring.plausibility import CHANGE_WORDS, PERCENT_UNITS
from scoring.report_parts import N_
from scoring.ruleset import Direction
from scoring.targets import LEVEL2, DeclarationScope, DeclaredTarget, Level1, TargetDeclaration

HUNDRED = Decimal(100)


class Severity(StrEnum):
    ERROR = "error"  # blocks submission
    WARNING = "warning"  # shown, does not block


@dataclass(frozen=True)
class Rule:
    """One named check: its code, severity, and the message template (a Chinese source string)."""

    code: str
    severity: Severity
    template: str
    title: str  # what the rule checks, for the rule list in docs and the reviewer's legend


@dataclass(frozen=True)
class Finding:
    """One rule broken by one declaration (``target`` is the target's code, "" for the whole)."""

    rule: Rule
    params: Mapping[str, Any] = field(default_factory=dict)
    target: str = ""
    row: int | None = None  # 1-based row of the target table

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def is_error(self) -> bool:
        return self.rule.severity is Severity.ERROR

    @property
    def message(self) -> str:
        """The message in the source language (Chinese), parameters filled in."""
        return self.rule.template.format(**self.params)


def _rule(code: str, severity: Severity, title: str, template: str) -> Rule:
    return Rule(code=code, severity=severity, template=template, title=title)


E, W = Severity.ERROR, Severity.WARNING

# Messages of a target start with its row and name: 「第 2 行“职业技能鉴定人次”：…」.
RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        _rule("no_targets", E, N_("至少有一项指标"), N_("尚未填写任何绩效指标")),
        _rule("overall_goal_missing", E, N_("填写总体目标"), N_("未填写总体目标（年度绩效目标）")),
        _rule("amount_missing", E, N_("填写申报金额"), N_("未填写申报金额（万元）")),
        _rule(
            "weights_total",
            E,
            N_("权重合计为 100"),
            N_("各指标权重合计为 {total}，应为 {expected}"),
        ),
        _rule(
            "weight_missing",
            E,
            N_("每项指标有权重"),
            N_("第 {row} 行“{name}”：未填写权重"),
        ),
        _rule(
            "needs_output",
            E,
            N_("至少一项产出指标"),
            N_("至少应有一项产出指标（数量、质量、时效或成本）"),
        ),
        _rule(
            "needs_benefit",
            E,
            N_("至少一项效益指标"),
            N_("至少应有一项效益指标（经济、社会、生态或可持续影响）"),
        ),
        _rule(
            "name_missing",
            E,
            N_("每项指标有名称"),
            N_("第 {row} 行：未填写三级指标名称"),
        ),
        _rule(
            "level2_mismatch",
            E,
            N_("二级指标属于所选一级指标"),
            N_("第 {row} 行“{name}”：二级指标“{level2}”不属于{level1}"),
        ),
        _rule(
            "value_missing",
            E,
            N_("每项指标有指标值"),
            N_("第 {row} 行“{name}”：未填写指标值"),
        ),
        _rule(
            "number_expected",
            E,
            N_("有计量单位的指标填写数值"),
            N_(
                "第 {row} 行“{name}”：已填写计量单位“{unit}”，应填写数值而不是文字“{text}”"
                "（文字指标值只用于定性指标）"
            ),
        ),
        _rule(
            "number_expected_digits",
            E,
            N_("含数字的指标值填入数值栏"),
            N_("第 {row} 行“{name}”：指标值“{text}”中含有数字，请把数值填入“指标值”栏"),
        ),
        _rule(
            "number_expected_level2",
            E,
            N_("数量和成本指标填写数值"),
            N_("第 {row} 行“{name}”：{level2}应填写数值，而不是文字“{text}”"),
        ),
        _rule(
            "range_incomplete",
            E,
            N_("区间指标有上下限"),
            N_("第 {row} 行“{name}”：区间指标须填写下限和上限，且下限不大于上限"),
        ),
        _rule(
            "percent_out_of_range",
            E,
            N_("百分比在 0 到 100 之间"),
            N_(
                "第 {row} 行“{name}”：指标值 {value}% 不在 0 到 100 之间"
                "（只有名称含“增长”“增幅”“超”等的变动率可以超出）"
            ),
        ),
        _rule(
            "count_not_integral",
            E,
            N_("人、次、个、件等计数为整数"),
            N_("第 {row} 行“{name}”：计量单位为“{unit}”，指标值 {value} 应为整数"),
        ),
        _rule(
            "cost_unit",
            E,
            N_("成本指标以万元或元计"),
            N_("第 {row} 行“{name}”：成本指标的计量单位应为万元或元（现为“{unit}”）"),
        ),
        _rule(
            "unit_missing",
            W,
            N_("数值指标有计量单位"),
            N_("第 {row} 行“{name}”：指标值为数值 {value}，但未填写计量单位"),
        ),
        _rule(
            "cost_indicator_required",
            E,
            N_("大额项目设成本指标"),
            N_("项目申报金额 {amount} 万元，超过 {threshold} 万元，应至少设置一项成本指标"),
        ),
        _rule(
            "unmeasurable_wording",
            E,
            N_("不用无法衡量的表述"),
            N_(
                "第 {row} 行“{name}”：“{phrase}”没有可衡量的数值，"
                "请写明具体指标值（如“≥95%”“≤30万元”）"
            ),
        ),
        _rule(
            "below_last_year",
            W,
            N_("指标值不低于上年实际"),
            N_(
                "第 {row} 行“{name}”：指标值 {value}{unit} 低于上年实际完成值 {actual}{unit}，"
                "请说明理由或调高目标"
            ),
        ),
        _rule(
            "above_last_year",
            W,
            N_("反向指标不高于上年实际"),
            N_(
                "第 {row} 行“{name}”：越低越好的指标，指标值 {value}{unit} 高于上年实际完成值 "
                "{actual}{unit}，请说明理由或调低目标"
            ),
        ),
        _rule(
            "duplicate_name",
            W,
            N_("指标不重复"),
            N_("第 {row} 行“{name}”与第 {first} 行重复"),
        ),
    )
}

# Words that promise without measuring (“进一步提高”“有效提升”“明显改善”“不断完善”…): an adverb of
# degree followed by a verb of change. Flagged only when the target has no number.
VAGUE_ADVERBS = (
    "进一步",
    "有效",
    "明显",
    "显著",
    "不断",
    "逐步",
    "持续",
    "稳步",
    "大幅",
    "切实",
    "全面",
    "较大",
    "大力",
)
VAGUE_VERBS = (
    "提高",
    "提升",
    "改善",
    "完善",
    "加强",
    "增强",
    "优化",
    "降低",
    "减少",
    "扩大",
    "推进",
    "增加",
)
_VAGUE = re.compile(f"(?:{'|'.join(VAGUE_ADVERBS)})(?:{'|'.join(VAGUE_VERBS)})")
# A percentage may pass 100 (or go below 0) when the name says it measures a change or an excess.
PERCENT_EXCEPTION_WORDS = (*CHANGE_WORDS, "超")
# Units in which a value is a count of whole things.
INTEGRAL_UNITS = frozenset(
    {
        "人",
        "人次",
        "名",
        "位",
        "次",
        "个",
        "件",
        "家",
        "户",
        "所",
        "台",
        "套",
        "辆",
        "份",
        "篇",
        "场",
        "批",
    }
)
MONEY_UNITS = ("万元", "元", "亿元", "千元")
# 二级指标 that are figures by nature: a quantity, a cost.
NUMERIC_LEVEL2 = frozenset({"数量指标", "成本指标"})
WEIGHT_TOTAL = HUNDRED


def name_key(name: str) -> str:
    """How two targets' names are matched across years (spacing and full-width brackets aside)."""
    return re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _is_money_unit(unit: str) -> bool:
    return any(unit.startswith(m) for m in MONEY_UNITS)


def _target_findings(
    row: int,
    target: DeclaredTarget,
    previous_actuals: Mapping[tuple[str, str], Decimal],
) -> list[Finding]:
    out: list[Finding] = []
    name = target.name.strip()
    unit = target.unit.strip()
    text = target.value_text.strip()
    label = name or f"T{row}"

    def add(code: str, **params: Any) -> None:
        out.append(Finding(RULES[code], {"row": row, "name": label, **params}, target.code, row))

    if not name:
        out.append(Finding(RULES["name_missing"], {"row": row}, target.code, row))
    allowed = LEVEL2.get(target.level1, ())
    if target.level2 not in allowed:
        add("level2_mismatch", level2=target.level2, level1=str(target.level1))
    if target.weight is None:
        add("weight_missing")
    numeric = target.value is not None
    if target.direction is Direction.RANGE:
        if target.value is None or target.value_high is None or target.value > target.value_high:
            add("range_incomplete")
    elif not numeric and not text:
        add("value_missing")
    if not numeric and text:
        if unit:
            add("number_expected", unit=unit, text=text)
        elif _has_digit(text):
            add("number_expected_digits", text=text)
        elif target.level2 in NUMERIC_LEVEL2:
            add("number_expected_level2", level2=target.level2, text=text)
    vague = _VAGUE.search(text) or (None if numeric else _VAGUE.search(name))
    if vague and not _has_digit(text):
        add("unmeasurable_wording", phrase=vague.group(0))
    if numeric:
        assert target.value is not None
        values = [target.value] + ([target.value_high] if target.value_high is not None else [])
        if unit in PERCENT_UNITS and not any(w in name for w in PERCENT_EXCEPTION_WORDS):
            bad = next((v for v in values if not 0 <= v <= HUNDRED), None)
            if bad is not None:
                add("percent_out_of_range", value=_plain(bad))
        if unit in INTEGRAL_UNITS:
            bad = next((v for v in values if v != v.to_integral_value()), None)
            if bad is not None:
                add("count_not_integral", unit=unit, value=_plain(bad))
        if not unit:
            add("unit_missing", value=_plain(target.value))
    if target.level2 == "成本指标" and unit and not _is_money_unit(unit):
        add("cost_unit", unit=unit)
    actual = previous_actuals.get((name_key(name), unit)) if name else None
    if actual is not None and numeric:
        assert target.value is not None
        shown = {"value": _plain(target.value), "actual": _plain(actual), "unit": unit}
        lower_is_worse = (Direction.AT_LEAST, Direction.EQUAL, Direction.RANGE)
        if target.direction in lower_is_worse and target.value < actual:
            add("below_last_year", **shown)
        elif target.direction is Direction.AT_MOST and target.value > actual:
            add("above_last_year", **shown)
    return out


def check_declaration(
    declaration: TargetDeclaration,
    *,
    previous_actuals: Mapping[tuple[str, str], Decimal] | None = None,
    cost_threshold: Decimal | None = None,
) -> list[Finding]:
    """Every rule the declaration breaks, whole-declaration findings first, then row by row.

    ``previous_actuals`` maps (``name_key(name)``, unit of measure) to last year's actual value of
    the target of that name and unit (from the unit's self-evaluation of the year before);
    ``cost_threshold`` (万元) is the bureau's amount above which a project needs a 成本指标 (None:
    no such rule for this campaign).
    """
    previous_actuals = previous_actuals or {}
    out: list[Finding] = []
    targets = declaration.targets
    if not declaration.overall_goal.strip():
        out.append(Finding(RULES["overall_goal_missing"]))
    if declaration.amount is None:
        out.append(Finding(RULES["amount_missing"]))
    if not targets:
        out.append(Finding(RULES["no_targets"]))
        return out
    level1s = {t.level1 for t in targets}
    if Level1.OUTPUT not in level1s:
        out.append(Finding(RULES["needs_output"]))
    if Level1.BENEFIT not in level1s:
        out.append(Finding(RULES["needs_benefit"]))
    weights = [t.weight for t in targets if t.weight is not None]
    total = sum(weights, Decimal(0))
    if weights and total != WEIGHT_TOTAL:
        out.append(
            Finding(
                RULES["weights_total"],
                {"total": _plain(total), "expected": _plain(WEIGHT_TOTAL)},
            )
        )
    if (
        cost_threshold is not None
        and declaration.scope is DeclarationScope.PROJECT
        and declaration.amount is not None
        and declaration.amount > cost_threshold
        and not any(t.level2 == "成本指标" for t in targets)
    ):
        out.append(
            Finding(
                RULES["cost_indicator_required"],
                {"amount": _plain(declaration.amount), "threshold": _plain(cost_threshold)},
            )
        )
    seen: dict[tuple[str, str], int] = {}
    for row, target in enumerate(targets, 1):
        out += _target_findings(row, target, previous_actuals)
        key = (name_key(target.name), target.unit.strip())
        if target.name.strip():
            if key in seen:
                out.append(
                    Finding(
                        RULES["duplicate_name"],
                        {"row": row, "name": target.name.strip(), "first": seen[key]},
                        target.code,
                        row,
                    )
                )
            else:
                seen[key] = row
    return out


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if not f.is_error]
