"""jixiao's scoring core (评分核心): pure Python, no Django.

Rule-sets are data (scoring.ruleset), the self-evaluation is data (scoring.evaluation), the rules are
pure functions (scoring.rules) and scoring.engine ties them together. One rounding rule lives in
scoring.rounding.
"""

from scoring.engine import ScoringError, derive_ratios, require_complete, score_evaluation
from scoring.evaluation import SelfEvaluation
from scoring.loading import (
    InputError,
    InputProblem,
    find_ruleset,
    load_evaluation,
    load_ruleset_file,
    parse_evaluation,
)
from scoring.results import EvaluationResult, Flag, FlagCode, IndicatorResult, Ratios
from scoring.ruleset import RuleSet

__all__ = [
    "EvaluationResult",
    "Flag",
    "FlagCode",
    "IndicatorResult",
    "InputError",
    "InputProblem",
    "Ratios",
    "RuleSet",
    "ScoringError",
    "SelfEvaluation",
    "derive_ratios",
    "find_ruleset",
    "load_evaluation",
    "load_ruleset_file",
    "parse_evaluation",
    "require_complete",
    "score_evaluation",
]
