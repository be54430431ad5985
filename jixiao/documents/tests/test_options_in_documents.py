"""Rule-set options (docs/rulesets.md「评分选项」) in every document a user gets: the report in txt,
docx and pdf, the 数据表 and 评分表 workbooks, the 数据表 read back, and the report audited.

One project under national-project with ``reverse: linear`` and ``not_applicable: rescale``:
产出 培训人次 30 and 人均培训成本 20 (≤ 2000 元, 2500 元: linear 1 − 500/2000 = 75 %), 效益 就业率 30
marked 不适用, 满意度 10, 预算执行率 10. The 70 applicable points become 100: 30 → 42.86, 20 → 28.57,
10 → 14.29 twice; their sum 100.01 puts the −0.01 on the largest, 42.85. 人均培训成本 scores
28.57 × 75 % = 21.4275 → 21.43 (the ratio rule would give 28.57 × 2000/2500 = 22.856 → 22.86).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.api.tests.option_cases import CASES
from jixiao.audit import audit_text
from jixiao.audit.readers import read_text
from jixiao.documents.package import render_document
from jixiao.documents.tables import indicators_table
from scoring.engine import score_evaluation
from scoring.evaluation import Project, SelfEvaluation, Target
from scoring.evaluation_sheet import read_evaluation_workbook
from scoring.loading import InputError, find_ruleset
from scoring.results import EvaluationResult
from scoring.ruleset import (
    Direction,
    NotApplicableRule,
    ReverseScoring,
    RuleSet,
    ScoringOptions,
)
from scoring.ruleset_sheet import ruleset_to_yaml
from scoring.tests.factories import evaluation

D = Decimal


def _ruleset() -> RuleSet:
    return find_ruleset("national-project").model_copy(
        update={
            "version": "options",
            "options": ScoringOptions(
                reverse=ReverseScoring.LINEAR, not_applicable=NotApplicableRule.RESCALE
            ),
        }
    )


def _evaluation(ruleset: RuleSet) -> SelfEvaluation:
    def row(code: str, name: str, parent: str, points: str, **extra: object) -> Target:
        return Target(code=code, name=name, parent=parent, points=D(points), **extra)  # type: ignore[arg-type]

    targets = (
        row("T1", "培训人次", "P", "30", unit="人次", target=D(1000), actual=D(1200),
            category="数量指标"),
        row("T2", "人均培训成本", "P", "20", unit="元", target=D(2000), actual=D(2500),
            direction=Direction.AT_MOST, category="成本指标", explanation="教材和场地费上涨。"),
        row("T3", "就业率", "O", "30", unit="%", target=D(70), actual=None,
            category="社会效益指标", not_applicable=True),
        row("T4", "学员满意度", "C", "10", unit="%", target=D(90), actual=D(95)),
    )  # fmt: skip
    base = evaluation(targets=targets, budget=("100", "100", "95"))
    return base.model_copy(
        update={
            "kind": "project",
            "ruleset": ruleset.ref,
            "project": Project(name="职业技能提升行动", implementing_unit="某单位"),
            "budget": base.budget.model_copy(update={"execution_explanation": "年末结余。"}),
        }
    )


@pytest.fixture
def scored() -> tuple[SelfEvaluation, EvaluationResult, RuleSet]:
    ruleset = _ruleset()
    data = _evaluation(ruleset)
    result = score_evaluation(data, ruleset)
    assert result.problems == ()
    return data, result, ruleset


def test_the_engine_result_the_documents_print(scored) -> None:
    _, result, _ = scored
    rows = {i.name: (i.points, i.score, i.not_applicable) for i in result.indicators}
    assert rows == {
        "培训人次": (D("42.85"), D("42.85"), False),
        "人均培训成本": (D("28.57"), D("21.43"), False),
        "就业率": (D(0), D(0), True),
        "学员满意度": (D("14.29"), D("14.29"), False),
        "预算执行率": (D("14.29"), D("13.58"), False),
    }
    assert result.total == D("92.15")


def _report_text(scored, fmt: str) -> str:
    data, result, _ = scored
    content = render_document(data, result, fmt)
    if fmt == "txt":
        return content.decode("utf-8")
    return read_text(content, suffix=f".{fmt}").text


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_the_report_says_not_applicable_and_prints_rescaled_and_linear_scores(
    scored, fmt: str
) -> None:
    text = "".join(_report_text(scored, fmt).split())  # pdf lines break anywhere
    assert "就业率年度指标值70%，实际完成值—，不适用" in text
    assert "不适用，不计分（原分值30分，其余指标分值按总分折算）" in text
    assert "得分21.43分（分值28.57分）" in text  # the linear score, on the rescaled points
    assert "得分42.85分（分值42.85分）" in text
    assert "得分0分（分值0分）" not in text  # a dropped indicator is not a 0 that reads as a miss
    assert "自评得分92.15分" in text


def test_the_reports_scoring_table(scored) -> None:
    _, result, _ = scored
    rows = {row[2]: row[5:] for row in indicators_table(result).rows if row[0] != "合计"}
    assert rows["就业率"] == ("0", "不适用")
    assert rows["人均培训成本"] == ("28.57", "21.43")
    assert indicators_table(result).rows[-1][5:] == ("100", "92.15")


def _grid(content: bytes, sheet: str, name_col: int, columns: tuple[int, ...]) -> dict:
    ws = load_workbook(io.BytesIO(content))[sheet]
    out = {}
    for row in ws.iter_rows(values_only=True):
        if row[name_col] and row[name_col] in {"培训人次", "人均培训成本", "就业率", "学员满意度"}:
            out[row[name_col]] = tuple(row[c] for c in columns)
    return out


def test_data_table_grid_and_targets_sheet(scored) -> None:
    data, result, _ = scored
    content = render_document(data, result, "data.xlsx")
    # the form's grid: 分值 (F) and 得分 (G) as printed: rescaled, linear, 不适用 as text
    assert _grid(content, "项目支出绩效自评表", 2, (5, 6)) == {
        "培训人次": (42.85, 42.85),
        "人均培训成本": (28.57, 21.43),
        "就业率": (0, "不适用"),
        "学员满意度": (14.29, 14.29),
    }
    # 绩效目标: 类别（二级指标）, 不适用, and the unit's own 分值 (before rescaling), as text marks
    ws = load_workbook(io.BytesIO(content))["绩效目标"]
    header = [c.value for c in ws[1]]
    assert header[6:] == ["类别（二级指标）", "不适用", "分值"]
    rows = {r[1]: r[6:] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows == {
        "培训人次": ("数量指标", None, 30),
        "人均培训成本": ("成本指标", None, 20),
        "就业率": ("社会效益指标", "是", 30),
        "学员满意度": (None, None, 10),
    }
    mark = next(c for c in ws["H"] if c.value == "是")
    assert mark.data_type == "s"


def test_scoring_table_shows_the_same(scored) -> None:
    data, result, ruleset = scored
    content = render_document(data, result, "scoring.xlsx", ruleset=ruleset)
    assert _grid(content, "评分表", 3, (4, 7)) == {
        "培训人次": (42.85, 42.85),
        "人均培训成本": (28.57, 21.43),
        "就业率": (0, "不适用"),
        "学员满意度": (14.29, 14.29),
    }


def test_the_data_table_reads_back_to_the_same_score(scored, tmp_path: Path) -> None:
    data, result, ruleset = scored
    (tmp_path / "options.yaml").write_text(ruleset_to_yaml(ruleset), encoding="utf-8")
    content = render_document(data, result, "data.xlsx")
    back, _ = read_evaluation_workbook(content, "数据表.xlsx", extra_dirs=[tmp_path])
    assert [(t.code, t.category, t.not_applicable, t.points) for t in back.targets] == [
        (t.code, t.category, t.not_applicable, t.points) for t in data.targets
    ]
    again = score_evaluation(back, ruleset)
    assert [(i.code, i.points, i.score, i.not_applicable) for i in again.indicators] == [
        (i.code, i.points, i.score, i.not_applicable) for i in result.indicators
    ]
    assert again.total == result.total == D("92.15")


def test_the_report_audits_clean_under_its_ruleset(scored) -> None:
    text = _report_text(scored, "txt")
    _, _, ruleset = scored
    report = audit_text(text, ruleset=ruleset)
    assert [f.message for f in report.findings if f.severity == "error"] == []
    assert report.extracted["ruleset"] == ruleset.ref


def test_the_auditor_applies_the_rule_sets_own_grades(scored, tmp_path: Path, capsys) -> None:
    """Scored under a rule-set whose 优 starts at 95, the report says 良好 for 92.15; `jixiao audit
    --ruleset` with that rule-set finds it right, with the national bands finds a wrong grade."""
    import json

    from jixiao.cli import main
    from scoring.ruleset import Grade

    data, _, ruleset = scored
    own = ruleset.model_copy(
        update={
            "version": "bands",
            "grades": (
                Grade(code="excellent", label="优", name="优秀", min_score=D(95)),
                *ruleset.grades[1:],
            ),
        }
    )
    data = data.model_copy(update={"ruleset": own.ref})
    result = score_evaluation(data, own)
    assert (result.total, result.grade_name) == (D("92.15"), "良好")
    report = tmp_path / "自评报告.txt"
    report.write_bytes(render_document(data, result, "txt"))
    rules = tmp_path / "bands.yaml"
    rules.write_text(ruleset_to_yaml(own), encoding="utf-8")
    main(["audit", str(report), "--ruleset", str(rules), "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert payload["extracted"]["ruleset"] == own.ref
    assert [f["code"] for f in payload["findings"] if f["severity"] == "error"] == []
    assert main(["audit", str(report), "--ruleset", "national-project@2020.1", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert [f["message"] for f in payload["findings"] if f["code"] == "grade_mismatch"] == [
        "得分 92.15 分按规则集 national-project@2020.1 应评为“优秀”，报告写作“良好”"
    ]


def test_scoring_table_names_the_options_it_scored_with(scored) -> None:
    data, result, ruleset = scored
    ws = load_workbook(io.BytesIO(render_document(data, result, "scoring.xlsx", ruleset=ruleset)))[
        "评分表"
    ]
    note = str(ws.cell(ws.max_row, 1).value)
    assert note == (
        "评分规则集：项目支出绩效自评表（财政部通用格式）；编号：national-project@options；"
        "评分选项：反向指标未达成的按线性计分：分值 ×（1 −（实际完成值 − 年度指标值）÷ 年度指标值），"
        "实际完成值达到年度指标值两倍时为 0；评分选项：标为不适用的指标剔除，其余指标分值按总分折算"
    )


def _seed_dropped() -> tuple[SelfEvaluation, EvaluationResult, RuleSet]:
    from scoring.tests.factories import seed

    ruleset = find_ruleset("gd-department").model_copy(
        update={
            "version": "na",
            "options": ScoringOptions(not_applicable=NotApplicableRule.RESCALE),
        }
    )
    data = seed()
    data = data.model_copy(
        update={
            "ruleset": ruleset.ref,
            "assessments": tuple(
                a.model_copy(update={"not_applicable": True}) if a.code == "U2" else a
                for a in data.assessments
            ),
            "targets": tuple(
                t.model_copy(update={"not_applicable": True, "category": "数量指标"})
                if t.code == "T3"
                else t
                for t in data.targets
            ),
        }
    )
    result = score_evaluation(data, ruleset)
    assert result.problems == ()
    return data, result, ruleset


def test_department_data_table_round_trip_with_a_dropped_fixed_leaf(tmp_path: Path) -> None:
    """The seed (部门整体) under gd-department with rescaling: 履职效益 (U2, a fixed qualitative
    leaf) and target T3 dropped; the 数据表 reads back to the same scores (docs/input-format.md):
    a qualitative 得分 there is the printed, rescaled one (目标设定 4 of 5 → 4.45 of 5.56), and the
    unit's own 4 is found back from it, not taken as 4.45 and rescaled again (4.95)."""
    data, result, ruleset = _seed_dropped()
    (tmp_path / "na.yaml").write_text(ruleset_to_yaml(ruleset), encoding="utf-8")
    content = render_document(data, result, "data.xlsx")
    back, _ = read_evaluation_workbook(content, "数据表.xlsx", extra_dirs=[tmp_path])
    assert [a.code for a in back.assessments if a.not_applicable] == ["U2"]
    assert [(t.code, t.category) for t in back.targets if t.not_applicable] == [("T3", "数量指标")]
    again = score_evaluation(back, ruleset)
    assert [(i.code, i.points, i.score, i.not_applicable) for i in again.indicators] == [
        (i.code, i.points, i.score, i.not_applicable) for i in result.indicators
    ]
    assert again.total == result.total
    assert next(a.score for a in back.assessments if a.code == "B1") == D(4)


