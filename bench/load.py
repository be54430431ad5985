"""Benchmark (issue 14): a bounded load test against the production stack (`make serve`).

Not a test. Builds (or reuses) a city of ``--units`` units in its own PostgreSQL database with
bench/scale.py's builder, gives it bench accounts, starts scripts/serve.sh (gunicorn, a Celery
worker and beat; DEBUG off) on a free loopback port against that database and its own Redis
database, and lets simulated people work through real HTTP for ``--duration`` seconds
(default 120, at most 300):

* unit fillers (单位填报人) sign in, open their own department self-evaluation's 其他说明 part and
  autosave it every few seconds through the real autosave endpoint (the form's CSRF token, its
  version and window token), half the time after a live-score preview, as the page's script does;
* unit heads (单位负责人) sign in, open an evaluation and submit it (审定并报送), one unit after another;
* department reviewers read their review queue, their campaign progress and the evaluation list;
* the bureau (财政复核人, signing in with a TOTP second factor) opens the city overview (全市概览),
  the campaign progress page and the progress API.

The first ``--warmup`` seconds (default 15: everyone signing in, each worker's first pages) are
not timed; their errors still count. Then it stops the stack and prints throughput, p50/p95/p99
per route, every error (an unexpected status, a connection failure, an autosave not acknowledged,
a submit answered but not stored as 已报送) and the lost-write check: every autosave the server
acknowledged must be in the database at the end with the last acknowledged value and version —
beside the goals (no error, no lost write, autosave p95 ≤ 500 ms while the bureau opens its
overview).

    .venv/bin/python bench/load.py                                  # 5,000 units, 120 s
    .venv/bin/python bench/load.py --reuse                          # the same city again
    .venv/bin/python bench/load.py --units 50000 --database-url postgres://…/jixiao_bench_load50k
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --database-url postgres://…

The stack it starts raises the API's per-account budget (``JIXIAO_API_RATE_PER_MINUTE``: a few
bench accounts stand for a city's staff) and requires the bureau's second factor; sign-in throttles
count failures only, and the bench fails no sign-in. A stack attached with ``--url`` must serve
``--database-url`` with the same budget raised, or the bureau's API calls are answered 429.

``--database-url`` (default postgres://postgres@127.0.0.1:5432/jixiao_bench_load) names the
database to build; ``--reuse`` keeps an already built one (the bench accounts are added again
either way). ``--url`` attaches to a stack that is already serving that database instead of
starting one. Loopback only. The client is threads over urllib (one thread per simulated person),
so it shares the machine's cores with the server it measures: the figures are what a browser on the
same machine would see.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import http.cookiejar
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jixiao_bench_load"
MAX_SECONDS = 300
GOAL_RSS_MIB = 300
GOAL_AUTOSAVE_P95_MS = 500
# The bench accounts' password: they exist only in the bench's own database.
PASSWORD = "Load-bench-14-口令"
USER_PREFIX = "loadbench_"
SECTION = "other"  # 其他说明: one free-text field, data["other"]
FIELD = "other-other"
# bench/scale.py's department campaign (deadline in 5 days: its drafts are editable).
DEPARTMENT_NOTICE = "湛财绩〔2026〕99号"
TIMEOUT = 90  # above gunicorn's --timeout 60: a killed worker shows as an error, not a hang


# ---------------------------------------------------------------- figures (unit-tested)


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between closest ranks (as numpy's
    default): p50 of 1…100 is 50.5, p95 is 95.05, p99 is 99.01."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0–100")
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class WriteLog:
    """What one evaluation's filler wrote: the last value the server acknowledged (with the version
    it answered) and any values sent after it whose answer never came (a timeout, a dropped
    connection) — the server may or may not have stored those."""

    acked_value: str | None = None
    acked_version: int | None = None
    unconfirmed: list[str] = field(default_factory=list)

    def sent(self, value: str) -> None:
        self.unconfirmed.append(value)

    def acknowledged(self, value: str, version: int) -> None:
        self.acked_value, self.acked_version = value, version
        self.unconfirmed.clear()


def lost_writes(
    logs: Mapping[int, WriteLog], stored: Mapping[int, tuple[str | None, int]]
) -> list[str]:
    """Each acknowledged autosave that is not what the database holds at the end, as sentences.

    ``stored`` maps an evaluation id to (its stored value, its version). An evaluation is fine when
    it holds the last acknowledged value at that version or later, or holds a value sent after
    it whose answer was lost (the server stored it but the client never heard); anything else —
    the row gone, an older value, a version behind the acknowledgement — is a lost write."""
    problems = []
    for pk, log in sorted(logs.items()):
        if log.acked_value is None:
            continue
        if pk not in stored:
            problems.append(
                f"evaluation {pk}: gone (last acknowledged version {log.acked_version})"
            )
            continue
        value, version = stored[pk]
        assert log.acked_version is not None
        if version < log.acked_version:
            problems.append(
                f"evaluation {pk}: version {version} behind the acknowledged {log.acked_version}"
            )
        elif value != log.acked_value and value not in log.unconfirmed:
            problems.append(
                f"evaluation {pk}: holds {value!r}, the last acknowledged value was "
                f"{log.acked_value!r} (version {log.acked_version})"
            )
    return problems


ACCESS_MARK = "LOADBENCH"
SERVER_ROUTES = (  # (method, path pattern, route) in the order they are tried
    ("POST", r"/evaluations/\d+/edit/[\w-]+/autosave/", "autosave"),
    ("POST", r"/evaluations/\d+/edit/[\w-]+/score/", "live score"),
    ("GET", r"/evaluations/\d+/edit/[\w-]+/", "edit page"),
    ("GET", r"/evaluations/\d+/", "evaluation page"),
    ("POST", r"/reviews/\d+/transition/submit/", "submit"),
    ("GET", r"/reviews/", "review queue"),
    ("GET", r"/evaluations/", "evaluation list"),
    ("GET", r"/campaigns/overview/", "overview"),
    ("GET", r"/campaigns/\d+/", "progress (department and bureau)"),
    ("GET", r"/api/campaigns/\d+/progress", "api progress"),
    ("GET", r"/login/", "login page"),
    ("POST", r"/login/", "login"),
    ("GET", r"/account/two-factor/verify/", "login, 2FA page"),
    ("POST", r"/account/two-factor/verify/", "login, 2FA code"),
    ("GET", r"/healthz", "baseline /healthz"),
)


def server_times(lines: Iterable[str]) -> dict[str, list[float]]:
    """Milliseconds per route from gunicorn's access lines in the bench's format
    (``LOADBENCH GET /path 200 123456``: microseconds); other lines are skipped."""
    out: dict[str, list[float]] = defaultdict(list)
    for line in lines:
        parts = line.split()
        if len(parts) != 5 or parts[0] != ACCESS_MARK or not parts[4].isdigit():
            continue
        _mark, method, path, _status, micros = parts
        route = next(
            (r for m, pattern, r in SERVER_ROUTES if m == method and re.fullmatch(pattern, path)),
            f"{method} {path}",
        )
        out[route].append(int(micros) / 1000)
    return out


# ---------------------------------------------------------------- recording


class Recorder:
    """Every request's route, time and outcome, from every thread."""

    def __init__(self, warmup: float = 0.0) -> None:
        self.lock = threading.Lock()
        self.started = time.perf_counter()
        self.warmup = warmup  # seconds whose times are not counted (cold workers, sign-ins)
        self.times: dict[str, list[float]] = defaultdict(list)
        self.warm: Counter[str] = Counter()
        self.errors: dict[str, Counter[str]] = defaultdict(Counter)

    def record(self, route: str, ms: float, error: str | None = None) -> None:
        with self.lock:
            if time.perf_counter() - ms / 1000 - self.started < self.warmup:
                self.warm[route] += 1
            else:
                self.times[route].append(ms)
            if error:  # errors count from the first second
                self.errors[route][error[:120]] += 1

    def outcome(self, route: str, error: str) -> None:
        """An error found in an answer already timed (an autosave not acknowledged)."""
        with self.lock:
            self.errors[route][error[:120]] += 1

    def total(self) -> int:
        return sum(len(v) for v in self.times.values())

    def error_count(self) -> int:
        return sum(sum(c.values()) for c in self.errors.values())


