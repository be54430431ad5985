"""Input of the bureau's 抽查复核: which campaign, how many, and the review score and opinion."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jixiao.campaigns.models import Campaign


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.year} · {obj.title}"


class DrawSampleForm(forms.Form):
    campaign = CampaignChoiceField(
        label=_("自评工作"),
        queryset=Campaign.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("请选择自评工作"),
            "invalid_choice": _("请选择列表中的自评工作"),
        },
    )
    size = forms.IntegerField(
        label=_("抽取数量"),
        min_value=1,
        max_value=1000,
        initial=5,
        error_messages={
            "required": _("请填写抽取数量"),
            "invalid": _("抽取数量须为整数"),
            "min_value": _("抽取数量至少为 1"),
            "max_value": _("抽取数量不能超过 1000"),
        },
    )
    seed = forms.CharField(
        label=_("随机种子（可选）"),
        required=False,
        max_length=64,
        help_text=_("留空则自动生成；填写已有种子可复现同一次抽样"),
        error_messages={"max_length": _("随机种子不能超过 64 个字符")},
    )

    def __init__(self, *args: Any, campaigns: QuerySet[Campaign], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["campaign"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = campaigns


class RecheckForm(forms.Form):
    score = forms.DecimalField(
        label=_("复核得分"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        error_messages={
            "required": _("请填写复核得分"),
            "invalid": _("复核得分须为数字，如 92.5"),
            "min_value": _("复核得分须在 0 到 100 之间"),
            "max_value": _("复核得分须在 0 到 100 之间"),
            "max_decimal_places": _("复核得分最多保留两位小数"),
            "max_digits": _("复核得分须在 0 到 100 之间"),
            "max_whole_digits": _("复核得分须在 0 到 100 之间"),
        },
    )
    opinion = forms.CharField(
        label=_("复核意见"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写复核意见")},
    )


class BulkForm(forms.Form):
    """批量审核: approve or return the selected rows (posted as ``ids``), with one comment."""

    kind = forms.ChoiceField(
        choices=[("approve", _("审核通过")), ("return", _("退回修改"))],
        error_messages={"required": _("请选择批量操作"), "invalid_choice": _("未知的批量操作")},
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("意见不能超过 2000 个字符")},
    )

    def selected_ids(self) -> list[int]:
        """The ticked rows: positive ids of sane length (whose they are is the service's question)."""
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        return [int(v) for v in raw if str(v).isdigit() and 0 < len(str(v)) < 12]
