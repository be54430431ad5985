"""gunicorn's settings for jixiao in production: `make serve` (scripts/serve.sh) and
deploy/systemd/jixiao-web.service both start gunicorn with ``-c config/gunicorn.conf.py``.

Why these values (measured with bench/load.py; docs/decisions.md, "Serving: threaded gunicorn
workers", has the figures):

* **gthread workers.** A sync worker holds one request at a time, so a slow page (the city overview,
  a sign-in's argon2 hash: about a second each) makes every autosave queued behind it wait the whole
  second. A threaded worker runs several requests at once: an autosave that arrives during an
  overview shares the CPU with it instead of waiting for it to end. jixiao's request handling is
  thread-safe (Django's own, per-thread database connections, no module-level mutable state in
  the request path); argon2 releases the GIL while it hashes.
* **Workers from the cores this process may run on, threads per worker.** One process per core uses
  every core despite the GIL; the threads interleave the short requests with the long ones.
  ``WEB_CONCURRENCY`` and ``WEB_THREADS`` override both. Each thread keeps its own PostgreSQL
  connection (``CONN_MAX_AGE``): workers × threads connections, plus Celery's.
* **timeout 60 s** (``GUNICORN_TIMEOUT``): with gthread it is the worker's heartbeat, not a per-request
  limit — a worker whose main loop is stuck that long is killed and replaced. A request longer than
  a page should be is a background job (jixiao.jobs), and nginx gives up on it at 75 s.
* **max_requests 2000 (jitter 200)**: each worker is replaced after about 2,000 requests, so memory a
  large page leaves behind (Python does not give freed arenas back promptly) cannot pile up; the
  jitter keeps the workers from restarting together.
* **worker_tmp_dir /dev/shm**: the heartbeat file on tmpfs, so a slow disk cannot stall a worker
  into a timeout.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    number = int(value)  # a wrong value stops the start, with the variable's name in the traceback
    if number < 1:
        raise ValueError(f"{name} must be at least 1, not {value!r}")
    return number


def cores() -> int:
    """The cores this process may run on (a container's or cgroup's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", cores())
threads = _int("WEB_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
