"""绩效运行监控 pages: a report (entry, warnings, review), its 绩效监控表 (xlsx, pdf), the upload of a
filled-in workbook, the round's settings, and the city-wide warning list with its export.

Views stay thin: reads go through selectors (scoped; not yours → 404), writes through services.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.activity.texts import log_text
from jixiao.campaigns.models import Campaign, EvaluationKind
from jixiao.evaluations.list_export import EXPORT_LIMIT, xlsx_response
from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.selectors import days_left, get_evaluation
from jixiao.evaluations.services import EDITOR_ROLES, EvaluationConflict, NotEditable
from jixiao.jobs.services import create_job
from jixiao.monitoring import documents, export, selectors, services
from jixiao.monitoring.forms import (
    BLANK_BUDGET_ROWS,
    BLANK_TARGET_ROWS,
    ImportForm,
    posted_report,
    posted_version,
)
from jixiao.monitoring.models import WarningLevel, WarningReason
from jixiao.organisations.models import User
from jixiao.web.bounded_numbers import query_id
from scoring.monitoring import (
    LIKELIHOOD_LABELS,
    Level,
    MonitoringReport,
    Thresholds,
    evaluate,
    execution_progress,
)
from scoring.rounding import format_percent
from scoring.ruleset import Direction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _report_of(user: User, pk: int) -> Evaluation:
    evaluation = get_evaluation(user=user, evaluation_id=pk)
    if not services.is_monitoring(evaluation):
        raise Http404
    return evaluation


def _pct(value: Decimal | None) -> str:
    return format_percent(value) if value is not None else "—"


def _report_or_blank(data: dict[str, Any]) -> MonitoringReport:
    try:
        return services.validate(data)
    except services.MonitoringRefused:
        return services.validate({k: data[k] for k in services.SERVER_OWNED if k in data})


def _page_context(
    request: HttpRequest,
    evaluation: Evaluation,
    *,
    data: dict[str, Any],
    problems: list[str] | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    user = _user(request)
    settings = services.round_of(evaluation.campaign)
    thresholds = settings.thresholds
    report = _report_or_blank(data)
    result = evaluate(report, as_of=settings.as_of, thresholds=thresholds)
    editable = user.role in EDITOR_ROLES and evaluation.is_editable
    by_code = result.target_by_code
    budget_rows = [
        {
            "source": r.source,
            "adjusted": r.adjusted,
            "executed": r.executed,
            "progress": _pct(execution_progress(r.executed, r.adjusted)),
        }
        for r in report.budget
    ]
    if editable:
        budget_rows += [{"source": "", "adjusted": None, "executed": None, "progress": ""}] * (
            BLANK_BUDGET_ROWS
        )
    targets: list[dict[str, Any]] = []
    for r in report.targets:
        got = by_code.get(r.code)
        targets.append(
            {
                "row": r,
                "completion": _pct(got.completion) if got else "—",
                "to_date_share": _pct(got.to_date_share) if got else "—",
                "level": got.level if got else Level.NONE,
            }
        )
    if editable:
        targets += [{"row": None, "completion": "", "to_date_share": "", "level": Level.NONE}] * (
            BLANK_TARGET_ROWS
        )
    context: dict[str, Any] = {
        "e": evaluation,
        "report": report,
        "result": result,
        "round": settings,
        "thresholds": thresholds,
        "time_progress": _pct(result.time_progress),
        "execution_progress": _pct(result.execution_progress),
        "budget_rows": budget_rows,
        "targets": targets,
        "warnings": [
            {"warning": w, "text": documents_text(w), "needs_measures": w.needs_measures}
            for w in result.warnings
        ],
        "problems": problems or [],
        "editable": editable,
        "version": evaluation.version if version is None else version,
        "window": uuid.uuid4().hex,
        "directions": [(d.value, documents.DIRECTION_LABELS[d]) for d in Direction],
        "likelihoods": [(k.value, v) for k, v in LIKELIHOOD_LABELS.items()],
        "days_left": days_left(evaluation.deadline) if evaluation.is_editable else None,
        "import_form": ImportForm(),
    }
    try:
        from jixiao.reviews.selectors import review_panel_context
    except ImportError:  # pragma: no cover - the review app is part of every deployment
        pass
    else:
        context.update(review_panel_context(user=user, evaluation=evaluation))
    return context


def documents_text(warning: Any) -> str:
    from scoring.monitoring import warning_text

    return warning_text(warning)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """One monitoring report: figures, warnings, 偏差原因/纠偏措施; 保存 saves the whole report."""
    user = _user(request)
    evaluation = _report_of(user, pk)
    if request.method == "POST":
        posted = posted_report(request.POST)
        version = posted_version(request.POST)
        try:
            services.save_report(user=user, evaluation_id=pk, expected_version=version, data=posted)
        except services.MonitoringRefused as exc:
            data = services.with_server_owned(evaluation.data, posted)
            context = _page_context(
                request, evaluation, data=data, problems=exc.problems, version=version
            )
            return render(request, "monitoring/report.html", context, status=400)
        except EvaluationConflict as exc:
            data = services.with_server_owned(evaluation.data, posted)
            context = _page_context(
                request, evaluation, data=data, problems=[str(exc)], version=version
            )
            return render(request, "monitoring/report.html", context, status=409)
        except (NotEditable, PermissionError) as exc:
            messages.error(request, str(exc))
            return redirect("monitoring:report", pk=pk)
        messages.success(request, _("已保存。"))
        return redirect("monitoring:report", pk=pk)
    return render(
        request, "monitoring/report.html", _page_context(request, evaluation, data=evaluation.data)
    )


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
@require_GET
def sheet(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The 绩效监控表 as it stands now (xlsx: also the file to fill in and upload; pdf: to print)."""
    evaluation = _report_of(_user(request), pk)
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    settings = services.round_of(evaluation.campaign)
    report = _report_or_blank(evaluation.data)
    result = evaluate(report, as_of=settings.as_of, thresholds=settings.thresholds)
    base = f"{report.year}年{report.unit_name}{report.project_name}绩效监控表"
    if fmt == "xlsx":
        content = documents.report_workbook(
            report, result, as_of=settings.as_of, thresholds=settings.thresholds
        )
        return _download(content, f"{base}.xlsx", XLSX)
    content = documents.report_pdf(
        report, result, as_of=settings.as_of, thresholds=settings.thresholds
    )
    return _download(content, f"{base}.pdf", "application/pdf")


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """导入: a filled-in 绩效监控表 replaces the report's figures, all or nothing."""
    user = _user(request)
    evaluation = _report_of(user, pk)
    if user.role not in EDITOR_ROLES or not evaluation.is_editable:
        messages.error(request, _("只有本单位的填报人或负责人可以在填报中或退回后导入"))
        return redirect("monitoring:report", pk=pk)
    form = ImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
    else:
        try:
            data = documents.read_workbook(form.cleaned_data["file"].read())
            services.save_report(
                user=user,
                evaluation_id=pk,
                expected_version=posted_version(request.POST),
                data=data,
                action="monitoring.import",
                summary=log_text("导入了监控报告：{evaluation}", evaluation=evaluation),
            )
        except (documents.WorkbookRefused, services.MonitoringRefused) as exc:
            problems = exc.problems
        except EvaluationConflict as exc:
            problems = [str(exc)]
        except (NotEditable, PermissionError) as exc:
            problems = [str(exc)]
    if problems:
        context = _page_context(request, evaluation, data=evaluation.data)
        context["import_problems"] = problems
        return render(request, "monitoring/report.html", context, status=400)
    messages.success(request, _("已导入监控表，全部内容已保存。"))
    return redirect("monitoring:report", pk=pk)


