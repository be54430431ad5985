"""全市概览 in a real browser at 1366 px and 1024 px: it opens on the campaign with the most units,
and no chart label is cut or dropped (the donut's 优, the histogram's 60–70 and 80–90).

The charts use ECharts' SVG renderer, so the labels are text nodes the test can read and measure.
Screenshots: tests/browser/artifacts/overview-<width>.png.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation, Status
from jixiao.testing import factories as f
from jixiao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BINS = ["<60", "60–70", "70–80", "80–90", "90–100"]

# Every <text> of a chart: its words and whether it lies wholly inside the chart's box.
TEXTS = """
(id) => {
  const box = document.getElementById(id).getBoundingClientRect();
  return Array.from(document.querySelectorAll("#" + id + " svg text")).map((t) => {
    const r = t.getBoundingClientRect();
    return { text: t.textContent, inside: r.width > 0 && r.left >= box.left - 0.5 &&
      r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5,
      left: r.left, right: r.right };
  });
}
"""


def _world_with_grades(world: World) -> None:
    # One evaluation in each score bin (and each grade), all handed in.
    totals = {"优": "95.50", "良": "85.00", "中": "75.00"}
    units = [world.unit, world.other_unit, world.foreign_unit]
    evaluations = [world.evaluation, world.other_evaluation, world.foreign_evaluation]
    for (grade, total), evaluation in zip(totals.items(), evaluations, strict=True):
        Evaluation.objects.filter(pk=evaluation.pk).update(
            status=Status.APPROVED, total=Decimal(total), grade=grade
        )
    for total, grade in (("65.00", "差"), ("50.00", "差")):
        unit = f.UnitFactory.create(parent=world.department)
        f.EvaluationFactory.create(
            campaign=world.campaign,
            unit=unit,
            status=Status.APPROVED,
            total=Decimal(total),
            grade=grade,
        )
        units.append(unit)
    # A newer campaign with a single unit: the overview must not open on it.
    newer = f.CampaignFactory.create(bureau=world.bureau, title="最新的专项自评", year=2026)
    f.EvaluationFactory.create(campaign=newer, unit=world.unit)


@pytest.mark.parametrize("width", [1366, 1024])
def test_overview_labels_are_whole_at(
    width: int, browser: Any, live_server: Any, world: World
) -> None:
    from tests.browser.conftest import ARTIFACTS

    _world_with_grades(world)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(world.bureau_reviewer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    page.goto(live_server.url + reverse("campaigns:overview"))
    # Opens on the campaign with the most units (5), not on the newest (1).
    selected = page.locator("select[name=campaign] option:checked").inner_text()
    assert world.campaign.title in selected, selected
    page.locator("#chart-scores svg text").first.wait_for()
    page.locator("#chart-grades svg text").first.wait_for()
    page.wait_for_timeout(800)  # ECharts' entry animation
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"overview-{width}.png"), full_page=True)

    grades = page.evaluate(TEXTS, "chart-grades")
    shown = page.evaluate("JSON.parse(document.getElementById('overview-data').textContent).grades")
    labels = [f"{g['label']} {g['value']}" for g in shown]
    assert len(labels) >= 3 and any(label.startswith("优") for label in labels), labels
    for label in labels:
        found = [t for t in grades if t["text"] == label]
        assert found, f"{width}px: donut label {label!r} missing: {grades}"
        assert all(t["inside"] for t in found), f"{width}px: donut label {label!r} cut: {found}"

    scores = page.evaluate(TEXTS, "chart-scores")
    axis = [t for t in scores if t["text"] in BINS]
    assert [t["text"] for t in axis] == BINS, f"{width}px: axis labels {scores}"
    assert all(t["inside"] for t in axis), f"{width}px: an axis label is cut: {axis}"
    for left, right in itertools.pairwise(axis):
        assert left["right"] <= right["left"] + 0.5, f"{width}px: labels overlap: {left} {right}"
    interval = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-scores'))"
        ".getOption().xAxis[0].axisLabel.interval"
    )
    assert interval == 0
    context.close()
