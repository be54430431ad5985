"""Writes of the 项目库: projects with their budget lines, a unit's 部门整体 budget lines, the bureau's
import mapping and the import itself.

Every write runs in one transaction and records an 操作日志 event. A project's stored totals
(``initial_total``, ``adjusted_total``, ``executed_total``) are recomputed from its lines in the same
transaction as any change to them, so they always equal the sum of the lines.
Who may write (docs/decisions.md): the unit's 填报人 and 负责人 for their own unit, the 财政管理员
for every unit; anyone else gets Http404 for what they cannot see and ``ProjectRefused`` for what
they may only read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.activity.services import changed_fields, record_event
from jixiao.activity.texts import log_text
from jixiao.organisations.models import Organisation, OrganisationKind, Role, User
from jixiao.organisations.selectors import unit_scope_q
from jixiao.projects.models import BudgetLine, ImportMapping, Project
from jixiao.projects.selectors import can_edit_unit, can_see_register

ZERO = Decimal("0")


class ProjectRefused(Exception):
    """The write is not allowed or not valid; nothing was written. The message says why."""


@dataclass(frozen=True)
class LineValues:
    """One fund source's amounts (万元)."""

    source: str
    initial: Decimal = ZERO
    adjusted: Decimal = ZERO
    executed: Decimal = ZERO


PROJECT_FIELDS = ("code", "name", "year", "category", "period_start", "period_end", "is_active")


def _require_editor(user: Any, unit: Organisation) -> None:
    if not can_see_register(user):
        raise Http404
    if not Organisation.objects.filter(unit_scope_q(user), pk=unit.pk).exists():
        raise Http404
    if not can_edit_unit(user, unit.pk):
        raise ProjectRefused(_("只有本单位填报人、负责人或财政管理员可以修改项目库"))


def refresh_totals(project: Project) -> None:
    """Store the sums of the project's lines on the project (call inside the writing transaction)."""
    sums = BudgetLine.objects.filter(project=project).aggregate(
        initial=Sum("initial"), adjusted=Sum("adjusted"), executed=Sum("executed")
    )
    project.initial_total = sums["initial"] or ZERO
    project.adjusted_total = sums["adjusted"] or ZERO
    project.executed_total = sums["executed"] or ZERO
    project.save(update_fields=["initial_total", "adjusted_total", "executed_total"])


def _check_lines(lines: Sequence[LineValues]) -> None:
    seen: set[str] = set()
    for line in lines:
        if not line.source.strip():
            raise ProjectRefused(_("资金来源不能为空"))
        if line.source in seen:
            raise ProjectRefused(_("资金来源“{source}”重复").format(source=line.source))
        seen.add(line.source)
        for amount in (line.initial, line.adjusted, line.executed):
            if amount < 0:
                raise ProjectRefused(_("金额不能为负数"))


def _replace_lines(
    *, unit: Organisation, year: int, project: Project | None, lines: Sequence[LineValues]
) -> dict[str, Any]:
    """Make the stored lines (of a project, or the unit's own when ``project`` is None) exactly
    ``lines``; returns what changed, per source, for the log."""
    stored = {
        line.source: line
        # Ordered by id: the model's ordering joins the (nullable) project, which FOR UPDATE refuses.
        for line in BudgetLine.objects.select_for_update()
        .filter(unit=unit, year=year, project=project)
        .order_by("pk")
        if project is not None or line.project_id is None
    }
    changes: dict[str, Any] = {}
    wanted = {line.source for line in lines}
    for source, line in stored.items():
        if source not in wanted:
            changes[source] = [
                [str(line.initial), str(line.adjusted), str(line.executed)],
                None,
            ]
            line.delete()
    for values in lines:
        existing = stored.get(values.source)
        after = [str(values.initial), str(values.adjusted), str(values.executed)]
        if existing is None:
            BudgetLine.objects.create(
                unit=unit,
                year=year,
                project=project,
                source=values.source,
                initial=values.initial,
                adjusted=values.adjusted,
                executed=values.executed,
            )
            changes[values.source] = [None, after]
            continue
        before = [str(existing.initial), str(existing.adjusted), str(existing.executed)]
        if (existing.initial, existing.adjusted, existing.executed) != (
            values.initial,
            values.adjusted,
            values.executed,
        ):
            existing.initial, existing.adjusted, existing.executed = (
                values.initial,
                values.adjusted,
                values.executed,
            )
            existing.save(update_fields=["initial", "adjusted", "executed"])
            changes[values.source] = [before, after]
    return changes


