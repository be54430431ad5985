"""One case per rule-set option that changes what a user sees (docs/rulesets.md「评分选项」), on the
seed's data: the option, the edit of the data that shows it, and what the scored result must say.
Shared by the API test and the YAML-import (CLI) test, so both paths are held to the same figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from scoring.loading import find_ruleset
from scoring.ruleset import (
    CategoryCap,
    Grade,
    ReverseScoring,
    RuleSet,
    ScoringOptions,
    Thresholds,
    ZeroTarget,
)

D = Decimal


def _target(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(t for t in data["targets"] if t["code"] == code)


def _cost_t3(data: dict[str, Any]) -> None:
    """T3 (5 points) as a cost target: ≤ 300, actual 354, explained."""
    t3 = _target(data, "T3")
    t3.update(direction="<=", target="300", explanation="物价上涨，成本超出。")


def _cost_t3_capped(data: dict[str, Any]) -> None:
    _cost_t3(data)
    _target(data, "T3")["category"] = "成本指标"


def _spending_change_t3(data: dict[str, Any]) -> None:
    """T3 as “三公经费”变动率 = 0%, actual −2% (spent less): met only under at_most."""
    _target(data, "T3").update(
        name="“三公经费”变动率", unit="%", direction="=", target="0", actual="-2",
        explanation="压减一般性支出。",
    )  # fmt: skip


def _unexplained_s2(data: dict[str, Any]) -> None:
    next(a for a in data["assessments"] if a["code"] == "S2")["explanation"] = ""


def _nothing(data: dict[str, Any]) -> None:
    return None


@dataclass(frozen=True)
class OptionCase:
    name: str
    update: dict[str, Any]  # on gd-department@2025.1
    edit: Callable[[dict[str, Any]], None]
    # on the default rule-set and on the variant: (total, grade label, T3 score,
    # the problems, the missing explanations), as the API / --json give them (strings)
    default: tuple[str, str, str, list[str], list[str]]
    variant: tuple[str, str, str, list[str], list[str]]

    def ruleset(self) -> RuleSet:
        return find_ruleset("gd-department@2025.1").model_copy(
            update={"version": f"case-{self.name}", **self.update}
        )


BASE = find_ruleset("gd-department@2025.1")
SEED_OVER = "新增取得职业技能等级认定证书：完成率 158.08% 超过 150%，偏离度过大（目标可能设定偏低），须说明原因"

CASES = [
    OptionCase(
        "reverse",
        {"options": ScoringOptions(reverse=ReverseScoring.LINEAR)},
        _cost_t3,
        # ratio 5 × 300/354 = 4.24; linear 5 × (1 − 54/300) = 4.10
        ("97.24", "优", "4.24", [], []),
        ("97.10", "优", "4.10", [], []),
    ),
    OptionCase(
        "equal_zero_target",
        {"options": ScoringOptions(equal_zero_target=ZeroTarget.AT_MOST)},
        _spending_change_t3,
        # exact: −2 is not 0, so 0 points; at_most: −2 ≤ 0, full points
        ("93.00", "优", "0.00", [], []),
        ("98.00", "优", "5.00", [], []),
    ),
    OptionCase(
        "category_caps",
        {
            "options": ScoringOptions(
                category_caps=(CategoryCap(category="成本指标", max_points=D(4)),)
            )
        },
        _cost_t3_capped,
        ("97.24", "优", "4.24", [], []),
        ("93.00", "优", "0.00", ["「成本指标」类绩效目标分值合计 5，超过规则集规定的上限 4"], []),
    ),
    OptionCase(
        "explain_below_points",
        {"options": ScoringOptions(explain_below_points=True)},
        _unexplained_s2,
        ("98.00", "优", "5.00", [], []),
        (
            "98.00",
            "优",
            "5.00",
            [],
            ["绩效自评质量：得分 4 低于分值 5，须填写偏差原因分析及改进措施"],
        ),
    ),
    OptionCase(
        "thresholds",
        {"thresholds": Thresholds(over_completion=D(120))},
        _nothing,
        ("98.00", "优", "5.00", [], []),
        (
            "98.00",
            "优",
            "5.00",
            [],
            [
                "新增取得高级工及以上职业技能等级认定证书：完成率 126.59% 超过 120%，偏离度过大（目标可能设定偏低），须说明原因"
            ],
        ),
    ),
    OptionCase(
        "grades",
        {
            "grades": (
                Grade(code="excellent", label="优", name="优秀", min_score=D(99)),
                *BASE.grades[1:],
            )
        },
        _nothing,
        ("98.00", "优", "5.00", [], []),
        ("98.00", "良", "5.00", [], []),
    ),
]
