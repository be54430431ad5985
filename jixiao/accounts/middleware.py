"""Before anything else a signed-in person does: the second factor, then a forced or expired
password change, then (where required) enrolling a second factor. Every other page waits."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from jixiao.accounts.passwords import password_expired

# Pages a person in the middle of a step may still open besides the step's own page.
ALWAYS_OPEN = ("logout", "set_language")


def pending_step(user: object) -> str | None:
    """The URL name of what this signed-in user must do first, or None."""
    if getattr(user, "two_factor_enabled", False):
        is_verified = getattr(user, "is_verified", None)
        if not (callable(is_verified) and is_verified()):
            return "accounts:two_factor_verify"
    if getattr(user, "must_change_password", False) or password_expired(user):
        return "accounts:password_change"
    if (
        settings.JIXIAO_REQUIRE_2FA_FOR_BUREAU
        and getattr(user, "is_bureau_user", False)
        and not getattr(user, "two_factor_enabled", False)
    ):
        return "accounts:two_factor"
    return None


class AccountGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            step = pending_step(user)
            if step is not None:
                open_paths = {reverse(step), *(reverse(name) for name in ALWAYS_OPEN)}
                if request.path not in open_paths:
                    return self._send_to(request, step)
        return self.get_response(request)

    @staticmethod
    def _send_to(request: HttpRequest, step: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("请先在网页上完成登录安全步骤（两步验证或修改密码）。")}, status=403
            )
        url = reverse(step)
        if request.method == "GET":
            url += "?next=" + quote(request.get_full_path())
        return redirect(url)
