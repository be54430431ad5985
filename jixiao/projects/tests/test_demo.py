"""The demo's 项目库: the seed unit and a unit with five projects a year, totals equal to lines."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from jixiao.evaluations.models import Evaluation
from jixiao.projects.models import BudgetLine, Project


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_demo_registers_projects_for_2025_and_2026() -> None:
    call_command("load_demo", stdout=StringIO())
    seed = "湛江市职业技能鉴定指导中心"
    exam = "湛江市教育考试中心"
    by_unit_year = {
        (unit, year): Project.objects.filter(unit__name=unit, year=year).count()
        for unit in (seed, exam)
        for year in (2025, 2026)
    }
    assert by_unit_year == {(seed, 2025): 2, (seed, 2026): 3, (exam, 2025): 5, (exam, 2026): 5}
    for project in Project.objects.all():
        sums = project.budget_lines.aggregate(
            i=Sum("initial"), a=Sum("adjusted"), e=Sum("executed")
        )
        assert (project.initial_total, project.adjusted_total, project.executed_total) == (
            sums["i"],
            sums["a"],
            sums["e"],
        ), project
    line = BudgetLine.objects.get(unit__name=seed, year=2025, project__isnull=True)
    assert (line.initial, line.adjusted) == (Decimal("33.28"), Decimal("38.45"))
    linked = Evaluation.objects.get(unit__name=seed, campaign__kind="project", campaign__year=2025)
    assert linked.project is not None and linked.project.code == "2025-JD-02"
    before = list(Project.objects.values_list("pk", "adjusted_total"))
    call_command("load_demo", stdout=StringIO())
    assert list(Project.objects.values_list("pk", "adjusted_total")) == before
