"""The writes of the 指标库: 共性指标 from the rule-sets, and every approved target and actual.

Who calls what:

* ``jixiao.reviews.services.transition`` calls ``record_approved_evaluation`` once a bureau approval
  commits: a declaration (campaign kind ``targets``) records its targets, a year-end
  self-evaluation (``department``/``project``) records its actuals (and its targets when no
  declaration was approved for that year). Monitoring rounds record nothing.
* The target-adjustment service calls ``record_targets(declaration, data, adjustment=…)`` when an
  adjustment is approved: the adjusted targets replace the declared ones.
* ``manage.py rebuild_indicator_library`` re-reads every rule-set and every approved declaration,
  adjustment and self-evaluation (after a deploy, or to repair), and the rule-set upload calls
  ``sync_common_indicators``.

Derived data, not a state change a person makes: the approval or adjustment that causes it is what
the 操作日志 records. Every function is idempotent (recording the same document twice writes the
same rows).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Count, Max

from jixiao.campaigns.models import EvaluationKind, StoredRuleSet
from jixiao.evaluations.models import Evaluation
from jixiao.indicators.models import Indicator, IndicatorKind, IndicatorUse
from jixiao.jobs.progress import retry_locked
from jixiao.targets.models import AdjustmentStatus, TargetAdjustment
from jixiao.targets.selectors import APPROVED_STATUSES
from scoring.evaluation import Target
from scoring.indicator_library import common_indicators, level1_of, measure_key, name_key
from scoring.loading import InputError, parse_yaml, shipped_rulesets, validate_data
from scoring.ruleset import RuleSet
from scoring.targets import DeclaredTarget

logger = logging.getLogger(__name__)

VALUE_PLACES = Decimal("0.000001")
VALUE_LIMIT = Decimal(10) ** 17  # the columns hold 18 digits before the point


# ------------------------------------------------------------------ 共性指标


def _all_rulesets() -> dict[str, RuleSet]:
    found = dict(shipped_rulesets())
    for ref, yaml_text in StoredRuleSet.objects.values_list("ref", "yaml"):
        try:
            found[ref] = validate_data(RuleSet, parse_yaml(yaml_text, ref), ref)
        except InputError:
            logger.warning("stored rule-set %s does not load; its indicators are skipped", ref)
    return found


@transaction.atomic
def sync_common_indicators() -> int:
    """Make the 共性指标 match the shipped and stored rule-sets' leaves; returns how many there are.
    An entry whose rule-set or leaf is gone is removed (rule-sets are versioned, so this only
    happens when a file is taken out of rulesets/)."""
    existing = {
        (i.ruleset_ref, i.code): i for i in Indicator.objects.filter(kind=IndicatorKind.COMMON)
    }
    seen: set[tuple[str, str]] = set()
    fresh: list[Indicator] = []
    changed: list[Indicator] = []
    fields = ["level1", "level2", "name", "name_key", "measure", "measure_key", "direction"]
    fields += ["explanation", "criteria"]
    for ref, ruleset in sorted(_all_rulesets().items()):
        for common in common_indicators(ruleset):
            key = (ref, common.code[:40])
            seen.add(key)
            values = {
                "level1": common.level1[:100],
                "level2": common.level2[:100],
                "name": common.name[:200],
                "name_key": name_key(common.name),
                "measure": common.measure,
                "measure_key": measure_key(common.measure),
                "direction": common.direction,
                "explanation": common.explanation,
                "criteria": common.criteria,
            }
            row = existing.get(key)
            if row is None:
                fresh.append(
                    Indicator(kind=IndicatorKind.COMMON, ruleset_ref=ref, code=key[1], **values)
                )
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                changed.append(row)
    Indicator.objects.bulk_create(fresh)
    if changed:
        Indicator.objects.bulk_update(changed, fields)
    gone = [row.pk for key, row in existing.items() if key not in seen]
    if gone:
        Indicator.objects.filter(pk__in=gone).delete()
    return len(seen)


# ------------------------------------------------------------------ 个性指标: one use per target


@dataclass(frozen=True)
class UseFigures:
    """One target as the library stores it (from a declaration or a self-evaluation)."""

    code: str
    level1: str
    level2: str
    name: str
    measure: str
    direction: str
    target_value: Decimal | None
    target_high: Decimal | None
    target_text: str
    actual_value: Decimal | None

    @property
    def key(self) -> tuple[str, str]:
        return name_key(self.name), measure_key(self.measure)


def _stored_number(value: Decimal | None) -> Decimal | None:
    if value is None or not value.is_finite() or abs(value) >= VALUE_LIMIT:
        return None
    return value.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)


def declared_figures(data: Mapping[str, Any]) -> list[UseFigures]:
    """The targets of a declaration's JSON (``scoring.targets.TargetDeclaration`` shape). A target
    that does not validate is skipped (the approval already checked the declaration; a document
    stored before a schema change must not stop the library)."""
    found = []
    for raw in data.get("targets") or ():
        try:
            target = DeclaredTarget.model_validate(raw)
        except ValueError:
            continue
        if not name_key(target.name):
            continue
        found.append(
            UseFigures(
                code=target.code,
                level1=str(target.level1),
                level2=target.level2[:100],
                name=target.name,
                measure=target.unit[:40],
                direction=str(target.direction),
                target_value=_stored_number(target.value),
                target_high=_stored_number(target.value_high),
                target_text=target.value_text[:500],
                actual_value=None,
            )
        )
    return found


def evaluated_figures(data: Mapping[str, Any], ruleset: RuleSet | None) -> list[UseFigures]:
    """The targets of a self-evaluation's JSON (``scoring.evaluation.Target``), with the 一级指标
    read off the rule-set node each is scored under."""
    found = []
    for raw in data.get("targets") or ():
        try:
            target = Target.model_validate(raw)
        except ValueError:
            continue
        if not name_key(target.name):
            continue
        node = ruleset.find(target.parent) if ruleset is not None and target.parent else None
        found.append(
            UseFigures(
                code=target.code,
                level1=level1_of(node.name) if node is not None else "",
                level2="",
                name=target.name,
                measure=target.unit[:40],
                direction=str(target.direction),
                target_value=_stored_number(target.target),
                target_high=_stored_number(target.target_high),
                target_text="",
                actual_value=_stored_number(target.actual),
            )
        )
    return found


def _scope_of(evaluation: Evaluation) -> tuple[str, int | None, str]:
    """(scope_key, project id, project name) of a declaration or an evaluation."""
    if evaluation.project_id is not None:
        name = evaluation.project.name if evaluation.project else evaluation.project_name
        return f"project:{evaluation.project_id}", evaluation.project_id, name
    if evaluation.project_name:
        return f"name:{evaluation.project_name}"[:220], None, evaluation.project_name
    return "", None, ""


def _custom_indicators(figures: Iterable[UseFigures]) -> dict[tuple[str, str, str, str], Indicator]:
    """The 个性指标 entry of every (一级, 二级, name key, measure key), created when new."""
    keys = {(f.level1, f.level2, *f.key): f for f in figures}
    if not keys:
        return {}
    found = {
        (i.level1, i.level2, i.name_key, i.measure_key): i
        for i in Indicator.objects.filter(
            kind=IndicatorKind.CUSTOM, name_key__in={k[2] for k in keys}
        )
    }
    for key, figure in keys.items():
        if key not in found:
            found[key], _ = Indicator.objects.get_or_create(
                kind=IndicatorKind.CUSTOM,
                level1=key[0],
                level2=key[1],
                name_key=key[2],
                measure_key=key[3],
                defaults={
                    "name": figure.name[:200],
                    "measure": figure.measure,
                    "direction": figure.direction,
                },
            )
    return found


def recount(indicator_ids: Iterable[int]) -> None:
    """Refresh the use counts the search sorts on, for these entries."""
    ids = set(indicator_ids)
    if not ids:
        return
    counts = {
        row["indicator_id"]: row
        for row in IndicatorUse.objects.filter(indicator_id__in=ids)
        .values("indicator_id")
        .annotate(units=Count("unit_id", distinct=True), uses=Count("id"), last=Max("year"))
    }
    rows = list(Indicator.objects.filter(pk__in=ids))
    for row in rows:
        c = counts.get(row.pk)
        row.unit_count = c["units"] if c else 0
        row.use_count = c["uses"] if c else 0
        row.last_year = c["last"] if c else None
    Indicator.objects.bulk_update(rows, ["unit_count", "use_count", "last_year"])


_TARGET_FIELDS = ("target_value", "target_high", "target_text")
_DESCRIPTION_FIELDS = ("code", "level1", "level2", "name", "measure", "direction")


def _write_uses(
    *,
    source: Evaluation,
    year: int,
    figures: list[UseFigures],
    as_declaration: bool,
    adjustment: TargetAdjustment | None = None,
) -> int:
    """Upsert the uses of one document (declaration or self-evaluation) for its unit, year and
    scope. A declaration owns the targets of its rows; a self-evaluation owns the actuals, and the
    targets of rows no declaration wrote."""
    scope_key, project_id, project_name = _scope_of(source)
    unit = source.unit
    by_key: dict[tuple[str, str], UseFigures] = {}
    for figure in figures:
        by_key.setdefault(figure.key, figure)  # the same indicator twice in one list: the first
    indicators = _custom_indicators(by_key.values())
    existing = {
        (row.name_key, row.measure_key): row
        for row in IndicatorUse.objects.filter(unit=unit, year=year, scope_key=scope_key)
    }
    touched = {row.indicator_id for row in existing.values()}
    owner = "declaration_id" if as_declaration else "evaluation_id"
    fresh: list[IndicatorUse] = []
    for key, figure in by_key.items():
        indicator = indicators[(figure.level1, figure.level2, *key)]
        row = existing.get(key)
        if row is None:
            row = IndicatorUse(
                unit=unit,
                department_id=unit.parent_id,
                year=year,
                scope_key=scope_key,
                name_key=key[0],
                measure_key=key[1],
            )
            fresh.append(row)
        row.project_id = project_id
        row.project_name = project_name[:200]
        setattr(row, owner, source.pk)
        writes_targets = as_declaration or row.declaration_id is None
        if writes_targets:
            row.indicator = indicator
            for name in _DESCRIPTION_FIELDS:
                setattr(row, name, getattr(figure, name))
            for name in _TARGET_FIELDS:
                setattr(row, name, getattr(figure, name))
        if as_declaration:
            row.adjustment = adjustment
        else:
            row.actual_value = figure.actual_value
        touched.add(indicator.pk if writes_targets else row.indicator_id)
        if row.pk is not None:
            row.save()
    IndicatorUse.objects.bulk_create(fresh)
    # What this document no longer has.
    for key, row in existing.items():
        if key in by_key or getattr(row, owner) != source.pk:
            continue
        other_owner = row.evaluation_id if as_declaration else row.declaration_id
        if other_owner is None:
            row.delete()
        elif as_declaration:
            row.declaration_id = None
            row.adjustment = None
            row.save()
        else:
            row.evaluation_id = None
            row.actual_value = None
            row.save()
    recount(touched)
    return len(by_key)


@transaction.atomic
def record_targets(
    declaration: Evaluation,
    data: Mapping[str, Any] | None = None,
    *,
    adjustment: TargetAdjustment | None = None,
) -> int:
    """Record the targets in force of an approved declaration: its own ``data``, or an approved
    adjustment's (pass ``adjustment``; its data is used when ``data`` is None). Returns how many
    targets were recorded."""
    if data is None:
        data = adjustment.data if adjustment is not None else declaration.data
    return _write_uses(
        source=declaration,
        year=declaration.campaign.year,
        figures=declared_figures(data),
        as_declaration=True,
        adjustment=adjustment,
    )


@transaction.atomic
def record_actuals(evaluation: Evaluation) -> int:
    """Record the actuals (and, without an approved declaration, the targets) of an approved
    year-end self-evaluation."""
    from jixiao.campaigns.rulesets import get_ruleset

    try:
        ruleset: RuleSet | None = get_ruleset(
            evaluation.ruleset_ref or evaluation.campaign.ruleset_ref
        )
    except InputError:
        ruleset = None
    return _write_uses(
        source=evaluation,
        year=evaluation.campaign.year,
        figures=evaluated_figures(evaluation.data, ruleset),
        as_declaration=False,
    )


def after_approval(evaluation_id: int) -> None:
    """The approval hook (``reviews.services.transition`` runs it once the approval commits): the
    library is derived data, so nothing here may fail the approval's request. SQLite's "database is
    locked" (the embedded job runner writing from its thread) is retried; anything else is logged,
    and ``manage.py rebuild_indicator_library`` catches up."""
    try:
        retry_locked(lambda: record_approved_evaluation(evaluation_id))
    except Exception:
        logger.exception(
            "indicator library not updated for evaluation %s; run rebuild_indicator_library",
            evaluation_id,
        )


def record_approved_evaluation(evaluation_id: int) -> None:
    """The approval hook: whatever the approved evaluation contributes to the library."""
    evaluation = (
        Evaluation.objects.select_related("campaign", "unit", "project")
        .filter(pk=evaluation_id, status__in=APPROVED_STATUSES)
        .first()
    )
    if evaluation is None:
        return
    kind = evaluation.campaign.kind
    if kind == EvaluationKind.TARGETS:
        adjustment = (
            TargetAdjustment.objects.filter(
                declaration=evaluation, status=AdjustmentStatus.APPROVED
            )
            .order_by("-number")
            .first()
        )
        record_targets(evaluation, adjustment=adjustment)
    elif kind in (EvaluationKind.DEPARTMENT, EvaluationKind.PROJECT):
        record_actuals(evaluation)


def rebuild() -> dict[str, int]:
    """Re-read every rule-set and every approved declaration (with its latest approved adjustment)
    and year-end self-evaluation. Declarations first, so the self-evaluations add their actuals to
    the declared rows. Idempotent."""
    common = retry_locked(sync_common_indicators)
    approved = Evaluation.objects.filter(status__in=APPROVED_STATUSES)
    declarations = approved.filter(campaign__kind=EvaluationKind.TARGETS).order_by(
        "campaign__year", "campaign__created_at", "pk"
    )
    evaluations = approved.filter(
        campaign__kind__in=(EvaluationKind.DEPARTMENT, EvaluationKind.PROJECT)
    ).order_by("campaign__year", "campaign__created_at", "pk")
    counts = {"common": common, "declarations": 0, "evaluations": 0}
    for pk in list(declarations.values_list("pk", flat=True)):
        retry_locked(partial(record_approved_evaluation, pk))
        counts["declarations"] += 1
    for pk in list(evaluations.values_list("pk", flat=True)):
        retry_locked(partial(record_approved_evaluation, pk))
        counts["evaluations"] += 1
    return counts
