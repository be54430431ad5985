"""Stored JSON ⇄ the scoring core: validate an evaluation's data, score it, render its documents."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from jixiao.campaigns.rulesets import get_ruleset
from jixiao.evaluations.field_labels import describe_field
from scoring import EvaluationResult, InputError, SelfEvaluation, score_evaluation
from scoring.loading import InputProblem, draft_blocking, validate_data
from scoring.messages import N_, Msg
from scoring.numbers import NumberFormatError, parse_count, parse_decimal
from scoring.plausibility import PastActual
from scoring.ruleset import RuleSet


@dataclass(frozen=True)
class Scored:
    """What the entry pages show: the validated evaluation and its result, or why there is none."""

    evaluation: SelfEvaluation | None
    result: EvaluationResult | None
    ruleset: RuleSet | None
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.result is not None


def parse_data(data: dict[str, Any]) -> SelfEvaluation:
    """Validate stored (or posted) data; InputError lists every fault by field, in Chinese."""
    return validate_data(SelfEvaluation, data, "自评内容")


class Unstorable(Exception):
    """The data holds values that are never stored, even in a draft (a malformed or impossible
    number, text or lists over their limits, unknown fields); ``problems`` says which, located."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = problems
        super().__init__("；".join(f"{p.field}：{p.message}" for p in problems))


# Where the data holds numbers: typed text there ("18,969", "３３．２８") is stored as the number.
_NUMBER_FIELDS = {
    "targets": ("target", "target_high", "actual", "points", "reviewer_deduction"),
    "assessments": ("score", "target", "actual", "reviewer_deduction"),
}
_COUNT_FIELDS = ("staffing_quota", "staff_actual", "retired", "temporary")


def canonical_numbers(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` whose numbers typed as text are stored as the plain number they mean
    (scoring.numbers); text that is not a number is left for the model to refuse."""
    out = copy.deepcopy(data)

    def fix(row: Any, names: tuple[str, ...], read: Any) -> None:
        if not isinstance(row, dict):
            return
        for name in names:
            value = row.get(name)
            if isinstance(value, str) and value.strip():
                with contextlib.suppress(NumberFormatError):  # the model names the fault
                    row[name] = read(value)

    for key, names in _NUMBER_FIELDS.items():
        rows = out.get(key)
        for row in rows if isinstance(rows, list) else []:
            fix(row, names, lambda v: str(parse_decimal(v)))
    budget = out.get("budget")
    if isinstance(budget, dict) and isinstance(budget.get("rows"), list):
        for row in budget["rows"]:
            fix(row, ("initial", "full_year", "executed"), lambda v: str(parse_decimal(v)))
    fix(out.get("unit"), _COUNT_FIELDS, parse_count)
    fix(out, ("year",), parse_count)
    return out


def storable(*, stored: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as it is stored (numbers typed as text made plain); Unstorable when it brings a
    fault that even a draft may not hold.

    A fault the stored content already has (stored before these checks existed) does not block a
    save of another part: only what this save brings in is refused. A target declaration (content
    of kind ``targets``) is checked against its own model (jixiao.targets.declarations).
    """
    if is_declaration(data) or is_declaration(stored):
        from jixiao.targets.declarations import storable_declaration

        return storable_declaration(stored=stored, data=data)
    return refuse_new_faults(parse_data, stored=stored, data=canonical_numbers(data))


def refuse_new_faults(
    parse: Callable[[dict[str, Any]], Any], *, stored: dict[str, Any], data: dict[str, Any]
) -> dict[str, Any]:
    """``data`` when ``parse`` finds no fault a draft may not hold that ``stored`` did not already
    have; else Unstorable with the new faults. Shared by self-evaluations and declarations."""
    try:
        parse(data)
    except InputError as exc:
        blocking = draft_blocking(exc.problems)
    else:
        return data
    if not blocking:
        return data
    try:
        parse(stored)
    except InputError as exc:
        before = {(p.field, p.message) for p in draft_blocking(exc.problems)}
    else:
        before = set()
    new = [p for p in blocking if (p.field, p.message) not in before]
    if new:
        raise Unstorable(new)
    return data


def is_declaration(data: Any) -> bool:
    """Whether the content is a target declaration (绩效目标申报, scoring.targets), which is never
    scored as a self-evaluation."""
    return isinstance(data, dict) and data.get("kind") == "targets"


def score_data(data: dict[str, Any], *, history: Sequence[PastActual] = ()) -> Scored:
    """Score whatever is there; a draft that does not yet validate gives its problems instead.

    ``history`` (jixiao.evaluations.history.previous_actuals) flags an actual far outside the
    unit's earlier years; documents are scored without it (they print the evaluation alone).

    A monitoring report (绩效运行监控, jixiao.monitoring) is not a self-evaluation and is never
    scored: no result, no problems (its own checks are scoring.monitoring's)."""
    if data.get("kind") == "monitoring":
        return Scored(None, None, None)
    if is_declaration(data):  # 绩效目标申报: no score, and one problem saying so
        return Scored(None, None, None, (_("绩效目标申报不评分"),))
    try:
        evaluation = parse_data(data)
        ruleset = get_ruleset(evaluation.ruleset)
    except InputError as exc:
        return Scored(None, None, None, tuple(_problem_text(p, data) for p in exc.problems))
    result = score_evaluation(evaluation, ruleset, history=history)
    return Scored(evaluation, result, ruleset, tuple(result.problems))


def _problem_text(problem: Any, data: dict[str, Any]) -> str:
    if not problem.field:
        return str(problem.message)
    return Msg(
        N_("{name}：{message}"), name=describe_field(problem.field, data), message=problem.message
    )


def to_json(evaluation: SelfEvaluation) -> dict[str, Any]:
    """The JSON the database keeps: Decimals as strings, so nothing passes through a float."""
    return evaluation.model_dump(mode="json", exclude_defaults=False)
