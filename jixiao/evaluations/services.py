"""Writes to self-evaluations: create the campaign's tasks (prefilled), save, attach evidence.

Every write runs in a transaction and checks the acting user's scope and role; the review workflow's
state changes live in jixiao.reviews.services.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.activity.services import record_event
from jixiao.activity.texts import log_text
from jixiao.campaigns.models import Campaign
from jixiao.evaluations import merge
from jixiao.evaluations.bound_targets import YEAR_END_KINDS, apply_binding, binding_for
from jixiao.evaluations.models import Evaluation, Evidence, Revision, Status
from jixiao.evaluations.ownership import enforce_server_owned
from jixiao.evaluations.scoring_bridge import is_declaration, score_data, storable
from jixiao.evaluations.summary import apply_summary
from jixiao.organisations.models import Organisation, OrganisationKind, Role, User
from jixiao.organisations.selectors import unit_scope_q
from scoring.target_binding import basis_sentence

if TYPE_CHECKING:
    from jixiao.projects.models import Project


class EvaluationConflict(Exception):
    """A field this save changes was changed by someone else since the save's base version;
    nothing was written. ``fields`` names each such field with who saved it and when."""

    def __init__(self, current: Evaluation, fields: list[ConflictingField] | None = None) -> None:
        self.current = current
        self.fields = fields or []
        if self.fields:
            detail = "；".join(
                _("“{field}”已由 {who} 于 {when} 修改").format(
                    field=item.label, who=item.who or _("其他用户"), when=item.when
                )
                for item in self.fields[:5]
            )
            if len(self.fields) > 5:
                detail += _("等 {n} 处").format(n=len(self.fields))
            text = _(
                "保存被拒绝：{detail}（现为第 {version} 版），与您的修改冲突。"
                "您填写的内容没有丢失，请复制保留后刷新页面，在最新版本上修改。"
            ).format(detail=detail, version=current.version)
        else:
            text = _(
                "保存被拒绝：{who} 已于 {when} 保存了更新的版本（第 {version} 版）。"
                "您填写的内容没有丢失，请复制保留后刷新页面，在最新版本上修改。"
            ).format(
                who=_person(current.updated_by) or _("其他用户"),
                when=_when(current.updated_at),
                version=current.version,
            )
        super().__init__(text)


@dataclass(frozen=True)
class ConflictingField:
    path: str  # ``targets[3].actual``
    label: str  # 绩效目标第 3 行（…） · 实际完成值
    who: str
    when: str


def _person(user: User | None) -> str:
    return (user.display_name or user.username) if user is not None else ""


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


class NotEditable(Exception):
    """The evaluation is submitted, approved or published: it is locked."""


EDITOR_ROLES = frozenset({Role.UNIT_EDITOR, Role.UNIT_HEAD})


def _locked_for_edit(*, user: User, evaluation_id: int) -> Evaluation:
    # Only the evaluation's own row is locked (``of``): without it PostgreSQL also locks every
    # joined row — the campaign's, which every save of the city's campaign would then queue on.
    # The campaign, organisations and project the ownership check reads come in the same query.
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("campaign__bureau", "unit__parent", "project__unit")
        .filter(unit_scope_q(user, "unit"), pk=evaluation_id)
        .order_by()
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
    A target declaration has no score (scoring_bridge.score_data).
    """
    scored = score_data(evaluation.data)
    if scored.result is not None and not scored.result.problems:
        evaluation.total = scored.result.total
        evaluation.grade = scored.result.grade_label
        evaluation.ruleset_ref = scored.result.ruleset_ref
    else:
        evaluation.total = None
        evaluation.grade = ""
    # The list columns (summary.py): a declaration's one "not scored" note is no problem to fix.
    apply_summary(
        evaluation,
        problems=0 if is_declaration(evaluation.data) else len(scored.problems),
        result=scored.result,
    )


@dataclass(frozen=True)
class SaveOutcome:
    """What a save did: ``changed`` the fields it wrote (empty: nothing was written, no new
    version); ``merged`` the fields others had changed since its base that it kept."""

    evaluation: Evaluation
    changed: tuple[merge.Path, ...]
    merged: tuple[merge.Path, ...]


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _base_data(evaluation: Evaluation, base_version: int) -> dict[str, Any] | None:
    """The content as it was at ``base_version``: the stored content with every later revision's
    changes undone. None when that cannot be known for sure (a gap in the revisions, or content
    written without a revision)."""
    if base_version == evaluation.version:
        return evaluation.data
    if not 0 <= base_version < evaluation.version:
        return None
    revisions = list(
        Revision.objects.filter(evaluation=evaluation, version__gt=base_version).order_by(
            "-version"
        )
    )
    expected = list(range(evaluation.version, base_version, -1))
    if [r.version for r in revisions] != expected or revisions[0].digest != _digest(
        evaluation.data
    ):
        return None
    data: Any = evaluation.data
    for revision in revisions:
        data = merge.apply_changes(
            data, {path: old for path, old, _new in merge.from_json(revision.changes)}
        )
    return data


