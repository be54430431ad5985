"""Deployment settings: every variable in .env.example, and `check --deploy` clean with them set."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _example_env() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Z_][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            values[match.group(1)] = match.group(2)
    return values


def test_every_setting_read_from_the_environment_is_documented():
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_0-9]+)"', source))
    assert read - set(_example_env()) == set()


def test_check_deploy_passes_with_production_variables():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(_example_env())
    env["DJANGO_SECRET_KEY"] = "x7Qm2-" + "k" * 60  # long and varied enough for the check
    env["DATABASE_URL"] = "sqlite:////tmp/jixiao-check-deploy.sqlite3"
    env.pop("CACHE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
