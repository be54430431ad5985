"""The monitoring entry form as posted (rows named ``budget-N-field`` / ``targets-N-field``) → the
report's data; the checks are the service's (scoring.monitoring via validate)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

BUDGET_FIELDS = ("source", "adjusted", "executed")
TARGET_FIELDS = (
    "code",
    "level1",
    "level2",
    "name",
    "direction",
    "value",
    "value_high",
    "value_text",
    "unit",
    "to_date",
    "expected",
    "likelihood",
    "cause",
    "measures",
)
NUMBER_FIELDS = frozenset({"adjusted", "executed", "value", "value_high", "to_date", "expected"})
TEXT_FIELDS = ("budget_cause", "budget_measures", "summary", "filled_on")
MAX_ROWS = 200  # scoring.evaluation.ROWS_MAX: more is refused by the model with a message
BLANK_BUDGET_ROWS = 1
BLANK_TARGET_ROWS = 2


def _rows(post: QueryDict, prefix: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    try:
        count = min(int(post.get(f"{prefix}-count", "0")), MAX_ROWS + 1)
    except ValueError:
        count = 0
    rows = []
    for i in range(max(count, 0)):
        row: dict[str, Any] = {}
        for name in fields:
            value = post.get(f"{prefix}-{i}-{name}", "").strip()
            row[name] = (value or None) if name in NUMBER_FIELDS or name == "likelihood" else value
        if not any(v for k, v in row.items() if k not in ("direction", "code")):
            continue  # an empty spare row
        if prefix == "targets" and not row.get("direction"):
            row["direction"] = ">="
        rows.append(row)
    return rows


def posted_report(post: QueryDict) -> dict[str, Any]:
    """The report as the page posted it (numbers still as typed; the model reads them)."""
    data: dict[str, Any] = {
        "budget": _rows(post, "budget", BUDGET_FIELDS),
        "targets": _rows(post, "targets", TARGET_FIELDS),
    }
    for name in TEXT_FIELDS:
        data[name] = post.get(name, "").strip()
    return data


def _version(post: QueryDict) -> int:
    try:
        return int(post.get("version", "-1"))
    except ValueError:
        return -1


posted_version = _version


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("填好的监控表（.xlsx）"),
        error_messages={"required": _("请选择要上传的 Excel 文件"), "empty": _("上传的文件是空的")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件超过 5 MB，请检查是否选错了文件"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("只接受 Excel 工作簿（.xlsx）"))
        return upload
