"""Stored JSON ⇄ the scoring core: validate an evaluation's data, score it, render its documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jixiao.campaigns.rulesets import get_ruleset
from jixiao.evaluations.field_labels import describe_field
from scoring import EvaluationResult, InputError, SelfEvaluation, score_evaluation
from scoring.loading import validate_data
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


def score_data(data: dict[str, Any]) -> Scored:
    """Score whatever is there; a draft that does not yet validate gives its problems instead."""
    try:
        evaluation = parse_data(data)
        ruleset = get_ruleset(evaluation.ruleset)
    except InputError as exc:
        return Scored(None, None, None, tuple(_problem_text(p, data) for p in exc.problems))
    result = score_evaluation(evaluation, ruleset)
    return Scored(evaluation, result, ruleset, tuple(result.problems))


def _problem_text(problem: Any, data: dict[str, Any]) -> str:
    if not problem.field:
        return str(problem.message)
    return f"{describe_field(problem.field, data)}：{problem.message}"


def to_json(evaluation: SelfEvaluation) -> dict[str, Any]:
    """The JSON the database keeps: Decimals as strings, so nothing passes through a float."""
    return evaluation.model_dump(mode="json", exclude_defaults=False)
