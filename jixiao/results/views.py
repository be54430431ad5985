"""结果应用 pages (the bureau's): the table with filters, its xlsx, the refresh job, the advice
rules and a per-evaluation override. Thin: selectors read, services write."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.evaluations.list_export import EXPORT_LIMIT, xlsx_response
from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import Role, User
from jixiao.results import selectors, services
from jixiao.results.export import results_workbook
from jixiao.results.forms import OverrideForm, RulesForm
from jixiao.results.models import AdviceOverride, AdviceRule


def _bureau(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_bureau_user:
        raise Http404
    return user


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = _bureau(request)
    filters = selectors.ResultFilters.from_query(request.GET)
    page = selectors.page(user=user, filters=filters, after=request.GET.get("after", ""))
    keep = {k: v for k, v in request.GET.items() if k != "after" and v}
    return render(
        request,
        "results/index.html",
        {
            "filters": filters,
            "page": page,
            "years": selectors.years(user=user),
            "rules": [
                (r.grade, services.advice_text(r)) for r in AdviceRule.objects.order_by("pk")
            ],
            "query": urlencode(keep),
            "next_query": urlencode({**keep, "after": page.next_after}) if page.next_after else "",
        },
    )


@require_GET
@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The table as filtered, as xlsx: written here when small, by a background job when large
    (the person follows it, and downloads the file, on the job's page)."""
    from jixiao.jobs.services import create_job
    from jixiao.results.export import EXPORT_KIND, INLINE_LIMIT, filter_params

    user = _bureau(request)
    filters = selectors.ResultFilters.from_query(request.GET)
    found = list(selectors.entries(user=user, filters=filters)[: INLINE_LIMIT + 1])
    if len(found) > INLINE_LIMIT:
        job = create_job(
            kind=EXPORT_KIND,
            title=_("导出结果应用表") + (f"（{filters.year}）" if filters.year else ""),
            requested_by=user,
            params=filter_params(filters),
            total=1,
        )
        return HttpResponseRedirect(reverse("jobs:detail", args=[job.pk]))
    content = results_workbook(
        selectors.export_title(filters), selectors.rows_of(found), more=False, limit=EXPORT_LIMIT
    )
    return xlsx_response(content, "jixiao-results", _("结果应用表"))


@require_POST
@login_required
def refresh(request: HttpRequest) -> HttpResponse:
    user = _bureau(request)
    raw = request.POST.get("year", "")
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        messages.error(request, _("请选择年度"))
        return HttpResponseRedirect(reverse("results:index"))
    job = services.request_refresh(user=user, year=int(raw))
    return HttpResponseRedirect(reverse("jobs:detail", args=[job.pk]))


