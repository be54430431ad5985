"""Benchmark: the city-wide monitoring warning list (全市监控预警) for 20,000 projects × 5 targets.

Not a test. On PostgreSQL (DATABASE_URL, default the helper's own database jixiao_monitoring, which
is FLUSHED first): builds a city of 1,000 units under 20 departments, 20,000 projects with five
targets each, one monitoring round and a report per project, and the warnings each report raises
(computed by scoring.monitoring exactly as a save computes them), then requests the list through
Django's test client (whole middleware and template stack) as the bureau and prints, per case: the
median and 90th percentile in milliseconds over --runs requests and the number of SQL queries. It
also checks that the query count is the same for a page of 10, 50 and 500 rows, and on a deep page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jixiao_monitoring \\
        .venv/bin/python bench/monitoring_warnings.py [--projects 20000] [--runs 9]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--targets", type=int, default=5)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jixiao_monitoring")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")  # Django's test client
    # The large export is a job: run it in the request's commit, so its time is measured here.
    os.environ["JIXIAO_JOBS_RUNNER"] = "sync"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    if connection.vendor != "postgresql":
        print("this benchmark measures PostgreSQL: set DATABASE_URL=postgres://…")
        return 2
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    campaign, bureau_user, departments = build_city(args.projects, args.targets)
    print(f"city built in {time.perf_counter() - started:.1f} s")

    from jixiao.monitoring.models import MonitoringWarning
    from jixiao.monitoring.selectors import WarningFilter, encode_cursor, warning_page

    total = MonitoringWarning.objects.count()
    red = MonitoringWarning.objects.filter(level=2).count()
    print(
        f"{args.projects} projects × {args.targets} targets: {total} warnings "
        f"({red} red, {total - red} yellow)"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client()
    client.force_login(bureau_user)
    url = reverse("monitoring:warnings")
    deep_row = (
        MonitoringWarning.objects.filter(campaign=campaign)
        .order_by("-level", "-shortfall", "id")[total // 2 : total // 2 + 1]
        .get()
    )
    cases = [
        ("baseline: the login page", None),
        ("first page (red first)", {"campaign": campaign.pk}),
        (f"deep page (row {total // 2} of {total})", {"campaign": campaign.pk, "after": encode_cursor(deep_row, "level")}),
        ("one department", {"campaign": campaign.pk, "department": departments[3].pk}),
        ("red, target shortfall", {"campaign": campaign.pk, "level": 2, "reason": "target_shortfall"}),
        ("sorted by unit", {"campaign": campaign.pk, "sort": "unit"}),
        ("most behind first", {"campaign": campaign.pk, "sort": "shortfall"}),
    ]  # fmt: skip
    print(f"\n{'case':<34} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for label, params in cases:
        times, queries = [], 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                begin = time.perf_counter()
                if params is None:
                    response = Client().get(reverse("login"))
                else:
                    response = client.get(url, params)
                times.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, response.status_code
            queries = len(ctx)
        times.sort()
        p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
        print(f"{label:<34} {statistics.median(times):>10.1f} {p90:>8.1f} {queries:>8}")

    # The selector alone: the same queries whatever the page size and position.
    counts = {}
    for size in (10, 50, 500):
        with CaptureQueriesContext(connection) as ctx:
            warning_page(
                user=bureau_user, filters=WarningFilter(campaign_id=campaign.pk), size=size
            )
        counts[size] = len(ctx)
    with CaptureQueriesContext(connection) as ctx:
        warning_page(
            user=bureau_user,
            filters=WarningFilter(campaign_id=campaign.pk),
            after=encode_cursor(deep_row, "level"),
            size=500,
        )
    counts[-1] = len(ctx)
    print(f"\nselector queries by page size 10/50/500 and a deep page of 500: {counts}")
    assert len(set(counts.values())) == 1, "queries must not grow with the rows shown"

    from jixiao.jobs.models import Job

    begin = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("monitoring:warnings_export"), {"campaign": campaign.pk})
    job = Job.objects.filter(kind="monitoring.warnings_export").latest("pk")
    print(
        f"xlsx export of the first 20,000 warnings (a background job): "
        f"{(time.perf_counter() - begin):.1f} s, {len(ctx)} queries, job {job.state}, "
        f"{job.result.size // 1024 if job.result else 0} KiB"
    )
    return 0


def build_city(projects: int, targets: int):  # type: ignore[no-untyped-def]
    """Organisations, projects, a round, the reports and their warnings, in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from jixiao.campaigns.models import Campaign, EvaluationKind
    from jixiao.evaluations.models import Evaluation, Status
    from jixiao.monitoring.models import MonitoringRound, MonitoringWarning
    from jixiao.monitoring.services import _dec
    from jixiao.organisations.models import Organisation, OrganisationKind, Role, User
    from jixiao.projects.models import Project
    from scoring.monitoring import Reason, Thresholds, evaluate, report_from_data, warning_text

    rng = random.Random(11)
    year, as_of, thresholds = 2026, dt.date(2026, 7, 31), Thresholds()
    with transaction.atomic():
        bureau = Organisation.objects.create(name="基准市财政局", kind=OrganisationKind.BUREAU)
        departments = Organisation.objects.bulk_create(
            Organisation(
                name=f"基准主管部门{d:02d}", kind=OrganisationKind.DEPARTMENT, parent=bureau
            )
            for d in range(20)
        )
        units = Organisation.objects.bulk_create(
            Organisation(
                name=f"基准预算单位{u:04d}",
                kind=OrganisationKind.UNIT,
                parent=departments[u % 20],
            )
            for u in range(1000)
        )
        bureau_user = User.objects.create(
            username="bench_bureau", role=Role.BUREAU_REVIEWER, organisation=bureau
        )
        campaign = Campaign.objects.create(
            bureau=bureau,
            year=year,
            title="基准监控",
            notice_title="基准",
            notice_number="基准〔2026〕1号",
            kind=EvaluationKind.MONITORING,
            ruleset_ref="",
            deadline=timezone.now() + dt.timedelta(days=20),
        )
        MonitoringRound.objects.create(campaign=campaign, as_of=as_of)
        project_rows = Project.objects.bulk_create(
            Project(
                unit=units[p % 1000],
                department=units[p % 1000].parent,
                year=year,
                code=f"P{p:05d}",
                name=f"基准项目{p:05d}",
                adjusted_total=Decimal(100),
            )
            for p in range(projects)
        )
        reports = []
        for project in project_rows:
            executed = rng.randint(20, 75)
            data = {
                "kind": "monitoring",
                "year": year,
                "unit_name": project.unit.name,
                "project_name": project.name,
                "project_code": project.code,
                "budget": [{"source": "财政拨款", "adjusted": "100", "executed": str(executed)}],
                "targets": [
                    {
                        "code": f"T{t + 1}",
                        "name": f"指标{t + 1}",
                        "value": "1000",
                        "to_date": str(rng.randint(300, 700)),
                        "expected": str(rng.choice([1000, 1000, 1000, 950, 880, 760])),
                        "approved": True,
                    }
                    for t in range(targets)
                ],
            }
            reports.append(
                Evaluation(
                    campaign=campaign,
                    unit=project.unit,
                    project=project,
                    project_name=project.name,
                    status=Status.SUBMITTED,
                    ruleset_ref="",
                    data=report_from_data(data).model_dump(mode="json"),
                    version=1,
                )
            )
        Evaluation.objects.bulk_create(reports, batch_size=2000)
        warnings = []
        for evaluation in reports:
            report = report_from_data(evaluation.data)
            result = evaluate(report, as_of=as_of, thresholds=thresholds)
            unit = evaluation.unit
            for w in result.warnings:
                f = w.figures
                if w.target_code:
                    completion = f.get("completion")
                    shortfall = Decimal(100) - completion if completion is not None else Decimal(0)
                else:
                    shortfall = f.get("gap") or Decimal(0)
                    if w.reason == Reason.OVER_BUDGET:
                        shortfall = Decimal(0)
                warnings.append(
                    MonitoringWarning(
                        campaign=campaign,
                        evaluation=evaluation,
                        unit=unit,
                        department_id=unit.parent_id,
                        project=evaluation.project,
                        unit_name=unit.name,
                        department_name=unit.parent.name if unit.parent else "",
                        project_name=report.project_name,
                        target_code=w.target_code,
                        target_name=w.target_name,
                        level=int(w.level),
                        reason=str(w.reason),
                        shortfall=_dec(shortfall) or Decimal(0),
                        time_progress=_dec(result.time_progress),
                        execution_progress=_dec(result.execution_progress),
                        target_value=_dec(f.get("value"), "0.0001"),
                        expected_value=_dec(f.get("expected"), "0.0001"),
                        completion=_dec(f.get("completion")),
                        text=warning_text(w),
                    )
                )
        MonitoringWarning.objects.bulk_create(warnings, batch_size=5000)
    return campaign, bureau_user, departments


if __name__ == "__main__":
    raise SystemExit(main())
