"""The JSON API (django-ninja): the same reads and writes as the pages, through the same selectors
and services, so scope and workflow rules hold here too. Session authentication; writes need the
CSRF token (X-CSRFToken header) like any form. Anything outside the user's scope answers 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Prefetch, Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema
from ninja.responses import Status as Reply
from ninja.security import django_auth

from jixiao.api import schemas as s
from jixiao.api.selectors import (
    campaigns_visible_to,
    get_campaign,
    published_count_query,
    published_evaluations,
)
from jixiao.campaigns.models import Campaign
from jixiao.campaigns.selectors import ProgressFilters, ProgressRow, progress_counts
from jixiao.campaigns.selectors import campaign_progress as campaign_progress_rows
from jixiao.evaluations.history import previous_actuals
from jixiao.evaluations.models import PROGRESS_LABELS, Evaluation, Status
from jixiao.evaluations.ownership import ServerOwnedChange, enforce_server_owned
from jixiao.evaluations.scoring_bridge import Unstorable, is_declaration, parse_data, score_data
from jixiao.evaluations.selectors import (
    LIST_ORDER,
    SORT_COLUMNS,
    counted_matches,
    evaluations_visible_to,
    get_evaluation,
    list_key,
    name_search_q,
)
from jixiao.evaluations.services import EvaluationConflict, NotEditable, save_evaluation_data
from jixiao.organisations.models import User
from jixiao.projects.api import router as projects_router
from jixiao.reviews.models import FrozenDocument
from jixiao.reviews.services import TransitionRefused, transition
from jixiao.web import keyset
from jixiao.web.bounded_numbers import ObjectId, Offset, Year
from scoring import InputError
from scoring.results import Flag, IndicatorResult

api = NinjaAPI(
    title="jixiao API",
    version="1",
    description="预算绩效自评系统的 JSON 接口。登录后使用（会话认证）；写操作须带 CSRF 令牌。"
    "金额、分数和比率均以字符串表示，避免浮点误差。",
    urls_namespace="api",
    auth=django_auth,
)
# 项目库 (#10.1): its own router, beside the app it reads.
api.add_router("/projects", projects_router)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # django_auth let only signed-in users through
    return user


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _iso(value: Any) -> str:
    return timezone.localtime(value).isoformat() if value is not None else ""


def _summary(evaluation: Evaluation) -> dict[str, Any]:
    unit = evaluation.unit
    department = unit.parent
    return {
        "id": evaluation.pk,
        "campaign_id": evaluation.campaign_id,
        "year": evaluation.campaign.year,
        "unit": {"id": unit.pk, "name": unit.name},
        "department": {"id": department.pk, "name": department.name} if department else None,
        "project_name": evaluation.project_name,
        "status": evaluation.status,
        "status_label": str(evaluation.get_status_display()),
        "progress": evaluation.progress,
        "total": _dec(evaluation.total),
        "grade": evaluation.grade,
        "version": evaluation.version,
        "ruleset": evaluation.ruleset_ref,
        "updated_at": _iso(evaluation.updated_at),
    }


MAX_LIMIT = 500


class PageParams(Schema):
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: Offset = Field(0)
    # Keyset pagination (issue 14): the ``next_cursor`` of the page before. Costs the same on the
    # last page of 50,000 rows as on the first; ``offset`` stays for older clients.
    cursor: str | None = Field(None, max_length=keyset.MAX_CURSOR_CHARS)


def _page(
    queryset: Any,
    params: PageParams,
    build: Any,
    order: tuple[tuple[str, bool], ...],
    key: Any,
    small_scope: bool = False,
    whole: Any = None,
    count_of: Any = None,
    known_count: int | None = None,
) -> dict[str, Any]:
    """One page in ``order``: after ``cursor`` (keyset) or at ``offset``, sliced in the database,
    only its rows built; ``next_cursor`` reads the page after it (None on the last page).

    ``count`` (the rows matching) is counted on the first page and on offset pages only; a cursor
    page answers null (issue 14: a count is a pass over the whole scope, 250,000 evaluations for
    a province's bureau, on every page). A client keeps the first page's count. ``count_of``:
    the same rows, counted by a cheaper query (default: ``queryset``); ``known_count``: their
    number, already known (the overview's counters)."""
    if params.offset and not params.cursor:
        names = [f"-{n}" if d else n for n, d in order]
        rows = list(queryset.order_by(*names)[params.offset : params.offset + params.limit + 1])
        more = len(rows) > params.limit
        rows = rows[: params.limit]
        next_cursor = keyset.encode(key(rows[-1])) if more and rows else None
        if whole is not None and rows:  # the page's rows whole, with their joins
            found = whole.in_bulk([row.pk for row in rows])
            rows = [found[row.pk] for row in rows if row.pk in found]
        counted = True
    else:
        page = keyset.paginate(
            queryset,
            order,
            cursor=params.cursor,
            size=params.limit,
            key=key,
            small_scope=small_scope,
            whole=whole,
        )
        rows, next_cursor = page.rows, page.next_cursor
        counted = page.is_first  # an unreadable cursor reads as the first page, counted too
    return {
        "count": (
            None
            if not counted
            else known_count
            if known_count is not None
            else (queryset if count_of is None else count_of).order_by().count()
        ),
        "next_cursor": next_cursor,
        "items": [build(item) for item in rows],
    }


# The order of evaluations_visible_to: newest year, department, unit, project (and the id), on
# the columns stored with each evaluation (the index evaluation_list_order).
EVALUATION_ORDER = LIST_ORDER
_evaluation_key = list_key


class EvaluationFilters(Schema):
    year: Year | None = None
    status: Status | None = None
    campaign: ObjectId | None = None
    grade: str | None = Field(None, max_length=16)
    q: str | None = Field(None, max_length=80, description="单位名称或项目名称包含")


@api.get(
    "/evaluations",
    tags=["绩效自评"],
    response=s.EvaluationPage,
    summary="绩效自评列表（按年度、状态、自评工作筛选）",
)
def list_evaluations(
    request: HttpRequest, filters: Query[EvaluationFilters], page: Query[PageParams]
) -> Any:
    user = _user(request)
    queryset = evaluations_visible_to(user=user).defer("data")
    if filters.year is not None:
        queryset = queryset.filter(campaign_year=filters.year)
    if filters.status is not None:
        queryset = queryset.filter(status=filters.status)
    if filters.campaign is not None:
        # The campaign's year as a constant too: PostgreSQL then reads the order from the
        # campaign's progress index (the year is fixed), not a sort of the campaign's rows.
        year = Campaign.objects.filter(pk=filters.campaign).values_list("year", flat=True).first()
        queryset = queryset.filter(campaign_id=filters.campaign, campaign_year=year or 0)
    if filters.grade:
        queryset = queryset.filter(grade=filters.grade)
    if filters.q:
        queryset = queryset.filter(name_search_q(filters.q, "unit_name", "project_name"))
    # a department's or a unit's rows: found through the units, then sorted (keyset.paginate)
    small = not user.is_bureau_user
    return _page(
        queryset.select_related(None).only(*SORT_COLUMNS),
        page,
        _summary,
        EVALUATION_ORDER,
        _evaluation_key,
        small_scope=small,
        whole=queryset.order_by(),
        # Without a grade or a search the counters know the number (not a pass over every row).
        known_count=None
        if filters.grade or filters.q or (page.cursor and not page.offset)
        else counted_matches(
            user=user,
            year=filters.year,
            status=filters.status or "",
            campaign_id=filters.campaign,
        ),
    )


@api.get(
    "/evaluations/{evaluation_id}",
    tags=["绩效自评"],
    response=s.EvaluationDetail,
    summary="一份绩效自评",
)
def evaluation_detail(request: HttpRequest, evaluation_id: ObjectId) -> dict[str, Any]:
    evaluation = get_evaluation(user=_user(request), evaluation_id=evaluation_id)
    return _summary(evaluation) | {
        "data": evaluation.data,
        "deadline": _iso(evaluation.deadline),
        "is_editable": evaluation.is_editable,
    }


def _flag(flag: Flag) -> dict[str, Any]:
    return {
        "code": str(flag.code),
        "message": flag.message,
        "needs_explanation": flag.needs_explanation,
        "explained": flag.explained,
    }


def _indicator(ind: IndicatorResult) -> dict[str, Any]:
    return {
        "code": ind.code,
        "name": ind.name,
        "level1": ind.level1,
        "level2": ind.level2,
        "kind": ind.kind,
        "direction": ind.direction,
        "unit": ind.unit,
        "target": _dec(ind.target),
        "actual": _dec(ind.actual),
        "completion_rate": _dec(ind.completion_rate),
        "band": ind.band,
        "points": str(ind.points),
        "score": str(ind.score),
        "explanation": ind.explanation,
        "reviewer_deduction": _dec(ind.reviewer_deduction),
        "unit_defined": ind.unit_defined,
        "not_applicable": ind.not_applicable,
        "declared_points": _dec(ind.declared_points),
        "flags": [_flag(f) for f in ind.flags],
    }


@api.get(
    "/evaluations/{evaluation_id}/score",
    tags=["绩效自评"],
    response=s.ScoreOut,
    summary="评分结果：各指标得分、标记、比率、缺项",
)
def evaluation_score(request: HttpRequest, evaluation_id: ObjectId) -> dict[str, Any]:
    evaluation = get_evaluation(user=_user(request), evaluation_id=evaluation_id)
    scored = score_data(evaluation.data, history=previous_actuals(evaluation))
    result = scored.result
    if result is None:
        return {
            "evaluation_id": evaluation.pk,
            "scored": False,
            "ruleset": None,
            "ruleset_name": None,
            "total": None,
            "total_points": None,
            "grade": None,
            "grade_name": None,
            "indicators": [],
            "groups": [],
            "ratios": None,
            "flags": [],
            "problems": list(scored.problems),
            "missing_explanations": [],
        }
    ratios = result.ratios
    return {
        "evaluation_id": evaluation.pk,
        "scored": True,
        "ruleset": result.ruleset_ref,
        "ruleset_name": result.ruleset_name,
        "total": str(result.total),
        "total_points": str(result.total_points),
        "grade": result.grade_label,
        "grade_name": result.grade_name,
        "indicators": [_indicator(i) for i in result.indicators],
        "groups": [
            {"code": g.code, "name": g.name, "points": str(g.points), "score": str(g.score)}
            for g in result.groups
        ],
        "ratios": {
            "execution_rate": _dec(ratios.execution_rate),
            "execution_rate_initial": _dec(ratios.execution_rate_initial),
            "adjustment_rate": _dec(ratios.adjustment_rate),
            "staffing_control_rate": _dec(ratios.staffing_control_rate),
            "completion_rates": {k: str(v) for k, v in ratios.completion_rates.items()},
        },
        "flags": [_flag(f) for f in result.flags],
        "problems": list(result.problems),
        "missing_explanations": list(result.missing_explanations),
    }


@api.put(
    "/evaluations/{evaluation_id}/data",
    tags=["绩效自评"],
    response={
        200: s.SavedOut,
        400: s.ErrorOut,
        409: s.ConflictOut,
        422: s.InvalidDataOut,
    },
    summary="保存自评内容（须带所依据的版本号；版本过期则拒绝）",
)
def save_data(request: HttpRequest, evaluation_id: ObjectId, payload: s.DataIn) -> Any:
    user = _user(request)
    # Out of scope → 404 before anything.
    evaluation = get_evaluation(user=user, evaluation_id=evaluation_id)
    try:
        # The same decision the save makes under its lock, taken first so that the data is
        # checked as it would be stored (the campaign's rule-set, the unit's recorded name).
        data = enforce_server_owned(evaluation=evaluation, data=payload.data)
        if is_declaration(evaluation.data):  # 绩效目标申报: its own model (scoring.targets)
            from jixiao.targets.declarations import parse_declaration

            parse_declaration(data)
        else:
            parse_data(data)
    except ServerOwnedChange as exc:
        return _invalid("自评内容含单位不能修改的项目，未保存", exc.problems)
    except InputError as exc:
        if not payload.draft:
            return _invalid("自评内容有误，未保存", [(p.field, p.message) for p in exc.problems])
    try:
        saved = save_evaluation_data(
            user=user,
            evaluation_id=evaluation_id,
            expected_version=payload.version,
            data=payload.data,
        )
    except EvaluationConflict as exc:
        return Reply(409, {"detail": str(exc), "current_version": exc.current.version})
    except ServerOwnedChange as exc:  # the stored data moved on between the check and the lock
        return _invalid("自评内容含单位不能修改的项目，未保存", exc.problems)
    except Unstorable as exc:  # a draft too: malformed or impossible values, over the limits
        return _invalid("自评内容有误，未保存", [(p.field, p.message) for p in exc.problems])
    except (NotEditable, PermissionError) as exc:
        return Reply(400, {"detail": str(exc), "problems": []})
    return Reply(
        200,
        {
            "id": saved.pk,
            "version": saved.version,
            "total": _dec(saved.total),
            "grade": saved.grade,
            "problems": _saved_problems(saved),
        },
    )


def _saved_problems(saved: Evaluation) -> list[str]:
    if is_declaration(saved.data):  # a declaration is not scored: its blocking checks instead
        from jixiao.targets.declarations import submission_problems

        return submission_problems(saved)
    return list(score_data(saved.data).problems)


def _invalid(detail: str, problems: list[tuple[str, str]]) -> Reply:
    return Reply(
        422, {"detail": detail, "problems": [{"field": f, "message": m} for f, m in problems]}
    )


@api.post(
    "/evaluations/{evaluation_id}/transitions",
    tags=["绩效自评"],
    response={200: s.TransitionOut, 400: s.ErrorOut},
    summary="审核流程操作：submit / department_approve / department_return / bureau_approve / "
    "bureau_return / publish",
)
def post_transition(request: HttpRequest, evaluation_id: ObjectId, payload: s.TransitionIn) -> Any:
    user = _user(request)
    try:
        evaluation = transition(
            user=user,
            evaluation_id=evaluation_id,
            action=payload.action,
            comment=payload.comment,
            section_comments=payload.section_comments,
        )
    except TransitionRefused as exc:
        return Reply(400, {"detail": "操作未执行", "problems": exc.problems})
    return Reply(
        200,
        {
            "id": evaluation.pk,
            "status": evaluation.status,
            "status_label": str(evaluation.get_status_display()),
            "version": evaluation.version,
        },
    )


def _campaign(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "year": campaign.year,
        "title": campaign.title,
        "notice_title": campaign.notice_title,
        "notice_number": campaign.notice_number,
        "kind": campaign.kind,
        "ruleset": campaign.ruleset_ref,
        "deadline": _iso(campaign.deadline),
    }


@api.get("/campaigns", tags=["自评工作"], response=s.CampaignPage, summary="自评工作列表")
def list_campaigns(request: HttpRequest, page: Query[PageParams]) -> Any:
    return _page(
        campaigns_visible_to(user=_user(request)),
        page,
        _campaign,
        (("year", True), ("pk", True)),
        lambda c: [c.year, c.pk],
    )


@api.get(
    "/campaigns/{campaign_id}/progress",
    tags=["自评工作"],
    response=s.ProgressOut,
    summary="自评工作进度：各进度和等级的数量（限于本人可见的单位）",
)
def campaign_progress(request: HttpRequest, campaign_id: ObjectId) -> dict[str, Any]:
    user = _user(request)
    campaign = get_campaign(user=user, campaign_id=campaign_id)
    evaluations = evaluations_visible_to(user=user).filter(campaign=campaign).order_by()
    # SQL aggregates over the stored columns (the same as the progress page's), no row fetched.
    approved = Q(status__in=(Status.APPROVED, Status.PUBLISHED))
    counts = progress_counts(evaluations, timezone.now(), avg=Avg("total", filter=approved))
    grades = dict(
        evaluations.filter(approved)
        .exclude(grade="")
        .values("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )
    average = counts["avg"]
    return {
        "campaign": _campaign(campaign),
        "total": counts["n_all"],
        "overdue": counts["overdue"],
        "progress": {key: counts[key] for key in PROGRESS_LABELS},
        "grades": grades,
        "average_total": None
        if average is None
        else str(Decimal(average).quantize(Decimal("0.01"))),
    }


class TaskFilters(Schema):
    department: ObjectId | None = None
    state: str | None = Field(
        None,
        description="进度：not_started / drafting / submitted / returned / approved / "
        "published，或 overdue（逾期未报送）",
    )
    grade: str | None = Field(None, description="等级：优 / 良 / 中 / 差，或 none（未评级）")
    q: str | None = Field(None, max_length=80, description="单位名称、信用代码或项目名称包含")


class TaskPageParams(Schema):
    limit: int = Field(keyset.DEFAULT_PAGE, ge=1, le=keyset.MAX_PAGE)
    cursor: str | None = Field(None, max_length=keyset.MAX_CURSOR_CHARS)


def _task(row: ProgressRow) -> dict[str, Any]:
    e = row.evaluation
    return _summary(e) | {
        "deadline": _iso(e.deadline),
        "overdue": row.overdue,
        "days_left": row.days_left,
        "execution_rate": _dec(e.execution_rate),
        "over_completions": e.over_completions,
        "over_unexplained": e.over_unexplained,
        "problem_count": e.problem_count,
    }


@api.get(
    "/campaigns/{campaign_id}/tasks",
    tags=["自评工作"],
    response=s.TaskPage,
    summary="自评工作的逐单位进度（按主管部门、进度、等级筛选和搜索；游标分页）",
)
def campaign_tasks(
    request: HttpRequest,
    campaign_id: ObjectId,
    filters: Query[TaskFilters],
    page: Query[TaskPageParams],
) -> dict[str, Any]:
    user = _user(request)
    campaign = get_campaign(user=user, campaign_id=campaign_id)
    wanted = ProgressFilters.from_query(
        {
            "department": filters.department or "",
            "state": filters.state or "",
            "grade": filters.grade or "",
            "q": filters.q or "",
        }
    )
    progress = campaign_progress_rows(
        user=user, campaign=campaign, filters=wanted, cursor=page.cursor, size=page.limit
    )
    return {
        "count": progress.matching,
        "next_cursor": progress.page.next_cursor if progress.page else None,
        "items": [_task(row) for row in progress.rows],
    }


@api.get(
    "/public/reports",
    tags=["公开"],
    auth=None,
    response=s.PublicReportPage,
    summary="已公开的自评报告（无需登录）",
)
def public_reports(request: HttpRequest, page: Query[PageParams], year: Year | None = None) -> Any:
    queryset = published_evaluations(year=year).prefetch_related(
        Prefetch("frozen_documents", queryset=FrozenDocument.objects.defer("content"))
    )
    return _page(
        queryset,
        page,
        _public_report,
        EVALUATION_ORDER,
        _evaluation_key,
        count_of=published_count_query(year=year),
    )


def _public_report(e: Evaluation) -> dict[str, Any]:
    pub: Any = e  # the current publication's fields, annotated (published_evaluations)
    return {
        "id": e.pk,
        "year": e.campaign.year,
        # The names as published (#9.13), not the organisation's current ones.
        "unit": pub.pub_unit_name,
        "department": pub.pub_department_name,
        "project_name": e.project_name,
        "total": str(pub.pub_total),
        "grade": pub.pub_grade,
        "published_at": _iso(pub.pub_published_at),
        "version": pub.pub_version,
        "documents": [
            {
                "format": d.format,
                "filename": d.filename,
                "size": d.size,
                "sha256": d.sha256,
                "sm3": d.sm3,
            }
            for d in e.frozen_documents.all()
        ],
    }


# Routes of other apps, each in its own router (the same auth and error handling).
from jixiao.indicators.api import router as indicators_router  # noqa: E402

api.add_router("/indicators", indicators_router)
from jixiao.monitoring.api import router as monitoring_router  # noqa: E402

api.add_router("/monitoring", monitoring_router)
from jixiao.targets.api import router as targets_router  # noqa: E402

api.add_router("/targets", targets_router)
