"""Benchmark: server time and query count of the main pages on the demo data.

Not a test. Builds a fresh SQLite database in a temporary folder, runs migrate and load_demo, then
requests each page N times per role through Django's test client (the whole middleware and template
stack, no network) and prints, per page: the median and 90th percentile in milliseconds, the number
of SQL queries, and the ratio of the median to the median of the login page measured in the same run
(the baseline: a page that touches no data, so a slow machine moves both figures alike).

    .venv/bin/python bench/web_pages.py [--runs 15]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (role's demo username, URL name, kwargs factory name or None)
PAGES = [
    (None, "login", None),
    (None, "portal:index", None),
    (None, "portal:detail", "publication"),
    ("unit_editor", "home", None),
    ("unit_editor", "evaluations:list", None),
    ("unit_editor", "evaluations:detail", "seed_evaluation"),
    ("dept_reviewer", "reviews:queue", None),
    ("bureau_reviewer", "reviews:samples", None),
    ("bureau_reviewer", "evaluations:list", None),
    ("bureau_reviewer", "campaigns:list", None),
    ("bureau_reviewer", "campaigns:detail", "campaign"),
    ("bureau_reviewer", "campaigns:overview", None),
    ("bureau_admin", "organisations:list", None),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--extra-units",
        type=int,
        default=500,
        help="synthetic units added to the demo city, each with a scored FY2025 evaluation",
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="jixiao-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["JIXIAO_MEDIA_ROOT"] = f"{tmp}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from jixiao.campaigns.models import Campaign
    from jixiao.evaluations.models import Evaluation
    from jixiao.organisations.models import User
    from jixiao.reviews.models import Publication

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    print(f"demo data loaded in {time.perf_counter() - started:.1f} s")
    if args.extra_units:
        add_units(args.extra_units)
    seed = Evaluation.objects.get(
        unit__name="湛江市职业技能鉴定指导中心", campaign__year=2025, campaign__kind="department"
    )
    kwargs_for = {
        "seed_evaluation": {"pk": seed.pk},
        "campaign": {"campaign_id": seed.campaign_id},
        "publication": {"publication_id": Publication.objects.get(evaluation=seed).pk},
    }
    print(f"{Evaluation.objects.count()} evaluations, {Campaign.objects.count()} campaigns\n")

    results = []
    for username, name, kwargs_key in PAGES:
        try:
            url = reverse(name, kwargs=kwargs_for[kwargs_key] if kwargs_key else None)
            if name == "campaigns:overview":  # the FY2025 department campaign, not the newest one
                url += f"?campaign={seed.campaign_id}"
        except NoReverseMatch:
            print(f"skip {name}: no such page")
            continue
        client = Client()
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                print(f"skip {name}: no demo user {username}")
                continue
            client.force_login(user)
        response = client.get(url)  # warm-up (template compilation, caches)
        if response.status_code != 200:
            print(f"skip {name}: HTTP {response.status_code}")
            continue
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        results.append(
            (
                username or "anonymous",
                name,
                statistics.median(timings),
                timings[int(0.9 * (len(timings) - 1))],
                len(queries.captured_queries),
            )
        )

    baseline = next(r[2] for r in results if r[1] == "login")
    print(f"{'role':<17}{'page':<24}{'median ms':>10}{'p90 ms':>9}{'queries':>9}{'× login':>9}")
    for role, name, median, p90, count in results:
        print(f"{role:<17}{name:<24}{median:>10.1f}{p90:>9.1f}{count:>9}{median / baseline:>9.1f}")
    return 0


def add_units(count: int) -> None:
    """``count`` more units under the demo's departments, each with a scored FY2025 evaluation in
    a mix of states, so list pages are measured at the size of a real city."""
    from jixiao.evaluations.models import Evaluation, Status
    from jixiao.evaluations.services import apply_score
    from jixiao.organisations.credit_code import check_character
    from jixiao.organisations.models import Organisation, OrganisationKind
    from jixiao.testing.factories import seed_evaluation_data

    seed = Evaluation.objects.select_related("campaign").get(
        unit__name="湛江市职业技能鉴定指导中心", campaign__year=2025, campaign__kind="department"
    )
    departments = list(Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT))
    units = []
    for n in range(count):
        first17 = f"12440899{n:09d}"
        units.append(
            Organisation(
                kind=OrganisationKind.UNIT,
                name=f"基准测试单位{n:04d}",
                credit_code=first17 + check_character(first17),
                parent=departments[n % len(departments)],
                unit_type="公益一类事业单位",
                staffing_quota=10,
                staff_actual=8,
            )
        )
    Organisation.objects.bulk_create(units)
    states = [Status.DRAFT, Status.SUBMITTED, Status.DEPARTMENT_APPROVED, Status.RETURNED]
    evaluations = []
    template = Evaluation(data=seed_evaluation_data(), ruleset_ref=seed.ruleset_ref)
    apply_score(template)
    for n, unit in enumerate(Organisation.objects.filter(name__startswith="基准测试单位")):
        evaluations.append(
            Evaluation(
                campaign=seed.campaign,
                unit=unit,
                status=states[n % len(states)],
                data=template.data,
                version=1,
                ruleset_ref=template.ruleset_ref,
                total=template.total,
                grade=template.grade,
                first_saved_at=seed.first_saved_at,
            )
        )
    Evaluation.objects.bulk_create(evaluations)
    print(f"added {count} units with scored evaluations")


if __name__ == "__main__":
    sys.exit(main())
