"""The 结果应用 table as an xlsx for the budget office; every cell through scoring.sheet_cells."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jixiao.results.selectors import Row
from scoring.rounding import display_percent, format_decimal
from scoring.sheet_cells import append_row

# Above this many rows the table is written by a background job (jixiao.jobs) whose file the
# person downloads from the job's page: at province scale a year has 70,000 approved rows, and
# openpyxl writes ~20,000 rows in seconds (4.2 s for the 5,000-unit city's year in the request;
# a department's year at province scale, ~1,200 rows, 770 ms): 300 rows stay within the page goal.
INLINE_LIMIT = 300
EXPORT_KIND = "results.export"


def filter_params(filters: Any) -> dict[str, Any]:
    return {
        "year": filters.year,
        "department": filters.department,
        "grade": filters.grade,
        "with_tasks": filters.with_tasks,
    }


def results_workbook(title: str, rows: Iterable[Row], *, more: bool, limit: int) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("结果应用")[:31]
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(
        sheet, [_("导出时间：{at}").format(at=timezone.localtime().strftime("%Y-%m-%d %H:%M"))]
    )
    if more:
        append_row(sheet, [_("只导出了前 {n} 行，请缩小筛选范围后分次导出。").format(n=limit)])
    append_row(
        sheet,
        [
            _("年度"),
            _("主管部门"),
            _("预算单位"),
            _("项目名称"),
            _("自评得分"),
            _("等级"),
            _("预算执行率（%）"),
            _("监控预警"),
            _("红色预警"),
            _("未完成整改"),
            _("逾期整改"),
            _("预算安排建议"),
            _("调整理由"),
        ],
    )
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        e = row.entry
        append_row(
            sheet,
            [
                e.year,
                e.department_name,
                e.unit_name,
                e.project_name,
                e.total,
                e.grade,
                display_percent(e.execution_rate) if e.execution_rate is not None else None,
                e.warnings,
                e.red_warnings,
                e.open_tasks,
                e.overdue_tasks,
                row.advice,
                row.reason,
            ],
        )
    sheet.freeze_panes = f"A{header_row + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def assessment_workbook(
    title: str, ranking: Sequence[Any], parts: Sequence[tuple[str, str, Decimal]], ref: str
) -> bytes:
    """部门绩效管理工作考核: one row per department, its points per part and in total."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("部门考核")[:31]
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [_("考核权重：{ref}").format(ref=ref)])
    append_row(
        sheet,
        [_("名次"), _("主管部门")]
        + [f"{label}（{format_decimal(weight)}）" for _key, label, weight in parts]
        + [_("总分")],
    )
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for r in ranking:
        points = {p.key: p.points for p in r.assessment.parts}
        append_row(
            sheet,
            [r.rank, r.department_name]
            + [points[key] for key, _label, _weight in parts]
            + [r.assessment.total],
        )
    sheet.freeze_panes = f"A{header_row + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
