"""In a real browser: the main pages of every role run under the Content-Security-Policy without a
single violation or script error, and the idle sign-out warns, saves the typing and keeps the page.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.sections import SECTIONS
from jixiao.reviews.models import Publication
from jixiao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Reported to the page by the browser itself; an init script runs outside the page's policy.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
                           (e.sourceFile || "") + ":" + (e.lineNumber || ""));
});
"""


class Watched:
    def __init__(self, browser: Any, base: str, username: str | None) -> None:
        self.context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        self.context.set_default_timeout(20_000)
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.base = base
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("dialog", lambda dialog: dialog.accept())
        if username:
            self.page.goto(base + reverse("login"))
            self.page.get_by_label("用户名").fill(username)
            self.page.get_by_label("密码").fill(PASSWORD)
            self.page.get_by_role("button", name="登录").click()
            self.page.wait_for_load_state()
            assert "/login/" not in self.page.url, username

    def _console(self, message: Any) -> None:
        where = message.location.get("url", "") if message.location else ""
        if where.endswith("/favicon.ico"):
            return  # the browser asks for it by itself; not a page's resource
        if where.endswith("/session/status/") and "401" in message.text:
            return  # the idle sign-out's signal that the session has ended
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(
                f"{self.page.url}: console {message.type}: {message.text} ({where})"
            )

    def visit(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        assert response.headers.get("content-security-policy"), path
        self.page.wait_for_load_state("networkidle")
        violations = self.page.evaluate("window.__violations")
        self.problems += [f"{path}: CSP {v}" for v in violations]


def test_the_main_pages_run_without_a_policy_violation(
    browser: Any, live_server: Any, world: World
) -> None:
    base = live_server.url
    e = world.evaluation
    published = world.other_evaluation
    Evaluation.objects.filter(pk=published.pk).update(status=Status.PUBLISHED)
    publication = Publication.objects.create(
        evaluation=published, published_by=world.bureau_admin, total=98, grade="优"
    )
    pages = {
        world.editor.username: [
            reverse("home"),
            reverse("evaluations:list"),
            reverse("evaluations:detail", kwargs={"pk": e.pk}),
            *[reverse("evaluations:edit", kwargs={"pk": e.pk, "section": s.key}) for s in SECTIONS],
            reverse("evaluations:evidence", kwargs={"pk": e.pk}),
            reverse("evaluations:preview", kwargs={"pk": e.pk}),
            reverse("audit_web:prefill", kwargs={"pk": e.pk}),
            reverse("jobs:list"),
        ],
        world.bureau_admin.username: [
            reverse("home"),
            reverse("campaigns:list"),
            reverse("campaigns:overview"),
            reverse("campaigns:detail", kwargs={"campaign_id": world.campaign.pk}),
            reverse("campaigns:edit", kwargs={"campaign_id": world.campaign.pk}),
            reverse("campaigns:create"),
            reverse("campaigns:rulesets"),
            reverse("reviews:queue"),
            reverse("reviews:samples"),
            reverse("audit_web:upload"),
            reverse("organisations:list"),
            reverse("organisations:users"),
            reverse("activity:list"),
            reverse("evaluations:detail", kwargs={"pk": e.pk}),
        ],
        "": [
            reverse("login"),
            reverse("portal:index"),
            reverse("portal:detail", kwargs={"publication_id": publication.pk}),
            "/api/docs",
        ],
    }
    for username, paths in pages.items():
        person = Watched(browser, base, username or None)
        for path in paths:
            person.visit(path)
        # The charts drew (ECharts ran under the policy).
        if username == world.bureau_admin.username:
            person.visit(reverse("campaigns:overview"))
            assert person.page.locator("#chart-grades svg, #chart-grades canvas").count() >= 1
        person.context.close()
        assert person.problems == [], f"{username or 'anonymous'}: {person.problems}"


def test_the_idle_warning_saves_typing_and_the_session_ends(
    browser: Any, live_server: Any, world: World, settings: Any
) -> None:
    # 30 s idle, warned 15 s before (the page warns at half the time when that is shorter).
    settings.JIXIAO_SESSION_IDLE_MINUTES = 0.5
    person = Watched(browser, live_server.url, world.editor.username)
    page = person.page
    person.visit(
        reverse("evaluations:edit", kwargs={"pk": world.evaluation.pk, "section": "other"})
    )
    assert "/login/" not in page.url, page.url
    box = page.get_by_label("其他自评情况")
    box.fill("空闲前输入的文字")
    # Autosave would wait 10 s after typing, the preview too; fast enough anyway: what matters is
    # that the typing is stored before the session ends, and that the warning shows.
    warning = page.locator("#idle-warning")
    # Typing causes requests (live score, autosave after 10 s), each of them activity: the warning
    # comes 15 s after the last of them.
    warning.wait_for(state="visible", timeout=60_000)
    assert "即将因长时间未操作而退出" in warning.inner_text()
    page.locator("#autosave-status .saved").wait_for(timeout=15_000)
    saved = Evaluation.objects.get(pk=world.evaluation.pk)
    assert "空闲前输入的文字" in str(saved.data)
    # 保持登录 keeps the session: the warning goes away.
    page.get_by_role("button", name="保持登录").click()
    warning.wait_for(state="hidden")
    # Left alone, the session ends: the page goes to the login page, which returns here after.
    page.wait_for_url("**/login/**", timeout=60_000)
    assert "next=" in page.url and "%2Fevaluations%2F" in page.url
    assert "因长时间未操作，已自动退出登录" in page.content()
    page.get_by_label("用户名").fill(world.editor.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert f"/evaluations/{world.evaluation.pk}/edit/other/" in page.url
    assert page.get_by_label("其他自评情况").input_value() == "空闲前输入的文字"
    person.context.close()
    assert person.problems == [], person.problems
