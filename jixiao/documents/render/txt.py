"""Plain-text rendering of the report model: one paragraph per line, blank line between blocks."""

from __future__ import annotations

from jixiao.documents.report_model import Heading, Paragraph, Report, Table


def table_lines(table: Table) -> list[str]:
    lines = [table.caption] if table.caption else []
    lines += ["\t".join(row) for row in (*table.header, *table.rows)]
    return lines


def render_text(report: Report) -> str:
    parts: list[str] = []
    if report.attachment:
        parts.append(report.attachment)
    parts.append(report.title)
    parts += list(report.cover_lines)
    for block in report.blocks:
        if isinstance(block, Heading):
            parts.append(block.text)
        elif isinstance(block, Paragraph):
            parts.append(block.full_text)
        elif isinstance(block, Table):
            parts.append("\n".join(table_lines(block)))
    return "\n\n".join(parts) + "\n"


def render_txt(report: Report) -> bytes:
    return render_text(report).encode("utf-8")
