"""The one write path of the review workflow: apply a step of jixiao.reviews.workflow under a row
lock, check who may do it and whether the evaluation is ready, and record who, when, the comment and
a snapshot. Approval by the bureau freezes the documents; publication makes them public."""

from __future__ import annotations

import logging
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.activity.services import changed_fields, record_event
from jixiao.activity.texts import log_text
from jixiao.campaigns.models import Campaign
from jixiao.evaluations.history import previous_actuals
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.scoring_bridge import is_declaration, score_data
from jixiao.indicators.services import after_approval as indicator_library_after_approval
from jixiao.jobs.models import Job
from jixiao.jobs.selectors import latest_job
from jixiao.jobs.services import create_job, retry_job, subject_of
from jixiao.organisations.models import User
from jixiao.organisations.selectors import unit_scope_q
from jixiao.reviews import workflow
from jixiao.reviews.models import (
    FrozenDocument,
    Publication,
    Recheck,
    SampleDraw,
    Transition,
    WithdrawnDocument,
)

logger = logging.getLogger(__name__)


class TransitionRefused(Exception):
    """The step is not allowed now; ``problems`` says why, item by item (中文)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("；".join(problems))


@dataclass(frozen=True)
class Readiness:
    problems: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.problems


# Parts a submission needs besides what scoring checks, in the order the 缺项清单 lists them.
REQUIRED_PARTS = ("process", "other", "problems", "improvements", "filled_on")


def missing_required_parts(data: dict[str, Any]) -> list[str]:
    """Top-level parts of the content that must not be empty to submit (in report order)."""
    return [key for key in REQUIRED_PARTS if not str(data.get(key) or "").strip()]


def submission_problems(evaluation: Evaluation) -> list[str]:
    """Everything that keeps an evaluation from being submitted (缺项清单), in report order.
    A target declaration: its input faults and the errors of the declaration checks
    (jixiao.targets.declarations; warnings do not block)."""
    if (evaluation.data or {}).get("kind") == "monitoring":
        from jixiao.monitoring.services import report_problems

        return report_problems(evaluation)
    if is_declaration(evaluation.data):
        from jixiao.targets.declarations import submission_problems as declaration_problems

        return declaration_problems(evaluation)
    scored = score_data(evaluation.data, history=previous_actuals(evaluation))
    problems = list(scored.problems)
    if scored.result is not None:
        problems += list(scored.result.missing_explanations)
    problems += [required_part_message(key) for key in missing_required_parts(evaluation.data)]
    return list(dict.fromkeys(problems))


def required_part_message(key: str) -> str:
    """How the 缺项清单 names an empty required part (REQUIRED_PARTS)."""
    messages = {
        "process": _("未填写：{label}").format(label=_("自评工作过程")),
        "other": _("未填写：{label}").format(label=_("其他自评情况")),
        "problems": _("未填写：存在问题"),
        "improvements": _("未填写：改进措施"),
        "filled_on": _("未填写：填报日期"),
    }
    return messages[key]


def snapshot(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "version": evaluation.version,
        "status": evaluation.status,
        "total": str(evaluation.total) if evaluation.total is not None else None,
        "grade": evaluation.grade,
        "ruleset": evaluation.ruleset_ref,
        "data": evaluation.data,
    }


def _scoped_for_update(user: User, evaluation_id: int) -> Evaluation:
    # The evaluation's row only (``of``): PostgreSQL would otherwise lock the joined campaign and
    # unit rows too, and every transition and save of the campaign would queue on its row.
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .filter(unit_scope_q(user, "unit"), pk=evaluation_id)
        .select_related("campaign", "unit")
        .order_by()
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def step_problems(
    *,
    user: User,
    evaluation: Evaluation,
    action: str,
    comment: str = "",
    section_comments: dict[str, str] | None = None,
) -> tuple[workflow.Step | None, list[str]]:
    """The step ``action`` would take from the evaluation's status, and every reason it may not be
    taken now (empty: it may). The one set of rules for a single step and for a bulk preview."""
    step = workflow.step_for(evaluation.status, action)
    if step is None:
        return None, [
            _("当前状态“{status}”下不能执行该操作").format(status=evaluation.get_status_display())
        ]
    if user.role not in step.roles:
        return step, [_("您的角色不能执行“{label}”").format(label=step.label)]
    if action == workflow.WITHDRAW and not comment.strip():
        return step, [_("撤回公开须填写撤回原因")]
    if step.needs_comment and not (comment.strip() or any(section_comments or {})):
        return step, [_("退回时须填写意见（总体意见或分部分意见）")]
    problems: list[str] = []
    if action == workflow.WITHDRAW and current_publication(evaluation) is None:
        problems.append(_("该自评没有正在公开的版本"))
    if (
        action == workflow.CORRECTION_RETURN
        and not evaluation.publications.filter(withdrawn_at__isnull=False).exists()
    ):
        # An approval stands unless its publication was withdrawn: the bureau returns an approved
        # report only to correct what it withdrew.
        problems.append(_("只有撤回公开后的自评可以退回单位更正"))
    if action == workflow.SUBMIT:
        problems = submission_problems(evaluation)
        if timezone.now() > evaluation.deadline:
            problems.insert(
                0,
                _("已超过报送截止时间 {deadline}，请联系财政局延期").format(
                    deadline=timezone.localtime(evaluation.deadline).strftime("%Y-%m-%d %H:%M")
                ),
            )
    elif action == workflow.PUBLISH and is_declaration(evaluation.data):
        # Approved targets are published with the budget (预算公开), not on the report portal.
        problems.append(_("绩效目标申报不在自评公开栏目公开"))
    elif action == workflow.PUBLISH:
        if evaluation.total is None:
            problems.append(_("没有有效的总分，不能公开"))
        freezing = freeze_refusal(evaluation)
        # The portal serves only frozen files; publishing without them would publish nothing.
        frozen = set(
            FrozenDocument.objects.filter(evaluation=evaluation).values_list("format", flat=True)
        )
        wanted = frozen_formats(evaluation)
        missing = [f.label for f in FrozenDocument.Format if f.value in wanted - frozen]
        if freezing:
            problems.append(freezing)
        elif missing:
            problems.append(
                _("审定文件缺失（{names}），不能公开，请联系系统管理员").format(
                    names="、".join(str(m) for m in missing)
                )
            )
    return step, problems


def transition(
    *,
    user: User,
    evaluation_id: int,
    action: str,
    comment: str = "",
    section_comments: dict[str, str] | None = None,
) -> Evaluation:
    """Apply ``action`` (workflow.SUBMIT, …) to the evaluation, or raise TransitionRefused."""
    section_comments = {
        k: v.strip() for k, v in (section_comments or {}).items() if v and v.strip()
    }
    unknown = sorted(k for k in section_comments if not workflow.is_section_key(k))
    if unknown:
        raise TransitionRefused([_("未知的部分：{names}").format(names="、".join(unknown))])
    with transaction.atomic():
        evaluation = _scoped_for_update(user, evaluation_id)
        step, problems = step_problems(
            user=user,
            evaluation=evaluation,
            action=action,
            comment=comment,
            section_comments=section_comments,
        )
        if step is None or problems:
            raise TransitionRefused(problems)
        from_status = evaluation.status
        evaluation.status = step.target
        # The 审核待办 orders each pile by this (reviews.selectors.QUEUE_ORDER).
        evaluation.status_changed_at = timezone.now()
        evaluation.save(update_fields=["status", "status_changed_at", "updated_at"])
        extra: dict[str, Any] = {}
        if action == workflow.PUBLISH:
            extra["publication"] = _publish(user=user, evaluation=evaluation)
        elif action == workflow.WITHDRAW:
            extra["publication"] = _withdraw(user=user, evaluation=evaluation, reason=comment)
        step_row = Transition.objects.create(
            evaluation=evaluation,
            action=action,
            from_status=from_status,
            to_status=step.target,
            actor=user,
            comment=comment.strip(),
            section_comments=section_comments,
            snapshot=snapshot(evaluation),
        )
        record_event(
            actor=user,
            action=f"evaluation.{action}",
            target=evaluation,
            summary=log_text("{label}：{evaluation}", label=step.label, evaluation=evaluation),
            details={
                "changes": {"status": [from_status, str(step.target)]},
                "version": evaluation.version,
                "transition": step_row.pk,
                "comment": comment.strip(),
                "section_comments": section_comments,
                **extra,
            },
        )
        # Tell the next person in line, or the unit, once the step has committed.
        from jixiao.notifications.events import after_transition

        transaction.on_commit(partial(after_transition, step_row.pk))
        # 结果应用: the evaluation's stored result row follows its approval, publication,
        # withdrawal or return (it logs its own failures).
        from jixiao.results.services import after_review_step

        transaction.on_commit(partial(after_review_step, evaluation.pk))
        if action == workflow.BUREAU_APPROVE:
            request_freeze(user=user, evaluation=evaluation)
            if is_declaration(evaluation.data):
                # Year-end self-evaluations created before these targets were approved bind to
                # them now (jixiao.evaluations.bound_targets), not only when next opened.
                from jixiao.evaluations.services import follow_declaration

                follow_declaration(declaration_id=evaluation.pk, actor=user)
            # 指标库: the approved targets (a declaration) or actuals (a self-evaluation) are
            # collected once the approval commits; a failure there is logged, never undoes it.
            approved_id = evaluation.pk
            transaction.on_commit(lambda: indicator_library_after_approval(approved_id))
    return evaluation


def current_publication(evaluation: Evaluation) -> Publication | None:
    """The version of the evaluation the public reads now (None: unpublished or withdrawn)."""
    return evaluation.publications.filter(withdrawn_at__isnull=True).first()


def _publish(*, user: User, evaluation: Evaluation) -> dict[str, Any]:
    """A new publication: version 1, or the next one after a withdrawn version."""
    assert evaluation.total is not None  # step_problems refused a publication without one
    unit = evaluation.unit
    last = Publication.objects.filter(evaluation=evaluation).order_by("-version").first()
    publication = Publication.objects.create(
        evaluation=evaluation,
        version=last.version + 1 if last is not None else 1,
        published_by=user,
        total=evaluation.total,
        grade=evaluation.grade,
        unit_name=unit.name,
        department_name=unit.parent.name if unit.parent else "",
        year=evaluation.campaign.year,
        project_name=evaluation.project_name,
    )
    return {"id": publication.pk, "version": publication.version}


def _withdraw(*, user: User, evaluation: Evaluation, reason: str) -> dict[str, Any]:
    """撤回公开: mark the current version withdrawn (when, who, why) and keep a copy of its files,
    whose digests stay public; a later approval replaces the frozen files, not these."""
    publication = (
        Publication.objects.select_for_update()
        .filter(evaluation=evaluation, withdrawn_at__isnull=True)
        .get()
    )
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_by = user
    publication.withdrawal_reason = reason.strip()
    publication.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    kept = WithdrawnDocument.objects.bulk_create(
        WithdrawnDocument(
            publication=publication,
            format=d.format,
            filename=d.filename,
            content=d.content,
            sha256=d.sha256,
            sm3=d.sm3,
            size=d.size,
            frozen_at=d.frozen_at,
        )
        for d in FrozenDocument.objects.filter(evaluation=evaluation)
    )
    return {
        "id": publication.pk,
        "version": publication.version,
        "reason": publication.withdrawal_reason,
        "files": {d.format: d.sha256 for d in kept},
    }


def withdraw_publication(*, user: User, evaluation_id: int, reason: str) -> Evaluation:
    """撤回公开 (the bureau admin, with a reason): the workflow step WITHDRAW."""
    return transition(
        user=user, evaluation_id=evaluation_id, action=workflow.WITHDRAW, comment=reason
    )


FREEZE_KIND = "reviews.freeze"


def request_freeze(*, user: User, evaluation: Evaluation) -> Job:
    """Approval: check the content scores, drop any earlier frozen files, and have the documents
    rendered by a job after the approval commits — never inside its row lock (rendering a large
    report takes seconds to minutes). Publication waits for the files (``freeze_refusal``).
    A target declaration must validate; its files are the 绩效目标表 (xlsx, pdf)."""
    if is_declaration(evaluation.data):
        from jixiao.targets.declarations import submission_problems as declaration_problems

        problems = declaration_problems(evaluation)
        if problems:
            raise TransitionRefused(problems)
    elif (evaluation.data or {}).get("kind") != "monitoring":  # a monitoring report is not scored
        scored = score_data(evaluation.data)
        if scored.evaluation is None or scored.result is None:
            raise TransitionRefused(list(scored.problems) or [_("自评内容无法评分")])
    FrozenDocument.objects.filter(evaluation=evaluation).delete()
    return create_job(
        kind=FREEZE_KIND,
        title=_("生成审定文件：{evaluation}").format(evaluation=evaluation),
        requested_by=user,
        subject=evaluation,
        params={"evaluation_id": evaluation.pk, "version": evaluation.version},
        total=1,
    )


def freeze_job_of(evaluation: Evaluation) -> Job | None:
    return latest_job(kind=FREEZE_KIND, subject=subject_of(evaluation))


def freeze_refusal(evaluation: Evaluation) -> str | None:
    """Why the evaluation cannot be published yet for want of its frozen files, or None."""
    job = freeze_job_of(evaluation)
    if job is not None and not job.finished:
        return _("审定文件正在生成，请稍后再公开")
    if job is not None and job.state == Job.State.FAILED:
        return _("审定文件生成失败（{reason}），请先重新生成").format(reason=_(job.error))
    return None


def retry_freeze(*, user: User, evaluation_id: int) -> Job:
    """The bureau renders the frozen files again: after a failed job, or when files are missing."""
    if not user.is_bureau_user:
        raise TransitionRefused([_("只有财政局可以重新生成审定文件")])
    with transaction.atomic():
        evaluation = _scoped_for_update(user, evaluation_id)
        if evaluation.status != Status.APPROVED:
            raise TransitionRefused([_("只有已审定、尚未公开的自评可以重新生成审定文件")])
        job = freeze_job_of(evaluation)
        if job is not None and not job.finished:
            raise TransitionRefused([_("审定文件正在生成，请稍候")])
        if job is not None and job.state == Job.State.FAILED:
            return retry_job(user=user, job=job)
        present = set(
            FrozenDocument.objects.filter(evaluation=evaluation).values_list("format", flat=True)
        )
        if present >= frozen_formats(evaluation):
            raise TransitionRefused([_("审定文件已齐全，无需重新生成")])
        return request_freeze(user=user, evaluation=evaluation)


def frozen_formats(evaluation: Evaluation) -> set[str]:
    """The formats an approved evaluation's frozen set holds: a self-evaluation's four documents,
    or a declaration's 绩效目标表 (pdf and xlsx)."""
    if is_declaration(evaluation.data):
        from jixiao.targets.documents import TARGET_FORMATS

        return set(TARGET_FORMATS)
    return {f.value for f in FrozenDocument.Format if f.value != "targets.xlsx"}


