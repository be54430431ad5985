"""#8.1: every figure a document prints passes the one display rule (scoring.rounding).

Scores, points and rates: at most two decimals (half up). Amounts in 万元: two decimals. Counts and
target values the unit typed: as typed (a '%' value is a rate). A figure with more decimals than its
kind allows — 94.66666666666666666666666667% — is a wrong figure frozen into a public file.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jixiao.audit.readers import read_text
from jixiao.documents.builder import build_report
from jixiao.documents.package import DATA_TABLE_NAME, SCORING_TABLE_NAME, render_package
from jixiao.documents.render.txt import render_txt
from jixiao.documents.report_model import Paragraph, Table
from scoring import SelfEvaluation, find_ruleset, score_evaluation
from scoring.evaluation_sheet import SHEET_TARGETS
from scoring.rounding import format_entered

from .conftest import SEED, project_evaluation, project_ruleset

NUMERAL = re.compile(r"\d+(?:\.\d+)?")


def _decimals(numeral: str) -> int:
    return len(numeral.split(".")[1]) if "." in numeral else 0


def _entered(evaluation: SelfEvaluation, *, rates: bool = False) -> set[str]:
    """Figures printed as typed: targets' values whose unit is not '%' (with ``rates``, those too:
    the data table's 绩效目标 sheet holds every typed value exactly, so it reads back as typed)."""
    out = set()
    for t in evaluation.targets:
        if rates or t.unit != "%":
            out |= {format_entered(v) for v in (t.target, t.actual, t.target_high) if v is not None}
    return out


def too_precise(text: str, entered: set[str]) -> list[str]:
    """Numerals in ``text`` with more than two decimals that are not a typed figure."""
    return [n for n in NUMERAL.findall(text) if _decimals(n) > 2 and n not in entered]


def _model_text(evaluation: SelfEvaluation) -> str:
    report = build_report(evaluation, score_evaluation(evaluation, _ruleset(evaluation)))
    parts = list(report.cover_lines)
    for block in report.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.full_text)
        elif isinstance(block, Table):
            parts += ["\t".join(row) for row in (*block.header, *block.rows)]
        else:
            parts.append(block.text)
    return "\n".join(parts)


def _ruleset(evaluation: SelfEvaluation) -> Any:
    return project_ruleset() if evaluation.kind == "project" else find_ruleset(evaluation.ruleset)


def _xlsx_problems(data: bytes, entered: set[str], typed: set[str] | None = None) -> list[str]:
    problems = []
    for ws in load_workbook(io.BytesIO(data)).worksheets:
        as_typed = (typed or entered) if ws.title == SHEET_TARGETS else entered
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str):
                    problems += [f"{cell.coordinate}: {n}" for n in too_precise(value, as_typed)]
                elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                    numeral = format(Decimal(str(value)).normalize(), "f")
                    allowed = 4 if "%" in cell.number_format else 2  # 0.9467 shown as 94.67%
                    if _decimals(numeral) > allowed and numeral not in as_typed:
                        problems.append(f"{ws.title}!{cell.coordinate}: {numeral}")
    return problems


# ---------------------------------------------------------------- the case from the issue


def _budget_12_1136() -> SelfEvaluation:
    return project_evaluation(
        budget={
            "rows": [
                {"source": "当年财政拨款", "initial": 12, "full_year": 12, "executed": "11.36"}
            ],
            "change_reason": "",
            "execution_explanation": "",
        }
    )


def test_derived_rate_is_printed_rounded_in_every_renderer() -> None:
    evaluation = _budget_12_1136()
    result = score_evaluation(evaluation, project_ruleset())
    package = render_package(evaluation, result, ["docx", "pdf", "txt", "xlsx"])
    txt = package["自评报告.txt"].decode("utf-8")
    assert "实际完成值94.67%" in txt
    for name in ("自评报告.txt", "自评报告.docx", "自评报告.pdf"):
        text = read_text(package[name], suffix=name[-5:].lstrip(".")).text
        assert "94.666" not in text.replace("\n", ""), name
        assert too_precise(text, set()) == [], name
    for name in (DATA_TABLE_NAME, SCORING_TABLE_NAME):
        assert _xlsx_problems(package[name], set()) == [], name


