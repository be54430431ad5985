"""`make serve` (scripts/serve.sh): the production stack — gunicorn, a Celery worker and beat, DEBUG
off, static files collected — starts on a free port against PostgreSQL and Redis on 127.0.0.1,
answers /healthz and /readyz (database, broker, storage) with 200, serves a collected static file,
and stops every child when it is told to stop.

Skipped when PostgreSQL or Redis does not answer on 127.0.0.1 (CI has both).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


pytestmark = [
    pytest.mark.slow,
    pytest.mark.processes,
    pytest.mark.skipif(
        not (_answers(5432) and _answers(6379)), reason="PostgreSQL or Redis not on 127.0.0.1"
    ),
]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_serve_starts_the_stack_answers_health_and_stops_its_children(tmp_path):
    import psycopg

    port = _free_port()
    database = (
        f"jixiao_serve_{os.getpid()}_{port}"  # the SQLite and PostgreSQL runs run side by side
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JIXIAO_"))}
    env.update(
        PORT=str(port),
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        # Not database 7: the worker fault test's tasks must not reach this stack's worker.
        CELERY_BROKER_URL="redis://127.0.0.1:6379/9",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        JIXIAO_MEDIA_ROOT=str(tmp_path / "media"),
        JIXIAO_STATIC_ROOT=str(tmp_path / "static"),
        SERVE_STATE=str(tmp_path / "state"),
        SERVE_NO_BEAT="",
        JIXIAO_STATIC_COMPRESS="false",  # brotli over the API docs' bundles takes minutes here
        WEB_CONCURRENCY="1",
        CELERY_CONCURRENCY="1",
    )
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        ["bash", "scripts/serve.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240  # migrate a fresh database on a busy 2-core machine
        while time.monotonic() < deadline and not _answers(port):
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
            time.sleep(0.5)
        # The port answers when gunicorn listens; its worker may still be importing Django.
        deadline = time.monotonic() + 120
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except (TimeoutError, urllib.error.URLError):
                assert time.monotonic() < deadline, "gunicorn's worker never answered"
                time.sleep(1)
        assert status == 200, body
        status, body = _get(f"http://127.0.0.1:{port}/readyz")
        assert status == 200, body
        checks = json.loads(body)["checks"]
        assert {"database", "broker", "storage"} <= set(checks)
        # DEBUG is off: an unknown page is the plain 404, not Django's debug page.
        status, body = _get(f"http://127.0.0.1:{port}/no-such-page/")
        assert status == 404 and b"URLconf" not in body
        # Static files were collected (hashed names from the manifest) and are served.
        assert (tmp_path / "static" / "staticfiles.json").exists()
        # The Celery worker is ready and beat has opened its schedule.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (
            f"jixiao-{port}@".encode() in (text := (tmp_path / "serve.log").read_bytes())
            and b" ready." in text
            and list((tmp_path / "state").glob("celerybeat-schedule*"))
        ):
            time.sleep(0.5)
        text = (tmp_path / "serve.log").read_bytes()
        assert b" ready." in text, text[-3000:]
        assert list((tmp_path / "state").glob("celerybeat-schedule*")), text[-3000:]
        gunicorn = int((tmp_path / "state" / "gunicorn.pid").read_text())
        assert _alive(gunicorn)
        # SIGTERM to the script alone: its trap stops gunicorn, the worker and beat.
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (_alive(gunicorn) or _answers(port)):
            time.sleep(0.2)
        assert not _alive(gunicorn) and not _answers(port)
    finally:
        with contextlib.suppress(ProcessLookupError):  # anything the trap missed
            os.killpg(serve.pid, signal.SIGKILL)
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
