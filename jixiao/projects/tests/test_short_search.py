"""项目库 searches of one or two characters (教育, 卫生): the same projects as icontains on every
backend, within the person's scope; on PostgreSQL through the stored grams columns of the
project's name and code (projects 0004), which a trigram index cannot replace for so short a
term (issue 14)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from jixiao.projects import selectors
from jixiao.projects.models import Project
from jixiao.web import trigram

pytestmark = pytest.mark.django_db

NAMES = [
    ("JY01", "教育经费补助"),
    ("WS01", "公共卫生服务"),
    ("ab_1", "Zhanjiang ABC 中心"),
    ("P100", "100%完成率奖励"),
    ("JY02", "职业教育"),
]
TERMS = ["教育", "卫", "育经", "abc", "AB", "b", "_", "%", "b_", "0%", "JY", "y0", "1", "无此"]


@pytest.fixture
def projects(world):
    made = [
        Project.objects.create(unit=world.unit, year=2026, code=code, name=name)
        for code, name in NAMES
    ]
    # Another department's unit: a department reviewer of world.department never finds it.
    made.append(
        Project.objects.create(unit=world.foreign_unit, year=2026, code="JY09", name="教育设施")
    )
    return made


def expected(term: str, projects: list[Project]) -> set[int]:
    return {
        p.pk for p in projects if term.lower() in p.name.lower() or term.lower() in p.code.lower()
    }


@pytest.mark.parametrize("rare_limit", [20_000, 0])  # 0: every term takes the "common" path
def test_short_terms_find_what_icontains_finds_in_scope(world, projects, monkeypatch, rare_limit):
    monkeypatch.setattr(trigram, "RARE_TERM_ROWS", rare_limit)
    for term in TERMS:
        found = {
            p.pk
            for p in selectors.filtered_projects(
                user=world.bureau_admin, filters=selectors.ProjectFilter(q=term)
            )
        }
        assert found == expected(term, projects), term
    reviewer = world.user("department_reviewer")
    codes = {
        p.code
        for p in selectors.filtered_projects(
            user=reviewer, filters=selectors.ProjectFilter(q="教育")
        )
    }
    assert codes == {"JY01", "JY02"}


def test_the_list_page_finds_a_two_character_term(world, projects, client):
    client.force_login(world.bureau_admin)
    page = client.get(reverse("projects:list"), {"q": "卫生"}).content.decode()
    assert "公共卫生服务" in page and "教育经费补助" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the grams columns are PostgreSQL's")
def test_a_short_term_is_served_by_the_grams_index(world, projects):
    from django.contrib.postgres.lookups import DataContains

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'projects_project' AND column_name LIKE '%%_grams'"
        )
        assert {r[0] for r in cursor.fetchall()} == {"name_grams", "code_grams"}
        # A write keeps the column: the database generates it from the name.
        Project.objects.filter(pk=projects[1].pk).update(name="基本公共卫生")
        cursor.execute("SELECT name_grams FROM projects_project WHERE id = %s", [projects[1].pk])
        assert {"基本", "卫生", "卫"} <= set(cursor.fetchone()[0])
        cursor.execute("SET LOCAL enable_seqscan = off")
        lookup = Project.objects.filter(
            DataContains(trigram._GramsOf("name"), trigram._UpperArray("教育"))
        ).values("pk")
        sql, params = lookup.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cursor.fetchall())
    assert "projects_project_name_grams" in plan
