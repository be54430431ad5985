"""Writes of sign-in security, each recorded in the 操作日志: sign-ins, failures and delays,
password changes, two-factor enrolment and its reset.

A sign-in failure has no actor (nobody is signed in); it is recorded against the account when the
username names one, else against no object, with the typed username as its label.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.accounts import throttle
from jixiao.activity.services import record_event


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
        summary=_("登录成功：{username}（地址 {address}）").format(
            username=user.username, address=attempt.address or "—"
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
        summary=_("登录失败：{username}（地址 {address}）").format(
            username=shown, address=attempt.address or "—"
        ),
        details=details,
    )
    if wait.seconds:
        record_event(
            actor=None,
            action="login.delay",
            **about,
            address=attempt.address,
            summary=_(
                "登录限制：{username} 从地址 {address} 失败 {n} 次，{seconds} 秒内不能再试（{reason}）"
            ).format(
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
