"""What sign-in security keeps: failed sign-ins (the throttle counts them) and previous passwords."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginFailure(models.Model):
    """One failed (or still running) sign-in attempt.

    The throttle counts these rows, in the database rather than the cache, so its decision holds when
    Redis is down and is shared by every web worker. Rows older than the counting window are pruned.
    The readable record of each failure is in the 操作日志; this table is only what the throttle needs.
    """

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # The username as the sign-in form normalises it (NFKC, no whitespace), case-folded.
    username_key = models.CharField(_("用户名"), max_length=150)
    address = models.CharField(_("地址"), max_length=45)
    # The id of a known device (a signed cookie set after a successful sign-in), or "".
    device = models.CharField(_("设备"), max_length=32, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["username_key", "at"], name="loginfailure_user"),
            models.Index(fields=["address", "at"], name="loginfailure_address"),
        ]
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username_key} {self.address}"


class PasswordHistory(models.Model):
    """The hash of a password a user has had: a new password may not repeat the last few."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