def test_a_printed_score_no_own_score_gives_is_refused(tmp_path: Path) -> None:
    data, result, ruleset = _seed_dropped()
    (tmp_path / "na.yaml").write_text(ruleset_to_yaml(ruleset), encoding="utf-8")
    book = load_workbook(io.BytesIO(render_document(data, result, "data.xlsx")))
    ws = book["部门整体支出绩效自评表"]
    [row] = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "目标设定"]
    assert (ws.cell(row, 6).value, ws.cell(row, 7).value) == (5.56, 4.45)
    # 5 → 5.56: own scores 2.98 and 2.99 print as 3.31 and 3.32 (3.3138, 3.3249); 3.33 is none's
    ws.cell(row, 7).value = 3.33
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(InputError) as caught:
        read_evaluation_workbook(buffer.getvalue(), "数据表.xlsx", extra_dirs=[tmp_path])
    assert [str(p) for p in caught.value.problems] == [
        f"数据表.xlsx 部门整体支出绩效自评表!G{row}「得分」：剔除不适用指标后本列为折算后的得分"
        "（分值 5.56，原分值 5）：3.33 不是可得的折算得分，最接近的是 3.32"
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_option_survives_the_data_table(case, tmp_path: Path) -> None:
    """The API's cases (jixiao/api/tests/option_cases.py) written to the 数据表 and read back:
    the same total, grade, scores, problems and missing explanations as scored directly."""
    from jixiao.testing.factories import seed_evaluation_data

    ruleset = case.ruleset()
    (tmp_path / "case.yaml").write_text(ruleset_to_yaml(ruleset), encoding="utf-8")
    raw = seed_evaluation_data(ruleset=ruleset.ref)
    case.edit(raw)
    data = SelfEvaluation.model_validate(raw)
    result = score_evaluation(data, ruleset)
    back, _ = read_evaluation_workbook(
        render_document(data, result, "data.xlsx"), "数据表.xlsx", extra_dirs=[tmp_path]
    )
    again = score_evaluation(back, ruleset)
    t3 = next(i for i in again.indicators if i.code == "T3")
    assert (
        format(again.total, "f"),
        again.grade_label,
        format(t3.score, "f"),
        [str(p) for p in again.problems],
        [str(m) for m in again.missing_explanations],
    ) == case.variant
