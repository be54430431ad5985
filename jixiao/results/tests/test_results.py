"""结果应用 (#12.3): the advice table with its defaults, overrides with a reason, the stored rows
refreshed by a job, the page and the xlsx for the budget office."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jixiao.activity.models import Event
from jixiao.evaluations.models import Status
from jixiao.rectification import services as rectification
from jixiao.rectification.sources import resolve_source
from jixiao.results import selectors, services
from jixiao.results.models import AdviceOverride, AdviceRule, ResultEntry
from jixiao.testing.factories import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def approved(world):
    e = world.evaluation
    e.status = Status.APPROVED
    e.save()
    return e


def test_default_rules_are_the_documented_ones(db):
    rules = {r.grade: services.advice_text(r) for r in AdviceRule.objects.all()}
    assert rules == {
        "优": "适当优先保障",
        "良": "据实合理保障",
        "中": "一定比例核减（压减 10%）",
        "差": "可取消或暂停下一年度预算",
    }


def test_refresh_stores_score_rate_and_open_tasks(world):
    e = approved(world)
    source = resolve_source(user=world.bureau_admin, query={"kind": "other"})
    task = rectification.raise_task(
        user=world.bureau_admin,
        source=source,
        unit=world.unit,
        problem="p",
        measures="m",
        deadline=timezone.localdate(),
        year=2025,
    )
    rectification.RectificationTask.objects.filter(pk=task.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    assert services.refresh_year(world.campaign.year) == 1
    entry = ResultEntry.objects.get()
    assert (entry.evaluation, entry.total, entry.grade) == (e, Decimal("98.00"), "优")
    assert entry.execution_rate == Decimal("100")
    assert (entry.targets_met, entry.targets_total) == (3, 3)  # the seed reached all three
    assert (entry.open_tasks, entry.overdue_tasks) == (1, 1)
    # A draft again: dropped at the next refresh.
    e.status = Status.RETURNED
    e.save()
    assert services.refresh_year(world.campaign.year) == 0
    assert not ResultEntry.objects.exists()


def test_override_needs_a_reason_is_logged_and_shown(client, world):
    e = approved(world)
    services.refresh_year(world.campaign.year)
    with pytest.raises(services.ResultsRefused):
        services.override_advice(
            user=world.bureau_admin, evaluation_id=e.pk, advice="维持", reason=""
        )
    assert not AdviceOverride.objects.exists()
    with pytest.raises(Http404):
        services.override_advice(
            user=world.department_reviewer, evaluation_id=e.pk, advice="维持", reason="x"
        )
    services.override_advice(
        user=world.bureau_reviewer, evaluation_id=e.pk, advice="维持", reason="中心明年任务减少"
    )
    [row] = selectors.page(user=world.bureau_admin, filters=selectors.ResultFilters()).rows
    assert (row.advice, row.reason, row.overridden) == ("维持", "中心明年任务减少", True)
    assert Event.objects.filter(action="results.override").count() == 1


def test_rules_change_is_logged_and_applies(world):
    services.set_rules(
        user=world.bureau_admin,
        rules={
            "优": ("优先保障", None),
            "良": ("维持", None),
            "中": ("压减", Decimal("20")),
            "差": ("压减或取消", None),
        },
    )
    assert services.advice_text(AdviceRule.objects.get(grade="中")) == "压减（压减 20%）"
    event = Event.objects.get(action="results.rules_update")
    assert event.details["changes"]
    with pytest.raises(Http404):
        services.set_rules(user=world.bureau_reviewer, rules={})


def test_page_and_xlsx_for_the_bureau_only(client, world, django_assert_max_num_queries):
    approved(world)
    services.refresh_year(world.campaign.year)
    login(client, world.department_reviewer)
    assert client.get(reverse("results:index")).status_code == 404
    assert client.get(reverse("results:export")).status_code == 404
    client.logout()
    login(client, world.bureau_reviewer)
    page = client.get(reverse("results:index") + f"?year={world.campaign.year}")
    assert page.status_code == 200 and "适当优先保障" in page.content.decode()
    response = client.get(reverse("results:export") + f"?year={world.campaign.year}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "年度")
    row = values[header + 1]
    assert row[:7] == [
        world.campaign.year,
        world.department.name,
        world.unit.name,
        world.evaluation.project_name or None,
        98,
        "优",
        100,
    ]
    assert row[11] == "适当优先保障"


def test_keyset_paging(world, monkeypatch):
    from jixiao.testing import factories as f

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for _ in range(4):
        e = f.EvaluationFactory.create(campaign=world.campaign, status=Status.APPROVED)
        e.total, e.grade = Decimal("80"), "良"
        e.save()
    services.refresh_year(world.campaign.year)
    seen, after = [], ""
    while True:
        page = selectors.page(
            user=world.bureau_admin, filters=selectors.ResultFilters(), after=after
        )
        seen += [r.entry.pk for r in page.rows]
        if not page.next_after:
            break
        after = page.next_after
    assert sorted(seen) == sorted(ResultEntry.objects.values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 4


def test_public_results_table_with_advice_only_when_published(client, world):
    from jixiao.reviews.tests.helpers import publish_directly

    publication = publish_directly(world.evaluation, world.bureau_admin)
    url = reverse("results:public")
    page = client.get(url)
    assert page.status_code == 200
    [row] = page.context["table"].rows
    assert (row.publication_id, row.unit_name, row.grade) == (publication.pk, world.unit.name, "优")
    assert "适当优先保障" not in page.content.decode()
    with pytest.raises(Http404):
        services.set_advice_publication(
            user=world.bureau_reviewer, year=world.campaign.year, publish=True
        )
    services.set_advice_publication(user=world.bureau_admin, year=world.campaign.year, publish=True)
    page = client.get(url + f"?year={world.campaign.year}")
    assert page.context["table"].rows[0].advice == "适当优先保障"
    assert "适当优先保障" in page.content.decode()
    assert Event.objects.filter(action="results.publish_advice").count() == 1
    # A withdrawn report leaves the table.
    from jixiao.reviews.services import withdraw_publication

    withdraw_publication(user=world.bureau_admin, evaluation_id=world.evaluation.pk, reason="更正")
    assert client.get(url).context["table"].rows == []


def test_refresh_counts_the_units_monitoring_warnings_and_skips_other_kinds(world):
    from jixiao.monitoring import services as monitoring
    from jixiao.monitoring.testing import filled, open_test_round

    approved(world)
    _round, reports = open_test_round(
        bureau_user=world.bureau_admin, units=[world.unit], year=world.campaign.year
    )
    report = next(r for r in reports if r.project_id is None)
    report.data = monitoring.validate(
        monitoring.with_server_owned(report.data, filled(report))
    ).model_dump(mode="json")
    report.save()
    parsed = monitoring.validate(report.data)
    monitoring.rewrite_warnings(report, parsed, monitoring.result_of(report, parsed))
    # The monitoring reports, approved, are not self-evaluations: no row of their own.
    for r in reports:
        r.status = Status.APPROVED
        r.save()
    assert services.refresh_year(world.campaign.year) == 1
    entry = ResultEntry.objects.get()
    assert entry.evaluation == world.evaluation
    assert entry.warnings >= 1 and entry.red_warnings >= 1


def test_year_over_year_for_a_unit_and_a_department(client, world, django_assert_max_num_queries):
    from jixiao.testing import factories as f

    approved(world)
    services.refresh_year(world.campaign.year)
    earlier = f.CampaignFactory.create(bureau=world.bureau, year=world.campaign.year - 1)
    old = f.EvaluationFactory.create(campaign=earlier, unit=world.unit, status=Status.PUBLISHED)
    old.total, old.grade = Decimal("85.00"), "良"
    # That year one of the three targets (T2: 4400) was missed, and explained.
    t2 = next(t for t in old.data["targets"] if t["code"] == "T2")
    t2["actual"], t2["explanation"] = "4000", "培训场地改造，延期开班"
    old.save()
    services.refresh_year(earlier.year)
    assert ResultEntry.objects.get(evaluation=old).targets_met == 2
    with django_assert_max_num_queries(2):
        found = selectors.trend(user=world.bureau_admin, unit=world.unit.pk)
    assert found is not None
    assert found.years == [earlier.year, world.campaign.year]
    assert found.average == ["85.00", "98.00"]
    assert found.grades["良"] == [1, 0] and found.grades["优"] == [0, 1]
    assert (found.targets_met, found.targets_total) == ([2, 3], [3, 3])
    assert found.targets_rate == ["66.67", "100.00"]
    assert selectors.trend(user=world.department_reviewer, unit=world.unit.pk) is None
    login(client, world.bureau_reviewer)
    page = client.get(reverse("results:trends") + f"?department={world.department.pk}")
    assert page.status_code == 200
    assert page.context["chart"]["years"] == [earlier.year, world.campaign.year]
    assert page.context["chart"]["targets"] == ["66.67", "100.00"]
    html = page.content.decode()
    assert 'id="trend-chart-data"' in html
    assert "2 / 3（66.67%）" in html and "3 / 3（100.00%）" in html


def test_the_row_follows_each_review_step_without_a_refresh(
    world, django_capture_on_commit_callbacks
):
    """Approved → stored at once; returned → dropped: nobody has to press 刷新."""
    from jixiao.reviews import workflow
    from jixiao.reviews.services import transition

    e = world.evaluation
    with django_capture_on_commit_callbacks(execute=True):
        transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
        transition(
            user=world.department_reviewer, evaluation_id=e.pk, action=workflow.DEPARTMENT_APPROVE
        )
    assert not ResultEntry.objects.filter(evaluation=e).exists()
    with django_capture_on_commit_callbacks(execute=True):
        transition(user=world.bureau_reviewer, evaluation_id=e.pk, action=workflow.BUREAU_APPROVE)
    entry = ResultEntry.objects.get(evaluation=e)
    e.refresh_from_db()
    assert (entry.total, entry.grade, entry.year) == (e.total, e.grade, e.campaign.year)
    # A failing refresh never undoes the step: it is logged.
    services.refresh_evaluation(e.pk)
    assert ResultEntry.objects.filter(evaluation=e).count() == 1


def test_a_row_is_dropped_when_its_evaluation_is_no_longer_approved(world):
    e = approved(world)
    services.refresh_evaluation(e.pk)
    assert ResultEntry.objects.filter(evaluation=e).exists()
    type(e).objects.filter(pk=e.pk).update(status=Status.RETURNED)
    services.refresh_evaluation(e.pk)
    assert not ResultEntry.objects.filter(evaluation=e).exists()


def test_the_hook_logs_instead_of_raising(world, monkeypatch, caplog):
    def broken(evaluation_id):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "refresh_evaluation", broken)
    services.after_review_step(world.evaluation.pk)
    assert "result row not refreshed" in caplog.text


def test_the_migration_fills_targets_met_of_rows_written_before(world):
    """0006 scores each older row's evaluation once; rows already filled are left alone."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module(
        "jixiao.results.migrations.0006_backfill_targets_met"
    ).backfill
    approved(world)
    services.refresh_year(world.campaign.year)
    ResultEntry.objects.update(targets_met=None, targets_total=None)
    backfill(apps, None)
    assert ResultEntry.objects.values_list("targets_met", "targets_total").get() == (3, 3)


