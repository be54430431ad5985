"""整改 at province scale (issue 14): 下达整改任务 never lists every unit in scope — the picker
offers what the person typed, at most UNIT_OPTIONS units, in the same queries for 3 units or 30."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jixiao.rectification import selectors
from jixiao.rectification.models import RectificationTask
from jixiao.testing import factories as f
from jixiao.testing.factories import PASSWORD


def _create_page(client, world, query: str = "") -> tuple[str, int]:
    assert client.login(username=world.bureau_reviewer.username, password=PASSWORD)
    url = reverse("rectification:create") + "?kind=other" + query
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    return page.content.decode(), len(captured.captured_queries)


def test_the_new_task_page_lists_no_unit_until_one_is_searched_same_queries_for_3_or_30(
    client, world
):
    first, queries_small = _create_page(client, world)
    assert world.foreign_unit.name not in first  # no option per unit in scope
    assert 'name="unit_q"' in first
    for n in range(27):
        f.UnitFactory.create(name=f"湛江市测试单位{n:02d}", parent=world.other_department)
    again, queries_large = _create_page(client, world)
    assert "湛江市测试单位00" not in again
    assert queries_large == queries_small


def test_the_picker_finds_units_in_scope_by_name_and_caps_the_list(client, world):
    for n in range(selectors.UNIT_OPTIONS + 5):
        f.UnitFactory.create(name=f"湛江市测试单位{n:02d}", parent=world.other_department)
    assert client.login(username=world.bureau_reviewer.username, password=PASSWORD)
    found = client.get(reverse("rectification:unit_options") + "?unit_q=测试单位").content.decode()
    assert found.count('<option value="') - found.count('<option value=""') == (
        selectors.UNIT_OPTIONS
    )
    assert "湛江市测试单位00（湛江市教育局）" in found
    one = client.get(reverse("rectification:unit_options") + "?unit_q=鉴定指导").content.decode()
    assert f'<option value="{world.unit.pk}">湛江市职业技能鉴定指导中心' in one
    # Without JavaScript the 查找 button reloads the page with the matches.
    page, _queries = _create_page(client, world, "&unit_q=鉴定指导")
    assert f'<option value="{world.unit.pk}">湛江市职业技能鉴定指导中心' in page
    client.logout()
    # A department reviewer finds only its own units.
    assert client.login(username=world.department_reviewer.username, password=PASSWORD)
    theirs = client.get(reverse("rectification:unit_options") + "?unit_q=湛江").content.decode()
    assert world.unit.name in theirs
    assert "湛江市测试单位" not in theirs
    # A unit may not raise tasks: no picker either.
    client.logout()
    assert client.login(username=world.editor.username, password=PASSWORD)
    assert client.get(reverse("rectification:unit_options") + "?unit_q=湛江").status_code == 404


def test_a_posted_unit_outside_the_scope_is_refused_and_nothing_is_raised(client, world):
    assert client.login(username=world.department_reviewer.username, password=PASSWORD)
    url = reverse("rectification:create") + "?kind=other"
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    posted = {"year": 2025, "problem": "资料不全", "measures": "补齐", "deadline": deadline}
    refused = client.post(url, {**posted, "unit": world.foreign_unit.pk})
    assert refused.status_code == 400
    assert not RectificationTask.objects.exists()
    done = client.post(url, {**posted, "unit": world.other_unit.pk})
    assert done.status_code == 302
    assert RectificationTask.objects.get().unit == world.other_unit
