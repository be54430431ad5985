"""A unit's self-evaluation for one campaign (the task), and the evidence attached to it.

The self-evaluation's content is stored as JSON in the shape of ``scoring.evaluation.SelfEvaluation``
(the same shape as the YAML input), so the scoring core, the documents and the CLI share one
definition of what a self-evaluation is (docs/decisions.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.campaigns.models import Campaign
from jixiao.organisations.models import Organisation


class Status(models.TextChoices):
    """Where an evaluation is in the review workflow (jixiao.reviews.workflow)."""

    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已报送（待主管部门审核）")
    DEPARTMENT_APPROVED = "department_approved", _("主管部门已审核（待财政复核）")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("财政已审定")
    PUBLISHED = "published", _("已公开")


EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})


class Evaluation(models.Model):
    """One budget unit's self-evaluation (绩效自评) in one campaign: the unit's task.

    ``version`` grows by one on every save; a save that names an older version is refused, so two
    people editing at once never overwrite each other silently.
    """

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("自评工作"), on_delete=models.PROTECT, related_name="evaluations"
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("预算单位"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    project_name = models.CharField(
        _("项目名称"), max_length=200, blank=True, help_text=_("项目支出绩效自评时填写")
    )
    # The registered project (项目库) a project evaluation, declaration or monitoring report is about;
    # empty for 部门整体 work and for evaluations made before the register existed.
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    status = models.CharField(
        _("状态"), max_length=24, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    data = models.JSONField(_("自评内容"), default=dict)
    version = models.PositiveIntegerField(_("版本"), default=0)
    deadline_override = models.DateTimeField(_("延长后的截止时间"), null=True, blank=True)
    # Scored on every save, with the rule-set it was scored under, so lists need no re-scoring.
    ruleset_ref = models.CharField(_("评分规则集"), max_length=80)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=16, blank=True)
    # What lists show and filter on, stored on every save (jixiao.evaluations.summary), so no list
    # decodes the content: targets far above target (偏离度过大), those of them without an
    # explanation, the budget execution rate (%), and the problems the scoring reports.
    over_completions = models.PositiveSmallIntegerField(_("偏离度过大的指标数"), default=0)
    over_unexplained = models.PositiveSmallIntegerField(_("未说明原因的偏离指标数"), default=0)
    execution_rate = models.DecimalField(
        _("预算执行率"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    problem_count = models.PositiveSmallIntegerField(_("待完善事项数"), default=0)
    # The unit's and its department's names, copied here so the progress table's order
    # (department, unit, project) is one index range, not a join and a sort of every row
    # (issue 14). Kept current by jixiao.evaluations.names; the pages show the joined names.
    department_name = models.CharField(max_length=200, blank=True, editable=False)
    unit_name = models.CharField(max_length=200, blank=True, editable=False)
    # The campaign's year, copied for the same reason: the 绩效自评列表 and /api/evaluations sort
    # by newest year first, and no index can serve a joined column (names.py keeps it).
    campaign_year = models.PositiveSmallIntegerField(default=0, editable=False)
    first_saved_at = models.DateTimeField(null=True, blank=True)
    # When the evaluation entered its state (its latest review step, written by
    # jixiao.reviews.services.transition; creation for a task never handed in). The 审核待办's
    # order, oldest first: stored so that a pile's page is one index range (evaluation_review_
    # queue), not the latest step of every evaluation in the pile aggregated and sorted (issue 14).
    # db_default: rows written outside the ORM (COPY, raw SQL) get the moment too.
    status_changed_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["campaign", "unit__name", "project_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "project_name"], name="one_evaluation_per_unit_project"
            )
        ]
        indexes = [
            # The 工作台's 最近更新: the newest first, read from the index until 15 rows match
            # (at 50,000 units a sort of every evaluation took 0.9 s; docs/scale.md).
            models.Index(fields=["-updated_at", "-id"], name="evaluation_recent"),
            # The progress table and its keyset pages (campaigns.selectors.PROGRESS_SORT).
            models.Index(
                fields=["campaign", "department_name", "unit_name", "project_name", "id"],
                name="evaluation_progress_order",
            ),
            # The 绩效自评列表's and /api/evaluations' order (newest year, department, unit,
            # project, id): keyset pages are ranges of this index (docs/scale.md).
            models.Index(
                fields=["-campaign_year", "department_name", "unit_name", "project_name", "id"],
                name="evaluation_list_order",
            ),
            # The counts, the overview's aggregates and its needs-attention page read only these
            # columns: an index-only scan (PostgreSQL), not the wide rows with their content
            # (EXPLAIN at 50,000 units: 38 ms against 242 ms for the heap; docs/scale.md).
            models.Index(
                fields=["campaign", "status"],
                include=[
                    "id",
                    "unit",
                    "first_saved_at",
                    "deadline_override",
                    "total",
                    "grade",
                    "over_completions",
                    "over_unexplained",
                    "department_name",
                    "unit_name",
                    "project_name",
                ],
                name="evaluation_progress_counts",
            ),
            # The 审核待办's piles: one state (or two), oldest step first, then the unit
            # (jixiao.reviews.selectors.QUEUE_ORDER): keyset pages are ranges of this index, and
            # with the unit and campaign included the piles' counts and the scope and campaign
            # filters read no row (PostgreSQL; SQLite builds the plain index).
            models.Index(
                fields=["status", "status_changed_at", "unit_name", "id"],
                include=["unit", "campaign"],
                name="evaluation_review_queue",
            ),
            # The overview's overdue count for tasks with an extension (延期): the counters
            # (DepartmentCounter) cannot hold what depends on the clock, and extensions are few.
            models.Index(
                fields=["campaign", "deadline_override"],
                condition=models.Q(deadline_override__isnull=False),
                name="evaluation_extensions",
            ),
            # The needs-attention list's rows with a target far above target (偏离度过大), in
            # the progress order: its candidates and its severity-0 stream
            # (campaigns.selectors.attention_ids) read them without scanning the campaign.
            models.Index(
                fields=["campaign", "department_name", "unit_name", "project_name", "id"],
                condition=models.Q(over_completions__gt=0),
                name="evaluation_over_completed",
            ),
            # The needs-attention list's candidates with an unexplained over-completion, read
            # from the index alone (campaigns.selectors.attention_ids): every column the sort's
            # severity and the page need.
            models.Index(
                fields=["campaign", "department_name", "unit_name", "project_name", "id"],
                include=["status", "deadline_override", "total", "over_unexplained", "unit"],
                condition=models.Q(over_completions__gt=0, over_unexplained__gt=0),
                name="evaluation_unexplained_cover",
            ),
        ]
        verbose_name = _("绩效自评")
        verbose_name_plural = _("绩效自评")

    def __str__(self) -> str:
        return f"{self.unit.name} {self.campaign.year} {self.project_name}".strip()

    @property
    def deadline(self):  # type: ignore[no-untyped-def]
        return self.deadline_override or self.campaign.deadline

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def progress(self) -> str:
        """The bureau's progress column: not_started / drafting / submitted / returned / approved / published."""
        if self.status == Status.DRAFT:
            return "not_started" if self.first_saved_at is None else "drafting"
        if self.status in (Status.SUBMITTED, Status.DEPARTMENT_APPROVED):
            return "submitted"
        return str(self.status)


