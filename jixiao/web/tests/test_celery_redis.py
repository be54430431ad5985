"""Production's background path: a real Celery worker consuming Redis runs a task and returns."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BROKER = os.environ.get("JIXIAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.processes
@pytest.mark.skipif(not _redis_answers(), reason="Redis is not answering on 127.0.0.1:6379")
def test_worker_runs_a_task_through_redis(tmp_path):
    env = dict(os.environ)
    env.update(
        CELERY_BROKER_URL=BROKER,
        CELERY_RESULT_BACKEND=BROKER,
        DATABASE_URL=f"sqlite:///{tmp_path}/worker.sqlite3",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--concurrency=1", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        script = (
            "import django, os; django.setup();"
            "from jixiao.web.tasks import ping;"
            "print(ping.delay().get(timeout=60))"
        )
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=90,
        )  # fmt: skip
        assert result.stdout.strip() == "pong", result.stderr
        assert time.monotonic() - started < 90
    finally:
        worker.terminate()
        worker.wait(timeout=30)
