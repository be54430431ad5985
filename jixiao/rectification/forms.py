"""Forms of 整改: the shape of what is typed; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.evaluations.forms import EVIDENCE_TYPES_HELP


class TaskForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("整改单位"), coerce=int, choices=[])
    year = forms.IntegerField(label=_("所属年度"), min_value=2000, max_value=2100)
    problem = forms.CharField(
        label=_("存在的问题"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    measures = forms.CharField(
        label=_("整改要求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(
        label=_("整改期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *units]  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("整改情况（做了什么、结果如何）"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("结论"), choices=[("confirm", _("确认整改")), ("reopen", _("要求重新整改"))]
    )
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("整改佐证"),
        help_text=EVIDENCE_TYPES_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )
