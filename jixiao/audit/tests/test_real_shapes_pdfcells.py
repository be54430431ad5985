"""A pdf's ruled 自评表 read as rows of cells from its borders (#13, pdfcells13).

pypdf's plain text runs a table's cells together with no separator and breaks the words of a
narrow cell (``年初预算`` / ``数``); jixiao.audit.pdfcells rebuilds a table where its borders make
a closed grid and every piece of text sits inside one cell, and keeps the plain text elsewhere.
The shapes: the 财政部 template's sheet (merged cells, narrow wrapped columns) read whole. The near
misses, which must keep pypdf's plain text: a two-column page with a rule between the columns, a
table without a closed frame, a table whose text crosses a cell's border, a border drawn over
part of a cell's edge.
"""

from __future__ import annotations

import html
import io
from decimal import Decimal

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from jixiao.audit import audit_bytes
from jixiao.audit.corpus.tables import TEMPLATE_SHEETS, write_tables
from jixiao.audit.corpus.writers import PDF_CSS
from jixiao.audit.extract import extract
from jixiao.audit.pdfcells import Grid, Line, PathCollector, continued, find_grids
from jixiao.audit.readers import read_text

TABLE_CSS = """
table { border-collapse: collapse; margin: 0.4em 0; font-size: 10.5pt; line-height: 1.3; }
td { border: 0.6pt solid #000; padding: 2pt 3pt; vertical-align: middle; }
"""
PROSE = (
    "本项目2023年全年预算数100万元,全年执行数95万元,执行率95%,用于职业技能提升培训,"
    "全年培训人数520人,培训合格率97%,培训后就业率76%。"
)


def _pdf(body: str, css: str = TABLE_CSS) -> bytes:
    import weasyprint

    page = f"<html><head><style>{PDF_CSS}{css}</style></head><body>{body}</body></html>"
    return bytes(weasyprint.HTML(string=page).write_pdf())


def _plain(data: bytes) -> str:
    """What the reader gave before: pypdf's plain text of each page."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _rows(cells: list[list[str]], td: str = "") -> str:
    rows = "".join(
        "<tr>" + "".join(f"<td{td}>{html.escape(c)}</td>" for c in row) + "</tr>" for row in cells
    )
    return f"<table>{rows}</table>"


# ---- the shape: a sheet of narrow wrapped cells -------------------------------------------------


def test_the_template_sheet_in_pdf_reads_every_target_and_the_score() -> None:
    # the plain text gave no target and no score: 年度指标值 broke as 年度指标 / 值, 分值 as 分 / 值,
    # and 总分 100 95.5 ran together
    for sheet in TEMPLATE_SHEETS:
        got = audit_bytes(write_tables(sheet.blocks, "pdf"), f"{sheet.name}.pdf").extracted
        assert Decimal(str(got["total_score"])) == Decimal(sheet.total_score), sheet.name
        targets = {
            (t["name"], Decimal(str(t["target"])), Decimal(str(t["actual"])))
            for t in got["targets"]
        }
        assert targets == {(n, Decimal(t), Decimal(a)) for n, t, a in sheet.targets}, sheet.name


def test_narrow_cells_come_out_whole_and_apart() -> None:
    css = TABLE_CSS + "table { width: 240pt; table-layout: fixed; }"
    data = _pdf(
        _rows(
            [
                ["项目资金(万元)", "年初预算数", "全年预算数", "全年执行数", "执行率"],
                ["年度资金总额", "18969", "18969", "18000", "94.89%"],
            ]
        ),
        css,
    )
    plain = _plain(data)
    # the plain text broke the narrow header cells (年初预算 / 数) and gave no cell apart
    assert not any("年初预算数" in line for line in plain.split("\n"))
    assert "\t" not in plain
    lines = read_text(data, suffix=".pdf").text.split("\n")
    assert "项目资金(万元)\t年初预算数\t全年预算数\t全年执行数\t执行率" in lines
    assert "年度资金总额\t18969\t18969\t18000\t94.89%" in lines


def test_a_merged_cell_keeps_a_cell_for_each_column_it_covers() -> None:
    # as the docx reader gives Word's gridSpan: 总分 over three columns, then 100 and 95.5
    body = (
        "<table><tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>分值</td><td>得分</td></tr>"
        '<tr><td colspan="3">总分</td><td>100</td><td>95.5</td></tr></table>'
    )
    lines = read_text(_pdf(body), suffix=".pdf").text.split("\n")
    assert "总分\t\t\t100\t95.5" in lines


def _word_like(rows: list[list[str]], widths: list[float], border: float = 0.5) -> bytes:
    """A page that draws a table as Word's pdf export does: each border a filled rectangle
    ``border`` thick, each cell's text in its own BT … ET at its own position (Helvetica)."""
    xs = [50.0]
    for width in widths:
        xs.append(xs[-1] + width)
    ys = [700.0 - 20 * i for i in range(len(rows) + 1)]
    ops = [f"{xs[0]:.2f} {y - border / 2:.2f} {xs[-1] - xs[0]:.2f} {border} re f" for y in ys]
    ops += [f"{x - border / 2:.2f} {ys[-1]:.2f} {border} {ys[0] - ys[-1]:.2f} re f" for x in xs]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            ops.append(f"BT /F1 10 Tf 1 0 0 1 {xs[c] + 3:.2f} {ys[r] - 14:.2f} Tm ({text}) Tj ET")
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = DecodedStreamObject()
    stream.set_data(("q\n" + "\n".join(ops) + "\nQ\n").encode())
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ROWS = [["Item", "Points", "Score"], ["Total", "100", "95.5"], ["Budget", "10", "9.5"]]


