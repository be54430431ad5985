"""Reads of self-evaluations, scoped to what the acting user may see (unit / department / bureau)."""

from __future__ import annotations

import datetime as dt
import math

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jixiao.evaluations.models import Evaluation, Evidence, Status
from jixiao.organisations.models import User
from jixiao.organisations.selectors import unit_scope_q
from jixiao.web.bounded_numbers import query_year


def evaluations_visible_to(*, user: User) -> QuerySet[Evaluation]:
    """Every evaluation the user may open, with its campaign, unit and department."""
    return (
        Evaluation.objects.filter(unit_scope_q(user, "unit"))
        .select_related("campaign", "unit", "unit__parent", "updated_by")
        .order_by("-campaign__year", "unit__parent__name", "unit__name", "project_name")
    )


def filtered_evaluations(
    *, user: User, year: str = "", status: str = "", q: str = ""
) -> QuerySet[Evaluation]:
    """The 绩效自评列表 as filtered (year, status, unit / department / project name), without the
    content (the list and its export never show it)."""
    shown = evaluations_visible_to(user=user).defer("data")
    if (year_number := query_year(year)) is not None:
        shown = shown.filter(campaign__year=year_number)
    if status in Status.values:
        shown = shown.filter(status=status)
    if q:
        shown = shown.filter(
            Q(unit__name__icontains=q)
            | Q(unit__parent__name__icontains=q)
            | Q(project_name__icontains=q)
        )
    return shown


def get_evaluation(*, user: User, evaluation_id: int) -> Evaluation:
    """The evaluation if the user may see it; Http404 otherwise (never 403: no existence leak)."""
    evaluation = evaluations_visible_to(user=user).filter(pk=evaluation_id).first()
    if evaluation is None:
        raise Http404
    return evaluation


def evidence_for(*, user: User, evaluation_id: int) -> QuerySet[Evidence]:
    get_evaluation(user=user, evaluation_id=evaluation_id)
    return Evidence.objects.filter(evaluation_id=evaluation_id).select_related("uploaded_by")


def get_evidence(*, user: User, evidence_id: int) -> Evidence:
    evidence = (
        Evidence.objects.filter(unit_scope_q(user, "evaluation__unit"), pk=evidence_id)
        .select_related("evaluation")
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence


def evidence_counts(*, user: User, evaluation_id: int) -> dict[str, int]:
    """How many files are attached to each indicator code of the evaluation (scoped)."""
    from django.db.models import Count

    rows = (
        evidence_for(user=user, evaluation_id=evaluation_id)
        .order_by()
        .values("indicator_code")
        .annotate(n=Count("id"))
    )
    return {row["indicator_code"]: row["n"] for row in rows}


def days_left(deadline: dt.datetime | None) -> int | None:
    """Whole days to the deadline (剩余 N 天); negative once it has passed."""
    if deadline is None:
        return None
    days = (deadline - timezone.now()).total_seconds() / 86400
    # A deadline an hour ago is overdue (negative), one an hour ahead still has "1 day" left.
    return math.floor(days) if days < 0 else math.ceil(days)
