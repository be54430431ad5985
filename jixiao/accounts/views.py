"""Sign-in (throttled, with the second step for two-factor accounts) and the account's own security
pages: password change and two-factor enrolment."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixiao.accounts import services, throttle
from jixiao.accounts.forms import TokenForm
from jixiao.accounts.passwords import password_expired

ENROL_KEY = "accounts.totp_key"  # session: the secret shown while enrolling, until confirmed


class LoginView(auth_views.LoginView):
    """Django's sign-in, behind the throttle (jixiao.accounts.throttle)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        typed = str(request.POST.get("username", ""))
        attempt = throttle.begin(
            username=typed,
            address=throttle.client_address(request),
            device_cookie=request.COOKIES.get(throttle.DEVICE_COOKIE),
        )
        if attempt.wait.seconds:
            return self._refused(attempt.wait.seconds, typed)
        form = self.get_form()
        if not form.is_valid():
            services.record_login_failure(typed_username=typed, attempt=attempt)
            return self.form_invalid(form)
        user = form.get_user()
        services.record_login_success(user=user, attempt=attempt)
        response = self.form_valid(form)
        cookie, _device = throttle.remember_device(
            request.COOKIES.get(throttle.DEVICE_COOKIE), attempt.username_key
        )
        throttle.set_device_cookie(response, cookie)
        return response

    def _refused(self, seconds: int, typed: str) -> HttpResponse:
        # An unbound form: a bound one would authenticate while rendering its errors, checking the
        # password of a refused attempt after all.
        form = self.get_form_class()(self.request, initial={"username": typed[:150]})
        response = self.render_to_response(
            self.get_context_data(form=form, throttled=services.wait_message(seconds)),
            status=429,
        )
        response["Retry-After"] = str(seconds)
        return response


def _next_url(request: HttpRequest) -> str:
    """Where to go after a step: the page the person wanted, if it is ours, else the home page."""
    wanted = str(request.POST.get("next") or request.GET.get("next") or "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("home")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """修改密码: every signed-in person; also where a forced or expired change sends them."""
    user = request.user
    form = PasswordChangeForm(user, request.POST or None)  # type: ignore[arg-type]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            account = services.change_password(
                user=user,
                password=form.cleaned_data["new_password1"],
                address=throttle.client_address(request),
            )
            # Keeps this session signed in; every other session of the account ends.
            update_session_auth_hash(request, account)
            messages.success(request, _("密码已修改。"))
            return redirect(_next_url(request))
        status = 400
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "forced": getattr(user, "must_change_password", False),
            "expired": password_expired(user),
            "next": _next_url(request),
        },
        status=status,
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """两步验证: enrol an authenticator app (secret as text and QR code), or see that it is on.

    The secret lives in the session until a code from the app confirms it; nothing is stored
    before that, so abandoning the page leaves nothing behind.
    """
    user = request.user
    required = settings.JIXIAO_REQUIRE_2FA_FOR_BUREAU and getattr(user, "is_bureau_user", False)
    if getattr(user, "two_factor_enabled", False):
        return render(request, "accounts/two_factor.html", {"enabled": True, "required": required})
    key = request.session.get(ENROL_KEY)
    if not isinstance(key, str) or len(key) != 40:
        key = services.new_totp_key()
        request.session[ENROL_KEY] = key
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                device = services.enable_two_factor(
                    user=user,
                    key=key,
                    token=form.cleaned_data["token"],
                    address=throttle.client_address(request),
                )
            except services.TwoFactorRefused as exc:
                form.add_error("token", str(exc))
            else:
                del request.session[ENROL_KEY]
                otp_login(request, device)  # this session has just proved the second factor
                messages.success(request, _("两步验证已启用，以后登录时需输入验证码。"))
                return redirect(_next_url(request))
    uri = services.totp_uri(user=user, key=key)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": False,
            "required": required,
            "form": form,
            "secret": services.totp_secret_text(key),
            "uri": uri,
            # segno draws the QR code as inline SVG: no script, no image URL, nothing external.
            "qr_svg": mark_safe(segno.make(uri, error="m").svg_inline(scale=4)),
            "next": _next_url(request),
        },
        status=status,
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in for an account with two-factor sign-in."""
    user = request.user
    if not getattr(user, "two_factor_enabled", False) or user.is_verified():  # type: ignore[union-attr]
        return redirect(_next_url(request))
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    if device is None:  # the flag without a device: enrol again rather than lock the person out
        return redirect(reverse("accounts:two_factor"))
    form = TokenForm(request.POST or None)
    status = 200
    wait = services.two_factor_wait(device)
    if request.method == "POST":
        status = 400
        if wait:
            form.add_error(None, _("验证码错误次数过多，请 {n} 秒后再试。").format(n=wait))
            status = 429
        elif form.is_valid():
            verified = services.verify_two_factor(
                user=user,
                token=form.cleaned_data["token"],
                address=throttle.client_address(request),
            )
            if verified is not None:
                otp_login(request, verified)
                return redirect(_next_url(request))
            form.add_error("token", _("验证码不正确。"))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=status,
    )
