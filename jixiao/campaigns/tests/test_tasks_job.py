"""下达 and 追加单位 for many units: the tasks are made by a background job with progress
(services.TASKS_IN_REQUEST; a province's 50,000 units took minutes in the request)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.activity.models import Event
from jixiao.campaigns import services
from jixiao.campaigns.jobs import TASKS_KIND
from jixiao.campaigns.models import Campaign
from jixiao.campaigns.tests.test_campaign_pages import campaign_values, login
from jixiao.evaluations.models import Evaluation
from jixiao.jobs.models import Job
from jixiao.organisations.models import Organisation, OrganisationKind
from jixiao.testing.factories import UnitFactory

pytestmark = pytest.mark.django_db


def units_in_scope(world):
    return Organisation.objects.filter(kind=OrganisationKind.UNIT, is_active=True)


def test_a_large_campaign_queues_its_tasks_and_the_job_makes_every_one(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "TASKS_IN_REQUEST", 1)
    login(client, world.user("bureau_admin"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("campaigns:create"), campaign_values())
    campaign = Campaign.objects.get(notice_number="湛财绩〔2027〕1号")
    job = Job.objects.get(kind=TASKS_KIND)
    # The request made the campaign and queued the job; no task yet.
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert not Evaluation.objects.filter(campaign=campaign).exists()
    expected = set(units_in_scope(world).values_list("pk", flat=True))
    assert (job.state, job.total, set(job.params["unit_ids"])) == (
        Job.State.QUEUED,
        len(expected),
        expected,
    )
    for callback in callbacks:
        callback()  # the runner (synchronous in tests) starts it after the commit
    job.refresh_from_db()
    assert (job.state, job.done_count) == (Job.State.DONE, len(expected))
    made = Evaluation.objects.filter(campaign=campaign)
    assert set(made.values_list("unit_id", flat=True)) == expected
    assert all(e.data.get("notice", {}).get("number") == "湛财绩〔2027〕1号" for e in made)
    actions = list(
        Event.objects.filter(target_id=campaign.pk, action__startswith="campaign.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["campaign.create", "campaign.tasks_created"]

    # A retry (the job run again from the start) makes nothing twice.
    from jixiao.jobs.services import run_job

    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)
    run_job(job.pk)
    assert Evaluation.objects.filter(campaign=campaign).count() == len(expected)


def test_add_units_for_many_units_is_a_job_too_and_skips_inactive_units(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "TASKS_IN_REQUEST", 1)
    new = [UnitFactory.create(parent=world.department) for _ in range(3)]
    login(client, world.user("bureau_admin"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("campaigns:add_units", args=[world.campaign.pk]),
            {"units": [u.pk for u in new]},
        )
    job = Job.objects.get(kind=TASKS_KIND)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    Organisation.objects.filter(pk=new[0].pk).update(is_active=False)  # before the job runs
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    made = set(
        Evaluation.objects.filter(campaign=world.campaign, unit__in=new).values_list(
            "unit_id", flat=True
        )
    )
    assert made == {new[1].pk, new[2].pk}


def test_a_small_campaign_still_gets_its_tasks_in_the_request(client, world):
    login(client, world.user("bureau_admin"))
    response = client.post(reverse("campaigns:create"), campaign_values())
    campaign = Campaign.objects.get(notice_number="湛财绩〔2027〕1号")
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert Evaluation.objects.filter(campaign=campaign).exists()
    assert not Job.objects.filter(kind=TASKS_KIND).exists()


def test_the_job_fails_with_a_reason_when_the_requester_left_the_bureau(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "TASKS_IN_REQUEST", 1)
    admin = world.user("bureau_admin")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        campaign, tasks = services.create_campaign(
            user=admin,
            values={
                "year": 2026,
                "title": "t",
                "notice_title": "n",
                "notice_number": "湛财绩〔2027〕9号",
                "kind": "department",
                "ruleset_ref": "gd-department@2025.1",
                "deadline": world.campaign.deadline,
            },
            units=list(units_in_scope(world)),
        )
    assert tasks == []
    type(admin).objects.filter(pk=admin.pk).update(is_active=False)
    for callback in callbacks:
        callback()
    job = Job.objects.get(kind=TASKS_KIND)
    assert job.state == Job.State.FAILED
    assert "停用" in job.error
    assert not Evaluation.objects.filter(campaign=campaign).exists()
