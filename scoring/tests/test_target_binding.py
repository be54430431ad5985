"""The binding of a self-evaluation to approved targets (scoring.target_binding): which open node a
declared target is scored under, its points, the basis sentence and the version comparison."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scoring.loading import find_ruleset as load_ruleset
from scoring.target_binding import (
    basis_sentence,
    bind_targets,
    open_node_for_level1,
    share_points,
    target_differences,
)
from scoring.targets import Level1, TargetDeclaration


def declaration(*targets: dict) -> TargetDeclaration:
    return TargetDeclaration.model_validate({"year": 2026, "targets": list(targets)})


def t(code: str, level1: str = "产出指标", value: str | None = "10", weight: str | None = None):
    return {
        "code": code,
        "level1": level1,
        "level2": "数量指标",
        "name": f"指标{code}",
        "value": value,
        "unit": "个",
        "weight": weight,
    }


def test_each_shipped_ruleset_maps_level1_to_its_open_nodes():
    gd = open_node_for_level1(load_ruleset("gd-department"))
    assert {level: node.code for level, node in gd.items()} == {Level1.OUTPUT: "U1"}
    national = open_node_for_level1(load_ruleset("national-project"))
    assert {level: node.code for level, node in national.items()} == {
        Level1.OUTPUT: "P",
        Level1.BENEFIT: "O",
        Level1.SATISFACTION: "C",
    }
    mof = open_node_for_level1(load_ruleset("mof-department-2013"))
    assert {level: node.code for level, node in mof.items()} == {Level1.OUTPUT: "O11"}


def test_weights_that_fill_the_node_are_kept_and_others_are_spread():
    gd = load_ruleset("gd-department")
    rows = bind_targets(declaration(t("T1", weight="10"), t("T2", weight="15")), gd)
    assert [(r["parent"], r["points"]) for r in rows] == [("U1", "10.00"), ("U1", "15.00")]
    rows = bind_targets(declaration(t("T1", weight="1"), t("T2", weight="2")), gd)
    assert [r["points"] for r in rows] == ["8.33", "16.67"]


def test_without_weights_the_points_are_shared_equally():
    rows = bind_targets(declaration(t("T1"), t("T2"), t("T3")), load_ruleset("gd-department"))
    assert [r["points"] for r in rows] == ["8.34", "8.33", "8.33"]


def test_reported_figures_and_unmatched_levels_are_not_scored():
    rows = bind_targets(
        declaration(
            t("T1", weight="25"),
            t("T2", value=None),  # no number: a reported figure
            t("T3", weight=None),  # no weight beside a weighted one
            t("T4", level1="效益指标", weight="5"),  # gd-department has no open 效益 node
        ),
        load_ruleset("gd-department"),
    )
    assert [(r["code"], r["parent"], r["points"]) for r in rows] == [
        ("T1", "U1", "25.00"),
        ("T2", None, None),
        ("T3", None, None),
        ("T4", None, None),
    ]
    national = bind_targets(
        declaration(t("T1", weight="50"), t("T4", level1="效益指标", weight="5")),
        load_ruleset("national-project"),
    )
    assert [(r["parent"], r["points"]) for r in national] == [("P", "50.00"), ("O", "30.00")]


@given(
    st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=100),
)
def test_shared_points_add_up_exactly_and_follow_the_weights(weights, total):
    shares = share_points(Decimal(total), [Decimal(w) for w in weights])
    assert sum(shares) == Decimal(total)
    assert all(s >= 0 for s in shares)
    for a, b in zip(weights, shares, strict=True):
        exact = Decimal(total) * a / sum(weights)
        # Rounded to the cent; the remainder (at most one cent per share) on the largest.
        assert abs(b - exact) <= Decimal("0.01") * len(weights)


def test_the_basis_sentence():
    basis = {
        "title": "2026年度部门整体绩效目标",
        "approved_by": "湛江市财政局",
        "approved_on": "2025-12-20",
        "adjustment": 2,
        "adjustment_approved_on": "2026-07-15",
    }
    assert basis_sentence(basis) == (
        "湛江市财政局2025年12月20日批复的2026年度部门整体绩效目标，"
        "及2026年7月15日批准的第2次目标调整"
    )
    assert basis_sentence({"title": "2026年度部门整体绩效目标"}) == "批复的2026年度部门整体绩效目标"


def test_differences_mark_the_versions_that_changed():
    declared = declaration(t("T1", weight="10"), t("T2"))
    adjusted = declaration(t("T1", value="12", weight="10"), t("T2"), t("T3"))
    evaluated = [
        {"code": "T1", "name": "指标T1", "unit": "个", "target": "12", "points": "25"},
        {"code": "T2", "name": "指标T2", "unit": "个", "target": "10"},
    ]
    rows = {r.code: r for r in target_differences([declared, adjusted], evaluated)}
    assert rows["T1"].values == (
        "指标T1：≥10个（权重10）",
        "指标T1：≥12个（权重10）",
        "指标T1：≥12个（分值25）",
    )
    assert rows["T1"].changed == (False, True, False)
    assert rows["T2"].differs is False
    assert rows["T3"].values == ("—", "指标T3：≥10个", "—")
    assert rows["T3"].changed == (False, True, True)


def test_the_declared_second_level_is_the_targets_category() -> None:
    """What a rule-set's category cap counts (docs/rulesets.md「评分选项」)."""
    from scoring.engine import score_evaluation
    from scoring.evaluation import Target
    from scoring.ruleset import CategoryCap, ScoringOptions
    from scoring.tests.factories import evaluation

    ruleset = load_ruleset("national-project")
    rows = bind_targets(
        declaration(t("T1", weight="3"), {**t("T2", weight="2"), "level2": "成本指标"}), ruleset
    )
    assert [r["category"] for r in rows] == ["数量指标", "成本指标"]
    # the 产出 node's 50 points shared 3:2 → 20 points of 成本指标, over a cap of 5
    assert [(r["parent"], r["points"]) for r in rows] == [("P", "30.00"), ("P", "20.00")]
    capped = ruleset.model_copy(
        update={
            "options": ScoringOptions(
                category_caps=(CategoryCap(category="成本指标", max_points=Decimal(5)),)
            )
        }
    )
    targets = tuple(Target(**{**r, "actual": r["target"]}) for r in rows)
    result = score_evaluation(evaluation(targets=targets), capped)
    assert "「成本指标」类绩效目标分值合计 20，超过规则集规定的上限 5" in [
        str(p) for p in result.problems
    ]
    assert {r.code: r.score for r in result.indicators if r.unit_defined} == {
        "T1": Decimal(30),
        "T2": Decimal(0),
    }
