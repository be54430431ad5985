"""整改 pages: the task list (with overdue counts per department), raising a task from a source,
a task's page (report, evidence, confirm or reopen). Thin: selectors read, services write."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.organisations.models import User
from jixiao.rectification import selectors, services
from jixiao.rectification.forms import DecideForm, EvidenceForm, ReportForm, TaskForm
from jixiao.rectification.models import SourceKind, TaskStatus
from jixiao.rectification.sources import default_deadline, resolve_source
from jixiao.reviews.downloads import content_disposition


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_GET
@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filters = selectors.TaskFilters.from_query(request.GET)
    page = selectors.task_page(user=user, filters=filters, after=request.GET.get("after", ""))
    keep = {k: v for k, v in request.GET.items() if k != "after" and v}
    return render(
        request,
        "rectification/list.html",
        {
            "filters": filters,
            "page": page,
            "next_query": urlencode({**keep, "after": page.next_after}) if page.next_after else "",
            "counts": selectors.counts_by_department(user=user) if not user.is_unit_user else [],
            "statuses": TaskStatus.choices,
            "can_raise": services.may_raise(user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    """下达整改任务 from a source named in the query (kind, id): prefilled from it."""
    user = _user(request)
    if not services.may_raise(user):
        raise Http404
    source = resolve_source(user=user, query=request.GET)  # not the user's → 404
    initial = {
        "year": source.year,
        "problem": source.problem,
        "measures": source.measures,
        "deadline": default_deadline(),
    }
    status = 200
    form = TaskForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        user=user,
        fixed_unit=source.unit,
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                task = services.raise_task(
                    user=user,
                    source=source,
                    unit=form.cleaned_data["unit"],
                    problem=form.cleaned_data["problem"],
                    measures=form.cleaned_data["measures"],
                    deadline=form.cleaned_data["deadline"],
                    year=form.cleaned_data["year"],
                )
            except services.RectificationRefused as refused:
                for problem in refused.problems:
                    form.add_error(None, problem)
            else:
                messages.success(request, _("已下达整改任务"))
                return HttpResponseRedirect(reverse("rectification:detail", args=[task.pk]))
        status = 400
    return render(
        request,
        "rectification/create.html",
        {
            "form": form,
            "source": source,
            "source_kind_label": SourceKind(source.kind).label,
            "existing": selectors.tasks_from_source(
                user=user, kind=source.kind, source_id=source.id
            )
            if source.id
            else [],
        },
        status=status,
    )


@require_GET
@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    user = _user(request)
    task = selectors.get_task(user=user, task_id=task_id)
    return render(request, "rectification/detail.html", _detail_context(user, task))


def _detail_context(user: User, task: object, **forms: object) -> dict[str, object]:
    from jixiao.rectification.models import UNIT_PENDING, RectificationTask

    assert isinstance(task, RectificationTask)
    unit_acts = user.is_unit_user and task.status in UNIT_PENDING
    return {
        "task": task,
        "steps": list(task.steps.select_related("actor").all()),
        "evidence": list(task.evidence.all()),
        "report_form": forms.get("report_form") or (ReportForm() if unit_acts else None),
        "evidence_form": forms.get("evidence_form") or (EvidenceForm() if unit_acts else None),
        "decide_form": forms.get("decide_form")
        or (
            DecideForm()
            if task.status == TaskStatus.REPORTED and services.may_decide(user, task)
            else None
        ),
        "overdue": selectors.tasks_visible_to(user=user)
        .filter(selectors.overdue_q(), pk=task.pk)
        .exists(),
    }


def _refused(request: HttpRequest, task_id: int, refused: services.RectificationRefused) -> None:
    for problem in refused.problems:
        messages.error(request, problem)


@require_POST
@login_required
def task_report(request: HttpRequest, task_id: int) -> HttpResponse:
    user = _user(request)
    task = selectors.get_task(user=user, task_id=task_id)  # not yours → 404
    form = ReportForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "rectification/detail.html",
            _detail_context(user, task, report_form=form),
            status=400,
        )
    try:
        services.report_task(user=user, task_id=task.pk, report=form.cleaned_data["report"])
    except services.RectificationRefused as refused:
        _refused(request, task.pk, refused)
    else:
        messages.success(request, _("已报送整改情况，等待确认"))
    return HttpResponseRedirect(reverse("rectification:detail", args=[task.pk]))


@require_POST
@login_required
def task_decide(request: HttpRequest, task_id: int) -> HttpResponse:
    user = _user(request)
    task = selectors.get_task(user=user, task_id=task_id)
    form = DecideForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "rectification/detail.html",
            _detail_context(user, task, decide_form=form),
            status=400,
        )
    try:
        services.decide_task(
            user=user,
            task_id=task.pk,
            confirm=form.cleaned_data["decision"] == "confirm",
            comment=form.cleaned_data["comment"],
        )
    except services.RectificationRefused as refused:
        _refused(request, task.pk, refused)
    else:
        messages.success(request, _("已办理"))
    return HttpResponseRedirect(reverse("rectification:detail", args=[task.pk]))


@require_POST
@login_required
def evidence_upload(request: HttpRequest, task_id: int) -> HttpResponse:
    user = _user(request)
    task = selectors.get_task(user=user, task_id=task_id)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "rectification/detail.html",
            _detail_context(user, task, evidence_form=form),
            status=400,
        )
    try:
        services.attach_evidence(user=user, task_id=task.pk, upload=form.cleaned_data["file"])
    except services.RectificationRefused as refused:
        _refused(request, task.pk, refused)
    else:
        messages.success(request, _("已上传整改佐证"))
    return HttpResponseRedirect(reverse("rectification:detail", args=[task.pk]))


@require_GET
@login_required
def evidence_download(request: HttpRequest, rectification_evidence_id: int) -> HttpResponse:
    item = selectors.get_evidence(user=_user(request), evidence_id=rectification_evidence_id)
    with item.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type=item.content_type)
    response["Content-Disposition"] = content_disposition(
        item.original_name, f"rectification-{item.pk}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
