"""Monitoring reports: tasks per unit and project, saving with warnings, submission, review, files."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.activity.models import Event
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.services import EvaluationConflict, NotEditable
from jixiao.monitoring import documents, services
from jixiao.monitoring.models import MonitoringRound, MonitoringWarning
from jixiao.monitoring.testing import filled, open_test_round
from jixiao.reviews.models import FrozenDocument
from jixiao.reviews.services import TransitionRefused, freeze_documents, transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitoring_round(world):
    return open_test_round(bureau_user=world.bureau_admin, units=[world.unit, world.other_unit])


def _unit_report(world, tasks) -> Evaluation:
    return next(t for t in tasks if t.unit == world.unit and t.project is None)


def test_a_task_per_unit_and_per_project(world, monitoring_round):
    campaign, tasks = monitoring_round
    names = sorted((t.unit.name, t.project_name) for t in tasks)
    assert names == sorted(
        [
            (world.unit.name, ""),
            (world.unit.name, "职业技能提升行动（P001）"),
            (world.other_unit.name, ""),
        ]
    )
    project_task = next(t for t in tasks if t.project is not None)
    assert project_task.data["budget"] == [
        {"source": "财政拨款", "adjusted": "200.00", "executed": "40.00"}
    ]
    assert project_task.ruleset_ref == "" and project_task.total is None
    assert MonitoringRound.objects.get(campaign=campaign).execution_red == Decimal(20)
    # 追加单位 twice creates nothing twice
    assert (
        services.create_tasks(user=world.bureau_admin, campaign=campaign, units=[world.unit]) == []
    )


def test_save_writes_the_warnings_in_the_same_transaction(world, monitoring_round):
    _campaign, tasks = monitoring_round
    report = _unit_report(world, tasks)
    saved = services.save_report(
        user=world.editor, evaluation_id=report.pk, expected_version=0, data=filled(report)
    )
    assert saved.version == 1
    assert [t["code"] for t in saved.data["targets"]] == ["M1", "M2"]
    rows = list(
        MonitoringWarning.objects.filter(evaluation=report).order_by("reason", "target_code")
    )
    assert [(w.reason, w.target_code, w.level, w.has_measures) for w in rows] == [
        ("execution_behind", "", 2, False),
        ("target_shortfall", "M1", 2, False),
    ]
    assert rows[0].department_id == world.unit.parent_id
    assert rows[0].shortfall == Decimal("28.08")  # 58.08 - 30
    assert rows[1].completion == Decimal("75.00")
    first_ids = {w.pk for w in rows}
    # Measures entered: the same warnings keep their ids; fixing the execution removes its row.
    data = filled(report, budget=[{"source": "财政拨款", "adjusted": "100", "executed": "55"}])
    data["targets"] = [dict(t, code=f"M{i}") for i, t in enumerate(data["targets"], start=1)]
    data["targets"][0].update(cause="培训场地改造延期", measures="9月起每月加开两期")
    services.save_report(user=world.editor, evaluation_id=report.pk, expected_version=1, data=data)
    rows = list(MonitoringWarning.objects.filter(evaluation=report))
    assert [(w.reason, w.has_cause, w.has_measures) for w in rows] == [
        ("target_shortfall", True, True)
    ]
    assert rows[0].pk in first_ids
    assert Event.objects.filter(action="monitoring.save").count() == 2


def test_a_stale_version_is_refused_and_changes_nothing(world, monitoring_round):
    _campaign, tasks = monitoring_round
    report = _unit_report(world, tasks)
    services.save_report(
        user=world.editor, evaluation_id=report.pk, expected_version=0, data=filled(report)
    )
    with pytest.raises(EvaluationConflict):
        services.save_report(
            user=world.head, evaluation_id=report.pk, expected_version=0, data=filled(report)
        )
    report.refresh_from_db()
    assert report.version == 1


def test_bad_figures_are_refused_in_chinese(world, monitoring_round):
    _campaign, tasks = monitoring_round
    report = _unit_report(world, tasks)
    bad = filled(report)
    bad["budget"][0]["executed"] = "三十"
    with pytest.raises(services.MonitoringRefused) as refused:
        services.save_report(
            user=world.editor, evaluation_id=report.pk, expected_version=0, data=bad
        )
    assert refused.value.problems[0].startswith("预算执行情况第 1 行 · 执行数：")
    assert not MonitoringWarning.objects.exists()


def test_approved_targets_cannot_be_changed_in_a_report(world, monitoring_round):
    _campaign, tasks = monitoring_round
    report = _unit_report(world, tasks)
    report.data["targets"] = [
        {"code": "T1", "name": "培训人次", "direction": ">=", "value": "1000", "approved": True}
    ]
    report.save()
    data = filled(
        report, targets=[{"code": "T1", "name": "改名", "value": "10", "expected": "900"}]
    )
    saved = services.save_report(
        user=world.editor, evaluation_id=report.pk, expected_version=0, data=data
    )
    assert saved.data["targets"][0]["name"] == "培训人次"
    assert saved.data["targets"][0]["value"] == "1000"
    assert saved.data["targets"][0]["expected"] == "900"
    # the figures are the unit's on every later save (the approved fields stay the approval's)
    data = filled(report, targets=[{"code": "T1", "expected": "950", "cause": "原因"}])
    saved = services.save_report(
        user=world.editor, evaluation_id=report.pk, expected_version=1, data=data
    )
    assert (saved.data["targets"][0]["expected"], saved.data["targets"][0]["cause"]) == (
        "950",
        "原因",
    )
    assert saved.data["targets"][0]["name"] == "培训人次"
    # an approved target cannot be dropped either
    saved = services.save_report(
        user=world.editor,
        evaluation_id=report.pk,
        expected_version=2,
        data=filled(report, targets=[]),
    )
    assert [t["code"] for t in saved.data["targets"]] == ["T1"]


def test_red_needs_measures_before_submission_then_the_review_cycle(world, monitoring_round):
    _campaign, tasks = monitoring_round
    report = _unit_report(world, tasks)
    services.save_report(
        user=world.editor, evaluation_id=report.pk, expected_version=0, data=filled(report)
    )
    with pytest.raises(TransitionRefused) as refused:
        transition(user=world.head, evaluation_id=report.pk, action="submit")
    assert "预算执行红色预警：须填写纠偏措施" in refused.value.problems
    assert "绩效目标“培训人次”红色预警：须填写纠偏措施" in refused.value.problems
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    data = filled(report, budget_cause="招标延后", budget_measures="8月完成支付")
    data["targets"] = [dict(t, code=f"M{i}") for i, t in enumerate(data["targets"], start=1)]
    data["targets"][0].update(cause="场地改造", measures="加开培训班")
    services.save_report(user=world.editor, evaluation_id=report.pk, expected_version=1, data=data)
    transition(user=world.head, evaluation_id=report.pk, action="submit")
    with pytest.raises(NotEditable):
        services.save_report(
            user=world.editor, evaluation_id=report.pk, expected_version=2, data=data
        )
    transition(
        user=world.department_reviewer, evaluation_id=report.pk, action="department_return",
        comment="纠偏措施不具体",
    )  # fmt: skip
    transition(user=world.head, evaluation_id=report.pk, action="submit")
    transition(user=world.department_reviewer, evaluation_id=report.pk, action="department_approve")
    transition(user=world.bureau_reviewer, evaluation_id=report.pk, action="bureau_approve")
    report.refresh_from_db()
    assert report.status == Status.APPROVED and report.total is None
    from jixiao.reviews.selectors import review_panel_context

    panel = review_panel_context(user=world.bureau_admin, evaluation=report)["review_panel"]
    assert [a.action for a in panel["actions"]] == []  # approved: nothing to publish
    files = freeze_documents(report)
    assert sorted(f.format for f in files) == ["data.xlsx", "pdf"]
    assert bytes(FrozenDocument.objects.get(evaluation=report, format="pdf").content).startswith(
        b"%PDF"
    )


def test_the_workbook_round_trips_and_a_bad_one_saves_nothing(world, monitoring_round):
    _campaign, tasks = monitoring_round
    report = _unit_report(world, tasks)
    saved = services.save_report(
        user=world.editor, evaluation_id=report.pk, expected_version=0, data=filled(report)
    )
    content, _name = documents.documents_of(saved)["data.xlsx"][1], None
    data = documents.read_workbook(content)
    assert data["budget"] == [{"source": "财政拨款", "adjusted": "100", "executed": "30"}]
    assert [(t["code"], t["expected"]) for t in data["targets"]] == [("M1", "750"), ("M2", "91")]
    # filled in Excel: measures typed, a number typed with full-width digits
    book = load_workbook(io.BytesIO(content))
    book["绩效目标"]["J4"] = "９５０"
    book["绩效目标"]["O4"] = "加开培训班"
    book["预算执行"]["B4"] = "约一百"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(documents.WorkbookRefused) as refused:
        documents.read_workbook(out.getvalue())
    assert refused.value.problems == ["预算执行!B4：「约一百」不是数字"] or refused.value.problems[
        0
    ].startswith("预算执行!B4：")
    book["预算执行"]["B4"] = 100
    out = io.BytesIO()
    book.save(out)
    data = documents.read_workbook(out.getvalue())
    assert data["targets"][0]["expected"] == "950"
    assert data["targets"][0]["measures"] == "加开培训班"
    with pytest.raises(documents.WorkbookRefused):
        documents.read_workbook(b"not a workbook")


def test_pages(world, monitoring_round):
    _campaign, tasks = monitoring_round
    report = _unit_report(world, tasks)
    client = Client()
    client.force_login(world.editor)
    assert client.get(reverse("evaluations:detail", args=[report.pk]))["Location"] == reverse(
        "monitoring:report", args=[report.pk]
    )
    page = client.get(reverse("monitoring:report", args=[report.pk]))
    assert page.status_code == 200
    post = {"version": "0", "budget-count": "1", "budget-0-source": "财政拨款",
            "budget-0-adjusted": "100", "budget-0-executed": "30", "targets-count": "1",
            "targets-0-name": "培训人次", "targets-0-value": "1000", "targets-0-expected": "750"}  # fmt: skip
    assert client.post(reverse("monitoring:report", args=[report.pk]), post).status_code == 302
    page = client.get(reverse("monitoring:report", args=[report.pk]))
    assert "红色预警" in page.content.decode()
    stale = client.post(reverse("monitoring:report", args=[report.pk]), post)
    assert stale.status_code == 409
    assert client.get(reverse("monitoring:sheet", args=[report.pk, "xlsx"])).status_code == 200
    bureau = Client()
    bureau.force_login(world.bureau_reviewer)
    listing = bureau.get(reverse("monitoring:warnings"))
    assert listing.status_code == 200
    assert listing.context["page"].red == 2
    export = bureau.get(reverse("monitoring:warnings_export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_warning_list_keyset_pages_every_row_once_in_each_order(world, monitoring_round):
    from jixiao.monitoring.selectors import SORTS, WarningFilter, warning_page

    _campaign, tasks = monitoring_round
    for task in tasks:
        services.save_report(
            user=world.editor if task.unit == world.unit else world.other_editor,
            evaluation_id=task.pk,
            expected_version=0,
            data=filled(task),
        )
    total = MonitoringWarning.objects.count()
    assert total == 6
    for sort in SORTS:
        seen, after = [], ""
        while True:
            page = warning_page(
                user=world.bureau_reviewer, filters=WarningFilter(sort=sort), after=after, size=4
            )
            seen += [w.pk for w in page.rows]
            if not page.next_cursor:
                break
            after = page.next_cursor
        assert sorted(seen) == sorted(MonitoringWarning.objects.values_list("pk", flat=True)), sort
    # a department sees its units only; a filter by reason and level narrows
    page = warning_page(
        user=world.other_department_reviewer, filters=WarningFilter(), after="garbage"
    )
    assert page.rows == [] and page.count == 0
    page = warning_page(
        user=world.bureau_reviewer, filters=WarningFilter(level=2, reason="target_shortfall")
    )
    assert page.count == 3 and {w.reason for w in page.rows} == {"target_shortfall"}


def test_the_api(world, monitoring_round):
    import json

    _campaign, tasks = monitoring_round
    report = _unit_report(world, tasks)
    client = Client()
    client.force_login(world.editor)
    url = reverse("api:monitoring_report", args=[report.pk])
    saved = client.put(
        url, json.dumps({"version": 0, "data": filled(report)}), content_type="application/json"
    )
    assert saved.status_code == 200
    body = saved.json()
    assert body["version"] == 1 and body["level"] == "red"
    assert "预算执行红色预警：须填写纠偏措施" in body["submission_problems"]
    stale = client.put(
        url, json.dumps({"version": 0, "data": filled(report)}), content_type="application/json"
    )
    assert stale.status_code == 409
    bad = filled(report)
    bad["budget"][0]["adjusted"] = "1,00"
    refused = client.put(
        url, json.dumps({"version": 1, "data": bad}), content_type="application/json"
    )
    assert refused.status_code == 422
    warnings = client.get(reverse("api:monitoring_warnings"), {"limit": 1}).json()
    assert warnings["count"] == 2 and len(warnings["items"]) == 1 and warnings["next_cursor"]
    assert warnings["items"][0]["ref"].startswith("monitoring.warning:")


def test_a_large_export_runs_as_a_job(world, monitoring_round, monkeypatch):
    from jixiao.jobs.models import Job
    from jixiao.jobs.services import run_job
    from jixiao.monitoring import export

    _campaign, tasks = monitoring_round
    report = _unit_report(world, tasks)
    services.save_report(
        user=world.editor, evaluation_id=report.pk, expected_version=0, data=filled(report)
    )
    monkeypatch.setattr(export, "INLINE_LIMIT", 1)
    client = Client()
    client.force_login(world.bureau_reviewer)
    response = client.get(reverse("monitoring:warnings_export"), {"level": "2"})
    job = Job.objects.get(kind=export.EXPORT_KIND)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    run_job(job.pk, heartbeat=False)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.result_name == "监控预警.xlsx"
    book = load_workbook(job.result.open("rb"))
    assert book.active.max_row == 3 + 2  # title, time, header, then the two red warnings


def test_the_campaign_form_opens_a_round_without_a_rule_set(world):
    import datetime as dt

    from django.utils import timezone

    from jixiao.campaigns.models import Campaign

    client = Client()
    client.force_login(world.bureau_admin)
    deadline = (timezone.localtime() + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "year": "2026", "notice_number": "测〔2026〕8号", "notice_title": "监控通知",
        "title": "2026年1-10月绩效运行监控", "kind": "monitoring", "deadline": deadline,
        "monitoring_as_of": "2026-10-31", "execution_yellow": "8", "execution_red": "15",
        "target_yellow": "", "target_red": "", "scope": "units", "units": [str(world.unit.pk)],
    }  # fmt: skip
    response = client.post(reverse("campaigns:create"), form)
    campaign = Campaign.objects.get(notice_number="测〔2026〕8号")
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert campaign.ruleset_ref == ""
    settings = MonitoringRound.objects.get(campaign=campaign)
    assert (settings.as_of.month, settings.execution_red, settings.target_red) == (
        10,
        Decimal(15),
        Decimal(80),
    )
    assert Evaluation.objects.filter(campaign=campaign).count() == 1
    page = client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert reverse("monitoring:round", args=[campaign.pk]) in page.content.decode()
    # thresholds out of order are refused, and nothing is created
    form.update(notice_number="测〔2026〕9号", execution_yellow="30")
    assert client.post(reverse("campaigns:create"), form).status_code == 200
    assert not Campaign.objects.filter(notice_number="测〔2026〕9号").exists()
    # a self-evaluation still needs its rule-set
    form.update(kind="department", execution_yellow="8")
    page = client.post(reverse("campaigns:create"), form)
    assert "请选择评分规则集" in page.content.decode()


def test_changing_the_rounds_thresholds_recomputes_the_warnings(
    world, monitoring_round, django_capture_on_commit_callbacks
):
    """The settings are saved in the request; the warnings of every report of the round are
    computed again by a background job (a round is the whole city's reports)."""
    from jixiao.jobs.models import Job

    campaign, tasks = monitoring_round
    report = _unit_report(world, tasks)
    services.save_report(
        user=world.editor, evaluation_id=report.pk, expected_version=0, data=filled(report)
    )
    assert MonitoringWarning.objects.filter(evaluation=report, level=2).count() == 2
    client = Client()
    client.force_login(world.bureau_admin)
    url = reverse("monitoring:round", args=[campaign.pk])
    lenient = {"as_of": "2026-07-31", "execution_yellow": "30", "execution_red": "40",
               "target_yellow": "70", "target_red": "60"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False) as started:
        response = client.post(url, lenient)
    job = Job.objects.get(kind=services.RECOMPUTE_KIND)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.params == {"campaign_id": campaign.pk}
    # Nothing recomputed in the request; the job does it once the settings are committed.
    assert MonitoringWarning.objects.filter(evaluation=report, level=2).count() == 2
    for callback in started:
        callback()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and (job.total, job.done_count) == (len(tasks), len(tasks))
    assert not MonitoringWarning.objects.filter(evaluation=report).exists()
    assert Event.objects.filter(action="monitoring.round_update").count() == 1
    refused = client.post(url, {**lenient, "as_of": "2025-07-31"})
    assert "监控数据截止日期须在评价年度内" in refused.content.decode()


def test_a_return_comments_on_the_reports_own_parts(world, monitoring_round):
    from jixiao.reviews.selectors import review_panel_context

    _campaign, tasks = monitoring_round
    report = _unit_report(world, tasks)
    data = filled(report, budget_cause="c", budget_measures="m")
    data["targets"][0].update(cause="c", measures="m")
    data["targets"][1].update(cause="c")
    services.save_report(user=world.editor, evaluation_id=report.pk, expected_version=0, data=data)
    transition(user=world.head, evaluation_id=report.pk, action="submit")
    report.refresh_from_db()
    panel = review_panel_context(user=world.department_reviewer, evaluation=report)["review_panel"]
    returning = next(a for a in panel["actions"] if a.is_return)
    assert [(key, str(label)) for key, label in returning.sections] == [
        ("budget", "预算执行情况"),
        ("targets", "绩效目标实现情况"),
        ("other", "总体情况说明"),
    ]
