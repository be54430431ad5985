"""A campaign (自评工作): the bureau's yearly notice asking units to self-evaluate by a deadline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.organisations.models import Organisation


class EvaluationKind(models.TextChoices):
    DEPARTMENT = "department", _("部门整体支出绩效自评")
    PROJECT = "project", _("项目支出绩效自评")
    # The cycle around the self-evaluation (issues 10 and 11): the same campaign, task and review
    # workflow carry a year's target declarations and its in-year monitoring rounds.
    TARGETS = "targets", _("绩效目标申报")
    MONITORING = "monitoring", _("绩效运行监控")


# Kinds whose tasks are not self-evaluations scored by a rule-set: a campaign of these kinds has
# no rule-set (ruleset_ref is empty).
UNSCORED_KINDS = frozenset({EvaluationKind.TARGETS.value})


class Campaign(models.Model):
    """One notice (通知): evaluation year, 文号, deadline, rule-set; units in scope get a task each."""

    bureau = models.ForeignKey(
        Organisation, verbose_name=_("财政局"), on_delete=models.PROTECT, related_name="campaigns"
    )
    year = models.PositiveIntegerField(_("评价年度"))
    title = models.CharField(_("标题"), max_length=200)
    notice_title = models.CharField(
        _("通知名称"),
        max_length=200,
        help_text=_("如：湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知"),
    )
    notice_number = models.CharField(_("文号"), max_length=60, help_text=_("如：湛财绩〔2026〕2号"))
    kind = models.CharField(
        _("自评类型"),
        max_length=16,
        choices=EvaluationKind.choices,
        default=EvaluationKind.DEPARTMENT,
    )
    ruleset_ref = models.CharField(
        _("评分规则集"), max_length=80, help_text=_("规则集编号@版本，如 gd-department@2025.1")
    )
    deadline = models.DateTimeField(_("报送截止时间"))
    # 项目范围 (#10.1): for a project campaign drawn from the 项目库, which registered projects it
    # covers (jixiao.projects.selectors.CampaignScope as JSON); each gets its own evaluation. Empty:
    # one task per unit, as before the register.
    project_scope = models.JSONField(_("项目范围"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("自评工作")
        verbose_name_plural = _("自评工作")

    def __str__(self) -> str:
        return self.title


class StoredRuleSet(models.Model):
    """A rule-set a bureau loaded (from its Excel scoring sheet), kept as the YAML the CLI reads.

    Shipped rule-sets live in rulesets/*.yaml; a stored one with the same id@version wins.
    """

    ref = models.CharField(_("规则集"), max_length=80, unique=True)  # id@version
    name = models.CharField(_("名称"), max_length=200)
    yaml = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ref"]
        verbose_name = _("规则集")
        verbose_name_plural = _("规则集")

    def __str__(self) -> str:
        return self.ref
