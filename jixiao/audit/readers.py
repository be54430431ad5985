"""Read a report's text from plain text, docx or a text-based pdf, with guard limits.

Everything that cannot be read raises ``UnreadableReport`` with a Chinese reason; the caller
(``jixiao audit``) turns it into exit code 2. Pages: pdf pages, ``\\f``-separated pages in text, and
hard page breaks in docx.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.audit.limits import DEFAULT_BUDGET, AuditBudget, MiB, too_complex_reason

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB
# the default budget's figures (jixiao.audit.limits); read_text takes another budget
MAX_DOCX_UNCOMPRESSED = DEFAULT_BUDGET.decompressed_bytes  # all zip members together
MAX_DOCX_RATIO = 100  # uncompressed ÷ compressed
MAX_PDF_PAGES = DEFAULT_BUDGET.pages
MAX_PDF_CONTENT = DEFAULT_BUDGET.decompressed_bytes  # page contents parsed, summed over pages
MIN_TEXT_CHARS_PER_PAGE = 20  # fewer on average: a scanned pdf without a text layer

SUFFIXES = (".txt", ".text", ".docx", ".pdf")


class UnreadableReport(Exception):
    """The file cannot be read as a report; ``reason`` says why, in Chinese."""

    def __init__(
        self, reason: str, source: str = "", *, scanned: bool = False, too_complex: bool = False
    ) -> None:
        super().__init__(f"{source}：{reason}" if source else reason)
        self.reason = reason
        self.source = source
        # images without a text layer (a scan): a batch lists these apart, they need OCR or the
        # original document rather than a repaired file
        self.scanned = scanned
        # over the file's budget (jixiao.audit.limits): the reason reads 太大或太复杂，未审查（…）
        self.too_complex = too_complex


def too_complex(detail: str) -> UnreadableReport:
    """The refusal of a file over its budget: 太大或太复杂，未审查（detail）."""
    return UnreadableReport(too_complex_reason(detail), too_complex=True)


@dataclass
class ReadResult:
    text: str
    pages: list[str]
    warnings: list[str] = field(default_factory=list)


def read_text(
    path_or_bytes: Path | str | bytes,
    *,
    suffix: str | None = None,
    budget: AuditBudget = DEFAULT_BUDGET,
) -> ReadResult:
    """The text of a report file (or of its bytes, with ``suffix`` naming the format), within
    ``budget``'s pages and decompressed bytes (time and memory are the caller's: see limits)."""
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
            raise UnreadableReport(_too_big(size), source, too_complex=True)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableReport(f"无法读取文件（{exc.strerror or exc}）", source) from exc
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableReport(_too_big(len(data)), source, too_complex=True)
    try:
        if not data:
            raise UnreadableReport("文件为空（0 字节）")
        kind = _kind(data, (suffix or "").lower())
        if kind == "docx":
            return _read_docx(data, budget)
        if kind == "pdf":
            return _read_pdf(data, budget)
        return _read_plain(data)
    except UnreadableReport as exc:
        raise UnreadableReport(
            exc.reason, source, scanned=exc.scanned, too_complex=exc.too_complex
        ) from None


def _too_big(size: int) -> str:
    return too_complex_reason(
        f"文件 {size / 1024 / 1024:.1f} MB，超过上限 {MAX_FILE_BYTES // 1024 // 1024} MB"
    )


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


def _read_docx(data: bytes, budget: AuditBudget = DEFAULT_BUDGET) -> ReadResult:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableReport("docx 文件已损坏，无法解压") from exc
    uncompressed = sum(i.file_size for i in infos)
    compressed = sum(i.compress_size for i in infos) or 1
    if uncompressed > budget.decompressed_bytes:
        raise too_complex(
            f"docx 解压后 {uncompressed / MiB:.0f} MB，超过上限 "
            f"{budget.decompressed_bytes // MiB} MB，疑似压缩炸弹"
        )
    if uncompressed / compressed > MAX_DOCX_RATIO and uncompressed > MiB:
        raise too_complex(
            f"docx 压缩比 {uncompressed / compressed:.0f} 倍，超过上限 {MAX_DOCX_RATIO} 倍，"
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


def _docx_blocks(parent: Any) -> Iterator[Any]:
    """The body's paragraphs and tables in order; a content control (w:sdt: a cover page, a
    template's fill-in block) is walked into, not dropped."""
    for child in parent.iterchildren():
        if child.tag == _W + "sdt":
            for content in child.iterchildren(_W + "sdtContent"):
                yield from _docx_blocks(content)
        elif child.tag in (_W + "p", _W + "tbl"):
            yield child


