"""A real report's text with its tables as real tables: pdf (WeasyPrint) and docx (python-docx).

The real corpus stores reports as web pages gave them: a table row flattened as ``a | b | c``.
A unit publishes the same report as Word → pdf or docx, where the 自评表 is a real table.
``blocks_of`` cuts a text into paragraphs and tables (a run of lines with ``|`` is a table, a
line a row, ``|`` between cells); ``write_table_pdf`` / ``write_table_docx`` write them, a row
shorter than the table's widest row ending in a cell merged across the columns left (as a
web page's ``名称 | 就业补助资金 | |||||`` comes from a Word row whose last cell spans the rest).

``TEMPLATE_SHEETS`` are hand-made 自评表 laid out as the 财政部 template lays them out: a
rowspan'd 绩效指标 column and 一级指标 cells, a colspan'd 总分 row. Cells are written as given;
a ``Cell`` with ``rows`` / ``cols`` > 1 covers the cells to its right and below it, which are
left out of the later rows (as in HTML).
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from jixiao.audit.corpus.noise import Paragraph, paragraphs_of
from jixiao.audit.corpus.writers import PDF_CSS


@dataclass(frozen=True)
class Cell:
    text: str
    rows: int = 1
    cols: int = 1


@dataclass(frozen=True)
class Table:
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((sum(c.cols for c in row) for row in self.rows), default=0)


Block = Paragraph | Table


def row_cells(line: str) -> list[str]:
    """A flattened row's cells: split at ``|``, trailing empty cells dropped (a web page writes
    the columns a merged cell covers as ``||||``)."""
    cells = [c.strip() for c in line.split("|")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _table_of(lines: Sequence[str]) -> Table | None:
    rows = [row_cells(line) for line in lines]
    rows = [r for r in rows if r]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    table = Table()
    for r in rows:
        cells = [Cell(text) for text in r]
        if len(r) < width:  # the last cell spans the columns left
            cells[-1] = Cell(r[-1], cols=width - len(r) + 1)
        table.rows.append(cells)
    return table


def blocks_of(text: str) -> list[Block]:
    """Paragraphs (as ``paragraphs_of``) with each run of ``|`` lines made a table."""
    blocks: list[Block] = []
    for para in paragraphs_of(text):
        if "|" not in para.text:
            blocks.append(para)
            continue
        plain: list[str] = []
        rows: list[str] = []
        for line in para.text.split("\n"):
            if "|" in line:
                if plain:
                    blocks.append(Paragraph("p", "\n".join(plain)))
                    plain = []
                rows.append(line)
            else:
                if rows:
                    table = _table_of(rows)
                    if table is not None:
                        blocks.append(table)
                    rows = []
                plain.append(line)
        if rows:
            table = _table_of(rows)
            if table is not None:
                blocks.append(table)
        if plain:
            blocks.append(Paragraph("p", "\n".join(plain)))
    return blocks


# ---------------------------------------------------------------- writers


TABLE_CSS = """
table { border-collapse: collapse; width: 100%; margin: 0.4em 0; font-size: 10.5pt;
        line-height: 1.3; }
