"""Deployment settings: every variable in .env.example, and `check --deploy` clean with them set.

With DEBUG off, jixiao refuses to start (the WSGI application, which runserver loads too) and
`check --deploy` fails while DJANGO_SECRET_KEY is missing, the development key, a placeholder or
too weak, or DJANGO_ALLOWED_HOSTS is unset.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.production_guard import DEV_SECRET_KEY, production_problems

ROOT = Path(__file__).resolve().parents[3]
# Most of these start an interpreter with production variables.
pytestmark = pytest.mark.processes
STRONG_KEY = secrets.token_urlsafe(64)


def _example_env() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Z_][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            values[match.group(1)] = match.group(2)
    return values


def _production_env(**overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JIXIAO_"))}
    env.update(_example_env())
    env["DJANGO_SECRET_KEY"] = STRONG_KEY
    env["DATABASE_URL"] = "sqlite:////tmp/jixiao-check-deploy.sqlite3"
    env.pop("CACHE_URL", None)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_every_setting_read_from_the_environment_is_documented():
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_0-9]+)"', source))
    assert read - set(_example_env()) == set()


def test_check_deploy_passes_with_production_variables():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_wsgi_application_starts_with_production_variables():
    result = _run(["-c", "import config.wsgi"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr


WEAK_KEYS = {
    "missing": None,
    "empty": "",
    "the .env.example placeholder": _example_env()["DJANGO_SECRET_KEY"],
    "the development key": DEV_SECRET_KEY,
    "short": "Kq8#zR2!vN5@",
    "long but monotonous": "ab" * 40,
}


@pytest.mark.parametrize("key", list(WEAK_KEYS.values()), ids=list(WEAK_KEYS))
def test_a_weak_key_refuses_to_start_and_fails_check_deploy(key: str | None):
    env = _production_env(DJANGO_SECRET_KEY=key)
    started = _run(["-c", "import config.wsgi"], env)
    assert started.returncode != 0
    assert "refuses to start with DEBUG off" in started.stderr
    assert "DJANGO_SECRET_KEY" in started.stderr
    checked = _run(["manage.py", "check", "--deploy"], env)
    assert checked.returncode != 0
    assert "jixiao.E001" in checked.stderr + checked.stdout


def test_no_allowed_hosts_refuses_to_start():
    started = _run(["-c", "import config.wsgi"], _production_env(DJANGO_ALLOWED_HOSTS=None))
    assert started.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in started.stderr


def test_debug_on_starts_with_the_development_key():
    env = _production_env(DJANGO_DEBUG="true", DJANGO_SECRET_KEY=None, DJANGO_ALLOWED_HOSTS=None)
    result = _run(["-c", "import config.wsgi"], env)
    assert result.returncode == 0, result.stderr


def test_rules_for_a_production_key():
    assert production_problems(debug=False, secret_key=STRONG_KEY, allowed_hosts=["a.gov.cn"]) == []
    assert production_problems(debug=False, secret_key=STRONG_KEY, allowed_hosts=["*"]) == [
        "DJANGO_ALLOWED_HOSTS must name the site's hosts, not '*'"
    ]
    assert production_problems(debug=True, secret_key="", allowed_hosts=[]) == []


def test_x_forwarded_proto_is_trusted_only_when_configured():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    )
    untrusted = _run(["-c", code], _production_env(JIXIAO_TRUST_X_FORWARDED_PROTO="false"))
    assert untrusted.stdout.strip() == "None", untrusted.stderr
    trusted = _run(["-c", code], _production_env())
    assert trusted.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", trusted.stderr
