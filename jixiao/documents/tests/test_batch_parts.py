"""批量生成 in parts: split per department when large (a ZIP each plus an index), a database error
mid-job ends it failed with nothing half-written, and a retry resumes without redoing done parts."""

from __future__ import annotations

import csv
import io
import zipfile

from django.db import OperationalError

from jixiao.documents import batch
from jixiao.documents.batch import request_packages
from jixiao.jobs import services
from jixiao.jobs.models import Job, JobPart
from jixiao.jobs.parts import PartProgress

HR = "湛江市人力资源和社会保障局"
EDU = "湛江市教育局"


def _request(world, capture):  # type: ignore[no-untyped-def]
    ids = [world.evaluation.pk, world.other_evaluation.pk, world.foreign_evaluation.pk]
    with capture(execute=True):
        job = request_packages(
            user=world.bureau_admin, evaluation_ids=ids, title="全市", formats="txt"
        )
    job.refresh_from_db()
    return job


def _outer(job: Job) -> zipfile.ZipFile:
    with job.result.open("rb") as result:
        return zipfile.ZipFile(io.BytesIO(result.read()))


def _count_renders(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    real = batch.render_package
    rendered: list[str] = []

    def render(evaluation, result, formats, *, ruleset=None):  # type: ignore[no-untyped-def]
        rendered.append(type(evaluation).__name__)
        return real(evaluation, result, formats, ruleset=ruleset)

    monkeypatch.setattr(batch, "render_package", render)
    return rendered


def test_a_large_batch_is_a_zip_per_department_with_an_index(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.JIXIAO_BATCH_PART_UNITS = 1  # "large": more units than one part holds
    job = _request(world, django_capture_on_commit_callbacks)
    assert (job.state, job.done_count, job.failed_count, job.total) == (Job.State.DONE, 3, 0, 3)
    outer = _outer(job)
    assert sorted(outer.namelist()) == sorted(
        [f"{HR}.zip", f"{HR}（2）.zip", f"{EDU}.zip", batch.INDEX_FILE]
    )
    rows = list(csv.reader(io.StringIO(outer.read(batch.INDEX_FILE).decode("utf-8-sig"))))
    assert rows[0] == ["文件", "成功", "失败"]
    assert sorted(rows[1:]) == sorted(
        [[f"{HR}.zip", "1", "0"], [f"{HR}（2）.zip", "1", "0"], [f"{EDU}.zip", "1", "0"]]
    )
    inner = zipfile.ZipFile(io.BytesIO(outer.read(f"{EDU}.zip")))
    assert inner.namelist() == [f"{world.foreign_unit.name}/自评报告.txt"]
    # The plan: one part per department slice, each done once.
    parts = list(JobPart.objects.filter(job=job).order_by("index"))
    assert [(p.label, p.state, p.runs, p.done_count) for p in parts] == [
        (HR, "done", 1, 1),
        (f"{HR}（2）", "done", 1, 1),
        (EDU, "done", 1, 1),
    ]


def test_a_small_batch_is_one_zip_without_an_index(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    job = _request(world, django_capture_on_commit_callbacks)
    names = _outer(job).namelist()
    assert batch.INDEX_FILE not in names
    assert sorted(n.split("/")[0] for n in names) == sorted(
        [world.unit.name, world.other_unit.name, world.foreign_unit.name]
    )
    assert JobPart.objects.filter(job=job).count() == 1


def test_a_database_error_mid_job_fails_it_with_nothing_half_written_and_a_retry_resumes(
    world, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.JIXIAO_BATCH_PART_UNITS = 1
    real_done = PartProgress.item_done
    calls: list[int] = []

    def flaky_done(self):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:  # the second unit: the database goes away
            raise OperationalError("server closed the connection unexpectedly")
        real_done(self)

    monkeypatch.setattr(PartProgress, "item_done", flaky_done)
    job = _request(world, django_capture_on_commit_callbacks)
    assert job.state == Job.State.FAILED
    assert job.error == "任务出错（OperationalError），未完成，请重试或联系系统管理员"
    assert not job.result
    parts = list(JobPart.objects.filter(job=job).order_by("index"))
    assert [p.state for p in parts] == ["done", "pending", "pending"]
    assert parts[0].file and not parts[1].file
    # Only the finished part's ZIP is stored: the interrupted one was a temporary file, now gone.
    stored = sorted(p.name for p in (tmp_path / "jobs" / "parts").iterdir())
    assert stored == [str(parts[0].file.name).rsplit("/", 1)[1]]
    assert job.done_count == 1  # the interrupted part's count was taken back

    monkeypatch.setattr(PartProgress, "item_done", real_done)
    rendered = _count_renders(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_job(user=world.bureau_admin, job=job)
    job.refresh_from_db()
    assert (job.state, job.done_count, job.failed_count) == (Job.State.DONE, 3, 0)
    # The first part was not redone: only the other two units were rendered, each once.
    assert len(rendered) == 2
    assert [p.runs for p in JobPart.objects.filter(job=job).order_by("index")] == [1, 2, 1]
    assert len(_outer(job).namelist()) == 4


def test_retrying_a_job_with_failed_units_redoes_only_their_part(
    world, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.JIXIAO_BATCH_PART_UNITS = 1
    world.foreign_evaluation.data["budget"] = {
        "rows": [{"source": "当年财政拨款", "initial": "-1"}]
    }
    world.foreign_evaluation.save()
    job = _request(world, django_capture_on_commit_callbacks)
    assert (job.state, job.done_count, job.failed_count) == (Job.State.DONE, 2, 1)
    assert [f["item"] for f in job.failures] == [world.foreign_unit.name]
    rendered = _count_renders(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_job(user=world.bureau_admin, job=job)
    job.refresh_from_db()
    assert (job.done_count, job.failed_count) == (2, 1)
    assert rendered == []  # the broken unit fails before rendering; the good parts were kept
    runs = [p.runs for p in JobPart.objects.filter(job=job).order_by("index")]
    assert runs == [1, 1, 2]
