"""Reads of campaigns, their progress and the city overview, scoped to the acting user.

Bureau users see every campaign of their bureau and every unit; a department reviewer sees the
campaigns that gave tasks to its units, and only those units; everyone else sees nothing (404).
Each selector runs a fixed number of queries whatever the number of units (no per-row query).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jixiao.campaigns.models import Campaign
from jixiao.campaigns.rulesets import get_ruleset
from jixiao.evaluations.models import PROGRESS_LABELS, Evaluation, Status
from jixiao.evaluations.selectors import days_left
from jixiao.organisations.models import User
from jixiao.organisations.selectors import unit_scope_q
from jixiao.reviews.models import Transition
from scoring.loading import InputError
from scoring.rounding import format_percent, format_score
from scoring.ruleset import Thresholds

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
        pk__in=Evaluation.objects.filter(unit_scope_q(user, "unit")).values("campaign_id")
    )


def get_campaign(*, user: User, campaign_id: int) -> Campaign:
    campaign = campaigns_visible_to(user=user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def campaign_list(*, user: User) -> list[dict[str, Any]]:
    """Each visible campaign with its task counts in the user's scope (two queries)."""
    campaigns = list(campaigns_visible_to(user=user).select_related("created_by"))
    counts: dict[int, Counter[str]] = {c.pk: Counter() for c in campaigns}
    rows = (
        Evaluation.objects.filter(unit_scope_q(user, "unit"), campaign__in=campaigns)
        .values("campaign_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["campaign_id"]][row["status"]] += row["n"]
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


@dataclass
class CampaignProgress:
    rows: list[ProgressRow]
    counts: list[tuple[str, Any, int]]  # (progress, label, count) over the unfiltered scope
    total: int
    overdue: int
    departments: list[tuple[int, str]]


def campaign_progress(
    *, user: User, campaign: Campaign, department_id: int | None = None, progress: str = ""
) -> CampaignProgress:
    """Every task of the campaign in the user's scope: progress, deadline, score (one query)."""
    now = timezone.now()
    evaluations = list(
        Evaluation.objects.filter(unit_scope_q(user, "unit"), campaign=campaign)
        .select_related("campaign", "unit", "unit__parent", "updated_by")
        .defer("data")  # the content is large and the progress table never shows it
        .order_by("unit__parent__name", "unit__name", "project_name")
    )
    rows = []
    for evaluation in evaluations:
        open_task = evaluation.status in NOT_HANDED_IN
        deadline = evaluation.deadline
        rows.append(
            ProgressRow(
                evaluation=evaluation,
                progress=evaluation.progress,
                overdue=open_task and deadline < now,
                remaining=deadline - now if open_task and deadline >= now else None,
                days_left=days_left(deadline) if open_task else None,
            )
        )
    counter = Counter(row.progress for row in rows)
    departments = sorted(
        {
            (r.evaluation.unit.parent_id, r.evaluation.unit.parent.name)
            for r in rows
            if r.evaluation.unit.parent is not None
        },
        key=lambda d: d[1],
    )
    shown = [
        r
        for r in rows
        if (department_id is None or r.evaluation.unit.parent_id == department_id)
        and (not progress or r.progress == progress or (progress == "overdue" and r.overdue))
    ]
    return CampaignProgress(
        rows=shown,
        counts=[(key, PROGRESS_LABELS[key], counter[key]) for key in PROGRESS_ORDER],
        total=len(rows),
        overdue=sum(1 for r in rows if r.overdue),
        departments=[(pk, name) for pk, name in departments if pk is not None],
    )


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
    scores: list[Decimal] = field(default_factory=list)

    @property
    def handed_in(self) -> int:
        return sum(self.counts.get(key, 0) for key in HANDED_IN)

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.handed_in, self.total)

    @property
    def average(self) -> Decimal | None:
        return _average(self.scores)

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
    attention: list[AttentionItem]
    charts: dict[str, Any]


def _average(scores: list[Decimal]) -> Decimal | None:
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.01"))


def _thresholds(refs: set[str]) -> dict[str, Thresholds]:
    found = {}
    for ref in refs:
        try:
            found[ref] = get_ruleset(ref).thresholds
        except InputError:
            found[ref] = Thresholds()
    return found


def over_completions(data: dict[str, Any], threshold: Decimal) -> list[tuple[str, Decimal, bool]]:
    """Targets far above target (偏离度过大): (name, completion %, explained) from stored data."""
    found = []
    for target in data.get("targets") or []:
        if target.get("direction", ">=") not in (">=", "="):
            continue
        try:
            goal = Decimal(str(target.get("target")))
            actual = Decimal(str(target.get("actual")))
        except (InvalidOperation, TypeError, ValueError):
            continue
        if goal <= 0:
            continue
        rate = actual * 100 / goal
        if rate > threshold:
            found.append(
                (
                    str(target.get("name", "")),
                    rate.quantize(Decimal("0.01")),
                    bool(str(target.get("explanation") or "").strip()),
                )
            )
    return found


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


def campaign_overview(*, user: User, campaigns: list[Campaign]) -> Overview:
    """KPIs, charts, the department table and the "needs attention" list for ``campaigns``.

    Queries: evaluations (1), return counts (1), and one per distinct stored rule-set for its
    thresholds — constant in the number of units.
    """
    now = timezone.now()
    evaluations = list(
        Evaluation.objects.filter(unit_scope_q(user, "unit"), campaign__in=campaigns)
        .select_related("campaign", "unit", "unit__parent")
        .order_by("unit__parent__name", "unit__name", "project_name")
    )
    returns = return_counts(user=user, campaigns=campaigns) if evaluations else {}
    thresholds = _thresholds({e.ruleset_ref for e in evaluations})

    lines: dict[str, DepartmentLine] = {}
    attention: list[AttentionItem] = []
    grades: Counter[str] = Counter()
    bins = [0] * len(SCORE_BINS)
    scores: list[Decimal] = []
    progress_counts: Counter[str] = Counter()
    overdue_total = 0
    for e in evaluations:
        progress = e.progress
        progress_counts[progress] += 1
        name = e.unit.parent.name if e.unit.parent else "—"
        line = lines.setdefault(name, DepartmentLine(name=name, pk=e.unit.parent_id))
        line.total += 1
        line.counts[progress] = line.counts.get(progress, 0) + 1
        overdue = e.status in NOT_HANDED_IN and e.deadline < now
        reasons: list[Reason] = []
        if overdue:
            line.overdue += 1
            overdue_total += 1
            when = timezone.localtime(e.deadline).strftime("%m-%d %H:%M")
            reasons.append(Reason(_("逾期未报送（截止 {when}）").format(when=when), severe=True))
        times_returned = returns.get(e.pk, 0)
        if times_returned >= 2:
            reasons.append(Reason(_("已被退回 {n} 次").format(n=times_returned), severe=True))
        if progress in HANDED_IN and e.total is not None:
            line.scores.append(e.total)
            scores.append(e.total)
            grades[e.grade or _("未评级")] += 1
            for index, (low, high) in enumerate(SCORE_BINS):
                if low <= e.total < high:
                    bins[index] += 1
            if e.total < LOW_SCORE:
                reasons.append(
                    Reason(_("得分 {total} 低于 60 分").format(total=e.total), severe=True)
                )
        limit = thresholds[e.ruleset_ref].over_completion
        for target_name, rate, explained in over_completions(e.data, limit):
            reasons.append(
                Reason(
                    (
                        _("“{name}”完成率 {rate}%，超过 {limit}%，已说明原因")
                        if explained
                        else _("“{name}”完成率 {rate}%，超过 {limit}%，未说明原因")
                    ).format(name=target_name, rate=rate, limit=limit),
                    severe=not explained,
                )
            )
        if reasons:
            attention.append(AttentionItem(evaluation=e, reasons=reasons))

    # The most urgent first; within the same urgency, by department and unit as fetched.
    attention.sort(key=lambda item: -item.severity)
    total = len(evaluations)
    handed_in = sum(progress_counts[key] for key in HANDED_IN)
    departments = sorted(lines.values(), key=lambda line: line.name)
    kpis = {
        "total": total,
        "handed_in": handed_in,
        "handed_in_percent": _percent(handed_in, total),
        "approved": progress_counts["approved"] + progress_counts["published"],
        "published": progress_counts["published"],
        "returned": progress_counts["returned"],
        "average": _average(scores),
        "overdue": overdue_total,
    }
    grade_order = ["优", "良", "中", "差"]
    charts = {
        "progress": _progress_chart(user, evaluations, departments),
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
    )


def _progress_chart(
    user: User, evaluations: list[Evaluation], departments: list[DepartmentLine]
) -> dict[str, Any]:
    """Stacked bars of progress: one per department for the bureau; a department reviewer, who
    has one department, gets one bar per unit instead (each coloured by its state)."""
    if user.is_department_user:
        names = [
            e.unit.name + (f" · {e.project_name}" if e.project_name else "") for e in evaluations
        ]
        states = [e.progress for e in evaluations]
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


def return_counts(*, user: User, campaigns: list[Campaign]) -> dict[int, int]:
    """How many times each evaluation in scope was sent back (退回), in one query."""
    rows = (
        Transition.objects.filter(
            unit_scope_q(user, "evaluation__unit"),
            evaluation__campaign__in=campaigns,
            action__in=RETURN_ACTIONS,
        )
        .values("evaluation_id")
        .annotate(n=Count("pk"))
        .values_list("evaluation_id", "n")
    )
    return dict(rows)


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


def year_comparison(*, user: User, years: int = 5) -> list[YearFigures]:
    """The last ``years`` evaluation years in the user's scope, newest first: tasks, approved
    (审定) ones, their average score, performance targets met of all (from the stored 结果应用
    rows) and grade counts — two aggregate queries, whatever the size of the city (stored
    totals and grades, no content decoded)."""
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
            # The 结果应用 row (one per approved evaluation) holds the counts; a reverse lookup,
            # so this floor does not import the results app above it.
            targets_met=Sum("result_entry__targets_met", filter=approved),
            targets_total=Sum("result_entry__targets_total", filter=approved),
        )
        .order_by("-campaign__year")[:years]
    )
    if not rows:
        return []
    wanted = [r["campaign__year"] for r in rows]
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
            targets_met=r["targets_met"],
            targets_total=r["targets_total"],
        )
        for r in rows
    ]
