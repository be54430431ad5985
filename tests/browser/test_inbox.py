"""Notifications in Debian's Chromium (issue 12.1): a deadline reminder arrives as a mail on a real
SMTP server and in the inbox; the top bar counts it; opening it marks it read and leads to the
task; 全部标为已读; the settings page stores a choice. The daily job runs on a fake clock (its
``now``), and the stored notification reads in English in the English UI."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from jixiao.conftest import World
from jixiao.notifications.models import Notification, Preference
from jixiao.notifications.reminders import remind_deadlines
from jixiao.notifications.services import notify
from jixiao.notifications.tests.conftest import smtp  # noqa: F401  (the loopback SMTP server)
from jixiao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expect() -> Any:
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    return expect


def test_a_deadline_reminder_by_mail_and_in_the_inbox(
    page: Any,
    live_server: Any,
    world: World,
    smtp: Any,  # noqa: F811
) -> None:
    expect = _expect()
    base = live_server.url
    world.editor.email = "editor@test.invalid"
    world.editor.save(update_fields=["email"])
    # A fake clock: the daily job runs as if 20 days had passed; the deadline is 2½ days later.
    clock = timezone.now() + dt.timedelta(days=20)
    deadline = clock + dt.timedelta(days=2, hours=12)
    world.campaign.deadline = deadline
    world.campaign.save(update_fields=["deadline"])

    assert remind_deadlines().messages == 0  # today the deadline is 22 days away
    assert smtp.received == []
    run = remind_deadlines(now=clock)  # the daily job, on the fake clock

    assert run.messages == 3  # editor, head, and the other unit's editor (no mail address)
    assert remind_deadlines(now=clock + dt.timedelta(hours=1)).sent == 0  # run twice: once
    (mail,) = smtp.to("editor@test.invalid")
    assert "距报送截止不足 3 天" in mail.subject
    detail = reverse("evaluations:detail", args=[world.evaluation.pk])
    assert detail in mail.body

    page.goto(base + reverse("login"))
    page.get_by_label("用户名").fill("editor")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    # The top bar's count arrives after the page (htmx).
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    # The 工作台 lists the task to fill with its deadline.
    expect(page.locator('[data-todo="evaluations.fill"] b')).to_have_text("1")

    page.get_by_test_id("inbox-link").click()
    row = page.locator("#inbox tbody tr").first
    expect(row).to_contain_text("距报送截止不足 3 天")
    expect(row).to_contain_text(f"{timezone.localtime(clock):%Y-%m-%d %H:%M}")
    expect(row).to_have_class("unread")
    # The same notification in the English UI (stored in Chinese with its template).
    page.select_option("select[name=language]", "en")
    with page.expect_navigation():
        page.locator("form.lang").evaluate("form => form.submit()")
    page.wait_for_load_state("load")
    row = page.locator("#inbox tbody tr").first
    expect(row).to_contain_text("less than 3 days to the deadline")
    expect(row).not_to_contain_text("距报送截止")
    page.select_option("select[name=language]", "zh-hans")
    with page.expect_navigation():
        page.locator("form.lang").evaluate("form => form.submit()")
    page.wait_for_load_state("load")
    row = page.locator("#inbox tbody tr").first
    row.get_by_role("button", name="查看").click()
    expect(page).to_have_url(base + detail)
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    assert Notification.objects.get(recipient=world.editor).read_at is not None

    # Two more arrive; 全部标为已读 clears them.
    for n in range(2):
        notify(
            kind="evaluation_returned",
            recipients=[world.editor],
            title=f"退回通知{n}",
            key=f"browser:{n}",
        )
    page.goto(base + reverse("notifications:inbox"))
    expect(page.get_by_test_id("unread-count")).to_have_text("2")
    expect(page.locator("#inbox tbody tr.unread")).to_have_count(2)
    page.get_by_test_id("read-all").click()
    expect(page.locator(".messages")).to_contain_text("已将 2 条通知标为已读")
    expect(page.locator("#inbox tbody tr.unread")).to_have_count(0)

    page.get_by_role("link", name="通知设置").click()
    page.get_by_label("截止前 1 天提醒").select_option("none")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("通知设置已保存")
    assert Preference.objects.get(user=world.editor, kind="deadline_1").channel == "none"
