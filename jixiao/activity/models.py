"""操作日志: one row per state change made through a service (who, what, on which object, when).

The log is append-only. Who did something is stored as it was at the time (name, role,
organisation), so renaming an account or a unit never rewrites history.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventIsAppendOnly(Exception):
    """An attempt to change or remove an 操作日志 entry (no role may; see docs/decisions.md)."""


class EventQuerySet(models.QuerySet["Event"]):
    # The bulk paths bypass Model.save()/delete(); refuse them too. The database triggers
    # (migration 0004) are the guard below the ORM.
    def update(self, **kwargs: Any) -> NoReturn:
        raise EventIsAppendOnly("操作日志不能修改")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise EventIsAppendOnly("操作日志不能删除")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        raise EventIsAppendOnly("操作日志不能修改")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        raise EventIsAppendOnly("操作日志只能追加")


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
    # The actor as they were at the time of the event (操作人快照).
    actor_username = models.CharField(_("操作人账号"), max_length=150, blank=True)
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    actor_role = models.CharField(_("操作人角色"), max_length=32, blank=True)
    actor_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("操作人所属组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_organisation_name = models.CharField(_("操作人所属组织名称"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    # jixiao.activity.actions' category of the code when written: the log filters on it.
    category = models.CharField(_("类别"), max_length=20, blank=True)
    target_type = models.CharField(_("对象类型"), max_length=40, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    target_label = models.CharField(_("对象"), max_length=300, blank=True)
    # The budget unit the event concerns (its evaluation, its account, the unit itself), so the
    # log can be filtered by unit without decoding anything.
    unit = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("相关单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    summary = models.CharField(_("说明"), max_length=300)
    # The sentence's catalogue template and parameters, so the log reads in the viewer's language
    # (jixiao.activity.texts); empty for sentences recorded as plain text.
    summary_text = models.JSONField(default=dict, blank=True)
    details = models.JSONField(_("详情"), default=dict, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="activity_target"),
            models.Index(fields=["-at", "-id"], name="activity_at_id"),
            models.Index(fields=["unit", "-at", "-id"], name="activity_unit_at"),
            models.Index(fields=["actor", "-at", "-id"], name="activity_actor_at"),
            models.Index(fields=["category", "-at", "-id"], name="activity_category_at"),
        ]
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"

    # An append-only guard, not business logic: an entry once written is never changed or removed,
    # whoever calls. The PostgreSQL/SQLite triggers enforce the same below the ORM.
    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise EventIsAppendOnly("操作日志不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise EventIsAppendOnly("操作日志不能删除")

    @property
    def actor_role_label(self) -> str:
        """The stored role in words (the role's name today; the role code itself is the snapshot)."""
        from jixiao.organisations.models import Role

        return str(dict(Role.choices).get(self.actor_role, self.actor_role))
