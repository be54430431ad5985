"""Reads of 报告审查 results, scoped to what the acting user may see.

A result is seen by the reviewers of the organisation that asked for it (colleagues share their
audits), and — when it audits an evaluation — by every reviewer who may see that evaluation
(a department sees the bureau's audit of its units beside their reviews). Units see none.

The list pages by keyset (``id`` below the last one shown), never by OFFSET and never counting
the rows: each page costs the same at the first or the thousandth page, at 50 000 rows as at 50.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from jixiao.audit.models import AuditedFile
from jixiao.organisations.models import Role, User
from jixiao.organisations.selectors import unit_fk_scope_q
from jixiao.web.bounded_numbers import query_id, query_year
from jixiao.web.keyset import Page, paginate

REVIEWER_ROLES = frozenset({Role.DEPARTMENT_REVIEWER, Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})
PAGE_SIZE = 50
# What a list row needs; the findings and extracted data (the big JSON) stay in the database.
LIST_FIELDS = (
    "pk",
    "job_id",
    "name",
    "status",
    "level",
    "errors",
    "warnings",
    "infos",
    "unit",
    "year",
    "score",
    "grade",
    "created_at",
    "audited_at",
    "evaluation_id",
    "earlier_id",
    "campaign__title",
    "requested_by__display_name",
    "requested_by__username",
)


def is_reviewer(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id is not None
        and user.role in REVIEWER_ROLES
    )


def results_visible_to(*, user: User) -> QuerySet[AuditedFile]:
    """Every audit result ``user`` may read (none for units and accounts without organisation)."""
    if not is_reviewer(user):
        return AuditedFile.objects.none()
    # An evaluation's row stores the evaluation's unit (unit_organisation, written with the row
    # and never changed for it): its scope is a condition on that column, not the id of every
    # evaluation the user may see (250,000 for a province's bureau, hashed on every page).
    return AuditedFile.objects.filter(
        Q(organisation_id=user.organisation_id)
        | (Q(evaluation__isnull=False) & unit_fk_scope_q(user, "unit_organisation"))
    )


def get_result(*, user: User, result_id: int) -> AuditedFile:
    row = (
        results_visible_to(user=user)
        .select_related("requested_by", "evaluation__unit", "campaign", "earlier__requested_by")
        .filter(pk=result_id)
        .first()
    )
    if row is None:
        raise Http404
    return row


def earlier_result(*, user: User, sha256: str, ruleset: str = "") -> AuditedFile | None:
    """The newest finished audit of a file with these bytes that ``user`` may see (not a copy),
    under the same picked rule-set (``""``: the one the report names)."""
    if not sha256:
        return None
    candidates = (
        results_visible_to(user=user)
        .filter(sha256=sha256, earlier__isnull=True)
        .exclude(status=AuditedFile.Status.QUEUED)
        .exclude(status=AuditedFile.Status.FAILED)  # the auditor failing is no result to show
        .select_related("requested_by", "job")
        .order_by("-pk")[:20]
    )
    for row in candidates:
        if str((row.job.params or {}).get("ruleset") or "") == ruleset:
            return row
    return None


def latest_evaluation_audit(*, user: User, evaluation_id: int) -> AuditedFile | None:
    """The newest finished audit of the evaluation's own report, for its reviewers."""
    if not is_reviewer(user):
        return None
    return (
        results_visible_to(user=user)
        .filter(evaluation_id=evaluation_id)
        .exclude(status=AuditedFile.Status.QUEUED)
        .select_related("requested_by", "job")
        .order_by("-pk")
        .first()
    )


@dataclass(frozen=True)
class ResultFilters:
    """The list's filters as read from the query string (anything malformed is ignored)."""

    level: str = ""
    unit: int | None = None
    year: int | None = None
    campaign: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""

    @classmethod
    def from_query(cls, query: Any) -> ResultFilters:
        level = query.get("level", "")
        return cls(
            level=level if level in AuditedFile.Level.values else "",
            unit=query_id(query.get("unit")),
            year=query_year(query.get("year")),
            campaign=query_id(query.get("campaign")),
            date_from=_date(query.get("from")),
            date_to=_date(query.get("to")),
            q=str(query.get("q", "")).strip()[:100],
        )

    def as_query(self) -> dict[str, str]:
        out = {
            "level": self.level,
            "unit": str(self.unit or ""),
            "year": str(self.year or ""),
            "campaign": str(self.campaign or ""),
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "q": self.q,
        }
        return {key: value for key, value in out.items() if value}