def _others_changes(
    evaluation: Evaluation, base_version: int, window: str
) -> dict[merge.Path, Any]:
    """The fields other windows saved since ``base_version``, with their stored values now."""
    revisions = Revision.objects.filter(evaluation=evaluation, version__gt=base_version)
    if window:
        revisions = revisions.exclude(window=window)
    out: dict[merge.Path, Any] = {}
    for changes in revisions.values_list("changes", flat=True):
        for path, _old, _new in merge.from_json(changes):
            out[path] = merge.value_at(evaluation.data, path)
    return out


def _conflicting_fields(
    evaluation: Evaluation,
    base_version: int,
    window: str,
    paths: list[merge.Path],
    data: dict[str, Any],
) -> list[ConflictingField]:
    """Each conflicting field with the latest other save after ``base_version`` that changed it."""
    from jixiao.evaluations.field_labels import describe_field

    later = Revision.objects.filter(evaluation=evaluation, version__gt=base_version)
    if window:
        later = later.exclude(window=window)
    revisions = list(later.select_related("saved_by").order_by("-version"))
    out = []
    for path in paths:
        last = next(
            (
                r
                for r in revisions
                if any(merge.overlaps(path, p) for p, _o, _n in merge.from_json(r.changes))
            ),
            None,
        )
        text = merge.path_text(path)
        out.append(
            ConflictingField(
                path=text,
                label=describe_field(text, data) or text,
                who=_person(last.saved_by) if last else _person(evaluation.updated_by),
                when=_when(last.saved_at if last else evaluation.updated_at),
            )
        )
    return out


def save_changes(
    *,
    user: User,
    evaluation_id: int,
    base_version: int,
    build: Callable[[dict[str, Any]], dict[str, Any]],
    summary: str = "",
    window: str = "",
) -> SaveOutcome:
    """Save what this user changed since ``base_version``, merged with what others saved since.

    ``build`` turns the content as it was at the base version into the content this user wants
    (a section's form written into it, or a whole document from the API). The fields where the
    two differ are this save's changes; a save without changes writes nothing (no version, no
    event). Others' saves since the base are kept: the save is refused (EvaluationConflict) only
    when one of them changed a field this save changes, to a different value. Row-locked, so two
    saves of one evaluation never interleave. ``window`` names the editing page: its own earlier
    saves since the base are not "others'" (the page shows what it saved).
    """
    with transaction.atomic():
        evaluation = _locked_for_edit(user=user, evaluation_id=evaluation_id)
        base = _base_data(evaluation, base_version)
        if base is None:
            raise EvaluationConflict(evaluation)
        # What belongs to the campaign, the organisation record or the reviewer is decided here,
        # for every path (ownership.ServerOwnedChange when the unit tried to change it).
        wanted = enforce_server_owned(evaluation=evaluation, data=build(copy.deepcopy(base)))
        # Values never stored, not even in a draft (scoring_bridge.Unstorable): every path.
        wanted = storable(stored=evaluation.data, data=wanted)
        mine = merge.changes(base, wanted)
        if not mine:
            return SaveOutcome(evaluation, (), ())
        current = evaluation.data
        theirs = _others_changes(evaluation, base_version, window) if base is not current else {}
        clashes = merge.conflicts(mine, theirs, wanted, current)
        if clashes:
            raise EvaluationConflict(
                evaluation, _conflicting_fields(evaluation, base_version, window, clashes, current)
            )
        try:
            data = merge.apply_changes(current, mine) if base is not current else wanted
        except ValueError:  # a changed row that is no longer there: never guess where it went
            raise EvaluationConflict(evaluation) from None
        written = merge.changes(current, data)
        if not written:  # others already saved exactly this
            return SaveOutcome(evaluation, (), tuple(theirs))
        _write(evaluation, current, data, written, user=user, window=window)
        if user.organisation_id == evaluation.unit_id and not User.organisation.is_cached(user):
            # A unit's own editor: the log's actor organisation is the unit already read.
            User.organisation.field.set_cached_value(user, evaluation.unit)
        _record_save(user, evaluation, list(written), summary)
        return SaveOutcome(evaluation, tuple(written), tuple(theirs))


