from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.documents.builder import build_report
from jixiao.documents.package import render_package
from jixiao.documents.report_model import Report
from scoring import (
    EvaluationResult,
    RuleSet,
    SelfEvaluation,
    find_ruleset,
    load_evaluation,
    score_evaluation,
)

SEED = Path(__file__).resolve().parents[3] / "examples" / "zhanjiang-skills-center-2025.yaml"


@pytest.fixture(scope="session")
def seed() -> SelfEvaluation:
    return load_evaluation(SEED)


@pytest.fixture(scope="session")
def seed_result(seed: SelfEvaluation) -> EvaluationResult:
    result = score_evaluation(seed, find_ruleset(seed.ruleset))
    assert result.total == Decimal("98.00")
    return result


@pytest.fixture(scope="session")
def seed_report(seed: SelfEvaluation, seed_result: EvaluationResult) -> Report:
    return build_report(seed, seed_result)


@pytest.fixture(scope="session")
def seed_package(seed: SelfEvaluation, seed_result: EvaluationResult) -> dict[str, bytes]:
    return render_package(seed, seed_result, ["docx", "pdf", "txt", "xlsx"])


@pytest.fixture(scope="session")
def seed_text(seed_package: dict[str, bytes]) -> str:
    return seed_package["自评报告.txt"].decode("utf-8")


def project_ruleset() -> RuleSet:
    """A minimal project rule-set: 产出 (unit targets) 60, 效益 30 (qualitative), 预算执行率 10."""
    return RuleSet.model_validate(
        {
            "id": "test-project",
            "version": "1",
            "name": "测试项目规则集",
            "kind": "project",
            "indicators": [
                {
                    "code": "P",
                    "name": "产出指标",
                    "points": 60,
                    "children": [{"code": "P1", "name": "数量指标", "points": 60, "open": True}],
                },
                {
                    "code": "X",
                    "name": "效益指标",
                    "points": 30,
                    "children": [
                        {
                            "code": "X1",
                            "name": "社会效益指标",
                            "points": 30,
                            "explanation": "项目实施对社会发展的影响。",
                            "criteria": "按定性档次评分。",
                            "rule": {"kind": "qualitative"},
                        }
                    ],
                },
                {
                    "code": "E",
                    "name": "预算执行率",
                    "points": 10,
                    "rule": {"kind": "budget_execution", "source": "execution_rate"},
                },
            ],
        }
    )


def project_evaluation(**changes: object) -> SelfEvaluation:
    data: dict[str, object] = {
        "kind": "project",
        "ruleset": "test-project@1",
        "year": 2025,
        "filled_on": "2026-04-30",
        "notice": {"title": "关于开展项目支出绩效自评的通知", "number": "测财绩〔2026〕7号"},
        "unit": {"name": "测试市就业服务中心", "supervisor": "测试市人力资源和社会保障局"},
        "project": {
            "name": "职业技能培训补贴",
            "goal_expected": "全年培训城乡劳动者800人次。",
            "goal_actual": "全年培训城乡劳动者720人次。",
        },
        "targets": [
            {
                "code": "P1a",
                "name": "培训人次",
                "unit": "人次",
                "target": 800,
                "actual": 720,
                "parent": "P1",
                "points": 40,
                "explanation": "",
            },
            {
                "code": "P1b",
                "name": "培训合格率",
                "unit": "%",
                "target": 90,
                "actual": "92.5",
                "parent": "P1",
                "points": 20,
            },
        ],
        "budget": {
            "rows": [
                {"source": "当年财政拨款", "initial": 120, "full_year": 100, "executed": "85.5"},
            ],
            "change_reason": "",
        },
        "assessments": [{"code": "X1", "band": "A", "score": 27}],
        "problems": ["培训后就业跟踪不足。"],
        "improvements": ["建立培训后就业跟踪机制。"],
    }
    data.update(changes)
    return SelfEvaluation.model_validate(data)
