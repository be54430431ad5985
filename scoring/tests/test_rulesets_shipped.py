"""The shipped rule-sets load, validate, and score a small evaluation each, with exact totals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from scoring.engine import require_complete, score_evaluation
from scoring.loading import RULESET_DIR, load_ruleset_file, parse_evaluation, shipped_rulesets
from scoring.ruleset import RuleSet

NATIONAL_PROJECT_EVALUATION = """
kind: project
ruleset: national-project@2020.1
year: 2025
unit: {name: 某市人力资源和社会保障局}
project: {name: 职业技能提升行动}
budget:
  rows:
    - {source: 当年财政拨款, initial: 100, full_year: 100, executed: 95}
targets:
  - {code: P1, name: 培训人次, unit: 人次, target: 1000, actual: 1200, parent: P, points: 20}
  - {code: P2, name: 取证率, unit: "%", target: 80, actual: 60, parent: P, points: 20,
     explanation: 部分学员未参加考核。}
  - {code: P3, name: 人均培训成本, unit: 元, direction: "<=", target: 2000, actual: 1800,
     parent: P, points: 10}
  - {code: O1, name: 就业率, unit: "%", target: 70, actual: 75, parent: O, points: 30}
  - {code: C1, name: 学员满意度, unit: "%", target: 90, actual: 95, parent: C, points: 10}
"""

MOF_DEPARTMENT_EVALUATION = """
ruleset: mof-department-2013
year: 2025
unit: {name: 某市职业技能鉴定指导中心, staffing_quota: 10, staff_actual: 11}
budget:
  rows:
    - {source: 当年财政拨款, initial: 100, full_year: 130, executed: 117}
targets:
  - {code: T1, name: 认定人次, unit: 人次, target: 1000, actual: 1100, parent: O11, points: 10}
assessments:
  - {code: I11, band: A, score: 4}
  - {code: I12, band: B, score: 3}
  - {code: I22, actual: -5}
  - {code: I23, band: A, score: 4}
  - {code: R13, actual: 90}
  - {code: R14, band: A, score: 2}
  - {code: R15, band: A, score: 1}
  - {code: R16, actual: 98}
  - {code: R17, actual: 125}
  - {code: R18, actual: 100}
  - {code: R21, band: A, score: 2}
  - {code: R22, band: A, score: 2}
  - {code: R23, band: A, score: 2}
  - {code: R24, band: A, score: 2}
  - {code: R31, band: A, score: 2}
  - {code: R32, band: A, score: 2}
  - {code: R33, band: A, score: 2}
  - {code: O12, actual: 100}
  - {code: O13, actual: 100}
  - {code: O14, actual: 80}
  - {code: E11, band: A, score: 5}
  - {code: E12, band: A, score: 9}
  - {code: E13, band: A, score: 5}
  - {code: E14, band: A, score: 5}
"""


def test_every_shipped_ruleset_is_listed_under_its_reference() -> None:
    assert set(shipped_rulesets()) == {
        "gd-department@2025.1",
        "mof-department-2013@2013.1",
        "national-project@2020.1",
    }


@pytest.mark.parametrize("path", sorted(RULESET_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_file_loads_and_top_level_points_sum_to_total(path: Path) -> None:
    ruleset = load_ruleset_file(path)
    assert path.stem == ruleset.id
    assert sum((n.points for n in ruleset.indicators), Decimal(0)) == ruleset.total_points == 100


def test_national_project_allocation() -> None:
    ruleset = shipped_rulesets()["national-project@2020.1"]
    assert ruleset.kind == "project"
    assert [(n.name, n.points, n.open) for n in ruleset.indicators] == [
        ("产出指标", Decimal(50), True),
        ("效益指标", Decimal(30), True),
        ("满意度指标", Decimal(10), True),
        ("预算执行率", Decimal(10), False),
    ]


def test_mof_department_allocation() -> None:
    ruleset = shipped_rulesets()["mof-department-2013@2013.1"]
    assert [(n.name, n.points) for n in ruleset.indicators] == [
        ("投入", Decimal(20)),
        ("过程", Decimal(30)),
        ("产出", Decimal(25)),
        ("效果", Decimal(25)),
    ]
    second = {n.name: n.points for _, n in ruleset.walk() if len(n.children) and n.code[1:]}
    assert second == {
        "目标设定": 8,
        "预算配置": 12,
        "预算执行": 16,
        "预算管理": 8,
        "资产管理": 6,
        "职责履行": 25,
        "履职效益": 25,
    }
    names = {n.name for _, n in ruleset.walk()}
    assert {
        "在职人员控制率",
        "“三公经费”变动率",
        "重点支出安排率",
        "预算完成率",
        "预算调整率",
        "支付进度率",
        "结转结余率",
        "公用经费控制率",
        "政府采购执行率",
    } <= names


def _score(text: str) -> tuple[RuleSet, dict[str, Decimal], Decimal, str]:
    evaluation = parse_evaluation(text)
    ruleset = shipped_rulesets()[
        next(ref for ref in shipped_rulesets() if ref.startswith(evaluation.ruleset_id + "@"))
    ]
    result = require_complete(score_evaluation(evaluation, ruleset))
    return ruleset, {r.code: r.score for r in result.indicators}, result.total, result.grade_label


def test_national_project_scores_an_evaluation() -> None:
    _, scores, total, grade = _score(NATIONAL_PROJECT_EVALUATION)
    # 取证率 60/80 × 20 = 15; 预算执行率 95% × 10 = 9.5.
    assert scores == {
        "P1": Decimal(20),
        "P2": Decimal("15.00"),
        "P3": Decimal(10),
        "O1": Decimal(30),
        "C1": Decimal(10),
        "X": Decimal("9.50"),
    }
    assert total == Decimal("94.50")
    assert grade == "优"


def test_mof_department_scores_an_evaluation() -> None:
    _, scores, total, grade = _score(MOF_DEPARTMENT_EVALUATION)
    # 在职人员控制率 110%: 超 10 个百分点扣 10 分，扣完为止 → 0.
    assert scores["I21"] == 0
    # 预算完成率 117/130 = 90% → 4 × 0.9 = 3.6.
    assert scores["R11"] == Decimal("3.60")
    # 预算调整率 30%: 超 10 个百分点 × 0.1 = 1 分 → 1.
    assert scores["R12"] == Decimal("1.00")
    # 支付进度率 90% → 2 × 0.9; 三公经费控制率 125% → 2 × 100/125; 办结率 80% → 5 × 0.8.
    assert scores["R13"] == Decimal("1.80")
    assert scores["R17"] == Decimal("1.60")
    assert scores["O14"] == Decimal("4.00")
    assert scores["I22"] == 4  # 三公经费下降 5%
    # Lost: 绩效指标明确性 1, 在职人员控制率 4, 预算完成率 0.4, 预算调整率 1, 支付进度率 0.2,
    # 三公经费控制率 0.4, 重点工作办结率 1, 社会效益 1 = 9.
    assert total == Decimal("91.00")
    assert grade == "优"
