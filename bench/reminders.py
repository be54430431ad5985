"""Benchmark: the daily deadline reminder job for 50,000 people on PostgreSQL, with a worker killed
mid-run, and a check that nobody gets a reminder twice.

Not a test. Creates a fresh database ``<name>_bench`` beside the one DATABASE_URL names (PostgreSQL;
dropped at the end), migrates it, and adds one bureau, 20 departments, N/5 units with a 填报人 and
four more people each (N people in all, every one with a mail address) and an open task due in
2½ days. Then, on a fake clock:

1. the reminder job stores the notifications and deliveries (``remind_deadlines(send=False)``);
2. W sender workers (threads, each with its own connection) send them through an in-memory mail
   backend; one worker "dies" (an exception nothing catches) after K messages;
3. after the dead worker's lease, a rerun sends the rest;
4. the whole job runs again and must add and send nothing.

It prints the time and rate of each phase and checks that every person got exactly one mail.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jixiao .venv/bin/python bench/reminders.py \
        [--people 50000] [--workers 2] [--kill-after 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

SENT: list[str] = []
_LOCK = threading.Lock()
DIE_AFTER: dict[str, int] = {}  # thread name → messages after which that worker dies


class WorkerDied(BaseException):
    """A killed worker: raised past every ``except Exception`` in the sender."""


class CountingBackend:
    """An email backend that records each recipient (the SMTP conversation is not measured)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.sent_here = 0

    def open(self) -> bool:
        return True

    def close(self) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        name = threading.current_thread().name
        for message in messages:
            limit = DIE_AFTER.get(name)
            if limit is not None and _count(name) >= limit:
                raise WorkerDied
            with _LOCK:
                SENT.append(message.to[0])
                PER_WORKER[name] += 1
        return len(messages)


PER_WORKER: Counter[str] = Counter()


def _count(name: str) -> int:
    with _LOCK:
        return PER_WORKER[name]


def _setup_database(url: str) -> str:
    import psycopg

    base, name = url.rsplit("/", 1)
    bench_name = f"{name.split('?')[0]}_bench"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
        conn.execute(f'CREATE DATABASE "{bench_name}"')
    return f"{base}/{bench_name}"


