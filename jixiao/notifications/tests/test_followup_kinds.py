"""整改 and 监控 in the 待办 and the notifications: the providers and reminders for the apps built
beside this one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from jixiao.conftest import World
from jixiao.notifications import kinds
from jixiao.notifications.events import after_rectification_step
from jixiao.notifications.models import Notification
from jixiao.notifications.reminders import remind_rectification
from jixiao.notifications.todo import todo_for
from jixiao.rectification.models import RectificationTask, TaskStatus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 10, 2, 0, tzinfo=dt.UTC)  # 10:00 in Asia/Shanghai


def _task(world: World, deadline: dt.date, status: str = TaskStatus.OPEN, **extra: Any) -> Any:
    return RectificationTask.objects.create(
        unit=extra.pop("unit", world.unit),
        department=world.department,
        year=2025,
        problem="佐证材料不完整\n详见审核意见",
        measures="补充佐证材料",
        deadline=deadline,
        status=status,
        source_kind="review_return",
        raised_by=world.department_reviewer,
        **extra,
    )


def test_rectification_todo_per_role(world: World) -> None:
    today = timezone.localdate(NOW)
    _task(world, today + dt.timedelta(days=5))
    _task(world, today - dt.timedelta(days=1))
    _task(world, today + dt.timedelta(days=1), status=TaskStatus.REPORTED)
    _task(world, today - dt.timedelta(days=9), unit=world.foreign_unit)
    unit = {i.key: i for i in todo_for(world.editor, now=NOW) if i.key.startswith("rect")}
    assert unit["rectification.due"].count == 1
    # The task's deadline is a day, and the 工作台 prints it as one (no invented 23:59).
    due = unit["rectification.due"]
    assert due.deadline == today + dt.timedelta(days=5) and not due.has_time
    assert unit["rectification.overdue"].count == 1 and unit["rectification.overdue"].overdue
    dept = {i.key: i.count for i in todo_for(world.department_reviewer, now=NOW)}
    assert dept["rectification.confirm"] == 1
    assert dept["rectification.overdue"] == 1  # not the other department's unit
    bureau = {i.key: i.count for i in todo_for(world.bureau_admin, now=NOW)}
    assert bureau["rectification.overdue"] == 2


def test_monitoring_warnings_to_answer(world: World) -> None:
    from jixiao.monitoring.models import MonitoringWarning

    def warning(level: int, **answers: bool) -> None:
        MonitoringWarning.objects.create(
            campaign=world.campaign,
            evaluation=world.evaluation,
            unit=world.unit,
            unit_name=world.unit.name,
            target_code=f"T{MonitoringWarning.objects.count()}",
            level=level,
            reason="execution_behind",
            text="预算执行滞后",
            **answers,
        )

    warning(2)  # red, nothing answered
    warning(2, has_cause=True)  # red without measures
    warning(2, has_cause=True, has_measures=True)  # answered
    warning(1, has_cause=True)  # yellow with its cause: answered
    items = {i.key: i for i in todo_for(world.editor, now=NOW)}
    assert items["monitoring.warnings"].count == 2
    assert "monitoring.warnings" not in {i.key for i in todo_for(world.other_editor, now=NOW)}


def test_rectification_steps_notify(mailed_world: World) -> None:
    w = mailed_world
    task = _task(w, timezone.localdate(NOW) + dt.timedelta(days=20))
    after_rectification_step(task.pk, "assigned", w.department_reviewer.pk)
    for person in (w.editor, w.head):
        (note,) = Notification.objects.filter(recipient=person)
        assert note.kind == kinds.RECTIFICATION_ASSIGNED
        assert note.title.startswith("整改任务：佐证材料不完整（")
        assert note.url == f"/rectification/{task.pk}/"
    after_rectification_step(task.pk, "reported", w.head.pk)
    (reported,) = Notification.objects.filter(recipient=w.department_reviewer)
    assert reported.kind == kinds.RECTIFICATION_REPORTED
    assert not Notification.objects.filter(recipient=w.head, kind=kinds.RECTIFICATION_REPORTED)


def test_rectification_due_and_overdue_once(mailed_world: World) -> None:
    w = mailed_world
    today = timezone.localdate(NOW)
    due = _task(w, today + dt.timedelta(days=2))
    late = _task(w, today - dt.timedelta(days=1))
    _task(w, today + dt.timedelta(days=10))  # not yet
    _task(w, today - dt.timedelta(days=1), status=TaskStatus.CONFIRMED)  # done
    for _run in range(2):
        remind_rectification(now=NOW)
    due_notes = Notification.objects.filter(kind=kinds.RECTIFICATION_DUE)
    assert sorted(due_notes.values_list("recipient__username", flat=True)) == ["editor", "head"]
    assert set(due_notes.values_list("target_id", flat=True)) == {str(due.pk)}
    late_notes = Notification.objects.filter(kind=kinds.RECTIFICATION_OVERDUE)
    assert sorted(late_notes.values_list("recipient__username", flat=True)) == [
        "dept",
        "editor",
        "head",
    ]
    assert set(late_notes.values_list("target_id", flat=True)) == {str(late.pk)}


def test_home_shows_a_rectification_deadline_as_a_date(client: Any, world: World) -> None:
    from django.urls import reverse

    deadline = timezone.localdate() + dt.timedelta(days=4)
    _task(world, deadline)
    client.force_login(world.editor)
    page = client.get(reverse("home")).content.decode()
    assert 'data-todo="rectification.due"' in page
    assert f"{deadline:%Y-%m-%d}</small>" in page