# ---------------------------------------------------------------- HTTP client


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # every request is measured on its own; a 302 is an answer


class FormFields(HTMLParser):
    """The fields a browser would post from the form with ``form_id`` (or every csrf token)."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.csrf = ""
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") == "csrfmiddlewaretoken" and not self.csrf:
            self.csrf = a.get("value", "")
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or not a.get("name") or "disabled" in a:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # The browser drops one newline right after <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _s in self._options[:1]
            ]
            self.fields.extend((self._select, v) for v in chosen)
            self._select = None


def form_fields(html: str, form_id: str) -> FormFields:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser


class Browser:
    """One simulated person: a cookie jar, every request timed and recorded under its route."""

    def __init__(self, base: str, recorder: Recorder) -> None:
        self.base = base.rstrip("/")
        self.recorder = recorder
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(
        self,
        route: str,
        path: str,
        data: Sequence[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int, str, Mapping[str, str]]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=dict(headers or {}))
        t0 = time.perf_counter()
        try:
            try:
                with self.opener.open(req, timeout=TIMEOUT) as response:
                    status, text, got = response.status, response.read(), response.headers
            except urllib.error.HTTPError as answer:  # 3xx (no redirects followed), 4xx, 5xx
                status, text, got = answer.code, answer.read(), answer.headers
        except (OSError, http.client.HTTPException) as exc:
            self.recorder.record(route, (time.perf_counter() - t0) * 1000, type(exc).__name__)
            raise
        ms = (time.perf_counter() - t0) * 1000
        self.recorder.record(route, ms, None if status in expect else f"HTTP {status}")
        return status, text.decode("utf-8", "replace"), got

    def csrf_cookie(self) -> str:
        return next((c.value or "" for c in self.jar if c.name == "csrftoken"), "")

    def sign_in(self, plan: Mapping[str, Any], username: str, totp_key: str = "") -> bool:
        _s, page, _h = self.request("login page", plan["login"])
        token = form_fields(page, "-").csrf
        status, _t, _h = self.request(
            "login",
            plan["login"],
            [("csrfmiddlewaretoken", token), ("username", username), ("password", PASSWORD)],
            expect=(302,),
        )
        if status != 302:
            return False
        if totp_key:  # every later page waits for the second factor (AccountGateMiddleware)
            _s, page, _h = self.request("login, 2FA page", plan["two_factor"])
            code = f"{totp(bytes.fromhex(totp_key)):06d}"
            status, _t, _h = self.request(
                "login, 2FA code",
                plan["two_factor"],
                [("csrfmiddlewaretoken", form_fields(page, "-").csrf), ("token", code)],
                expect=(302,),
            )
        return status == 302


def totp(key: bytes, step: int = 30, digits: int = 6) -> int:
    """RFC 6238 with django-otp's defaults (SHA-1, 30 s, 6 digits), so the client needs no Django."""
    import hashlib
    import hmac
    import struct

    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return int(code % 10**digits)


