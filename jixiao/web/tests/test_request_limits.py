"""Request-body caps per route (413 before the body is read) and the API's per-minute budget (429)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.cache.backends.base import BaseCache
from django.test import Client
from django.urls import reverse

from jixiao.conftest import World
from jixiao.web.request_limits import ENVELOPE, ROUTE_LIMITS, body_limit

MB = 1024 * 1024


def _body(stream: object) -> dict[str, Any]:
    return {"wsgi.input": stream}


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")

    def readline(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")


def _post_declaring(client: Client, url: str, length: int) -> Any:
    return client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=----x",
        CONTENT_LENGTH=str(length),
        **_body(UnreadableBody()),
    )


def test_a_200_mb_anonymous_post_to_login_is_refused_unread(settings: Any, tmp_path: Path) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)  # where Django would have spooled it
    response = _post_declaring(Client(), reverse("login"), 200 * MB)
    assert response.status_code == 413
    assert response["Connection"] == "close"
    assert "200 MB" in response.content.decode() and "16 KB" in response.content.decode()
    assert list(tmp_path.iterdir()) == []


def test_a_form_page_takes_a_form_not_a_file(world: World, settings: Any) -> None:
    client = Client()
    client.force_login(world.editor)
    url = reverse("evaluations:edit", kwargs={"pk": world.evaluation.pk, "section": "targets"})
    assert _post_declaring(client, url, settings.JIXIAO_MAX_REQUEST_BYTES + 1).status_code == 413


def test_the_api_answers_413_in_json(world: World, settings: Any) -> None:
    client = Client()
    client.force_login(world.editor)
    url = reverse("api:save_data", kwargs={"evaluation_id": world.evaluation.pk})
    response = client.generic(
        "PUT",
        url,
        b"",
        content_type="application/json",
        CONTENT_LENGTH=str(settings.JIXIAO_MAX_REQUEST_BYTES + 1),
        **_body(UnreadableBody()),
    )
    assert response.status_code == 413
    assert "最多接受 2 MB" in response.json()["detail"]


def test_the_evidence_upload_takes_its_own_limit(world: World, settings: Any) -> None:
    settings.JIXIAO_EVIDENCE_MAX_BYTES = 3 * MB
    url = reverse("evaluations:evidence", kwargs={"pk": world.evaluation.pk})
    assert body_limit(url) == 3 * MB + ENVELOPE
    client = Client()
    client.force_login(world.editor)
    assert _post_declaring(client, url, 3 * MB + ENVELOPE + 1).status_code == 413


def test_a_file_within_the_evidence_limit_is_not_refused_by_the_cap(
    world: World, settings: Any
) -> None:
    # A 3 MB file passes the cap (a page-sized cap would have refused it) and reaches the form.
    settings.JIXIAO_EVIDENCE_MAX_BYTES = 4 * MB
    settings.MEDIA_ROOT = tempfile.mkdtemp()
    client = Client()
    client.force_login(world.editor)
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"0" * (3 * MB), "application/pdf")
    url = reverse("evaluations:evidence", kwargs={"pk": world.evaluation.pk})
    response = client.post(url, {"file": pdf, "indicator_code": ""})
    assert response.status_code != 413


def test_every_limited_route_exists() -> None:
    from tests.test_access_matrix import url_patterns

    assert set(ROUTE_LIMITS) - set(url_patterns()) == set()


def test_a_malformed_content_length_is_a_bad_request() -> None:
    response = Client().generic("POST", reverse("login"), b"", CONTENT_LENGTH="12abc")
    assert response.status_code == 400


# --- the API budget ----------------------------------------------------------------------------


def test_the_api_budget_is_per_account_with_retry_after(world: World, settings: Any) -> None:
    settings.JIXIAO_API_RATE_PER_MINUTE = 3
    url = reverse("api:list_evaluations")
    editor, head = Client(), Client()
    editor.force_login(world.editor)
    head.force_login(world.head)
    assert [editor.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = editor.get(url)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "每分钟最多 3 次" in refused.json()["detail"]
    assert head.get(url).status_code == 200  # another account has its own budget


@pytest.mark.django_db
def test_anonymous_callers_are_counted_per_address(settings: Any) -> None:
    settings.JIXIAO_API_ANON_RATE_PER_MINUTE = 2
    url = reverse("api:public_reports")
    one = Client(REMOTE_ADDR="10.0.0.1")
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert [one.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert other.get(url).status_code == 200
    # Pages outside the API have no such budget.
    assert [one.get(reverse("login")).status_code for _ in range(3)] == [200, 200, 200]


class BrokenCache(BaseCache):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__({})

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    add = get = set = incr = delete = clear = _fail  # type: ignore[assignment]


def test_the_api_fails_open_when_the_cache_is_down(
    world: World, settings: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jixiao.web import api_rate_limit

    monkeypatch.setattr(api_rate_limit, "cache", BrokenCache())
    settings.JIXIAO_API_RATE_PER_MINUTE = 1
    client = Client()
    client.force_login(world.editor)
    url = reverse("api:list_evaluations")
    with caplog.at_level(logging.WARNING, logger="jixiao.web.api_rate_limit"):
        assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert "the cache is unavailable" in caplog.text
