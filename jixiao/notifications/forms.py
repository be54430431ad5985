"""通知设置: a channel per kind, the daily digest and the language of the mails."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jixiao.notifications import kinds
from jixiao.notifications.kinds import Channel


class PreferencesForm(forms.Form):
    daily_digest = forms.BooleanField(
        label=_("每日汇总为一封邮件"),
        required=False,
        help_text=_("邮件通知不逐条发送，每天汇总发送一封"),
    )

    mail_language = forms.ChoiceField(
        label=_("邮件和短信的语言"),
        choices=settings.LANGUAGES,
        required=False,  # left out: unchanged
        help_text=_("站内通知按您当前使用的界面语言显示"),
    )

    def __init__(
        self,
        *args: Any,
        current: dict[str, str],
        digest: bool,
        language: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["daily_digest"].initial = digest
        # Not chosen yet: the language the person is using now.
        self.fields["mail_language"].initial = language or translation.get_language()
        for kind in kinds.kinds():
            self.fields[f"kind_{kind.code}"] = forms.ChoiceField(
                label=str(kind.label),
                choices=Channel.CHOICES,
                initial=current.get(kind.code, kind.default),
            )

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("kind_")]

    def channels(self) -> dict[str, str]:
        return {
            name.removeprefix("kind_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("kind_")
        }
