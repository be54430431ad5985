"""Searching the 指标库, a unit's history, the benchmark, and who sees what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from jixiao.indicators import selectors as sel
from jixiao.indicators import services
from jixiao.indicators.models import Indicator
from jixiao.indicators.tests.helpers import declaration, target, use
from jixiao.testing import factories as f
from scoring.benchmark import summarise

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(world):  # type: ignore[no-untyped-def]
    """培训人次 used by four units (three of ``department``'s, one foreign), 鉴定场次 by ``unit``
    only, 宣传活动次数 by ``foreign_unit`` only; 共性指标 from the rule-sets."""
    services.sync_common_indicators()
    third = f.UnitFactory.create(parent=world.department)
    for unit, value, actual in (
        (world.unit, 100, 120),
        (world.other_unit, 200, 180),
        (third, 300, None),
        (world.foreign_unit, 400, 390),
    ):
        use(unit, 2025, "培训人次", value, actual=actual)
    use(world.unit, 2024, "培训人次", 90, actual=95)
    use(world.unit, 2023, "培训人次", 80, actual=70)
    use(world.unit, 2025, "鉴定场次", 12, measure="场")
    use(world.foreign_unit, 2025, "宣传活动次数", 6, measure="次")
    return world


def _names(page: sel.SearchPage) -> list[str]:
    return [i.name for i in page.indicators]


def test_search_by_name_level_and_measure(library) -> None:  # type: ignore[no-untyped-def]
    bureau = library.bureau_reviewer
    found = sel.search(user=bureau, filters=sel.SearchFilters(q="培训 人次"))
    assert _names(found) == ["培训人次"]
    assert found.indicators[0].unit_count == 4
    assert _names(sel.search(user=bureau, filters=sel.SearchFilters(q="预算调整率"))) == [
        "预算调整率", "预算调整率",  # gd-department and mof-department-2013
    ]  # fmt: skip
    by_measure = sel.search(user=bureau, filters=sel.SearchFilters(measure="场", kind="custom"))
    assert _names(by_measure) == ["鉴定场次"]
    by_level = sel.search(user=bureau, filters=sel.SearchFilters(level1="过程", level2="预算执行"))
    assert len(by_level.indicators) == 8 and {i.ruleset_ref for i in by_level.indicators} == {
        "mof-department-2013@2013.1"
    }


def test_search_by_department_is_for_reviewers(library) -> None:  # type: ignore[no-untyped-def]
    filters = sel.SearchFilters(kind="custom", department_id=library.other_department.pk)
    assert _names(sel.search(user=library.bureau_reviewer, filters=filters)) == [
        "培训人次", "宣传活动次数",
    ]  # fmt: skip


def test_keyset_pages_walk_every_entry_once(library) -> None:  # type: ignore[no-untyped-def]
    user = library.bureau_admin
    everything = Indicator.objects.count()
    seen: list[int] = []
    cursor = None
    while True:
        page = sel.search(user=user, filters=sel.SearchFilters(), after=cursor, size=7)
        seen += [i.pk for i in page.indicators]
        if page.next is None:
            break
        cursor = sel.Cursor.parse(str(page.next))
    assert len(seen) == len(set(seen)) == everything
    assert seen[0] == Indicator.objects.get(name="培训人次").pk  # the most used first
    assert sel.Cursor.parse("x.1") is None and sel.Cursor.parse("") is None


def test_a_unit_sees_common_its_own_and_widely_used_entries(library) -> None:  # type: ignore[no-untyped-def]
    names = set(_names(sel.search(user=library.editor, filters=sel.SearchFilters(kind="custom"))))
    assert names == {"培训人次", "鉴定场次"}  # 宣传活动次数 is one foreign unit's
    foreign = set(
        _names(sel.search(user=library.other_editor, filters=sel.SearchFilters(kind="custom")))
    )
    assert foreign == {"培训人次"}
    hidden = Indicator.objects.get(name="宣传活动次数")
    with pytest.raises(Http404):
        sel.get_indicator(user=library.editor, indicator_id=hidden.pk)
    # The department filter is ignored for a unit (it would narrow a shared entry to one unit).
    filters = sel.SearchFilters(kind="custom", department_id=library.other_department.pk)
    assert set(_names(sel.search(user=library.editor, filters=filters))) == {"培训人次", "鉴定场次"}
    # Reviewers see every entry's name.
    assert (
        len(
            sel.search(
                user=library.other_department_reviewer, filters=sel.SearchFilters(kind="custom")
            ).indicators
        )
        == 3
    )


def test_history_is_the_units_own_past_years(library) -> None:  # type: ignore[no-untyped-def]
    key = ("培训人次", "人次")
    rows = sel.history(unit_id=library.unit.pk, keys=[key], before_year=2026)[key]
    assert [(r.year, r.target_value, r.actual_value) for r in rows] == [
        (2025, Decimal("100"), Decimal("120")),
        (2024, Decimal("90"), Decimal("95")),
        (2023, Decimal("80"), Decimal("70")),
    ]
    assert (
        sel.history(unit_id=library.unit.pk, keys=[key], before_year=2025, years=1)[key][0].year
        == 2024
    )


def test_benchmark_figures(library) -> None:  # type: ignore[no-untyped-def]
    key = ("培训人次", "人次")
    bench = sel.benchmarks(user=library.bureau_reviewer, keys=[key], year=2025, years=1)[key]
    assert bench.years == (2025, 2025)
    t = bench.targets
    assert t is not None
    assert (t.count, t.units, t.minimum, t.q1, t.median, t.q3, t.maximum) == (
        4, 4, Decimal(100), Decimal(175), Decimal(250), Decimal(325), Decimal(400),
    )  # fmt: skip
    a = bench.actuals
    assert a is not None and (a.count, a.units, a.median) == (3, 3, Decimal(180))
    # Over four years the unit's earlier years count as values, the units once.
    wide = sel.benchmarks(user=library.bureau_reviewer, keys=[key], year=2025)[key].targets
    assert wide == summarise([Decimal(v) for v in (80, 90, 100, 200, 300, 400)], units=4)


def test_a_unit_gets_no_benchmark_of_fewer_than_three_units(library) -> None:  # type: ignore[no-untyped-def]
    key = ("鉴定场次", "场")
    mine = sel.benchmarks(user=library.editor, keys=[key], year=2025)[key]
    assert mine.withheld and mine.targets is None
    assert (
        sel.benchmarks(user=library.department_reviewer, keys=[key], year=2025)[key].targets
        is not None
    )
    shared = sel.benchmarks(user=library.editor, keys=[("培训人次", "人次")], year=2025)
    assert shared[("培训人次", "人次")].targets is not None


def test_indicator_detail_shows_uses_in_scope_only(library) -> None:  # type: ignore[no-untyped-def]
    entry = Indicator.objects.get(name="培训人次")
    dept = sel.indicator_detail(user=library.department_reviewer, indicator_id=entry.pk)
    assert dept.year == 2025
    assert {u.unit.parent_id for u in dept.uses} == {library.department.pk}
    assert len(dept.uses) == 5  # unit ×3 years, other_unit, third
    bureau = sel.indicator_detail(user=library.bureau_reviewer, indicator_id=entry.pk)
    assert len(bureau.uses) == 6
    mine = sel.indicator_detail(user=library.editor, indicator_id=entry.pk)
    assert mine.uses == [] and [r.year for r in mine.own_history] == [2025, 2024, 2023]


def test_reviewer_context_takes_three_queries_however_many_targets(library) -> None:  # type: ignore[no-untyped-def]
    def context_queries(count: int) -> int:
        targets = [target("T1", "培训人次", 150)] + [
            target(f"T{i}", f"指标{i}", i) for i in range(2, count + 1)
        ]
        d = declaration(library.unit, 2026, targets, status="submitted")
        d.campaign  # noqa: B018 (fetched by the caller's selector)
        with CaptureQueriesContext(connection) as queries:
            found = sel.target_context(user=library.department_reviewer, declaration=d)
        assert len(found) == count
        first = found[0]
        assert [r.year for r in first.history] == [2025, 2024, 2023]
        assert first.benchmark is not None and first.benchmark.targets is not None
        assert first.position == "within"
        return len(queries)

    assert context_queries(2) == context_queries(40) == 3


def test_reviewer_context_is_404_out_of_scope(library) -> None:  # type: ignore[no-untyped-def]
    d = declaration(library.unit, 2026, [target("T1", "培训人次", 150)], status="submitted")
    with pytest.raises(Http404):
        sel.target_context(user=library.other_department_reviewer, declaration=d)
    with pytest.raises(Http404):
        sel.target_context(user=library.other_editor, declaration=d)


def test_search_is_one_query_whatever_the_page_size(library) -> None:  # type: ignore[no-untyped-def]
    for size in (2, 20, 100):
        with CaptureQueriesContext(connection) as queries:
            sel.search(user=library.editor, filters=sel.SearchFilters(q="率"), size=size)
        assert len(queries) == 1


@pytest.mark.parametrize("seed", range(4))
def test_the_databases_quartiles_equal_the_reference_computation(world, seed: int) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL's percentile_cont (or the bounded read on SQLite) gives scoring.benchmark's
    figures for random values, ties and one-value cases included."""
    import random

    rng = random.Random(seed)
    units = [f.UnitFactory.create(parent=world.department) for _ in range(rng.randint(1, 9))]
    values: list[Decimal] = []
    using: set[int] = set()
    for n, unit in enumerate(units):
        for year in (2024, 2025):
            if rng.random() < 0.8:
                value = Decimal(rng.choice([rng.randint(0, 50), 7, 7])) / rng.choice([1, 4, 100])
                use(unit, year, "抽样指标", value, scope=f"s{n}")
                values.append(value.quantize(Decimal("0.000001")))
                using.add(unit.pk)
    key = ("抽样指标", "人次")
    bench = sel.benchmarks(user=world.bureau_reviewer, keys=[key], year=2025, years=2)[key]
    expected = summarise(values, units=len(using))
    if not values:
        assert bench.targets is None
        return
    got = bench.targets
    assert got is not None and expected is not None
    assert (got.count, got.minimum, got.maximum) == (
        expected.count,
        expected.minimum,
        expected.maximum,
    )
    for name in ("q1", "median", "q3"):
        assert abs(getattr(got, name) - getattr(expected, name)) < Decimal("0.000001"), name
