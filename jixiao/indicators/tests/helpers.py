"""Building declarations and uses for the 指标库 tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.campaigns.models import Campaign, EvaluationKind
from jixiao.evaluations.models import Evaluation, Status
from jixiao.indicators.models import Indicator, IndicatorKind, IndicatorUse
from jixiao.organisations.models import Organisation
from jixiao.testing import factories as f
from scoring.indicator_library import measure_key, name_key


def target(code: str, name: str, value: Any, unit: str = "人次", **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "level1": extra.pop("level1", "产出指标"),
        "level2": extra.pop("level2", "数量指标"),
        "name": name,
        "direction": extra.pop("direction", ">="),
        "value": value,
        "unit": unit,
        "weight": extra.pop("weight", 10),
        **extra,
    }


def declaration(
    unit: Organisation,
    year: int,
    targets: list[dict[str, Any]],
    *,
    status: str = Status.APPROVED,
    campaign: Campaign | None = None,
    project_name: str = "",
) -> Evaluation:
    campaign = campaign or f.CampaignFactory.create(
        year=year, kind=EvaluationKind.TARGETS, title=f"{year}年度绩效目标申报"
    )
    return Evaluation.objects.create(
        campaign=campaign,
        unit=unit,
        project_name=project_name,
        status=status,
        ruleset_ref=campaign.ruleset_ref,
        data={"scope": "department", "year": year, "targets": targets},
        version=1,
    )


def use(
    unit: Organisation,
    year: int,
    name: str,
    value: Any,
    *,
    measure: str = "人次",
    actual: Any = None,
    scope: str = "",
) -> IndicatorUse:
    """A use stored directly (as the bench does), with its 个性指标 entry."""
    indicator, _ = Indicator.objects.get_or_create(
        kind=IndicatorKind.CUSTOM,
        level1="产出指标",
        level2="数量指标",
        name_key=name_key(name),
        measure_key=measure_key(measure),
        defaults={"name": name, "measure": measure, "direction": ">="},
    )
    row = IndicatorUse.objects.create(
        indicator=indicator,
        unit=unit,
        department=unit.parent,
        year=year,
        scope_key=scope,
        level1="产出指标",
        level2="数量指标",
        name=name,
        name_key=name_key(name),
        measure=measure,
        measure_key=measure_key(measure),
        direction=">=",
        target_value=None if value is None else Decimal(str(value)),
        actual_value=None if actual is None else Decimal(str(actual)),
    )
    from jixiao.indicators.services import recount

    recount([indicator.pk])
    return row