def _write(
    evaluation: Evaluation,
    current: dict[str, Any],
    data: dict[str, Any],
    written: dict[merge.Path, Any],
    *,
    user: User | None,
    window: str = "",
) -> None:
    """Store ``data`` as the next version with its revision (under the caller's row lock)."""
    if not Revision.objects.filter(evaluation=evaluation, version=evaluation.version).exists():
        # Content stored without a revision (created, or saved before revisions existed):
        # anchor the chain here, so a window opened on this version can still be merged.
        Revision.objects.create(
            evaluation=evaluation,
            version=evaluation.version,
            changes=[],
            digest=_digest(current),
            saved_by=evaluation.updated_by,
            saved_at=evaluation.updated_at or timezone.now(),
        )
    evaluation.data = data
    evaluation.version += 1
    if user is not None:
        evaluation.updated_by = user
        if evaluation.first_saved_at is None:
            evaluation.first_saved_at = timezone.now()
    apply_score(evaluation)
    evaluation.save()
    Revision.objects.create(
        evaluation=evaluation,
        version=evaluation.version,
        changes=merge.to_json(written, current),
        digest=_digest(data),
        window=window[:32],
        saved_by=user,
        saved_at=evaluation.updated_at,
    )


def follow_targets_in_force(*, evaluation_id: int, actor: User | None = None) -> bool:
    """Bring an editable evaluation's bound targets to the approved version in force (a new
    version, recorded), e.g. when its entry page opens after an adjustment was approved, or when
    the declaration was approved after the task was created. True when something changed.

    A submitted or approved evaluation is left as it was submitted: the reviewer's comparison
    (bound_targets.target_comparison) shows it beside the version in force.
    """
    # Most pages open on an evaluation that already follows (or has nothing to follow): decided
    # without a lock; the row is locked only to write.
    seen = (
        Evaluation.objects.select_related("campaign__bureau", "unit", "project")
        .filter(pk=evaluation_id)
        .first()
    )
    if seen is None or not seen.is_editable:
        return False
    found = binding_for(seen)
    if found is None or not merge.changes(seen.data, apply_binding(seen.data, found)):
        return False
    with transaction.atomic():
        evaluation = (
            Evaluation.objects.select_for_update(of=("self",))
            .select_related("campaign__bureau", "unit", "project")
            .filter(pk=evaluation_id)
            .first()
        )
        if evaluation is None or not evaluation.is_editable:
            return False
        binding = binding_for(evaluation)
        if binding is None:
            return False
        current = evaluation.data
        data = apply_binding(current, binding)
        written = merge.changes(current, data)
        if not written:
            return False
        _write(evaluation, current, data, written, user=None)
        basis = binding.basis
        record_event(
            actor=actor,
            action="evaluation.targets_follow",
            target=evaluation,
            unit=evaluation.unit,
            summary=log_text(
                "{unit}的自评绩效目标已按批复的绩效目标更新（第 {version} 版）：{basis}",
                unit=evaluation.unit.name,
                version=evaluation.version,
                basis=basis_sentence(basis),
            ),
            details={
                "version": evaluation.version,
                "adjustment": basis.get("adjustment"),
                "sha256": basis.get("sha256"),
            },
        )
        return True


def follow_declaration(*, declaration_id: int, actor: User | None = None) -> list[int]:
    """Every editable year-end evaluation bound to this declaration follows its version in force:
    call after an adjustment is approved (jixiao.targets). Returns the ids that changed."""
    declaration = Evaluation.objects.select_related("campaign").filter(pk=declaration_id).first()
    if declaration is None:
        return []
    candidates = Evaluation.objects.filter(
        unit_id=declaration.unit_id,
        campaign__year=declaration.campaign.year,
        campaign__kind__in=YEAR_END_KINDS,
        status__in=(Status.DRAFT, Status.RETURNED),
    )
    if declaration.project_id is None:
        candidates = candidates.filter(campaign__kind="department")
    else:
        candidates = candidates.filter(project_id=declaration.project_id)
    return [
        pk
        for pk in candidates.values_list("pk", flat=True)
        if follow_targets_in_force(evaluation_id=pk, actor=actor)
    ]


def _record_save(
    user: User, evaluation: Evaluation, written: list[merge.Path], summary: str
) -> None:
    from jixiao.activity.services import record_event
    from jixiao.evaluations.field_labels import describe_field

    fields = [describe_field(merge.path_text(p), evaluation.data) for p in written]
    record_event(
        actor=user,
        action="evaluation.save",
        target=evaluation,
        summary=summary
        or _("保存了{unit}的自评（第 {version} 版，{n} 处修改）").format(
            unit=evaluation.unit.name, version=evaluation.version, n=len(written)
        ),
        details={"version": evaluation.version, "fields": fields[:50]},
    )


