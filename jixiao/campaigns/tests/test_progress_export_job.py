"""报送进度 Excel of a large table is a background job: the request answers at once with the job's
page, the job writes the same workbook (same scope and filters), and asking again while it runs
gives the same job, not a second one."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from jixiao.campaigns.jobs import KIND
from jixiao.evaluations.models import Evaluation, Status
from jixiao.jobs.models import Job


def test_a_large_progress_export_is_a_job_with_the_same_rows(
    client, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.JIXIAO_PROGRESS_XLSX_JOB_ROWS = 1  # two rows in the department's scope: "large"
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(status=Status.SUBMITTED)
    client.force_login(world.department_reviewer)
    url = reverse("campaigns:progress_export", args=[world.campaign.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(url)
        again = client.get(url)  # still queued: the same job
    job = Job.objects.get(kind=KIND)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert again["Location"] == f"/jobs/{job.pk}/"
    assert (job.requested_by, job.state) == (world.department_reviewer, Job.State.QUEUED)
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.state, job.done_count) == (Job.State.DONE, 1)
    assert job.result_name == f"{world.campaign.title}-报送进度.xlsx"
    download = client.get(reverse("jobs:download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)))["报送进度"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert sorted((r[1], r[4]) for r in rows) == sorted(
        [(world.unit.name, "填报中"), (world.other_unit.name, "已报送")]
    )
    # Filters travel with the job: a filtered export is another job, with only its rows.
    settings.JIXIAO_PROGRESS_XLSX_JOB_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url, {"state": "submitted", "q": ""})
    filtered = Job.objects.filter(kind=KIND).exclude(pk=job.pk).get()
    assert filtered.params["filters"]["state"] == "submitted"
    download = client.get(reverse("jobs:download", args=[filtered.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)))["报送进度"]
    assert [r[1] for r in sheet.iter_rows(min_row=4, values_only=True)] == [world.other_unit.name]


def test_a_small_progress_export_is_still_answered_at_once(client, world):
    client.force_login(world.department_reviewer)
    response = client.get(reverse("campaigns:progress_export", args=[world.campaign.pk]))
    assert response.status_code == 200
    assert not Job.objects.filter(kind=KIND).exists()
