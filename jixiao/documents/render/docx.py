"""Word (.docx) rendering of the report model, laid out after GB/T 9704 (see typography.py).

Styles carry the fonts (so a unit editing the file keeps the look): 标题 / Heading 1 / Heading 2 /
Normal. East Asian font names go into w:eastAsia, which is what Word and WPS read for Chinese text.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from jixiao.documents import typography as ty
from jixiao.documents.report_model import Heading, Paragraph, Report, Table

TITLE_STYLE = "Title"
BODY_STYLE = "Normal"
HEADING_STYLES = {1: "Heading 1", 2: "Heading 2"}


def set_fonts(target: ParagraphStyle | Run, role: ty.FontRole) -> None:
    """Set size, weight and the Latin and East Asian font names of a style or run."""
    font = target.font
    font.name = ty.LATIN
    font.size = Pt(float(role.size_pt))
    font.bold = role.bold
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), role.official)
    fonts.set(qn("w:ascii"), ty.LATIN)
    fonts.set(qn("w:hAnsi"), ty.LATIN)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _style(document: DocumentObject, name: str, role: ty.FontRole) -> ParagraphStyle:
    styles = document.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    assert isinstance(style, ParagraphStyle)
    set_fonts(style, role)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(float(ty.LINE_PITCH_PT))
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    return style


def _setup_styles(document: DocumentObject) -> None:
    body = _style(document, BODY_STYLE, ty.BODY)
    body.paragraph_format.first_line_indent = Pt(
        float(ty.BODY.size_pt) * ty.FIRST_LINE_INDENT_CHARS
    )
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    title = _style(document, TITLE_STYLE, ty.TITLE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    # The Title style has a bottom border in the default template; an official title has none.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    for level, role in ((1, ty.HEADING1), (2, ty.HEADING2)):
        style = _style(document, HEADING_STYLES[level], role)
        style.paragraph_format.first_line_indent = Pt(float(role.size_pt) * 2)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _style(
        document, "Table Text", ty.TABLE
    ).paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _page_setup(document: DocumentObject) -> None:
    for section in document.sections:
        section.page_width = Mm(ty.PAGE_WIDTH_MM)
        section.page_height = Mm(ty.PAGE_HEIGHT_MM)
        section.top_margin = Mm(ty.MARGIN_TOP_MM)
        section.bottom_margin = Mm(ty.MARGIN_BOTTOM_MM)
        section.left_margin = Mm(ty.MARGIN_LEFT_MM)
        section.right_margin = Mm(ty.MARGIN_RIGHT_MM)
        # The footer baseline: 7 mm under the text area, i.e. 35 − 7 mm from the page edge.
        section.footer_distance = Mm(ty.MARGIN_BOTTOM_MM - ty.PAGE_NUMBER_OFFSET_MM - 5)


def _page_field(paragraph: DocxParagraph) -> None:
    """— PAGE —, 4号宋体."""
    for text in ("— ", None, " —"):
        run = paragraph.add_run()
        set_fonts(run, ty.PAGE_NUMBER)
        if text is not None:
            run.text = text
            continue
        for kind, instr in (("begin", None), (None, " PAGE "), ("end", None)):
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
            else:
                instr_el = OxmlElement("w:instrText")
                instr_el.set(qn("xml:space"), "preserve")
                instr_el.text = instr
                run._r.append(instr_el)


def _footers(document: DocumentObject) -> None:
    """Cover without a number; body numbered from 1, odd pages right, even pages left."""
    document.settings.odd_and_even_pages_header_footer = True
    cover, body = document.sections[0], document.sections[-1]
    for footer in (cover.footer, cover.even_page_footer):
        footer.is_linked_to_previous = False
    body.footer.is_linked_to_previous = False
    body.even_page_footer.is_linked_to_previous = False
    pg = OxmlElement("w:pgNumType")
    pg.set(qn("w:start"), "1")
    body._sectPr.append(pg)
    for footer, align in (
        (body.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (body.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.paragraph_format.alignment = align
        paragraph.paragraph_format.first_line_indent = Pt(0)
        # 一字线 sits one character in from the outer edge (GB/T 9704 7.5).
        paragraph.paragraph_format.right_indent = Pt(14) if align is WD_ALIGN_PARAGRAPH.RIGHT else 0
        paragraph.paragraph_format.left_indent = Pt(14) if align is WD_ALIGN_PARAGRAPH.LEFT else 0
        _page_field(paragraph)


def _table(document: DocumentObject, table: Table) -> None:
    if table.caption:
        caption = document.add_paragraph(table.caption, style=HEADING_STYLES[2])
        caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.first_line_indent = Pt(0)
    columns = table.columns
    out = document.add_table(rows=0, cols=columns)
    out.style = "Table Grid"
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(table.widths) or columns
    widths = table.widths or (1,) * columns
    text_width = ty.PAGE_WIDTH_MM - ty.MARGIN_LEFT_MM - ty.MARGIN_RIGHT_MM
    for index, row in enumerate((*table.header, *table.rows)):
        cells = out.add_row().cells
        for col, cell in enumerate(cells):
            cell.width = Mm(text_width * widths[col] / total)
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["Table Text"]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            if index < len(table.header):
                paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(row[col] if col < len(row) else "")
            set_fonts(run, ty.TABLE)
            run.bold = index < len(table.header)


def render_docx(report: Report) -> bytes:
    document = Document()
    _setup_styles(document)
    _page_setup(document)

    if report.attachment:
        attachment = document.add_paragraph(report.attachment, style=HEADING_STYLES[1])
        attachment.paragraph_format.first_line_indent = Pt(0)
    for _ in range(3):
        document.add_paragraph()
    document.add_paragraph(report.title, style=TITLE_STYLE)
    for _ in range(4):
        document.add_paragraph()
    for line in report.cover_lines:
        cover = document.add_paragraph(line)
        cover.paragraph_format.first_line_indent = Pt(float(ty.BODY.size_pt) * 4)
    document.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(document)

    for block in report.blocks:
        if isinstance(block, Heading):
            document.add_paragraph(block.text, style=HEADING_STYLES.get(block.level, BODY_STYLE))
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            if block.lead:
                lead = paragraph.add_run(block.lead)
                set_fonts(lead, ty.LEAD)
                if block.text:
                    paragraph.add_run(block.separator + block.text)
            else:
                paragraph.add_run(block.text)
        elif isinstance(block, Table):
            _table(document, block)
    _footers(document)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
