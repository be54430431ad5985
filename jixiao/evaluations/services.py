"""Writes to self-evaluations: create the campaign's tasks (prefilled), save, attach evidence.

Every write runs in a transaction and checks the acting user's scope and role; the review workflow's
state changes live in jixiao.reviews.services.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation, Evidence, Status
from jixiao.evaluations.scoring_bridge import score_data
from jixiao.organisations.models import Organisation, OrganisationKind, Role, User
from jixiao.organisations.selectors import unit_scope_q


class EvaluationConflict(Exception):
    """Someone else saved since this user loaded the page; nothing was written."""

    def __init__(self, current: Evaluation) -> None:
        self.current = current
        who = (
            current.updated_by.display_name or current.updated_by.username
            if current.updated_by
            else ""
        )
        when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M:%S")
        super().__init__(
            _(
                "保存被拒绝：{who} 已于 {when} 保存了更新的版本（第 {version} 版）。"
                "您填写的内容没有丢失，请复制保留后刷新页面，在最新版本上修改。"
            ).format(who=who or _("其他用户"), when=when, version=current.version)
        )


class NotEditable(Exception):
    """The evaluation is submitted, approved or published: it is locked."""


EDITOR_ROLES = frozenset({Role.UNIT_EDITOR, Role.UNIT_HEAD})


def _locked_for_edit(*, user: User, evaluation_id: int) -> Evaluation:
    evaluation = (
        Evaluation.objects.select_for_update()
        .filter(unit_scope_q(user, "unit"), pk=evaluation_id)
        .first()
    )
    if evaluation is None:
        raise Http404
    if user.role not in EDITOR_ROLES:
        raise PermissionError(_("只有本单位的填报人或负责人可以修改自评内容"))
    if not evaluation.is_editable:
        raise NotEditable(
            _("该自评当前状态为“{status}”，已锁定，不能修改").format(
                status=evaluation.get_status_display()
            )
        )
    return evaluation


def apply_score(evaluation: Evaluation) -> None:
    """Refresh the stored total and grade from the data (no save).

    Only a complete evaluation has a total worth listing: a half-filled draft would show as 差 in
    every list and in the overview. Its partial score is still shown live on its own pages.
    """
    scored = score_data(evaluation.data)
    if scored.result is not None and not scored.result.problems:
        evaluation.total = scored.result.total
        evaluation.grade = scored.result.grade_label
        evaluation.ruleset_ref = scored.result.ruleset_ref
    else:
        evaluation.total = None
        evaluation.grade = ""


@transaction.atomic
def save_evaluation_data(
    *, user: User, evaluation_id: int, expected_version: int, data: dict[str, Any]
) -> Evaluation:
    """Replace the evaluation's content; refused (EvaluationConflict) if it moved on since
    ``expected_version``. Returns the saved evaluation with its new version and score."""
    evaluation = _locked_for_edit(user=user, evaluation_id=evaluation_id)
    if evaluation.version != expected_version:
        raise EvaluationConflict(evaluation)
    evaluation.data = data
    evaluation.version += 1
    evaluation.updated_by = user
    if evaluation.first_saved_at is None:
        evaluation.first_saved_at = timezone.now()
    apply_score(evaluation)
    evaluation.save()
    return evaluation


def update_section(
    *, user: User, evaluation_id: int, expected_version: int, section: str, value: Any
) -> Evaluation:
    """Replace one top-level part of the content (e.g. ``targets``, ``budget``) and save."""
    with transaction.atomic():
        current = Evaluation.objects.filter(unit_scope_q(user, "unit"), pk=evaluation_id).first()
        if current is None:
            raise Http404
        data = copy.deepcopy(current.data)
        data[section] = value
        return save_evaluation_data(
            user=user, evaluation_id=evaluation_id, expected_version=expected_version, data=data
        )


def _unit_profile(unit: Organisation) -> dict[str, Any]:
    return {
        "name": unit.name,
        "short_name": unit.short_name,
        "credit_code": unit.credit_code or "",
        "unit_type": unit.unit_type,
        "supervisor": unit.parent.name if unit.parent else "",
        "staffing_quota": unit.staffing_quota,
        "staff_actual": unit.staff_actual,
        "functions": unit.function_lines,
    }


# Parts of last year's evaluation that carry over as a starting point; the figures do not.
CARRIED_OVER = (
    "key_tasks",
    "group",
    "process",
    "analyses",
    "practices",
    "problems",
    "improvements",
)


def prefill_data(
    *, campaign: Campaign, unit: Organisation, previous: Evaluation | None, project_name: str = ""
) -> dict[str, Any]:
    """The content a new evaluation starts with: the unit's profile, the notice, and last year's
    evaluation (targets keep their names and targets, with the actual values left to fill in)."""
    data: dict[str, Any] = {
        "kind": campaign.kind,
        "ruleset": campaign.ruleset_ref,
        "year": campaign.year,
        "notice": {
            "title": campaign.notice_title,
            "number": campaign.notice_number,
            "issuer": campaign.bureau.name,
        },
        "unit": _unit_profile(unit),
        "budget": {"rows": []},
    }
    if campaign.kind == "project":
        data["project"] = {"name": project_name, "implementing_unit": unit.name}
    if previous is not None:
        old = previous.data
        for key in CARRIED_OVER:
            if key in old:
                data[key] = copy.deepcopy(old[key])
        data["targets"] = [
            {
                k: v
                for k, v in target.items()
                if k
                not in {"actual", "explanation", "reviewer_deduction", "reviewer_deduction_reason"}
            }
            | {"actual": None}
            for target in old.get("targets", [])
        ]
        data["budget"] = {
            "rows": [
                {
                    "source": row.get("source", ""),
                    "initial": None,
                    "full_year": None,
                    "executed": None,
                }
                for row in old.get("budget", {}).get("rows", [])
            ]
        }
    return data


def previous_evaluation(
    *, campaign: Campaign, unit: Organisation, project_name: str = ""
) -> Evaluation | None:
    """The unit's evaluation of the year before, of the same kind, if any."""
    return (
        Evaluation.objects.filter(
            unit=unit,
            campaign__kind=campaign.kind,
            campaign__year=campaign.year - 1,
            project_name=project_name,
        )
        .order_by("-campaign__created_at")
        .first()
    )


