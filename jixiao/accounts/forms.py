"""Forms of the account's own security pages (Chinese errors; the writes are in services.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """The 6-digit code an authenticator app shows."""

    token = forms.CharField(
        label=_("验证码"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": r"[0-9 ]*",
            }
        ),
        error_messages={"required": _("请输入身份验证器上显示的 6 位数字")},
    )