def test_borders_drawn_as_thin_filled_rectangles_make_a_table() -> None:
    # Word draws a border as a filled rectangle half a point thick, not as a stroke
    data = _word_like(ROWS, [120, 60, 60])
    assert _plain(data).split("\n")[1] == "Total 100 95.5"
    assert read_text(data, suffix=".pdf").text.split("\n")[:3] == [
        "Item\tPoints\tScore",
        "Total\t100\t95.5",
        "Budget\t10\t9.5",
    ]


def test_thick_filled_rectangles_are_shading_not_borders() -> None:
    data = _word_like(ROWS, [120, 60, 60], border=6)
    assert read_text(data, suffix=".pdf").text == _plain(data)


# ---- near misses: the plain text stays ----------------------------------------------------------


def test_a_two_column_page_with_a_rule_between_the_columns_stays_plain() -> None:
    css = "div.cols { column-count: 2; column-rule: 0.8pt solid #000; } hr { border: 0.6pt solid; }"
    body = "<hr><div class='cols'>" + "".join(f"<p>{PROSE}</p>" for _ in range(6)) + "</div><hr>"
    data = _pdf(body, css)
    read = read_text(data, suffix=".pdf").text
    assert read == _plain(data)
    assert "\t" not in read


def test_a_table_without_a_closed_frame_stays_plain() -> None:
    # a 三线表: rules above, below and under the header, inner column borders, no sides
    css = (
        "table { border-collapse: collapse; } td { padding: 2pt 4pt; border-left: 0.6pt solid; }"
        " td:first-child { border-left: none; } tr:first-child td { border-top: 0.8pt solid;"
        " border-bottom: 0.6pt solid; } tr:last-child td { border-bottom: 0.8pt solid; }"
    )
    data = _pdf(_rows([["指标", "年度指标值", "实际完成值"], ["培训人数", "500人", "520人"]]), css)
    read = read_text(data, suffix=".pdf").text
    assert read == _plain(data)


