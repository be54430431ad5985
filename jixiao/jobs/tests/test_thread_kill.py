"""Fault test of the embedded runner: the web process that runs a job in its thread is killed
(SIGKILL); the job is not left "running" — the sweep ends it failed with the reason the user reads.

A real process against the PostgreSQL test database (skipped on the SQLite run, whose in-memory
database another process cannot see)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from jixiao.documents.tests.test_batch_worker_faults import _database_url
from jixiao.jobs import services
from jixiao.jobs.models import Job

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SCRIPT = """
import sys, time
from django.db import transaction
from jixiao.jobs import services
from jixiao.jobs.tests import handlers  # registers test.slow
from jixiao.organisations.models import User
job = services.create_job(kind="test.slow", title="慢任务", requested_by=User.objects.get(pk={user}),
                          params={{"seconds": 120}})
print(job.pk, flush=True)
time.sleep(300)  # the web process goes on serving; the job runs in its thread
"""


def test_a_killed_web_process_leaves_its_thread_job_failed_not_running(world, settings, client):
    if connection.vendor != "postgresql":
        pytest.skip("a second process needs the PostgreSQL test database")
    settings.JIXIAO_JOBS_STALE_SECONDS = 3
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_DEBUG": "true",
        "JIXIAO_JOBS_RUNNER": "thread",
        "JIXIAO_JOBS_HEARTBEAT_SECONDS": "1",
    }
    web = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", SCRIPT.format(user=world.bureau_admin.pk)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        assert web.stdout is not None
        line = web.stdout.readline()
        while line and not line.strip().isdigit():  # the shell's own banner lines
            line = web.stdout.readline()
        job_id = int(line)
        deadline = time.monotonic() + 60
        while Job.objects.get(pk=job_id).state != Job.State.RUNNING:
            assert time.monotonic() < deadline, "the thread never started the job"
            time.sleep(0.2)
        time.sleep(2)
        beating = Job.objects.get(pk=job_id).heartbeat_at
        assert beating is not None and (time.time() - beating.timestamp()) < 3  # alive, beating
        os.killpg(web.pid, signal.SIGKILL)
        web.wait(timeout=30)
    finally:
        if web.poll() is None:
            os.killpg(web.pid, signal.SIGKILL)
    time.sleep(settings.JIXIAO_JOBS_STALE_SECONDS + 1)
    assert Job.objects.get(pk=job_id).state == Job.State.RUNNING  # nothing said otherwise yet
    client.force_login(world.bureau_admin)
    page = client.get(f"/jobs/{job_id}/").content.decode()  # opening its page sweeps
    job = Job.objects.get(pk=job_id)
    assert (job.state, job.error) == (Job.State.FAILED, services.INTERRUPTED)
    assert "服务中断，任务未完成，请重新发起" in page
