"""A per-minute request budget for the JSON API: per account, and per address for anonymous callers.

A fixed window in Django's cache (Redis in production, shared by every worker). Over budget the API
answers 429 with Retry-After (the seconds until the window ends). The limit protects capacity, not
secrets: when the cache is unreachable the request is let through and the fault is logged, so a
cache outage never takes the API down with it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
API_PREFIX = "/api/"
# The schema and its documentation page are static: no budget.
UNLIMITED = ("/api/openapi.json", "/api/docs")


def _client(request: HttpRequest) -> tuple[str, int]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}", int(settings.JIXIAO_API_RATE_PER_MINUTE)
    # The same client address as the sign-in throttle (X-Forwarded-For only from trusted proxies).
    from jixiao.accounts.throttle import client_address

    return f"addr:{client_address(request)}", int(settings.JIXIAO_API_ANON_RATE_PER_MINUTE)


def _count(key: str) -> int:
    # add() starts the window with its expiry; incr() never extends it.
    cache.add(key, 0, WINDOW_SECONDS + 1)
    try:
        return int(cache.incr(key))
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, WINDOW_SECONDS + 1)
        return 1


class ApiRateLimitMiddleware:
    """After AuthenticationMiddleware: the budget is per account once someone is signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(API_PREFIX) or path.startswith(UNLIMITED):
            return self.get_response(request)
        who, limit = _client(request)
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        try:
            used = _count(f"api-rate:{who}:{window}")
        except Exception:
            # Fail open: a cache outage must not refuse every API call.
            logger.warning("API rate limit skipped: the cache is unavailable", exc_info=True)
            return self.get_response(request)
        if used > limit:
            retry_after = max(1, int((window + 1) * WINDOW_SECONDS - now))
            logger.warning("API rate limit: %s over %d requests a minute", who, limit)
            response = JsonResponse(
                {
                    "detail": _(
                        "请求过于频繁：每分钟最多 %(limit)d 次，请在 %(seconds)d 秒后重试。"
                    )
                    % {"limit": limit, "seconds": retry_after}
                },
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
        return self.get_response(request)
