"""Sign out after JIXIAO_SESSION_IDLE_MINUTES without activity (等保 2.0: 登录连接超时自动退出).

The session records the time of the person's last request. A request after the idle limit ends the
session: a page is sent to the login page with ``next=`` (so signing in again returns there), while
an htmx or API request gets 401, which htmx does not swap in: the page, and anything typed into it,
stays as it was. The page itself (web/site.js) warns two minutes before, saves the entry form's
unsaved typing, and offers to stay signed in.

Polling (the job progress pages refresh themselves) and the page's own status check are not activity:
they carry ``X-Jixiao-Background: 1`` and never extend the session.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

LAST_ACTIVITY = "jixiao_last_activity"
BACKGROUND_HEADER = "HTTP_X_JIXIAO_BACKGROUND"
# The stored time is refreshed at most this often, so a busy page does not write its session on
# every request; the idle limit is measured to within this much.
REFRESH_SECONDS = 15
# The page warns this long before the end.
WARNING_SECONDS = 120


def idle_seconds() -> int:
    return int(float(settings.JIXIAO_SESSION_IDLE_MINUTES) * 60)


def remaining_seconds(request: HttpRequest, now: float | None = None) -> int:
    """Seconds until the session ends for want of activity."""
    last = request.session.get(LAST_ACTIVITY)
    now = time.time() if now is None else now
    if last is None:
        return idle_seconds()
    # Rounded up: 0 exactly when the middleware ends the session.
    return max(0, math.ceil(last + idle_seconds() - now))


def is_background(request: HttpRequest) -> bool:
    return request.META.get(BACKGROUND_HEADER) == "1"


class SessionIdleTimeoutMiddleware:
    """After AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - last >= idle_seconds():
                logger.info("Session of user %s ended after %d s idle", request.user.pk, now - last)
                logout(request)
                return _expired(request)
            if not is_background(request) and (last is None or now - last >= REFRESH_SECONDS):
                request.session[LAST_ACTIVITY] = int(now)
        return self.get_response(request)


def _expired(request: HttpRequest) -> HttpResponse:
    message = _("因长时间未操作，已自动退出登录，请重新登录。")
    # Shown by the login page, whichever way the person gets there.
    messages.warning(request, message)
    if (
        request.headers.get("HX-Request")
        or is_background(request)
        or request.path_info.startswith("/api/")
    ):
        response: HttpResponse = JsonResponse({"detail": message}, status=401)
        # site.js shows the sign-in link and keeps the page (and its typed text) as it is.
        response["HX-Trigger"] = "jixiao:session-expired"
        return response
    target = request.get_full_path() if request.method == "GET" else ""
    query = f"?{urlencode({'next': target})}" if target else ""
    return HttpResponseRedirect(reverse("login") + query)


def start_clock(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """user_logged_in: signing in is activity (and saves the first request a session write)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(time.time())
