"""Reads of 绩效运行监控, scoped to what the acting user may see (unit / department / bureau).

The city-wide warning list reads the stored warnings table only (never a report's JSON): filtered by
round, department, level and reason; sorted by a few fixed orders; paged with a keyset, so a page
costs the same few queries on the first page and the thousandth.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from jixiao.campaigns.models import Campaign, EvaluationKind
from jixiao.evaluations.models import Evaluation
from jixiao.monitoring.models import MonitoringWarning, WarningReason
from jixiao.organisations.models import Organisation, OrganisationKind, User
from jixiao.organisations.selectors import unit_fk_scope_q, unit_scope_q

PAGE_SIZE = 50

# sort key → the ordering: (field, descending) pairs ending in the id, so every row has one place.
SORTS: dict[str, tuple[tuple[str, bool], ...]] = {
    "level": (("level", True), ("shortfall", True), ("id", False)),
    "shortfall": (("shortfall", True), ("id", False)),
    "department": (("department_name", False), ("unit_name", False), ("id", False)),
    "unit": (("unit_name", False), ("project_name", False), ("id", False)),
}
DECIMAL_FIELDS = frozenset({"shortfall"})


def monitoring_campaigns(*, user: User) -> list[Campaign]:
    """The monitoring rounds the user has reports in (the bureau: all of its rounds), newest first."""
    rounds = Campaign.objects.filter(kind=EvaluationKind.MONITORING)
    if not user.is_bureau_user:
        rounds = rounds.filter(
            pk__in=Evaluation.objects.filter(unit_scope_q(user, "unit")).values("campaign")
        )
    return list(rounds.order_by("-year", "-created_at"))


@dataclass(frozen=True)
class WarningFilter:
    campaign_id: int | None = None
    department_id: int | None = None
    level: int | None = None
    reason: str = ""
    sort: str = "level"


def visible_warnings(*, user: User) -> QuerySet[MonitoringWarning]:
    if not (user.is_authenticated and user.organisation_id):
        raise Http404
    # Scoped on the warning's own unit column (unit_fk_scope_q): no join with every organisation.
    return MonitoringWarning.objects.filter(unit_fk_scope_q(user, "unit"))


def filtered_warnings(*, user: User, filters: WarningFilter) -> QuerySet[MonitoringWarning]:
    rows = visible_warnings(user=user)
    if filters.campaign_id:
        rows = rows.filter(campaign_id=filters.campaign_id)
    if filters.department_id:
        rows = rows.filter(department_id=filters.department_id)
    if filters.level in (1, 2):
        rows = rows.filter(level=filters.level)
    if filters.reason in WarningReason.values:
        rows = rows.filter(reason=filters.reason)
    return rows


def encode_cursor(row: MonitoringWarning, sort: str) -> str:
    values = [str(getattr(row, field)) for field, _desc in SORTS[sort]]
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(text: str, sort: str) -> list[Any] | None:
    """The cursor's values, or None for anything this page did not write (never an error)."""
    if not text or len(text) > 2000:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        values = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    fields = SORTS[sort]
    if not isinstance(values, list) or len(values) != len(fields):
        return None
    out: list[Any] = []
    for (field, _desc), value in zip(fields, values, strict=True):
        if not isinstance(value, str):
            return None
        try:
            if field in ("id", "level"):
                if not value.isdigit() or len(value) > 18:
                    return None
                out.append(int(value))
            elif field in DECIMAL_FIELDS:
                number = Decimal(value)
                if not number.is_finite() or abs(number) >= Decimal(10) ** 10:
                    return None
                out.append(number)
            else:
                out.append(value)
        except InvalidOperation:
            return None
    return out


