"""绩效运行监控 (双监控): a round's settings, and the warnings of its reports as rows for the lists.

A monitoring round is a ``Campaign`` of kind ``monitoring``; each unit's 部门整体 report and each
project's report is an ``Evaluation`` of that campaign (one review workflow, one access scope, one
操作日志). What belongs to the round only — the as-of date and the warning thresholds — is here, one
row per campaign. The warnings are computed from a report's data (scoring.monitoring) and stored
when it is saved, one row per warning, so the city-wide list filters, sorts and pages on columns.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import Organisation
from scoring.monitoring import Level, Reason, Thresholds


class MonitoringRound(models.Model):
    """One monitoring round (监控批次): the data's as-of date and its warning thresholds.

    The due date is the campaign's deadline (报送截止时间).
    """

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="monitoring_round"
    )
    as_of = models.DateField(_("监控数据截止日期"), help_text=_("如：7月31日（1-7月数据）"))
    execution_yellow = models.DecimalField(
        _("执行进度黄色预警（落后序时进度百分点）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
    )
    execution_red = models.DecimalField(
        _("执行进度红色预警（落后序时进度百分点）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
    )
    target_yellow = models.DecimalField(
        _("目标黄色预警（全年预计完成低于 %）"), max_digits=5, decimal_places=2, default=Decimal(90)
    )
    target_red = models.DecimalField(
        _("目标红色预警（全年预计完成低于 %）"), max_digits=5, decimal_places=2, default=Decimal(80)
    )

    class Meta:
        verbose_name = _("监控批次")
        verbose_name_plural = _("监控批次")

    def __str__(self) -> str:
        return f"{self.campaign} {self.as_of:%Y-%m-%d}"

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(
            execution_yellow=self.execution_yellow,
            execution_red=self.execution_red,
            target_yellow=self.target_yellow,
            target_red=self.target_red,
        )


class WarningLevel(models.IntegerChoices):
    YELLOW = Level.YELLOW.value, _("黄色预警")
    RED = Level.RED.value, _("红色预警")


class WarningReason(models.TextChoices):
    EXECUTION_BEHIND = Reason.EXECUTION_BEHIND.value, _("预算执行滞后")
    OVER_BUDGET = Reason.OVER_BUDGET.value, _("超预算执行")
    TARGET_SHORTFALL = Reason.TARGET_SHORTFALL.value, _("目标预计未达成")
    TARGET_UNLIKELY = Reason.TARGET_UNLIKELY.value, _("目标完成可能性低")


class MonitoringWarning(models.Model):
    """One warning of one monitoring report (预警), as of the report's last save.

    Rewritten with the report in the same transaction: a warning that is still raised keeps its row
    (and so its id and URL, which a 整改 task may cite); one no longer raised is deleted. Names are
    copied so the city-wide list sorts and shows them without joins.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="monitoring_warnings"
    )
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    unit_name = models.CharField(_("预算单位"), max_length=200)
    department_name = models.CharField(_("主管部门"), max_length=200, blank=True)
    project_name = models.CharField(_("项目"), max_length=200, blank=True)
    target_code = models.CharField(_("指标编码"), max_length=40, blank=True)
    target_name = models.CharField(_("指标"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("预警等级"), choices=WarningLevel.choices)
    reason = models.CharField(_("预警原因"), max_length=24, choices=WarningReason.choices)
    # How far behind, in percentage points (execution: behind 序时进度; a target: short of 100%),
    # 0 where there is no figure (a qualitative target): the list's "most behind first" order.
    shortfall = models.DecimalField(_("落后幅度"), max_digits=12, decimal_places=2, default=0)
    time_progress = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    execution_progress = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    expected_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    completion = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.CharField(_("说明"), max_length=300)
    has_cause = models.BooleanField(_("已填偏差原因"), default=False)
    has_measures = models.BooleanField(_("已填纠偏措施"), default=False)
    raised_at = models.DateTimeField(_("首次预警时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-level", "-shortfall", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "reason", "target_code"], name="one_warning_per_reason"
            )
        ]
        indexes = [
            models.Index(
                fields=["campaign", "-level", "-shortfall", "id"], name="warning_campaign_level"
            ),
            # the list's other orders (selectors.SORTS), so a page reads an index, not a sort
            models.Index(
                fields=["campaign", "-shortfall", "id"], name="warning_campaign_shortfall"
            ),
            models.Index(
                fields=["campaign", "unit_name", "project_name", "id"], name="warning_campaign_unit"
            ),
            models.Index(
                fields=["campaign", "department_name", "unit_name", "id"],
                name="warning_campaign_dept_name",
            ),
            models.Index(fields=["campaign", "department", "level"], name="warning_department"),
            models.Index(fields=["campaign", "reason", "level"], name="warning_reason"),
        ]
        verbose_name = _("监控预警")
        verbose_name_plural = _("监控预警")

    def __str__(self) -> str:
        return f"{self.unit_name} {self.project_name} {self.target_name} {self.get_level_display()}"

    @property
    def source_ref(self) -> str:
        """The stable reference a 整改 task or a notification cites (``monitoring.warning:<id>``)."""
        return f"monitoring.warning:{self.pk}"
