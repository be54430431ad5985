"""Read a report's text from plain text, docx or a text-based pdf, with guard limits.

Everything that cannot be read raises ``UnreadableReport`` with a Chinese reason; the caller
(``jixiao audit``) turns it into exit code 2. Pages: pdf pages, ``\\f``-separated pages in text, and
hard page breaks in docx.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB
MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024  # 100 MB, all zip members together
MAX_DOCX_RATIO = 100  # uncompressed ÷ compressed
MAX_PDF_PAGES = 200
MIN_TEXT_CHARS_PER_PAGE = 20  # fewer on average: a scanned pdf without a text layer

SUFFIXES = (".txt", ".text", ".docx", ".pdf")


class UnreadableReport(Exception):
    """The file cannot be read as a report; ``reason`` says why, in Chinese."""

    def __init__(self, reason: str, source: str = "", *, scanned: bool = False) -> None:
        super().__init__(f"{source}：{reason}" if source else reason)
        self.reason = reason
        self.source = source
        # images without a text layer (a scan): a batch lists these apart, they need OCR or the
        # original document rather than a repaired file
        self.scanned = scanned


@dataclass
class ReadResult:
    text: str
    pages: list[str]
    warnings: list[str] = field(default_factory=list)


def read_text(path_or_bytes: Path | str | bytes, *, suffix: str | None = None) -> ReadResult:
    """The text of a report file (or of its bytes, with ``suffix`` naming the format)."""
    source = ""
    if isinstance(path_or_bytes, bytes | bytearray):
        data = bytes(path_or_bytes)
    else:
        path = Path(path_or_bytes)
        source = str(path)
        suffix = suffix or path.suffix
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise UnreadableReport(f"无法打开文件（{exc.strerror or exc}）", source) from exc
        if path.is_dir():
            raise UnreadableReport("这是一个文件夹，不是报告文件", source)
        if size > MAX_FILE_BYTES:
            raise UnreadableReport(_too_big(size), source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableReport(f"无法读取文件（{exc.strerror or exc}）", source) from exc
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableReport(_too_big(len(data)), source)
    try:
        if not data:
            raise UnreadableReport("文件为空（0 字节）")
        kind = _kind(data, (suffix or "").lower())
        if kind == "docx":
            return _read_docx(data)
        if kind == "pdf":
            return _read_pdf(data)
        return _read_plain(data)
    except UnreadableReport as exc:
        raise UnreadableReport(exc.reason, source, scanned=exc.scanned) from None


def _too_big(size: int) -> str:
    return f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）"


def _kind(data: bytes, suffix: str) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if suffix == ".pdf":
        raise UnreadableReport("文件扩展名为 .pdf，但内容不是 PDF")
    if suffix == ".docx":
        raise UnreadableReport("文件扩展名为 .docx，但内容不是 docx（Word 2007 以上格式）")
    if suffix == ".doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableReport("不支持旧版 Word（.doc）文件，请另存为 .docx 或 PDF")
    return "text"


def _read_plain(data: bytes) -> ReadResult:
    if b"\x00" in data[:4096]:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return _split_pages(data.decode("utf-16"))
            except UnicodeDecodeError:
                pass
        raise UnreadableReport("不是文本文件（含二进制内容），支持 txt、docx、pdf")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _split_pages(text)
    raise UnreadableReport("无法识别文本编码（支持 UTF-8 和 GB18030/GBK）")


def _split_pages(text: str) -> ReadResult:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    result = ReadResult(text="\n".join(pages), pages=pages)
    if not result.text.strip():
        raise UnreadableReport("文件没有文字内容")
    return result


def _read_docx(data: bytes) -> ReadResult:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableReport("docx 文件已损坏，无法解压") from exc
    uncompressed = sum(i.file_size for i in infos)
    compressed = sum(i.compress_size for i in infos) or 1
    if uncompressed > MAX_DOCX_UNCOMPRESSED:
        raise UnreadableReport(
            f"docx 解压后过大（{uncompressed / 1024 / 1024:.0f} MB，"
            f"上限 {MAX_DOCX_UNCOMPRESSED // 1024 // 1024} MB），疑似压缩炸弹"
        )
    if uncompressed / compressed > MAX_DOCX_RATIO and uncompressed > 1024 * 1024:
        raise UnreadableReport(
            f"docx 压缩比异常（{uncompressed / compressed:.0f} 倍，上限 {MAX_DOCX_RATIO} 倍），"
            "疑似压缩炸弹"
        )
    if "word/document.xml" not in archive.namelist():
        if "EncryptedPackage" in archive.namelist():
            raise UnreadableReport("docx 文件已加密，请去掉密码后再审查")
        raise UnreadableReport("不是 Word 文档（缺少 word/document.xml）")
    package = _bounded_package(archive, infos)
    try:
        from docx import Document

        document = Document(io.BytesIO(package))
    except Exception as exc:  # python-docx raises many kinds on malformed parts
        raise UnreadableReport(f"docx 文件无法解析（{type(exc).__name__}）") from exc
    has_images = any(name.startswith("word/media/") for name in archive.namelist())
    return _docx_pages(document, has_images)


_CHUNK = 64 * 1024


def _bounded_package(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> bytes:
    """The docx re-packed uncompressed, each member inflated at most to its declared size.

    The guards above trust the sizes the zip directory declares, and python-docx reads a member
    whole (zipfile's read() inflates everything before cutting at the declared size), so a zip
    that understates a member's size (and fakes the CRC of the prefix) would still inflate to
    gigabytes. Reading in chunks stops at the declared size, and the stored copy has nothing left
    to inflate. Images are left empty: only text is read.
    """
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as clean:
            for info in infos:
                if info.is_dir():
                    continue
                content = b""
                if not info.filename.startswith("word/media/"):
                    with archive.open(info) as member:
                        chunks = []
                        while chunk := member.read(_CHUNK):
                            chunks.append(chunk)
                    content = b"".join(chunks)
                clean.writestr(info.filename, content)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError,
            NotImplementedError, ValueError) as exc:  # fmt: skip
        raise UnreadableReport(f"docx 文件已损坏，无法解压（{type(exc).__name__}）") from exc
    return out.getvalue()


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_pages(document: object, has_images: bool = False) -> ReadResult:
    pages: list[list[str]] = [[]]
    body = document.element.body  # type: ignore[attr-defined]
    for child in body.iterchildren():
        if child.tag == _W + "p":
            line: list[str] = []
            for node in child.iter():
                if node.tag == _W + "t" and node.text:
                    line.append(node.text)
                elif node.tag == _W + "tab":
                    line.append("\t")
                elif node.tag in (_W + "br", _W + "cr"):
                    if node.get(_W + "type") == "page":
                        pages[-1].append("".join(line))
                        line = []
                        pages.append([])
                    else:
                        line.append("\n")
            pages[-1].append("".join(line))
        elif child.tag == _W + "tbl":
            for row in child.iter(_W + "tr"):
                cells = []
                for cell in row.iter(_W + "tc"):
                    cells.append("".join(t.text or "" for t in cell.iter(_W + "t")))
                pages[-1].append("\t".join(cells))
    page_texts = ["\n".join(p) for p in pages]
    text = "\n".join(page_texts)
    if not text.strip() and has_images:
        raise UnreadableReport(
            "docx 只有图片、没有文字（可能是扫描件），请提供文字版 docx、PDF 或 txt", scanned=True
        )
    if not text.strip():
        raise UnreadableReport("docx 文件没有文字内容")
    return ReadResult(text=text, pages=page_texts)


def _read_pdf(data: bytes) -> ReadResult:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:
                raise UnreadableReport("PDF 文件已加密，请去掉密码后再审查") from exc
            if not opened:
                raise UnreadableReport("PDF 文件已加密，请去掉密码后再审查")
        count = len(reader.pages)
    except UnreadableReport:
        raise
    except (PdfReadError, Exception) as exc:
        raise UnreadableReport(f"PDF 文件已损坏，无法读取（{type(exc).__name__}）") from exc
    if count > MAX_PDF_PAGES:
        raise UnreadableReport(f"PDF 页数过多（{count} 页，上限 {MAX_PDF_PAGES} 页）")
    if count == 0:
        raise UnreadableReport("PDF 文件没有页面")
    pages: list[str] = []
    warnings: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            page_text = page.extract_text() or ""
        except Exception:
            page_text = ""
            warnings.append(f"第 {number} 页无法提取文字，已跳过")
        pages.append(page_text.replace("\r\n", "\n"))
    characters = sum(len("".join(p.split())) for p in pages)
    if characters < MIN_TEXT_CHARS_PER_PAGE * count:
        raise UnreadableReport(
            "PDF 没有文字层（可能是扫描件），请提供文字版 PDF、docx 或 txt", scanned=True
        )
    empty = [str(i) for i, p in enumerate(pages, start=1) if not p.strip()]
    if empty:
        warnings.append(f"第 {'、'.join(empty)} 页没有文字（可能是扫描页），未审查")
    return ReadResult(text="\n".join(pages), pages=pages, warnings=warnings)
