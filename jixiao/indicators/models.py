"""指标库 (indicator library): the indicators units use, and every use with its figures.

``Indicator`` is one library entry: a 共性指标 (a leaf of a shipped or stored rule-set) or a 个性指标
(a target name and unit of measure some unit declared, under one 一级/二级指标). ``IndicatorUse`` is one
unit's use of it in one year, for its 部门整体 targets or one project: the approved target value and,
once the year-end self-evaluation is approved, the actual. Both tables are written only by
``jixiao.indicators.services`` (on approval, and by the rebuild command); every search and benchmark
reads their columns, never the evaluations' JSON.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import Organisation
from jixiao.projects.models import Project
from jixiao.targets.models import TargetAdjustment


class IndicatorKind(models.TextChoices):
    COMMON = "common", _("共性指标")
    CUSTOM = "custom", _("个性指标")


class Indicator(models.Model):
    """One entry of the 指标库.

    A 共性指标 is keyed by its rule-set and code; a 个性指标 by its 一级/二级指标, normalised name and
    normalised unit of measure (``scoring.indicator_library``). ``unit_count``/``use_count``/
    ``last_year`` summarise its uses and are recounted whenever uses are recorded, so the search
    sorts and filters on columns.
    """

    kind = models.CharField(_("类别"), max_length=8, choices=IndicatorKind.choices)
    level1 = models.CharField(_("一级指标"), max_length=100, blank=True)
    level2 = models.CharField(_("二级指标"), max_length=100, blank=True)
    name = models.CharField(_("指标名称"), max_length=200)
    name_key = models.CharField(max_length=200)
    measure = models.CharField(_("计量单位"), max_length=40, blank=True)
    measure_key = models.CharField(max_length=40, blank=True)
    direction = models.CharField(_("指标方向"), max_length=8, blank=True)
    ruleset_ref = models.CharField(_("规则集"), max_length=80, blank=True)
    code = models.CharField(_("指标编码"), max_length=40, blank=True)
    explanation = models.TextField(_("指标说明"), blank=True)
    criteria = models.TextField(_("评分标准"), blank=True)
    unit_count = models.PositiveIntegerField(_("使用单位数"), default=0)
    use_count = models.PositiveIntegerField(_("使用次数"), default=0)
    last_year = models.PositiveIntegerField(_("最近使用年度"), null=True, blank=True)

    class Meta:
        ordering = ["-unit_count", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ruleset_ref", "code"],
                condition=models.Q(kind="common"),
                name="one_common_indicator_per_ruleset_code",
            ),
            models.UniqueConstraint(
                fields=["level1", "level2", "name_key", "measure_key"],
                condition=models.Q(kind="custom"),
                name="one_custom_indicator_per_key",
            ),
        ]
        indexes = [
            # The search's keyset order (most used first).
            models.Index(fields=["-unit_count", "id"], name="indicator_popular"),
            models.Index(fields=["name_key", "measure_key"], name="indicator_key"),
        ]
        verbose_name = _("指标库指标")
        verbose_name_plural = _("指标库指标")

    def __str__(self) -> str:
        return f"{self.name}（{self.measure}）" if self.measure else self.name


class IndicatorUse(models.Model):
    """One unit's use of an indicator in one year (部门整体 or one project): the target in force and
    the actual reached.

    One row per (unit, year, scope, normalised name, normalised unit of measure): the approved
    declaration writes the target, an approved adjustment rewrites it, the approved year-end
    self-evaluation adds the actual (and the target too, when no declaration was approved — a
    bureau's first year on jixiao). ``scope_key`` is "" for 部门整体, ``project:<id>`` for a registered
    project and ``name:<项目名称>`` for a project evaluation made before the register existed.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="uses")
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # The unit's supervising department when recorded: the search filters by it without joins.
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveIntegerField(_("年度"))
    scope_key = models.CharField(max_length=220, blank=True)
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    project_name = models.CharField(_("项目名称"), max_length=200, blank=True)
    code = models.CharField(_("指标编码"), max_length=40, blank=True)
    level1 = models.CharField(_("一级指标"), max_length=100, blank=True)
    level2 = models.CharField(_("二级指标"), max_length=100, blank=True)
    name = models.CharField(_("指标名称"), max_length=200)
    name_key = models.CharField(max_length=200)
    measure = models.CharField(_("计量单位"), max_length=40, blank=True)
    measure_key = models.CharField(max_length=40, blank=True)
    direction = models.CharField(_("指标方向"), max_length=8, blank=True)
    target_value = models.DecimalField(
        _("目标值"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    target_high = models.DecimalField(
        _("目标值上限"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    target_text = models.CharField(_("定性目标"), max_length=500, blank=True)
    actual_value = models.DecimalField(
        _("实际完成值"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    declaration = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    adjustment = models.ForeignKey(
        TargetAdjustment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "scope_key", "name_key", "measure_key"],
                name="one_indicator_use_per_unit_year_scope",
            ),
        ]
        indexes = [
            # The benchmark: every use of one (name, unit of measure) in a range of years. On
            # PostgreSQL migration 0003 rebuilds it with the figures it aggregates as INCLUDE
            # columns, so the grouped query reads the index alone (docs/decisions.md, 指标库); not
            # declared here because SQLite has no covering indexes and Django warns (W040).
            models.Index(fields=["name_key", "measure_key", "year"], name="use_benchmark"),
            # The search's department filter (EXISTS per indicator).
            models.Index(fields=["indicator", "department"], name="use_indicator_department"),
            # A unit's own uses (its history; the search's "mine" for unit users).
            models.Index(fields=["unit", "indicator"], name="use_unit_indicator"),
        ]
        verbose_name = _("指标使用记录")
        verbose_name_plural = _("指标使用记录")

    def __str__(self) -> str:
        return f"{self.year} {self.name}"
