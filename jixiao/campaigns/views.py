"""自评工作 (campaigns), their progress per unit, rule-sets and the city overview (全市概览).

Bureau users see and manage everything; department reviewers see their units, read-only; for
anyone else these pages do not exist (404).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.campaigns import selectors, services
from jixiao.campaigns.forms import (
    AddUnitsForm,
    CampaignEditForm,
    CampaignForm,
    ExtendDeadlineForm,
    RuleSetUploadForm,
)
from jixiao.campaigns.jobs import request_progress_export
from jixiao.campaigns.models import Campaign, StoredRuleSet
from jixiao.campaigns.progress_export import progress_workbook_file
from jixiao.campaigns.rulesets import get_ruleset, ruleset_settings, shipped
from jixiao.evaluations.models import PROGRESS_LABELS
from jixiao.evaluations.selectors import days_left
from jixiao.jobs.models import Job
from jixiao.organisations.models import User
from jixiao.projects.selectors import scope_summary
from jixiao.reviews.services import TransitionRefused, extend_deadline
from jixiao.web.bounded_numbers import query_id, query_year
from jixiao.web.keyset import page_size
from scoring.loading import InputError
from scoring.ruleset_sheet import export_sheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _viewer(request: HttpRequest) -> User:
    user = request.user
    if not selectors.can_see_campaigns(user):
        raise Http404
    return user  # type: ignore[return-value]


def evaluation_url(evaluation_id: int) -> str:
    """The evaluation's page, if the evaluations app provides one in this deployment."""
    try:
        return reverse("evaluations:detail", args=[evaluation_id])
    except NoReverseMatch:
        return ""


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    return render(
        request,
        "campaigns/list.html",
        {"items": selectors.campaign_list(user=user), "can_manage": user.is_bureau_user},
    )


def _tasks_job(campaign: Campaign, user: User) -> Job | None:
    """The job this request queued for the campaign's tasks (services.queue_tasks), if any: the
    person's, just now (a service that queued one returns no tasks)."""
    from jixiao.campaigns.jobs import TASKS_KIND
    from jixiao.jobs.selectors import latest_job
    from jixiao.jobs.services import subject_of

    job = latest_job(kind=TASKS_KIND, subject=subject_of(campaign))
    if (
        job is None
        or job.requested_by_id != user.pk
        or job.created_at < timezone.now() - dt.timedelta(minutes=1)
    ):
        return None
    return job


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    user = services.require_bureau_user(request.user)
    form = CampaignForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            campaign, tasks = services.create_campaign(
                user=user,
                values=form.cleaned_data,
                units=form.chosen_units(),
                project_name=form.cleaned_data["project_name"],
                project_scope=form.project_scope(),
            )
        except services.CampaignRefused as exc:
            form.add_error(None, str(exc))
        else:
            if not tasks and (job := _tasks_job(campaign, user)) is not None:
                messages.success(
                    request,
                    _(
                        "已下达“{title}”，{n} 个单位的{tasks}正在后台生成，完成后各单位会收到通知。"
                    ).format(
                        title=campaign.title, n=job.total, tasks=services.tasks_noun(campaign)
                    ),
                )
                return redirect("jobs:detail", job_id=job.pk)
            messages.success(
                request,
                # Units, not tasks: a 监控 round or a 目标申报 has one per unit and per project.
                _("已下达“{title}”，{n} 个单位收到了预填好的{tasks}。").format(
                    title=campaign.title,
                    n=len({t.unit_id for t in tasks}),
                    tasks=services.tasks_noun(campaign),
                ),
            )
            return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form})


@login_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """进度: one page of the units' tasks (keyset) with progress, deadline, score and last update;
    filters by department, state, grade and a search; counts per state over the whole scope."""
    user = _viewer(request)
    campaign = selectors.get_campaign(user=user, campaign_id=campaign_id)
    filters = selectors.ProgressFilters.from_query(request.GET)
    progress = selectors.campaign_progress(
        user=user,
        campaign=campaign,
        filters=filters,
        cursor=request.GET.get("after"),
        size=page_size(request.GET.get("size")),
    )
    for row in progress.rows:
        row.url = evaluation_url(row.evaluation.pk)
    query = filters.query()
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "progress": progress,
            "filters": filters,
            "department": filters.department_id,
            "state": filters.progress,
            "grades": selectors.GRADES,
            "filter_query": urlencode(query),
            "state_query": urlencode({k: v for k, v in query.items() if k != "state"}),
            "next_query": urlencode(query | {"after": progress.page.next_cursor})
            if progress.page and progress.page.next_cursor
            else "",
            "can_manage": user.is_bureau_user,
            "now": timezone.now(),
            "campaign_days_left": days_left(campaign.deadline),
            "project_scope": scope_summary(campaign.project_scope),
        },
    )


