"""项目库 in the JSON API: scoped, cursor-paged with a maximum page size, amounts as strings."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from jixiao.projects.services import LineValues
from jixiao.projects.tests.test_register import make_project

D = Decimal


def test_the_list_pages_with_a_cursor_and_refuses_a_page_over_the_maximum(world, client: Client):
    for n in range(5):
        make_project(world, code=f"P{n}", lines=[LineValues("当年财政拨款", D(n), D(n), D(0))])
    make_project(world, code="F1", unit=world.foreign_unit)
    client.force_login(world.editor)
    seen: list[str] = []
    cursor = None
    for _ in range(3):
        url = "/api/projects?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        seen += [item["code"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ["P0", "P1", "P2", "P3", "P4"]  # the other department's project is not there
    assert cursor is None
    assert client.get("/api/projects?limit=201").status_code == 422
    assert client.get("/api/projects?limit=0").status_code == 422
    body = client.get("/api/projects?min_amount=3").json()
    assert [item["code"] for item in body["items"]] == ["P3", "P4"]
    assert body["items"][0]["adjusted_total"] == "3.00"
    assert body["items"][0]["unit"] == {"id": world.unit.pk, "name": world.unit.name}


def test_detail_is_scoped_and_lists_the_budget_lines(world, client: Client):
    own = make_project(world)
    foreign = make_project(world, unit=world.foreign_unit)
    client.force_login(world.department_reviewer)
    body = client.get(f"/api/projects/{own.pk}").json()
    assert body["budget_lines"] == [
        {"source": "其他资金", "initial": "20.00", "adjusted": "20.00", "executed": "5.25"},
        {"source": "当年财政拨款", "initial": "100.00", "adjusted": "120.00", "executed": "110.50"},
    ]
    assert body["initial_total"] == "120.00"
    assert client.get(f"/api/projects/{foreign.pk}").status_code == 404
    client.logout()
    assert client.get(f"/api/projects/{own.pk}").status_code == 401
