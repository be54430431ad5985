"""Lists of evaluations as .xlsx workbooks (绩效自评列表, 审核待办): what a reviewer forwards or
prints. Every cell from stored text is a text cell (scoring.sheet_cells); scores stay numbers."""

from __future__ import annotations

import io
from collections.abc import Iterable
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jixiao.evaluations.models import Evaluation, Status
from scoring.sheet_cells import append_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Past this many rows the reviewer narrows the filter (a note in the sheet says so), so one click
# never builds an unbounded file (as the 操作日志 export).
EXPORT_LIMIT = 20000
# Up to this many rows the workbook is built in the request; past it by a background job (a row
# costs about a millisecond: 20,000 rows took 12 s in a request at 5,000 units, issue 14).
INLINE_ROWS = 300


def capped(evaluations: Iterable[Evaluation]) -> tuple[list[Evaluation], bool]:
    """At most EXPORT_LIMIT rows of ``evaluations`` (give it EXPORT_LIMIT + 1), and whether there
    were more."""
    rows = list(evaluations)
    return rows[:EXPORT_LIMIT], len(rows) > EXPORT_LIMIT


def _when(moment: object) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""  # type: ignore[arg-type]


def evaluations_workbook(
    title: str, evaluations: Iterable[Evaluation], *, last_step: bool = False, more: bool = False
) -> bytes:
    """One row per evaluation: unit, department, project, campaign, status, score, grade,
    deadline, last update (and, for the review queue, when it was last handled)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [_("导出时间：{at}").format(at=_when(timezone.now()))])
    if more:
        append_row(
            sheet,
            [_("只导出了前 {n} 行，请缩小筛选范围后分次导出。").format(n=EXPORT_LIMIT)],
        )
    header = [
        _("预算单位"),
        _("主管部门"),
        _("项目名称"),
        _("自评工作"),
        _("状态"),
        _("自评得分"),
        _("等级"),
        _("报送截止"),
        _("最近更新"),
    ]
    if last_step:
        header.append(_("最近办理"))
    append_row(sheet, header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for e in evaluations:
        row: list[object] = [
            e.unit.name,
            e.unit.parent.name if e.unit.parent else "",
            e.project_name,
            f"{e.campaign.year} · {e.campaign.title}",
            str(e.get_status_display()),
            e.total,
            e.grade,
            _when(e.deadline),
            _when(e.updated_at) if e.first_saved_at else "",
        ]
        if last_step:
            # A draft has had no review step (no step leads back to draft).
            row.append(_when(e.status_changed_at if e.status != Status.DRAFT else None))
        append_row(sheet, row)
    sheet.freeze_panes = f"A{header_row + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, ascii_name: str, name: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_name}-{stamp}.xlsx"; '
        f"filename*=UTF-8''{quote(f'{name}-{stamp}.xlsx')}"
    )
    return response