td { border: 0.6pt solid #000; padding: 2pt 3pt; vertical-align: middle; }
"""


def _html_table(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells = []
        for c in row:
            attrs = (f' rowspan="{c.rows}"' if c.rows > 1 else "") + (
                f' colspan="{c.cols}"' if c.cols > 1 else ""
            )
            cells.append(f"<td{attrs}>{html.escape(c.text).replace(chr(10), '<br>')}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table>{''.join(rows)}</table>"


def _html_paragraph(p: Paragraph) -> str:
    text = html.escape(p.text.replace("\f", "\n")).replace("\n", "<br>")
    if p.kind == "title":
        return f'<p class="title"><b>{text}</b></p>'
    if p.kind in ("h1", "h2"):
        return f"<{p.kind}>{text}</{p.kind}>"
    return f"<p>{text}</p>"


def table_pdf_html(blocks: Sequence[Block]) -> str:
    parts = [_html_table(b) if isinstance(b, Table) else _html_paragraph(b) for b in blocks]
    return (
        f"<html><head><style>{PDF_CSS}{TABLE_CSS}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )


def write_table_pdf(blocks: Sequence[Block]) -> bytes:
    import weasyprint

    return bytes(weasyprint.HTML(string=table_pdf_html(blocks)).write_pdf())


def _grid(table: Table) -> list[list[tuple[Cell, bool, bool] | None]]:
    """The table on its grid: each slot holds (cell, is its top-left, is its top row), or None."""
    width = table.width
    grid: list[list[tuple[Cell, bool, bool] | None]] = [
        [None] * width for _ in table.rows
    ]
    for r, row in enumerate(table.rows):
        col = 0
        for c in row:
            while col < width and grid[r][col] is not None:
                col += 1
            if col >= width:
                break
            for dr in range(c.rows):
                for dc in range(c.cols):
                    if r + dr < len(grid) and col + dc < width:
                        grid[r + dr][col + dc] = (c, dr == 0 and dc == 0, dr == 0)
            col += c.cols
    return grid


def write_table_docx(blocks: Sequence[Block]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    for b in blocks:
        if isinstance(b, Paragraph):
            if b.kind in ("h1", "h2"):
                paragraph = document.add_heading("", level=1 if b.kind == "h1" else 2)
            else:
                paragraph = document.add_paragraph()
            if b.kind == "title":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for index, line in enumerate(b.text.replace("\f", "\n").split("\n")):
                run = paragraph.add_run()
                if index:
                    run.add_break()
                run.add_text(line)
                run.bold = b.kind == "title" or None
            continue
        grid = _grid(b)
        table = document.add_table(rows=len(grid), cols=b.width)
        table.style = "Table Grid"
        for r, slots in enumerate(grid):
            for col, slot in enumerate(slots):
                if slot is None or not slot[1]:
                    continue
                cell_spec = slot[0]
                cell = table.cell(r, col)
                last = table.cell(
                    min(r + cell_spec.rows, len(grid)) - 1,
                    min(col + cell_spec.cols, b.width) - 1,
                )
                if last is not cell and (cell_spec.rows > 1 or cell_spec.cols > 1):
                    cell = cell.merge(last)
                lines = cell_spec.text.split("\n")
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the template's 自评表


# ---------------------------------------------------------------- measuring


def write_tables(blocks: Sequence[Block], suffix: str) -> bytes:
    return write_table_pdf(blocks) if suffix == "pdf" else write_table_docx(blocks)


def measure_tables(suffixes: Sequence[str] = ("txt", "docx", "pdf")) -> dict[str, dict[str, int]]:
    """Per format, over the real corpus's reports that have a table: fields right / wrong / not
    read, defects found / missed, false errors, and (against the txt) fields the txt reads right
    that the format loses, values that change, errors the txt does not give."""
    from collections import Counter

    from jixiao.audit import audit_bytes, audit_text
    from jixiao.audit.corpus.real import judge_case, load_real_corpus

    figures: dict[str, Counter[str]] = {s: Counter() for s in suffixes}
    for case in load_real_corpus():
        if "|" not in case.text:
            continue
        plain = judge_case(case, audit_text(case.text, source=case.name))
        before = {f.path: f.verdict for f in plain.fields}
        plain_false = {code for code, _ in plain.false}
        blocks = blocks_of(case.text)
        for suffix in suffixes:
            if suffix == "txt":
                result = plain
            else:
                result = judge_case(
                    case, audit_bytes(write_tables(blocks, suffix), f"{case.name}.{suffix}")
                )
            fig = figures[suffix]
            fig["reports"] += 1
            for f in result.fields:
                fig[f.verdict] += 1
                if f.verdict == "wrong" and before.get(f.path) != "wrong":
                    fig["new wrong"] += 1
                    print(f"  {suffix} {case.name} {f.path}: {f.got!r} (txt {before.get(f.path)})")
                if f.verdict != "right" and before.get(f.path) == "right":
                    fig["lost"] += 1
            fig["found"] += len(result.found)
            fig["missed"] += len(result.missed)
            fig["false"] += len(result.false)
            new = {code for code, _ in result.false} - plain_false
            fig["new false"] += len(new)
            for code in sorted(new):
                print(f"  {suffix} {case.name}: new error {code}")
    return {s: dict(c) for s, c in figures.items()}


if __name__ == "__main__":
    import sys

    chosen = tuple(sys.argv[1:]) or ("txt", "docx", "pdf")
    for suffix, fig in measure_tables(chosen).items():
        print(suffix, " ".join(f"{k}={v}" for k, v in fig.items()))
