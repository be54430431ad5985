"""Per-file budget of the report auditor (审查预算): time, pages, decompressed bytes, memory.

A hostile file can be small and still cost minutes: 34 KB of pdf whose pages share one huge
Flate stream, a zip bomb, a text file that is one paragraph of a million claims. Every file gets
the same budget; a file over it is reported as "太大或太复杂，未审查（reason）", never audited
half-way. How each part is enforced:

- pages and decompressed bytes: by the readers, before the expensive work (jixiao.audit.readers);
- time and memory of uploads (the web pages): by the operating system, in a child process with
  ``resource.setrlimit`` on CPU time and address space, and a wall-clock timeout
  (jixiao.audit.isolated);
- time and memory on the command line (``jixiao audit``): in the process itself, by
  ``enforced(budget)`` — a CPU-time timer and an address-space limit around each file.

Pure Python (no Django): the command line and the child process use it.
"""

from __future__ import annotations

import contextlib
import resource
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

TOO_COMPLEX = "太大或太复杂，未审查"
MiB = 1024 * 1024


@dataclass(frozen=True)
class AuditBudget:
    """What one file may cost. The defaults pass every real report we have seen many times over
    (the seed pdf: 4 pages, 40 ms, 30 KB of page content) and stop every hostile file we built."""

    cpu_seconds: int = 30
    wall_seconds: int = 120  # CPU time plus waiting: a loaded server still ends the file
    pages: int = 200
    # docx: all zip members together; pdf: the page contents each page makes the reader parse
    # (a stream shared by 200 pages counts 200 times: pypdf parses it for every page)
    decompressed_bytes: int = 64 * MiB
    memory_bytes: int = 1024 * MiB  # address space of the auditing process (or added to it)

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuditBudget:
        return cls(**{key: int(data[key]) for key in cls.__dataclass_fields__ if key in data})


DEFAULT_BUDGET = AuditBudget()


def too_complex_reason(detail: str) -> str:
    """The sentence a user reads: 太大或太复杂，未审查（…）."""
    return f"{TOO_COMPLEX}（{detail}）"


def time_reason(budget: AuditBudget) -> str:
    return too_complex_reason(f"审查用时超过 {budget.cpu_seconds} 秒")


def wall_reason(budget: AuditBudget) -> str:
    return too_complex_reason(f"审查等待超过 {budget.wall_seconds} 秒")


def memory_reason(budget: AuditBudget) -> str:
    return too_complex_reason(f"审查所需内存超过 {budget.memory_bytes // MiB} MB")


class OutOfTime(BaseException):
    """Raised by the CPU-time timer. A BaseException, so that no ``except Exception`` in a reader
    library (pypdf skips pages that raise) swallows it and keeps going."""


@contextlib.contextmanager
def enforced(budget: AuditBudget = DEFAULT_BUDGET) -> Iterator[None]:
    """Limit the work inside to ``budget``'s CPU time and (added) memory, in this process.

    Raises ``OutOfTime`` when the CPU time is spent and lets ``MemoryError`` through when the
    address space is; callers turn both into a too-complex result. Only the main thread can
    receive the timer's signal: elsewhere the time limit is left to the caller (a child process).
    """
    with _cpu_timer(budget.cpu_seconds), _address_space(budget.memory_bytes):
        yield


@contextlib.contextmanager
def _cpu_timer(seconds: int) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    expired = False

    def expire(signum: int, frame: object) -> None:
        nonlocal expired
        expired = True
        raise OutOfTime

    # Python runs the handler between any two bytecodes, also inside a finalizer or a gc callback,
    # where it ignores the exception (seen: hypothesis's gc callback in the test suite). So the
    # timer goes on firing every 0.1 s of CPU until the work stops, and a budget that ran out is
    # reported even if every exception was swallowed.
    # And the CPU time is read at the end as well: a full SQLite run once finished the work
    # without the block raising although it ran past its budget — the signal's effect was lost
    # somewhere — so the clock, not only the signal, says whether the budget ran out.
    started = time.process_time()
    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
    if expired or time.process_time() - started >= seconds:
        raise OutOfTime


def _current_address_space() -> int:
    """This process's virtual memory size in bytes (Linux), 0 when unknown."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * resource.getpagesize()


@contextlib.contextmanager
def _address_space(extra: int) -> Iterator[None]:
    """Lower the soft address-space limit to what the process uses now plus ``extra``; restore
    it afterwards (only the soft limit moves, so it can be raised again)."""
    current = _current_address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = current + extra
    if not current or (hard != resource.RLIM_INFINITY and wanted > hard):
        yield
        return
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        yield  # already tighter
        return
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def limit_this_process(budget: AuditBudget) -> None:
    """For a child that audits one file and exits: hard limits the kernel enforces. CPU time over
    the soft limit sends SIGXCPU (which ends the process), one second later SIGKILL."""
    resource.setrlimit(resource.RLIMIT_CPU, (budget.cpu_seconds, budget.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (budget.memory_bytes, budget.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
