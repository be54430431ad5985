"""JSON API of 绩效运行监控 (added to jixiao.api's NinjaAPI as a router): a report with its figures
and warnings, saving it (version-checked), and the warning list (keyset-paged). Same selectors and
services as the pages; out of scope answers 404. Numbers are strings (exact decimals)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as Reply

from jixiao.evaluations.selectors import get_evaluation
from jixiao.evaluations.services import EvaluationConflict, NotEditable
from jixiao.monitoring import selectors, services
from jixiao.organisations.models import User
from jixiao.web.bounded_numbers import ObjectId
from scoring.monitoring import warning_text

router = Router(tags=["绩效运行监控"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class ReportIn(Schema):
    version: int = Field(ge=0, le=2**31, description="保存所依据的版本号")
    data: dict[str, Any] = Field(description="监控报告内容（scoring.monitoring.MonitoringReport）")


class ProblemsOut(Schema):
    detail: str
    problems: list[str] = []


def _report_out(evaluation: Any) -> dict[str, Any]:
    settings = services.round_of(evaluation.campaign)
    try:
        report = services.validate(evaluation.data)
    except services.MonitoringRefused as exc:
        return {"id": evaluation.pk, "version": evaluation.version, "problems": exc.problems}
    result = services.result_of(evaluation, report)
    return {
        "id": evaluation.pk,
        "campaign_id": evaluation.campaign_id,
        "unit": evaluation.unit.name,
        "project": report.project_name,
        "status": evaluation.status,
        "version": evaluation.version,
        "as_of": settings.as_of.isoformat(),
        "time_progress": _dec(result.time_progress),
        "execution_progress": _dec(result.execution_progress),
        "level": result.level.key,
        "warnings": [
            {
                "level": w.level.key,
                "reason": str(w.reason),
                "target_code": w.target_code,
                "text": warning_text(w),
                "needs_measures": w.needs_measures,
            }
            for w in result.warnings
        ],
        "submission_problems": services.report_problems(evaluation),
        "data": evaluation.data,
    }


REPLIES: dict[int, Any] = {200: dict[str, Any], 404: ProblemsOut}


@router.get(
    "/reports/{evaluation_id}",
    response=REPLIES,
    summary="一份监控报告：内容、进度与预警",
    url_name="monitoring_report",
)
def monitoring_report(request: HttpRequest, evaluation_id: ObjectId) -> Any:
    evaluation = get_evaluation(user=_user(request), evaluation_id=evaluation_id)
    if not services.is_monitoring(evaluation):
        return Reply(404, {"detail": "Not Found", "problems": []})
    return _report_out(evaluation)


@router.put(
    "/reports/{evaluation_id}",
    response={**REPLIES, 400: ProblemsOut, 409: ProblemsOut, 422: ProblemsOut},
    summary="保存监控报告（须带所依据的版本号；版本过期则拒绝，预警同时重算）",
    url_name="monitoring_save",
)
def monitoring_save(request: HttpRequest, evaluation_id: ObjectId, payload: ReportIn) -> Any:
    user = _user(request)
    evaluation = get_evaluation(user=user, evaluation_id=evaluation_id)
    if not services.is_monitoring(evaluation):
        return Reply(404, {"detail": "Not Found", "problems": []})
    try:
        saved = services.save_report(
            user=user,
            evaluation_id=evaluation_id,
            expected_version=payload.version,
            data=payload.data,
        )
    except services.MonitoringRefused as exc:
        return Reply(422, {"detail": "监控报告有误，未保存", "problems": exc.problems})
    except EvaluationConflict as exc:
        return Reply(409, {"detail": str(exc), "problems": []})
    except (NotEditable, PermissionError) as exc:
        return Reply(400, {"detail": str(exc), "problems": []})
    return _report_out(saved)


class WarningQuery(Schema):
    campaign: ObjectId | None = None
    department: ObjectId | None = None
    level: int | None = Field(default=None, ge=1, le=2)
    reason: str = Field(default="", max_length=24)
    sort: str = Field(default="level", max_length=16)
    after: str = Field(default="", max_length=2000, description="上一页返回的 next_cursor")
    limit: int = Field(default=50, ge=1, le=500)


@router.get(
    "/warnings", summary="监控预警清单（筛选、排序、按游标分页）", url_name="monitoring_warnings"
)
def monitoring_warnings(request: HttpRequest, query: Query[WarningQuery]) -> Any:
    user = _user(request)
    filters = selectors.WarningFilter(
        campaign_id=query.campaign,
        department_id=query.department,
        level=query.level,
        reason=query.reason,
        sort=query.sort if query.sort in selectors.SORTS else "level",
    )
    page = selectors.warning_page(user=user, filters=filters, after=query.after, size=query.limit)
    return {
        "count": page.count,
        "red": page.red,
        "yellow": page.yellow,
        "next_cursor": page.next_cursor,
        "items": [
            {
                "id": w.pk,
                "ref": w.source_ref,
                "report_id": w.evaluation_id,
                "report_status": w.evaluation.status,
                "department": w.department_name,
                "unit": w.unit_name,
                "project": w.project_name,
                "target_code": w.target_code,
                "target_name": w.target_name,
                "level": w.level,
                "reason": w.reason,
                "text": w.text,
                "shortfall": _dec(w.shortfall),
                "execution_progress": _dec(w.execution_progress),
                "time_progress": _dec(w.time_progress),
                "completion": _dec(w.completion),
                "has_cause": w.has_cause,
                "has_measures": w.has_measures,
            }
            for w in page.rows
        ],
    }
