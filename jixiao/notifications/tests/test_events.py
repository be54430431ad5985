"""The workflow and campaigns notify after their commit: who hears of what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from jixiao.campaigns.services import create_campaign
from jixiao.conftest import World
from jixiao.notifications import kinds
from jixiao.notifications.models import Notification
from jixiao.notifications.services import notify
from jixiao.reviews import workflow
from jixiao.reviews.services import TransitionRefused, transition
from jixiao.reviews.tests.helpers import freeze_directly

pytestmark = pytest.mark.django_db


def _notes(user: Any) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("kind", "title")
    )


def test_each_step_tells_the_next_in_line_or_the_unit(
    mailed_world: World, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    w = mailed_world
    e = w.evaluation
    import jixiao.reviews.services as review_services

    monkeypatch.setattr(review_services, "request_freeze", lambda **kwargs: None)

    def step(user: Any, action: str, **kwargs: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            transition(user=user, evaluation_id=e.pk, action=action, **kwargs)

    step(w.head, workflow.SUBMIT)
    assert _notes(w.department_reviewer) == [
        (kinds.EVALUATION_SUBMITTED, "湛江市职业技能鉴定指导中心报送了2025年度绩效自评，待审核")
    ]
    assert _notes(w.other_department_reviewer) == []
    assert _notes(w.head) == []  # the actor is not told what they did
    (submitted_mail,) = mail.outbox
    assert submitted_mail.to == [w.department_reviewer.email]

    step(w.department_reviewer, workflow.DEPARTMENT_RETURN, comment="请补充超额完成原因")
    for person in (w.editor, w.head):
        kind, title = _notes(person)[-1]
        assert kind == kinds.EVALUATION_RETURNED
        assert title == "2025年度绩效自评被退回修改：湛江市职业技能鉴定指导中心"
    assert Notification.objects.get(recipient=w.editor).body == "意见：请补充超额完成原因"
    assert _notes(w.other_editor) == []

    step(w.head, workflow.SUBMIT)
    step(w.department_reviewer, workflow.DEPARTMENT_APPROVE)
    assert [k for k, _t in _notes(w.bureau_reviewer)] == [kinds.EVALUATION_SUBMITTED]
    assert [k for k, _t in _notes(w.bureau_admin)] == [kinds.EVALUATION_SUBMITTED]

    step(w.bureau_reviewer, workflow.BUREAU_APPROVE)
    assert _notes(w.editor)[-1][0] == kinds.EVALUATION_APPROVED
    freeze_directly(e)
    step(w.bureau_admin, workflow.PUBLISH)
    assert _notes(w.editor)[-1][0] == kinds.EVALUATION_PUBLISHED
    assert [k for k, _t in _notes(w.editor)] == [
        kinds.EVALUATION_RETURNED,
        kinds.EVALUATION_APPROVED,
        kinds.EVALUATION_PUBLISHED,
    ]
    # Each step once, each in the inbox with a link to the evaluation.
    assert set(Notification.objects.values_list("url", flat=True)) == {f"/evaluations/{e.pk}/"}


def test_a_refused_step_tells_nobody(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused):
        transition(user=world.editor, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    assert not Notification.objects.exists()


def test_a_new_campaign_tells_every_unit_in_scope(
    mailed_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    w = mailed_world
    from django.utils import timezone

    values = {
        "year": 2026,
        "title": "2026年度市级部门整体支出绩效自评",
        "notice_title": "湛江市财政局关于开展绩效自评工作的通知",
        "notice_number": "湛财绩〔2027〕1号",
        "kind": "department",
        "ruleset_ref": "gd-department@2025.1",
        "deadline": timezone.now() + dt.timedelta(days=30),
    }
    with django_capture_on_commit_callbacks(execute=True):
        _campaign, tasks = create_campaign(user=w.bureau_admin, values=values, units=[w.unit])
    (task,) = tasks
    for person in (w.editor, w.head):
        (note,) = Notification.objects.filter(recipient=person)
        assert note.kind == kinds.CAMPAIGN_OPENED
        assert note.title.startswith("新的自评工作：2026年度市级部门整体支出绩效自评，")
        assert note.body == "湛江市财政局关于开展绩效自评工作的通知（湛财绩〔2027〕1号）"
        assert note.url == f"/evaluations/{task.pk}/"
    assert not Notification.objects.filter(recipient=w.other_editor).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w.editor.email, w.head.email])


def test_notify_api_is_idempotent_per_key_and_checks_the_kind(mailed_world: World) -> None:
    w = mailed_world
    for _run in range(2):
        notify(
            kind=kinds.RECTIFICATION_ASSIGNED,
            recipients=[w.editor, w.head.pk],
            obj=w.evaluation,
            title="整改任务：补充佐证材料",
            url="/evaluations/",
            key="rectification:1:assigned",
        )
    assert Notification.objects.count() == 2
    note = Notification.objects.get(recipient=w.editor)
    assert (note.target_type, note.target_id) == ("evaluations.evaluation", str(w.evaluation.pk))
    with pytest.raises(ValueError):
        notify(kind="no_such_kind", recipients=[w.editor], title="x", key="x")


def test_titles_name_what_the_workflow_carried(mailed_world: World) -> None:
    from jixiao.evaluations.models import Status
    from jixiao.notifications.events import after_transition
    from jixiao.reviews.tests.helpers import move
    from jixiao.testing import factories as f

    w = mailed_world
    declarations = f.CampaignFactory.create(bureau=w.bureau, kind="targets", year=2026)
    declaration = f.EvaluationFactory.create(campaign=declarations, unit=w.unit)
    step = move(declaration, Status.RETURNED, w.department_reviewer, action="department_return")
    after_transition(step.pk)
    note = Notification.objects.get(recipient=w.editor)
    assert note.title == "2026年度绩效目标申报被退回修改：湛江市职业技能鉴定指导中心"


def test_a_withdrawal_and_the_return_for_correction_tell_the_unit(
    mailed_world: World, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    w = mailed_world
    e = w.evaluation
    import jixiao.reviews.services as review_services

    monkeypatch.setattr(review_services, "request_freeze", lambda **kwargs: None)

    def step(user: Any, action: str, **kwargs: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            transition(user=user, evaluation_id=e.pk, action=action, **kwargs)

    step(w.head, workflow.SUBMIT)
    step(w.department_reviewer, workflow.DEPARTMENT_APPROVE)
    step(w.bureau_reviewer, workflow.BUREAU_APPROVE)
    freeze_directly(e)
    step(w.bureau_admin, workflow.PUBLISH)
    step(w.bureau_admin, workflow.WITHDRAW, comment="附件含个人信息")
    step(w.bureau_reviewer, workflow.CORRECTION_RETURN, comment="删去个人信息后重新报送")
    notes = list(
        Notification.objects.filter(recipient=w.editor)
        .order_by("id")
        .values_list("kind", "title", "body")
    )
    assert notes[-2:] == [
        (
            kinds.EVALUATION_PUBLISHED,
            "2025年度绩效自评已撤回公开：湛江市职业技能鉴定指导中心",
            "撤回原因：附件含个人信息",
        ),
        (
            kinds.EVALUATION_RETURNED,
            "2025年度绩效自评撤回公开后退回更正：湛江市职业技能鉴定指导中心",
            "意见：删去个人信息后重新报送",
        ),
    ]
    assert not Notification.objects.filter(
        recipient=w.bureau_admin, kind=kinds.EVALUATION_PUBLISHED
    )
