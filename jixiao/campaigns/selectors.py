"""Reads of campaigns, their progress and the city overview, scoped to the acting user.

Bureau users see every campaign of their bureau and every unit; a department reviewer sees the
campaigns that gave tasks to its units, and only those units; everyone else sees nothing (404).
Each selector runs a fixed number of queries whatever the number of units (no per-row query), and
lists are paged with a keyset (jixiao.web.keyset): counts and charts are SQL aggregates over the
columns stored on every save (jixiao.evaluations.summary), never a decode of every document.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.counters import BIN_COLUMNS, COLUMNS, GRADE_COLUMNS
from jixiao.evaluations.models import (
    PROGRESS_LABELS,
    DepartmentCounter,
    Evaluation,
    ReturnedTwice,
    Status,
    YearTargets,
)
from jixiao.evaluations.selectors import counter_status_counts, days_left
from jixiao.organisations.models import Organisation, User
from jixiao.organisations.selectors import unit_fk_scope_q, unit_scope_q
from jixiao.reviews.models import Transition
from jixiao.web.keyset import DEFAULT_PAGE, Page, after, decode, encode, paginate
from jixiao.web.trigram import contains_q
from scoring.rounding import format_percent, format_score

PROGRESS_ORDER = ("not_started", "drafting", "submitted", "returned", "approved", "published")
# Handed in at least once and not sent back: what "submitted %" counts.
HANDED_IN = frozenset({"submitted", "approved", "published"})
NOT_HANDED_IN = frozenset({Status.DRAFT, Status.RETURNED})
RETURN_ACTIONS = ("department_return", "bureau_return")
SCORE_BINS = ((0, 60), (60, 70), (70, 80), (80, 90), (90, 101))
LOW_SCORE = Decimal(60)


def can_see_campaigns(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id is not None
        and (user.is_bureau_user or user.is_department_user)
    )


def campaigns_visible_to(*, user: User) -> QuerySet[Campaign]:
    """Campaigns the user may open, newest year first."""
    if not can_see_campaigns(user):
        return Campaign.objects.none()
    if user.is_bureau_user:
        return Campaign.objects.filter(bureau_id=user.organisation_id)
    return Campaign.objects.filter(
        pk__in=Evaluation.objects.filter(unit_fk_scope_q(user, "unit")).values("campaign_id")
    )


def get_campaign(*, user: User, campaign_id: int) -> Campaign:
    campaign = campaigns_visible_to(user=user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def campaign_list(*, user: User) -> list[dict[str, Any]]:
    """Each visible campaign with its task counts in the user's scope (two queries: the
    campaigns, then one aggregate grouped by campaign). Where the overview's counters cover the
    scope exactly (_counted: a bureau's own campaigns, a department reviewer's units) the
    aggregate sums their rows (about 60 a campaign, evaluations.counters); otherwise it groups
    the evaluations in scope by campaign and status."""
    campaigns = list(campaigns_visible_to(user=user).select_related("created_by"))
    counts: dict[int, Counter[str]] = {c.pk: Counter() for c in campaigns}
    if campaigns and _counted(user, campaigns):
        counted = counter_status_counts(user, campaign_ids=[c.pk for c in campaigns])
        for (campaign_id, status), n in counted.items():
            counts[campaign_id][status] += n
    else:
        rows = _scope(user, campaigns).values("campaign_id", "status").annotate(n=Count("pk"))
        for status_row in rows:
            counts[status_row["campaign_id"]][status_row["status"]] += status_row["n"]
    out = []
    for campaign in campaigns:
        c = counts[campaign.pk]
        total = sum(c.values())
        handed_in = total - c[Status.DRAFT] - c[Status.RETURNED]
        out.append(
            {
                "campaign": campaign,
                "total": total,
                "handed_in": handed_in,
                "approved": c[Status.APPROVED] + c[Status.PUBLISHED],
                "percent": _percent(handed_in, total),
            }
        )
    return out


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# ---------------------------------------------------------------- progress (SQL over stored columns)

# Each progress state (Evaluation.progress) as a filter, so counts and pages come from SQL.
PROGRESS_Q: dict[str, Q] = {
    "not_started": Q(status=Status.DRAFT, first_saved_at__isnull=True),
    "drafting": Q(status=Status.DRAFT, first_saved_at__isnull=False),
    "submitted": Q(status__in=(Status.SUBMITTED, Status.DEPARTMENT_APPROVED)),
    "returned": Q(status=Status.RETURNED),
    "approved": Q(status=Status.APPROVED),
    "published": Q(status=Status.PUBLISHED),
}
HANDED_IN_Q = Q(
    status__in=(Status.SUBMITTED, Status.DEPARTMENT_APPROVED, Status.APPROVED, Status.PUBLISHED)
)
SCORED_Q = HANDED_IN_Q & Q(total__isnull=False)
GRADES = ("优", "良", "中", "差")
# The progress table's order: department, unit, project (and the id, so the keyset is total), on
# the names stored with each evaluation (evaluations.names): one range of the index
# evaluation_progress_order, not a join and a sort of the whole campaign.
PROGRESS_SORT = (
    ("department_name", False),
    ("unit_name", False),
    ("project_name", False),
    ("pk", False),
)


def overdue_q(now: dt.datetime, campaigns: list[Campaign] | None = None) -> Q:
    """Still to hand in and past its deadline (the unit's extension, else the campaign's).
    With ``campaigns`` (the query's own) their deadlines are read here, so the SQL needs no
    join with the campaign for each row."""
    if campaigns is None:
        default = Q(deadline_override__isnull=True, campaign__deadline__lt=now)
    else:
        past = [c.pk for c in campaigns if c.deadline < now]
        default = Q(deadline_override__isnull=True, campaign_id__in=past)
    return Q(status__in=NOT_HANDED_IN) & (Q(deadline_override__lt=now) | default)


def _scope(user: User, campaigns: list[Campaign]) -> QuerySet[Evaluation]:
    """The evaluations of ``campaigns`` the user may see. ``campaigns`` come from
    campaigns_visible_to (a bureau's own campaigns), and every task of a campaign belongs to a
    budget unit, so for the bureau the campaign is the scope: no join with every organisation to
    check ``kind = unit`` (at 50,000 units that join was most of each aggregate's time)."""
    if user.is_bureau_user and all(c.bureau_id == user.organisation_id for c in campaigns):
        return Evaluation.objects.filter(campaign__in=campaigns).order_by()
    # A department reviewer: the department's units (the parent index), not a join with every
    # organisation (unit_fk_scope_q).
    return Evaluation.objects.filter(
        unit_fk_scope_q(user, "unit"), campaign__in=campaigns
    ).order_by()


# A unified social credit code (统一社会信用代码) is 18 ASCII letters and digits (GB 32100-2015;
# organisations.credit_code checks it on every write): a search with any other character (a
# Chinese name) cannot be part of one, so it does not look at the codes.
CREDIT_CODE_CHARACTERS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Up to this many units whose credit code contains the search go into the query as a list of
# ids (an index probe each); beyond it, a subquery (a filter over the campaign's tasks).
CREDIT_CODE_MATCHES = 1000


def search_q(search: str) -> Q:
    """The progress table's search: the unit's name, its credit code or the project name
    contains ``search`` (case-insensitive). The names are the ones stored with each evaluation
    (trigram indexes on PostgreSQL: a bitmap of the matching rows, not a scan of the campaign);
    the credit code is the organisation's, and only looked up when ``search`` could be part of
    one — then the matching units' ids, read first through the organisation's trigram index."""
    from jixiao.organisations.models import Organisation

    credit_code = None
    if search and set(search.upper()) <= CREDIT_CODE_CHARACTERS:
        units = Organisation.objects.filter(credit_code__icontains=search).values_list(
            "pk", flat=True
        )
        ids = list(units.order_by()[: CREDIT_CODE_MATCHES + 1])
        if len(ids) > CREDIT_CODE_MATCHES:
            credit_code = Q(unit__in=units)
        elif ids:
            credit_code = Q(unit_id__in=ids)
    return contains_q(Evaluation, ("unit_name", "project_name"), search, also=credit_code)


@dataclass
class ProgressFilters:
    """What the progress page (and its Excel export and the API) narrows the table to."""

    department_id: int | None = None
    progress: str = ""  # a PROGRESS_LABELS key, or "overdue"
    grade: str = ""
    search: str = ""  # unit name, credit code or project name (contains)

    @classmethod
    def from_query(cls, query: Any) -> ProgressFilters:
        department = str(query.get("department", "") or "")
        state = str(query.get("state", "") or "")
        grade = str(query.get("grade", "") or "")
        return cls(
            department_id=int(department)
            if department.isdigit() and len(department) < 12
            else None,
            progress=state if state in PROGRESS_LABELS or state == "overdue" else "",
            grade=grade if grade in GRADES or grade == "none" else "",
            search=str(query.get("q", "") or "").strip()[:80],
        )

    def q(self, now: dt.datetime) -> Q:
        """The filters as one condition (also usable inside an aggregate's filter). The search
        may read the organisations once (search_q)."""
        from jixiao.organisations.models import Organisation

        q = Q()
        if self.department_id is not None:
            # The department's units (the parent index), not a join with every organisation.
            units = Organisation.objects.filter(parent_id=self.department_id).values("pk")
            q &= Q(unit__in=units)
        if self.progress == "overdue":
            q &= overdue_q(now)
        elif self.progress:
            q &= PROGRESS_Q[self.progress]
        if self.grade == "none":
            q &= Q(grade="")
        elif self.grade:
            q &= Q(grade=self.grade)
        if self.search:
            q &= search_q(self.search)
        return q

    def apply(self, queryset: QuerySet[Evaluation], now: dt.datetime) -> QuerySet[Evaluation]:
        return queryset.filter(self.q(now))

    def query(self) -> dict[str, str]:
        """The filters as GET parameters (for the links of the next page and the export)."""
        out = {}
        if self.department_id is not None:
            out["department"] = str(self.department_id)
        if self.progress:
            out["state"] = self.progress
        if self.grade:
            out["grade"] = self.grade
        if self.search:
            out["q"] = self.search
        return out


@dataclass
class ProgressRow:
    evaluation: Evaluation
    progress: str
    overdue: bool
    remaining: dt.timedelta | None  # time to the deadline while the unit still has to hand in
    # Whole days left (negative: overdue) while the unit still has to hand in; the one format for
    # time left on every page (evaluations/_countdown.html).
    days_left: int | None = None
    url: str = ""  # the evaluation's page, set by the view

    @property
    def progress_label(self) -> Any:
        return PROGRESS_LABELS[self.progress]


def progress_row(evaluation: Evaluation, now: dt.datetime) -> ProgressRow:
    open_task = evaluation.status in NOT_HANDED_IN
    deadline = evaluation.deadline
    return ProgressRow(
        evaluation=evaluation,
        progress=evaluation.progress,
        overdue=open_task and deadline < now,
        remaining=deadline - now if open_task and deadline >= now else None,
        days_left=days_left(deadline) if open_task else None,
    )


@dataclass
class CampaignProgress:
    rows: list[ProgressRow]  # the page shown
    counts: list[tuple[str, Any, int]]  # (progress, label, count) over the unfiltered scope
    total: int
    overdue: int
    departments: list[tuple[int, str]]
    matching: int = 0  # rows that match the filters, over every page
    page: Page | None = None


def progress_counts(
    scope: QuerySet[Evaluation], now: dt.datetime, matching: Q | None = None, **more: Any
) -> dict[str, Any]:
    """Per progress state, the total, the overdue ones, those ``matching`` the filters and any
    ``more`` aggregates: one aggregate query."""
    extra = {"matching": Count("pk", filter=matching)} if matching else {}
    extra.update(more)
    return scope.aggregate(
        n_all=Count("pk"),
        overdue=Count("pk", filter=overdue_q(now)),
        **{key: Count("pk", filter=q) for key, q in PROGRESS_Q.items()},
        **extra,
    )


def _departments_of(user: User, scope: QuerySet[Evaluation]) -> list[tuple[int, str]]:
    """The department filter's choices: for the bureau every department (a few hundred rows, not
    a pass over the campaign's tasks); a department reviewer sees its own department's units."""
    from jixiao.organisations.models import Organisation, OrganisationKind

    if user.is_bureau_user:
        departments = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT)
    elif user.is_department_user:
        departments = Organisation.objects.filter(pk=user.organisation_id or 0)
    else:
        departments = Organisation.objects.filter(pk__in=scope.values("unit__parent_id"))
    return list(departments.order_by("name").values_list("pk", "name"))


def _progress_queryset(queryset: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    return (
        queryset.select_related("campaign", "unit", "unit__parent", "updated_by").defer(
            "data"
        )  # the content is large and the progress table never shows it
    )


def campaign_progress(
    *,
    user: User,
    campaign: Campaign,
    filters: ProgressFilters | None = None,
    cursor: str | None = None,
    size: int = DEFAULT_PAGE,
    department_id: int | None = None,
    progress: str = "",
) -> CampaignProgress:
    """One page of the campaign's tasks in the user's scope (keyset after ``cursor``), with the
    counts per state over the whole scope: five queries, whatever the number of units."""
    filters = filters or ProgressFilters(department_id=department_id, progress=progress)
    now = timezone.now()
    scope = _scope(user, [campaign])
    wanted = filters.q(now)
    shown = scope.filter(wanted)
    if filters.search:
        # The matching rows counted on their own: inside the aggregate the search is two LIKEs on
        # every task of the campaign (210 of 320 ms at 50,000, EXPLAIN), alone it is the trigram
        # indexes' bitmap of the few that match.
        counts = progress_counts(scope, now)
        counts["matching"] = shown.count()
    else:
        counts = progress_counts(scope, now, wanted)
    page = paginate(
        shown.only("pk", "department_name", "unit_name", "project_name"),
        PROGRESS_SORT,
        cursor=cursor,
        size=size,
        key=lambda e: [e.department_name, e.unit_name, e.project_name, e.pk],
        # one department's units (the reviewer's scope, or the department filter)
        small_scope=not user.is_bureau_user or filters.department_id is not None,
        whole=_progress_queryset(shown).order_by(),  # the page's rows, with their joins
    )
    return CampaignProgress(
        rows=[progress_row(e, now) for e in page.rows],
        counts=[(key, PROGRESS_LABELS[key], counts[key]) for key in PROGRESS_ORDER],
        total=counts["n_all"],
        overdue=counts["overdue"],
        departments=_departments_of(user, scope),
        matching=counts.get("matching", counts["n_all"]),
        page=page,
    )


def progress_export_rows(
    *, user: User, campaign: Campaign, filters: ProgressFilters
) -> tuple[Iterator[ProgressRow], int]:
    """Every matching task, in the table's order, read in chunks (the streamed Excel export),
    and how many there are."""
    now = timezone.now()
    shown = filters.apply(_scope(user, [campaign]), now)
    ordered = _progress_queryset(shown).order_by(*[name for name, _d in PROGRESS_SORT])

    def rows() -> Iterator[ProgressRow]:
        for evaluation in ordered.iterator(chunk_size=2000):
            yield progress_row(evaluation, now)

    return rows(), shown.count()


# ---------------------------------------------------------------- overview


@dataclass
class Reason:
    text: str
    severe: bool  # overdue, a failing score or sent back again: act now


@dataclass
class AttentionItem:
    evaluation: Evaluation
    reasons: list[Reason]
    url: str = ""  # the evaluation's page, set by the view

    @property
    def progress(self) -> str:
        return self.evaluation.progress

    @property
    def progress_label(self) -> Any:
        return PROGRESS_LABELS[self.evaluation.progress]

    @property
    def severity(self) -> int:
        return sum(1 for reason in self.reasons if reason.severe)


@dataclass
class DepartmentLine:
    name: str
    pk: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    overdue: int = 0
    scored: int = 0  # handed in with a total
    score_sum: Decimal = Decimal(0)

    @property
    def handed_in(self) -> int:
        return sum(self.counts.get(key, 0) for key in HANDED_IN)

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.handed_in, self.total)

    @property
    def average(self) -> Decimal | None:
        return _mean(self.score_sum, self.scored)

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(key, 0) for key in PROGRESS_ORDER]

    @property
    def segments(self) -> list[tuple[str, int]]:
        """The non-empty progress states, in order, for the stacked bar."""
        return [(key, self.counts[key]) for key in PROGRESS_ORDER if self.counts.get(key)]


@dataclass
class Overview:
    campaigns: list[Campaign]
    kpis: dict[str, Any]
    departments: list[DepartmentLine]
    attention: list[AttentionItem]  # the page of the needs-attention list shown
    charts: dict[str, Any]
    attention_total: int = 0
    attention_page: Page | None = None


def _mean(total: Decimal, n: int) -> Decimal | None:
    if not n:
        return None
    return (Decimal(total) / n).quantize(Decimal("0.01"))


def largest_campaign(*, user: User, choices: list[tuple[int, list[Campaign]]]) -> Campaign | None:
    """The campaign with the most units in the user's scope (newest first on a tie): where the
    overview opens when the person has not chosen one. One query."""
    visible = [c for _year, group in choices for c in group]
    if not visible:
        return None
    counts = dict(
        Evaluation.objects.filter(unit_scope_q(user, "unit"), campaign__in=visible)
        .order_by()
        .values("campaign")
        .annotate(n=Count("unit", distinct=True))
        .values_list("campaign", "n")
    )
    # ``visible`` is newest first, and max() keeps the first of equals.
    return max(visible, key=lambda c: counts.get(c.pk, 0))


# The evaluations sent back twice, as the overview's queries test them: a subquery or a list of ids.
Twice = QuerySet[Any] | list[int]


def _returned_twice(campaigns: list[Campaign], source: str = "counters") -> Twice:
    """The evaluations of ``campaigns`` sent back (退回) at least twice, as every query of the
    overview tests them. From the returned-twice table the triggers keep, as a subquery: each
    query hashes its few rows once (the queries around it keep the campaigns); grouping every
    return of a province's campaign took 104 ms, and its 500 ids written into each of the
    overview's dozen queries cost 60 ms of building and sending SQL. ``source="direct"``
    groups the transitions themselves into a list (the tests compare both)."""
    if source == "counters":
        return ReturnedTwice.objects.values("evaluation_id")
    return list(
        Transition.objects.filter(evaluation__campaign__in=campaigns, action__in=RETURN_ACTIONS)
        .order_by()
        .values("evaluation_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values_list("evaluation_id", flat=True)
    )


def _attention_q(now: dt.datetime, twice: Twice, campaigns: list[Campaign]) -> Q:
    """Needs attention: overdue, sent back twice or more, handed in below 60, or a target far
    above target (偏离度过大) — from the stored columns, no content decoded."""
    return (
        overdue_q(now, campaigns)
        | Q(pk__in=twice)
        | (SCORED_Q & Q(total__lt=LOW_SCORE))
        | Q(over_completions__gt=0)
    )


def _severity(now: dt.datetime, twice: Twice, campaigns: list[Campaign]) -> Any:
    """How many severe reasons a row has (the list's first sort key, most first)."""

    def one(q: Q) -> Case:
        return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())

    return (
        one(overdue_q(now, campaigns))
        + one(Q(pk__in=twice))
        + one(SCORED_Q & Q(total__lt=LOW_SCORE))
        + F("over_unexplained")
    )


def _counted(user: User, campaigns: list[Campaign]) -> bool:
    """Whether the counters cover exactly the user's scope: a bureau's own campaigns (every task),
    or a department reviewer's units (the counters' department)."""
    if user.is_bureau_user:
        return all(c.bureau_id == user.organisation_id for c in campaigns)
    return bool(user.is_department_user)


def _overview_aggregates(
    attention_q: Q, now: dt.datetime, campaigns: list[Campaign]
) -> dict[str, Any]:
    return {
        "n_all": Count("pk"),
        "overdue": Count("pk", filter=overdue_q(now, campaigns)),
        "scored": Count("pk", filter=SCORED_Q),
        "score_sum": Sum("total", filter=SCORED_Q),
        "attention": Count("pk", filter=attention_q),
        # The grades in the same pass: the four usual ones counted here, any other label
        # (a bureau's own rule-set) read by a second query only when there is one.
        **{f"grade{i}": Count("pk", filter=SCORED_Q & Q(grade=g)) for i, g in enumerate(GRADES)},
        "grade_other": Count("pk", filter=SCORED_Q & ~Q(grade__in=GRADES)),
        **{f"p_{key}": Count("pk", filter=q) for key, q in PROGRESS_Q.items()},
        **{
            f"bin{index}": Count("pk", filter=SCORED_Q & Q(total__gte=low, total__lt=high))
            for index, (low, high) in enumerate(SCORE_BINS)
        },
    }


def _department_rows_direct(
    scope: QuerySet[Evaluation], attention_q: Q, now: dt.datetime, campaigns: list[Campaign]
) -> list[dict[str, Any]]:
    """The overview's figures per department, aggregated over every evaluation in scope (one
    pass): what the counters must equal, and the path for a scope they do not cover."""
    grouped: Any = scope.values("unit__parent_id", "unit__parent__name").annotate(
        **_overview_aggregates(attention_q, now, campaigns)
    )
    return list(grouped)


COUNTER_FIELDS = {
    "n_all": "tasks",
    "scored": "scored",
    "score_sum": "score_sum",
    **{f"grade{i}": column for i, (column, _g) in enumerate(GRADE_COLUMNS)},
    "grade_other": "grade_other",
    **{f"p_{key}": key for key in PROGRESS_Q},
    **{f"bin{i}": column for i, (column, _l, _h) in enumerate(BIN_COLUMNS)},
}


def _department_rows_counted(
    user: User,
    campaigns: list[Campaign],
    scope: QuerySet[Evaluation],
    twice: Twice,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """The same rows as _department_rows_direct, from the counters (evaluations.counters).

    Overdue depends on the clock, so it is not counted: the tasks not handed in without an
    extension are overdue when their campaign's deadline has passed (``pending``), and the ones
    with an extension are counted now from the partial index evaluation_extensions. The
    attention count is the time-free part (``attention_fixed``) plus the overdue tasks not
    already in it (``pending_calm`` and the extensions' own)."""
    counters = DepartmentCounter.objects.filter(campaign__in=campaigns)
    if user.is_department_user:
        counters = counters.filter(department_id=user.organisation_id or 0)
    deadlines = {c.pk: c.deadline for c in campaigns}
    rows: dict[int, dict[str, Any]] = {}

    def row_for(department_id: int) -> dict[str, Any]:
        return rows.setdefault(
            department_id,
            {**{key: 0 for key in COUNTER_FIELDS}, "overdue": 0, "attention": 0},
        )

    for counter in counters.values("campaign_id", "department_id", *COLUMNS):
        row = row_for(counter["department_id"])
        for key, column in COUNTER_FIELDS.items():
            row[key] += counter[column]
        row["attention"] += counter["attention_fixed"]
        if deadlines[counter["campaign_id"]] < now:
            row["overdue"] += counter["pending"]
            row["attention"] += counter["pending_calm"]
    extended = (
        scope.filter(
            deadline_override__isnull=False,
            deadline_override__lt=now,
            status__in=NOT_HANDED_IN,
        )
        .values("unit__parent_id")
        .annotate(
            n=Count("pk"),
            calm=Count("pk", filter=Q(over_completions=0) & ~Q(pk__in=twice)),
        )
    )
    for late in extended:
        row = row_for(late["unit__parent_id"] or 0)
        row["overdue"] += late["n"]
        row["attention"] += late["calm"]
    names = dict(
        Organisation.objects.filter(pk__in=[pk for pk in rows if pk]).values_list("pk", "name")
    )
    out = []
    for department_id, row in rows.items():
        if not row["n_all"]:
            continue  # a department whose last task moved away keeps a row of zeros
        row["unit__parent_id"] = department_id or None
        row["unit__parent__name"] = names.get(department_id)
        out.append(row)
    return out


ATTENTION_SORT = (("severity", True), *PROGRESS_SORT)


def campaign_overview(
    *,
    user: User,
    campaigns: list[Campaign],
    cursor: str | None = None,
    size: int = DEFAULT_PAGE,
    source: str = "counters",
) -> Overview:
    """KPIs, charts, the department table and one page of the "needs attention" list for
    ``campaigns``, all from SQL aggregates over the stored columns (evaluations.summary).

    The department table, score bins, grades and attention count come from the counters kept
    by triggers (evaluations.counters: about 60 rows a campaign) plus the overdue tasks with an
    extension, read live (the clock moves; extensions are few); ``source="direct"`` aggregates
    every evaluation in scope instead (the tests compare both). Queries: the counters (1), the
    departments' names (1), the extensions (1), the attention page (1), its return counts (1),
    one per rule-set among the page's over-completions, and for a department reviewer its
    per-unit chart (1) — constant in the number of units, and only the page's content is
    decoded.
    """
    now = timezone.now()
    scope = _scope(user, campaigns)
    twice = _returned_twice(campaigns, source)
    attention_q = _attention_q(now, twice, campaigns)
    if source == "counters" and _counted(user, campaigns):
        per_department = _department_rows_counted(user, campaigns, scope, twice, now)
    else:
        per_department = _department_rows_direct(scope, attention_q, now, campaigns)
    lines: dict[str, DepartmentLine] = {}
    bins = [0] * len(SCORE_BINS)
    attention_total = 0
    grades: Counter[str] = Counter()
    other_grades = 0
    for row in per_department:
        name = row["unit__parent__name"] or "—"
        line = lines.setdefault(name, DepartmentLine(name=name, pk=row["unit__parent_id"]))
        line.total += row["n_all"]
        line.overdue += row["overdue"]
        line.scored += row["scored"]
        line.score_sum += Decimal(row["score_sum"] or 0)
        for key in PROGRESS_ORDER:
            line.counts[key] = line.counts.get(key, 0) + row[f"p_{key}"]
        for index in range(len(SCORE_BINS)):
            bins[index] += row[f"bin{index}"]
        attention_total += row["attention"]
        for i, grade in enumerate(GRADES):
            grades[grade] += row[f"grade{i}"]
        other_grades += row["grade_other"]
    departments = sorted(lines.values(), key=lambda line: line.name)

    if other_grades:
        for grade, n in (
            scope.filter(SCORED_Q)
            .exclude(grade__in=GRADES)
            .values("grade")
            .annotate(n=Count("pk"))
            .values_list("grade", "n")
        ):
            grades[grade or _("未评级")] += n

    attention, page = (
        _attention_page(
            scope,
            campaigns,
            now,
            twice,
            attention_q,
            cursor=cursor,
            size=size,
            # The streams walk the campaign in name order: right for the bureau's whole
            # campaign; a department's few thousand tasks are sorted whole (walking the
            # campaign to find them took 2.3 s for a 200,000-task campaign).
            streamed=source == "counters" and bool(user.is_bureau_user),
        )
        if attention_total
        else ([], None)
    )

    def summed(key: str) -> int:
        return sum(line.counts.get(key, 0) for line in departments)

    total = sum(line.total for line in departments)
    handed_in = sum(summed(key) for key in HANDED_IN)
    scored = sum(line.scored for line in departments)
    kpis = {
        "total": total,
        "handed_in": handed_in,
        "handed_in_percent": _percent(handed_in, total),
        "approved": summed("approved") + summed("published"),
        "published": summed("published"),
        "returned": summed("returned"),
        "average": _mean(sum((line.score_sum for line in departments), Decimal(0)), scored),
        "overdue": sum(line.overdue for line in departments),
    }
    grade_order = list(GRADES)
    charts = {
        "progress": _progress_chart(user, scope, departments)
        if total
        else _progress_chart(user, None, departments),
        "grades": [
            # "name" keys the colours; "label" is the word shown (grades are stored in Chinese).
            {"name": label, "label": pgettext("grade", label), "value": grades[label]}
            for label in grade_order + sorted(set(grades) - set(grade_order))
            if grades[label]
        ],
        "scores": {
            "bins": ["<60", "60–70", "70–80", "80–90", "90–100"],
            "data": bins,
        },
        "labels": {"no_scores": _("暂无已报送的评分")},
    }
    return Overview(
        campaigns=campaigns,
        kpis=kpis,
        departments=departments,
        attention=attention,
        charts=charts,
        attention_total=attention_total,
        attention_page=page,
    )


ATTENTION_COLUMNS = ("pk", "department_name", "unit_name", "project_name")


def _attention_key(e: Evaluation) -> list[Any]:
    return [e.severity, e.department_name, e.unit_name, e.project_name, e.pk]  # type: ignore[attr-defined]


def attention_ids_direct(
    scope: QuerySet[Evaluation],
    campaigns: list[Campaign],
    now: dt.datetime,
    twice: Twice,
    attention_q: Q,
    *,
    cursor: str | None,
    size: int,
) -> Page:
    """One page of the needs-attention list's rows (narrow columns), by sorting every matching
    row on its severity: what attention_ids must equal (tests)."""
    return paginate(
        scope.filter(attention_q)
        .annotate(severity=_severity(now, twice, campaigns))
        .only(*ATTENTION_COLUMNS),
        ATTENTION_SORT,
        cursor=cursor,
        size=size,
        key=_attention_key,
    )


def attention_ids(
    scope: QuerySet[Evaluation],
    campaigns: list[Campaign],
    now: dt.datetime,
    twice: Twice,
    attention_q: Q,
    *,
    cursor: str | None,
    size: int,
) -> Page:
    """One page of the needs-attention list's rows (narrow columns), most severe first, without
    sorting every matching row (at 50,000 units that sort was most of the overview's time).

    A row's severity is overdue + sent back twice + below 60 + unexplained over-completions, and
    overdue (not handed in) and below 60 (handed in) never meet. So outside the few rows sent back
    twice or with an unexplained over-completion (the candidates, sorted whole), a row's severity
    is 1 (overdue or below 60) or 0 (an explained over-completion only), and each of those two
    streams is read per campaign in name order along evaluation_progress_order, stopping after
    size + 1 rows past the cursor; the candidates all have severity ≥ 1, so the 0 stream is read
    only when the others do not fill the page. The page is the first size + 1 of the streams' rows, ordered
    by the database (its collation, as the cursor's comparisons)."""
    values = decode(cursor, len(ATTENTION_SORT))
    if values is not None and not isinstance(values[0], int):
        values = None
    severity = _severity(now, twice, campaigns)
    # over_unexplained ≤ over_completions: the second test lets the partial index
    # evaluation_over_completed serve the first.
    unexplained = Q(over_completions__gt=0, over_unexplained__gt=0)
    candidates = Q(pk__in=twice) | unexplained
    # Two reads, not one OR: the unexplained over-completions (about 10,000 in a province's year)
    # come from their covering index alone (evaluation_unexplained_cover), the few sent back twice
    # by id. Under the OR PostgreSQL fetched every candidate's row from the table (160 ms).
    ids: list[int] = []
    for part in (Q(pk__in=twice), unexplained):
        found = paginate(
            scope.filter(part).annotate(severity=severity).only(*ATTENTION_COLUMNS),
            ATTENTION_SORT,
            cursor=cursor if values is not None else None,
            size=size + 1,
            key=_attention_key,
        )
        ids += [e.pk for e in found.rows if e.pk not in ids]
    name_order = [name for name, _d in PROGRESS_SORT]
    low = SCORED_Q & Q(total__lt=LOW_SCORE)
    for level in (1, 0):
        if values is not None and values[0] < level:
            continue  # the cursor is past this severity
        if level == 0 and len(ids) > size:
            break  # every candidate has severity ≥ 1: the page is full before any 0
        for campaign in campaigns:
            stream = scope.filter(campaign=campaign).exclude(candidates)
            if level == 1:
                # Spelled out, not ``severity=1``: the planner then sees how common these rows
                # are and walks evaluation_progress_order, stopping after size + 1 rows.
                stream = stream.filter(overdue_q(now, [campaign]) | low)
            else:
                stream = (
                    stream.filter(over_completions__gt=0)
                    .annotate(severity=severity)
                    .filter(severity=0)
                )
            if values is not None and values[0] == level:
                try:
                    stream = stream.filter(after(PROGRESS_SORT, values[1:]))
                    stream.query.get_compiler(using=stream.db).as_sql()
                except (ValueError, TypeError, ArithmeticError, ValidationError):
                    return attention_ids_direct(
                        scope, campaigns, now, twice, attention_q, cursor=None, size=size
                    )
            ids += list(stream.order_by(*name_order).values_list("pk", flat=True)[: size + 1])
    rows = list(
        Evaluation.objects.filter(pk__in=ids)
        .annotate(severity=severity)
        .only(*ATTENTION_COLUMNS)
        .order_by(*[f"-{n}" if d else n for n, d in ATTENTION_SORT])[: size + 1]
    )
    more = len(rows) > size
    rows = rows[:size]
    return Page(
        rows=rows,
        next_cursor=encode(_attention_key(rows[-1])) if more and rows else None,
        size=size,
        cursor=cursor if values is not None else None,
    )


def _attention_page(
    scope: QuerySet[Evaluation],
    campaigns: list[Campaign],
    now: dt.datetime,
    twice: Twice,
    attention_q: Q,
    *,
    cursor: str | None,
    size: int,
    streamed: bool = True,
) -> tuple[list[AttentionItem], Page]:
    """One page of the needs-attention list, most severe first, with each row's reasons (from
    the stored columns and the page's return counts: no content decoded)."""
    # Two steps: the page's ids from the narrow columns (attention_ids), then those rows whole —
    # sorting the matching rows with their content read 730 ms at 50,000 units (docs/scale.md).
    read = attention_ids if streamed else attention_ids_direct
    page = read(scope, campaigns, now, twice, attention_q, cursor=cursor, size=size)
    found = {
        e.pk: e
        for e in Evaluation.objects.filter(pk__in=[e.pk for e in page.rows])
        .select_related("campaign", "unit", "unit__parent")
        .defer("data")  # the reasons come from stored columns: no content decoded
    }
    evaluations: list[Evaluation] = [found[e.pk] for e in page.rows if e.pk in found]
    returns = return_counts(campaigns=campaigns, ids=[e.pk for e in evaluations])
    items = []
    for e in evaluations:
        reasons: list[Reason] = []
        if e.status in NOT_HANDED_IN and e.deadline < now:
            when = timezone.localtime(e.deadline).strftime("%m-%d %H:%M")
            reasons.append(Reason(_("逾期未报送（截止 {when}）").format(when=when), severe=True))
        times_returned = returns.get(e.pk, 0)
        if times_returned >= 2:
            reasons.append(Reason(_("已被退回 {n} 次").format(n=times_returned), severe=True))
        if e.progress in HANDED_IN and e.total is not None and e.total < LOW_SCORE:
            reasons.append(Reason(_("得分 {total} 低于 60 分").format(total=e.total), severe=True))
        if e.over_unexplained:
            # The stored counts are the engine's own flags (summary.over_completions); which
            # targets, and by how much, the evaluation's page shows one click away. Scoring the
            # page's rows again to name them cost 100 ms for 50 rows at 50,000 units.
            text = _("{n} 项指标偏离度过大，其中 {m} 项未说明原因")
            reasons.append(
                Reason(text.format(n=e.over_completions, m=e.over_unexplained), severe=True)
            )
        elif e.over_completions:
            text = _("{n} 项指标偏离度过大，均已说明原因")
            reasons.append(Reason(text.format(n=e.over_completions), severe=False))
        items.append(AttentionItem(evaluation=e, reasons=reasons))
    return items, page


# Above this many tasks a department reviewer's progress chart stacks by department, not by unit:
# one bar per task stops being readable (and was 4,000 bars in a project campaign at 50,000 units).
PER_UNIT_BARS = 200


def _progress_chart(
    user: User, scope: QuerySet[Evaluation] | None, departments: list[DepartmentLine]
) -> dict[str, Any]:
    """Stacked bars of progress: one per department for the bureau; a department reviewer, who
    has one department, gets one bar per unit instead (each coloured by its state) — up to
    PER_UNIT_BARS tasks: a department of thousands of tasks (a project campaign at province
    scale) gets its department's stacked bar, as the bureau does, not thousands of bars."""
    tasks = sum(line.total for line in departments)
    if user.is_department_user and scope is not None and tasks <= PER_UNIT_BARS:
        units = list(
            scope.order_by(*[name for name, _d in PROGRESS_SORT]).values_list(
                "unit__name", "project_name", "status", "first_saved_at"
            )[: PER_UNIT_BARS + 1]
        )
        if len(units) <= PER_UNIT_BARS:  # the lines' totals can be a moment old
            names = [name + (f" · {project}" if project else "") for name, project, *_r in units]
            states = [
                Evaluation(status=status, first_saved_at=first).progress
                for _n, _p, status, first in units
            ]
            return {
                "per_unit": True,
                "departments": names,
                "series": [
                    {
                        "key": key,
                        "name": str(PROGRESS_LABELS[key]),
                        "data": [1 if state == key else 0 for state in states],
                    }
                    for key in PROGRESS_ORDER
                ],
            }
    return {
        "per_unit": False,
        "departments": [line.name for line in departments],
        "series": [
            {
                "key": key,
                "name": str(PROGRESS_LABELS[key]),
                "data": [line.counts.get(key, 0) for line in departments],
            }
            for key in PROGRESS_ORDER
        ],
    }


def return_counts(
    *, campaigns: list[Campaign], ids: list[int] | None = None, user: User | None = None
) -> dict[int, int]:
    """How many times each evaluation (of ``ids``, or in ``user``'s scope) was sent back (退回),
    in one query."""
    rows = Transition.objects.filter(
        evaluation__campaign__in=campaigns, action__in=RETURN_ACTIONS
    ).order_by()
    if ids is not None:
        rows = rows.filter(evaluation_id__in=ids)
    if user is not None:
        rows = rows.filter(unit_scope_q(user, "evaluation__unit"))
    return dict(
        rows.values("evaluation_id").annotate(n=Count("pk")).values_list("evaluation_id", "n")
    )


def overview_choices(*, user: User) -> list[tuple[int, list[Campaign]]]:
    """Visible campaigns grouped by year, newest first: the overview's selector."""
    by_year: dict[int, list[Campaign]] = {}
    for campaign in campaigns_visible_to(user=user).order_by("-year", "-created_at"):
        by_year.setdefault(campaign.year, []).append(campaign)
    return list(by_year.items())


@dataclass
class YearFigures:
    """One year of the overview's year comparison (历年对比), over the self-evaluations in scope."""

    year: int
    tasks: int
    approved: int
    average: str | None  # printed through the one display rule (scoring.rounding)
    grades: list[tuple[str, int]] = field(default_factory=list)
    # 绩效目标 met and in all over the approved ones (stored with each 结果应用 row).
    targets_met: int | None = None
    targets_total: int | None = None

    @property
    def approved_share(self) -> str | None:
        if not self.tasks:
            return None
        return format_percent(Decimal(self.approved) * 100 / self.tasks)

    @property
    def targets_share(self) -> str | None:
        if self.targets_met is None or not self.targets_total:
            return None
        return format_percent(Decimal(self.targets_met) * 100 / self.targets_total)


# Self-evaluations only: target declarations and monitoring reports carry no score.
SELF_EVALUATION_KINDS = ("department", "project")
APPROVED_STATUSES = (Status.APPROVED, Status.PUBLISHED)


def year_comparison(*, user: User, years: int = 5, source: str = "counters") -> list[YearFigures]:
    """The last ``years`` evaluation years in the user's scope, newest first: tasks, approved
    (审定) ones, their average score, performance targets met of all (from the stored 结果应用
    rows) and grade counts. Tasks, approvals, the mean and the four usual grades come from the
    counters (evaluations.counters); the targets from the sums of the 结果应用 rows per year and
    department (evaluations.YearTargets, kept by the results app's triggers); a grade outside
    the four from the approved rows of that year only. ``source="direct"`` aggregates every
    evaluation and result row in scope (the tests compare both)."""
    if source != "counters" or not can_see_campaigns(user):
        return _year_comparison_direct(user=user, years=years)
    counters = DepartmentCounter.objects.filter(
        campaign__kind__in=SELF_EVALUATION_KINDS, tasks__gt=0
    )
    if user.is_department_user:
        counters = counters.filter(department_id=user.organisation_id or 0)
    sums = {
        "tasks": Sum("tasks"),
        "approved_n": Sum("approved"),
        "published_n": Sum("published"),
        "scored": Sum("approved_scored"),
        "score_sum": Sum("approved_score_sum"),
        "other": Sum("approved_grade_other"),
        **{f"g_{column}": Sum(f"approved_{column}") for column, _g in GRADE_COLUMNS},
    }
    grouped: Any = counters.values("campaign__year").annotate(**sums)
    rows: list[dict[str, Any]] = list(grouped.order_by("-campaign__year")[:years])
    if not rows:
        return []
    wanted = [r["campaign__year"] for r in rows]
    scope = Evaluation.objects.filter(
        unit_scope_q(user, "unit"),
        campaign__kind__in=SELF_EVALUATION_KINDS,
        campaign__year__in=wanted,
        status__in=APPROVED_STATUSES,
    )
    target_sums = YearTargets.objects.filter(year__in=wanted)
    if user.is_department_user:
        target_sums = target_sums.filter(department_id=user.organisation_id or 0)
    targets: dict[int, dict[str, Any]] = {
        r["year"]: (
            {"met": r["met"], "total": r["total"]} if r["with_targets"] else {}
        )  # no result row with its targets read: unknown, as Sum over none is
        for r in target_sums.values("year").annotate(
            with_targets=Sum("with_targets"), met=Sum("targets_met"), total=Sum("targets_total")
        )
    }
    grades: dict[int, Counter[str]] = {year: Counter() for year in wanted}
    for r in rows:
        for column, label in GRADE_COLUMNS:
            if r[f"g_{column}"]:
                grades[r["campaign__year"]][label] += r[f"g_{column}"]
    others = [r["campaign__year"] for r in rows if r["other"]]
    if others:
        for year, grade, n in (
            scope.filter(campaign__year__in=others)
            .exclude(grade__in=["", *(label for _c, label in GRADE_COLUMNS)])
            .values_list("campaign__year", "grade")
            .annotate(n=Count("pk"))
            .values_list("campaign__year", "grade", "n")
        ):
            grades[year][grade] += n
    out = []
    for r in rows:
        year = r["campaign__year"]
        found: dict[str, Any] = targets.get(year, {})
        out.append(
            YearFigures(
                year=year,
                tasks=r["tasks"],
                approved=r["approved_n"] + r["published_n"],
                average=None
                if not r["scored"]
                else format_score(Decimal(r["score_sum"]) / r["scored"]),
                grades=sorted(grades[year].items()),
                targets_met=found.get("met"),
                targets_total=found.get("total"),
            )
        )
    return out


def _year_comparison_direct(*, user: User, years: int = 5) -> list[YearFigures]:
    """year_comparison aggregated over every evaluation in scope (two queries)."""
    from django.db.models import Avg, Q, Sum

    approved = Q(status__in=APPROVED_STATUSES)
    scope = Evaluation.objects.filter(
        unit_scope_q(user, "unit"), campaign__kind__in=SELF_EVALUATION_KINDS
    )
    rows = list(
        scope.values("campaign__year")
        .annotate(
            tasks=Count("pk"),
            approved=Count("pk", filter=approved),
            average=Avg("total", filter=approved),
        )
        .order_by("-campaign__year")[:years]
    )
    if not rows:
        return []
    wanted = [r["campaign__year"] for r in rows]
    # The 结果应用 rows (one per approved self-evaluation, kept current by each review step) hold
    # the 指标达成 counts, under their own year and stored department; read through the reverse
    # lookup, so this floor does not import the results app above it.
    entries = Evaluation.objects.filter(result_entry__year__in=wanted)
    if user.is_department_user:
        entries = entries.filter(result_entry__department_id=user.organisation_id or 0)
    elif user.is_unit_user:
        entries = entries.filter(result_entry__unit_id=user.organisation_id or 0)
    elif not user.is_bureau_user:
        entries = entries.none()
    targets: dict[int, Any] = {
        r["result_entry__year"]: r
        for r in entries.values("result_entry__year").annotate(
            met=Sum("result_entry__targets_met"), total=Sum("result_entry__targets_total")
        )
    }
    grades: dict[int, Counter[str]] = {year: Counter() for year in wanted}
    for year, grade, n in (
        scope.filter(approved, campaign__year__in=wanted)
        .exclude(grade="")
        .values_list("campaign__year", "grade")
        .annotate(n=Count("pk"))
        .values_list("campaign__year", "grade", "n")
    ):
        grades[year][grade] += n
    return [
        YearFigures(
            year=r["campaign__year"],
            tasks=r["tasks"],
            approved=r["approved"],
            average=None if r["average"] is None else format_score(Decimal(r["average"])),
            grades=sorted(grades[r["campaign__year"]].items()),
            targets_met=targets.get(r["campaign__year"], {}).get("met"),
            targets_total=targets.get(r["campaign__year"], {}).get("total"),
        )
        for r in rows
    ]
