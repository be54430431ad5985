"""The reads of the 指标库, scoped by who asks (docs/decisions.md, "指标库"):

* the bureau sees every entry and every use, with unit names;
* a department reviewer sees every entry (the names of indicators, not who used them) and the uses
  of its own units, with their names;
* a unit sees the 共性指标, its own 个性指标, and the 个性指标 at least ``SHARED_MIN_UNITS`` units use
  (a name many units share says nothing about any one of them); it sees its own uses only.

Benchmarks are counts and quartiles, never a list of units. For a unit, a benchmark of fewer than
``SHARED_MIN_UNITS`` units is withheld: with two units, the median and one's own figure give the
other's. Every read compares stored columns; nothing decodes an evaluation's JSON.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from jixiao.indicators.models import Indicator, IndicatorKind, IndicatorUse
from jixiao.organisations.models import Organisation, User
from jixiao.organisations.selectors import unit_scope_q
from scoring.benchmark import Summary, position_of, summarise
from scoring.indicator_library import measure_key, name_key
from scoring.numbers import NumberFormatError, parse_decimal

SHARED_MIN_UNITS = 3
PAGE_SIZE = 20
PAGE_SIZE_MAX = 100
HISTORY_YEARS = 5  # a unit's history: the five years before the one declared
BENCHMARK_YEARS = 4  # a benchmark: the year asked for and the three before it
# SQLite has no percentile_cont: the values are read (at most this many per call) and summarised in
# Python. PostgreSQL computes the quartiles itself.
BENCHMARK_ROWS_MAX = 50_000


def _can_see_everything(user: User) -> bool:
    return bool(user.is_authenticated and user.is_bureau_user)


def _is_reviewer(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_bureau_user or user.is_department_user))


def indicators_visible_to(*, user: User) -> QuerySet[Indicator]:
    """The library entries ``user`` may find (empty entries — 个性指标 whose uses were all
    withdrawn — are never shown)."""
    if not user.is_authenticated or user.organisation_id is None:
        return Indicator.objects.none()
    live = Q(kind=IndicatorKind.COMMON) | Q(use_count__gt=0)
    if _is_reviewer(user):
        return Indicator.objects.filter(live)
    if user.is_unit_user:
        own = IndicatorUse.objects.filter(indicator=OuterRef("pk"), unit_id=user.organisation_id)
        return Indicator.objects.filter(live).filter(
            Q(kind=IndicatorKind.COMMON) | Q(unit_count__gte=SHARED_MIN_UNITS) | Q(Exists(own))
        )
    return Indicator.objects.none()


def uses_visible_to(*, user: User) -> QuerySet[IndicatorUse]:
    """The uses (with unit names) ``user`` may see: the organisation scope rule."""
    return IndicatorUse.objects.filter(unit_scope_q(user, "unit"))


def get_indicator(*, user: User, indicator_id: int) -> Indicator:
    indicator = indicators_visible_to(user=user).filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    return indicator


# ------------------------------------------------------------------ search


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""  # part of the name (matched on the normalised name)
    kind: str = ""  # common / custom
    level1: str = ""
    level2: str = ""
    measure: str = ""  # unit of measure (normalised, exact)
    department_id: int | None = None  # used by the units of this department (reviewers only)


@dataclass(frozen=True)
class Cursor:
    """A position in the search order (most used first): the (unit_count, id) of an entry."""

    unit_count: int
    pk: int

    def __str__(self) -> str:
        return f"{self.unit_count}.{self.pk}"

    @classmethod
    def parse(cls, text: str) -> Cursor | None:
        count, _, pk = (text or "").partition(".")
        if not (count.isdigit() and pk.isdigit() and len(count) <= 9 and len(pk) <= 18):
            return None
        return cls(int(count), int(pk))


@dataclass(frozen=True)
class SearchPage:
    indicators: list[Indicator]
    next: Cursor | None  # the last entry shown, when more follow


def search(
    *,
    user: User,
    filters: SearchFilters,
    after: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> SearchPage:
    """One page of entries matching ``filters``, most used first: one query, whatever the size."""
    size = max(1, min(size, PAGE_SIZE_MAX))
    found = indicators_visible_to(user=user)
    if filters.q and (key := name_key(filters.q)):
        found = found.filter(name_key__contains=key)
    if filters.kind in IndicatorKind.values:
        found = found.filter(kind=filters.kind)
    if filters.level1:
        found = found.filter(level1=filters.level1)
    if filters.level2:
        found = found.filter(level2=filters.level2)
    if filters.measure:
        found = found.filter(measure_key=measure_key(filters.measure))
    if filters.department_id is not None and _is_reviewer(user):
        used = IndicatorUse.objects.filter(
            indicator=OuterRef("pk"), department_id=filters.department_id
        )
        found = found.filter(Exists(used))
    if after is not None:
        found = found.filter(
            Q(unit_count__lt=after.unit_count) | Q(unit_count=after.unit_count, pk__gt=after.pk)
        )
    rows = list(found.order_by("-unit_count", "pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return SearchPage(
        indicators=rows,
        next=Cursor(rows[-1].unit_count, rows[-1].pk) if more and rows else None,
    )


# ------------------------------------------------------------------ history and benchmark

Key = tuple[str, str]  # (name key, measure key)


@dataclass(frozen=True)
class HistoryRow:
    year: int
    project_name: str
    target_value: Decimal | None
    target_high: Decimal | None
    target_text: str
    actual_value: Decimal | None
    direction: str


def history(
    *, unit_id: int, keys: Iterable[Key], before_year: int, years: int = HISTORY_YEARS
) -> dict[Key, list[HistoryRow]]:
    """A unit's own targets and actuals of these indicators in the ``years`` years before
    ``before_year``, newest first: one query for any number of indicators. The caller checks that
    the asker may see this unit."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = (
        IndicatorUse.objects.filter(
            unit_id=unit_id,
            name_key__in={k[0] for k in wanted},
            year__gte=before_year - years,
            year__lt=before_year,
        )
        .order_by("-year", "project_name", "id")
        .values_list(
            "name_key",
            "measure_key",
            "year",
            "project_name",
            "target_value",
            "target_high",
            "target_text",
            "actual_value",
            "direction",
        )
    )
    found: dict[Key, list[HistoryRow]] = defaultdict(list)
    for nk, mk, year, project, target, high, text, actual, direction in rows:
        if (nk, mk) in wanted:
            found[(nk, mk)].append(HistoryRow(year, project, target, high, text, actual, direction))
    return dict(found)