# ---------------------------------------------------------------- simulated people

_VERSION = re.compile(r'id="entry-version" value="(\d+)"')


def autosave_post(
    fields: Sequence[tuple[str, str]], value: str, version: str
) -> list[tuple[str, str]]:
    """The edit form as the page posts it, with the free-text field typed over and the version
    the page holds now (the last autosave's answer)."""
    return [
        (name, value if name == FIELD else version if name == "version" else old)
        for name, old in fields
    ]


def acknowledged_version(status: int, html: str) -> int | None:
    """The version an autosave answer says was stored, or None when it stored nothing."""
    match = _VERSION.search(html)
    if status == 200 and 'class="saved"' in html and match:
        return int(match.group(1))
    return None


def _sleep(stop: threading.Event, low: float, high: float, rng: random.Random) -> bool:
    """Think for a while; False once the run is over."""
    return not stop.wait(rng.uniform(low, high))


def filler(
    plan: Mapping[str, Any], account: Mapping[str, Any], ctx: Run, rng: random.Random
) -> None:
    browser = Browser(ctx.base, ctx.recorder)
    pk = account["evaluation"]
    log = ctx.writes[pk]
    if not browser.sign_in(plan, account["username"]):
        return
    edit = plan["edit"].format(pk=pk)
    _s, page, _h = browser.request("edit page", edit)
    form = form_fields(page, "entry-form")
    names = {name for name, _v in form.fields}
    if FIELD not in names or "version" not in names:
        ctx.recorder.outcome("edit page", "the form has no autosave field")
        return
    version = dict(form.fields)["version"]
    headers = {"HX-Request": "true", "X-CSRFToken": form.csrf, "Referer": ctx.base + edit}
    n = 0
    while _sleep(ctx.stop, 2.0, 6.0, rng):
        n += 1
        value = f"负载测试 {account['username']} 第{n}次 {secrets.token_hex(4)}"
        post = autosave_post(form.fields, value, version)
        try:
            if rng.random() < 0.5:  # the live score the page asks for while one types
                browser.request("live score", plan["preview"].format(pk=pk), post, headers)
            log.sent(value)
            status, text, _h = browser.request(
                "autosave", plan["autosave"].format(pk=pk), post, headers
            )
        except (OSError, http.client.HTTPException):
            continue
        stored = acknowledged_version(status, text)
        if stored is not None:
            version = str(stored)
            log.acknowledged(value, stored)
        elif status == 200:
            words = re.sub(r"<[^>]+>", " ", text).split()
            ctx.recorder.outcome("autosave", "not saved: " + " ".join(words)[:80])
        if n % 10 == 0:
            with contextlib.suppress(OSError, http.client.HTTPException):
                browser.request("evaluation page", plan["detail"].format(pk=pk))


