"""Inbox, unread count, preferences, failures page, and the 工作台's 待办."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jixiao.activity.models import Event
from jixiao.conftest import World
from jixiao.evaluations.models import Status
from jixiao.notifications import kinds, selectors
from jixiao.notifications.models import Delivery, DigestChoice, Notification, Preference
from jixiao.notifications.todo import TodoItem, register_todo, todo_for
from jixiao.reviews.models import Recheck, SampleDraw
from jixiao.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Any, user: Any) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def _note(user: Any, n: int, **extra: Any) -> Notification:
    return Notification.objects.create(
        recipient=user, kind=kinds.DEADLINE_3, key=f"k{n}", title=f"通知{n}", **extra
    )


def test_inbox_pages_by_keyset_and_shows_only_ones_own(client: Any, world: World) -> None:
    notes = [_note(world.editor, n, url="/evaluations/") for n in range(selectors.INBOX_PAGE + 5)]
    _note(world.head, 999)
    _login(client, world.editor)
    first = client.get(reverse("notifications:inbox"))
    shown = first.context["notifications"]
    assert [n.pk for n in shown] == [n.pk for n in reversed(notes)][: selectors.INBOX_PAGE]
    assert first.context["more"] == shown[-1].pk
    assert "通知999" not in first.content.decode()
    second = client.get(reverse("notifications:inbox"), {"before": first.context["more"]})
    assert [n.pk for n in second.context["notifications"]] == [n.pk for n in reversed(notes[:5])]
    assert second.context["more"] is None


def test_unread_count_in_the_top_bar_is_one_query(client: Any, world: World) -> None:
    for n in range(3):
        _note(world.editor, n)
    _note(world.editor, 9, read_at=timezone.now())
    _note(world.head, 10)
    _login(client, world.editor)
    page = client.get(reverse("home")).content.decode()
    assert f'hx-get="{reverse("notifications:badge")}"' in page
    with CaptureQueriesContext(connection) as queries:
        badge = client.get(reverse("notifications:badge"))
    counting = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(counting) == 1 and "COUNT" in counting[0].upper()
    assert len(queries) <= 3  # session, user, the count
    assert ">3</b>" in badge.content.decode()
    Notification.objects.filter(recipient=world.editor).update(read_at=timezone.now())
    assert "unread-count" not in client.get(reverse("notifications:badge")).content.decode()


def test_the_badge_counts_at_most_a_hundred_and_says_99_plus(client: Any, world: World) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=world.editor, kind="k", key=f"k{n}", title=f"通知{n}")
        for n in range(120)
    )
    _login(client, world.editor)
    with CaptureQueriesContext(connection) as queries:
        badge = client.get(reverse("notifications:badge")).content.decode()
    (counting,) = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert "LIMIT 100" in counting.upper()  # never every unread row of a busy reviewer
    assert ">99+</b>" in badge
    Notification.objects.filter(pk__in=Notification.objects.values("pk")[:21]).update(
        read_at=timezone.now()
    )
    assert ">99</b>" in client.get(reverse("notifications:badge")).content.decode()


def test_open_marks_read_and_goes_to_the_link(client: Any, world: World) -> None:
    note = _note(world.editor, 1, url=f"/evaluations/{world.evaluation.pk}/")
    outside = _note(world.editor, 2, url="https://evil.example/")
    _login(client, world.editor)
    response = client.post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response.url == note.url
    note.refresh_from_db()
    assert note.read_at is not None
    response = client.post(reverse("notifications:open", args=[outside.pk]))
    assert response.url == reverse("notifications:inbox")
    # Someone else's: 404 and unchanged.
    theirs = _note(world.head, 3)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_is_logged(client: Any, world: World) -> None:
    for n in range(4):
        _note(world.editor, n)
    theirs = _note(world.head, 9)
    _login(client, world.editor)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=world.editor, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    event = Event.objects.get(action="notification.read_all")
    assert event.details == {"count": 4}


def test_preferences_are_saved_and_logged(client: Any, world: World) -> None:
    _login(client, world.editor)
    data = {f"kind_{k.code}": k.default for k in kinds.kinds()}
    data[f"kind_{kinds.DEADLINE_7}"] = "none"
    data[f"kind_{kinds.EVALUATION_RETURNED}"] = "sms"
    data["daily_digest"] = "on"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert dict(Preference.objects.filter(user=world.editor).values_list("kind", "channel")) == {
        kinds.DEADLINE_7: "none",
        kinds.EVALUATION_RETURNED: "sms",
    }
    assert DigestChoice.objects.get(user=world.editor).daily_digest is True
    event = Event.objects.get(action="notification.preferences")
    assert event.details["changes"] == {
        kinds.DEADLINE_7: ["email", "none"],
        kinds.EVALUATION_RETURNED: ["email", "sms"],
        "daily_digest": [False, True],
    }
    page = client.get(reverse("notifications:preferences"))
    assert page.context["form"][f"kind_{kinds.DEADLINE_7}"].value() == "none"
    bad = dict(data, **{f"kind_{kinds.DEADLINE_7}": "pigeon"})
    assert client.post(reverse("notifications:preferences"), bad).status_code == 400


def test_failures_page_lists_reasons_and_retries(
    client: Any, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.editor.email = "editor@test.invalid"
    world.editor.save(update_fields=["email"])
    failed = Delivery.objects.create(
        recipient=world.editor,
        kind=kinds.DEADLINE_3,
        key="k",
        channel="email",
        address="editor@test.invalid",
        subject="【绩效】提醒",
        body="正文",
        state=Delivery.State.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    _login(client, world.bureau_reviewer)
    assert client.get(reverse("notifications:failures")).status_code == 404
    _login(client, world.bureau_admin)
    page = client.get(reverse("notifications:failures")).content.decode()
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page
    assert "editor@test.invalid" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == Delivery.State.SENT  # locmem backend in tests
    from django.core import mail

    assert [m.to for m in mail.outbox] == [["editor@test.invalid"]]
    assert Event.objects.filter(action="notification.retry").count() == 1
    # Sent now, so no longer retryable.
    assert client.post(reverse("notifications:retry", args=[failed.pk])).status_code == 404


def test_todo_for_each_role(world: World) -> None:
    now = timezone.now()
    w = world
    items = {i.key: i for i in todo_for(w.editor, now=now)}
    assert items["evaluations.fill"].count == 1
    assert str(items["evaluations.fill"].label) == "待填报"
    assert items["evaluations.fill"].deadline == w.campaign.deadline
    assert "evaluations.returned" not in items  # zero counts are left out
    assert str(todo_for(w.head, now=now)[0].label) == "待审定报送"
    # Past the deadline it is overdue instead.
    late = {i.key: i for i in todo_for(w.editor, now=w.campaign.deadline + dt.timedelta(hours=1))}
    assert late["evaluations.overdue"].count == 1 and late["evaluations.overdue"].overdue
    assert "evaluations.fill" not in late

    w.evaluation.status = Status.SUBMITTED
    w.evaluation.save(update_fields=["status"])
    w.foreign_evaluation.status = Status.SUBMITTED
    w.foreign_evaluation.save(update_fields=["status"])
    dept = {i.key: i.count for i in todo_for(w.department_reviewer, now=now)}
    assert dept == {"reviews.department": 1}  # not the other department's unit

    w.other_evaluation.status = Status.DEPARTMENT_APPROVED
    w.other_evaluation.save(update_fields=["status"])
    draw = SampleDraw.objects.create(
        campaign=w.campaign, drawn_by=w.bureau_reviewer, seed="s", requested=1
    )
    Recheck.objects.create(draw=draw, evaluation=w.evaluation)
    bureau = {i.key: i.count for i in todo_for(w.bureau_reviewer, now=now)}
    assert bureau == {"reviews.bureau": 1, "reviews.recheck": 1}


def test_other_apps_plug_in_and_a_broken_provider_is_left_out(world: World) -> None:
    def rectification(user: Any, now: Any) -> list[TodoItem]:
        return [TodoItem("rectification.due", "整改到期", 2, "/rectification/")]

    def broken(user: Any, now: Any) -> list[TodoItem]:
        raise RuntimeError("boom")

    from jixiao.notifications import todo

    saved = dict(todo._PROVIDERS)
    try:
        register_todo("rectification", rectification)
        register_todo("broken", broken)
        keys = [i.key for i in todo_for(world.editor)]
        assert keys == ["evaluations.fill", "rectification.due"]
    finally:
        todo._PROVIDERS.clear()
        todo._PROVIDERS.update(saved)


def test_home_lists_the_todo_with_links(client: Any, world: World) -> None:
    _login(client, world.head)
    page = client.get(reverse("home")).content.decode()
    assert 'data-todo="evaluations.fill"' in page
    assert "待审定报送" in page
    assert f"{reverse('evaluations:list')}?status=draft" in page
