"""Target declaration pages (绩效目标申报): the entry page, the reviewer's page, live checks, autosave.

A declaration is an evaluation of a ``targets`` campaign: ``evaluations:detail`` and
``evaluations:edit`` hand such an evaluation to :func:`declaration_detail` and
:func:`declaration_edit`, so every link to an evaluation works for a declaration too. Views stay
thin: reads through selectors (scoped; not yours → 404), writes through services.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.evaluations import selectors as evaluation_selectors
from jixiao.evaluations import services as evaluation_services
from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.ownership import ServerOwnedChange
from jixiao.evaluations.scoring_bridge import Unstorable
from jixiao.organisations.models import User
from jixiao.targets import declarations, selectors, services
from jixiao.targets.entry import (
    DIRECTIONS,
    FIELD_LABELS,
    EntryForm,
    declaration_fields,
    describe_field,
    form_from_data,
    form_from_post,
    level2_choices,
)
from scoring.loading import InputError
from scoring.targets import LEVEL2, Level1

# The indicator library (jixiao.indicators): its picker on the entry page, its history and
# benchmark beside each target on the reviewer's page; the pages work without it.
LIBRARY_PICKER_TEMPLATE = "indicators/_picker.html"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def can_edit(user: User, evaluation: Evaluation) -> bool:
    return user.role in evaluation_services.EDITOR_ROLES and evaluation.is_editable


def _library_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("jixiao.indicators")


def _checks_context(evaluation: Evaluation, data: dict[str, Any], note: str = "") -> dict[str, Any]:
    """The checks on ``data``: input faults (the declaration does not validate) or the rules'
    errors and warnings, each with its row."""
    try:
        declarations.parse_declaration(data)
    except InputError as exc:
        faults = [declarations.input_problem_text(p) for p in exc.problems]
        return {"faults": faults, "errors": [], "warnings": [], "note": note, "checked": True}
    findings = declarations.findings_for(evaluation, data)
    rows = [
        {"text": declarations.finding_text(f), "row": f.row, "code": f.code, "target": f.target}
        for f in findings
    ]
    return {
        "faults": [],
        "errors": [r for r, f in zip(rows, findings, strict=True) if f.is_error],
        "warnings": [r for r, f in zip(rows, findings, strict=True) if not f.is_error],
        "flagged_rows": sorted({f.row for f in findings if f.row}),
        "note": note,
        "checked": True,
    }


def _typed_data(evaluation: Evaluation, form: EntryForm) -> dict[str, Any] | None:
    if not form.ok:
        return None
    data = dict(evaluation.data)
    data.update(declaration_fields(form))
    return data


def _page_context(
    request: HttpRequest,
    evaluation: Evaluation,
    form: EntryForm,
    *,
    editable: bool,
    version: int,
    window: str = "",
    conflict: str = "",
) -> dict[str, Any]:
    user = _user(request)
    typed = _typed_data(evaluation, form)
    note = "" if typed is not None else _("输入有误，下列检查按已保存的内容进行。")
    return_note = selectors.latest_return_comments(user=user, declaration=evaluation)
    by_target = return_note["by_target"] if return_note else {}
    return {
        "e": evaluation,
        "form": form,
        "rows": [
            {
                "n": index + 1,
                "v": row,
                "err": {
                    name: form.errors[f"{index}-{name}"]
                    for name in row
                    if f"{index}-{name}" in form.errors
                },
                "comment": by_target.get(row.get("code", ""), ""),
            }
            for index, row in enumerate(form.rows)
        ],
        "empty_row": {"v": {"level1": Level1.OUTPUT.value, "direction": ">="}, "err": {}},
        "field_errors": form.errors,
        "form_errors": form.error_list(),
        "checks": _checks_context(evaluation, typed or evaluation.data, note),
        "level1_choices": [level.value for level in Level1],
        "level2_json": json.dumps(
            {level.value: list(names) for level, names in LEVEL2.items()}, ensure_ascii=False
        ),
        "level2_choices": level2_choices(),
        "directions": DIRECTIONS,
        "labels": FIELD_LABELS,
        "editable": editable,
        "version": version,
        "window": window or uuid.uuid4().hex,
        "conflict": conflict,
        "return_note": return_note,
        "library_picker": LIBRARY_PICKER_TEMPLATE if editable and _library_installed() else "",
        "days_left": (
            evaluation_selectors.days_left(evaluation.deadline) if evaluation.is_editable else None
        ),
    }


def declaration_edit(request: HttpRequest, evaluation: Evaluation) -> HttpResponse:
    """填报: the declaration's entry page (GET), and 保存 (POST), for the unit while editable."""
    user = _user(request)
    editable = can_edit(user, evaluation)
    if request.method != "POST":
        context = _page_context(
            request,
            evaluation,
            form_from_data(evaluation.data),
            editable=editable,
            version=evaluation.version,
        )
        return render(request, "targets/edit.html", context)
    if not editable:
        raise PermissionDenied(_("该申报当前不可由您修改"))
    form = form_from_post(request.POST)
    version = _posted_version(request)
    window = _posted_window(request)
    conflict = ""
    status = 400
    if form.ok:
        try:
            outcome = services.save_declaration(
                user=user,
                declaration_id=evaluation.pk,
                base_version=version,
                form=form,
                window=window,
            )
        except evaluation_services.EvaluationConflict as exc:
            conflict, status = str(exc), 409
        except evaluation_services.NotEditable as exc:
            messages.error(request, str(exc))
            return redirect("evaluations:detail", pk=evaluation.pk)
        except (Unstorable, ServerOwnedChange) as exc:
            form.errors["targets"] = str(exc)
        else:
            saved = outcome.evaluation
            if outcome.changed:
                messages.success(
                    request,
                    _("绩效目标申报已保存（第 {version} 版）").format(version=saved.version),
                )
            else:
                messages.success(
                    request,
                    _("没有修改，无需保存（仍为第 {version} 版）").format(version=saved.version),
                )
            return redirect("evaluations:edit", pk=evaluation.pk, section="targets")
    context = _page_context(
        request,
        evaluation,
        form,
        editable=True,
        version=version,
        window=window,
        conflict=conflict,
    )
    return render(request, "targets/edit.html", context, status=status)


