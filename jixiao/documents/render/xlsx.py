"""The data table (数据表, 部门整体/项目支出绩效自评表) and the scoring table (评分表) as xlsx.

Layouts follow the official forms described in docs/domain.md: the data table in the project-form
family (header, budget block, 年度总体目标, indicator grid, total); the scoring table as
序号 / 一级 / 二级 / 三级指标 / 分值 / 指标解释 / 评分标准 / 自评得分. Scores, points and amounts
are numbers (so a reader can add them up in Excel); target and actual values are text with units.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.documents import typography as ty
from jixiao.documents.tables import indicator_value, level_names
from jixiao.documents.templatetags.report_format import cn_date, figure, percent
from scoring.evaluation import SelfEvaluation
from scoring.evaluation_sheet import (
    INFO_FIELDS,
    NOT_APPLICABLE_SCORE,
    SHEET_INFO,
    SHEET_TARGETS,
    TARGET_COLUMNS,
)
from scoring.results import EvaluationResult, IndicatorResult
from scoring.rounding import display_amount, display_percent, round_score
from scoring.ruleset import RuleKind, RuleSet, option_notes
from scoring.sheet_cells import write_cell

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
BODY_FONT = Font(name=ty.BODY.official, size=11)
HEADER_FONT = Font(name=ty.HEADING1.official, size=11)
TITLE_FONT = Font(name=ty.TITLE.official, size=16, bold=True)
FUND_SOURCES = ("当年财政拨款", "上年结转资金", "其他资金")
DIRECTION_SIGNS = {">=": "≥", "<=": "≤", "=": "=", "range": ""}
KIND_NAMES = {"department": "部门整体", "project": "项目"}


def _cell(
    ws: Worksheet,
    row: int,
    col: int,
    value: object,
    *,
    header: bool = False,
    left: bool = False,
    end_col: int | None = None,
    end_row: int | None = None,
    number_format: str | None = None,
) -> None:
    """Write one (possibly merged) bordered cell."""
    last_col = end_col or col
    last_row = end_row or row
    if last_col != col or last_row != row:
        ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
    for r in range(row, last_row + 1):
        for c in range(col, last_col + 1):
            ws.cell(row=r, column=c).border = BORDER
    cell = write_cell(ws, row, col, value)
    cell.font = HEADER_FONT if header else BODY_FONT
    cell.alignment = WRAP_LEFT if left else WRAP_CENTER
    if header:
        cell.fill = HEADER_FILL
    if number_format:
        cell.number_format = number_format


def _title(ws: Worksheet, text: str, columns: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    cell = write_cell(ws, 1, 1, text)
    cell.font = TITLE_FONT
    cell.alignment = WRAP_CENTER
    ws.row_dimensions[1].height = 36


def _print_setup(ws: Worksheet, widths: Sequence[float], landscape: bool, header_row: int) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _merge_runs(ws: Worksheet, column: int, first_row: int, values: Sequence[str]) -> None:
    """Merge consecutive equal cells of one column (一级 / 二级指标 spanning their leaves)."""
    start = 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            if index - start > 1 and values[start]:
                ws.merge_cells(
                    start_row=first_row + start,
                    start_column=column,
                    end_row=first_row + index - 1,
                    end_column=column,
                )
            start = index


def target_text(ind: IndicatorResult) -> str:
    if ind.target is None:
        return ""
    sign = DIRECTION_SIGNS.get(ind.direction or ">=", "")
    if ind.direction == "range" and ind.target_high is not None:
        return (
            f"{indicator_value(ind.target, ind.unit)}～{indicator_value(ind.target_high, ind.unit)}"
        )
    return f"{sign}{indicator_value(ind.target, ind.unit)}"


def score_cell(ind: IndicatorResult) -> Decimal | str:
    """得分 as a number (rounded by the one rule), or 不适用 for an indicator the rule-set's rescale
    option dropped: not a 0 that reads like a miss (scoring.evaluation_sheet reads it back)."""
    if ind.not_applicable:
        return NOT_APPLICABLE_SCORE
    return round_score(ind.score)


def actual_text(ind: IndicatorResult) -> str:
    if ind.actual is not None:
        return indicator_value(ind.actual, ind.unit)
    return ind.band or ""


def _goal_texts(evaluation: SelfEvaluation, result: EvaluationResult) -> tuple[str, str]:
    if evaluation.project is not None and (
        evaluation.project.goal_expected or evaluation.project.goal_actual
    ):
        return evaluation.project.goal_expected, evaluation.project.goal_actual
    rates = result.ratios.completion_rates
    scored = [t for t in evaluation.targets if t.target is not None]
    expected = "；".join(f"{t.name}{figure(t.target, t.unit)}" for t in scored)
    actual = "；".join(
        f"{t.name}{figure(t.actual, t.unit)}"
        + (f"，完成{percent(rates[t.code])}" if t.code in rates else "")
        for t in evaluation.targets
    )
    return expected, actual


def render_data_table(evaluation: SelfEvaluation, result: EvaluationResult) -> bytes:
    """数据表: 部门整体支出绩效自评表 (or 项目支出绩效自评表) in the project-form layout."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    project = evaluation.kind == "project"
    ws.title = "项目支出绩效自评表" if project else "部门整体支出绩效自评表"
    _title(ws, f"{ws.title}（{evaluation.year}年度）", 8)

    row = 2
    if project and evaluation.project is not None:
        _cell(ws, row, 1, "项目名称", header=True)
        _cell(ws, row, 2, evaluation.project.name, end_col=8, left=True)
        row += 1
        _cell(ws, row, 1, "主管部门", header=True)
        _cell(ws, row, 2, evaluation.unit.supervisor, end_col=4, left=True)
        _cell(ws, row, 5, "实施单位", header=True)
        _cell(ws, row, 6, evaluation.project.implementing_unit or evaluation.unit.name, end_col=8)
    else:
        _cell(ws, row, 1, "单位名称", header=True)
        _cell(ws, row, 2, evaluation.unit.name, end_col=4, left=True)
        _cell(ws, row, 5, "主管部门", header=True)
        _cell(ws, row, 6, evaluation.unit.supervisor, end_col=8, left=True)
    row += 1

    # Budget block: only the total row (年度资金总额) is scored.
    execution = next((i for i in result.indicators if i.kind == RuleKind.BUDGET_EXECUTION), None)
    budget = evaluation.budget
    block_top = row
    _cell(ws, row, 1, "年度资金情况（万元）", header=True, end_row=row + 4)
    headers = (
        "",
        "年初预算数",
        "全年预算数（A）",
        "全年执行数（B）",
        "分值",
        "执行率（B/A）",
        "得分",
    )
    for offset, text in enumerate(headers):
        _cell(ws, row, 2 + offset, text, header=True)
    rows_by_source = {r.source: r for r in budget.rows}
    lines: list[tuple[str, Decimal | None, Decimal | None, Decimal | None]] = [
        ("年度资金总额", budget.initial, budget.full_year, budget.executed)
    ]
    sources = list(FUND_SOURCES) + [s for s in rows_by_source if s not in FUND_SOURCES]
    for source in sources:
        found = rows_by_source.get(source)
        lines.append(
            (
                f"其中：{source}" if source == FUND_SOURCES[0] else source,
                found.initial if found else None,
                found.full_year if found else None,
                found.executed if found else None,
            )
        )
    for index, (label, initial, full_year, executed) in enumerate(lines):
        r = block_top + 1 + index
        _cell(ws, r, 2, label, left=True)
        for col, value in ((3, initial), (4, full_year), (5, executed)):
            shown = display_amount(value) if value is not None else "—"
            _cell(ws, r, col, shown, number_format="0.00")
        total_row = index == 0
        rate = (
            display_percent(executed * 100 / full_year) / 100
            if executed is not None and full_year
            else None
        )
        _cell(ws, r, 7, rate if rate is not None else "—", number_format="0.00%")
        _cell(ws, r, 6, round_score(execution.points) if total_row and execution else "—")
        _cell(
            ws,
            r,
            8,
            score_cell(execution) if total_row and execution else "—",
            number_format="0.##",
        )
    row = block_top + len(lines) + 1
    if row - block_top > 5:  # more fund sources than the form's four rows
        ws.unmerge_cells(start_row=block_top, start_column=1, end_row=block_top + 4, end_column=1)
        _cell(ws, block_top, 1, "年度资金情况（万元）", header=True, end_row=row - 1)

    expected, actual = _goal_texts(evaluation, result)
    _cell(ws, row, 1, "年度总体目标", header=True, end_row=row + 1)
    _cell(ws, row, 2, "预期目标", header=True, end_col=4)
    _cell(ws, row, 5, "实际完成情况", header=True, end_col=8)
    _cell(ws, row + 1, 2, expected, end_col=4, left=True)
    _cell(ws, row + 1, 5, actual, end_col=8, left=True)
    ws.row_dimensions[row + 1].height = max(45, 15 * (1 + max(len(expected), len(actual)) // 40))
    row += 2

    grid_header = row
    for col, text in enumerate(
        (
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ),
        start=1,
    ):
        _cell(ws, row, col, text, header=True)
    row += 1
    first = row
    firsts: list[str] = []
    seconds: list[str] = []
    for ind in result.indicators:
        level1, level2, level3 = level_names(ind.level1, ind.level2, ind.name)
        firsts.append(level1)
        seconds.append(level1 + "\x00" + level2)
        values: tuple[object, ...] = (
            level1, level2, level3, target_text(ind), actual_text(ind), round_score(ind.points),
            score_cell(ind), ind.explanation,
        )  # fmt: skip
        for col, item in enumerate(values, start=1):
            _cell(
                ws, row, col, item, left=col == 8, number_format="0.##" if col in (6, 7) else None
            )
        row += 1
    _merge_runs(ws, 1, first, firsts)
    _merge_runs(ws, 2, first, seconds)

    _cell(ws, row, 1, "总分", header=True, end_col=5)
    _cell(ws, row, 6, round_score(result.total_points), header=True, number_format="0.##")
    _cell(ws, row, 7, round_score(result.total), header=True, number_format="0.##")
    _cell(ws, row, 8, f"评价等级：{result.grade_name}", header=True)
    row += 1
    # No 示例 marks (example_note, example scores) in a published file: they are the demo data's own
    # notes (#8.13). The rule-set by its title; its ref first, which a read-back of the sheet uses.
    notes = [
        f"填报日期：{cn_date(evaluation.filled_on)}",
        f"评分规则集：{result.ruleset_ref} {result.ruleset_name}",  # a title has its own （）
    ]
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
    note = write_cell(ws, row, 1, "；".join(notes))
    note.font = BODY_FONT
    note.alignment = WRAP_LEFT
    ws.row_dimensions[row].height = 30

    _print_setup(ws, (12, 16, 24, 13, 13, 8, 8, 30), landscape=True, header_row=grid_header)
    _info_sheet(workbook, evaluation)
    _targets_sheet(workbook, evaluation)
    return _save(workbook)


def _info_values(evaluation: SelfEvaluation, path: tuple[str, ...], how: str) -> list[str]:
    """The 内容 cells of one 填报信息 item (several for a list), as scoring.evaluation_sheet reads them."""
    if path in (("example_codes",), ("example_note",)):
        return []  # demo-only marks stay out of published files (#8.13)
    value: Any = evaluation
    for part in path:
        value = getattr(value, part, None) if value is not None else None
    if value is None or value in ("", ()):
        return []
    if how == "kind":
        return [KIND_NAMES[value]]
    if how == "date":
        return [value.isoformat()]
    if how == "list":
        return [str(v) for v in value]
    if how.startswith("titled:"):
        detail = how.split(":")[1]
        return [f"{item.title}：{getattr(item, detail)}".rstrip("：") for item in value]
    if how == "members":
        return [f"{m.role}｜{m.name}｜{m.duty}".rstrip("｜") for m in value]
    return [str(value)]


def _info_sheet(workbook: Workbook, evaluation: SelfEvaluation) -> None:
    """填报信息: what the official form has no cell for, so the workbook reads back whole."""
    ws = workbook.create_sheet(SHEET_INFO)
    _cell(ws, 1, 1, "项目", header=True)
    _cell(ws, 1, 2, "内容", header=True)
    row = 2
    for label, (path, how) in INFO_FIELDS.items():
        for value in _info_values(evaluation, path, how):
            _cell(ws, row, 1, label, left=True)
            _cell(ws, row, 2, value, left=True)
            row += 1
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 100


def _targets_sheet(workbook: Workbook, evaluation: SelfEvaluation) -> None:
    """绩效目标: every target with its code and 其中, including figures that are not scored."""
    ws = workbook.create_sheet(SHEET_TARGETS)
    for col, text in enumerate(TARGET_COLUMNS, start=1):
        _cell(ws, 1, col, text, header=True)
    for row, target in enumerate(evaluation.targets, start=2):
        # 类别 and 不适用 as text cells; 分值 is the unit's own (before any 不适用 rescaling, which
        # the form's grid shows), so the workbook reads back to the same points
        values = (target.code, target.name, target.unit, target.target, target.actual,
                  target.part_of, target.category, "是" if target.not_applicable else "",
                  target.points)  # fmt: skip
        for col, value in enumerate(values, start=1):
            _cell(ws, row, col, value, left=col == 2)
    for col, width in enumerate((8, 44, 10, 12, 12, 20, 14, 8, 8), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def render_scoring_table(
    evaluation: SelfEvaluation, result: EvaluationResult, ruleset: RuleSet | None
) -> bytes:
    """评分表: 序号 / 一级 / 二级 / 三级指标 / 分值 / 指标解释 / 评分标准 / 自评得分."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "评分表"
    kind = "项目支出" if evaluation.kind == "project" else "部门整体支出"
    _title(ws, f"{evaluation.unit.name}{evaluation.year}年度{kind}绩效自评评分表", 8)
    header_row = 2
    for col, text in enumerate(
        ("序号", "一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准", "自评得分"),
        start=1,
    ):
        _cell(ws, header_row, col, text, header=True)
    parents = {t.code: t.parent for t in evaluation.targets}
    row = header_row + 1
    firsts: list[str] = []
    seconds: list[str] = []
    for index, ind in enumerate(result.indicators, start=1):
        level1, level2, level3 = level_names(ind.level1, ind.level2, ind.name)
        firsts.append(level1)
        seconds.append(level1 + "\x00" + level2)
        node = None
        if ruleset is not None:
            node = ruleset.find(ind.code) or ruleset.find(parents.get(ind.code) or "")
        explanation = node.explanation if node else ""
        if ind.unit_defined:
            explanation = f"{explanation}年度指标值{target_text(ind)}。".strip()
        values: tuple[object, ...] = (
            index, level1, level2, level3, round_score(ind.points), explanation, ind.criteria,
            score_cell(ind),
        )  # fmt: skip
        for col, value in enumerate(values, start=1):
            _cell(
                ws, row, col, value, left=col in (6, 7),
                number_format="0.##" if col in (5, 8) else None,
            )  # fmt: skip
        row += 1
    _merge_runs(ws, 2, header_row + 1, firsts)
    _merge_runs(ws, 3, header_row + 1, seconds)
    _cell(ws, row, 1, "合计", header=True, end_col=4)
    _cell(ws, row, 5, round_score(result.total_points), header=True, number_format="0.##")
    _cell(ws, row, 6, "", header=True, end_col=7)
    _cell(ws, row, 8, round_score(result.total), header=True, number_format="0.##")
    row += 1
    _cell(ws, row, 1, "评价等级", header=True, end_col=4)
    _cell(ws, row, 5, result.grade_name, end_col=8)  # the documents' grade word: 优秀/良好/…
    row += 1
    notes = [f"评分规则集：{result.ruleset_name}；编号：{result.ruleset_ref}"]
    if ruleset is not None:  # the variants this rule-set scores with (docs/rulesets.md「评分选项」)
        notes += [f"评分选项：{note}" for note in option_notes(ruleset)]
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
    note = write_cell(ws, row, 1, "；".join(notes))
    note.font = BODY_FONT
    note.alignment = WRAP_LEFT
    ws.row_dimensions[row].height = max(30, 15 * (1 + len(note.value) // 90))
    _print_setup(ws, (6, 12, 16, 24, 7, 40, 40, 9), landscape=True, header_row=header_row)
    return _save(workbook)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
