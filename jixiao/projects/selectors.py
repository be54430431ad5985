"""Reads of the 项目库, always scoped to what the acting user may see.

Scope is the one rule of the site (``organisations.selectors.unit_scope_q``): a unit user sees their
unit's projects, a department reviewer its units', the bureau all; anything else answers 404.
Lists page with a keyset on (year descending, code, id) and read the stored totals only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.organisations.models import Organisation, OrganisationKind, Role, User
from jixiao.organisations.selectors import unit_fk_scope_q, unit_scope_q
from jixiao.projects.models import BudgetLine, ImportMapping, Project
from jixiao.web.bounded_numbers import query_id, query_year
from jixiao.web.keyset import after_parts
from jixiao.web.trigram import contains_q

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

# Who may see the register at all: every role that belongs to an organisation.
REGISTER_ROLES = frozenset(
    {
        Role.UNIT_EDITOR,
        Role.UNIT_HEAD,
        Role.DEPARTMENT_REVIEWER,
        Role.BUREAU_REVIEWER,
        Role.BUREAU_ADMIN,
    }
)


def can_see_register(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.organisation_id is not None
        and user.role in REGISTER_ROLES
    )


def can_edit_unit(user: Any, unit_id: int) -> bool:
    """Who may create and edit a unit's projects and 部门整体 budget lines (docs/decisions.md):
    the unit's own 填报人 and 负责人, and the bureau's 财政管理员 (who also imports). Department
    reviewers and 财政复核人 read only."""
    if not can_see_register(user):
        return False
    if user.role == Role.BUREAU_ADMIN:
        return True
    return bool(user.is_unit_user and user.organisation_id == unit_id)


def projects_visible_to(*, user: User) -> QuerySet[Project]:
    if not can_see_register(user):
        return Project.objects.none()
    # The unit's own foreign key, no join with every organisation (issue 14: the bureau's first
    # page joined and sorted all 200,000 projects of 50,000 units).
    return Project.objects.filter(unit_fk_scope_q(user, "unit")).select_related(
        "unit", "department"
    )


def get_project(*, user: User, project_id: int) -> Project:
    """One project in the user's scope, or Http404."""
    project = projects_visible_to(user=user).filter(pk=project_id).first()
    if project is None:
        raise Http404
    return project


def budget_lines(*, project: Project) -> list[BudgetLine]:
    """A project's budget lines by fund source (the caller has checked scope)."""
    return list(project.budget_lines.order_by("source", "pk"))


def units_editable_by(*, user: User) -> QuerySet[Organisation]:
    """The units whose projects ``user`` may create: their own unit, or every unit (bureau admin)."""
    if not can_see_register(user):
        return Organisation.objects.none()
    units = Organisation.objects.filter(kind=OrganisationKind.UNIT, is_active=True)
    if user.role == Role.BUREAU_ADMIN:
        return units.select_related("parent").order_by("parent__name", "name")
    if user.is_unit_user:
        return units.filter(pk=user.organisation_id or 0)
    return Organisation.objects.none()


def get_unit(*, user: User, unit_id: int) -> Organisation:
    """A budget unit in the user's scope (for its 部门整体 budget), or Http404."""
    if not can_see_register(user):
        raise Http404
    unit = (
        Organisation.objects.filter(unit_scope_q(user), kind=OrganisationKind.UNIT, pk=unit_id)
        .select_related("parent")
        .first()
    )
    if unit is None:
        raise Http404
    return unit


def unit_budget_lines(*, unit: Organisation, year: int) -> list[BudgetLine]:
    """The unit's own 部门整体 budget lines (no project) for one year."""
    return list(
        BudgetLine.objects.filter(unit=unit, year=year, project__isnull=True).order_by(
            "source", "pk"
        )
    )


