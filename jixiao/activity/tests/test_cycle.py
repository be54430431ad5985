"""#8.6: a whole cycle leaves every state change in the 操作日志, with who (as they were), when, on
what, and before/after where it applies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jixiao.activity.models import Event
from jixiao.evaluations.services import attach_evidence, delete_evidence, update_section
from jixiao.evaluations.tests.test_evidence import real_pdf
from jixiao.reviews import workflow
from jixiao.reviews.models import Recheck
from jixiao.reviews.services import draw_sample, extend_deadline, record_recheck, transition
from jixiao.testing.factories import PASSWORD

PDF = real_pdf()  # evidence must parse as a pdf (#9.14)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def snapshot_of(event: Event) -> tuple[str, str, str, str]:
    return (event.actor_username, event.actor_name, event.actor_role, event.actor_organisation_name)


def test_a_whole_cycle_is_in_the_log(world, django_capture_on_commit_callbacks):
    e = world.evaluation
    world.head.display_name = "王主任"
    world.head.save()
    world.department_reviewer.display_name = "张审核"
    world.department_reviewer.save()
    start = Event.objects.count()

    e.refresh_from_db()
    update_section(
        user=world.editor,
        evaluation_id=e.pk,
        expected_version=e.version,
        section="other",
        value="无其他需要说明的情况。",
    )
    item = attach_evidence(
        user=world.editor,
        evaluation_id=e.pk,
        indicator_code="T1",
        upload=SimpleUploadedFile("台账.pdf", PDF),
    )
    delete_evidence(user=world.editor, evidence_id=item.pk)
    attach_evidence(
        user=world.editor,
        evaluation_id=e.pk,
        indicator_code="T1",
        upload=SimpleUploadedFile("证书清单.pdf", PDF),
    )
    extend_deadline(
        user=world.bureau_admin,
        evaluation_id=e.pk,
        until=timezone.now() + dt.timedelta(days=30),
        reason="单位申请",
    )
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer,
        evaluation_id=e.pk,
        action=workflow.DEPARTMENT_RETURN,
        comment="请补充",
        section_comments={"targets": "请补充超额完成原因"},
    )
    e.refresh_from_db()
    update_section(
        user=world.editor,
        evaluation_id=e.pk,
        expected_version=e.version,
        section="other",
        value="已按意见补充。",
    )
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer, evaluation_id=e.pk, action=workflow.DEPARTMENT_APPROVE
    )
    with django_capture_on_commit_callbacks(execute=True):  # the freeze job, after the commit
        transition(user=world.bureau_reviewer, evaluation_id=e.pk, action=workflow.BUREAU_APPROVE)
    transition(user=world.bureau_admin, evaluation_id=e.pk, action=workflow.PUBLISH)
    draw = draw_sample(user=world.bureau_reviewer, campaign=world.campaign, size=1, seed="s1")
    recheck = Recheck.objects.get(draw=draw)
    record_recheck(
        user=world.bureau_reviewer, recheck_id=recheck.pk, score=Decimal("95"), opinion="属实"
    )
    staff = Client()
    assert staff.login(username=world.department_reviewer.username, password=PASSWORD)
    download = staff.get(reverse("reviews:frozen", args=[e.pk, "pdf"]))
    assert download.status_code == 200
    etag = download["ETag"]
    # A revalidation hands over no bytes and is not a download.
    again = staff.get(reverse("reviews:frozen", args=[e.pk, "pdf"]), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    staff.post(reverse("logout"))

    events = list(Event.objects.order_by("pk")[start:])
    assert [ev.action for ev in events] == [
        "evaluation.save",
        "evidence.upload",
        "evidence.delete",
        "evidence.upload",
        "evaluation.extend_deadline",
        "evaluation.submit",
        "evaluation.department_return",
        "evaluation.save",
        "evaluation.submit",
        "evaluation.department_approve",
        "evaluation.bureau_approve",
        "job.create",  # the frozen documents are rendered by a job after the approval commits
        "job.start",
        "job.done",
        "evaluation.publish",
        "sample.draw",
        "recheck.record",
        "document.download_frozen",
        "login.logout",
    ]
    by = {ev.action: ev for ev in events}
    assert [ev.category for ev in events] == [
        "entry",
        "entry",
        "entry",
        "entry",
        "campaign",
        "review",
        "review",
        "entry",
        "review",
        "review",
        "review",
        "job",
        "job",
        "job",
        "publish",
        "recheck",
        "recheck",
        "download",
        "login",
    ]
    # Who, as they were.
    assert snapshot_of(events[1]) == (
        "editor",
        world.editor.display_name,
        "unit_editor",
        world.unit.name,
    )
    assert snapshot_of(by["evaluation.submit"]) == ("head", "王主任", "unit_head", world.unit.name)
    assert snapshot_of(by["evaluation.department_return"]) == (
        "dept",
        "张审核",
        "department_reviewer",
        "湛江市人力资源和社会保障局",
    )
    assert by["evaluation.publish"].actor_role == "bureau_admin"
    assert by["recheck.record"].actor == world.bureau_reviewer
    assert by["login.logout"].actor == world.department_reviewer
    # On what; every event about the evaluation concerns the unit (a draw and a sign-out do not).
    about_unit = [
        ev
        for ev in events
        if ev.category != "job" and ev.action not in ("sample.draw", "login.logout")
    ]
    assert {ev.unit_id for ev in about_unit} == {world.unit.pk}
    assert by["sample.draw"].unit_id is None and by["sample.draw"].target_label == str(
        world.campaign
    )
    assert by["evaluation.submit"].target_type == "evaluations.evaluation"
    assert by["evaluation.submit"].target_id == str(e.pk)
    assert by["evidence.delete"].target_label == "台账.pdf"
    assert by["document.download_frozen"].target_label.endswith("绩效自评报告.pdf")
    assert by["document.download_frozen"].details["format"] == "pdf"
    saves = [ev for ev in events if ev.action == "evaluation.save"]
    assert [ev.actor for ev in saves] == [world.editor, world.editor]
    assert saves[1].details["version"] == saves[0].details["version"] + 1
    # Before and after.
    assert by["evaluation.department_return"].details["changes"] == {
        "status": ["submitted", "returned"]
    }
    assert by["evaluation.department_return"].details["section_comments"] == {
        "targets": "请补充超额完成原因"
    }
    assert by["evaluation.publish"].details["changes"] == {"status": ["approved", "published"]}
    assert list(by["evaluation.extend_deadline"].details["changes"]) == ["deadline"]
    assert by["recheck.record"].details["changes"]["score"] == [None, "95"]
    assert by["sample.draw"].details["seed"] == "s1"
    # The summaries a reader sees.
    assert by["evaluation.department_return"].summary == f"退回修改：{e}"
    assert events[1].summary == f"上传佐证材料：台账.pdf（{e}，指标 T1）"


def test_a_refused_step_records_nothing(world):
    from jixiao.reviews.services import TransitionRefused

    with pytest.raises(TransitionRefused):
        transition(user=world.editor, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    assert not Event.objects.exists()
