"""Beat names registered tasks; the cron command runs the same jobs."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from jixiao.conftest import World
from jixiao.notifications.models import Notification


def test_every_beat_entry_names_a_registered_task() -> None:
    from config.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


@pytest.mark.django_db
def test_the_eager_task_sends_what_is_due(mailed_world: World) -> None:
    from jixiao.notifications.services import notify
    from jixiao.notifications.tasks import deliver_due_task

    notify(kind="evaluation_returned", recipients=[mailed_world.editor], title="退回", key="t")
    assert mail.outbox == []  # the test transaction never commits: nothing dispatched
    deliver_due_task.apply()
    assert [m.to for m in mail.outbox] == [[mailed_world.editor.email]]


@pytest.mark.django_db
def test_notifications_tick_command(mailed_world: World, settings: Any) -> None:
    w = mailed_world
    w.campaign.deadline = timezone.now() + dt.timedelta(hours=20)
    w.campaign.save(update_fields=["deadline"])
    out = StringIO()
    call_command("notifications_tick", "--reminders", "--digest", stdout=out)
    assert "3 open task(s) due within 7 days, 3 reminder(s)" in out.getvalue()
    assert Notification.objects.filter(kind="deadline_1").count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [w.editor.email, w.head.email, w.other_editor.email]
    )


@pytest.mark.django_db(transaction=True)
def test_the_embedded_runner_sends_from_one_background_thread(
    mailed_world: World, settings: Any
) -> None:
    import threading
    import time

    from jixiao.notifications.services import notify

    settings.JIXIAO_JOBS_RUNNER = "thread"
    for n in range(5):
        notify(
            kind="evaluation_returned",
            recipients=[mailed_world.editor],
            title=f"退回{n}",
            key=f"t{n}",
        )
    deadline = time.monotonic() + 20
    while len(mail.outbox) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(m.subject for m in mail.outbox) == [f"【绩效】退回{n}" for n in range(5)]
    assert sum(t.name == "jixiao-notify" for t in threading.enumerate()) <= 1


@pytest.mark.django_db(transaction=True)
def test_sending_held_stores_without_sending(mailed_world: World) -> None:
    from jixiao.notifications.models import Delivery
    from jixiao.notifications.services import deliver_due, notify, sending_held

    with sending_held():
        notify(kind="evaluation_returned", recipients=[mailed_world.editor], title="退回", key="h")
    assert mail.outbox == []
    assert Delivery.objects.get().state == Delivery.State.PENDING
    assert deliver_due() == 1
    assert [m.to for m in mail.outbox] == [[mailed_world.editor.email]]
