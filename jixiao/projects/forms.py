"""Forms of the 项目库: input checks with Chinese errors; the writes are in services.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from jixiao.evaluations.forms import TypedDecimalField
from jixiao.organisations.models import Organisation
from jixiao.organisations.picker import PickerSource, use_picker
from jixiao.projects.project_import import FIELDS
from jixiao.projects.services import LineValues

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_LINES = 20


class ProjectForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("预算单位"), queryset=Organisation.objects.none())
    year = forms.IntegerField(label=_("预算年度"), min_value=2000, max_value=2100)
    code = forms.CharField(label=_("项目编码"), max_length=60)
    name = forms.CharField(label=_("项目名称"), max_length=200)
    category = forms.CharField(
        label=_("项目类别"), max_length=60, required=False, help_text=_("如：专项业务费、基本建设")
    )
    period_start = forms.IntegerField(
        label=_("实施期起始年度"), min_value=2000, max_value=2100, required=False
    )
    period_end = forms.IntegerField(
        label=_("实施期终止年度"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("跨年度项目填写整个实施期；每个预算年度分别登记"),
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, units: Any = None, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        if editing or units is None:
            del self.fields["unit"]
        else:
            unit.queryset = units
            first_two = list(units[:2])
            if len(first_two) == 1:
                unit.initial = first_two[0]
            else:  # the bureau admin: searched, not a select of every unit
                use_picker(unit, source=PickerSource.UNITS, multiple=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end, year = (
            cleaned.get("period_start"),
            cleaned.get("period_end"),
            cleaned.get("year"),
        )
        if start and end and start > end:
            self.add_error("period_end", _("终止年度不能早于起始年度"))
        elif year and ((start and year < start) or (end and year > end)):
            self.add_error("year", _("预算年度应在实施期内"))
        if start and not end:
            cleaned["period_end"] = start
        return cleaned

    def values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name)
            for name in ("year", "code", "name", "category", "period_start", "period_end")
        } | {"is_active": bool(self.cleaned_data.get("is_active"))}


class BudgetLineForm(forms.Form):
    source = forms.CharField(label=_("资金来源"), max_length=100, required=False)
    # A field named like BaseForm.initial: Django's metaclass moves it into base_fields.
    initial = TypedDecimalField(  # type: ignore[assignment]
        label=_("年初预算数"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    adjusted = TypedDecimalField(
        label=_("调整后预算数"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    executed = TypedDecimalField(
        label=_("执行数"), required=False, min_value=0, max_digits=16, decimal_places=2
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_amount = any(cleaned.get(k) is not None for k in ("initial", "adjusted", "executed"))
        if has_amount and not (cleaned.get("source") or "").strip():
            self.add_error("source", _("请填写资金来源"))
        return cleaned


class BaseBudgetLineFormSet(BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            source = (form.cleaned_data.get("source") or "").strip()
            if not source:
                continue
            if source in seen:
                form.add_error("source", _("资金来源重复"))
            seen.add(source)

    def lines(self) -> list[LineValues]:
        out = []
        for form in self.forms:
            source = (form.cleaned_data.get("source") or "").strip()
            if not source:
                continue
            initial = form.cleaned_data.get("initial") or Decimal("0")
            adjusted = form.cleaned_data.get("adjusted")
            out.append(
                LineValues(
                    source=source,
                    initial=initial,
                    # Not adjusted (yet): the full-year budget is the initial one.
                    adjusted=initial if adjusted is None else adjusted,
                    executed=form.cleaned_data.get("executed") or Decimal("0"),
                )
            )
        return out


BudgetLineFormSet = formset_factory(
    BudgetLineForm,
    formset=BaseBudgetLineFormSet,
    extra=3,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES,
    validate_max=True,
)


def line_initial(lines: Any) -> list[dict[str, Any]]:
    return [
        {
            "source": line.source,
            "initial": line.initial,
            "adjusted": line.adjusted,
            "executed": line.executed,
        }
        for line in lines
    ]


class MappingForm(forms.Form):
    """Which header of the bureau's budget-system export holds each field (blank: the default)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, (default, label) in FIELDS.items():
            self.fields[key] = forms.CharField(
                label=label,
                max_length=100,
                required=False,
                help_text=_("留空则使用“{default}”").format(default=default),
            )

    def columns(self) -> dict[str, str]:
        return {key: (self.cleaned_data.get(key) or "").strip() for key in FIELDS}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen: dict[str, str] = {}
        for key, (default, _label) in FIELDS.items():
            header = (cleaned.get(key) or "").strip() or default
            if header in chosen:
                self.add_error(
                    key, _("与“{other}”用了同一列").format(other=FIELDS[chosen[header]][1])
                )
            chosen[header] = key
        return cleaned


class ProjectImportForm(forms.Form):
    file = forms.FileField(
        label=_("预算系统导出的项目表（.xlsx）"),
        error_messages={"required": _("请选择要上传的 Excel 文件"), "empty": _("上传的文件是空的")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("文件超过 10 MB，请分批导入"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("只接受 Excel 工作簿（.xlsx）"))
        return upload
