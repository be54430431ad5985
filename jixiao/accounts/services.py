"""Writes of sign-in security, each recorded in the 操作日志: sign-ins, failures and delays,
password changes, two-factor enrolment, failed codes and an admin's reset.

A sign-in failure has no actor (nobody is signed in); it is recorded against the account when the
username names one, else against no object, with the typed username as its label.
"""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from jixiao.accounts import throttle
from jixiao.accounts.passwords import password_expired
from jixiao.activity.services import record_event
from jixiao.activity.texts import log_text


def account_for_username(username_key: str) -> Any | None:
    """The account a normalised username names, if any (case-insensitively, as the key is folded)."""
    user_model = get_user_model()
    return user_model._default_manager.filter(username__iexact=username_key).order_by("pk").first()


def _wait_words(seconds: int) -> str:
    if seconds < 60:
        return _("{n} 秒").format(n=seconds)
    return _("{n} 分钟").format(n=(seconds + 59) // 60)


def wait_message(seconds: int) -> str:
    """What the sign-in page says to an attempt that must wait (the same whatever the reason, so the
    page tells an attacker nothing about which counter it hit)."""
    return _("登录尝试过于频繁，请 {wait}后再试。如忘记密码，请联系财政局管理员重置。").format(
        wait=_wait_words(seconds)
    )


@transaction.atomic
def record_login_success(*, user: Any, attempt: throttle.Attempt) -> None:
    throttle.succeeded(attempt)
    record_event(
        actor=user,
        action="login.success",
        target=user,
        address=attempt.address,
        summary=log_text(
            "登录成功：{username}（地址 {address}）",
            username=user.username,
            address=attempt.address or "—",
        ),
        details={"address": attempt.address, "known_device": bool(attempt.device)},
    )


@transaction.atomic
def record_login_failure(*, typed_username: str, attempt: throttle.Attempt) -> throttle.Wait:
    """A wrong password (or an unknown or disabled account): counted, logged, and — if this failure
    starts a delay — the delay logged too. Returns the wait the next attempt faces."""
    wait = throttle.failed(attempt)
    account = account_for_username(attempt.username_key)
    shown = typed_username.strip()[:60]
    # An unknown username names no stored object: the event says what was typed instead.
    about: dict[str, Any] = (
        {"target": account}
        if account is not None
        else {"target": None, "target_type": "login", "target_label": shown}
    )
    details = {
        "username": shown,
        "address": attempt.address,
        "known_device": bool(attempt.device),
        "account_exists": account is not None,
    }
    record_event(
        actor=None,
        action="login.failure",
        **about,
        address=attempt.address,
        summary=log_text(
            "登录失败：{username}（地址 {address}）", username=shown, address=attempt.address or "—"
        ),
        details=details,
    )
    if wait.seconds:
        record_event(
            actor=None,
            action="login.delay",
            **about,
            address=attempt.address,
            summary=log_text(
                "登录限制：{username} 从地址 {address} 失败 {n} 次，{seconds} 秒内不能再试（{reason}）",
                username=shown,
                address=attempt.address or "—",
                n=wait.failures,
                seconds=wait.seconds,
                reason=_reason_words(wait.reason),
            ),
            details={**details, "reason": wait.reason, "seconds": wait.seconds},
        )
    return wait


def _reason_words(reason: str) -> str:
    return {
        "user": _("该用户名失败过多"),
        "device": _("该设备失败过多"),
        "address": _("该地址失败过多"),
    }.get(reason, reason)


# --- passwords -----------------------------------------------------------------------------------


@transaction.atomic
def change_password(*, user: Any, password: str, address: str = "") -> Any:
    """The signed-in user's own new password (already validated by the form: the rules in
    settings.AUTH_PASSWORD_VALIDATORS, the old password checked). Ends a forced change."""
    account = get_user_model()._default_manager.select_for_update().get(pk=user.pk)
    forced = account.must_change_password
    expired = password_expired(account)
    account.set_password(password)
    account.must_change_password = False
    # Saving a new password runs PasswordHistoryValidator.password_changed (history, change date).
    account.save(update_fields=["password", "must_change_password"])
    record_event(
        actor=account,
        action="account.password_change",
        target=account,
        summary=(
            _("按要求修改密码：{username}") if forced or expired else _("修改密码：{username}")
        ).format(username=account.username),
        details={"forced": forced, "expired": expired},
        address=address or None,
    )
    return account


# --- two-factor sign-in (TOTP) ---------------------------------------------------------------------

TOTP_TOLERANCE = 1  # one 30-second step either side, for phone clocks a little off


def new_totp_key() -> str:
    """A fresh secret (hex, 20 bytes, as django-otp stores it)."""
    return default_key()  # type: ignore[no-any-return]


def totp_uri(*, user: Any, key: str) -> str:
    """The otpauth:// URI an authenticator app reads (as a QR code or typed in)."""
    return TOTPDevice(user=user, key=key).config_url  # type: ignore[no-any-return]


def totp_secret_text(key: str) -> str:
    """The secret as base32 in groups of four, for typing into an app by hand."""
    text = b32encode(unhexlify(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _token_step(key: str, token: str) -> int | None:
    """The time step at which ``token`` is the code for ``key`` (within the tolerance), or None."""
    token = "".join(token.split())
    if not (token.isdigit() and len(token) == 6):
        return None
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6, drift=0)
    if not totp.verify(int(token), tolerance=TOTP_TOLERANCE):
        return None
    return int(totp.t())


class TwoFactorRefused(Exception):
    """A code that does not match; nothing was written (the message says why, in Chinese)."""


@transaction.atomic
def enable_two_factor(*, user: Any, key: str, token: str, address: str = "") -> TOTPDevice:
    """Confirm an authenticator app by one of its codes; replaces any earlier device."""
    step = _token_step(key, token)
    if step is None:
        raise TwoFactorRefused(_("验证码不正确，请核对手机上的时间并输入当前显示的 6 位数字。"))
    account = get_user_model()._default_manager.select_for_update().get(pk=user.pk)
    TOTPDevice.objects.filter(user=account).delete()
    device = TOTPDevice.objects.create(
        user=account, name=_("身份验证器"), key=key, confirmed=True, last_t=step
    )
    account.two_factor_enabled = True
    account.save(update_fields=["two_factor_enabled"])
    record_event(
        actor=account,
        action="account.two_factor_enable",
        target=account,
        summary=log_text("启用两步验证：{username}", username=account.username),
        address=address or None,
    )
    return device


def verify_two_factor(*, user: Any, token: str, address: str = "") -> TOTPDevice | None:
    """Check a sign-in code against the user's device (django-otp: throttled, no code twice).
    Failures are recorded in the 操作日志; returns the device when the code is right."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()
    if device is None:
        return None
    ok = device.verify_token("".join(token.split()))
    if not ok:
        record_event(
            actor=user,
            action="login.two_factor_failure",
            target=user,
            summary=log_text(
                "两步验证失败：{username}（地址 {address}）",
                username=user.username,
                address=address or "—",
            ),
            details={"failures": device.throttling_failure_count},
            address=address or None,
        )
        return None
    return device


def two_factor_wait(device: TOTPDevice | None) -> int:
    """Seconds before the device accepts another code (django-otp doubles it per failure)."""
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed or not data or not data.get("locked_until"):
        return 0
    return max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))


@transaction.atomic
def reset_two_factor(*, admin: Any, user_id: int) -> Any:
    """财政管理员 removes a person's authenticator (a lost phone): they enrol again at next sign-in
    if their role requires it."""
    from jixiao.organisations.services import require_bureau_admin

    require_bureau_admin(admin)
    account = get_user_model()._default_manager.select_for_update().filter(pk=user_id).first()
    if account is None:
        raise Http404
    removed = TOTPDevice.objects.filter(user=account).delete()[0]
    account.two_factor_enabled = False
    account.save(update_fields=["two_factor_enabled"])
    record_event(
        actor=admin,
        action="account.two_factor_reset",
        target=account,
        summary=log_text("重置两步验证：{username}", username=account.username),
        details={"devices_removed": removed},
    )
    return account
