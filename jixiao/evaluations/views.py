"""Self-evaluation pages (绩效自评填报): list, overview, section editing with live scoring and
autosave, documents and evidence.

Views stay thin: reads go through selectors (scoped; not yours → 404), writes through services.
Anyone in scope may read; only the unit's 填报人 / 负责人 may write, and only while the evaluation is
editable (draft, returned).
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.activity.texts import log_text
from jixiao.campaigns.rulesets import get_ruleset
from jixiao.evaluations import selectors, services
from jixiao.evaluations.bound_targets import is_bound, target_comparison
from jixiao.evaluations.forms import EvidenceForm
from jixiao.evaluations.history import previous_actuals
from jixiao.evaluations.jobs import request_list_export
from jixiao.evaluations.list_export import (
    INLINE_ROWS,
    evaluations_workbook,
    xlsx_response,
)
from jixiao.evaluations.merge import MISSING
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.ownership import ServerOwnedChange
from jixiao.evaluations.scoring_bridge import (
    Scored,
    Unstorable,
    is_declaration,
    parse_data,
    score_data,
)
from jixiao.evaluations.sections import (
    SECTIONS,
    Entry,
    Section,
    build_entry,
    evaluation_kind,
    parse_field_path,
    section_for,
    sections_for,
)
from jixiao.organisations.models import User
from jixiao.reviews.services import missing_required_parts
from jixiao.web.security_headers import STYLE_BLOCK, policy_allowing_styles
from scoring import EvaluationResult, FlagCode, InputError
from scoring.ruleset import RuleSet
from scoring.target_binding import basis_sentence

DOCUMENT_FORMATS: dict[str, tuple[str, str]] = {
    # fmt → (file name suffix, content type)
    "pdf": ("自评报告.pdf", "application/pdf"),
    "docx": (
        "自评报告.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "txt": ("自评报告.txt", "text/plain; charset=utf-8"),
    "data.xlsx": (
        "数据表.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "scoring.xlsx": (
        "评分表.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


# The report's own CSS is for print; on screen it reads like a sheet of A4 on a grey desk.
PREVIEW_SCREEN_CSS = (
    "@media screen { html { background: #e9ecf1; } body { max-width: 210mm; margin: 12px auto !important; "
    "padding: 25mm 26mm; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.15); } }"
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def can_edit(user: User, evaluation: Evaluation) -> bool:
    """The unit's editor or head, while the evaluation is editable (scope is the selector's job)."""
    return user.role in services.EDITOR_ROLES and evaluation.is_editable


def _ruleset(data: dict[str, Any]) -> RuleSet | None:
    try:
        return get_ruleset(str(data.get("ruleset", "")))
    except InputError:
        return None


# --- list and overview --------------------------------------------------------------------------


LIST_PAGE_SIZE = 50


@login_required
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    """绩效自评列表: what the user may see, filterable by year and status, 50 rows a keyset page
    (``?after=`` the page before's last row; the filters ride along in the links)."""
    user = _user(request)
    year = request.GET.get("year", "")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    page = selectors.evaluation_page(
        user=user,
        year=year,
        status=status,
        q=query,
        cursor=request.GET.get("after"),
        size=LIST_PAGE_SIZE,
    )
    rows = page.rows
    for e in rows:
        e.days_left = selectors.days_left(e.deadline) if e.is_editable else None  # type: ignore[attr-defined]
    kept = {
        key: value for key, value in (("year", year), ("status", status), ("q", query)) if value
    }
    return render(
        request,
        "evaluations/list.html",
        {
            "evaluations": rows,
            "page": page,
            "count": page.extra.get("count"),
            "filter_query": urlencode(kept),
            "next_query": urlencode(kept | {"after": page.next_cursor}) if page.next_cursor else "",
            "years": selectors.list_years(user=user),
            "statuses": Status.choices,
            "year": year,
            "status": status,
            "q": query,
        },
    )


@login_required
@require_GET
def evaluation_list_export(request: HttpRequest) -> HttpResponse:
    """The 绩效自评列表 as filtered, as an .xlsx workbook (every row of the filter, text cells):
    built here when small, by a background job when large (its page offers the file)."""
    user = _user(request)
    filters = {
        "year": request.GET.get("year", ""),
        "status": request.GET.get("status", ""),
        "q": request.GET.get("q", "").strip()[:100],
    }
    rows = list(selectors.filtered_evaluations(user=user, **filters)[: INLINE_ROWS + 1])
    if len(rows) > INLINE_ROWS:
        job = request_list_export(user=user, **filters)
        messages.info(request, _("符合条件的自评较多，Excel 在后台生成，完成后可在本页下载。"))
        return redirect("jobs:detail", job_id=job.pk)
    content = evaluations_workbook(_("绩效自评列表"), rows)
    return xlsx_response(content, "evaluations", _("绩效自评列表"))


def _section_faults(raw: list[Any]) -> dict[str, int]:
    """How many of the scoring core's input faults fall in each section (for the overview)."""
    counts: dict[str, int] = {}
    for problem in raw:
        path = parse_field_path(problem.field)
        key = next(
            (s.key for s in SECTIONS if path and path[0] in s.data_keys),
            "targets" if not path else "",
        )
        counts[key] = counts.get(key, 0) + 1
    return counts


def _pending_sections(data: dict[str, Any], result: EvaluationResult | None) -> list[str]:
    """The section of each item the submission check lists beyond input faults: explanations the
    rules require, targets without an actual value, and required parts left empty."""
    by_data_key = {key: s.key for s in SECTIONS for key in s.data_keys}
    keys: list[str] = []
    if result is not None:
        for indicator in result.indicators:
            if any(f.missing_explanation or f.code is FlagCode.NOT_SCORED for f in indicator.flags):
                keys.append(by_data_key["targets" if indicator.unit_defined else "assessments"])
        keys += [by_data_key["budget"] for f in result.flags if f.missing_explanation]
    keys += [by_data_key[key] for key in missing_required_parts(data) if key in by_data_key]
    return keys


def _input_problems(data: dict[str, Any]) -> list[Any]:
    try:
        parse_data(data)
    except InputError as exc:
        return list(exc.problems)
    return []


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """概览: status, deadline, score, the indicator table, ratios, open issues, evidence, review."""
    user = _user(request)
    evaluation = selectors.get_evaluation(user=user, evaluation_id=pk)
    if evaluation.data.get("kind") == "monitoring":  # 绩效运行监控 has its own page
        return redirect("monitoring:report", pk=pk)
    if is_declaration(evaluation.data):  # 绩效目标申报: its own page (jixiao.targets)
        from jixiao.targets.views import declaration_detail

        return declaration_detail(request, evaluation)
    scored = score_data(evaluation.data, history=previous_actuals(evaluation))
    raw = _input_problems(evaluation.data)
    faults = _section_faults(raw)
    # The checklist also counts what the submission check will ask for, so no section shows ✓
    # while the 缺项清单 still names something in it.
    for key in _pending_sections(evaluation.data, scored.result):
        faults[key] = faults.get(key, 0) + 1
    tabs = sections_for(evaluation_kind(evaluation.data))
    context: dict[str, Any] = {
        "e": evaluation,
        "scored": scored,
        "result": scored.result,
        "editable": can_edit(user, evaluation),
        "tabs": tabs,
        "faults": faults,
        "sections": [(s, faults.get(s.key, 0)) for s in tabs],
        "evidence": list(selectors.evidence_for(user=user, evaluation_id=pk)),
        "days_left": selectors.days_left(evaluation.deadline) if evaluation.is_editable else None,
        "formats": DOCUMENT_FORMATS,
        # Declared, adjusted and evaluated targets side by side (bound evaluations only).
        "target_comparison": target_comparison(evaluation),
    }
    if scored.result is not None:
        context["group_chart"] = [
            {"name": g.name, "score": str(g.score), "points": str(g.points)}
            for g in scored.result.groups
        ]
    context.update(_review_panel(user, evaluation))
    context.update(_monitoring_history(user, evaluation))
    return render(request, "evaluations/detail.html", context)


def _monitoring_history(user: User, evaluation: Evaluation) -> dict[str, Any]:
    # The year's monitoring rounds beside each target (jixiao.monitoring); the page works without.
    try:
        from jixiao.monitoring.selectors import history_context
    except ImportError:
        return {}
    return history_context(user=user, evaluation=evaluation)


def _review_panel(user: User, evaluation: Evaluation) -> dict[str, Any]:
    # The review panel belongs to jixiao.reviews; the page works without it.
    try:
        from jixiao.reviews.selectors import review_panel_context
    except ImportError:
        return {}
    return review_panel_context(user=user, evaluation=evaluation)


# --- section editing --------------------------------------------------------------------------


def _entry_context(
    evaluation: Evaluation,
    entry: Entry,
    *,
    user: User,
    editable: bool,
    version: int,
    data: dict[str, Any],
    conflict: str = "",
    window: str = "",
) -> dict[str, Any]:
    scored = score_data(data, history=previous_actuals(evaluation))
    if scored.result is not None:
        entry.mark_missing(entry.missing_fields(data, scored.result))
    if not editable:
        for form in _all_forms(entry):
            for bound in form.fields.values():
                bound.disabled = True
    tabs = sections_for(evaluation_kind(evaluation.data))
    keys = [s.key for s in tabs]
    position = keys.index(entry.section.key)
    return {
        "e": evaluation,
        "entry": entry,
        "section": tabs[position],
        "next_section": tabs[position + 1] if position + 1 < len(tabs) else None,
        "reload_url": reverse("evaluations:edit", args=[evaluation.pk, entry.section.key]),
        "days_left": selectors.days_left(evaluation.deadline) if evaluation.is_editable else None,
        "tabs": tabs,
        "faults": _section_faults(_input_problems(evaluation.data)),
        "band_ranges": {b.key: [str(b.low), str(b.high)] for b in entry.bands},
        "return_note": _return_note(user, evaluation, entry.section.key),
        "evidence_counts": (
            selectors.evidence_counts(user=user, evaluation_id=evaluation.pk)
            if entry.section.key in ("targets", "assessments")
            else {}
        ),
        "editable": editable,
        "version": version,
        "window": window or uuid.uuid4().hex,
        "conflict": conflict,
        "panel": _panel_context(data, scored, entry),
        **(_monitoring_history(user, evaluation) if entry.section.key == "targets" else {}),
        "targets_basis": (
            basis_sentence(data["targets_basis"])
            if entry.section.key == "targets" and is_bound(data)
            else ""
        ),
    }


def _return_note(user: User, evaluation: Evaluation, section_key: str) -> dict[str, Any] | None:
    """The reviewer's latest return, with its comment on this section, while it is being fixed."""
    if evaluation.status != Status.RETURNED:
        return None
    try:
        from jixiao.reviews.selectors import history_for
    except ImportError:  # the review app is not installed in this deployment
        return None
    returns = [h for h in history_for(user=user, evaluation=evaluation) if h.is_return]
    if not returns:
        return None
    latest = returns[-1]
    here = [c.text for c in latest.section_comments if c.key == section_key]
    return {"transition": latest.transition, "section_comment": here[0] if here else ""}


def _all_forms(entry: Entry) -> list[Any]:
    out: list[Any] = list(entry.forms.values())
    for formset in entry.formsets.values():
        out += list(formset.forms)
        out.append(formset.empty_form)
    return out


def _panel_context(
    data: dict[str, Any], scored: Scored, entry: Entry, note: str = ""
) -> dict[str, Any]:
    missing = entry.missing_fields(data, scored.result) if scored.result is not None else {}
    return {"scored": scored, "result": scored.result, "missing": missing, "note": note}


def _section_of(request: HttpRequest, pk: int, section: str) -> tuple[User, Evaluation, Section]:
    """The acting user, the evaluation (404 when not theirs) and the section (404 when unknown)."""
    user = _user(request)
    evaluation = selectors.get_evaluation(user=user, evaluation_id=pk)
    spec = section_for(section)
    if spec is None or is_declaration(evaluation.data):
        raise Http404  # a declaration has one entry page (section_edit), no per-section parts
    return user, evaluation, spec


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """One part of the self-evaluation: prefilled forms; 保存 validates the part and saves it."""
    declaration = selectors.get_evaluation(user=_user(request), evaluation_id=pk)
    if is_declaration(declaration.data):  # 绩效目标申报: one entry page for every section name
        from jixiao.targets.views import declaration_edit

        return declaration_edit(request, declaration)
    user, evaluation, spec = _section_of(request, pk, section)
    if evaluation.data.get("kind") == "monitoring":  # 绩效运行监控 has its own page
        return redirect("monitoring:report", pk=pk)
    editable = can_edit(user, evaluation)
    ruleset = _ruleset(evaluation.data)
    if request.method == "GET":
        if editable and services.follow_targets_in_force(evaluation_id=pk, actor=user):
            # An adjustment approved (or the declaration approved) since the last save: the
            # bound targets follow it before the page shows them (bound_targets).
            evaluation = selectors.get_evaluation(user=user, evaluation_id=pk)
        entry = build_entry(
            spec, evaluation.data, ruleset, registered=evaluation.project_id is not None
        )
        context = _entry_context(
            evaluation,
            entry,
            user=user,
            editable=editable,
            version=evaluation.version,
            data=evaluation.data,
        )
        return render(request, "evaluations/edit.html", context)

    if not editable:
        raise PermissionDenied(_("该自评当前不可由您修改"))
    entry = build_entry(
        spec,
        evaluation.data,
        ruleset,
        post=request.POST,
        registered=evaluation.project_id is not None,
    )
    version = _posted_version(request)
    conflict = ""
    data = evaluation.data
    status = 400
    if entry.is_valid():
        data = entry.merged(evaluation.data)
        blocking = False
        try:
            parse_data(data)
        except InputError as exc:
            blocking = entry.place_problems(exc.problems, data)
        if not blocking:
            try:
                outcome, _in_step = _save_section(user, pk, version, entry, _posted_window(request))
            except services.EvaluationConflict as exc:
                conflict, status = str(exc), 409
            except services.NotEditable as exc:
                messages.error(request, str(exc))
                return redirect("evaluations:detail", pk=pk)
            except Unstorable as exc:  # a whole-document limit (scoring_bridge.check_storable)
                _place_unstorable(entry, exc, data)
            except ServerOwnedChange as exc:  # a hand-made post: the forms never send these
                entry.section_errors.extend(message for _field, message in exc.problems)
            else:
                messages.success(request, _saved_message(spec, outcome))
                target = request.POST.get("next_section", "")
                if section_for(target) is not None:
                    return redirect("evaluations:edit", pk=pk, section=target)
                return redirect("evaluations:edit", pk=pk, section=section)
    context = _entry_context(
        evaluation,
        entry,
        user=user,
        editable=True,
        version=version,
        data=data,
        conflict=conflict,
        window=_posted_window(request),
    )
    context["not_saved"] = [] if conflict else _form_error_list(entry)
    if data is evaluation.data:
        context["panel"]["note"] = _("输入有误，右侧按已保存的内容计算。")
    return render(request, "evaluations/edit.html", context, status=status)


def _place_unstorable(entry: Entry, exc: Unstorable, data: dict[str, Any]) -> None:
    """Each unstorable value next to its field, or in the section's list when it has none here."""
    entry.place_problems(exc.problems, data)
    entry.section_errors.extend(p for p in entry.other_problems if p not in entry.section_errors)


def _save_section(
    user: User, pk: int, version: int, entry: Entry, window: str
) -> tuple[services.SaveOutcome, bool]:
    """Save what the user changed on this page since ``version`` (merged with others' saves of
    other fields). Also says whether the page now shows the stored version of its own part: false
    when the merge kept someone else's change to a field on this page, which the page does not
    show yet, so its next save must not be based on the new version (it would undo that change)."""
    wanted: dict[str, Any] = {}

    def build(base: dict[str, Any]) -> dict[str, Any]:
        wanted.update(entry.merged(base))
        return wanted

    outcome = services.save_changes(
        user=user,
        evaluation_id=pk,
        base_version=version,
        build=build,
        summary=log_text("保存了“{section}”", section=entry.section.label),
        window=window,
    )
    keys = entry.section.data_keys
    stored = outcome.evaluation.data
    in_step = all(wanted.get(k, MISSING) == stored.get(k, MISSING) for k in keys)
    return outcome, in_step


def _saved_message(spec: Section, outcome: services.SaveOutcome) -> str:
    version = outcome.evaluation.version
    if not outcome.changed:
        return _("“{section}”没有修改，无需保存（仍为第 {version} 版）").format(
            section=spec.label, version=version
        )
    text = _("“{section}”已保存（第 {version} 版）").format(section=spec.label, version=version)
    if outcome.merged:
        text += _("；其他人同时保存的 {n} 处修改已一并保留").format(n=len(outcome.merged))
    return text


def _posted_window(request: HttpRequest) -> str:
    """The editing page's token (see services.save_changes); a fresh page gets a new one."""
    token = request.POST.get("window", "")
    return token if token.isalnum() and len(token) <= 32 else ""


def _posted_version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # never matches: a form without its version cannot overwrite anything


@login_required
@require_POST
def preview_score(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """实时评分: the side panel scored from the form's current, unsaved values (nothing is saved)."""
    _actor, evaluation, spec = _section_of(request, pk, section)
    entry = build_entry(
        spec,
        evaluation.data,
        _ruleset(evaluation.data),
        post=request.POST,
        registered=evaluation.project_id is not None,
    )
    note = ""
    data = evaluation.data
    if entry.is_valid():
        data = entry.merged(evaluation.data)
    else:
        note = _("部分输入格式有误（见表单中红字），以下按已保存的内容计算。")
    scored = score_data(data, history=previous_actuals(evaluation))
    return render(
        request, "evaluations/_score_panel.html", _panel_context(data, scored, entry, note)
    )


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """自动保存: stores whatever is structurally storable (see docs/decisions.md), refuses the rest."""
    user, evaluation, spec = _section_of(request, pk, section)
    context: dict[str, Any] = {
        "version": None,
        "ok": False,
        "message": "",
        "pending": [],
        "reload_url": reverse("evaluations:edit", args=[pk, section]),
    }
    if not can_edit(user, evaluation):
        context["message"] = _("该自评当前不可修改，未自动保存。")
        return render(request, "evaluations/_autosave.html", context)
    entry = build_entry(
        spec,
        evaluation.data,
        _ruleset(evaluation.data),
        post=request.POST,
        registered=evaluation.project_id is not None,
    )
    if not entry.is_valid():
        context["message"] = _("未自动保存：有输入格式错误，请按提示修改。{errors}").format(
            errors=_form_error_summary(entry)
        )
        # Each error goes next to its field at once, not only after 保存 (entry.js places them).
        context["refused"] = True
        context["field_errors_json"] = json.dumps(_field_errors(entry), ensure_ascii=False)
        context["not_saved"] = _form_error_list(entry)
        return render(request, "evaluations/_autosave.html", context)
    version = _posted_version(request)
    try:
        outcome, in_step = _save_section(user, pk, version, entry, _posted_window(request))
    except services.EvaluationConflict as exc:
        context.update(conflict=True, message=str(exc))
        return render(request, "evaluations/_autosave.html", context)
    except services.NotEditable as exc:
        context["message"] = str(exc)
        return render(request, "evaluations/_autosave.html", context)
    except ServerOwnedChange as exc:  # a hand-made post: the forms never send these
        context["message"] = _("未自动保存：{errors}").format(
            errors="；".join(message for _field, message in exc.problems)
        )
        context["refused"] = True
        return render(request, "evaluations/_autosave.html", context)
    except Unstorable as exc:  # never stored, not even in a draft: said next to the field
        _place_unstorable(entry, exc, entry.merged(evaluation.data))
        context["message"] = _("未自动保存：有不能保存的内容，请按提示修改。{errors}").format(
            errors=_form_error_summary(entry)
        )
        context["refused"] = True
        context["field_errors_json"] = json.dumps(_field_errors(entry), ensure_ascii=False)
        context["not_saved"] = entry.section_errors + _form_error_list(entry)
        return render(request, "evaluations/_autosave.html", context)
    saved = outcome.evaluation
    try:
        parse_data(saved.data)
    except InputError as exc:
        entry.merged(saved.data)  # the row positions the faults are counted in
        entry.place_problems(exc.problems, saved.data)
        context["pending"] = entry.section_errors + _form_error_list(entry)
    if not outcome.changed:
        message = _("没有新的修改（第 {version} 版）").format(version=saved.version)
    else:
        message = _("已自动保存 {time}（第 {version} 版）").format(
            time=timezone.localtime(saved.updated_at).strftime("%H:%M:%S"), version=saved.version
        )
    context.update(
        ok=True,
        saved=saved,
        # The page's next save is based on the version it now shows (see _save_section).
        version=saved.version if in_step else version,
        stale=not in_step,
        message=message,
    )
    return render(request, "evaluations/_autosave.html", context)


def _form_error_list(entry: Entry) -> list[str]:
    """Every error on the page, each saying where it is (「绩效目标第 3 行 · 年度指标值：…」)."""
    out: list[str] = []

    def describe(form: Any, where: str) -> None:
        if not form.is_bound or getattr(form, "_errors", None) is None:
            return
        for name, errors in form.errors.items():
            label = str(form.fields[name].label) if name in form.fields else ""
            place = " · ".join(p for p in (where, label) if p)
            out.extend(f"{place}：{e}" if place else str(e) for e in errors)

    for form in entry.forms.values():
        describe(form, "")
    for rows, formset in entry.row_groups:
        for index, form in enumerate(formset.forms):
            describe(form, _("{rows}第 {n} 行").format(rows=rows.label, n=index + 1))
        out.extend(str(e) for e in formset.non_form_errors())
    return out


def _field_errors(entry: Entry) -> dict[str, list[str]]:
    """HTML field name → its errors (errors of a whole row or list are in _form_error_list)."""
    out: dict[str, list[str]] = {}
    forms = list(entry.forms.values())
    for _rows, formset in entry.row_groups:
        forms += list(formset.forms)
    for form in forms:
        if not form.is_bound or getattr(form, "_errors", None) is None:
            continue
        for name, errors in form.errors.items():
            if name in form.fields:
                out[form.add_prefix(name)] = [str(e) for e in errors]
    return out


def _form_error_summary(entry: Entry) -> str:
    errors = _form_error_list(entry)
    return (
        ("（" + "；".join(errors[:3]) + ("……" if len(errors) > 3 else "") + "）") if errors else ""
    )


# --- documents -----------------------------------------------------------------------------


@login_required
@require_GET
def document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """报告、数据表、评分表 from the current data, at any time; what is missing when it cannot be."""
    from jixiao.documents.naming import document_filename
    from jixiao.documents.package import render_document

    user = _user(request)
    evaluation = selectors.get_evaluation(user=user, evaluation_id=pk)
    if fmt not in DOCUMENT_FORMATS or is_declaration(evaluation.data):
        raise Http404
    scored = score_data(evaluation.data)
    if scored.evaluation is None or scored.result is None:
        return _not_ready(request, evaluation, scored)
    content = render_document(scored.evaluation, scored.result, fmt, ruleset=scored.ruleset)
    _suffix, content_type = DOCUMENT_FORMATS[fmt]
    name = document_filename(
        year=evaluation.campaign.year,
        unit_name=evaluation.unit.name,
        project_name=evaluation.project_name,
        fmt=fmt,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


def _not_ready(request: HttpRequest, evaluation: Evaluation, scored: Scored) -> HttpResponse:
    return render(
        request,
        "evaluations/not_ready.html",
        {
            "e": evaluation,
            "problems": scored.problems,
            "editable": can_edit(_user(request), evaluation),
        },
        status=409,
    )


@login_required
@require_GET
def report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """自评报告预览 (HTML), the same report model the docx and pdf are rendered from."""
    from jixiao.documents.builder import build_report
    from jixiao.documents.render.html import render_html

    user = _user(request)
    evaluation = selectors.get_evaluation(user=user, evaluation_id=pk)
    if is_declaration(evaluation.data):
        raise Http404
    scored = score_data(evaluation.data)
    if scored.evaluation is None or scored.result is None:
        return _not_ready(request, evaluation, scored)
    html = render_html(build_report(scored.evaluation, scored.result)).replace(
        "</head>", f"<style>{PREVIEW_SCREEN_CSS}</style></head>", 1
    )
    response = render(request, "evaluations/preview.html", {"e": evaluation, "report_html": html})
    # The report's own <style> blocks, inside the sandboxed srcdoc frame, are allowed by their
    # digests; nothing else inline is.
    response["Content-Security-Policy"] = policy_allowing_styles(STYLE_BLOCK.findall(html))
    return response


# --- evidence ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """佐证材料: the list, and the upload form for the unit while it may edit."""
    user = _user(request)
    evaluation = selectors.get_evaluation(user=user, evaluation_id=pk)
    codes = services.indicator_codes(evaluation.data)
    editable = can_edit(user, evaluation)
    # No indicator is chosen for the user: a file filed under the first indicator by default is
    # filed wrongly. The link from a target row (?indicator=) chooses that row's indicator.
    choices = [("", _("请选择对应指标")), *codes.items()]
    form = EvidenceForm(
        indicators=choices,
        initial={"indicator_code": request.GET.get("indicator", "")},
    )
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("该自评当前不可由您修改"))
        form = EvidenceForm(request.POST, request.FILES, indicators=choices)
        if form.is_valid():
            try:
                item = services.attach_evidence(
                    user=user,
                    evaluation_id=pk,
                    indicator_code=form.cleaned_data["indicator_code"],
                    upload=form.cleaned_data["file"],
                )
            except (services.EvidenceRefused, services.NotEditable) as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("已上传“{name}”").format(name=item.original_name))
                return redirect("evaluations:evidence", pk=pk)
        status = 400
    items = list(selectors.evidence_for(user=user, evaluation_id=pk))
    for item in items:
        item.indicator_label = codes.get(item.indicator_code, item.indicator_code)  # type: ignore[attr-defined]
    return render(
        request,
        "evaluations/evidence.html",
        {
            "e": evaluation,
            "form": form,
            "items": items,
            "editable": editable,
            "tabs": sections_for(evaluation_kind(evaluation.data)),
            "max_mb": _max_mb(),
            "days_left": selectors.days_left(evaluation.deadline)
            if evaluation.is_editable
            else None,
        },
        status=status,
    )


def _max_mb() -> str:
    from django.conf import settings

    return f"{settings.JIXIAO_EVIDENCE_MAX_BYTES / (1024 * 1024):.0f}"


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    user = _user(request)
    item = selectors.get_evidence(user=user, evidence_id=evidence_id)
    if item.evaluation_id != pk:
        raise Http404
    with item.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type=item.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=item.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    user = _user(request)
    item = selectors.get_evidence(user=user, evidence_id=evidence_id)
    if item.evaluation_id != pk:
        raise Http404
    try:
        services.delete_evidence(user=user, evidence_id=evidence_id)
    except (services.NotEditable, PermissionError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除“{name}”").format(name=item.original_name))
    return redirect(reverse("evaluations:evidence", kwargs={"pk": pk}))
