"""Reads of the review trail (审核记录), queues, snapshots, samples and rechecks, scoped by user.

Every selector takes the acting user and keeps only what that user may see (jixiao.organisations
.selectors.unit_scope_q); anything else is Http404, never 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Abs
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.sections import evaluation_kind
from jixiao.evaluations.selectors import status_counts
from jixiao.organisations.models import Role, User
from jixiao.organisations.selectors import unit_fk_scope_q, unit_scope_q
from jixiao.reviews import workflow
from jixiao.reviews.models import (
    FrozenDocument,
    Publication,
    Recheck,
    SampleDraw,
    Transition,
    WithdrawnDocument,
)
from jixiao.reviews.snapshot_diff import Change, diff_snapshots
from jixiao.web.keyset import Page, paginate

RETURN_ACTIONS = frozenset(
    {workflow.DEPARTMENT_RETURN, workflow.BUREAU_RETURN, workflow.CORRECTION_RETURN}
)

# What each recorded action reads as in the history; extend_deadline is not a workflow step.
ACTION_LABELS: dict[str, Promise] = {s.action: s.label for s in reversed(workflow.STEPS)}


def action_label(action: str, from_status: str = "") -> str:
    """How a recorded step reads; with ``from_status`` a resubmission reads 修改后重新报送."""
    if action == "extend_deadline":
        return _("延长截止时间")
    step = workflow.step_for(from_status, action) if from_status else None
    label = step.label if step is not None else ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


@dataclass(frozen=True)
class SectionComment:
    key: str
    label: str
    text: str
    url: str = ""  # where the editor fixes this part (the evaluations app's section page)


def section_url(evaluation_id: int, key: str) -> str:
    """The page of jixiao.evaluations where a returned section is edited ("" if there is none)."""
    try:
        if key == "evidence":
            return reverse("evaluations:evidence", args=[evaluation_id])
        return reverse("evaluations:edit", args=[evaluation_id, key])
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class HistoryEntry:
    transition: Transition
    label: str
    is_return: bool
    from_label: str = ""
    to_label: str = ""
    section_comments: list[SectionComment] = field(default_factory=list)
    has_snapshot: bool = True


@dataclass(frozen=True)
class ActionForm:
    """One button of the panel: a workflow step this user may take now."""

    action: str
    label: Promise
    needs_comment: bool
    is_return: bool
    sections: list[tuple[str, Promise | str]]
    confirm: str = ""  # asked before sending: steps that cannot be taken back
    busy: str = ""  # the button's text while a slow step runs


def _confirm_text(action: str, kind: str = "") -> str:
    if kind == "targets" and action == workflow.BUREAU_APPROVE:
        return _("审定后将生成并固化绩效目标表，目标此后只能通过目标调整变更。确定审定吗？")
    return {
        workflow.SUBMIT: _("报送后不能再修改，除非被退回。确定报送吗？"),
        workflow.BUREAU_APPROVE: _(
            "审定后将生成并固化报告、数据表和评分表，不能再退回。确定审定吗？"
        ),
        workflow.PUBLISH: _("公开后任何人都可以在公开平台查看和下载。确定公开吗？"),
        workflow.CORRECTION_RETURN: _(
            "退回后单位可以修改；重新报送、审核和审定后，可作为新版本公开。确定退回吗？"
        ),
    }.get(action, "")


def comment_kind(evaluation: Evaluation) -> str:
    """department | project | targets | monitoring: whose parts a return comments on."""
    from jixiao.evaluations.scoring_bridge import is_declaration

    if (evaluation.data or {}).get("kind") == "monitoring":
        return "monitoring"
    return "targets" if is_declaration(evaluation.data) else evaluation_kind(evaluation.data)


def section_comments_of(
    transition: Transition, kind: str = "department", data: Any = None
) -> list[SectionComment]:
    """The per-part comments of a step in the order and words of the evaluation's kind (the entry
    tabs'), unknown keys last, as recorded."""
    comments = transition.section_comments or {}
    parts = workflow.comment_sections(kind, data)
    names = {key for key, _label in parts}
    known = [
        SectionComment(key, str(label), comments[key], section_url(transition.evaluation_id, key))
        for key, label in parts
        if comments.get(key)
    ]
    unknown = [
        SectionComment(key, key, str(text))
        for key, text in comments.items()
        if key not in names and text
    ]
    return known + unknown


