"""结果应用: the bureau's grade → budget advice table, per-evaluation overrides with a reason, and
the stored rows of the table the budget office reads (refreshed by a job, never decoded per page)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import Organisation


class AdviceRule(models.Model):
    """The advice for next year's budget for one grade (优/良/中/差), set by the bureau.

    Defaults (migration 0002) and their sources: docs/decisions.md, "结果应用"."""

    grade = models.CharField(_("等级"), max_length=8, unique=True)
    advice = models.CharField(_("预算安排建议"), max_length=200)
    cut_percent = models.DecimalField(
        _("压减比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("结果应用规则")

    def __str__(self) -> str:
        return f"{self.grade}: {self.advice}"


class AdviceOverride(models.Model):
    """The bureau's own advice for one evaluation (a unit or a project), with its reason."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="advice_override"
    )
    advice = models.CharField(_("预算安排建议"), max_length=200)
    reason = models.TextField(_("调整理由"), max_length=2000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.advice}"


class ResultEntry(models.Model):
    """One row of the 结果应用 table: an approved evaluation's score, grade, execution rate and
    整改 counts as the last refresh found them (the page and the xlsx read only these columns)."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, related_name="result_entry"
    )
    year = models.PositiveIntegerField()
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_name = models.CharField(max_length=200)
    department_name = models.CharField(max_length=200, blank=True)
    project_name = models.CharField(max_length=200, blank=True)
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(max_length=16, blank=True)
    execution_rate = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    # 绩效目标 (the unit's own 三级指标) reached, of all of them: from the scored result when the
    # row is written, so the trends add columns instead of decoding every document.
    targets_met = models.PositiveIntegerField(null=True, blank=True)
    targets_total = models.PositiveIntegerField(null=True, blank=True)
    # 监控预警 of the unit in the year's monitoring rounds (all, and red ones).
    warnings = models.PositiveIntegerField(default=0)
    red_warnings = models.PositiveIntegerField(default=0)
    open_tasks = models.PositiveIntegerField(default=0)
    overdue_tasks = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        ordering = ["year", "department_name", "unit_name", "pk"]
        indexes = [
            models.Index(fields=["year", "department"], name="result_year_department"),
            # the table's keyset order (selectors.page), with and without a year chosen
            models.Index(
                fields=["year", "department_name", "unit_name", "id"], name="result_year_order"
            ),
            models.Index(fields=["department_name", "unit_name", "id"], name="result_order"),
            # the trends: one unit's or one department's rows over the years
            models.Index(fields=["unit", "year"], name="result_unit_year"),
            models.Index(fields=["department", "year"], name="result_department_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_name} {self.total} {self.grade}"


class PublishedAdvice(models.Model):
    """The bureau chose to publish the year's budget advice in the 结果公开 table."""

    year = models.PositiveIntegerField(unique=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.year)


class AssessmentSnapshot(models.Model):
    """部门绩效管理工作考核 of one year as its last computation found it: each supervising
    department's facts (scoring.department_assessment.DepartmentFacts, as JSON). Computing them
    reads every review step, audit and recheck of the year (seconds at province scale), so a
    job does it (results.jobs) and the page and the xlsx read this row, saying when it was
    computed; the weights are applied when it is read."""

    year = models.PositiveIntegerField(unique=True)
    departments = models.JSONField(default=list)  # [{"id", "name", "facts": {...}}], any order
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.year} @ {self.computed_at:%Y-%m-%d %H:%M}"
