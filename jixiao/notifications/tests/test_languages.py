"""Notifications read in each person's language: stored in Chinese with their catalogue template
(like the 操作日志), shown in the reader's UI language, mailed in the recipient's chosen language
(Chinese when none is chosen)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from jixiao.activity.models import Event
from jixiao.conftest import World
from jixiao.notifications import kinds
from jixiao.notifications.models import DigestChoice, Notification
from jixiao.notifications.reminders import remind_rectification
from jixiao.reviews import workflow
from jixiao.reviews.services import transition
from jixiao.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db

RETURNED_ZH = "2025年度绩效自评被退回修改：湛江市职业技能鉴定指导中心"
RETURNED_EN = "2025 Self-evaluations returned for changes: 湛江市职业技能鉴定指导中心"


def _return(w: World, capture: Any) -> None:
    with capture(execute=True):
        transition(user=w.head, evaluation_id=w.evaluation.pk, action=workflow.SUBMIT)
    mail.outbox.clear()
    with capture(execute=True):
        transition(
            user=w.department_reviewer,
            evaluation_id=w.evaluation.pk,
            action=workflow.DEPARTMENT_RETURN,
            comment="请补充超额完成原因",
        )


def test_stored_in_chinese_shown_in_the_readers_language(
    client: Any, mailed_world: World, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    import jixiao.reviews.services as review_services

    monkeypatch.setattr(review_services, "request_freeze", lambda **kwargs: None)
    w = mailed_world
    _return(w, django_capture_on_commit_callbacks)
    note = Notification.objects.get(recipient=w.editor, kind=kinds.EVALUATION_RETURNED)
    assert (note.title, note.body) == (RETURNED_ZH, "意见：请补充超额完成原因")
    assert note.title_text is not None
    assert note.title_text["template"] == "{year}年度{what}被退回修改：{unit}"
    assert client.login(username=w.editor.username, password=PASSWORD)
    assert RETURNED_ZH in client.get(reverse("notifications:inbox")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert RETURNED_EN in page
    assert "Comment: 请补充超额完成原因" in page  # the reviewer's words stay as written
    assert RETURNED_ZH not in page


def test_mails_go_in_the_recipients_chosen_language(
    mailed_world: World, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    import jixiao.reviews.services as review_services

    monkeypatch.setattr(review_services, "request_freeze", lambda **kwargs: None)
    w = mailed_world
    DigestChoice.objects.create(user=w.editor, mail_language="en")
    _return(w, django_capture_on_commit_callbacks)
    by_address = {m.to[0]: m for m in mail.outbox}
    english, chinese = by_address[w.editor.email], by_address[w.head.email]
    assert english.subject == f"[jixiao] {RETURNED_EN}"
    assert english.body.startswith(f"{RETURNED_EN}\n\nComment: 请补充超额完成原因\n\nOpen: ")
    assert chinese.subject == f"【绩效】{RETURNED_ZH}"
    assert chinese.body.startswith(f"{RETURNED_ZH}\n\n意见：请补充超额完成原因\n\n查看：")


def test_reminders_and_rectification_titles_keep_their_template(world: World) -> None:
    import datetime as dt

    from django.utils import timezone, translation

    from jixiao.rectification import services as rectification
    from jixiao.rectification.models import RectificationTask
    from jixiao.rectification.sources import resolve_source

    source = resolve_source(user=world.bureau_admin, query={"kind": "other"})
    task = rectification.raise_task(
        user=world.bureau_admin,
        source=source,
        unit=world.unit,
        problem="资产未入账",
        measures="m",
        deadline=timezone.localdate(),
        year=2025,
    )
    RectificationTask.objects.filter(pk=task.pk).update(deadline=dt.date(2026, 1, 10))
    remind_rectification(now=timezone.make_aware(dt.datetime(2026, 1, 12, 9)))
    note = Notification.objects.get(recipient=world.editor, kind=kinds.RECTIFICATION_OVERDUE)
    assert note.title == "整改已逾期（期限 2026-01-10）：资产未入账"
    with translation.override("en"):
        assert note.title_shown == "Rectification overdue (due 2026-01-10): 资产未入账"


def test_the_mail_language_is_a_preference_and_logged(client: Any, world: World) -> None:
    assert client.login(username=world.editor.username, password=PASSWORD)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("notifications:preferences"))
    assert page.context["form"]["mail_language"].value() == "en"  # the UI's, until chosen
    data = {f"kind_{k.code}": k.default for k in kinds.kinds()}
    data["mail_language"] = "en"
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert DigestChoice.objects.get(user=world.editor).mail_language == "en"
    event = Event.objects.get(action="notification.preferences")
    assert event.details["changes"] == {"mail_language": ["zh-hans", "en"]}
    bad = dict(data, mail_language="fr")
    assert client.post(reverse("notifications:preferences"), bad).status_code == 400
    assert DigestChoice.objects.get(user=world.editor).mail_language == "en"
