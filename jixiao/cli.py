"""The ``jixiao`` command line: evaluate, report, ruleset, audit.

Each subcommand lives in ``jixiao.commands.<name>`` with ``add_arguments(parser)`` and
``run(args) -> int``. Bad input (scoring.InputError, ScoringError) is reported here once, in Chinese,
naming the field and line, with exit code 2 and no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from scoring import InputError, ScoringError

COMMANDS = {
    "evaluate": "评分：输出指标得分表、提示、总分和等级",
    "report": "生成自评报告（docx/pdf/txt）、数据表和评分表（xlsx）",
    "ruleset": "规则集：导入、导出、检查（Excel 评分表 ⇄ YAML）",
    "audit": "审查自评报告（txt/docx/pdf），找出对不上的数字和缺漏",
}

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jixiao", description="jixiao 预算绩效自评")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        module = importlib.import_module(f"jixiao.commands.{name}")
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command_parser)
        command_parser.set_defaults(run=module.run)
    return parser


def setup_django() -> None:
    """Documents render through Django's template engine; no database is touched."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        setup_django()
        return int(args.run(args))
    except InputError as exc:
        for problem in exc.problems:
            print(f"错误：{problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ScoringError as exc:
        for message in exc.problems:
            print(f"错误：{message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