def save_evaluation_data(
    *, user: User, evaluation_id: int, expected_version: int, data: dict[str, Any]
) -> Evaluation:
    """Save ``data`` as the whole content, based on ``expected_version`` (merged with others' saves
    since, refused on a clash: see save_changes). Returns the evaluation as stored."""
    return save_changes(
        user=user,
        evaluation_id=evaluation_id,
        base_version=expected_version,
        build=lambda _base: data,
    ).evaluation


def update_section(
    *, user: User, evaluation_id: int, expected_version: int, section: str, value: Any
) -> Evaluation:
    """Replace one top-level part of the content (e.g. ``targets``, ``budget``) and save."""

    def build(base: dict[str, Any]) -> dict[str, Any]:
        base[section] = value
        return base

    return save_changes(
        user=user, evaluation_id=evaluation_id, base_version=expected_version, build=build
    ).evaluation


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
    if campaign.kind == "targets":
        # 绩效目标申报: a 部门整体 declaration per unit and one per registered project.
        from jixiao.targets.declarations import create_declaration_tasks

        return create_declaration_tasks(user=user, campaign=campaign, units=list(units))
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
        # Approved targets for the year (绩效目标申报) replace last year's: bound, server-owned.
        evaluation.data = apply_binding(evaluation.data, binding_for(evaluation))
        apply_score(evaluation)
        evaluation.save()
        created.append(evaluation)
    return created


def create_project_tasks(
    *, user: User, campaign: Campaign, projects: Iterable[Project]
) -> list[Evaluation]:
    """One prefilled task per registered project (项目库, #10.1): a unit with 15 projects in scope
    gets 15. Skips projects that already have a task in the campaign. The task's project name is the
    project's, with its code added when the unit has two projects of the same name."""
    from jixiao.projects.prefill import apply_register

    if not user.is_bureau_user:
        raise PermissionError(_("只有财政局可以下达自评任务"))
    existing = set(
        Evaluation.objects.filter(campaign=campaign, project__isnull=False).values_list(
            "project_id", flat=True
        )
    )
    names = set(Evaluation.objects.filter(campaign=campaign).values_list("unit_id", "project_name"))
    created = []
    for project in projects:
        unit = project.unit
        if project.pk in existing or unit.kind != OrganisationKind.UNIT:
            continue
        name = project.name
        if (unit.pk, name) in names:
            suffix = f"（{project.code}）"
            name = project.name[: 200 - len(suffix)] + suffix
        previous = previous_evaluation(campaign=campaign, unit=unit, project_name=project.name)
        data = prefill_data(campaign=campaign, unit=unit, previous=previous, project_name=name)
        evaluation = Evaluation(
            campaign=campaign,
            unit=unit,
            project=project,
            project_name=name,
            status=Status.DRAFT,
            ruleset_ref=campaign.ruleset_ref,
            data=apply_register(data, project),
        )
        # The project's approved targets for the year (绩效目标申报), bound and server-owned.
        evaluation.data = apply_binding(evaluation.data, binding_for(evaluation))
        apply_score(evaluation)
        evaluation.save()
        existing.add(project.pk)
        names.add((unit.pk, name))
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
    from django.conf import settings

    from jixiao.evaluations.evidence_checks import check_evidence_content

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
    # the first bytes only name a claim: parse or decode the file before storing it
    check_evidence_content(kind, upload)
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
    record_event(
        actor=user,
        action="evidence.upload",
        target=evidence,
        unit=evaluation.unit,
        summary=log_text(
            "上传佐证材料：{name}（{evaluation}，指标 {code}）",
            name=evidence.original_name,
            evaluation=evaluation,
            code=indicator_code,
        ),
        details={
            "evaluation": evaluation.pk,
            "indicator": indicator_code,
            "size": evidence.size,
            "sha256": evidence.sha256,
        },
    )
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
    evaluation = _locked_for_edit(user=user, evaluation_id=evidence.evaluation_id)
    name = evidence.file.name
    storage = evidence.file.storage
    record_event(
        actor=user,
        action="evidence.delete",
        target=evidence,
        unit=evaluation.unit,
        summary=log_text(
            "删除佐证材料：{name}（{evaluation}，指标 {code}）",
            name=evidence.original_name,
            evaluation=evaluation,
            code=evidence.indicator_code,
        ),
        details={
            "evaluation": evaluation.pk,
            "indicator": evidence.indicator_code,
            "size": evidence.size,
            "sha256": evidence.sha256,
        },
    )
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
