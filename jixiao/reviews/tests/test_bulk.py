"""#8.9: bulk approve and bulk return from the 审核待办, previewed first, each row through the one
transition service; exports of the queue and the evaluation list in text cells."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from jixiao.activity.models import Event
from jixiao.evaluations.models import Evaluation, Status
from jixiao.reviews.models import Transition
from jixiao.reviews.services import bulk_apply, bulk_preview
from jixiao.reviews.tests.helpers import move


def submitted(world):  # type: ignore[no-untyped-def]
    move(world.evaluation, Status.SUBMITTED, world.head, "submit")
    move(world.other_evaluation, Status.SUBMITTED, world.head, "submit")
    return world


def test_preview_says_what_will_happen_and_what_is_refused_changing_nothing(world):
    submitted(world)
    before = Transition.objects.count()
    rows = bulk_preview(
        user=world.department_reviewer,
        evaluation_ids=[
            world.evaluation.pk,
            world.other_evaluation.pk,
            world.foreign_evaluation.pk,  # another department's: not theirs
        ],
        kind="approve",
        comment="",
    )
    assert [(r.evaluation_id, r.action, r.from_status, r.to_status, r.ok) for r in rows] == [
        (world.evaluation.pk, "department_approve", "submitted", "department_approved", True),
        (world.other_evaluation.pk, "department_approve", "submitted", "department_approved", True),
        (world.foreign_evaluation.pk, "", "", "", False),
    ]
    assert rows[2].problems == ("不存在或无权办理",)
    assert Transition.objects.count() == before
    assert Evaluation.objects.get(pk=world.evaluation.pk).status == Status.SUBMITTED


def test_a_bulk_return_needs_the_comment_like_a_single_one(world):
    submitted(world)
    rows = bulk_preview(
        user=world.department_reviewer,
        evaluation_ids=[world.evaluation.pk],
        kind="return",
        comment="  ",
    )
    assert rows[0].problems == ("退回时须填写意见（总体意见或分部分意见）",)


def test_bulk_apply_takes_each_row_through_the_transition_service(world):
    submitted(world)
    move(world.other_evaluation, Status.RETURNED, world.department_reviewer, "department_return")
    rows = bulk_apply(
        user=world.department_reviewer,
        evaluation_ids=[world.evaluation.pk, world.other_evaluation.pk],
        kind="return",
        comment="请补充佐证材料",
    )
    assert [r.ok for r in rows] == [True, False]
    assert "当前状态“已退回”下您不能批量退回" in rows[1].problems[0]
    step = Transition.objects.filter(evaluation=world.evaluation).latest("pk")
    assert (step.action, step.actor, step.comment) == (
        "department_return",
        world.department_reviewer,
        "请补充佐证材料",
    )
    event = Event.objects.get(action="evaluation.department_return")
    assert event.target_id == str(world.evaluation.pk)
    assert event.details["comment"] == "请补充佐证材料"
    assert Evaluation.objects.get(pk=world.other_evaluation.pk).status == Status.RETURNED


def test_the_queue_offers_bulk_steps_and_previews_then_applies(client, world):
    submitted(world)
    client.force_login(world.department_reviewer)
    queue = client.get(reverse("reviews:queue"), {"group": "submitted"}).content.decode()
    assert 'name="ids"' in queue and "预览批量审核通过" in queue
    preview = client.post(
        reverse("reviews:bulk_preview"),
        {
            "ids": [world.evaluation.pk, world.foreign_evaluation.pk],
            "kind": "approve",
            "back": reverse("reviews:queue") + "?group=submitted",
        },
    )
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "将办理 1 份" in html and "不能办理 1 份" in html and "不存在或无权办理" in html
    assert "已报送（待主管部门审核） → 主管部门已审核（待财政复核）" in html
    assert Evaluation.objects.get(pk=world.evaluation.pk).status == Status.SUBMITTED
    done = client.post(
        reverse("reviews:bulk_apply"),
        {"ids": [world.evaluation.pk], "kind": "approve", "back": "https://evil.example/"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("reviews:queue")
    assert Evaluation.objects.get(pk=world.evaluation.pk).status == Status.DEPARTMENT_APPROVED


def test_a_unit_cannot_bulk_approve(client, world):
    submitted(world)
    client.force_login(world.head)
    response = client.post(
        reverse("reviews:bulk_apply"), {"ids": [world.evaluation.pk], "kind": "approve"}
    )
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=world.evaluation.pk).status == Status.SUBMITTED


def test_queue_and_list_exports_are_text_cells(client, world):
    submitted(world)
    type(world.unit).objects.filter(pk=world.unit.pk).update(name='=HYPERLINK("http://x/","y")')
    client.force_login(world.department_reviewer)
    for url, params in (
        (reverse("reviews:queue_export"), {"group": "submitted"}),
        (reverse("evaluations:list_export"), {"status": "submitted"}),
    ):
        response = client.get(url, params)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
        assert any(c.value == '=HYPERLINK("http://x/","y")' for c in cells)
        assert all(c.data_type != "f" for c in cells)
        names = [row[0].value for row in sheet.iter_rows(min_row=4)]
        assert len(names) == 2  # both submitted evaluations of the department, nothing else


def test_large_exports_are_jobs_that_stop_at_their_limit_and_say_so(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    # Past INLINE_ROWS the workbook is a background job (a row costs about a millisecond), and
    # past EXPORT_LIMIT the job's sheet keeps the first rows and tells the reader.
    from jixiao.jobs.models import Job

    submitted(world)
    monkeypatch.setattr("jixiao.evaluations.views.INLINE_ROWS", 1)
    monkeypatch.setattr("jixiao.reviews.views.INLINE_ROWS", 1)
    monkeypatch.setattr("jixiao.evaluations.list_export.EXPORT_LIMIT", 1)
    monkeypatch.setattr("jixiao.evaluations.jobs.EXPORT_LIMIT", 1)
    client.force_login(world.department_reviewer)
    for url, params, kind in (
        (reverse("reviews:queue_export"), {"group": "submitted"}, "reviews.queue_xlsx"),
        (reverse("evaluations:list_export"), {"status": "submitted"}, "evaluations.list_xlsx"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url, params)
        job = Job.objects.get(kind=kind)
        assert response.status_code == 302
        assert response["Location"] == reverse("jobs:detail", args=[job.pk])
        job.refresh_from_db()
        assert (job.state, job.requested_by, job.done_count) == (
            "done",
            world.department_reviewer,
            1,
        )
        with job.result.open("rb") as stored:
            sheet = load_workbook(io.BytesIO(stored.read())).active
        assert sheet["A3"].value == "只导出了前 1 行，请缩小筛选范围后分次导出。"
        assert sheet["A4"].value == "预算单位"  # the header follows the note
        assert len(list(sheet.iter_rows(min_row=5))) == 1  # of the two submitted, one row


def test_an_export_job_of_someone_who_moved_fails_saying_why(
    client, world, django_capture_on_commit_callbacks
):
    from jixiao.evaluations.jobs import request_list_export
    from jixiao.jobs.models import Job

    submitted(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = request_list_export(user=world.department_reviewer, year="", status="", q="")
    type(world.department_reviewer).objects.filter(pk=world.department_reviewer.pk).update(
        organisation=world.other_department
    )
    for callback in callbacks:
        callback()
    job = Job.objects.get(pk=job.pk)
    assert (job.state, job.error) == ("failed", "发起人已不在原单位，不能导出")
    assert not job.result
