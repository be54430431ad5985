"""指标库 routes of the JSON API (mounted at /api/indicators): the same selectors as the pages,
so the same scope rules hold (docs/decisions.md, "指标库"). Figures travel as strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jixiao.indicators import selectors
from jixiao.indicators.models import Indicator
from jixiao.organisations.models import User
from jixiao.web.bounded_numbers import ObjectId, Year
from scoring.benchmark import Summary

router = Router(tags=["指标库"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the API's django_auth let only signed-in users through
    return user


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


class IndicatorOut(Schema):
    id: int
    kind: str
    level1: str
    level2: str
    name: str
    unit: str
    direction: str
    ruleset: str
    code: str
    unit_count: int
    last_year: int | None


class IndicatorPage(Schema):
    items: list[IndicatorOut]
    next: str | None = Field(None, description="下一页的游标（after 参数）；没有下一页时为空")


class SummaryOut(Schema):
    count: int
    units: int
    minimum: str
    q1: str
    median: str
    q3: str
    maximum: str


class BenchmarkOut(Schema):
    years: list[int]
    withheld: bool
    targets: SummaryOut | None
    actuals: SummaryOut | None


class HistoryOut(Schema):
    year: int
    project_name: str
    target_value: str | None
    target_high: str | None
    target_text: str
    actual_value: str | None


class UseOut(Schema):
    year: int
    unit: str
    department: str | None
    project_name: str
    target_value: str | None
    actual_value: str | None


class IndicatorDetailOut(IndicatorOut):
    benchmark: BenchmarkOut
    history: list[HistoryOut]
    uses: list[UseOut]


class SearchParams(Schema):
    q: str = Field("", max_length=100)
    kind: str = Field("", max_length=8)
    level1: str = Field("", max_length=100)
    level2: str = Field("", max_length=100)
    unit: str = Field("", max_length=40, description="计量单位")
    department: ObjectId | None = Field(None, description="主管部门 id（仅财政和主管部门）")
    after: str = Field("", max_length=40)
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=selectors.PAGE_SIZE_MAX)


def _indicator(i: Indicator) -> dict[str, Any]:
    return {
        "id": i.pk,
        "kind": i.kind,
        "level1": i.level1,
        "level2": i.level2,
        "name": i.name,
        "unit": i.measure,
        "direction": i.direction,
        "ruleset": i.ruleset_ref,
        "code": i.code,
        "unit_count": i.unit_count,
        "last_year": i.last_year,
    }


def _summary(s: Summary | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "count": s.count,
        "units": s.units,
        **{k: _dec(getattr(s, k)) for k in ("minimum", "q1", "median", "q3", "maximum")},
    }


@router.get("", response=IndicatorPage, summary="检索指标库（按使用单位数排序，游标分页）")
def search_indicators(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    page = selectors.search(
        user=_user(request),
        filters=selectors.SearchFilters(
            q=params.q.strip(),
            kind=params.kind,
            level1=params.level1.strip(),
            level2=params.level2.strip(),
            measure=params.unit.strip(),
            department_id=params.department,
        ),
        after=selectors.Cursor.parse(params.after),
        size=params.limit,
    )
    return {
        "items": [_indicator(i) for i in page.indicators],
        "next": str(page.next) if page.next else None,
    }


@router.get(
    "/{indicator_id}",
    response=IndicatorDetailOut,
    summary="一个指标：各单位分布，本单位历年情况（单位）或所辖单位的使用情况（财政、主管部门）",
)
def indicator_detail(
    request: HttpRequest, indicator_id: ObjectId, year: Year | None = None
) -> dict[str, Any]:
    d = selectors.indicator_detail(user=_user(request), indicator_id=indicator_id, year=year)
    return _indicator(d.indicator) | {
        "benchmark": {
            "years": list(d.benchmark.years),
            "withheld": d.benchmark.withheld,
            "targets": _summary(d.benchmark.targets),
            "actuals": _summary(d.benchmark.actuals),
        },
        "history": [
            {
                "year": r.year,
                "project_name": r.project_name,
                "target_value": _dec(r.target_value),
                "target_high": _dec(r.target_high),
                "target_text": r.target_text,
                "actual_value": _dec(r.actual_value),
            }
            for r in d.own_history
        ],
        "uses": [
            {
                "year": u.year,
                "unit": u.unit.name,
                "department": u.department.name if u.department else None,
                "project_name": u.project_name,
                "target_value": _dec(u.target_value),
                "actual_value": _dec(u.actual_value),
            }
            for u in d.uses
        ],
    }
