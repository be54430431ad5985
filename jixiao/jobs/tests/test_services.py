"""The job core: after-commit enqueue, progress, done/failed with reasons, claims, retries, sweeps."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jixiao.activity.models import Event
from jixiao.jobs import services
from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobAbandoned, JobProgress
from jixiao.jobs.tests import handlers
from jixiao.jobs.tests.broker import broker

pytestmark = pytest.mark.django_db


def _job(world, kind: str = "test.items", **params) -> Job:  # type: ignore[no-untyped-def]
    return services.create_job(
        kind=kind, title="测试任务", requested_by=world.bureau_admin, params=params
    )


def test_job_runs_after_commit_and_counts_failures(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _job(world, items=["甲", "bad乙", "丙"])
        assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED  # nothing runs before commit
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert (job.done_count, job.failed_count, job.total) == (2, 1, 3)
    assert job.failures == [{"item": "bad乙", "reason": "bad乙 无法处理"}]
    assert job.organisation_id == world.bureau_admin.organisation_id
    assert job.attempts == 1 and job.started_at and job.finished_at and job.heartbeat_at
    with job.result.open("rb") as result:
        assert result.read().decode() == "甲、bad乙、丙"
    assert job.result_name == "结果.txt"
    actions = list(
        Event.objects.filter(target_type="jobs.job", target_id=str(job.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["job.create", "job.start", "job.done"]


def test_rolled_back_request_runs_no_job(world, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _job(world, items=["甲"])
        raise RuntimeError
    assert callbacks == [] and not Job.objects.exists()


def test_every_item_failed_is_a_failed_job(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _job(world, items=["bad1", "bad2"])
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "全部 2 项均未能完成，原因见下表"
    assert job.failed_count == 2
    assert Event.objects.filter(action="job.fail", target_id=str(job.pk)).count() == 1


def test_refusal_and_crash_end_failed_with_a_reason(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        refused = _job(world, kind="test.refuse")
        crashed = _job(world, kind="test.crash")
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.state, refused.error) == (Job.State.FAILED, "输入不完整，无法开始")
    assert crashed.state == Job.State.FAILED
    assert crashed.error == "任务出错（ZeroDivisionError），未完成，请重试或联系系统管理员"
    assert "internal detail" not in crashed.error


def test_unknown_kind_is_refused_in_the_request(world):
    with pytest.raises(LookupError):
        _job(world, kind="test.nothing")
    assert not Job.objects.exists()


def test_a_job_delivered_twice_runs_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = _job(world, items=["甲"])
    handlers.CALLS.clear()
    assert services.run_job(job.pk) is not None
    assert services.run_job(job.pk) is None  # already claimed and finished
    assert [call[0] for call in handlers.CALLS] == [job.pk]


def test_retry_reruns_the_same_job_and_replaces_its_result(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = _job(world, items=["甲", "bad乙"])
    job.refresh_from_db()
    first_file = str(job.result.name)
    Job.objects.filter(pk=job.pk).update(params={"items": ["甲", "乙"]})  # the cause was fixed
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_job(user=world.bureau_admin, job=job)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.done_count, job.failed_count) == (
        Job.State.DONE,
        2,
        2,
        0,
    )
    assert job.failures == [] and job.error == ""
    assert Job.objects.count() == 1
    assert job.result.name != first_file and not job.result.storage.exists(first_file)
    assert Event.objects.filter(action="job.retry", target_id=str(job.pk)).count() == 1


def test_a_done_job_without_failures_is_not_retried(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _job(world, items=["甲"])
    job.refresh_from_db()
    with pytest.raises(services.RetryRefused):
        services.retry_job(user=world.bureau_admin, job=job)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 1


def _running(world, heartbeat_age: int) -> Job:  # type: ignore[no-untyped-def]
    past = timezone.now() - timedelta(seconds=heartbeat_age)
    return Job.objects.create(
        kind="test.items",
        title="生成中的任务",
        requested_by=world.bureau_admin,
        organisation=world.bureau_admin.organisation,
        state=Job.State.RUNNING,
        total=18,
        done_count=13,
        attempts=1,
        started_at=past,
        heartbeat_at=past,
    )


def test_a_job_whose_worker_died_fails_when_its_page_is_opened(client, world, settings):
    settings.JIXIAO_JOBS_STALE_SECONDS = 120
    dead = _running(world, heartbeat_age=600)
    alive = _running(world, heartbeat_age=5)
    client.force_login(world.bureau_admin)
    page = client.get(reverse("jobs:detail", args=[dead.pk])).content.decode()
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == Job.State.FAILED
    assert dead.error == services.INTERRUPTED == "服务中断，任务未完成，请重新发起"
    assert "服务中断，任务未完成，请重新发起" in page
    assert alive.state == Job.State.RUNNING
    event = Event.objects.get(action="job.fail", target_id=str(dead.pk))
    assert event.details["done"] == 13


def test_sweep_fails_jobs_never_started(world, settings):
    settings.JIXIAO_JOBS_QUEUE_TIMEOUT_SECONDS = 60
    old = Job.objects.create(kind="test.items", title="旧", requested_by=world.bureau_admin)
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    new = Job.objects.create(kind="test.items", title="新", requested_by=world.bureau_admin)
    assert services.sweep_stale_jobs() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.state, old.error) == (Job.State.FAILED, services.NEVER_STARTED)
    assert new.state == Job.State.QUEUED


def test_a_swept_runner_stops_and_does_not_overwrite_the_failure(world):
    job = _running(world, heartbeat_age=600)
    progress = JobProgress(job)
    assert services.sweep_stale_jobs() == 1
    with pytest.raises(JobAbandoned):
        progress.item_done()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.done_count == 13


def test_unreachable_broker_fails_the_job_fast_when_told_not_to_fall_back(
    world, settings, django_capture_on_commit_callbacks
):
    settings.JIXIAO_JOBS_RUNNER = "celery"
    settings.JIXIAO_JOBS_BROKER_FALLBACK = "fail"
    with broker("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            job = _job(world, items=["甲"])
        elapsed = time.monotonic() - started
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "任务队列不可用，请稍后重试"
    assert job.finished_at is not None
    assert elapsed < 10, elapsed  # not kombu's default of retrying for ~20 s


def test_pages_show_only_the_requesters_jobs(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = _job(world, items=["甲", "bad乙"])
    client.force_login(world.bureau_admin)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "bad乙 无法处理" in page and "成功 1，失败 1，共 2" in page
    assert 'hx-trigger="every 2s"' not in page  # finished: no more polling
    listing = client.get(reverse("jobs:list")).content.decode()
    assert "测试任务" in listing
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200
    client.force_login(world.bureau_reviewer)
    for name in ("jobs:detail", "jobs:progress", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    assert "测试任务" not in client.get(reverse("jobs:list")).content.decode()
    # A person moved to another organisation no longer sees what the old one's scope produced.
    world.bureau_admin.organisation = world.department
    world.bureau_admin.save()
    client.force_login(world.bureau_admin)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_progress_card_polls_while_running(client, world):
    job = _running(world, heartbeat_age=0)
    client.force_login(world.bureau_admin)
    card = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in card
    assert 'value="13"' in card and 'max="18"' in card
    assert "<script" not in card