class DepartmentCounter(models.Model):
    """The city overview's figures (全市概览) for one campaign × department, kept up to date by
    database triggers in the same transaction as every change (jixiao.evaluations.counters):
    tasks by progress state, scores and grades of the handed-in ones, score bins, and what puts a
    task on the needs-attention list apart from the clock. ``department_id`` is the units'
    supervising department (0: units without one). Never written by the application: rebuilt
    from the evaluations by ``manage.py rebuild_counters``, checked by ``rebuild_counters --check``.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    department_id = models.BigIntegerField()
    tasks = models.IntegerField(default=0, db_default=0)
    not_started = models.IntegerField(default=0, db_default=0)
    drafting = models.IntegerField(default=0, db_default=0)
    submitted = models.IntegerField(default=0, db_default=0)
    returned = models.IntegerField(default=0, db_default=0)
    approved = models.IntegerField(default=0, db_default=0)
    published = models.IntegerField(default=0, db_default=0)
    # Of ``submitted`` (which counts both): passed on by the department (status_counts).
    department_approved = models.IntegerField(default=0, db_default=0)
    scored = models.IntegerField(default=0, db_default=0)  # handed in, with a total
    score_sum = models.DecimalField(max_digits=16, decimal_places=2, default=0, db_default=0)
    grade_excellent = models.IntegerField(default=0, db_default=0)  # 优
    grade_good = models.IntegerField(default=0, db_default=0)  # 良
    grade_fair = models.IntegerField(default=0, db_default=0)  # 中
    grade_poor = models.IntegerField(default=0, db_default=0)  # 差
    grade_other = models.IntegerField(default=0, db_default=0)  # any other label, or none
    score_below_60 = models.IntegerField(default=0, db_default=0)
    score_60_70 = models.IntegerField(default=0, db_default=0)
    score_70_80 = models.IntegerField(default=0, db_default=0)
    score_80_90 = models.IntegerField(default=0, db_default=0)
    score_90_100 = models.IntegerField(default=0, db_default=0)
    # A target far above target (偏离度过大).
    over_completed = models.IntegerField(default=0, db_default=0)
    returned_twice = models.IntegerField(default=0, db_default=0)  # sent back (退回) twice or more
    # Needs attention whatever the time: returned twice, handed in below 60, or over-completed.
    attention_fixed = models.IntegerField(default=0, db_default=0)
    # Not handed in and without an extension: overdue once the campaign's deadline has passed
    # (pending_calm: those of them not already counted in attention_fixed).
    pending = models.IntegerField(default=0, db_default=0)
    pending_calm = models.IntegerField(default=0, db_default=0)
    # The year comparison (历年对比): approved (审定) tasks with a total, their sum, and the
    # approved tasks' grades (grade_other: a label other than the four, not blank).
    approved_scored = models.IntegerField(default=0, db_default=0)
    approved_score_sum = models.DecimalField(
        max_digits=16, decimal_places=2, default=0, db_default=0
    )
    approved_grade_excellent = models.IntegerField(default=0, db_default=0)
    approved_grade_good = models.IntegerField(default=0, db_default=0)
    approved_grade_fair = models.IntegerField(default=0, db_default=0)
    approved_grade_poor = models.IntegerField(default=0, db_default=0)
    approved_grade_other = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "department_id"], name="one_counter_per_campaign_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.department_id}: {self.tasks}"


class ReturnedTwice(models.Model):
    """An evaluation sent back (退回) at least twice: the overview's needs-attention list reads
    these few rows instead of grouping every review step of the campaign (104 ms over 428,000
    steps at province scale). Kept by the transitions' triggers in the same transaction as the
    step (jixiao.evaluations.counters), never written by the application; ``rebuild_counters``
    rebuilds it with the counters."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    def __str__(self) -> str:
        return str(self.evaluation_id)