def history_for(*, user: User, evaluation: Evaluation) -> list[HistoryEntry]:
    """Every recorded step of an evaluation the user may see, oldest first."""
    transitions = transitions_visible_to(user=user).filter(evaluation=evaluation)
    kind = comment_kind(evaluation)
    return [
        HistoryEntry(
            transition=t,
            label=action_label(t.action, t.from_status),
            is_return=t.action in RETURN_ACTIONS,
            from_label=status_label(t.from_status),
            to_label=status_label(t.to_status),
            section_comments=section_comments_of(t, kind, evaluation.data),
            has_snapshot="data" in (t.snapshot or {}),
        )
        for t in transitions
    ]


def transitions_visible_to(*, user: User) -> QuerySet[Transition]:
    return (
        Transition.objects.filter(unit_scope_q(user, "evaluation__unit"))
        .select_related("actor", "actor__organisation")
        .order_by("at", "pk")
    )


def review_panel_context(*, user: User, evaluation: Evaluation) -> dict[str, Any]:
    """Everything ``reviews/_panel.html`` needs, under one key so it merges into any page's context.

    Usage in a view: ``context.update(review_panel_context(user=request.user, evaluation=e))`` and in
    the template ``{% include "reviews/_panel.html" %}``. The caller has already checked that the user
    may see ``evaluation`` (selectors.get_evaluation); this only reads what hangs off it.
    """
    from jixiao.reviews.services import submission_problems

    publications = publications_of(evaluation)
    steps = [
        s
        for s in workflow.steps_from(evaluation.status, user.role)
        # 撤回公开 has its own confirmation page (reviews:withdraw), not a panel form.
        if s.action != workflow.WITHDRAW
        and (s.action != workflow.CORRECTION_RETURN or any(p.is_withdrawn for p in publications))
    ]
    if comment_kind(evaluation) in ("targets", "monitoring"):
        # Approved targets are published with the budget, not on the self-evaluation portal; the
        # bureau's approval freezes the 绩效目标表, not a report. A monitoring report (绩效监控表)
        # is an internal document: approval freezes it, nothing publishes it.
        steps = [s for s in steps if s.action != workflow.PUBLISH]
    actions = [
        ActionForm(
            action=s.action,
            label=s.label,
            needs_comment=s.needs_comment,
            is_return=s.action in RETURN_ACTIONS,
            sections=workflow.comment_sections(comment_kind(evaluation), evaluation.data),
            confirm=_confirm_text(s.action, comment_kind(evaluation)),
            busy=_("正在办理…"),
        )
        for s in steps
    ]
    problems: list[str] = []
    # The editor cannot submit, but should see the same 缺项清单 the head will see.
    editor_waits = user.role == Role.UNIT_EDITOR and evaluation.is_editable
    if editor_waits or any(s.action == workflow.SUBMIT for s in steps):
        from jixiao.evaluations.checklist import linked_problems

        # Each item links to the field it names (evaluations.checklist).
        problems = list(linked_problems(evaluation, submission_problems(evaluation)))
        if timezone.now() > evaluation.deadline:
            problems.insert(
                0,
                _("已超过报送截止时间 {deadline}，请联系财政局延期").format(
                    deadline=timezone.localtime(evaluation.deadline).strftime("%Y-%m-%d %H:%M")
                ),
            )
    history = history_for(user=user, evaluation=evaluation)
    since_return = changes_since_return(history)
    latest_return = None
    if evaluation.status == Status.RETURNED:
        returns = [h for h in history if h.is_return]
        latest_return = returns[-1] if returns else None
    return {
        "review_panel": {
            "evaluation": evaluation,
            "actions": actions,
            "can_submit": any(a.action == workflow.SUBMIT for a in actions),
            "editor_waits": editor_waits,
            "submission_problems": problems,
            "latest_return": latest_return,
            "history": list(reversed(history)),
            "since_return": since_return,
            "publications": publications,
            "can_withdraw": user.role == Role.BUREAU_ADMIN
            and evaluation.status == Status.PUBLISHED,
        },
        **frozen_files_context(user=user, evaluation=evaluation),
    }


