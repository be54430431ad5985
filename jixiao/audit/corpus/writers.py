"""Write a noisy paragraph list as txt, docx (python-docx) or pdf (WeasyPrint).

``\\n`` inside a paragraph is a line break (a soft break in docx, <br> in pdf); ``\\f`` is a page
break (in txt: a blank line, sometimes with the page number a copy out of a PDF drags along; in
docx: a page-break run; in pdf: the paragraph continues on the next page). ``heading_mode``:
``style`` (Word's heading styles / <h1>), ``bold`` (bold body text) or ``plain``.
"""

from __future__ import annotations

import html
import io
import random
from collections.abc import Sequence

from jixiao.audit.corpus.noise import Paragraph

HEADING_MODES = ("style", "bold", "plain")


def write_txt(doc: Sequence[Paragraph], rng: random.Random, encoding: str = "utf-8") -> bytes:
    page = 1
    out = []
    for p in doc:
        text = p.text
        while "\f" in text:
            page += 1
            footer = f"\n\n- {page} -\n\n" if rng.random() < 0.5 else "\n\n"
            text = text.replace("\f", footer, 1)
        out.append(text)
    return ("\n\n".join(out) + "\n").encode(encoding)


def write_docx(doc: Sequence[Paragraph], heading_mode: str = "style") -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    document = Document()
    for p in doc:
        if p.kind in ("h1", "h2") and heading_mode == "style":
            paragraph = document.add_heading("", level=1 if p.kind == "h1" else 2)
        else:
            paragraph = document.add_paragraph()
        if p.kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        bold = p.kind == "title" or (p.kind in ("h1", "h2") and heading_mode == "bold")
        for page_index, page_part in enumerate(p.text.split("\f")):
            if page_index:
                paragraph.add_run().add_break(WD_BREAK.PAGE)
            for line_index, line in enumerate(page_part.split("\n")):
                run = paragraph.add_run()
                if line_index:
                    run.add_break()
                run.add_text(line)
                run.bold = bold or None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF_CSS = """
@page { size: A4; margin: 2.2cm 2.4cm;
        @bottom-center { content: "— " counter(page) " —"; font-size: 10pt; } }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 12pt;
       line-height: 1.6; }
p { margin: 0 0 0.5em 0; text-indent: 2em; }
p.title, h1.title { text-align: center; font-size: 18pt; text-indent: 0; }
p.cont { break-before: page; text-indent: 0; }
h1, h2, p.h { font-size: 12pt; text-indent: 0; margin: 0.6em 0 0.4em 0; }
"""


def pdf_html(doc: Sequence[Paragraph], heading_mode: str = "style") -> str:
    parts = []
    for p in doc:
        pages = [html.escape(part).replace("\n", "<br>") for part in p.text.split("\f")]
        if p.kind == "title":
            parts.append(f'<p class="title"><b>{pages[0]}</b></p>')
            continue
        if p.kind in ("h1", "h2") and heading_mode == "style":
            parts.append(f"<{p.kind}>{pages[0]}</{p.kind}>")
            continue
        if p.kind in ("h1", "h2"):
            inner = f"<b>{pages[0]}</b>" if heading_mode == "bold" else pages[0]
            parts.append(f'<p class="h">{inner}</p>')
            continue
        parts.append(f"<p>{pages[0]}</p>")
        parts.extend(f'<p class="cont">{rest}</p>' for rest in pages[1:])
    return f"<html><head><style>{PDF_CSS}</style></head><body>{''.join(parts)}</body></html>"


def write_pdf(doc: Sequence[Paragraph], heading_mode: str = "style") -> bytes:
    import weasyprint

    return bytes(weasyprint.HTML(string=pdf_html(doc, heading_mode)).write_pdf())