def _after(sort: str, values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the ``sort`` order (lexicographic keyset)."""
    fields = SORTS[sort]
    condition = Q(pk__in=[])
    for i, (field, desc) in enumerate(fields):
        equal = {f: v for (f, _d), v in zip(fields[:i], values[:i], strict=True)}
        step = Q(**equal, **{f"{field}__{'lt' if desc else 'gt'}": values[i]})
        condition |= step
    return condition


@dataclass(frozen=True)
class WarningPage:
    rows: list[MonitoringWarning]
    next_cursor: str  # "" on the last page
    count: int
    red: int
    yellow: int


def warning_page(
    *, user: User, filters: WarningFilter, after: str = "", size: int = PAGE_SIZE
) -> WarningPage:
    """One page of the warning list. Queries: the rows (with their report's status) and the counts
    by level — the same for any page and any page size."""
    sort = filters.sort if filters.sort in SORTS else "level"
    rows = filtered_warnings(user=user, filters=filters)
    counts = {
        level: n
        for level, n in rows.order_by()
        .values_list("level")
        .annotate(n=_count())
        .values_list("level", "n")
    }
    values = decode_cursor(after, sort)
    if values is not None:
        rows = rows.filter(_after(sort, values))
    ordering = [f"-{f}" if desc else f for f, desc in SORTS[sort]]
    page = list(
        rows.select_related("evaluation").only(*_LIST_FIELDS).order_by(*ordering)[: size + 1]
    )
    more = len(page) > size
    page = page[:size]
    return WarningPage(
        rows=page,
        next_cursor=encode_cursor(page[-1], sort) if more and page else "",
        count=sum(counts.values()),
        red=counts.get(2, 0),
        yellow=counts.get(1, 0),
    )


def _count() -> Any:
    from django.db.models import Count

    return Count("id")


_LIST_FIELDS = (
    "id",
    "campaign_id",
    "unit_id",
    "department_id",
    "project_id",
    "unit_name",
    "department_name",
    "project_name",
    "target_code",
    "target_name",
    "level",
    "reason",
    "shortfall",
    "time_progress",
    "execution_progress",
    "target_value",
    "expected_value",
    "completion",
    "text",
    "has_cause",
    "has_measures",
    "raised_at",
    "evaluation__id",
    "evaluation__status",
    "evaluation__version",
)


def export_rows(*, user: User, filters: WarningFilter, limit: int) -> list[MonitoringWarning]:
    sort = filters.sort if filters.sort in SORTS else "level"
    ordering = [f"-{f}" if desc else f for f, desc in SORTS[sort]]
    return list(
        filtered_warnings(user=user, filters=filters)
        .select_related("evaluation")
        .only(*_LIST_FIELDS)
        .order_by(*ordering)[:limit]
    )


def departments_for_filter(*, user: User) -> list[Organisation]:
    departments = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, is_active=True)
    if user.is_department_user:
        departments = departments.filter(pk=user.organisation_id or 0)
    elif not user.is_bureau_user:
        return []
    return list(departments.order_by("name"))


def get_warning(*, user: User, warning_id: int) -> MonitoringWarning:
    warning = visible_warnings(user=user).filter(pk=warning_id).first()
    if warning is None:
        raise Http404
    return warning


# --- history beside each target in the year-end self-evaluation ----------------------------------


@dataclass(frozen=True)
class RoundFigure:
    """One round's figures for one target: value to date and expected full-year value."""

    campaign_title: str
    as_of: Any
    status: str
    to_date: Any
    expected: Any
    likelihood: str
    level: int


def monitoring_history(
    *, user: User, unit_id: int, year: int, project_id: int | None
) -> dict[str, list[RoundFigure]]:
    """Per target code, every monitoring round's figures for this unit (and project) and year,
    oldest round first. One query (reports with their round's settings); scoped."""
    reports = (
        Evaluation.objects.filter(
            unit_scope_q(user, "unit"),
            Q(project_id=project_id) if project_id is not None else Q(project__isnull=True),
            unit_id=unit_id,
            campaign__kind=EvaluationKind.MONITORING,
            campaign__year=year,
        )
        .select_related("campaign__monitoring_round")
        .order_by("campaign__monitoring_round__as_of", "campaign__created_at", "pk")
    )
    levels: dict[tuple[int, str], int] = {}
    out: dict[str, list[RoundFigure]] = {}
    rows = list(reports)
    if rows:
        for evaluation_id, code, level in MonitoringWarning.objects.filter(
            evaluation__in=rows
        ).values_list("evaluation_id", "target_code", "level"):
            key = (evaluation_id, code)
            levels[key] = max(levels.get(key, 0), level)
    for evaluation in rows:
        campaign = evaluation.campaign
        settings = getattr(campaign, "monitoring_round", None)
        for target in evaluation.data.get("targets") or []:
            code = str(target.get("code") or "")
            if not code:
                continue
            out.setdefault(code, []).append(
                RoundFigure(
                    campaign_title=campaign.title,
                    as_of=settings.as_of if settings else None,
                    status=str(evaluation.get_status_display()),
                    to_date=target.get("to_date"),
                    expected=target.get("expected"),
                    likelihood=str(target.get("likelihood") or ""),
                    level=levels.get((evaluation.pk, code), 0),
                )
            )
    return out


@dataclass(frozen=True)
class TargetHistory:
    code: str
    name: str
    rounds: list[RoundFigure]


def history_context(*, user: User, evaluation: Evaluation) -> dict[str, Any]:
    """``monitoring_history`` for ``monitoring/_history.html`` beside a year-end self-evaluation's
    targets: each target (by code) with every monitoring round's figures of the same unit, project
    and year. Empty for a monitoring report itself and when there was no round. The caller checked
    that the user may see ``evaluation``."""
    data = evaluation.data or {}
    if data.get("kind") not in ("department", "project", None):
        return {"monitoring_history": []}
    history = monitoring_history(
        user=user,
        unit_id=evaluation.unit_id,
        year=evaluation.campaign.year,
        project_id=evaluation.project_id,
    )
    if not history:
        return {"monitoring_history": []}
    rows = []
    for target in data.get("targets") or []:
        code = str(target.get("code") or "")
        if code in history:
            rows.append(TargetHistory(code, str(target.get("name") or ""), history[code]))
    return {"monitoring_history": rows}