def declaration_detail(request: HttpRequest, evaluation: Evaluation) -> HttpResponse:
    """概览 and review: the declaration as a table, its checks, each target's history and
    benchmark (指标库, when installed), the review panel and, once approved, the 绩效目标表."""
    user = _user(request)
    context = _page_context(
        request,
        evaluation,
        form_from_data(evaluation.data),
        editable=False,
        version=evaluation.version,
    )
    context["can_edit"] = can_edit(user, evaluation)
    context["library_context"] = _library_installed()
    context["in_force"] = None
    if evaluation.status in selectors.APPROVED_STATUSES:
        context["in_force"] = selectors.targets_in_force(
            unit_id=evaluation.unit_id,
            year=evaluation.campaign.year,
            project_id=evaluation.project_id,
        )
        context["can_adjust"] = user.role in evaluation_services.EDITOR_ROLES
        context["adjustments_url"] = reverse("targets:versions", args=[evaluation.pk])
    try:
        from jixiao.reviews.selectors import review_panel_context
    except ImportError:  # pragma: no cover - the review app is part of every deployment
        pass
    else:
        context.update(review_panel_context(user=user, evaluation=evaluation))
    return render(request, "targets/detail.html", context)


@login_required
@require_POST
def checks(request: HttpRequest, declaration_id: int) -> HttpResponse:
    """实时检查: the checks on the page's unsaved values (nothing is saved)."""
    evaluation = selectors.get_declaration(user=_user(request), declaration_id=declaration_id)
    form = form_from_post(request.POST)
    typed = _typed_data(evaluation, form)
    note = "" if typed is not None else _("输入有误，下列检查按已保存的内容进行。")
    context = {
        "checks": _checks_context(evaluation, typed or evaluation.data, note),
        "form_errors": form.error_list(),
        "oob": True,
    }
    return render(request, "targets/_checks.html", context)


