"""The idle sign-out's two endpoints, for web/site.js (see jixiao/web/session_idle.py)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from jixiao.web import session_idle


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds left before the idle sign-out. site.js marks the check as background (no activity)."""
    if not request.user.is_authenticated:
        return JsonResponse({"remaining": 0}, status=401)
    return JsonResponse({"remaining": session_idle.remaining_seconds(request)})


@require_POST
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """保持登录 (the warning's button): being a request, it is activity; answers the new time left."""
    if not request.user.is_authenticated:
        return JsonResponse({"remaining": 0}, status=401)
    return JsonResponse({"remaining": session_idle.idle_seconds()})
