"""The progress table of a campaign as an .xlsx workbook (what a bureau forwards or prints).

Written with a write-only workbook, row by row as the rows are read (selectors.progress_export_rows
reads them in chunks from the stored columns), into a temporary file the response streams: a
50,000-unit campaign never holds its workbook, or its rows, in memory at once.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from jixiao.campaigns.models import Campaign
from jixiao.campaigns.selectors import CampaignProgress
from scoring.sheet_cells import append_row

HEADER = (
    "主管部门",
    "预算单位",
    "统一社会信用代码",
    "项目名称",
    "进度",
    "截止时间",
    "是否逾期",
    "得分",
    "等级",
    "最近更新",
)
WIDTHS = (28, 34, 22, 18, 10, 17, 9, 8, 6, 17)


def progress_workbook_file(campaign: Campaign, rows: Iterable[Any], count: int) -> IO[bytes]:
    """The workbook of ``rows`` (ProgressRow-like, ``count`` of them) in a temporary file, at 0."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("报送进度")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions["ABCDEFGHIJ"[index]].width = width
    sheet.freeze_panes = "A4"
    append_row(
        sheet, [f"{campaign.title}（{campaign.notice_number}）"], font=Font(bold=True, size=13)
    )
    exported = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    append_row(sheet, [f"导出时间：{exported}，共 {count} 项"])
    append_row(sheet, HEADER, font=Font(bold=True), fill=PatternFill("solid", fgColor="EEF1F5"))
    for row in rows:
        e = row.evaluation
        append_row(
            sheet,
            [
                e.unit.parent.name if e.unit.parent else "",
                e.unit.name,
                e.unit.credit_code or "",
                e.project_name,
                str(row.progress_label),
                timezone.localtime(e.deadline).strftime("%Y-%m-%d %H:%M"),
                "是" if row.overdue else "",
                e.total,
                e.grade,
                timezone.localtime(e.updated_at).strftime("%Y-%m-%d %H:%M")
                if e.first_saved_at
                else "",
            ],
        )
    out = tempfile.TemporaryFile()  # noqa: SIM115 — the response closes it once streamed
    book.save(out)
    out.seek(0)
    return out


def progress_workbook(campaign: Campaign, progress: CampaignProgress) -> bytes:
    """The workbook of the rows of ``progress`` as bytes (small tables, tests)."""
    with progress_workbook_file(campaign, progress.rows, len(progress.rows)) as file:
        return file.read()
