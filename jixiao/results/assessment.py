"""部门绩效管理工作考核: each supervising department's facts for a year, read in a fixed number of
aggregate queries, scored by the pure scoring.department_assessment with the weights file."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, OuterRef, Q, Subquery

from jixiao.audit.models import AuditedFile
from jixiao.campaigns.models import EvaluationKind
from jixiao.evaluations.models import DepartmentCounter, Status
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

if TYPE_CHECKING:
    from jixiao.results.models import AssessmentSnapshot

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
    """Each department's facts for ``year`` in five aggregate queries grouped by department: the
    evaluations, their review steps, the rechecks, the later audits and the 整改 tasks. Nothing
    is read per evaluation (at province scale a year has 250,000 of them)."""
    from django.db.models import DecimalField, Exists, Sum
    from django.db.models.functions import Abs, Coalesce

    from jixiao.organisations.models import Organisation

    scope = Q(
        evaluation__campaign__year=year,
        evaluation__campaign__kind__in=SELF_EVALUATION_KINDS,
        evaluation__unit__parent__isnull=False,
    )
    department = "evaluation__unit__parent_id"
    # Tasks and approvals per department from the counters the database keeps per campaign ×
    # department (jixiao.evaluations.counters; 0: units without a department): a few hundred
    # rows, where grouping the year's evaluations read all 250,000 with their units.
    evaluations = {
        d: (n, approved)
        for d, n, approved in DepartmentCounter.objects.filter(
            campaign__year=year, campaign__kind__in=SELF_EVALUATION_KINDS, tasks__gt=0
        )
        .exclude(department_id=0)
        .values("department_id")
        .annotate(n=Sum("tasks"), approved=Sum(F("approved") + F("published")))
        .values_list("department_id", "n", "approved")
    }
    passed_on = Transition.objects.filter(
        evaluation_id=OuterRef("evaluation_id"), action=workflow.DEPARTMENT_APPROVE
    )
    # Handed in on time: the first 报送 by the deadline (an extension counts), i.e. any 报送 by then.
    steps = {
        d: (on_time, passed, returned)
        for d, on_time, passed, returned in Transition.objects.filter(scope)
        .values(department)
        .annotate(
            on_time=Count(
                "evaluation_id",
                distinct=True,
                filter=Q(
                    action=workflow.SUBMIT,
                    at__lte=Coalesce(
                        F("evaluation__deadline_override"), F("evaluation__campaign__deadline")
                    ),
                ),
            ),
            passed=Count(
                "evaluation_id", distinct=True, filter=Q(action=workflow.DEPARTMENT_APPROVE)
            ),
            returned=Count(
                "evaluation_id",
                distinct=True,
                filter=Q(action=workflow.BUREAU_RETURN) & Q(Exists(passed_on)),
            ),
        )
        .values_list(department, "on_time", "passed", "returned")
    }
    money = DecimalField(max_digits=12, decimal_places=2)
    rechecks = {
        d: (total, n)
        for d, total, n in Recheck.objects.filter(
            scope, score__isnull=False, evaluation__total__isnull=False
        )
        .values(department)
        .annotate(
            deviation=Sum(Abs(F("evaluation__total") - F("score")), output_field=money),
            n=Count("pk"),
        )
        .values_list(department, "deviation", "n")
    }
    later = _audit_errors_after_approval(year)
    tasks = {
        d: (t, c)
        for d, t, c in RectificationTask.objects.filter(year=year, department__isnull=False)
        .values("department_id")
        .annotate(t=Count("pk"), c=Count("pk", filter=Q(status=TaskStatus.CONFIRMED)))
        .values_list("department_id", "t", "c")
    }
    names = dict(Organisation.objects.filter(pk__in=list(evaluations)).values_list("pk", "name"))
    facts = {}
    for dept, (n, approved) in evaluations.items():
        on_time, passed, returned = steps.get(dept, (0, 0, 0))
        t, confirmed = tasks.get(dept, (0, 0))
        total, count = rechecks.get(dept, (None, 0))
        deviation = (
            (Decimal(total) / count).quantize(Decimal("0.01"))
            if count and total is not None
            else None
        )
        flawed, errors = later.get(dept, (0, 0))
        facts[dept] = DepartmentFacts(
            evaluations=n,
            on_time=on_time,
            approved=approved,
            passed_on=passed,
            bureau_returned=returned,
            recheck_deviation=deviation,
            tasks=t,
            tasks_confirmed=confirmed,
            audit_flawed_later=flawed,
            audit_errors_later=errors,
        )
    return names, facts


def _audit_errors_after_approval(year: int) -> dict[int, tuple[int, int]]:
    """审查发现的错误, per department: of the evaluations it passed on, how many the newest audit
    of their own report made after the bureau first approved them found errors in, and how many
    errors (an evaluation whose newest such audit is clean counts nothing). One query; audits
    are of uploaded report files, a few per evaluation at most."""
    from django.db.models import Exists

    approved_at = (
        Transition.objects.filter(
            evaluation_id=OuterRef("evaluation_id"), action=workflow.BUREAU_APPROVE
        )
        .order_by("at")
        .values("at")[:1]
    )
    passed_on = Transition.objects.filter(
        evaluation_id=OuterRef("evaluation_id"), action=workflow.DEPARTMENT_APPROVE
    )
    audits = (
        AuditedFile.objects.filter(
            evaluation__campaign__year=year,
            evaluation__campaign__kind__in=SELF_EVALUATION_KINDS,
            evaluation__unit__parent__isnull=False,
            status=AuditedFile.Status.AUDITED,
        )
        .filter(Exists(passed_on))
        .annotate(approved_at=Subquery(approved_at))
        .filter(audited_at__gt=F("approved_at"))
        .order_by("evaluation_id", "-audited_at", "-pk")
        .values_list("evaluation_id", "evaluation__unit__parent_id", "errors")
    )
    newest: dict[int, tuple[int, int]] = {}
    for evaluation_id, department_id, errors in audits:
        if department_id is not None:  # never None: the query keeps units with a department
            newest.setdefault(int(evaluation_id), (int(department_id), int(errors)))
    out: dict[int, tuple[int, int]] = {}
    for department_id, errors in newest.values():
        if errors:
            flawed, total = out.get(department_id, (0, 0))
            out[department_id] = (flawed + 1, total + errors)
    return out


ASSESSMENT_KIND = "results.assessment"


def _facts_json(facts: DepartmentFacts) -> dict[str, Any]:
    out = dataclasses.asdict(facts)
    if facts.recheck_deviation is not None:
        out["recheck_deviation"] = str(facts.recheck_deviation)
    return out


def _facts_from_json(raw: dict[str, Any]) -> DepartmentFacts:
    deviation = raw.get("recheck_deviation")
    return DepartmentFacts(
        **{**raw, "recheck_deviation": None if deviation is None else Decimal(deviation)}
    )


def _ranked(
    names: dict[int, str], facts: dict[int, DepartmentFacts], weights: AssessmentWeights
) -> list[DepartmentRank]:
    scored = sorted(
        ((assess(f, weights), d) for d, f in facts.items()),
        key=lambda item: (-item[0].total, names[item[1]]),
    )
    return [DepartmentRank(i, d, names[d], facts[d], a) for i, (a, d) in enumerate(scored, start=1)]


def compute_snapshot(*, year: int, user: User | None) -> AssessmentSnapshot:
    """Compute the year's facts (the job's work) and store them as its snapshot."""
    from django.utils import timezone

    from jixiao.results.models import AssessmentSnapshot

    names, facts = _facts_by_department(year)
    snapshot, _created = AssessmentSnapshot.objects.update_or_create(
        year=year,
        defaults={
            "departments": [
                {"id": d, "name": names[d], "facts": _facts_json(f)} for d, f in facts.items()
            ],
            "computed_at": timezone.now(),
            "computed_by": user,
        },
    )
    return snapshot


@dataclass(frozen=True)
class StoredRanking:
    ranking: list[DepartmentRank]
    snapshot: AssessmentSnapshot | None  # None: never computed for the year


def stored_ranking(
    *, user: User, year: int, weights: AssessmentWeights | None = None
) -> StoredRanking:
    """The year's ranking from its last computed snapshot (the page and the xlsx), scored with
    the current weights; an empty ranking and no snapshot when it was never computed."""
    from jixiao.results.models import AssessmentSnapshot

    if not user.is_bureau_user:
        return StoredRanking([], None)
    snapshot = AssessmentSnapshot.objects.filter(year=year).first()
    if snapshot is None:
        return StoredRanking([], None)
    names = {int(row["id"]): str(row["name"]) for row in snapshot.departments}
    facts = {int(row["id"]): _facts_from_json(row["facts"]) for row in snapshot.departments}
    return StoredRanking(_ranked(names, facts, weights or load_weights()), snapshot)


def department_ranking(
    *, user: User, year: int, weights: AssessmentWeights | None = None
) -> list[DepartmentRank]:
    """Every supervising department with self-evaluations in ``year``, best first (the bureau's),
    computed now (the snapshot job's work; the page reads stored_ranking)."""
    if not user.is_bureau_user:
        return []
    names, facts = _facts_by_department(year)
    return _ranked(names, facts, weights or load_weights())