def head(
    plan: Mapping[str, Any], accounts: Sequence[Mapping[str, Any]], ctx: Run, rng: random.Random
) -> None:
    for account in accounts:
        if ctx.stop.is_set():
            return
        browser = Browser(ctx.base, ctx.recorder)
        try:
            if not browser.sign_in(plan, account["username"]):
                continue
            pk = account["evaluation"]
            _s, page, _h = browser.request("evaluation page", plan["detail"].format(pk=pk))
            if not _sleep(ctx.stop, 1.0, 3.0, rng):
                return
            status, _t, _h = browser.request(
                "submit",
                plan["submit"].format(pk=pk),
                [("csrfmiddlewaretoken", form_fields(page, "-").csrf or browser.csrf_cookie())],
                expect=(302,),
            )
            if status == 302:
                with ctx.recorder.lock:
                    ctx.submitted.append(pk)
        except (OSError, http.client.HTTPException):
            pass
        if not _sleep(ctx.stop, 2.0, 5.0, rng):
            return


def reader(
    plan: Mapping[str, Any],
    account: Mapping[str, Any],
    routes: Sequence[tuple[str, str]],
    think: tuple[float, float],
    ctx: Run,
    rng: random.Random,
) -> None:
    browser = Browser(ctx.base, ctx.recorder)
    if not browser.sign_in(plan, account["username"], account.get("totp", "")):
        return
    while _sleep(ctx.stop, *think, rng):
        for route, path in routes:
            if ctx.stop.is_set():
                return
            with contextlib.suppress(OSError, http.client.HTTPException):
                browser.request(route, path)


def prober(plan: Mapping[str, Any], ctx: Run, rng: random.Random) -> None:
    """The baseline: /healthz once a second (no session, no query) — the wait for a free worker
    plus the middleware, measured beside every route so a busy machine moves both alike."""
    browser = Browser(ctx.base, ctx.recorder)
    while _sleep(ctx.stop, 0.8, 1.2, rng):
        with contextlib.suppress(OSError, http.client.HTTPException):
            browser.request(BASELINE, "/healthz")


BASELINE = "baseline /healthz"


@dataclass
class Run:
    base: str
    recorder: Recorder
    stop: threading.Event = field(default_factory=threading.Event)
    writes: dict[int, WriteLog] = field(default_factory=lambda: defaultdict(WriteLog))
    submitted: list[int] = field(default_factory=list)


def run_load(
    plan: Mapping[str, Any],
    base: str,
    duration: float,
    warmup: float,
    seed: int,
    at_warm: Any = None,
) -> tuple[Run, float]:
    ctx = Run(base, Recorder(warmup))
    rng = random.Random(seed)
    threads: list[threading.Thread] = []

    def spawn(target: Any, *args: Any) -> None:
        threads.append(
            threading.Thread(target=target, args=(plan, *args, ctx, random.Random(rng.random())))
        )

    for account in plan["fillers"]:
        spawn(filler, account)
    heads = plan["heads"]
    per_head = plan["per_head"]
    for i in range(0, len(heads), per_head):
        spawn(head, heads[i : i + per_head])
    for account in plan["reviewers"]:
        routes = [
            ("review queue", plan["queue"]),
            ("progress (department)", plan["progress"]),
            ("evaluation list", plan["list"]),
        ]
        spawn(reader, account, routes, (2.0, 5.0))
    for account in plan["bureau"]:
        routes = [
            ("overview", plan["overview"]),
            ("progress (bureau)", plan["progress"]),
            ("api progress", plan["api_progress"]),
        ]
        spawn(reader, account, routes, (4.0, 8.0))
    spawn(prober)
    rng.shuffle(threads)
    started = ctx.recorder.started = time.perf_counter()
    for thread in threads:  # everyone signs in within the first few seconds
        thread.start()
        time.sleep(min(0.1, 5.0 / max(1, len(threads))))
    ctx.stop.wait(max(0.0, warmup - (time.perf_counter() - started)))
    if at_warm is not None:
        at_warm()  # where the server's log of the timed part begins
    ctx.stop.wait(max(0.0, duration - (time.perf_counter() - started)))
    ctx.stop.set()
    for thread in threads:
        thread.join(TIMEOUT + 10)
    return ctx, time.perf_counter() - started