def test_a_table_whose_text_crosses_a_cell_border_stays_plain_and_reads_no_wrong_value() -> None:
    # a cell's text that does not wrap runs over its neighbour: which cell a piece belongs to
    # cannot be told, so no row is rebuilt
    css = TABLE_CSS + "table { width: 150pt; table-layout: fixed; } td { white-space: nowrap; }"
    cells = [
        ["三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["职业技能培训合格人数", "≥500人", "520人", "20", "20"],
    ]
    data = _pdf("<p>示例市职业技能培训中心2023年度项目支出绩效自评报告</p>" + _rows(cells), css)
    read = read_text(data, suffix=".pdf").text
    assert read == _plain(data)
    got = audit_bytes(data, "crossing.pdf").extracted
    for t in got.get("targets") or []:
        assert (Decimal(str(t["target"])), Decimal(str(t["actual"]))) == (500, 520)


def test_a_border_drawn_over_part_of_a_cells_edge_makes_no_grid() -> None:
    # a frame of two rows and two columns whose inner vertical border stops halfway down the
    # lower row: that row is neither one cell nor two
    borders = PathCollector()
    borders.horizontal += [Line(100, 0, 200), Line(50, 0, 200), Line(0, 0, 200)]
    borders.vertical += [Line(0, 0, 100), Line(200, 0, 100), Line(100, 25, 100)]
    assert find_grids(borders) == []
    whole = PathCollector()
    whole.horizontal += [Line(100, 0, 200), Line(50, 0, 200), Line(0, 0, 200)]
    whole.vertical += [Line(0, 0, 100), Line(200, 0, 100), Line(100, 0, 100)]
    assert len(find_grids(whole)) == 1


# ---- a table over a page break --------------------------------------------------------------


def test_a_table_over_a_page_break_keeps_its_columns_on_the_next_page() -> None:
    # the cover row's border (项目名称 | its name) stands only on the first page; on the second
    # the rows' own borders alone would give them one cell fewer than the header above, and
    # 520 would stand under 年度指标值, the 得分 20 under 实际完成值
    rows = "".join(
        f"<tr><td colspan='2'>培训班{i}期培训人数</td><td>500</td><td>5{i:02d}</td><td>2</td></tr>"
        for i in range(1, 41)
    )
    body = (
        "<p>示例市职业技能培训中心2023年度项目支出绩效自评报告</p>"
        "<table style='width:100%'><tr><td>项目名称</td><td colspan='4'>职业技能提升培训</td></tr>"
        "<tr><td colspan='2' style='width:55%'>三级指标</td><td>年度指标值</td><td>实际完成值</td>"
        f"<td>得分</td></tr>{rows}</table>"
    )
    data = _pdf(body)
    read = read_text(data, suffix=".pdf")
    assert len(read.pages) >= 2
    widths = {line.count("\t") for line in read.text.split("\n") if "\t" in line}
    assert widths == {4}
    assert any("培训班40期培训人数\t\t500\t540\t2" in page for page in read.pages[1:])
    got = audit_bytes(data, "over-a-page.pdf").extracted
    for t in got.get("targets") or []:
        assert Decimal(str(t["target"])) == 500 and 500 < Decimal(str(t["actual"])) < 600


def test_tables_of_another_width_on_the_next_page_are_no_parts_of_one_table() -> None:
    one = Grid([0, 100, 300], [700, 100], [[0, 1]], {0: (0, 0, 0, 0), 1: (0, 0, 1, 1)})
    other = Grid([50, 150, 400], [800, 600], [[0, 1]], {0: (0, 0, 0, 0), 1: (0, 0, 1, 1)})
    assert continued([[one], [other]]) == [[one], [other]]
    same = Grid([0, 200, 300], [800, 600], [[0, 1]], {0: (0, 0, 0, 0), 1: (0, 0, 1, 1)})
    first, second = continued([[one], [same]])
    assert first[0].xs == second[0].xs == [0, 100, 200, 300]
    assert first[0].cell_of == [[0, 1, 1]] and second[0].cell_of == [[0, 0, 1]]


# ---- sheet.py: a page number between a sheet's cells -------------------------------------------

_ROW_END = "\n" * 11


def _cell_a_line_sheet(between: str) -> str:
    """A sheet given a cell a line (a blank line between cells, a run of them between rows), its
    second row broken by ``between`` where a pdf's page ended."""
    head = ["一级指标", "二级指标", "三级指标", "年度指标值(A)", "实际完成值(B)", "分值", "得分"]
    rows = [
        ["产出指标", "数量指标", "新建猪舍面积", "180", "180", "5", "5"],
        ["产出指标", "数量指标", "新建排污沟长度", "50", between + "45", "5", "4"],
        ["产出指标", "数量指标", "新购种公猪", "20", "20", "5", "5"],
    ]
    return "示例县2022年度项目支出绩效自评表\n\n" + "".join(
        "\n\n".join(row) + _ROW_END for row in [head, *rows]
    )


def test_a_page_number_between_a_sheets_cells_is_no_cell() -> None:
    for mark in ("— 1 —\n\n", "第1页\n\n", "- 12 -\n"):
        got = [(t.name, t.target, t.actual) for t in extract(_cell_a_line_sheet(mark)).targets]
        assert ("新建排污沟长度", 50, 45) in got, mark


def test_a_bare_number_between_a_sheets_cells_stays_a_cell() -> None:
    # a bare 1 may be a cell of the row: the row has a cell too many and is not read (never 50 → 1)
    got = [(t.name, t.target, t.actual) for t in extract(_cell_a_line_sheet("1\n\n")).targets]
    assert not any(name == "新建排污沟长度" for name, _, _ in got)
    assert ("新购种公猪", 20, 20) in got
