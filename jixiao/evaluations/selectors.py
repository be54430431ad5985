"""Reads of self-evaluations, scoped to what the acting user may see (unit / department / bureau)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from jixiao.evaluations.models import DepartmentCounter, Evaluation, Evidence, Status
from jixiao.organisations.models import User
from jixiao.organisations.selectors import unit_fk_scope_q, unit_scope_q
from jixiao.web.bounded_numbers import query_year
from jixiao.web.keyset import Page, paginate
from jixiao.web.trigram import contains_q

# The lists' order: newest year, department, unit, project, and the id so that the keyset is
# total (two tasks of one unit and project name cannot exist, but the id costs nothing). On the
# columns stored with each evaluation (names.py): the index evaluation_list_order serves it.
LIST_ORDER = (
    ("campaign_year", True),
    ("department_name", False),
    ("unit_name", False),
    ("project_name", False),
    ("pk", False),
)


SORT_COLUMNS = ("pk", "campaign_year", "department_name", "unit_name", "project_name")


def list_key(evaluation: Evaluation) -> list[object]:
    """An evaluation's values in LIST_ORDER (the keyset cursor)."""
    e = evaluation
    return [e.campaign_year, e.department_name, e.unit_name, e.project_name, e.pk]


def evaluations_visible_to(*, user: User) -> QuerySet[Evaluation]:
    """Every evaluation the user may open, with its campaign, unit and department, in LIST_ORDER
    (the scope without a join with every organisation: unit_fk_scope_q)."""
    return (
        Evaluation.objects.filter(unit_fk_scope_q(user, "unit"))
        .select_related("campaign", "unit", "unit__parent", "updated_by")
        .order_by(*[f"-{name}" if descending else name for name, descending in LIST_ORDER])
    )


def status_counts(*, user: User, source: str = "counters") -> dict[tuple[int, str], int]:
    """The number of visible evaluations per (campaign id, status). For the bureau and a
    department reviewer from the overview's counters (evaluations.counters: a few rows a
    campaign; counting a province's 850,000 evaluations took 330 ms on every 工作台); for a
    unit, and with ``source="direct"`` (the tests compare both), one aggregate without a join
    (unit_fk_scope_q). Inside ``status_counts_kept(user)`` the counts read on entering are
    answered again, so the 工作台's tiles and the reviewers' 待办 read them once."""
    kept: dict[tuple[int, str], int] | None = getattr(user, "_kept_status_counts", None)
    if kept is not None:
        return kept
    if source == "counters" and (user.is_bureau_user or user.is_department_user):
        return counter_status_counts(user)
    rows = (
        Evaluation.objects.filter(unit_fk_scope_q(user, "unit"))
        .order_by()
        .values_list("campaign_id", "status")
        .annotate(n=Count("pk"))
    )
    return {(campaign_id, status): n for campaign_id, status, n in rows}


def counter_status_counts(
    user: User, *, year: int | None = None, campaign_ids: list[int] | None = None
) -> dict[tuple[int, str], int]:
    """(campaign id, status) → evaluations, from the overview's counters, for the bureau (every
    row) or a department reviewer (its department's rows); optionally of one year or of some
    campaigns. Only the bureau's and departments' scopes are what the counters hold."""
    counters = DepartmentCounter.objects.all()
    if user.is_department_user:
        counters = counters.filter(department_id=user.organisation_id or 0)
    if year is not None:
        counters = counters.filter(campaign__year=year)
    if campaign_ids is not None:
        counters = counters.filter(campaign_id__in=campaign_ids)
    states = ("not_started", "drafting", "submitted", "department_approved", "returned")
    rows: Any = counters.values("campaign_id").annotate(
        **{f"n_{name}": Sum(name) for name in (*states, "approved", "published")}
    )
    out: dict[tuple[int, str], int] = {}
    for row in rows:
        # The counters' ``submitted`` holds both 已报送 and 部门已审核.
        by_status = {
            Status.DRAFT: row["n_not_started"] + row["n_drafting"],
            Status.SUBMITTED: row["n_submitted"] - row["n_department_approved"],
            Status.DEPARTMENT_APPROVED: row["n_department_approved"],
            Status.RETURNED: row["n_returned"],
            Status.APPROVED: row["n_approved"],
            Status.PUBLISHED: row["n_published"],
        }
        for status, n in by_status.items():
            if n:
                out[(row["campaign_id"], str(status))] = n
    return out


