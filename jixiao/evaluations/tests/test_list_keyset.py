"""The 绩效自评列表 and /api/evaluations at province scale (issue 14): keyset pages in the stored
order (newest year, department, unit, project, id), ties and names sharing a prefix, filters
kept across pages, the count on the first page only, and a cursor that cannot be read."""

from __future__ import annotations

import base64
import json

import pytest
from django.urls import reverse

from jixiao.evaluations import selectors
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.tests.conftest import client_for
from jixiao.testing import factories as f
from jixiao.web import keyset

pytestmark = pytest.mark.django_db


def _expected(rows: list[Evaluation]) -> list[int]:
    """The order the lists promise, computed in Python from the organisations and campaigns."""
    return [
        e.pk
        for e in sorted(
            rows,
            key=lambda e: (
                -e.campaign.year,
                e.unit.parent.name if e.unit.parent else "",
                e.unit.name,
                e.project_name,
                e.pk,
            ),
        )
    ]


@pytest.fixture
def crowded(world):
    """Rows whose sort keys tie on every column but the id (one unit, one project name, two
    campaigns of one year), names that are prefixes of each other, two years."""
    same_year = f.CampaignFactory.create(bureau=world.bureau, year=2025, title="另一项2025年自评")
    older = f.CampaignFactory.create(bureau=world.bureau, year=2024, title="2024年度自评")
    prefix = f.DepartmentFactory.create(parent=world.bureau, name="湛江市人力资源")
    units = [
        f.UnitFactory.create(parent=world.department, name="湛江市单位"),
        f.UnitFactory.create(parent=world.department, name="湛江市单位甲"),
        f.UnitFactory.create(parent=world.department, name="湛江市单位甲乙"),
        f.UnitFactory.create(parent=prefix, name="湛江市单"),
        f.UnitFactory.create(parent=prefix, name="湛江市单位甲"[:5] + "乙"),
    ]
    for unit in units:
        for campaign in (world.campaign, same_year, older):
            for project in ("", "项目", "项目A", "项目A一"):
                f.EvaluationFactory.create(campaign=campaign, unit=unit, project_name=project)
    return world


def _walk(user, size: int, **filters: str) -> list[int]:
    seen: list[int] = []
    cursor = None
    while True:
        page = selectors.evaluation_page(user=user, cursor=cursor, size=size, **filters)
        seen += [e.pk for e in page.rows]
        assert len(page.rows) <= size
        if page.next_cursor is None:
            return seen
        assert page.rows, "a next cursor after an empty page"
        cursor = page.next_cursor


@pytest.mark.parametrize("size", [1, 3, 7, 50])
def test_keyset_pages_give_every_row_once_in_the_stored_order(crowded, size):
    everything = list(
        Evaluation.objects.select_related("campaign", "unit", "unit__parent").filter(
            unit__kind="unit"
        )
    )
    assert len(everything) == 3 + 5 * 3 * 4
    walked = _walk(crowded.bureau_reviewer, size)
    assert walked == _expected(everything)


def test_keyset_pages_keep_the_scope_and_the_filters(crowded):
    department = crowded.department_reviewer
    mine = Evaluation.objects.select_related("campaign", "unit", "unit__parent").filter(
        unit__parent=crowded.department
    )
    assert _walk(department, 4) == _expected(list(mine))
    found = [e for e in mine if "甲" in e.unit.name and e.campaign.year == 2025]
    assert _walk(department, 2, q="甲", year="2025") == _expected(found)
    assert _walk(crowded.editor, 2) == [crowded.evaluation.pk]


