"""Reads of 结果应用 (the bureau's): the stored rows with their advice, filtered, keyset-paged."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import Q, QuerySet

from jixiao.organisations.models import User
from jixiao.results.models import AdviceRule, ResultEntry
from jixiao.results.services import advice_text
from scoring.rounding import display_percent, round_score

PAGE_SIZE = 50


@dataclass(frozen=True)
class ResultFilters:
    year: int | None = None
    department: int | None = None
    grade: str = ""
    with_tasks: bool = False

    @classmethod
    def from_query(cls, query: Any) -> ResultFilters:
        def number(name: str) -> int | None:
            raw = str(query.get(name, "")).strip()
            return int(raw) if raw.isdigit() and len(raw) < 12 else None

        grade = str(query.get("grade", "")).strip()
        return cls(
            year=number("year"),
            department=number("department"),
            grade=grade if grade in ("优", "良", "中", "差") else "",
            with_tasks=str(query.get("with_tasks", "")) == "1",
        )


@dataclass(frozen=True)
class Row:
    entry: ResultEntry
    advice: str
    reason: str  # the override's reason, or "" when the table's advice applies
    overridden: bool


def entries(*, user: User, filters: ResultFilters) -> QuerySet[ResultEntry]:
    """The stored rows the bureau sees (nobody else: the budget office is the bureau's)."""
    if not user.is_bureau_user:
        return ResultEntry.objects.none()
    qs = ResultEntry.objects.all()
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    if filters.grade:
        qs = qs.filter(grade=filters.grade)
    if filters.with_tasks:
        qs = qs.filter(open_tasks__gt=0)
    return qs.order_by("department_name", "unit_name", "pk")


def rows_of(entries_: list[ResultEntry]) -> list[Row]:
    """The rows with their advice: the override where the bureau set one (read for these rows
    only, by evaluation id — a join would read each evaluation's whole document), else the
    grade's rule."""
    from jixiao.results.models import AdviceOverride

    rules = {r.grade: r for r in AdviceRule.objects.all()}
    ids = [entry.evaluation_id for entry in entries_]
    overrides: dict[int, AdviceOverride] = {}
    for start in range(0, len(ids), 1000):  # an export's 20,000 rows: bounded IN lists
        overrides.update(
            (o.evaluation_id, o)
            for o in AdviceOverride.objects.filter(evaluation_id__in=ids[start : start + 1000])
        )
    out = []
    for entry in entries_:
        override = overrides.get(entry.evaluation_id)
        if override is not None:
            out.append(Row(entry, override.advice, override.reason, True))
        else:
            out.append(Row(entry, advice_text(rules.get(entry.grade)), "", False))
    return out


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    next_after: str


def page(*, user: User, filters: ResultFilters, after: str = "") -> Page:
    """One page ordered by department, unit and id, read with a keyset (the last row's id)."""
    qs = entries(user=user, filters=filters)
    last = (
        ResultEntry.objects.filter(pk=int(after))
        .values_list("department_name", "unit_name", "pk")
        .first()
        if after.isdigit() and len(after) < 12
        else None
    )
    if last is not None:
        d, u, pk = last
        qs = qs.filter(
            Q(department_name__gt=d)
            | Q(department_name=d, unit_name__gt=u)
            | Q(department_name=d, unit_name=u, pk__gt=pk)
        )
    found = list(qs[: PAGE_SIZE + 1])
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    return Page(rows_of(found), str(found[-1].pk) if more else "")


def export_title(filters: ResultFilters) -> str:
    from django.utils.translation import gettext as _

    return _("绩效评价结果应用表") + (f"（{filters.year}）" if filters.year else "")


def years(*, user: User) -> list[int]:
    """The years with stored rows: DISTINCT in SQL (a year has tens of thousands of rows)."""
    if not user.is_bureau_user:
        return []
    return list(ResultEntry.objects.order_by("-year").values_list("year", flat=True).distinct())


@dataclass(frozen=True)
class PublicRow:
    publication_id: int
    unit_name: str
    department_name: str
    project_name: str
    total: Any
    grade: str
    advice: str


@dataclass(frozen=True)
class PublicTable:
    year: int | None
    years: list[int]
    advice_published: bool
    rows: list[PublicRow]
    next_after: str


def public_table(*, year: int | None, after: str = "") -> PublicTable:
    """结果公开: the current publications of a year (anyone may read them), with the advice when
    the bureau chose to publish it for that year. Keyset-paged by publication id."""
    from jixiao.evaluations.models import Evaluation, Status
    from jixiao.results.models import AdviceOverride, PublishedAdvice
    from jixiao.reviews.models import Publication

    current = Publication.objects.filter(
        withdrawn_at__isnull=True, evaluation__status=Status.PUBLISHED
    )
    # The years: the campaigns (a few dozen) with a published evaluation that has a current
    # publication, as nested EXISTS — PostgreSQL hashes the current publications once (87 ms at
    # 135,000), where DISTINCT over the joined publications, or one EXISTS over the join per
    # campaign, took 300–700 ms (docs/scale.md).
    from django.db.models import Exists, OuterRef

    from jixiao.campaigns.models import Campaign

    shown = Evaluation.objects.filter(
        campaign_id=OuterRef("pk"),
        status=Status.PUBLISHED,
    ).filter(
        Exists(Publication.objects.filter(evaluation_id=OuterRef("pk"), withdrawn_at__isnull=True))
    )
    years = list(
        Campaign.objects.filter(Exists(shown))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    if year is None or year not in years:
        year = years[0] if years else None
    if year is None:
        return PublicTable(None, [], False, [], "")
    qs = current.filter(evaluation__campaign_year=year).order_by("pk")
    if after.isdigit() and len(after) < 12:
        qs = qs.filter(pk__gt=int(after))
    found = list(
        qs.values_list(
            "pk", "evaluation_id", "unit_name", "department_name", "evaluation__project_name",
            "total", "grade",
        )[: PAGE_SIZE + 1]
    )  # fmt: skip
    more = len(found) > PAGE_SIZE
    found = found[:PAGE_SIZE]
    published = PublishedAdvice.objects.filter(year=year).exists()
    advice: dict[int, str] = {}
    if published:
        rules = {r.grade: advice_text(r) for r in AdviceRule.objects.all()}
        overrides = dict(
            AdviceOverride.objects.filter(evaluation_id__in=[row[1] for row in found]).values_list(
                "evaluation_id", "advice"
            )
        )
        advice = {row[1]: overrides.get(row[1], rules.get(row[6], "")) for row in found}
    return PublicTable(
        year,
        years,
        published,
        [
            PublicRow(pk, unit, dept, project, total, grade, advice.get(eid, ""))
            for pk, eid, unit, dept, project, total, grade in found
        ],
        str(found[-1][0]) if more else "",
    )


@dataclass(frozen=True)
class Trend:
    """Year over year for one department (its units' average) or one unit: score, execution rate,
    performance targets met (指标达成) and the grades, from the stored rows (one aggregate query)."""

    title: str
    years: list[int]
    average: list[str | None]
    execution: list[str | None]
    grades: dict[str, list[int]]
    # 绩效目标 met and in all per year (summed over the rows), and met / all in percent.
    targets_met: list[int | None] = field(default_factory=list)
    targets_total: list[int | None] = field(default_factory=list)
    targets_rate: list[str | None] = field(default_factory=list)

    @property
    def rows(self) -> list[TrendRow]:
        """One table row per year."""
        return [
            TrendRow(
                year=year,
                average=self.average[i],
                execution=self.execution[i],
                targets_met=self.targets_met[i],
                targets_total=self.targets_total[i],
                targets_rate=self.targets_rate[i],
                grades=[self.grades[g][i] for g in self.grades],
            )
            for i, year in enumerate(self.years)
        ]


@dataclass(frozen=True)
class TrendRow:
    year: int
    average: str | None
    execution: str | None
    targets_met: int | None
    targets_total: int | None
    targets_rate: str | None
    grades: list[int]


def targets_rate(met: int | None, total: int | None) -> str | None:
    """指标达成率 in percent as the charts read it (two decimals, the display rule)."""
    if met is None or not total:
        return None
    return str(display_percent(Decimal(met) * 100 / total))


def trend(*, user: User, department: int | None = None, unit: int | None = None) -> Trend | None:
    from django.db.models import Avg, Count, Sum

    if not user.is_bureau_user or not (department or unit):
        return None
    qs = ResultEntry.objects.all()
    qs = qs.filter(unit_id=unit) if unit else qs.filter(department_id=department)
    rows = list(
        qs.values("year")
        .annotate(
            avg=Avg("total"),
            rate=Avg("execution_rate"),
            met=Sum("targets_met"),
            targets=Sum("targets_total"),
            **{
                f"g{i}": Count("pk", filter=Q(grade=g))
                for i, g in enumerate(("优", "良", "中", "差"))
            },
        )
        .order_by("year")
    )
    if not rows:
        return None
    name = (
        qs.values_list("unit_name" if unit else "department_name", flat=True)
        .order_by("-year")
        .first()
        or ""
    )

    def score(value: Any) -> str | None:
        return None if value is None else str(round_score(Decimal(str(value))))

    def percent(value: Any) -> str | None:
        return None if value is None else str(display_percent(Decimal(str(value))))

    return Trend(
        title=name,
        years=[r["year"] for r in rows],
        average=[score(r["avg"]) for r in rows],
        execution=[percent(r["rate"]) for r in rows],
        grades={
            g: [cast(dict[str, Any], r)[f"g{i}"] for r in rows]
            for i, g in enumerate(("优", "良", "中", "差"))
        },
        targets_met=[r["met"] for r in rows],
        targets_total=[r["targets"] for r in rows],
        targets_rate=[targets_rate(r["met"], r["targets"]) for r in rows],
    )


def departments(*, user: User) -> list[tuple[int, str]]:
    """The supervising departments (a few dozen) by name, for the trends' choice: read from the
    organisations, not gathered from every stored row."""
    from jixiao.organisations.models import Organisation, OrganisationKind

    if not user.is_bureau_user:
        return []
    return list(
        Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, is_active=True)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
