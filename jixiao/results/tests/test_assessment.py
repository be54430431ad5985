"""部门绩效管理工作考核 from the stored facts of a year (the arithmetic is scoring's, tested there)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from jixiao.jobs.models import Job
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
    with django_assert_max_num_queries(7):
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


def test_ranking_page_and_xlsx(client, world, django_capture_on_commit_callbacks):
    assert client.login(username=world.bureau_admin.username, password=PASSWORD)
    url = reverse("results:assessment") + f"?year={world.campaign.year}"
    # Never computed: the page says so and offers the job; the xlsx sends back to it.
    page = client.get(url)
    assert page.status_code == 200 and page.context["snapshot"] is None
    assert (
        "尚未计算" in page.content.decode() and world.department.name not in page.content.decode()
    )
    early = client.get(reverse("results:assessment_export") + f"?year={world.campaign.year}")
    assert early.status_code == 302 and early["Location"].endswith(url)
    with django_capture_on_commit_callbacks(execute=True):  # the job, after the commit
        started = client.post(reverse("results:assessment_compute"), {"year": world.campaign.year})
    job = Job.objects.get(kind="results.assessment")
    assert started["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.state == "done"
    page = client.get(url)
    assert page.context["snapshot"].computed_by == world.bureau_admin
    assert world.department.name in page.content.decode()
    assert [r.facts for r in page.context["ranking"]] == [
        r.facts for r in department_ranking(user=world.bureau_admin, year=world.campaign.year)
    ]
    response = client.get(reverse("results:assessment_export") + f"?year={world.campaign.year}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "名次")
    assert rows[header][1] == "主管部门" and rows[header][-1] == "总分"
    assert {r[1] for r in rows[header + 1 :]} >= {world.department.name}


def _audit(evaluation, user, *, errors, at):
    from jixiao.audit.models import AuditedFile
    from jixiao.jobs.models import Job

    job = Job.objects.create(kind="audit.campaign", title="审查", requested_by=user, state="done")
    return AuditedFile.objects.create(
        job=job, position=0, name="报告.docx", status=AuditedFile.Status.AUDITED,
        level="error" if errors else "clean", errors=errors, evaluation=evaluation,
        campaign=evaluation.campaign, requested_by=user, organisation=user.organisation,
        audited_at=at,
    )  # fmt: skip


def test_audit_errors_found_after_approval_count_against_review_quality(world):
    """审核质量 counts an evaluation the department passed on and the bureau approved, in which
    the newest audit made after the approval found errors; audits before the approval, and an
    error corrected by a later clean audit, do not count."""
    from datetime import timedelta

    from django.utils import timezone

    from jixiao.organisations.models import Role
    from jixiao.testing.factories import UserFactory

    e, other = world.evaluation, world.other_evaluation
    other_head = UserFactory.create(
        username="other_head", role=Role.UNIT_HEAD, organisation=world.other_unit
    )
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(user=other_head, evaluation_id=other.pk, action=workflow.SUBMIT)
    for evaluation in (e, other):
        transition(
            user=world.department_reviewer,
            evaluation_id=evaluation.pk,
            action=workflow.DEPARTMENT_APPROVE,
        )
        transition(
            user=world.bureau_reviewer, evaluation_id=evaluation.pk, action=workflow.BUREAU_APPROVE
        )
    now = timezone.now()
    _audit(e, world.bureau_reviewer, errors=4, at=now - timedelta(days=30))  # before approval
    _audit(e, world.bureau_reviewer, errors=3, at=now + timedelta(minutes=1))  # found later
    _audit(other, world.bureau_reviewer, errors=2, at=now + timedelta(minutes=1))
    _audit(other, world.bureau_reviewer, errors=0, at=now + timedelta(minutes=2))  # newest: clean

    ranking = department_ranking(user=world.bureau_admin, year=world.campaign.year)
    mine = next(r for r in ranking if r.department_name == world.department.name)
    assert (mine.facts.passed_on, mine.facts.bureau_returned) == (2, 0)
    assert (mine.facts.audit_flawed_later, mine.facts.audit_errors_later) == (1, 3)
    points = {p.key: p.points for p in mine.assessment.parts}
    assert points["review_quality"] == Decimal("10.00")  # 1 of 2 clean × 20


def test_the_ranking_reads_aggregates_whatever_the_number_of_evaluations(world):
    """Province scale (issue 14): the facts are aggregates grouped by department — the same
    queries, of the same total length, for 3 evaluations or 33 (no list of every evaluation's id sent
    back to the database, nothing decoded per evaluation)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jixiao.testing import factories as f

    def measured() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            department_ranking(user=world.bureau_admin, year=world.campaign.year)
        return len(captured.captured_queries), sum(len(q["sql"]) for q in captured)

    transition(user=world.head, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    few = measured()
    for _n in range(30):
        unit = f.UnitFactory.create(parent=world.department)
        f.EvaluationFactory.create(campaign=world.campaign, unit=unit)
    many = measured()
    assert many[0] == few[0]
    assert abs(many[1] - few[1]) < 10
    ranking = department_ranking(user=world.bureau_admin, year=world.campaign.year)
    mine = next(r for r in ranking if r.department_name == world.department.name)
    assert (mine.facts.evaluations, mine.facts.on_time) == (32, 1)


def test_the_stored_ranking_is_the_bureaus_and_follows_the_refresh(
    client, world, django_capture_on_commit_callbacks
):
    from jixiao.results.assessment import stored_ranking
    from jixiao.results.services import request_refresh

    year = world.campaign.year
    assert stored_ranking(user=world.bureau_admin, year=year).snapshot is None
    with django_capture_on_commit_callbacks(execute=True):
        request_refresh(user=world.bureau_admin, year=year)  # the 结果应用 refresh computes it too
    stored = stored_ranking(user=world.bureau_admin, year=year)
    assert stored.snapshot is not None and stored.ranking
    assert stored_ranking(user=world.department_reviewer, year=year).ranking == []
    assert client.login(username=world.department_reviewer.username, password=PASSWORD)
    refused = client.post(reverse("results:assessment_compute"), {"year": year})
    assert refused.status_code == 404
    assert Job.objects.filter(kind="results.assessment").count() == 0


def test_the_demo_has_its_assessment_computed(db):
    """`make run`'s demo opens 部门考核 on figures, not on 尚未计算: load_demo computes each
    year's snapshot as the 结果应用 refresh does, equal to a computation now."""
    from io import StringIO

    from django.core.management import call_command

    from jixiao.organisations.models import User
    from jixiao.results.assessment import stored_ranking

    call_command("load_demo", stdout=StringIO())
    admin = User.objects.get(username="bureau_admin")
    for year in (2024, 2025):
        stored = stored_ranking(user=admin, year=year)
        assert stored.snapshot is not None and stored.ranking, year
        assert [r.facts for r in stored.ranking] == [
            r.facts for r in department_ranking(user=admin, year=year)
        ]