def frozen_files_context(*, user: User, evaluation: Evaluation) -> dict[str, Any]:
    """What ``reviews/_frozen.html`` shows: the frozen files, or the job rendering them (polled),
    or why it failed and whether this user may start it again. The caller checked scope."""
    from jixiao.reviews.services import freeze_job_of

    frozen_stage = evaluation.status in FROZEN_STATUSES
    job = freeze_job_of(evaluation) if frozen_stage else None
    return {
        "frozen_files": {
            "evaluation": evaluation,
            "shown": frozen_stage,
            "documents": frozen_documents_of(evaluation) if frozen_stage else [],
            "job": job,
            "can_retry": (
                user.is_bureau_user
                and evaluation.status == Status.APPROVED
                and (job is None or job.state == job.State.FAILED)
            ),
        }
    }


@dataclass(frozen=True)
class ChangesSinceReturn:
    """自退回以来的修改: the content as returned against the content as resubmitted."""

    returned: Transition
    resubmitted: Transition
    changes: list[Change]


def changes_since_return(history: list[HistoryEntry]) -> ChangesSinceReturn | None:
    """The diff between the latest return's snapshot and the latest resubmission after it (None
    before any resubmission). ``history`` is oldest first (history_for)."""
    returns = [i for i, h in enumerate(history) if h.is_return and h.has_snapshot]
    if not returns:
        return None
    last_return = history[returns[-1]]
    resubmits = [
        h
        for h in history[returns[-1] + 1 :]
        if h.transition.action == workflow.SUBMIT and h.has_snapshot
    ]
    if not resubmits:
        return None
    resubmitted = resubmits[-1]
    return ChangesSinceReturn(
        returned=last_return.transition,
        resubmitted=resubmitted.transition,
        changes=diff_snapshots(
            last_return.transition.snapshot["data"], resubmitted.transition.snapshot["data"]
        ),
    )


def publications_of(evaluation: Evaluation) -> list[Publication]:
    """Every publication of the evaluation, newest version first (the caller checked scope)."""
    return list(
        Publication.objects.filter(evaluation=evaluation)
        .select_related("published_by", "withdrawn_by")
        .prefetch_related(
            Prefetch("withdrawn_documents", queryset=WithdrawnDocument.objects.defer("content"))
        )
        .order_by("-version")
    )


def get_withdrawn_document(*, user: User, publication_id: int, fmt: str) -> WithdrawnDocument:
    """The kept bytes of a withdrawn file: the bureau's archive copy; Http404 for anyone else."""
    if not user.is_bureau_user:
        raise Http404
    document = (
        WithdrawnDocument.objects.filter(publication_id=publication_id, format=fmt)
        .select_related("publication__evaluation__unit")
        .first()
    )
    if document is None:
        raise Http404
    return document


# Once the bureau approves, the documents are frozen; they are what will be (or was) published.
FROZEN_STATUSES = frozenset({Status.APPROVED, Status.PUBLISHED})
FORMAT_ORDER = {"pdf": 0, "docx": 1, "data.xlsx": 2, "scoring.xlsx": 3, "targets.xlsx": 4}


def frozen_documents_of(evaluation: Evaluation) -> list[FrozenDocument]:
    """The frozen files' metadata (not their bytes), in reading order. The caller checked scope."""
    docs = FrozenDocument.objects.filter(evaluation=evaluation).defer("content")
    return sorted(docs, key=lambda d: FORMAT_ORDER.get(d.format, 9))


def get_frozen_document(*, user: User, evaluation_id: int, fmt: str) -> FrozenDocument:
    """One frozen file with its bytes, if the user may see the evaluation; Http404 otherwise."""
    document = FrozenDocument.objects.filter(
        unit_scope_q(user, "evaluation__unit"), evaluation_id=evaluation_id, format=fmt
    ).first()
    if document is None:
        raise Http404
    return document


def get_transition(*, user: User, transition_id: int) -> Transition:
    """One step with its evaluation, if the user may see that evaluation; Http404 otherwise."""
    transition = (
        Transition.objects.filter(unit_scope_q(user, "evaluation__unit"), pk=transition_id)
        .select_related(
            "actor",
            "actor__organisation",
            "evaluation",
            "evaluation__unit",
            "evaluation__unit__parent",
            "evaluation__campaign",
        )
        .first()
    )
    if transition is None:
        raise Http404
    return transition


