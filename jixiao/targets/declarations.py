"""A target declaration (绩效目标申报) as the web keeps it: an ``Evaluation`` of a ``targets`` campaign
whose ``data`` is a ``scoring.targets.TargetDeclaration``.

The evaluations and reviews apps call in here (lazily, by the content's ``kind``) wherever a
self-evaluation would be validated, owned, scored or checked for submission, so a declaration goes
through the same save path (versions, revisions, field-level merge, 操作日志) and the same review
workflow, and nothing ever scores it as a self-evaluation.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.campaigns.models import Campaign, EvaluationKind
from jixiao.evaluations.models import Evaluation, Status
from jixiao.organisations.models import Organisation, OrganisationKind, User
from scoring.loading import InputError, InputProblem, validate_data
from scoring.numbers import NumberFormatError, parse_decimal
from scoring.target_checks import Finding, check_declaration, name_key
from scoring.targets import DeclarationScope, TargetDeclaration

KIND = "targets"
# 万元: a project asking for more than this needs a 成本指标, unless the campaign sets its own
# amount (TargetCampaignSettings). docs/targets.md says why 100.
DEFAULT_COST_THRESHOLD = Decimal("100")


def is_declaration(data: Any) -> bool:
    return isinstance(data, dict) and data.get("kind") == KIND


def parse_declaration(data: Any) -> TargetDeclaration:
    """Validate stored or posted content; InputError lists every fault by field, in Chinese."""
    return validate_data(TargetDeclaration, data, "绩效目标申报")


_NUMBERS = ("value", "value_high", "weight")


def canonical_numbers(data: dict[str, Any]) -> dict[str, Any]:
    """Numbers typed as text ("1,200", "９５") stored as the plain number they mean."""
    out = copy.deepcopy(data)

    def fix(row: Any, names: tuple[str, ...]) -> None:
        if not isinstance(row, dict):
            return
        for name in names:
            value = row.get(name)
            if isinstance(value, str) and value.strip():
                with contextlib.suppress(NumberFormatError):
                    row[name] = str(parse_decimal(value))

    fix(out, ("amount",))
    rows = out.get("targets")
    for row in rows if isinstance(rows, list) else []:
        fix(row, _NUMBERS)
    return out


def storable_declaration(*, stored: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as stored, or Unstorable when it brings a fault even a draft may not hold (the
    self-evaluation's rule, scoring_bridge.storable, applied to the declaration's model)."""
    from jixiao.evaluations.scoring_bridge import refuse_new_faults

    return refuse_new_faults(parse_declaration, stored=stored, data=canonical_numbers(data))


# --- what the server owns -----------------------------------------------------------------------


def owned_values(evaluation: Evaluation) -> dict[str, Any]:
    """The declaration's fields that come from the campaign, the unit record and the project."""
    project = evaluation.project
    return {
        "kind": KIND,
        "scope": DeclarationScope.PROJECT.value if project else DeclarationScope.DEPARTMENT.value,
        "year": evaluation.campaign.year,
        "unit_name": evaluation.unit.name,
        "project_name": project.name if project else "",
        "project_code": project.code if project else "",
    }