def freeze_documents(evaluation: Evaluation) -> list[FrozenDocument]:
    """Render the approved content once and keep the exact bytes, their SHA-256 and SM3."""
    from jixiao.documents.digests import sha256_hex, sm3_hex
    from jixiao.documents.naming import document_filename
    from jixiao.documents.package import render_document

    if (evaluation.data or {}).get("kind") == "monitoring":
        from jixiao.monitoring.documents import freeze_monitoring_documents

        return freeze_monitoring_documents(evaluation)
    if is_declaration(evaluation.data):
        from jixiao.targets.documents import freeze_declaration

        return freeze_declaration(evaluation)
    scored = score_data(evaluation.data)
    if scored.evaluation is None or scored.result is None:
        raise TransitionRefused(list(scored.problems) or [_("自评内容无法评分")])
    names = {
        fmt: document_filename(
            year=evaluation.campaign.year,
            unit_name=evaluation.unit.name,
            project_name=evaluation.project_name,
            fmt=fmt,
        )
        for fmt in ("pdf", "docx", "data.xlsx", "scoring.xlsx")
    }
    FrozenDocument.objects.filter(evaluation=evaluation).delete()
    frozen = []
    for fmt, filename in names.items():
        try:
            content = render_document(scored.evaluation, scored.result, fmt, ruleset=scored.ruleset)
        except Exception as exc:
            # A renderer failure (fonts, a broken template, memory): the freeze job ends failed
            # with this reason, its caller removes what was stored, and the bureau can retry.
            logger.exception("rendering %s of evaluation %s failed", fmt, evaluation.pk)
            raise TransitionRefused(
                [
                    _("生成“{name}”失败，请稍后重新生成或联系管理员（{error}）").format(
                        name=filename, error=type(exc).__name__
                    )
                ]
            ) from exc
        frozen.append(
            FrozenDocument.objects.create(
                evaluation=evaluation,
                format=fmt,
                filename=filename,
                content=content,
                sha256=sha256_hex(content),
                sm3=sm3_hex(content),
                size=len(content),
            )
        )
    return frozen


