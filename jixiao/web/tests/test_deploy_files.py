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
