"""A unit's own docx (#13): the 自评表 as a Word table with merged cells, as units fill the
财政部 template, and content controls around a cover.

Joined tight, a merged 总分 cell ran into its figures: 总分 | 100 | 98 read as the total 100 (the
points), a wrong value. The reader now keeps a cell for each grid column a merged cell covers and the
normaliser turns a tab into a cell separator, so the row's figures stay under 分值 and 得分.
"""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.oxml import parse_xml

from jixiao.audit import audit_bytes, read_text
from jixiao.audit.extract import extract

HEADER = [
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
]


def _rows(timeliness_score: str, total: str) -> list[list[str | None]]:
    return [
        ["项目名称", "农村饮水安全维修养护项目", *[None] * 7],
        ["主管部门", "示例县水务局", None, None, "实施单位", "示例县示例局", None, None, None],
        [
            "项目资金(万元)",
            "",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
            None,
        ],
        [None, "年度资金总额", "100", "100", "95", "10", "95%", "9.5", None],
        ["绩效指标", *HEADER[1:]],
        [None, "产出指标", "数量指标", "维修养护供水工程数量", "30处", "30处", "20", "20", ""],
        [None, None, "质量指标", "工程验收合格率", "100%", "100%", "15", "15", ""],
        [None, None, "时效指标", "完成及时率", "100%", "90%", "15", timeliness_score, "汛期影响"],
        [None, "效益指标", "社会效益指标", "受益人口", "5000人", "5200人", "20", "20", ""],
        [None, "满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", "95%", "20", "20", ""],
        ["总分", None, None, None, None, None, "100", total, None],
    ]


def sheet_docx(
    timeliness_score: str = "13.5", total: str = "98", *, cover_in_sdt: bool = False
) -> bytes:
    doc = Document()
    doc.add_paragraph("示例县示例局2023年度项目支出绩效自评报告")
    doc.add_paragraph("一、项目基本情况")
    doc.add_paragraph("本项目年初预算100万元,全年执行95万元,执行率95%。")
    doc.add_paragraph("项目支出绩效自评表")
    rows = _rows(timeliness_score, total)
    table = doc.add_table(rows=len(rows), cols=9)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = value
    table.cell(0, 1).merge(table.cell(0, 8))
    table.cell(1, 1).merge(table.cell(1, 3))
    table.cell(1, 5).merge(table.cell(1, 8))
    table.cell(2, 0).merge(table.cell(3, 0))
    table.cell(4, 0).merge(table.cell(9, 0))
    table.cell(5, 1).merge(table.cell(7, 1))
    table.cell(10, 0).merge(table.cell(10, 5))
    table.cell(10, 7).merge(table.cell(10, 8))
    doc.add_paragraph("填报日期:2024年3月15日")
    if cover_in_sdt:
        # the title inside a content control (a cover page block), as Word's cover pages are
        title = doc.paragraphs[0]._p
        sdt = parse_xml(
            '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:sdtContent/></w:sdt>"
        )
        title.addprevious(sdt)
        sdt[0].append(title)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_merged_total_cell_keeps_its_figures_apart() -> None:
    report = audit_bytes(sheet_docx(), "自评.docx")
    assert Decimal(report.extracted["total_score"]) == 98  # not 100, the 分值 cell
    assert not any("对不齐" in f.message for f in report.findings)


def test_a_merged_cell_is_followed_by_the_columns_it_covers() -> None:
    text = read_text(sheet_docx(), suffix=".docx").text
    assert "总分\t\t\t\t\t\t100\t98\t" in text.split("\n")


def test_a_score_above_the_share_met_is_found_in_a_word_table() -> None:
    report = audit_bytes(sheet_docx("15", "99.5"), "自评.docx")
    assert "indicator_score_mismatch" in {f.code for f in report.findings}


def test_the_same_table_scored_right_raises_nothing_on_it() -> None:
    report = audit_bytes(sheet_docx(), "自评.docx")
    assert "indicator_score_mismatch" not in {f.code for f in report.findings}


def test_a_title_inside_a_content_control_is_read() -> None:
    report = audit_bytes(sheet_docx(cover_in_sdt=True), "自评.docx")
    assert report.extracted["year"] == 2023
    assert report.extracted["unit_name"] == "示例县示例局"


# ---- rows of a separated table are not one word -------------------------------------------------


def _staff(text: str) -> dict[str, int]:
    return {key: value.value for key, value in extract(text).staff.items()}


def test_labels_over_figures_with_separators_pair_by_column() -> None:
    # a web page's table: the row of labels over the row of figures; joined tight the last label
    # and the first figure read 离退休人数20 (a wrong value)
    expected = {"staffing_quota": 20, "staff_actual": 18, "retired": 5}
    assert _staff("编制数 | 实有人数 | 离退休人数\n20 | 18 | 5\n") == expected
    assert _staff("编制数 | 实有人数 | 离退休人数 |\n20 | 18 | 5 |\n") == expected
    assert _staff("编制数\t实有人数\t离退休人数\n20\t18\t5\n") == expected


def test_a_cell_a_line_still_pairs_its_label_and_figure() -> None:
    assert _staff("人员编制 |\n16 |\n实有人数 |\n14 |\n") == {
        "staffing_quota": 16,
        "staff_actual": 14,
    }
    assert _staff("编制人数\n46\n实有人数\n41\n") == {"staffing_quota": 46, "staff_actual": 41}
