"""The 操作日志 filter (GET): category, person, unit, dates and words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.activity.actions import CATEGORIES
from jixiao.activity.selectors import EventFilter


class EventFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), required=False)
    who = forms.CharField(label=_("操作人"), required=False, max_length=150)
    unit = forms.CharField(label=_("单位"), required=False, max_length=200)
    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效日期，如 2026-01-31")},
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写有效日期，如 2026-01-31")},
    )
    q = forms.CharField(label=_("说明包含"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("全部")), *((c.key, c.label) for c in CATEGORIES)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期"))
        return cleaned

    def event_filter(self) -> EventFilter:
        """The filter to apply; a field that did not validate filters nothing (and says why)."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return EventFilter(
            category=data.get("category") or "",
            who=(data.get("who") or "").strip(),
            unit=(data.get("unit") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=(data.get("q") or "").strip(),
        )