# ---------------------------------------------------------------- property over random evaluations


def _precise(min_units: int = 1, max_units: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Positive decimals with 0 to 9 places (11.36, 0.123456789, 12000)."""
    return st.builds(
        lambda units, places: Decimal(units).scaleb(-places),
        st.integers(min_units, max_units),
        st.integers(0, 9),
    )


def _text(value: Decimal) -> str:
    """As a unit types it: 0.0000001, never 1E-7."""
    return format(value, "f")


@st.composite
def budgets(draw: st.DrawFn) -> dict[str, Any]:
    full_year = draw(_precise(1, 10**8))
    return {
        "rows": [
            {
                "source": "当年财政拨款",
                "initial": _text(draw(_precise(1, 10**8))),
                "full_year": _text(full_year),
                "executed": _text(min(draw(_precise(1, 10**8)), full_year)),
            }
        ],
        "change_reason": "人员经费调整",
        "execution_explanation": "项目进度滞后",
    }


@st.composite
def project_evaluations(draw: st.DrawFn) -> SelfEvaluation:
    count_unit = draw(st.sampled_from(["人次", "个", "万元", "天"]))
    return project_evaluation(
        budget=draw(budgets()),
        targets=[
            {
                "code": "P1a",
                "name": "培训人次",
                "unit": count_unit,
                "target": _text(draw(_precise())),
                "actual": _text(draw(_precise())),
                "parent": "P1",
                "points": 40,
                "explanation": "原因见说明",
            },
            {
                "code": "P1b",
                "name": "培训合格率",
                "unit": "%",
                "target": _text(draw(_precise(1, 10**4))),
                "actual": _text(draw(_precise(1, 10**4))),
                "parent": "P1",
                "points": 20,
                "explanation": "原因见说明",
            },
        ],
        assessments=[
            {
                "code": "X1",
                "band": "A",
                "score": str(draw(st.sampled_from(["24", "27.5", "29.99", "30"]))),
            }
        ],
    )


@st.composite
def department_evaluations(draw: st.DrawFn) -> SelfEvaluation:
    from scoring import load_evaluation

    data = load_evaluation(SEED).model_dump(mode="json", exclude_none=True)
    data["budget"] = draw(budgets())
    data["unit"]["staffing_quota"] = draw(st.integers(1, 500))
    data["unit"]["staff_actual"] = draw(st.integers(1, 600))
    for target in data["targets"]:
        if target.get("target") is not None:
            target["target"] = _text(draw(_precise()))
        target["actual"] = _text(draw(_precise()))
    return SelfEvaluation.model_validate(data)


evaluations = st.one_of(project_evaluations(), department_evaluations())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluations)
def test_report_model_txt_and_tables_print_no_overprecise_figure(evaluation) -> None:
    entered = _entered(evaluation)
    assert too_precise(_model_text(evaluation), entered) == []
    result = score_evaluation(evaluation, _ruleset(evaluation))
    txt = render_txt(build_report(evaluation, result)).decode("utf-8")
    assert too_precise(txt, entered) == []
    package = render_package(evaluation, result, ["xlsx"])
    for name in (DATA_TABLE_NAME, SCORING_TABLE_NAME):
        assert _xlsx_problems(package[name], entered, _entered(evaluation, rates=True)) == []


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluations)
def test_docx_and_pdf_print_no_overprecise_figure(evaluation) -> None:
    entered = _entered(evaluation)
    result = score_evaluation(evaluation, _ruleset(evaluation))
    package = render_package(evaluation, result, ["docx", "pdf"])
    for name in ("自评报告.docx", "自评报告.pdf"):
        text = read_text(package[name], suffix=name.rsplit(".", 1)[1]).text
        assert too_precise(text, entered) == [], name
