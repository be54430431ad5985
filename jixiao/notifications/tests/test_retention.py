"""Retention: the daily tick deletes read notifications and sent or failed deliveries past
JIXIAO_NOTIFICATIONS_KEEP_DAYS, keeps unread ones (unless told) and pending deliveries, logs how
many, and no reminder asks again for a key it may have deleted."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from jixiao.activity.models import Event
from jixiao.conftest import World
from jixiao.notifications import kinds
from jixiao.notifications.models import Delivery, Notification
from jixiao.notifications.reminders import remind_rectification
from jixiao.notifications.retention import horizon_days, purge_old
from jixiao.rectification.models import RectificationTask, TaskStatus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 10, 2, 0, tzinfo=dt.UTC)


def _note(world: World, key: str, days_old: int, read: bool) -> Notification:
    when = NOW - dt.timedelta(days=days_old)
    return Notification.objects.create(
        recipient=world.editor,
        kind=kinds.EVALUATION_APPROVED,
        key=key,
        title=key,
        created_at=when,
        read_at=when + dt.timedelta(hours=1) if read else None,
    )


def _delivery(world: World, key: str, days_old: int, state: str) -> Delivery:
    return Delivery.objects.create(
        recipient=world.editor,
        kind=kinds.EVALUATION_APPROVED,
        key=key,
        channel=Delivery.Channel.EMAIL,
        address="editor@test.invalid",
        subject=key,
        state=state,
        created_at=NOW - dt.timedelta(days=days_old),
    )


def test_read_ones_past_the_retention_go_unread_and_pending_stay(world: World) -> None:
    _note(world, "old-read", 366, read=True)
    _note(world, "young-read", 364, read=True)
    _note(world, "old-unread", 800, read=False)
    _delivery(world, "old-sent", 366, Delivery.State.SENT)
    _delivery(world, "old-failed", 400, Delivery.State.FAILED)
    _delivery(world, "old-pending", 400, Delivery.State.PENDING)
    _delivery(world, "young-sent", 10, Delivery.State.SENT)

    purged = purge_old(now=NOW)

    assert (purged.notifications, purged.deliveries) == (1, 2)
    assert sorted(Notification.objects.values_list("key", flat=True)) == [
        "old-unread",
        "young-read",
    ]
    assert sorted(Delivery.objects.values_list("key", flat=True)) == ["old-pending", "young-sent"]
    event = Event.objects.get(action="notification.purge")
    assert event.summary == "清理过期通知：1 条通知，2 条发送记录"
    assert event.details["notifications"] == 1 and event.details["keep_days"] == 365
    # Nothing left to delete: nothing deleted, nothing logged.
    assert purge_old(now=NOW) == type(purged)(0, 0)
    assert Event.objects.filter(action="notification.purge").count() == 1


def test_unread_ones_after_their_own_period_and_zero_keeps_all(world: World, settings: Any) -> None:
    _note(world, "old-unread", 100, read=False)
    _note(world, "old-read", 400, read=True)
    settings.JIXIAO_NOTIFICATIONS_KEEP_DAYS = 0
    assert purge_old(now=NOW).notifications == 0
    assert horizon_days() == 0
    settings.JIXIAO_NOTIFICATIONS_KEEP_UNREAD_DAYS = 90
    assert horizon_days() == 89
    assert purge_old(now=NOW).notifications == 1
    assert list(Notification.objects.values_list("key", flat=True)) == ["old-read"]


def test_an_overdue_task_is_not_announced_again_after_its_notice_was_deleted(
    world: World,
) -> None:
    """The 整改 overdue reminder asks daily for every pending task: past the retention's horizon it
    stops asking, so the purge never brings a year-old notice back."""
    deadline = dt.date(2025, 12, 1)
    task = RectificationTask.objects.create(
        unit=world.unit,
        department=world.department,
        year=2025,
        problem="佐证材料不完整",
        measures="补充佐证材料",
        deadline=deadline,
        status=TaskStatus.OPEN,
        source_kind="review_return",
        raised_by=world.department_reviewer,
    )
    first = dt.datetime(2025, 12, 2, 2, 0, tzinfo=dt.UTC)
    assert remind_rectification(now=first) > 0
    notices = Notification.objects.filter(kind=kinds.RECTIFICATION_OVERDUE, target_id=str(task.pk))
    count = notices.count()
    assert count >= 2  # the unit's people and the department's reviewer
    # Within the horizon it still asks daily, and the stored key makes that a no-op.
    assert remind_rectification(now=first + dt.timedelta(days=300)) == count
    assert notices.count() == count
    notices.update(read_at=first)
    assert purge_old(now=NOW).notifications == count  # 373 days later
    assert remind_rectification(now=NOW) == 0
    assert not notices.exists()


def test_the_daily_tick_runs_the_clean_up(world: World) -> None:
    _note(world, "old-read", 3650, read=True)
    out = StringIO()
    call_command("notifications_tick", "--reminders", stdout=out)
    assert "1 old notification(s), 0 old delivery record(s) deleted" in out.getvalue()
    assert not Notification.objects.filter(key="old-read").exists()