@login_required
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = services.require_bureau_user(request.user)
    campaign = selectors.get_campaign(user=user, campaign_id=campaign_id)
    form = CampaignEditForm(
        request.POST or None,
        initial={"title": campaign.title, "deadline": timezone.localtime(campaign.deadline)},
    )
    if request.method == "POST" and form.is_valid():
        services.update_campaign(
            user=user,
            campaign_id=campaign.pk,
            title=form.cleaned_data["title"],
            deadline=form.cleaned_data["deadline"],
        )
        messages.success(request, _("已保存"))
        return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(request, "campaigns/edit.html", {"form": form, "campaign": campaign})


@login_required
def add_units(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """追加单位 to a campaign that already went out."""
    user = services.require_bureau_user(request.user)
    campaign = selectors.get_campaign(user=user, campaign_id=campaign_id)
    form = AddUnitsForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            tasks = services.add_units(
                user=user, campaign=campaign, units=form.cleaned_data["units"]
            )
        except services.CampaignRefused as exc:
            form.add_error(None, str(exc))
        else:
            if not tasks and (job := _tasks_job(campaign, user)) is not None:
                messages.success(
                    request,
                    _("{n} 个单位的{tasks}正在后台生成，完成后各单位会收到通知。").format(
                        n=job.total, tasks=services.tasks_noun(campaign)
                    ),
                )
                return redirect("jobs:detail", job_id=job.pk)
            messages.success(
                request,
                _("已为 {n} 个单位追加{tasks}。").format(
                    n=len({t.unit_id for t in tasks}), tasks=services.tasks_noun(campaign)
                ),
            )
            return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(request, "campaigns/add_units.html", {"form": form, "campaign": campaign})


@login_required
def progress_export(request: HttpRequest, campaign_id: int) -> HttpResponseBase:
    """The progress table (same scope and filters as the page, every page of it) as an Excel
    workbook, written row by row from the stored columns (a write-only workbook). A large table
    is made by a background job instead, and the job's page offers the file."""
    user = _viewer(request)
    campaign = selectors.get_campaign(user=user, campaign_id=campaign_id)
    filters = selectors.ProgressFilters.from_query(request.GET)
    rows, count = selectors.progress_export_rows(user=user, campaign=campaign, filters=filters)
    if count > settings.JIXIAO_PROGRESS_XLSX_JOB_ROWS:
        job = request_progress_export(user=user, campaign=campaign, query=request.GET)
        messages.info(request, _("单位较多，报送进度 Excel 在后台生成，完成后可在本页下载。"))
        return redirect("jobs:detail", job_id=job.pk)
    response = FileResponse(progress_workbook_file(campaign, rows, count), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="progress-{campaign.pk}.xlsx"; '
        f"filename*=UTF-8''{quote(campaign.title + '-报送进度.xlsx')}"
    )
    return response


@login_required
def extend(request: HttpRequest, campaign_id: int, evaluation_id: int) -> HttpResponse:
    """延期: the bureau gives one unit a later deadline, with a reason that goes in the history."""
    user = services.require_bureau_user(request.user)
    campaign = selectors.get_campaign(user=user, campaign_id=campaign_id)
    evaluation = (
        campaign.evaluations.select_related("unit", "unit__parent").filter(pk=evaluation_id).first()
    )
    if evaluation is None:
        raise Http404
    # A week after the later of now and the current deadline: the usual grant, one click away.
    suggested = max(evaluation.deadline, timezone.now()) + dt.timedelta(days=7)
    form = ExtendDeadlineForm(
        request.POST or None, initial={"until": timezone.localtime(suggested)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            extend_deadline(
                user=user,
                evaluation_id=evaluation.pk,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except TransitionRefused as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("已将 {unit} 的截止时间延长至 {until}").format(
                    unit=evaluation.unit.name,
                    until=timezone.localtime(form.cleaned_data["until"]).strftime("%Y-%m-%d %H:%M"),
                ),
            )
            return redirect("campaigns:detail", campaign_id=campaign.pk)
    return render(
        request,
        "campaigns/extend.html",
        {"form": form, "campaign": campaign, "evaluation": evaluation},
        status=400 if request.method == "POST" else 200,
    )


# ---------------------------------------------------------------- rule-sets


@login_required
def rulesets(request: HttpRequest) -> HttpResponse:
    """规则集: the shipped frameworks and the bureau's own, with upload and Excel export."""
    user = services.require_bureau_user(request.user)
    form = RuleSetUploadForm(request.POST or None, request.FILES or None)
    upload = None
    status = 200
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        upload = services.store_ruleset_sheet(user=user, data=file.read(), filename=file.name)
        if upload.stored is None:
            status = 400
        else:
            form = RuleSetUploadForm()
    elif request.method == "POST":
        status = 400
    stored = {s.ref: s for s in StoredRuleSet.objects.select_related("uploaded_by")}
    rows = []
    for ref, ruleset in sorted(shipped().items(), key=lambda item: item[0]):
        if ref not in stored:
            rows.append(
                {
                    "ref": ref,
                    "ruleset": ruleset,
                    "stored": None,
                    "settings": ruleset_settings(ruleset),
                }
            )
    for ref, item in sorted(stored.items()):
        try:
            found = get_ruleset(ref)
            rows.append(
                {"ref": ref, "ruleset": found, "stored": item, "settings": ruleset_settings(found)}
            )
        except InputError:
            rows.append({"ref": ref, "ruleset": None, "stored": item, "settings": []})
    return render(
        request,
        "campaigns/rulesets.html",
        {"rows": rows, "form": form, "upload": upload},
        status=status,
    )


@login_required
def ruleset_export(request: HttpRequest, ref: str) -> HttpResponse:
    services.require_bureau_user(request.user)
    try:
        ruleset = get_ruleset(ref)
    except InputError:
        raise Http404 from None
    if f"{ruleset.id}@{ruleset.version}" != ref:
        raise Http404  # get_ruleset also accepts a bare id; the export names one exact version
    response = HttpResponse(export_sheet(ruleset), content_type=XLSX)
    filename = f"{ruleset.id}-{ruleset.version}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(ruleset.name + '.xlsx')}"
    )
    return response


# ---------------------------------------------------------------- overview


OVERVIEW_CHOICE = "overview_campaign"


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """全市概览 (a department sees its own units): KPIs, charts, departments, needs attention."""
    user = _viewer(request)
    choices = selectors.overview_choices(user=user)
    selected_campaign: Campaign | None = None
    selected_year: int | None = None
    # The person's choice, else the last one they made (kept in the session), else the campaign
    # with the most units in their scope.
    chosen = request.GET.get("campaign")
    value = chosen if chosen is not None else request.session.get(OVERVIEW_CHOICE, "")
    campaigns: list[Campaign] = []
    if value.startswith("y") and (year := query_year(value[1:])) is not None:
        selected_year = year
        campaigns = next((group for year, group in choices if year == selected_year), [])
    elif (campaign_id := query_id(value)) is not None:
        selected_campaign = next(
            (c for _year, group in choices for c in group if c.pk == campaign_id), None
        )
        if selected_campaign is not None:
            campaigns = [selected_campaign]
        elif chosen is not None:
            raise Http404
    if not campaigns:
        selected_year = None
        selected_campaign = selectors.largest_campaign(user=user, choices=choices)
        campaigns = [selected_campaign] if selected_campaign else []
    elif chosen is not None:
        request.session[OVERVIEW_CHOICE] = chosen
    data = selectors.campaign_overview(
        user=user,
        campaigns=campaigns,
        cursor=request.GET.get("after"),
        size=page_size(request.GET.get("size")),
    )
    next_query = ""
    if data.attention_page is not None and data.attention_page.next_cursor:
        keep = {"campaign": chosen} if chosen is not None else {}
        next_query = urlencode(keep | {"after": data.attention_page.next_cursor})
    for item in data.attention:
        item.url = evaluation_url(item.evaluation.pk)
    return render(
        request,
        "campaigns/overview.html",
        {
            "choices": choices,
            "selected_campaign": selected_campaign,
            "selected_year": selected_year,
            "overview": data,
            "progress_labels": [PROGRESS_LABELS[key] for key in selectors.PROGRESS_ORDER],
            "progress_keys": selectors.PROGRESS_ORDER,
            "years": selectors.year_comparison(user=user),
            "attention_next": next_query,
            "attention_first": urlencode({"campaign": chosen}) if chosen is not None else "",
        },
    )