def unit_budget_years(*, unit: Organisation) -> list[int]:
    years = set(
        BudgetLine.objects.filter(unit=unit, project__isnull=True).values_list("year", flat=True)
    ) | set(Project.objects.filter(unit=unit).values_list("year", flat=True))
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class ProjectFilter:
    """What a list is narrowed to (every part optional). Amounts compare with 调整后预算数
    (the full-year budget, 全年预算数), in 万元."""

    year: int | None = None
    department: int | None = None
    unit: int | None = None
    category: str = ""
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    q: str = ""  # part of the name or the code
    include_inactive: bool = False

    def apply(self, projects: QuerySet[Project]) -> QuerySet[Project]:
        if self.year is not None:
            projects = projects.filter(year=self.year)
        if self.department is not None:
            projects = projects.filter(department_id=self.department)
        if self.unit is not None:
            projects = projects.filter(unit_id=self.unit)
        if self.category:
            projects = projects.filter(category=self.category)
        if self.min_amount is not None:
            projects = projects.filter(adjusted_total__gte=self.min_amount)
        if self.max_amount is not None:
            projects = projects.filter(adjusted_total__lte=self.max_amount)
        if self.q:
            # One or two characters through the grams columns (projects 0004), longer through
            # the trigram indexes (0003).
            projects = projects.filter(contains_q(Project, ("name", "code"), self.q))
        if not self.include_inactive:
            projects = projects.filter(is_active=True)
        return projects


def _amount(raw: str | None) -> Decimal | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() and 0 <= value < Decimal(10) ** 14 else None


# The query-string keys filters_from_query reads: kept in the list's links and in an export job.
FILTER_KEYS = (
    "year",
    "department",
    "unit",
    "category",
    "min_amount",
    "max_amount",
    "q",
    "inactive",
)


def filters_from_query(get: Any) -> ProjectFilter:
    """The list's filters as its query string (or an export job's stored copy of it) says;
    what does not read as a value is no filter."""
    return ProjectFilter(
        year=query_year(get.get("year")),
        department=query_id(get.get("department")),
        unit=query_id(get.get("unit")),
        category=get.get("category", "").strip()[:60],
        min_amount=_amount(get.get("min_amount")),
        max_amount=_amount(get.get("max_amount")),
        q=get.get("q", "").strip()[:100],
        include_inactive=get.get("inactive") == "1",
    )


def filtered_projects(*, user: User, filters: ProjectFilter) -> QuerySet[Project]:
    return filters.apply(projects_visible_to(user=user))


@dataclass(frozen=True)
class ProjectPage:
    projects: list[Project]
    next_after: int | None  # the id of the last project shown, when more follow
    previous_before: int | None  # the id of the first project shown, when earlier ones exist


ORDER = ("-year", "code", "pk")
REVERSE_ORDER = ("year", "-code", "-pk")
# The same orders as keyset.after_parts reads them: (field, descending).
_KEYSET = (("year", True), ("code", False), ("pk", False))
_REVERSE_KEYSET = (("year", False), ("code", True), ("pk", True))


def _after(anchor: Project) -> list[Q]:
    """The rows after ``anchor`` in ORDER, as the keyset helper's disjoint parts (row
    comparisons on the project_register_order index, in the order their rows come)."""
    return after_parts(_KEYSET, [anchor.year, anchor.code, anchor.pk])


def _before(anchor: Project) -> list[Q]:
    return after_parts(_REVERSE_KEYSET, [anchor.year, anchor.code, anchor.pk])


def _read(projects: QuerySet[Project], parts: list[Q], order: tuple[str, ...], n: int) -> list[Any]:
    rows: list[Project] = []
    for part in parts:
        rows += list(projects.filter(part).order_by(*order)[: n - len(rows)])
        if len(rows) >= n:
            break
    return rows