def test_publishing_the_advice_is_logged_in_chinese_with_its_template(world):
    """An English-UI admin's step is recorded as the 操作日志 records every step: the Chinese
    sentence, with the template the log page shows in English."""
    from django.utils import translation

    from jixiao.activity.texts import summary_in_language

    with translation.override("en"):
        services.set_advice_publication(user=world.bureau_admin, year=2025, publish=True)
    event = Event.objects.get(action="results.publish_advice")
    assert event.summary == "公开 2025 年度预算安排建议"
    assert event.summary_text["template"] == "公开 {year} 年度预算安排建议"
    with translation.override("en"):
        assert summary_in_language(event.summary, event.summary_text).startswith("Publish")


def test_a_large_export_is_a_job_whose_file_has_every_row(client, world, monkeypatch):
    """Province scale (issue 14): a year has tens of thousands of rows; over INLINE_LIMIT the
    xlsx is written by a background job, and the request only starts it."""
    from jixiao.jobs.models import Job
    from jixiao.jobs.services import run_job
    from jixiao.results import export

    for evaluation in (world.evaluation, world.other_evaluation, world.foreign_evaluation):
        evaluation.status = Status.APPROVED
        evaluation.save()
    services.refresh_year(world.campaign.year)
    monkeypatch.setattr(export, "INLINE_LIMIT", 2)
    login(client, world.bureau_reviewer)
    small = client.get(reverse("results:export") + f"?department={world.other_department.pk}")
    assert small.status_code == 200 and not Job.objects.exists()  # one row: in the request
    response = client.get(reverse("results:export") + f"?year={world.campaign.year}")
    job = Job.objects.get(kind=export.EXPORT_KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.params == {
        "year": world.campaign.year,
        "department": None,
        "grade": "",
        "with_tasks": False,
    }
    run_job(job.pk, heartbeat=False)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.result_name == "结果应用表.xlsx"
    sheet = load_workbook(job.result.open("rb")).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "年度")
    assert sorted(r[2] for r in values[header + 1 :]) == sorted(
        [world.unit.name, world.other_unit.name, world.foreign_unit.name]
    )


