"""Benchmark (issue 14): every list page and API route at province scale, on PostgreSQL.

Not a test. Builds its own PostgreSQL database (dropped and made anew: never the project's or a
colleague's), loads the demo city, then adds ``--units`` synthetic units under 60 departments, each
with a department self-evaluation in one campaign and ``--projects`` project self-evaluations in
another, in a mix of states, scores, grades, extensions, over-completions and repeated returns
(written with COPY, the list columns of jixiao.evaluations.summary filled as the save path would).
Then, in a fresh process (so building leaves nothing in its memory), requests each page and API
route through Django's test client (the whole middleware and template stack, no network) and
prints per route: median and p95 server time, SQL queries, and the process's peak RSS while that
route ran (VmHWM, reset per route through /proc/self/clear_refs), beside the goals (p95 ≤ 300 ms,
RSS ≤ 300 MiB). The login page is the baseline (a page that reads no data): the ratio column
says how many logins each route costs, so a busy machine moves both alike.

    .venv/bin/python bench/scale.py --units 5000 [--projects 4] [--runs 9]
    .venv/bin/python bench/scale.py --units 50000 --runs 7

``--database-url`` (default postgres://postgres@127.0.0.1:5432/jixiao_bench_scale) names the
database to drop and rebuild; ``--reuse`` measures an already built one.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jixiao_bench_scale"
GOAL_MS = 300
GOAL_MIB = 300
DEPARTMENTS = 60
# Each domain adds its rows and routes in its own module, bench/scale_<domain>.py, with
# ``build(ctx: BuildContext) -> None`` (called after the evaluations are written, before ANALYZE)
# and ``routes(ctx: MeasureContext) -> list[tuple[label, user, url]]``. A module not yet written
# is skipped.
EXTRAS = ("scale_people", "scale_review", "scale_cycle")


def _extras() -> list[Any]:
    import importlib

    modules = []
    for name in EXTRAS:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return modules


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--projects", type=int, default=4, help="project evaluations per unit")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="measure the database as it is")
    parser.add_argument(
        "--skip", action="append", default=[], help="leave out the routes whose label has this"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only the routes whose label has this (the login baseline always runs)",
    )
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of the main queries"
    )
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("JIXIAO_MEDIA_ROOT", f"/tmp/jixiao-bench-scale-media-{os.getpid()}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))

    if args.build_only:
        return build(args)
    if not args.reuse:
        recreate_database(args.database_url)
        started = time.perf_counter()
        # Built in a child process: what building leaves in memory is not the pages' RSS.
        command = [sys.executable, __file__, "--build-only", "--units", str(args.units)]
        command += ["--projects", str(args.projects), "--database-url", args.database_url]
        subprocess.run(command, check=True)
        print(f"built in {time.perf_counter() - started:.0f} s")
    return measure(args)


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not name.startswith("jixiao_bench") and "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the bench database's name must say bench")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# ---------------------------------------------------------------- building


def build(args: argparse.Namespace) -> int:
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # "testserver" allowed, mail kept in memory (not printed)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from jixiao.campaigns.models import Campaign
    from jixiao.evaluations.models import Evaluation, Status
    from jixiao.evaluations.services import apply_score
    from jixiao.organisations.credit_code import check_character
    from jixiao.organisations.models import Organisation, OrganisationKind, User
    from jixiao.testing.factories import seed_evaluation_data

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    print(f"demo data loaded in {time.perf_counter() - started:.1f} s")
    rng = random.Random(14)
    bureau = Organisation.objects.get(kind=OrganisationKind.BUREAU)
    departments = list(Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT))
    extra = [
        Organisation(
            kind=OrganisationKind.DEPARTMENT, name=f"基准测试主管部门{n:02d}", parent=bureau
        )
        for n in range(DEPARTMENTS - len(departments))
    ]
    Organisation.objects.bulk_create(extra)
    departments = list(Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT))

    t = time.perf_counter()
    units = []
    for n in range(args.units):
        first17 = f"12440899{n:09d}"
        units.append(
            Organisation(
                kind=OrganisationKind.UNIT,
                name=f"基准测试单位{n:06d}",
                credit_code=first17 + check_character(first17),
                parent=departments[n % len(departments)],
                unit_type="公益一类事业单位",
                staffing_quota=10,
                staff_actual=8,
            )
        )
    Organisation.objects.bulk_create(units, batch_size=5000)
    unit_ids = list(
        Organisation.objects.filter(name__startswith="基准测试单位")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    print(f"{len(unit_ids)} units in {time.perf_counter() - t:.1f} s")

    seed = Evaluation.objects.select_related("campaign").get(
        unit__name="湛江市职业技能鉴定指导中心", campaign__year=2025, campaign__kind="department"
    )
    now = timezone.now()
    department_campaign = Campaign.objects.create(
        bureau=bureau,
        year=2025,
        title="基准测试：2025年度部门整体支出绩效自评",
        notice_title="基准测试通知",
        notice_number="湛财绩〔2026〕99号",
        kind="department",
        ruleset_ref=seed.ruleset_ref,
        deadline=now + dt.timedelta(days=5),
    )
    project_campaign = Campaign.objects.create(
        bureau=bureau,
        year=2025,
        title="基准测试：2025年度项目支出绩效自评",
        notice_title="基准测试通知",
        notice_number="湛财绩〔2026〕98号",
        kind="project",
        ruleset_ref="national-project@2020.1",
        deadline=now - dt.timedelta(days=1),  # past: open tasks are overdue
    )
    template = Evaluation(data=seed_evaluation_data(), ruleset_ref=seed.ruleset_ref)
    apply_score(template)
    department_data = json.dumps(template.data, ensure_ascii=False)
    project_data = json.dumps(
        {
            "kind": "project",
            "ruleset": "national-project@2020.1",
            "targets": [
                {"code": "1", "name": "项目产出", "target": "100", "actual": "180"},
                {"code": "2", "name": "满意度", "target": "90", "actual": "95"},
            ],
        },
        ensure_ascii=False,
    )
    states = [
        Status.DRAFT,
        Status.DRAFT,
        Status.SUBMITTED,
        Status.DEPARTMENT_APPROVED,
        Status.RETURNED,
        Status.APPROVED,
        Status.PUBLISHED,
    ]
    grades = ((90, "优"), (80, "良"), (60, "中"), (0, "差"))
    editor = User.objects.filter(username="unit_editor").first()
    t = time.perf_counter()
    columns = (
        "campaign_id, unit_id, project_name, status, data, version, deadline_override, "
        "ruleset_ref, total, grade, first_saved_at, updated_at, updated_by_id, "
        "over_completions, over_unexplained, execution_rate, problem_count, "
        "department_name, unit_name, campaign_year"
    )
    rows = 0
    with connection.cursor() as django_cursor:
        raw = django_cursor.cursor
        with raw.copy(f"COPY evaluations_evaluation ({columns}) FROM STDIN") as copy:
            for index, unit_id in enumerate(unit_ids):
                tasks = [(department_campaign.pk, "", department_data, seed.ruleset_ref)]
                tasks += [
                    (project_campaign.pk, f"基准项目{p}", project_data, "national-project@2020.1")
                    for p in range(args.projects)
                ]
                for campaign_id, project_name, data, ref in tasks:
                    status = states[rng.randrange(len(states))]
                    started_at = None if status == Status.DRAFT and rng.random() < 0.4 else now
                    handed_in = status not in (Status.DRAFT, Status.RETURNED)
                    total = (
                        round(rng.uniform(45, 100), 2) if handed_in or rng.random() < 0.3 else None
                    )
                    grade = (
                        next(g for low, g in grades if total >= low) if total is not None else ""
                    )
                    over = 1 if rng.random() < 0.08 else 0
                    unexplained = over if rng.random() < 0.5 else 0
                    copy.write_row(
                        (
                            campaign_id,
                            unit_id,
                            project_name,
                            str(status),
                            data,
                            1 if started_at else 0,
                            now + dt.timedelta(days=10) if rng.random() < 0.02 else None,
                            ref,
                            total,
                            grade,
                            started_at,
                            now,
                            editor.pk if editor and started_at else None,
                            over,
                            unexplained,
                            round(rng.uniform(60, 100), 2),
                            rng.randrange(4) if not handed_in else 0,
                            units[index].parent.name,
                            units[index].name,
                            2025,  # both campaigns' year (names.py fills it on a save)
                        )
                    )
                    rows += 1
                if index % 10000 == 9999:
                    print(f"  … {index + 1} units")
    print(f"{rows} evaluations (COPY) in {time.perf_counter() - t:.1f} s")

    # Some tasks sent back twice (they show in the overview's needs-attention list).
    t = time.perf_counter()
    twice = list(
        Evaluation.objects.filter(campaign=department_campaign, status=Status.RETURNED)
        .order_by("pk")
        .values_list("pk", flat=True)[: max(1, args.units // 100)]
    )
    reviewer = User.objects.get(username="dept_reviewer")
    with connection.cursor() as django_cursor:
        raw = django_cursor.cursor
        with raw.copy(
            "COPY reviews_transition (evaluation_id, action, from_status, to_status, actor_id, at, "
            "comment, section_comments, snapshot) FROM STDIN"
        ) as copy:
            for pk in twice:
                for _ in range(2):
                    copy.write_row(
                        (
                            pk,
                            "department_return",
                            "submitted",
                            "returned",
                            reviewer.pk,
                            now,
                            "",
                            "{}",
                            "{}",
                        )
                    )
    print(f"{2 * len(twice)} return transitions in {time.perf_counter() - t:.1f} s")

    from scale_common import BuildContext

    context = BuildContext(
        args=args,
        rng=rng,
        now=now,
        bureau=bureau,
        departments=departments,
        unit_ids=unit_ids,
        units=units,
        department_campaign=department_campaign,
        project_campaign=project_campaign,
        editor=editor,
        reviewer=reviewer,
    )
    for module in _extras():
        t = time.perf_counter()
        module.build(context)
        print(f"{module.__name__}: built in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    # VACUUM too, as autovacuum would in production: without it (this machine's server runs with
    # autovacuum off) the rows just written have no visibility map, every index-only scan reads
    # the heap, and the whole-province lists measured 2–5× slower than after it.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE in {time.perf_counter() - t:.1f} s")
    return 0


# ---------------------------------------------------------------- measuring


def _rss_reset() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def _rss_peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(args: argparse.Namespace) -> int:
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # "testserver" allowed, mail kept in memory (not printed)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from jixiao.campaigns.models import Campaign
    from jixiao.evaluations.models import Evaluation
    from jixiao.organisations.models import Organisation, User

    department = Campaign.objects.get(notice_number="湛财绩〔2026〕99号")
    project = Campaign.objects.get(notice_number="湛财绩〔2026〕98号")
    some_department = Organisation.objects.filter(name="基准测试主管部门00").first()
    units = Evaluation.objects.count()
    print(f"{Organisation.objects.filter(kind='unit').count()} units, {units} evaluations\n")

    bureau = User.objects.get(username="bureau_reviewer")
    admin = User.objects.get(username="bureau_admin")
    dept = User.objects.get(username="dept_reviewer")
    detail = reverse("campaigns:detail", args=[department.pk])
    project_detail = reverse("campaigns:detail", args=[project.pk])
    routes: list[tuple[str, User | None, str]] = [
        ("login (baseline)", None, reverse("login")),
        ("campaigns:list", bureau, reverse("campaigns:list")),
        ("progress, first page", bureau, detail),
        ("progress, page 2", bureau, detail + "?after=" + "{next:" + detail + "}"),
        ("progress, state filter", bureau, detail + "?state=returned"),
        (
            "progress, grade + dept",
            bureau,
            f"{detail}?grade=优&department={getattr(some_department, 'pk', '')}",
        ),
        ("progress, search", bureau, detail + "?q=基准测试单位0123"),
        ("progress, projects", bureau, project_detail + "?state=overdue"),
        ("progress as dept", dept, detail),
        (
            "overview (campaign)",
            bureau,
            f"{reverse('campaigns:overview')}?campaign={department.pk}",
        ),
        ("overview (projects)", bureau, f"{reverse('campaigns:overview')}?campaign={project.pk}"),
        ("overview (year)", bureau, f"{reverse('campaigns:overview')}?campaign=y2025"),
        ("overview as dept", dept, f"{reverse('campaigns:overview')}?campaign={department.pk}"),
        (
            "progress.xlsx, one dept",
            bureau,
            f"{reverse('campaigns:progress_export', args=[department.pk])}?department={getattr(some_department, 'pk', '')}",
        ),
        ("progress.xlsx, all", bureau, reverse("campaigns:progress_export", args=[department.pk])),
        ("organisations:list", admin, reverse("organisations:list")),
        ("organisations:list ?q=", admin, reverse("organisations:list") + "?q=基准测试单位0123"),
        ("activity:list (logs)", admin, reverse("activity:list")),
        ("evaluations:list", bureau, reverse("evaluations:list")),
        (
            "evaluations:list page 2",
            bureau,
            reverse("evaluations:list") + "?after={next:" + reverse("evaluations:list") + "}",
        ),
        ("evaluations:list ?q=", bureau, reverse("evaluations:list") + "?q=基准测试单位0123"),
        ("evaluations:list ?status", bureau, reverse("evaluations:list") + "?status=published"),
        ("evaluations:list as dept", dept, reverse("evaluations:list")),
        ("api /evaluations", bureau, "/api/evaluations?limit=100"),
        (
            "api /evaluations cursor",
            bureau,
            "/api/evaluations?limit=100&cursor={next:/api/evaluations?limit=100}",
        ),
        (
            "api /evaluations ?campaign",
            bureau,
            f"/api/evaluations?campaign={department.pk}&status=returned",
        ),
        ("api /evaluations ?q", bureau, "/api/evaluations?q=基准测试单位0123"),
        ("api /evaluations as dept", dept, "/api/evaluations?limit=100"),
        ("api /campaigns", bureau, "/api/campaigns"),
        ("api progress", bureau, f"/api/campaigns/{department.pk}/progress"),
        ("api tasks", bureau, f"/api/campaigns/{department.pk}/tasks?limit=100"),
        (
            "api tasks ?state&q",
            bureau,
            f"/api/campaigns/{department.pk}/tasks?state=returned&q=0123",
        ),
        ("api public reports", None, "/api/public/reports?limit=100"),
    ]
    from scale_common import MeasureContext

    context = MeasureContext(
        department_campaign=department,
        project_campaign=project,
        some_department=some_department,
        bureau=bureau,
        admin=admin,
        dept=dept,
    )
    for module in _extras():
        routes += module.routes(context)
    if args.explain:
        explain(department)

    load_before = os.getloadavg()
    results = []
    for label, user, url in routes:
        if any(part in label for part in args.skip):
            continue
        wanted = not args.only or label == routes[0][0] or any(p in label for p in args.only)
        if not wanted:
            continue
        client = Client()
        if user is not None:
            client.force_login(user)
        if "{next:" in url:  # the page after the first: follow the first page's cursor
            url = _follow(client, url)
            if url is None:
                print(f"skip {label}: no second page")
                continue
        response = client.get(url)  # warm-up (template compilation, caches)
        _consume(response)
        if response.status_code != 200:
            print(f"skip {label}: HTTP {response.status_code}")
            continue
        runs = args.runs if "xlsx, all" not in label else 2  # O(rows): tens of seconds at 50,000
        _rss_reset()
        timings = []
        sql_ms: list[float] = []
        queries = 0
        size = 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = client.get(url)
                size = _consume(response)
                timings.append((time.perf_counter() - t0) * 1000)
            queries = len(captured.captured_queries)
            sql_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        results.append(
            (
                label,
                statistics.median(timings),
                p95,
                statistics.median(sql_ms),
                queries,
                _rss_peak_mib(),
                size,
            )
        )
        print(f"  {label}: median {statistics.median(timings):.0f} ms", file=sys.stderr, flush=True)

    baseline = results[0][1]
    print(
        f"{'route':<30}{'median ms':>10}{'p95 ms':>9}{'goal':>6}{'SQL ms':>8}{'queries':>8}"
        f"{'peak RSS MiB':>13}{'goal':>6}{'KiB':>8}{'× login':>9}"
    )
    for label, median, p95, sql, count, rss, size in results:
        ok = "ok" if p95 <= GOAL_MS else "OVER"
        rss_ok = "ok" if rss <= GOAL_MIB else "OVER"
        print(
            f"{label:<30}{median:>10.1f}{p95:>9.1f}{ok:>6}{sql:>8.1f}{count:>8}{rss:>13.0f}{rss_ok:>6}"
            f"{size / 1024:>8.0f}{median / baseline:>9.1f}"
        )
    print(f"\ngoals: p95 ≤ {GOAL_MS} ms server-side, worker RSS ≤ {GOAL_MIB} MiB")
    load_after = os.getloadavg()
    print(
        "load average (1, 5, 15 min) before: "
        + ", ".join(f"{v:.2f}" for v in load_before)
        + "; after: "
        + ", ".join(f"{v:.2f}" for v in load_after)
    )
    return 0


def _consume(response: Any) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _follow(client: Any, url: str) -> str | None:
    """``url`` with its {next:FIRST} placeholder replaced by FIRST's next cursor."""
    import re

    match = re.search(r"\{next:([^}]*)\}", url)
    assert match is not None
    first = match.group(1)
    response = client.get(first)
    if first.startswith("/api/"):
        cursor = response.json().get("next_cursor")
    elif "progress" in response.context:
        page = response.context["progress"].page
        cursor = page.next_cursor if page else None
    else:
        cursor = response.context["page"].next_cursor
    if not cursor:
        return None
    return url.replace(match.group(0), cursor)


