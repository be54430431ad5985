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
    if not any(len(r) > 1 for r in rows):
        # a cell a line (``名称 |``): the page kept no grid to rebuild, the lines stay as text
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
        start = len(blocks)
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
                    else:
                        plain.extend(rows)
                    rows = []
                plain.append(line)
        if rows:
            table = _table_of(rows)
            if table is not None:
                blocks.append(table)
            else:
                plain.extend(rows)
        if plain:
            blocks.append(Paragraph("p", "\n".join(plain)))
        if not any(isinstance(b, Table) for b in blocks[start:]):
            blocks[start:] = [para]  # no grid in it: the paragraph as it was
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
    grid: list[list[tuple[Cell, bool, bool] | None]] = [[None] * width for _ in table.rows]
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
    from jixiao.audit.corpus.real import drift, judge_case, load_real_corpus

    figures: dict[str, Counter[str]] = {s: Counter() for s in suffixes}
    for case in load_real_corpus():
        if "|" not in case.text:
            continue
        plain = judge_case(case, audit_text(case.text, source=case.name))
        before = {f.path: f.verdict for f in plain.fields}
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
            worse = drift(plain, result)
            fig["new wrong"] += len(worse.changed)
            for f in worse.changed:
                print(f"  {suffix} {case.name} {f.path}: {f.got!r} (txt {before.get(f.path)})")
            fig["lost"] += len(worse.lost)
            fig["found"] += len(result.found)
            fig["missed"] += len(result.missed)
            fig["false"] += len(result.false)
            fig["new false"] += len(worse.new_false)
            for code in worse.new_false:
                print(f"  {suffix} {case.name}: new error {code}")
    return {s: dict(c) for s, c in figures.items()}


if __name__ == "__main__":
    import sys

    chosen = tuple(sys.argv[1:]) or ("txt", "docx", "pdf")
    for suffix, fig in measure_tables(chosen).items():
        print(suffix, " ".join(f"{k}={v}" for k, v in fig.items()))


@dataclass(frozen=True)
class TemplateSheet:
    """A hand-made report around a 自评表 in the template's layout, with what it says."""

    name: str
    blocks: list[Block]
    total_score: str
    budget: dict[str, str]
    targets: list[tuple[str, str, str]]  # (name, target, actual)


def _c(text: str, rows: int = 1, cols: int = 1) -> Cell:
    return Cell(text, rows, cols)


def _project_sheet(
    name: str,
    unit: str,
    indicators: list[tuple[str, str, str, str, str, str, str, str]],
    funds: tuple[str, str, str, str, str, str],
    score: str,
    money: str = "万元",
) -> Table:
    """The 财政部 项目支出绩效自评表 (9 columns): 项目资金 rowspan'd over its five rows, the
    绩效指标 column rowspan'd over the indicators, each 一级指标 over its 二级 rows, 总分 across
    six columns."""
    rows: list[list[Cell]] = [
        [_c("项目名称"), _c(name, cols=8)],
        [
            _c("主管部门"),
            _c("示例市人力资源和社会保障局", cols=3),
            _c("实施单位", cols=2),
            _c(unit, cols=3),
        ],
        [
            _c(f"项目资金({money})", rows=5),
            _c("", cols=2),
            _c("年初预算数"),
            _c("全年预算数"),
            _c("全年执行数"),
            _c("分值"),
            _c("执行率"),
            _c("得分"),
        ],
        [_c("年度资金总额", cols=2), *(_c(f) for f in funds)],
        [_c("其中:当年财政拨款", cols=2), *(_c(f) for f in funds[:3]), _c("—"), _c("—"), _c("—")],
        [_c("上年结转资金", cols=2), _c("—"), _c("—"), _c("—"), _c("—"), _c("—"), _c("—")],
        [_c("其他资金", cols=2), _c("—"), _c("—"), _c("—"), _c("—"), _c("—"), _c("—")],
        [_c("年度总体目标", rows=2), _c("预期目标", cols=4), _c("实际完成情况", cols=4)],
        [
            _c("完成全年培训任务,提升劳动者就业技能。", cols=4),
            _c("全年培训任务基本完成,就业率略低于目标。", cols=4),
        ],
        [
            _c("绩效指标", rows=len(indicators) + 1),
            _c("一级指标"),
            _c("二级指标"),
            _c("三级指标"),
            _c("年度指标值"),
            _c("实际完成值"),
            _c("分值"),
            _c("得分"),
            _c("偏差原因分析及改进措施"),
        ],
    ]
    spans: dict[str, int] = {}
    for first, *_ in indicators:
        spans[first] = spans.get(first, 0) + 1
    seen: set[str] = set()
    for first, second, third, target, actual, points, got, reason in indicators:
        row = []
        if first not in seen:
            seen.add(first)
            row.append(_c(first, rows=spans[first]))
        row += [_c(second), _c(third), _c(target), _c(actual), _c(points), _c(got), _c(reason)]
        rows.append(row)
    rows.append([_c("总分", cols=6), _c("100"), _c(score), _c("")])
    return Table(rows)