# Readable names for the keys of the stored self-evaluation (scoring.evaluation.SelfEvaluation),
# so a snapshot reads as a form, not as JSON. Unknown keys are shown as they are.
DATA_LABELS: dict[str, Promise] = {
    "kind": _l("自评类型"),
    "ruleset": _l("评分规则集"),
    "year": _l("评价年度"),
    "filled_on": _l("填报日期"),
    "example_note": _l("说明"),
    "notice": _l("通知"),
    "issuer": _l("发文单位"),
    "title": _l("标题"),
    "number": _l("文号"),
    "unit": _l("单位基本情况"),
    "name": _l("名称"),
    "short_name": _l("自称"),
    "unit_type": _l("单位类型"),
    "supervisor": _l("主管部门"),
    "staffing_quota": _l("编制数"),
    "staff_actual": _l("实有人数"),
    "functions": _l("主要职能"),
    "key_tasks": _l("重点工作"),
    "detail": _l("内容"),
    "targets": _l("绩效目标及完成情况"),
    "code": _l("编号"),
    "target": _l("年度指标值"),
    "target_high": _l("指标上限"),
    "actual": _l("实际完成值"),
    "parent": _l("所属指标"),
    "points": _l("分值"),
    "part_of": _l("其中项"),
    "explanation": _l("说明"),
    "direction": _l("方向"),
    "budget": _l("部门整体支出情况"),
    "rows": _l("资金明细"),
    "source": _l("资金来源"),
    "initial": _l("年初预算数（万元）"),
    "full_year": _l("全年预算数（万元）"),
    "executed": _l("全年执行数（万元）"),
    "change_reason": _l("预算调整原因"),
    "group": _l("自评工作组"),
    "basis": _l("依据"),
    "members": _l("成员"),
    "role": _l("职务"),
    "duty": _l("职责"),
    "process": _l("自评工作过程"),
    "submission_quality": _l("报送质量"),
    "submission_consistency": _l("报送一致性"),
    "assessments": _l("指标自评打分"),
    "band": _l("档次"),
    "score": _l("得分"),
    "example": _l("示例分值"),
    "result_statement": _l("自评结果说明"),
    "analyses": _l("绩效指标分析"),
    "text": _l("内容"),
    "practices": _l("主要做法和经验"),
    "problems": _l("存在问题"),
    "improvements": _l("改进措施"),
    "other": _l("其他自评情况"),
    "credit_code": _l("统一社会信用代码"),
    "retired": _l("离退休人数"),
    "temporary": _l("临时聘用人数"),
    "project": _l("项目信息"),
    "implementing_unit": _l("实施单位"),
    "goal_expected": _l("年度总体目标（预期）"),
    "goal_actual": _l("年度总体目标（实际完成）"),
    "description": _l("说明"),
    "execution_explanation": _l("执行情况说明"),
    "reviewer_deduction": _l("审核扣分"),
    "reviewer_deduction_reason": _l("审核扣分原因"),
}

# Stored codes that read better as words.
VALUE_LABELS: dict[tuple[str, str], Promise] = {
    ("kind", "department"): _l("部门整体支出绩效自评"),
    ("kind", "project"): _l("项目支出绩效自评"),
}


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


@dataclass(frozen=True)
class DataNode:
    """One value of the stored data, shaped for the recursive template reviews/_data.html."""

    kind: str  # "scalar", "list" (of scalars), "record" (dict), "table" (list of dicts)
    value: Any = None
    items: list[tuple[str, DataNode]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[DataNode]] = field(default_factory=list)


def _label(key: str) -> str:
    return str(DATA_LABELS.get(key, key))


def data_node(value: Any, key: str = "") -> DataNode:
    if isinstance(value, dict):
        return DataNode("record", items=[(_label(k), data_node(v, k)) for k, v in value.items()])
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            # Columns nobody filled in (e.g. 审核扣分 before any review) only add noise.
            keys: list[str] = [
                k
                for k in dict.fromkeys(k for v in value for k in v)
                if not all(_is_empty(v.get(k)) for v in value)
            ]
            return DataNode(
                "table",
                columns=[_label(k) for k in keys],
                rows=[[data_node(v.get(k), k) for k in keys] for v in value],
            )
        return DataNode("list", items=[("", data_node(v)) for v in value])
    if value is None or value == "":
        return DataNode("scalar", value="—")
    if value is True:
        return DataNode("scalar", value=_("是"))
    if value is False:
        return DataNode("scalar", value=_("否"))
    label = VALUE_LABELS.get((key, str(value)))
    return DataNode("scalar", value=str(label) if label is not None else value)


