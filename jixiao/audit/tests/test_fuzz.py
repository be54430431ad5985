"""Fuzzing the readers and the auditor (hypothesis): nothing but UnreadableReport ever escapes.

Arbitrary text, arbitrary bytes named .txt / .docx / .pdf, truncated and mutated real documents, a
docx zip bomb, an oversized file, deeply nested and entity-expanding XML, a pdf with nested arrays
and a pdf stream bomb. Every example must end, quickly, in either a result or UnreadableReport;
hypothesis's per-test ``deadline`` is what stops a runaway (no timed assertion), and tracemalloc
bounds what the Python side may allocate while reading a bomb.
"""

from __future__ import annotations

import io
import random
import tracemalloc
import zipfile
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jixiao.audit import UnreadableReport, audit_file, audit_text, read_text
from jixiao.audit.corpus.bases import seed_text
from jixiao.audit.corpus.noise import paragraphs_of
from jixiao.audit.corpus.writers import write_docx, write_pdf
from jixiao.audit.tests.hostile import plain_pdf

FAST = settings(
    max_examples=60,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BOMB = settings(max_examples=1, deadline=timedelta(seconds=10), database=None)
MiB = 2**20

# Report-like alphabet: the characters the extractors look for, so hypothesis reaches the checks.
REPORT_CHARS = st.sampled_from(
    list(
        "0123456789.%％，。：（）〔〕 \t\n一二三四、年月日元万亿人次编制实有得分等级优秀良好中差完成率预算执行调整"
        "百分之两千零〇点≥目标值满意度合格原因"
    )
)


@pytest.fixture(scope="module")
def real_documents() -> dict[str, bytes]:
    """A real docx and pdf of the seed (the corpus writers), to truncate and mutate."""
    doc = paragraphs_of(seed_text())
    return {"docx": write_docx(doc), "pdf": write_pdf(doc)}


def _read_or_unreadable(data: bytes, suffix: str) -> None:
    try:
        result = read_text(data, suffix=suffix)
    except UnreadableReport as exc:
        assert str(exc)  # a reason, in words
        return
    assert isinstance(result.text, str)
    audit_text(result.text, source=f"fuzz{suffix}")


@FAST
@given(st.text())
def test_any_text_is_audited(text: str) -> None:
    report = audit_text(text, source="fuzz")
    assert all(f.code and f.severity for f in report.findings)
    report.to_json()


@FAST
@given(st.text(REPORT_CHARS, max_size=400))
@example("本次整体绩效自评得分98分，绩效评价等级为差。编制0人，实有5人。完成全年任务数的%")
@example("年初预算0万元，全年预算（调整后）0万元，全年实际支出0万元，预算执行率100%。")
@example("完成全年任务数的99999999999999999999999999999999%。得分1e999分")
def test_report_like_text_is_audited(text: str) -> None:
    report = audit_text(text, source="fuzz")
    report.to_json()


@FAST
@given(st.binary(max_size=4096), st.sampled_from([".txt", ".docx", ".pdf"]))
@example(b"\xff\xfe" + "编制7人".encode("utf-16-le"), ".txt")
@example("填报日期：2026年5月21日".encode("gb18030"), ".txt")
@example(b"PK\x03\x04", ".docx")
@example(b"%PDF-1.7\n", ".pdf")
@example(b"", ".pdf")
def test_any_bytes_read_or_are_unreadable(data: bytes, suffix: str) -> None:
    _read_or_unreadable(data, suffix)


@FAST
@given(data=st.data(), fmt=st.sampled_from(["docx", "pdf"]))
def test_truncated_real_documents(
    real_documents: dict[str, bytes], data: st.DataObject, fmt: str
) -> None:
    original = real_documents[fmt]
    cut = data.draw(st.integers(0, len(original) - 1), label="cut")
    _read_or_unreadable(original[:cut], f".{fmt}")


@FAST
@given(data=st.data(), fmt=st.sampled_from(["docx", "pdf"]))
def test_mutated_real_documents(
    real_documents: dict[str, bytes], data: st.DataObject, fmt: str
) -> None:
    content = bytearray(real_documents[fmt])
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(content) - 1), st.integers(0, 255)), min_size=1, max_size=20))  # fmt: skip
    for position, value in flips:
        content[position] = value
    _read_or_unreadable(bytes(content), f".{fmt}")


