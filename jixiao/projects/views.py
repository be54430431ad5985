"""项目库 pages: the register (list, detail, create, edit), a unit's 部门整体 budget lines, and the
bureau admin's import (column mapping, upload, row report) and export.

Thin: reads through selectors (scoped to the user), writes through services. A project or unit
outside the user's scope answers 404; a page for other roles answers 404 as well.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jixiao.jobs.services import create_job
from jixiao.organisations.models import Organisation, OrganisationKind, User
from jixiao.projects import register_export, selectors, services
from jixiao.projects.forms import (
    BaseBudgetLineFormSet,
    BudgetLineFormSet,
    MappingForm,
    ProjectForm,
    ProjectImportForm,
    line_initial,
)
from jixiao.projects.jobs import (
    IMPORT_KIND,
    INLINE_EXPORT_PROJECTS,
    INLINE_MAX_BYTES,
    request_export,
)
from jixiao.projects.project_import import (
    FIELDS,
    ProjectImportFileError,
    export_workbook,
    headers,
)
from jixiao.web.bounded_numbers import query_id, query_year

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _viewer(request: HttpRequest) -> User:
    if not selectors.can_see_register(request.user):
        raise Http404
    return request.user  # type: ignore[return-value]


def _filters(request: HttpRequest) -> selectors.ProjectFilter:
    return selectors.filters_from_query(request.GET)


def _filter_params(request: HttpRequest) -> str:
    return urlencode(
        [(k, request.GET[k]) for k in selectors.FILTER_KEYS if request.GET.get(k, "").strip()]
    )


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    filters = _filters(request)
    page = selectors.project_page(
        user=user,
        filters=filters,
        after=query_id(request.GET.get("after")),
        before=query_id(request.GET.get("before")),
    )
    departments = (
        Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, is_active=True).order_by(
            "name"
        )
        if user.is_bureau_user
        else Organisation.objects.filter(pk=user.organisation_id or 0)
        if user.is_department_user
        else Organisation.objects.none()
    )
    return render(
        request,
        "projects/list.html",
        {
            "page": page,
            "filters": filters,
            "params": _filter_params(request),
            "departments": departments,
            "categories": selectors.categories(user=user),
            "can_create": selectors.units_editable_by(user=user).exists(),
            "can_import": user.role == "bureau_admin",
            "own_unit": user.organisation if user.is_unit_user else None,
        },
    )


@login_required
@require_GET
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    user = _viewer(request)
    project = selectors.get_project(user=user, project_id=project_id)
    evaluations = project.evaluations.select_related("campaign").order_by(
        "-campaign__year", "campaign__title"
    )
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "lines": selectors.budget_lines(project=project),
            "evaluations": evaluations,
            "can_edit": selectors.can_edit_unit(user, project.unit_id),
        },
    )


def _project_form(request: HttpRequest, *, user: User, project: Any | None) -> HttpResponse:
    units = selectors.units_editable_by(user=user)
    if project is None:
        initial: dict[str, Any] = {}
        if (year := query_year(request.GET.get("year"))) is not None:
            initial["year"] = year
        form = ProjectForm(request.POST or None, units=units, initial=initial)
        lines = BudgetLineFormSet(request.POST or None, prefix="lines")
    else:
        form = ProjectForm(
            request.POST or None,
            editing=True,
            initial={
                "year": project.year,
                "code": project.code,
                "name": project.name,
                "category": project.category,
                "period_start": project.period_start,
                "period_end": project.period_end,
                "is_active": project.is_active,
            },
        )
        lines = BudgetLineFormSet(
            request.POST or None,
            prefix="lines",
            initial=line_initial(selectors.budget_lines(project=project)),
        )
    status = 200
    if request.method == "POST":
        if form.is_valid() and lines.is_valid():
            try:
                saved = services.save_project(
                    user=user,
                    project_id=project.pk if project else None,
                    unit=form.cleaned_data.get("unit"),
                    values=form.values(),
                    lines=cast(BaseBudgetLineFormSet, lines).lines(),
                )
            except services.ProjectRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已保存：{name}").format(name=saved.name))
                return redirect("projects:detail", project_id=saved.pk)
        status = 400
    return render(
        request,
        "projects/form.html",
        {"form": form, "lines": lines, "project": project},
        status=status,
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    if not selectors.units_editable_by(user=user).exists():
        raise Http404
    return _project_form(request, user=user, project=None)


@login_required
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    user = _viewer(request)
    project = selectors.get_project(user=user, project_id=project_id)
    if not selectors.can_edit_unit(user, project.unit_id):
        raise Http404
    return _project_form(request, user=user, project=project)


@login_required
def unit_budget(request: HttpRequest, unit_id: int) -> HttpResponse:
    """部门整体预算: the unit's own budget lines (no project) for one year, and its projects."""
    user = _viewer(request)
    unit = selectors.get_unit(user=user, unit_id=unit_id)
    years = selectors.unit_budget_years(unit=unit)
    year = query_year(request.GET.get("year")) or (years[0] if years else None)
    can_edit = selectors.can_edit_unit(user, unit.pk)
    if year is None:
        year = timezone.localdate().year
    current = selectors.unit_budget_lines(unit=unit, year=year)
    formset = BudgetLineFormSet(request.POST or None, prefix="lines", initial=line_initial(current))
    status = 200
    if request.method == "POST":
        if not can_edit:
            return render(request, "web/refused.html", {"reason": _("只读：不能修改")}, status=403)
        if formset.is_valid():
            try:
                services.save_unit_budget(
                    user=user,
                    unit_id=unit.pk,
                    year=year,
                    lines=cast(BaseBudgetLineFormSet, formset).lines(),
                )
            except services.ProjectRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已保存 {year} 年部门整体预算").format(year=year))
                return redirect(f"{request.path}?year={year}")
        status = 400
    projects = selectors.projects_visible_to(user=user).filter(unit=unit, year=year)
    return render(
        request,
        "projects/unit_budget.html",
        {
            "unit": unit,
            "year": year,
            "years": sorted(set(years) | {year}, reverse=True),
            "lines": current,
            "formset": formset,
            "can_edit": can_edit,
            "projects": projects.order_by("code"),
            "totals": _totals(current),
            "project_totals": _totals(
                projects,
                initial="initial_total",
                adjusted="adjusted_total",
                executed="executed_total",
            ),
        },
        status=status,
    )


