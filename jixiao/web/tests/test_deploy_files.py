"""docs/deploy.md and deploy/systemd/: every environment variable documented, and the units valid."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
UNITS = ROOT / "deploy" / "systemd"


def test_deploy_guide_names_every_environment_variable():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    variables = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.M))
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert {v for v in variables if f"`{v}`" not in guide} == set()


def test_units_start_the_same_stack_as_make_serve():
    web = (UNITS / "jixiao-web.service").read_text(encoding="utf-8")
    worker = (UNITS / "jixiao-worker.service").read_text(encoding="utf-8")
    beat = (UNITS / "jixiao-beat.service").read_text(encoding="utf-8")
    assert "gunicorn config.wsgi:application" in web
    assert "celery -A config worker" in worker
    assert "celery -A config beat" in beat
    for unit in (web, worker, beat):
        assert "EnvironmentFile=/etc/jixiao/jixiao.env" in unit
        assert "User=jixiao" in unit and "Restart=" in unit
    target = (UNITS / "jixiao.target").read_text(encoding="utf-8")
    assert "jixiao-web.service jixiao-worker.service jixiao-beat.service" in target


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_units_pass_systemd_analyze_verify():
    for unit in sorted(UNITS.iterdir()):
        result = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", str(unit)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        # The only complaint allowed: /opt/jixiao is not installed on this machine.
        complaints = [
            line
            for line in (result.stdout + result.stderr).splitlines()
            if line.strip() and "is not executable" not in line and "/opt/jixiao" not in line
        ]
        assert complaints == [], (unit.name, complaints)


def _gunicorn_settings(monkeypatch, **env: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    import runpy

    for name in ("WEB_CONCURRENCY", "WEB_THREADS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))


def test_gunicorn_runs_threaded_workers_one_per_core_and_recycles_them(monkeypatch):
    import os

    web = (UNITS / "jixiao-web.service").read_text(encoding="utf-8")
    serve = (ROOT / "scripts" / "serve.sh").read_text(encoding="utf-8")
    assert "-c /opt/jixiao/config/gunicorn.conf.py" in web and "--workers" not in web
    assert "-c config/gunicorn.conf.py" in serve and "--workers" not in serve
    conf = _gunicorn_settings(monkeypatch)
    assert conf["worker_class"] == "gthread" and conf["threads"] == 4
    assert conf["workers"] == len(os.sched_getaffinity(0))
    assert (conf["timeout"], conf["max_requests"], conf["max_requests_jitter"]) == (60, 2000, 200)
    conf = _gunicorn_settings(monkeypatch, WEB_CONCURRENCY="3", WEB_THREADS="8")
    assert (conf["workers"], conf["threads"]) == (3, 8)
    with pytest.raises(ValueError, match="WEB_THREADS"):
        _gunicorn_settings(monkeypatch, WEB_THREADS="0")
