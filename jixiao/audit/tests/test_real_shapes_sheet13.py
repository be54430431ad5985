"""Shapes of 自评表 in which an existing check missed a real report's defect (#13, sheet13):
made-up texts.

Each rule has the shape (the test fails without it) and a near miss that must still read nothing
or raise nothing: a wrong value is worse than none. The texts are written for the test, never
copied from one report.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.audit import audit_text
from jixiao.audit.extract import extract
from jixiao.audit.sheet import read_sheet


def codes(text: str) -> list[str]:
    return [f.code for f in audit_text(text).findings]


# ---- a grid header of two rows: 年度指标值 spanning 指标性质 | 指标值 | 度量单位 ---------------

TWO_ROWS = (
    "2023年度项目支出绩效自评表 |\n"
    "| 项目名称 | 示例培训补助资金 | 主管部门 | 示例县人力资源和社会保障局 |\n"
    "| 绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
    "| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 |\n"
    "| 产出指标 | 数量指标 | 培训农民工人次 | ≥ | 300 | 人次 | 320 | 20 | 16 |\n"
    "| 质量指标 | 培训合格率 | ═ | 100 | % | 100% | 20 | 20 |\n"
    "| 总分 | 100 | 96 | 优 |\n"
)


def test_a_target_column_spanning_direction_value_and_unit_is_read() -> None:
    rows = read_sheet(TWO_ROWS).indicators
    assert [(r.name, r.direction, r.target, r.actual, r.unit, r.score) for r in rows] == [
        ("培训农民工人次", "≥", Decimal(300), Decimal(320), "人次", Decimal(16)),
        ("培训合格率", "=", Decimal(100), Decimal(100), "%", Decimal(20)),
    ]
    # met (320 ≥ 300) yet 16 of 20, the 偏差原因 cell left empty
    assert "indicator_score_mismatch" in codes(TWO_ROWS)


def test_a_two_row_header_of_another_shape_or_a_row_missing_a_cell_reads_nothing() -> None:
    # no row labels (一级指标 …) before the second run: two tables run together, no header
    run_together = TWO_ROWS.replace("| 一级指标 | 二级指标 | 三级指标 ", "")
    assert read_sheet(run_together).indicators == []
    # the second row names the actual again: not the span of the target
    other = TWO_ROWS.replace("| 指标值 | 度量单位 |", "| 指标值 | 完成值 |")
    assert read_sheet(other).indicators == []
    # the unit cell gone from a row: its figures cannot be placed, the row is not read
    short = TWO_ROWS.replace("| 300 | 人次 | 320 |", "| 300 | 320 |")
    assert [r.name for r in read_sheet(short).indicators] == ["培训合格率"]
    assert "indicator_score_mismatch" not in codes(short)
    # a reason in the 偏差原因 cell: the lower score is explained
    explained = TWO_ROWS.replace("| 20 | 16 |", "| 20 | 16 | 部分学员未完成实操考核 |")
    assert "indicator_score_mismatch" not in codes(explained)


# ---- a copy in traditional characters with readings inserted ---------------------------------

TRADITIONAL = (
    "2022年度項(xiàng)目支出績(jī)效自評(píng)表\n"
    "| 項(xiàng)目名稱(chēng) | 示例經(jīng)費(fèi) |\n"
    "| 績(jī)效指標(biāo) | 年度指標(biāo)值 | 實(shí)際完成值 | 分值 | 得分 | 偏差原因分析 |\n"
    "| 一級 指標(biāo) | 二級指標(biāo) | 三級指標(biāo) | 指標(biāo)性質(zhì) | 指標(biāo)值 | 度量單位 |\n"
    "| 產(chǎn)出指標(biāo) | 數(shù)量指標(biāo) | 巡查次數(shù) | ≥ | 12 | 次 | 12 | 20.00 | 18.00 | |\n"
)


def test_a_sheet_in_traditional_characters_is_read_as_its_simplified_words() -> None:
    doc = extract(TRADITIONAL)
    assert doc.sheet is not None
    [row] = doc.sheet.indicators
    assert (row.target, row.actual, row.weight, row.score) == (12, 12, 20, 18)
    assert row.line == 5
    assert "indicator_score_mismatch" in codes(TRADITIONAL)


def test_a_traditional_sheet_whose_row_misfits_reads_nothing() -> None:
    # the unit cell gone: 12 | 12 | 20.00 cannot be placed
    short = TRADITIONAL.replace("| 12 | 次 | 12 |", "| 12 | 12 |")
    doc = extract(short)
    assert doc.sheet is not None and doc.sheet.indicators == []
    assert "indicator_score_mismatch" not in codes(short)


# ---- kept cells (|) of a row that lost one: never shifted into the next column -----------------


def test_a_kept_row_that_lost_a_cell_and_kept_an_empty_one_reads_nothing() -> None:
    # the actual cell gone, the empty 偏差原因 kept: 20.00 would be read as the actual, 18.00 as
    # the 分值 and the empty reason as a blank 得分
    shifted = TRADITIONAL.replace("| 次 | 12 | 20.00", "| 次 | 20.00")
    doc = extract(shifted)
    assert doc.sheet is not None and doc.sheet.indicators == []
    assert "indicator_score_mismatch" not in codes(shifted)
    # near miss: a whole row with its empty 偏差原因 kept is read; so is one whose page dropped its
    # trailing empty cells but no figure (永德's rows end at their 得分)
    assert [r.score for r in extract(TRADITIONAL).sheet.indicators] == [18]  # type: ignore[union-attr]
    assert [r.score for r in read_sheet(TWO_ROWS).indicators] == [16, 20]
    # a blank 得分 in a row that keeps every cell is a blank cell, not a lost one
    blank_score = TWO_ROWS.replace("| 20 | 16 |", "| 20 | | |")
    [row, _] = read_sheet(blank_score).indicators
    assert (row.actual, row.weight, row.score) == (320, 20, None)


# ---- the two-row header copied as one line (an xlsx as text): ≥ 300 人次 comes joined ---------

ONE_LINE = (
    "项目名称 示例培训补助资金 绩效指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 "
    "一级指标 二级指标 三级指标 指标性质 指标值 度量单位 产出指标 数量指标 培训农民工人次 ≥ 300 人次 "
    "320 20 16 质量指标 培训合格率 = 100 % 100 20 20\n"
)


def test_a_direction_and_unit_joined_to_the_target_fill_their_columns() -> None:
    rows = read_sheet(ONE_LINE).indicators
    assert [(r.name, r.direction, r.target, r.actual, r.unit, r.score) for r in rows] == [
        ("培训农民工人次", "≥", 300, 320, "人次", 16),
        ("培训合格率", "=", 100, 100, "%", 20),
    ]


def test_a_joined_target_whose_next_cell_is_no_figure_or_unit_reads_nothing() -> None:
    # the unit cell gone and the target has none: 320 cannot be the unit
    no_unit = ONE_LINE.replace("≥ 300 人次 320", "≥ 300 320")
    assert [r.name for r in read_sheet(no_unit).indicators] == ["培训合格率"]
    # a word after the joined target: no unit of it, no row
    worded = ONE_LINE.replace("人次 320 20 16", "人次 良好 20 16")
    assert [r.name for r in read_sheet(worded).indicators] == ["培训合格率"]


# ---- property: a damaged two-row sheet never gives a wrong row ---------------------------------

_H1 = ["绩效指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
_H2 = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"]


def _render(table: list[list[str]], shape: str) -> str:
    if shape == "spaces":
        return " ".join(c for r in table for c in r)
    if shape == "lines":
        return "\n".join(c for r in table for c in r)
    if shape == "tabs":
        return "\n".join("\t".join(r) for r in table)
    trail = " | |" if shape == "pipes-kept" else " |"
    return "\n".join("| " + " | ".join(r) + trail for r in table)


def test_a_damaged_two_row_sheet_never_gives_a_wrong_row() -> None:
    """A cell deleted or a figure added anywhere in a row, in every shape: every row read is a row
    of the table with each cell in its column, and undamaged every row is read."""
    import random

    from jixiao.audit.sheet import figure

    for seed in range(400):
        rnd = random.Random(seed)
        rows = []
        for i in range(rnd.randint(1, 4)):
            unit = rnd.choice(["人次", "个", "%", "户", "平方米"])
            weight = rnd.randint(1, 20)
            actual = f"{rnd.randint(0, 9000)}{unit if rnd.random() < 0.5 else ''}"
            rows.append([f"指标{'甲乙丙丁'[i]}名称", rnd.choice(["≥", "=", "≧", "═"]),
                         str(rnd.randint(1, 5000)), unit, actual, str(weight),
                         str(rnd.randint(0, weight))])  # fmt: skip
        shape = rnd.choice(["spaces", "lines", "tabs", "pipes", "pipes-kept"])
        damaged = [list(r) for r in rows]
        row, cell = rnd.randrange(len(damaged)), rnd.randint(1, 6)
        if rnd.random() < 0.5:
            del damaged[row][cell]
        else:
            damaged[row].insert(cell, str(rnd.randint(0, 99)))
        truth = {r[0]: r for r in rows}
        for read in read_sheet(_render([_H1, _H2, *damaged], shape)).indicators:
            o = truth[read.name]
            found = figure(o[4])
            assert found is not None
            assert (read.target, read.actual) == (Decimal(o[2]), found.value), (seed, read, o)
            assert (read.weight_text, read.score_text) == (o[5], o[6]), (seed, read, o)
        clean = read_sheet(_render([_H1, _H2, *rows], shape)).indicators
        assert [r.name for r in clean] == list(truth), (seed, shape)


def test_a_kept_sheet_with_empty_cells_that_lost_one_never_gives_a_wrong_row() -> None:
    """Where the text keeps empty cells (tabs, |) and a row has some (a blank 实际完成值, 分值 or
    得分; the 偏差原因 dropped, kept empty or 无), a cell lost anywhere in a row: every row read is
    a row of the table with each cell in its column."""
    import random

    from jixiao.audit.sheet import figure

    trails = {"tabs": None, "pipes": " |", "pipes-kept": " | |", "pipes-reason": " | 无 |"}
    for seed in range(400):
        rnd = random.Random(seed)
        rows = []
        for i in range(rnd.randint(1, 4)):
            weight = rnd.randint(1, 20)
            cells = [str(rnd.randint(0, 9000)), str(weight), str(rnd.randint(0, weight))]
            if rnd.random() < 0.5:
                cells[rnd.randrange(3)] = ""
            rows.append([f"指标{'甲乙丙丁'[i]}名称", rnd.choice(["≥", "="]),
                         str(rnd.randint(1, 5000)), rnd.choice(["人次", "个", "%"]), *cells])  # fmt: skip
        shape = rnd.choice(list(trails))
        damaged = [list(r) for r in rows]
        del damaged[rnd.randrange(len(damaged))][rnd.randint(1, 6)]
        table = [_H1, _H2, *damaged]
        trail = trails[shape]
        if trail is None:
            text = "\n".join("\t".join(r) for r in table)
        else:
            text = "\n".join("| " + " | ".join(r) + trail for r in table)
        truth = {r[0]: r for r in rows}
        for read in read_sheet(text).indicators:
            o = truth[read.name]
            found = figure(o[4]) if o[4] else None
            assert read.target == Decimal(o[2]), (seed, read, o)
            assert read.actual == (found.value if found else None), (seed, read, o)
            assert (read.weight_text, read.score_text) == (o[5], o[6]), (seed, read, o)


def test_a_blank_actual_in_a_kept_row_short_of_its_reason_is_still_found() -> None:
    # the page dropped the trailing empty 偏差原因; the blank 实际完成值 before a filled 得分 is a
    # cell of its own, not a lost one
    blank = TWO_ROWS.replace("| 人次 | 320 | 20 | 16 |", "| 人次 | | 20 | 0 |")
    [row, _] = read_sheet(blank).indicators
    assert row.actual_blank and row.score == 0
    assert "actual_missing" in codes(blank)


# ---- a 指标性质 cell written as a word with 指标 (正向指标, 定量指标) ----------------------------


def test_a_direction_word_with_its_suffix_fits_the_direction_column() -> None:
    worded = TWO_ROWS.replace("| ≥ | 300 |", "| 正向指标 | 300 |")
    [row, _] = read_sheet(worded).indicators
    assert (row.direction, row.target, row.actual, row.score) == ("≥", 300, 320, 16)
    assert "indicator_score_mismatch" in codes(worded)


def test_a_quantitative_or_reverse_word_reads_no_direction_to_judge() -> None:
    # 定量指标 says neither more nor less is better, 反向指标 less: the row is read, not judged
    for word, direction in (("定量指标", "?"), ("反向指标", "≤")):
        text = TWO_ROWS.replace("| ≥ | 300 |", f"| {word} | 300 |")
        [row, _] = read_sheet(text).indicators
        assert row.direction == direction and not row.readable
        assert "indicator_score_mismatch" not in codes(text)
    # a word that is no direction (指标说明) in the column: the row is not read
    other = TWO_ROWS.replace("| ≥ | 300 |", "| 指标说明 | 300 |")
    assert [r.name for r in read_sheet(other).indicators] == ["培训合格率"]