_INDICATORS = [
    ("产出指标", "数量指标", "培训人数", "≥500人", "520人", "20", "20", "无"),
    ("产出指标", "质量指标", "培训合格率", "≥95%", "97%", "20", "20", "无"),
    ("产出指标", "时效指标", "资金按时拨付率", "100%", "100%", "10", "10", "无"),
    (
        "效益指标",
        "社会效益指标",
        "培训后就业率",
        "≥80%",
        "76%",
        "20",
        "16",
        "受市场影响,下年加强就业推荐",
    ),
    ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "95%", "20", "20", "无"),
]
_INDICATOR_TARGETS = [
    ("培训人数", "500", "520"),
    ("培训合格率", "95", "97"),
    ("资金按时拨付率", "100", "100"),
    ("培训后就业率", "80", "76"),
    ("学员满意度", "90", "95"),
]


def _report(title: str, sheet: Table, prose: str) -> list[Block]:
    return [
        Paragraph("title", title),
        Paragraph("h1", "一、项目基本情况"),
        Paragraph("p", prose),
        Paragraph("h1", "二、绩效自评表"),
        Paragraph("p", "项目支出绩效自评表\n(2023年度)"),
        sheet,
        Paragraph("h1", "三、自评结论"),
        Paragraph("p", "经自评,本项目总体完成年度绩效目标,自评等级为优。"),
    ]


TEMPLATE_SHEETS = [
    TemplateSheet(
        "template-project-wan",
        _report(
            "示例市职业技能培训中心2023年度项目支出绩效自评报告",
            _project_sheet(
                "2023年职业技能提升培训补助资金",
                "示例市职业技能培训中心",
                _INDICATORS,
                ("100", "100", "95", "10", "95%", "9.5"),
                "95.5",
            ),
            "本项目2023年全年预算数100万元,全年执行数95万元,用于职业技能提升培训。",
        ),
        total_score="95.5",
        budget={"full_year": "100", "executed": "95"},
        targets=_INDICATOR_TARGETS,
    ),
    TemplateSheet(
        "template-project-yuan",
        _report(
            "示例县就业服务中心2023年度项目支出绩效自评报告",
            _project_sheet(
                "2023年就业技能培训专项资金(含创业培训、岗位技能提升培训及线上培训平台运维)",
                "示例县就业服务中心",
                _INDICATORS,
                ("1000000.00", "1000000.00", "950000.00", "10", "95%", "9.5"),
                "95.5",
                "元",
            ),
            "本项目用于就业技能培训,资金情况见自评表。",
        ),
        total_score="95.5",
        budget={"full_year": "100", "executed": "95"},
        targets=_INDICATOR_TARGETS,
    ),
    TemplateSheet(
        "template-project-no-points",
        _report(
            "示例区人力资源服务中心2023年度项目支出绩效自评报告",
            _project_sheet(
                "2023年公益性岗位补贴资金",
                "示例区人力资源服务中心",
                _INDICATORS,
                ("100", "100", "95", "", "95%", "9.5"),
                "95.5",
            ),
            "本项目2023年全年预算数100万元,全年执行数95万元。",
        ),
        total_score="95.5",
        budget={"full_year": "100", "executed": "95"},
        targets=_INDICATOR_TARGETS,
    ),
]
