"""监控预警: a warning raised on a report tells the unit's people who must answer it, once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation
from jixiao.monitoring import services
from jixiao.monitoring.models import MonitoringWarning
from jixiao.monitoring.testing import filled, open_test_round
from jixiao.notifications import kinds
from jixiao.notifications.kinds import Channel
from jixiao.notifications.models import Delivery, DigestChoice, Notification, Preference
from jixiao.organisations.models import Role
from jixiao.testing import factories as f
from scoring.monitoring import Thresholds

pytestmark = pytest.mark.django_db

# Executed 60 of 100 at 31 July (ahead of 序时进度 58.08%): only target M1 (750 of 1000) is red.
ONE_RED = {"budget": [{"source": "财政拨款", "adjusted": "100", "executed": "60"}]}


def _report(world: World) -> Evaluation:
    _campaign, tasks = open_test_round(
        bureau_user=world.bureau_admin, units=[world.unit, world.other_unit], with_project=False
    )
    return next(t for t in tasks if t.unit == world.unit)


def _save(world: World, report: Evaluation, capture: Any, user: Any = None, **data: Any) -> None:
    report.refresh_from_db()
    with capture(execute=True):
        services.save_report(
            user=user or world.editor,
            evaluation_id=report.pk,
            expected_version=report.version,
            data=filled(report, **{**ONE_RED, **data}),
        )


def _notes(user: Any) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=user, kind=kinds.MONITORING_WARNING).order_by("id")
    )


def test_a_raised_warning_tells_the_unit_once(
    mailed_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    w = mailed_world
    report = _report(w)
    filler = f.UserFactory.create(
        username="filler2", role=Role.UNIT_EDITOR, organisation=w.unit, email="filler2@test.invalid"
    )
    _save(w, report, django_capture_on_commit_callbacks)
    (warning,) = MonitoringWarning.objects.filter(evaluation=report)
    assert (warning.target_code, warning.level) == ("M1", 2)
    for person in (w.head, filler):
        (note,) = _notes(person)
        assert (
            note.title
            == "红色预警：湛江市职业技能鉴定指导中心（目标预计未达成），请填写偏差原因和纠偏措施"
        )
        assert note.body == "培训人次：全年预计完成目标的 75%"
        assert note.url == f"/monitoring/warnings/{warning.pk}/"
        assert (note.target_type, note.target_id) == (
            "monitoring.monitoringwarning",
            str(warning.pk),
        )
    assert sorted(m.to[0] for m in mail.outbox) == [filler.email, w.head.email]
    head_mail = next(m for m in mail.outbox if m.to == [w.head.email])
    assert head_mail.subject.startswith("【绩效】红色预警：")
    assert f"/monitoring/warnings/{warning.pk}/" in head_mail.body
    # the one who saved saw it on the page; another unit and the reviewers hear nothing
    for person in (w.editor, w.other_editor, w.department_reviewer, w.bureau_admin):
        assert _notes(person) == []
    # the link opens the warning's row for the unit's people
    client = Client()
    client.force_login(w.head)
    assert client.get(note.url).status_code == 302

    # A re-save that keeps the warning (here: its 偏差原因 entered) tells nobody again.
    targets = report.__class__.objects.get(pk=report.pk).data["targets"]
    targets[0]["cause"] = "培训场地改造，下半年集中开班"
    _save(w, report, django_capture_on_commit_callbacks, targets=targets)
    assert MonitoringWarning.objects.get(evaluation=report).pk == warning.pk
    assert len(_notes(w.head)) == 1 and len(mail.outbox) == 2

    # A new warning (the budget now behind) is a new notice, once.
    behind = {"budget": [{"source": "财政拨款", "adjusted": "100", "executed": "30"}]}
    _save(w, report, django_capture_on_commit_callbacks, targets=targets, **behind)
    assert MonitoringWarning.objects.filter(evaluation=report).count() == 2
    titles = [n.title for n in _notes(w.head)]
    assert (
        titles[1]
        == "红色预警：湛江市职业技能鉴定指导中心（预算执行滞后），请填写偏差原因和纠偏措施"
    )
    assert len(titles) == 2 and len(_notes(filler)) == 2 and len(mail.outbox) == 4


def test_each_persons_choice_and_a_round_change(
    mailed_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    w = mailed_world
    report = _report(w)
    filler = f.UserFactory.create(
        username="filler2", role=Role.UNIT_EDITOR, organisation=w.unit, email="filler2@test.invalid"
    )
    Preference.objects.create(user=w.head, kind=kinds.MONITORING_WARNING, channel=Channel.NONE)
    Preference.objects.create(user=filler, kind=kinds.MONITORING_WARNING, channel=Channel.APP)
    # 50 of 100 executed: 8.08 points behind 序时进度, under the yellow bar (10); M1 is red.
    half = {"budget": [{"source": "财政拨款", "adjusted": "100", "executed": "50"}]}
    _save(w, report, django_capture_on_commit_callbacks, **half)
    assert _notes(w.head) == []  # chose 不通知
    (note,) = _notes(filler)  # in the inbox only, as chosen
    assert note.title.startswith("红色预警：")
    assert mail.outbox == [] and not Delivery.objects.exists()

    # The bureau lowers the yellow bar to 5 points: the budget warning is raised on the bureau's
    # step, so the editor who saved hears of it too, in the daily digest as chosen.
    DigestChoice.objects.create(user=w.editor, daily_digest=True)
    round_ = report.campaign.monitoring_round
    with django_capture_on_commit_callbacks(execute=True):
        services.update_round(
            user=w.bureau_admin,
            campaign=report.campaign,
            as_of=round_.as_of,
            thresholds=Thresholds(
                execution_yellow=Decimal(5),
                execution_red=round_.execution_red,
                target_yellow=round_.target_yellow,
                target_red=round_.target_red,
            ),
        )
    new = MonitoringWarning.objects.get(evaluation=report, reason="execution_behind")
    assert new.level == 1
    (editor_note,) = _notes(w.editor)
    assert editor_note.target_id == str(new.pk)
    assert editor_note.title.startswith("黄色预警：")
    assert len(_notes(filler)) == 2 and _notes(w.head) == []
    (held,) = Delivery.objects.filter(kind=kinds.MONITORING_WARNING)
    assert (held.recipient_id, held.for_digest, held.state) == (w.editor.pk, True, "pending")
    assert mail.outbox == []
    assert _notes(w.other_editor) == [] and _notes(w.bureau_admin) == []