@dataclass(frozen=True)
class Benchmark:
    """Targets and actuals of one indicator across units, over ``years`` (first, last)."""

    years: tuple[int, int]
    targets: Summary | None
    actuals: Summary | None
    withheld: bool = False  # fewer than SHARED_MIN_UNITS units, and a unit asked

    @property
    def rows(self) -> list[tuple[Any, Summary | None]]:
        """(label, summary) for the tables: targets, then actuals."""
        return [(_("目标值"), self.targets), (_("实际完成值"), self.actuals)]


_PG_BENCHMARK = """
SELECT name_key, measure_key,
       COUNT(DISTINCT unit_id) FILTER (WHERE target_value IS NOT NULL),
       COUNT(target_value), MIN(target_value), MAX(target_value),
       percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY target_value),
       COUNT(DISTINCT unit_id) FILTER (WHERE actual_value IS NOT NULL),
       COUNT(actual_value), MIN(actual_value), MAX(actual_value),
       percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY actual_value)
FROM indicators_indicatoruse
WHERE name_key = ANY(%s) AND year BETWEEN %s AND %s
GROUP BY name_key, measure_key
"""


def _float(value: Any) -> Decimal:
    # percentile_cont works in double precision: 15 significant digits, shown to 0.01 at most.
    return Decimal(repr(float(value))).quantize(Decimal("0.000001")).normalize()


def _pg_summary(
    units: int, count: int, low: Any, high: Any, quartiles: Sequence[Any] | None
) -> Summary | None:
    if not count or quartiles is None:
        return None
    q1, median, q3 = (_float(q) for q in quartiles)
    return Summary(
        count=count,
        units=units,
        minimum=Decimal(low).normalize(),
        q1=q1,
        median=median,
        q3=q3,
        maximum=Decimal(high).normalize(),
    )


def _benchmarks_postgresql(
    wanted: set[Key], first: int, last: int
) -> dict[Key, tuple[Summary | None, Summary | None]]:
    with connection.cursor() as cursor:
        cursor.execute(_PG_BENCHMARK, [sorted({k[0] for k in wanted}), first, last])
        found = {}
        for nk, mk, tu, tc, tmin, tmax, tq, au, ac, amin, amax, aq in cursor.fetchall():
            if (nk, mk) in wanted:
                found[(nk, mk)] = (
                    _pg_summary(tu, tc, tmin, tmax, tq),
                    _pg_summary(au, ac, amin, amax, aq),
                )
    return found


def _benchmarks_python(
    wanted: set[Key], first: int, last: int
) -> dict[Key, tuple[Summary | None, Summary | None]]:
    rows = IndicatorUse.objects.filter(
        name_key__in={k[0] for k in wanted}, year__gte=first, year__lte=last
    ).values_list("name_key", "measure_key", "unit_id", "target_value", "actual_value")[
        :BENCHMARK_ROWS_MAX
    ]
    targets: dict[Key, list[Decimal]] = defaultdict(list)
    actuals: dict[Key, list[Decimal]] = defaultdict(list)
    target_units: dict[Key, set[int]] = defaultdict(set)
    actual_units: dict[Key, set[int]] = defaultdict(set)
    for nk, mk, unit_id, target, actual in rows:
        key = (nk, mk)
        if key not in wanted:
            continue
        if target is not None:
            targets[key].append(target)
            target_units[key].add(unit_id)
        if actual is not None:
            actuals[key].append(actual)
            actual_units[key].add(unit_id)
    return {
        key: (
            summarise(targets[key], units=len(target_units[key])),
            summarise(actuals[key], units=len(actual_units[key])),
        )
        for key in wanted
        if key in targets or key in actuals
    }