def snapshot_context(*, user: User, transition_id: int) -> dict[str, Any]:
    """A step's snapshot, re-scored with the rule-set it names, plus the data as readable tables."""
    from jixiao.evaluations.scoring_bridge import score_data

    transition = get_transition(user=user, transition_id=transition_id)
    snap = transition.snapshot or {}
    data = snap.get("data")
    if not isinstance(data, dict):
        raise Http404  # e.g. a deadline extension: no content was recorded
    scored = score_data(data)
    return {
        "transition": transition,
        "action_label": action_label(transition.action, transition.from_status),
        "from_label": status_label(transition.from_status),
        "to_label": status_label(transition.to_status),
        "section_comments": section_comments_of(transition, evaluation_kind(data)),
        "snap": snap,
        "scored": scored,
        "result": scored.result,
        "data_node": data_node(data),
    }


@dataclass(frozen=True)
class QueueGroup:
    key: str
    label: str
    hint: str
    statuses: tuple[str, ...]
    count: int = 0


def _queue_groups(user: User) -> list[QueueGroup]:
    """Which piles this role works through, in the order they are worked."""
    if user.is_bureau_user:
        return [
            QueueGroup(
                "department_approved",
                _("待财政复核"),
                _("主管部门已审核通过，等待财政局审定或退回"),
                (Status.DEPARTMENT_APPROVED,),
            ),
            QueueGroup(
                "approved",
                _("已审定待公开"),
                _("财政局已审定、文件已固化，等待公开"),
                (Status.APPROVED,),
            ),
            QueueGroup("returned", _("已退回"), _("等待单位修改后重新报送"), (Status.RETURNED,)),
        ]
    if user.is_department_user:
        return [
            QueueGroup(
                "submitted",
                _("待审核"),
                _("所属单位已报送，等待本部门审核"),
                (Status.SUBMITTED,),
            ),
            QueueGroup("returned", _("已退回"), _("等待单位修改后重新报送"), (Status.RETURNED,)),
            QueueGroup(
                "department_approved",
                _("已报财政局"),
                _("本部门已审核通过，等待财政复核"),
                (Status.DEPARTMENT_APPROVED,),
            ),
        ]
    if user.is_unit_user:
        return [
            QueueGroup(
                "returned", _("被退回待修改"), _("请按退回意见修改后重新报送"), (Status.RETURNED,)
            ),
            QueueGroup("draft", _("填报中"), _("尚未报送"), (Status.DRAFT,)),
            QueueGroup(
                "submitted",
                _("审核中"),
                _("已报送，等待主管部门或财政局审核"),
                (Status.SUBMITTED, Status.DEPARTMENT_APPROVED),
            ),
        ]
    return []


# The 审核待办's order within a pile: longest waiting first (when it entered its state), then the
# unit, then the id (ties). Served by the index evaluation_review_queue (status, then these).
QUEUE_ORDER = (("status_changed_at", False), ("unit_name", False), ("id", False))
QUEUE_PAGE = 50
# What a page reads for its sort; the page's rows are then read whole (keyset.paginate ``whole``).
QUEUE_SORT_COLUMNS = ("pk", "status_changed_at", "unit_name")


def queue_key(evaluation: Evaluation) -> list[Any]:
    """A queue row's sort values as a cursor holds them (the moment as ISO text)."""
    return [evaluation.status_changed_at.isoformat(), evaluation.unit_name, evaluation.pk]


def _queue_scope(*, user: User, campaign_id: int | None, q: str) -> QuerySet[Evaluation]:
    scope = Evaluation.objects.filter(unit_fk_scope_q(user, "unit"))
    if campaign_id is not None:
        scope = scope.filter(campaign_id=campaign_id)
    if q:
        # The stored names (kept current by evaluations.names): no join with every unit.
        scope = scope.filter(Q(unit_name__icontains=q) | Q(project_name__icontains=q))
    return scope


def _queue_campaigns(user: User) -> list[Campaign]:
    """The campaigns with an evaluation in the user's scope: one index probe per campaign
    (EXISTS), not a pass over every evaluation."""
    visible = Evaluation.objects.filter(unit_fk_scope_q(user, "unit"), campaign_id=OuterRef("pk"))
    return list(Campaign.objects.filter(Exists(visible)).order_by("-year", "-pk"))


