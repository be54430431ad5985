"""The progress table of a campaign as an .xlsx workbook (what a bureau forwards or prints)."""

from __future__ import annotations

import io

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


def progress_workbook(campaign: Campaign, progress: CampaignProgress) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "报送进度"
    append_row(sheet, [f"{campaign.title}（{campaign.notice_number}）"])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(
        sheet,
        [
            f"导出时间：{timezone.localtime().strftime('%Y-%m-%d %H:%M')}，共 {len(progress.rows)} 项"
        ],
    )
    append_row(sheet, list(HEADER))
    grey = PatternFill("solid", fgColor="EEF1F5")
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = grey
    for row in progress.rows:
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
    for letter, width in zip("ABCDEFGHIJ", (28, 34, 22, 18, 10, 17, 9, 8, 6, 17), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
