"""Two windows of the same unit editor (issue 8.4, 8.5), in Debian's Chromium: saving one section
does not refuse the other window's save of another section; the same field saved in both is
refused with who and when, keeping the typed text; a refused autosave shows its error at the
field at once and the next stored autosave clears it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.conftest import World
from jixiao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(base + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    assert "/login/" not in page.url
    return context


def test_two_windows_save_different_sections_and_clash_only_on_the_same_field(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    e = world.evaluation
    context = _signed_in(browser, live_server.url, "editor")
    window_a, window_b = context.new_page(), context.new_page()  # one login, two windows
    window_a.goto(live_server.url + reverse("evaluations:edit", args=[e.pk, "other"]))
    window_b.goto(live_server.url + reverse("evaluations:edit", args=[e.pk, "group"]))

    window_a.locator("textarea[name='other-other']").fill("窗口 A 写的其他情况")
    window_a.get_by_role("button", name="保存", exact=True).click()
    expect(window_a.locator(".messages")).to_contain_text("“其他自评情况”已保存（第 2 版）")

    window_b.locator("textarea[name='group-process']").fill("窗口 B 写的评价过程")
    window_b.get_by_role("button", name="保存", exact=True).click()
    expect(window_b.locator(".messages")).to_contain_text("已保存（第 3 版）")
    expect(window_b.locator(".conflict")).to_have_count(0)
    e.refresh_from_db()
    assert e.data["other"] == "窗口 A 写的其他情况"
    assert e.data["process"] == "窗口 B 写的评价过程"

    # 保存 with nothing changed: no new version, and the other window's save still goes through.
    window_a.get_by_role("button", name="保存", exact=True).click()
    expect(window_a.locator(".messages")).to_contain_text("没有修改，无需保存（仍为第 3 版）")
    e.refresh_from_db()
    assert e.version == 3

    # The same field in both windows: the later save is refused, naming who and when; text stays.
    window_b.goto(live_server.url + reverse("evaluations:edit", args=[e.pk, "other"]))
    window_a.locator("textarea[name='other-other']").fill("A 的第二稿")
    window_b.locator("textarea[name='other-other']").fill("B 的另一稿")
    window_a.get_by_role("button", name="保存", exact=True).click()
    expect(window_a.locator(".messages")).to_contain_text("已保存（第 4 版）")
    window_b.get_by_role("button", name="保存", exact=True).click()
    conflict = window_b.locator(".conflict")
    expect(conflict).to_contain_text("“其他自评情况”已由")
    expect(conflict).to_contain_text("现为第 4 版")
    expect(window_b.locator("textarea[name='other-other']")).to_have_value("B 的另一稿")
    e.refresh_from_db()
    assert e.version == 4 and e.data["other"] == "A 的第二稿"
    context.close()


def test_a_refused_autosave_shows_the_error_at_the_field_and_a_stored_one_clears_it(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    e = world.evaluation
    context = _signed_in(browser, live_server.url, "editor")
    page = context.pages[0]
    page.goto(live_server.url + reverse("evaluations:edit", args=[e.pk, "budget"]))
    field = page.locator("input[name='rows-0-initial']")
    field.fill("33,28")
    field.blur()  # autosave two seconds after a change
    expect(page.locator("#autosave-status")).to_contain_text("未自动保存", timeout=20_000)
    cell = page.locator("[data-field='rows-0-initial']")
    expect(cell.locator(".errorlist")).to_contain_text("逗号不能作小数点")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#form-errors .form-errors")).to_contain_text("未保存，请先改正以下问题")

    field.fill("33.3")
    field.blur()
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存", timeout=20_000)
    expect(cell.locator(".errorlist")).to_have_count(0)
    expect(page.locator("#form-errors .form-errors")).to_have_count(0)
    expect(field).not_to_have_attribute("aria-invalid", "true")
    e.refresh_from_db()
    assert e.data["budget"]["rows"][0]["initial"] == "33.3"

    # The banner a refused 保存 rendered into the page goes too once autosave stores the fix.
    field.fill("abc")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator("#form-errors .form-errors")).to_be_visible()
    page.locator("input[name='rows-0-initial']").fill("33.4")
    page.locator("input[name='rows-0-initial']").blur()
    expect(page.locator("#autosave-status")).to_contain_text("已自动保存", timeout=20_000)
    expect(page.locator("#form-errors .form-errors")).to_have_count(0)
    expect(page.locator("[data-field='rows-0-initial'] .errorlist")).to_have_count(0)
    context.close()