def _check_project_values(values: dict[str, Any]) -> None:
    start, end = values.get("period_start"), values.get("period_end")
    if start and end and start > end:
        raise ProjectRefused(_("实施期起始年度不能晚于终止年度"))
    year = values.get("year")
    if year and ((start and year < start) or (end and year > end)):
        raise ProjectRefused(_("预算年度应在实施期内"))


@transaction.atomic
def save_project(
    *,
    user: User,
    project_id: int | None,
    unit: Organisation | None,
    values: dict[str, Any],
    lines: Sequence[LineValues],
) -> Project:
    """Create a project (``project_id`` None, for ``unit``) or change one, with all its budget lines.

    The (unit, year, code) must be free; the supervising department is the unit's.
    """
    if project_id is None:
        if unit is None or unit.kind != OrganisationKind.UNIT:
            raise Http404
        _require_editor(user, unit)
        project = Project(unit=unit, created_by=user)
        before: dict[str, Any] = {}
    else:
        found = (
            Project.objects.select_for_update(of=("self",))
            .filter(unit_scope_q(user, "unit"), pk=project_id)
            .select_related("unit")
            .first()
            if can_see_register(user)
            else None
        )
        if found is None:
            raise Http404
        project = found
        unit = project.unit
        _require_editor(user, unit)
        before = {name: getattr(project, name) for name in PROJECT_FIELDS}
    _check_project_values(values)
    _check_lines(lines)
    clash = Project.objects.filter(unit=unit, year=values["year"], code=values["code"])
    if project.pk:
        clash = clash.exclude(pk=project.pk)
    if clash.exists():
        raise ProjectRefused(
            _("本单位 {year} 年已有编码为 {code} 的项目").format(
                year=values["year"], code=values["code"]
            )
        )
    if project.pk and project.year != values["year"] and project.evaluations.exists():
        raise ProjectRefused(_("该项目已有自评任务，不能改变预算年度"))
    for name in PROJECT_FIELDS:
        if name in values:
            setattr(project, name, values[name])
    project.department = unit.parent if unit.parent_id else None
    created = project.pk is None
    project.save()
    if not created and before.get("year") != project.year:
        BudgetLine.objects.filter(project=project).update(year=project.year)
    line_changes = _replace_lines(unit=unit, year=project.year, project=project, lines=lines)
    refresh_totals(project)
    after = {name: getattr(project, name) for name in PROJECT_FIELDS}
    record_event(
        actor=user,
        action="project.create" if created else "project.update",
        target=project,
        unit=unit,
        summary=(_("新增项目：{name}") if created else _("修改项目：{name}")).format(
            name=str(project)
        ),
        details={
            "changes": changed_fields(before, after) if not created else {},
            "budget_lines": line_changes,
        },
    )
    return project


@transaction.atomic
def save_unit_budget(
    *, user: User, unit_id: int, year: int, lines: Sequence[LineValues]
) -> list[BudgetLine]:
    """Replace a unit's own 部门整体 budget lines (no project) for one year."""
    if not can_see_register(user):
        raise Http404
    unit = (
        Organisation.objects.select_for_update()
        .filter(unit_scope_q(user), kind=OrganisationKind.UNIT, pk=unit_id)
        .first()
    )
    if unit is None:
        raise Http404
    _require_editor(user, unit)
    _check_lines(lines)
    changes = _replace_lines(unit=unit, year=year, project=None, lines=lines)
    if changes:
        record_event(
            actor=user,
            action="project.unit_budget",
            target=unit,
            summary=log_text("修改{unit} {year} 年部门整体预算", unit=unit.name, year=year),
            details={"year": year, "budget_lines": changes},
        )
    return list(
        BudgetLine.objects.filter(unit=unit, year=year, project__isnull=True).order_by("source")
    )


def require_bureau_admin(user: Any) -> User:
    if not (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.BUREAU_ADMIN
        and user.organisation_id is not None
    ):
        raise Http404
    return user  # type: ignore[no-any-return]


@transaction.atomic
def save_mapping(*, user: User, columns: dict[str, str]) -> ImportMapping:
    """Store the bureau's column mapping (one per bureau, replaced as a whole)."""
    require_bureau_admin(user)
    mapping, _created = ImportMapping.objects.select_for_update().get_or_create(
        bureau_id=user.organisation_id
    )
    before = dict(mapping.columns)
    mapping.columns = {k: v.strip() for k, v in columns.items() if v and v.strip()}
    mapping.updated_by = user
    mapping.save()
    record_event(
        actor=user,
        action="project.mapping",
        target=mapping,
        summary=log_text("保存项目导入列映射"),
        details={"changes": changed_fields(before, mapping.columns)},
    )
    return mapping


