"""The 指标库 on the 绩效目标申报 pages (jixiao.targets): the reviewer's panel beside the targets,
the picker on the entry page, and an approved declaration's targets entering the library."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jixiao.campaigns.services import create_campaign
from jixiao.evaluations.models import Evaluation, Status
from jixiao.indicators.models import IndicatorUse
from jixiao.indicators.tests.helpers import target, use
from jixiao.reviews import workflow
from jixiao.reviews.services import transition
from jixiao.testing import factories as f

pytestmark = pytest.mark.django_db


def _declaration(world, targets):  # type: ignore[no-untyped-def]
    _campaign, tasks = create_campaign(
        user=world.bureau_admin,
        values={
            "year": 2026, "title": "2026年度绩效目标申报", "notice_title": "关于申报绩效目标的通知",
            "notice_number": "湛财绩〔2025〕9号", "kind": "targets", "ruleset_ref": "",
            "deadline": timezone.now() + dt.timedelta(days=20), "cost_threshold": Decimal("100"),
        },
        units=[world.unit],
    )  # fmt: skip
    declaration = next(t for t in tasks if t.project_id is None)
    declaration.data = {**declaration.data, "targets": targets}
    declaration.status = Status.SUBMITTED
    declaration.save()
    return declaration


@pytest.fixture
def library(world):  # type: ignore[no-untyped-def]
    third = f.UnitFactory.create(name="第三个单位", parent=world.department)
    for unit, value in ((world.unit, 100), (world.other_unit, 200), (third, 300)):
        use(unit, 2025, "培训人次", value, actual=value + 10)
    return world


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_reviewer_sees_each_target_beside_history_and_benchmark(library) -> None:  # type: ignore[no-untyped-def]
    def page(count: int) -> tuple[str, int]:
        Evaluation.objects.filter(campaign__kind="targets").delete()
        targets = [target("T1", "培训人次", 150)]
        targets += [target(f"T{i}", f"新指标{i}", i) for i in range(2, count + 1)]
        d = _declaration(library, targets)
        client = _client(library.department_reviewer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("evaluations:detail", args=[d.pk]))
        assert response.status_code == 200
        return response.content.decode(), len(queries)

    html, few = page(2)
    _, many = page(25)
    assert few == many  # the panel reads the library in three queries, however many targets
    assert "指标库参照" in html
    assert "2025：100 / 110" in html  # the unit's own last year
    assert "处于中间水平" in html  # 150 against 100, 200, 300


def test_the_entry_page_offers_the_picker(library) -> None:  # type: ignore[no-untyped-def]
    d = _declaration(library, [target("T1", "培训人次", 150)])
    d.status = Status.DRAFT
    d.save()
    html = _client(library.editor).get(reverse("evaluations:edit", args=[d.pk, "targets"]))
    assert html.status_code == 200
    text = html.content.decode()
    assert "data-indicator-picker-open" in text  # each row opens the picker (indicators/picker.js)
    assert 'id="indicator-picker" data-indicator-picker hidden' in text
    assert "indicators/picker.js" in text


def test_a_declaration_approved_by_the_bureau_enters_the_library(
    library,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    targets = [
        target("T1", "培训人次", 150, weight=60),
        target("T2", "就业率", 90, "%", level1="效益指标", level2="社会效益指标", weight=40),
    ]
    d = _declaration(library, targets)
    d.data = {**d.data, "overall_goal": "完成年度培训任务", "amount": "80"}
    d.status = Status.DEPARTMENT_APPROVED
    d.save()
    with django_capture_on_commit_callbacks() as callbacks:
        transition(user=library.bureau_reviewer, evaluation_id=d.pk, action=workflow.BUREAU_APPROVE)
    for hook in callbacks:
        if getattr(hook, "__qualname__", "") == "transition.<locals>.<lambda>":
            hook()
    assert IndicatorUse.objects.filter(declaration=d).count() == 2
    row = IndicatorUse.objects.get(declaration=d, name="培训人次")
    assert (row.year, row.target_value) == (2026, Decimal("150"))
    assert row.indicator.unit_count == 3  # the same entry the other years' uses are under
