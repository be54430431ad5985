"""Review workflow pages: the transition endpoint, the queue, snapshots and the bureau's 抽查复核.

Views stay thin: reads through jixiao.reviews.selectors (scoped by user; not yours → 404), writes
through jixiao.reviews.services (one write path per action).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jixiao.evaluations.history import previous_actuals
from jixiao.evaluations.list_export import INLINE_ROWS, evaluations_workbook, xlsx_response
from jixiao.evaluations.scoring_bridge import score_data
from jixiao.evaluations.selectors import get_evaluation
from jixiao.jobs.services import sweep_stale_jobs
from jixiao.organisations.models import Role, User
from jixiao.reviews import selectors, services, workflow
from jixiao.reviews.downloads import fallback_name, frozen_response
from jixiao.reviews.forms import BulkForm, DrawSampleForm, RecheckForm
from jixiao.reviews.jobs import request_queue_export
from jixiao.web.bounded_numbers import query_id
from jixiao.web.scoring_text import scoring_texts

# The session key under which a refused step's comments wait to be filled back into the panel.
DRAFT_KEY = "reviews_draft"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def evaluation_url(evaluation_id: int) -> str:
    """The evaluation's detail page (jixiao.evaluations), where the review panel lives."""
    try:
        return reverse("evaluations:detail", args=[evaluation_id])
    except NoReverseMatch:  # the evaluations app is not wired yet in this deployment
        return reverse("reviews:queue")


@require_POST
@login_required
def transition(request: HttpRequest, evaluation_id: int, action: str) -> HttpResponse:
    """Apply one workflow step; a refusal shows each problem and changes nothing."""
    user = _user(request)
    before = get_evaluation(user=user, evaluation_id=evaluation_id)  # not yours → 404
    # Every part of any kind, and a declaration's per-target boxes (section_target-T3).
    section_comments = {
        name.removeprefix("section_"): str(value)
        for name, value in list(request.POST.items())[:500]
        if name.startswith("section_") and workflow.is_section_key(name.removeprefix("section_"))
    }
    try:
        evaluation = services.transition(
            user=user,
            evaluation_id=evaluation_id,
            action=action,
            comment=request.POST.get("comment", ""),
            section_comments=section_comments,
        )
    except services.TransitionRefused as refused:
        if action == workflow.SUBMIT and len(refused.problems) > 1:
            # One heading over the list; the 缺项清单 below links each item to its field.
            messages.error(
                request,
                _("未能报送，请先完成以下 {n} 项：{items}").format(
                    n=len(refused.problems),
                    items="；".join(
                        f"{i}. {p}" for i, p in enumerate(scoring_texts(refused.problems), 1)
                    ),
                ),
            )
        else:
            for problem in scoring_texts(refused.problems):
                messages.error(request, problem)
        # Keep what the reviewer typed: the panel fills it back in (reviews/_panel.html).
        request.session[DRAFT_KEY] = {
            "evaluation": evaluation_id,
            "action": action,
            "comment": request.POST.get("comment", ""),
            "sections": {k: v for k, v in section_comments.items() if v.strip()},
        }
    else:
        draft = request.session.get(DRAFT_KEY)
        if isinstance(draft, dict) and draft.get("evaluation") == evaluation_id:
            del request.session[DRAFT_KEY]
        messages.success(
            request,
            _("已办理“{label}”，当前状态：{status}").format(
                # 修改后重新报送 after a return, 审定并报送 the first time: the step that was done.
                label=selectors.action_label(action, before.status),
                status=evaluation.get_status_display(),
            ),
        )
    return HttpResponseRedirect(evaluation_url(evaluation_id))


@login_required
def frozen(request: HttpRequest, evaluation_id: int, fmt: str) -> HttpResponse:
    """A frozen (approved) document, for those who may see the evaluation: check before publishing."""
    document = selectors.get_frozen_document(
        user=_user(request), evaluation_id=evaluation_id, fmt=fmt
    )
    response = frozen_response(
        request,
        document,
        fallback=fallback_name(f"jixiao-evaluation-{evaluation_id}", fmt),
        public=False,
    )
    if response.status_code == 200:  # a 304 hands over no bytes
        services.record_frozen_download(user=_user(request), document=document)
    return response


