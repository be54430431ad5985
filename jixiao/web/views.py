"""Sign-in (throttled) and the home page (工作台), which shows each role what needs doing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jixiao.evaluations.models import Status
from jixiao.evaluations.selectors import days_left, evaluations_visible_to
from jixiao.web import login_throttle


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


class ThrottledLoginView(auth_views.LoginView):
    """Django's login, refusing further attempts after too many failures."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if login_throttle.is_locked(username, _address(request)):
            form = self.get_form()
            return self.render_to_response(
                self.get_context_data(
                    form=form, throttled=_("登录失败次数过多，请 15 分钟后再试，或联系管理员。")
                ),
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            login_throttle.clear(username, _address(request))
        else:
            login_throttle.record_failure(username, _address(request))
        return response


# What each role is expected to act on (工作台 待办).
WAITING_STATUSES = {
    "unit_editor": (Status.DRAFT, Status.RETURNED),
    "unit_head": (Status.DRAFT, Status.RETURNED),
    "department_reviewer": (Status.SUBMITTED,),
    "bureau_reviewer": (Status.DEPARTMENT_APPROVED, Status.APPROVED),
    "bureau_admin": (Status.DEPARTMENT_APPROVED, Status.APPROVED),
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """工作台: counts by status, what waits for this user, and the latest evaluations."""
    user = request.user
    visible = evaluations_visible_to(user=user).defer("data")  # type: ignore[arg-type]
    counts = dict(
        visible.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    waiting_statuses = WAITING_STATUSES.get(user.role, ())  # type: ignore[union-attr]
    waiting = list(visible.filter(status__in=waiting_statuses).order_by("campaign__deadline")[:50])
    for evaluation in waiting:
        evaluation.days_left = (  # type: ignore[attr-defined]
            days_left(evaluation.deadline) if evaluation.is_editable else None
        )
    recent = list(visible.exclude(status__in=waiting_statuses).order_by("-updated_at")[:15])
    tiles = [
        (status, label, counts.get(status, 0))
        for status, label in Status.choices
        if counts.get(status, 0) or status in waiting_statuses
    ]
    return render(
        request,
        "web/home.html",
        {"waiting": waiting, "recent": recent, "tiles": tiles, "total": sum(counts.values())},
    )
