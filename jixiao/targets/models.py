"""Target adjustments (绩效目标调整): a change to approved targets, requested, reviewed, kept.

A declaration itself is an ``Evaluation`` in a campaign of kind ``targets`` (one workflow engine: the
unit head submits, the department and the bureau approve or return, approval freezes the 绩效目标表).
After approval the targets change only through an adjustment: the unit proposes the whole new target
set with a reason, the department and then the bureau approve or refuse; every version is kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.evaluations.models import Evaluation


class AdjustmentStatus(models.TextChoices):
    REQUESTED = "requested", _("已申请（待主管部门审核）")
    DEPARTMENT_APPROVED = "department_approved", _("主管部门已同意（待财政审核）")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class TargetAdjustment(models.Model):
    """One requested change of an approved declaration: the whole proposed declaration (same JSON
    shape as the declaration, ``scoring.targets.TargetDeclaration``), the reason, and its review.

    ``number`` counts a declaration's adjustments from 1; an approved adjustment's ``data`` is the
    declaration in force from then on (the latest approved one wins).
    """

    declaration = models.ForeignKey(
        Evaluation,
        verbose_name=_("绩效目标申报"),
        on_delete=models.PROTECT,
        related_name="target_adjustments",
    )
    number = models.PositiveIntegerField(_("调整序号"))
    status = models.CharField(
        _("状态"),
        max_length=24,
        choices=AdjustmentStatus.choices,
        default=AdjustmentStatus.REQUESTED,
        db_index=True,
    )
    reason = models.TextField(_("调整理由"))
    data = models.JSONField(_("调整后的绩效目标"), default=dict)
    # The declaration in force when the adjustment was requested, so the side-by-side view shows
    # exactly what was asked to change even after later adjustments.
    base_data = models.JSONField(_("调整前的绩效目标"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    department_comment = models.TextField(_("主管部门意见"), blank=True)
    department_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department_decided_at = models.DateTimeField(null=True, blank=True)
    bureau_comment = models.TextField(_("财政意见"), blank=True)
    bureau_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bureau_decided_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the canonical JSON of ``data`` when approved (the frozen version, as declarations).
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["declaration", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "number"], name="one_adjustment_number_per_declaration"
            )
        ]
        # 调整审核: a state's queue, newest first, is one index range (selectors.adjustment_page).
        indexes = [models.Index(fields=["status", "-id"], name="adjustment_status_newest")]
        verbose_name = _("绩效目标调整")
        verbose_name_plural = _("绩效目标调整")

    def __str__(self) -> str:
        return f"{self.declaration_id} 调整{self.number}"


class TargetCampaignSettings(models.Model):
    """What the bureau sets for one 绩效目标申报 campaign besides the campaign itself: the amount
    (万元) above which a project's declaration must have a 成本指标 (empty: no such rule)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        verbose_name=_("绩效目标申报工作"),
        on_delete=models.CASCADE,
        related_name="target_settings",
    )
    cost_threshold = models.DecimalField(
        _("须设成本指标的项目金额（万元）"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("绩效目标申报设置")
        verbose_name_plural = _("绩效目标申报设置")

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.cost_threshold}"
