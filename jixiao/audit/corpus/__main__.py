"""`python -m jixiao.audit.corpus [OUTDIR] [--measure] | --real`: write the audit corpus; measure the auditor.

With ``--measure`` the auditor is run on every file and the figures are printed (field accuracy,
recall per defect class, precision per finding code, false alarms); OUTDIR may then be left out
(a temporary folder is used), or name an existing corpus to measure it again without rewriting it.
With ``--real`` the hand-annotated real reports (``corpus/real.py``) are audited instead.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from jixiao.audit.corpus.generate import (
    DEFAULT_SEED,
    FORMATS,
    MANIFEST_NAME,
    generate_corpus,
    load_manifest,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jixiao.audit.corpus", description="生成审查语料（带已知缺陷的自评报告）"
    )
    parser.add_argument(
        "outdir", type=Path, nargs="?", help="输出目录（不存在则创建；--measure 时可省略）"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
    parser.add_argument(
        "--formats", default=",".join(FORMATS), help="逗号分隔：txt、docx、pdf（默认全部）"
    )
    parser.add_argument(
        "--measure", action="store_true", help="审查每份语料，打印提取准确率与检出率、精确率"
    )
    parser.add_argument(
        "--real",
        action="store_true",
        help="审查真实报告语料（jixiao/audit/corpus/real），打印每份与合计的字段对错与问题检出",
    )
    parser.add_argument(
        "--mutate",
        action="store_true",
        help="--real 时改为审查变动后的真实报告：版式变动（事实不变）与植入缺陷",
    )
    parser.add_argument("--verbose", action="store_true", help="--real 时也列出未读出的字段")
    parser.add_argument("--only", default="", help="--real 时只审查名称含此文字的报告")
    parser.add_argument(
        "--batch",
        type=int,
        default=None,
        help="--real 时只审查留出批次（heldout_batch）为此数的报告",
    )
    parser.add_argument(
        "--light", action="store_true", help="只为部分变体生成 pdf（与测试相同，约快一半）"
    )
    args = parser.parse_args(argv)
    if args.real:
        from jixiao.audit.corpus.real import load_real_corpus, real_text, run_real

        cases = [
            c
            for c in load_real_corpus()
            if args.only in c.name and (args.batch is None or c.heldout_batch == args.batch)
        ]
        if not cases:
            wanted = f"名称含“{args.only}”" + (f"、留出批次为 {args.batch} " if args.batch else "")
            print(f"错误：没有{wanted}的真实报告", file=sys.stderr)
            return 2
        if args.mutate:
            from jixiao.audit.corpus.mutate import mutated_text, run_mutated

            started = time.perf_counter()
            run = run_mutated(cases, seed=args.seed)
            seconds = time.perf_counter() - started
            print(mutated_text(run, verbose=args.verbose))
            print(f"变动 {len(cases)} 份真实报告，用时 {seconds:.1f} 秒（种子 {args.seed}）")
            return 0
        run_real(cases[:1])  # warm up: rule-set loading and regex compilation are paid once
        started = time.perf_counter()
        results = run_real(cases)
        seconds = time.perf_counter() - started
        print(real_text(results, verbose=args.verbose))
        print(
            f"审查 {len(cases)} 份用时 {seconds:.2f} 秒（每份 {1000 * seconds / max(len(cases), 1):.1f} 毫秒）"
        )
        return 0
    if args.outdir is None and not args.measure:
        parser.error("须指定输出目录，或用 --measure")
    if args.outdir is None:
        with tempfile.TemporaryDirectory() as tmp:
            return _run(args, Path(tmp))
    return _run(args, args.outdir)


def _run(args: argparse.Namespace, outdir: Path) -> int:
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        print(f"错误：--formats 未知的格式：{'、'.join(unknown) or args.formats}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    if args.measure and (outdir / MANIFEST_NAME).is_file():
        corpus = load_manifest(outdir)
        print(f"使用已有语料 {outdir}")
    else:
        try:
            corpus = generate_corpus(
                outdir, seed=args.seed, formats=formats, every_pdf=not args.light
            )
        except OSError as exc:
            print(f"错误：无法写入 {outdir}：{exc.strerror or exc}", file=sys.stderr)
            return 2
        counts = Counter(case.format for case in corpus.cases)
        summary = "，".join(f"{fmt} {counts[fmt]} 份" for fmt in FORMATS if counts[fmt])
        seconds = time.perf_counter() - started
        print(f"已写入 {outdir}：{summary}，清单 manifest.json（{seconds:.0f} 秒）")
    if args.measure:
        from jixiao.audit.corpus.measure import audit_corpus, report_text
        from jixiao.audit.corpus.wild import run_wild, wild_text

        print(report_text(audit_corpus(corpus)))
        print(wild_text(run_wild()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
