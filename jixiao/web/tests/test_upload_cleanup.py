"""An interrupted upload leaves no temporary file behind (client disconnect, failing handler)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import reverse

from jixiao.conftest import World

BOUNDARY = "----jixiaoboundary"
MB = 1024 * 1024


def _multipart(size: int) -> bytes:
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="indicator_code"\r\n\r\nT1\r\n'
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return head + b"%PDF-1.4\n" + b"0" * size + f"\r\n--{BOUNDARY}--\r\n".encode()


def _body(stream: object) -> dict[str, Any]:
    return {"wsgi.input": stream}


class DisconnectingBody:
    """Sends the first ``cut`` bytes of ``body``, then the client is gone."""

    def __init__(self, body: bytes, cut: int) -> None:
        self.body, self.cut, self.position = body, cut, 0

    def read(self, size: int = -1) -> bytes:
        if self.position >= self.cut:
            raise OSError("client disconnected")
        end = self.cut if size < 0 else min(self.cut, self.position + size)
        chunk, self.position = self.body[self.position : end], end
        return chunk

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


@pytest.fixture
def upload_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "uploads"
    directory.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(directory)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024  # anything larger goes to a temporary file
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # The traceback of the failure keeps the parser alive (here: an error reporter keeps it, as
    # Sentry-like receivers of got_request_exception do); with the collector off nothing but the
    # cleanup can remove the file, as in a busy worker between collections.
    kept: list[Any] = []

    def keep(**_: Any) -> None:
        kept.append(sys.exc_info())

    got_request_exception.connect(keep, weak=False)
    gc.disable()
    yield directory
    gc.enable()
    got_request_exception.disconnect(keep)
    kept.clear()


def _editor(world: World) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.editor)
    return client


def test_a_client_disconnect_mid_upload_leaves_no_temporary_file(
    world: World, upload_dir: Path
) -> None:
    body = _multipart(3 * MB)
    response = _editor(world).generic(
        "POST",
        reverse("evaluations:evidence", kwargs={"pk": world.evaluation.pk}),
        b"",
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(len(body)),
        **_body(DisconnectingBody(body, cut=2 * MB)),
    )
    assert response.status_code >= 400
    assert list(upload_dir.iterdir()) == []


class FailingHandler(FileUploadHandler):
    """Fails once a megabyte has been received (a virus scanner, a quota check, a bug)."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start > MB:
            raise RuntimeError("upload handler failed")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def test_a_failing_upload_handler_leaves_no_temporary_file(
    world: World, upload_dir: Path, settings: Any
) -> None:
    settings.FILE_UPLOAD_HANDLERS = [
        f"{__name__}.FailingHandler",  # sees each chunk first, then passes it on
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    body = _multipart(3 * MB)
    response = _editor(world).post(
        reverse("evaluations:evidence", kwargs={"pk": world.evaluation.pk}),
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 500
    assert list(upload_dir.iterdir()) == []


def test_a_completed_upload_is_kept_until_stored_then_removed(
    world: World, upload_dir: Path
) -> None:
    # The cleanup must not remove what the view still needs: a whole upload is stored as evidence.
    # A real pdf (evidence is parsed before it is accepted, #9.14), larger than the in-memory limit.
    from io import BytesIO

    from pypdf import PdfWriter

    from jixiao.evaluations.models import Evidence

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Subject": "x" * (200 * 1024)})
    buffer = BytesIO()
    writer.write(buffer)
    pdf = buffer.getvalue()
    assert len(pdf) > 64 * 1024
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _editor(world).post(
        reverse("evaluations:evidence", kwargs={"pk": world.evaluation.pk}),
        {"file": SimpleUploadedFile("a.pdf", pdf, "application/pdf"), "indicator_code": "T1"},
    )
    assert response.status_code in (200, 302)
    assert list(upload_dir.iterdir()) == []
    stored = Evidence.objects.filter(evaluation=world.evaluation).first()
    if stored is not None:  # accepted (the evidence checks may refuse a minimal pdf)
        assert stored.file.read() == pdf