@login_required
@require_POST
def autosave(request: HttpRequest, declaration_id: int) -> HttpResponse:
    """自动保存: stores what reads (numbers that are numbers), refuses the rest with its reason."""
    user = _user(request)
    evaluation = selectors.get_declaration(user=user, declaration_id=declaration_id)
    context: dict[str, Any] = {"ok": False, "message": "", "version": None}
    if not can_edit(user, evaluation):
        context["message"] = _("该申报当前不可修改，未自动保存。")
        return render(request, "targets/_autosave.html", context)
    form = form_from_post(request.POST)
    if not form.ok:
        context["message"] = _("未自动保存：{errors}").format(
            errors="；".join(form.error_list()[:3])
        )
        return render(request, "targets/_autosave.html", context)
    try:
        outcome = services.save_declaration(
            user=user,
            declaration_id=evaluation.pk,
            base_version=_posted_version(request),
            form=form,
            window=_posted_window(request),
        )
    except evaluation_services.EvaluationConflict as exc:
        context["message"] = str(exc)
        return render(request, "targets/_autosave.html", context)
    except (evaluation_services.NotEditable, Unstorable, ServerOwnedChange) as exc:
        context["message"] = _("未自动保存：{errors}").format(errors=str(exc))
        return render(request, "targets/_autosave.html", context)
    saved = outcome.evaluation
    context.update(
        ok=True,
        version=saved.version,
        e=saved,
        message=(
            _("已自动保存 {time}（第 {version} 版）").format(
                time=timezone.localtime(saved.updated_at).strftime("%H:%M:%S"),
                version=saved.version,
            )
            if outcome.changed
            else _("没有新的修改（第 {version} 版）").format(version=saved.version)
        ),
    )
    return render(request, "targets/_autosave.html", context)


def _posted_window(request: HttpRequest) -> str:
    token = request.POST.get("window", "")
    return token if token.isalnum() and len(token) <= 32 else ""


def _posted_version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


__all__ = ["autosave", "checks", "declaration_detail", "declaration_edit", "describe_field"]


# --- 绩效目标调整 (target adjustments) -----------------------------------------------------------


def _in_force_data(evaluation: Evaluation) -> dict[str, Any]:
    in_force = selectors.targets_in_force(
        unit_id=evaluation.unit_id, year=evaluation.campaign.year, project_id=evaluation.project_id
    )
    return in_force.data if in_force is not None else evaluation.data


@login_required
@require_http_methods(["GET", "POST"])
def adjust(request: HttpRequest, declaration_id: int) -> HttpResponse:
    """申请调整: the targets in force, prefilled, to change, with the reason (unit editor/head)."""
    user = _user(request)
    evaluation = selectors.get_declaration(user=user, declaration_id=declaration_id)
    if user.role not in evaluation_services.EDITOR_ROLES:
        raise Http404
    if evaluation.status not in selectors.APPROVED_STATUSES:
        messages.error(request, _("绩效目标尚未经财政审定，不能申请调整（可直接修改申报）"))
        return redirect("evaluations:detail", pk=evaluation.pk)
    reason = ""
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = form_from_post(request.POST)
        reason = request.POST.get("reason", "").strip()[:5000]
        try:
            adjustment = services.request_adjustment(
                user=user, declaration_id=evaluation.pk, form=form, reason=reason
            )
        except services.AdjustmentRefused as refused:
            problems, status = refused.problems, 400
        else:
            messages.success(
                request,
                _("已提交第 {n} 次调整申请，等待主管部门审核").format(n=adjustment.number),
            )
            return redirect("targets:adjustment", adjustment_id=adjustment.pk)
    else:
        form = form_from_data(_in_force_data(evaluation))
    context = _page_context(request, evaluation, form, editable=True, version=evaluation.version)
    context.update(
        reason=reason,
        problems=problems,
        adjustments_url=reverse("targets:versions", args=[evaluation.pk]),
        return_note=None,
    )
    return render(request, "targets/adjust.html", context, status=status)


