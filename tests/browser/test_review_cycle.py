"""The review cycle in Debian's Chromium (issue 8.8, 8.9): a return, the unit's fix and resubmission,
and the reviewer reading what changed since the return; then a bulk approval from the 审核待办,
previewed before it is confirmed."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation, Status
from jixiao.reviews.tests.helpers import move
from jixiao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expect() -> Any:
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    return expect


def _signed_in(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # irreversible steps ask first; confirm
    page.goto(base + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, username
    return page


def test_return_then_the_reviewer_sees_what_changed_since(
    browser: Any, live_server: Any, world: World
) -> None:
    expect = _expect()
    base = live_server.url
    e = world.evaluation
    detail = reverse("evaluations:detail", args=[e.pk])

    head = _signed_in(browser, base, "head")
    head.goto(base + detail)
    head.locator("#review-panel").get_by_role("button", name="审定并报送").click()
    expect(head.locator("#review-panel .status")).to_have_text(str(Status.SUBMITTED.label))

    dept = _signed_in(browser, base, "dept")
    dept.goto(base + detail)
    returning = dept.locator("#review-panel form").filter(
        has=dept.get_by_role("button", name="退回修改")
    )
    returning.locator("summary").click()
    returning.get_by_label("其他自评情况", exact=True).fill("请补充自评结果的说明。")
    returning.get_by_role("button", name="退回修改").click()
    expect(dept.locator("#review-panel .status")).to_have_text(str(Status.RETURNED.label))
    expect(dept.locator("#changes-since-return")).to_have_count(0)

    editor = _signed_in(browser, base, "editor")
    editor.goto(base + detail)
    notice = editor.locator("#review-panel .rp-return")
    expect(notice).to_contain_text("其他自评情况")
    expect(notice).to_contain_text("请补充自评结果的说明。")
    editor.goto(base + reverse("evaluations:edit", args=[e.pk, "other"]))
    editor.locator("textarea[name='other-result_statement']").fill("自评结果经小组复核确认。")
    editor.get_by_role("button", name="保存", exact=True).click()
    expect(editor.locator(".messages")).to_contain_text("已保存")

    head.goto(base + detail)
    head.locator("#review-panel").get_by_role("button", name="修改后重新报送").click()
    expect(head.locator("#review-panel .status")).to_have_text(str(Status.SUBMITTED.label))

    dept.goto(base + detail)
    diff = dept.locator("#changes-since-return")
    expect(diff).to_be_visible()
    expect(diff).to_contain_text("退回后修改了 1 处")
    row = diff.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("自评结果说明")
    expect(row.locator("ins")).to_have_text("自评结果经小组复核确认。")
    dept.context.close()
    head.context.close()
    editor.context.close()


def test_bulk_approve_with_a_preview(browser: Any, live_server: Any, world: World) -> None:
    expect = _expect()
    base = live_server.url
    for evaluation in (world.evaluation, world.other_evaluation):
        move(evaluation, Status.SUBMITTED, world.head, "submit")

    dept = _signed_in(browser, base, "dept")
    dept.goto(base + reverse("reviews:queue") + "?group=submitted")
    expect(dept.locator("input.bulk-row")).to_have_count(2)
    dept.locator("#bulk-all").check()
    expect(dept.locator("input.bulk-row:checked")).to_have_count(2)
    dept.get_by_role("button", name="预览批量审核通过").click()

    expect(dept.locator("h1")).to_have_text("批量审核通过：预览")
    expect(dept.locator("main")).to_contain_text("将办理 2 份")
    expect(dept.locator("table.bulk-ok tbody tr")).to_have_count(2)
    expect(dept.locator("table.bulk-ok")).to_contain_text(world.unit.name)
    # Nothing has happened yet.
    assert set(
        Evaluation.objects.filter(
            pk__in=[world.evaluation.pk, world.other_evaluation.pk]
        ).values_list("status", flat=True)
    ) == {Status.SUBMITTED}

    dept.get_by_role("button", name="确认办理这 2 份").click()
    expect(dept.locator(".messages")).to_contain_text("已批量办理 2 份")
    assert set(
        Evaluation.objects.filter(
            pk__in=[world.evaluation.pk, world.other_evaluation.pk]
        ).values_list("status", flat=True)
    ) == {Status.DEPARTMENT_APPROVED}
    expect(dept.locator("input.bulk-row")).to_have_count(0)  # the pile is empty now
    dept.context.close()
