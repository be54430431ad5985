"""批量生成: scoped requests, one folder per evaluation, invalid data listed without stopping."""

from __future__ import annotations

import io
import zipfile

from jixiao.documents.batch import request_packages
from jixiao.documents.models import PackageJob


def _zip_names(job: PackageJob) -> list[str]:
    job.result.open("rb")
    try:
        return sorted(zipfile.ZipFile(io.BytesIO(job.result.read())).namelist())
    finally:
        job.result.close()


def test_bureau_gets_every_package_and_the_broken_one_is_listed(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    world.foreign_evaluation.data["budget"] = {
        "rows": [{"source": "当年财政拨款", "initial": "-1"}]
    }
    world.foreign_evaluation.save()
    ids = [world.evaluation.pk, world.other_evaluation.pk, world.foreign_evaluation.pk]
    with django_capture_on_commit_callbacks(execute=True):
        job = request_packages(
            user=world.bureau_admin, evaluation_ids=ids, title="2025", formats="txt"
        )
    job.refresh_from_db()
    assert job.state == PackageJob.State.DONE
    assert job.done_count == 3
    names = _zip_names(job)
    assert sum(name.endswith("/自评报告.txt") for name in names) == 2
    assert "未能生成的自评.txt" in names
    assert len(job.problems) == 1 and world.foreign_unit.name in job.problems[0]


def test_a_unit_only_gets_its_own(world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    ids = [world.evaluation.pk, world.other_evaluation.pk, world.foreign_evaluation.pk]
    with django_capture_on_commit_callbacks(execute=True):
        job = request_packages(user=world.editor, evaluation_ids=ids, title="mine", formats="txt")
    job.refresh_from_db()
    assert job.evaluation_ids == [world.evaluation.pk]
    assert [n.split("/")[-1] for n in _zip_names(job)] == ["自评报告.txt"]


def test_pages_queue_and_download_only_for_the_requester(
    client, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.bureau_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:request_campaign", args=[world.campaign.pk]))
    assert response.status_code == 302
    job = PackageJob.objects.get()
    assert job.state == PackageJob.State.DONE and len(job.evaluation_ids) == 3
    page = client.get(reverse("documents:jobs"))
    assert "下载 ZIP" in page.content.decode()
    download = client.get(reverse("documents:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).testzip() is None

    client.force_login(world.bureau_reviewer)  # another person: not their job
    assert client.get(reverse("documents:job_download", args=[job.pk])).status_code == 404
    client.force_login(world.other_department_reviewer)  # sees only the foreign unit
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:request_campaign", args=[world.campaign.pk]))
    assert PackageJob.objects.filter(
        requested_by=world.other_department_reviewer
    ).get().evaluation_ids == [world.foreign_evaluation.pk]
