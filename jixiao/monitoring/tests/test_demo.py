"""The demo's July round: red and yellow warnings, one report returned, one with measures entered."""

from __future__ import annotations

from collections import Counter

import pytest

from jixiao.evaluations.models import Evaluation
from jixiao.monitoring.demo import load_monitoring_round
from jixiao.monitoring.models import MonitoringWarning
from jixiao.web.management.commands.load_demo import DemoLoader

pytestmark = pytest.mark.django_db


def test_the_july_round():
    loader = DemoLoader()
    loader.people()
    created = load_monitoring_round(loader)
    assert created == 2 + len(loader.units)  # every unit, and the seed unit's project
    assert load_monitoring_round(loader) == 0  # idempotent
    reports = Evaluation.objects.filter(campaign__kind="monitoring")
    assert Counter(reports.values_list("status", flat=True)) == {
        "draft": created - 3,
        "returned": 1,
        "submitted": 1,
        "department_approved": 1,
    }
    levels = Counter(MonitoringWarning.objects.values_list("level", flat=True))
    assert levels[2] >= 2 and levels[1] >= 2
    assert MonitoringWarning.objects.filter(level=2, has_measures=True).count() >= 2