def extend_deadline(*, user: User, evaluation_id: int, until: Any, reason: str = "") -> Evaluation:
    """The bureau grants one unit more time (延期); recorded in the history like any step."""
    if not user.is_bureau_user:
        raise TransitionRefused([_("只有财政局可以延长截止时间")])
    if until <= timezone.now():
        raise TransitionRefused([_("延长后的截止时间须晚于现在")])
    with transaction.atomic():
        evaluation = _scoped_for_update(user, evaluation_id)
        before = evaluation.deadline
        evaluation.deadline_override = until
        evaluation.save(update_fields=["deadline_override", "updated_at"])
        record_event(
            actor=user,
            action="evaluation.extend_deadline",
            target=evaluation,
            summary=log_text(
                "延长截止时间：{evaluation}，至 {until}",
                evaluation=evaluation,
                until=timezone.localtime(until).strftime("%Y-%m-%d %H:%M"),
            ),
            details={
                "changes": changed_fields(
                    {"deadline": before.isoformat()}, {"deadline": until.isoformat()}
                ),
                "reason": reason.strip(),
            },
        )
        Transition.objects.create(
            evaluation=evaluation,
            action="extend_deadline",
            from_status=evaluation.status,
            to_status=evaluation.status,
            actor=user,
            comment=reason.strip()
            or _("截止时间延长至 {until}").format(
                until=timezone.localtime(until).strftime("%Y-%m-%d %H:%M")
            ),
            snapshot={"deadline": until.isoformat()},
        )
    return evaluation


