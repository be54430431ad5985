"""Content-Security-Policy and Permissions-Policy on every page; no template relies on inline script,
inline event handlers or style attributes (which the policy refuses)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from jixiao.web.security_headers import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY
from tests.test_access_matrix import MATRIX, ROLES, Objects, matrix_rows, objects, url_patterns

__all__ = ["matrix_rows", "objects"]  # the access matrix's fixtures, reused

REPO = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    p for p in (REPO / "jixiao").rglob("templates/**/*.html") if ".venv" not in p.parts
)


def test_the_policy_allows_no_inline_script_and_no_framing() -> None:
    directives = dict([*part.split(" ", 1), ""][:2] for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert "camera=()" in PERMISSIONS_POLICY and "geolocation=()" in PERMISSIONS_POLICY


def _assert_headers(response: Any, where: str) -> None:
    # The report preview adds its document's <style> blocks by digest, and nothing else.
    policy = re.sub(r" 'sha256-[A-Za-z0-9+/=]+'", "", response.get("Content-Security-Policy", ""))
    assert policy == CONTENT_SECURITY_POLICY, where
    assert response.get("Permissions-Policy") == PERMISSIONS_POLICY, where


GET_VIEWS = sorted(name for name, rows in MATRIX.items() if any(r.method == "GET" for r in rows))


@pytest.mark.parametrize("view", GET_VIEWS)
def test_every_page_carries_the_policies(view: str, objects: Objects) -> None:
    row = next(r for r in MATRIX[view] if r.method == "GET")
    # The first role that may open the page (anonymous for public ones), else the admin.
    role = next(
        (
            r
            for r in ROLES
            if row.codes[ROLES.index(r)] == 200 or row.codes[ROLES.index(r)] == (200, "changes")
        ),
        "admin",
    )
    client = Client()
    if role != "anonymous":
        client.force_login(objects.users[role])
    url = reverse(view, kwargs=objects.kwargs(view, url_patterns()[view], role, own=True))
    response = client.get(url)
    _assert_headers(response, f"GET {url} as {role}: {response.status_code}")


@pytest.mark.django_db
def test_refusals_and_errors_carry_the_policies_too() -> None:
    client = Client()
    _assert_headers(client.get("/no-such-page/"), "404")
    refused = client.generic("POST", reverse("login"), b"", CONTENT_LENGTH="999999999")
    assert refused.status_code == 413
    _assert_headers(refused, "413")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"""<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=""", re.I | re.S)
STYLE_ATTRIBUTE = re.compile(r"""<[^>]*\sstyle\s*=""", re.I | re.S)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def test_there_are_templates() -> None:
    assert len(TEMPLATES) > 40


@pytest.mark.parametrize("path", TEMPLATES, ids=[str(p.relative_to(REPO)) for p in TEMPLATES])
def test_no_template_has_inline_script_handlers_or_styles(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static file"
    assert not EVENT_HANDLER.search(text), "inline event handler: use data-* and a static script"
    assert not STYLE_ATTRIBUTE.search(text), "style attribute: use a class (or data-bar-width)"
    assert not JAVASCRIPT_URL.search(text), "javascript: URL"


def test_the_checks_catch_what_they_look_for() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/a.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="d">{}</script>')
    assert EVENT_HANDLER.search('<select name="x" onchange="this.form.submit()">')
    assert EVENT_HANDLER.search('<button hx-on:click="x()">')
    assert STYLE_ATTRIBUTE.search('<td style="width:3rem">')
    assert not STYLE_ATTRIBUTE.search('<td class="w-6" data-style="x">')


def test_htmx_injects_no_indicator_style_and_evaluates_nothing() -> None:
    base = (REPO / "jixiao/web/templates/web/base.html").read_text(encoding="utf-8")
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false""" in base
