"""整改 at province scale (issue 14): 下达整改任务 chooses its unit with the one 单位选择器
(organisations:picker, source ``scope``): the page never lists every unit in scope, the same
queries for 3 units or 30; the picker offers the units the person sees, all of them before
anything is typed when they are few (a department's), a page of matches otherwise."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jixiao.organisations.models import Organisation, OrganisationKind
from jixiao.organisations.picker import PICKER_PAGE, SMALL_SCOPE
from jixiao.rectification.models import RectificationTask
from jixiao.testing import factories as f
from jixiao.testing.factories import PASSWORD


def _create_page(client, user, query: str = "") -> tuple[str, int]:
    assert client.login(username=user.username, password=PASSWORD)
    url = reverse("rectification:create") + "?kind=other" + query
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    return page.content.decode(), len(captured.captured_queries)


def _picker(client, **params):
    return client.get(
        reverse("organisations:picker"), {"source": "scope", "name": "unit", **params}
    )


def test_the_new_task_page_lists_no_unit_itself_same_queries_for_3_or_30(client, world):
    first, queries_small = _create_page(client, world.bureau_reviewer)
    assert world.foreign_unit.name not in first  # no option per unit in scope
    assert "data-org-picker" in first and "source=scope" in first
    for n in range(27):
        f.UnitFactory.create(name=f"湛江市测试单位{n:02d}", parent=world.other_department)
    again, queries_large = _create_page(client, world.bureau_reviewer)
    assert "湛江市测试单位00" not in again
    assert queries_large == queries_small


def test_a_department_sees_all_its_units_before_typing_and_only_its_own(client, world):
    for n in range(3):
        f.UnitFactory.create(name=f"湛江市测试单位{n:02d}", parent=world.other_department)
    f.UnitFactory.create(name="湛江市已撤销单位", parent=world.department, is_active=False)
    assert client.login(username=world.department_reviewer.username, password=PASSWORD)
    listed = {pk for pk, _text in _picker(client).context["results"]}
    own = set(
        Organisation.objects.filter(
            parent=world.department, kind=OrganisationKind.UNIT, is_active=True
        ).values_list("pk", flat=True)
    )
    assert listed == own and world.unit.pk in own  # every active unit of theirs, nobody else's
    found = _picker(client, q="鉴定").context["results"]
    assert [pk for pk, _t in found] == [world.unit.pk]
    assert _picker(client, q="测试单位").context["results"] == []
    assert _picker(client, source="units").status_code == 404  # the bureau's pickers


def test_before_typing_a_large_scope_shows_one_page_and_more(client, world):
    for n in range(SMALL_SCOPE + 5):
        f.UnitFactory.create(name=f"湛江市测试单位{n:02d}", parent=world.other_department)
    assert client.login(username=world.bureau_reviewer.username, password=PASSWORD)
    first = _picker(client)
    assert len(first.context["results"]) == SMALL_SCOPE and first.context["next_url"]
    more = client.get(first.context["next_url"])
    assert len(more.context["results"]) <= PICKER_PAGE
    typed = _picker(client, q="测试单位")
    assert len(typed.context["results"]) == PICKER_PAGE
    assert "湛江市教育局 / 湛江市测试单位00" in typed.content.decode()


def test_units_may_not_search_and_a_unit_outside_the_scope_is_refused(client, world):
    assert client.login(username=world.editor.username, password=PASSWORD)
    assert _picker(client, q="湛江").status_code == 404
    client.logout()
    assert client.login(username=world.department_reviewer.username, password=PASSWORD)
    url = reverse("rectification:create") + "?kind=other"
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    posted = {"year": 2025, "problem": "资料不全", "measures": "补齐", "deadline": deadline}
    refused = client.post(url, {**posted, "unit": world.foreign_unit.pk})
    assert refused.status_code == 400
    assert not RectificationTask.objects.exists()
    # The refused form comes back with its picker, the rest of what was typed kept.
    assert "data-org-picker" in refused.content.decode() and "资料不全" in refused.content.decode()
    done = client.post(url, {**posted, "unit": world.other_unit.pk})
    assert done.status_code == 302
    assert RectificationTask.objects.get().unit == world.other_unit