# ---------------------------------------------------------------- database and stack


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Bench accounts in the built city (run in a child with Django); returns the plan."""
    import django

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jixiao.campaigns.models import Campaign
    from jixiao.evaluations.models import Evaluation, Status
    from jixiao.organisations.models import Organisation, OrganisationKind, Role, User

    campaign = Campaign.objects.get(notice_number=DEPARTMENT_NOTICE)
    hashed = make_password(PASSWORD)  # once: argon2 for every account would take minutes
    drafts = (
        Evaluation.objects.filter(campaign=campaign, version__gte=1, unit__is_active=True)
        .filter(status__in=[Status.DRAFT, Status.RETURNED])
        .order_by("pk")
        .values_list("pk", "unit_id", "status")
    )
    fill_rows = list(drafts[: args.fillers])
    filled = {pk for pk, _u, _s in fill_rows}
    # Heads submit drafts nobody fills, a fresh set on every run (a submitted one stays submitted).
    head_rows = [
        row for row in drafts.filter(status=Status.DRAFT).exclude(pk__in=filled)[: args.heads * 40]
    ]
    bureau_org = Organisation.objects.get(kind=OrganisationKind.BUREAU)
    departments = list(
        Organisation.objects.filter(
            kind=OrganisationKind.DEPARTMENT, name__startswith="基准测试"
        ).order_by("pk")[: args.reviewers]
    )
    wanted: list[User] = []
    for _pk, unit_id, _s in fill_rows:
        wanted.append(
            User(
                username=f"{USER_PREFIX}fill_{unit_id}",
                role=Role.UNIT_EDITOR,
                organisation_id=unit_id,
            )
        )
    for _pk, unit_id, _s in head_rows:
        wanted.append(
            User(
                username=f"{USER_PREFIX}head_{unit_id}",
                role=Role.UNIT_HEAD,
                organisation_id=unit_id,
            )
        )
    for dept in departments:
        wanted.append(
            User(
                username=f"{USER_PREFIX}dept_{dept.pk}",
                role=Role.DEPARTMENT_REVIEWER,
                organisation=dept,
            )
        )
    for n in range(args.bureau):
        wanted.append(
            User(
                username=f"{USER_PREFIX}bureau_{n}",
                role=Role.BUREAU_REVIEWER,
                organisation=bureau_org,
            )
        )
    for user in wanted:
        user.password = hashed
        user.display_name = "负载测试"
    User.objects.bulk_create(wanted, ignore_conflicts=True)
    User.objects.filter(username__startswith=USER_PREFIX).update(
        password=hashed, is_active=True, must_change_password=False, password_changed_at=None
    )
    # The bureau signs in with a second factor, as in production (JIXIAO_REQUIRE_2FA_FOR_BUREAU).
    bureau_users = list(
        User.objects.filter(username__startswith=f"{USER_PREFIX}bureau_").order_by("username")
    )
    TOTPDevice.objects.filter(user__in=bureau_users).delete()
    keys = {}
    for user in bureau_users:
        device = TOTPDevice.objects.create(user=user, name="负载测试", confirmed=True)
        keys[user.username] = device.key
    User.objects.filter(pk__in=[u.pk for u in bureau_users]).update(two_factor_enabled=True)

    per_head = 40
    return {
        "campaign": campaign.pk,
        "units": Organisation.objects.filter(kind=OrganisationKind.UNIT).count(),
        "evaluations": Evaluation.objects.count(),
        "login": reverse("login"),
        "two_factor": reverse("accounts:two_factor_verify"),
        "edit": reverse("evaluations:edit", args=[999999999, SECTION]).replace("999999999", "{pk}"),
        "autosave": reverse("evaluations:autosave", args=[999999999, SECTION]).replace(
            "999999999", "{pk}"
        ),
        "preview": reverse("evaluations:preview_score", args=[999999999, SECTION]).replace(
            "999999999", "{pk}"
        ),
        "detail": reverse("evaluations:detail", args=[999999999]).replace("999999999", "{pk}"),
        "submit": reverse("reviews:transition", args=[999999999, "submit"]).replace(
            "999999999", "{pk}"
        ),
        "queue": reverse("reviews:queue"),
        "list": reverse("evaluations:list"),
        "progress": reverse("campaigns:detail", args=[campaign.pk]),
        "overview": f"{reverse('campaigns:overview')}?campaign={campaign.pk}",
        "api_progress": f"/api/campaigns/{campaign.pk}/progress",
        "fillers": [
            {"username": f"{USER_PREFIX}fill_{u}", "evaluation": pk} for pk, u, _s in fill_rows
        ],
        "heads": [
            {"username": f"{USER_PREFIX}head_{u}", "evaluation": pk} for pk, u, _s in head_rows
        ],
        "per_head": per_head,
        "reviewers": [{"username": f"{USER_PREFIX}dept_{d.pk}"} for d in departments],
        "bureau": [{"username": u.username, "totp": keys[u.username]} for u in bureau_users][
            : args.bureau
        ],
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def start_stack(args: argparse.Namespace, state: Path) -> tuple[subprocess.Popen[bytes], str]:
    """scripts/serve.sh on a free loopback port, against the bench database and Redis database."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JIXIAO_"))}
    redis = f"redis://127.0.0.1:6379/{args.redis_db}"
    env.update(
        PORT=str(port),
        DATABASE_URL=args.database_url,
        CELERY_BROKER_URL=redis,
        CACHE_URL=redis,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        JIXIAO_MEDIA_ROOT=str(state / "media"),
        JIXIAO_STATIC_ROOT=str(state / "static"),
        JIXIAO_STATIC_COMPRESS="false",  # brotli over every static file takes minutes here
        SERVE_STATE=str(state),
        # A few bench accounts stand for a city's staff: the API's per-account budget (120 a
        # minute) is raised for them here only; sign-in throttles count failures, none happen.
        JIXIAO_API_RATE_PER_MINUTE="100000",
        JIXIAO_REQUIRE_2FA_FOR_BUREAU="true",
        # gunicorn's own time per request (the queue for a free worker excluded), for the
        # server-side table: method, path, status, microseconds.
        GUNICORN_CMD_ARGS=f"--access-logformat '{ACCESS_MARK} %(m)s %(U)s %(s)s %(D)s'"
        + (f" --worker-class {args.worker_class}" if args.worker_class else ""),
    )
    # Unset: config/gunicorn.conf.py's production defaults (one worker per core, 4 threads each).
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        env["WEB_THREADS"] = str(args.threads)
    log = (state / "serve.log").open("wb")
    serve = subprocess.Popen(
        ["bash", "scripts/serve.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        if serve.poll() is not None:
            raise SystemExit("serve.sh exited:\n" + (state / "serve.log").read_text()[-3000:])
        if time.monotonic() > deadline:
            stop_stack(serve)
            raise SystemExit("the stack never became ready")
        if _answers(port):
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=30) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.URLError):
                pass
        time.sleep(1)
    return serve, base


