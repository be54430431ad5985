"""The entry forms (填报表单): one Django form per scalar part, one formset per list of rows.

Forms only check the shape of what was typed (numbers are numbers, dates are dates, required names
are there). Whether the whole thing is a valid self-evaluation is the scoring core's call
(scoring_bridge.parse_data); jixiao.evaluations.sections maps its faults back onto these fields.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from jixiao.organisations.models import validate_credit_code
from jixiao.web.scoring_text import scoring_text
from scoring.evaluation import (
    CODE_MAX,
    CREDIT_CODE_MAX,
    ITEMS_MAX,
    LINE_MAX,
    NAME_MAX,
    NUMBER_MAX,
    ROLE_MAX,
    ROWS_MAX,
    TEXT_MAX,
    UNIT_MAX,
)
from scoring.messages import Term
from scoring.numbers import NumberFormatError, parse_count, parse_decimal
from scoring.ruleset import Band, Direction, Indicator
from scoring.target_binding import BOUND_FIELDS

DIRECTION_CHOICES = [
    (Direction.AT_LEAST.value, _("≥ 正向（越大越好）")),
    (Direction.AT_MOST.value, _("≤ 反向（越小越好）")),
    (Direction.EQUAL.value, _("= 等于目标值")),
    (Direction.RANGE.value, _("区间")),
]


def _text(label: Any, *, required: bool = False, max_length: int = LINE_MAX) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length)


def _area(label: Any, *, rows: int = 3, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class TypedDecimalField(forms.DecimalField):
    """A number as people type it: "11,360", "１１３６０" and "３３．２８" are read by the scoring core's
    one parser (scoring.numbers), "33,28" and "1,23,4" are refused with its reason."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value))
        except NumberFormatError as exc:
            raise forms.ValidationError(_number_message(exc), code="invalid") from None


class TypedIntegerField(forms.IntegerField):
    """A whole number, read by the same parser as TypedDecimalField ("１，２３４" is 1234)."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        try:
            return parse_count(str(value))
        except NumberFormatError as exc:
            raise forms.ValidationError(_number_message(exc), code="invalid") from None


def _number_message(exc: NumberFormatError) -> str:
    # The parser's reasons, translatable here at the edge (scoring/ stays free of Django).
    messages = {
        "decimal_comma": _("“{text}”中的逗号不能作小数点，请用小数点（如 33.28）"),
        "bad_grouping": _("“{text}”的千位分隔不正确：逗号应每三位一个（如 11,360），或不用逗号"),
        "not_an_integer": _("“{text}”应为整数"),
        "not_a_number": _("“{text}”不是数字"),
    }
    return str(messages.get(exc.code, messages["not_a_number"])).format(text=exc.text.strip())


def _number(label: Any, *, min_value: Decimal | None = None) -> forms.DecimalField:
    # A text box rather than type=number: the browser must not silently drop what the user typed
    # ("12,000" or "约 5"); the server says what is wrong and the text stays.
    return TypedDecimalField(
        label=label,
        required=False,
        max_digits=20,
        decimal_places=6,
        min_value=min_value,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}),
    )


def _count(label: Any) -> forms.IntegerField:
    return TypedIntegerField(
        label=label,
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "num"}),
    )


CAMPAIGN_OWNED_HELP = _("由自评工作确定")
UNIT_RECORD_HELP = _("以财政局维护的单位信息为准")
APPROVED_TARGET_HELP = _("以批复的绩效目标为准")
REGISTER_HELP = _("以项目库登记的项目为准")


def _owned(field: forms.Field, help_text: Any) -> forms.Field:
    """Shown, never taken from the post: the campaign or the organisation record says what it is
    (jixiao.evaluations.ownership); a disabled field's value is its initial value."""
    field.disabled = True
    field.required = False
    field.help_text = help_text
    return field


