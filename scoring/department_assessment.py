"""部门绩效管理工作考核: a supervising department's score from the facts of its units' year.

Pure: counts in, points out. Each part's points are its weight times a rate in [0, 1], rounded once
(half up to 0.01, scoring.rounding); the total is the exact sum of the parts. A part with nothing to
measure (no 复核 sample, no 整改 task, nothing passed on) scores its full weight and says so: a
department is not marked down for work the year did not bring it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from scoring.rounding import round_score

PARTS = ("timeliness", "completeness", "review_quality", "recheck", "rectification")
DEFAULT_WEIGHTS = (
    Path(__file__).resolve().parent.parent
    / "rulesets"
    / "assessment"
    / "department-assessment.yaml"
)


class AssessmentError(ValueError):
    """The weights file is not usable (中文 message)."""


@dataclass(frozen=True)
class AssessmentWeights:
    id: str
    version: str
    name: str
    weights: dict[str, Decimal]
    recheck_tolerance: Decimal
    # 审核质量: how many bureau returns one evaluation counts as when an audit finds errors in it
    # after the bureau approved it (审查发现的错误). 0 (a file without the key) leaves it out.
    audit_error_weight: Decimal = Decimal(0)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"


@dataclass(frozen=True)
class DepartmentFacts:
    """What happened in one department's units in one year."""

    evaluations: int  # tasks given to its units
    on_time: int  # first handed in by their deadline
    approved: int  # approved or published by the bureau
    passed_on: int  # evaluations the department approved to the bureau
    bureau_returned: int  # of those, how many the bureau sent back
    recheck_deviation: Decimal | None  # mean |self − 复核| over rechecked evaluations, or None
    tasks: int  # 整改任务 raised
    tasks_confirmed: int
    # Of those passed on, how many an audit of their own report found errors in after the bureau
    # approved them (the newest such audit counts), and how many errors those audits found.
    audit_flawed_later: int = 0
    audit_errors_later: int = 0


@dataclass(frozen=True)
class PartScore:
    key: str
    weight: Decimal
    rate: Decimal | None  # None: nothing to measure (full weight)
    points: Decimal


@dataclass(frozen=True)
class Assessment:
    parts: tuple[PartScore, ...]
    total: Decimal
    ref: str


def load_weights(path: Path | str = DEFAULT_WEIGHTS) -> AssessmentWeights:
    """Read a weights file; the weights must be the five parts, non-negative, summing to 100."""
    try:
        raw: Any = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AssessmentError(f"无法读取考核权重文件：{exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("weights"), dict):
        raise AssessmentError("考核权重文件须有 weights")
    weights = {}
    for key in PARTS:
        try:
            weights[key] = Decimal(str(raw["weights"][key]))
        except (KeyError, ArithmeticError) as exc:
            raise AssessmentError(f"缺少或无效的权重：{key}") from exc
        if weights[key] < 0:
            raise AssessmentError(f"权重不能为负：{key}")
    unknown = sorted(set(raw["weights"]) - set(PARTS))
    if unknown:
        raise AssessmentError(f"未知的权重：{'、'.join(unknown)}")
    if sum(weights.values()) != Decimal(100):
        raise AssessmentError(f"权重合计须为 100，现为 {sum(weights.values())}")
    tolerance = Decimal(str(raw.get("recheck_tolerance", 10)))
    if tolerance <= 0:
        raise AssessmentError("recheck_tolerance 须大于 0")
    try:
        audit_weight = Decimal(str(raw.get("audit_error_weight", 0)))
    except ArithmeticError as exc:
        raise AssessmentError("audit_error_weight 无效") from exc
    if not audit_weight.is_finite() or audit_weight < 0:
        raise AssessmentError("audit_error_weight 不能为负")
    return AssessmentWeights(
        id=str(raw.get("id", "department-assessment")),
        version=str(raw.get("version", "")),
        name=str(raw.get("name", "")),
        weights=weights,
        recheck_tolerance=tolerance,
        audit_error_weight=audit_weight,
    )


def _ratio(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return min(Decimal(1), max(Decimal(0), Decimal(part) / Decimal(whole)))


def _review_quality(facts: DepartmentFacts, audit_weight: Decimal) -> Decimal | None:
    """Of what the department passed on, the share neither returned by the bureau nor found in
    error by a later audit (each such evaluation counting ``audit_weight`` returns)."""
    if facts.passed_on <= 0:
        return None
    faults = Decimal(facts.bureau_returned) + audit_weight * facts.audit_flawed_later
    share = (Decimal(facts.passed_on) - faults) / Decimal(facts.passed_on)
    return min(Decimal(1), max(Decimal(0), share))


def rates(
    facts: DepartmentFacts, tolerance: Decimal, audit_weight: Decimal = Decimal(0)
) -> dict[str, Decimal | None]:
    deviation = facts.recheck_deviation
    return {
        "timeliness": _ratio(facts.on_time, facts.evaluations),
        "completeness": _ratio(facts.approved, facts.evaluations),
        "review_quality": _review_quality(facts, audit_weight),
        "recheck": None
        if deviation is None
        else max(Decimal(0), Decimal(1) - abs(deviation) / tolerance),
        "rectification": _ratio(facts.tasks_confirmed, facts.tasks),
    }


def assess(facts: DepartmentFacts, weights: AssessmentWeights) -> Assessment:
    """The department's points per part and in total (out of 100)."""
    parts = []
    for key, rate in rates(facts, weights.recheck_tolerance, weights.audit_error_weight).items():
        weight = weights.weights[key]
        points = weight if rate is None else round_score(weight * rate)
        parts.append(PartScore(key, weight, rate, points))
    return Assessment(tuple(parts), sum((p.points for p in parts), Decimal(0)), weights.ref)