def gunicorn_shape(log: str) -> str:
    """The worker class and count gunicorn booted with, from its log (what was measured)."""
    kind = re.search(r"Using worker: (\w+)", log)
    booted = len(re.findall(r"Booting worker with pid", log))
    return f"{kind.group(1) if kind else '?'} worker class, {booted} workers booted"


def worker_memory(log: str) -> list[tuple[int, int, int]]:
    """(pid, peak RSS, RSS now) in KiB of each gunicorn worker still running, from /proc (the
    pids from the log's "Booting worker with pid" lines): the issue's worker RSS ≤ 300 MiB,
    measured on the workers that served the load, not on a bench process."""
    out = []
    for pid in sorted({int(p) for p in re.findall(r"Booting worker with pid: (\d+)", log)}):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue  # replaced (max_requests) or gone
        fields = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.M))
        if "VmHWM" in fields and "VmRSS" in fields:
            out.append((pid, int(fields["VmHWM"]), int(fields["VmRSS"])))
    return out


def stop_stack(serve: subprocess.Popen[bytes]) -> None:
    serve.send_signal(signal.SIGTERM)  # its trap stops gunicorn, the worker and beat
    with contextlib.suppress(subprocess.TimeoutExpired):
        serve.wait(timeout=60)
    with contextlib.suppress(ProcessLookupError):  # anything the trap missed (our own group)
        os.killpg(serve.pid, signal.SIGKILL)


def stored_values(database_url: str, ids: Sequence[int]) -> dict[int, tuple[str | None, int]]:
    import psycopg

    url = database_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT id, data->>%s, version FROM evaluations_evaluation WHERE id = ANY(%s)",
            [SECTION, list(ids)],
        ).fetchall()
    return {int(pk): (value, int(version)) for pk, value, version in rows}


def statuses(database_url: str, ids: Sequence[int]) -> Counter[str]:
    import psycopg

    url = database_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT status FROM evaluations_evaluation WHERE id = ANY(%s)", [list(ids)]
        ).fetchall()
    return Counter(status for (status,) in rows)


# ---------------------------------------------------------------- report


