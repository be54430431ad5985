"""Benchmark: the seed's report package (docx + xlsx + pdf) against LibreOffice converting the docx.

Not a test. Runs side by side in one run and prints medians, the ratio and peak memory:

- ours, warm: N packages built in one process (the web app's and a worker's case), after one
  warm-up; peak RSS of that process;
- ours, cold: one fresh process per package (`jixiao report`'s case, Python and Django start-up
  included);
- ours without HarfBuzz subsetting: WeasyPrint falls back to fontTools for font subsetting
  (we switch it off inside a worker by clearing weasyprint.pdf.fonts.harfbuzz_subset);
- LibreOffice: `soffice --headless --convert-to pdf` of the same docx, one process per file (its
  usual use), after one warm-up run that creates its profile. Needs Debian's
  libreoffice-writer-nogui; without it only our figures are printed.

Peak memory is the maximum resident set size of each child process (wait4 rusage).

    .venv/bin/python bench/report_package.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "zhanjiang-skills-center-2025.yaml"
FORMATS = ("docx", "xlsx", "pdf")


def _load_seed():  # type: ignore[no-untyped-def]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from scoring import find_ruleset, load_evaluation, score_evaluation

    evaluation = load_evaluation(SEED)
    ruleset = find_ruleset(evaluation.ruleset)
    return evaluation, ruleset, score_evaluation


def worker(runs: int, no_hb_subset: bool, warmup: bool) -> None:
    """Build the package ``runs`` times in this process; print the timings as JSON."""
    started = time.perf_counter()
    evaluation, ruleset, score = _load_seed()
    if no_hb_subset:
        import weasyprint.pdf.fonts

        weasyprint.pdf.fonts.harfbuzz_subset = None  # type: ignore[attr-defined]
    from jixiao.documents.package import render_package

    def one() -> float:
        t0 = time.perf_counter()
        result = score(evaluation, ruleset)
        files = render_package(evaluation, result, FORMATS, ruleset=ruleset)
        assert set(files) == {"自评报告.docx", "自评报告.pdf", "数据表.xlsx", "评分表.xlsx"}
        return time.perf_counter() - t0

    first = one() if warmup else None
    times = [one() for _ in range(runs)]
    print(json.dumps({"times": times, "first": first, "wall": time.perf_counter() - started}))


def _run_child(args: list[str], cwd: Path | None = None) -> tuple[float, int, str]:
    """Run a child; return (wall seconds, peak RSS in KiB, stdout)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        out.seek(0)
        text = out.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{args[0]} failed with exit code {process.returncode}")
    return wall, usage.ru_maxrss, text


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.0f} ms"


def _mib(kib: int) -> str:
    return f"{kib / 1024:6.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-hb-subset", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-warmup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.runs, args.no_hb_subset, warmup=not args.no_warmup)
        return

    me = [sys.executable, str(Path(__file__).resolve())]
    runs = args.runs
    print(f"报告包基准（seed: {SEED.name}; docx + xlsx×2 + pdf），每项 {runs} 次，取中位数\n")

    _, warm_rss, out = _run_child([*me, "--worker", "--runs", str(runs)])
    warm = json.loads(out)
    ours = statistics.median(warm["times"])
    print(f"ours, warm (in-process)        median {_ms(ours)}   peak RSS {_mib(warm_rss)}")

    cold_walls, cold_rss = [], 0
    for _ in range(runs):
        wall, rss, _ = _run_child([*me, "--worker", "--runs", "1", "--no-warmup"])
        cold_walls.append(wall)
        cold_rss = max(cold_rss, rss)
    ours_cold = statistics.median(cold_walls)
    print(f"ours, cold (fresh process)     median {_ms(ours_cold)}   peak RSS {_mib(cold_rss)}")

    _, fallback_rss, out = _run_child([*me, "--worker", "--runs", str(runs), "--no-hb-subset"])
    fallback = statistics.median(json.loads(out)["times"])
    print(
        f"ours, fontTools subsetting     median {_ms(fallback)}   peak RSS {_mib(fallback_rss)}"
        f"   (HarfBuzz subsetting is {fallback / ours:.1f}× faster)"
    )

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("\nLibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
        return
    sys.path.insert(0, str(ROOT))
    evaluation, ruleset, score = _load_seed()
    from jixiao.documents.package import render_document

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        source = tmp / "report.docx"
        source.write_bytes(render_document(evaluation, score(evaluation, ruleset), "docx"))
        command = [
            soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(tmp / "out"), str(source),
        ]  # fmt: skip
        _run_child(command)  # warm-up: creates the profile
        lo_walls, lo_rss = [], 0
        for _ in range(runs):
            wall, rss, _ = _run_child(command)
            lo_walls.append(wall)
            lo_rss = max(lo_rss, rss)
            assert (tmp / "out" / "report.pdf").exists()
    lo = statistics.median(lo_walls)
    print(f"LibreOffice docx → pdf         median {_ms(lo)}   peak RSS {_mib(lo_rss)}")
    print(
        f"\nratio LibreOffice / ours: warm {lo / ours:.1f}×, cold {lo / ours_cold:.1f}× "
        f"(goal ≥ 3×; ours also writes the docx and both xlsx)"
    )


if __name__ == "__main__":
    main()
