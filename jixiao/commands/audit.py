"""`jixiao audit FILE... [--json]` / `jixiao audit DIR -o summary.xlsx`: 审查自评报告.

Reads each report (txt, docx, text-based pdf), extracts its claims and prints what does not add up,
in Chinese, per file; ``--json`` prints the findings and the extracted data instead. A folder (or
``-o``) goes to the batch mode (jixiao.audit.batch), which writes a summary workbook and HTML.

Exit codes: 0 no error-level finding; 1 at least one error-level finding; 2 a file could not be
read (or bad arguments) — 2 wins over 1.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.audit.findings import SEVERITY_LABELS, AuditReport

if TYPE_CHECKING:
    from scoring.ruleset import RuleSet

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="自评报告（txt、docx、pdf）或文件夹"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出发现的问题和读出的数据")
    parser.add_argument(
        "--prefill",
        action="store_true",
        help="与 --json 同用：另输出预填数据（prefill：各字段的值、原文、位置和可信度）",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="SUMMARY.xlsx",
        help="批量审查：汇总表（xlsx，另写同名 .html）；审查文件夹时必填",
    )
    parser.add_argument(
        "--ruleset",
        metavar="规则集",
        help="核对等级、总分和超额完成所用的规则集：编号（如 national-project@2020.1）或规则集文件"
        "（.yaml/.xlsx）；不给时按报告写明的规则集，否则按报告类型的默认规则集",
    )
    parser.add_argument("--workers", type=int, default=1, help="批量审查的并行进程数（默认 1）")
    parser.add_argument("-q", "--quiet", action="store_true", help="批量审查时不显示进度")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except BrokenPipeError:  # output piped into head/less that closed early
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    paths: list[Path] = args.files
    if args.prefill and not args.json:
        print("错误：--prefill 须与 --json 同用", file=sys.stderr)
        return EXIT_UNREADABLE
    ruleset = None
    if args.ruleset:
        from jixiao.audit.ruleset_choice import ruleset_argument
        from scoring.loading import InputError

        try:
            ruleset = ruleset_argument(args.ruleset)
        except InputError as exc:
            print(f"错误：--ruleset：{exc}", file=sys.stderr)
            return EXIT_UNREADABLE
    if args.output is not None or any(p.is_dir() for p in paths):
        return _run_batch(args, paths, ruleset)
    from jixiao.audit import UnreadableReport, audit_file_within_budget

    exit_code = EXIT_OK
    reports: list[dict[str, Any]] = []
    for path in paths:
        try:
            report = audit_file_within_budget(path, ruleset=ruleset)
        except UnreadableReport as exc:
            exit_code = EXIT_UNREADABLE
            if args.json:
                reports.append({"source": str(path), "unreadable": exc.reason})
            else:
                print(f"错误：{path}：无法读取：{exc.reason}", file=sys.stderr)
            continue
        if report.errors and exit_code == EXIT_OK:
            exit_code = EXIT_FINDINGS
        if args.json:
            reports.append(report.to_dict(with_prefill=args.prefill))
        else:
            print(render_terminal(report))
    if args.json:
        payload: Any = reports[0] if len(reports) == 1 else reports
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    return exit_code


def _run_batch(args: argparse.Namespace, paths: list[Path], ruleset: RuleSet | None = None) -> int:
    if importlib.util.find_spec("jixiao.audit.batch") is None:
        print("错误：审查文件夹需要批量模式（jixiao.audit.batch），当前未安装", file=sys.stderr)
        return EXIT_UNREADABLE
    if args.output is None:
        print(
            "错误：审查文件夹须用 -o 指定汇总表，如 jixiao audit 报告目录 -o 汇总.xlsx",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    if args.json:
        print("错误：--json 不能与批量审查（文件夹或 -o）同用", file=sys.stderr)
        return EXIT_UNREADABLE
    from jixiao.audit.batch import run_batch

    summary = run_batch(
        paths, args.output, progress=not args.quiet, workers=max(1, args.workers), ruleset=ruleset
    )
    print(summary.describe())
    for written in (summary.workbook, summary.html):
        if written is not None:
            print(f"已写入 {written}")
    if summary.unreadable or summary.failed:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if summary.errors else EXIT_OK


def _field(value: Any) -> str:
    return "—" if value in (None, "", []) else str(value)


def render_terminal(report: AuditReport) -> str:
    """A readable Chinese report of one file."""
    x = report.extracted
    budget = x.get("budget") or {}
    lines = [f"== {report.source or '（文本）'} =="]
    kind = "项目支出" if x.get("kind") == "project" else "部门整体支出"
    lines.append(
        f"{kind}绩效自评报告　单位：{_field(x.get('unit_name'))}　评价年度：{_field(x.get('year'))}"
        f"　填报日期：{_field(x.get('filled_on'))}"
    )
    score = _field(x.get("total_score"))
    lines.append(
        f"自评得分：{score}　等级：{_field(x.get('grade'))}　规则集：{_field(x.get('ruleset'))}"
    )
    lines.append(
        f"预算（万元）：年初 {_field(budget.get('initial'))}　全年 {_field(budget.get('full_year'))}"
        f"　执行 {_field(budget.get('executed'))}　"
        f"读出绩效目标 {len(x.get('targets') or [])} 项、一级章节 "
        f"{sum(1 for s in x.get('sections') or [] if s['level'] == 1)} 个"
    )
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in SEVERITY_LABELS}
    lines.append(
        f"结果：错误 {counts['error']} 条，警告 {counts['warning']} 条，提示 {counts['info']} 条"
    )
    for finding in report.findings:
        label = SEVERITY_LABELS[finding.severity]
        lines.append(f"  [{label}] {finding.location}：{finding.message}（{finding.code}）")
        if finding.quote:
            lines.append(f"      原文：「{finding.quote}」")
    if not report.findings:
        lines.append("  未发现问题。")
    return "\n".join(lines)