def report(ctx: Run, elapsed: float, problems: list[str], submitted: Counter[str]) -> bool:
    rec = ctx.recorder
    total = rec.total() - len(rec.times.get(BASELINE, []))  # the people's requests only
    warm = sum(n for route, n in rec.warm.items() if route != BASELINE)
    elapsed -= rec.warmup
    print(
        f"\n{total} requests in {elapsed:.0f} s after {rec.warmup:.0f} s of warm-up "
        f"({warm} requests, not in the times below): {total / elapsed:.1f} req/s\n"
    )
    base_times = rec.times.get(BASELINE) or [1.0]
    baseline = max(1.0, percentile(base_times, 50))
    print(
        f"{'route':<24}{'requests':>9}{'req/s':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'errors':>8}{'p50 × base':>11}  goal"
    )
    order = [
        "autosave",
        "live score",
        "edit page",
        "evaluation page",
        "submit",
        "review queue",
        "progress (department)",
        "evaluation list",
        "overview",
        "progress (bureau)",
        "api progress",
        "login page",
        "login",
        "login, 2FA page",
        "login, 2FA code",
    ]
    routes = sorted(
        {*rec.times, *rec.errors, *rec.warm},
        key=lambda r: (order.index(r) if r in order else 99, r),
    )
    autosave_ok = False
    for route in routes:
        times = rec.times[route] or [0.0]
        p50, p95, p99 = (percentile(times, q) for q in (50, 95, 99))
        errors = sum(rec.errors[route].values())
        goal = ""
        if route == "autosave":
            autosave_ok = p95 <= GOAL_AUTOSAVE_P95_MS and len(rec.times[route]) > 0
            goal = f"p95 ≤ {GOAL_AUTOSAVE_P95_MS} ms: {'ok' if autosave_ok else 'MISSED'}"
        print(
            f"{route:<24}{len(rec.times[route]):>9}{len(rec.times[route]) / elapsed:>7.1f}"
            f"{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}{max(times):>9.0f}{errors:>8}"
            f"{p50 / baseline:>11.1f}  {goal}"
        )
    refused = len(ctx.submitted) - submitted.get("submitted", 0)
    errors = rec.error_count() + refused
    print(f"\nerrors: {errors}  (goal 0: {'ok' if not errors else 'MISSED'})")
    if refused:
        print(f"  submit: answered but not 已报送 in the database × {refused}")
    for route in routes:
        for reason, count in rec.errors[route].most_common(5):
            print(f"  {route}: {reason} × {count}")
    acked = sum(1 for log in ctx.writes.values() if log.acked_value is not None)
    print(
        f"lost writes: {len(problems)} of {acked} evaluations autosaved "
        f"(goal 0: {'ok' if not problems else 'MISSED'})"
    )
    for problem in problems[:10]:
        print(f"  {problem}")
    print(
        f"submits answered: {len(ctx.submitted)}; in the database now: "
        + (", ".join(f"{s} {n}" for s, n in sorted(submitted.items())) or "—")
    )
    return not errors and not problems and autosave_ok