@login_required
@require_GET
def versions(request: HttpRequest, declaration_id: int) -> HttpResponse:
    """目标调整与版本: every version in force side by side (申报, 调整1, 调整2 …), changes
    highlighted, and every adjustment request with its state."""
    user = _user(request)
    evaluation = selectors.get_declaration(user=user, declaration_id=declaration_id)
    in_force = None
    if evaluation.status in selectors.APPROVED_STATUSES:
        in_force = selectors.targets_in_force(
            unit_id=evaluation.unit_id,
            year=evaluation.campaign.year,
            project_id=evaluation.project_id,
        )
    version_list = in_force.versions if in_force is not None else [("申报", evaluation.data)]
    open_request = selectors.adjustments_visible_to(user=user).filter(
        declaration=evaluation, status__in=services.OPEN_STATUSES
    )
    return render(
        request,
        "targets/versions.html",
        {
            "e": evaluation,
            "labels": [label for label, _data in version_list],
            "rows": selectors.version_rows(version_list),
            "adjustments": list(
                selectors.adjustments_visible_to(user=user).filter(declaration=evaluation)
            ),
            "can_adjust": (
                in_force is not None
                and user.role in evaluation_services.EDITOR_ROLES
                and not open_request.exists()
            ),
            "adjustments_url": request.path,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def adjustment_detail(request: HttpRequest, adjustment_id: int) -> HttpResponse:
    """One adjustment: what changes (before / after), the checks, the reason and the decisions;
    the department, then the bureau, approve or refuse here; the unit may withdraw."""
    user = _user(request)
    adjustment = selectors.get_adjustment(user=user, adjustment_id=adjustment_id)
    status = 200
    problems: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        comment = request.POST.get("comment", "")[:5000]
        try:
            if action in ("approve", "refuse"):
                services.decide_adjustment(
                    user=user,
                    adjustment_id=adjustment.pk,
                    approve=action == "approve",
                    comment=comment,
                )
            elif action == "withdraw":
                services.withdraw_adjustment(user=user, adjustment_id=adjustment.pk)
            else:
                raise services.AdjustmentRefused([_("未知的操作")])
        except services.AdjustmentRefused as refused:
            problems, status = refused.problems, 400
        else:
            adjustment.refresh_from_db()
            messages.success(
                request,
                _("已办理，调整申请当前为“{status}”").format(
                    status=adjustment.get_status_display()
                ),
            )
            return redirect("targets:adjustment", adjustment_id=adjustment.pk)
    declaration = adjustment.declaration
    can_decide = (adjustment.status == "requested" and user.role == "department_reviewer") or (
        adjustment.status == "department_approved" and user.role in services.BUREAU_ROLES
    )
    return render(
        request,
        "targets/adjustment.html",
        {
            "a": adjustment,
            "e": declaration,
            "labels": [_("调整前"), _("调整后")],
            "rows": selectors.version_rows(
                [("调整前", adjustment.base_data), ("调整后", adjustment.data)]
            ),
            "checks": _checks_context(declaration, adjustment.data),
            "can_decide": can_decide,
            "can_withdraw": (
                adjustment.status in services.OPEN_STATUSES
                and user.role in evaluation_services.EDITOR_ROLES
            ),
            "problems": problems,
            "adjustments_url": reverse("targets:versions", args=[declaration.pk]),
        },
        status=status,
    )


ADJUSTMENT_PAGE = 50


@login_required
@require_GET
def adjustment_list(request: HttpRequest) -> HttpResponse:
    """调整审核: the adjustments waiting for this user (or every one in scope, by state), keyset-paged."""
    from urllib.parse import urlencode

    from jixiao.targets.models import AdjustmentStatus

    user = _user(request)
    status = request.GET.get("status", "")
    if status != "all" and status not in AdjustmentStatus.values:
        status = ""
    page = selectors.adjustment_page(
        user=user, status=status, cursor=request.GET.get("after"), size=ADJUSTMENT_PAGE
    )
    first = {"status": status} if status else {}
    return render(
        request,
        "targets/adjustments.html",
        {
            "page": page,
            "items": page.rows,
            "status": status,
            "statuses": AdjustmentStatus.choices,
            "first_query": urlencode(first),
            "next_query": urlencode({**first, "after": page.next_cursor})
            if page.next_cursor
            else "",
        },
    )