def enforce_declaration_owned(*, evaluation: Evaluation, data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` with the server's values; ServerOwnedChange when the post changes one."""
    from jixiao.evaluations.ownership import OWNER_MESSAGES, ServerOwnedChange

    stored = evaluation.data or {}
    result = copy.deepcopy(data)
    problems: list[tuple[str, str]] = []
    for key, value in owned_values(evaluation).items():
        posted = data.get(key)
        if posted not in (None, "") and str(posted) not in (str(value), str(stored.get(key, ""))):
            problems.append((key, str(OWNER_MESSAGES["campaign"])))
        result[key] = value
    if problems:
        raise ServerOwnedChange(problems)
    return result


# --- tasks ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarationSources:
    """What the declarations of some units are prefilled from, read once for all of them: each
    unit's 部门整体 budget (年初), the registration a year earlier of each project (by unit, year
    and code) and last year's targets in force. One declaration at a time was three or four queries each, most
    of a 250,000-declaration campaign's time in its background job."""

    unit_initial: dict[int, Decimal]
    year_before: dict[tuple[int, int, str], int]
    earlier: dict[tuple[int, int | None], Any]

    @classmethod
    def of_units(
        cls, *, campaign: Campaign, unit_ids: list[int], project_years: Iterable[int] = ()
    ) -> DeclarationSources:
        """``project_years``: the years of the projects to declare besides the campaign's."""
        from jixiao.projects.models import BudgetLine, Project
        from jixiao.targets.selectors import targets_in_force_of_units

        unit_initial: dict[int, Decimal] = {}
        for unit_id, initial in BudgetLine.objects.filter(
            unit_id__in=unit_ids, year=campaign.year, project__isnull=True
        ).values_list("unit_id", "initial"):
            unit_initial[unit_id] = unit_initial.get(unit_id, Decimal(0)) + initial
        years = {campaign.year - 1, *(year - 1 for year in project_years)}
        year_before: dict[tuple[int, int, str], int] = {}
        for unit_id, year, code, pk in (
            Project.objects.filter(unit_id__in=unit_ids, year__in=years)
            .order_by("pk")
            .values_list("unit_id", "year", "code", "pk")
        ):
            year_before.setdefault((unit_id, year, code), pk)
        earlier = targets_in_force_of_units(unit_ids=unit_ids, year=campaign.year - 1)
        return cls(unit_initial=unit_initial, year_before=year_before, earlier=earlier)


def prefill_declaration(
    *,
    campaign: Campaign,
    unit: Organisation,
    project: Any = None,
    known: DeclarationSources | None = None,
) -> dict[str, Any]:
    """What a new declaration starts with: who and what it is about, the amount the register holds
    for it, and the targets in force for last year (as a starting point, values and all).
    ``known``: the sources read for a batch of units that includes ``unit``."""
    if known is None:
        known = DeclarationSources.of_units(
            campaign=campaign,
            unit_ids=[unit.pk],
            project_years=[project.year] if project is not None else [],
        )
    amount: Decimal | None = None
    if project is not None:
        amount = project.initial_total or None
    else:
        amount = known.unit_initial.get(unit.pk) or None
    data: dict[str, Any] = {
        "kind": KIND,
        "scope": (DeclarationScope.PROJECT if project else DeclarationScope.DEPARTMENT).value,
        "year": campaign.year,
        "unit_name": unit.name,
        "project_name": project.name if project else "",
        "project_code": project.code if project else "",
        "amount": str(amount) if amount is not None else None,
        "overall_goal": "",
        "targets": [],
        "notes": [],
    }
    # A project's starting point is its own registration of the year before (same unit and
    # code); a project new this year has none, and does not start from the 部门整体 targets.
    if project is None:
        earlier = known.earlier.get((unit.pk, None))
    else:
        before = known.year_before.get((project.unit_id, project.year - 1, project.code))
        earlier = known.earlier.get((unit.pk, before)) if before is not None else None
    if earlier is not None:
        data["overall_goal"] = str(earlier.data.get("overall_goal") or "")
        data["targets"] = copy.deepcopy(list(earlier.data.get("targets") or []))
    return data


@transaction.atomic
def create_declaration_tasks(
    *,
    user: User,
    campaign: Campaign,
    units: list[Organisation],
    projects: list[Any] | None = None,
) -> list[Evaluation]:
    """One 部门整体 declaration per unit in scope, and one per project: ``projects`` (the 项目库
    scope the bureau chose, jixiao.projects.selectors.projects_in_scope) or, when None, every
    active project the unit registered for the campaign's budget year. Existing tasks are
    skipped, so adding units twice creates nothing twice."""
    from jixiao.projects.models import Project

    if not user.is_bureau_user:
        raise PermissionError(_("只有财政局可以下达自评任务"))
    unit_ids = [u.pk for u in units if u.kind == OrganisationKind.UNIT]
    if projects is None:
        projects = list(
            Project.objects.filter(
                unit_id__in=unit_ids, year=campaign.year, is_active=True
            ).order_by("code", "pk")
        )
    # Read once for all the units (a background job's batch), not unit by unit.
    own_projects: dict[int, list[Any]] = {}
    for project in projects:
        own_projects.setdefault(project.unit_id, []).append(project)
    existing_of: dict[int, set[tuple[int | None, str]]] = {}
    for unit_id, project_id, project_name in Evaluation.objects.filter(
        campaign=campaign, unit_id__in=unit_ids
    ).values_list("unit_id", "project_id", "project_name"):
        existing_of.setdefault(unit_id, set()).add((project_id, project_name))
    known = DeclarationSources.of_units(
        campaign=campaign, unit_ids=unit_ids, project_years={p.year for p in projects}
    )
    created = []
    for unit in units:
        if unit.kind != OrganisationKind.UNIT:
            continue
        own = own_projects.get(unit.pk, [])
        existing = existing_of.setdefault(unit.pk, set())  # a unit listed twice: seen here
        taken_names = {name for _pid, name in existing}
        taken_projects = {pid for pid, _name in existing}
        wanted: list[Any] = [None, *own]
        for project in wanted:
            if project is None and "" in taken_names and None in taken_projects:
                continue
            if project is not None and project.pk in taken_projects:
                continue
            name = ""
            if project is not None:
                name = project.name
                if name in taken_names:  # two projects of one name: the code tells them apart
                    name = f"{project.name}（{project.code}）"[:200]
            evaluation = Evaluation(
                campaign=campaign,
                unit=unit,
                project=project,
                project_name=name,
                status=Status.DRAFT,
                ruleset_ref="",
                data=prefill_declaration(
                    campaign=campaign, unit=unit, project=project, known=known
                ),
            )
            evaluation.save()
            taken_names.add(name)
            existing.add((evaluation.project_id, name))
            created.append(evaluation)
    return created


# --- checks ---------------------------------------------------------------------------------------


def cost_threshold(campaign: Campaign) -> Decimal | None:
    from jixiao.targets.models import TargetCampaignSettings

    row = TargetCampaignSettings.objects.filter(campaign=campaign).first()
    if row is None:
        return DEFAULT_COST_THRESHOLD
    return row.cost_threshold


def previous_actuals(evaluation: Evaluation) -> dict[tuple[str, str], Decimal]:
    """Last year's actual values of the unit's targets, by (name, unit of measure): from its latest
    self-evaluation before the budget year (部门整体 for a 部门整体 declaration, the same project's
    for a project one) that was handed in."""
    kind = EvaluationKind.PROJECT if evaluation.project_id else EvaluationKind.DEPARTMENT
    earlier = Evaluation.objects.filter(
        unit_id=evaluation.unit_id,
        campaign__kind=kind,
        campaign__year__lt=evaluation.campaign.year,
    ).exclude(status=Status.DRAFT)
    if evaluation.project_id:
        project = evaluation.project
        assert project is not None
        earlier = earlier.filter(project__code=project.code) | earlier.filter(
            project__isnull=True, project_name=project.name
        )
    found = earlier.order_by("-campaign__year", "-pk").first()
    if found is None:
        return {}
    out: dict[tuple[str, str], Decimal] = {}
    for row in (found.data or {}).get("targets") or []:
        if not isinstance(row, dict) or row.get("actual") in (None, ""):
            continue
        try:
            actual = parse_decimal(str(row["actual"]))
        except NumberFormatError:
            continue
        out.setdefault(
            (name_key(str(row.get("name") or "")), str(row.get("unit") or "").strip()), actual
        )
    return out


def findings_for(evaluation: Evaluation, data: dict[str, Any] | None = None) -> list[Finding]:
    """The checks on ``data`` (default: the stored content); [] when it does not validate (the
    caller shows the input faults instead)."""
    try:
        declaration = parse_declaration(evaluation.data if data is None else data)
    except InputError:
        return []
    return check_declaration(
        declaration,
        previous_actuals=previous_actuals(evaluation),
        cost_threshold=cost_threshold(evaluation.campaign),
    )


def finding_text(finding: Finding) -> str:
    """The finding in the user's language: the template translated, then its parameters."""
    params = {k: (_(v) if isinstance(v, str) and v else v) for k, v in finding.params.items()}
    return _(finding.rule.template).format(**params)


def input_problem_text(problem: InputProblem) -> str:
    from jixiao.targets.entry import describe_field

    if not problem.field:
        return str(problem.message)
    return f"{describe_field(problem.field)}：{problem.message}"


def submission_problems(evaluation: Evaluation) -> list[str]:
    """What keeps a declaration from being submitted: input faults, then the checks' errors."""
    try:
        parse_declaration(evaluation.data)
    except InputError as exc:
        return [input_problem_text(p) for p in exc.problems]
    return [finding_text(f) for f in findings_for(evaluation) if f.is_error]
