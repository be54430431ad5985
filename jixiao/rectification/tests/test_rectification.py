"""整改 (#12.2): raised from a source the user may see, reported by the unit with evidence,
confirmed or reopened by the bureau or the department; overdue counts per department; last
year's tasks in the next self-evaluation."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from jixiao.activity.models import Event
from jixiao.rectification import selectors, services
from jixiao.rectification.models import (
    RectificationEvidence,
    RectificationTask,
    SourceKind,
    TaskStatus,
)
from jixiao.rectification.sources import resolve_source, safe_local_url
from jixiao.reviews import workflow
from jixiao.reviews.models import Transition
from jixiao.reviews.services import transition
from jixiao.testing import factories as f
from jixiao.testing.factories import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def returned(world) -> Transition:
    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer,
        evaluation_id=e.pk,
        action=workflow.DEPARTMENT_RETURN,
        comment="超额完成未说明原因",
        section_comments={"targets": "请补充偏差原因"},
    )
    return Transition.objects.get(evaluation=e, action=workflow.DEPARTMENT_RETURN)


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("整改照片.png", buffer.getvalue(), content_type="image/png")


def make_task(world, *, deadline=None, unit=None, year=2025, user=None) -> RectificationTask:
    user = user or world.bureau_reviewer
    source = resolve_source(user=user, query={"kind": "other", "label": "手工"})
    return services.raise_task(
        user=user,
        source=source,
        unit=unit or world.unit,
        problem="绩效指标量化不够",
        measures="细化指标",
        deadline=deadline or timezone.localdate() + dt.timedelta(days=30),
        year=year,
    )


def test_a_return_becomes_a_task_the_unit_reports_and_the_bureau_confirms(client, world):
    step = returned(world)
    url = reverse("rectification:create") + f"?kind=review_return&id={step.pk}"
    login(client, world.department_reviewer)
    page = client.get(url)
    assert page.status_code == 200
    assert "超额完成未说明原因" in page.content.decode()  # prefilled from the return
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    done = client.post(
        url,
        {
            "unit": world.other_unit.pk,  # ignored: the source names the unit
            "year": 2025,
            "problem": "超额完成未说明原因",
            "measures": "补充偏差原因分析",
            "deadline": deadline,
        },
    )
    assert done.status_code == 302
    task = RectificationTask.objects.get()
    assert (task.unit, task.department, task.evaluation) == (
        world.unit,
        world.department,
        world.evaluation,
    )
    assert (task.source_kind, task.source_id, task.status) == (
        SourceKind.REVIEW_RETURN,
        str(step.pk),
        TaskStatus.OPEN,
    )
    assert task.source_url == reverse("evaluations:detail", args=[world.evaluation.pk])
    client.logout()

    # The unit attaches evidence and reports.
    login(client, world.editor)
    detail = reverse("rectification:detail", args=[task.pk])
    assert "报送整改情况" in client.get(detail).content.decode()
    assert (
        client.post(
            reverse("rectification:evidence_upload", args=[task.pk]), {"file": png()}
        ).status_code
        == 302
    )
    assert RectificationEvidence.objects.filter(task=task).count() == 1
    client.post(reverse("rectification:report", args=[task.pk]), {"report": "已补充偏差原因"})
    task.refresh_from_db()
    assert task.status == TaskStatus.REPORTED and task.report == "已补充偏差原因"
    # The unit cannot confirm its own task.
    client.post(reverse("rectification:decide", args=[task.pk]), {"decision": "confirm"})
    task.refresh_from_db()
    assert task.status == TaskStatus.REPORTED
    client.logout()

    login(client, world.bureau_admin)
    client.post(
        reverse("rectification:decide", args=[task.pk]), {"decision": "confirm", "comment": "同意"}
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.CONFIRMED and task.decision_comment == "同意"
    assert list(task.steps.values_list("action", flat=True)) == ["raise", "report", "confirm"]
    assert list(
        Event.objects.filter(action__startswith="rectification.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "rectification.raise",
        "rectification.evidence_upload",
        "rectification.report",
        "rectification.confirm",
    ]


def test_reopen_needs_a_comment_and_the_unit_reports_again(world):
    task = make_task(world)
    services.report_task(user=world.head, task_id=task.pk, report="已整改")
    with pytest.raises(services.RectificationRefused):
        services.decide_task(
            user=world.department_reviewer, task_id=task.pk, confirm=False, comment=""
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.REPORTED
    services.decide_task(
        user=world.department_reviewer, task_id=task.pk, confirm=False, comment="佐证不足"
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.REOPENED
    services.report_task(user=world.editor, task_id=task.pk, report="补充了佐证")
    task.refresh_from_db()
    assert task.status == TaskStatus.REPORTED


def test_out_of_scope_is_404_and_changes_nothing(world):
    task = make_task(world)
    with pytest.raises(Http404):
        services.report_task(user=world.other_editor, task_id=task.pk, report="x")
    with pytest.raises(Http404):
        services.decide_task(
            user=world.other_department_reviewer, task_id=task.pk, confirm=True, comment=""
        )
    with pytest.raises(Http404):
        selectors.get_task(user=world.other_department_reviewer, task_id=task.pk)
    # A department cannot raise a task from another department's return.
    step = returned(world)
    with pytest.raises(Http404):
        resolve_source(
            user=world.other_department_reviewer, query={"kind": "review_return", "id": step.pk}
        )
    # A unit never raises tasks.
    with pytest.raises(Http404):
        make_task(world, user=world.head)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and RectificationTask.objects.count() == 1


def test_evidence_is_judged_by_content(world):
    task = make_task(world)
    fake = SimpleUploadedFile("报告.pdf", b"%PDF-1.4 <html>not a pdf</html>")
    with pytest.raises(services.RectificationRefused):
        services.attach_evidence(user=world.editor, task_id=task.pk, upload=fake)
    assert not RectificationEvidence.objects.exists()


def test_overdue_tasks_are_counted_per_department(world, django_assert_max_num_queries):
    past = timezone.localdate() - dt.timedelta(days=1)
    make_task(world, deadline=timezone.localdate())
    overdue = make_task(world, deadline=timezone.localdate())
    RectificationTask.objects.filter(pk=overdue.pk).update(deadline=past)
    foreign = make_task(world, unit=world.foreign_unit)
    RectificationTask.objects.filter(pk=foreign.pk).update(deadline=past)
    reported = make_task(world, unit=world.foreign_unit)
    services.report_task(
        user=f.UserFactory.create(organisation=world.foreign_unit, role="unit_head"),
        task_id=reported.pk,
        report="已整改",
    )
    RectificationTask.objects.filter(pk=reported.pk).update(deadline=past)  # reported: not overdue
    with django_assert_max_num_queries(1):
        counts = selectors.counts_by_department(user=world.bureau_admin)
    assert [(c.department_name, c.total, c.pending, c.reported, c.overdue) for c in counts] == [
        (world.department.name, 2, 2, 0, 1),
        (world.other_department.name, 2, 1, 1, 1),
    ] or [(c.department_name, c.total, c.pending, c.reported, c.overdue) for c in counts] == [
        (world.other_department.name, 2, 1, 1, 1),
        (world.department.name, 2, 2, 0, 1),
    ]
    mine = selectors.counts_by_department(user=world.department_reviewer)
    assert [(c.department_name, c.overdue) for c in mine] == [(world.department.name, 1)]
    page = selectors.task_page(user=world.bureau_admin, filters=selectors.TaskFilters(overdue=True))
    assert sorted(t.pk for t in page.rows) == sorted([overdue.pk, foreign.pk])


def test_keyset_paging_visits_every_task_once(world, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    made = [
        make_task(world, deadline=timezone.localdate() + dt.timedelta(days=i % 2)) for i in range(5)
    ]
    seen, after = [], ""
    while True:
        page = selectors.task_page(
            user=world.bureau_admin, filters=selectors.TaskFilters(), after=after
        )
        seen += [t.pk for t in page.rows]
        if not page.next_after:
            break
        after = page.next_after
    assert sorted(seen) == sorted(t.pk for t in made) and len(seen) == len(set(seen))


def test_next_years_evaluation_shows_last_years_tasks(client, world):
    old = make_task(world, year=world.campaign.year - 1)
    older_open = make_task(world, year=world.campaign.year - 3)
    older_done = make_task(world, year=world.campaign.year - 3)
    services.report_task(user=world.head, task_id=older_done.pk, report="已整改")
    services.decide_task(user=world.bureau_admin, task_id=older_done.pk, confirm=True, comment="")
    make_task(world, year=world.campaign.year)  # this year's: not "last year's"
    shown = selectors.previous_year_tasks(user=world.editor, evaluation=world.evaluation)
    assert [t.pk for t in shown] == [old.pk, older_open.pk]
    login(client, world.editor)
    edit = client.get(reverse("evaluations:edit", args=[world.evaluation.pk, "problems"]))
    assert reverse("rectification:detail", args=[old.pk]) in edit.content.decode()
    client.logout()
    login(client, world.department_reviewer)
    detail = client.get(reverse("evaluations:detail", args=[world.evaluation.pk])).content.decode()
    assert reverse("rectification:detail", args=[old.pk]) in detail
    # The reviewer gets a 下达整改任务 link per 存在问题 of the report.
    assert "kind=report_problem" in detail


def test_report_problem_source_prefills_problem_and_measure(world):
    source = resolve_source(
        user=world.bureau_admin,
        query={"kind": "report_problem", "id": f"{world.evaluation.pk}:0"},
    )
    assert source.problem == str(world.evaluation.data["problems"][0])
    assert source.unit == world.unit and source.evaluation == world.evaluation
    with pytest.raises(Http404):
        resolve_source(
            user=world.bureau_admin,
            query={"kind": "report_problem", "id": f"{world.evaluation.pk}:99"},
        )


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("/monitoring/warnings/5/", "/monitoring/warnings/5/"),
        ("https://evil.example/", ""),
        ("//evil.example/x", ""),
        ("javascript:alert(1)", ""),
        ("/\\evil", ""),
    ],
)
def test_a_source_url_is_a_local_path_or_nothing(url, kept):
    assert safe_local_url(url) == kept


def test_the_unit_is_notified_once_and_sees_its_todo(world, django_capture_on_commit_callbacks):
    from jixiao.notifications.models import Notification
    from jixiao.notifications.todo import todo_for

    with django_capture_on_commit_callbacks(execute=True):
        task = make_task(world)
    notes = Notification.objects.filter(kind="rectification_assigned")
    assert sorted(n.recipient_id for n in notes) == sorted([world.editor.pk, world.head.pk])
    assert all(n.url == reverse("rectification:detail", args=[task.pk]) for n in notes)
    items = {i.key: i.count for i in todo_for(world.editor)}
    assert items.get("rectification.due") == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.report_task(user=world.head, task_id=task.pk, report="已整改")
    assert {i.key: i.count for i in todo_for(world.department_reviewer)}.get(
        "rectification.confirm"
    ) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_task(user=world.bureau_admin, task_id=task.pk, confirm=True, comment="")
    assert Notification.objects.filter(kind="rectification_confirmed").count() == 2


def test_a_monitoring_warning_is_read_on_the_server_in_the_users_scope(client, world):
    from jixiao.monitoring import services as monitoring_services
    from jixiao.monitoring.models import MonitoringWarning
    from jixiao.monitoring.testing import filled, open_test_round

    _campaign, tasks = open_test_round(bureau_user=world.bureau_admin, units=[world.unit])
    report = next(t for t in tasks if t.unit == world.unit and t.project is None)
    monitoring_services.save_report(
        user=world.editor, evaluation_id=report.pk, expected_version=0, data=filled(report)
    )
    warning = MonitoringWarning.objects.filter(evaluation=report, target_code="M1").get()
    # The label and url in the query are ignored: the source is the warning as stored.
    query = {"kind": "monitoring_warning", "id": str(warning.pk), "label": "伪造", "url": "//x"}
    source = resolve_source(user=world.department_reviewer, query=query)
    assert source.unit == world.unit and source.evaluation == report
    assert source.url == reverse("monitoring:warning", args=[warning.pk])
    assert "伪造" not in source.label and warning.target_name in source.label
    assert warning.text in source.problem
    with pytest.raises(Http404):  # another department's reviewer does not see it
        resolve_source(
            user=f.UserFactory.create(
                role="department_reviewer", organisation=world.other_department
            ),
            query=query,
        )
    # The bureau's warning list offers the link, and the form opens prefilled.
    login(client, world.bureau_reviewer)
    listing = client.get(reverse("monitoring:warnings")).content.decode()
    link = reverse("rectification:create") + f"?kind=monitoring_warning&amp;id={warning.pk}"
    assert link in listing
    page = client.get(link.replace("&amp;", "&"))
    assert page.status_code == 200 and warning.text in page.content.decode()


@pytest.mark.slow
def test_the_demo_has_a_confirmed_and_an_open_task_and_result_rows(db):
    from django.core.management import call_command

    from jixiao.results.models import ResultEntry

    call_command("load_demo", stdout=io.StringIO())
    statuses = sorted(RectificationTask.objects.values_list("status", flat=True))
    assert statuses == [TaskStatus.CONFIRMED, TaskStatus.OPEN]
    assert ResultEntry.objects.filter(year=2025).exists()
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    assert RectificationTask.objects.count() == 2
