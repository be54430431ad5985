"""Liveness and readiness for load balancers and process supervisors.

``/healthz`` says the process answers (no database, so a database outage does not make a supervisor
restart healthy app servers). ``/readyz`` says whether this server can do its work: the database,
the cache and the broker when they are configured, and the file storage. It names each check and
whether it passed, never the error (which goes to the log with the request id): the endpoints are
public, and an error text can carry hosts and user names.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("jixiao.health")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"jixiao:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


def _broker() -> None:
    import redis  # the broker is Redis (docs/decisions.md); only imported when one is configured

    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
    )
    try:
        client.ping()
    finally:
        client.close()


def _storage() -> None:
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise RuntimeError("the storage did not return what was written")
    finally:
        default_storage.delete(name)


def readiness_checks() -> dict[str, Callable[[], None]]:
    """The checks that apply to this deployment's settings, by name."""
    checks: dict[str, Callable[[], None]] = {"database": _database}
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        checks["cache"] = _cache
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        checks["broker"] = _broker
    checks["storage"] = _storage
    return checks


def run_checks() -> tuple[bool, dict[str, dict[str, object]]]:
    results: dict[str, dict[str, object]] = {}
    ready = True
    for name, check in readiness_checks().items():
        started = time.perf_counter()
        try:
            check()
        except Exception:
            logger.exception("readiness check %s failed", name)
            ok = False
        else:
            ok = True
        ready = ready and ok
        results[name] = {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return ready, results


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    ready, results = run_checks()
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": results},
        status=200 if ready else 503,
    )