def test_the_refresh_job_says_how_many_rows_and_drops_rows_no_longer_approved(world):
    from jixiao.jobs.models import Job
    from jixiao.jobs.services import run_job

    for evaluation in (world.evaluation, world.other_evaluation, world.foreign_evaluation):
        evaluation.status = Status.APPROVED
        evaluation.save()
    services.refresh_year(world.campaign.year)
    world.foreign_evaluation.status = Status.RETURNED
    world.foreign_evaluation.save()
    job = services.request_refresh(user=world.bureau_reviewer, year=world.campaign.year)
    run_job(job.pk, heartbeat=False)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert (job.total, job.done_count) == (2, 2)
    assert set(ResultEntry.objects.values_list("evaluation_id", flat=True)) == {
        world.evaluation.pk,
        world.other_evaluation.pk,
    }


def test_the_table_reads_no_evaluation_document_and_its_queries_do_not_grow(client, world):
    """Province scale (issue 14): a page of 50 rows reads the stored columns and the page's
    overrides — not each evaluation's content (9.6 KB each) through a join — in the same
    queries for 1 row or 3."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    approved(world)
    services.refresh_year(world.campaign.year)
    login(client, world.bureau_reviewer)
    url = reverse("results:index") + f"?year={world.campaign.year}"
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    assert not any('"evaluations_evaluation"."data"' in q["sql"] for q in one)
    for evaluation in (world.other_evaluation, world.foreign_evaluation):
        evaluation.status = Status.APPROVED
        evaluation.save()
    services.refresh_year(world.campaign.year)
    services.override_advice(
        user=world.bureau_reviewer,
        evaluation_id=world.other_evaluation.pk,
        advice="维持",
        reason="重点民生项目",
    )
    with CaptureQueriesContext(connection) as three:
        page = client.get(url)
    assert len(three) == len(one)
    assert page.content.decode().count("重点民生项目") == 1
