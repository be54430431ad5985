"""Sign-in throttling: growing delays per username and per address, kept in the database.

What it protects against, and how (docs/decisions.md, "Sign-in throttle"):

* guessing one user's password: after ``JIXIAO_LOGIN_MAX_FAILURES`` failures for a username the next
  attempt must wait ``JIXIAO_LOGIN_DELAY_SECONDS``, doubling with every further failure up to
  ``JIXIAO_LOGIN_MAX_DELAY_SECONDS``; an attempt made while waiting is refused without looking at
  the password (so it is no oracle) and without counting;
* the username is counted as the sign-in form reads it (NFKC, surrounding whitespace stripped) and
  case-folded, so ``ｅｄｉｔｏｒ`` and ``Editor`` are the same key as ``editor``;
* locking a user out: the correct password from a *known device* (a signed cookie set after that
  user's last successful sign-in on it) is not refused because of failures from elsewhere; a known
  device has its own count, so a stolen cookie does not give unlimited guesses either;
* password spraying from one address: the address is delayed only when failures from it name many
  different usernames or are very many in all — never for one user's typos, so everyone behind the
  same NAT or proxy keeps signing in;
* concurrency: an attempt is written down before the password is checked, and re-checked against
  the attempts written before it, so parallel requests cannot all slip under the limit.

The counts live in the database, not the cache: the decision needs no Redis and holds across workers.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.utils import timezone

from jixiao.accounts.models import LoginFailure

DEVICE_COOKIE = "jixiao_device"
_DEVICE_SALT = "jixiao.accounts.known-device"
_DEVICES_PER_BROWSER = 5  # several people may share one office computer


def username_key(raw: str) -> str:
    """The throttle's key for a posted username: what the sign-in form would look up, and more.

    Django's form strips surrounding whitespace and applies NFKC (``UsernameField``); the lookup
    itself is exact. The key also drops inner whitespace and folds case, so every variant that could
    name the same account shares one count (variants that name no account share it harmlessly).
    """
    text = unicodedata.normalize("NFKC", raw)
    text = unicodedata.normalize("NFKC", "".join(text.split()).casefold())
    return text[:150]


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one our ``JIXIAO_TRUSTED_PROXIES`` proxies saw.

    X-Forwarded-For is read only when proxies are configured (anyone can send the header), and then
    from the right: the entry added by the outermost proxy we trust.
    """
    proxies = settings.JIXIAO_TRUSTED_PROXIES
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if proxies > 0:
        chain = [
            part.strip()
            for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
            if part.strip()
        ]
        if len(chain) >= proxies:
            return chain[-proxies][:45]
    return remote[:45]


# --- known devices ---------------------------------------------------------------------------


def _device_entries(cookie: str | None) -> dict[str, str]:
    if not cookie:
        return {}
    try:
        value = signing.loads(
            cookie, salt=_DEVICE_SALT, max_age=timedelta(days=settings.JIXIAO_LOGIN_DEVICE_DAYS)
        )
    except signing.BadSignature:
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


def known_device(cookie: str | None, key: str) -> str:
    """The id of this browser as a known device of the username ``key``, or ""."""
    return _device_entries(cookie).get(key, "")


def remember_device(cookie: str | None, key: str) -> tuple[str, str]:
    """(new cookie value, device id) after a successful sign-in of ``key`` in this browser."""
    entries = _device_entries(cookie)
    device = entries.pop(key, "") or secrets.token_hex(16)
    kept = list(entries.items())[-(_DEVICES_PER_BROWSER - 1) :]
    return signing.dumps(dict([*kept, (key, device)]), salt=_DEVICE_SALT), device


