"""Rule-sets ⇄ Excel scoring sheets and YAML: round trips, the human-only sheet, located errors."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from scoring.loading import InputError, parse_yaml, shipped_rulesets, validate_data
from scoring.ruleset import Band, DerivedMetric, Direction, Indicator, Rule, RuleKind, RuleSet
from scoring.ruleset_sheet import (
    COLUMNS,
    HUMAN_COLUMNS,
    SHEET_BANDS,
    SHEET_INDICATORS,
    SHEET_INFO,
    export_sheet,
    import_sheet,
    ruleset_to_yaml,
)
from scoring.tests.factories import without_english

SHIPPED = sorted(shipped_rulesets().items())


def _yaml_round_trip(ruleset: RuleSet) -> RuleSet:
    return validate_data(RuleSet, parse_yaml(ruleset_to_yaml(ruleset), "t.yaml"), "t.yaml")


@pytest.mark.parametrize(("ref", "ruleset"), SHIPPED, ids=[ref for ref, _ in SHIPPED])
def test_shipped_ruleset_survives_excel_round_trip(ref: str, ruleset: RuleSet) -> None:
    imported = import_sheet(export_sheet(ruleset), "t.xlsx")
    assert imported.ruleset == without_english(ruleset)
    assert imported.ruleset.ref == ref
    assert imported.warnings == []


@pytest.mark.parametrize(("ref", "ruleset"), SHIPPED, ids=[ref for ref, _ in SHIPPED])
def test_shipped_ruleset_survives_yaml_round_trip(ref: str, ruleset: RuleSet) -> None:
    assert _yaml_round_trip(ruleset) == ruleset


def test_exported_sheet_has_the_human_columns_first() -> None:
    ruleset = shipped_rulesets()["gd-department@2025.1"]
    book = load_workbook(io.BytesIO(export_sheet(ruleset)))
    sheet = book[SHEET_INDICATORS]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert rows[0][:7] == (
        "序号",
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "指标解释",
        "评分标准",
    )
    assert rows[1][:5] == (1, "预算编制", None, None, 20)
    assert rows[3][:5] == (3, None, "在职人员控制率", None, 5)
    assert rows[3][7:] == (
        "B2",
        None,
        "deduction",
        "<=",
        "staffing_control_rate",
        None,
        None,
        100,
        1,
    )
    assert book.sheetnames == [SHEET_INDICATORS, SHEET_INFO, SHEET_BANDS, "评价等级"]


def _sheet(rows: list[tuple[Any, ...]], header: tuple[str, ...] = HUMAN_COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_INDICATORS
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    info = book.create_sheet(SHEET_INFO)
    info.append(("字段", "说明", "值"))
    for key, value in (
        ("id", "city"),
        ("version", "2026.1"),
        ("name", "某市评分表"),
        ("kind", "department"),
    ):
        info.append((key, "", value))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_human_columns_only_give_qualitative_leaves_with_warnings() -> None:
    data = _sheet(
        [
            (1, "投入", None, None, 40, None, None),
            (2, None, "目标设定", None, 15, "目标是否明确", "明确得满分"),
            (3, None, "预算配置", None, 25, None, None),
            (4, "产出", None, None, 60, None, None),
            (5, None, "完成情况", None, None, None, None),
            (6, None, None, "数量", 30, None, None),
            (7, None, None, "质量", 30, None, None),
        ]
    )
    imported = import_sheet(data, "city.xlsx")
    ruleset = imported.ruleset
    assert ruleset.ref == "city@2026.1"
    assert [(c, n.name, n.points) for c, n in ((n.code, n) for _, n in ruleset.walk())] == [
        ("1", "投入", 40),
        ("1.1", "目标设定", 15),
        ("1.2", "预算配置", 25),
        ("2", "产出", 60),
        ("2.1", "完成情况", 60),  # an empty parent 分值 is the sum of its children
        ("2.1.1", "数量", 30),
        ("2.1.2", "质量", 30),
    ]
    leaf = ruleset.find("1.1")
    assert leaf is not None and leaf.rule == Rule(kind=RuleKind.QUALITATIVE)
    assert leaf.explanation == "目标是否明确"
    assert [(w.line, w.field) for w in imported.warnings] == [
        (3, "评分表「规则」"),
        (4, "评分表「规则」"),
        (7, "评分表「规则」"),
        (8, "评分表「规则」"),
    ]
    assert str(imported.warnings[0]) == (
        "city.xlsx:3 评分表「规则」：二级指标「目标设定」未填写评分规则，按定性指标（默认档次）处理"
    )


def _errors(data: bytes) -> list[str]:
    with pytest.raises(InputError) as caught:
        import_sheet(data, "bad.xlsx")
    return [str(p) for p in caught.value.problems]


def test_points_that_do_not_add_up_name_the_row() -> None:
    data = _sheet(
        [
            (1, "投入", None, None, 100, None, None),
            (2, None, "目标设定", None, 30, None, None),
            (3, None, "预算配置", None, 60, None, None),
        ]
    )
    assert _errors(data) == [
        "bad.xlsx:2 评分表「分值」：「投入」的下级指标分值合计 90 不等于其分值 100"
    ]


def test_top_level_total_must_be_the_total_points() -> None:
    data = _sheet([(1, "投入", None, None, 90, None, None)])
    assert _errors(data) == ["bad.xlsx 规则集「total_points」：一级指标分值合计 90 不等于总分 100"]


def test_bad_cells_are_named_with_row_and_column() -> None:
    header = (
        *HUMAN_COLUMNS,
        "编码",
        "单位自设",
        "规则",
        "方向",
        "取数来源",
        "目标值",
        "目标上限",
        "限值",
        "每点扣分",
    )
    data = _sheet(
        [
            (1, "甲", None, None, "十", None, None, "A", None, None),
            (2, None, None, "乙", 10, None, None, "B", None, None),
            (3, "丙", None, None, 50, None, None, "C", None, "定量制"),
            (
                4,
                "丁",
                None,
                None,
                50,
                None,
                None,
                "C",
                None,
                "deduction",
                "<=",
                None,
                None,
                None,
                20,
                1,
            ),
        ],
        header,
    )
    errors = _errors(data)
    assert "bad.xlsx:2 评分表「分值」：应为数字，现为「十」" in errors
    assert "bad.xlsx:3 评分表「三级指标」：「乙」上方没有所属的二级指标" in errors
    assert any(e.startswith("bad.xlsx:4 评分表「规则」：「定量制」无效，可选：") for e in errors)
    assert "bad.xlsx:5 评分表「编码」：编码 C 与第 4 行重复" in errors
    assert "bad.xlsx:5 评分表「规则」：扣分指标「丁」须给出取数来源 source" in errors


def test_unordered_bands_name_the_band_row() -> None:
    ruleset = shipped_rulesets()["gd-department@2025.1"]
    book = load_workbook(io.BytesIO(export_sheet(ruleset)))
    bands = book[SHEET_BANDS]
    bands["C3"] = 50  # band B: 50–80, while band C still starts at 60
    out = io.BytesIO()
    book.save(out)
    assert _errors(out.getvalue()) == [
        "bad.xlsx:4 定性档次「上限（%）」：上限 60 与上一档下限 50 不衔接（档次须从高到低排列）"
    ]


def test_not_an_excel_file_is_a_clear_error() -> None:
    assert _errors(b"not a workbook") == ["bad.xlsx 无法读取，不是有效的 Excel（.xlsx）文件"]


# ---------------------------------------------------------------- generated rule-sets

points_st = st.decimals(min_value=0, max_value=40, places=1, allow_nan=False, allow_infinity=False)
percent_st = st.decimals(
    min_value=0, max_value=200, places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    kind = draw(st.sampled_from(RuleKind))
    if kind is RuleKind.DEDUCTION:
        return Rule(
            kind=kind,
            direction=draw(st.sampled_from([Direction.AT_MOST, Direction.AT_LEAST])),
            source=draw(st.sampled_from(DerivedMetric)),
            limit=draw(percent_st),
            deduct_per_point=draw(points_st),
        )
    if kind is RuleKind.BUDGET_EXECUTION:
        return Rule(kind=kind, source=DerivedMetric.EXECUTION_RATE)
    if kind is RuleKind.QUANTITATIVE:
        target = draw(st.none() | percent_st)
        direction = draw(st.sampled_from(Direction))
        high = (
            target + draw(percent_st)
            if direction is Direction.RANGE and target is not None
            else None
        )
        return Rule(kind=kind, direction=direction, target=target, target_high=high)
    return Rule(kind=kind)


@st.composite
def indicators(draw: st.DrawFn, prefix: str, depth: int) -> Indicator:
    name = draw(st.text(alphabet="指标预算执行效益产出", min_size=1, max_size=6))
    if depth < 3 and draw(st.booleans()):
        children = tuple(
            draw(indicators(f"{prefix}.{i}", depth + 1))
            for i in range(1, draw(st.integers(1, 3)) + 1)
        )
        points = sum((c.points for c in children), Decimal(0))
        return Indicator(code=prefix, name=name, points=points, children=children)
    text = st.text(alphabet="分值得满按比例计；", max_size=12)
    if draw(st.booleans()):
        return Indicator(
            code=prefix, name=name, points=draw(points_st), open=True, criteria=draw(text)
        )
    return Indicator(
        code=prefix,
        name=name,
        points=draw(points_st),
        explanation=draw(text),
        criteria=draw(text),
        rule=draw(rules()),
    )


@st.composite
def rulesets(draw: st.DrawFn) -> RuleSet:
    tops = tuple(draw(indicators(f"G{i}", 1)) for i in range(1, draw(st.integers(1, 4)) + 1))
    split = draw(st.decimals(min_value=1, max_value=99, places=0))
    return RuleSet(
        id="generated",
        version=draw(st.sampled_from(["1", "2025.1", "2026.2-a"])),
        name="生成的规则集",
        kind=draw(st.sampled_from(["department", "project"])),
        basis=draw(st.sampled_from(["", "财预〔2020〕10号"])),
        total_points=sum((t.points for t in tops), Decimal(0)),
        indicators=tops,
        bands=(
            Band(key="A", label="好", low=split, high=Decimal(100)),
            Band(key="B", label="差", low=Decimal(0), high=split),
        ),
    )


@settings(max_examples=60, deadline=None)
@given(rulesets())
def test_generated_rulesets_survive_both_round_trips(ruleset: RuleSet) -> None:
    imported = import_sheet(export_sheet(ruleset), "g.xlsx")
    assert imported.ruleset == ruleset
    assert imported.warnings == []
    assert _yaml_round_trip(ruleset) == ruleset


def test_sheet_without_info_sheet_imports_with_a_warning() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_INDICATORS
    sheet.append(HUMAN_COLUMNS)
    sheet.append((1, "综合评价", None, None, 100, None, None))
    out = io.BytesIO()
    book.save(out)
    imported = import_sheet(out.getvalue(), "县财政局.xlsx")
    assert imported.ruleset.ref == "县财政局@1"
    assert imported.ruleset.kind == "department"
    assert [str(w) for w in imported.warnings] == [
        "县财政局.xlsx 规则集：缺少工作表「规则集」，按编号 县财政局、版本 1、部门整体（department）、"
        "总分 100 导入",
        "县财政局.xlsx:2 评分表「规则」：一级指标「综合评价」未填写评分规则，按定性指标（默认档次）处理",
    ]


def test_grades_must_end_at_zero() -> None:
    ruleset = shipped_rulesets()["gd-department@2025.1"]
    book = load_workbook(io.BytesIO(export_sheet(ruleset)))
    book["评价等级"]["D5"] = 10
    out = io.BytesIO()
    book.save(out)
    assert _errors(out.getvalue()) == [
        "bad.xlsx 评价等级「分数线」：最低评价等级的分数线须为 0，使每个总分都有等级"
    ]
