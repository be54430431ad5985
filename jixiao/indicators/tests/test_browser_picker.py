"""The 指标库 picker in a real browser (Debian's Chromium via Playwright): opened from a declaration
row it fills that row's fields (the data-* contract of indicators/picker.js); fetched whole by a
page-level button it announces each pick with "jixiao:indicator-picked". The declaration page is not
this app's: the test builds the row the contract describes on the search page."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from jixiao.conftest import World
from jixiao.indicators import services
from jixiao.indicators.tests.helpers import use
from jixiao.testing import factories as f
from jixiao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROW = """
<table><tbody><tr data-target-row id="row-1">
  <td><select data-target-field="level1"><option value="">—</option><option>产出指标</option><option>效益指标</option></select></td>
  <td><input data-target-field="level2"></td>
  <td><input data-target-field="name" value="旧名称"></td>
  <td><input data-target-field="unit"></td>
  <td><select data-target-field="direction"><option value=">=">≥</option><option value="<=">≤</option></select></td>
  <td><input type="hidden" data-target-field="library_id"></td>
  <td><button type="button" data-indicator-picker-open="indicator-picker">从指标库选择</button></td>
</tr></tbody></table><div id="library-box"></div>
"""


@pytest.fixture
def page() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(15_000)
        yield context.new_page()
        browser.close()


def test_picker_fills_a_row_and_announces_page_level_picks(
    page: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    services.sync_common_indicators()
    third = f.UnitFactory.create(parent=world.department)
    for unit in (world.unit, world.other_unit, third):
        use(unit, 2025, "培训人次", 100)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(live_server.url + reverse("indicators:search"))
    # The declaration page's part of the contract: a row, and the panel fetched into the page.
    page.evaluate(
        "html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", ROW
    )
    page.evaluate(
        "url => htmx.ajax('GET', url, {target: '#library-box', swap: 'innerHTML'})",
        reverse("indicators:picker"),
    )
    picker = page.locator("#indicator-picker")
    expect(picker).to_be_visible()
    # htmx inserts the panel's <script src> as a new element, which loads after the panel shows: on a
    # slow machine a click before it runs reaches no listener (CI failed so on 2026-11-29).
    page.wait_for_function("() => window.jixiaoIndicatorPicker === true")
    page.evaluate(
        "() => { window.picked = []; document.getElementById('row-1').addEventListener("
        "'change', e => window.picked.push('change:' + e.target.dataset.targetField)); }"
    )

    # From the row: fill it.
    page.locator("[data-indicator-picker-open]").click()
    # Pick from the search's own results, not from the list the search is about to replace.
    with page.expect_response(lambda r: "results=1" in r.url and "q=" in r.url):
        picker.locator("[data-indicator-picker-search]").fill("培训")
    pick = picker.locator("[data-indicator-pick][data-name='培训人次']")
    expect(pick).to_have_count(1)
    pick.click()
    row = page.locator("#row-1")
    expect(row.locator("[data-target-field='name']")).to_have_value("培训人次")
    expect(row.locator("[data-target-field='unit']")).to_have_value("人次")
    expect(row.locator("[data-target-field='level1']")).to_have_value("产出指标")
    expect(row.locator("[data-target-field='level2']")).to_have_value("数量指标")
    expect(row.locator("[data-target-field='library_id']")).not_to_have_value("")
    expect(picker).to_be_hidden()
    assert "change:name" in page.evaluate("() => window.picked")

    # Page level (no row opened it): the pick is announced, and the picker stays open.
    page.evaluate(
        "() => document.addEventListener('jixiao:indicator-picked', e => { window.announced = e.detail; })"
    )
    page.evaluate(
        "url => htmx.ajax('GET', url, {target: '#library-box', swap: 'innerHTML'})",
        reverse("indicators:picker") + "?q=预算调整率",
    )
    # The new panel replaces the old one when its response arrives: click its own entry.
    page.locator("#indicator-picker [data-indicator-pick][data-name='预算调整率']").first.click()
    announced = page.evaluate("() => window.announced")
    assert announced["name"] == "预算调整率" and announced["unit"] == "%"
    assert announced["direction"] == "<=" and isinstance(announced["id"], int)
    assert "调整率" in announced["explanation"]
    expect(page.locator("#indicator-picker")).to_be_visible()