def benchmarks(
    *, user: User, keys: Iterable[Key], year: int, years: int = BENCHMARK_YEARS
) -> dict[Key, Benchmark]:
    """The benchmark of each indicator (name key, measure key) over the ``years`` years ending with
    ``year``: one query for any number of indicators (PostgreSQL computes the quartiles with
    ``percentile_cont``; elsewhere a bounded read and ``scoring.benchmark``)."""
    wanted = set(keys)
    if not wanted:
        return {}
    first, last = year - years + 1, year
    if connection.vendor == "postgresql":
        figures = _benchmarks_postgresql(wanted, first, last)
    else:
        figures = _benchmarks_python(wanted, first, last)
    anonymous_only = not _is_reviewer(user)
    found = {}
    for key in wanted:
        targets, actuals = figures.get(key, (None, None))
        units = max(targets.units if targets else 0, actuals.units if actuals else 0)
        if anonymous_only and units < SHARED_MIN_UNITS and (targets or actuals):
            found[key] = Benchmark((first, last), None, None, withheld=True)
        else:
            found[key] = Benchmark((first, last), targets, actuals)
    return found


def key_of(indicator: Indicator) -> Key:
    return indicator.name_key, indicator.measure_key


# ------------------------------------------------------------------ one indicator


@dataclass(frozen=True)
class IndicatorDetail:
    indicator: Indicator
    year: int
    benchmark: Benchmark
    own_history: list[HistoryRow]  # a unit's own uses (empty for reviewers)
    uses: list[IndicatorUse]  # reviewers: the latest uses in their scope, with unit names
    uses_more: bool = False


DETAIL_USES = 50


def indicator_detail(*, user: User, indicator_id: int, year: int | None = None) -> IndicatorDetail:
    """An entry with its benchmark, and the asker's own history (a unit) or the latest uses in the
    asker's scope (a reviewer). A constant number of queries."""
    indicator = get_indicator(user=user, indicator_id=indicator_id)
    key = key_of(indicator)
    same = IndicatorUse.objects.filter(name_key=key[0], measure_key=key[1])
    if year is None:
        year = indicator.last_year or same.order_by("-year").values_list("year", flat=True).first()
    year = year or 0
    benchmark = benchmarks(user=user, keys=[key], year=year)[key]
    own: list[HistoryRow] = []
    uses: list[IndicatorUse] = []
    more = False
    if user.is_unit_user and user.organisation_id is not None:
        own = history(unit_id=user.organisation_id, keys=[key], before_year=year + 1).get(key, [])
    elif _is_reviewer(user):
        rows = list(
            same.filter(unit_scope_q(user, "unit"))
            .select_related("unit", "department")
            .order_by("-year", "unit__name", "id")[: DETAIL_USES + 1]
        )
        more = len(rows) > DETAIL_USES
        uses = rows[:DETAIL_USES]
    return IndicatorDetail(indicator, year, benchmark, own, uses, more)


# ------------------------------------------------------------------ the reviewer's view


@dataclass(frozen=True)
class TargetContext:
    """One declared target beside the unit's history and the benchmark."""

    target: dict[str, Any]
    key: Key
    history: list[HistoryRow] = field(default_factory=list)
    benchmark: Benchmark | None = None
    position: str = ""  # below / within / above the other units' targets


def target_context(
    *, user: User, declaration: Any, data: dict[str, Any] | None = None
) -> list[TargetContext]:
    """Each target of ``declaration`` (an Evaluation of a ``targets`` campaign the caller already
    fetched through a scoped selector; ``data`` overrides its content, e.g. an adjustment's) with
    the declaring unit's history and the benchmark: two queries however many targets."""
    if not _unit_visible(user, declaration.unit_id):
        raise Http404
    content = declaration.data if data is None else data
    targets = [t for t in content.get("targets") or () if isinstance(t, dict)]
    keys = [
        (name_key(str(t.get("name") or "")), measure_key(str(t.get("unit") or ""))) for t in targets
    ]
    year = declaration.campaign.year
    past = history(unit_id=declaration.unit_id, keys=keys, before_year=year)
    spread = benchmarks(user=user, keys=[k for k in keys if k[0]], year=year)
    found = []
    for target, key in zip(targets, keys, strict=True):
        bench = spread.get(key)
        position = ""
        raw = target.get("value")
        if bench is not None and bench.targets is not None and raw not in (None, ""):
            try:
                value: Decimal | None = parse_decimal(str(raw))
            except NumberFormatError:
                value = None
            if value is not None:
                position = position_of(value, bench.targets)
        found.append(TargetContext(target, key, past.get(key, []), bench, position))
    return found


def _unit_visible(user: User, unit_id: int) -> bool:
    return Organisation.objects.filter(unit_scope_q(user), pk=unit_id).exists()
