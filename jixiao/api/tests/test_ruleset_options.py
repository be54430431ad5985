"""Rule-set options (docs/rulesets.md「评分选项」) through the JSON API: a target's category and
不适用 mark are the unit's data and score under the campaign's rule-set; the options themselves are
the rule-set's, never part of posted data."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from jixiao.api.tests.option_cases import CASES, OptionCase
from jixiao.api.tests.test_api import _url, client_for, put_json, state
from jixiao.conftest import World
from jixiao.evaluations.tests.test_below_points_checklist import _rescaling

pytestmark = pytest.mark.django_db


def _indicators(client: Any, evaluation_id: int) -> dict[str, dict[str, Any]]:
    response = client.get(f"/api/evaluations/{evaluation_id}/score")
    assert response.status_code == 200
    return {i["code"]: i for i in response.json()["indicators"]}


def test_category_and_not_applicable_posted_and_scored(world: World) -> None:
    e, ruleset = _rescaling(world)
    client = client_for(world.editor)
    data = copy.deepcopy(e.data)
    t3 = next(t for t in data["targets"] if t["code"] == "T3")
    t3["not_applicable"] = True
    t3["category"] = "质量指标"
    e.refresh_from_db()
    response = put_json(client, _url(e), {"version": e.version, "data": data})
    assert response.status_code == 200, response.content
    # T3's 5 points dropped, the other 95 rescaled to 100 (as in the entry form's test)
    assert response.json()["total"] == "97.90"
    e.refresh_from_db()
    stored = next(t for t in e.data["targets"] if t["code"] == "T3")
    assert (stored["not_applicable"], stored["category"]) == (True, "质量指标")
    body = client.get(f"/api/evaluations/{e.pk}/score").json()
    assert (body["ruleset"], body["total"]) == (ruleset.ref, "97.90")
    rows = {i["code"]: i for i in body["indicators"]}
    assert (rows["T3"]["not_applicable"], rows["T3"]["points"], rows["T3"]["score"]) == (
        True,
        "0",
        "0.00",
    )
    assert rows["T3"]["declared_points"] == "5"
    assert [f["code"] for f in rows["T3"]["flags"]] == ["not_applicable"]
    # a rescaled leaf: its declared points kept beside the new ones
    assert (rows["B1"]["points"], rows["B1"]["declared_points"]) == ("5.26", "5")


def test_not_applicable_under_a_refusing_ruleset_is_a_problem_not_a_drop(world: World) -> None:
    client = client_for(world.editor)
    data = copy.deepcopy(world.evaluation.data)
    marked = data["targets"][2]
    marked["not_applicable"] = True
    response = put_json(client, _url(world.evaluation), {"version": 1, "data": data})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["problems"] == [
        f"「{marked['name']}」标为不适用，但规则集 gd-department@2025.1 不允许剔除不适用指标"
    ]
    row = _indicators(client, world.evaluation.pk)[marked["code"]]
    assert (row["not_applicable"], row["score"], row["declared_points"]) == (False, "0.00", None)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("options", {"not_applicable": "rescale"}),
        ("thresholds", {"over_completion": 120}),
        ("grades", [{"code": "excellent", "label": "优", "name": "优秀", "min_score": 50}]),
        ("category_caps", [{"category": "成本指标", "max_points": 50}]),
        ("reverse", "linear"),
    ],
)
def test_a_posted_ruleset_option_is_refused(world: World, key: str, value: Any) -> None:
    before = state(world.evaluation)
    data = copy.deepcopy(world.evaluation.data)
    data[key] = value
    for draft in (False, True):
        response = put_json(
            client_for(world.editor),
            _url(world.evaluation),
            {"version": 1, "data": data, "draft": draft},
        )
        assert response.status_code == 422, response.content
        assert any(p["field"] == key for p in response.json()["problems"])
        assert state(world.evaluation) == before


def _on_ruleset(world: World, ruleset: Any) -> Any:
    """The seed's campaign and evaluation on ``ruleset``, stored as a bureau's upload is."""
    from jixiao.campaigns.models import StoredRuleSet
    from scoring.ruleset_sheet import ruleset_to_yaml

    StoredRuleSet.objects.create(ref=ruleset.ref, name=ruleset.name, yaml=ruleset_to_yaml(ruleset))
    campaign = world.evaluation.campaign
    campaign.ruleset_ref = ruleset.ref
    campaign.save()
    e = world.evaluation
    e.data = {**e.data, "ruleset": ruleset.ref}
    e.save()
    e.refresh_from_db()
    return e


def _seen(client: Any, e: Any) -> tuple[str, str, str, list[str], list[str]]:
    body = client.get(f"/api/evaluations/{e.pk}/score").json()
    t3 = next(i for i in body["indicators"] if i["code"] == "T3")
    return (
        body["total"],
        body["grade"],
        t3["score"],
        body["problems"],
        body["missing_explanations"],
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_option_through_the_api(world: World, case: OptionCase) -> None:
    client = client_for(world.editor)
    data = copy.deepcopy(world.evaluation.data)
    case.edit(data)
    response = put_json(client, _url(world.evaluation), {"version": 1, "data": data})
    assert response.status_code == 200, response.content
    assert _seen(client, world.evaluation) == case.default
    world.evaluation.refresh_from_db()
    e = _on_ruleset(world, case.ruleset())
    data = copy.deepcopy(e.data)
    case.edit(data)  # again: the rule-set change left the data as saved, this makes sure
    response = put_json(client, _url(e), {"version": e.version, "data": data})
    assert response.status_code == 200, response.content
    assert _seen(client, e) == case.variant
