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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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

# Where the indicator library's picker and per-target history live, when the library is installed
# (the library is another part of issue 10; the page works without it).
LIBRARY_PICKER_URLS = ("library:picker", "library:search")
LIBRARY_HISTORY_TEMPLATES = ("library/_target_history.html", "library/_history.html")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def can_edit(user: User, evaluation: Evaluation) -> bool:
    return user.role in evaluation_services.EDITOR_ROLES and evaluation.is_editable


def _library_picker_url() -> str:
    for name in LIBRARY_PICKER_URLS:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def _library_history_template() -> str:
    try:
        return select_template(list(LIBRARY_HISTORY_TEMPLATES)).template.name  # type: ignore[no-any-return,union-attr]
    except TemplateDoesNotExist:
        return ""


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
        "library_picker_url": _library_picker_url() if editable else "",
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
    context["library_history_template"] = _library_history_template()
    context["in_force"] = None
    if evaluation.status in selectors.APPROVED_STATUSES:
        context["in_force"] = selectors.targets_in_force(
            unit_id=evaluation.unit_id,
            year=evaluation.campaign.year,
            project_id=evaluation.project_id,
        )
        context["can_adjust"] = user.role in evaluation_services.EDITOR_ROLES
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
