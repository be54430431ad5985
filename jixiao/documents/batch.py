"""批量生成: the report packages of many evaluations in one ZIP, built as a background job.

``request_packages`` scopes the request when it is made (the job keeps only the ids the user may see)
and creates a ``documents.package`` job (jixiao.jobs). The handler ``build_packages`` cuts the batch
into parts (per department when large) and renders one evaluation at a time into the part's ZIP,
written to a temporary file (never a whole ZIP in memory); it counts each evaluation as done or failed
with its reason, and stores the ZIPs through Django's storage.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from jixiao.documents.package import parse_formats, render_package
from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.scoring_bridge import score_data
from jixiao.evaluations.selectors import evaluations_visible_to
from jixiao.jobs.models import Job, JobPart
from jixiao.jobs.parts import PartProgress, chunked, part_worker, plan_parts, run_parts
from jixiao.jobs.progress import JobFailed, JobProgress
from jixiao.jobs.registry import job_handler
from jixiao.jobs.services import create_job
from jixiao.organisations.models import User

logger = logging.getLogger(__name__)

KIND = "documents.package"
PROBLEMS_FILE = "未能生成的自评.txt"
INDEX_FILE = "索引.csv"
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def request_packages(
    *, user: User, evaluation_ids: Iterable[int], title: str, formats: str = "docx,pdf,xlsx"
) -> Job:
    """Queue a job for the evaluations among ``evaluation_ids`` that ``user`` may see."""
    parse_formats(formats)  # refuse unknown formats now, not in the worker
    wanted = set(evaluation_ids)
    visible = sorted(
        evaluations_visible_to(user=user).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    return create_job(
        kind=KIND,
        title=title,
        requested_by=user,
        params={"evaluation_ids": visible, "formats": formats},
        total=len(visible),
    )


def item_name(evaluation: Evaluation) -> str:
    """What the ZIP folder and the failure list call one evaluation: the unit (and the project).

    The year is the campaign's and is in the ZIP's name already; it is not repeated per folder.
    """
    name = evaluation.unit.name
    if evaluation.project_name:
        name += f" {evaluation.project_name}"
    return name


def _folder(name: str, used: set[str]) -> str:
    base = _UNSAFE.sub("_", name).strip("_.") or "自评"
    folder, n = base, 2
    while folder in used:  # two evaluations with the same name never share a folder
        folder, n = f"{base}_{n}", n + 1
    used.add(folder)
    return folder


@job_handler(KIND)
def build_packages(job: Job, progress: JobProgress) -> None:
    """Render every evaluation of the job, one folder per evaluation, in parts (jixiao.jobs.parts).

    Up to ``JIXIAO_BATCH_PART_UNITS`` evaluations make one part and the result is its ZIP; a larger
    batch is split per department (每个主管部门一个 ZIP, cut again when a department is larger) and the
    result is a ZIP of those ZIPs with an index. A part done is never redone by a retry; several
    Celery workers share the parts. An evaluation that does not validate, or whose rendering fails,
    is a failed item with its reason; the others are still packaged.
    """
    parse_formats(job.params.get("formats", "docx,pdf,xlsx"))
    if job.requested_by is None:
        raise JobFailed(_("发起人的账号已不存在，无法确定可生成的范围"))
    ids = list(job.params.get("evaluation_ids", []))
    progress.set_total(len(ids))
    plan_parts(job, _slices(job.requested_by, ids))
    parts = run_parts(job, progress)
    if not progress.done:
        return
    if len(parts) == 1:
        with parts[0].file.open("rb") as only:
            progress.save_result(f"{job.title}.zip", only)
        return
    with tempfile.TemporaryFile(suffix=".zip") as spool:
        _bundle(parts, spool)
        spool.seek(0)
        progress.save_result(f"{job.title}.zip", spool)


def _slices(user: User, ids: list[int]) -> list[tuple[str, list[int]]]:
    """The evaluations in department and unit order, cut per department when the batch is large."""
    rows = list(
        evaluations_visible_to(user=user)
        .filter(pk__in=ids)
        .order_by("unit__parent__name", "unit__name", "project_name", "pk")
        .values_list("pk", "unit__parent__name")
    )
    gone = sorted(set(ids) - {pk for pk, _department in rows})
    size = settings.JIXIAO_BATCH_PART_UNITS
    if len(ids) <= size:
        return [(_("全部"), [pk for pk, _department in rows] + gone)]
    groups: dict[str, list[int]] = {}
    for pk, department in rows:
        groups.setdefault(department or _("其他单位"), []).append(pk)
    if gone:
        groups[_("已失效的自评")] = gone
    return chunked(groups.items(), size, more=_("{label}（{n}）"))


def _bundle(parts: list[JobPart], spool: IO[bytes]) -> None:
    """One ZIP (stored, not compressed again) of the parts' ZIPs, with 索引.csv."""
    used: set[str] = set()
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow([_("文件"), _("成功"), _("失败")])
    problems: list[str] = []
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for part in parts:
            problems += [f"{f['item']}：{f['reason']}" for f in part.failures]
            if not part.done_count:
                continue
            name = _folder(part.label, used) + ".zip"
            with part.file.open("rb") as src, archive.open(name, "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
            writer.writerow([name, part.done_count, len(part.failures)])
        archive.writestr(INDEX_FILE, "\ufeff" + index.getvalue())  # BOM: Excel reads it as UTF-8
        if problems:
            archive.writestr(PROBLEMS_FILE, "\n".join(problems) + "\n")


@part_worker(KIND)
def package_part(job: Job, part: JobPart, progress: PartProgress, spool: IO[bytes]) -> None:
    """One part's ZIP: each evaluation's documents written into it and dropped before the next."""
    assert job.requested_by is not None
    formats = parse_formats(job.params.get("formats", "docx,pdf,xlsx"))
    # The scope is checked again now: access lost since the request is access lost.
    evaluations = (
        evaluations_visible_to(user=job.requested_by)
        .filter(pk__in=part.items)
        .select_related("unit", "campaign")
        .order_by("unit__name", "project_name", "pk")
    )
    used: set[str] = set()
    problems: list[str] = []
    seen = 0
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for evaluation in evaluations.iterator(chunk_size=50):
            seen += 1
            name = item_name(evaluation)
            reason = _package_into(archive, evaluation, _folder(name, used), formats)
            if reason is None:
                progress.item_done()
            else:
                problems.append(f"{name}：{reason}")
                progress.item_failed(name, reason)
        for _missing in range(len(part.items) - seen):
            reason = _("已不在您的查看范围内，或已被删除")
            problems.append(reason)
            progress.item_failed(_("（编号已失效的自评）"), reason)
        if problems:
            archive.writestr(PROBLEMS_FILE, "\n".join(problems) + "\n")


def _package_into(
    archive: zipfile.ZipFile, evaluation: Evaluation, folder: str, formats: tuple[str, ...]
) -> str | None:
    """Write one evaluation's files under ``folder``; the reason it could not, or None."""
    scored = score_data(evaluation.data)
    if scored.evaluation is None or scored.result is None:
        return "；".join(scored.problems) or _("自评内容无法评分")
    try:
        files = render_package(scored.evaluation, scored.result, formats, ruleset=scored.ruleset)
    except Exception as exc:  # one unit's renderer failure must not stop the batch
        logger.exception("package of evaluation %s failed", evaluation.pk)
        return _("生成文件出错（{error}）").format(error=type(exc).__name__)
    for filename, content in files.items():
        archive.writestr(f"{folder}/{filename}", content)
    return None
