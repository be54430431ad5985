"""The 指标库 search (GET): name, category, 一级/二级指标, unit of measure, department."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.indicators.models import IndicatorKind
from jixiao.indicators.selectors import SearchFilters
from jixiao.organisations.models import User
from jixiao.organisations.selectors import departments
from scoring.targets import LEVEL2, Level1


class SearchForm(forms.Form):
    q = forms.CharField(label=_("指标名称"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("类别"), required=False)
    level1 = forms.CharField(label=_("一级指标"), required=False, max_length=100)
    level2 = forms.CharField(label=_("二级指标"), required=False, max_length=100)
    measure = forms.CharField(label=_("计量单位"), required=False, max_length=40)
    department = forms.TypedChoiceField(
        label=_("主管部门"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("全部")), *IndicatorKind.choices]
        # Suggestions, not a closed list: 共性指标 have their rule-set's own levels.
        self.fields["level1"].widget.attrs["list"] = "indicator-level1"
        self.fields["level2"].widget.attrs["list"] = "indicator-level2"
        if user.is_bureau_user or user.is_department_user:
            department = self.fields["department"]
            assert isinstance(department, forms.ChoiceField)
            department.choices = [
                ("", _("全部")),
                *((d.pk, d.name) for d in departments(user=user).order_by("name")),
            ]
        else:
            del self.fields["department"]

    level1_suggestions = [str(level) for level in Level1]
    level2_suggestions = [name for names in LEVEL2.values() for name in names]

    def filters(self) -> SearchFilters:
        """The filters to apply; a field that did not validate filters nothing."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})
        return SearchFilters(
            q=(data.get("q") or "").strip(),
            kind=data.get("kind") or "",
            level1=(data.get("level1") or "").strip(),
            level2=(data.get("level2") or "").strip(),
            measure=(data.get("measure") or "").strip(),
            department_id=data.get("department"),
        )

    def params(self) -> str:
        """The filters as a query string, for the next page's link."""
        from urllib.parse import urlencode

        return urlencode(
            [
                (k, self.data.get(k, ""))
                for k in self.fields
                if str(self.data.get(k, "") or "").strip()
            ]
        )
