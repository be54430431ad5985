"""HTML rendering of the report model, with the print CSS the PDF renderer lays it out with.

Used for the PDF (WeasyPrint) and usable as a web preview. The cover and the body are separate HTML
documents so the body's page numbers start at 1 on its first page, as in a paper report.
"""

from __future__ import annotations

from html import escape

from jixiao.documents import typography as ty
from jixiao.documents.report_model import Heading, Paragraph, Report, Table


def _family(role: ty.FontRole) -> str:
    return f'"{role.substitute}", "{role.official}", serif'


def _font(role: ty.FontRole) -> str:
    weight = "bold" if role.bold else "normal"
    return f"font-family: {_family(role)}; font-size: {role.size_pt}pt; font-weight: {weight};"


def stylesheet() -> str:
    number = (
        f"{_font(ty.PAGE_NUMBER)} vertical-align: top; padding-top: {ty.PAGE_NUMBER_OFFSET_MM}mm;"
    )
    return f"""
@page {{
  size: A4;
  margin: {ty.MARGIN_TOP_MM}mm {ty.MARGIN_RIGHT_MM}mm {ty.MARGIN_BOTTOM_MM}mm {ty.MARGIN_LEFT_MM}mm;
}}
@page body:right {{
  @bottom-right {{ content: "— " counter(page) " —"; {number} padding-right: 1em; }}
}}
@page body:left {{
  @bottom-left {{ content: "— " counter(page) " —"; {number} padding-left: 1em; }}
}}
html {{ {_font(ty.BODY)} line-height: {ty.LINE_PITCH_PT}pt; color: #000; }}
body.report {{ page: body; margin: 0; }}
body.cover {{ margin: 0; }}
p, h1, h2, .title {{ margin: 0; orphans: 2; widows: 2; }}
p {{ text-indent: {ty.FIRST_LINE_INDENT_CHARS}em; text-align: justify; }}
h1 {{ {_font(ty.HEADING1)} text-indent: 2em; page-break-after: avoid; }}
h2 {{ {_font(ty.HEADING2)} text-indent: 2em; page-break-after: avoid; }}
b.lead {{ {_font(ty.LEAD)} }}
.gap {{ display: inline-block; width: 1em; }}
.attachment {{ {_font(ty.HEADING1)} text-indent: 0; }}
.title {{ {_font(ty.TITLE)} text-align: center; line-height: 1.5; margin: 40mm 0 45mm; }}
.cover-line {{ text-indent: 0; margin-left: 4em; line-height: 2.2; }}
table {{ border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; {_font(ty.TABLE)}
  line-height: 1.35; page-break-inside: auto; }}
caption {{ {_font(ty.HEADING2)} line-height: {ty.LINE_PITCH_PT}pt; text-align: center; }}
th, td {{ border: 0.75pt solid #000; padding: 2pt 3pt; vertical-align: middle; }}
th {{ font-weight: bold; text-align: center; }}
"""


def _block(block: Heading | Paragraph | Table) -> str:
    if isinstance(block, Heading):
        tag = "h1" if block.level == 1 else "h2"
        return f"<{tag}>{escape(block.text)}</{tag}>"
    if isinstance(block, Paragraph):
        if block.lead:
            # The separator is a fixed 1em box: justification must not stretch it.
            gap = '<span class="gap">\u3000</span>' if block.separator else ""
            return f'<p><b class="lead">{escape(block.lead)}</b>{gap}{escape(block.text)}</p>'
        return f"<p>{escape(block.text)}</p>"
    widths = block.widths or (1,) * block.columns
    total = sum(widths)
    cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in widths)
    head = "".join(
        "<tr>" + "".join(f"<th>{escape(c)}</th>" for c in row) + "</tr>" for row in block.header
    )
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block.rows
    )
    caption = f"<caption>{escape(block.caption)}</caption>" if block.caption else ""
    return (
        f"<table>{caption}<colgroup>{cols}</colgroup>"
        f"<thead>{head}</thead><tbody>{body}</tbody></table>"
    )


def _document(title: str, body_class: str, content: str) -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{stylesheet()}</style></head>"
        f'<body class="{body_class}">{content}</body></html>'
    )


def render_cover_html(report: Report) -> str:
    parts = []
    if report.attachment:
        parts.append(f'<p class="attachment">{escape(report.attachment)}</p>')
    parts.append(f'<p class="title">{escape(report.title)}</p>')
    parts += [f'<p class="cover-line">{escape(line)}</p>' for line in report.cover_lines]
    return _document(report.title, "cover", "".join(parts))


def render_body_html(report: Report) -> str:
    return _document(report.title, "report", "".join(_block(b) for b in report.blocks))


def render_html(report: Report) -> str:
    """One HTML page with cover and body (for previews; the PDF lays them out separately)."""
    cover = render_cover_html(report).split('<body class="cover">', 1)[1].split("</body>")[0]
    body = "".join(_block(b) for b in report.blocks)
    return _document(report.title, "report", cover + body)
