"""Issue 10's whole path in Debian's Chromium: declare → return → approve → adjust → the year-end
self-evaluation prefilled from the approved targets (read-only there) → approval, with the
reviewer's comparison of declared, adjusted and evaluated targets.

The same cycle through the services: jixiao/evaluations/tests/test_targets_path.py."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from jixiao.campaigns.services import create_campaign
from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.services import save_evaluation_data
from jixiao.evaluations.tests.test_targets_path import declared_targets
from jixiao.targets.models import AdjustmentStatus, TargetAdjustment
from jixiao.targets.selectors import targets_in_force
from jixiao.testing import factories as f
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
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(base + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, username
    return page


def _campaign(world: World, kind: str, year: int, number: str) -> list[Evaluation]:
    values: dict[str, Any] = {
        "year": year,
        "title": f"{year}年度{'绩效目标申报' if kind == 'targets' else '部门整体支出绩效自评'}",
        "notice_title": "湛江市财政局通知",
        "notice_number": number,
        "kind": kind,
        "ruleset_ref": "gd-department@2025.1",
        "deadline": timezone.now() + dt.timedelta(days=20),
    }
    if kind == "targets":
        values["cost_threshold"] = Decimal("100")
    _campaign, tasks = create_campaign(user=world.bureau_admin, values=values, units=[world.unit])
    return [t for t in tasks if t.project_id is None]


def _step(page: Any, expect: Any, label: str, status: str, comment: str = "") -> None:
    panel = page.locator("#review-panel")
    form = panel.locator("form").filter(has=page.get_by_role("button", name=label))
    if comment:
        form.locator("textarea[name='comment']").fill(comment)
    form.get_by_role("button", name=label).click()
    expect(page.locator("#review-panel .status")).to_have_text(status)


def test_declare_return_approve_adjust_then_the_bound_year_end_evaluation_is_approved(
    browser: Any, live_server: Any, world: World
) -> None:
    expect = _expect()
    base = live_server.url
    # The bureau opens the FY2026 declarations; the unit's 部门整体 declaration starts from a draft
    # with its targets typed in (the first value 12000, as in 2025).
    (declaration,) = _campaign(world, "targets", 2026, "湛财绩〔2025〕9号")
    data = copy.deepcopy(declaration.data)
    data["amount"] = "38.45"
    data["overall_goal"] = "完成职业技能等级认定督导和考务统筹。"
    data["targets"] = declared_targets()
    save_evaluation_data(
        user=world.editor, evaluation_id=declaration.pk, expected_version=0, data=data
    )
    detail = base + reverse("evaluations:detail", args=[declaration.pk])
    entry = base + reverse("evaluations:edit", args=[declaration.pk, "targets"])

    # Declare: the editor raises the certificate target on the declaration page and saves.
    editor = _signed_in(browser, base, "editor")
    editor.goto(entry)
    first_value = editor.locator("#target-rows tr").first.locator("input[name='t-value']")
    first_value.fill("16000")
    editor.get_by_role("button", name="保存", exact=True).click()
    editor.wait_for_load_state()
    declaration.refresh_from_db()
    assert declaration.data["targets"][0]["value"] == "16000"

    head = _signed_in(browser, base, "head")
    head.goto(detail)
    _step(head, expect, "审定并报送", str(Status.SUBMITTED.label))

    # Return: the department asks for the target to be raised toward last year's 18969.
    dept = _signed_in(browser, base, "dept")
    dept.goto(detail)
    _step(
        dept, expect, "退回修改", str(Status.RETURNED.label), "证书目标低于上年实际，请按实际测算"
    )

    editor.goto(entry)
    editor.locator("#target-rows tr").first.locator("input[name='t-value']").fill("17000")
    editor.get_by_role("button", name="保存", exact=True).click()
    editor.wait_for_load_state()
    head.goto(detail)
    _step(head, expect, "修改后重新报送", str(Status.SUBMITTED.label))

    # Approve: department, then the bureau.
    dept.goto(detail)
    _step(dept, expect, "审核通过，报财政局", str(Status.DEPARTMENT_APPROVED.label))
    bureau = _signed_in(browser, base, "bureau")
    bureau.goto(detail)
    _step(bureau, expect, "财政审定通过", str(Status.APPROVED.label))

    # Adjust: the unit requests 调整1 (the certificate target to 18000) with its reason; the
    # department and then the bureau agree.
    declaration.refresh_from_db()
    editor.goto(base + reverse("targets:adjust", args=[declaration.pk]))
    editor.locator("#f-reason").fill("全年认定规模增长较快，按实际测算调高年度指标值。")
    editor.locator("#target-rows tr").first.locator("input[name='t-value']").fill("18000")
    editor.get_by_role("button", name="提交调整申请").click()
    editor.wait_for_url("**/targets/adjustments/**")
    adjustment = TargetAdjustment.objects.get(declaration=declaration, number=1)
    assert adjustment.status == AdjustmentStatus.REQUESTED
    assert adjustment.data["targets"][0]["value"] == "18000"
    adjustment_url = base + reverse("targets:adjustment", args=[adjustment.pk])
    for reviewer in (dept, None):
        page = reviewer or _signed_in(browser, base, "bureau")
        page.goto(adjustment_url)
        page.get_by_role("button", name="同意调整").click()
        page.wait_for_load_state()
        if reviewer is None:
            page.context.close()
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.APPROVED
    in_force = targets_in_force(unit_id=world.unit.pk, year=2026, project_id=None)
    assert in_force is not None and in_force.data["targets"][0]["value"] == "18000"

    # The FY2026 year-end self-evaluation is prefilled from the approved, adjusted targets.
    (evaluation,) = _campaign(world, "department", 2026, "湛财绩〔2027〕2号")
    filled = f.seed_evaluation_data()
    for key in ("kind", "ruleset", "year", "notice", "unit", "targets", "targets_basis"):
        filled[key] = copy.deepcopy(evaluation.data[key])
    evaluation = save_evaluation_data(
        user=world.editor, evaluation_id=evaluation.pk, expected_version=0, data=filled
    )
    targets = base + reverse("evaluations:edit", args=[evaluation.pk, "targets"])
    editor.goto(targets)
    expect(editor.locator("[data-targets-basis]")).to_contain_text("第1次目标调整")
    value = editor.locator("input[name='targets-0-target']")
    expect(value).to_have_value("18000")
    expect(value).to_be_disabled()
    expect(editor.locator("input[name='targets-0-points']")).to_be_disabled()
    expect(editor.locator("[data-add-row]")).to_have_count(0)
    for index, actual in enumerate(("18969", "5570", "354", "100", "96")):
        editor.locator(f"input[name='targets-{index}-actual']").fill(actual)
    editor.get_by_role("button", name="保存", exact=True).click()
    expect(editor.locator(".messages")).to_contain_text("已保存")
    evaluation.refresh_from_db()
    rows = {t["code"]: t for t in evaluation.data["targets"]}
    assert (rows["T1"]["target"], rows["T1"]["actual"], rows["T1"]["points"]) == (
        "18000",
        "18969",
        "12.50",
    )

    # Approval: submitted; the reviewer sees declared 16000→17000 (returned), adjusted 18000,
    # evaluated 18000, and approves.
    detail = base + reverse("evaluations:detail", args=[evaluation.pk])
    head.goto(detail)
    _step(head, expect, "审定并报送", str(Status.SUBMITTED.label))
    dept.goto(detail)
    comparison = dept.locator("#target-comparison")
    expect(comparison).to_contain_text("申报（批复）")
    expect(comparison).to_contain_text("调整1")
    expect(comparison.locator("td.changed").first).to_contain_text("≥18000人次")
    expect(comparison.locator("[data-targets-stale]")).to_have_count(0)
    _step(dept, expect, "审核通过，报财政局", str(Status.DEPARTMENT_APPROVED.label))
    bureau.goto(detail)
    _step(bureau, expect, "财政审定通过", str(Status.APPROVED.label))
    evaluation.refresh_from_db()
    assert evaluation.status == Status.APPROVED
    for page in (editor, head, dept, bureau):
        page.context.close()
