"""Invariants of scoring, checked by hypothesis over generated figures."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import score_evaluation
from scoring.evaluation import Assessment, SelfEvaluation, Target
from scoring.loading import find_ruleset
from scoring.results import FlagCode
from scoring.rules import score_budget_execution, score_deduction, score_quantitative
from scoring.ruleset import Direction, Thresholds
from scoring.tests.factories import evaluation, one_leaf_ruleset, open_node_ruleset, seed, target

D = Decimal
ZERO = D(0)


def decimals(low: str, high: str, places: int = 2) -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=D(low), max_value=D(high), places=places, allow_nan=False, allow_infinity=False
    )


points_st = decimals("0", "100")
amounts_st = decimals("-1000", "100000")
directions_st = st.sampled_from(list(Direction))


@given(
    points=points_st,
    direction=directions_st,
    target_value=amounts_st,
    width=decimals("0", "1000"),
    actual=amounts_st,
)
def test_quantitative_score_is_within_zero_and_points(
    points: Decimal, direction: Direction, target_value: Decimal, width: Decimal, actual: Decimal
) -> None:
    outcome = score_quantitative(
        points=points,
        direction=direction,
        target=target_value,
        target_high=target_value + width,
        actual=actual,
        thresholds=Thresholds(),
    )
    assert ZERO <= outcome.score <= points


@given(
    points=points_st,
    target_value=decimals("-100", "100000"),
    a=amounts_st,
    b=amounts_st,
)
def test_at_least_score_never_falls_as_actual_grows(
    points: Decimal, target_value: Decimal, a: Decimal, b: Decimal
) -> None:
    low, high = sorted((a, b))

    def score(actual: Decimal) -> Decimal:
        return score_quantitative(
            points=points,
            direction=Direction.AT_LEAST,
            target=target_value,
            actual=actual,
            thresholds=Thresholds(),
        ).score

    assert score(low) <= score(high)


@given(
    points=points_st,
    target_value=decimals("-100", "100000"),
    a=amounts_st,
    b=amounts_st,
)
def test_at_most_score_never_falls_as_actual_shrinks(
    points: Decimal, target_value: Decimal, a: Decimal, b: Decimal
) -> None:
    low, high = sorted((a, b))

    def score(actual: Decimal) -> Decimal:
        return score_quantitative(
            points=points,
            direction=Direction.AT_MOST,
            target=target_value,
            actual=actual,
            thresholds=Thresholds(),
        ).score

    assert score(high) <= score(low)


@given(
    points=points_st,
    direction=st.sampled_from([Direction.AT_LEAST, Direction.AT_MOST]),
    limit=decimals("0", "200"),
    per_point=decimals("0", "10"),
    a=decimals("0", "300"),
    b=decimals("0", "300"),
)
def test_deduction_is_bounded_and_monotone(
    points: Decimal,
    direction: Direction,
    limit: Decimal,
    per_point: Decimal,
    a: Decimal,
    b: Decimal,
) -> None:
    def score(actual: Decimal) -> Decimal:
        return score_deduction(
            points=points,
            direction=direction,
            actual=actual,
            limit=limit,
            deduct_per_point=per_point,
        ).score

    better, worse = sorted((a, b), reverse=direction is Direction.AT_LEAST)
    assert ZERO <= score(worse) <= score(better) <= points


@given(points=points_st, a=decimals("0", "300"), b=decimals("0", "300"))
def test_budget_execution_is_bounded_and_monotone(points: Decimal, a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    low_score = score_budget_execution(points=points, rate=low).score
    high_score = score_budget_execution(points=points, rate=high).score
    assert ZERO <= low_score <= high_score <= points


@st.composite
def open_node_evaluations(draw: st.DrawFn) -> SelfEvaluation:
    """Between one and six targets whose points add up to 100, with any figures."""
    count = draw(st.integers(min_value=1, max_value=6))
    cuts = sorted(draw(st.lists(decimals("0", "100"), min_size=count - 1, max_size=count - 1)))
    bounds = [ZERO, *cuts, D(100)]
    targets = tuple(
        target(
            f"T{i}",
            str(draw(decimals("0.01", "10000"))),
            str(draw(decimals("0", "20000"))),
            str(bounds[i + 1] - bounds[i]),
            direction=draw(st.sampled_from([Direction.AT_LEAST, Direction.AT_MOST])),
            explanation="说明",
        )
        for i in range(count)
    )
    return evaluation(targets=targets)


@given(data=open_node_evaluations())
@settings(max_examples=60)
def test_total_is_the_sum_of_indicator_scores_and_grade_matches(data: SelfEvaluation) -> None:
    result = score_evaluation(data, open_node_ruleset())
    assert result.problems == ()
    assert result.total == sum((i.score for i in result.indicators), ZERO)
    assert result.total == sum((g.score for g in result.groups), ZERO)
    assert ZERO <= result.total <= D(100)
    for indicator in result.indicators:
        assert ZERO <= indicator.score <= indicator.points
        assert indicator.score == indicator.score.quantize(D("0.01"))


@given(total=decimals("0", "100"))
def test_grade_boundaries_are_exact(total: Decimal) -> None:
    data = evaluation(assessments=(Assessment(code="Q", score=total),))
    result = score_evaluation(data, one_leaf_ruleset())
    assert result.total == total
    expected = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    assert result.grade_label == expected


SEED = seed()
SEED_RULESET = find_ruleset(SEED.ruleset)
SEED_RESULT = score_evaluation(SEED, SEED_RULESET)


@given(
    targets=st.permutations(SEED.targets),
    assessments=st.permutations(SEED.assessments),
)
@settings(max_examples=40)
def test_result_does_not_depend_on_input_order(
    targets: list[Target], assessments: list[Assessment]
) -> None:
    shuffled = SEED.model_copy(
        update={"targets": tuple(targets), "assessments": tuple(assessments)}
    )
    result = score_evaluation(shuffled, SEED_RULESET)
    assert result.total == SEED_RESULT.total
    assert result.grade_code == SEED_RESULT.grade_code
    assert {i.code: i.score for i in result.indicators} == {
        i.code: i.score for i in SEED_RESULT.indicators
    }
    assert result.groups == SEED_RESULT.groups
    assert result.ratios == SEED_RESULT.ratios
    assert result.missing_explanations == SEED_RESULT.missing_explanations


# --- a draft never scores above its rule-set (issue 9.4) -----------------------------------------

SHIPPED = [
    find_ruleset(ref) for ref in ("gd-department", "national-project", "mof-department-2013")
]


@st.composite
def random_drafts(draw: st.DrawFn) -> tuple[SelfEvaluation, object]:
    """Any half-filled draft under a shipped rule-set: targets under any node (or none) with any
    points and figures, assessments of any leaf with any score and band, any budget."""
    ruleset = draw(st.sampled_from(SHIPPED))
    nodes = [node for _, node in ruleset.walk()]
    open_codes = [n.code for n in nodes if n.open]
    leaves = [n.code for n in nodes if n.is_leaf]
    optional = st.none() | decimals("-100", "50000")
    targets = tuple(
        Target(
            code=f"T{i}",
            name=f"目标{i}",
            direction=draw(st.sampled_from([Direction.AT_LEAST, Direction.AT_MOST])),
            target=draw(decimals("0.01", "50000")),
            actual=draw(optional),
            parent=draw(st.sampled_from([*open_codes, "NOPE"])),
            points=draw(decimals("0", "200")),
            explanation=draw(st.sampled_from(["", "说明"])),
        )
        for i in range(draw(st.integers(min_value=0, max_value=8)))
    )
    chosen = draw(st.lists(st.sampled_from(leaves), unique=True, max_size=len(leaves)))
    assessments = tuple(
        Assessment(
            code=code,
            band=draw(st.sampled_from([None, "A", "B", "C", "Z"])),
            score=draw(st.none() | decimals("0", "200")),
            actual=draw(optional),
        )
        for code in chosen
    )
    base = evaluation(
        targets=targets,
        assessments=assessments,
        budget=(
            str(draw(decimals("0", "1000"))),
            str(draw(decimals("0", "1000"))),
            str(draw(decimals("0", "2000"))),
        ),
        staffing=draw(st.none() | st.tuples(st.integers(0, 50), st.integers(0, 80))),
    )
    return base.model_copy(update={"ruleset": ruleset.ref}), ruleset


@given(draft=random_drafts())
@settings(max_examples=150)
def test_no_draft_scores_above_the_rule_sets_points(draft: tuple[SelfEvaluation, object]) -> None:
    data, ruleset = draft
    result = score_evaluation(data, ruleset)  # type: ignore[arg-type]
    assert ZERO <= result.total <= result.total_points
    assert result.total == sum((i.score for i in result.indicators), ZERO)
    for group in result.groups:
        assert ZERO <= group.score <= group.points
    for indicator in result.indicators:
        assert ZERO <= indicator.score <= indicator.points


def test_targets_claiming_more_points_than_their_node_score_nothing() -> None:
    # Two targets of 60 under a 100-point node: 120 points claimed; before the fix the total was 120.
    data = evaluation(targets=(target("A", "1", "1", "60"), target("B", "1", "1", "60")))
    result = score_evaluation(data, open_node_ruleset())
    assert result.total == ZERO
    assert result.problems == ("「产出」下绩效目标分值合计 120，应等于该指标分值 100",)
    assert all(i.has(FlagCode.NOT_SCORED) for i in result.indicators)