def _docx_with(
    document_xml_chunks: list[bytes] | None = None, *, repeat: int = 1, zip64: bool = True
) -> bytes:
    """A minimal docx whose word/document.xml is the chunks (the middle one repeated), streamed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        assert document_xml_chunks is not None
        head, middle, tail = document_xml_chunks
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=zip64) as part:
            part.write(head)
            for _ in range(repeat):
                part.write(middle)
            part.write(tail)
    return buffer.getvalue()


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOC_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W + b"><w:body><w:p><w:r><w:t>"
DOC_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """256 MiB of text in word/document.xml (over the reader's limit), well under 1 MiB on disk."""
    chunk = ("编制7人，实有5人。" * 4000).encode("utf-8")
    bomb = _docx_with([DOC_HEAD, chunk, DOC_TAIL], repeat=256 * MiB // len(chunk))
    assert len(bomb) < MiB
    return bomb


def _bounded(data: bytes, suffix: str, limit: int = 256 * MiB) -> None:
    """Read ``data``: a result or UnreadableReport, with Python allocations under ``limit``."""
    tracemalloc.start()
    try:
        _read_or_unreadable(data, suffix)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit, f"峰值 {peak / MiB:.0f} MiB"


@BOMB
@given(st.just(None))
def test_docx_zip_bomb_is_refused(zip_bomb: bytes, _: None) -> None:
    with pytest.raises(UnreadableReport):
        read_text(zip_bomb, suffix=".docx")
    _bounded(zip_bomb, ".docx")


def _lie_about_size(archive: bytes, member: bytes, declared: int, crc: int | None = None) -> bytes:
    """The zip with ``member``'s uncompressed size (and CRC) rewritten, in both its headers."""
    data = bytearray(archive)
    # (signature, offset of the CRC, of the size field, of the name length, of the name)
    for signature, crc_at, size_at, length_at, name_at in (
        (b"PK\x03\x04", 14, 22, 26, 30),
        (b"PK\x01\x02", 16, 24, 28, 46),
    ):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            length = int.from_bytes(data[start + length_at : start + length_at + 2], "little")
            if bytes(data[start + name_at : start + name_at + length]) == member:
                data[start + size_at : start + size_at + 4] = declared.to_bytes(4, "little")
                if crc is not None:
                    data[start + crc_at : start + crc_at + 4] = crc.to_bytes(4, "little")
            start += 4
    return bytes(data)


@pytest.mark.parametrize("fake_crc", [False, True])
@BOMB
@given(st.just(None))
def test_docx_that_lies_about_its_size(fake_crc: bool, _: None) -> None:
    """A zip directory claiming 4 KiB for 64 MiB of XML passes the ratio guard; reading must
    stop at the declared size, even when the CRC is faked to match that prefix."""
    chunk = ("编制7人，实有5人。" * 4000).encode("utf-8")
    honest = _docx_with([DOC_HEAD, chunk, DOC_TAIL], repeat=64 * MiB // len(chunk), zip64=False)
    prefix_crc = zlib.crc32((DOC_HEAD + chunk)[:4096]) if fake_crc else None
    liar = _lie_about_size(honest, b"word/document.xml", 4096, prefix_crc)
    with pytest.raises(UnreadableReport) as caught:
        read_text(liar, suffix=".docx")
    assert caught.value.reason == (
        "docx 文件无法解析（XMLSyntaxError）"  # the 4 KiB prefix is cut-off XML
        if fake_crc
        else "docx 文件已损坏，无法解压（BadZipFile）"
    )
    _bounded(liar, ".docx", limit=16 * MiB)


@BOMB
@given(st.just(None))
def test_deeply_nested_xml(_: None) -> None:
    depth = 40_000  # under 1 MiB, so the ratio guard lets it through to the XML parser
    nested = _docx_with([DOC_HEAD, b"<w:r>" * depth + b"</w:r>" * depth, DOC_TAIL])
    _bounded(nested, ".docx")


@BOMB
@given(st.just(None))
def test_entity_expansion_in_docx_xml(_: None) -> None:
    laughs = b'<!DOCTYPE w:document [<!ENTITY a "' + b"x" * 100 + b'">'
    for level in range(1, 10):
        previous = b"&a%d;" % (level - 1) if level > 1 else b"&a;"
        laughs += b'<!ENTITY a%d "' % level + previous * 10 + b'">'
    laughs += b"]>"
    xml_head = b'<?xml version="1.0" encoding="UTF-8"?>' + laughs + DOC_HEAD[38:]
    bomb = _docx_with([xml_head, b"&a9;", DOC_TAIL])
    _bounded(bomb, ".docx")


def _pdf_with_content(stream: bytes, extra: bytes = b"") -> bytes:
    return plain_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + extra + b">>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])  # fmt: skip


@pytest.fixture(scope="module")
def stream_bomb() -> bytes:
    """A Flate stream of 512 MiB of page operators. Built outside the test body, so hypothesis's
    deadline measures the reader, not the compression (which takes seconds on a loaded machine)."""
    compressor = zlib.compressobj(9)
    chunk = b"0 0 Td " * 10000
    stream = b"".join(compressor.compress(chunk) for _ in range(512 * MiB // len(chunk)))
    return stream + compressor.flush()


@BOMB
@given(st.just(None))
def test_pdf_stream_bomb(stream_bomb: bytes, _: None) -> None:
    _bounded(_pdf_with_content(stream_bomb), ".pdf")


@BOMB
@given(st.just(None))
def test_pdf_deeply_nested_arrays(_: None) -> None:
    nested = b"[" * 100_000 + b"]" * 100_000
    _bounded(_pdf_with_content(zlib.compress(b"BT ET"), b"/Deep " + nested), ".pdf")


@BOMB
@given(st.just(None))
def test_huge_txt_is_refused_or_read_within_bounds(
    tmp_path_factory: pytest.TempPathFactory, _: None
) -> None:
    path = tmp_path_factory.mktemp("huge") / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024 * MiB)  # sparse: 2 GiB that take no disk
    with pytest.raises(UnreadableReport):
        read_text(path)


@pytest.mark.slow
@settings(max_examples=1, deadline=timedelta(seconds=120), database=None)
@given(st.just(None))
def test_largest_allowed_txt_is_read_and_audited(
    tmp_path_factory: pytest.TempPathFactory, _: None
) -> None:
    """A txt just under the reader's size limit (the seed some 1,600 times over) ends, within the deadline."""
    from jixiao.audit.readers import MAX_FILE_BYTES

    seed = seed_text().encode("utf-8")
    path = tmp_path_factory.mktemp("large") / "large.txt"
    path.write_bytes(seed * ((MAX_FILE_BYTES - 1) // len(seed)))
    report = audit_file(path)
    assert report.extracted["year"] == 2025


@settings(
    max_examples=25, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow]
)
@given(st.integers(0, 2**32 - 1))
def test_seed_with_random_corruption_is_audited(seed: int) -> None:
    """The real seed with random characters deleted, doubled or replaced: a report, never a crash."""
    rng = random.Random(seed)
    text = list(seed_text())
    for _ in range(rng.randint(1, 200)):
        position = rng.randrange(len(text))
        action = rng.random()
        if action < 0.4:
            del text[position]
        elif action < 0.7:
            text.insert(position, text[position])
        else:
            text[position] = rng.choice("0123456789。，%人元年月日\n ")
    audit_text("".join(text), source="seed-corrupted").to_json()


def test_unreadable_report_names_the_problem_for_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableReport) as caught:
        read_text(tmp_path / "没有这个文件.txt")
    assert str(caught.value)
