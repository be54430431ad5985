"""The filtered 操作日志 as an .xlsx workbook. Every cell from stored text is a text cell
(scoring.sheet_cells), so a summary or a name that starts with "=" stays words."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from jixiao.activity.actions import CATEGORY_LABELS, action_label
from jixiao.activity.models import Event
from scoring.sheet_cells import append_row

# Past this many rows the admin narrows the filter (a note in the sheet says so), so one click
# never builds an unbounded file.
EXPORT_LIMIT = 10000
# Up to this many entries the workbook is built in the request; past it by a background job
# (10,000 entries took 10 s in a request, issue 14).
INLINE_ROWS = 300


def event_workbook(events: Iterable[Event], *, more: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("操作日志")
    append_row(
        sheet,
        [_("操作日志，导出时间：{at}").format(at=timezone.localtime().strftime("%Y-%m-%d %H:%M"))],
    )
    if more:
        append_row(
            sheet,
            [
                _(
                    "只导出了最近的 {n} 条，请缩小筛选范围（日期、类别、操作人或单位）后分次导出。"
                ).format(n=EXPORT_LIMIT)
            ],
        )
    append_row(
        sheet,
        [
            _("时间"),
            _("类别"),
            _("操作"),
            _("操作人"),
            _("账号"),
            _("角色"),
            _("所属组织"),
            _("对象"),
            _("相关单位"),
            _("说明"),
            _("变更"),
            _("来源地址"),
        ],
    )
    for e in events:
        changes = (e.details or {}).get("changes") or {}
        append_row(
            sheet,
            [
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                str(CATEGORY_LABELS.get(e.category, e.category)),
                action_label(e.action),
                e.actor_name,
                e.actor_username,
                e.actor_role_label,
                e.actor_organisation_name,
                e.target_label,
                e.unit.name if e.unit_id and e.unit else "",
                e.summary,
                "；".join(
                    f"{key}：{_plain(change[0])} → {_plain(change[1])}"
                    for key, change in changes.items()
                    if isinstance(change, list) and len(change) == 2
                ),
                e.address or "",
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plain(value: object) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
