"""项目库: a unit's projects per year, and the budget lines (by fund source) of projects and units.

A project belongs to one budget unit and one budget year; a multi-year project (跨年度项目) is
registered once per year it runs, with ``period_start``/``period_end`` naming its whole period, so
every year has its own amounts, campaign evaluations and targets.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.organisations.models import Organisation


class Project(models.Model):
    """One project (预算项目) of one unit in one budget year."""

    unit = models.ForeignKey(
        Organisation, verbose_name=_("预算单位"), on_delete=models.PROTECT, related_name="projects"
    )
    # The supervising department (主管部门) as it was when the project was registered: lists filter
    # by it without walking the organisation tree.
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        related_name="department_projects",
        null=True,
        blank=True,
    )
    year = models.PositiveIntegerField(_("预算年度"))
    code = models.CharField(_("项目编码"), max_length=60)
    name = models.CharField(_("项目名称"), max_length=200)
    category = models.CharField(_("项目类别"), max_length=60, blank=True)
    period_start = models.PositiveIntegerField(_("实施期起始年度"), null=True, blank=True)
    period_end = models.PositiveIntegerField(_("实施期终止年度"), null=True, blank=True)
    # Totals over the fund sources, stored on save of the budget lines so lists and campaign scopes
    # filter and sort on a column (万元).
    initial_total = models.DecimalField(_("年初预算数"), max_digits=16, decimal_places=2, default=0)
    adjusted_total = models.DecimalField(
        _("调整后预算数"), max_digits=16, decimal_places=2, default=0
    )
    executed_total = models.DecimalField(_("执行数"), max_digits=16, decimal_places=2, default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["unit", "year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "code"], name="one_project_per_code"),
        ]
        indexes = [
            models.Index(fields=["year", "department"], name="project_year_department"),
            # The register's order (newest year, code, id): its keyset pages are ranges of this
            # index, the first page of 200,000 projects as cheap as the last (docs/scale.md).
            models.Index(fields=["-year", "code", "id"], name="project_register_order"),
        ]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class BudgetLine(models.Model):
    """One fund source's amounts (万元) for a project, or for the unit as a whole when ``project`` is
    empty (部门整体预算): 年初预算 / 调整后预算 / 执行数."""

    unit = models.ForeignKey(
        Organisation, verbose_name=_("预算单位"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("预算年度"))
    project = models.ForeignKey(
        Project,
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budget_lines",
    )
    source = models.CharField(_("资金来源"), max_length=100)
    initial = models.DecimalField(_("年初预算数"), max_digits=16, decimal_places=2, default=0)
    adjusted = models.DecimalField(_("调整后预算数"), max_digits=16, decimal_places=2, default=0)
    executed = models.DecimalField(_("执行数"), max_digits=16, decimal_places=2, default=0)

    class Meta:
        ordering = ["unit", "year", "project", "source"]
        # Two constraints because NULL never equals NULL in a unique index: one for project lines,
        # one for the unit's own lines.
        constraints = [
            models.UniqueConstraint(
                fields=["project", "source"],
                condition=models.Q(project__isnull=False),
                name="one_project_budget_line_per_source",
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "source"],
                condition=models.Q(project__isnull=True),
                name="one_unit_budget_line_per_source",
            ),
        ]
        verbose_name = _("预算资金")
        verbose_name_plural = _("预算资金")

    def __str__(self) -> str:
        return f"{self.year} {self.source}"


class ImportMapping(models.Model):
    """A bureau's column mapping for the xlsx its budget system exports (项目导入列映射).

    ``columns`` maps each field the import reads (``jixiao.projects.project_import.FIELDS``) to the
    header text of the column that holds it in the bureau's export; saved once, reused by every
    import and by the export, which writes the same layout back.
    """

    bureau = models.OneToOneField(
        Organisation,
        verbose_name=_("财政局"),
        on_delete=models.CASCADE,
        related_name="project_import_mapping",
    )
    columns = models.JSONField(_("列映射"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("项目导入列映射")
        verbose_name_plural = _("项目导入列映射")

    def __str__(self) -> str:
        return f"{self.bureau} 项目导入列映射"
