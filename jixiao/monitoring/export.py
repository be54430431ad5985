"""The warning list as an xlsx workbook (全市绩效运行监控预警清单): text cells through
scoring.sheet_cells, figures as numbers; at most EXPORT_LIMIT rows, like the other list exports.

A small list is built in the request; a large one (over INLINE_LIMIT rows, which takes seconds) by a
background job (jixiao.jobs) whose result the person downloads from the job's page."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jixiao.evaluations.list_export import EXPORT_LIMIT
from jixiao.monitoring.models import MonitoringWarning
from scoring.sheet_cells import append_row

# Measured (bench/monitoring_warnings.py): about half a second per thousand rows on an idle core;
# 300 rows keep the request within the page goal (p95 300 ms; a department's red warnings at
# province scale, ~580 rows, took 480 ms inline: docs/scale.md).
INLINE_LIMIT = 300
EXPORT_KIND = "monitoring.warnings_export"


def filter_params(filters: Any) -> dict[str, Any]:
    return {
        "campaign_id": filters.campaign_id,
        "department_id": filters.department_id,
        "level": filters.level,
        "reason": filters.reason,
        "sort": filters.sort,
    }


def warnings_workbook(rows: Iterable[MonitoringWarning], *, more: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("监控预警")
    append_row(sheet, [_("全市绩效运行监控预警清单")])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(
        sheet,
        [_("导出时间：{at}").format(at=timezone.localtime().strftime("%Y-%m-%d %H:%M"))],
    )
    if more:
        append_row(
            sheet, [_("只导出了前 {n} 行，请缩小筛选范围后分次导出。").format(n=EXPORT_LIMIT)]
        )
    append_row(
        sheet,
        [
            _("主管部门"),
            _("预算单位"),
            _("项目"),
            _("指标"),
            _("预警等级"),
            _("预警原因"),
            _("说明"),
            _("落后幅度（百分点）"),
            _("预算执行进度（%）"),
            _("序时进度（%）"),
            _("预计完成进度（%）"),
            _("已填偏差原因"),
            _("已填纠偏措施"),
            _("报告状态"),
        ],
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    yes, no = _("是"), _("否")
    for w in rows:
        append_row(
            sheet,
            [
                w.department_name,
                w.unit_name,
                w.project_name or _("部门整体"),
                w.target_name,
                str(w.get_level_display()),
                str(w.get_reason_display()),
                w.text,
                w.shortfall,
                w.execution_progress,
                w.time_progress,
                w.completion,
                yes if w.has_cause else no,
                yes if w.has_measures else no,
                str(w.evaluation.get_status_display()),
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
