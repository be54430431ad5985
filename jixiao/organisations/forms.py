"""Forms of the organisations admin: they clean and check input and give Chinese errors; the writes
are in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from jixiao.organisations.credit_code import credit_code_problem, normalise_credit_code
from jixiao.organisations.models import Organisation, OrganisationKind, Role, User
from jixiao.organisations.picker import PickerSource, use_picker
from jixiao.organisations.services import ORGANISATION_FIELDS, parent_problem, role_problem

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)
        widgets = {"functions": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = Organisation.objects.filter(
            kind__in=[OrganisationKind.BUREAU, OrganisationKind.DEPARTMENT]
        ).order_by("kind", "name")
        parent.help_text = _("预算单位选主管部门；主管部门选财政局")
        self.fields["credit_code"].validators = []  # checked in clean_credit_code after normalising
        for name in ("staffing_quota", "staff_actual"):
            self.fields[name].widget.attrs["min"] = 0
        self.fields["staffing_quota"].error_messages["min_value"] = _("编制数不能为负数")
        self.fields["staff_actual"].error_messages["min_value"] = _("实有人数不能为负数")

    def clean_credit_code(self) -> str | None:
        code = normalise_credit_code(self.cleaned_data.get("credit_code") or "")
        if not code:
            return None
        problem = credit_code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        clash = Organisation.objects.filter(credit_code=code).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(
                _("该统一社会信用代码已属于“{name}”").format(name=clash.name)
            )
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind:
            problem = parent_problem(kind=kind, parent=cleaned.get("parent"))
            if problem:
                self.add_error("parent", problem)
            if kind == OrganisationKind.UNIT:
                if not cleaned.get("unit_type"):
                    self.add_error("unit_type", _("预算单位须选择单位类型"))
                if not cleaned.get("credit_code") and "credit_code" not in self.errors:
                    self.add_error("credit_code", _("预算单位须填写统一社会信用代码"))
        return cleaned


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("单位信息表（.xlsx）"),
        error_messages={"required": _("请选择要上传的 Excel 文件"), "empty": _("上传的文件是空的")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 5 MB，请检查是否选错了文件"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("只接受 Excel 工作簿（.xlsx）；.xls 请在 Excel 中“另存为”.xlsx 后再上传")
            )
        return upload


class AccountForm(forms.ModelForm):
    """Create or edit an account; the role must fit the kind of the chosen organisation."""

    class Meta:
        model = User
        fields = ["username", "display_name", "phone", "email", "organisation", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.filter(is_active=True).order_by("kind", "name")
        organisation.required = True
        # Searched, not listed: a select of every organisation was 300 KiB at 5,000 units.
        use_picker(organisation, source=PickerSource.ACCOUNT, multiple=False)
        self.fields["role"].required = True
        self.fields["display_name"].required = True
        self.fields["username"].help_text = _("登录用，字母、数字和 @.+-_")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, organisation = cleaned.get("role"), cleaned.get("organisation")
        if role and organisation:
            problem = role_problem(role=role, organisation=organisation)
            if problem:
                self.add_error("role", problem)
        return cleaned


class NewAccountForm(AccountForm):
    password1 = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # An unsaved account with the names the rules compare against (username, organisation).
        _check_passwords(
            self,
            User(
                username=cleaned.get("username") or "",
                display_name=cleaned.get("display_name") or "",
                organisation=cleaned.get("organisation"),
            ),
        )
        return cleaned


class PasswordResetForm(forms.Form):
    password1 = forms.CharField(label=_("新密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, account: User, **kwargs: Any) -> None:
        self.account = account
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_passwords(self, self.account)
        return cleaned


def _check_passwords(form: forms.BaseForm, account: User) -> None:
    first, second = form.cleaned_data.get("password1"), form.cleaned_data.get("password2")
    if not first or not second:
        return
    if first != second:
        form.add_error("password2", _("两次输入的密码不一致"))
        return
    try:
        password_validation.validate_password(first, account)
    except forms.ValidationError as exc:
        form.add_error("password1", exc)


ROLE_CHOICES = [("", _("全部角色")), *Role.choices]
