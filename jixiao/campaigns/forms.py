"""Forms of the campaigns app: input checks with Chinese errors; the writes are in services.py."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.campaigns.models import UNSCORED_KINDS, EvaluationKind
from jixiao.campaigns.rulesets import available_rulesets, get_ruleset
from jixiao.evaluations.forms import TypedDecimalField
from jixiao.organisations.models import Organisation, OrganisationKind
from jixiao.organisations.picker import PickerSource, use_picker
from jixiao.projects.selectors import CampaignScope
from scoring.loading import InputError

MAX_SHEET_BYTES = 5 * 1024 * 1024
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class RulesetSelect(forms.Select):
    """A rule-set select whose options carry ``data-kind`` (the rule-set's 自评类型)."""

    def __init__(self, *args: Any, kinds: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = kinds or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # type: ignore[no-untyped-def]
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        kind = self.kinds.get(str(value))
        if kind:
            option["attrs"]["data-kind"] = kind
        return option


def _ruleset_kinds(refs: list[str]) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for ref in refs:
        try:
            kinds[ref] = str(get_ruleset(ref).kind)
        except InputError:
            continue  # unreadable: offered under every kind, refused by clean()
    return kinds


class Scope:
    ALL = "all"
    DEPARTMENTS = "departments"
    UNITS = "units"
    CHOICES = [
        (ALL, _("全部预算单位")),
        (DEPARTMENTS, _("按主管部门选择")),
        (UNITS, _("逐个选择单位")),
    ]


def _unit_label(unit: Organisation) -> str:
    return f"{unit.parent.name if unit.parent else ''} / {unit.name}"


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100)
    notice_number = forms.CharField(
        label=_("文号"), max_length=60, help_text=_("如：湛财绩〔2026〕2号")
    )
    notice_title = forms.CharField(
        label=_("通知名称"),
        max_length=200,
        help_text=_("如：湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知"),
    )
    title = forms.CharField(
        label=_("工作标题"),
        max_length=200,
        help_text=_("列表中显示，如：2025年度部门整体支出绩效自评"),
    )
    kind = forms.ChoiceField(label=_("自评类型"), choices=EvaluationKind.choices)
    ruleset_ref = forms.ChoiceField(
        label=_("评分规则集"), required=False, help_text=_("绩效目标申报不评分，无需选择")
    )
    cost_threshold = forms.DecimalField(
        label=_("须设成本指标的项目金额（万元）"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        initial=100,
        help_text=_("绩效目标申报：申报金额超过此数的项目须至少设置一项成本指标；留空则不检查"),
    )
    deadline = forms.DateTimeField(
        label=_("报送截止时间"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    # 绩效运行监控 only (jixiao.monitoring): the data's as-of date and the warning thresholds.
    monitoring_as_of = forms.DateField(
        label=_("监控数据截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("如：7月31日（1-7月数据）；留空为评价年度的7月31日"),
    )
    execution_yellow = forms.DecimalField(
        label=_("执行进度黄色预警：落后序时进度超过（百分点）"),
        initial=Decimal(10),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )
    execution_red = forms.DecimalField(
        label=_("执行进度红色预警：落后序时进度超过（百分点）"),
        initial=Decimal(20),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )
    target_yellow = forms.DecimalField(
        label=_("目标黄色预警：全年预计完成低于（%）"),
        initial=Decimal(90),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )
    target_red = forms.DecimalField(
        label=_("目标红色预警：全年预计完成低于（%）"),
        initial=Decimal(80),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )
    project_name = forms.CharField(
        label=_("项目名称"),
        max_length=200,
        required=False,
        help_text=_("项目支出绩效自评：各单位任务的项目名称（可留空，由单位填写）"),
    )
    project_source = forms.ChoiceField(
        label=_("项目来源"),
        choices=[
            ("name", _("每个单位一项任务（按上面的项目名称）")),
            ("register", _("按项目库：范围内每个项目一项任务")),
        ],
        initial="name",
        widget=forms.RadioSelect,
        required=False,
        help_text=_("项目支出绩效自评和绩效目标申报时选择；按项目库下达时，下面的单位范围同样适用"),
    )
    project_year = forms.IntegerField(
        label=_("项目预算年度"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("留空则为评价年度"),
    )
    project_min_amount = TypedDecimalField(
        label=_("全年预算不低于（万元）"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    project_category = forms.CharField(label=_("项目类别"), max_length=60, required=False)
    project_codes = forms.CharField(
        label=_("指定项目编码"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("逐个选择项目：每行一个项目编码（或用逗号、空格分隔）；留空则不限"),
    )
    scope = forms.ChoiceField(
        label=_("下达范围"), choices=Scope.CHOICES, widget=forms.RadioSelect, initial=Scope.ALL
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("主管部门"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("预算单位"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ruleset = self.fields["ruleset_ref"]
        assert isinstance(ruleset, forms.ChoiceField)
        refs = available_rulesets()
        # Each option says which 自评类型 it serves, so campaign_form.js lists only the rule-sets
        # of the chosen kind (the server still refuses a mismatch in clean()). The widget first:
        # setting the choices hands them to the widget.
        ruleset.widget = RulesetSelect(kinds=_ruleset_kinds(list(refs)))
        ruleset.choices = [(ref, f"{name}（{ref}）") for ref, name in refs.items()]
        departments = self.fields["departments"]
        units = self.fields["units"]
        assert isinstance(departments, forms.ModelMultipleChoiceField)
        assert isinstance(units, forms.ModelMultipleChoiceField)
        departments.queryset = Organisation.objects.filter(
            kind=OrganisationKind.DEPARTMENT, is_active=True
        ).order_by("name")
        units.queryset = (
            Organisation.objects.filter(kind=OrganisationKind.UNIT, is_active=True)
            .select_related("parent")
            .order_by("parent__name", "name")
        )
        units.label_from_instance = _unit_label  # type: ignore[method-assign,assignment]
        # Searched, not listed: a select of every unit was 450 KiB at 5,000 units.
        use_picker(units, source=PickerSource.UNITS, multiple=True)

    def clean_deadline(self) -> dt.datetime:
        deadline: dt.datetime = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("截止时间须晚于现在"))
        return deadline

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        ref, kind = cleaned.get("ruleset_ref"), cleaned.get("kind")
        if kind == EvaluationKind.MONITORING:
            self._clean_monitoring(cleaned)
        elif kind in UNSCORED_KINDS:
            cleaned["ruleset_ref"] = ""
        elif kind and not ref:
            self.add_error("ruleset_ref", _("请选择评分规则集"))
        if ref and kind and kind != EvaluationKind.MONITORING and kind not in UNSCORED_KINDS:
            try:
                ruleset_kind = get_ruleset(ref).kind
            except InputError:
                self.add_error("ruleset_ref", _("该规则集无法读取"))
            else:
                if ruleset_kind != kind:
                    self.add_error(
                        "ruleset_ref",
                        _("所选规则集适用于“{ruleset}”，与自评类型“{kind}”不一致").format(
                            ruleset=EvaluationKind(ruleset_kind).label
                            if ruleset_kind in EvaluationKind.values
                            else ruleset_kind,
                            kind=EvaluationKind(kind).label,
                        ),
                    )
        scope = cleaned.get("scope")
        if scope == Scope.DEPARTMENTS and not cleaned.get("departments"):
            self.add_error("departments", _("请至少选择一个主管部门"))
        if scope == Scope.UNITS and not cleaned.get("units"):
            self.add_error("units", _("请至少选择一个预算单位"))
        if cleaned.get("project_source") == "register" and kind not in ("project", "targets"):
            self.add_error(
                "project_source", _("只有项目支出绩效自评和绩效目标申报可以按项目库下达")
            )
        return cleaned

    def _clean_monitoring(self, cleaned: dict[str, Any]) -> None:
        """A monitoring round is not scored: no rule-set; its thresholds default and must order."""
        from scoring.monitoring import Thresholds

        cleaned["ruleset_ref"] = ""
        defaults = Thresholds()
        for name in ("execution_yellow", "execution_red", "target_yellow", "target_red"):
            if cleaned.get(name) is None:
                cleaned[name] = getattr(defaults, name)
        year = cleaned.get("year")
        if cleaned.get("monitoring_as_of") is None and year:
            cleaned["monitoring_as_of"] = dt.date(year, 7, 31)
        as_of = cleaned.get("monitoring_as_of")
        if as_of is not None and year and as_of.year != year:
            self.add_error("monitoring_as_of", _("监控数据截止日期须在评价年度内"))
        thresholds = self.thresholds()
        for problem in thresholds.problems():
            self.add_error(None, problem)

    def thresholds(self) -> Any:
        from scoring.monitoring import Thresholds

        c = self.cleaned_data
        return Thresholds(
            execution_yellow=c["execution_yellow"],
            execution_red=c["execution_red"],
            target_yellow=c["target_yellow"],
            target_red=c["target_red"],
        )

    def project_scope(self) -> CampaignScope | None:
        """The 项目库 scope chosen (None: one task per unit, as before the register)."""
        cleaned = self.cleaned_data
        if cleaned.get("project_source") != "register":
            return None
        codes = tuple(
            dict.fromkeys(
                c for c in re.split(r"[\s,，、;；]+", cleaned.get("project_codes") or "") if c
            )
        )
        departments: tuple[int, ...] = ()
        if cleaned.get("scope") == Scope.DEPARTMENTS:
            departments = tuple(d.pk for d in cleaned.get("departments") or ())
        return CampaignScope(
            year=cleaned.get("project_year") or cleaned["year"],
            departments=departments,
            min_amount=cleaned.get("project_min_amount"),
            category=(cleaned.get("project_category") or "").strip(),
            codes=codes,
        )

    def chosen_units(self) -> list[Organisation]:
        """The active units the chosen scope covers."""
        units = self.fields["units"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        everyone = units.queryset
        assert everyone is not None
        scope = self.cleaned_data["scope"]
        if scope == Scope.DEPARTMENTS:
            return list(everyone.filter(parent__in=self.cleaned_data["departments"]))
        if scope == Scope.UNITS:
            return list(self.cleaned_data["units"])
        return list(everyone)


class CampaignEditForm(forms.Form):
    title = forms.CharField(label=_("工作标题"), max_length=200)
    deadline = forms.DateTimeField(
        label=_("统一报送截止时间"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        help_text=_("已单独延期的单位保持各自的截止时间"),
    )

    def clean_deadline(self) -> dt.datetime:
        deadline: dt.datetime = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("截止时间须晚于现在"))
        return deadline


class AddUnitsForm(forms.Form):
    """Units without a task in the campaign yet (the only ones worth offering)."""

    units = forms.ModelMultipleChoiceField(
        label=_("预算单位"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个预算单位")},
    )

    def __init__(self, *args: Any, campaign: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        assert isinstance(units, forms.ModelMultipleChoiceField)
        units.queryset = (
            Organisation.objects.filter(kind=OrganisationKind.UNIT, is_active=True)
            .exclude(evaluations__campaign=campaign)
            .select_related("parent")
            .order_by("parent__name", "name")
        )
        units.label_from_instance = _unit_label  # type: ignore[method-assign,assignment]
        use_picker(units, source=PickerSource.UNITS, multiple=True, campaign_id=campaign.pk)


class ExtendDeadlineForm(forms.Form):
    until = forms.DateTimeField(
        label=_("延长至"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    reason = forms.CharField(
        label=_("延期原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("记入审核记录，单位可见"),
    )

    def clean_until(self) -> dt.datetime:
        until: dt.datetime = self.cleaned_data["until"]
        if until <= timezone.now():
            raise forms.ValidationError(_("延长后的截止时间须晚于现在"))
        return until


class RuleSetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("评分表（.xlsx）"),
        error_messages={"required": _("请选择要上传的 Excel 文件"), "empty": _("上传的文件是空的")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SHEET_BYTES:
            raise forms.ValidationError(_("文件超过 5 MB，请检查是否选错了文件"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("只接受 Excel 工作簿（.xlsx）"))
        return upload
