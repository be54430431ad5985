"""Suite-wide test settings."""

from __future__ import annotations

import pytest

from jixiao.conftest import World, world, world_rows  # noqa: F401  (tests under tests/ use them too)


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


# CI runs the suite twice side by side, on SQLite and on PostgreSQL (scripts/test.sh), one process a
# core. JIXIAO_TEST_RUN says which run this is, so the two share work instead of repeating it:
# - tests that touch no database (the scoring core, the auditor, documents from data) run only in
#   the SQLite run: their result cannot depend on the database;
# - the access matrix's 2,900 request cases are split between the two runs by a stable hash of
#   their id, so together they answer all (its other tests, such as the out-of-scope list pages,
#   run on both): a third on PostgreSQL, two thirds on SQLite, where a case costs about 0.03 s of
#   CPU against 0.065 s on PostgreSQL (client and server), which keeps the two runs about as long
#   as each other (SQLite also runs the database-free tests; docs/decisions.md, "CI time").
_DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _touches_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        _DB_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    import os
    import zlib

    run = os.environ.get("JIXIAO_TEST_RUN", "")
    if run not in ("sqlite", "postgresql"):
        return
    keep: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        if run == "postgresql" and not _touches_database(item):
            dropped.append(item)
        elif item.nodeid.startswith("tests/test_access_matrix.py::test_access["):
            on_postgresql = zlib.crc32(item.nodeid.encode()) % 3 == 0
            (keep if on_postgresql == (run == "postgresql") else dropped).append(item)
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
