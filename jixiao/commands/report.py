"""`jixiao report FILE -o DIR [--format docx,pdf,xlsx,txt]`: write the report package.

Reads the self-evaluation (YAML or a data-table workbook, scoring.loading.load_scorable) and
scores it with its rule-set, then writes 自评报告.docx/.pdf/.txt, 数据表.xlsx and
评分表.xlsx (xlsx stands for both tables). An incomplete evaluation still gets its documents, with
【待补充】 where text is missing; what is missing is listed on stderr as 提示 lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scoring import score_evaluation
from scoring.loading import load_scorable
from scoring.rounding import format_decimal

DEFAULT_FORMATS = "docx,pdf,xlsx,txt"
EXIT_BAD_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="自评数据文件：YAML（.yaml/.yml）或数据表（.xlsx）")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, metavar="DIR", help="输出目录（不存在则创建）"
    )
    parser.add_argument(
        "--format",
        default=DEFAULT_FORMATS,
        help=f"输出格式，逗号分隔：docx、pdf、txt、xlsx（数据表和评分表），默认 {DEFAULT_FORMATS}",
    )
    parser.add_argument(
        "--rulesets", type=Path, action="append", default=[], metavar="DIR",
        help="另外查找规则集的目录（可重复）",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from jixiao.documents.package import UnknownFormatError, parse_formats, render_package

    try:
        formats = parse_formats(args.format)
    except UnknownFormatError as exc:
        print(f"错误：--format {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    evaluation, ruleset = load_scorable(args.file, extra_dirs=args.rulesets)
    result = score_evaluation(evaluation, ruleset)
    files = render_package(evaluation, result, formats, ruleset=ruleset)

    output: Path = args.output
    try:
        output.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (output / name).write_bytes(content)
    except OSError as exc:
        print(f"错误：无法写入输出目录 {output}：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for name, content in files.items():
        print(f"已写入 {output / name}（{len(content)} 字节）")
    total = format_decimal(result.total)
    print(f"总分 {total}，等级 {result.grade_name}（规则集 {result.ruleset_ref}）")
    for problem in (*result.problems, *result.missing_explanations):
        print(f"提示：{problem}", file=sys.stderr)
    return 0
