"""Benchmark: the 审查结果 list (/audit/results/) at 50,000 stored audit results.

Not a test. On PostgreSQL (DATABASE_URL, default the helper's own database jixiao_auditweb13,
which is FLUSHED first): builds a city of 1,000 units under 20 departments with one evaluation
each, and --rows audit results: 60 % uploads by the bureau's and the departments' reviewers, 40 %
audits of the evaluations' own reports (审查全部已提交), with every level, unit, year and search
text. Then requests the list through Django's test client (middleware and templates) and prints,
per case, the median and 90th percentile in milliseconds over --runs requests, the SQL query
count, and the ratio of the median to the baseline: the 报告审查 upload page in the same process.
The list pages by keyset, so a deep page costs what the first does.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jixiao_auditweb13 \\
        .venv/bin/python bench/audit_results.py [--rows 50000] [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LEVELS = ("error", "warning", "clean", "unreadable")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the rows an earlier run built (same --rows)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jixiao_auditweb13")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        print("this benchmark measures PostgreSQL: set DATABASE_URL=postgres://…")
        return 2
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from jixiao.audit.models import AuditedFile

    if args.reuse and AuditedFile.objects.count() == args.rows:
        city = existing()
    else:
        call_command("flush", interactive=False, verbosity=0)
        city = build(args.rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{args.rows} audit results ready in {time.perf_counter() - started:.1f} s")

    ids = sorted(AuditedFile.objects.values_list("pk", flat=True))
    middle = ids[len(ids) // 2]
    unit = city["units"][7]
    cases: list[tuple[str, Any, str]] = [
        ("baseline: upload page (bureau)", city["bureau"], "/audit/"),
        ("bureau: first page", city["bureau"], "/audit/results/"),
        (
            "bureau: deep page (after the middle id)",
            city["bureau"],
            f"/audit/results/?after={middle}",
        ),
        ("bureau: level = error", city["bureau"], "/audit/results/?level=error"),
        ("bureau: one unit", city["bureau"], f"/audit/results/?unit={unit.pk}"),
        ("bureau: campaign", city["bureau"], f"/audit/results/?campaign={city['campaign'].pk}"),
        ("bureau: year 2023 + level", city["bureau"], "/audit/results/?year=2023&level=warning"),
        ("bureau: date range", city["bureau"], "/audit/results/?from=2026-01-01&to=2026-12-31"),
        ("bureau: search a unit name", city["bureau"], "/audit/results/?q=单位0007"),
        ("bureau: search matching nothing", city["bureau"], "/audit/results/?q=没有这个名字"),
        ("department: first page", city["department"], "/audit/results/"),
        ("department: deep page", city["department"], f"/audit/results/?after={middle}"),
    ]
    baseline = None
    print(f"{'case':44} {'median ms':>10} {'p90 ms':>8} {'queries':>8} {'÷ baseline':>11}")
    for label, user, url in cases:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200, url  # warm-up
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, url
        median = statistics.median(times)
        p90 = sorted(times)[max(0, int(len(times) * 0.9) - 1)]
        if baseline is None:
            baseline = median
        print(
            f"{label:44} {median:10.1f} {p90:8.1f} {len(queries.captured_queries):8d}"
            f" {median / baseline:11.2f}"
        )
    return 0


def existing() -> dict[str, Any]:
    from jixiao.campaigns.models import Campaign
    from jixiao.organisations.models import Organisation, OrganisationKind, User

    return {
        "bureau": User.objects.get(username="bureau"),
        "department": User.objects.get(username="dept7"),
        "units": list(Organisation.objects.filter(kind=OrganisationKind.UNIT).order_by("name")),
        "campaign": Campaign.objects.get(),
    }


def build(rows: int) -> dict[str, Any]:
    """The city and its audit results, in bulk (no services: the figures are the list's)."""
    import datetime as dt

    from django.utils import timezone

    from jixiao.audit.models import AuditedFile
    from jixiao.campaigns.models import Campaign
    from jixiao.evaluations.models import Evaluation, Status
    from jixiao.jobs.models import Job
    from jixiao.organisations.models import Organisation, OrganisationKind, Role, User

    rng = random.Random(13)
    bureau = Organisation.objects.create(kind=OrganisationKind.BUREAU, name="湛江市财政局")
    departments = Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.DEPARTMENT, name=f"部门{d:02d}", parent=bureau)
        for d in range(20)
    )
    units = Organisation.objects.bulk_create(
        Organisation(kind=OrganisationKind.UNIT, name=f"单位{u:04d}", parent=departments[u % 20])
        for u in range(1000)
    )
    bureau_user = User.objects.create(
        username="bureau", role=Role.BUREAU_REVIEWER, organisation=bureau
    )
    dept_users = User.objects.bulk_create(
        User(username=f"dept{d}", role=Role.DEPARTMENT_REVIEWER, organisation=department)
        for d, department in enumerate(departments)
    )
    campaign = Campaign.objects.create(
        bureau=bureau, year=2025, title="2025年度部门整体支出绩效自评",
        notice_title="通知", notice_number="湛财绩〔2026〕2号",
        ruleset_ref="gd-department@2025.1", deadline=timezone.now(),
    )  # fmt: skip
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(
            campaign=campaign,
            unit=unit,
            status=Status.SUBMITTED,
            data={},
            ruleset_ref="gd-department@2025.1",
        )
        for unit in units
    )
    requesters = [bureau_user, *dept_users]
    jobs = Job.objects.bulk_create(
        Job(
            kind="audit.upload",
            title=f"报告审查 {j}",
            requested_by=requesters[j % 21],
            organisation_id=requesters[j % 21].organisation_id,
            state="done",
        )
        for j in range(rows // 500 + 1)
    )
    start = timezone.now() - dt.timedelta(days=400)
    batch: list[AuditedFile] = []
    for i in range(rows):
        job = jobs[i // 500]
        level = LEVELS[rng.randrange(4)]
        linked = rng.random() < 0.4
        evaluation = evaluations[rng.randrange(len(evaluations))] if linked else None
        unit = evaluation.unit if evaluation else units[rng.randrange(len(units))]
        requester = bureau_user if linked else requesters[(i // 500) % 21]
        batch.append(
            AuditedFile(
                job=job,
                position=i % 500,
                name=f"{unit.name}2025年度自评报告{i}.docx",
                sha256=f"{i:064x}",
                status="audited" if level != "unreadable" else "unreadable",
                level=level,
                errors=2 if level == "error" else 0,
                warnings=1 if level in ("error", "warning") else 0,
                unit=unit.name,
                year=str(rng.choice((2023, 2024, 2025))),
                requested_by=requester,
                organisation_id=requester.organisation_id,
                evaluation=evaluation,
                campaign=campaign if linked else None,
                unit_organisation=unit,
                findings=[
                    {
                        "severity": "warning",
                        "code": "over_completion",
                        "message": "超额",
                        "quote": "158.08%" * 20,
                        "location": {"line": 3, "page": None},
                    }
                ],
                extracted={"values": {"unit_name": unit.name}, "fields": {}},
                audited_at=start + dt.timedelta(minutes=i * 10),
            )
        )
        if len(batch) == 5000:
            AuditedFile.objects.bulk_create(batch)
            batch = []
    AuditedFile.objects.bulk_create(batch)
    # created_at spread over the year as audited_at (auto_now_add set it to now)
    from django.db.models import F

    AuditedFile.objects.update(created_at=F("audited_at"))
    return {
        "bureau": bureau_user,
        "department": dept_users[7],
        "units": units,
        "campaign": campaign,
    }


if __name__ == "__main__":
    sys.exit(main())
