"""项目库 Excel (the import layout with the bureau's headers, one row per budget line): the rows of
a filtered register, read in chunks, for the page's small exports and the job's large ones."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from jixiao.organisations.models import Organisation, OrganisationKind, User
from jixiao.projects import selectors
from jixiao.projects.models import Project
from jixiao.projects.project_import import format_period

# Excel's last row, less the header: a register longer than this says so on a sheet of its own.
SHEET_ROWS = 1_048_575
CHUNK = 2000


def mapping_columns(user: User) -> dict[str, str]:
    """The bureau's column mapping (the user's bureau, or the first bureau for others)."""
    bureau_id = user.organisation_id if user.is_bureau_user else None
    if bureau_id is None:
        bureau = Organisation.objects.filter(kind=OrganisationKind.BUREAU).order_by("pk").first()
        bureau_id = bureau.pk if bureau else None
    mapping = selectors.import_mapping(bureau_id=bureau_id) if bureau_id is not None else None
    return dict(mapping.columns) if mapping else {}


def export_rows(projects: QuerySet[Project], *, beat: Any = None) -> Iterator[dict[str, Any]]:
    """One dict per budget line of ``projects`` (a project without lines: one row of zeros), in
    the register's order, reading CHUNK projects (and their lines) at a time; ``beat`` is called
    after each chunk (a job's heartbeat)."""
    zero = Decimal("0.00")
    chunked = (
        projects.select_related("unit", "department")
        .prefetch_related("budget_lines")
        .order_by(*selectors.ORDER)
        .iterator(chunk_size=CHUNK)
    )
    for n, project in enumerate(chunked, start=1):
        base = {
            "code": project.code,
            "name": project.name,
            "credit_code": project.unit.credit_code or "",
            "unit_name": project.unit.name,
            "department": project.department.name if project.department else "",
            "category": project.category,
            "year": project.year,
            "period": format_period(project.period_start, project.period_end),
        }
        lines = sorted(project.budget_lines.all(), key=lambda line: line.source)
        amounts = [
            {
                "source": line.source,
                "initial": line.initial,
                "adjusted": line.adjusted,
                "executed": line.executed,
            }
            for line in lines
        ] or [{"source": "", "initial": zero, "adjusted": zero, "executed": zero}]
        for amount in amounts:
            yield base | amount
        if beat is not None and n % CHUNK == 0:
            beat()


def capped(rows: Iterator[dict[str, Any]], limit: int | None = None) -> tuple[Iterator[Any], Any]:
    """``rows`` up to ``limit`` (default SHEET_ROWS), and a function telling afterwards whether
    some were left out."""
    state = {"more": False}
    limit = SHEET_ROWS if limit is None else limit

    def walk() -> Iterator[dict[str, Any]]:
        for n, row in enumerate(rows):
            if n >= limit:
                state["more"] = True
                return
            yield row

    return walk(), lambda: state["more"]
