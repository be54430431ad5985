"""#8.13: what the public reads names the rule-set by its title and carries no demo marks.

"jixiao 默认分值" and "示例分值…" are notes for the people who set up the demo; they stay in the
demo data (examples/, the rule-set files' comments and basis), never in a published file or page.
在职人员控制率 measures a unit's staffing: a project evaluation has none.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from jixiao.audit.readers import read_text
from jixiao.documents.package import render_package
from scoring import score_evaluation
from scoring.loading import shipped_rulesets

from .conftest import project_evaluation, project_ruleset

DEMO_MARKS = ("默认分值", "示例", "jixiao")


def _texts(package: dict[str, bytes]) -> dict[str, str]:
    out = {}
    for name, content in package.items():
        if name.endswith(".xlsx"):
            book = load_workbook(io.BytesIO(content))
            out[name] = "\n".join(
                str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value
            )
        else:
            out[name] = read_text(content, suffix=name.rsplit(".", 1)[1]).text
    return out


def test_seed_documents_carry_no_demo_marks(seed_package) -> None:
    for name, text in _texts(seed_package).items():
        for mark in DEMO_MARKS:
            assert mark not in text.replace("\n", ""), (name, mark)
    assert "部门整体支出绩效自评指标评分表（广东省格式）" in _texts(seed_package)["评分表.xlsx"]


@pytest.mark.parametrize(("ref", "ruleset"), sorted(shipped_rulesets().items()))
def test_shipped_rulesets_are_named_by_their_title(ref, ruleset) -> None:
    assert not any(mark in ruleset.name for mark in DEMO_MARKS)


def test_a_project_evaluation_has_no_staffing_control_rate() -> None:
    evaluation = project_evaluation(
        unit={"name": "测试市就业服务中心", "staffing_quota": 7, "staff_actual": 9}
    )
    result = score_evaluation(evaluation, project_ruleset())
    assert result.ratios.staffing_control_rate is None
    package = render_package(evaluation, result, ["txt", "xlsx"])
    for name, text in _texts(package).items():
        assert "在职人员控制率" not in text, name
