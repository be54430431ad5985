"""Sign-outs in the 操作日志. Django's ``user_logged_out`` signal is the one point every way of
signing out passes (the 退出 button, a session flushed by a password change); the sign-in side
(success, failure, delay) is recorded by the login service itself (jixiao.accounts)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jixiao.activity.services import record_event
from jixiao.activity.texts import log_text


def record_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    with transaction.atomic():
        record_event(
            actor=user,
            action="login.logout",
            target=user,
            summary=log_text("退出登录：{username}", username=user.get_username()),
            address=address,
        )
