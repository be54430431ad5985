"""The JSON API: every endpoint, every role, scope (404 outside it), 401 anonymous, CSRF on writes."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from jixiao.campaigns.models import Campaign
from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation, Status
from jixiao.organisations.models import User
from jixiao.reviews.models import FrozenDocument, Publication, Transition
from jixiao.testing import factories as f

pytestmark = pytest.mark.django_db


def client_for(user: User | None, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


def put_json(client: Client, url: str, body: dict[str, Any], **extra: Any) -> Any:
    return client.put(url, data=json.dumps(body), content_type="application/json", **extra)


def post_json(client: Client, url: str, body: dict[str, Any], **extra: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", **extra)


def state(evaluation: Evaluation) -> tuple[Any, ...]:
    evaluation.refresh_from_db()
    return (evaluation.status, evaluation.version, evaluation.total, evaluation.data)


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/evaluations"),
        ("get", "/api/evaluations/{e}"),
        ("get", "/api/evaluations/{e}/score"),
        ("put", "/api/evaluations/{e}/data"),
        ("post", "/api/evaluations/{e}/transitions"),
        ("get", "/api/campaigns"),
        ("get", "/api/campaigns/{c}/progress"),
    ],
)
def test_anonymous_gets_401_on_private_endpoints(world: World, method: str, path: str) -> None:
    url = path.format(e=world.evaluation.pk, c=world.campaign.pk)
    before = state(world.evaluation)
    client = Client()
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, data="{}", content_type="application/json")
    assert response.status_code == 401
    assert state(world.evaluation) == before


# --- list and detail --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "units"),
    [
        ("editor", ["湛江市职业技能鉴定指导中心"]),
        ("head", ["湛江市职业技能鉴定指导中心"]),
        ("other_editor", ["other"]),
        ("dept", ["湛江市职业技能鉴定指导中心", "other"]),
        ("other_dept", ["foreign"]),
        ("bureau", ["湛江市职业技能鉴定指导中心", "other", "foreign"]),
        ("admin", ["湛江市职业技能鉴定指导中心", "other", "foreign"]),
    ],
)
def test_list_is_scoped_per_role(
    world: World, username: str, units: list[str], django_assert_max_num_queries: Any
) -> None:
    names = {
        "other": world.other_unit.name,
        "foreign": world.foreign_unit.name,
    }
    client = client_for(User.objects.get(username=username))
    # session, user, count, the page's ids in order, the page's rows with their joins
    with django_assert_max_num_queries(5):
        response = client.get("/api/evaluations")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(units)
    assert sorted(item["unit"]["name"] for item in body["items"]) == sorted(
        names.get(u, u) for u in units
    )


def test_list_item_shape_and_decimal_strings(world: World) -> None:
    body = client_for(world.editor).get("/api/evaluations").json()
    assert body["items"][0] == {
        "id": world.evaluation.pk,
        "campaign_id": world.campaign.pk,
        "year": 2025,
        "unit": {"id": world.unit.pk, "name": "湛江市职业技能鉴定指导中心"},
        "department": {"id": world.department.pk, "name": "湛江市人力资源和社会保障局"},
        "project_name": "",
        "status": "draft",
        "status_label": "填报中",
        "progress": "drafting",
        "total": "98.00",
        "grade": "优",
        "version": 1,
        "ruleset": "gd-department@2025.1",
        "updated_at": body["items"][0]["updated_at"],
    }


def test_list_filters_year_status_campaign(world: World) -> None:
    client = client_for(world.bureau_reviewer)
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(status=Status.SUBMITTED)
    assert client.get("/api/evaluations?year=2025").json()["count"] == 3
    assert client.get("/api/evaluations?year=2024").json()["count"] == 0
    submitted = client.get("/api/evaluations?status=submitted").json()
    assert [i["id"] for i in submitted["items"]] == [world.other_evaluation.pk]
    assert client.get(f"/api/evaluations?campaign={world.campaign.pk}").json()["count"] == 3
    assert client.get(f"/api/evaluations?campaign={world.campaign.pk + 99}").json()["count"] == 0
    assert client.get("/api/evaluations?status=nonsense").status_code == 422
    paged = client.get("/api/evaluations?limit=2&offset=2").json()
    assert (paged["count"], len(paged["items"])) == (3, 1)


def test_detail_gives_data_and_score(world: World) -> None:
    body = client_for(world.head).get(f"/api/evaluations/{world.evaluation.pk}").json()
    assert (body["total"], body["grade"], body["status"], body["version"]) == (
        "98.00",
        "优",
        "draft",
        1,
    )
    assert body["ruleset"] == "gd-department@2025.1"
    assert body["data"]["unit"]["name"] == "湛江市职业技能鉴定指导中心"
    assert body["is_editable"] is True


@pytest.mark.parametrize(
    ("username", "which"),
    [
        ("editor", "other_evaluation"),
        ("editor", "foreign_evaluation"),
        ("other_editor", "evaluation"),
        ("dept", "foreign_evaluation"),
        ("other_dept", "evaluation"),
    ],
)
@pytest.mark.parametrize("suffix", ["", "/score"])
def test_out_of_scope_reads_are_404(world: World, username: str, which: str, suffix: str) -> None:
    evaluation = getattr(world, which)
    response = client_for(User.objects.get(username=username)).get(
        f"/api/evaluations/{evaluation.pk}{suffix}"
    )
    assert response.status_code == 404


# --- score --------------------------------------------------------------------------------------


def test_score_is_the_full_result(world: World) -> None:
    body = (
        client_for(world.department_reviewer)
        .get(f"/api/evaluations/{world.evaluation.pk}/score")
        .json()
    )
    assert (body["scored"], body["total"], body["grade"], body["grade_name"]) == (
        True,
        "98.00",
        "优",
        "优秀",
    )
    assert body["ruleset"] == "gd-department@2025.1"
    t1 = next(i for i in body["indicators"] if i["code"] == "T1")
    assert (t1["name"], t1["target"], t1["actual"], t1["completion_rate"]) == (
        "新增取得职业技能等级认定证书",
        "12000",
        "18969",
        "158.075",
    )
    assert (t1["points"], t1["score"]) == ("10", "10.00")
    assert [flag["code"] for flag in t1["flags"]] == ["over_completion"]
    assert [(g["code"], g["score"]) for g in body["groups"]] == [
        ("B", "19.00"),
        ("E", "30.00"),
        ("S", "14.00"),
        ("U", "35.00"),
    ]
    assert body["ratios"]["execution_rate"] == "100"
    assert body["problems"] == []
    assert body["missing_explanations"] == []


def test_score_of_an_incomplete_draft_lists_its_problems(world: World) -> None:
    Evaluation.objects.filter(pk=world.evaluation.pk).update(data={"year": 2025})
    body = client_for(world.editor).get(f"/api/evaluations/{world.evaluation.pk}/score").json()
    assert body["scored"] is False
    assert body["total"] is None
    assert "单位基本情况：必填项缺失" in body["problems"]


def test_score_lists_missing_explanations(world: World) -> None:
    data = f.seed_evaluation_data()
    data["targets"][2]["actual"] = "4000"  # T2 now not met, no explanation
    Evaluation.objects.filter(pk=world.evaluation.pk).update(data=data)
    body = client_for(world.editor).get(f"/api/evaluations/{world.evaluation.pk}/score").json()
    assert body["missing_explanations"] == [
        "新增取得高级工及以上职业技能等级认定证书：未达成年度指标值（目标 4400，实际 4000），"
        "须填写偏差原因分析及改进措施"
    ]


# --- save data -------------------------------------------------------------------------------


def _url(evaluation: Evaluation) -> str:
    return f"/api/evaluations/{evaluation.pk}/data"


def test_editor_saves_data_with_the_version(world: World) -> None:
    data = f.seed_evaluation_data()
    data["targets"][2]["actual"] = "4000"  # T2
    data["targets"][2]["explanation"] = "受政策调整影响。"
    response = put_json(
        client_for(world.editor), _url(world.evaluation), {"version": 1, "data": data}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["grade"]) == (2, "优")
    assert body["total"] == "97.09"
    world.evaluation.refresh_from_db()
    assert world.evaluation.version == 2
    assert world.evaluation.data["targets"][2]["actual"] == "4000"
    assert str(world.evaluation.total) == body["total"]


def test_stale_version_is_409_with_the_chinese_message_and_nothing_changes(world: World) -> None:
    before = state(world.evaluation)
    response = put_json(
        client_for(world.editor),
        _url(world.evaluation),
        {"version": 0, "data": f.seed_evaluation_data(other="改过")},
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 1
    assert response.json()["detail"].startswith("保存被拒绝：")
    assert state(world.evaluation) == before


def test_invalid_data_is_422_with_field_problems_and_nothing_changes(world: World) -> None:
    before = state(world.evaluation)
    data = f.seed_evaluation_data()
    data["targets"][1]["actual"] = "很多"
    del data["budget"]
    response = put_json(
        client_for(world.editor), _url(world.evaluation), {"version": 1, "data": data}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "自评内容有误，未保存"
    assert [p["field"] for p in body["problems"]] == ["targets[2].actual", "budget"]
    assert state(world.evaluation) == before


def test_a_draft_may_be_saved_incomplete(world: World) -> None:
    response = put_json(
        client_for(world.editor),
        _url(world.evaluation),
        {"version": 1, "data": {"year": 2025}, "draft": True},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["version"], body["total"], body["grade"]) == (2, None, "")
    # The unit's identity and the campaign's fields are filled in by the server (issue 9.4).
    assert body["problems"] == ["预算：必填项缺失"]


@pytest.mark.parametrize("username", ["dept", "bureau", "admin"])
def test_reviewers_cannot_save_data(world: World, username: str) -> None:
    before = state(world.evaluation)
    response = put_json(
        client_for(User.objects.get(username=username)),
        _url(world.evaluation),
        {"version": 1, "data": f.seed_evaluation_data()},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "只有本单位的填报人或负责人可以修改自评内容"
    assert state(world.evaluation) == before


def test_locked_evaluation_is_400_and_unchanged(world: World) -> None:
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=Status.SUBMITTED)
    before = state(world.evaluation)
    response = put_json(
        client_for(world.editor),
        _url(world.evaluation),
        {"version": 1, "data": f.seed_evaluation_data()},
    )
    assert response.status_code == 400
    assert "已锁定" in response.json()["detail"]
    assert state(world.evaluation) == before


@pytest.mark.parametrize(
    ("username", "which"),
    [
        ("editor", "other_evaluation"),
        ("other_editor", "evaluation"),
        ("dept", "foreign_evaluation"),
    ],
)
def test_saving_out_of_scope_is_404(world: World, username: str, which: str) -> None:
    evaluation = getattr(world, which)
    before = state(evaluation)
    response = put_json(
        client_for(User.objects.get(username=username)),
        _url(evaluation),
        {"version": 1, "data": f.seed_evaluation_data()},
    )
    assert response.status_code == 404
    assert state(evaluation) == before


def test_writes_need_the_csrf_token(world: World) -> None:
    client = client_for(world.editor, csrf=True)
    before = state(world.evaluation)
    body = {"version": 1, "data": f.seed_evaluation_data()}
    assert put_json(client, _url(world.evaluation), body).status_code == 403
    assert state(world.evaluation) == before
    # With the token from the cookie, as a page's script sends it, the same write goes through.
    client.get("/api/docs")
    token = client.cookies["csrftoken"].value
    response = put_json(client, _url(world.evaluation), body, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


# --- transitions --------------------------------------------------------------------------------


def _transition_url(evaluation: Evaluation) -> str:
    return f"/api/evaluations/{evaluation.pk}/transitions"


def test_the_workflow_through_the_api(world: World) -> None:
    url = _transition_url(world.evaluation)
    response = post_json(client_for(world.head), url, {"action": "submit"})
    assert response.status_code == 200
    assert response.json() == {
        "id": world.evaluation.pk,
        "status": "submitted",
        "status_label": "已报送（待主管部门审核）",
        "version": 1,
    }
    response = post_json(
        client_for(world.department_reviewer),
        url,
        {
            "action": "department_return",
            "comment": "请修改",
            "section_comments": {"budget": "请说明预算调整原因"},
        },
    )
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    last = Transition.objects.filter(evaluation=world.evaluation).last()
    assert last is not None
    assert (last.action, last.comment, last.section_comments, last.actor) == (
        "department_return",
        "请修改",
        {"budget": "请说明预算调整原因"},
        world.department_reviewer,
    )


def test_refused_transition_is_400_with_problems_and_nothing_changes(world: World) -> None:
    before = state(world.evaluation)
    response = post_json(
        client_for(world.editor), _transition_url(world.evaluation), {"action": "submit"}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "操作未执行", "problems": ["您的角色不能执行“审定并报送”"]}
    response = post_json(
        client_for(world.department_reviewer),
        _transition_url(world.evaluation),
        {"action": "department_approve"},
    )
    assert response.json()["problems"] == ["当前状态“填报中”下不能执行该操作"]
    assert state(world.evaluation) == before
    assert Transition.objects.count() == 0


def test_submit_with_missing_parts_lists_them(world: World) -> None:
    data = f.seed_evaluation_data()
    data["other"] = ""
    Evaluation.objects.filter(pk=world.evaluation.pk).update(data=data)
    response = post_json(
        client_for(world.head), _transition_url(world.evaluation), {"action": "submit"}
    )
    assert response.status_code == 400
    assert response.json()["problems"] == ["未填写：其他自评情况"]
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == "draft"


@pytest.mark.parametrize(
    ("username", "which", "action"),
    [
        ("head", "other_evaluation", "submit"),
        ("other_dept", "evaluation", "department_approve"),
        ("dept", "foreign_evaluation", "department_approve"),
    ],
)
def test_transition_out_of_scope_is_404(
    world: World, username: str, which: str, action: str
) -> None:
    evaluation = getattr(world, which)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=Status.SUBMITTED)
    before = state(evaluation)
    response = post_json(
        client_for(User.objects.get(username=username)),
        _transition_url(evaluation),
        {"action": action},
    )
    assert response.status_code == 404
    assert state(evaluation) == before


# --- campaigns -----------------------------------------------------------------------------------


def test_campaigns_are_scoped(world: World) -> None:
    empty = f.CampaignFactory.create(
        bureau=world.bureau, year=2024, notice_number="湛财绩〔2025〕3号"
    )
    bureau = client_for(world.bureau_reviewer).get("/api/campaigns").json()
    assert sorted(c["id"] for c in bureau["items"]) == sorted([world.campaign.pk, empty.pk])
    editor = client_for(world.editor).get("/api/campaigns").json()
    assert [c["id"] for c in editor["items"]] == [world.campaign.pk]
    assert editor["items"][0]["notice_number"] == "湛财绩〔2026〕2号"
    assert client_for(world.editor).get(f"/api/campaigns/{empty.pk}/progress").status_code == 404
    assert (
        client_for(world.bureau_admin).get(f"/api/campaigns/{empty.pk}/progress").status_code == 200
    )


def test_progress_counts_what_the_user_sees(world: World) -> None:
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(status=Status.APPROVED)
    Evaluation.objects.filter(pk=world.foreign_evaluation.pk).update(
        status=Status.DRAFT, first_saved_at=None
    )
    bureau = client_for(world.bureau_reviewer).get(f"/api/campaigns/{world.campaign.pk}/progress")
    assert bureau.status_code == 200
    body = bureau.json()
    assert body["total"] == 3
    assert body["progress"] == {
        "not_started": 1,
        "drafting": 1,
        "submitted": 0,
        "returned": 0,
        "approved": 1,
        "published": 0,
    }
    assert body["grades"] == {"优": 1}
    assert body["average_total"] == "98.00"
    department = (
        client_for(world.department_reviewer)
        .get(f"/api/campaigns/{world.campaign.pk}/progress")
        .json()
    )
    assert department["total"] == 2
    assert department["progress"]["not_started"] == 0


# --- public ----------------------------------------------------------------------------------------


def test_public_reports_are_published_only_and_need_no_login(
    world: World, django_assert_max_num_queries: Any
) -> None:
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(status=Status.PUBLISHED)
    Publication.objects.create(
        evaluation=world.other_evaluation,
        published_by=world.bureau_reviewer,
        total=Decimal("98.00"),
        grade="优",
        unit_name=world.other_unit.name,
    )
    FrozenDocument.objects.create(
        evaluation=world.other_evaluation,
        format="pdf",
        filename="报告.pdf",
        content=b"%PDF",
        sha256="0" * 64,
        sm3="1" * 64,
        size=4,
    )
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=Status.APPROVED)
    with django_assert_max_num_queries(3):  # count, page, documents
        response = Client().get("/api/public/reports")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["id"], item["unit"], item["total"], item["grade"], item["year"]) == (
        world.other_evaluation.pk,
        world.other_unit.name,
        "98.00",
        "优",
        2025,
    )
    assert item["documents"] == [
        {"format": "pdf", "filename": "报告.pdf", "size": 4, "sha256": "0" * 64, "sm3": "1" * 64}
    ]
    assert Client().get("/api/public/reports?year=2024").json()["count"] == 0


# --- schema ----------------------------------------------------------------------------------------


def test_openapi_schema_is_valid_and_lists_every_endpoint(world: World) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"] == {
        "title": "jixiao API",
        "version": "1",
        "description": schema["info"]["description"],
    }
    assert sorted(schema["paths"]) == [
        "/api/campaigns",
        "/api/campaigns/{campaign_id}/progress",
        "/api/campaigns/{campaign_id}/tasks",
        "/api/evaluations",
        "/api/evaluations/{evaluation_id}",
        "/api/evaluations/{evaluation_id}/data",
        "/api/evaluations/{evaluation_id}/score",
        "/api/evaluations/{evaluation_id}/transitions",
        "/api/indicators",
        "/api/indicators/{indicator_id}",
        "/api/monitoring/reports/{evaluation_id}",
        "/api/monitoring/warnings",
        "/api/projects",
        "/api/projects/{project_id}",
        "/api/public/reports",
        "/api/targets/adjustments/{adjustment_id}",
        "/api/targets/adjustments/{adjustment_id}/decision",
        "/api/targets/declarations/{declaration_id}",
        "/api/targets/declarations/{declaration_id}/adjustments",
    ]
    # Every reference resolves to a component.
    text = json.dumps(schema)
    for ref in {part.split('"')[0] for part in text.split('"$ref": "')[1:]}:
        name = ref.rsplit("/", 1)[-1]
        assert name in schema["components"]["schemas"], ref
    assert Client().get("/api/docs").status_code == 200
    assert Campaign.objects.count() == 1


def test_query_counts_do_not_grow_with_the_rows(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        f.EvaluationFactory.create(
            campaign=world.campaign, unit=f.UnitFactory.create(parent=world.department)
        )
    client = client_for(world.bureau_reviewer)
    for url, queries in (
        ("/api/evaluations", 5),  # session, user, count, the page's ids, its rows
        (f"/api/evaluations/{world.evaluation.pk}", 3),
        (f"/api/evaluations/{world.evaluation.pk}/score", 5),  # + the earlier years (8.2)
        ("/api/campaigns", 4),
        (f"/api/campaigns/{world.campaign.pk}/progress", 5),
    ):
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200


def test_api_docs_need_no_internet(world: World) -> None:
    content = Client().get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in content
    assert "cdn." not in content


# --- cursor pagination (issue 14) ----------------------------------------------------------------


def test_lists_page_with_a_cursor(world: World) -> None:
    """Pages of one follow one another with ``next_cursor`` and end with null; the order is the
    offset pages' order, and a page size over the maximum is refused."""
    client = client_for(world.bureau_reviewer)
    everything = [i["id"] for i in client.get("/api/evaluations").json()["items"]]
    assert len(everything) == 3
    seen: list[int] = []
    body = client.get("/api/evaluations?limit=1").json()
    while True:
        seen += [i["id"] for i in body["items"]]
        if body["next_cursor"] is None:
            break
        body = client.get("/api/evaluations", {"limit": 1, "cursor": body["next_cursor"]}).json()
    assert seen == everything
    assert client.get("/api/evaluations?limit=501").status_code == 422
    # offset pages say where to go on with a cursor too
    paged = client.get("/api/evaluations?limit=1&offset=1").json()
    after = client.get("/api/evaluations", {"limit": 5, "cursor": paged["next_cursor"]}).json()
    assert [i["id"] for i in after["items"]] == everything[2:]


def test_campaign_tasks_filter_search_and_scope(world: World) -> None:
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(status=Status.SUBMITTED)
    url = f"/api/campaigns/{world.campaign.pk}/tasks"
    bureau = client_for(world.bureau_reviewer)
    body = bureau.get(url).json()
    assert body["count"] == 3 and body["next_cursor"] is None
    row = next(i for i in body["items"] if i["id"] == world.evaluation.pk)
    assert row["problem_count"] == 0 and row["overdue"] is False
    assert row["over_completions"] == 1 and row["over_unexplained"] == 0
    submitted = bureau.get(url, {"state": "submitted"}).json()
    assert [i["id"] for i in submitted["items"]] == [world.other_evaluation.pk]
    found = bureau.get(url, {"q": world.foreign_unit.name}).json()
    assert [i["id"] for i in found["items"]] == [world.foreign_evaluation.pk]
    first = bureau.get(url, {"limit": 2}).json()
    rest = bureau.get(url, {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 2 and len(rest["items"]) == 1
    assert bureau.get(url, {"limit": 201}).status_code == 422
    department = client_for(world.department_reviewer).get(url).json()
    assert department["count"] == 2
