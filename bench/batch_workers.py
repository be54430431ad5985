"""Benchmark: one 批量生成 batch of N units (synthetic, default 1,000) with 1 and then 2 Celery
workers, on PostgreSQL and Redis on loopback. Prints each run's wall time and the ratio (goal: 2
workers ≥ 1.8× one; the job's parts — per department, at most JIXIAO_BATCH_PART_UNITS units — are
shared by the workers through helper tasks, see jixiao/jobs/parts.py).

Not a test. Recreates the database ``--database`` (default jixiao_bench_batch) on 127.0.0.1:5432,
loads the demo and adds the synthetic units (bench/web_pages.py's add_units), then for each worker
count starts that many real worker processes (``celery worker -P solo``), queues the batch, waits for
the job to end and stops the workers. Redis database ``--redis-db`` is flushed before each run.

    .venv/bin/python bench/batch_workers.py [--units 1000] [--formats docx,xlsx]

On a 2-core machine two workers can at best be 2×, and less when anything else runs: the figure is
the machine's as much as the code's. Say what the machine was doing beside it.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--formats", default="docx,xlsx")
    parser.add_argument("--database", default="jixiao_bench_batch")
    parser.add_argument("--redis-db", type=int, default=7)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, in order")
    parser.add_argument(
        "--reuse", action="store_true", help="the database as an earlier run built it"
    )
    args = parser.parse_args()

    import psycopg

    if not args.reuse:
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            pg.execute(f'CREATE DATABASE "{args.database}"')
    media = tempfile.mkdtemp(prefix="jixiao-bench-batch-")
    broker = f"redis://127.0.0.1:6379/{args.redis_db}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "CELERY_BROKER_URL": broker,
        "DJANGO_DEBUG": "true",
        "JIXIAO_MEDIA_ROOT": media,
        "JIXIAO_JOBS_RUNNER": "celery",
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.core.management import call_command
    from web_pages import add_units  # type: ignore[import-not-found]

    from jixiao.documents.batch import request_packages
    from jixiao.evaluations.models import Evaluation
    from jixiao.jobs.models import Job, JobPart
    from jixiao.organisations.models import User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not args.reuse:
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        add_units(args.units)
    # Jobs of an earlier, interrupted run must not be picked up by these workers.
    Job.objects.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING]).delete()
    print(f"database ready in {time.perf_counter() - started:.0f} s")
    user = User.objects.get(username="bureau_admin")
    ids = list(
        Evaluation.objects.filter(unit__name__startswith="基准测试单位").values_list(
            "pk", flat=True
        )
    )
    print(
        f"{len(ids)} units, formats {args.formats}, parts of at most "
        f"{settings.JIXIAO_BATCH_PART_UNITS} units, fan-out {settings.JIXIAO_JOBS_FANOUT}, "
        f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.1f}"
    )
    celery = str(Path(sys.executable).with_name("celery"))
    timings: dict[int, float] = {}
    for count in [int(n) for n in args.workers.split(",")]:
        redis.Redis.from_url(broker).flushdb()
        workers = [
            subprocess.Popen(
                [
                    celery,
                    "-A",
                    "config",
                    "worker",
                    "-P",
                    "solo",
                    "-n",
                    f"bench{n}@%h",
                    "--without-mingle",
                    "--without-gossip",
                    "-l",
                    "WARNING",
                ],
                env=env,
                cwd=ROOT,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for n in range(count)
        ]
        try:
            # The clock starts when every worker answers a ping (booted, Django set up): on a
            # busy machine a fixed wait was too short and the boot was timed as if it were the job.
            booted = wait_for_workers({f"bench{n}@{socket.gethostname()}" for n in range(count)})
            print(f"  {count} worker(s) answering after {booted:.0f} s")
            t0 = time.perf_counter()
            job = request_packages(
                user=user, evaluation_ids=ids, title=f"基准{count}", formats=args.formats
            )
            samples: list[tuple[float, int, int]] = []  # (seconds, parts running, parts done)
            while True:
                job.refresh_from_db()
                states = list(JobPart.objects.filter(job=job).values_list("state", flat=True))
                samples.append(
                    (
                        time.perf_counter() - t0,
                        states.count(JobPart.State.RUNNING),
                        states.count(JobPart.State.DONE),
                    )
                )
                if job.finished:
                    break
                time.sleep(0.25)
            timings[count] = time.perf_counter() - t0
        finally:
            for worker in workers:
                os.killpg(worker.pid, signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=60)
        print(
            f"{count} worker(s): {timings[count]:.1f} s, {job.state} "
            f"{job.done_count}/{job.total} ({job.failed_count} failed), "
            f"{timings[count] / max(1, job.total) * 1000:.0f} ms per unit; "
            f"parts {job.parts.count()}"
        )
        print("  " + timeline(samples, count))
        Job.objects.filter(pk=job.pk).delete()
    if 1 in timings and 2 in timings:
        print(f"ratio 2 workers vs 1: {timings[1] / timings[2]:.2f}× (goal ≥ 1.8×)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    shutil.rmtree(media, ignore_errors=True)
    redis.Redis.from_url(broker).flushdb()
    return 0


def wait_for_workers(names: set[str], limit: float = 180.0) -> float:
    """Seconds until every named Celery worker answers a ping (at most ``limit``, then 8 more
    seconds' grace, as before this check)."""
    from config.celery import app

    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        answered = {name for reply in app.control.ping(timeout=1.0) for name in reply}
        if names <= answered:
            return time.perf_counter() - started
    time.sleep(8)
    return time.perf_counter() - started


def timeline(samples: list[tuple[float, int, int]], workers: int) -> str:
    """Where the wall time went, from the parts' states sampled every quarter second: before the
    first part ran (queueing, planning), with every worker on a part, with fewer (the tail: some
    workers idle, the serial part), and after the last part was done (assembling the ZIP)."""
    if len(samples) < 2:
        return "too short to sample"
    spans = {"before": 0.0, "all": 0.0, "fewer": 0.0, "after": 0.0}
    started = False
    total = max(done for _t, _r, done in samples)
    for (t, running, done), (t_next, _r, _d) in itertools.pairwise(samples):
        step = t_next - t
        started = started or running > 0 or done > 0
        if not started:
            spans["before"] += step
        elif done == total and running == 0:
            spans["after"] += step
        elif running >= workers:
            spans["all"] += step
        else:
            spans["fewer"] += step
    return (
        f"before the first part {spans['before']:.1f} s; {workers} part(s) at once "
        f"{spans['all']:.1f} s; fewer than {workers} {spans['fewer']:.1f} s; "
        f"assembling after the last part {spans['after']:.1f} s"
    )


if __name__ == "__main__":
    sys.exit(main())
