"""The PDF: A4 pages, the key figures as text, body numbered from 1, the CJK fonts embedded."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pypdf
import pytest


@pytest.fixture(scope="module")
def pdf(seed_package: dict[str, bytes]) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(seed_package["自评报告.pdf"]))


def test_pdf_pages_are_a4(pdf: pypdf.PdfReader) -> None:
    assert len(pdf.pages) >= 5
    for page in pdf.pages:
        width, height = (Decimal(str(v)) for v in page.mediabox.upper_right)
        # A4 = 210 × 297 mm = 595.28 × 841.89 pt
        assert abs(width - Decimal("595.28")) < 1
        assert abs(height - Decimal("841.89")) < 1


def test_pdf_text_has_the_key_figures(pdf: pypdf.PdfReader) -> None:
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))
    for figure in (
        "部门整体支出绩效自评报告",
        "填报日期：2026年5月21日",
        "湛财绩〔2026〕2号",
        "25478人次",
        "158.08%",
        "126.59%",
        "114.19%",
        "33.28万元",
        "38.45万元",
        "支出完成率100%",
        "预算调整率15.53%",
        "得分98分，绩效评价等级为优秀",
        "湛财评〔2019〕26号",
    ):
        assert figure in text


def test_pdf_body_pages_are_numbered_from_one(pdf: pypdf.PdfReader) -> None:
    cover = pdf.pages[0].extract_text()
    assert "—" not in cover
    for number, page in enumerate(pdf.pages[1:], start=1):
        assert f"— {number} —" in page.extract_text()


def test_pdf_embeds_the_cjk_fonts(pdf: pypdf.PdfReader) -> None:
    fonts: set[str] = set()
    for page in pdf.pages:
        resources: Any = page["/Resources"].get_object()
        for font in resources["/Font"].get_object().values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    names = {name.split("+", 1)[1] for name in fonts}  # drop the subset tag
    assert names == {
        "Noto-Serif-CJK-SC",  # body (仿宋 substitute)
        "Noto-Serif-CJK-SC-Bold",  # title (小标宋 substitute) and leads
        "Noto-Sans-CJK-SC",  # 一级标题 (黑体)
        "AR-PL-UKai-CN",  # 二级标题 (楷体)
    }