def _date(raw: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(raw or "").strip()[:10])
    except ValueError:
        return None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered_results(*, user: User, filters: ResultFilters) -> QuerySet[AuditedFile]:
    shown = results_visible_to(user=user)
    if filters.level:
        shown = shown.filter(level=filters.level)
    if filters.unit:
        shown = shown.filter(unit_organisation_id=filters.unit)
    if filters.year:
        shown = shown.filter(year=str(filters.year))
    if filters.campaign:
        shown = shown.filter(campaign_id=filters.campaign)
    if filters.date_from:
        shown = shown.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        shown = shown.filter(created_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.q:
        shown = shown.filter(Q(name__icontains=filters.q) | Q(unit__icontains=filters.q))
    return shown


@dataclass
class ResultPage:
    rows: list[dict[str, Any]]
    next_after: int | None  # the cursor of the next page, None on the last
    first: bool
    filters: ResultFilters = field(default_factory=ResultFilters)


def result_page(
    *, user: User, filters: ResultFilters, after: int | None = None, size: int = PAGE_SIZE
) -> ResultPage:
    """One page of the list, newest first: the rows with an id below ``after``.

    One query: the page's rows plus one more (to know whether a next page exists), as plain
    values (no model instances, no JSON columns).
    """
    shown = filtered_results(user=user, filters=filters)
    if after:
        shown = shown.filter(pk__lt=after)
    rows = list(shown.order_by("-pk").values(*LIST_FIELDS)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return ResultPage(
        rows=rows,
        next_after=rows[-1]["pk"] if more and rows else None,
        first=not after,
        filters=filters,
    )


# --- one audit job's files: totals in SQL, the files a keyset page at a time ----------------------

# Each file's card shows all its findings: 20 cards a page. A 审查全部已提交 of a province campaign
# is one job of 100,000 files or more; rendering them all took seconds and hundreds of MiB.
JOB_FILE_PAGE = 20
JOB_FILE_ORDER = (("position", False),)
UNREADABLE_STATUSES = (
    AuditedFile.Status.UNREADABLE,
    AuditedFile.Status.TOO_COMPLEX,
    AuditedFile.Status.FAILED,
)


def job_totals(*, job: Any) -> dict[str, int]:
    """The job's headline figures over all its files, one aggregate: files, findings per severity
    (of audited files), files with errors, files not audited, files still waiting. The caller
    has scoped ``job`` (jobs.selectors.job_for)."""
    audited = Q(status=AuditedFile.Status.AUDITED)
    found = AuditedFile.objects.filter(job=job).aggregate(
        files=Count("pk"),
        error=Sum("errors", filter=audited, default=0),
        warning=Sum("warnings", filter=audited, default=0),
        info=Sum("infos", filter=audited, default=0),
        with_errors=Count("pk", filter=audited & Q(errors__gt=0)),
        unreadable=Count("pk", filter=Q(status__in=UNREADABLE_STATUSES)),
        pending=Count("pk", filter=Q(status=AuditedFile.Status.QUEUED)),
    )
    return {key: int(value or 0) for key, value in found.items()}


def job_file_page(*, job: Any, cursor: str | None, size: int = JOB_FILE_PAGE) -> Page:
    """One keyset page of the job's files in upload order (the job's own position), with what
    their cards show; the extracted values (the other big JSON) stay in the database."""
    return paginate(
        AuditedFile.objects.filter(job=job)
        .select_related("earlier__requested_by")
        .defer("extracted", "earlier__extracted", "earlier__findings"),
        JOB_FILE_ORDER,
        cursor=cursor,
        size=size,
    )
