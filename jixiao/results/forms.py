"""Forms of 结果应用."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.results.services import GRADES


class RulesForm(forms.Form):
    """One advice and an optional cut percentage per grade."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for grade in GRADES:
            self.fields[f"advice_{grade}"] = forms.CharField(
                label=_("{grade}：建议").format(grade=grade), max_length=200
            )
            self.fields[f"cut_{grade}"] = forms.DecimalField(
                label=_("{grade}：压减比例（%）").format(grade=grade),
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
            )


class OverrideForm(forms.Form):
    advice = forms.CharField(
        label=_("预算安排建议（留空则恢复按等级的建议）"), max_length=200, required=False
    )
    reason = forms.CharField(
        label=_("调整理由"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