def counted_matches(
    *, user: User, year: int | None = None, status: str = "", campaign_id: int | None = None
) -> int | None:
    """How many evaluations in the user's scope a list filtered by year, state and campaign
    holds, from the overview's counters (the bureau and a department; a few rows a campaign) —
    or None where they cannot say (a unit's user: its own few rows are counted directly). The
    first page of the bureau's 绩效自评列表 counted every evaluation of the province: 165 ms of
    SQL at 850,000, ten times that at 500,000 units."""
    if not (user.is_bureau_user or user.is_department_user):
        return None
    counts = counter_status_counts(
        user, year=year, campaign_ids=None if campaign_id is None else [campaign_id]
    )
    return sum(n for (_campaign, state), n in counts.items() if not status or state == status)


@contextmanager
def status_counts_kept(user: User) -> Iterator[dict[tuple[int, str], int]]:
    """status_counts(user=user), kept for the block (one request's page: the counts cannot go
    stale within it, and nothing outside the block sees them)."""
    counts = status_counts(user=user)
    user._kept_status_counts = counts  # type: ignore[attr-defined]
    try:
        yield counts
    finally:
        del user._kept_status_counts  # type: ignore[attr-defined]


def name_search_q(q: str, *fields: str) -> Q:
    """``q`` contained in any of ``fields`` (icontains: on PostgreSQL the trigram indexes of
    migration evaluations 0008 / organisations 0003 serve it, and for a term of one or two
    characters the grams columns of evaluations 0014, web.trigram.contains_q; SQLite scans)."""
    return contains_q(Evaluation, fields, q)


def filtered_evaluations(
    *, user: User, year: str = "", status: str = "", q: str = ""
) -> QuerySet[Evaluation]:
    """The 绩效自评列表 as filtered (year, status, unit / department / project name), without the
    content (the list and its export never show it). The year and the names are the columns
    stored with each evaluation, so the filters and the search need no join."""
    shown = evaluations_visible_to(user=user).defer("data")
    if (year_number := query_year(year)) is not None:
        shown = shown.filter(campaign_year=year_number)
    if status in Status.values:
        shown = shown.filter(status=status)
    if q:
        shown = shown.filter(name_search_q(q, "unit_name", "department_name", "project_name"))
    return shown


def evaluation_page(
    *, user: User, year: str = "", status: str = "", q: str = "", cursor: str | None, size: int
) -> Page:
    """One keyset page of the 绩效自评列表 after ``cursor``; ``extra["count"]`` is the number
    matching, counted on the first page only (a count is a pass over the whole scope: 250,000
    evaluations for the bureau of a province)."""
    shown = filtered_evaluations(user=user, year=year, status=status, q=q)
    page = paginate(
        shown.select_related(None).only(*SORT_COLUMNS),
        LIST_ORDER,
        cursor=cursor,
        size=size,
        key=list_key,
        small_scope=not user.is_bureau_user,  # a department's or a unit's rows
        whole=shown.order_by(),
    )
    if page.is_first:
        counted = (
            None
            if q or status not in ("", *Status.values)
            else counted_matches(user=user, year=query_year(year), status=status)
        )
        page.extra["count"] = shown.order_by().count() if counted is None else counted
    return page


def list_years(*, user: User) -> list[int]:
    """The years with an evaluation the user may see, newest first: each campaign asks for one
    visible evaluation (EXISTS, an index probe), not a pass over every evaluation."""
    from jixiao.campaigns.models import Campaign

    visible = Evaluation.objects.filter(unit_fk_scope_q(user, "unit"), campaign_id=OuterRef("pk"))
    return list(
        Campaign.objects.filter(Exists(visible))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


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
