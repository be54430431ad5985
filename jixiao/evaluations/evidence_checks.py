"""佐证材料: a file is accepted only when it really is what its first bytes claim (#9.14).

The first bytes alone let a ``%PDF-`` + HTML polyglot through. Each kind is opened the way the
reader of the file would: a pdf is parsed (pypdf) and must have pages, within a limit; an image is
decoded (Pillow: ``verify()`` then ``load()``), with a pixel limit against decompression bombs; a
docx or xlsx must be a zip with its main parts, within size and ratio limits (an xlsx through the
project's one workbook guard, scoring.workbook_limits). A refusal raises ``EvidenceRefused`` with a
Chinese reason; the caller stores nothing.
"""

from __future__ import annotations

import io
import logging
import zipfile
from typing import Any

from django.utils.translation import gettext as _

MAX_PDF_PAGES = 2000
MAX_IMAGE_PIXELS = 60_000_000  # 60 MP: a phone photo is 12–50 MP
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 10_000
MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def check_evidence_content(kind: str, upload: Any) -> None:
    """Refuse (EvidenceRefused) an upload whose content is not a sound file of ``kind``."""
    from jixiao.evaluations.services import EvidenceRefused

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    name = str(getattr(upload, "name", "") or "")
    reason = {"pdf": _pdf, "jpg": _image, "png": _image, "docx": _office, "xlsx": _office}[kind](
        data, kind
    )
    if reason:
        raise EvidenceRefused(_("“{name}”未保存：{reason}").format(name=name, reason=reason))


def _pdf(data: bytes, kind: str) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return _("PDF 文件已加密，请去掉密码后再上传")
        pages = len(reader.pages)
    except Exception:  # pypdf raises many kinds for a damaged or fake pdf
        return _("文件内容不是有效的 PDF（无法解析）")
    if pages == 0:
        return _("PDF 文件没有页面")
    if pages > MAX_PDF_PAGES:
        return _("PDF 共 {n} 页，超过上限 {limit} 页").format(n=pages, limit=MAX_PDF_PAGES)
    return ""


def _image(data: bytes, kind: str) -> str:
    from PIL import Image

    expected = {"jpg": "JPEG", "png": "PNG"}[kind]
    try:
        with Image.open(io.BytesIO(data)) as image:
            # the header's size, before any pixel is decoded: a bomb never gets decoded
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return _too_many_pixels()
            if image.format != expected:
                return _("文件内容不是有效的图片")
            image.verify()
        with Image.open(io.BytesIO(data)) as image:  # verify() leaves the image unusable
            image.load()
    except Image.DecompressionBombError:  # Pillow's own, far larger limit, at open()
        return _too_many_pixels()
    except Exception:  # Pillow raises many kinds for a bad image
        return _("文件内容不是有效的图片（无法解码）")
    return ""


def _too_many_pixels() -> str:
    return _("图片像素过多（上限 {limit} 万像素），疑似解压炸弹").format(
        limit=MAX_IMAGE_PIXELS // 10_000
    )


def _office(data: bytes, kind: str) -> str:
    label = "Word" if kind == "docx" else "Excel"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("{label} 文件已损坏，无法解压").format(label=label)
    if len(infos) > MAX_ZIP_MEMBERS:
        return _("{label} 文件结构异常（部件过多）").format(label=label)
    if any(info.flag_bits & 0x1 for info in infos) or "EncryptedPackage" in names:
        return _("{label} 文件已加密，请去掉密码后再上传").format(label=label)
    if "[Content_Types].xml" not in names or MAIN_PARTS[kind] not in names:
        return _("文件内容不是有效的 {label} 文件（缺少必需的部件）").format(label=label)
    declared = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos) or 1
    if declared > MAX_ZIP_UNCOMPRESSED or (
        declared > 1024 * 1024 and declared / compressed > MAX_ZIP_RATIO
    ):
        return _("{label} 文件解压后过大，疑似压缩炸弹").format(label=label)
    if kind == "xlsx":
        from scoring.workbook_limits import WorkbookTooLarge, check_workbook

        try:
            check_workbook(data)
        except WorkbookTooLarge:
            return _("Excel 文件过大或过于复杂")
    return ""
