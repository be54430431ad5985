"""Benchmark: the 指标库 search and benchmark on 20,000 projects × 5 targets (PostgreSQL).

Not a test. Creates a throw-away PostgreSQL database beside the one DATABASE_URL names (Django's
test-database machinery: ``test_<name>``, dropped at the end), migrates it, and bulk-inserts a city:
40 departments, 1,000 units, 5 projects per unit per year for 2022–2025 (20,000 projects), 5 targets
per project (100,000 uses) drawn from a vocabulary of 300 shared indicator names (a skewed
popularity: a few used everywhere, most by a few units) plus one project-specific name in five.
Then it times, as the median of ``--runs`` runs, with the query count of each:

* the search (selector and the whole page through Django's test client) for a unit, a department
  reviewer and the bureau: first page, a name filter, a level filter, a department filter, and a
  page deep in the keyset order, at 20 and at 100 rows a page (the query count must not change);
* one indicator's benchmark and detail (the most used name: ~20,000 uses);
* the reviewer's panel for a declaration of 5 and of 40 targets (three queries either way);

and prints the EXPLAIN (ANALYZE) plans of the search and the benchmark queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jixiao_library .venv/bin/python bench/indicator_library.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DEPARTMENTS = 40
UNITS = 1_000
YEARS = (2022, 2023, 2024, 2025)
PROJECTS_PER_UNIT_YEAR = 5  # 1,000 × 4 × 5 = 20,000 projects
TARGETS_PER_PROJECT = 5
VOCABULARY = 300

LEVELS = [
    ("产出指标", "数量指标", "人次"),
    ("产出指标", "数量指标", "个"),
    ("产出指标", "质量指标", "%"),
    ("产出指标", "时效指标", "天"),
    ("产出指标", "成本指标", "万元"),
    ("效益指标", "社会效益指标", "人"),
    ("效益指标", "经济效益指标", "万元"),
    ("满意度指标", "服务对象满意度指标", "%"),
]
WORDS = [
    "培训",
    "鉴定",
    "检测",
    "巡查",
    "服务",
    "宣传",
    "救助",
    "维修",
    "监测",
    "接诊",
    "办结",
    "验收",
]
THINGS = ["人次", "场次", "户数", "覆盖率", "合格率", "完成率", "时长", "成本", "收益", "满意度"]


def vocabulary() -> list[tuple[str, str, str, str, Decimal]]:
    """(level1, level2, name, unit of measure, typical value) of the shared names."""
    rng = random.Random(10)
    found = []
    for n in range(VOCABULARY):
        level1, level2, measure = LEVELS[n % len(LEVELS)]
        name = f"{WORDS[n % len(WORDS)]}{THINGS[(n // len(WORDS)) % len(THINGS)]}"
        name += (
            f"（{n // (len(WORDS) * len(THINGS)) + 1}类）" if n >= len(WORDS) * len(THINGS) else ""
        )
        base = (
            Decimal(rng.choice([95, 98, 100, 30, 500, 1200, 12000]))
            if measure != "%"
            else Decimal(90)
        )
        found.append((level1, level2, name, measure, base))
    return found


def build(*, seed: int = 1) -> dict[str, Any]:
    """Bulk-insert the city; returns what the measurements need."""
    from django.db import connection

    from jixiao.campaigns.models import Campaign, EvaluationKind
    from jixiao.evaluations.models import Evaluation, Status
    from jixiao.indicators.models import Indicator, IndicatorKind, IndicatorUse
    from jixiao.indicators.services import sync_common_indicators
    from jixiao.organisations.credit_code import check_character
    from jixiao.organisations.models import Organisation, OrganisationKind, Role, User
    from jixiao.projects.models import Project
    from scoring.indicator_library import measure_key, name_key

    rng = random.Random(seed)
    bureau = Organisation.objects.create(kind=OrganisationKind.BUREAU, name="基准财政局")
    departments = Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.DEPARTMENT, name=f"基准主管部门{n:02d}", parent=bureau)
        for n in range(DEPARTMENTS)
    )
    units = Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.UNIT,
            name=f"基准单位{n:04d}",
            credit_code=(first17 := f"12440877{n:09d}") + check_character(first17),
            parent=departments[n % DEPARTMENTS],
        )
        for n in range(UNITS)
    )
    projects = Project.objects.bulk_create(
        (
            Project(
                unit=unit,
                department=unit.parent,
                year=year,
                code=f"P{year}{k}",
                name=f"{unit.name}{year}年项目{k}",
            )
            for unit in units
            for year in YEARS
            for k in range(PROJECTS_PER_UNIT_YEAR)
        ),
        batch_size=5000,
    )
    shared = vocabulary()
    weights = [1 / (rank + 1) ** 0.9 for rank in range(VOCABULARY)]  # a few names everywhere
    entries: dict[tuple[str, str, str, str], Indicator] = {}
    for level1, level2, name, measure, _base in shared:
        key = (level1, level2, name_key(name), measure_key(measure))
        entries[key] = Indicator(
            kind=IndicatorKind.CUSTOM,
            level1=level1,
            level2=level2,
            name=name,
            name_key=key[2],
            measure=measure,
            measure_key=key[3],
            direction=">=",
        )
    uses = []
    for project in projects:
        picked = set()
        while len(picked) < TARGETS_PER_PROJECT - 1:
            picked.add(rng.choices(range(VOCABULARY), weights)[0])
        rows = [shared[i] for i in sorted(picked)]
        if rng.random() < 0.2:  # one project-specific indicator in five projects
            rows.append(("产出指标", "数量指标", f"{project.name}专项指标", "项", Decimal(3)))
        else:
            rows.append(shared[rng.randrange(VOCABULARY)])
        seen = set()
        for level1, level2, name, measure, base in rows:
            key = (level1, level2, name_key(name), measure_key(measure))
            if key[2:] in seen:
                continue
            seen.add(key[2:])
            if key not in entries:
                entries[key] = Indicator(
                    kind=IndicatorKind.CUSTOM,
                    level1=level1,
                    level2=level2,
                    name=name,
                    name_key=key[2],
                    measure=measure,
                    measure_key=key[3],
                    direction=">=",
                )
            target = (base * Decimal(rng.uniform(0.7, 1.3))).quantize(Decimal("0.01"))
            if measure == "%":
                target = min(target, Decimal(100))
            actual = None
            if project.year < 2025:
                actual = (target * Decimal(rng.uniform(0.8, 1.4))).quantize(Decimal("0.01"))
            uses.append(
                IndicatorUse(
                    unit_id=project.unit_id,
                    department_id=project.department_id,
                    year=project.year,
                    scope_key=f"project:{project.pk}",
                    project=project,
                    project_name=project.name,
                    code=f"T{len(seen)}",
                    level1=level1,
                    level2=level2,
                    name=name,
                    name_key=key[2],
                    measure=measure,
                    measure_key=key[3],
                    direction=">=",
                    target_value=target,
                    actual_value=actual,
                    indicator=entries[key],
                )
            )
    Indicator.objects.bulk_create(entries.values(), batch_size=5000)
    for row in uses:
        row.indicator_id = row.indicator.pk
    IndicatorUse.objects.bulk_create(uses, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE indicators_indicator AS i
               SET unit_count = c.units, use_count = c.uses, last_year = c.last
              FROM (SELECT indicator_id, COUNT(DISTINCT unit_id) AS units, COUNT(*) AS uses,
                           MAX(year) AS last
                      FROM indicators_indicatoruse GROUP BY indicator_id) AS c
             WHERE i.id = c.indicator_id
            """
        )
    # What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE indicators_indicator")
        cursor.execute("VACUUM ANALYZE indicators_indicatoruse")
    sync_common_indicators()
    people = {
        "unit": User.objects.create_user(
            "bench_unit", password="bench-pass-1234", role=Role.UNIT_EDITOR, organisation=units[0]
        ),
        "department": User.objects.create_user(
            "bench_dept",
            password="bench-pass-1234",
            role=Role.DEPARTMENT_REVIEWER,
            organisation=departments[0],
        ),
        "bureau": User.objects.create_user(
            "bench_bureau",
            password="bench-pass-1234",
            role=Role.BUREAU_REVIEWER,
            organisation=bureau,
        ),
    }
    campaign = Campaign.objects.create(
        bureau=bureau,
        year=2026,
        title="2026年度绩效目标申报",
        notice_title="基准",
        notice_number="基准〔2026〕1号",
        kind=EvaluationKind.TARGETS,
        ruleset_ref="national-project@2020.1",
        deadline="2030-01-01T00:00:00Z",
    )

    def declaration(count: int) -> Evaluation:
        targets = [
            {
                "code": f"T{n}",
                "level1": shared[n][0],
                "level2": shared[n][1],
                "name": shared[n][2],
                "unit": shared[n][3],
                "direction": ">=",
                "value": str(shared[n][4]),
                "weight": 1,
            }
            for n in range(count)
        ]
        return Evaluation.objects.create(
            campaign=campaign,
            unit=units[0],
            project_name=f"申报{count}",
            status=Status.SUBMITTED,
            ruleset_ref=campaign.ruleset_ref,
            data={"year": 2026, "targets": targets},
            version=1,
        )

    return {
        "people": people,
        "department": departments[0],
        "declarations": {5: declaration(5), 40: declaration(40)},
        "top": Indicator.objects.filter(kind=IndicatorKind.CUSTOM).order_by("-use_count").first(),
        "projects": len(projects),
        "uses": len(uses),
        "indicators": Indicator.objects.count(),
    }