def set_device_cookie(response: Any, value: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=settings.JIXIAO_LOGIN_DEVICE_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- the decision ----------------------------------------------------------------------------


def growing_delay(failures: int, free: int) -> int:
    """Seconds to wait after ``failures`` failures when ``free`` are allowed without a wait."""
    if failures < free:
        return 0
    base = settings.JIXIAO_LOGIN_DELAY_SECONDS
    longest = settings.JIXIAO_LOGIN_MAX_DELAY_SECONDS
    return int(min(base * 2 ** min(failures - free, 32), longest))


@dataclass(frozen=True)
class Wait:
    """How long an attempt must wait (0: it may go ahead) and why."""

    seconds: int = 0
    reason: str = ""  # "user", "device" or "address"
    failures: int = 0  # the failures the wait is based on


def _remaining(last: datetime | None, delay: int, now: datetime) -> int:
    if last is None or delay <= 0:
        return 0
    left = (last + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(left + 0.999))


def _wait(*, key: str, address: str, device: str, now: datetime, before_pk: int | None) -> Wait:
    window = now - timedelta(seconds=settings.JIXIAO_LOGIN_WINDOW_SECONDS)
    rows = LoginFailure.objects.filter(at__gte=window)
    if before_pk is not None:
        rows = rows.filter(pk__lt=before_pk)
    free = settings.JIXIAO_LOGIN_MAX_FAILURES
    if device:
        # A known device answers only for its own failures: failures from elsewhere, and whatever
        # else comes from its address, do not lock out the person who owns it.
        own = rows.filter(username_key=key, device=device).aggregate(n=Count("pk"), last=Max("at"))
        seconds = _remaining(own["last"], growing_delay(own["n"], free), now)
        return Wait(seconds, "device" if seconds else "", own["n"])
    user = rows.filter(username_key=key, device="").aggregate(n=Count("pk"), last=Max("at"))
    seconds = _remaining(user["last"], growing_delay(user["n"], free), now)
    if seconds:
        return Wait(seconds, "user", user["n"])
    address_window = now - timedelta(seconds=settings.JIXIAO_LOGIN_ADDRESS_WINDOW_SECONDS)
    from_address = rows.filter(address=address, device="", at__gte=address_window).aggregate(
        usernames=Count("username_key", distinct=True), n=Count("pk"), last=Max("at")
    )
    # How far beyond its limits the address is (0: just beyond): the wait grows from there.
    excess = (
        max(
            from_address["usernames"] - settings.JIXIAO_LOGIN_ADDRESS_MAX_USERNAMES,
            from_address["n"] - settings.JIXIAO_LOGIN_ADDRESS_MAX_FAILURES,
        )
        - 1
    )
    if excess >= 0:
        seconds = _remaining(from_address["last"], growing_delay(excess, 0), now)
        if seconds:
            return Wait(seconds, "address", from_address["n"])
    return Wait()


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt under way: allowed (``row_id`` set) or refused (``wait.seconds`` > 0)."""

    username_key: str
    address: str
    device: str
    wait: Wait
    row_id: int | None = None


def begin(*, username: str, address: str, device_cookie: str | None) -> Attempt:
    """Decide whether this attempt may check a password; if so, write it down first.

    A refused attempt writes nothing (hammering during a wait costs one read per request). An
    allowed one is recorded as a failure until ``succeeded`` removes it, and re-checked against the
    attempts recorded before it, so parallel requests cannot all pass the limit together.
    """
    key = username_key(username)
    device = known_device(device_cookie, key)
    now = timezone.now()
    wait = _wait(key=key, address=address, device=device, now=now, before_pk=None)
    if wait.seconds:
        return Attempt(key, address, device, wait)
    row = LoginFailure.objects.create(at=now, username_key=key, address=address, device=device)
    wait = _wait(key=key, address=address, device=device, now=now, before_pk=row.pk)
    if wait.seconds:
        row.delete()
        return Attempt(key, address, device, wait)
    return Attempt(key, address, device, wait, row_id=row.pk)


def succeeded(attempt: Attempt) -> None:
    """The password was right: forget this person's failures from here (address or device).

    Failures recorded for the same username from other addresses stay: they were someone else's, and
    they keep slowing that someone down.
    """
    mine = Q(address=attempt.address, device="")
    if attempt.device:
        mine |= Q(device=attempt.device)
    LoginFailure.objects.filter(
        Q(username_key=attempt.username_key) & (mine | Q(pk=attempt.row_id))
    ).delete()


def failed(attempt: Attempt) -> Wait:
    """The password was wrong: the attempt stays counted. Returns the wait the next attempt faces
    (for the 操作日志). Rows older than the window are pruned here, where failures are written."""
    now = timezone.now()
    window = now - timedelta(seconds=settings.JIXIAO_LOGIN_WINDOW_SECONDS)
    LoginFailure.objects.filter(at__lt=window).delete()
    return _wait(
        key=attempt.username_key,
        address=attempt.address,
        device=attempt.device,
        now=now,
        before_pk=None,
    )
