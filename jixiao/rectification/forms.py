"""Forms of 整改: the shape of what is typed; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.evaluations.forms import EVIDENCE_TYPES_HELP
from jixiao.organisations.models import Organisation, User
from jixiao.organisations.picker import PickerSource, offered, use_picker


class TaskForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("整改单位"), queryset=Organisation.objects.none())
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

    def __init__(
        self, *args: Any, user: User, fixed_unit: Organisation | None = None, **kwargs: Any
    ) -> None:
        """``fixed_unit``: the unit the source names (shown, not chosen); otherwise the unit is
        chosen with the 单位选择器 among the active units in ``user``'s scope, which is also what
        the server accepts."""
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        if fixed_unit is not None:
            field.queryset = Organisation.objects.filter(pk=fixed_unit.pk)
            field.initial = fixed_unit.pk
            field.disabled = True  # keeps its initial value, whatever is posted
            field.empty_label = None
            return
        field.queryset = offered(source=PickerSource.SCOPE, user=user)
        use_picker(field, source=PickerSource.SCOPE, multiple=False)


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
