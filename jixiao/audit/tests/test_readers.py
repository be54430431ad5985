from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from jixiao.audit import readers
from jixiao.audit.readers import UnreadableReport, read_text


def test_plain_text_encodings_and_pages() -> None:
    text = "第一页\f第二页"
    for encoding in ("utf-8", "utf-8-sig", "gb18030", "utf-16"):
        result = read_text(text.encode(encoding), suffix=".txt")
        assert result.pages == ["第一页", "第二页"]
        assert result.text == "第一页\n第二页"


@pytest.mark.parametrize(
    ("data", "suffix", "reason"),
    [
        (b"\x00\x01\x02binary", ".txt", "二进制"),
        (b"", ".txt", "文件为空"),
        (b" \n\n", ".txt", "没有文字"),
        (b"hello", ".pdf", "不是 PDF"),
        (b"hello", ".docx", "不是 docx"),
        (b"\xd0\xcf\x11\xe0rest", ".doc", ".doc"),
        (b"PK\x03\x04broken", ".docx", "损坏"),
        (b"%PDF-1.4 broken", ".pdf", "损坏"),
    ],
)
def test_unreadable_bytes(data: bytes, suffix: str, reason: str) -> None:
    with pytest.raises(UnreadableReport) as info:
        read_text(data, suffix=suffix)
    assert reason in info.value.reason


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UnreadableReport, match="无法打开"):
        read_text(tmp_path / "nope.txt")
    with pytest.raises(UnreadableReport, match="文件夹"):
        read_text(tmp_path)


def test_oversize_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_text("评价年度：2025年", encoding="utf-8")
    with pytest.raises(
        UnreadableReport, match=r"太大或太复杂，未审查（文件 0\.0 MB，超过上限"
    ) as info:
        read_text(path)
    assert info.value.source == str(path)
    assert info.value.too_complex


def _docx(paragraphs: list[str], page_break_after: int | None = None) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    for index, text in enumerate(paragraphs):
        paragraph = document.add_paragraph(text)
        if index == page_break_after:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "年初预算数"
    table.rows[0].cells[1].text = "33.28"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_tables_and_page_breaks() -> None:
    result = read_text(
        _docx(["评价年度：2025年", "绩效评价等级为优", "秀。"], page_break_after=1), suffix=".docx"
    )
    assert len(result.pages) == 2
    assert result.pages[1].startswith("\n秀。") or "秀。" in result.pages[1]
    assert "年初预算数\t33.28" in result.text


def test_docx_zip_bomb() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (3 * 1024 * 1024))
    with pytest.raises(UnreadableReport, match="压缩炸弹"):
        read_text(buffer.getvalue(), suffix=".docx")
    from jixiao.audit.limits import AuditBudget

    with pytest.raises(
        UnreadableReport, match=r"太大或太复杂，未审查（docx 解压后 .* MB，超过上限 0 MB"
    ):
        read_text(_docx(["x"]), suffix=".docx", budget=AuditBudget(decompressed_bytes=1024))


def test_docx_without_document_part() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("EncryptedPackage", b"x")
    with pytest.raises(UnreadableReport, match="加密"):
        read_text(buffer.getvalue(), suffix=".docx")


def _blank_pdf(pages: int, password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_scanned_pdf_without_text_layer() -> None:
    with pytest.raises(UnreadableReport, match="扫描件"):
        read_text(_blank_pdf(2), suffix=".pdf")


def test_encrypted_pdf() -> None:
    with pytest.raises(UnreadableReport, match="加密"):
        read_text(_blank_pdf(1, password="secret"), suffix=".pdf")


def test_pdf_page_cap() -> None:
    from jixiao.audit.limits import AuditBudget

    with pytest.raises(UnreadableReport) as caught:
        read_text(_blank_pdf(3), suffix=".pdf", budget=AuditBudget(pages=2))
    assert caught.value.reason == "太大或太复杂，未审查（PDF 共 3 页，超过上限 2 页）"
    assert caught.value.too_complex


def test_text_pdf_pages(audit_rendered: dict[str, bytes]) -> None:
    result = read_text(audit_rendered["pdf"], suffix=".pdf")
    assert len(result.pages) >= 2
    assert result.warnings == []
    assert "湛江市职业技能鉴定指导中心" in result.text


def test_image_only_pdf_is_a_scan() -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 850), "white")
    draw = ImageDraw.Draw(image)
    for y in range(50, 800, 20):
        draw.line((40, y, 560, y), fill="black", width=2)  # lines of "text", as pixels
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=72)
    with pytest.raises(UnreadableReport) as caught:
        read_text(buffer.getvalue(), suffix=".pdf")
    assert caught.value.scanned is True
    assert caught.value.reason.startswith("PDF 没有文字层（可能是扫描件）")


def test_image_only_docx_is_a_scan() -> None:
    from docx import Document
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(picture, "PNG")
    document = Document()
    document.add_picture(io.BytesIO(picture.getvalue()))
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(UnreadableReport) as caught:
        read_text(buffer.getvalue(), suffix=".docx")
    assert caught.value.scanned is True
    assert caught.value.reason.startswith("docx 只有图片、没有文字（可能是扫描件）")


def test_empty_file_and_empty_word_document(tmp_path: Path) -> None:
    from docx import Document

    empty = tmp_path / "空.docx"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableReport) as caught:
        read_text(empty)
    assert (caught.value.reason, caught.value.source, caught.value.scanned) == (
        "文件为空（0 字节）",
        str(empty),
        False,
    )
    buffer = io.BytesIO()
    Document().save(buffer)
    with pytest.raises(UnreadableReport) as caught:
        read_text(buffer.getvalue(), suffix=".docx")
    assert (caught.value.reason, caught.value.scanned) == ("docx 文件没有文字内容", False)


def test_blank_page_in_a_text_pdf_is_a_reader_warning(audit_rendered: dict[str, bytes]) -> None:
    from pypdf import PdfReader, PdfWriter

    from jixiao.audit import audit_bytes

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(audit_rendered["pdf"])).pages:
        writer.add_page(page)
    writer.add_blank_page(width=595, height=842)  # a scanned page in a text pdf reads as empty
    buffer = io.BytesIO()
    writer.write(buffer)
    pages = len(writer.pages)
    report = audit_bytes(buffer.getvalue(), "报告.pdf")
    warning = report.findings[0]
    assert (warning.severity, warning.code) == ("info", "reader_warning")
    assert warning.message == f"第 {pages} 页没有文字（可能是扫描页），未审查"
    assert [f.code for f in report.findings[1:]] == []  # the rendered seed itself is clean