@transaction.atomic
def create_tasks(
    *, user: User, campaign: Campaign, units: Iterable[Organisation], project_name: str = ""
) -> list[Evaluation]:
    """Give every unit in scope a prefilled task (skipping units that already have one)."""
    if not user.is_bureau_user:
        raise PermissionError(_("只有财政局可以下达自评任务"))
    created = []
    for unit in units:
        if unit.kind != OrganisationKind.UNIT:
            continue
        if Evaluation.objects.filter(
            campaign=campaign, unit=unit, project_name=project_name
        ).exists():
            continue
        previous = previous_evaluation(campaign=campaign, unit=unit, project_name=project_name)
        evaluation = Evaluation(
            campaign=campaign,
            unit=unit,
            project_name=project_name,
            status=Status.DRAFT,
            ruleset_ref=campaign.ruleset_ref,
            data=prefill_data(
                campaign=campaign, unit=unit, previous=previous, project_name=project_name
            ),
        )
        apply_score(evaluation)
        evaluation.save()
        created.append(evaluation)
    return created


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


# --- 佐证材料 (evidence) -------------------------------------------------------------------------


class EvidenceRefused(Exception):
    """The file was not stored (wrong type, too big, evaluation locked); the message says why."""


# What a file really is, judged by its first bytes; the name and the browser's word count for nothing.
EVIDENCE_KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "jpg": ("image/jpeg", "JPG"),
    "png": ("image/png", "PNG"),
}


def sniff_evidence_kind(head: bytes, file: Any = None) -> str | None:
    """'pdf' / 'docx' / 'xlsx' / 'jpg' / 'png' from the content, or None for anything else.

    A docx and an xlsx are both zip files; which one it is shows in the names inside (word/ or xl/),
    so ``file`` (seekable) is opened as a zip when the head says PK.
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04") and file is not None:
        import zipfile

        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            file.seek(0)
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def indicator_codes(data: dict[str, Any]) -> dict[str, str]:
    """Every indicator evidence may be attached to: the rule-set's leaves and the unit's targets."""
    from jixiao.campaigns.rulesets import get_ruleset
    from scoring import InputError

    codes: dict[str, str] = {}
    try:
        ruleset = get_ruleset(str(data.get("ruleset", "")))
    except InputError:
        ruleset = None
    if ruleset is not None:
        for _path, node in ruleset.walk():
            if node.is_leaf:
                codes[node.code] = f"{node.code} {node.name}"
    for target in data.get("targets") or []:
        if target.get("code"):
            codes[str(target["code"])] = f"{target['code']} {target.get('name', '')}"
    codes["other"] = _("其他（不对应具体指标）")
    return codes


@transaction.atomic
def attach_evidence(
    *, user: User, evaluation_id: int, indicator_code: str, upload: Any
) -> Evidence:
    """Store an uploaded file as evidence for one indicator, after checking what it really is."""
    import hashlib

    from django.conf import settings

    evaluation = _locked_for_edit(user=user, evaluation_id=evaluation_id)
    if indicator_code not in indicator_codes(evaluation.data):
        raise EvidenceRefused(_("所选指标不存在：{code}").format(code=indicator_code))
    limit = settings.JIXIAO_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise EvidenceRefused(
            _("文件过大（{size}），单个文件不能超过 {limit}").format(
                size=_megabytes(upload.size), limit=_megabytes(limit)
            )
        )
    upload.seek(0)
    head = upload.read(16)
    kind = sniff_evidence_kind(head, upload)
    if kind is None:
        raise EvidenceRefused(
            _(
                "“{name}”不是可接受的文件类型。佐证材料只接受 PDF、Word（docx）、Excel（xlsx）、"
                "JPG 和 PNG 文件（按文件内容识别，改扩展名无效）"
            ).format(name=upload.name)
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        evaluation=evaluation,
        indicator_code=indicator_code,
        original_name=_clean_name(upload.name),
        content_type=EVIDENCE_KINDS[kind][0],
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    evidence.file.save(evidence.sha256, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def delete_evidence(*, user: User, evidence_id: int) -> None:
    """Remove a file while the evaluation is still editable (the stored bytes go with it)."""
    evidence = (
        Evidence.objects.filter(unit_scope_q(user, "evaluation__unit"), pk=evidence_id)
        .select_related("evaluation")
        .first()
    )
    if evidence is None:
        raise Http404
    _locked_for_edit(user=user, evaluation_id=evidence.evaluation_id)
    name = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    # Two uploads of the same bytes share one stored file; keep it while another row names it.
    if name and not Evidence.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))


def _clean_name(name: str) -> str:
    # Keep only the last path component: browsers on Windows may send C:\…\文件.pdf.
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[:255] or "evidence"


def _megabytes(size: int) -> str:
    return f"{Decimal(size) / Decimal(1024 * 1024):.1f} MB"
