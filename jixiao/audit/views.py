"""报告审查 in the web system: reviewers upload reports and read the findings per file; a unit
imports last year's report into its evaluation, confirming each extracted field.

Thin views over the jixiao.audit Python API (audit_bytes, the prefill it returns) and the
evaluations' selectors and services; the confirmed fields are written by save_evaluation_data with
the version the user saw, so a colleague's newer save is never overwritten.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from jixiao.audit import UnreadableReport
from jixiao.audit.findings import SEVERITIES, SEVERITY_LABELS, code_name
from jixiao.audit.forms import (
    AuditUploadForm,
    PrefillConfirmForm,
    PrefillUploadForm,
)
from jixiao.audit.isolated import AuditFailed, audit_isolated
from jixiao.audit.limits import AuditBudget
from jixiao.audit.models import AuditedFile
from jixiao.audit.selectors import (
    ResultFilters,
    get_result,
    job_file_page,
    job_totals,
    result_page,
)
from jixiao.audit.services import (
    CAMPAIGN_KIND,
    NothingToAudit,
    ReauditRefused,
    request_campaign_audit,
    request_one_evaluation_audit,
    request_reaudit,
    request_upload_audit,
)
from jixiao.audit.services import KIND as AUDIT_KIND
from jixiao.audit.summary import (
    SUMMARY_INLINE_FILES,
    location_text,
    request_summary_export,
    summary_workbook_of,
)
from jixiao.campaigns.rulesets import available_rulesets
from jixiao.evaluations.bound_targets import is_bound_path
from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.ownership import ServerOwnedChange, is_server_owned
from jixiao.evaluations.selectors import get_evaluation
from jixiao.evaluations.services import EvaluationConflict, NotEditable, save_evaluation_data
from jixiao.jobs.models import Job
from jixiao.jobs.selectors import job_for, jobs_visible_to
from jixiao.jobs.services import sweep_stale_jobs
from jixiao.organisations.models import UNIT_ROLES, Role, User
from jixiao.web.bounded_numbers import query_id

logger = logging.getLogger(__name__)

REVIEWER_ROLES = frozenset({Role.DEPARTMENT_REVIEWER, Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})
# One file the user waits for (从上年报告预填): audited in the same resource-limited child as the
# 报告审查 job, with a budget small enough for a request to wait on.
PREFILL_BUDGET = AuditBudget(cpu_seconds=10, wall_seconds=25)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required let only signed-in users through
    return user


# --- 报告审查: upload, then the job's findings per file ------------------------------------------


def _reviewer(request: HttpRequest) -> User:
    user = _user(request)
    if user.role not in REVIEWER_ROLES:
        raise Http404
    return user


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """审查自评报告: bureau and department reviewers upload one or many reports.

    The files are stored and audited by a background job (jixiao.audit.jobs), each in a
    resource-limited child process; the page it redirects to shows the progress and findings.
    """
    user = _reviewer(request)
    rulesets = available_rulesets()
    if request.method == "POST":
        form = AuditUploadForm(request.POST, request.FILES, rulesets=rulesets)
        if form.is_valid():
            job = request_upload_audit(
                user=user,
                uploads=form.cleaned_data["reports"],
                ruleset=form.cleaned_data["ruleset"],
                again=request.POST.get("again") == "1",
            )
            return redirect("audit_web:job", job_id=job.pk)
    else:
        form = AuditUploadForm(rulesets=rulesets)
    recent = list(jobs_visible_to(user=user).filter(kind__in=AUDIT_KINDS)[:RECENT_JOBS])
    return render(request, "audit_web/upload.html", {"form": form, "recent": recent})


RECENT_JOBS = 10
AUDIT_KINDS = (AUDIT_KIND, CAMPAIGN_KIND)


def _audit_job(request: HttpRequest, job_id: int) -> tuple[User, Job]:
    user = _reviewer(request)
    job = job_for(user=user, job_id=job_id)
    if job.kind not in AUDIT_KINDS:
        raise Http404
    return user, job


@dataclass
class FileView:
    """One audited file as the page shows it: findings sorted, codes turned into descriptions."""

    row: AuditedFile
    findings: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        order = {s: i for i, s in enumerate(SEVERITIES)}
        # Each finding keeps its stored position: a 整改任务 raised from it names it by that.
        findings = sorted(
            (dict(f, index=i) for i, f in enumerate(self.row.findings)),
            key=lambda f: (
                order.get(f["severity"], 3),
                (f.get("location") or {}).get("page") or 0,
                (f.get("location") or {}).get("line") or 0,
            ),
        )
        self.findings = [
            {
                "severity": f["severity"],
                "kind": _(code_name(f["code"])),
                "message": f["message"],
                "quote": f.get("quote", ""),
                "location": location_text(f.get("location") or {}),
                "ref": f"{self.row.pk}:{f['index']}",  # names it for a 整改任务
            }
            for f in findings
        ]


def _results_context(request: HttpRequest, job: Job) -> dict[str, Any]:
    """The job's totals (one aggregate over all its files) and one page of its files' cards."""
    page = job_file_page(job=job, cursor=request.GET.get("after") or None)
    totals = job_totals(job=job)
    return {
        "job": job,
        "files": [FileView(row) for row in page.rows],
        "page": page,
        "first_number": _first_number(page),
        "last_number": page.rows[-1].position + 1 if page.rows else 0,
        "totals": totals,
        "unreadable": totals["unreadable"],
        "with_errors": totals["with_errors"],
        "pending": totals["pending"],
        "severity_labels": SEVERITY_LABELS,
        "after_query": urlencode({"after": page.cursor}) if page.cursor else "",
        "next_query": urlencode({"after": page.next_cursor}) if page.next_cursor else "",
    }


def _first_number(page: Any) -> int:
    """The 1-based number of the page's first file in the job (its position is 0-based)."""
    return page.rows[0].position + 1 if page.rows else 1