# --- import ------------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What an import wrote (``created``/``updated`` project labels, ``unit_lines`` count) or,
    when ``problems`` is not empty, why it wrote nothing."""

    rows: int = 0
    problems: list[Any] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unit_lines: int = 0
    row_results: list[tuple[int, str, str, str]] = field(
        default_factory=list
    )  # row, code, name, result

    @property
    def written(self) -> bool:
        return not self.problems and bool(self.created or self.updated or self.unit_lines)


def import_projects(*, user: User, data: bytes) -> ImportOutcome:
    """Check every row of a budget-system export (with the bureau's saved mapping); write all of
    it only when every row is valid. Projects are matched by (unit, year, code): existing ones are
    updated and their budget lines replaced by the file's; rows without a code are the unit's own
    部门整体 lines for that year. Raises ``ProjectImportFileError`` for a file that cannot be read."""
    from jixiao.projects.project_import import check_project_workbook

    require_bureau_admin(user)
    mapping = ImportMapping.objects.filter(bureau_id=user.organisation_id).first()
    units = list(
        Organisation.objects.filter(kind=OrganisationKind.UNIT).values_list(
            "pk", "name", "credit_code", "parent_id", "is_active"
        )
    )
    departments = dict(
        Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).values_list("name", "pk")
    )
    check = check_project_workbook(
        data,
        columns=mapping.columns if mapping else {},
        units=units,
        departments=departments,
    )
    outcome = ImportOutcome(rows=check.row_count, problems=list(check.problems))
    if check.problems:
        return outcome
    with transaction.atomic():
        for project_values in check.projects:
            unit = Organisation.objects.get(pk=project_values.unit_id)
            project = (
                Project.objects.select_for_update()
                .filter(unit=unit, year=project_values.year, code=project_values.code)
                .order_by()
                .first()
            )
            created = project is None
            if project is None:
                project = Project(
                    unit=unit, year=project_values.year, code=project_values.code, created_by=user
                )
            project.name = project_values.name
            if project_values.category:
                project.category = project_values.category
            if project_values.period_start is not None:
                project.period_start = project_values.period_start
                project.period_end = project_values.period_end
            project.department_id = project_values.department_id or unit.parent_id
            project.is_active = True
            project.save()
            _replace_lines(
                unit=unit,
                year=project.year,
                project=project,
                lines=project_values.lines,
            )
            refresh_totals(project)
            label = f"{unit.name} {project.year} {project.code} {project.name}"
            (outcome.created if created else outcome.updated).append(label)
            for row in project_values.rows:
                outcome.row_results.append(
                    (row, project.code, project.name, "created" if created else "updated")
                )
        for unit_values in check.unit_budgets:
            unit = Organisation.objects.get(pk=unit_values.unit_id)
            _replace_lines(unit=unit, year=unit_values.year, project=None, lines=unit_values.lines)
            outcome.unit_lines += len(unit_values.lines)
            for row in unit_values.rows:
                outcome.row_results.append((row, "", _("部门整体"), "unit"))
        outcome.row_results.sort()
        record_event(
            actor=user,
            action="project.import",
            target=None,
            target_type="projects.project",
            target_label=_("项目库"),
            summary=log_text(
                "导入项目库：新增 {created} 个项目，更新 {updated} 个，部门整体预算 {lines} 行",
                created=len(outcome.created),
                updated=len(outcome.updated),
                lines=outcome.unit_lines,
            ),
            details={
                "created": outcome.created[:200],
                "updated": outcome.updated[:200],
                "unit_lines": outcome.unit_lines,
            },
        )
    return outcome


def lines_from(rows: Iterable[dict[str, Any]]) -> list[LineValues]:
    """Budget lines from form rows (empty rows skipped; empty amounts are 0)."""
    out = []
    for row in rows:
        source = (row.get("source") or "").strip()
        if not source:
            continue
        out.append(
            LineValues(
                source=source,
                initial=row.get("initial") or ZERO,
                adjusted=row.get("adjusted") or ZERO,
                executed=row.get("executed") or ZERO,
            )
        )
    return out
