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


def real_pdf(pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def real_image(fmt: str, size: tuple[int, int] = (4, 4)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, fmt)
    return buffer.getvalue()


PDF = real_pdf()
PNG = real_image("PNG")
JPG = real_image("JPEG")


FIXED_TIME = (2025, 1, 1, 0, 0, 0)


def zipped(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # Fixed timestamps: two calls give the same bytes (zipfile stamps the current time otherwise).
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", FIXED_TIME), "<Types/>")
        main = {"word": "document.xml", "xl": "workbook.xml"}.get(folder, "document.xml")
        archive.writestr(zipfile.ZipInfo(f"{folder}/{main}", FIXED_TIME), "<x/>")
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
    sheet = zipped("xl")
    upload(client_for(world.editor), e, "满意度调查表.xlsx", sheet)
    item = Evidence.objects.get()
    reviewer = client_for(world.department_reviewer)
    assert upload(reviewer, e, "x.pdf", PDF).status_code == 403
    reviewer.post(reverse("evaluations:evidence_delete", args=[e.pk, item.pk]))
    assert Evidence.objects.count() == 1
    response = reviewer.get(reverse("evaluations:evidence_download", args=[e.pk, item.pk]))
    assert response.status_code == 200
    assert response.content == sheet
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


# --- the content is parsed or decoded before anything is stored (#9.14) ---------------------


def _png_claiming(width: int, height: int) -> bytes:
    """A real 1×1 PNG whose header claims ``width``×``height`` (CRC fixed): a pixel bomb."""
    import struct
    import zlib

    data = bytearray(real_image("PNG", (1, 1)))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17]))
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)


def _zip_of(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        # passed before: the first bytes were all that was looked at
        ("通知.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n", "不是有效的 PDF"),
        ("照片.png", b"\x89PNG\r\n\x1a\n<html>not an image</html>", "不是有效的图片"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "不是有效的图片"),
        ("炸弹.png", _png_claiming(100_000, 100_000), "图片像素过多（上限 6000 万像素）"),
        ("大图.png", _png_claiming(10_000, 10_000), "图片像素过多（上限 6000 万像素）"),
        ("表格.docx", _zip_of({"word/x.html": b"<html/>"}), "缺少必需的部件"),
        (
            "表格.xlsx",
            _zip_of({"[Content_Types].xml": b"<T/>", "xl/a.html": b"<h/>"}),
            "缺少必需的部件",
        ),
        (
            "炸弹.docx",
            _zip_of(
                {"[Content_Types].xml": b"<T/>", "word/document.xml": b"0" * (50 * 1024 * 1024)}
            ),
            "疑似压缩炸弹",
        ),
    ],
)
def test_a_file_that_only_starts_right_is_refused_and_nothing_is_stored(
    world, settings, tmp_path, name, content, reason
):
    response = upload(client_for(world.editor), world.evaluation, name, content)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not Evidence.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))  # nothing left in storage


def test_sound_files_of_every_kind_are_accepted(world):
    client = client_for(world.editor)
    docx = _zip_of({"[Content_Types].xml": b"<T/>", "word/document.xml": b"<w:document/>"})
    xlsx = _zip_of({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<workbook/>"})
    for name, content in (
        ("a.pdf", real_pdf(3)), ("b.png", PNG), ("c.jpg", JPG), ("d.docx", docx), ("e.xlsx", xlsx),
    ):  # fmt: skip
        assert upload(client, world.evaluation, name, content).status_code == 302, name
    assert Evidence.objects.count() == 5