def measure(fn: Callable[[], Any], runs: int) -> tuple[float, int]:
    """(median milliseconds, queries of one run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return statistics.median(times), queries


def explain(sql: str, params: Any) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params)
        return "\n".join("    " + row[0] for row in cursor.fetchall())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-plans", action="store_true", help="skip the EXPLAIN output")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL must name a PostgreSQL database (postgres://…)", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("JIXIAO_JOBS_RUNNER", "sync")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from jixiao.indicators import selectors as sel

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        city = build()
        print(
            f"built {city['projects']:,} projects, {city['uses']:,} uses, "
            f"{city['indicators']:,} library entries in {time.perf_counter() - started:.1f} s "
            f"(PostgreSQL {connection.pg_version // 10000})"
        )
        people = city["people"]
        clients = {}
        for role, user in people.items():
            clients[role] = Client()
            clients[role].force_login(user)
        deep = sel.search(user=people["bureau"], filters=sel.SearchFilters(), size=100)
        for _ in range(20):  # 2,000 entries in
            deep = sel.search(
                user=people["bureau"], filters=sel.SearchFilters(), after=deep.next, size=100
            )
        searches = {
            "first page": sel.SearchFilters(),
            "name 培训": sel.SearchFilters(q="培训"),
            "level 满意度指标": sel.SearchFilters(level1="满意度指标"),
            "unit of measure %": sel.SearchFilters(measure="%"),
            "department": sel.SearchFilters(department_id=city["department"].pk),
        }
        print(f"\nsearch (selector), median of {args.runs} runs: ms / queries at 20 and 100 rows")
        for role in ("unit", "department", "bureau"):
            for label, filters in searches.items():
                row = []
                for size in (20, 100):
                    ms, q = measure(
                        lambda f=filters, s=size, r=role: sel.search(
                            user=people[r], filters=f, size=s
                        ),
                        args.runs,
                    )
                    row.append(f"{ms:7.1f} ms {q} q")
                print(f"  {role:<10} {label:<20} {row[0]}   {row[1]}")
            ms, q = measure(
                lambda r=role: sel.search(
                    user=people[r], filters=sel.SearchFilters(), after=deep.next, size=20
                ),
                args.runs,
            )
            print(f"  {role:<10} {'page 21 (keyset)':<20} {ms:7.1f} ms {q} q")
        print(f"\nsearch page (whole request), median of {args.runs} runs")
        for role in ("unit", "bureau"):
            for size in (20, 100):
                ms, q = measure(
                    lambda r=role, s=size: clients[r].get(
                        reverse("indicators:search"), {"size": s}
                    ),
                    args.runs,
                )
                print(f"  {role:<10} {size:>3} rows  {ms:7.1f} ms {q} queries")
            ms, q = measure(
                lambda r=role: clients[r].get(
                    reverse("indicators:picker"), {"q": "培训", "format": "json"}
                ),
                args.runs,
            )
            print(f"  {role:<10} picker JSON {ms:7.1f} ms {q} queries")
        top = city["top"]
        print(
            f"\nbenchmark of the most used entry ({top.name} {top.measure}: {top.use_count:,} uses, {top.unit_count} units)"
        )
        key = (top.name_key, top.measure_key)
        for years in (1, 4):
            ms, q = measure(
                lambda y=years: sel.benchmarks(
                    user=people["bureau"], keys=[key], year=2025, years=y
                ),
                args.runs,
            )
            print(f"  benchmark over {years} year(s)   {ms:7.1f} ms {q} queries")
        for role in ("unit", "bureau"):
            ms, q = measure(
                lambda r=role: clients[r].get(reverse("indicators:detail", args=[top.pk])),
                args.runs,
            )
            print(f"  detail page ({role:<6})      {ms:7.1f} ms {q} queries")
        print("\nreviewer's panel (target_context): declaration of 5 and of 40 targets")
        for count, d in city["declarations"].items():
            ms, q = measure(
                lambda d=d: sel.target_context(user=people["department"], declaration=d), args.runs
            )
            print(f"  {count:>2} targets  {ms:7.1f} ms {q} queries")
        if not args.no_plans:
            print("\nplans (EXPLAIN ANALYZE)")
            for label, filters, role in (
                ("search, unit, first page", sel.SearchFilters(), "unit"),
                ("search, bureau, name 培训", sel.SearchFilters(q="培训"), "bureau"),
                (
                    "search, bureau, department",
                    sel.SearchFilters(department_id=city["department"].pk),
                    "bureau",
                ),
            ):
                qs = sel.indicators_visible_to(user=people[role])
                if filters.q:
                    qs = qs.filter(name_key__contains=filters.q)
                if filters.department_id:
                    from django.db.models import Exists, OuterRef

                    from jixiao.indicators.models import IndicatorUse

                    qs = qs.filter(
                        Exists(
                            IndicatorUse.objects.filter(
                                indicator=OuterRef("pk"), department_id=filters.department_id
                            )
                        )
                    )
                sql, params = qs.order_by("-unit_count", "pk")[:21].query.sql_with_params()
                print(f"  {label}:\n{explain(sql, params)}")
            print(f"  benchmark (4 years):\n{explain(sel._PG_BENCHMARK, [[key[0]], 2022, 2025])}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
