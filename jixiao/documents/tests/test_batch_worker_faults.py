"""Fault test with real Celery workers (subprocesses) on Redis and PostgreSQL: a worker killed
mid-batch leaves a job that the sweep ends failed with a reason the user reads (never "running"
forever), and the retry on another worker resumes without redoing the part already stored.

Needs Redis on 127.0.0.1:6379 and the PostgreSQL test database (a worker process cannot see the
SQLite run's in-memory database); skipped otherwise. CI runs it on PostgreSQL with Redis.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.db import connection

from jixiao.documents.batch import request_packages
from jixiao.jobs import services
from jixiao.jobs.models import Job, JobPart

REDIS_DB = 7  # this suite's Redis database (not 0)
BROKER = f"redis://127.0.0.1:6379/{REDIS_DB}"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379"),
    # Decided before any fixture runs: the SQLite run must not flush the Redis database that the
    # PostgreSQL run (alongside, in CI) is using.
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a worker process needs the PostgreSQL test database",
    ),
]


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def start_worker(media: Path, *, render_seconds: float, concurrency: int = 1) -> subprocess.Popen:
    """A real worker process of the test app, in its own process group (to kill it whole)."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "DJANGO_DEBUG": "true",
        "JIXIAO_MEDIA_ROOT": str(media),
        "JIXIAO_JOBS_HEARTBEAT_SECONDS": "1",
        "JIXIAO_JOBS_FANOUT": "0",
        "JIXIAO_BATCH_PART_UNITS": "1",
        "JIXIAO_TEST_RENDER_SECONDS": str(render_seconds),
    }
    celery = Path(sys.executable).with_name("celery")
    log = (media / "worker.log").open("ab")  # read it when this test fails
    return subprocess.Popen(
        [
            str(celery),
            "-A",
            "jixiao.testing.worker_app",
            "worker",
            "-P",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "WARNING",
        ],
        env=env,
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(worker: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=30)


def wait_for(check, seconds: float = 90):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=check.job_id)
        if check(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {check.job_id} stayed {Job.objects.get(pk=check.job_id).state}")


class _When:
    def __init__(self, job_id: int, test) -> None:  # type: ignore[no-untyped-def]
        self.job_id = job_id
        self.test = test

    def __call__(self, job: Job) -> bool:
        return bool(self.test(job))


@pytest.fixture
def redis_db():  # type: ignore[no-untyped-def]
    import redis

    client = redis.Redis.from_url(BROKER)
    client.flushdb()
    yield client
    client.flushdb()


def test_a_worker_killed_mid_batch_ends_the_job_failed_and_the_retry_resumes(
    client, world, settings, tmp_path, redis_db
):
    from jixiao.jobs.tests.broker import broker

    settings.MEDIA_ROOT = tmp_path
    settings.JIXIAO_JOBS_RUNNER = "celery"
    settings.JIXIAO_JOBS_STALE_SECONDS = 4
    settings.JIXIAO_BATCH_PART_UNITS = 1
    ids = [world.evaluation.pk, world.other_evaluation.pk, world.foreign_evaluation.pk]
    worker = start_worker(tmp_path, render_seconds=2.0)
    try:
        with broker(BROKER):
            job = request_packages(
                user=world.bureau_admin, evaluation_ids=ids, title="全市", formats="txt"
            )
            # Kill the worker (SIGKILL: no goodbye) once the first part is stored.
            wait_for(_When(job.pk, lambda j: j.state == "running" and j.done_count >= 1))
            stop(worker)
            time.sleep(settings.JIXIAO_JOBS_STALE_SECONDS + 1)
            assert Job.objects.get(pk=job.pk).state == Job.State.RUNNING  # nobody said otherwise
            # Opening the job's page (or Celery beat's sweep) finds the silent job.
            client.force_login(world.bureau_admin)
            page = client.get(f"/jobs/{job.pk}/").content.decode()
            failed = Job.objects.get(pk=job.pk)
            assert failed.state == Job.State.FAILED
            assert failed.error == services.INTERRUPTED
            assert "服务中断，任务未完成，请重新发起" in page
            parts = list(JobPart.objects.filter(job=job).order_by("index"))
            assert parts[0].state == "done" and parts[0].file
            first_file = parts[0].file.name

            worker = start_worker(tmp_path, render_seconds=0)
            services.retry_job(user=world.bureau_admin, job=failed)
            done = wait_for(_When(job.pk, lambda j: j.finished))
    finally:
        stop(worker)
    assert (done.state, done.done_count, done.failed_count) == (Job.State.DONE, 3, 0)
    parts = list(JobPart.objects.filter(job=job).order_by("index"))
    assert parts[0].runs == 1 and parts[0].file.name == first_file  # stored once, not redone
    assert all(p.state == "done" for p in parts)
    with done.result.open("rb") as result:
        names = zipfile.ZipFile(io.BytesIO(result.read())).namelist()
    assert len(names) == 4  # three department ZIPs and the index
