"""Sign-in (throttled) and the home page (工作台), which shows each role what needs doing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jixiao.evaluations.selectors import evaluations_visible_to
from jixiao.reviews.workflow import steps_from
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


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """工作台: the evaluations waiting for this user, and the latest of the rest."""
    evaluations = list(evaluations_visible_to(user=request.user)[:200])  # type: ignore[arg-type]
    role = request.user.role  # type: ignore[union-attr]
    waiting = [
        e
        for e in evaluations
        if steps_from(e.status, role) or (e.is_editable and role in ("unit_editor", "unit_head"))
    ]
    return render(
        request,
        "web/home.html",
        {"waiting": waiting[:50], "recent": evaluations[:20]},
    )
