"""load_demo: the demo city through the real services, idempotent."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation
from jixiao.organisations.credit_code import credit_code_problem
from jixiao.organisations.models import Organisation, User
from jixiao.reviews.models import FrozenDocument, Publication, Recheck, SampleDraw, Transition
from jixiao.targets.selectors import targets_in_force
from jixiao.web.management.demo_data import DEMO_PASSWORD


def _state() -> dict[str, object]:
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "campaigns": Campaign.objects.count(),
        "evaluations": list(
            Evaluation.objects.order_by("pk").values_list("pk", "status", "version", "total")
        ),
        "transitions": Transition.objects.count(),
        "frozen": FrozenDocument.objects.count(),
        "publications": Publication.objects.count(),
        "draws": SampleDraw.objects.count(),
        "rechecks": list(Recheck.objects.values_list("pk", "score")),
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_load_demo_twice_builds_the_designed_city_and_changes_nothing_the_second_time() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = _state()
    # The overview's counters, kept by triggers through every path the loader takes, equal the
    # evaluations; the overview read from them equals the direct aggregate for every role.
    from jixiao.campaigns.selectors import overview_choices
    from jixiao.evaluations import counters
    from jixiao.evaluations.tests.test_counters import assert_overviews_agree

    assert counters.drift() == []
    for username in ("bureau_reviewer", "dept_reviewer"):
        user = User.objects.get(username=username)
        campaigns = [c for _y, group in overview_choices(user=user) for c in group]
        assert_overviews_agree([user], campaigns)
    second_out = StringIO()
    call_command("load_demo", stdout=second_out)
    assert _state() == first
    assert "演示数据已存在，未做改动" in second_out.getvalue()
    assert "bureau_admin" in out.getvalue() and DEMO_PASSWORD in out.getvalue()

    seed = Evaluation.objects.get(
        campaign__year=2025, campaign__kind="department", unit__name="湛江市职业技能鉴定指导中心"
    )
    assert (seed.status, seed.total, seed.grade) == ("published", Decimal("98.00"), "优")
    assert sorted(seed.frozen_documents.values_list("format", flat=True)) == [
        "data.xlsx",
        "docx",
        "pdf",
        "scoring.xlsx",
    ]
    assert list(seed.transitions.values_list("action", flat=True)) == [
        "submit",
        "department_approve",
        "bureau_approve",
        "publish",
    ]

    progress_2025 = Counter(
        e.progress
        for e in Evaluation.objects.filter(campaign__year=2025, campaign__kind="department")
    )
    assert progress_2025 == {
        "not_started": 2,
        "drafting": 3,
        "submitted": 4,  # 2 awaiting the department, 2 awaiting the bureau
        "returned": 2,
        "approved": 1,
        "published": 2,
    }
    status_2025 = Counter(
        Evaluation.objects.filter(campaign__year=2025, campaign__kind="department").values_list(
            "status", flat=True
        )
    )
    assert status_2025 == {
        "draft": 5,
        "submitted": 2,
        "department_approved": 2,
        "returned": 2,
        "approved": 1,
        "published": 2,
    }
    assert Counter(
        Evaluation.objects.filter(campaign__year=2024).values_list("status", flat=True)
    ) == {"published": 3}
    grades = set(
        Evaluation.objects.filter(campaign__year=2025)
        .exclude(status="draft")
        .values_list("grade", flat=True)
    )
    assert grades == {"优", "良", "中", "差"}
    # 6 approved or published evaluations, 4 documents each, and the approved FY2026 绩效目标表
    # (xlsx and pdf) of the seed unit and of every registered project: the PDF budget the demo needs.
    declarations = Evaluation.objects.filter(campaign__kind="targets", status="approved").count()
    assert FrozenDocument.objects.count() == 24 + 2 * declarations
    returned = Transition.objects.filter(
        action__in=["department_return", "bureau_return"], evaluation__campaign__year=2025
    )
    assert [sorted(t.section_comments) for t in returned.order_by("pk")] == [
        ["budget", "targets"],
        ["budget", "problems"],
    ]
    # FY2026 targets (issue 10): the seed unit's declared, returned, raised, approved, adjusted.
    declaration = Evaluation.objects.get(
        campaign__kind="targets", unit=seed.unit, project__isnull=True
    )
    assert declaration.status == "approved"
    assert list(declaration.transitions.values_list("action", flat=True)) == [
        "submit",
        "department_return",
        "submit",
        "department_approve",
        "bureau_approve",
    ]
    in_force = targets_in_force(unit_id=seed.unit_id, year=2026, project_id=None)
    assert in_force is not None and in_force.adjustment is not None
    assert [(t["code"], t["value"]) for t in in_force.data["targets"]][:2] == [
        ("T1", "18000"),  # 12000 in 2025, completed at 158.08 %: raised toward the 18969 reached
        ("T2", "5500"),  # 调整1: 4400 → 5500
    ]
    assert Evaluation.objects.filter(campaign__kind="targets", project__isnull=True).count() == 14
    # A unit with several projects, each with its approved targets (项目库 → 绩效目标申报).
    exam_projects = Evaluation.objects.filter(
        campaign__kind="targets", unit__name="湛江市教育考试中心", project__isnull=False
    )
    assert exam_projects.count() == 5
    assert set(exam_projects.values_list("status", flat=True)) == {"approved"}
    # The seed unit's project self-evaluation is a draft in progress: one actual still to fill.
    project = Evaluation.objects.get(campaign__kind="project")
    assert (project.unit_id, project.project_name, project.status) == (
        seed.unit_id,
        "职业技能等级认定质量督导专项",
        "draft",
    )
    assert project.total is None and project.first_saved_at is not None
    assert project.data["ruleset"] == "national-project@2020.1"
    assert Recheck.objects.count() == 3
    assert Recheck.objects.exclude(score=None).count() == 1

    for org in Organisation.objects.exclude(credit_code=None):
        assert credit_code_problem(org.credit_code or "") is None, org.name
    seed_unit = Organisation.objects.get(name="湛江市职业技能鉴定指导中心")
    assert (seed_unit.staffing_quota, seed_unit.staff_actual, seed_unit.unit_type) == (
        7,
        5,
        "公益二类事业单位",
    )
    for username in (
        "unit_editor",
        "unit_head",
        "dept_reviewer",
        "bureau_reviewer",
        "bureau_admin",
    ):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_demo_only_publishes_what_the_system_would_let_through() -> None:
    """Issue 8.16: every demo evaluation past 填报 (submitted, approved, published) passes the
    submission check as it stands, and none shows an explanation as still to be written."""
    from jixiao.evaluations.scoring_bridge import score_data
    from jixiao.reviews.services import submission_problems

    call_command("load_demo", stdout=StringIO())
    # Self-evaluations: a declaration has no score (its checks are in submission_problems).
    past_entry = Evaluation.objects.exclude(status__in=["draft", "returned"]).exclude(
        campaign__kind="targets"
    )
    for declaration in Evaluation.objects.filter(campaign__kind="targets", status="approved"):
        assert submission_problems(declaration) == [], declaration.unit.name
    assert past_entry.filter(status="published").count() >= 4
    for evaluation in past_entry:
        where = f"{evaluation.unit.name} {evaluation.campaign.year} {evaluation.status}"
        assert submission_problems(evaluation) == [], where
        if evaluation.campaign.kind == "monitoring":  # not scored (jixiao.monitoring)
            continue
        result = score_data(evaluation.data).result
        assert result is not None, where
        flags = list(result.flags) + [f for i in result.indicators for f in i.flags]
        open_words = [f.message for f in flags if "须填写" in f.message or "须说明" in f.message]
        assert open_words == [], where
