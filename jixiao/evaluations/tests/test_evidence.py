"""佐证材料: the type is judged by content, the size is limited, the hash is stored, and only the unit
may add or remove files while the evaluation is editable; everyone else in scope may download."""

from __future__ import annotations

import hashlib
import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.evaluations.models import Evaluation, Evidence, Status
from jixiao.evaluations.services import sniff_evidence_kind
from jixiao.evaluations.tests.conftest import client_for

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def zipped(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(
    client, e, name: str, content: bytes, code: str = "T1", content_type: str = "application/pdf"
):
    return client.post(
        reverse("evaluations:evidence", args=[e.pk]),
        {
            "indicator_code": code,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPG, "jpg"),
        (zipped("word"), "docx"),
        (zipped("xl"), "xlsx"),
        (zipped("other"), None),
        (b"MZ\x90\x00 an exe", None),
        (b"<html>%PDF-</html>", None),
        (b"PK\x03\x04 not really a zip", None),
    ],
)
def test_kind_is_judged_by_content(content, kind):
    assert sniff_evidence_kind(content[:16], io.BytesIO(content)) == kind


def test_upload_stores_file_hash_and_original_name(world):
    e = world.evaluation
    client = client_for(world.editor)
    response = upload(
        client, e, "2025年认定证书台账.pdf", PDF, content_type="application/octet-stream"
    )
    assert response.status_code == 302
    item = Evidence.objects.get(evaluation=e)
    assert item.indicator_code == "T1"
    assert item.original_name == "2025年认定证书台账.pdf"
    assert item.content_type == "application/pdf"  # from the content, not from the browser
    assert item.size == len(PDF)
    assert item.sha256 == hashlib.sha256(PDF).hexdigest()
    assert item.uploaded_by == world.editor
    with item.file.open("rb") as handle:
        assert handle.read() == PDF


def test_disguised_file_is_refused(world):
    e = world.evaluation
    response = upload(client_for(world.editor), e, "证书.pdf", b"MZ\x90\x00 windows program")
    assert response.status_code == 400
    assert "不是可接受的文件类型" in response.content.decode()
    assert not Evidence.objects.exists()


def test_too_big_file_is_refused(world, settings):
    settings.JIXIAO_EVIDENCE_MAX_BYTES = 1024
    response = upload(client_for(world.editor), world.evaluation, "大文件.pdf", PDF + b"0" * 1024)
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert not Evidence.objects.exists()


def test_unknown_indicator_is_refused(world):
    response = upload(client_for(world.editor), world.evaluation, "a.pdf", PDF, code="ZZ9")
    assert response.status_code == 400
    assert not Evidence.objects.exists()


def test_locked_evaluation_refuses_upload_and_delete(world):
    e = world.evaluation
    client = client_for(world.editor)
    upload(client, e, "a.pdf", PDF)
    item = Evidence.objects.get()
    Evaluation.objects.filter(pk=e.pk).update(status=Status.SUBMITTED)
    assert upload(client, e, "b.png", PNG).status_code == 403
    page = client.get(reverse("evaluations:evidence", args=[e.pk])).content.decode()
    assert "已锁定" in page and "上传佐证材料" not in page
    client.post(reverse("evaluations:evidence_delete", args=[e.pk, item.pk]))
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["a.pdf"]


def test_reviewer_may_download_but_not_upload_or_delete(world):
    e = world.evaluation
    upload(client_for(world.editor), e, "满意度调查表.xlsx", zipped("xl"))
    item = Evidence.objects.get()
    reviewer = client_for(world.department_reviewer)
    assert upload(reviewer, e, "x.pdf", PDF).status_code == 403
    reviewer.post(reverse("evaluations:evidence_delete", args=[e.pk, item.pk]))
    assert Evidence.objects.count() == 1
    response = reviewer.get(reverse("evaluations:evidence_download", args=[e.pk, item.pk]))
    assert response.status_code == 200
    assert response.content == zipped("xl")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(
        "满意度调查表.xlsx"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_other_unit_gets_404_for_list_download_and_delete(world):
    e = world.evaluation
    upload(client_for(world.editor), e, "a.pdf", PDF)
    item = Evidence.objects.get()
    for who in (world.other_editor, world.other_department_reviewer):
        client = client_for(who)
        assert client.get(reverse("evaluations:evidence", args=[e.pk])).status_code == 404
        assert (
            client.get(reverse("evaluations:evidence_download", args=[e.pk, item.pk])).status_code
            == 404
        )
        assert (
            client.post(reverse("evaluations:evidence_delete", args=[e.pk, item.pk])).status_code
            == 404
        )
        assert upload(client, e, "b.pdf", PDF).status_code == 404
    # The evidence id under another evaluation's address is not found either.
    own = client_for(world.editor)
    assert (
        own.get(
            reverse("evaluations:evidence_download", args=[world.other_evaluation.pk, item.pk])
        ).status_code
        == 404
    )
    assert Evidence.objects.count() == 1


def test_delete_removes_row_and_file(world, django_capture_on_commit_callbacks):
    e = world.evaluation
    client = client_for(world.head)
    upload(client, e, "a.png", PNG)
    item = Evidence.objects.get()
    storage, name = item.file.storage, item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluations:evidence_delete", args=[e.pk, item.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert name and not storage.exists(name)


def test_evidence_page_lists_files_with_indicator_names(world):
    e = world.evaluation
    client = client_for(world.editor)
    upload(client, e, "a.pdf", PDF, code="B1")
    page = client.get(reverse("evaluations:evidence", args=[e.pk])).content.decode()
    assert "B1 目标设定" in page and "a.pdf" in page and "上传佐证材料" in page


def test_indicator_rows_link_to_their_evidence(world):
    e = world.evaluation
    client = client_for(world.editor)
    upload(client, e, "a.pdf", PDF, code="B1")
    upload(client, e, "b.png", PNG, code="B1")
    upload(client, e, "c.png", PNG, code="T2")
    assessments = client.get(
        reverse("evaluations:edit", args=[e.pk, "assessments"])
    ).content.decode()
    assert "佐证 2 个" in assessments
    targets = client.get(reverse("evaluations:edit", args=[e.pk, "targets"])).content.decode()
    assert "佐证材料 1 个" in targets and targets.count("上传佐证材料") == 4
    page = client.get(
        reverse("evaluations:evidence", args=[e.pk]), {"indicator": "T2"}
    ).content.decode()
    assert '<option value="T2" selected>' in page