def project_page(
    *,
    user: User,
    filters: ProjectFilter,
    after: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> ProjectPage:
    """One page of the filtered register, newest year first, then by code.

    The cursor is a project id (the last shown for the next page, the first shown for the previous
    one); its (year, code) is read back within the user's scope, so a cursor outside it is simply
    the first page. A fixed number of queries whatever the page size.
    """
    size = max(1, min(size, MAX_PAGE_SIZE))
    projects = filtered_projects(user=user, filters=filters)
    cursor_id = before if before is not None else after
    anchor = (
        projects_visible_to(user=user)
        .select_related(None)
        .filter(pk=cursor_id)
        .only("pk", "year", "code")
        .first()
        if cursor_id is not None
        else None
    )
    if anchor is not None and before is not None:
        rows = _read(projects, _before(anchor), REVERSE_ORDER, size + 1)
        has_previous = len(rows) > size
        rows = list(reversed(rows[:size]))
        has_next = True
    else:
        if anchor is not None:
            rows = _read(projects, _after(anchor), ORDER, size + 1)
        else:
            rows = list(projects.order_by(*ORDER)[: size + 1])
        has_next = len(rows) > size
        rows = rows[:size]
        has_previous = anchor is not None
    return ProjectPage(
        projects=rows,
        next_after=rows[-1].pk if rows and has_next else None,
        previous_before=rows[0].pk if rows and has_previous else None,
    )


def categories(*, user: User) -> list[str]:
    """The categories in use within the user's scope (for the filter's choices)."""
    # order_by(): the model's default order would make DISTINCT run over (category, unit, year,
    # code) — every project — instead of the few categories.
    return sorted(
        projects_visible_to(user=user)
        .exclude(category="")
        .order_by()
        .values_list("category", flat=True)
        .distinct()
    )


def import_mapping(*, bureau_id: int) -> ImportMapping | None:
    return ImportMapping.objects.filter(bureau_id=bureau_id).first()


# --- campaign scope ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignScope:
    """Which registered projects a project campaign covers (stored on the campaign as JSON).

    Every part narrows: the year (default the campaign's), departments, a minimum 调整后预算数 (万元),
    a category, and codes picked by hand. Only active projects of active units are covered.
    """

    year: int
    departments: tuple[int, ...] = ()
    min_amount: Decimal | None = None
    category: str = ""
    codes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "departments": list(self.departments),
            "min_amount": None if self.min_amount is None else str(self.min_amount),
            "category": self.category,
            "codes": list(self.codes),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CampaignScope:
        amount = data.get("min_amount")
        return cls(
            year=int(data["year"]),
            departments=tuple(int(d) for d in data.get("departments") or ()),
            min_amount=None if amount in (None, "") else Decimal(str(amount)),
            category=str(data.get("category") or ""),
            codes=tuple(str(c) for c in data.get("codes") or ()),
        )


def scope_summary(data: dict[str, Any] | None) -> list[str]:
    """A stored campaign scope in words, part by part (for the campaign's page)."""
    if not data:
        return []
    scope = CampaignScope.from_json(data)
    parts = [_("{year} 年度项目库").format(year=scope.year)]
    if scope.departments:
        names = Organisation.objects.filter(pk__in=scope.departments).order_by("name")
        parts.append(_("主管部门：{names}").format(names="、".join(d.name for d in names)))
    if scope.min_amount is not None:
        parts.append(_("全年预算不低于 {amount} 万元").format(amount=scope.min_amount))
    if scope.category:
        parts.append(_("类别：{category}").format(category=scope.category))
    if scope.codes:
        parts.append(_("指定 {n} 个项目编码").format(n=len(scope.codes)))
    return parts


def projects_in_scope(
    scope: CampaignScope, *, units: Iterable[Organisation] | None = None
) -> QuerySet[Project]:
    """The active projects a campaign scope covers (the bureau sees every unit); ``units``
    narrows to some units (追加单位)."""
    projects = Project.objects.filter(
        year=scope.year,
        is_active=True,
        unit__is_active=True,
        unit__kind=OrganisationKind.UNIT,
    )
    if scope.departments:
        projects = projects.filter(department_id__in=scope.departments)
    if scope.min_amount is not None:
        projects = projects.filter(adjusted_total__gte=scope.min_amount)
    if scope.category:
        projects = projects.filter(category=scope.category)
    if scope.codes:
        projects = projects.filter(code__in=scope.codes)
    if units is not None:
        projects = projects.filter(unit__in=list(units))
    return projects.select_related("unit", "unit__parent").order_by("unit__name", "code", "pk")
