"""数据表 and 评分表: the official layouts, numbers as numbers, totals that add up."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from jixiao.documents.package import render_package
from scoring import score_evaluation

from .conftest import project_evaluation, project_ruleset


def _sheet(package: dict[str, bytes], name: str):
    return openpyxl.load_workbook(io.BytesIO(package[name])).active


def _rows(ws) -> list[tuple]:
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def _dec(value: object) -> Decimal:
    return Decimal(str(value))


@pytest.fixture(scope="module")
def data_table(seed_package):
    return _sheet(seed_package, "数据表.xlsx")


@pytest.fixture(scope="module")
def scoring_table(seed_package):
    return _sheet(seed_package, "评分表.xlsx")


def test_data_table_header_and_budget_block(data_table) -> None:
    rows = _rows(data_table)
    assert rows[0][0] == "部门整体支出绩效自评表（2025年度）"
    assert rows[1][:6] == ("单位名称", "湛江市职业技能鉴定指导中心", None, None, "主管部门",
                           "湛江市人力资源和社会保障局")  # fmt: skip
    assert rows[2] == (
        "年度资金情况（万元）", None, "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值",
        "执行率（B/A）", "得分",
    )  # fmt: skip
    total = rows[3]
    assert total[1] == "年度资金总额"
    assert [_dec(v) for v in total[2:5]] == [Decimal("33.28"), Decimal("38.45"), Decimal("38.45")]
    assert (_dec(total[5]), _dec(total[6]), _dec(total[7])) == (
        Decimal(15),
        Decimal(1),
        Decimal(15),
    )
    assert data_table.cell(row=4, column=7).number_format == "0.00%"
    assert [r[1] for r in rows[4:7]] == ["其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert rows[5][2:5] == ("—", "—", "—")
    assert "A3:A7" in {str(r) for r in data_table.merged_cells.ranges}


def test_data_table_indicator_grid_and_total(data_table, seed_result) -> None:
    rows = _rows(data_table)
    header = rows.index(
        ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施")
    )  # fmt: skip
    grid = rows[header + 1 : header + 1 + len(seed_result.indicators)]
    by_name = {r[2] or r[1]: r for r in grid}
    t1 = by_name["新增取得职业技能等级认定证书"]
    assert t1[1] == "履职产出"
    assert t1[3:5] == ("≥12000人次", "18969人次")
    assert (_dec(t1[5]), _dec(t1[6])) == (Decimal(10), Decimal(10))
    assert t1[7].startswith("年度目标按以往年度认定规模测算偏于保守")
    assert by_name["预算完成率"][4] == "100%"
    assert by_name["预算调整率"][4] == "15.53%"
    assert by_name["目标设定"][4] == "达成预期指标"
    assert sum(_dec(r[6]) for r in grid) == Decimal(98)
    total = rows[header + 1 + len(seed_result.indicators)]
    assert total[0] == "总分"
    assert (_dec(total[5]), _dec(total[6]), total[7]) == (
        Decimal(100),
        Decimal(98),
        "评价等级：优秀",
    )
    expected_goal = rows[header - 1]
    assert "新增取得职业技能等级认定证书12000人次" in expected_goal[1]
    assert "新增取得职业技能等级认定证书18969人次，完成158.08%" in expected_goal[4]


def test_data_table_prints_on_a4(data_table) -> None:
    assert int(data_table.page_setup.paperSize) == 9  # A4
    assert data_table.page_setup.orientation == "landscape"
    assert data_table.cell(row=3, column=1).border.left.style == "thin"


def test_scoring_table(scoring_table, seed_result) -> None:
    rows = _rows(scoring_table)
    assert rows[0][0] == "湛江市职业技能鉴定指导中心2025年度部门整体支出绩效自评评分表"
    assert rows[1] == ("序号", "一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准",
                       "自评得分")  # fmt: skip
    body = rows[2 : 2 + len(seed_result.indicators)]
    assert [r[0] for r in body] == list(range(1, 15))
    first = body[0]
    assert first[1:5] == ("预算编制", "目标设定", None, 5)
    assert first[5].startswith("部门整体绩效目标是否明确")
    assert _dec(first[7]) == Decimal(4)
    execution = next(r for r in body if r[2] == "预算完成率")
    assert execution[6] == "得分 = 分值 × 预算完成率，最高不超过分值。"
    target = next(r for r in body if r[3] == "新增取得技师及以上职业技能等级认定证书")
    assert next(r for r in body if r[3] == "新增取得职业技能等级认定证书")[2] == "履职产出"
    assert target[2] is None  # merged into 履职产出 above
    assert target[5].endswith("年度指标值≥310人次。")
    assert (_dec(target[4]), _dec(target[7])) == (Decimal(5), Decimal(5))
    total = rows[2 + len(seed_result.indicators)]
    assert total[0] == "合计"
    assert (_dec(total[4]), _dec(total[7])) == (Decimal(100), Decimal(98))
    assert rows[3 + len(seed_result.indicators)][4] == "优秀"
    # 一级指标 cells of one group are merged: 预算编制 spans its three leaves.
    assert "B3:B5" in {str(r) for r in scoring_table.merged_cells.ranges}


def test_project_data_table() -> None:
    evaluation = project_evaluation()
    result = score_evaluation(evaluation, project_ruleset())
    files = render_package(evaluation, result, ["xlsx"], ruleset=project_ruleset())
    assert sorted(files) == ["数据表.xlsx", "评分表.xlsx"]
    rows = _rows(_sheet(files, "数据表.xlsx"))
    assert rows[0][0] == "项目支出绩效自评表（2025年度）"
    assert rows[1][:2] == ("项目名称", "职业技能培训补贴")
    goal = rows[next(i for i, r in enumerate(rows) if r[0] == "年度总体目标") + 1]
    assert (goal[1], goal[4]) == ("全年培训城乡劳动者800人次。", "全年培训城乡劳动者720人次。")
    total = next(r for r in rows if r[0] == "总分")
    assert _dec(total[6]) == Decimal("91.55")
