"""Small rule-sets and evaluations built in code, so each test shows the figures it depends on."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from scoring.evaluation import (
    Assessment,
    Budget,
    BudgetRow,
    SelfEvaluation,
    Target,
    UnitProfile,
)
from scoring.loading import load_evaluation
from scoring.ruleset import Direction, Indicator, Rule, RuleKind, RuleSet, Thresholds

ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = ROOT / "examples" / "zhanjiang-skills-center-2025.yaml"


def seed() -> SelfEvaluation:
    return load_evaluation(SEED_PATH)


def one_leaf_ruleset(
    rule: Rule | None = None, points: Decimal = Decimal(100), thresholds: Thresholds | None = None
) -> RuleSet:
    """A rule-set whose only indicator carries all the points, so total == that one score."""
    leaf = Indicator(
        code="Q", name="综合评价", points=points, rule=rule or Rule(kind=RuleKind.QUALITATIVE)
    )
    top = Indicator(code="TOP", name="一级", points=points, children=(leaf,))
    return RuleSet(
        id="test",
        version="1",
        name="测试规则集",
        kind="department",
        total_points=points,
        indicators=(top,),
        thresholds=thresholds or Thresholds(),
    )


def open_node_ruleset(points: Decimal = Decimal(100)) -> RuleSet:
    """A rule-set with one open node (由单位自设) worth every point."""
    node = Indicator(code="U", name="产出", points=points, open=True)
    return RuleSet(
        id="test", version="1", name="测试规则集", kind="department", total_points=points,
        indicators=(Indicator(code="TOP", name="效益", points=points, children=(node,)),),
    )  # fmt: skip


def evaluation(
    *,
    targets: tuple[Target, ...] = (),
    assessments: tuple[Assessment, ...] = (),
    budget: tuple[str, str, str] = ("100", "100", "100"),
    staffing: tuple[int, int] | None = None,
    change_reason: str = "",
    execution_explanation: str = "",
) -> SelfEvaluation:
    """An evaluation for the ``test`` rule-set; ``budget`` is (年初, 全年, 执行) in 万元."""
    initial, full_year, executed = (Decimal(x) for x in budget)
    quota, actual = staffing if staffing else (None, None)
    return SelfEvaluation(
        ruleset="test",
        year=2025,
        unit=UnitProfile(name="某单位", staffing_quota=quota, staff_actual=actual),
        budget=Budget(
            rows=(
                BudgetRow(
                    source="当年财政拨款", initial=initial, full_year=full_year, executed=executed
                ),
            ),
            change_reason=change_reason,
            execution_explanation=execution_explanation,
        ),
        targets=targets,
        assessments=assessments,
    )


def target(
    code: str,
    target_value: str,
    actual: str,
    points: str,
    *,
    direction: Direction = Direction.AT_LEAST,
    explanation: str = "",
) -> Target:
    return Target(
        code=code,
        name=f"指标{code}",
        target=Decimal(target_value),
        actual=Decimal(actual),
        points=Decimal(points),
        parent="U",
        direction=direction,
        explanation=explanation,
    )


def without_english(ruleset: RuleSet) -> RuleSet:
    """The rule-set without the English UI's names: the official sheet has no column for them."""

    def strip(node: Indicator) -> Indicator:
        return node.model_copy(
            update={"name_en": "", "children": tuple(strip(c) for c in node.children)}
        )

    return ruleset.model_copy(
        update={
            "name_en": "",
            "indicators": tuple(strip(n) for n in ruleset.indicators),
            "bands": tuple(b.model_copy(update={"label_en": ""}) for b in ruleset.bands),
        }
    )