@login_required
def withdraw(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """撤回公开, the bureau admin's confirmation page: what stays public (the entry, the digests),
    what goes (the downloads), and the reason, which is required and shown on the portal."""
    user = _user(request)
    evaluation = get_evaluation(user=user, evaluation_id=evaluation_id)  # not yours → 404
    if user.role != Role.BUREAU_ADMIN:
        raise Http404
    publication = services.current_publication(evaluation)
    if publication is None:
        messages.error(request, _("该自评没有正在公开的版本"))
        return HttpResponseRedirect(evaluation_url(evaluation_id))
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        confirmed = request.POST.get("confirm") == "yes"
        try:
            if not confirmed:
                raise services.TransitionRefused([_("请勾选确认撤回")])
            services.withdraw_publication(user=user, evaluation_id=evaluation_id, reason=reason)
        except services.TransitionRefused as refused:
            for problem in scoring_texts(refused.problems):
                messages.error(request, problem)
        else:
            messages.success(
                request,
                _(
                    "已撤回公开（第 {version} 版）。公开平台保留该条目、撤回原因和文件校验值。"
                ).format(version=publication.version),
            )
            return HttpResponseRedirect(evaluation_url(evaluation_id))
    return render(
        request,
        "reviews/withdraw.html",
        {
            "evaluation": evaluation,
            "publication": publication,
            "documents": selectors.frozen_documents_of(evaluation),
            "reason": reason,
            "evaluation_url": evaluation_url(evaluation_id),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def withdrawn_file(request: HttpRequest, publication_id: int, fmt: str) -> HttpResponse:
    """The bureau's kept copy of a withdrawn file (the portal gives the public its digests only)."""
    user = _user(request)
    document = selectors.get_withdrawn_document(user=user, publication_id=publication_id, fmt=fmt)
    response = frozen_response(
        request,
        document,
        fallback=fallback_name(f"jixiao-withdrawn-{publication_id}", fmt),
        public=False,
    )
    if response.status_code == 200:
        services.record_withdrawn_download(user=user, document=document)
    return response


@login_required
def freeze_status(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The 审定文件 block alone, polled by htmx while the freeze job runs."""
    sweep_stale_jobs()  # a freeze whose worker died says so here
    user = _user(request)
    evaluation = get_evaluation(user=user, evaluation_id=evaluation_id)  # not yours → 404
    return render(
        request,
        "reviews/_frozen.html",
        selectors.frozen_files_context(user=user, evaluation=evaluation),
    )


@require_POST
@login_required
def refreeze(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The bureau renders the frozen files again after a failure (or when they are missing)."""
    user = _user(request)
    get_evaluation(user=user, evaluation_id=evaluation_id)  # not yours → 404
    if not user.is_bureau_user:
        raise Http404
    try:
        services.retry_freeze(user=user, evaluation_id=evaluation_id)
    except services.TransitionRefused as refused:
        for problem in scoring_texts(refused.problems):
            messages.error(request, problem)
    else:
        messages.success(request, _("已重新开始生成审定文件"))
    return HttpResponseRedirect(evaluation_url(evaluation_id))


@login_required
def snapshot(request: HttpRequest, transition_id: int) -> HttpResponse:
    """The evaluation as it was at one step (read-only)."""
    context = selectors.snapshot_context(user=_user(request), transition_id=transition_id)
    context["evaluation_url"] = evaluation_url(context["transition"].evaluation_id)
    return render(request, "reviews/snapshot.html", context)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """审核待办: the piles this role works through, with counts, oldest first."""
    filters = _queue_filters(request)
    context = selectors.review_queue(
        user=_user(request), cursor=request.GET.get("after") or None, **filters
    )
    current = context["current"]
    kept = {
        "group": current.key if current else "",
        "campaign": filters["campaign_id"] or "",
        "q": filters["q"],
    }
    kept = {key: value for key, value in kept.items() if value}
    page = context["page"]
    context["filter_query"] = urlencode(kept)
    context["next_query"] = (
        urlencode(kept | {"after": page.next_cursor}) if page and page.next_cursor else ""
    )
    context["bulk_limit"] = services.BULK_LIMIT
    return render(request, "reviews/queue.html", context)


def _queue_filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "group": request.GET.get("group"),
        "campaign_id": query_id(request.GET.get("campaign", "")),
        "q": request.GET.get("q", "").strip()[:50],
    }


@login_required
@require_GET
def queue_export(request: HttpRequest) -> HttpResponse:
    """The chosen pile of the 审核待办 (as filtered) as .xlsx: built here when small, by a
    background job when large (its page offers the file)."""
    user = _user(request)
    filters = _queue_filters(request)
    current, rows = selectors.queue_export_rows(user=user, limit=INLINE_ROWS + 1, **filters)
    if len(rows) > INLINE_ROWS:
        job = request_queue_export(
            user=user,
            group=current.key if current else "",
            campaign_id=filters["campaign_id"],
            q=filters["q"],
        )
        messages.info(request, _("待办较多，Excel 在后台生成，完成后可在本页下载。"))
        return redirect("jobs:detail", job_id=job.pk)
    title = _("审核待办") + (f"（{current.label}）" if current else "")
    content = evaluations_workbook(title, rows, last_step=True)
    return xlsx_response(content, "review-queue", _("审核待办"))


def _bulk_form(request: HttpRequest) -> tuple[BulkForm, list[int]]:
    form = BulkForm(request.POST)
    return form, form.selected_ids()


@require_POST
@login_required
def bulk_preview(request: HttpRequest) -> HttpResponse:
    """批量审核, step 1: what will happen to which rows, and which are refused and why."""
    user = _user(request)
    form, ids = _bulk_form(request)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return HttpResponseRedirect(_safe_back(request.POST.get("back", "")))
    kind = form.cleaned_data["kind"]
    comment = form.cleaned_data.get("comment", "")
    try:
        rows = services.bulk_preview(user=user, evaluation_ids=ids, kind=kind, comment=comment)
    except services.TransitionRefused as refused:
        for problem in scoring_texts(refused.problems):
            messages.error(request, problem)
        return HttpResponseRedirect(_safe_back(request.POST.get("back", "")))
    return render(
        request,
        "reviews/bulk_preview.html",
        {
            "rows": rows,
            "ok": [r for r in rows if r.ok],
            "refused": [r for r in rows if not r.ok],
            "kind": kind,
            "comment": comment,
            "back": _safe_back(request.POST.get("back", "")),
        },
    )


@require_POST
@login_required
def bulk_apply(request: HttpRequest) -> HttpResponse:
    """批量审核, step 2 (after the preview): each row through the one transition service."""
    user = _user(request)
    form, ids = _bulk_form(request)
    back = _safe_back(request.POST.get("back", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return HttpResponseRedirect(back)
    try:
        rows = services.bulk_apply(
            user=user,
            evaluation_ids=ids,
            kind=form.cleaned_data["kind"],
            comment=form.cleaned_data.get("comment", ""),
        )
    except services.TransitionRefused as refused:
        for problem in scoring_texts(refused.problems):
            messages.error(request, problem)
        return HttpResponseRedirect(back)
    done = [r for r in rows if r.ok]
    if done:
        messages.success(request, _("已批量办理 {n} 份").format(n=len(done)))
    for r in rows:
        if not r.ok:
            name = str(r.evaluation) if r.evaluation is not None else f"#{r.evaluation_id}"
            messages.error(
                request,
                _("{name}未办理：{reasons}").format(
                    name=name, reasons="；".join(scoring_texts(r.problems))
                ),
            )
    return HttpResponseRedirect(back)


def _safe_back(url: str) -> str:
    """Back to the queue page the bulk step started from (only a queue URL of this site)."""
    queue = reverse("reviews:queue")
    return url if url.startswith(queue + "?") or url == queue else queue


@login_required
def samples(request: HttpRequest) -> HttpResponse:
    """抽查复核: draw a random sample of a campaign's submissions, and the list of draws."""
    user = _user(request)
    campaigns = selectors.campaigns_for_sampling(user=user)  # not bureau → 404
    form = DrawSampleForm(request.POST or None, campaigns=campaigns)
    if request.method == "POST" and form.is_valid():
        try:
            draw = services.draw_sample(
                user=user,
                campaign=form.cleaned_data["campaign"],
                size=form.cleaned_data["size"],
                seed=form.cleaned_data["seed"].strip() or None,
            )
        except services.TransitionRefused as refused:
            for problem in scoring_texts(refused.problems):
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("已抽取 {n} 份自评，随机种子 {seed}").format(
                    n=draw.rechecks.count(), seed=draw.seed
                ),
            )
            return redirect("reviews:sample", draw.pk)
    draws = list(selectors.sample_draws_visible_to(user=user)[:200])
    return render(request, "reviews/samples.html", {"form": form, "draws": draws})


@login_required
def sample_detail(request: HttpRequest, draw_id: int) -> HttpResponse:
    """One draw: its figures over every sampled evaluation, and a page of them, self-score
    against review score."""
    user = _user(request)
    draw = selectors.get_sample_draw(user=user, draw_id=draw_id)
    page = selectors.recheck_page(user=user, draw=draw, cursor=request.GET.get("after") or None)
    figures = selectors.draw_figures(user=user, draw=draw)
    return render(
        request,
        "reviews/sample_detail.html",
        {
            "draw": draw,
            "rows": page.rows,
            "page": page,
            "next_query": urlencode({"after": page.next_cursor}) if page.next_cursor else "",
            "done": figures.done,
            "mean_gap": figures.mean_gap,
            "large_gaps": figures.large_gaps,
            "large_difference": selectors.LARGE_DIFFERENCE,
        },
    )


@login_required
def recheck(request: HttpRequest, recheck_id: int) -> HttpResponse:
    """Record the 复核 score and opinion of one sampled evaluation."""
    user = _user(request)
    item = selectors.get_recheck(user=user, recheck_id=recheck_id)  # not bureau → 404
    initial = {"score": item.score, "opinion": item.opinion} if item.reviewed_at else None
    form = RecheckForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_recheck(
                user=user,
                recheck_id=item.pk,
                score=form.cleaned_data["score"],
                opinion=form.cleaned_data["opinion"],
            )
        except services.TransitionRefused as refused:
            for problem in scoring_texts(refused.problems):
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("已记录{unit}的复核结果").format(unit=item.evaluation.unit.name),
            )
            return redirect("reviews:sample", item.draw_id)
    return render(
        request,
        "reviews/recheck.html",
        {
            "item": item,
            "form": form,
            "evaluation_url": evaluation_url(item.evaluation_id),
            "result": score_data(
                item.evaluation.data, history=previous_actuals(item.evaluation)
            ).result,
        },
    )