class CoverForm(forms.Form):
    """封面与通知. The year and the notice belong to the campaign: shown, not editable."""

    year = _owned(
        TypedIntegerField(
            label=_("评价年度"),
            min_value=2000,
            max_value=2100,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "num"}),
        ),
        CAMPAIGN_OWNED_HELP,
    )
    filled_on = forms.DateField(
        label=_("填报日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    notice_title = _owned(_text(_("通知标题")), CAMPAIGN_OWNED_HELP)
    notice_number = _owned(_text(_("通知文号"), max_length=NUMBER_MAX), CAMPAIGN_OWNED_HELP)
    notice_issuer = _owned(_text(_("发文单位"), max_length=NAME_MAX), CAMPAIGN_OWNED_HELP)


class ProjectForm(forms.Form):
    """项目信息 (项目支出绩效自评 only)."""

    project_name = _text(_("项目名称"), required=True, max_length=NAME_MAX)
    implementing_unit = _text(_("实施单位"), max_length=NAME_MAX)
    goal_expected = _area(_("年度总体目标：预期目标"))
    goal_actual = _area(_("年度总体目标：实际完成情况"))

    def __init__(self, *args: Any, registered: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if registered:
            # A task made from the 项目库: the project is the register's (ownership refuses a
            # change on every other path too).
            for name in ("project_name", "implementing_unit"):
                _owned(self.fields[name], REGISTER_HELP)


class UnitForm(forms.Form):
    """单位基本情况."""

    # Identity fields belong to the organisation record the bureau keeps: shown, not editable.
    name = _owned(_text(_("单位名称"), max_length=NAME_MAX), UNIT_RECORD_HELP)
    short_name = _text(_("自称（如“我中心”）"), max_length=UNIT_MAX)
    credit_code = _owned(
        forms.CharField(
            label=_("统一社会信用代码"),
            required=False,
            max_length=CREDIT_CODE_MAX,
            validators=[validate_credit_code],
        ),
        UNIT_RECORD_HELP,
    )
    unit_type = _owned(_text(_("单位性质"), max_length=NUMBER_MAX), UNIT_RECORD_HELP)
    supervisor = _owned(_text(_("主管部门"), max_length=NAME_MAX), UNIT_RECORD_HELP)
    staffing_quota = _count(_("编制数"))
    staff_actual = _count(_("实有人数（年末）"))
    retired = _count(_("离退休人数"))
    temporary = _count(_("临时聘用人数"))
    functions = _area(_("主要职能（每行一项）"), rows=5)


class KeyTaskForm(forms.Form):
    title = _text(_("任务"), required=True)
    detail = _area(_("具体内容"), rows=2)


class TargetForm(forms.Form):
    """One performance target (绩效目标 / 单位自设三级指标)."""

    code = _text(_("编码"), required=True, max_length=CODE_MAX)
    name = _text(_("指标名称"), required=True, max_length=NAME_MAX)
    unit = _text(_("计量单位"), max_length=UNIT_MAX)
    direction = forms.ChoiceField(label=_("方向"), choices=DIRECTION_CHOICES)
    target = _number(_("年度指标值"))
    target_high = _number(_("区间上限"))
    actual = _number(_("实际完成值"))
    parent = forms.ChoiceField(label=_("所属评分指标"), required=False, choices=[])
    points = _number(_("分值"), min_value=Decimal(0))
    part_of = _text(_("其中（所属目标编码）"), max_length=CODE_MAX)
    # 二级指标: what a rule-set's category cap counts (docs/rulesets.md「评分选项」)
    category = _text(_("二级指标（类别）"), max_length=NUMBER_MAX)
    not_applicable = forms.BooleanField(label=_("不适用"), required=False)
    explanation = _area(_("偏差原因分析及改进措施"), rows=2)

    def __init__(
        self,
        *args: Any,
        parents: list[tuple[str, str]] | None = None,
        bound: bool = False,
        not_applicable_allowed: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        choices = [("", _("不计分（仅报告数值）"))] + (parents or [])
        self.fields["parent"].choices = choices  # type: ignore[attr-defined]
        if not not_applicable_allowed:
            # Only a rule-set that drops 不适用 indicators (options.not_applicable: rescale) asks.
            del self.fields["not_applicable"]
        if bound:
            # The approved targets' fields: shown, never taken from the post (ownership refuses
            # them on every other path too; jixiao.evaluations.bound_targets). The category is
            # the declared 二级指标.
            for name in ("code", *BOUND_FIELDS):
                _owned(self.fields[name], APPROVED_TARGET_HELP)


class BudgetForm(forms.Form):
    change_reason = _area(_("预算调整 / 支出变动的原因"), rows=2)
    execution_explanation = _area(_("预算执行率偏低的原因"), rows=2)


class BudgetRowForm(forms.Form):
    source = _text(_("资金来源"), required=True, max_length=NUMBER_MAX)
    # Named as in the data (BudgetRow.initial) so the scoring core's faults land on it; Django's
    # metaclass moves fields off the class, so it does not shadow Form.initial at run time.
    initial = _number(_("年初预算数（万元）"), min_value=Decimal(0))  # type: ignore[assignment]
    full_year = _number(_("全年预算数（万元）"), min_value=Decimal(0))
    executed = _number(_("全年执行数（万元）"), min_value=Decimal(0))


class GroupForm(forms.Form):
    basis = _area(_("成立依据（文件）"), rows=2)
    description = _area(_("评价小组说明（填写后报告中原文引用）"), rows=2)
    process = _area(_("自评工作过程"), rows=4)
    submission_quality = _area(_("自评材料报送时间及质量"), rows=2)
    submission_consistency = _area(_("自评材料报送及公开一致情况"), rows=2)


class MemberForm(forms.Form):
    name = _text(_("姓名 / 岗位"), max_length=NUMBER_MAX)
    role = _text(_("组内职务"), required=True, max_length=ROLE_MAX)
    duty = _text(_("职责"))


class AssessmentForm(forms.Form):
    """The self-assessment of one fixed rule-set leaf; which fields apply depends on its rule."""

    code = forms.CharField(widget=forms.HiddenInput)
    band = forms.ChoiceField(label=_("档次"), required=False, choices=[])
    score = _number(_("得分"), min_value=Decimal(0))
    target = _number(_("目标值"))
    actual = _number(_("实际值"))
    explanation = _area(_("说明"), rows=2)
    not_applicable = forms.BooleanField(label=_("不适用"), required=False)

    def __init__(
        self,
        *args: Any,
        leaf: Indicator | None = None,
        bands: tuple[Band, ...] = (),
        not_applicable_allowed: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if not not_applicable_allowed:
            del self.fields["not_applicable"]  # as TargetForm: only a rescaling rule-set asks
        self.leaf = leaf
        self.bands = bands
        self.fields["band"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (b.key, f"{scoring_text(Term(b.label, b.label_en))}（{b.low}%–{b.high}%）")
            for b in bands
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        leaf = self.leaf
        score = cleaned.get("score")
        if leaf is None or score is None:
            return cleaned
        if score > leaf.points:
            self.add_error(
                "score",
                _("得分 {score} 超过该指标分值 {points}").format(score=score, points=leaf.points),
            )
            return cleaned
        band = next((b for b in self.bands if b.key == cleaned.get("band")), None)
        if band is not None:
            low = leaf.points * band.low / 100
            high = leaf.points * band.high / 100
            if not low <= score <= high:
                self.add_error(
                    "score",
                    _("“{band}”档的得分应在 {low} 至 {high} 分之间").format(
                        band=scoring_text(Term(band.label, band.label_en)),
                        low=low.normalize(),
                        high=high.normalize(),
                    ),
                )
        return cleaned


class TitledTextForm(forms.Form):
    title = _text(_("标题"), required=True)
    text = _area(_("内容"), rows=3)


class LineForm(forms.Form):
    text = _area(_("内容"), rows=2, required=True)


class OtherForm(forms.Form):
    result_statement = _area(_("自评结果的说明（如何打分）"), rows=3)
    other = _area(_("其他自评情况"), rows=5)


class RowFormSet(BaseFormSet):  # type: ignore[type-arg]
    """Rows the user adds and removes. ``form_kwargs`` go to every row, ``row_kwargs[i]`` to row i."""

    def __init__(self, *args: Any, row_kwargs: list[dict[str, Any]] | None = None, **kwargs: Any):
        self.row_kwargs = row_kwargs or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = dict(super().get_form_kwargs(index))
        if index is not None and index < len(self.row_kwargs):
            kwargs.update(self.row_kwargs[index])
        return kwargs


# Row limits of the scoring core's model (scoring.evaluation), so every path refuses alike.
ROW_LIMITS: dict[str, int] = {"TargetForm": ROWS_MAX, "AssessmentForm": ROWS_MAX}


def bound_target_formset(count: int) -> type[RowFormSet]:
    """Exactly the approved targets' rows: none added, none removed (bound_targets)."""
    return formset_factory(  # type: ignore[return-value]
        TargetForm,
        formset=RowFormSet,
        extra=0,
        can_delete=False,
        max_num=count,
        validate_max=True,
        absolute_max=count,
    )


def row_formset(form: type[forms.Form], *, fixed: bool = False) -> type[RowFormSet]:
    """Add/remove rows (can_delete) or, with ``fixed``, exactly the rows given."""
    limit = ROW_LIMITS.get(form.__name__, ITEMS_MAX)
    return formset_factory(  # type: ignore[return-value]
        form,
        formset=RowFormSet,
        extra=0,
        can_delete=not fixed,
        max_num=limit,
        validate_max=True,
        absolute_max=limit + 50,
    )


EVIDENCE_TYPES_HELP = _("PDF、Word（docx）、Excel（xlsx）、JPG、PNG")


class EvidenceForm(forms.Form):
    indicator_code = forms.ChoiceField(label=_("对应指标"), choices=[])
    file = forms.FileField(
        label=_("文件"),
        help_text=EVIDENCE_TYPES_HELP,
        # Only a hint for the file picker; the server judges the content (services.attach_evidence).
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, indicators: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = indicators  # type: ignore[attr-defined]
