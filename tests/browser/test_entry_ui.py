"""Small things of the entry pages in Debian's Chromium (issue 8.14, 8.15, 8.17): the 缺项清单 links
open the field they name; the campaign form lists only the rule-sets of the chosen 自评类型; the
indicator table fits its card in English at 1366 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation
from jixiao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser: Any, base: str, username: str, width: int = 1366) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(base + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    assert "/login/" not in page.url
    return page


def test_a_checklist_item_opens_its_section_and_focuses_its_field(
    browser: Any, live_server: Any, world: World
) -> None:
    from playwright.sync_api import expect

    e = world.evaluation
    data = dict(e.data)
    data["other"] = ""
    targets = [dict(t) for t in data["targets"]]
    targets[2] = {**targets[2], "actual": "1", "explanation": ""}  # missed: must be explained
    data["targets"] = targets
    Evaluation.objects.filter(pk=e.pk).update(data=data)
    page = _signed_in(browser, live_server.url, "head")
    page.goto(live_server.url + reverse("evaluations:detail", args=[e.pk]))
    missing = page.locator(".rp-missing")
    expect(missing).to_contain_text("未填写：其他自评情况")
    missing.get_by_role("link", name="未填写：其他自评情况").click()
    page.wait_for_url("**/edit/other/#f-other-other")
    expect(page.locator("textarea[name='other-other']")).to_be_focused()

    page.goto(live_server.url + reverse("evaluations:detail", args=[e.pk]))
    page.locator(".rp-missing a", has_text="须填写偏差原因分析及改进措施").click()
    page.wait_for_url("**/edit/targets/#f-targets-2-explanation")
    expect(page.locator("textarea[name='targets-2-explanation']")).to_be_focused()


def test_the_campaign_form_lists_the_rule_sets_of_the_chosen_kind(
    browser: Any, live_server: Any, world: World
) -> None:
    page = _signed_in(browser, live_server.url, world.bureau_admin.username)
    page.goto(live_server.url + reverse("campaigns:create"))
    kinds = page.eval_on_selector_all(
        "select[name=ruleset_ref] option", "os => os.map(o => [o.value, o.dataset.kind])"
    )
    assert {k for _v, k in kinds} >= {"department", "project"}

    def shown() -> set[str]:
        return set(
            page.eval_on_selector_all(
                "select[name=ruleset_ref] option",
                "os => os.filter(o => !o.hidden && !o.disabled).map(o => o.dataset.kind)",
            )
        )

    page.select_option("select[name=kind]", "project")
    assert shown() == {"project"}
    selected = page.eval_on_selector(
        "select[name=ruleset_ref]", "s => s.selectedOptions[0].dataset.kind"
    )
    assert selected == "project"
    page.select_option("select[name=kind]", "department")
    assert shown() == {"department"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_indicator_table_fits_its_card_at_1366(
    browser: Any, live_server: Any, world: World, language: str
) -> None:
    page = _signed_in(browser, live_server.url, "editor")
    if language == "en":
        _english(page)
    _goto(page, live_server.url + reverse("evaluations:detail", args=[world.evaluation.pk]))
    assert page.locator("html").get_attribute("lang") == language
    table = page.locator("table.ev-indicators")
    sizes = table.evaluate(
        """t => ({table: t.scrollWidth, box: t.parentElement.clientWidth,
                 card: t.closest('.card').clientWidth, page: document.documentElement.scrollWidth,
                 view: document.documentElement.clientWidth})"""
    )
    assert sizes["table"] <= sizes["box"], sizes
    assert sizes["page"] <= sizes["view"], sizes  # nothing pushes the page sideways either


def _english(page: Any) -> None:
    page.select_option("select[name=language]", "en")
    with page.expect_navigation():
        page.locator("form.lang").evaluate("form => form.submit()")
    page.wait_for_load_state("load")


def _goto(page: Any, url: str) -> None:
    """Open ``url``; once more if Chromium aborted it (under load the language switch's redirect can
    still be settling when the next navigation starts: net::ERR_ABORTED, not a fault of the page)."""
    try:
        page.goto(url)
    except Exception as exc:
        if "ERR_ABORTED" not in str(exc):
            raise
        page.goto(url)


def _fits(page: Any, selector: str) -> dict[str, int]:
    return page.locator(selector).first.evaluate(
        """t => ({table: t.scrollWidth, box: t.parentElement.clientWidth,
                 boxScroll: t.parentElement.scrollWidth,
                 page: document.documentElement.scrollWidth,
                 view: document.documentElement.clientWidth})"""
    )


def _with_long_flags(world: World) -> Evaluation:
    """The seed with a missed target (a long 'not met' flag) beside its over-completion flag."""
    e = world.evaluation
    data = dict(e.data)
    targets = [dict(t) for t in data["targets"]]
    targets[2] = {**targets[2], "actual": "4000", "explanation": ""}
    data["targets"] = targets
    Evaluation.objects.filter(pk=e.pk).update(data=data)
    e.refresh_from_db()
    return e


def test_the_reviewers_indicator_table_fits_at_1366_in_english(
    browser: Any, live_server: Any, world: World
) -> None:
    """#8.17: reviews/_indicators.html (the step snapshot, the recheck page) with English indicator
    names and flags stays inside its card."""
    from jixiao.evaluations.models import Status
    from jixiao.reviews.tests.helpers import move

    e = _with_long_flags(world)
    step = move(e, Status.SUBMITTED, world.head, "submit")
    page = _signed_in(browser, live_server.url, world.bureau_reviewer.username)
    _english(page)
    _goto(page, live_server.url + reverse("reviews:snapshot", args=[step.pk]))
    assert page.locator("html").get_attribute("lang") == "en"
    table = page.locator("table.review-indicators")
    assert "Staffing control rate" in table.inner_text()
    assert "Annual target not met (target 4400, actual 4000)" in table.inner_text()
    sizes = _fits(page, "table.review-indicators")
    assert sizes["table"] <= sizes["box"], sizes
    assert sizes["boxScroll"] <= sizes["box"], sizes
    assert sizes["page"] <= sizes["view"], sizes


def test_the_entry_pages_score_panel_fits_at_1366_in_english(
    browser: Any, live_server: Any, world: World
) -> None:
    """#8.17: the live score panel (the entry page's indicator table) in English."""
    e = _with_long_flags(world)
    page = _signed_in(browser, live_server.url, "editor")
    _english(page)
    _goto(page, live_server.url + reverse("evaluations:edit", args=[e.pk, "targets"]))
    panel = page.locator("#score-panel")
    assert "Staffing control rate" in panel.inner_text()
    assert "Annual target not met" in panel.inner_text()
    sizes = _fits(page, "#score-panel table.leaves")
    assert sizes["table"] <= sizes["box"], sizes
    assert sizes["page"] <= sizes["view"], sizes
    card = page.locator("#score-panel").evaluate("c => [c.scrollWidth, c.clientWidth]")
    assert card[0] <= card[1], card
