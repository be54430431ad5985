"""Upload forms of the report auditor's pages (报告审查, 从上年报告预填)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from jixiao.audit.readers import MAX_FILE_BYTES

MAX_FILES = 20
ACCEPT = ".txt,.docx,.pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field. Each file is checked on its own later (format, size,
    readability), so one bad file is reported next to the others instead of failing the form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


class AuditUploadForm(forms.Form):
    reports = MultipleFileField(
        label=_("自评报告文件"),
        # lazy(): formatting a lazy string at import would freeze it in the default language.
        help_text=lazy(
            lambda: (
                _(
                    "可一次选择多个文件；支持 txt、docx 和有文字层的 pdf，每个文件不超过 %(mb)d MB，最多 %(n)d 个。"
                )
                % {"mb": MAX_FILE_BYTES // (1024 * 1024), "n": MAX_FILES}
            ),
            str,
        )(),
        error_messages={"required": _("请选择至少一个报告文件")},
    )

    ruleset = forms.ChoiceField(
        label=_("评分规则集"),
        required=False,
        help_text=_(
            "核对等级、总分和超额完成所用的规则集。不选时，报告写明规则集的按其所写，否则按报告类型的默认规则集。"
        ),
    )

    def __init__(self, *args: Any, rulesets: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the rule-sets offered can be posted (a ChoiceField refuses any other value).
        choices = [
            ("", _("按报告自动选择")),
            *((ref, f"{ref} {name}") for ref, name in rulesets.items()),
        ]
        self.fields["ruleset"].choices = choices  # type: ignore[attr-defined]

    def clean_reports(self) -> list[Any]:
        files: list[Any] = self.cleaned_data["reports"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("一次最多审查 %(n)d 个文件，您选择了 %(count)d 个")
                % {"n": MAX_FILES, "count": len(files)}
            )
        return files


class PrefillUploadForm(forms.Form):
    file = forms.FileField(
        label=_("上年度自评报告"),
        help_text=lazy(
            lambda: (
                _("txt、docx 或有文字层的 pdf，不超过 %(mb)d MB。")
                % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            ),
            str,
        )(),
        error_messages={
            "required": _("请选择上年度的自评报告文件"),
            "empty": _("文件是空的"),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("文件超过 %(mb)d MB，无法审查") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class PrefillConfirmForm(forms.Form):
    """The fields the user ticked, and the version of the evaluation they were shown."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    apply = forms.MultipleChoiceField(
        required=True,
        error_messages={
            "required": _("请至少勾选一项要导入的内容"),
            "invalid_choice": _("勾选的内容已失效，请重新上传报告"),
        },
    )

    def __init__(self, *args: Any, offered: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["apply"].choices = [(path, path) for path in offered]  # type: ignore[attr-defined]
