"""The review trail (审核记录), the frozen documents of an approved evaluation, and 复核 samples."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation


class Transition(models.Model):
    """One step of the workflow: who did what, when, with which comment, and the data at that moment."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(max_length=24)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("意见"), blank=True)
    section_comments = models.JSONField(_("分部分意见"), default=dict, blank=True)
    snapshot = models.JSONField(_("快照"), default=dict)

    class Meta:
        ordering = ["evaluation", "at", "pk"]
        indexes = [
            # An evaluation's steps of one kind, in time order, from the index alone: whether a
            # department passed it on, when the bureau first approved it (部门考核: one probe per
            # evaluation, where the evaluation index read every step's row; 4.2 → 1.7 s for a
            # province's year, docs/scale.md), its returns (the counters' triggers).
            models.Index(fields=["evaluation", "action", "at"], name="transition_steps_by_action")
        ]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.action} {self.from_status}→{self.to_status}"


class FrozenDocument(models.Model):
    """The exact bytes of an approved document with their SHA-256 and SM3; what the portal serves."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"
        DATA_XLSX = "data.xlsx", _("数据表")
        SCORING_XLSX = "scoring.xlsx", _("评分表")
        # A target declaration's frozen 绩效目标表 (its pdf is PDF above).
        TARGETS_XLSX = "targets.xlsx", _("绩效目标表")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="frozen_documents"
    )
    format = models.CharField(max_length=16, choices=Format.choices)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64, help_text=_("SM3 杂凑值（GB/T 32905）"))
    size = models.PositiveBigIntegerField()
    frozen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "format"], name="one_frozen_document_per_format"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class Publication(models.Model):
    """公开: one version of an evaluation made public — when, by whom, its score at that moment.

    An evaluation has at most one current publication; a withdrawn one (撤回公开) stays, with when,
    by whom and why, so the portal keeps the entry and its files' digests. A corrected report
    published later is the next ``version`` beside it.
    """

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="publications"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(max_digits=6, decimal_places=2)
    grade = models.CharField(max_length=16)
    # The names as they were when published: a unit or department renamed later must not rewrite
    # what the public read (the portal shows these, never the organisation's current name).
    unit_name = models.CharField(_("单位名称（公开时）"), max_length=200)
    department_name = models.CharField(_("主管部门（公开时）"), max_length=200, blank=True)
    # The year and the project as published: the portal's order (newest year, department, unit,
    # project) is one index range (publication_portal_order), not a join with every campaign and
    # evaluation and a sort of every publication (issue 14).
    year = models.PositiveSmallIntegerField(_("年度"), default=0)
    project_name = models.CharField(_("项目名称（公开时）"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "version"], name="one_publication_per_version"
            ),
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_publication_per_evaluation",
            ),
        ]
        indexes = [
            # The portal's list and its keyset pages (jixiao.portal.selectors.PORTAL_ORDER).
            models.Index(
                fields=["-year", "department_name", "unit_name", "project_name", "-version", "id"],
                name="publication_portal_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} v{self.version} {self.total} {self.grade}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class WithdrawnDocument(models.Model):
    """A file of a withdrawn publication, kept as it was published.

    The portal shows its name, size, SHA-256 and SM3 (so anyone holding a copy can still check it
    against the public record) but no longer serves the bytes; the bureau keeps them (staff
    download, logged). Copied from FrozenDocument at withdrawal, because a later approval of the
    corrected report replaces the frozen files.
    """

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="withdrawn_documents"
    )
    format = models.CharField(max_length=16, choices=FrozenDocument.Format.choices)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField()
    frozen_at = models.DateTimeField()

    class Meta:
        ordering = ["publication", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "format"], name="one_withdrawn_document_per_format"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class SampleDraw(models.Model):
    """A random draw of submissions for the bureau's 复核 (抽查)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="sample_draws")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)
    seed = models.CharField(max_length=64, help_text=_("随机种子，记录以便复现抽样"))
    requested = models.PositiveIntegerField(_("抽取数量"))

    class Meta:
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.seed}"


class Recheck(models.Model):
    """复核 of one sampled evaluation: the reviewer's score and opinion."""

    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="rechecks")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="rechecks")
    score = models.DecimalField(
        _("复核得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    opinion = models.TextField(_("复核意见"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draw", "evaluation__unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "evaluation"], name="one_recheck_per_draw")
        ]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.evaluation_id}"
