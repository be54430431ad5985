"""部门绩效管理工作考核 from the stored facts of a year (the arithmetic is scoring's, tested there)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from jixiao.results.assessment import department_ranking
from jixiao.reviews import workflow
from jixiao.reviews.services import draw_sample, record_recheck, transition
from jixiao.testing.factories import PASSWORD


def test_facts_and_ranking(
    world, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer, evaluation_id=e.pk, action=workflow.DEPARTMENT_APPROVE
    )
    transition(
        user=world.bureau_reviewer, evaluation_id=e.pk, action=workflow.BUREAU_RETURN, comment="改"
    )
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer, evaluation_id=e.pk, action=workflow.DEPARTMENT_APPROVE
    )
    draw = draw_sample(user=world.bureau_reviewer, campaign=world.campaign, size=1, seed="x")
    record_recheck(
        user=world.bureau_reviewer,
        recheck_id=draw.rechecks.get().pk,
        score=Decimal("93"),
        opinion="偏高",
    )
    with django_assert_max_num_queries(6):
        ranking = department_ranking(user=world.bureau_admin, year=world.campaign.year)
    by_name = {r.department_name: r for r in ranking}
    mine = by_name[world.department.name].facts
    # world.department has two tasks (unit, other_unit); one handed in on time, none approved yet.
    assert (mine.evaluations, mine.on_time, mine.approved) == (2, 1, 0)
    assert (mine.passed_on, mine.bureau_returned) == (1, 1)
    assert mine.recheck_deviation == Decimal("5.00")  # |98 − 93|
    points = {p.key: p.points for p in by_name[world.department.name].assessment.parts}
    assert points == {
        "timeliness": Decimal("12.50"),
        "completeness": Decimal("0.00"),
        "review_quality": Decimal("0.00"),
        "recheck": Decimal("7.50"),
        "rectification": Decimal("15"),
    }
    assert [r.rank for r in ranking] == list(range(1, len(ranking) + 1))
    assert department_ranking(user=world.department_reviewer, year=world.campaign.year) == []


def test_ranking_page_and_xlsx(client, world):
    assert client.login(username=world.bureau_admin.username, password=PASSWORD)
    page = client.get(reverse("results:assessment") + f"?year={world.campaign.year}")
    assert page.status_code == 200 and world.department.name in page.content.decode()
    response = client.get(reverse("results:assessment_export") + f"?year={world.campaign.year}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "名次")
    assert rows[header][1] == "主管部门" and rows[header][-1] == "总分"
    assert {r[1] for r in rows[header + 1 :]} >= {world.department.name}
