"""A 监控 round and a 目标申报 campaign for many units: their reports are made by the same
background job as a self-evaluation's tasks (services.TASKS_IN_REQUEST; a province is 50,000 units
and a report per project, 250,000), with the round's and the declaration's settings stored by the
request."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from jixiao.activity.models import Event
from jixiao.campaigns import jobs, services
from jixiao.campaigns.jobs import TASKS_KIND
from jixiao.campaigns.models import Campaign
from jixiao.campaigns.tests.test_campaign_pages import campaign_values, login
from jixiao.evaluations.models import Evaluation
from jixiao.jobs.models import Job
from jixiao.monitoring.models import MonitoringRound
from jixiao.organisations.models import Organisation, OrganisationKind
from jixiao.projects.models import Project
from jixiao.targets.models import TargetCampaignSettings

pytestmark = pytest.mark.django_db

MONITORING = {
    "kind": "monitoring",
    "ruleset_ref": "",
    "monitoring_as_of": "2026-10-31",
    "execution_yellow": "8",
    "execution_red": "15",
    "target_yellow": "",
    "target_red": "",
}
TARGETS = {"kind": "targets", "ruleset_ref": "", "cost_threshold": "120"}


@pytest.fixture
def projects(world):
    """Two active projects of the year for one unit, one inactive and one of another year: a
    report each for the two only."""
    made = [
        Project.objects.create(unit=world.unit, year=2026, code="P001", name="职业技能鉴定"),
        Project.objects.create(unit=world.unit, year=2026, code="P002", name="就业补助"),
    ]
    Project.objects.create(unit=world.unit, year=2026, code="P003", name="停用", is_active=False)
    Project.objects.create(unit=world.unit, year=2025, code="P000", name="去年的项目")
    return made


def expected_tasks(world, projects):
    units = Organisation.objects.filter(kind=OrganisationKind.UNIT, is_active=True)
    return {(u.pk, None) for u in units} | {(p.unit_id, p.pk) for p in projects}


def made_tasks(campaign):
    rows = list(Evaluation.objects.filter(campaign=campaign).values_list("unit_id", "project_id"))
    assert len(rows) == len(set(rows)), "a task made twice"
    return set(rows)


def post_campaign(client, kind_values, callbacks_capture):
    with callbacks_capture(execute=False) as callbacks:
        response = client.post(reverse("campaigns:create"), campaign_values(**kind_values))
    return response, callbacks


@pytest.mark.parametrize("kind_values", [MONITORING, TARGETS], ids=["monitoring", "targets"])
def test_many_units_queue_the_reports_and_the_job_makes_each_once(
    client, world, projects, monkeypatch, django_capture_on_commit_callbacks, kind_values
):
    monkeypatch.setattr(services, "TASKS_IN_REQUEST", 1)
    login(client, world.user("bureau_admin"))
    response, callbacks = post_campaign(client, kind_values, django_capture_on_commit_callbacks)
    campaign = Campaign.objects.get(notice_number="湛财绩〔2027〕1号")
    job = Job.objects.get(kind=TASKS_KIND)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    # The request stored the campaign's own settings and no report.
    assert not Evaluation.objects.filter(campaign=campaign).exists()
    if kind_values is MONITORING:
        round_ = MonitoringRound.objects.get(campaign=campaign)
        assert (round_.as_of.month, round_.execution_red) == (10, Decimal(15))
        assert job.title.endswith("生成监控任务")
    else:
        assert TargetCampaignSettings.objects.get(campaign=campaign).cost_threshold == 120
        assert job.title.endswith("生成目标申报任务")
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert made_tasks(campaign) == expected_tasks(world, projects)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "已完成" in page
    logged = list(
        Event.objects.filter(target_id=campaign.pk, action__startswith="campaign.")
        .order_by("pk")
        .values_list("action", "actor_id")
    )
    admin = world.user("bureau_admin").pk
    assert logged == [("campaign.create", admin), ("campaign.tasks_created", admin)]
    done = Event.objects.get(target_id=campaign.pk, action="campaign.tasks_created")
    count = len(expected_tasks(world, projects))
    assert done.summary.startswith("监控任务" if kind_values is MONITORING else "目标申报任务")
    assert f"新增 {count} 个任务" in done.summary


@pytest.mark.parametrize("kind_values", [MONITORING, TARGETS], ids=["monitoring", "targets"])
def test_a_retry_after_a_crash_mid_way_makes_nothing_twice(
    client, world, projects, monkeypatch, django_capture_on_commit_callbacks, kind_values
):
    monkeypatch.setattr(services, "TASKS_IN_REQUEST", 1)
    monkeypatch.setattr(jobs, "TASKS_BATCH", 1)
    real_make_tasks = services.make_tasks
    calls = []

    def crashing_on_the_second_batch(**kwargs):
        made = real_make_tasks(**kwargs)  # made, then lost with the batch's transaction
        calls.append(len(made))
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        return made

    monkeypatch.setattr(services, "make_tasks", crashing_on_the_second_batch)
    login(client, world.user("bureau_admin"))
    _response, callbacks = post_campaign(client, kind_values, django_capture_on_commit_callbacks)
    campaign = Campaign.objects.get(notice_number="湛财绩〔2027〕1号")
    job = Job.objects.get(kind=TASKS_KIND)
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.state, job.done_count) == (Job.State.FAILED, 1)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "失败原因：" in page and "RuntimeError" in page
    first_batch = made_tasks(campaign)
    assert first_batch and len(first_batch) == calls[0]  # the first batch stayed, the second not

    monkeypatch.setattr(services, "make_tasks", real_make_tasks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jobs:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert made_tasks(campaign) == expected_tasks(world, projects)
    done = Event.objects.get(target_id=campaign.pk, action="campaign.tasks_created")
    assert f"新增 {len(expected_tasks(world, projects)) - len(first_batch)} 个任务" in done.summary


@pytest.mark.parametrize("kind_values", [MONITORING, TARGETS], ids=["monitoring", "targets"])
def test_a_few_units_still_get_their_reports_in_the_request(client, world, projects, kind_values):
    login(client, world.user("bureau_admin"))
    response = client.post(reverse("campaigns:create"), campaign_values(**kind_values))
    campaign = Campaign.objects.get(notice_number="湛财绩〔2027〕1号")
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert made_tasks(campaign) == expected_tasks(world, projects)
    assert not Job.objects.filter(kind=TASKS_KIND).exists()
    # The 操作日志 counts units, not the reports (one per unit and per project).
    units = len({unit for unit, _project in expected_tasks(world, projects)})
    logged = Event.objects.get(target_id=campaign.pk, action="campaign.create")
    assert logged.summary.endswith(f"，{units} 个单位）") and units < len(made_tasks(campaign))
    page = client.get(response["Location"]).content.decode()
    noun = "监控任务" if kind_values is MONITORING else "目标申报任务"
    assert f"{units} 个单位收到了预填好的{noun}" in page


def test_thresholds_out_of_order_refuse_a_large_round_before_any_job(client, world, monkeypatch):
    monkeypatch.setattr(services, "TASKS_IN_REQUEST", 1)
    login(client, world.user("bureau_admin"))
    values = campaign_values(**{**MONITORING, "execution_yellow": "30"})
    response = client.post(reverse("campaigns:create"), values)
    assert response.status_code == 200
    assert not Campaign.objects.filter(notice_number="湛财绩〔2027〕1号").exists()
    assert not Job.objects.exists()


def test_a_large_round_fails_with_a_reason_when_the_requester_left(
    client, world, projects, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "TASKS_IN_REQUEST", 1)
    admin = world.user("bureau_admin")
    login(client, admin)
    _response, callbacks = post_campaign(client, MONITORING, django_capture_on_commit_callbacks)
    type(admin).objects.filter(pk=admin.pk).update(is_active=False)
    for callback in callbacks:
        callback()
    job = Job.objects.get(kind=TASKS_KIND)
    assert job.state == Job.State.FAILED and "停用" in job.error
    assert not Evaluation.objects.filter(campaign__notice_number="湛财绩〔2027〕1号").exists()
