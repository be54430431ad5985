"""`jixiao ruleset`: list, export, import and check rule-sets (Excel 评分表 ⇄ YAML).

- ``jixiao ruleset list``: the shipped rule-sets (rulesets/*.yaml).
- ``jixiao ruleset export ID_OR_FILE -o FILE.xlsx|FILE.yaml``: a shipped rule-set (``id`` or
  ``id@version``) or a rule-set file, written as a scoring sheet or as YAML.
- ``jixiao ruleset import FILE.xlsx -o FILE.yaml``: a scoring sheet, checked, written as YAML.
- ``jixiao ruleset check FILE.yaml|FILE.xlsx``: validate and print a summary and any warnings.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scoring.loading import (
    InputError,
    InputProblem,
    find_ruleset,
    load_ruleset_file,
    shipped_rulesets,
)
from scoring.rounding import format_decimal
from scoring.ruleset import RuleSet
from scoring.ruleset_sheet import SheetImport, export_sheet, import_sheet, ruleset_to_yaml

KIND_NAMES = {"department": "部门整体", "project": "项目"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    sub.add_parser("list", help="列出内置规则集")
    export = sub.add_parser("export", help="导出规则集为 Excel 评分表或 YAML")
    export.add_argument("ruleset", help="规则集编号（id 或 id@version）或规则集文件（.yaml/.xlsx）")
    export.add_argument("-o", "--output", required=True, type=Path, help="输出文件 .xlsx 或 .yaml")
    imp = sub.add_parser("import", help="导入 Excel 评分表，检查后写成 YAML")
    imp.add_argument("file", type=Path, help="Excel 评分表（.xlsx）")
    imp.add_argument("-o", "--output", required=True, type=Path, help="输出 YAML 文件")
    check = sub.add_parser("check", help="检查规则集文件（.yaml 或 .xlsx）")
    check.add_argument("file", type=Path, help="规则集文件")


def run(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list()
    if args.action == "export":
        return _export(args.ruleset, args.output)
    if args.action == "import":
        return _import(args.file, args.output)
    return _check(args.file)


def _list() -> int:
    for ref, ruleset in sorted(shipped_rulesets().items()):
        kind = KIND_NAMES.get(ruleset.kind, ruleset.kind)
        print(f"{ref}\t{kind}\t{ruleset.name}")
    return 0


def _read_sheet(path: Path) -> SheetImport:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([InputProblem(str(path), None, "", "文件不存在")]) from None
    except IsADirectoryError:
        raise InputError([InputProblem(str(path), None, "", "这是一个目录，不是文件")]) from None
    return import_sheet(data, str(path))


def _read_any(path: Path) -> SheetImport:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_sheet(path)
    if suffix in {".yaml", ".yml"}:
        return SheetImport(ruleset=load_ruleset_file(path))
    raise InputError([InputProblem(str(path), None, "", "文件类型应为 .yaml、.yml 或 .xlsx")])


def _warn(imported: SheetImport) -> None:
    for warning in imported.warnings:
        print(f"提示：{warning}")


def _write(ruleset: RuleSet, output: Path) -> None:
    suffix = output.suffix.lower()
    if suffix == ".xlsx":
        data = export_sheet(ruleset)
    elif suffix in {".yaml", ".yml"}:
        data = ruleset_to_yaml(ruleset).encode("utf-8")
    else:
        raise InputError(
            [InputProblem(str(output), None, "-o", "输出文件类型应为 .xlsx、.yaml 或 .yml")]
        )
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise InputError(
            [InputProblem(str(output), None, "-o", f"无法写入：{exc.strerror or exc}")]
        ) from None


def _export(reference: str, output: Path) -> int:
    path = Path(reference)
    if path.suffix.lower() in {".yaml", ".yml", ".xlsx"}:
        imported = _read_any(path)
        _warn(imported)
        ruleset = imported.ruleset
    else:
        ruleset = find_ruleset(reference)
    _write(ruleset, output)
    print(f"已导出规则集 {ruleset.ref} 到 {output}")
    return 0


def _import(path: Path, output: Path) -> int:
    if path.suffix.lower() != ".xlsx":
        raise InputError(
            [InputProblem(str(path), None, "", "导入的文件应为 Excel 评分表（.xlsx）")]
        )
    imported = _read_sheet(path)
    _warn(imported)
    _write(imported.ruleset, output)
    print(f"已导入规则集 {imported.ruleset.ref} 到 {output}")
    return 0


def _check(path: Path) -> int:
    imported = _read_any(path)
    _warn(imported)
    ruleset = imported.ruleset
    leaves = sum(1 for _, node in ruleset.walk() if node.is_leaf)
    open_nodes = sum(1 for _, node in ruleset.walk() if node.open)
    print(
        f"规则集 {ruleset.ref}「{ruleset.name}」检查通过：总分 {ruleset.total_points}，"
        f"一级指标 {len(ruleset.indicators)} 个，末级指标 {leaves} 个，单位自设指标 {open_nodes} 个"
    )
    for top in ruleset.indicators:
        print(f"  {top.name} {top.points} 分")
    for line in settings_lines(ruleset):
        print(f"  {line}")
    return 0


def settings_lines(ruleset: RuleSet) -> list[str]:
    """The thresholds, grade bands and 评分选项 (docs/rulesets.md), one line each."""
    limits, options = ruleset.thresholds, ruleset.options
    grades = "、".join(f"{g.label} ≥ {format_decimal(g.min_score)}" for g in ruleset.grades)
    reverse = {"ratio": "按比例（分值 × 目标值 ÷ 实际值）", "linear": "线性扣减（两倍目标值为 0）"}
    zero = {"exact": "实际为 0 才达成", "at_most": "实际 ≤ 0 即达成"}
    dropped = {"refuse": "不允许剔除", "rescale": "剔除，其余分值按总分折算"}
    caps = "、".join(
        f"{c.category} ≤ {format_decimal(c.max_points)}" for c in options.category_caps
    )
    return [
        f"提示线：完成率 > {format_decimal(limits.over_completion)}%、执行率 < "
        f"{format_decimal(limits.execution_min)}%、调整率 > "
        f"{format_decimal(limits.adjustment_max)}% 须说明原因",
        *(
            [f"目标值为 0 的指标：实际完成达到 {format_decimal(zero_line)} 须说明原因"]
            if (zero_line := limits.over_completion_zero_target) is not None
            else []
        ),
        f"评价等级：{grades}",
        f"反向指标未达成：{reverse[options.reverse.value]}",
        f"“=”指标目标值为 0：{zero[options.equal_zero_target.value]}",
        f"不适用指标：{dropped[options.not_applicable.value]}",
        "得分低于分值："
        + ("须说明偏差原因" if options.explain_below_points else "仅未达成目标时须说明"),
        f"类别分值上限：{caps or '无'}",
    ]
