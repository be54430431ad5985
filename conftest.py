"""Suite-wide test settings."""

from __future__ import annotations

import pytest

from jixiao.conftest import World, world  # noqa: F401  (browser tests under tests/ use it too)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # Argon2 is deliberately slow; tests create dozens of accounts. Production keeps Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _jobs_run_after_commit(settings):  # type: ignore[no-untyped-def]
    # Background jobs run synchronously right after the commit in tests, so every test is
    # deterministic; jixiao/jobs/tests test the thread and Celery runners themselves.
    settings.JIXIAO_JOBS_RUNNER = "sync"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # The API rate limit and the login throttle count in the cache, which outlives a test (and a
    # rolled-back database reuses ids): each test starts with no counts.
    from django.core.cache import cache

    cache.clear()
