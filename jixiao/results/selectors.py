"""Reads of 结果应用 (the bureau's): the stored rows with their advice, filtered, keyset-paged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from jixiao.organisations.models import User
from jixiao.results.models import AdviceRule, ResultEntry
from jixiao.results.services import advice_text

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
    qs = ResultEntry.objects.select_related("evaluation__advice_override")
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
    rules = {r.grade: r for r in AdviceRule.objects.all()}
    out = []
    for entry in entries_:
        override = getattr(entry.evaluation, "advice_override", None)
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


def years(*, user: User) -> list[int]:
    if not user.is_bureau_user:
        return []
    return sorted(set(ResultEntry.objects.values_list("year", flat=True)), reverse=True)
