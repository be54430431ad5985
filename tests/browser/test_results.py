"""结果应用 in Debian's Chromium (#12.3): the bureau reads the advice table and downloads it as an
xlsx for the budget office."""

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
