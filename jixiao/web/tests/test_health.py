"""Liveness, readiness and the request id on every response and log line."""

from __future__ import annotations

import json
import logging

import pytest
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.test import Client, RequestFactory

from jixiao.web.request_id import (
    JsonFormatter,
    RequestIdFilter,
    RequestIdMiddleware,
    request_id_from,
)


def test_healthz_answers_without_signing_in(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_storage(client: Client, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "storage"}
    assert all(check["ok"] for check in body["checks"].values())
    assert list(tmp_path.rglob("*.*")) == [] and not any(p.is_file() for p in tmp_path.rglob("*"))


@pytest.mark.django_db
def test_readyz_is_503_and_names_the_failed_check_without_its_error(
    client: Client, monkeypatch, caplog
) -> None:
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk /var/lib/jixiao/media is read-only for user jixiao")

    monkeypatch.setattr(default_storage, "save", broken)
    with caplog.at_level(logging.ERROR, logger="jixiao.health"):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert "read-only" not in response.content.decode()
    assert "read-only" in caplog.text  # the operator finds it in the log


@pytest.mark.django_db
def test_readyz_includes_the_broker_and_cache_when_configured(settings) -> None:
    from jixiao.web.health import readiness_checks

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/2",
        }
    }
    assert list(readiness_checks()) == ["database", "cache", "broker", "storage"]


def test_probes_are_not_redirected_to_https(client: Client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/session/status/").status_code == 301


def test_every_response_carries_a_request_id(client: Client) -> None:
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second
    given = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-4f2a9c11e0")
    assert given["X-Request-ID"] == "nginx-4f2a9c11e0"


@pytest.mark.parametrize("hostile", ["a\nb: injected", "x" * 65, "short", "<script>", ""])
def test_a_hostile_request_id_is_replaced(hostile: str) -> None:
    replaced = request_id_from(hostile)
    assert replaced != hostile and len(replaced) == 32


def test_log_lines_written_during_a_request_carry_its_id(caplog) -> None:
    seen: list[str] = []

    def view(request):  # type: ignore[no-untyped-def]
        logging.getLogger("jixiao.test").warning("inside")
        record = caplog.records[-1]
        RequestIdFilter().filter(record)
        seen.append(record.request_id)  # type: ignore[attr-defined]
        return JsonResponse({})

    response = RequestIdMiddleware(view)(
        RequestFactory().get("/x", HTTP_X_REQUEST_ID="req-123456789")
    )
    assert seen == ["req-123456789"]
    assert response["X-Request-ID"] == "req-123456789"
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "after", None, None)
    RequestIdFilter().filter(outside)
    assert outside.request_id == "-"  # type: ignore[attr-defined]


def test_json_log_format_is_one_object_per_line() -> None:
    record = logging.LogRecord("jixiao.x", logging.ERROR, __file__, 1, "出错：%s", ("磁盘",), None)
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "出错：磁盘"
    assert entry["level"] == "ERROR" and entry["request_id"] == "-"
    assert "\n" not in line
