"""项目库: scoped pages, create and edit with budget lines, stored totals, keyset paging."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.activity.models import Event
from jixiao.projects import selectors, services
from jixiao.projects.models import BudgetLine, Project
from jixiao.projects.services import LineValues, ProjectRefused

D = Decimal


def make_project(world, *, unit=None, code="P001", year=2026, lines=None, user=None):
    unit = unit or world.unit
    return services.save_project(
        user=user or world.bureau_admin,
        project_id=None,
        unit=unit,
        values={"year": year, "code": code, "name": f"项目{code}", "category": "专项业务费"},
        lines=lines
        if lines is not None
        else [
            LineValues("当年财政拨款", D("100.00"), D("120.00"), D("110.50")),
            LineValues("其他资金", D("20.00"), D("20.00"), D("5.25")),
        ],
    )


def assert_totals_match(project: Project) -> None:
    project.refresh_from_db()
    lines = list(BudgetLine.objects.filter(project=project))
    assert project.initial_total == sum((line.initial for line in lines), D(0))
    assert project.adjusted_total == sum((line.adjusted for line in lines), D(0))
    assert project.executed_total == sum((line.executed for line in lines), D(0))


def test_totals_equal_the_sum_of_the_lines_after_every_change(world):
    project = make_project(world, user=world.editor)
    assert (project.initial_total, project.adjusted_total, project.executed_total) == (
        D("120.00"),
        D("140.00"),
        D("115.75"),
    )
    assert_totals_match(project)
    assert project.department == world.department
    # Change one line, drop the other, add a third.
    services.save_project(
        user=world.editor,
        project_id=project.pk,
        unit=None,
        values={"year": 2026, "code": "P001", "name": "改名项目", "category": ""},
        lines=[
            LineValues("当年财政拨款", D("90.00"), D("95.00"), D("94.00")),
            LineValues("上年结转资金", D("3.00"), D("3.00"), D("1.00")),
        ],
    )
    project.refresh_from_db()
    assert project.name == "改名项目"
    assert (project.initial_total, project.adjusted_total, project.executed_total) == (
        D("93.00"),
        D("98.00"),
        D("95.00"),
    )
    assert sorted(project.budget_lines.values_list("source", flat=True)) == [
        "上年结转资金",
        "当年财政拨款",
    ]
    assert_totals_match(project)
    events = list(Event.objects.filter(action__startswith="project.").order_by("pk"))
    assert [e.action for e in events] == ["project.create", "project.update"]
    assert events[1].details["budget_lines"]["其他资金"][1] is None


def test_a_duplicate_code_in_the_same_unit_and_year_is_refused_and_nothing_changes(world):
    make_project(world)
    before = Project.objects.count(), BudgetLine.objects.count()
    with pytest.raises(ProjectRefused, match="已有编码为 P001"):
        make_project(world)
    assert (Project.objects.count(), BudgetLine.objects.count()) == before
    make_project(world, year=2025)  # another year is another registration
    make_project(world, unit=world.other_unit)  # another unit too


def test_only_own_unit_editors_and_the_bureau_admin_may_write(world):
    with pytest.raises(Http404):  # not in scope
        make_project(world, unit=world.unit, user=world.other_editor)
    with pytest.raises(ProjectRefused):  # sees it, reads only
        make_project(world, unit=world.unit, user=world.department_reviewer)
    with pytest.raises(ProjectRefused):
        make_project(world, unit=world.unit, user=world.bureau_reviewer)
    assert not Project.objects.exists()
    make_project(world, unit=world.unit, user=world.head)
    make_project(world, unit=world.foreign_unit, user=world.bureau_admin)


def test_another_units_project_answers_404(world, client: Client):
    own = make_project(world)
    other = make_project(world, unit=world.other_unit)
    foreign = make_project(world, unit=world.foreign_unit)
    client.force_login(world.editor)
    assert client.get(reverse("projects:detail", args=[own.pk])).status_code == 200
    for project in (other, foreign):
        assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404
        assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 404
        response = client.post(
            reverse("projects:edit", args=[project.pk]), {"name": "x", "code": "x", "year": 2026}
        )
        assert response.status_code == 404
    assert client.get(reverse("projects:unit_budget", args=[world.other_unit.pk])).status_code == (
        404
    )
    client.force_login(world.department_reviewer)
    assert client.get(reverse("projects:detail", args=[other.pk])).status_code == 200
    assert client.get(reverse("projects:detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("projects:edit", args=[own.pk])).status_code == 404
    # The list shows only what is in scope.
    client.force_login(world.editor)
    body = client.get(reverse("projects:list")).content.decode()
    assert own.name in body
    assert reverse("projects:detail", args=[other.pk]) not in body
    assert reverse("projects:detail", args=[foreign.pk]) not in body


def test_edit_page_saves_the_project_and_its_lines(world, client: Client):
    project = make_project(world)
    client.force_login(world.editor)
    data = {
        "year": "2026",
        "code": "P001",
        "name": "新名称",
        "category": "专项业务费",
        "period_start": "2025",
        "period_end": "2027",
        "is_active": "on",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-source": "当年财政拨款",
        "lines-0-initial": "1,200.50",  # typed numbers are read by scoring.numbers
        "lines-0-adjusted": "",
        "lines-0-executed": "１００",
        "lines-1-source": "",
    }
    response = client.post(reverse("projects:edit", args=[project.pk]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.period_start, project.period_end) == ("新名称", 2025, 2027)
    assert (project.initial_total, project.adjusted_total, project.executed_total) == (
        D("1200.50"),
        D("1200.50"),
        D("100.00"),
    )
    # A malformed amount is refused and nothing changes.
    response = client.post(
        reverse("projects:edit", args=[project.pk]), data | {"lines-0-initial": "33,28"}
    )
    assert response.status_code == 400
    assert "逗号不能作小数点" in response.content.decode()
    project.refresh_from_db()
    assert project.initial_total == D("1200.50")


def test_unit_budget_lines_have_no_project_and_are_per_year(world, client: Client):
    make_project(world)
    client.force_login(world.head)
    url = reverse("projects:unit_budget", args=[world.unit.pk]) + "?year=2026"
    response = client.post(
        url,
        {
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-source": "当年财政拨款",
            "lines-0-initial": "33.28",
            "lines-0-adjusted": "38.45",
            "lines-0-executed": "38.45",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(project__isnull=True)
    assert (line.unit, line.year, line.initial, line.adjusted) == (
        world.unit,
        2026,
        D("33.28"),
        D("38.45"),
    )
    page = client.get(url).content.decode()
    assert "33.28" in page and "项目P001" in page
    # A department reviewer reads it but may not change it.
    client.force_login(world.department_reviewer)
    assert client.get(url).status_code == 200
    assert client.post(url, {"lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0"}).status_code == (
        403
    )
    assert BudgetLine.objects.filter(project__isnull=True).count() == 1


def test_list_filters_and_keyset_paging(world):
    for n in range(7):
        make_project(
            world,
            code=f"P{n:03d}",
            lines=[LineValues("当年财政拨款", D(n * 10), D(n * 10), D(0))],
        )
    make_project(world, code="Q001", year=2025, lines=[])
    user = world.editor
    filters = selectors.ProjectFilter()
    first = selectors.project_page(user=user, filters=filters, size=3)
    assert [p.code for p in first.projects] == ["P000", "P001", "P002"]
    assert first.previous_before is None
    second = selectors.project_page(user=user, filters=filters, after=first.next_after, size=3)
    assert [p.code for p in second.projects] == ["P003", "P004", "P005"]
    third = selectors.project_page(user=user, filters=filters, after=second.next_after, size=3)
    assert [(p.year, p.code) for p in third.projects] == [(2026, "P006"), (2025, "Q001")]
    assert third.next_after is None
    back = selectors.project_page(user=user, filters=filters, before=third.previous_before, size=3)
    assert [p.code for p in back.projects] == ["P003", "P004", "P005"]
    amount = selectors.ProjectFilter(year=2026, min_amount=D(20), max_amount=D(40))
    assert [p.code for p in selectors.project_page(user=user, filters=amount).projects] == [
        "P002",
        "P003",
        "P004",
    ]
    search = selectors.ProjectFilter(q="q00")
    assert [p.code for p in selectors.project_page(user=user, filters=search).projects] == ["Q001"]
    # A cursor outside the user's scope is the first page.
    foreign = make_project(world, unit=world.foreign_unit, code="F1")
    assert [
        p.code
        for p in selectors.project_page(
            user=user, filters=filters, after=foreign.pk, size=3
        ).projects
    ] == ["P000", "P001", "P002"]


def test_keyset_walk_with_ties_on_year_and_code_forwards_and_back(world):
    """Three units share codes within a year (the register is unique per unit): pages of 2
    forwards, then backwards, each project once, in (year desc, code, id) order."""
    made = [
        make_project(world, unit=unit, code=code, year=year, lines=[])
        for year in (2026, 2025)
        for code in ("K1", "K2")
        for unit in (world.unit, world.other_unit, world.foreign_unit)
    ]
    expected = [p.pk for p in sorted(made, key=lambda p: (-p.year, p.code, p.pk))]
    user, filters = world.bureau_reviewer, selectors.ProjectFilter()
    seen: list[int] = []
    page = selectors.project_page(user=user, filters=filters, size=2)
    pages = [page]
    while True:
        seen += [p.pk for p in page.projects]
        if page.next_after is None:
            break
        page = selectors.project_page(user=user, filters=filters, after=page.next_after, size=2)
        pages.append(page)
    assert seen == expected
    back: list[int] = []
    page = pages[-1]
    while page.previous_before is not None:
        page = selectors.project_page(
            user=user, filters=filters, before=page.previous_before, size=2
        )
        back = [p.pk for p in page.projects] + back
    assert back + [p.pk for p in pages[-1].projects] == expected


def test_categories_are_read_as_categories_not_as_every_project(world):
    """The model's default order made DISTINCT run over every project (200,000 rows to Python
    at 50,000 units); the categories query reads the category column alone, without a join."""
    make_project(world, code="C1")
    make_project(world, code="C2", unit=world.other_unit)
    with CaptureQueriesContext(connection) as captured:
        found = selectors.categories(user=world.bureau_reviewer)
    assert found == ["专项业务费"]
    (query,) = captured.captured_queries
    assert "JOIN" not in query["sql"] and "ORDER BY" not in query["sql"]


def test_list_page_query_count_does_not_grow_with_rows(world, client: Client):
    client.force_login(world.bureau_admin)
    make_project(world, code="A1")
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("projects:list")).status_code == 200
    for n in range(20):
        make_project(world, code=f"B{n}", unit=world.foreign_unit)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    assert len(many) == len(few)
    assert "B19" in response.content.decode()


def test_the_menu_offers_the_register_to_every_role_of_an_organisation(world, client: Client):
    link = f'href="{reverse("projects:list")}"'
    assert link not in client.get(reverse("portal:index")).content.decode()
    for user in (world.editor, world.department_reviewer, world.bureau_reviewer):
        client.force_login(user)
        assert link in client.get(reverse("home")).content.decode()
