"""The list columns stored on every save (jixiao.evaluations.summary, issue 14)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.scoring_bridge import score_data
from jixiao.evaluations.summary import execution_rate, over_completions, summary_fields
from jixiao.testing.factories import seed_evaluation_data
from scoring.results import FlagCode


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


def _seed_with(**changes):
    """The seed evaluation's data with its target T1 (新增取得职业技能等级认定证书, 10 points,
    over-completed and explained in the seed) changed, and its scoring result."""
    data = seed_evaluation_data()
    target = next(t for t in data["targets"] if t["code"] == "T1")
    target.update(changes)
    return data, score_data(data).result


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes,expected",
    [
        # the seed as published: 158.08 % over the line of 150 %, explained
        ({}, [("新增取得职业技能等级认定证书：完成率 158.08% 超过 150%", True)]),
        (
            {"target": "100", "actual": "151", "explanation": ""},
            [("新增取得职业技能等级认定证书：完成率 151.00% 超过 150%", False)],
        ),
        # 100.125 % is shown as 100.13 by the one display rule (half up), never 100.12
        (
            {"target": "800", "actual": "1201", "explanation": ""},
            [("完成率 150.13% 超过 150%", False)],
        ),
        ({"target": "100", "actual": "150", "explanation": ""}, []),  # on the line: not over it
        # "=" is met only at the target: 200 against 100 is a miss (未达成), not an over-completion;
        # the stored count once said otherwise while the evaluation's own page said 未达成.
        ({"direction": "=", "target": "100", "actual": "200", "explanation": ""}, []),
        # a reverse (≤) target is flagged too when it beats the target by far (10 / 1 = 1000 %):
        # the engine's rule, which the stored count once ignored
        (
            {"direction": "<=", "target": "10", "actual": "1", "explanation": ""},
            [("完成率 1000.00% 超过 150%", False)],
        ),
        ({"direction": "<=", "target": "10", "actual": "8", "explanation": ""}, []),
        ({"target": "0", "actual": "5", "explanation": ""}, []),  # no zero-target line here
    ],
)
def test_over_completions_are_the_engines_flags(changes, expected):
    data, result = _seed_with(**changes)
    found = over_completions(result)
    assert len(found) == len(expected)
    for item, (text, explained) in zip(found, expected, strict=True):
        assert text in str(item.text)
        assert item.explained is explained
    fields = summary_fields(data, result=result, problems=0)
    assert fields["over_completions"] == len(expected)
    assert fields["over_unexplained"] == sum(1 for _t, explained in expected if not explained)
    # The stored count is what the evaluation's own pages flag, indicator by indicator.
    flagged = sum(
        1 for i in result.indicators for f in i.flags if f.code is FlagCode.OVER_COMPLETION
    )
    assert fields["over_completions"] == flagged


def test_content_the_engine_cannot_read_counts_nothing():
    targets = [{"name": "b", "target": "10", "actual": "30"}]
    fields = summary_fields({"targets": targets}, result=None, problems=3)
    assert fields == {
        "over_completions": 0,
        "over_unexplained": 0,
        "execution_rate": None,
        "problem_count": 3,
    }


@pytest.mark.django_db
def test_save_path_stores_the_summary(world):
    from jixiao.evaluations.services import save_evaluation_data

    evaluation = world.evaluation
    data = dict(evaluation.data)
    targets = [dict(t) for t in data.get("targets", [])]
    scored = next(t for t in targets if t["code"] == "T1")  # a target with points
    scored.update(target="10", actual="100", direction=">=", explanation="")
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


@pytest.mark.django_db
def test_migration_0012_recounts_every_evaluation_and_zeroes_the_never_scored(world):
    """Migration 0012: self-evaluations recounted by the engine (a row whose content has no
    kind among them), monitoring reports and target declarations set to 0 in one update."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "jixiao.evaluations.migrations.0012_over_completions_from_the_engine"
    )
    Evaluation.objects.filter(pk=world.evaluation.pk).update(over_completions=7, over_unexplained=7)
    no_kind = {k: v for k, v in world.other_evaluation.data.items() if k != "kind"}
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(
        data=no_kind, over_completions=5, over_unexplained=5
    )
    Evaluation.objects.filter(pk=world.foreign_evaluation.pk).update(
        data={"kind": "monitoring", "targets": [{"name": "x", "target": "1", "actual": "9"}]},
        over_completions=3,
        over_unexplained=3,
    )
    migration.refresh(apps, None)
    counts = dict(
        Evaluation.objects.values_list("pk", "over_completions").filter(
            pk__in=[world.evaluation.pk, world.other_evaluation.pk, world.foreign_evaluation.pk]
        )
    )
    # the seed's one explained over-completion (158.08 %), content without a kind included
    assert counts[world.evaluation.pk] == 1
    assert counts[world.other_evaluation.pk] == 1
    assert counts[world.foreign_evaluation.pk] == 0
