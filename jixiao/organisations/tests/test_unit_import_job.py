"""批量导入单位 of a large workbook is a background job: the request stores the file and answers
with the job's page; the job writes every row, or none and lists each fault as a failed item."""

from __future__ import annotations

from jixiao.jobs.models import Job
from jixiao.organisations import jobs
from jixiao.organisations.models import Organisation
from jixiao.organisations.tests.test_unit_import import row, upload, workbook


def test_a_large_unit_import_is_a_job_that_writes_every_row(
    client, world, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(jobs, "INLINE_MAX_BYTES", 10)  # every workbook is "large"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world, workbook([row(world, 1), row(world, 2)]))
    job = Job.objects.get(kind=jobs.IMPORT_KIND)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert (job.state, job.done_count, job.total, job.failed_count) == ("done", 2, 2, 0)
    assert set(
        Organisation.objects.filter(name__startswith="导入单位").values_list("name", flat=True)
    ) == {
        "导入单位1",
        "导入单位2",
    }
    assert not list((tmp_path / "unit-imports").iterdir())  # the stored upload is removed


def test_a_large_import_with_a_bad_row_writes_nothing_and_lists_the_fault(
    client, world, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(jobs, "INLINE_MAX_BYTES", 10)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, workbook([row(world, 1), row(world, 2, 主管部门="不存在的部门")]))
    job = Job.objects.get(kind=jobs.IMPORT_KIND)
    assert job.state == "failed"
    assert job.error.startswith("发现 1 处问题，未导入任何数据")
    assert [f["item"] for f in job.failures] == ["第 3 行 · 主管部门"]
    assert not Organisation.objects.filter(name__startswith="导入单位").exists()