@require_http_methods(["GET", "POST"])
@login_required
def rules(request: HttpRequest) -> HttpResponse:
    user = _bureau(request)
    if user.role != Role.BUREAU_ADMIN:
        raise Http404
    current = {r.grade: r for r in AdviceRule.objects.all()}
    initial: dict[str, object] = {}
    for grade, rule in current.items():
        initial[f"advice_{grade}"] = rule.advice
        initial[f"cut_{grade}"] = rule.cut_percent
    form = RulesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_rules(
                    user=user,
                    rules={
                        g: (form.cleaned_data[f"advice_{g}"], form.cleaned_data[f"cut_{g}"])
                        for g in services.GRADES
                    },
                )
            except services.ResultsRefused as refused:
                for problem in refused.problems:
                    form.add_error(None, problem)
            else:
                messages.success(request, _("已保存结果应用规则"))
                return HttpResponseRedirect(reverse("results:index"))
        return render(request, "results/rules.html", {"form": form}, status=400)
    return render(request, "results/rules.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def override(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = _bureau(request)
    evaluation = (
        Evaluation.objects.filter(pk=evaluation_id, status__in=services.RESULT_STATUSES)
        .select_related("unit", "campaign")
        .first()
    )
    if evaluation is None:
        raise Http404
    current = AdviceOverride.objects.filter(evaluation=evaluation).first()
    form = OverrideForm(
        request.POST if request.method == "POST" else None,
        initial={"advice": current.advice, "reason": current.reason} if current else {},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.override_advice(
                    user=user,
                    evaluation_id=evaluation.pk,
                    advice=form.cleaned_data["advice"],
                    reason=form.cleaned_data["reason"],
                )
            except services.ResultsRefused as refused:
                for problem in refused.problems:
                    form.add_error(None, problem)
            else:
                messages.success(request, _("已保存预算安排建议"))
                return HttpResponseRedirect(
                    reverse("results:index") + f"?year={evaluation.campaign.year}"
                )
        status = 400
    else:
        status = 200
    return render(
        request,
        "results/override.html",
        {"form": form, "evaluation": evaluation, "current": current},
        status=status,
    )


PART_LABELS = {
    "timeliness": _l("按时报送"),
    "completeness": _l("完成审定"),
    "review_quality": _l("审核质量"),
    "recheck": _l("复核偏差"),
    "rectification": _l("整改完成"),
}


def _assessment_year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year - 1


@require_GET
@login_required
def assessment(request: HttpRequest) -> HttpResponse:
    """部门绩效管理工作考核: the ranking of supervising departments for a year, as its last
    computation (a job) stored it."""
    from jixiao.results.assessment import stored_ranking
    from scoring.department_assessment import load_weights

    user = _bureau(request)
    year = _assessment_year(request)
    weights = load_weights()
    stored = stored_ranking(user=user, year=year, weights=weights)
    return render(
        request,
        "results/assessment.html",
        {
            "year": year,
            "weights": weights,
            "parts": [(k, PART_LABELS[k], weights.weights[k]) for k in PART_LABELS],
            "ranking": stored.ranking,
            "snapshot": stored.snapshot,
        },
    )


@require_POST
@login_required
def assessment_compute(request: HttpRequest) -> HttpResponse:
    """计算 / 重新计算: the year's 部门考核 in a job, whose page shows its progress."""
    user = _bureau(request)
    raw = request.POST.get("year", "")
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        messages.error(request, _("请选择年度"))
        return HttpResponseRedirect(reverse("results:assessment"))
    job = services.request_assessment(user=user, year=int(raw))
    return HttpResponseRedirect(reverse("jobs:detail", args=[job.pk]))


@require_GET
@login_required
def assessment_export(request: HttpRequest) -> HttpResponse:
    from jixiao.results.assessment import stored_ranking
    from jixiao.results.export import assessment_workbook
    from scoring.department_assessment import load_weights

    user = _bureau(request)
    year = _assessment_year(request)
    weights = load_weights()
    stored = stored_ranking(user=user, year=year, weights=weights)
    if stored.snapshot is None:
        messages.error(request, _("该年度的部门考核尚未计算，请先计算"))
        return HttpResponseRedirect(reverse("results:assessment") + f"?year={year}")
    content = assessment_workbook(
        _("{year} 年度部门绩效管理工作考核（计算于 {when}）").format(
            year=year,
            when=timezone.localtime(stored.snapshot.computed_at).strftime("%Y-%m-%d %H:%M"),
        ),
        stored.ranking,
        [(k, str(PART_LABELS[k]), weights.weights[k]) for k in PART_LABELS],
        weights.ref,
    )
    return xlsx_response(content, "jixiao-assessment", _("部门绩效管理工作考核"))


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    """结果公开 (no login): each year's published units, scores and grades, and the budget advice
    where the bureau chose to publish it."""
    raw = request.GET.get("year", "")
    table = selectors.public_table(
        year=int(raw) if raw.isdigit() and len(raw) == 4 else None,
        after=request.GET.get("after", ""),
    )
    return render(request, "results/public.html", {"table": table})


@require_POST
@login_required
def publish_advice(request: HttpRequest) -> HttpResponse:
    user = _bureau(request)
    raw = request.POST.get("year", "")
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        messages.error(request, _("请选择年度"))
        return HttpResponseRedirect(reverse("results:index"))
    services.set_advice_publication(
        user=user, year=int(raw), publish=request.POST.get("publish") == "1"
    )
    messages.success(request, _("已保存"))
    return HttpResponseRedirect(reverse("results:public") + f"?year={raw}")


@require_GET
@login_required
def trends(request: HttpRequest) -> HttpResponse:
    """Year over year for a department (its units' average) or a unit, with ECharts."""
    user = _bureau(request)

    def number(name: str) -> int | None:
        raw = request.GET.get(name, "")
        return int(raw) if raw.isdigit() and len(raw) < 12 else None

    department, unit = number("department"), number("unit")
    found = selectors.trend(user=user, department=department, unit=unit)
    chart = (
        {
            "years": found.years,
            "average": found.average,
            "execution": found.execution,
            "grades": found.grades,
            "targets": found.targets_rate,
            "labels": {
                "average": str(_("平均自评得分")),
                "execution": str(_("平均预算执行率（%）")),
                "targets": str(_("绩效目标达成率（%）")),
            },
        }
        if found
        else None
    )
    return render(
        request,
        "results/trends.html",
        {
            "trend": found,
            "chart": chart,
            "departments": selectors.departments(user=user),
            "department": department,
            "unit": unit,
        },
    )
