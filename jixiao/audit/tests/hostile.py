"""Hostile files for the auditor's budget tests (#9.3), built in memory."""

from __future__ import annotations

import io
import zipfile
import zlib

MiB = 1024 * 1024


def shared_stream_pdf(pages: int = 200, content_bytes: int = 4 * MiB) -> bytes:
    """A pdf of ``pages`` pages that all draw one Flate content stream of ``content_bytes``.

    About 44 KB for the defaults; pypdf parsed the stream again for every page, 27 s of CPU per
    page here (issue 9.3: "over 10 s per page" for 34 KB).
    """
    unit = b"BT /F1 12 Tf 72 720 Td (report text) Tj ET\n"
    stream = zlib.compress(unit * (content_bytes // len(unit)), 9)
    kids = " ".join(f"{4 + i} 0 R" for i in range(pages)).encode()
    font = 4 + pages
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /Font << /F1 %d 0 R >> >> >>" % font
    ] * pages
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return plain_pdf(objects)


def form_xobject_pdf(pages: int = 50, content_bytes: int = 4 * MiB) -> bytes:
    """The same attack through a form XObject every page draws (its content is tiny)."""
    unit = b"BT /F1 12 Tf 72 720 Td (report text) Tj ET\n"
    form = zlib.compress(unit * (content_bytes // len(unit)), 9)
    page_content = b"/X1 Do"
    kids = " ".join(f"{6 + i} 0 R" for i in range(pages)).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Length %d >>\nstream\n" % len(page_content) + page_content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R"
        b" >> >> /Length %d /Filter /FlateDecode >>\nstream\n" % len(form) + form + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /XObject << /X1 4 0 R >> >> >>"
    ] * pages
    return plain_pdf(objects)


def plain_pdf(objects: list[bytes]) -> bytes:
    """A syntactically plain PDF of ``objects`` (numbered from 1), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def bomb_docx(inflated: int = 256 * MiB) -> bytes:
    """A docx whose word/document.xml inflates to ``inflated`` bytes (well under 1 MiB on disk)."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
        b'.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
    )
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    chunk = ("编制7人，实有5人。" * 4000).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(head)
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
            member.write(tail)
    return buffer.getvalue()


def repetitive_txt(seed: str, size: int = 4 * MiB) -> bytes:
    """The seed report repeated to ``size`` bytes of UTF-8."""
    data = seed.encode("utf-8")
    return data * (size // len(data))
