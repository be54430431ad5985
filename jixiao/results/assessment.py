"""部门绩效管理工作考核: each supervising department's facts for a year, read in a fixed number of
aggregate queries, scored by the pure scoring.department_assessment with the weights file."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Min, OuterRef, Q, Subquery

from jixiao.audit.models import AuditedFile
from jixiao.campaigns.models import EvaluationKind
from jixiao.evaluations.models import Evaluation, Status
from jixiao.organisations.models import User
from jixiao.rectification.models import RectificationTask, TaskStatus
from jixiao.reviews import workflow
from jixiao.reviews.models import Recheck, Transition
from scoring.department_assessment import (
    Assessment,
    AssessmentWeights,
    DepartmentFacts,
    assess,
    load_weights,
)

SELF_EVALUATION_KINDS = (EvaluationKind.DEPARTMENT, EvaluationKind.PROJECT)
APPROVED = (Status.APPROVED, Status.PUBLISHED)


@dataclass(frozen=True)
class DepartmentRank:
    rank: int
    department_id: int
    department_name: str
    facts: DepartmentFacts
    assessment: Assessment


def _facts_by_department(year: int) -> tuple[dict[int, str], dict[int, DepartmentFacts]]:
    rows = list(
        Evaluation.objects.filter(
            campaign__year=year,
            campaign__kind__in=SELF_EVALUATION_KINDS,
            unit__parent__isnull=False,
        ).values_list(
            "pk",
            "unit__parent_id",
            "unit__parent__name",
            "status",
            "deadline_override",
            "campaign__deadline",
            "total",
        )
    )
    ids = [r[0] for r in rows]
    steps = Transition.objects.filter(evaluation_id__in=ids)
    first_submit = dict(
        steps.filter(action=workflow.SUBMIT)
        .values("evaluation_id")
        .annotate(first=Min("at"))
        .values_list("evaluation_id", "first")
    )
    passed_on = set(
        steps.filter(action=workflow.DEPARTMENT_APPROVE).values_list("evaluation_id", flat=True)
    )
    returned = set(
        steps.filter(action=workflow.BUREAU_RETURN).values_list("evaluation_id", flat=True)
    )
    rechecks = list(
        Recheck.objects.filter(evaluation_id__in=ids, score__isnull=False).values_list(
            "evaluation_id", "score"
        )
    )
    later_errors = _audit_errors_after_approval(ids)
    tasks = {
        d: (t, c)
        for d, t, c in RectificationTask.objects.filter(year=year, department__isnull=False)
        .values("department_id")
        .annotate(t=Count("pk"), c=Count("pk", filter=Q(status=TaskStatus.CONFIRMED)))
        .values_list("department_id", "t", "c")
    }
    names: dict[int, str] = {}
    counts: dict[int, dict[str, Any]] = defaultdict(
        lambda: {
            "n": 0,
            "on_time": 0,
            "approved": 0,
            "passed": 0,
            "returned": 0,
            "dev": [],
            "flawed": 0,
            "errors": 0,
        }
    )
    totals: dict[int, tuple[int, Decimal | None]] = {}
    for pk, parent_id, dept_name, status, override, deadline, total in rows:
        dept = int(parent_id or 0)  # never 0: rows without a department are filtered out
        names[dept] = dept_name
        c = counts[dept]
        c["n"] += 1
        submitted = first_submit.get(pk)
        if submitted is not None and submitted <= (override or deadline):
            c["on_time"] += 1
        if status in APPROVED:
            c["approved"] += 1
        if pk in passed_on:
            c["passed"] += 1
            if pk in returned:
                c["returned"] += 1
            if later_errors.get(pk):
                c["flawed"] += 1
                c["errors"] += later_errors[pk]
        totals[pk] = (dept, total)
    for pk, score in rechecks:
        dept, total = totals[pk]
        if total is not None and score is not None:
            counts[dept]["dev"].append(abs(total - score))
    facts = {}
    for dept, c in counts.items():
        t, confirmed = tasks.get(dept, (0, 0))
        deviation = (
            (sum(c["dev"], Decimal(0)) / len(c["dev"])).quantize(Decimal("0.01"))
            if c["dev"]
            else None
        )
        facts[dept] = DepartmentFacts(
            evaluations=c["n"],
            on_time=c["on_time"],
            approved=c["approved"],
            passed_on=c["passed"],
            bureau_returned=c["returned"],
            recheck_deviation=deviation,
            tasks=t,
            tasks_confirmed=confirmed,
            audit_flawed_later=c["flawed"],
            audit_errors_later=c["errors"],
        )
    return names, facts


def _audit_errors_after_approval(ids: list[int]) -> dict[int, int]:
    """审查发现的错误: per evaluation, the errors found by the newest audit of its own report made
    after the bureau first approved it (0 when that audit found none). One query."""
    approved_at = (
        Transition.objects.filter(
            evaluation_id=OuterRef("evaluation_id"), action=workflow.BUREAU_APPROVE
        )
        .order_by("at")
        .values("at")[:1]
    )
    newest: dict[int, int] = {}
    audits = (
        AuditedFile.objects.filter(evaluation_id__in=ids, status=AuditedFile.Status.AUDITED)
        .annotate(approved_at=Subquery(approved_at))
        .filter(audited_at__gt=F("approved_at"))
        .order_by("evaluation_id", "-audited_at", "-pk")
        .values_list("evaluation_id", "errors")
    )
    for evaluation_id, errors in audits:
        newest.setdefault(int(evaluation_id), int(errors))
    return newest


def department_ranking(
    *, user: User, year: int, weights: AssessmentWeights | None = None
) -> list[DepartmentRank]:
    """Every supervising department with self-evaluations in ``year``, best first (the bureau's)."""
    if not user.is_bureau_user:
        return []
    weights = weights or load_weights()
    names, facts = _facts_by_department(year)
    scored = sorted(
        ((assess(f, weights), d) for d, f in facts.items()),
        key=lambda item: (-item[0].total, names[item[1]]),
    )
    return [DepartmentRank(i, d, names[d], facts[d], a) for i, (a, d) in enumerate(scored, start=1)]
