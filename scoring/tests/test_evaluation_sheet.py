"""scoring.evaluation_sheet on a workbook typed by hand: only the official form, no extra sheets."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from scoring.engine import score_evaluation
from scoring.evaluation_sheet import read_evaluation_workbook
from scoring.loading import InputError, find_ruleset

D = Decimal


def project_form(**overrides: object) -> bytes:
    """项目支出绩效自评表 as a unit would type it: labels, figures, no merged cells."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "项目支出绩效自评表"
    ws["A1"] = "项目支出绩效自评表（2025年度）"
    ws["A2"], ws["B2"] = "项目名称", "职业技能提升行动"
    ws["A3"], ws["B3"], ws["E3"], ws["F3"] = "主管部门", "某市人社局", "实施单位", "某市职训中心"
    for col, text in zip("CDE", ("年初预算数", "全年预算数（A）", "全年执行数（B）"), strict=True):
        ws[f"{col}4"] = text
    ws["B5"], ws["C5"], ws["D5"], ws["E5"] = "当年财政拨款", 100, 100, 95
    ws["B6"], ws["C6"], ws["D6"], ws["E6"] = "其他资金", "—", "—", "—"
    header = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
    for col, text in zip("ABCDEFG", header, strict=True):
        ws[f"{col}8"] = text
    ws["H8"] = "偏差原因分析及改进措施"
    rows = [
        ("产出指标", "产出指标", "培训人次", "≥1000人次", "1200人次", 30, None),
        ("产出指标", "产出指标", "人均培训成本", "≤2000元", "2500元", 20, None, "物价上涨"),
        ("效益指标", "效益指标", "就业率", "70%～90%", "75%", 30, None),
        ("满意度指标", "满意度指标", "学员满意度", "≥90%", 95, 10, None),
        ("预算执行率", "预算执行率", "", "", "", 10, None),
        ("总分",),
        ("评分规则集：national-project@2020.1",),
    ]
    for offset, values in enumerate(rows):
        for col, value in zip("ABCDEFGH", values, strict=False):
            ws[f"{col}{9 + offset}"] = value
    for cell, override in overrides.items():
        ws[cell] = override
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_hand_typed_project_form_reads_and_scores() -> None:
    evaluation, _ = read_evaluation_workbook(project_form(), "表.xlsx")
    assert (evaluation.kind, evaluation.ruleset, evaluation.year) == (
        "project",
        "national-project@2020.1",
        2025,
    )
    assert evaluation.project is not None
    assert (evaluation.project.name, evaluation.unit.name, evaluation.unit.supervisor) == (
        "职业技能提升行动",
        "某市职训中心",
        "某市人社局",
    )
    assert [(r.source, r.initial, r.full_year, r.executed) for r in evaluation.budget.rows] == [
        ("当年财政拨款", D(100), D(100), D(95))
    ]
    assert [
        (t.code, t.name, t.direction.value, t.target, t.target_high, t.unit, t.actual, t.parent)
        for t in evaluation.targets
    ] == [
        ("T1", "培训人次", ">=", D(1000), None, "人次", D(1200), "P"),
        ("T2", "人均培训成本", "<=", D(2000), None, "元", D(2500), "P"),
        ("T3", "就业率", "range", D(70), D(90), "%", D(75), "O"),
        ("T4", "学员满意度", ">=", D(90), None, "%", D(95), "C"),
    ]
    assert evaluation.targets[1].explanation == "物价上涨"
    result = score_evaluation(evaluation, find_ruleset(evaluation.ruleset))
    # 30 + 20 × 2000 / 2500 = 16 + 30 + 10 + 10 × 95% = 9.5 → 95.5
    assert [i.score for i in result.indicators] == [D(30), D(16), D(30), D(10), D("9.5")]
    assert (result.total, result.grade_label, result.problems) == (D("95.5"), "优", ())


def problems_of(data: bytes) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_evaluation_workbook(data, "表.xlsx")
    return [str(p) for p in caught.value.problems]


def test_a_target_row_needs_points() -> None:
    assert problems_of(project_form(F9=None)) == [
        "表.xlsx 项目支出绩效自评表!F9「分值」：绩效目标须填写分值"
    ]


def test_a_fund_row_needs_all_three_amounts() -> None:
    assert problems_of(project_form(E5=None)) == [
        "表.xlsx 项目支出绩效自评表!E5「全年执行数」：须填写金额（万元），没有请填 0"
    ]


def test_the_ruleset_must_be_named() -> None:
    assert problems_of(project_form(A15=None)) == [
        "表.xlsx 未写明评分规则集：请在工作表「填报信息」填写“评分规则集”，"
        "或在「项目支出绩效自评表」表末注明“评分规则集：规则集编号”"
    ]


def test_an_unknown_ruleset_is_located_at_its_note() -> None:
    [problem] = problems_of(project_form(A15="评分规则集：national-project@1999"))
    assert problem.startswith(
        "表.xlsx 项目支出绩效自评表!A15「说明」：找不到规则集 national-project@1999，可用："
    )


def test_a_target_outside_any_open_node_is_refused() -> None:
    assert problems_of(project_form(A9="投入指标")) == [
        "表.xlsx 项目支出绩效自评表!A9「指标」：「投入指标 / 产出指标 / 培训人次」不是规则集 "
        "national-project@2020.1 中的指标，也不在由单位自设的指标下"
    ]


def test_typed_numbers_read_as_in_the_forms() -> None:
    # Issue 8.3: grouped and full-width figures are what they say; before, "1,2,00" read as 1200.
    evaluation, _ = read_evaluation_workbook(
        project_form(C5="１００", E5="９５．５", D9="≥1,000人次", E9="１，２００人次"), "表.xlsx"
    )
    assert evaluation.budget.rows[0].initial == D(100)
    assert evaluation.budget.rows[0].executed == D("95.5")
    assert (evaluation.targets[0].target, evaluation.targets[0].actual) == (D(1000), D(1200))


def test_a_decimal_comma_or_bad_grouping_in_a_cell_is_refused() -> None:
    assert problems_of(project_form(E5="95,5", E9="1,2,00人次")) == [
        "表.xlsx 项目支出绩效自评表!E5「全年执行数」：「95,5」中的逗号不能作小数点，"
        "请用小数点（如 33.28）",
        "表.xlsx 项目支出绩效自评表!E9「实际完成值」：「1,2,00」的千位分隔不正确："
        "逗号应每三位一个（如 11,360），或不用逗号",
    ]