class YearTargets(models.Model):
    """The overview's year comparison (历年对比) of 绩效目标 met, per year × department: the sums
    of the 结果应用 rows (results.ResultEntry: one per approved self-evaluation), so the overview
    reads a few rows instead of adding up 170,000 result rows (90 ms at province scale). Kept by
    the results app's triggers on its table (jixiao.results.counters) in the same transaction as
    each row's write; never written by the application; ``rebuild_counters`` rebuilds it.
    ``department_id`` is the row's stored department (0: none)."""

    year = models.PositiveIntegerField()
    department_id = models.BigIntegerField()
    entries = models.IntegerField(default=0, db_default=0)
    # Rows whose targets were read (targets_total not null): none → the share is unknown.
    with_targets = models.IntegerField(default=0, db_default=0)
    targets_met = models.BigIntegerField(default=0, db_default=0)
    targets_total = models.BigIntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "department_id"], name="one_year_targets_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}/{self.department_id}: {self.targets_met}/{self.targets_total}"


PROGRESS_LABELS = {
    "not_started": _("未开始"),
    "drafting": _("填报中"),
    "submitted": _("已报送"),
    "returned": _("已退回"),
    "approved": _("已审定"),
    "published": _("已公开"),
}


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is the hash, never the user's file name (which may carry path tricks).
    return f"evidence/{instance.evaluation_id}/{instance.sha256}"


class Evidence(models.Model):
    """佐证材料: a file attached to one indicator of an evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="evidence")
    indicator_code = models.CharField(_("指标"), max_length=40)
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator_code", "uploaded_at"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name


class Revision(models.Model):
    """One save of an evaluation (版本记录): which fields it changed, from what to what.

    The content of any recent version is the current content with the later revisions' changes
    undone, so a save based on an older version can be merged field by field instead of refused
    (docs/decisions.md, "Entry: field-level locking"). ``digest`` is the SHA-256 of the content
    after this save: if anything wrote the content without a revision, the chain no longer ends at
    the stored content and older versions are treated as unknown (the save is refused, never
    merged against a wrong base).
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("版本"))
    changes = models.JSONField(_("修改的字段"), default=list)
    digest = models.CharField(max_length=64)
    # The editing page (one browser window) that saved it: a window's later save supersedes its
    # own earlier ones and never conflicts with them.
    window = models.CharField(max_length=32, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField()

    class Meta:
        ordering = ["evaluation", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "version"], name="one_revision_per_evaluation_version"
            )
        ]
        verbose_name = _("版本记录")
        verbose_name_plural = _("版本记录")

    def __str__(self) -> str:
        return f"{self.evaluation_id} v{self.version}"
