"""Benchmark: the auditor's throughput on one core, per format, over the audit corpus.

Not a test. Generates the corpus (jixiao.audit.corpus, seeded) into a temporary folder, or uses
``--corpus DIR``, pins this process to one CPU and, for txt, docx and pdf in turn, runs side by side:

- baseline: read the file and scan its text with one plain regex for figures and percentages (for
  docx and pdf the text comes from the auditor's own reader, so the baseline is "read + regex");
- read: ``jixiao.audit.read_text`` alone;
- audit: ``jixiao.audit.audit_file`` (read, normalise, extract, check).

Each pass goes over every file of the format; the three take turns in each of ``--runs`` rounds
(after one warm-up round), so load from other processes hits them alike. It prints the
median reports per second of each, the ratio of their times audit ÷ baseline (how many times
slower the full audit is than a bare scan), and the peak memory: the process's maximum RSS and the largest tracemalloc
peak of auditing one file. Goal: ≥ 200 txt reports per second.

Then the scaling check (#9.3): the same repetitive text at 1, 2 and 4 MB (the seed report
repeated, and one paragraph of completion claims without a sentence end), audited once each; it
prints the seconds and the 1→2→4 MB ratios. Linear work gives about 2 and 2; a quadratic part 4.

    .venv/bin/python bench/audit_throughput.py [--runs 5] [--corpus DIR] [--formats txt,docx,pdf]
    .venv/bin/python bench/audit_throughput.py --scaling-only
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURE = re.compile(r"\d+(?:\.\d+)?\s*[%％]?")
FORMATS = ("txt", "docx", "pdf")
TXT_GOAL = 200


def _pin_to_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"CPU {cpu}"
    except (AttributeError, OSError):
        return "未固定 CPU"


def _rates(
    files: list[Path], works: dict[str, Callable[[Path], object]], runs: int
) -> dict[str, float]:
    """Median reports per second of each work over ``runs`` rounds (after one warm-up round).

    The works take turns inside each round (baseline, read, audit, baseline, …), so a burst of
    load from another process slows all of them alike instead of skewing one and the ratio.
    """
    for work in works.values():
        for path in files:
            work(path)
    rates: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(runs):
        for name, work in works.items():
            started = time.perf_counter()
            for path in files:
                work(path)
            rates[name].append(len(files) / (time.perf_counter() - started))
    return {name: statistics.median(values) for name, values in rates.items()}


def _peak_alloc(files: list[Path], work: Callable[[Path], object]) -> int:
    """The largest tracemalloc peak of one file's audit, in bytes."""
    peak = 0
    for path in files:
        tracemalloc.start()
        work(path)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return peak


SCALING_UNITS = {
    "种子报告重复": None,  # the seed report
    "一段完成率": "新增取得证书18969人次，完成年度目标的158.08%，\n",
}
SCALING_GOAL = 2.6  # per doubling; quadratic work gives 4


def _scaling() -> None:
    from jixiao.audit import audit_text
    from jixiao.audit.corpus.bases import seed_text

    seed = seed_text()
    audit_text(seed)  # imports and rule-set caches out of the way
    print("规模检查：同一重复文本 1 / 2 / 4 MB，各审查一次（CPU 秒）")
    for label, unit in SCALING_UNITS.items():
        unit = unit or seed
        seconds = []
        for megabytes in (1, 2, 4):
            size = megabytes * 2**20
            text = unit * (size // len(unit.encode("utf-8")) + 1)
            started = time.process_time()
            audit_text(text)
            seconds.append(time.process_time() - started)
        ratios = [seconds[1] / seconds[0], seconds[2] / seconds[1]]
        verdict = "线性" if max(ratios) < SCALING_GOAL else "超线性"
        print(f"  {label:<8} " + " / ".join(f"{s:.2f}" for s in seconds)
              + f" 秒；1→2→4 MB 倍数 {ratios[0]:.2f} → {ratios[1]:.2f}（{verdict}）")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--corpus", type=Path, help="an existing corpus (python -m jixiao.audit.corpus DIR)"
    )
    parser.add_argument("--formats", default=",".join(FORMATS), help="e.g. txt or txt,docx")
    parser.add_argument("--scaling-only", action="store_true", help="only the 1/2/4 MB check")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if args.scaling_only:
        print(f"单核（{_pin_to_one_core()}）")
        _scaling()
        return 0

    from jixiao.audit import audit_file, read_text

    pinned = _pin_to_one_core()
    with tempfile.TemporaryDirectory() as tmp:
        corpus_dir = args.corpus
        if corpus_dir is None:
            corpus_dir = Path(tmp)
            started = time.perf_counter()
            # in a child process, so WeasyPrint's fonts do not count in this process's memory
            subprocess.run(
                [sys.executable, "-m", "jixiao.audit.corpus", str(corpus_dir)],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            print(f"语料已生成（{time.perf_counter() - started:.1f} 秒）：{corpus_dir}")
        print(f"单核（{pinned}），每项 {args.runs} 轮取中位数（先预热一轮）")
        print(f"{'格式':<6}{'份数':>6}{'基线 份/秒':>14}{'只读取 份/秒':>16}{'审查 份/秒':>14}"
              f"{'耗时 审查÷基线':>12}{'单份峰值内存':>16}")  # fmt: skip
        for fmt in [f for f in FORMATS if f in args.formats.split(",")]:
            files = sorted((corpus_dir / fmt).glob(f"*.{fmt}"))
            if not files:
                continue

            def baseline(path: Path, fmt: str = fmt) -> object:
                if fmt == "txt":
                    text = path.read_bytes().decode("utf-8", errors="replace")
                else:
                    text = read_text(path).text
                return FIGURE.findall(text)

            rates = _rates(
                files,
                {"baseline": baseline, "read": lambda p: read_text(p), "audit": audit_file},
                args.runs,
            )
            base, read, audit = rates["baseline"], rates["read"], rates["audit"]
            peak = _peak_alloc(files, audit_file)
            print(f"{fmt:<6}{len(files):>6}{base:>16.1f}{read:>18.1f}{audit:>16.1f}"
                  f"{base / audit:>14.2f}{peak / 2**20:>14.1f} MiB")  # fmt: skip
            if fmt == "txt":
                verdict = "达到" if audit >= TXT_GOAL else "未达到"
                print(f"       txt 目标 ≥ {TXT_GOAL} 份/秒：{verdict}")
    _scaling()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"进程最大常驻内存（RSS）：{rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