# --- the round's settings ------------------------------------------------------------------------


def _parse_decimal(raw: str, default: Decimal) -> Decimal | None:
    if not raw.strip():
        return default
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@login_required
@require_http_methods(["GET", "POST"])
def round_settings(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The bureau changes a round's as-of date or thresholds; a background job computes every
    report's warnings again (the round is every unit's and project's report)."""
    user = _user(request)
    if not user.is_bureau_user:
        raise Http404
    campaign = Campaign.objects.filter(
        pk=campaign_id, kind=EvaluationKind.MONITORING, bureau_id=user.organisation_id
    ).first()
    if campaign is None:
        raise Http404
    settings = services.round_of(campaign)
    problems: list[str] = []
    if request.method == "POST":
        values = {
            name: _parse_decimal(request.POST.get(name, ""), getattr(Thresholds(), name))
            for name in ("execution_yellow", "execution_red", "target_yellow", "target_red")
        }
        try:
            as_of = dt.date.fromisoformat(request.POST.get("as_of", ""))
        except ValueError:
            problems.append(_("请填写监控数据截止日期（年-月-日）"))
            as_of = settings.as_of
        if any(v is None for v in values.values()):
            problems.append(_("预警阈值应为数字"))
        elif as_of.year != campaign.year:
            problems.append(_("监控数据截止日期须在评价年度内"))
        if not problems:
            try:
                _settings, job = services.update_round(
                    user=user,
                    campaign=campaign,
                    as_of=as_of,
                    thresholds=Thresholds(**values),  # type: ignore[arg-type]
                )
            except services.MonitoringRefused as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _(
                        "已保存监控批次设置。各报告的预警正在后台按新设置重新计算，完成后列表即更新。"
                    ),
                )
                return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "monitoring/round.html",
        {"campaign": campaign, "round": settings, "problems": problems},
    )