def _docx_row(row: Any) -> str:
    """A table row's cells joined by tabs; a cell merged across columns (w:gridSpan) is followed
    by an empty cell for each column it covers, so the row's figures stay under their header
    (总分 | | | | | | 100 | 98 keeps 100 under 分值 and 98 under 得分, where joined tight it read
    as 总分100)."""
    cells: list[str] = []
    for cell in row.iterchildren(_W + "tc", _W + "sdt"):
        if cell.tag == _W + "sdt":  # a content control around cells
            inner = [c for content in cell.iterchildren(_W + "sdtContent") for c in content]
            cells.extend(_docx_row_cells(inner))
            continue
        cells.extend(_docx_row_cells([cell]))
    return "\t".join(cells)


def _docx_row_cells(cells: list[Any]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        if cell.tag != _W + "tc":
            continue
        # a cell's paragraphs with a space between them (two lines of one cell are one value)
        paragraphs = [
            "".join(t.text or "" for t in para.iter(_W + "t")) for para in cell.iter(_W + "p")
        ]
        out.append(" ".join(p for p in paragraphs if p))
        span = cell.find(f"{_W}tcPr/{_W}gridSpan")
        try:
            extra = int(span.get(_W + "val")) - 1 if span is not None else 0
        except (TypeError, ValueError):
            extra = 0
        out.extend([""] * max(0, min(extra, 63)))
    return out


def _docx_pages(document: object, has_images: bool = False) -> ReadResult:
    pages: list[list[str]] = [[]]
    body = document.element.body  # type: ignore[attr-defined]
    for child in _docx_blocks(body):
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
        else:
            for row in child.iterchildren(_W + "tr"):
                pages[-1].append(_docx_row(row))
    page_texts = ["\n".join(p) for p in pages]
    text = "\n".join(page_texts)
    if not text.strip() and has_images:
        raise UnreadableReport(
            "docx 只有图片、没有文字（可能是扫描件），请提供文字版 docx、PDF 或 txt", scanned=True
        )
    if not text.strip():
        raise UnreadableReport("docx 文件没有文字内容")
    return ReadResult(text=text, pages=page_texts)


def _read_pdf(data: bytes, budget: AuditBudget = DEFAULT_BUDGET) -> ReadResult:
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
    except (UnreadableReport, MemoryError):
        raise
    except (PdfReadError, Exception) as exc:
        raise UnreadableReport(f"PDF 文件已损坏，无法读取（{type(exc).__name__}）") from exc
    if count > budget.pages:
        raise too_complex(f"PDF 共 {count} 页，超过上限 {budget.pages} 页")
    if count == 0:
        raise UnreadableReport("PDF 文件没有页面")
    _check_page_contents(reader, budget)
    from jixiao.audit import pdfcells

    scans: list[pdfcells.PageScan | None] = []
    warnings: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            scans.append(pdfcells.scan_page(page))
        except MemoryError:
            raise
        except Exception:
            scans.append(None)
            warnings.append(f"第 {number} 页无法提取文字，已跳过")
    # a ruled table's rows as tab-separated cells (jixiao.audit.pdfcells): the plain text runs a
    # table's cells together and breaks the words of a narrow cell
    rebuilt = pdfcells.with_cells(reader.pages, scans)
    pages = [
        (cells if cells is not None else scan.text if scan is not None else "").replace(
            "\r\n", "\n"
        )
        for scan, cells in zip(scans, rebuilt, strict=True)
    ]
    characters = sum(len("".join(p.split())) for p in pages)
    if characters < MIN_TEXT_CHARS_PER_PAGE * count:
        raise UnreadableReport(
            "PDF 没有文字层（可能是扫描件），请提供文字版 PDF、docx 或 txt", scanned=True
        )
    empty = [str(i) for i, p in enumerate(pages, start=1) if not p.strip()]
    if empty:
        warnings.append(f"第 {'、'.join(empty)} 页没有文字（可能是扫描页），未审查")
    return ReadResult(text="\n".join(pages), pages=pages, warnings=warnings)


def _check_page_contents(reader: Any, budget: AuditBudget) -> None:
    """Refuse a pdf whose pages would make the text extractor parse more than the budget.

    pypdf parses a page's content stream (and the form XObjects it draws) for every page, in
    Python: 34 KB of pdf whose 200 pages share one Flate stream of a few MB cost over 10 s a page.
    Each distinct stream is inflated once, at most to the budget, only to learn its size (nothing
    is kept); the sizes are then summed over the pages that draw them.
    """
    limit = budget.decompressed_bytes
    sizes: dict[object, int] = {}
    total = 0
    try:
        for page in reader.pages:
            for key, stream in _page_streams(page):
                if key not in sizes:
                    sizes[key] = _inflated_size(stream, limit + 1)
                total += sizes[key]
                if total > limit:
                    shared = "，多个页面共用同一内容" if len(sizes) < len(reader.pages) else ""
                    raise too_complex(f"PDF 页面内容解压后超过 {limit // MiB} MB{shared}")
    except (UnreadableReport, MemoryError):
        raise
    except Exception:  # a damaged structure: the extractor below says which page it skips
        return


def _page_streams(page: Any) -> Iterator[tuple[object, Any]]:
    """(identity, stream) of the page's content streams and the form XObjects it may draw,
    nested forms included, each once per page."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    def identity(raw: object) -> object:
        if isinstance(raw, IndirectObject):
            return (raw.idnum, raw.generation)
        return id(raw)

    seen: set[object] = set()
    pending: list[object] = []
    contents = page.raw_get("/Contents") if "/Contents" in page else None
    if contents is not None:
        resolved = contents.get_object() if isinstance(contents, IndirectObject) else contents
        if isinstance(resolved, ArrayObject):
            pending.extend(resolved)
        else:
            pending.append(contents)
    resources: list[object] = [page.get("/Resources")]
    while pending or resources:
        if pending:
            raw = pending.pop()
            key = identity(raw)
            stream = raw.get_object() if isinstance(raw, IndirectObject) else raw
            if key in seen or not isinstance(stream, StreamObject):
                continue
            seen.add(key)
            yield key, stream
            if stream.get("/Subtype") == "/Form":
                resources.append(stream.get("/Resources"))
            continue
        found = resources.pop()
        found = found.get_object() if isinstance(found, IndirectObject) else found
        if not isinstance(found, DictionaryObject) or "/XObject" not in found:
            continue
        xobjects = found["/XObject"]
        if not isinstance(xobjects, DictionaryObject):
            continue
        for name in list(xobjects):
            raw = xobjects.raw_get(name)
            target = raw.get_object() if isinstance(raw, IndirectObject) else raw
            if isinstance(target, StreamObject) and target.get("/Subtype") == "/Form":
                pending.append(raw)


_INFLATE_CHUNK = MiB


def _inflated_size(stream: Any, cap: int) -> int:
    """The stream's decoded size, counted up to ``cap`` (a bomb is never inflated whole)."""
    raw = getattr(stream, "_data", b"") or b""
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters or "")]
    names = [n for n in names if n]
    if not names:
        return len(raw)
    if names not in (["/FlateDecode"], ["/Fl"]):
        try:  # other filters (LZW, ASCII85 …) are rare for page content; pypdf caps them itself
            return len(stream.get_data())
        except Exception:
            return len(raw)
    inflater = zlib.decompressobj()
    total = 0
    pending = raw
    try:
        while pending and total < cap:
            total += len(inflater.decompress(pending, _INFLATE_CHUNK))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # damaged: pypdf recovers what it can, which is no more than what came out here
    return total
