"""The golden example: the published seed has no error and exactly its two known warnings."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from jixiao.audit import audit_text, read_text
from jixiao.audit.readers import ReadResult


def _summary(report) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(f.severity, f.code) for f in report.findings]


def test_seed_has_exactly_its_two_warnings(audit_seed_text: str) -> None:
    report = audit_text(audit_seed_text, source="seed.txt")
    assert _summary(report) == [
        ("warning", "over_completion"),
        ("warning", "execution_100_unadjusted"),
    ]
    over, execution = report.findings
    assert "158.08" in over.quote and over.location.line == 37
    assert "100%" in execution.quote and "33.28" in execution.message
    assert "38.45" in execution.message


def test_seed_extraction(audit_seed_text: str) -> None:
    x = audit_text(audit_seed_text).extracted
    assert x["year"] == 2025
    assert x["unit_name"] == "湛江市职业技能鉴定指导中心"
    assert x["filled_on"] == "2026-05-21"
    assert x["notice"] == {
        "title": "湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知",
        "number": "湛财绩〔2026〕2号",
        "year": 2026,
    }
    assert x["unit_type"] == "公益二类事业单位"
    assert x["supervisor"] == "湛江市人力资源和社会保障局"
    assert (x["staffing_quota"], x["staff_actual"]) == (7, 5)
    assert [(t["actual"], t["stated_percent"]) for t in x["targets"]] == [
        ("18969", "158.08"),
        ("5570", "126.59"),
        ("354", "114.19"),
    ]
    assert x["budget"]["initial"] == "33.28"
    assert x["budget"]["executed"] == "38.45"
    assert x["budget"]["full_year"] is None
    assert x["budget"]["stated_execution_rate"] == "100"
    assert (x["total_score"], x["grade"]) == ("98", "优秀")  # 优 / 秀 broken across a page
    assert [s["title"] for s in x["sections"] if s["level"] == 1] == [
        "单位基本情况",
        "自评工作开展情况",
        "绩效自评情况",
        "其他自评情况",
    ]
    assert len(x["problems"]) == 3 and x["problems"][0].startswith("绩效管理精细化")
    assert len(x["improvements"]) == 3
    assert x["ruleset"].startswith("gd-department@")
    assert x["not_found"] == []


def test_seed_with_full_width_digits_and_crlf(audit_seed_text: str) -> None:
    wide = audit_seed_text.translate(str.maketrans("0123456789%", "０１２３４５６７８９％"))
    report = audit_text(wide.replace("\n", "\r\n"))
    assert _summary(report) == [
        ("warning", "over_completion"),
        ("warning", "execution_100_unadjusted"),
    ]


def test_seed_paged_reports_page_numbers(audit_seed_text: str) -> None:
    lines = audit_seed_text.split("\n")
    pages = ["\n".join(lines[:40]), "\n".join(lines[40:])]
    report = audit_text("\n".join(pages), pages=pages)
    pages_of = {f.code: f.location.page for f in report.findings}
    assert pages_of == {"over_completion": 1, "execution_100_unadjusted": 2}


def test_seed_read_as_gb18030_bytes(audit_seed_text: str) -> None:
    result = read_text(audit_seed_text.encode("gb18030"), suffix=".txt")
    assert isinstance(result, ReadResult)
    assert _summary(audit_text(result.text)) == [
        ("warning", "over_completion"),
        ("warning", "execution_100_unadjusted"),
    ]


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_rendered_seed_is_clean(audit_rendered: dict[str, bytes], fmt: str) -> None:
    """Our renderer states the adjusted budget and explains the 158.08%: nothing to report."""
    result = read_text(io.BytesIO(audit_rendered[fmt]).getvalue(), suffix=f".{fmt}")
    report = audit_text(result.text, pages=result.pages)
    assert report.findings == []
    x = report.extracted
    assert x["budget"]["full_year"] == "38.45"
    assert x["budget"]["stated_adjustment_rate"] == "15.53"
    assert [p["score"] for p in x["parts"]] == ["19", "30", "14", "35"]
    assert (x["total_score"], x["grade"], x["year"]) == ("98", "优秀", 2025)
    assert len(x["targets"]) == 3


def test_seed_as_foundation_model(audit_seed_text: str) -> None:
    evaluation = audit_text(audit_seed_text).evaluation
    assert evaluation is not None
    assert evaluation.year == 2025 and evaluation.unit.staffing_quota == 7
    assert evaluation.notice is not None and evaluation.notice.number == "湛财绩〔2026〕2号"
    assert [t.actual for t in evaluation.targets] == [18969, 5570, 354]
    assert (evaluation.budget.initial, evaluation.budget.executed) == (
        Decimal("33.28"),
        Decimal("38.45"),
    )
    assert "按年初预算数填入" in evaluation.example_note


def test_too_little_read_gives_no_model() -> None:
    assert audit_text("评价年度：2025年").evaluation is None


def _seed_as(fmt: str, text: str) -> bytes:
    from jixiao.audit.corpus.noise import paragraphs_of
    from jixiao.audit.corpus.writers import write_docx, write_pdf

    if fmt == "docx-lines":  # one Word paragraph per line, as pasting the text into Word gives
        from docx import Document

        document = Document()
        for line in text.split("\n"):
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    doc = paragraphs_of(text)
    return write_docx(doc) if fmt == "docx" else write_pdf(doc)


@pytest.mark.parametrize("fmt", ["docx-lines", "docx", "pdf"])
def test_seed_text_as_docx_and_pdf_has_its_two_warnings(audit_seed_text: str, fmt: str) -> None:
    from jixiao.audit import audit_bytes

    suffix = ".pdf" if fmt == "pdf" else ".docx"
    report = audit_bytes(_seed_as(fmt, audit_seed_text), f"seed{suffix}")
    assert _summary(report) == [
        ("warning", "over_completion"),
        ("warning", "execution_100_unadjusted"),
    ]
    x = report.extracted
    assert (x["total_score"], x["grade"], x["budget"]["initial"]) == ("98", "优秀", "33.28")
    if fmt == "pdf":  # the pdf has pages: the 100% claim is on page 3 of the corpus layout
        assert [f.location.page for f in report.findings] == [1, 3]
