"""结果应用 in Debian's Chromium (#12.3): the bureau reads the advice table and downloads it as an
xlsx for the budget office; the year comparison draws targets met beside score and execution."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.conftest import World
from jixiao.evaluations.models import Status
from jixiao.results.models import AdviceRule
from jixiao.results.services import refresh_year
from tests.browser.test_review_cycle import _expect, _signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bureau_downloads_the_advice_xlsx(browser: Any, live_server: Any, world: World) -> None:
    expect = _expect()
    # A transactional test may start after another's flush, without the migration's defaults.
    AdviceRule.objects.update_or_create(grade="优", defaults={"advice": "适当优先保障"})
    e = world.evaluation
    e.status = Status.PUBLISHED
    e.save()
    refresh_year(world.campaign.year)

    bureau = _signed_in(browser, live_server.url, "bureau")
    bureau.goto(live_server.url + reverse("results:index") + f"?year={world.campaign.year}")
    expect(bureau.locator("#results")).to_contain_text(world.unit.name)
    expect(bureau.locator("#results")).to_contain_text("适当优先保障")
    with bureau.expect_download() as info:
        bureau.get_by_role("link", name="导出 xlsx").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    content = Path(download.path()).read_bytes()
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] == "年度")
    assert rows[header + 1][2] == world.unit.name
    assert rows[header + 1][5] == "优"
    assert rows[header + 1][11] == "适当优先保障"


def test_the_year_comparison_draws_targets_met_beside_score_and_execution(
    browser: Any, live_server: Any, world: World
) -> None:
    """历年对比 for a unit: the table's 绩效目标达成 column and a third ECharts line."""
    from decimal import Decimal

    from jixiao.testing import factories as f

    expect = _expect()
    e = world.evaluation
    e.status = Status.PUBLISHED
    e.save()
    refresh_year(world.campaign.year)
    earlier = f.CampaignFactory.create(bureau=world.bureau, year=world.campaign.year - 1)
    old = f.EvaluationFactory.create(campaign=earlier, unit=world.unit, status=Status.PUBLISHED)
    t2 = next(t for t in old.data["targets"] if t["code"] == "T2")
    t2["actual"], t2["explanation"] = "4000", "培训场地改造，延期开班"
    old.total, old.grade = Decimal("85.00"), "良"
    old.save()
    refresh_year(earlier.year)

    bureau = _signed_in(browser, live_server.url, "bureau")
    bureau.goto(live_server.url + reverse("results:trends") + f"?unit={world.unit.pk}")
    table = bureau.locator("#trend-table")
    expect(table.locator("tbody tr").first).to_contain_text("2 / 3（66.67%）")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("3 / 3（100.00%）")
    bureau.locator("#trend-chart svg text").first.wait_for()
    series = bureau.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('trend-chart'))"
        ".getOption().series.map(s => [s.name, s.data])"
    )
    assert series[2] == ["绩效目标达成率（%）", [66.67, 100]]
