"""Refuse to serve with development settings: a weak SECRET_KEY or no ALLOWED_HOSTS with DEBUG off.

A weak or known key lets anyone forge signed cookies (sessions, messages, password-reset tokens), so
the serving entry points (config.wsgi, which runserver loads too, and the Celery worker) call
``refuse_unsafe_production_settings`` and stop before answering a single request, and
``manage.py check --deploy`` reports the same problems as errors. Management commands that only
touch the database (migrate, makemigrations) are left alone so a developer or a deploy script can
run them before the key is set.

No Django import at module level: settings.py reads ``DEV_SECRET_KEY`` from here.
"""

from __future__ import annotations

from collections.abc import Sequence

# The key development and the test suite run with when DJANGO_SECRET_KEY is unset. The
# ``django-insecure-`` prefix also makes Django's own security.W009 flag it.
DEV_SECRET_KEY = "django-insecure-jixiao-development-only-never-serve-with-this-key-0000"

MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_DISTINCT_CHARACTERS = 10
# Words that mark a key as a placeholder copied from documentation rather than generated.
PLACEHOLDER_MARKERS = ("change-me", "changeme", "insecure", "secret-key", "example", "placeholder")


def secret_key_problems(secret_key: str) -> list[str]:
    """Why ``secret_key`` is not fit for production (empty when it is)."""
    if not secret_key:
        return ["DJANGO_SECRET_KEY is not set"]
    if secret_key == DEV_SECRET_KEY:
        return ["DJANGO_SECRET_KEY is not set: the development key is in use"]
    problems = []
    lowered = secret_key.lower()
    if any(marker in lowered for marker in PLACEHOLDER_MARKERS):
        problems.append("DJANGO_SECRET_KEY is a placeholder, not a generated key")
    if len(secret_key) < MIN_SECRET_KEY_LENGTH:
        problems.append(
            f"DJANGO_SECRET_KEY is {len(secret_key)} characters long; "
            f"at least {MIN_SECRET_KEY_LENGTH} are required"
        )
    if len(set(secret_key)) < MIN_SECRET_KEY_DISTINCT_CHARACTERS:
        problems.append(
            f"DJANGO_SECRET_KEY has {len(set(secret_key))} distinct characters; "
            f"at least {MIN_SECRET_KEY_DISTINCT_CHARACTERS} are required"
        )
    return problems


def allowed_hosts_problems(allowed_hosts: Sequence[str]) -> list[str]:
    if not allowed_hosts:
        return ["DJANGO_ALLOWED_HOSTS is not set"]
    if "*" in allowed_hosts:
        return ["DJANGO_ALLOWED_HOSTS must name the site's hosts, not '*'"]
    return []


def production_problems(*, debug: bool, secret_key: str, allowed_hosts: Sequence[str]) -> list[str]:
    """Everything that forbids serving with these settings. DEBUG on (development) has none."""
    if debug:
        return []
    return [*secret_key_problems(secret_key), *allowed_hosts_problems(allowed_hosts)]


HOW_TO_FIX = (
    "Set DJANGO_SECRET_KEY to a generated key (e.g. the output of "
    "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`) and DJANGO_ALLOWED_HOSTS to "
    "the site's host names; for local development set DJANGO_DEBUG=true instead (see .env.example "
    "and docs/security.md)."
)


def refuse_unsafe_production_settings() -> None:
    """Raise ImproperlyConfigured when the configured settings must not serve requests."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    problems = production_problems(
        debug=settings.DEBUG,
        secret_key=settings.SECRET_KEY,
        allowed_hosts=settings.ALLOWED_HOSTS,
    )
    if problems:
        raise ImproperlyConfigured(
            "jixiao refuses to start with DEBUG off: " + "; ".join(problems) + ". " + HOW_TO_FIX
        )
