"""The year comparison's 绩效目标 sums (evaluations.YearTargets), kept by triggers on the 结果应用
rows (results.counters): equal to the rows' own sums after every kind of write, reported when
they drift, rebuilt by ``manage.py rebuild_counters``, and the overview's 历年对比 read from them
equal to the one aggregated from every row."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jixiao.campaigns.selectors import year_comparison
from jixiao.evaluations.models import Status, YearTargets
from jixiao.results import counters, services
from jixiao.results.models import ResultEntry
from jixiao.testing import factories as f


def _sums() -> dict[tuple[int, int], tuple[int, int, int, int]]:
    return {
        (r.year, r.department_id): (r.entries, r.with_targets, r.targets_met, r.targets_total)
        for r in YearTargets.objects.all()
        if r.entries
    }


def _approve(evaluation):  # type: ignore[no-untyped-def]
    evaluation.status = Status.APPROVED
    evaluation.save()
    return evaluation


@pytest.fixture
def years(world):  # type: ignore[no-untyped-def]
    """The seed unit approved in 2025 (3 of 3 targets met) and 2024 (2 of 3), another unit of
    another department approved in 2024 (3 of 3)."""
    _approve(world.evaluation)
    earlier = f.CampaignFactory.create(bureau=world.bureau, year=world.campaign.year - 1)
    old = f.EvaluationFactory.create(campaign=earlier, unit=world.unit, status=Status.APPROVED)
    t2 = next(t for t in old.data["targets"] if t["code"] == "T2")
    t2["actual"], t2["explanation"] = "4000", "延期开班"
    old.save()
    f.EvaluationFactory.create(campaign=earlier, unit=world.foreign_unit, status=Status.APPROVED)
    services.refresh_year(world.campaign.year)
    services.refresh_year(earlier.year)
    return {"world": world, "earlier": earlier, "old": old}


def test_the_sums_follow_every_write_of_the_result_rows(years) -> None:  # type: ignore[no-untyped-def]
    world = years["world"]
    year, earlier = world.campaign.year, years["earlier"].year
    assert counters.drift() == []
    assert _sums() == {
        (year, world.department.pk): (1, 1, 3, 3),
        (earlier, world.department.pk): (1, 1, 2, 3),
        (earlier, world.foreign_unit.parent_id): (1, 1, 3, 3),
    }
    # The approval's hook drops the row of an evaluation sent back.
    old = years["old"]
    old.status = Status.RETURNED
    old.save()
    services.refresh_evaluation(old.pk)
    assert (earlier, world.department.pk) not in _sums()
    # QuerySet.update of the counts, the year and the department; a row without targets read.
    ResultEntry.objects.filter(evaluation=world.evaluation).update(targets_met=1)
    assert _sums()[(year, world.department.pk)] == (1, 1, 1, 3)
    ResultEntry.objects.filter(evaluation=world.evaluation).update(
        targets_met=None, targets_total=None
    )
    assert _sums()[(year, world.department.pk)] == (1, 0, 0, 0)
    ResultEntry.objects.filter(evaluation=world.evaluation).update(department=None, year=2030)
    assert _sums()[(2030, 0)] == (1, 0, 0, 0)
    assert (year, world.department.pk) not in _sums()
    assert counters.drift() == []
    ResultEntry.objects.all().delete()
    assert _sums() == {}
    assert counters.drift() == []


def test_drift_is_reported_and_rebuild_repairs_it(years) -> None:  # type: ignore[no-untyped-def]
    world = years["world"]
    YearTargets.objects.filter(year=world.campaign.year).update(targets_met=99)
    problems = counters.drift()
    assert problems == [
        f"year {world.campaign.year} department {world.department.pk}: "
        "stored (1, 1, 99, 3), counted (1, 1, 3, 3)"
    ]
    with pytest.raises(CommandError):
        call_command("rebuild_counters", "--check", stdout=StringIO())
    call_command("rebuild_counters", stdout=StringIO())
    assert counters.drift() == []
    call_command("rebuild_counters", "--check", stdout=StringIO())


def test_the_year_comparison_reads_the_sums_as_the_rows_give_them(years) -> None:  # type: ignore[no-untyped-def]
    world = years["world"]
    earlier = years["earlier"].year
    for user in (world.bureau_admin, world.department_reviewer):
        assert year_comparison(user=user) == year_comparison(user=user, source="direct")
    by_year = {y.year: y for y in year_comparison(user=world.bureau_admin)}
    assert (by_year[earlier].targets_met, by_year[earlier].targets_total) == (5, 6)
    assert by_year[earlier].targets_share == "83.33%"
    mine = {y.year: y for y in year_comparison(user=world.department_reviewer)}
    assert (mine[earlier].targets_met, mine[earlier].targets_total) == (2, 3)
    # No row with its targets read: unknown, not 0 of 0.
    ResultEntry.objects.update(targets_met=None, targets_total=None)
    for user in (world.bureau_admin, world.department_reviewer):
        counted = year_comparison(user=user)
        assert counted == year_comparison(user=user, source="direct")
        assert all(y.targets_met is None and y.targets_share is None for y in counted)
    assert Decimal(by_year[world.campaign.year].average or 0) == Decimal("98.00")