@login_required
def job(request: HttpRequest, job_id: int) -> HttpResponse:
    """One upload's audit: the job's progress and, file by file as they finish, the findings."""
    sweep_stale_jobs()  # a job whose runner died says so
    audit_job = _audit_job(request, job_id)[1]
    return render(request, "audit_web/job.html", _results_context(request, audit_job))


@login_required
def job_results(request: HttpRequest, job_id: int) -> HttpResponse:
    """The findings alone, polled by htmx until the job ends."""
    audit_job = _audit_job(request, job_id)[1]
    return render(request, "audit_web/_results.html", _results_context(request, audit_job))


@login_required
def summary(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job's findings as the batch auditor's workbook (汇总 + 全部问题): built here for a
    few files, by a background job for more (its page offers the file)."""
    user, audit_job = _audit_job(request, job_id)
    finished = AuditedFile.objects.filter(job=audit_job).exclude(status=AuditedFile.Status.QUEUED)
    if not finished.exists():
        raise Http404
    if finished[: SUMMARY_INLINE_FILES + 1].count() > SUMMARY_INLINE_FILES:
        export = request_summary_export(user=user, audit_job=audit_job)
        messages.info(request, _("文件较多，汇总表在后台生成，完成后可在本页下载。"))
        return redirect("jobs:detail", job_id=export.pk)
    response = HttpResponse(
        summary_workbook_of(audit_job),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = quote(_("报告审查汇总") + ".xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# --- 审查结果: every stored result, filtered, one keyset page at a time ---------------------------


@login_required
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    """审查结果: every audit result the reviewer may see, newest first, filtered and searched."""
    from jixiao.campaigns.selectors import campaigns_visible_to
    from jixiao.organisations.selectors import units_visible_to

    user = _reviewer(request)
    filters = ResultFilters.from_query(request.GET)
    page = result_page(user=user, filters=filters, after=query_id(request.GET.get("after")))
    query = filters.as_query()
    labels = dict(AuditedFile.Level.choices)
    for row in page.rows:
        row["level_label"] = labels.get(row["level"], "")
    # The unit filter is kept as chosen (a link from a unit's pages names it), never offered as
    # a list of every unit (50,000 options in a province): the search box finds a unit by name.
    chosen_unit = (
        units_visible_to(user=user).filter(pk=filters.unit).first() if filters.unit else None
    )
    return render(
        request,
        "audit_web/results.html",
        {
            "page": page,
            "filters": filters,
            "levels": AuditedFile.Level.choices,
            "chosen_unit": chosen_unit,
            "without_unit": urlencode({k: v for k, v in query.items() if k != "unit"}),
            "campaigns": list(
                campaigns_visible_to(user=user)
                .order_by("-year", "title")
                .values_list("pk", "title")
            ),
            "query": urlencode(query),
            "next_query": urlencode({**query, "after": page.next_after}) if page.next_after else "",
        },
    )


@login_required
@require_GET
def result(request: HttpRequest, result_id: int) -> HttpResponse:
    """One audit result: who audited which file when, what was read (with quotes), the findings."""
    user = _reviewer(request)
    row = get_result(user=user, result_id=result_id)
    fields = (row.extracted or {}).get("fields") or {}
    extracted = [
        {
            "label": path_label(path),
            "value": _display(source.get("value")),
            "quote": source.get("quote", ""),
            "where": location_text(source.get("location") or {}),
        }
        for path, source in fields.items()
        if isinstance(source, dict)
    ]
    return render(
        request,
        "audit_web/result.html",
        {
            "r": row,
            "file": FileView(row),
            "extracted": extracted,
            "can_reaudit": bool(row.upload) or row.evaluation_id is not None,
            "own_job": row.requested_by_id == user.pk
            and row.organisation_id == user.organisation_id,
        },
    )


@login_required
@require_POST
def reaudit(request: HttpRequest, result_id: int) -> HttpResponse:
    """重新审查: the result's file (or evaluation) is audited again as a new job."""
    user = _reviewer(request)
    row = get_result(user=user, result_id=result_id)
    try:
        job = request_reaudit(user=user, row=row)
    except ReauditRefused as exc:
        messages.error(request, exc.reason)
        return redirect("audit_web:result", result_id=row.pk)
    return redirect("audit_web:job", job_id=job.pk)


@login_required
@require_POST
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """审查全部已提交: audit each submitted evaluation's own report of the campaign (the user's
    scope) as one background job; its page shows the progress and the findings."""
    from jixiao.campaigns.selectors import get_campaign

    user = _reviewer(request)
    chosen = get_campaign(user=user, campaign_id=campaign_id)
    try:
        job = request_campaign_audit(user=user, campaign=chosen)
    except NothingToAudit:
        messages.error(request, _("本工作范围内还没有已报送的自评"))
        return redirect("campaigns:detail", campaign_id=chosen.pk)
    messages.success(request, _("已开始审查，本页显示进度与每份报告的审查结果。"))
    return redirect("audit_web:job", job_id=job.pk)


@login_required
@require_POST
def evaluation(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """审查本报告: audit one handed-in evaluation's own report from its page, as a job."""
    user = _reviewer(request)
    chosen = get_evaluation(user=user, evaluation_id=evaluation_id)
    try:
        job = request_one_evaluation_audit(user=user, evaluation=chosen)
    except NothingToAudit:
        messages.error(request, _("只有已报送的自评可以审查"))
        return redirect(_evaluation_url(chosen))
    return redirect("audit_web:job", job_id=job.pk)


# --- 从上年报告预填: prefill an evaluation from a report ----------------------------------------

# Set by the campaign when the task is created (jixiao.evaluations.services.prefill_data): shown
# for comparison, never imported from last year's report.
CAMPAIGN_OWNED = ("kind", "ruleset", "year", "filled_on", "notice")

SECTION_OF = {
    "unit": gettext_lazy("单位基本情况"),
    "key_tasks": gettext_lazy("年度重点工作"),
    "targets": gettext_lazy("绩效目标及完成情况"),
    "budget": gettext_lazy("部门整体支出情况"),
    "group": gettext_lazy("自评工作开展情况"),
    "process": gettext_lazy("自评工作开展情况"),
    "submission_quality": gettext_lazy("自评工作开展情况"),
    "submission_consistency": gettext_lazy("自评工作开展情况"),
    "result_statement": gettext_lazy("绩效自评情况"),
    "analyses": gettext_lazy("绩效指标分析"),
    "practices": gettext_lazy("主要做法和经验"),
    "problems": gettext_lazy("存在问题和改进措施"),
    "improvements": gettext_lazy("存在问题和改进措施"),
    "other": gettext_lazy("其他自评情况"),
    "project": gettext_lazy("项目"),
}
CAMPAIGN_SECTION = gettext_lazy("封面与通知（由自评工作确定，不导入）")

LABELS = {
    "kind": gettext_lazy("自评类型"),
    "ruleset": gettext_lazy("评分规则集"),
    "year": gettext_lazy("评价年度"),
    "filled_on": gettext_lazy("填报日期"),
    "notice.title": gettext_lazy("通知名称"),
    "notice.number": gettext_lazy("通知文号"),
    "notice.issuer": gettext_lazy("发文单位"),
    "unit.name": gettext_lazy("单位名称"),
    "unit.short_name": gettext_lazy("自称"),
    "unit.unit_type": gettext_lazy("单位类型"),
    "unit.supervisor": gettext_lazy("主管部门"),
    "unit.staffing_quota": gettext_lazy("编制数"),
    "unit.staff_actual": gettext_lazy("实有人数"),
    "unit.retired": gettext_lazy("离退休人数"),
    "unit.temporary": gettext_lazy("临时聘用人数"),
    "unit.functions": gettext_lazy("主要职能"),
    "key_tasks.title": gettext_lazy("重点工作"),
    "key_tasks.detail": gettext_lazy("重点工作说明"),
    "targets.code": gettext_lazy("编号"),
    "targets.name": gettext_lazy("指标名称"),
    "targets.unit": gettext_lazy("计量单位"),
    "targets.target": gettext_lazy("年度指标值"),
    "targets.actual": gettext_lazy("实际完成值"),
    "targets.explanation": gettext_lazy("偏差原因分析"),
    "budget.rows.source": gettext_lazy("资金来源"),
    "budget.rows.initial": gettext_lazy("年初预算数（万元）"),
    "budget.rows.full_year": gettext_lazy("全年预算数（万元）"),
    "budget.rows.executed": gettext_lazy("全年执行数（万元）"),
    "budget.change_reason": gettext_lazy("预算调整/支出变动原因"),
    "budget.execution_explanation": gettext_lazy("执行率偏低的原因"),
    "group.basis": gettext_lazy("评价依据"),
    "group.description": gettext_lazy("评价小组"),
    "process": gettext_lazy("自评工作过程"),
    "submission_quality": gettext_lazy("报送时间及质量"),
    "submission_consistency": gettext_lazy("报送与公开一致情况"),
    "result_statement": gettext_lazy("自评结果说明"),
    "analyses.title": gettext_lazy("分析维度"),
    "analyses.text": gettext_lazy("分析内容"),
    "practices.title": gettext_lazy("做法"),
    "practices.text": gettext_lazy("做法说明"),
    "problems": gettext_lazy("存在问题"),
    "improvements": gettext_lazy("改进措施"),
    "other": gettext_lazy("其他自评情况"),
    "project.name": gettext_lazy("项目名称"),
    "project.implementing_unit": gettext_lazy("实施单位"),
}
CONFIDENCE_LABELS = {
    "high": gettext_lazy("高"),
    "medium": gettext_lazy("中"),
    "low": gettext_lazy("低"),
}


def path_label(path: str) -> str:
    """``targets.1.actual`` → 第 2 项 实际完成值 (the numbers users see count from 1)."""
    keys = path.split(".")
    numbers = [int(k) + 1 for k in keys if k.isdigit()]
    name = ".".join(k for k in keys if not k.isdigit())
    label = str(LABELS.get(name, name))
    if numbers:
        return _("第 {n} 项 · {label}").format(n=numbers[0], label=label)
    return label


def is_campaign_owned(path: str) -> bool:
    # The unit's identity and review deductions are server-owned too (one list for every path:
    # jixiao.evaluations.ownership); the save would refuse them.
    return path.split(".", 1)[0] in CAMPAIGN_OWNED or is_server_owned(path)


def _sort_key(path: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(k)) if k.isdigit() else (1, k) for k in path.split("."))


def value_at(data: Any, path: str) -> Any:
    """The value at a dotted path (list indices as numbers), or None when there is none."""
    node = data
    for key in path.split("."):
        if isinstance(node, list) and key.isdigit():
            index = int(key)
            node = node[index] if index < len(node) else None
        elif isinstance(node, dict):
            node = node.get(key)
        else:
            return None
    return node


def _assign(node: Any, key: str, value: Any) -> None:
    if isinstance(node, list):
        index = int(key)
        while len(node) <= index:
            node.append(None)
        node[index] = value
    else:
        node[key] = value


def _set(node: Any, keys: list[str], value: Any) -> None:
    key = keys[0]
    if len(keys) == 1:
        _assign(node, key, value)
        return
    child = value_at(node, key)
    wanted: type = list if keys[1].isdigit() else dict
    if not isinstance(child, wanted):
        child = wanted()
        _assign(node, key, child)
    _set(child, keys[1:], value)


def _compact(node: Any) -> Any:
    # A ticked 3rd item without the 2nd leaves a hole; the saved lists have none.
    if isinstance(node, list):
        return [_compact(item) for item in node if item is not None]
    if isinstance(node, dict):
        return {key: _compact(value) for key, value in node.items()}
    return node


def apply_values(data: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` with each dotted path set to its value (lists grow as needed)."""
    result = copy.deepcopy(data)
    for path in sorted(values, key=_sort_key):
        _set(result, path.split("."), values[path])
    compacted: dict[str, Any] = _compact(result)
    return compacted


# Rows of these lists are matched to the evaluation's rows by this key, not by position: last
# year's report may list its targets in another order, or new ones.
MATCHED_LISTS = {"targets": "name", "key_tasks": "title", "analyses": "title", "practices": "title"}


def localise(fields: dict[str, Any], current: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The report's fields keyed by where they go in ``current``: a target (task, analysis,
    practice) of the same name goes to that row, any other to a new row after the last one.
    Target codes are the evaluation's own (new rows get fresh ones on import), so they are
    not offered."""
    row_maps: dict[str, dict[str, str]] = {}
    for list_key, match_key in MATCHED_LISTS.items():
        rows = current.get(list_key) or []
        existing = {
            str(row.get(match_key, "")).strip(): str(i)
            for i, row in enumerate(rows)
            if isinstance(row, dict) and row.get(match_key)
        }
        indices = sorted({int(p.split(".")[1]) for p in fields if p.startswith(f"{list_key}.")})
        mapping: dict[str, str] = {}
        following = len(rows)
        for index in indices:
            name = str(
                (fields.get(f"{list_key}.{index}.{match_key}") or {}).get("value", "")
            ).strip()
            if name and name in existing:
                mapping[str(index)] = existing[name]
            else:
                mapping[str(index)] = str(following)
                following += 1
        row_maps[list_key] = mapping
    localised: dict[str, dict[str, Any]] = {}
    for path, source in fields.items():
        keys = path.split(".")
        if keys[0] in row_maps and len(keys) > 2:
            if keys[0] == "targets" and keys[2] == "code":
                continue
            keys[1] = row_maps[keys[0]].get(keys[1], keys[1])
        localised[".".join(keys)] = source
    return localised


def complete_new_targets(data: dict[str, Any]) -> dict[str, Any]:
    """Give imported targets without a code a fresh one (T…), and the scoring node most of the
    unit's targets sit under, so a new row is scored like the others until the user changes it."""
    targets = [t for t in data.get("targets") or [] if isinstance(t, dict)]
    codes = {str(t.get("code")) for t in targets if t.get("code")}
    parents = [t.get("parent") for t in targets if t.get("parent")]
    usual_parent = max(set(parents), key=parents.count) if parents else None
    number = 1
    for target in targets:
        if target.get("code"):
            continue
        while f"T{number}" in codes:
            number += 1
        target["code"] = f"T{number}"
        codes.add(target["code"])
        if usual_parent and not target.get("parent"):
            target["parent"] = usual_parent
    return data


def editable_evaluation(*, user: User, evaluation_id: int) -> Evaluation:
    """The user's own unit's evaluation, while it may be edited; 404 for anything else."""
    if user.role not in UNIT_ROLES:
        raise Http404
    evaluation = get_evaluation(user=user, evaluation_id=evaluation_id)
    if not evaluation.is_editable:
        raise Http404
    return evaluation


def _session_key(evaluation_id: int) -> str:
    return f"audit_prefill:{evaluation_id}"


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def prefill_groups(pending: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """The confirmation table: one row per extracted field, grouped by report section."""
    groups: dict[str, dict[str, Any]] = {}
    fields = localise(pending["fields"], current)
    for path in fields:  # the order the report states them in
        source = fields[path]
        owned = is_campaign_owned(path) or is_bound_path(path, current)
        section = str(CAMPAIGN_SECTION if owned else SECTION_OF.get(path.split(".")[0], path))
        now = value_at(current, path)
        location = source.get("location") or {}
        where = "".join(
            part
            for part in (
                _("第 {n} 页").format(n=location["page"]) if location.get("page") else "",
                _("第 {n} 行").format(n=location["line"]) if location.get("line") else "",
            )
        )
        groups.setdefault(section, {"title": section, "rows": []})["rows"].append(
            {
                "path": path,
                "label": path_label(path),
                "value": _display(source["value"]),
                "current": _display(now),
                "same": str(now) == str(source["value"]) if now is not None else False,
                "confidence": source.get("confidence", "low"),
                "confidence_label": CONFIDENCE_LABELS.get(source.get("confidence", "low"), ""),
                "quote": source.get("quote", ""),
                "where": where,
                "note": source.get("note", ""),
                "importable": not owned,
            }
        )
    # Report order (SECTION_OF lists the parts as the report does), the campaign's fields last.
    order = [str(v) for v in dict.fromkeys(SECTION_OF.values())] + [str(CAMPAIGN_SECTION)]
    return sorted(
        groups.values(),
        key=lambda g: order.index(g["title"]) if g["title"] in order else len(order) - 1,
    )


def _evaluation_url(evaluation: Evaluation) -> str:
    try:
        return reverse("evaluations:detail", args=[evaluation.pk])
    except NoReverseMatch:  # the evaluations pages are not installed in this deployment
        return reverse("audit_web:prefill", args=[evaluation.pk])


@login_required
def prefill(request: HttpRequest, pk: int) -> HttpResponse:
    """从上年报告预填: upload a report, confirm field by field, save with the version seen."""
    user = _user(request)
    evaluation = editable_evaluation(user=user, evaluation_id=pk)
    key = _session_key(evaluation.pk)
    pending: dict[str, Any] | None = request.session.get(key)
    upload_form = PrefillUploadForm()
    confirm_form: PrefillConfirmForm | None = None
    checked: set[str] = set()
    action = request.POST.get("action", "")

    if request.method == "POST" and action == "upload":
        upload_form = PrefillUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            try:
                report = audit_isolated(upload.read(), upload.name, budget=PREFILL_BUDGET)
            except UnreadableReport as exc:
                upload_form.add_error("file", exc.reason)
            except AuditFailed as exc:
                logger.error("prefill audit of %s failed: %s", upload.name, exc)
                upload_form.add_error("file", _("审查时出错，无法读取该文件"))
            else:
                fields = report.prefill.get("fields", {})
                if not fields:
                    upload_form.add_error("file", _("没有从该文件中读出可导入的内容"))
                else:
                    request.session[key] = {
                        "source": upload.name,
                        "fields": fields,
                        "claims": report.prefill.get("claims", {}),
                        "errors": len(report.errors),  # the child's report, counted here
                        "warnings": len(report.warnings),
                    }
                    return redirect("audit_web:prefill", pk=evaluation.pk)
    elif request.method == "POST" and action == "discard":
        request.session.pop(key, None)
        return redirect("audit_web:prefill", pk=evaluation.pk)
    elif request.method == "POST" and action == "apply":
        if pending is None:
            messages.error(request, _("预填内容已失效，请重新上传报告"))
            return redirect("audit_web:prefill", pk=evaluation.pk)
        fields = localise(pending["fields"], evaluation.data)
        offered = [
            p for p in fields if not is_campaign_owned(p) and not is_bound_path(p, evaluation.data)
        ]
        confirm_form = PrefillConfirmForm(request.POST, offered=offered)
        checked = set(request.POST.getlist("apply"))
        if confirm_form.is_valid():
            chosen = confirm_form.cleaned_data["apply"]
            values = {path: fields[path]["value"] for path in chosen}
            try:
                saved = save_evaluation_data(
                    user=user,
                    evaluation_id=evaluation.pk,
                    expected_version=confirm_form.cleaned_data["version"],
                    data=complete_new_targets(apply_values(evaluation.data, values)),
                )
            except (EvaluationConflict, NotEditable, PermissionError, ServerOwnedChange) as exc:
                confirm_form.add_error(None, str(exc))
                # Show what is saved now, with the user's ticks kept: confirming again then
                # builds on the newest version.
                evaluation = get_evaluation(user=user, evaluation_id=evaluation.pk)
            else:
                request.session.pop(key, None)
                messages.success(
                    request,
                    _("已从“{source}”导入 {n} 项内容（第 {version} 版），请逐节核对。").format(
                        source=pending["source"], n=len(chosen), version=saved.version
                    ),
                )
                return redirect(_evaluation_url(saved))

    version = evaluation.version
    return render(
        request,
        "audit_web/prefill.html",
        {
            "evaluation": evaluation,
            "upload_form": upload_form,
            "pending": pending,
            "groups": prefill_groups(pending, evaluation.data) if pending else [],
            "checked": checked,
            "confirm_errors": confirm_form.non_field_errors() if confirm_form else [],
            "apply_errors": confirm_form.errors.get("apply", []) if confirm_form else [],
            "version": version,
            "evaluation_url": _evaluation_url(evaluation),
        },
    )
