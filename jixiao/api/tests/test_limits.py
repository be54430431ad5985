"""Issue 9.6 through the API: the model's limits hold for drafts too (a 1.6-million-character body
was stored and took 137 s to render); nothing is written."""

from __future__ import annotations

import copy

import pytest

from jixiao.api.tests.test_api import _url, client_for, put_json, state
from jixiao.conftest import World
from scoring.evaluation import TEXT_MAX

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("draft", [False, True])
def test_an_oversized_text_is_422_naming_the_field(world: World, draft: bool) -> None:
    before = state(world.evaluation)
    data = copy.deepcopy(world.evaluation.data)
    data["targets"][1]["explanation"] = "x" * (TEXT_MAX + 1)
    response = put_json(
        client_for(world.editor),
        _url(world.evaluation),
        {"version": 1, "data": data, "draft": draft},
    )
    assert response.status_code == 422
    assert {"field": "targets[2].explanation", "message": f"不得超过 {TEXT_MAX} 个字"} in (
        response.json()["problems"]
    )
    assert state(world.evaluation) == before


def test_a_draft_of_many_texts_over_the_document_limit_is_refused(world: World) -> None:
    before = state(world.evaluation)
    data = copy.deepcopy(world.evaluation.data)
    data["analyses"] = [{"title": "分析", "text": "x" * 19_000} for _ in range(8)]
    del data["budget"]  # an incomplete draft: its missing parts alone would be stored
    response = put_json(
        client_for(world.editor),
        _url(world.evaluation),
        {"version": 1, "data": data, "draft": True},
    )
    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert problem["field"] == "" and "超过上限 100000 字" in problem["message"]
    assert state(world.evaluation) == before


def test_a_draft_with_a_malformed_number_is_refused(world: World) -> None:
    before = state(world.evaluation)
    data = copy.deepcopy(world.evaluation.data)
    data["budget"]["rows"][0]["executed"] = "33,28"
    del data["process"]
    response = put_json(
        client_for(world.editor),
        _url(world.evaluation),
        {"version": 1, "data": data, "draft": True},
    )
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {
            "field": "budget.rows[1].executed",
            "message": "「33,28」中的逗号不能作小数点，请用小数点（如 33.28）",
        }
    ]
    assert state(world.evaluation) == before


def test_grouped_figures_are_stored_as_numbers(world: World) -> None:
    data = copy.deepcopy(world.evaluation.data)
    data["targets"][1]["actual"] = "18,969"
    response = put_json(
        client_for(world.editor), _url(world.evaluation), {"version": 1, "data": data}
    )
    assert response.status_code == 200
    world.evaluation.refresh_from_db()
    assert world.evaluation.data["targets"][1]["actual"] == "18969"  # stored as the number
    assert world.evaluation.total is not None
