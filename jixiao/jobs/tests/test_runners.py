"""The runners themselves: a thread with its own connection (the embedded default), its heartbeat,
and the Celery task against a real Redis on loopback when one is there."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.db import transaction

from jixiao.jobs import services
from jixiao.jobs.models import Job
from jixiao.jobs.progress import retry_locked
from jixiao.jobs.tests import handlers

pytestmark = pytest.mark.django_db(transaction=True)


def _get(job_id: int) -> Job:
    # The job's thread writes meanwhile; SQLite's shared in-memory test database then says
    # "table is locked" at once instead of waiting.
    return retry_locked(lambda: Job.objects.get(pk=job_id))


def _wait_until_finished(job_id: int, seconds: float = 30) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = _get(job_id)
        if job.finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {_get(job_id).state}")


def test_thread_runner_returns_at_once_and_runs_in_another_thread(world, settings):
    settings.JIXIAO_JOBS_RUNNER = "thread"
    handlers.CALLS.clear()
    started = time.monotonic()
    job = services.create_job(
        kind="test.slow", title="慢任务", requested_by=world.bureau_admin, params={"seconds": 1.5}
    )
    assert time.monotonic() - started < 1.0  # the caller does not wait for the work
    job = _wait_until_finished(job.pk)
    assert job.state == Job.State.DONE and job.done_count == 1
    assert handlers.CALLS[0][2] != threading.current_thread().name
    assert handlers.CALLS[0][2] == f"jixiao-job-{job.pk}"


def test_heartbeat_beats_during_one_long_step(world, settings):
    settings.JIXIAO_JOBS_RUNNER = "thread"
    settings.JIXIAO_JOBS_HEARTBEAT_SECONDS = 1
    job = services.create_job(
        kind="test.slow", title="慢任务", requested_by=world.bureau_admin, params={"seconds": 3.5}
    )
    time.sleep(0.5)
    first = _get(job.pk).heartbeat_at
    time.sleep(2)
    running = _get(job.pk)
    assert running.state == Job.State.RUNNING
    assert first is not None and running.heartbeat_at is not None
    assert running.heartbeat_at > first  # no item finished in between: the ticker beat
    assert _wait_until_finished(job.pk).state == Job.State.DONE


def test_thread_runner_runs_at_most_the_configured_jobs_at_once(world, settings):
    from jixiao.jobs import threads

    settings.JIXIAO_JOBS_RUNNER = "thread"
    settings.JIXIAO_JOBS_THREADS = 1
    threads._slots = None  # the semaphore is sized on first use
    try:
        with transaction.atomic():  # both rows exist before either thread starts
            jobs = [
                services.create_job(
                    kind="test.slow",
                    title=f"慢{i}",
                    requested_by=world.bureau_admin,
                    params={"seconds": 1},
                )
                for i in range(2)
            ]
        time.sleep(0.5)
        states = sorted(_get(job.pk).state for job in jobs)
        assert states == [Job.State.QUEUED, Job.State.RUNNING]
        for job in jobs:
            assert _wait_until_finished(job.pk).state == Job.State.DONE
    finally:
        threads._slots = None


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_celery_enqueue_publishes_and_the_task_runs_the_job(world, settings):
    """With a broker the request only publishes; the worker's task claims and runs the job."""
    import redis

    from jixiao.jobs.tasks import run_job_task
    from jixiao.jobs.tests.broker import broker

    url = "redis://127.0.0.1:6379/6"  # helper 6's database (PROTOCOL.md)
    redis.Redis.from_url(url).flushdb()
    settings.JIXIAO_JOBS_RUNNER = "celery"
    with broker(url):
        job = services.create_job(
            kind="test.items",
            title="队列任务",
            requested_by=world.bureau_admin,
            params={"items": ["甲"]},
        )
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
    assert redis.Redis.from_url(url).llen("celery") == 1
    run_job_task.run(job.pk)  # what the worker does with the message
    assert Job.objects.get(pk=job.pk).state == Job.State.DONE
    redis.Redis.from_url(url).flushdb()


def test_a_broker_outage_runs_the_job_in_a_thread_and_says_so(client, world, settings):
    """Redis stopped (a closed port): the job is not lost; it runs in the web process's thread
    runner, fast, and its page tells the user why in plain Chinese."""
    from jixiao.jobs.tests.broker import broker

    settings.JIXIAO_JOBS_RUNNER = "celery"
    settings.JIXIAO_JOBS_BROKER_FALLBACK = "thread"
    handlers.CALLS.clear()
    with broker("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        started = time.monotonic()
        job = services.create_job(
            kind="test.items",
            title="队列断开",
            requested_by=world.bureau_admin,
            params={"items": ["甲", "乙"]},
        )
        elapsed = time.monotonic() - started
        job = _wait_until_finished(job.pk)
    assert elapsed < 10, elapsed  # not kombu's default of retrying for ~20 s
    assert (job.state, job.done_count) == (Job.State.DONE, 2)
    assert job.notice == services.QUEUE_FALLBACK
    assert handlers.CALLS[-1][2] == f"jixiao-job-{job.pk}"  # the thread runner's thread
    client.force_login(world.bureau_admin)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "任务队列暂时不可用，本任务改由网站服务直接运行" in page
