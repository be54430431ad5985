"""Deadline reminders on a fake clock: mail on a real SMTP server and the inbox, each once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.mail.backends.smtp import EmailBackend
from django.utils import timezone

from jixiao.conftest import World
from jixiao.evaluations.models import Status
from jixiao.notifications import kinds
from jixiao.notifications.models import Delivery, DigestChoice, Notification, Preference
from jixiao.notifications.reminders import remind_deadlines, threshold_for
from jixiao.notifications.services import LEASE, MAX_ATTEMPTS, deliver_due, send_digests
from jixiao.notifications.sms import ConsoleSmsSender
from jixiao.organisations.models import Role
from jixiao.testing import factories as f

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 12, 20, 17, 0, tzinfo=dt.UTC)


def _set_deadline(world: World) -> None:
    world.campaign.deadline = DEADLINE
    world.campaign.save(update_fields=["deadline"])


def test_thresholds() -> None:
    assert threshold_for(8) is None
    assert threshold_for(7) == 7
    assert threshold_for(6.5) == 7
    assert threshold_for(3) == 3
    assert threshold_for(2.5) == 3
    assert threshold_for(0.2) == 1


def test_a_reminder_arrives_by_mail_and_in_the_inbox(mailed_world: World, smtp: Any) -> None:
    w = mailed_world
    _set_deadline(w)
    now = DEADLINE - dt.timedelta(days=2, hours=12)

    run = remind_deadlines(now=now)

    # Three units have open tasks; ``unit`` has two people, ``other_unit`` one, ``foreign_unit`` none.
    assert run.tasks == 3
    assert run.sent == 3
    for user in (w.editor, w.head):
        (mail,) = smtp.to(user.email)
        assert "距报送截止不足 3 天" in mail.subject
        assert "2026-12-21 01:00" in mail.subject  # Asia/Shanghai
        assert f"/evaluations/{w.evaluation.pk}/" in mail.body
        (note,) = Notification.objects.filter(recipient=user)
        assert note.kind == kinds.DEADLINE_3
        assert note.read_at is None
        assert note.url == f"/evaluations/{w.evaluation.pk}/"
    assert not Notification.objects.exclude(
        recipient__in=[w.editor, w.head, w.other_editor]
    ).exists()


def test_the_job_run_twice_sends_once(mailed_world: World, smtp: Any) -> None:
    _set_deadline(mailed_world)
    now = DEADLINE - dt.timedelta(days=2)
    remind_deadlines(now=now)
    second = remind_deadlines(now=now + dt.timedelta(hours=1))
    assert second.sent == 0
    assert len(smtp.received) == 3
    assert Notification.objects.count() == 3
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}


def test_seven_three_and_one_day_each_once(mailed_world: World, smtp: Any) -> None:
    w = mailed_world
    _set_deadline(w)
    for days_before in (8, 6.5, 6, 2.9, 2, 0.9, 0.1):
        remind_deadlines(now=DEADLINE - dt.timedelta(days=days_before))
    remind_deadlines(now=DEADLINE + dt.timedelta(hours=1))  # past the deadline: nothing
    subjects = sorted(m.subject for m in smtp.to(w.editor.email))
    assert len(subjects) == 3
    assert sorted(
        Notification.objects.filter(recipient=w.editor).values_list("kind", flat=True)
    ) == [
        kinds.DEADLINE_1,
        kinds.DEADLINE_3,
        kinds.DEADLINE_7,
    ]


def test_submitted_work_and_extended_deadlines(mailed_world: World, smtp: Any) -> None:
    w = mailed_world
    _set_deadline(w)
    now = DEADLINE - dt.timedelta(days=2)
    w.evaluation.status = Status.SUBMITTED
    w.evaluation.save(update_fields=["status"])
    assert remind_deadlines(now=now).sent == 1  # other_unit's editor only
    # Returned with a deadline of its own: reminded against that deadline.
    w.evaluation.status = Status.RETURNED
    w.evaluation.deadline_override = DEADLINE + dt.timedelta(days=10)
    w.evaluation.save(update_fields=["status", "deadline_override"])
    assert remind_deadlines(now=now).sent == 0  # 12 days left
    assert remind_deadlines(now=now + dt.timedelta(days=6)).sent == 2  # 6 days left


class WorkerDied(BaseException):
    """A worker killed mid-run: nothing after this point runs, no handler cleans up."""


def test_a_worker_dying_mid_run_then_a_rerun_delivers_the_rest_each_once(
    world: World, smtp: Any, monkeypatch: Any
) -> None:
    _set_deadline(world)
    people = [
        f.UserFactory.create(
            role=Role.UNIT_EDITOR, organisation=world.unit, email=f"p{n}@test.invalid"
        )
        for n in range(12)
    ]
    addresses = {p.email for p in people}
    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def dies_after_five(self: EmailBackend, messages: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 6:
            raise WorkerDied
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", dies_after_five)
    now = DEADLINE - dt.timedelta(days=1, hours=12)
    with pytest.raises(WorkerDied):
        remind_deadlines(now=now)
    assert len(smtp.received) == 5
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 5
    # Every notification is in the inbox already; the rest of the mails wait.
    assert Notification.objects.filter(recipient__in=people).count() == 12

    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    # A rerun while the dead worker's lease holds sends only what nobody holds...
    remind_deadlines(now=now + dt.timedelta(minutes=1))
    held = Delivery.objects.filter(state=Delivery.State.PENDING).count()
    assert held > 0
    # ...and once the lease is over, the rest.
    remind_deadlines(now=now + LEASE + dt.timedelta(minutes=1))
    received = [r.to[0] for r in smtp.received]
    assert sorted(received) == sorted(addresses)  # each person exactly once
    assert not Delivery.objects.exclude(state=Delivery.State.SENT).exists()


def test_preferences_are_respected(mailed_world: World, smtp: Any, settings: Any) -> None:
    w = mailed_world
    _set_deadline(w)
    ConsoleSmsSender.sent.clear()
    Preference.objects.create(user=w.editor, kind=kinds.DEADLINE_3, channel="none")
    Preference.objects.create(user=w.head, kind=kinds.DEADLINE_3, channel="app")
    unit_user = f.UserFactory.create(
        role=Role.UNIT_HEAD, organisation=w.unit, phone="13912345678", email="sms@test.invalid"
    )
    Preference.objects.create(user=unit_user, kind=kinds.DEADLINE_3, channel="sms")

    remind_deadlines(now=DEADLINE - dt.timedelta(days=2))

    assert not Notification.objects.filter(recipient=w.editor).exists()
    assert Notification.objects.filter(recipient=w.head).count() == 1
    assert Notification.objects.filter(recipient=unit_user).count() == 1
    assert [r.to for r in smtp.received] == [[w.other_editor.email]]
    (sms,) = ConsoleSmsSender.sent
    assert sms[0] == "13912345678"
    assert "距报送截止不足 3 天" in sms[1]


def test_daily_digest_sends_one_mail(mailed_world: World, smtp: Any) -> None:
    w = mailed_world
    _set_deadline(w)
    DigestChoice.objects.create(user=w.head, daily_digest=True)
    f.EvaluationFactory.create(campaign=w.campaign, unit=w.unit, project_name="培训项目")

    now = DEADLINE - dt.timedelta(days=2)
    remind_deadlines(now=now)
    # The editor gets a mail per task; the head gets none yet.
    assert len(smtp.to(w.editor.email)) == 2
    assert smtp.to(w.head.email) == []
    assert Notification.objects.filter(recipient=w.head).count() == 2

    assert send_digests(now=now + dt.timedelta(hours=8)) == 1
    (digest,) = smtp.to(w.head.email)
    assert "每日汇总：2 条通知" in digest.subject
    assert "培训项目" in digest.body
    # Run again: nothing more.
    assert send_digests(now=now + dt.timedelta(hours=9)) == 0
    assert len(smtp.to(w.head.email)) == 1


def test_failures_are_retried_with_backoff_then_listed(mailed_world: World, smtp: Any) -> None:
    w = mailed_world
    _set_deadline(w)
    smtp.refuse = True
    w.other_editor.email = ""
    w.other_editor.save(update_fields=["email"])
    now = DEADLINE - dt.timedelta(days=2)
    remind_deadlines(now=now)
    delivery = Delivery.objects.get(recipient=w.editor)
    assert delivery.state == Delivery.State.PENDING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at == now + dt.timedelta(minutes=1)
    assert "451" in delivery.last_error
    # Not due before its wait is over.
    assert deliver_due(now=now + dt.timedelta(seconds=30)) == 0
    clock = now
    for _attempt in range(MAX_ATTEMPTS - 1):
        clock += dt.timedelta(hours=2)
        deliver_due(now=clock)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == MAX_ATTEMPTS
    assert smtp.received == []
    smtp.refuse = False
    # Failed for good: the sender leaves it to the bureau admin.
    assert deliver_due(now=clock + dt.timedelta(days=1)) == 0


def test_inactive_people_and_people_without_mail(world: World, smtp: Any) -> None:
    _set_deadline(world)
    world.head.is_active = False
    world.head.save(update_fields=["is_active"])
    world.other_editor.is_active = False
    world.other_editor.save(update_fields=["is_active"])
    remind_deadlines(now=DEADLINE - dt.timedelta(days=2))
    # The editor has no address: the inbox only; the head is no longer active: nothing.
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [world.editor.pk]
    assert not Delivery.objects.exists()
    assert smtp.received == []
    assert timezone.is_aware(Notification.objects.get().created_at)
