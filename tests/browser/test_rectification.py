"""整改 in Debian's Chromium (#12.2): a department return becomes a 整改任务 from the review panel;
the unit reports what it did with an evidence file; the bureau confirms."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from jixiao.conftest import World
from jixiao.rectification.models import RectificationTask, TaskStatus
from jixiao.reviews import workflow
from jixiao.reviews.services import transition
from tests.browser.test_review_cycle import _expect, _signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_return_becomes_a_task_the_unit_closes_and_the_bureau_confirms(
    browser: Any, live_server: Any, world: World, tmp_path: Any, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    expect = _expect()
    base = live_server.url
    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer,
        evaluation_id=e.pk,
        action=workflow.DEPARTMENT_RETURN,
        comment="超额完成指标未说明偏差原因",
    )

    dept = _signed_in(browser, base, "dept")
    dept.goto(base + reverse("evaluations:detail", args=[e.pk]))
    dept.locator("#review-panel .rp-history").get_by_role("link", name="下达整改任务").click()
    expect(dept.get_by_label("存在的问题")).to_have_value("超额完成指标未说明偏差原因")
    dept.get_by_label("整改要求").fill("补充偏差原因分析，完善指标测算依据")
    dept.get_by_role("button", name="下达").click()
    expect(dept.locator("#task-status")).to_have_text(str(TaskStatus.OPEN.label))
    task = RectificationTask.objects.get()

    photo = tmp_path / "整改照片.png"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())
    editor = _signed_in(browser, base, "editor")
    editor.goto(base + reverse("rectification:list"))
    editor.get_by_role("link", name="超额完成指标未说明偏差原因").click()
    editor.get_by_label("整改佐证").set_input_files(str(photo))
    editor.get_by_role("button", name="上传").click()
    expect(editor.locator("#task-evidence")).to_contain_text("整改照片.png")
    editor.get_by_label("整改情况（做了什么、结果如何）").fill("已补充偏差原因分析并重新测算。")
    editor.get_by_role("button", name="报送整改情况").click()
    expect(editor.locator("#task-status")).to_have_text(str(TaskStatus.REPORTED.label))

    bureau = _signed_in(browser, base, "bureau")
    bureau.goto(base + reverse("rectification:detail", args=[task.pk]))
    expect(bureau.locator("#task-report")).to_contain_text("已补充偏差原因分析")
    bureau.get_by_label("结论").select_option("confirm")
    bureau.get_by_label("意见").fill("整改到位")
    bureau.get_by_role("button", name="提交").click()
    expect(bureau.locator("#task-status")).to_have_text(str(TaskStatus.CONFIRMED.label))
    task.refresh_from_db()
    assert task.status == TaskStatus.CONFIRMED
    assert list(task.steps.values_list("action", flat=True)) == ["raise", "report", "confirm"]


def test_the_unit_picker_lists_the_departments_units_and_narrows_as_typed(
    browser: Any, live_server: Any, world: World
) -> None:
    """下达整改任务 without a source unit (issue 14): the one 单位选择器 (organisations:picker)
    lists the department's few units before anything is typed, narrows to the matches in its
    scope as a name is typed, and the task is raised for the unit ticked."""
    import datetime as dt

    from django.utils import timezone

    expect = _expect()
    base = live_server.url
    dept = _signed_in(browser, base, "dept")
    dept.goto(base + reverse("rectification:create") + "?kind=other")
    results = dept.locator("[data-picker-results]")
    expect(results.locator(f"input[value='{world.other_unit.pk}']")).to_have_count(1)
    expect(results.locator(f"input[value='{world.unit.pk}']")).to_have_count(1)
    expect(results.locator(f"input[value='{world.foreign_unit.pk}']")).to_have_count(0)
    dept.locator("input[name=unit__search]").fill("鉴定指导")
    expect(results.locator(f"input[value='{world.other_unit.pk}']")).to_have_count(0)
    results.locator(f"input[value='{world.unit.pk}']").check()
    expect(dept.locator(f"[data-picker-chosen] input[value='{world.unit.pk}']")).to_be_checked()
    dept.get_by_label("所属年度").fill("2025")
    dept.get_by_label("存在的问题").fill("佐证材料不全")
    dept.get_by_label("整改要求").fill("补齐台账")
    dept.get_by_label("整改期限").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    dept.get_by_role("button", name="下达", exact=True).click()
    expect(dept.locator("#task-status")).to_have_text(str(TaskStatus.OPEN.label))
    assert RectificationTask.objects.get().unit == world.unit
