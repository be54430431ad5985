"""批量生成: build the report packages of many evaluations into one ZIP, in the background.

The request is scoped when it is made (``request_packages``): the job keeps only the ids the user
may see. The Celery task (``jixiao.documents.tasks.build_package_job``) then renders each one; an
evaluation that does not validate is listed in ``problems`` and never stops the batch.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jixiao.documents.models import PackageJob
from jixiao.documents.package import parse_formats, render_package
from jixiao.evaluations.scoring_bridge import score_data
from jixiao.evaluations.selectors import evaluations_visible_to
from jixiao.organisations.models import User

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def request_packages(
    *, user: User, evaluation_ids: Iterable[int], title: str, formats: str = "docx,pdf,xlsx"
) -> PackageJob:
    """Queue a job for the evaluations among ``evaluation_ids`` that ``user`` may see."""
    parse_formats(formats)  # refuse unknown formats now, not in the worker
    wanted = set(evaluation_ids)
    visible = list(
        evaluations_visible_to(user=user).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    job = PackageJob.objects.create(
        requested_by=user, title=title, evaluation_ids=sorted(visible), formats=formats
    )
    from jixiao.documents.tasks import build_package_job

    # Enqueue only once the job row is committed, or a fast worker would not find it.
    transaction.on_commit(lambda: build_package_job.delay(job.pk))
    return job


def build_job(job_id: int) -> PackageJob:
    """Render every evaluation of the job into one ZIP (one folder per unit)."""
    from jixiao.evaluations.models import Evaluation

    job = PackageJob.objects.get(pk=job_id)
    job.state = PackageJob.State.RUNNING
    job.save(update_fields=["state"])
    formats = parse_formats(job.formats)
    buffer = io.BytesIO()
    problems: list[str] = []
    evaluations = Evaluation.objects.filter(pk__in=job.evaluation_ids).select_related(
        "unit", "campaign"
    )
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, evaluation in enumerate(evaluations, start=1):
            folder = _UNSAFE.sub("_", f"{evaluation.campaign.year}-{evaluation}")
            scored = score_data(evaluation.data)
            if scored.evaluation is None or scored.result is None:
                problems.append(f"{evaluation}：" + "；".join(scored.problems))
            else:
                files = render_package(
                    scored.evaluation, scored.result, formats, ruleset=scored.ruleset
                )
                for name, content in files.items():
                    archive.writestr(f"{folder}/{name}", content)
            job.done_count = done
            job.save(update_fields=["done_count"])
        if problems:
            archive.writestr("未能生成的自评.txt", "\n".join(problems) + "\n")
    job.result.save(f"package-{job.pk}.zip", ContentFile(buffer.getvalue()), save=False)
    job.problems = problems
    job.state = PackageJob.State.DONE
    job.finished_at = timezone.now()
    job.save()
    return job
