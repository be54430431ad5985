"""部门绩效管理工作考核 (pure): worked examples and invariants."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.department_assessment import (
    AssessmentError,
    DepartmentFacts,
    assess,
    load_weights,
)

WEIGHTS = load_weights()


def facts(**kw: Any) -> DepartmentFacts:
    base: dict[str, Any] = dict(
        evaluations=10,
        on_time=10,
        approved=10,
        passed_on=10,
        bureau_returned=0,
        recheck_deviation=Decimal("0"),
        tasks=4,
        tasks_confirmed=4,
    )
    base.update(kw)
    return DepartmentFacts(**base)


def test_the_shipped_weights():
    assert WEIGHTS.ref == "department-assessment@2026.2"
    assert WEIGHTS.audit_error_weight == Decimal("1")
    assert sum(WEIGHTS.weights.values()) == 100


def test_a_perfect_year_scores_100():
    assert assess(facts(), WEIGHTS).total == Decimal("100")


def test_a_worked_example():
    # 8 of 10 on time (20.00 of 25), 9 approved (22.50), 2 of 8 passed on returned (15.00 of 20),
    # deviation 2.5 of tolerance 10 (11.25 of 15), 1 of 3 tasks confirmed (5.00 of 15).
    result = assess(
        facts(
            on_time=8,
            approved=9,
            passed_on=8,
            bureau_returned=2,
            recheck_deviation=Decimal("2.5"),
            tasks=3,
            tasks_confirmed=1,
        ),
        WEIGHTS,
    )
    assert [p.points for p in result.parts] == [
        Decimal("20.00"),
        Decimal("22.50"),
        Decimal("15.00"),
        Decimal("11.25"),
        Decimal("5.00"),
    ]
    assert result.total == Decimal("73.75")


def test_audit_errors_found_after_approval_lower_review_quality():
    # 10 passed on, 1 returned by the bureau, 2 found in error by a later audit: 7 of 10 clean
    # (14.00 of 20) at the shipped weight 1; at weight 0.5 they count as one return (16.00).
    later = facts(bureau_returned=1, audit_flawed_later=2, audit_errors_later=5)
    by_key = {p.key: p for p in assess(later, WEIGHTS).parts}
    assert by_key["review_quality"].points == Decimal("14.00")
    assert by_key["review_quality"].rate == Decimal("0.7")
    half = dataclasses.replace(WEIGHTS, audit_error_weight=Decimal("0.5"))
    assert {p.key: p for p in assess(later, half).parts}["review_quality"].points == Decimal(
        "16.00"
    )
    off = dataclasses.replace(WEIGHTS, audit_error_weight=Decimal("0"))
    assert {p.key: p for p in assess(later, off).parts}["review_quality"].points == Decimal("18.00")
    # never below zero, whatever the weight
    worst = facts(passed_on=2, bureau_returned=1, audit_flawed_later=2)
    assert {p.key: p for p in assess(worst, WEIGHTS).parts}["review_quality"].points == Decimal(
        "0.00"
    )


def test_a_weights_file_without_the_audit_key_leaves_audits_out(tmp_path):
    old = tmp_path / "w.yaml"
    old.write_text(
        "weights: {timeliness: 25, completeness: 25, review_quality: 20, recheck: 15,"
        " rectification: 15}\n",
        encoding="utf-8",
    )
    assert load_weights(old).audit_error_weight == Decimal("0")
    bad = tmp_path / "bad.yaml"
    bad.write_text(old.read_text(encoding="utf-8") + "audit_error_weight: -1\n", encoding="utf-8")
    with pytest.raises(AssessmentError):
        load_weights(bad)


def test_nothing_to_measure_scores_full_weight():
    result = assess(facts(recheck_deviation=None, tasks=0, tasks_confirmed=0), WEIGHTS)
    by_key = {p.key: p for p in result.parts}
    assert by_key["recheck"].rate is None and by_key["recheck"].points == Decimal("15")
    assert by_key["rectification"].points == Decimal("15")


def test_weights_must_sum_to_100(tmp_path):
    bad = tmp_path / "w.yaml"
    bad.write_text(
        "weights: {timeliness: 30, completeness: 25, review_quality: 20, recheck: 15,"
        " rectification: 15}\n",
        encoding="utf-8",
    )
    with pytest.raises(AssessmentError, match="合计须为 100"):
        load_weights(bad)


counts = st.integers(min_value=0, max_value=500)


# A loaded CI machine generates slowly; the property does not depend on speed.
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    n=counts,
    a=counts,
    b=counts,
    passed=counts,
    ret=counts,
    dev=st.decimals(min_value=0, max_value=100, places=2),
    tasks=counts,
    done=counts,
)
def test_total_is_the_sum_within_0_and_100(n, a, b, passed, ret, dev, tasks, done):
    result = assess(
        DepartmentFacts(
            n, min(a, n), min(b, n), passed, min(ret, passed), dev, tasks, min(done, tasks)
        ),
        WEIGHTS,
    )
    assert Decimal(0) <= result.total <= Decimal(100)
    assert result.total == sum(p.points for p in result.parts)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(n=st.integers(min_value=1, max_value=200), k=st.integers(min_value=0, max_value=199))
def test_more_on_time_never_scores_less(n, k):
    k = min(k, n - 1)
    lower = assess(facts(evaluations=n, on_time=k, approved=n), WEIGHTS).total
    higher = assess(facts(evaluations=n, on_time=k + 1, approved=n), WEIGHTS).total
    assert higher >= lower
