"""The docx: same text as the txt (one model), official fonts, A4 and GB/T 9704 margins."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from docx.shared import Pt

from jixiao.documents.render.txt import render_text


def _open(package: dict[str, bytes]) -> docx.document.Document:
    return docx.Document(io.BytesIO(package["自评报告.docx"]))


def test_docx_paragraphs_equal_the_text(seed_package, seed_report) -> None:
    document = _open(seed_package)
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    text_blocks = [b for b in render_text(seed_report).split("\n\n") if b.strip()]
    assert paragraphs == [b.strip() for b in text_blocks]


def test_docx_page_setup_is_a4_with_official_margins(seed_package) -> None:
    document = _open(seed_package)
    assert len(document.sections) == 2  # cover, body numbered from 1
    for section in document.sections:
        # Word stores lengths in twips (1/20 pt), so compare to the nearest 0.1 mm.
        measured = (
            section.page_width, section.page_height, section.top_margin,
            section.bottom_margin, section.left_margin, section.right_margin,
        )  # fmt: skip
        assert [round(length.mm, 1) for length in measured if length is not None] == [
            210,
            297,
            37,
            35,
            28,
            26,
        ]
    body = document.sections[1]
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert "PAGE" in body.footer._element.xml
    assert "PAGE" in body.even_page_footer._element.xml
    assert document.settings.odd_and_even_pages_header_footer


def _east_asian(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_docx_styles_carry_the_official_fonts(seed_package) -> None:
    document = _open(seed_package)
    styles = document.styles
    assert _east_asian(styles["Normal"]) == "仿宋_GB2312"
    assert styles["Normal"].font.size == Pt(16)
    assert styles["Normal"].paragraph_format.line_spacing == Pt(28.95)
    assert styles["Normal"].paragraph_format.first_line_indent == Pt(32)
    assert _east_asian(styles["Title"]) == "方正小标宋简体"
    assert styles["Title"].font.size == Pt(22)
    assert _east_asian(styles["Heading 1"]) == "黑体"
    assert _east_asian(styles["Heading 2"]) == "楷体_GB2312"
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"
    ]
    assert headings == [
        "一、单位基本情况",
        "二、自评工作开展情况",
        "三、绩效自评情况",
        "四、其他自评情况",
    ]
    title = next(p for p in document.paragraphs if p.style is not None and p.style.name == "Title")
    assert title.text == "部门整体支出绩效自评报告"


def test_docx_lead_is_bold(seed_package) -> None:
    document = _open(seed_package)
    paragraph = next(p for p in document.paragraphs if p.text.startswith("2.预算执行情况"))
    assert paragraph.runs[0].text == "2.预算执行情况"
    assert paragraph.runs[0].bold is True
    assert paragraph.runs[1].bold is not True