def explain(campaign: Any) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every query the progress page's and the overview's selectors
    run for the bureau (captured as sent, then explained one by one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jixiao.campaigns import selectors
    from jixiao.evaluations import selectors as lists
    from jixiao.organisations.models import User

    user = User.objects.get(username="bureau_reviewer")
    dept = User.objects.get(username="dept_reviewer")
    deep = lists.evaluation_page(user=user, cursor=None, size=50)
    for _ in range(20):  # a cursor deep into the 绩效自评列表
        deep = lists.evaluation_page(user=user, cursor=deep.next_cursor, size=50)
    with CaptureQueriesContext(connection) as captured:
        selectors.campaign_progress(user=user, campaign=campaign)
        selectors.campaign_progress(
            user=user,
            campaign=campaign,
            filters=selectors.ProgressFilters(progress="returned", search="0123"),
        )
        selectors.campaign_progress(
            user=user,
            campaign=campaign,
            filters=selectors.ProgressFilters(search="基准测试单位0123"),
        )
        selectors.campaign_progress(user=dept, campaign=campaign)
        selectors.campaign_list(user=user)
        selectors.campaign_overview(user=user, campaigns=[campaign])
        # the 绩效自评列表 (and /api/evaluations, the same queryset): first page, a later page,
        # a search, the department reviewer, and the years offered
        lists.evaluation_page(user=user, cursor=None, size=50)
        lists.evaluation_page(user=user, cursor=deep.next_cursor, size=50)
        lists.evaluation_page(user=user, q="基准测试单位0123", cursor=None, size=50)
        lists.evaluation_page(user=user, status="published", cursor=None, size=50)
        lists.evaluation_page(user=dept, cursor=None, size=50)
        lists.list_years(user=user)
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines = [line for (line,) in cursor.fetchall()]
        print(f"--- {sql[:160]}")
        for line in lines:
            if "Buffers" not in line:
                print(line)
    print()


if __name__ == "__main__":
    sys.exit(main())
