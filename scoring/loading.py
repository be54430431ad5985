"""Reading rule-sets and self-evaluations from YAML, with errors that name the field and the line.

Numbers in YAML become Decimal straight from their text (33.28 stays 33.28, never a binary float).
Every validation error is reported as ``文件:行 字段: 说明`` in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from scoring.evaluation import SelfEvaluation
from scoring.ruleset import RuleSet

Model = TypeVar("Model", bound=BaseModel)

RULESET_DIR = Path(__file__).resolve().parent.parent / "rulesets"


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong with an input file, located."""

    source: str
    line: int | None
    field: str
    message: str
    # The kind of fault (pydantic's error type; "missing" also for a value left empty). A draft
    # may still lack things (DRAFT_TOLERATED); any other fault is a wrong value (issue 8.2/9.6).
    code: str = ""

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where} {self.field}：{self.message}" if self.field else f"{where} {self.message}"


class InputError(ValueError):
    """An input file could not be read or validated; ``problems`` locates each fault."""

    def __init__(self, problems: Sequence[InputProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _DecimalLoader(yaml.SafeLoader):
    """SafeLoader that keeps numbers exact and remembers the line of every mapping key."""


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf / .nan are not amounts anyone means
        raise yaml.constructor.ConstructorError(
            None, None, f"无法识别的数字 {text!r}", node.start_mark
        ) from None


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


class Located(dict[str, Any]):
    """A YAML mapping that knows the line of each of its keys."""

    lines: dict[str, int]


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    mapping = Located()
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[str(key)] = key_node.start_mark.line + 1
    return mapping


_DecimalLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def parse_yaml(text: str, source: str) -> Any:
    """Parse YAML text; syntax errors become an InputError with the line."""
    try:
        return yaml.load(text, Loader=_DecimalLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(
            [InputProblem(source, line, "", f"YAML 格式错误：{exc.problem or exc}")]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError([InputProblem(source, None, "", f"YAML 格式错误：{exc}")]) from None


_MESSAGES = {
    "missing": "必填项缺失",
    "extra_forbidden": "不认识的字段（请检查拼写）",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "greater_than_equal": "不得小于 {ge}",
    "less_than_equal": "不得大于 {le}",
    "date_from_datetime_parsing": "应为日期，格式如 2026-05-21",
    "date_parsing": "应为日期，格式如 2026-05-21",
    "date_type": "应为日期，格式如 2026-05-21",
    "string_type": "应为文字",
    "bool_type": "应为是/否（true/false）",
    "bool_parsing": "应为是/否（true/false）",
    "enum": "取值无效，可选：{expected}",
    "tuple_type": "应为列表",
    "list_type": "应为列表",
    "model_type": "应为若干字段组成的对象",
    "dict_type": "应为若干字段组成的对象",
    "finite_number": "应为有限的数字",
    "string_too_long": "不得超过 {max_length} 个字",
    "too_long": "最多 {max_length} 项（现有 {actual_length} 项）",
}


def _message(error: ErrorDetails) -> str:
    text = (error.get("ctx") or {}).get("text")
    if error["type"] == "impossible_value" and isinstance(text, str):
        return text  # a scoring.messages.Msg: the web translates it at the edge
    template = _MESSAGES.get(error["type"])
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"])).removeprefix("Value error, ")
    if template is None:
        return str(error["msg"])
    ctx = error.get("ctx") or {}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def _locate(data: Any, loc: Sequence[int | str]) -> int | None:
    """The line of the deepest located key along ``loc``."""
    line: int | None = None
    node = data
    for part in loc:
        if isinstance(node, Located) and isinstance(part, str):
            line = node.lines.get(part, line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            if isinstance(node, Located) and node.lines:
                line = min(node.lines.values())
        else:
            break
    return line


def _field_name(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_problems(exc: ValidationError, data: Any, source: str) -> Iterator[InputProblem]:
    for error in exc.errors():
        loc = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        empty = error["type"] != "missing" and error.get("input") in (None, "")
        yield InputProblem(
            source,
            _locate(data, loc),
            _field_name(loc),
            _message(error),
            "missing" if empty else error["type"],
        )


# What a draft may hold while it is being filled in: something not given yet, and the rules
# between fields (a scored target without its parent). Everything else — a malformed or impossible
# number, a text or list over its limit, an unknown field, a wrong type — is never stored.
DRAFT_TOLERATED = frozenset({"missing", "value_error"})


def draft_blocking(problems: Sequence[InputProblem]) -> list[InputProblem]:
    """The problems that keep even a draft from being stored."""
    return [p for p in problems if p.code not in DRAFT_TOLERATED]


def validate_data(model: type[Model], data: Any, source: str) -> Model:
    """Validate parsed data against a model; every fault becomes a located InputProblem."""
    if not isinstance(data, dict):
        raise InputError(
            [InputProblem(source, 1, "", "文件内容应为若干字段组成的对象（YAML 映射）")]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(list(validation_problems(exc, data, source))) from None


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([InputProblem(str(path), None, "", "文件不存在")]) from None
    except IsADirectoryError:
        raise InputError([InputProblem(str(path), None, "", "这是一个目录，不是文件")]) from None
    except UnicodeDecodeError:
        raise InputError([InputProblem(str(path), None, "", "不是 UTF-8 编码的文本文件")]) from None


Locator = Callable[[Sequence[int | str], str], InputProblem]
"""Turns a field path of the evaluation (``("assessments", 2, "code")``) and a message into a
located problem: file and line for YAML, sheet and cell for a workbook."""

EVALUATION_SUFFIXES = (".yaml", ".yml", ".xlsx")


def load_evaluation(path: Path) -> SelfEvaluation:
    """Read a self-evaluation YAML file (examples/*.yaml)."""
    return _load_yaml_evaluation(path)[0]


def _load_yaml_evaluation(path: Path) -> tuple[SelfEvaluation, Locator]:
    source = str(path)
    data = parse_yaml(read_text(path), source)
    evaluation = validate_data(SelfEvaluation, data, source)

    def locate(loc: Sequence[int | str], message: str) -> InputProblem:
        return InputProblem(source, _locate(data, loc), _field_name(loc), message)

    return evaluation, locate


def _load_any(path: Path, extra_dirs: Sequence[Path] = ()) -> tuple[SelfEvaluation, Locator]:
    """The one place that picks the reader by the file's suffix."""
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return _load_yaml_evaluation(path)
    if suffix == ".xlsx":
        # Imported here: evaluation_sheet imports this module.
        from scoring.evaluation_sheet import load_evaluation_workbook

        return load_evaluation_workbook(path, extra_dirs)
    if not path.exists():
        raise InputError([InputProblem(str(path), None, "", "文件不存在")])
    raise InputError(
        [InputProblem(str(path), None, "", "自评数据文件应为 .yaml、.yml 或 .xlsx（数据表）")]
    )


def load_evaluation_any(path: Path, extra_dirs: Sequence[Path] = ()) -> SelfEvaluation:
    """Read a self-evaluation from YAML (.yaml/.yml) or from a data-table workbook (.xlsx); a
    workbook names its rule-set, looked up in rulesets/ and ``extra_dirs``."""
    return _load_any(path, extra_dirs)[0]


def load_scorable(path: Path, extra_dirs: Sequence[Path] = ()) -> tuple[SelfEvaluation, RuleSet]:
    """Read a self-evaluation, find its rule-set, and check that every indicator code it uses is
    in that rule-set. A typo in a code would otherwise silently drop a score, so it is bad input
    (located in the file) rather than a scoring problem.
    """
    evaluation, locate = _load_any(path, extra_dirs)
    try:
        ruleset = find_ruleset(evaluation.ruleset, extra_dirs=extra_dirs)
    except InputError as exc:
        raise InputError([locate(("ruleset",), p.message) for p in exc.problems]) from None
    problems = [locate(loc, message) for loc, message in reference_problems(evaluation, ruleset)]
    if problems:
        raise InputError(problems)
    return evaluation, ruleset


def reference_problems(
    evaluation: SelfEvaluation, ruleset: RuleSet
) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """Codes of the evaluation that do not name the right kind of rule-set node."""
    leaves = {node.code for _, node in ruleset.walk() if node.is_leaf}
    open_nodes = {node.code for _, node in ruleset.walk() if node.open}
    for index, assessment in enumerate(evaluation.assessments):
        if assessment.code in open_nodes:
            yield (
                ("assessments", index, "code"),
                f"指标编码 {assessment.code} 是由单位自设的指标，请在 targets 中填写绩效目标",
            )
        elif assessment.code not in leaves:
            yield (
                ("assessments", index, "code"),
                f"指标编码 {assessment.code} 不在规则集 {ruleset.ref} 中，"
                f"可用：{'、'.join(sorted(leaves))}",
            )
    for index, target in enumerate(evaluation.targets):
        if target.parent is not None and target.parent not in open_nodes:
            choices = "、".join(sorted(open_nodes)) or "（该规则集没有可自设的指标）"
            yield (
                ("targets", index, "parent"),
                f"{target.parent} 不是规则集 {ruleset.ref} 中可自设三级指标的节点，可用：{choices}",
            )


def parse_evaluation(text: str, source: str = "<输入>") -> SelfEvaluation:
    return validate_data(SelfEvaluation, parse_yaml(text, source), source)


def load_ruleset_file(path: Path) -> RuleSet:
    """Read a rule-set YAML file (rulesets/*.yaml)."""
    source = str(path)
    return validate_data(RuleSet, parse_yaml(read_text(path), source), source)


def shipped_rulesets() -> dict[str, RuleSet]:
    """Every rule-set shipped in rulesets/, by ``id@version``."""
    found = {}
    for path in sorted(RULESET_DIR.glob("*.yaml")):
        ruleset = load_ruleset_file(path)
        found[ruleset.ref] = ruleset
    return found


def find_ruleset(reference: str, extra_dirs: Sequence[Path] = ()) -> RuleSet:
    """The rule-set ``id`` (newest version) or ``id@version`` from rulesets/ and ``extra_dirs``."""
    candidates = dict(shipped_rulesets())
    for directory in extra_dirs:
        for path in sorted(Path(directory).glob("*.yaml")):
            ruleset = load_ruleset_file(path)
            candidates[ruleset.ref] = ruleset
    if reference in candidates:
        return candidates[reference]
    matching = [r for r in candidates.values() if r.id == reference]
    if not matching:
        known = "、".join(sorted(candidates)) or "（无）"
        raise InputError(
            [InputProblem("ruleset", None, "", f"找不到规则集 {reference}，可用：{known}")]
        )
    return max(matching, key=lambda r: _version_key(r.version))


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))
