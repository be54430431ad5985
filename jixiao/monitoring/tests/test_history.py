"""The year's monitoring rounds beside each target of the year-end self-evaluation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.monitoring import services
from jixiao.monitoring.models import MonitoringRound
from jixiao.monitoring.selectors import history_context
from jixiao.monitoring.testing import open_test_round

pytestmark = pytest.mark.django_db


def _round(world, month: int, expected: str):
    campaign, tasks = open_test_round(
        bureau_user=world.bureau_admin, units=[world.unit], year=2025, with_project=False
    )
    MonitoringRound.objects.filter(campaign=campaign).update(as_of=dt.date(2025, month, 30))
    report = tasks[0]
    report.data["targets"] = [
        {"code": "T1", "name": "新增取得职业技能等级认定证书", "value": "12000", "approved": True}
    ]
    report.save()
    data = {
        "budget": [{"source": "财政拨款", "adjusted": "100", "executed": "60"}],
        "targets": [{"code": "T1", "to_date": "5000", "expected": expected}],
    }
    services.save_report(user=world.editor, evaluation_id=report.pk, expected_version=0, data=data)
    return campaign


def test_each_round_shows_beside_its_target(world, django_assert_max_num_queries):
    _round(world, 6, "9000")  # 75%: red
    _round(world, 9, "12500")
    evaluation = world.evaluation  # the seed's 2025 self-evaluation of the same unit
    with django_assert_max_num_queries(2):
        context = history_context(user=world.department_reviewer, evaluation=evaluation)
    rows = context["monitoring_history"]
    assert [(r.code, [(f.as_of.month, f.expected, f.level) for f in r.rounds]) for r in rows] == [
        ("T1", [(6, "9000", 2), (9, "12500", 0)])
    ]
    # another department's reviewer sees nothing of it
    assert history_context(user=world.other_department_reviewer, evaluation=evaluation) == {
        "monitoring_history": []
    }
    client = Client()
    client.force_login(world.editor)
    page = client.get(reverse("evaluations:edit", args=[evaluation.pk, "targets"]))
    assert 'id="monitoring-history"' in page.content.decode()
    client.force_login(world.department_reviewer)
    with CaptureQueriesContext(connection):
        page = client.get(reverse("evaluations:detail", args=[evaluation.pk]))
    assert "9000" in page.content.decode()
