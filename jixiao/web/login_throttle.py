"""Login throttling: after N failures for a username or an address, refuse for a while.

Counts live in Django's cache (Redis in production, so every worker shares them).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.strip().lower()}", f"login-fail:addr:{address}"]


def is_locked(username: str, address: str) -> bool:
    limit = settings.JIXIAO_LOGIN_MAX_FAILURES
    return any((cache.get(key) or 0) >= limit for key in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, settings.JIXIAO_LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.JIXIAO_LOGIN_LOCKOUT_SECONDS)


def clear(username: str, address: str) -> None:
    cache.delete_many(_keys(username, address))
