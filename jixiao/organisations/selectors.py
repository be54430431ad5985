"""Reads of organisations and accounts, always scoped to what the acting user may see.

The scope rule, used by every other app: a unit user sees their unit; a department reviewer sees the
department and its units; a bureau user sees everything; anyone else sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from jixiao.organisations.models import Organisation, OrganisationKind, Role, User


def unit_scope_q(user: User, field: str = "") -> Q:
    """A Q that keeps the budget units ``user`` may see; ``field`` is the path to the unit."""
    prefix = f"{field}__" if field else ""
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return Q(pk__in=[])
    if user.is_bureau_user:
        return Q(**{f"{prefix}kind": OrganisationKind.UNIT})
    if user.is_department_user:
        return Q(**{f"{prefix}parent_id": user.organisation_id})
    if user.is_unit_user:
        return Q(**{f"{prefix}pk": user.organisation_id})
    return Q(pk__in=[])


def unit_fk_scope_q(user: User, field: str = "unit") -> Q:
    """unit_scope_q for a model's own foreign key to the unit (``field``), spelled so that no
    query joins every organisation (issue 14: at 50,000 units that join, and the sort over it,
    was most of every list's time). The same rows as unit_scope_q(user, field):

    - the bureau: every row whose unit is not one of the few bureaus and departments (an index
      on kind finds them) — the same as ``kind = unit``, as every row has a unit;
    - a department reviewer: the rows of the units whose parent is the department (the parent
      index finds the department's units, not all of them);
    - a unit user: the unit's rows.
    """
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return Q(pk__in=[])
    if user.is_bureau_user:
        others = [kind for kind in OrganisationKind.values if kind != OrganisationKind.UNIT]
        return ~Q(**{f"{field}__in": Organisation.objects.filter(kind__in=others).values("pk")})
    if user.is_department_user:
        units = Organisation.objects.filter(parent_id=user.organisation_id).values("pk")
        return Q(**{f"{field}__in": units})
    if user.is_unit_user:
        return Q(**{f"{field}_id": user.organisation_id})
    return Q(pk__in=[])


def units_visible_to(*, user: User) -> QuerySet[Organisation]:
    """预算单位 the user may see, with their supervising department."""
    return (
        Organisation.objects.filter(unit_scope_q(user), kind=OrganisationKind.UNIT)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def organisations_visible_to(*, user: User) -> QuerySet[Organisation]:
    """Every organisation the user may see: their own, what is under it (bureau: all)."""
    if not user.is_authenticated or user.organisation_id is None:
        return Organisation.objects.none()
    if user.is_bureau_user:
        return Organisation.objects.select_related("parent").all()
    if user.is_department_user:
        return Organisation.objects.select_related("parent").filter(
            Q(pk=user.organisation_id) | Q(parent_id=user.organisation_id)
        )
    return Organisation.objects.select_related("parent").filter(pk=user.organisation_id)


def departments(*, user: User) -> QuerySet[Organisation]:
    return organisations_visible_to(user=user).filter(kind=OrganisationKind.DEPARTMENT)


def users_visible_to(*, user: User) -> QuerySet[User]:
    """Accounts the user may manage or see: bureau admins see all, others none but themselves."""
    if user.is_authenticated and user.role == "bureau_admin":
        return User.objects.select_related("organisation").order_by(
            "organisation__name", "username"
        )
    return User.objects.filter(pk=user.pk)


ACCOUNT_SORT = (("username", False), ("pk", False))
ACCOUNT_PAGE = 100


def account_page(
    *,
    user: User,
    query: str = "",
    role: str = "",
    show_inactive: bool = False,
    cursor: str | None = None,
    size: int = ACCOUNT_PAGE,
) -> dict[str, Any]:
    """账号管理 at province scale (issue 14: 2–3 accounts per unit, 150,000 at 50,000 units): one
    keyset page by username (the unique index is the order, so the last page costs what the
    first does) and the number matching, in two queries plus the page's organisations.

    ``query`` is part of the username, the person's name or their organisation's name; the
    organisation is matched on its own table (a trigram index on PostgreSQL) and the accounts
    found by their organisation, so no query joins every account with its organisation.
    Returns ``page`` and ``count``; for anyone but a bureau admin, nothing."""
    from jixiao.web.keyset import Page, paginate
    from jixiao.web.trigram import contains_q

    if not (user.is_authenticated and user.role == "bureau_admin"):
        return {"page": Page(rows=[], next_cursor=None, size=size), "count": 0}
    accounts = User.objects.all()
    if query:
        # A term of one or two characters (王) through the grams columns, longer ones through
        # the trigram indexes (web.trigram.contains_q).
        organisations = Organisation.objects.filter(
            contains_q(Organisation, ("name",), query)
        ).values("pk")
        accounts = accounts.filter(
            contains_q(
                User,
                ("username", "display_name"),
                query,
                also=Q(organisation_id__in=organisations),
            )
        )
    if role in Role.values:
        accounts = accounts.filter(role=role)
    if not show_inactive:
        accounts = accounts.filter(is_active=True)
    page = paginate(accounts.select_related("organisation"), ACCOUNT_SORT, cursor=cursor, size=size)
    return {"page": page, "count": accounts.order_by().count()}


def organisation_tree(*, user: User) -> list[tuple[Organisation, list[Organisation]]]:
    """Bureau admins only: every bureau and department with the units under it, in one query.

    Each organisation carries ``account_count``, its active accounts (a unit without one cannot
    fill in its evaluation).

    Returns ``[(bureau or department, [its units])]``: bureaus first, then departments by name
    (the services keep every unit under a department).
    """
    if not (user.is_authenticated and user.role == "bureau_admin"):
        return []
    organisations = list(
        Organisation.objects.select_related("parent")
        .annotate(account_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )
    units_by_parent: dict[int | None, list[Organisation]] = {}
    for organisation in organisations:
        if organisation.kind == OrganisationKind.UNIT:
            units_by_parent.setdefault(organisation.parent_id, []).append(organisation)
    heads = [o for o in organisations if o.kind == OrganisationKind.BUREAU] + [
        o for o in organisations if o.kind == OrganisationKind.DEPARTMENT
    ]
    return [(head, units_by_parent.get(head.pk, [])) for head in heads]


UNIT_SORT = (("head_name", False), ("name", False), ("pk", False))
UNIT_PAGE = 100


def organisation_page(
    *,
    user: User,
    query: str = "",
    show_inactive: bool = False,
    department_id: int | None = None,
    cursor: str | None = None,
    size: int = UNIT_PAGE,
) -> dict[str, Any]:
    """单位管理 at province scale (issue 14): every bureau and department (a few hundred) with the
    count and staffing sums of its matching units from one aggregate, and one keyset page of the
    matching units (by department name, unit name) — three queries, whatever the number of units.

    Returns ``groups`` ([{head, units (of this page), count, quota, actual}], heads in order, a
    head shown when it has matching units, or matches the search, or nothing is searched),
    ``unit_count``, ``department_count`` and ``page``.
    """
    from django.db.models import Sum, Value
    from django.db.models.functions import Coalesce

    from jixiao.web.keyset import paginate

    empty: dict[str, Any] = {
        "groups": [],
        "unit_count": 0,
        "department_count": 0,
        "page": None,
        "departments": [],
    }
    if not (user.is_authenticated and user.role == "bureau_admin"):
        return empty
    units = Organisation.objects.filter(kind=OrganisationKind.UNIT)
    if not show_inactive:
        units = units.filter(is_active=True)
    if query:
        units = units.filter(Q(name__icontains=query) | Q(credit_code__icontains=query.upper()))
    if department_id is not None:
        units = units.filter(parent_id=department_id)
    totals = {
        row["parent_id"]: row
        for row in units.order_by()
        .values("parent_id")
        .annotate(n=Count("pk"), quota=Sum("staffing_quota"), actual=Sum("staff_actual"))
    }
    page = paginate(
        units.select_related("parent").annotate(head_name=Coalesce("parent__name", Value(""))),
        UNIT_SORT,
        cursor=cursor,
        size=size,
    )
    # The page's accounts in a query of their own: counted in the page's query, the GROUP BY
    # made PostgreSQL aggregate every unit before the top-N sort (360 ms at 50,000 units).
    accounts = dict(
        User.objects.filter(organisation__in=[u.pk for u in page.rows], is_active=True)
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values_list("organisation", "n")
    )
    for unit in page.rows:
        unit.account_count = accounts.get(unit.pk, 0)
    on_page: dict[int | None, list[Organisation]] = {}
    for unit in page.rows:
        on_page.setdefault(unit.parent_id, []).append(unit)
    heads = list(
        Organisation.objects.exclude(kind=OrganisationKind.UNIT)
        .annotate(account_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name")
    )
    heads = [h for h in heads if h.kind == OrganisationKind.BUREAU] + [
        h for h in heads if h.kind == OrganisationKind.DEPARTMENT
    ]
    groups: list[dict[str, Any]] = []
    for head in heads:
        if department_id is not None and head.pk != department_id:
            continue
        total = totals.get(head.pk)
        if query and total is None and query not in head.name:
            continue
        if not page.is_first and head.pk not in on_page:
            continue  # later pages show the heads of their own units only
        groups.append(
            {
                "head": head,
                "units": on_page.get(head.pk, []),
                "count": total["n"] if total else 0,
                "quota": (total["quota"] or 0) if total else 0,
                "actual": (total["actual"] or 0) if total else 0,
            }
        )
    return {
        "groups": groups,
        "unit_count": sum(row["n"] for row in totals.values()),
        "department_count": sum(1 for g in groups if g["head"].kind == OrganisationKind.DEPARTMENT),
        "page": page,
        "departments": [(h.pk, h.name) for h in heads if h.kind == OrganisationKind.DEPARTMENT],
    }
