"""The list columns stored on every save (jixiao.evaluations.summary, issue 14)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.summary import execution_rate, summary_fields


def test_execution_rate_over_the_budget_rows():
    data = {
        "budget": {
            "rows": [
                {"full_year": "100", "executed": "90"},
                {"full_year": "50", "executed": "45.5"},
            ]
        }
    }
    assert execution_rate(data) == Decimal("90.33")
    assert execution_rate({}) is None
    assert execution_rate({"budget": {"rows": [{"full_year": "0", "executed": "1"}]}}) is None
    assert execution_rate({"budget": {"rows": [{"full_year": "x", "executed": "1"}]}}) is None


def test_stored_rates_follow_the_display_rule_half_up():
    # 0.01 / 200 = 0.005 %: half up gives 0.01, the decimal context's half-even would store 0.00.
    data = {"budget": {"rows": [{"full_year": "200", "executed": "0.01"}]}}
    assert execution_rate(data) == Decimal("0.01")
    # 100.125 % over-completion is stored as 100.13 (half-even: 100.12).
    target = {"name": "T", "direction": ">=", "target": "800", "actual": "801", "explanation": ""}
    fields = summary_fields({"targets": [target]}, threshold=Decimal(100), problems=0)
    assert fields["over_completions"] == 1
    from jixiao.evaluations.summary import over_completions

    assert over_completions({"targets": [target]}, Decimal(100)) == [
        ("T", Decimal("100.13"), False)
    ]


def test_summary_counts_over_completions_and_the_unexplained_ones():
    data = {
        "targets": [
            {"name": "a", "target": "10", "actual": "20", "explanation": "说明"},
            {"name": "b", "target": "10", "actual": "30"},
            {"name": "c", "target": "10", "actual": "12"},
            {"name": "d", "direction": "<=", "target": "10", "actual": "30"},
        ]
    }
    fields = summary_fields(data, threshold=Decimal(150), problems=3)
    assert fields == {
        "over_completions": 2,
        "over_unexplained": 1,
        "execution_rate": None,
        "problem_count": 3,
    }


@pytest.mark.django_db
def test_save_path_stores_the_summary(world):
    from jixiao.evaluations.services import save_evaluation_data

    evaluation = world.evaluation
    data = dict(evaluation.data)
    targets = [dict(t) for t in data.get("targets", [])]
    assert targets, "the seed evaluation has targets"
    targets[0]["target"] = "10"
    targets[0]["actual"] = "100"
    targets[0]["direction"] = ">="
    targets[0]["explanation"] = ""
    data["targets"] = targets
    save_evaluation_data(
        user=world.editor,
        evaluation_id=evaluation.pk,
        data=data,
        expected_version=evaluation.version,
    )
    evaluation.refresh_from_db()
    assert evaluation.over_completions >= 1
    assert evaluation.over_unexplained >= 1
    assert evaluation.execution_rate is not None

    # The backfill command recomputes the same figures from the stored content.
    Evaluation.objects.filter(pk=evaluation.pk).update(
        over_completions=0, over_unexplained=0, execution_rate=None
    )
    call_command("refresh_summaries", stdout=io.StringIO())
    again = Evaluation.objects.get(pk=evaluation.pk)
    assert (again.over_completions, again.over_unexplained, again.execution_rate) == (
        evaluation.over_completions,
        evaluation.over_unexplained,
        evaluation.execution_rate,
    )


@pytest.mark.django_db
def test_stored_names_follow_renames_and_moves(world):
    """The names kept for the progress table's order (evaluations.names) follow the
    organisations: a new evaluation gets them, a renamed unit or department and a unit moved to
    another department rewrite them."""
    evaluation = Evaluation.objects.get(pk=world.evaluation.pk)
    assert (evaluation.department_name, evaluation.unit_name) == (
        world.department.name,
        world.unit.name,
    )
    world.department.name = "湛江市人社局（改名）"
    world.department.save()
    world.unit.name = "改名后的单位"
    world.unit.save()
    evaluation.refresh_from_db()
    assert (evaluation.department_name, evaluation.unit_name) == (
        "湛江市人社局（改名）",
        "改名后的单位",
    )
    other = Evaluation.objects.get(pk=world.other_evaluation.pk)
    assert other.department_name == "湛江市人社局（改名）"
    world.unit.parent = world.other_department
    world.unit.save()
    evaluation.refresh_from_db()
    assert evaluation.department_name == world.other_department.name
    # A rename that bypassed the signals is put right by the refresh command.
    type(world.unit).objects.filter(pk=world.unit.pk).update(name="再次改名")
    call_command("refresh_summaries", stdout=io.StringIO())
    evaluation.refresh_from_db()
    assert evaluation.unit_name == "再次改名"
