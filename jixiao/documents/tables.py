"""Tables a report template can place with ``!table <name>`` (报告中的表格).

Cells are text formatted by the same filters as the report's sentences, so a figure reads the same
in the table and in the paragraph next to it.
"""

from __future__ import annotations

from jixiao.documents.report_model import Table
from jixiao.documents.templatetags.report_format import amount, figure, percent, score
from scoring.evaluation import SelfEvaluation
from scoring.results import EvaluationResult


def level_names(level1: str, level2: str, name: str) -> tuple[str, str, str]:
    """一级 / 二级 / 三级指标 columns; a two-level framework shows its leaf as 二级指标."""
    if level2:
        return level1, level2, name
    return level1, name, ""


def indicator_value(value: object, unit: str) -> str:
    if value is None:
        return ""
    return figure(value, unit)


def targets_table(evaluation: SelfEvaluation, result: EvaluationResult) -> Table:
    rates = result.ratios.completion_rates
    rows = tuple(
        (
            t.name,
            indicator_value(t.target, t.unit) or "—",
            indicator_value(t.actual, t.unit),
            percent(rates[t.code]) if t.code in rates else "—",
        )
        for t in evaluation.targets
    )
    return Table(
        caption="绩效目标完成情况",
        header=(("绩效目标", "年度指标值", "实际完成值", "完成率"),),
        rows=rows,
        widths=(8, 3, 3, 2),
    )


def indicators_table(result: EvaluationResult) -> Table:
    rows = []
    for ind in result.indicators:
        first, second, third = level_names(ind.level1, ind.level2, ind.name)
        rows.append(
            (
                first,
                second,
                third,
                indicator_value(ind.target, ind.unit) if ind.target is not None else "",
                indicator_value(ind.actual, ind.unit) if ind.actual is not None else ind.band or "",
                score(ind.points),
                # 不适用 (dropped by the rule-set's rescale option): said, not a 0 of 0 that reads
                # like a miss; the other rows carry the rescaled points
                "不适用" if ind.not_applicable else score(ind.score),
            )
        )
    rows.append(("合计", "", "", "", "", score(result.total_points), score(result.total)))
    return Table(
        caption="绩效指标完成及得分情况",
        header=(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"),),
        rows=tuple(rows),
        widths=(3, 3, 6, 3, 3, 2, 2),
    )


def budget_table(evaluation: SelfEvaluation, result: EvaluationResult) -> Table:
    budget = evaluation.budget
    rows = [
        (
            "年度资金总额",
            amount(budget.initial),
            amount(budget.full_year),
            amount(budget.executed),
            percent(result.ratios.execution_rate),
        )
    ]
    rows += [
        (f"其中：{r.source}", amount(r.initial), amount(r.full_year), amount(r.executed), "")
        for r in budget.rows
    ]
    return Table(
        caption="项目资金情况（万元）",
        header=(("资金来源", "年初预算数", "全年预算数", "全年执行数", "执行率"),),
        rows=tuple(rows),
        widths=(5, 3, 3, 3, 2),
    )
