"""Retention (通知清理): the daily tick deletes what nobody needs any more.

- read notifications older than ``JIXIAO_NOTIFICATIONS_KEEP_DAYS`` (default 365), unread ones
  older than ``JIXIAO_NOTIFICATIONS_KEEP_UNREAD_DAYS`` (default 0: never);
- sent and failed deliveries older than ``JIXIAO_NOTIFICATIONS_KEEP_DAYS``; pending ones never
  (they are still to be sent).

A notification's key is its idempotency record (one per person and key). Deleting it is safe
because no sender asks for a key that old again: deadline reminders name deadlines at most 7 days
ahead, workflow and 整改 step keys name one step each, and the 整改 due/overdue reminder stops
asking once the deadline is older than ``horizon_days()`` (which is shorter than any retention).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jixiao.activity.services import record_event
from jixiao.activity.texts import log_text
from jixiao.jobs.progress import retry_locked
from jixiao.notifications.models import Delivery, Notification

# Rows deleted per statement, so the tick never holds a long lock on a big table.
DELETE_BATCH = 5000


@dataclass(frozen=True)
class Purged:
    notifications: int
    deliveries: int


def horizon_days() -> int:
    """How far back a reminder may still ask for a key: less than the shortest retention, so a
    deleted key is never asked for again (0: no limit, nothing is deleted)."""
    kept = [
        d
        for d in (
            settings.JIXIAO_NOTIFICATIONS_KEEP_DAYS,
            settings.JIXIAO_NOTIFICATIONS_KEEP_UNREAD_DAYS,
        )
        if d > 0
    ]
    return max(min(kept) - 1, 1) if kept else 0


def _delete_in_batches(qs: QuerySet[Notification] | QuerySet[Delivery]) -> int:
    deleted = 0
    model = qs.model

    def delete(ids: list[int]) -> int:
        return model.objects.filter(pk__in=ids).delete()[0]

    while True:
        ids = list(qs.values_list("pk", flat=True)[:DELETE_BATCH])
        if not ids:
            return deleted
        deleted += retry_locked(partial(delete, ids))


def purge_old(*, now: datetime | None = None) -> Purged:
    """Delete the notifications and deliveries past their retention; one 操作日志 entry says how
    many (none when nothing was deleted)."""
    now = now or timezone.now()
    keep = settings.JIXIAO_NOTIFICATIONS_KEEP_DAYS
    keep_unread = settings.JIXIAO_NOTIFICATIONS_KEEP_UNREAD_DAYS
    old_notifications = Q(pk__in=[])
    if keep > 0:
        old_notifications |= Q(read_at__isnull=False, created_at__lt=now - timedelta(days=keep))
    if keep_unread > 0:
        old_notifications |= Q(
            read_at__isnull=True, created_at__lt=now - timedelta(days=keep_unread)
        )
    notifications = _delete_in_batches(Notification.objects.filter(old_notifications))
    deliveries = 0
    if keep > 0:
        deliveries = _delete_in_batches(
            Delivery.objects.filter(
                state__in=(Delivery.State.SENT, Delivery.State.FAILED),
                created_at__lt=now - timedelta(days=keep),
            )
        )
    if notifications or deliveries:
        with transaction.atomic():
            record_event(
                actor=None,
                action="notification.purge",
                target=None,
                target_type="notifications.notification",
                target_label="通知",
                summary=log_text(
                    "清理过期通知：{notifications} 条通知，{deliveries} 条发送记录",
                    notifications=notifications,
                    deliveries=deliveries,
                ),
                details={
                    "notifications": notifications,
                    "deliveries": deliveries,
                    "keep_days": keep,
                    "keep_unread_days": keep_unread,
                },
            )
    return Purged(notifications, deliveries)