def server_report(times: Mapping[str, list[float]]) -> None:
    """gunicorn's own time per route over the timed part: the work, without the queue."""
    if not times:
        return
    print(
        "\nserver-side (gunicorn's time per request, the wait for a free worker excluded; "
        "goal p95 ≤ 300 ms):"
    )
    print(f"{'route':<34}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    order = [r for _m, _p, r in SERVER_ROUTES]
    for route in sorted(times, key=lambda r: (order.index(r) if r in order else 99, r)):
        values = times[route]
        p50, p95, p99 = (percentile(values, q) for q in (50, 95, 99))
        print(f"{route:<34}{len(values):>9}{p50:>9.0f}{p95:>9.0f}{p99:>9.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--projects", type=int, default=4, help="project evaluations per unit")
    parser.add_argument("--duration", type=float, default=120, help=f"seconds (≤ {MAX_SECONDS})")
    parser.add_argument(
        "--warmup", type=float, default=15, help="first seconds not timed (errors still count)"
    )
    parser.add_argument("--fillers", type=int, default=30)
    parser.add_argument("--heads", type=int, default=4, help="simulated heads (40 units each)")
    parser.add_argument("--reviewers", type=int, default=6, help="department reviewers")
    parser.add_argument("--bureau", type=int, default=4, help="bureau reviewers")
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: config/gunicorn.conf.py's)"
    )
    parser.add_argument("--threads", type=int, help="threads per gunicorn worker (default: 4)")
    parser.add_argument(
        "--worker-class",
        choices=["gthread", "sync"],
        help="gunicorn worker class (default gthread; sync needs --threads 1)",
    )
    parser.add_argument("--redis-db", type=int, default=14, help="the stack's Redis database")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--reuse", action="store_true", help="use the database as built")
    parser.add_argument("--url", help="attach to a stack serving --database-url instead")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--prepare-only", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 0 < args.duration <= MAX_SECONDS:
        parser.error(f"--duration must be 1–{MAX_SECONDS} seconds")
    if not 0 <= args.warmup < args.duration:
        parser.error("--warmup must be shorter than --duration")
    if args.url and urllib.parse.urlparse(args.url).hostname not in (
        "127.0.0.1",
        "localhost",
        "::1",
    ):
        parser.error("loopback only")
    if args.prepare_only:
        Path(args.prepare_only).write_text(json.dumps(prepare(args)))
        return 0

    sys.path.insert(0, str(ROOT / "bench"))
    import scale  # the city's builder (bench/scale.py)

    if not args.reuse and not args.url:  # a running stack's database is never rebuilt under it
        scale.recreate_database(args.database_url)
        started = time.perf_counter()
        command = [sys.executable, scale.__file__, "--build-only", "--units", str(args.units)]
        command += ["--projects", str(args.projects), "--database-url", args.database_url]
        subprocess.run(command, check=True)
        print(f"built in {time.perf_counter() - started:.0f} s")
    state = Path(tempfile.mkdtemp(prefix="jixiao-bench-load-"))
    plan_file = state / "plan.json"
    command = [
        sys.executable,
        __file__,
        "--prepare-only",
        str(plan_file),
        "--database-url",
        args.database_url,
    ]
    command += ["--fillers", str(args.fillers), "--heads", str(args.heads)]
    command += ["--reviewers", str(args.reviewers), "--bureau", str(args.bureau)]
    subprocess.run(command, check=True)
    plan = json.loads(plan_file.read_text())
    print(
        f"{plan['units']} units, {plan['evaluations']} evaluations; {len(plan['fillers'])} fillers, "
        f"{-(-len(plan['heads']) // plan['per_head'])} heads ({len(plan['heads'])} units to submit), "
        f"{len(plan['reviewers'])} department reviewers, {len(plan['bureau'])} bureau reviewers"
    )

    serve = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        t = time.perf_counter()
        serve, base = start_stack(args, state)
        print(f"stack ready on {base} in {time.perf_counter() - t:.0f} s (log: {state}/serve.log)")
        shape = gunicorn_shape((state / "serve.log").read_text(errors="replace"))
        print(f"gunicorn: {shape}; threads per worker: {args.threads or 'config default (4)'}")
    load_before = os.getloadavg()[0]
    log_path = state / "serve.log"
    offset = [0]

    def at_warm() -> None:
        with contextlib.suppress(OSError):
            offset[0] = log_path.stat().st_size

    memory: list[tuple[int, int, int]] = []
    try:
        ctx, elapsed = run_load(
            plan, base, args.duration, args.warmup, args.seed, None if args.url else at_warm
        )
    finally:
        if serve is not None:
            with contextlib.suppress(OSError):
                memory = worker_memory(log_path.read_text(errors="replace"))
            stop_stack(serve)
            for folder in ("static", "media"):  # the log stays for reading
                shutil.rmtree(state / folder, ignore_errors=True)
    problems = lost_writes(ctx.writes, stored_values(args.database_url, list(ctx.writes)))
    submitted = statuses(args.database_url, ctx.submitted) if ctx.submitted else Counter()
    print(
        f"\nmachine: {os.cpu_count()} cores shared with everything else running; 1-minute load "
        f"average {load_before:.1f} before the run, {os.getloadavg()[0]:.1f} at its end"
    )
    ok = report(ctx, elapsed, problems, submitted)
    if serve is not None:
        with log_path.open("rb") as log:
            log.seek(offset[0])
            lines = log.read().decode("utf-8", "replace").splitlines()
        server_report(server_times(lines))
        print(f"\ngunicorn workers' memory at the end (goal: RSS ≤ {GOAL_RSS_MIB} MiB):")
        for pid, peak, now in memory:
            verdict = "ok" if peak <= GOAL_RSS_MIB * 1024 else "OVER"
            print(
                f"  worker {pid}: peak {peak / 1024:.0f} MiB, now {now / 1024:.0f} MiB  {verdict}"
            )
        if not memory:
            print("  (no worker found in /proc)")
    print(
        f"\ngoals (issue 14): no error, no lost write, autosave p95 ≤ {GOAL_AUTOSAVE_P95_MS} ms while "
        f"the bureau opens its overview — {'met' if ok else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
