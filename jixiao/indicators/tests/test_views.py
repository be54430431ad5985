"""The 指标库 pages, the picker and the API: what each role sees, and the query counts."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.indicators import services
from jixiao.indicators.models import Indicator
from jixiao.indicators.tests.helpers import declaration, target, use
from jixiao.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(world):  # type: ignore[no-untyped-def]
    services.sync_common_indicators()
    third = f.UnitFactory.create(name="第三个单位", parent=world.department)
    for unit, value in ((world.unit, 100), (world.other_unit, 200), (third, 300)):
        use(unit, 2025, "培训人次", value, actual=value + 10)
    use(world.unit, 2024, "培训人次", 90, actual=95)
    use(world.foreign_unit, 2025, "宣传活动次数", 6, measure="次")
    return world


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_search_page_lists_and_pages(library) -> None:  # type: ignore[no-untyped-def]
    client = _client(library.bureau_reviewer)
    page = client.get(reverse("indicators:search"), {"q": "培训", "kind": "custom"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "培训人次" in text and "宣传活动次数" not in text
    first = client.get(reverse("indicators:search"), {"size": 5})
    assert "after=" in first.content.decode()


def test_search_page_queries_do_not_grow_with_the_rows_shown(library) -> None:  # type: ignore[no-untyped-def]
    client = _client(library.editor)
    counts = []
    for size in (5, 40):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("indicators:search"), {"size": size}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_picker_answers_html_rows_and_json(library) -> None:  # type: ignore[no-untyped-def]
    client = _client(library.editor)
    panel = client.get(reverse("indicators:picker")).content.decode()
    assert "data-indicator-picker-search" in panel and "data-indicator-pick " in panel
    assert "indicators/picker.js" in panel
    html = client.get(
        reverse("indicators:picker"), {"q": "培训人次", "results": "1"}
    ).content.decode()
    assert "data-indicator-picker-search" not in html
    assert 'data-indicator-pick data-indicator-id="' in html
    assert 'data-name="培训人次" data-unit="人次" data-direction="&gt;="' in html
    answer = client.get(reverse("indicators:picker"), {"q": "培训人次", "format": "json"}).json()
    assert answer["next"] is None
    (entry,) = answer["results"]
    assert {k: entry[k] for k in ("kind", "level1", "level2", "name", "unit", "direction", "units")} == {
        "kind": "custom", "level1": "产出指标", "level2": "数量指标", "name": "培训人次",
        "unit": "人次", "direction": ">=", "units": 3,
    }  # fmt: skip


def test_a_unit_sees_its_own_history_and_no_other_unit(library) -> None:  # type: ignore[no-untyped-def]
    entry = Indicator.objects.get(name="培训人次")
    text = (
        _client(library.editor).get(reverse("indicators:detail", args=[entry.pk])).content.decode()
    )
    assert "本单位历年目标与完成值" in text
    assert "第三个单位" not in text and library.other_unit.name not in text
    assert '<td class="num">150</td>' in text  # the median of 90, 100, 200, 300 (2022–2025)
    # The department sees its units by name; another department does not see them.
    dept = _client(library.department_reviewer).get(reverse("indicators:detail", args=[entry.pk]))
    assert "第三个单位" in dept.content.decode()
    other = _client(library.other_department_reviewer).get(
        reverse("indicators:detail", args=[entry.pk])
    )
    assert (
        "第三个单位" not in other.content.decode()
        and "所辖单位尚未使用过该指标" in other.content.decode()
    )
    hidden = Indicator.objects.get(name="宣传活动次数")
    assert (
        _client(library.editor).get(reverse("indicators:detail", args=[hidden.pk])).status_code
        == 404
    )


def test_api_search_and_detail(library) -> None:  # type: ignore[no-untyped-def]
    client = _client(library.editor)
    found = client.get("/api/indicators", {"q": "培训", "limit": "1"}).json()
    assert [i["name"] for i in found["items"]] == ["培训人次"]
    entry = found["items"][0]
    detail = client.get(f"/api/indicators/{entry['id']}").json()
    assert detail["benchmark"]["targets"]["median"] == "150"
    assert detail["benchmark"]["targets"]["units"] == 3
    assert [h["year"] for h in detail["history"]] == [2025, 2024]
    assert detail["uses"] == []
    hidden = Indicator.objects.get(name="宣传活动次数")
    assert client.get(f"/api/indicators/{hidden.pk}").status_code == 404
    bureau = _client(library.bureau_reviewer).get(f"/api/indicators/{entry['id']}").json()
    assert len(bureau["uses"]) == 4 and bureau["history"] == []
    assert json.dumps(bureau, ensure_ascii=False).count("第三个单位") == 1


def test_reviewer_panel_renders_each_target_in_constant_queries(library) -> None:  # type: ignore[no-untyped-def]
    def render(count: int) -> tuple[str, int]:
        targets = [target("T1", "培训人次", 150)]
        targets += [target(f"T{i}", f"新指标{i}", i) for i in range(2, count + 1)]
        d = declaration(library.unit, 2026, targets, status="department_approved")
        request = RequestFactory().get("/")
        request.user = library.bureau_reviewer
        template = Template("{% load indicator_tags %}{% target_context_panel d %}")
        with CaptureQueriesContext(connection) as queries:
            html = template.render(Context({"request": request, "d": d}))
        return html, len(queries)

    html, few = render(2)
    assert "2025" in html and "100 / 110" in html and "处于中间水平" in html
    _, many = render(30)
    assert few == many == 3
