"""操作日志: one row per state change made through a service (who, what, on which object, when)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """An audit event. Written by services in the same transaction as the change it records."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=40)
    target_id = models.CharField(_("对象编号"), max_length=40)
    summary = models.CharField(_("说明"), max_length=300)
    details = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="activity_target")]
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"