def _drop_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seed(people: int, deadline: Any) -> None:
    from jixiao.campaigns.models import Campaign
    from jixiao.evaluations.models import Evaluation
    from jixiao.organisations.models import Organisation, Role, User

    bureau = Organisation.objects.create(kind="bureau", name="基准市财政局")
    departments = Organisation.objects.bulk_create(
        [Organisation(kind="department", name=f"基准部门{d}", parent=bureau) for d in range(20)]
    )
    per_unit = 5
    units = Organisation.objects.bulk_create(
        [
            Organisation(kind="unit", name=f"基准单位{u}", parent=departments[u % 20])
            for u in range(people // per_unit)
        ],
        batch_size=2000,
    )
    users = [
        User(
            username=f"u{u.pk}-{n}",
            password="!",  # unusable: no hashing for 50,000 accounts
            email=f"u{u.pk}-{n}@bench.invalid",
            role=Role.UNIT_HEAD if n == 0 else Role.UNIT_EDITOR,
            organisation=u,
        )
        for u in units
        for n in range(per_unit)
    ]
    User.objects.bulk_create(users, batch_size=5000)
    campaign = Campaign.objects.create(
        bureau=bureau,
        year=2025,
        title="基准自评",
        notice_title="基准通知",
        notice_number="基准〔2026〕1号",
        ruleset_ref="gd-department@2025.1",
        deadline=deadline,
    )
    Evaluation.objects.bulk_create(
        [Evaluation(campaign=campaign, unit=u, ruleset_ref=campaign.ruleset_ref) for u in units],
        batch_size=5000,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kill-after", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print(
            "DATABASE_URL must name a PostgreSQL database (a fresh <name>_bench is made beside it)"
        )
        return 2
    bench_url = _setup_database(url)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["JIXIAO_JOBS_RUNNER"] = "sync"
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    try:
        call_command("migrate", verbosity=0)
        now = timezone.now().replace(microsecond=0)
        deadline = now + dt.timedelta(days=2, hours=12)
        t0 = time.perf_counter()
        _seed(args.people, deadline)
        print(f"seed: {args.people} people in {time.perf_counter() - t0:.1f} s")

        from jixiao.notifications.models import Delivery, Notification
        from jixiao.notifications.reminders import remind_deadlines
        from jixiao.notifications.services import LEASE, deliver_due

        # 1. the job stores what it will send
        t0 = time.perf_counter()
        run = remind_deadlines(now=now, send=False)
        store = time.perf_counter() - t0
        notifications = Notification.objects.count()
        deliveries = Delivery.objects.count()
        print(
            f"store: {run.tasks} tasks, {notifications} notifications + {deliveries} deliveries "
            f"in {store:.1f} s ({notifications / store:,.0f} people/s)"
        )

        # 2. W workers send; the first dies after --kill-after messages
        def worker() -> None:
            try:
                deliver_due(now=now)
            except WorkerDied:
                pass
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, name=f"worker-{n}") for n in range(args.workers)]
        DIE_AFTER[threads[0].name] = args.kill_after
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        first = time.perf_counter() - t0
        sent_first = len(SENT)
        print(
            f"send with {args.workers} workers, worker-0 killed after {args.kill_after}: "
            f"{sent_first} sent in {first:.1f} s ({sent_first / first:,.0f} mails/s); "
            f"per worker {dict(PER_WORKER)}"
        )
        pending = Delivery.objects.filter(state="pending").count()
        print(f"left pending (held by the dead worker's lease, or unsent): {pending}")

        # 3. after the lease, a rerun of the job sends the rest
        t0 = time.perf_counter()
        rerun = remind_deadlines(now=now + LEASE + dt.timedelta(minutes=1))
        third = time.perf_counter() - t0
        print(f"rerun after the lease: {rerun.sent} sent in {third:.1f} s")

        # 4. the job again: nothing new
        again = remind_deadlines(now=now + LEASE + dt.timedelta(minutes=2))
        print(f"job run again: {again.sent} sent, {Notification.objects.count()} notifications")

        counts = Counter(SENT)
        twice = [a for a, n in counts.items() if n > 1]
        missing = args.people - len(counts)
        ok = not twice and missing == 0 and Notification.objects.count() == args.people
        print(
            f"check: {len(SENT)} mails to {len(counts)} people; sent twice: {len(twice)}; "
            f"missing: {missing} -> {'OK' if ok else 'FAILED'}"
        )
        total = store + first + third
        print(
            f"total: {args.people} reminders stored and sent in {total:.1f} s ({args.people / total:,.0f}/s)"
        )
        _compare_title_storage(min(args.people, 5000))
        return 0 if ok else 1
    finally:
        connection.close()
        if not args.keep:
            _drop_database(bench_url)


def _compare_title_storage(people: int) -> None:
    """The cost of storing titles with their catalogue template (log_text, so each reader sees
    them in their language) against plain titles: the same ``people`` notifications stored twice
    each way, alternately, in this process; the best of each is compared."""
    from jixiao.activity.texts import log_text
    from jixiao.notifications.services import Message, store_messages
    from jixiao.organisations.models import User

    ids = list(User.objects.order_by("pk").values_list("pk", flat=True)[:people])
    best: dict[str, float] = {}
    for round_ in range(2):
        for way in ("plain", "template"):
            messages = [
                Message(
                    recipient_id=uid,
                    kind="deadline_3",
                    key=f"bench-{way}-{round_}:{uid}",
                    title=(
                        log_text("{name}：距报送截止不足 {days} 天（{deadline}）", name="某单位",
                                 days=3, deadline="2026-12-20 17:00")
                        if way == "template"
                        else "某单位：距报送截止不足 3 天（2026-12-20 17:00）"
                    ),
                )
                for uid in ids
            ]  # fmt: skip
            t0 = time.perf_counter()
            store_messages(messages, dispatch=False)
            best[way] = min(best.get(way, float("inf")), time.perf_counter() - t0)
    print(
        f"titles with their template: {len(ids)} notifications + deliveries stored in "
        f"{best['template']:.2f} s, plain titles {best['plain']:.2f} s "
        f"(ratio {best['template'] / best['plain']:.2f})"
    )


if __name__ == "__main__":
    sys.exit(main())
