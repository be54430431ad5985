"""The 自评表 reader (jixiao/audit/sheet.py) on hand-made tables in each shape real text gives them,
and on hostile ones: a row is read right or not at all."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit import audit_text
from jixiao.audit.sheet import IndicatorRow, cell_stream, figure, read_sheet, role

HEADER = ["三级指标", "年度指标值", "实际完成值", "分值", "得分"]
ROWS = [
    ["培训人次", "≥1000人次", "1200人次", "10", "10"],
    ["服务对象满意度", "≥90%", "95%", "10", "9"],
    ["项目总成本", "≤90万元", "88万元", "10", "10"],
    ["制度执行", "达标", "达标", "10", "10"],
]


def targets(text: str) -> list[tuple[str, str, Decimal | None, Decimal | None, str]]:
    return [(r.name, r.unit, r.target, r.actual, r.direction) for r in read_sheet(text).indicators]


def readable(text: str) -> list[tuple[str, Decimal | None, Decimal | None]]:
    return [(r.name, r.target, r.actual) for r in read_sheet(text).indicators if r.readable]


EXPECTED = [
    ("培训人次", Decimal(1000), Decimal(1200)),
    ("服务对象满意度", Decimal(90), Decimal(95)),
]


def one_cell_a_line(rows: list[list[str]], *, blank_rows: bool) -> str:
    between = "\n" if not blank_rows else "\n\n"
    row_gap = "\n\n\n\n\n" if blank_rows else "\n"
    return row_gap.join(between.join(row) for row in rows)


@pytest.mark.parametrize(
    "text",
    [
        # docx: cells joined by tabs
        "\n".join("\t".join(r) for r in [HEADER, *ROWS]),
        # a web page: " | " between cells, colspan leftovers at the end
        "\n".join(" | ".join(r) + " | ||||" for r in [HEADER, *ROWS]),
        # one cell a line, blank lines between cells and runs of them between rows
        one_cell_a_line([HEADER, *ROWS], blank_rows=True),
        # a pdf: one cell a line, nothing between rows
        one_cell_a_line([HEADER, *ROWS], blank_rows=False),
        # one cell a line, each followed by "|"
        "\n".join(c + " |" for r in [HEADER, *ROWS] for c in r),
        # spaces: the whole grid on one line (an xlsx or a pdf copied as text)
        " ".join(c for r in [HEADER, *ROWS] for c in r),
    ],
    ids=["tabs", "pipes", "blank-lines", "pdf-lines", "cell-pipe", "spaces"],
)
def test_each_shape_reads_the_same_rows(text: str) -> None:
    rows = read_sheet(text).indicators
    assert [(r.name, r.weight, r.score) for r in rows] == [
        ("培训人次", 10, 10),
        ("服务对象满意度", 10, 9),
        ("项目总成本", 10, 10),
        ("制度执行", 10, 10),
    ]
    assert readable(text) == EXPECTED
    cost = rows[2]
    assert (cost.direction, cost.unit, cost.target, cost.readable) == ("≤", "万元", 90, False)
    assert rows[3].target is None and not rows[3].readable  # 达标: qualitative
    assert read_sheet(text).unaligned == []


def test_words_and_units_broken_by_spaces() -> None:
    text = "指标名称 年度指标值 实际完成值 分值 得分 发放健康教育资料 不少于 12 种 14 种 2 2 举办讲座 ≥ 6 次 8 次 2 2"
    assert readable(text) == [
        ("发放健康教育资料", Decimal(12), Decimal(14)),
        ("举办讲座", Decimal(6), Decimal(8)),
    ]


def test_merged_category_cells_and_units_in_the_name() -> None:
    text = "\n".join(
        [
            "一级指标 | 二级指标 | 三级指标 | 年初目标值(A) | 实际完成值(B) | 得分",
            "产出指标 | 数量指标 | 一、示范区建立 | ≧20000亩 | 20000亩 | 15.0",
            "1、水稻侧深施肥 | ≧500亩 | 500亩 | 5.0",
            "四、农户施肥情况调查(户) | ≧300 | 300 | 5.0",
            "质量指标 | 公猪舍(≥**平方米) | 22.8 | 22.8 | 1",
        ]
    )
    assert targets(text) == [
        ("示范区建立", "亩", Decimal(20000), Decimal(20000), "≥"),
        ("水稻侧深施肥", "亩", Decimal(500), Decimal(500), "≥"),
        ("农户施肥情况调查", "户", Decimal(300), Decimal(300), "≥"),
        ("公猪舍", "平方米", Decimal("22.8"), Decimal("22.8"), "≥"),
    ]


# ---------------------------------------------------------------- hostile tables


@pytest.mark.parametrize(
    "row, why",
    [
        ("培训人次 ≥1000人次 10 10", "the actual missing: 10 would be read as the actual"),
        ("培训人次 ≥1000人次 1200人次 10 10 10", "a cell too many"),
        ("培训人次 1200人次 ≥1000人次 10 10", "the actual carries a direction: columns swapped"),
        ("培训人次 ≥1000人次 95% 10 10", "a count against a percentage: not one measure"),
        ("培训人次 ≥**人次 1200人次 10 10", "a placeholder target"),
        ("培训人次 90-100人次 95人次 10 10", "a range"),
        ("培训人次 ≥1000人次 达标 10 10", "a figure against a word"),
    ],
)
def test_misfit_rows_are_not_read(row: str, why: str) -> None:
    text = " ".join(HEADER) + " " + row + " 服务对象满意度 ≥90% 95% 10 9"
    assert readable(text) == [("服务对象满意度", Decimal(90), Decimal(95))], why


def test_misaligned_rows_are_reported_not_read() -> None:
    text = "\n".join(
        "\t".join(r)
        for r in [HEADER, ["培训人次", "≥1000人次", "1200人次", "10", "10", "7"], ROWS[1]]
    )
    sheet = read_sheet(text)
    assert [r.name for r in sheet.indicators] == ["服务对象满意度"]
    assert sheet.unaligned == [2]
    report = audit_text(text)
    assert any("与表头对不齐" in f.message and "第 2 行" in f.message for f in report.findings)


def test_no_header_no_rows() -> None:
    # the same rows without an 实际完成值 column in the header: nothing can be placed
    text = "\n".join("\t".join(r) for r in [["三级指标", "年度指标值", "分值", "得分"], *ROWS])
    assert read_sheet(text).indicators == []
    # a header naming a column twice (two tables run together) is no header
    text = "\n".join("\t".join(r) for r in [[*HEADER, "实际完成值"], *ROWS])
    assert read_sheet(text).indicators == []


def test_prose_is_not_a_sheet() -> None:
    text = "全年完成培训1200人次，年度指标值1000人次，完成率120%。\n实际完成值见下文 100 95 10 9\n"
    assert read_sheet(text).indicators == []


def test_roles_and_figures() -> None:
    assert [role(c) for c in ("预算数(A)", "执行数(B)", "执行率(B/A)", "得分(20分*执行率)")] == [
        "full_year",
        "executed",
        "rate",
        "score",
    ]
    assert role("年度预算数") is None  # a group header over the amount columns, no column
    assert role("实际完成情况") is None  # the 年度总体目标 table's column, no figure
    assert figure("3、施用配方肥") is None
    assert figure("≧60个") is not None and figure("≧60个").direction == "≥"  # type: ignore[union-attr]
    assert figure("1.2万人次").value == 12000  # type: ignore[union-attr]
    assert figure("90万元").unit == "万元" and figure("90万元").value == 90  # type: ignore[union-attr]
    assert cell_stream("a\tb\n\nc |\n|") == [None, *_cells("a", "b", line=1), None, *_kept("c", "")]


def _cells(*texts: str, line: int) -> list[object]:
    from jixiao.audit.sheet import Cell

    return [Cell(t, line, kept=True) for t in texts]


def _kept(*texts: str) -> list[object]:
    from jixiao.audit.sheet import Cell

    return [Cell(t, 3 + i, kept=True) for i, t in enumerate(texts)]


# ---------------------------------------------------------------- funds block and cover


FUNDS = "\n".join(
    [
        "项目名称 | 某某补助资金 | |||",
        "主管部门 | 某县农业农村局 | 项目实施单位 | 某县土壤肥料工作站",
        "预算执行情况(万元) (20分) | 预算数(A) | 执行数(B) | 执行率(B/A) | 得分 (20分*执行率)",
        "年度财政资金总额 | 278.4449 | 30.00 | 10.77% | 2.15",
    ]
)


def test_funds_row_and_cover() -> None:
    sheet = read_sheet(FUNDS)
    [row] = sheet.funds
    assert row.amounts == {"full_year": Decimal("278.4449"), "executed": Decimal("30.00")}
    assert (row.rate_text, row.weight, row.score, row.formula_stated) == (
        "10.77",
        20,
        Decimal("2.15"),
        True,
    )
    assert {k: v[0] for k, v in sheet.cover.items()} == {
        "project_name": "某某补助资金",
        "supervisor": "某县农业农村局",
        "implementer": "某县土壤肥料工作站",
    }
    report = audit_text(FUNDS)
    assert report.extracted["budget"]["full_year"] == "278.4449"
    assert report.extracted["budget"]["executed"] == "30"
    assert report.extracted["budget"]["stated_execution_rate"] == "10.77"
    assert report.extracted["project_name"] == "某某补助资金"
    assert report.extracted["supervisor"] == "某县农业农村局"
    assert report.extracted["unit_name"] == "某县土壤肥料工作站"
    codes = {f.code for f in report.findings}
    assert "score_formula_mismatch" not in codes and "execution_rate_mismatch" not in codes


def test_funds_score_against_weight_times_rate() -> None:
    # 20 × 10.77% = 2.154: 2.15, never 2.16 — the funds row read here gives check_score_formula
    # what it checks
    codes = {f.code for f in audit_text(FUNDS.replace("| 2.15", "| 2.16")).findings}
    assert "score_formula_mismatch" in codes


def test_indicator_score_above_its_weight() -> None:
    text = "\n".join(
        "\t".join(r) for r in [HEADER, ["培训人次", "≥1000人次", "1200人次", "10", "12"]]
    )
    [finding] = [f for f in audit_text(text).findings if f.code == "score_out_of_range"]
    assert "培训人次" in finding.message and "12" in finding.message and finding.location.line == 2
    fine = text[: -len("12")] + "10"
    assert not [f for f in audit_text(fine).findings if f.code == "score_out_of_range"]


def test_a_zero_total_row_is_no_budget() -> None:
    text = "年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0"
    assert read_sheet(text).funds[0].amounts == {k: 0 for k in ("initial", "full_year", "executed")}
    assert audit_text(text).extracted["budget"]["initial"] is None


# ---------------------------------------------------------------- completion checks on sheet rows


def test_sheet_targets_feed_the_completion_checks() -> None:
    header = ["三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析"]
    rows = [
        ["土样植株化验", "≥60个", "105个", "5", "5", ""],
        ["早孕建册数", "120人", "69人", "2", "1", ""],
        ["老年人体检数", "5662人", "4044人", "2", "1.4", "受疫情影响，体检推迟"],
    ]
    text = "项目支出绩效自评表\n" + "\n".join("\t".join(r) for r in [header, *rows])
    found = {(f.code, f.location.line) for f in audit_text(text).findings}
    assert ("over_completion", 3) in found
    assert ("under_completion_unexplained", 4) in found
    assert ("under_completion_unexplained", 5) not in found  # the reason cell is filled
    assert not any(code == "section_missing" for code, _ in found)  # a sheet, not a report


def test_reason_unknown_in_plain_text_is_no_warning() -> None:
    # spaces: the cell after 得分 may be a reason or the next row's name — neither is claimed
    text = "三级指标 年度指标值 实际完成值 分值 得分 偏差原因 早孕建册数 120人 69人 2 1 受疫情影响 新生儿访视数 214人 214人 2 2"
    rows = read_sheet(text).indicators
    assert [(r.name, r.reason) for r in rows] == [("早孕建册数", None), ("新生儿访视数", "")]
    assert "under_completion_unexplained" not in {f.code for f in audit_text(text).findings}


def test_indicator_row_readable() -> None:
    row = IndicatorRow("x", "%", "=", Decimal(0), Decimal(0), "", None, "", None, "", "", 1, "")
    assert not row.readable  # = 0: no rate to compute


def test_blank_actual_cell_is_reported_never_read() -> None:
    header = [
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "完成值",
        "权重",
        "得分",
        "未完成原因分析",
    ]
    row = ["发放覆盖率", "=", "100", "%", "", "60", "", ""]
    text = "部门预算项目支出绩效自评表(2023年度) |\n" + "\n".join(
        f"{c} |" if c else "|" for c in [*header, *row]
    )
    [read] = read_sheet(text).indicators
    assert (read.target, read.actual, read.actual_blank, read.readable) == (100, None, True, False)
    report = audit_text(text)
    [finding] = [f for f in report.findings if f.code == "actual_missing"]
    assert "发放覆盖率" in finding.message and finding.location.line == 10
    assert report.extracted["targets"] == []
    assert not {"section_missing", "not_a_report"} & {f.code for f in report.findings}


def test_prose_budget_as_finally_allocated() -> None:
    text = "项目实际下达预算2596万元,全年度实际总支出2595.6208 万元,项目预算执行率99%。"
    report = audit_text(text)
    assert report.extracted["budget"]["full_year"] == "2596"
    assert report.extracted["budget"]["executed"] == "2595.6208"
    assert "execution_rate_mismatch" in {f.code for f in report.findings}  # 99.985% is 100%


def test_header_words_broken_across_lines() -> None:
    # a pdf gives 年初预算数 as 年初 / 预算数 and 实际完成值 as 实际 / 完成值
    cells = ["年初", "预算数", "全年", "预算数", "全年", "执行数", "分值", "执行率", "得分"]
    cells += ["年度资金总额", "43.2", "43.2", "37.24", "10", "86%", "9"]
    cells += ["三级指标", "年度", "指标值", "实际", "完成值", "分值", "得分"]
    cells += ["工程验收合格率", "100%", "100%", "10", "10"]
    sheet = read_sheet("\n\n".join(cells))
    [funds] = sheet.funds
    assert funds.amounts == {
        "initial": Decimal("43.2"),
        "full_year": Decimal("43.2"),
        "executed": Decimal("37.24"),
    }
    assert (funds.rate_text, funds.weight, funds.score) == ("86", 10, 9)
    assert [(r.name, r.target, r.actual) for r in sheet.indicators] == [
        ("工程验收合格率", 100, 100)
    ]
    # a header cell is never glued to a neighbour that is a column of its own (得分 | 原因)
    assert role("得分") == "score" and role("得分" + "原因") == "reason"
    text = "\n".join(f"{c} |" for c in ["预算执行数", "预算数", "执行率", "得分", "原因"])
    text += "\n总额 |\n251.89 |\n238.93 |\n105.4% |\n9 |\n无 |"
    [row] = read_sheet(text).funds
    assert (row.score, row.rate_text) == (9, "105.4")


def test_percent_actual_before_its_rate_in_prose() -> None:
    text = "满意度指标完成情况\n读者满意度调查好评率90%,指标完成率99.14%。\n"
    report = audit_text(text)
    [target] = report.extracted["targets"]
    assert (target["actual"], target["unit"], target["stated_percent"]) == ("90", "%", "99.14")
    assert target["target"] is None
    assert "under_completion_unexplained" in {f.code for f in report.findings}
    # only a comma (or 指标) between: another indicator's figure is not this rate's actual
    other = audit_text("资金到位率100%,项目完成率95%。\n")
    assert other.extracted["targets"] == []
    counted = audit_text("数字资源补充50000册,指标完成率100%。\n").extracted["targets"]
    assert [(t["actual"], t["unit"]) for t in counted] == [("50000", "册")]


# ---------------------------------------------------------------- property: never a wrong row

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_UNITS = ["人次", "个", "%", "户", "平方米", ""]


@st.composite
def _sheets(draw: st.DrawFn) -> tuple[list[list[str]], str]:
    count = draw(st.integers(min_value=1, max_value=6))
    rows = []
    for i in range(count):
        unit = draw(st.sampled_from(_UNITS))
        target = draw(st.integers(min_value=1, max_value=5000))
        actual = draw(st.integers(min_value=0, max_value=9000))
        weight = draw(st.integers(min_value=1, max_value=20))
        score = draw(st.integers(min_value=0, max_value=weight))
        direction = draw(st.sampled_from(["≥", "", "="]))
        rows.append([f"指标{'甲乙丙丁戊己'[i]}名称", f"{direction}{target}{unit}", f"{actual}{unit}",
                     str(weight), str(score)])  # fmt: skip
    shape = draw(st.sampled_from(["spaces", "lines", "blank-lines", "tabs", "pipes"]))
    return rows, shape


def _render(rows: list[list[str]], shape: str) -> str:
    table = [HEADER, *rows]
    if shape == "spaces":
        return " ".join(c for r in table for c in r)
    if shape == "lines":
        return "\n".join(c for r in table for c in r)
    if shape == "blank-lines":
        return "\n\n\n".join("\n\n".join(r) for r in table)
    if shape == "tabs":
        return "\n".join("\t".join(r) for r in table)
    return "\n".join(" | ".join(r) for r in table)


@settings(max_examples=150, deadline=None)
@given(_sheets(), st.data())
def test_a_damaged_sheet_never_gives_a_wrong_row(
    sheet: tuple[list[list[str]], str], data: st.DataObject
) -> None:
    """Delete a cell, or add a figure, anywhere in the rows: every row read is a row of the table,
    all its cells in their own columns."""
    rows, shape = sheet
    damaged = [list(r) for r in rows]
    row = data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))
    cell = data.draw(st.integers(min_value=1, max_value=4))
    if data.draw(st.booleans()):
        del damaged[row][cell]
    else:
        damaged[row].insert(cell, str(data.draw(st.integers(min_value=0, max_value=99))))
    truth = {r[0]: r for r in rows}
    for read in read_sheet(_render(damaged, shape)).indicators:
        original = truth[read.name]
        target, actual = figure(original[1]), figure(original[2])
        assert target is not None and actual is not None
        assert (read.target, read.actual) == (target.value, actual.value), (read, original)
        assert (read.weight_text, read.score_text) == (original[3], original[4]), (read, original)
    # and undamaged, every row is read
    assert [r.name for r in read_sheet(_render(rows, shape)).indicators] == list(truth)
