"""The entry page in a real browser (Debian's Chromium via Playwright): rows are added with the
button, the side panel scores the unsaved input, the empty explanation the rules require is marked,
and autosave stores the draft and moves the form to the new version."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from jixiao.conftest import World
from jixiao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls here are a test harness's.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(15_000)
        yield context.new_page()
        browser.close()


def test_budget_rows_live_score_missing_mark_and_autosave(
    page: Any, live_server: Any, world: World
):
    from playwright.sync_api import expect

    e = world.evaluation
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(live_server.url + reverse("evaluations:edit", args=[e.pk, "budget"]))
    panel = page.locator("#score-panel")
    expect(panel.locator(".panel-total b")).to_have_text("98.00")

    page.locator("input[name='rows-0-executed']").fill("30")  # 30 of 38.45: 78.02%
    expect(panel).to_contain_text("78.02%")
    explanation = page.locator("textarea[name='budget-execution_explanation']")
    expect(explanation).to_have_class("missing")
    expect(page.locator(".missing-msg")).to_have_text("预算执行率 78.02% 低于 90%，须说明原因")

    page.get_by_role("button", name="+ 添加资金来源").click()
    page.locator("input[name='rows-1-source']").fill("上年结转资金")
    for name in ("initial", "full_year", "executed"):
        page.locator(f"input[name='rows-1-{name}']").fill("5")
    explanation.fill("部分资金年底下达，未能当年支出。")
    expect(explanation).not_to_have_class("missing")
    expect(panel).to_contain_text("80.55%")  # 35 of 43.45

    # Autosave fires two seconds after a change (blur commits it).
    explanation.blur()
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存", timeout=20_000)
    page.wait_for_timeout(2500)  # let any autosave still queued (after the row was added) start
    page.wait_for_function(
        "() => !document.querySelector('#autosave').classList.contains('htmx-request')"
    )
    e.refresh_from_db()
    # A slow machine may autosave once more in between; the form always holds the stored version.
    assert e.version >= 2
    expect(page.locator("#entry-version")).to_have_value(str(e.version))
    assert [r["source"] for r in e.data["budget"]["rows"]] == ["当年财政拨款", "上年结转资金"]
    assert e.data["budget"]["execution_explanation"] == "部分资金年底下达，未能当年支出。"

    # The explicit save after the autosave is not a conflict with oneself, and writes nothing new.
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("“部门整体支出情况”没有修改，无需保存")
    e.refresh_from_db()
    expect(page.locator(".messages")).to_contain_text(f"第 {e.version} 版）")
