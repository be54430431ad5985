"""`python -m jixiao.audit.corpus OUTDIR`: write the audit corpus and its manifest."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from jixiao.audit.corpus.generate import DEFAULT_SEED, FORMATS, generate_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jixiao.audit.corpus", description="生成审查语料（带已知缺陷的自评报告）"
    )
    parser.add_argument("outdir", type=Path, help="输出目录（不存在则创建）")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
    parser.add_argument(
        "--formats", default=",".join(FORMATS), help="逗号分隔：txt、docx、pdf（默认全部）"
    )
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        print(f"错误：--formats 未知的格式：{'、'.join(unknown) or args.formats}", file=sys.stderr)
        return 2
    try:
        corpus = generate_corpus(args.outdir, seed=args.seed, formats=formats)
    except OSError as exc:
        print(f"错误：无法写入 {args.outdir}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    counts = Counter(case.format for case in corpus.cases)
    summary = "，".join(f"{fmt} {counts[fmt]} 份" for fmt in FORMATS if counts[fmt])
    print(f"已写入 {args.outdir}：{summary}，清单 manifest.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
