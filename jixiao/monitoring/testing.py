"""Test helpers: a monitoring round over the test world (jixiao.conftest.World). Used by the app's
tests, the access matrix and the browser test; never by production code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jixiao.campaigns.models import Campaign, EvaluationKind
from jixiao.evaluations.models import Evaluation
from jixiao.monitoring import services
from jixiao.organisations.models import Organisation, User
from jixiao.projects.models import BudgetLine, Project
from scoring.monitoring import Thresholds


def open_test_round(
    *, bureau_user: User, units: list[Organisation], year: int = 2026, with_project: bool = True
) -> tuple[Campaign, list[Evaluation]]:
    """A July round over ``units``; the first unit gets a registered project with a budget line."""
    if with_project and units:
        unit = units[0]
        project = Project.objects.create(
            unit=unit,
            department=unit.parent,
            year=year,
            code="P001",
            name="职业技能提升行动",
            adjusted_total=Decimal("200"),
            executed_total=Decimal("40"),
        )
        BudgetLine.objects.create(
            unit=unit,
            year=year,
            project=project,
            source="财政拨款",
            adjusted=Decimal("200"),
            executed=Decimal("40"),
        )
    assert bureau_user.organisation is not None
    campaign = Campaign.objects.create(
        bureau=bureau_user.organisation,
        year=year,
        title=f"{year}年7月绩效运行监控",
        notice_title="关于开展绩效运行监控的通知",
        notice_number="测财绩〔2026〕7号",
        kind=EvaluationKind.MONITORING,
        ruleset_ref="",
        deadline=timezone.now() + dt.timedelta(days=30),
        created_by=bureau_user,
    )
    tasks = services.open_round(
        user=bureau_user,
        campaign=campaign,
        as_of=dt.date(year, 7, 31),
        thresholds=Thresholds(),
        units=units,
    )
    return campaign, tasks


def filled(evaluation: Evaluation, **overrides: Any) -> dict[str, Any]:
    """A report with figures: 30% executed at 31 July (red), one target expected at 75% (red)."""
    data: dict[str, Any] = {
        "budget": [{"source": "财政拨款", "adjusted": "100", "executed": "30"}],
        "targets": [
            {"name": "培训人次", "direction": ">=", "value": "1000", "unit": "人次",
             "to_date": "400", "expected": "750"},
            {"name": "鉴定合格率", "direction": ">=", "value": "90", "unit": "%",
             "to_date": "88", "expected": "91"},
        ],
    }  # fmt: skip
    data.update(overrides)
    return data