def test_count_only_on_the_first_page_and_the_filters_ride_along(crowded, monkeypatch):
    from jixiao.evaluations import views

    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 5)
    client = client_for(crowded.bureau_reviewer)
    url = reverse("evaluations:list")
    first = client.get(url, {"year": "2024", "q": "单位"})
    assert first.context["count"] == 4 * 4  # four units named 湛江市单位…, four projects, 2024
    assert len(first.context["evaluations"]) == 5
    assert first.context["page"].is_first
    next_query = first.context["next_query"]
    assert "year=2024" in next_query and "q=" in next_query and "after=" in next_query
    second = client.get(f"{url}?{next_query}")
    assert second.context["count"] is None
    assert {e.campaign.year for e in second.context["evaluations"]} == {2024}
    assert all("单位" in e.unit.name for e in second.context["evaluations"])
    assert 'href="?year=2024&amp;q=' in second.content.decode()  # 第一页 keeps the filters


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!!",
        base64.urlsafe_b64encode(b"[1,2]").decode(),
        base64.urlsafe_b64encode(json.dumps(["x", "a", "b", "c", 1]).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps([2025, "a", "b", "c", "not an id"]).encode()).decode(),
        base64.urlsafe_b64encode(json.dumps([True, "a", "b", "c", 1]).encode()).decode(),
        "A" * 3000,
    ],
)
def test_an_unreadable_cursor_is_page_one_not_a_500(crowded, cursor):
    client = client_for(crowded.bureau_reviewer)
    page = client.get(reverse("evaluations:list"), {"after": cursor})
    assert page.status_code == 200 and page.context["page"].is_first
    assert page.context["count"] == 3 + 5 * 3 * 4
    api = client.get("/api/evaluations", {"limit": 5, "cursor": cursor[:2000]})
    assert api.status_code == 200
    body = api.json()
    assert body["count"] == 3 + 5 * 3 * 4 and len(body["items"]) == 5
    first = client.get("/api/evaluations", {"limit": 5}).json()
    assert [i["id"] for i in body["items"]] == [i["id"] for i in first["items"]]


def test_api_cursor_pages_walk_the_order_and_count_once(crowded):
    client = client_for(crowded.bureau_reviewer)
    everything = _expected(
        list(Evaluation.objects.select_related("campaign", "unit", "unit__parent"))
    )
    body = client.get("/api/evaluations", {"limit": 7}).json()
    assert body["count"] == len(everything)
    seen = [i["id"] for i in body["items"]]
    while body["next_cursor"]:
        body = client.get("/api/evaluations", {"limit": 7, "cursor": body["next_cursor"]}).json()
        assert body["count"] is None
        seen += [i["id"] for i in body["items"]]
    assert seen == everything
    # the campaign filter (the year read from the campaign) keeps the same order
    campaign = client.get(
        "/api/evaluations", {"campaign": crowded.campaign.pk, "limit": 500}
    ).json()
    assert [i["id"] for i in campaign["items"]] == [
        pk for pk in everything if Evaluation.objects.get(pk=pk).campaign_id == crowded.campaign.pk
    ]


def test_the_stored_year_follows_the_campaign_and_refresh(crowded):
    e = Evaluation.objects.filter(campaign=crowded.campaign).first()
    assert e is not None and e.campaign_year == 2025
    crowded.campaign.year = 2023
    crowded.campaign.save()
    assert Evaluation.objects.get(pk=e.pk).campaign_year == 2023
    Evaluation.objects.filter(pk=e.pk).update(campaign_year=0)
    from jixiao.evaluations.names import refresh_names

    refresh_names(Evaluation.objects.filter(pk=e.pk))
    assert Evaluation.objects.get(pk=e.pk).campaign_year == 2023


def test_the_years_offered_are_those_in_scope(crowded):
    other = f.CampaignFactory.create(bureau=crowded.bureau, year=2019)
    f.EvaluationFactory.create(campaign=other, unit=crowded.foreign_unit)
    assert selectors.list_years(user=crowded.bureau_reviewer) == [2025, 2024, 2019]
    assert selectors.list_years(user=crowded.department_reviewer) == [2025, 2024]
    assert 2019 in selectors.list_years(user=crowded.other_department_reviewer)


def test_mixed_direction_order_is_split_into_index_ranges():
    order = (("a", True), ("b", False), ("c", False))
    parts = keyset.after_parts(order, [2025, "x", 3])
    assert len(parts) == 2  # same a with (b, c) after, then every smaller a
    assert len(keyset.after_parts((("b", False), ("c", False)), ["x", 3])) == 1


def test_status_filter_and_search_match_the_joined_names(crowded):
    Evaluation.objects.filter(unit__name="湛江市单位甲", project_name="项目").update(
        status=Status.SUBMITTED
    )
    shown = selectors.filtered_evaluations(
        user=crowded.bureau_reviewer, status="submitted", q="人力资源"
    )
    assert sorted(e.pk for e in shown) == sorted(
        Evaluation.objects.filter(
            unit__name="湛江市单位甲", project_name="项目", unit__parent__name__contains="人力资源"
        ).values_list("pk", flat=True)
    )
