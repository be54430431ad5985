"""Issue 9.4: what belongs to the campaign, the organisation record or the reviewer is not writable
by a unit through the API (or any other path: the forms' tests are in jixiao/evaluations/tests/
test_server_owned.py), and no score passes the rule-set's points."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from jixiao.api.tests.test_api import _url, client_for, put_json, state
from jixiao.conftest import World
from jixiao.evaluations.models import Status
from jixiao.reviews import workflow
from jixiao.reviews.services import transition
from jixiao.testing import factories as f

pytestmark = pytest.mark.django_db


def _changed(path: str, value: Any) -> dict[str, Any]:
    data = f.seed_evaluation_data()
    node: Any = data
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if key.isdigit() else node[key]
    node[keys[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("ruleset", "national-project@2020.1", "由自评工作确定，单位不能修改"),
        ("ruleset", "gd-department", "由自评工作确定，单位不能修改"),
        ("year", 2024, "由自评工作确定，单位不能修改"),
        ("kind", "project", "由自评工作确定，单位不能修改"),
        ("notice.number", "湛财绩〔2026〕9号", "由自评工作确定，单位不能修改"),
        ("unit.name", "另一个单位", "以财政局维护的单位信息为准"),
        ("unit.supervisor", "湛江市财政局", "以财政局维护的单位信息为准"),
        ("unit.unit_type", "行政单位", "以财政局维护的单位信息为准"),
        ("targets.1.reviewer_deduction", "1", "复核扣分由复核人填写，单位不能修改"),
        ("assessments.0.reviewer_deduction", "2", "复核扣分由复核人填写，单位不能修改"),
    ],
)
def test_a_unit_cannot_change_server_owned_fields_through_the_api(
    world: World, path: str, value: Any, message: str
) -> None:
    before = state(world.evaluation)
    data = _changed(path, value)
    if path.endswith("reviewer_deduction"):
        data_path = path.rsplit(".", 1)[0]
        data = _changed(f"{data_path}.reviewer_deduction_reason", "自己扣")
        node: Any = data
        for key in data_path.split("."):
            node = node[int(key)] if key.isdigit() else node[key]
        node["reviewer_deduction"] = value
    for draft in (False, True):
        response = put_json(
            client_for(world.editor),
            _url(world.evaluation),
            {"version": 1, "data": data, "draft": draft},
        )
        assert response.status_code == 422, response.content
        body = response.json()
        assert body["detail"] == "自评内容含单位不能修改的项目，未保存"
        wanted = path if path != "notice.number" else "notice"
        assert any(p["field"] == wanted and message in p["message"] for p in body["problems"])
        assert state(world.evaluation) == before


def test_echoing_the_stored_values_back_is_fine(world: World) -> None:
    data = copy.deepcopy(world.evaluation.data)
    data["other"] = "改了其他"
    response = put_json(
        client_for(world.editor), _url(world.evaluation), {"version": 1, "data": data}
    )
    assert response.status_code == 200
    world.evaluation.refresh_from_db()
    assert world.evaluation.data["other"] == "改了其他"


def test_leaving_server_owned_fields_out_keeps_them(world: World) -> None:
    data = copy.deepcopy(world.evaluation.data)
    for key in ("ruleset", "year", "kind", "notice"):
        del data[key]
    del data["unit"]["name"]
    response = put_json(
        client_for(world.editor), _url(world.evaluation), {"version": 1, "data": data}
    )
    assert response.status_code == 200, response.content
    world.evaluation.refresh_from_db()
    saved = world.evaluation.data
    assert (saved["ruleset"], saved["year"], saved["kind"]) == (
        "gd-department@2025.1",
        2025,
        "department",
    )
    assert saved["notice"]["number"] == "湛财绩〔2026〕2号"
    assert saved["unit"]["name"] == "湛江市职业技能鉴定指导中心"


def test_the_rule_set_cannot_be_switched_and_then_approved(world: World) -> None:
    # The path: PUT another rule-set, then submit and approve → scored under the other one.
    data = _changed("ruleset", "mof-department-2013")
    response = put_json(
        client_for(world.editor), _url(world.evaluation), {"version": 1, "data": data}
    )
    assert response.status_code == 422
    transition(user=world.head, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == Status.SUBMITTED
    assert world.evaluation.ruleset_ref == "gd-department@2025.1"
    assert world.evaluation.total == Decimal("98.00")


def test_a_draft_claiming_too_many_points_scores_at_most_the_rule_sets(world: World) -> None:
    # /score showed 112.23 on a 100-point rule-set for an incomplete draft with inflated points.
    data = copy.deepcopy(world.evaluation.data)
    for target in data["targets"]:
        if target.get("points") is not None:
            target["points"] = "40"
    data["assessments"] = data["assessments"][:3]  # incomplete
    response = put_json(
        client_for(world.editor),
        _url(world.evaluation),
        {"version": 1, "data": data, "draft": True},
    )
    assert response.status_code == 200
    score = client_for(world.editor).get(f"/api/evaluations/{world.evaluation.pk}/score").json()
    assert score["scored"] is True
    assert Decimal(score["total"]) <= Decimal(score["total_points"]) == Decimal(100)
    assert any("分值合计 120" in p for p in score["problems"])