def _totals(
    rows: Any, initial: str = "initial", adjusted: str = "adjusted", executed: str = "executed"
) -> dict[str, Decimal]:
    out = {"initial": Decimal(0), "adjusted": Decimal(0), "executed": Decimal(0)}
    for row in rows:
        out["initial"] += getattr(row, initial)
        out["adjusted"] += getattr(row, adjusted)
        out["executed"] += getattr(row, executed)
    return out


@login_required
@require_GET
def project_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered register in the import layout (the bureau's column headers): answered at
    once up to INLINE_EXPORT_PROJECTS projects, written by a background job beyond (the job's page
    offers the file)."""
    user = _viewer(request)
    projects = selectors.filtered_projects(user=user, filters=_filters(request))
    if request.GET.get("blank") == "1":  # the empty layout, to fill in by hand
        projects = projects.none()
    else:
        count = projects.order_by().count()
        if count > INLINE_EXPORT_PROJECTS:
            job = request_export(user=user, query=request.GET, count=count)
            messages.info(request, _("项目较多，项目库 Excel 在后台生成，完成后可在本页下载。"))
            return redirect("jobs:detail", job_id=job.pk)
    body = export_workbook(
        columns=register_export.mapping_columns(user), rows=register_export.export_rows(projects)
    )
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename=\"projects.xlsx\"; filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E5%BA%93.xlsx"
    )
    return response


@login_required
def import_mapping(request: HttpRequest) -> HttpResponse:
    user = services.require_bureau_admin(request.user)
    assert user.organisation_id is not None
    mapping = selectors.import_mapping(bureau_id=user.organisation_id)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        initial=mapping.columns if mapping else {},
    )
    if request.method == "POST":
        if form.is_valid():
            services.save_mapping(user=user, columns=form.columns())
            messages.success(request, _("已保存列映射，之后的导入和导出都按此映射。"))
            return redirect("projects:import")
        return render(request, "projects/mapping.html", {"form": form}, status=400)
    return render(request, "projects/mapping.html", {"form": form, "mapping": mapping})


@login_required
def import_projects(request: HttpRequest) -> HttpResponse:
    """Upload → (small file) every row checked and all written or nothing, with the row report;
    (large file) the same in a background job whose page shows the report."""
    user = services.require_bureau_admin(request.user)
    assert user.organisation_id is not None
    mapping = selectors.import_mapping(bureau_id=user.organisation_id)
    form = ProjectImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {
        "form": form,
        "headers": headers(mapping.columns if mapping else {}),
        "fields": FIELDS,
        "mapping": mapping,
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        context["filename"] = upload.name
        if len(data) > INLINE_MAX_BYTES:
            name = default_storage.save(
                f"project-imports/{get_random_string(24)}.xlsx", ContentFile(data)
            )
            with transaction.atomic():
                job = create_job(
                    kind=IMPORT_KIND,
                    title=_("导入项目库：{name}").format(name=upload.name[:120]),
                    requested_by=user,
                    params={"path": name, "filename": upload.name[:200]},
                )
            return redirect("jobs:detail", job_id=job.pk)
        try:
            outcome = services.import_projects(user=user, data=data)
        except ProjectImportFileError as exc:
            context["file_error"] = str(exc)
            status = 400
        else:
            context["outcome"] = outcome
            if not outcome.written:
                status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "projects/import.html", context, status=status)
