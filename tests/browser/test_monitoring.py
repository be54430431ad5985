"""绩效运行监控 in Debian's Chromium (issue 11): the bureau opens a July round; the unit reports and
a red warning holds its submission until 纠偏措施 are entered; the department returns it; the unit
resubmits; the bureau finds it in the city-wide warning list; the year-end self-evaluation shows the
round beside the target."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from jixiao.campaigns.models import Campaign
from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation, Status
from jixiao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expect() -> Any:
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    return expect


def _signed_in(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(base + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, username
    return page


def test_a_monitoring_round_from_opening_to_the_year_end(
    browser: Any, live_server: Any, world: World
) -> None:
    expect = _expect()
    base = live_server.url

    # The bureau opens the round on the campaign form (kind 绩效运行监控: no rule-set asked).
    admin = _signed_in(browser, base, "admin")
    admin.goto(base + reverse("campaigns:create"))
    admin.get_by_label("评价年度").fill("2025")
    admin.get_by_label("文号").fill("湛财绩〔2025〕9号")
    admin.get_by_label("通知名称").fill("关于开展2025年1-7月绩效运行监控的通知")
    admin.get_by_label("工作标题").fill("2025年1-7月绩效运行监控")
    admin.get_by_label("自评类型").select_option("monitoring")
    expect(admin.locator("#monitoring-settings")).to_be_visible()
    deadline = timezone.localtime() + dt.timedelta(days=20)
    admin.get_by_label("报送截止时间").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    admin.get_by_label("监控数据截止日期").fill("2025-07-31")
    admin.get_by_label("逐个选择单位").check()
    # 单位选择器: type part of the name, tick the match (it moves to the chosen list).
    admin.locator("input[name=units__search]").fill("职业技能鉴定")
    admin.locator(f"[data-picker-results] input[value='{world.unit.pk}']").check()
    expect(admin.locator(f"[data-picker-chosen] input[value='{world.unit.pk}']")).to_be_checked()
    admin.get_by_role("button", name="下达并生成各单位任务").click()
    expect(admin.locator(".messages")).to_contain_text("2025年1-7月绩效运行监控")
    campaign = Campaign.objects.get(notice_number="湛财绩〔2025〕9号")
    report = Evaluation.objects.get(campaign=campaign, unit=world.unit)
    # The approved target the unit reports on (what targets_in_force prefills after a declaration).
    report.data["targets"] = [
        {"code": "T1", "name": "新增取得职业技能等级认定证书", "direction": ">=",
         "value": "12000", "unit": "本", "approved": True}
    ]  # fmt: skip
    report.save()
    url = base + reverse("monitoring:report", args=[report.pk])

    # The unit reports: 30% spent at 58% of the year, the target expected at 75%: two red warnings.
    editor = _signed_in(browser, base, "editor")
    editor.goto(base + reverse("evaluations:detail", args=[report.pk]))
    assert editor.url == url
    editor.locator("input[name='budget-0-adjusted']").fill("100")
    editor.locator("input[name='budget-0-executed']").fill("30")
    editor.locator("input[name='targets-0-to_date']").fill("5000")
    editor.locator("input[name='targets-0-expected']").fill("9000")
    editor.get_by_role("button", name="保存", exact=True).click()
    expect(editor.locator(".messages")).to_contain_text("已保存")
    expect(editor.locator("#warnings")).to_contain_text("红色预警")
    expect(editor.locator("#time-progress")).to_have_text("58.08%")

    # The head cannot submit: the 缺项清单 names the measures the red warnings need.
    head = _signed_in(browser, base, "head")
    head.goto(url)
    panel = head.locator("#review-panel")
    expect(panel).to_contain_text("预算执行红色预警：须填写纠偏措施")
    expect(panel).to_contain_text("红色预警：须填写纠偏措施")
    expect(panel.get_by_role("button", name="审定并报送")).to_be_disabled()
    head.locator("#budget_cause").fill("补贴按季度结算，二季度补贴尚未拨付。")
    head.locator("#budget_measures").fill("8月底前完成二季度补贴拨付。")
    head.locator("textarea[name='targets-0-cause']").fill("两个新工种考评员培训延期。")
    head.locator("textarea[name='targets-0-measures']").fill("9-12月每月加开两场认定考试。")
    head.get_by_role("button", name="保存", exact=True).click()
    expect(head.locator(".messages")).to_contain_text("已保存")
    head.locator("#review-panel").get_by_role("button", name="审定并报送").click()
    expect(head.locator("#review-panel .status")).to_have_text(str(Status.SUBMITTED.label))

    # The department returns it; the unit resubmits.
    dept = _signed_in(browser, base, "dept")
    dept.goto(url)
    returning = dept.locator("#review-panel form").filter(
        has=dept.get_by_role("button", name="退回修改")
    )
    returning.locator("summary").click()
    returning.locator("textarea[name=comment]").fill("纠偏措施请写明拨付金额。")
    returning.get_by_role("button", name="退回修改").click()
    expect(dept.locator("#review-panel .status")).to_have_text(str(Status.RETURNED.label))
    head.goto(url)
    expect(head.locator("#review-panel .rp-return")).to_contain_text("纠偏措施请写明拨付金额。")
    head.locator("#budget_measures").fill("8月底前拨付二季度补贴 52 万元。")
    head.get_by_role("button", name="保存", exact=True).click()
    expect(head.locator(".messages")).to_contain_text("已保存")
    head.locator("#review-panel").get_by_role("button", name="修改后重新报送").click()
    expect(head.locator("#review-panel .status")).to_have_text(str(Status.SUBMITTED.label))

    # The bureau sees the warnings city-wide, filters to red, and finds the unit.
    bureau = _signed_in(browser, base, "bureau")
    bureau.goto(base + reverse("monitoring:warnings"))
    table = bureau.locator("#warning-table")
    expect(table).to_contain_text(world.unit.name)
    bureau.locator("#f-level").select_option("2")
    bureau.get_by_role("button", name="筛选").click()
    expect(bureau.locator("#warning-table tbody tr")).to_have_count(2)
    expect(bureau.locator("#warning-table")).to_contain_text("新增取得职业技能等级认定证书")

    # The year-end self-evaluation shows the round beside its target.
    editor.goto(base + reverse("evaluations:edit", args=[world.evaluation.pk, "targets"]))
    history = editor.locator("#monitoring-history")
    expect(history).to_contain_text("2025年1-7月绩效运行监控")
    expect(history.locator("tr[data-target-code='T1']")).to_contain_text("9000")
