"""The data-table workbook (数据表.xlsx) and the rule-set options (docs/rulesets.md「评分选项」):
the 绩效目标 sheet's 类别（二级指标）, 不适用 and 分值 columns, and 得分 written 不适用 in the form's
grid, read back with located Chinese errors (docs/input-format.md)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scoring.engine import score_evaluation
from scoring.evaluation_sheet import TARGET_COLUMNS, read_evaluation_workbook
from scoring.loading import InputError, find_ruleset
from scoring.ruleset import NotApplicableRule, ScoringOptions
from scoring.ruleset_sheet import ruleset_to_yaml
from scoring.tests.test_evaluation_sheet import project_form

D = Decimal
NAMES = ("培训人次", "人均培训成本", "就业率", "学员满意度")


@pytest.fixture
def rescaling(tmp_path: Path) -> Path:
    """national-project@na: national-project that drops 不适用 indicators and rescales the rest."""
    ruleset = find_ruleset("national-project").model_copy(
        update={
            "version": "na",
            "options": ScoringOptions(not_applicable=NotApplicableRule.RESCALE),
        }
    )
    (tmp_path / "na.yaml").write_text(ruleset_to_yaml(ruleset), encoding="utf-8")
    return tmp_path


def with_targets(form: bytes, rows: dict[str, tuple[object, ...]]) -> bytes:
    """The hand-typed form plus a 绩效目标 sheet: 编码, 指标名称 and the columns given per name
    (计量单位, 年度指标值, 实际完成值, 其中, 类别（二级指标）, 不适用, 分值 — as many as given)."""
    book = load_workbook(io.BytesIO(form))
    ws = book.create_sheet("绩效目标")
    ws.append(list(TARGET_COLUMNS))
    for index, name in enumerate(NAMES, start=1):
        ws.append([f"T{index}", name, *rows.get(name, ())])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(data: bytes, extra: Path | None = None):
    return read_evaluation_workbook(data, "表.xlsx", extra_dirs=[extra] if extra else [])[0]


def problems_of(data: bytes, extra: Path | None = None) -> list[str]:
    with pytest.raises(InputError) as caught:
        read(data, extra)
    return [str(p) for p in caught.value.problems]


BLANK = (None, None, None, None)  # 计量单位, 年度指标值, 实际完成值, 其中


def test_category_and_not_applicable_columns_are_read(rescaling: Path) -> None:
    form = project_form(A15="评分规则集：national-project@na")
    data = with_targets(
        form,
        {
            "培训人次": (*BLANK, "数量指标", "", 30),
            "人均培训成本": (*BLANK, "成本指标", "否", 20),
            "就业率": (*BLANK, "社会效益指标", "是", 30),
            "学员满意度": (*BLANK, None, None, 10),
        },
    )
    evaluation = read(data, rescaling)
    assert [(t.name, t.category, t.not_applicable, t.points) for t in evaluation.targets] == [
        ("培训人次", "数量指标", False, D(30)),
        ("人均培训成本", "成本指标", False, D(20)),
        ("就业率", "社会效益指标", True, D(30)),
        ("学员满意度", "", False, D(10)),
    ]
    result = score_evaluation(evaluation, find_ruleset("national-project@na", [rescaling]))
    assert result.problems == ()
    dropped = next(i for i in result.indicators if i.name == "就业率")
    assert (dropped.not_applicable, dropped.points, dropped.declared_points) == (True, 0, 30)
    # 70 applicable points → 100: 30 → 42.86 − 0.01 remainder, 20 → 28.57, 10 → 14.29 (twice)
    assert sum(i.points for i in result.indicators) == D(100)


def test_an_older_targets_sheet_without_the_new_columns_still_reads() -> None:
    book = load_workbook(io.BytesIO(with_targets(project_form(), {})))
    book["绩效目标"].delete_cols(7, 3)
    buffer = io.BytesIO()
    book.save(buffer)
    evaluation = read(buffer.getvalue())
    assert [(t.category, t.not_applicable, t.points) for t in evaluation.targets][:2] == [
        ("", False, D(30)),
        ("", False, D(20)),
    ]


def test_a_bad_not_applicable_mark_is_located() -> None:
    data = with_targets(project_form(), {"就业率": (*BLANK, "", "也许", 30)})
    assert problems_of(data) == [
        "表.xlsx 绩效目标!H4「不适用」：应填“是”（不适用，剔除后按总分折算）或留空（适用），"
        "实际是「也许」"
    ]


def test_a_category_longer_than_the_field_is_located() -> None:
    data = with_targets(project_form(), {"培训人次": (*BLANK, "类" * 101, "", 30)})
    [problem] = problems_of(data)
    assert problem.startswith("表.xlsx 绩效目标!G2「类别（二级指标）」：")


def test_points_that_disagree_with_the_grid_are_refused_when_nothing_is_rescaled() -> None:
    data = with_targets(project_form(), {"培训人次": (*BLANK, "", "", 25)})
    assert problems_of(data) == [
        "表.xlsx 项目支出绩效自评表!F9「分值」：30 与工作表「绩效目标」第 2 行的 25 不一致"
    ]


def test_not_applicable_in_the_grids_score_cell(rescaling: Path) -> None:
    """得分 written 不适用 (as jixiao's own tables write a dropped indicator) marks the row; with
    rescaling the grid's 分值 are the rescaled ones, so a target's own points must be in 绩效目标."""
    form = project_form(A15="评分规则集：national-project@na", G11="不适用", E11=None)
    assert problems_of(form, rescaling) == [
        f"表.xlsx 项目支出绩效自评表!F{row}「分值」：规则集 national-project@na 剔除不适用指标后"
        "按总分折算分值，本列是折算后的分值：请在工作表「绩效目标」的「分值」列填写各绩效目标自设的分值"
        for row in (9, 10, 11, 12)
    ]
    points = {"培训人次": 30, "人均培训成本": 20, "就业率": 30, "学员满意度": 10}
    with_points = with_targets(form, {n: (*BLANK, "", "是" if n == "就业率" else "", p)
                                      for n, p in points.items()})  # fmt: skip
    evaluation = read(with_points, rescaling)
    assert [t.not_applicable for t in evaluation.targets] == [False, False, True, False]
    assert evaluation.targets[2].actual is None  # a dropped target needs no actual


def test_the_grid_and_the_sheet_must_agree_on_not_applicable(rescaling: Path) -> None:
    form = project_form(A15="评分规则集：national-project@na", G11="不适用")
    data = with_targets(
        form, {n: (*BLANK, "", "", p) for n, p in zip(NAMES, (30, 20, 30, 10), strict=True)}
    )
    assert problems_of(data, rescaling) == [
        "表.xlsx 项目支出绩效自评表!G11「得分」：得分为“不适用”，但工作表「绩效目标」第 4 行"
        "「不适用」未填“是”：请在该列填“是”，或把得分清空"
    ]


def test_a_fixed_indicator_marked_not_applicable_under_a_refusing_ruleset() -> None:
    """national-project@2020.1 does not drop indicators: the mark is read, and the engine lists
    it as a problem (the rule-set decides, not the workbook)."""
    evaluation = read(project_form(G13="不适用"))
    [execution] = [a for a in evaluation.assessments if a.not_applicable]
    result = score_evaluation(evaluation, find_ruleset(evaluation.ruleset))
    assert [str(p) for p in result.problems] == [
        "「预算执行率」标为不适用，但规则集 national-project@2020.1 不允许剔除不适用指标"
    ]
    assert execution.code == "X"


def test_points_for_a_target_not_in_the_grid_are_refused() -> None:
    book = load_workbook(io.BytesIO(with_targets(project_form(), {})))
    book["绩效目标"].append(["T9", "参加认定人次数", "人次", 500, 520, None, "", "", 5])
    buffer = io.BytesIO()
    book.save(buffer)
    assert problems_of(buffer.getvalue()) == [
        "表.xlsx 绩效目标!I6「分值」：「参加认定人次数」填了分值，但不在工作表「项目支出绩效自评表」"
        "的指标表中：计分的绩效目标须列在由单位自设的指标下，只报告不计分的请清空分值"
    ]


def test_a_long_text_in_a_mark_cell_is_quoted_short() -> None:
    data = with_targets(project_form(), {"就业率": (*BLANK, "", "不" * 5000, 30)})
    assert problems_of(data) == [
        "表.xlsx 绩效目标!H4「不适用」：应填“是”（不适用，剔除后按总分折算）或留空（适用），"
        f"实际是「{'不' * 20}…」"
    ]