def _pile_counts(
    user: User,
    piles: list[QueueGroup],
    scope: QuerySet[Evaluation],
    campaign_id: int | None,
    q: str,
) -> dict[str, int]:
    """How many evaluations of the scope are in each of the piles' states. Without a search, the
    bureau's and a department's from the overview's counters (evaluations.selectors.status_counts:
    a few rows a campaign — counting a department's tasks among a province's 240,000 in review
    took 85 ms on every queue page); otherwise one grouped count, an index range per state
    (evaluation_review_queue)."""
    statuses = sorted({s for g in piles for s in g.statuses})
    if not q and (user.is_bureau_user or user.is_department_user):
        counts: dict[str, int] = {}
        for (campaign, status), n in status_counts(user=user).items():
            if status in statuses and (campaign_id is None or campaign == campaign_id):
                counts[status] = counts.get(status, 0) + n
        return counts
    return dict(
        scope.filter(status__in=statuses)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


def _counted_piles(
    piles: list[QueueGroup], counts: dict[str, int], group: str | None
) -> tuple[list[QueueGroup], QueueGroup]:
    """The piles with their counts and the chosen one: ``group``, else the first that has work,
    else the first."""
    groups = [
        QueueGroup(g.key, g.label, g.hint, g.statuses, sum(counts.get(s, 0) for s in g.statuses))
        for g in piles
    ]
    current = next((g for g in groups if g.key == group), None)
    if current is None:
        current = next((g for g in groups if g.count), groups[0])
    return groups, current


def review_queue(
    *,
    user: User,
    group: str | None = None,
    campaign_id: int | None = None,
    q: str = "",
    cursor: str | None = None,
    size: int = QUEUE_PAGE,
) -> dict[str, Any]:
    """The review queue (待办): this role's piles with counts, and one keyset page of the chosen
    pile (``cursor``: the page after it), longest waiting first.

    The filters (campaign, unit or project name) apply to the counts too, so the numbers match
    the list. Four queries whatever the pile's size: the campaigns, one grouped count, the page's
    sort keys (an index range), the page's rows with their campaign and organisations.
    """
    scope = _queue_scope(user=user, campaign_id=campaign_id, q=q)
    base = {"campaigns": _queue_campaigns(user), "campaign_id": campaign_id, "q": q}
    piles = _queue_groups(user)
    if not piles:
        return {**base, "groups": [], "current": None, "evaluations": [], "page": None}
    counts = _pile_counts(user, piles, scope, campaign_id, q)
    groups, current = _counted_piles(piles, counts, group)
    pile = scope.filter(status__in=current.statuses)
    page = paginate(
        pile.only(*QUEUE_SORT_COLUMNS),
        QUEUE_ORDER,
        cursor=cursor,
        size=size,
        key=queue_key,
        # A department's or a unit's rows: found through their units, then sorted (keyset.py).
        small_scope=not user.is_bureau_user,
        whole=pile.select_related("campaign", "unit", "unit__parent").defer("data"),
    )
    return {
        **base,
        "groups": groups,
        "current": current,
        "evaluations": page.rows,
        "page": page,
        "bulk": bulk_kinds(user=user, group=current.key),
    }


def queue_export_rows(
    *, user: User, group: str | None, campaign_id: int | None, q: str, limit: int
) -> tuple[QueueGroup | None, list[Evaluation]]:
    """The chosen pile in the queue's order, at most ``limit`` rows, for the workbook."""
    piles = _queue_groups(user)
    if not piles:
        return None, []
    scope = _queue_scope(user=user, campaign_id=campaign_id, q=q)
    current = _counted_piles(piles, _pile_counts(user, piles, scope, campaign_id, q), group)[1]
    rows = list(
        scope.filter(status__in=current.statuses)
        .select_related("campaign", "unit", "unit__parent")
        .defer("data")
        .order_by(*(name for name, _descending in QUEUE_ORDER))[:limit]
    )
    return current, rows


def bulk_kinds(*, user: User, group: str) -> list[str]:
    """The bulk steps (approve, return) a pile offers this role: the piles waiting for them."""
    if (user.is_department_user and group == "submitted") or (
        user.is_bureau_user and group == "department_approved"
    ):
        return ["approve", "return"]
    return []


def _require_bureau(user: User) -> None:
    # 抽查复核 is the bureau's own work; to everyone else these pages do not exist.
    if not (user.is_authenticated and user.is_active and user.is_bureau_user):
        raise Http404


def sample_draws_visible_to(*, user: User) -> QuerySet[SampleDraw]:
    """The bureau's 复核 draws, newest first, with how many of each have been rechecked."""
    _require_bureau(user)
    return (
        SampleDraw.objects.select_related("campaign", "drawn_by")
        .annotate(
            sampled=Count("rechecks"),
            done=Count("rechecks", filter=Q(rechecks__reviewed_at__isnull=False)),
        )
        .order_by("-drawn_at", "-pk")
    )


def campaigns_for_sampling(*, user: User) -> QuerySet[Campaign]:
    _require_bureau(user)
    return Campaign.objects.order_by("-year", "-created_at")


def get_sample_draw(*, user: User, draw_id: int) -> SampleDraw:
    draw = sample_draws_visible_to(user=user).filter(pk=draw_id).first()
    if draw is None:
        raise Http404
    return draw


@dataclass(frozen=True)
class RecheckRow:
    recheck: Recheck
    self_score: Decimal | None
    difference: Decimal | None  # 复核得分 − 自评得分

    @property
    def is_large(self) -> bool:
        return self.difference is not None and abs(self.difference) >= LARGE_DIFFERENCE


# A gap of this many points between self-score and review score is worth a second look (偏差较大).
LARGE_DIFFERENCE = Decimal("5")


# A draw has up to 1,000 evaluations (DrawSampleForm): its rows come 50 a keyset page, in the
# order of their department and unit (the names stored with each evaluation), then the row.
RECHECK_PAGE = 50
RECHECK_ORDER = (
    ("evaluation__department_name", False),
    ("evaluation__unit_name", False),
    ("pk", False),
)


def _recheck_row(r: Recheck) -> RecheckRow:
    own = r.evaluation.total
    diff = r.score - own if r.score is not None and own is not None else None
    return RecheckRow(r, own, diff)


def recheck_page(
    *, user: User, draw: SampleDraw, cursor: str | None = None, size: int = RECHECK_PAGE
) -> Page:
    """One keyset page of the draw's sampled evaluations, each with its self-score, the review
    score and their difference (``Page.rows`` are RecheckRow)."""
    _require_bureau(user)
    page = paginate(
        Recheck.objects.filter(draw=draw)
        .select_related("evaluation", "evaluation__unit", "evaluation__unit__parent", "reviewer")
        .defer("evaluation__data"),  # the page never shows the content (6 KB of JSON a row)
        RECHECK_ORDER,
        cursor=cursor,
        size=size,
    )
    page.rows = [_recheck_row(r) for r in page.rows]
    return page


@dataclass(frozen=True)
class DrawFigures:
    """The draw's headline figures over all its rows (not the page shown)."""

    done: int  # rechecked
    mean_gap: Decimal | None  # mean |复核得分 − 自评得分| of the rows that have both
    large_gaps: int  # rows whose gap is at least LARGE_DIFFERENCE


def draw_figures(*, user: User, draw: SampleDraw) -> DrawFigures:
    """One aggregate over the draw's rows. The gaps are summed exactly in SQL (decimal columns)
    and the mean rounded here to 0.01, as the rows' differences are shown."""
    _require_bureau(user)
    gap = Abs(F("score") - F("evaluation__total"))
    both = Q(score__isnull=False, evaluation__total__isnull=False)
    found = Recheck.objects.filter(draw=draw).aggregate(
        done=Count("pk", filter=Q(reviewed_at__isnull=False)),
        compared=Count("pk", filter=both),
        gap_sum=Sum(gap, filter=both),
        large=Count(
            "pk",
            filter=both
            & (
                Q(score__gte=F("evaluation__total") + LARGE_DIFFERENCE)
                | Q(score__lte=F("evaluation__total") - LARGE_DIFFERENCE)
            ),
        ),
    )
    mean = None
    if found["compared"]:
        mean = (Decimal(found["gap_sum"]) / found["compared"]).quantize(Decimal("0.01"))
    return DrawFigures(done=found["done"], mean_gap=mean, large_gaps=found["large"])


def get_recheck(*, user: User, recheck_id: int) -> Recheck:
    _require_bureau(user)
    recheck = (
        Recheck.objects.filter(pk=recheck_id)
        .select_related(
            "draw",
            "draw__campaign",
            "evaluation",
            "evaluation__unit",
            "evaluation__unit__parent",
            "evaluation__campaign",
            "reviewer",
        )
        .first()
    )
    if recheck is None:
        raise Http404
    return recheck