SAMPLEABLE = (Status.DEPARTMENT_APPROVED, Status.APPROVED, Status.PUBLISHED)


def draw_sample(
    *, user: User, campaign: Campaign, size: int, seed: str | None = None
) -> SampleDraw:
    """抽查: draw ``size`` submissions at random for 复核; the seed is kept so the draw can be redone."""
    if not user.is_bureau_user:
        raise TransitionRefused([_("只有财政局可以抽取复核样本")])
    if size < 1:
        raise TransitionRefused([_("抽取数量至少为 1")])
    pool = list(
        Evaluation.objects.filter(campaign=campaign, status__in=SAMPLEABLE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not pool:
        raise TransitionRefused([_("该自评工作还没有已报送并经主管部门审核的自评，无法抽样")])
    seed = seed or secrets.token_hex(8)
    chosen = random.Random(seed).sample(pool, min(size, len(pool)))
    with transaction.atomic():
        draw = SampleDraw.objects.create(
            campaign=campaign, drawn_by=user, seed=seed, requested=size
        )
        Recheck.objects.bulk_create(Recheck(draw=draw, evaluation_id=pk) for pk in sorted(chosen))
        record_event(
            actor=user,
            action="sample.draw",
            target=draw,
            target_label=str(campaign),
            summary=log_text(
                "抽取复核样本：{campaign}，{n} 份（随机种子 {seed}）",
                campaign=campaign,
                n=len(chosen),
                seed=seed,
            ),
            details={"seed": seed, "requested": size, "evaluations": sorted(chosen)},
        )
    return draw


def record_recheck(*, user: User, recheck_id: int, score: Decimal, opinion: str) -> Recheck:
    """The bureau reviewer's 复核 score and opinion for one sampled evaluation."""
    if not user.is_bureau_user:
        raise TransitionRefused([_("只有财政局可以复核")])
    problems = []
    if score < 0 or score > 100:
        problems.append(_("复核得分须在 0 到 100 之间"))
    if not opinion.strip():
        problems.append(_("请填写复核意见"))
    if problems:
        raise TransitionRefused(problems)
    with transaction.atomic():
        recheck = (
            Recheck.objects.select_for_update()
            .select_related("evaluation__unit", "evaluation__campaign")
            .get(pk=recheck_id)
        )
        before = {"score": recheck.score, "opinion": recheck.opinion}
        recheck.score = score
        recheck.opinion = opinion.strip()
        recheck.reviewer = user
        recheck.reviewed_at = timezone.now()
        recheck.save()
        record_event(
            actor=user,
            action="recheck.record",
            target=recheck,
            target_label=str(recheck.evaluation),
            unit=recheck.evaluation.unit,
            summary=log_text(
                "记录复核结果：{evaluation}，复核得分 {score}",
                evaluation=recheck.evaluation,
                score=score,
            ),
            details={
                "changes": changed_fields(before, {"score": score, "opinion": recheck.opinion}),
                "draw": recheck.draw_id,
            },
        )
    return recheck


def record_frozen_download(*, user: User, document: FrozenDocument) -> None:
    """A member of staff downloaded an approved (frozen) file: who read which bytes, and when.

    Public downloads from the portal are not logged per person (there is no person)."""
    with transaction.atomic():
        record_event(
            actor=user,
            action="document.download_frozen",
            target=document,
            target_label=document.filename,
            unit=document.evaluation.unit,
            summary=log_text("下载审定文件：{name}", name=document.filename),
            details={"sha256": document.sha256, "format": document.format},
        )


def record_withdrawn_download(*, user: User, document: WithdrawnDocument) -> None:
    """The bureau downloaded its kept copy of a withdrawn file."""
    with transaction.atomic():
        record_event(
            actor=user,
            action="document.download_withdrawn",
            target=document,
            target_label=document.filename,
            unit=document.publication.evaluation.unit,
            summary=log_text("下载已撤回公开的文件：{name}", name=document.filename),
            details={
                "sha256": document.sha256,
                "format": document.format,
                "publication": document.publication_id,
            },
        )


# --- 批量审核 (bulk approve / return from the 审核待办) ------------------------------------------

# A bulk "approve" or "return" is, for each row, the approve or return step its status allows the
# user's role: a department reviewer's rows go on to the bureau, the bureau's are approved.
BULK_STEPS = {
    "approve": (workflow.DEPARTMENT_APPROVE, workflow.BUREAU_APPROVE),
    "return": (workflow.DEPARTMENT_RETURN, workflow.BUREAU_RETURN),
}
BULK_LIMIT = 100


@dataclass(frozen=True)
class BulkRow:
    """What a bulk step will do (preview) or did (result) to one selected evaluation."""

    evaluation_id: int
    evaluation: Evaluation | None  # None: not found or not the user's to see
    action: str  # the workflow step, "" when none applies
    label: str  # the step in words
    from_status: str
    to_status: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _bulk_action(user: User, evaluation: Evaluation, kind: str) -> str:
    for action in BULK_STEPS.get(kind, ()):
        step = workflow.step_for(evaluation.status, action)
        if step is not None and user.role in step.roles:
            return action
    return ""


def _bulk_ids(evaluation_ids: list[int]) -> list[int]:
    ids = list(dict.fromkeys(evaluation_ids))
    if not ids:
        raise TransitionRefused([_("请先勾选要办理的自评")])
    if len(ids) > BULK_LIMIT:
        raise TransitionRefused([_("一次最多批量办理 {n} 份，请分批办理").format(n=BULK_LIMIT)])
    if any(i <= 0 for i in ids):
        raise TransitionRefused([_("所选自评无效")])
    return ids


def _bulk_row(
    user: User, evaluation: Evaluation | None, pk: int, kind: str, comment: str
) -> BulkRow:
    if evaluation is None:
        return BulkRow(pk, None, "", "", "", "", (_("不存在或无权办理"),))
    action = _bulk_action(user, evaluation, kind)
    if not action:
        return BulkRow(
            pk,
            evaluation,
            "",
            "",
            evaluation.status,
            evaluation.status,
            (
                _("当前状态“{status}”下您不能批量{verb}").format(
                    status=evaluation.get_status_display(),
                    verb=_("审核通过") if kind == "approve" else _("退回"),
                ),
            ),
        )
    step, problems = step_problems(user=user, evaluation=evaluation, action=action, comment=comment)
    assert step is not None
    return BulkRow(
        pk,
        evaluation,
        action,
        str(step.label),
        evaluation.status,
        str(step.target),
        tuple(problems),
    )


def bulk_preview(
    *, user: User, evaluation_ids: list[int], kind: str, comment: str
) -> list[BulkRow]:
    """What a bulk approve or return would do to each selected row, and which rows are refused and
    why, by the same rules as one step (step_problems). Changes nothing."""
    if kind not in BULK_STEPS:
        raise TransitionRefused([_("未知的批量操作")])
    ids = _bulk_ids(evaluation_ids)
    found = {
        e.pk: e
        for e in Evaluation.objects.filter(unit_scope_q(user, "unit"), pk__in=ids)
        .select_related("campaign", "unit", "unit__parent")
        .defer("data")
    }
    return [_bulk_row(user, found.get(pk), pk, kind, comment) for pk in ids]


def bulk_apply(*, user: User, evaluation_ids: list[int], kind: str, comment: str) -> list[BulkRow]:
    """Take the bulk step row by row, each through transition() (its own transaction, row lock,
    audit event and rules), so one refused row never undoes or blocks the others."""
    results = []
    for row in bulk_preview(user=user, evaluation_ids=evaluation_ids, kind=kind, comment=comment):
        if not row.ok:
            results.append(row)
            continue
        try:
            transition(
                user=user, evaluation_id=row.evaluation_id, action=row.action, comment=comment
            )
        except TransitionRefused as refused:
            row = BulkRow(
                row.evaluation_id,
                row.evaluation,
                row.action,
                row.label,
                row.from_status,
                row.from_status,
                tuple(refused.problems),
            )
        results.append(row)
    return results
