"""`jixiao evaluate FILE [--json] [--rulesets DIR] [--previous FILE]`: 评分并输出指标得分表.

FILE is a self-evaluation in YAML (.yaml/.yml) or a data-table workbook (.xlsx, see
docs/input-format.md). Prints the indicator table (一级/二级/三级指标, 年度指标值, 实际完成值, 完成率,
分值, 得分, 提示), the derived ratios, the evaluation-level flags, the missing explanations, any
problem, the total, the grade and the rule-set reference. ``--previous FILE`` (repeatable) names an
earlier year's self-evaluation: an actual far outside that year's is flagged (docs/scoring.md). ``--json`` prints the same as one JSON
object; every number in it is a string holding the exact decimal as shown (scores to 0.01 point,
rates to 0.01%), so nothing passes through a binary float.

Exit codes: 0 complete (every indicator scored, every required explanation given); 1 scored but
incomplete (problems or missing explanations listed); 2 bad input (file, YAML/xlsx, a field).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

from scoring import score_evaluation
from scoring.evaluation import SelfEvaluation
from scoring.loading import load_evaluation_any, load_scorable
from scoring.plausibility import PastActual
from scoring.results import EvaluationResult, Flag, FlagCode, IndicatorResult
from scoring.rounding import display_amount, display_percent, format_decimal

EXIT_COMPLETE = 0
EXIT_INCOMPLETE = 1

FLAG_LABELS = {
    FlagCode.NOT_MET: "未达成",
    FlagCode.OVER_COMPLETION: "偏离度过大",
    FlagCode.EXECUTION_LOW: "执行率偏低",
    FlagCode.ADJUSTMENT_HIGH: "调整率偏高",
    FlagCode.OVER_QUOTA: "超编",
    FlagCode.REVIEWER_DEDUCTION: "复核扣分",
    FlagCode.EXAMPLE_SCORE: "示例分值",
    FlagCode.NOT_SCORED: "未评分",
    FlagCode.EXECUTION_OVER: "执行数超预算",
    FlagCode.IMPLAUSIBLE: "数值存疑",
    FlagCode.OUTSIDE_HISTORY: "与往年相差过大",
    FlagCode.BELOW_POINTS: "低于分值",
    FlagCode.NOT_APPLICABLE: "不适用",
}
DIRECTION_SIGNS = {">=": "≥", "<=": "≤", "=": "=", "range": ""}
COLUMNS = (
    "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成率", "分值", "得分", "提示",
)  # fmt: skip
NUMERIC_COLUMNS = {5, 6, 7}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="自评数据文件：YAML（.yaml/.yml）或数据表（.xlsx）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出（数字为字符串）")
    parser.add_argument(
        "--rulesets", type=Path, action="append", default=[], metavar="DIR",
        help="另外查找规则集的目录（可重复）",
    )  # fmt: skip
    parser.add_argument(
        "--previous", type=Path, action="append", default=[], metavar="FILE",
        help="往年的自评数据（YAML 或数据表 xlsx，可重复）：实际完成值与往年相差过大时提示",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    evaluation, ruleset = load_scorable(args.file, extra_dirs=args.rulesets)
    history = [
        actual
        for path in args.previous
        for actual in past_actuals(load_evaluation_any(path, extra_dirs=args.rulesets))
    ]
    result = score_evaluation(evaluation, ruleset, history=history)
    if args.json:
        output = json.dumps(
            to_json(evaluation, result, str(args.file)), ensure_ascii=False, indent=2
        )
    else:
        output = render_text(evaluation, result)
    try:
        print(output)
    except BrokenPipeError:  # piped into head/less that closed early
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    complete = not result.problems and not result.missing_explanations
    return EXIT_COMPLETE if complete else EXIT_INCOMPLETE


def past_actuals(evaluation: SelfEvaluation) -> list[PastActual]:
    """An earlier year's targets with an actual: what this year's actuals are held to."""
    return [
        PastActual(year=evaluation.year, code=t.code, name=t.name, unit=t.unit, actual=t.actual)
        for t in evaluation.targets
        if t.actual is not None
    ]


# --- shared formatting ----------------------------------------------------------------------


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else format(display_percent(value), "f")


def _value(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "%":
        return f"{format(display_percent(value), 'f')}%"
    return f"{format_decimal(value)}{unit}"


def _target_text(ind: IndicatorResult) -> str:
    if ind.target is None:
        return ""
    if ind.direction == "range" and ind.target_high is not None:
        return f"{_value(ind.target, ind.unit)}～{_value(ind.target_high, ind.unit)}"
    return DIRECTION_SIGNS.get(ind.direction or ">=", "") + _value(ind.target, ind.unit)


def _levels(ind: IndicatorResult) -> tuple[str, str, str]:
    """一级 / 二级 / 三级; a leaf directly under a first-level node is shown as 二级指标."""
    if ind.level2:
        return ind.level1, ind.level2, ind.name
    return ind.level1, ind.name, ""


def _flag_json(flag: Flag) -> dict[str, Any]:
    return {
        "code": flag.code.value,
        "message": flag.message,
        "needs_explanation": flag.needs_explanation,
        "explained": flag.explained,
    }


# --- JSON -----------------------------------------------------------------------------------


def to_json(evaluation: SelfEvaluation, result: EvaluationResult, source: str) -> dict[str, Any]:
    """The result as plain JSON data; numbers are exact decimal strings."""
    ratios = result.ratios
    budget = evaluation.budget
    return {
        "source": source,
        "unit": evaluation.unit.name,
        "year": evaluation.year,
        "kind": evaluation.kind,
        "ruleset": result.ruleset_ref,
        "ruleset_name": result.ruleset_name,
        "total": format(result.total, "f"),
        "total_points": _num(result.total_points),
        "grade": result.grade_label,
        "grade_name": result.grade_name,
        "grade_code": result.grade_code,
        "complete": not result.problems and not result.missing_explanations,
        "indicators": [
            {
                "code": ind.code,
                "name": ind.name,
                "level1": ind.level1,
                "level2": ind.level2,
                "kind": ind.kind,
                "unit_defined": ind.unit_defined,
                "direction": ind.direction,
                "unit": ind.unit,
                "target": _num(ind.target),
                "target_high": _num(ind.target_high),
                "actual": _num(ind.actual),
                "completion_rate": _rate(ind.completion_rate),
                "band": ind.band,
                "points": _num(ind.points),
                "score": format(ind.score, "f"),
                # 不适用 dropped (points 0), and the points before 不适用 rescaling
                "not_applicable": ind.not_applicable,
                "declared_points": _num(ind.declared_points),
                "reviewer_deduction": _num(ind.reviewer_deduction),
                "explanation": ind.explanation,
                "flags": [_flag_json(f) for f in ind.flags],
            }
            for ind in result.indicators
        ],
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "points": _num(g.points),
                "score": format(g.score, "f"),
            }
            for g in result.groups
        ],
        "budget": {
            "initial": format(display_amount(budget.initial), "f"),
            "full_year": format(display_amount(budget.full_year), "f"),
            "executed": format(display_amount(budget.executed), "f"),
        },
        "ratios": {
            "execution_rate": _rate(ratios.execution_rate),
            "execution_rate_initial": _rate(ratios.execution_rate_initial),
            "adjustment_rate": _rate(ratios.adjustment_rate),
            "staffing_control_rate": _rate(ratios.staffing_control_rate),
            "completion_rates": {k: _rate(v) for k, v in ratios.completion_rates.items()},
        },
        "flags": [_flag_json(f) for f in result.flags],
        "problems": list(result.problems),
        "missing_explanations": list(result.missing_explanations),
    }


# --- text -----------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            _pad(cell, widths[i], i in NUMERIC_COLUMNS) for i, cell in enumerate(row)
        ).rstrip()
        for row in rows
    ]


def render_text(evaluation: SelfEvaluation, result: EvaluationResult) -> str:
    """A readable Chinese result: the indicator table, ratios, flags, problems, total and grade."""
    kind = "项目支出" if evaluation.kind == "project" else "部门整体支出"
    subject = evaluation.project.name if evaluation.project else evaluation.unit.name
    lines = [
        f"{subject} {evaluation.year}年度{kind}绩效自评评分",
        f"规则集：{result.ruleset_name}（{result.ruleset_ref}）",
        "",
    ]
    rows: list[tuple[str, ...]] = [COLUMNS]
    for ind in result.indicators:
        actual = _value(ind.actual, ind.unit) if ind.actual is not None else (ind.band or "")
        rows.append(
            (
                *_levels(ind),
                _target_text(ind),
                actual,
                f"{_rate(ind.completion_rate)}%" if ind.completion_rate is not None else "",
                format_decimal(ind.points),
                "不适用" if ind.not_applicable else format(ind.score, "f"),
                "、".join(FLAG_LABELS[f.code] for f in ind.flags),
            )
        )
    rows.append(
        (
            "合计",
            "",
            "",
            "",
            "",
            "",
            format_decimal(result.total_points),
            format(result.total, "f"),
            "",
        )
    )
    lines += _table(rows)

    ratios = result.ratios
    budget = evaluation.budget
    lines += ["", "比率："]
    amounts = (
        f"全年执行数 {display_amount(budget.executed)} / 全年预算数 "
        f"{display_amount(budget.full_year)} 万元"
    )
    lines.append(f"  预算执行率 {_percent_or_dash(ratios.execution_rate)}（{amounts}）")
    lines.append(
        f"  按年初预算计算的执行率 {_percent_or_dash(ratios.execution_rate_initial)}"
        f"（年初预算数 {display_amount(budget.initial)} 万元）"
    )
    lines.append(f"  预算调整率 {_percent_or_dash(ratios.adjustment_rate)}")
    unit = evaluation.unit
    if evaluation.kind != "project":  # a project has no 在职人员控制率
        staffing = _percent_or_dash(ratios.staffing_control_rate)
        if unit.staff_actual is not None and unit.staffing_quota is not None:
            staffing += f"（实有 {unit.staff_actual} 人 / 编制 {unit.staffing_quota} 人）"
        lines.append(f"  在职人员控制率 {staffing}")
    names = {t.code: t.name for t in evaluation.targets}
    for code, rate in ratios.completion_rates.items():
        lines.append(f"  完成率 {names.get(code, code)} {_rate(rate)}%")

    sections: list[tuple[str, list[str]]] = [
        ("提示（单位整体）", [f.message for f in result.flags]),
        (
            "提示（指标）",
            [
                f"{ind.name}：{f.message}"
                for ind in result.indicators
                for f in ind.flags
                if f.code is not FlagCode.EXAMPLE_SCORE
            ],
        ),
        ("须补充的说明", list(result.missing_explanations)),
        ("未完成的评分", list(result.problems)),
    ]
    for title, items in sections:
        if items:
            lines += ["", f"{title}："] + [f"  - {item}" for item in items]
    examples = sum(1 for ind in result.indicators if ind.has(FlagCode.EXAMPLE_SCORE))
    if examples:
        lines += ["", f"注：{examples} 项为示例分值（来源材料未给出该项得分）。"]

    lines += [
        "",
        f"总分 {format(result.total, 'f')}（满分 {format_decimal(result.total_points)}），"
        f"等级 {result.grade_name}（{result.grade_label}）",
    ]
    lines.append(f"规则集 {result.ruleset_ref}")
    return "\n".join(lines)


def _percent_or_dash(value: Decimal | None) -> str:
    return "—" if value is None else f"{_rate(value)}%"
