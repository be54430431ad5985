"""单位管理 and 账号管理: bureau admins only; for everyone else these pages do not exist (404)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jixiao.accounts import services as account_services
from jixiao.jobs.services import create_job
from jixiao.organisations import jobs as unit_jobs
from jixiao.organisations import services
from jixiao.organisations.forms import (
    AccountForm,
    NewAccountForm,
    OrganisationForm,
    PasswordResetForm,
    UnitImportForm,
)
from jixiao.organisations.models import Organisation, OrganisationKind, Role, User
from jixiao.organisations.picker import PickerSource, label, may_pick, search_page
from jixiao.organisations.selectors import account_page, organisation_page, users_visible_to
from jixiao.organisations.unit_import import COLUMNS, UnitImportFileError, template_workbook
from jixiao.web.bounded_numbers import query_id
from jixiao.web.keyset import page_size

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _admin(request: HttpRequest) -> User:
    return services.require_bureau_admin(request.user)


@login_required
@require_GET
def picker(request: HttpRequest) -> HttpResponse:
    """单位选择器's matches: one page (htmx partial) of what the named picker offers, matching the
    typed text; 404 for whoever may not search it (picker.may_pick), like every page not theirs."""
    user = request.user
    get = request.GET
    source = get.get("source", "")
    if source not in PickerSource.ALL:
        source = PickerSource.UNITS
    if not may_pick(user, source):
        raise Http404
    name = get.get("name", "")[:40]
    q = (get.get("q") or get.get(f"{name}__search") or "").strip()[:80]
    campaign = query_id(get.get("campaign"))
    page = search_page(
        user=user,  # type: ignore[arg-type]
        source=source,
        q=q,
        campaign_id=campaign,
        cursor=get.get("after"),
    )
    next_url = ""
    if page.next_cursor:
        keep = {k: v for k, v in get.items() if k in ("source", "name", "multiple", "campaign")}
        next_url = f"{request.path}?{urlencode(keep | {'q': q, 'after': page.next_cursor})}"
    return render(
        request,
        "organisations/_picker_results.html",
        {
            "results": [(o.pk, label(o)) for o in page.rows],
            "name": name,
            "input_type": "checkbox" if get.get("multiple") == "1" else "radio",
            "next_url": next_url,
            "first": page.is_first,
        },
    )


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """单位管理: departments with their unit counts, and one keyset page of units (search,
    department, inactive filters): the same cost at 50,000 units as at 50 (issue 14)."""
    user = _admin(request)
    query = request.GET.get("q", "").strip()[:80]
    show_inactive = request.GET.get("inactive") == "1"
    department = query_id(request.GET.get("department", ""))
    data = organisation_page(
        user=user,
        query=query,
        show_inactive=show_inactive,
        department_id=department,
        cursor=request.GET.get("after"),
        size=page_size(request.GET.get("size"), default=100, maximum=500),
    )
    keep = {"q": query} if query else {}
    if show_inactive:
        keep["inactive"] = "1"
    if department is not None:
        keep["department"] = str(department)
    page = data["page"]
    return render(
        request,
        "organisations/list.html",
        {
            "groups": data["groups"],
            "query": query,
            "show_inactive": show_inactive,
            "department": department,
            "departments": data["departments"],
            "unit_count": data["unit_count"],
            "department_count": data["department_count"],
            "page": page,
            "first_query": urlencode(keep),
            "next_query": urlencode(keep | {"after": page.next_cursor})
            if page and page.next_cursor
            else "",
        },
    )


def _organisation_form(
    request: HttpRequest, *, user: User, instance: Organisation | None
) -> HttpResponse:
    initial: dict[str, Any] = {}
    if instance is None:
        initial = {"kind": request.GET.get("kind", OrganisationKind.UNIT)}
        if (parent := query_id(request.GET.get("parent"))) is not None:
            initial["parent"] = parent
    form = OrganisationForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = services.save_organisation(
                user=user, organisation_id=instance.pk if instance else None, values=values
            )
        except services.OrganisationRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存：{name}").format(name=saved.name))
            return redirect("organisations:list")
    return render(request, "organisations/form.html", {"form": form, "organisation": instance})


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    return _organisation_form(request, user=_admin(request), instance=None)


@login_required
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = _admin(request)
    instance = Organisation.objects.filter(pk=organisation_id).first()
    if instance is None:
        raise Http404
    return _organisation_form(request, user=user, instance=instance)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _admin(request)
    names = Organisation.objects.filter(
        kind=OrganisationKind.DEPARTMENT, is_active=True
    ).values_list("name", flat=True)
    response = HttpResponse(template_workbook(department_names=names), content_type=XLSX)
    response["Content-Disposition"] = (
        "attachment; filename=\"unit-import-template.xlsx\"; filename*=UTF-8''%E9%A2%84%E7%AE%97%E5%8D%95%E4%BD%8D%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


@login_required
def import_units(request: HttpRequest) -> HttpResponse:
    """Upload → every row checked → all written, or nothing written and every fault listed."""
    user = _admin(request)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "columns": COLUMNS}
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        context["filename"] = upload.name
        data = upload.read()
        if (
            len(data) > unit_jobs.INLINE_MAX_BYTES
        ):  # a large workbook is checked and written by a job
            name = default_storage.save(
                f"unit-imports/{get_random_string(24)}.xlsx", ContentFile(data)
            )
            with transaction.atomic():
                job = create_job(
                    kind=unit_jobs.IMPORT_KIND,
                    title=_("批量导入单位：{name}").format(name=upload.name[:120]),
                    requested_by=user,
                    params={"path": name, "filename": upload.name[:200]},
                )
            return redirect("jobs:detail", job_id=job.pk)
        try:
            outcome = services.import_units(user=user, data=data)
        except UnitImportFileError as exc:
            context["file_error"] = str(exc)
            status = 400
        else:
            context["outcome"] = outcome
            if not outcome.written:
                status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "organisations/import.html", context, status=status)


# ---------------------------------------------------------------- accounts


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    """账号管理: one keyset page of accounts by username, with search, role and inactive filters
    (the same cost at 150,000 accounts as at 15: issue 14)."""
    user = _admin(request)
    query = request.GET.get("q", "").strip()[:80]
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    show_inactive = request.GET.get("inactive") == "1"
    data = account_page(
        user=user,
        query=query,
        role=role,
        show_inactive=show_inactive,
        cursor=request.GET.get("after"),
        size=page_size(request.GET.get("size"), default=100, maximum=500),
    )
    keep = {"q": query} if query else {}
    if role:
        keep["role"] = role
    if show_inactive:
        keep["inactive"] = "1"
    page = data["page"]
    return render(
        request,
        "organisations/users.html",
        {
            "page": page,
            "count": data["count"],
            "query": query,
            "role": role,
            "roles": Role.choices,
            "show_inactive": show_inactive,
            "first_query": urlencode(keep),
            "next_query": urlencode(keep | {"after": page.next_cursor}) if page.next_cursor else "",
        },
    )


def _account(user: User, user_id: int) -> User:
    account = users_visible_to(user=user).filter(pk=user_id).first()
    if account is None:
        raise Http404
    return account


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    initial = {}
    if (organisation := query_id(request.GET.get("organisation"))) is not None:
        initial["organisation"] = organisation
    form = NewAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in AccountForm.Meta.fields}
        try:
            account = services.create_user(
                user=user, values=values, password=form.cleaned_data["password1"]
            )
        except services.OrganisationRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已创建账号：{name}").format(name=account.username))
            return redirect("organisations:users")
    return render(request, "organisations/user_form.html", {"form": form, "account": None})


@login_required
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _admin(request)
    account = _account(user, user_id)
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in AccountForm.Meta.fields}
        try:
            services.update_user(user=user, user_id=account.pk, values=values)
        except services.OrganisationRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存账号：{name}").format(name=values["username"]))
            return redirect("organisations:users")
    if request.method == "POST":
        account.refresh_from_db()  # the form changed the instance in memory
    return render(
        request,
        "organisations/user_form.html",
        {"form": form, "account": account, "password_form": PasswordResetForm(account=account)},
    )


@login_required
@require_POST
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _admin(request)
    account = _account(user, user_id)
    form = PasswordResetForm(request.POST, account=account)
    if form.is_valid():
        services.reset_password(
            user=user, user_id=account.pk, password=form.cleaned_data["password1"]
        )
        messages.success(
            request,
            _("已重置 {name} 的密码，请通过安全渠道告知本人并提醒其登录后修改。").format(
                name=account.username
            ),
        )
        return redirect("organisations:user_edit", user_id=account.pk)
    return render(
        request,
        "organisations/user_form.html",
        {"form": AccountForm(instance=account), "account": account, "password_form": form},
        status=400,
    )


@login_required
@require_POST
def user_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    """重置两步验证: the person's authenticator is removed (a lost phone); they enrol again."""
    user = _admin(request)
    account = _account(user, user_id)
    account_services.reset_two_factor(admin=user, user_id=account.pk)
    messages.success(
        request,
        _("已重置 {name} 的两步验证，其下次登录时需重新绑定身份验证器。").format(
            name=account.username
        ),
    )
    return redirect("organisations:user_edit", user_id=account.pk)


@login_required
@require_POST
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _admin(request)
    account = _account(user, user_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_user_active(user=user, user_id=account.pk, active=active)
    except services.OrganisationRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            (_("已启用账号：{name}") if active else _("已停用账号：{name}")).format(
                name=account.username
            ),
        )
    return redirect("organisations:user_edit", user_id=account.pk)