# --- the city-wide warning list -----------------------------------------------------------------


def _filters(request: HttpRequest, user: User) -> tuple[selectors.WarningFilter, list[Campaign]]:
    rounds = selectors.monitoring_campaigns(user=user)
    campaign_id = query_id(request.GET.get("campaign"))
    if campaign_id is None and rounds:
        campaign_id = rounds[0].pk
    level = query_id(request.GET.get("level"))
    sort = request.GET.get("sort", "level")
    return (
        selectors.WarningFilter(
            campaign_id=campaign_id,
            department_id=query_id(request.GET.get("department")),
            level=level if level in (1, 2) else None,
            reason=request.GET.get("reason", ""),
            sort=sort if sort in selectors.SORTS else "level",
        ),
        rounds,
    )


def _query(filters: selectors.WarningFilter, **extra: Any) -> str:
    params = {
        "campaign": filters.campaign_id or "",
        "department": filters.department_id or "",
        "level": filters.level or "",
        "reason": filters.reason,
        "sort": filters.sort,
        **extra,
    }
    return urlencode({k: v for k, v in params.items() if v not in ("", None)})


@login_required
@require_GET
def warning_list(request: HttpRequest) -> HttpResponse:
    """全市监控预警: every warning the user may see, filterable, sortable, keyset-paged."""
    user = _user(request)
    filters, rounds = _filters(request, user)
    page = selectors.warning_page(user=user, filters=filters, after=request.GET.get("after", ""))
    return render(
        request,
        "monitoring/warnings.html",
        {
            "page": page,
            "filters": filters,
            "rounds": rounds,
            "departments": selectors.departments_for_filter(user=user),
            "levels": WarningLevel.choices,
            "reasons": WarningReason.choices,
            "sorts": [
                ("level", _("预警等级")),
                ("shortfall", _("落后幅度")),
                ("department", _("主管部门")),
                ("unit", _("预算单位")),
            ],
            "next_query": _query(filters, after=page.next_cursor) if page.next_cursor else "",
            "first_query": _query(filters),
            "export_query": _query(filters),
            "is_first": not request.GET.get("after"),
        },
    )


@login_required
@require_GET
def warning_export(request: HttpRequest) -> HttpResponse:
    """The warning list as filtered, as xlsx (capped like the other list exports): built here when
    small, by a background job when large (the person follows it on the job's page)."""
    user = _user(request)
    filters, _rounds = _filters(request, user)
    count = selectors.filtered_warnings(user=user, filters=filters).count()
    if count > export.INLINE_LIMIT:
        job = create_job(
            kind=export.EXPORT_KIND,
            title=_("导出监控预警清单（{n} 条）").format(n=min(count, EXPORT_LIMIT)),
            requested_by=user,
            params=export.filter_params(filters),
            total=1,
        )
        return redirect("jobs:detail", job_id=job.pk)
    rows = selectors.export_rows(user=user, filters=filters, limit=EXPORT_LIMIT + 1)
    content = export.warnings_workbook(rows[:EXPORT_LIMIT], more=len(rows) > EXPORT_LIMIT)
    return xlsx_response(content, "monitoring-warnings", _("监控预警"))


@login_required
@require_GET
def warning_detail(request: HttpRequest, warning_id: int) -> HttpResponse:
    """A warning's stable address (what a 整改 task cites): its report, at the row it is about."""
    warning = selectors.get_warning(user=_user(request), warning_id=warning_id)
    anchor = f"#t-{warning.target_code}" if warning.target_code else "#budget"
    return redirect(reverse("monitoring:report", args=[warning.evaluation_id]) + anchor)
