"""批量生成 on the job core: scoped requests, one folder per evaluation (no repeated year), failures
counted as failures with their reasons, the ZIP streamed to storage, pages for the requester only."""

from __future__ import annotations

import io
import zipfile

from django.urls import reverse

from jixiao.activity.models import Event
from jixiao.documents import batch
from jixiao.documents.batch import request_packages
from jixiao.jobs.models import Job


def _zip_names(job: Job) -> list[str]:
    with job.result.open("rb") as result:
        return sorted(zipfile.ZipFile(io.BytesIO(result.read())).namelist())


def _break(evaluation) -> None:  # type: ignore[no-untyped-def]
    evaluation.data["budget"] = {"rows": [{"source": "当年财政拨款", "initial": "-1"}]}
    evaluation.save()


def test_bureau_gets_every_package_and_the_broken_one_is_a_failure(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    _break(world.foreign_evaluation)
    ids = [world.evaluation.pk, world.other_evaluation.pk, world.foreign_evaluation.pk]
    with django_capture_on_commit_callbacks(execute=True):
        job = request_packages(
            user=world.bureau_admin, evaluation_ids=ids, title="2025年度自评", formats="txt"
        )
    job.refresh_from_db()
    assert job.kind == "documents.package"
    assert job.state == Job.State.DONE
    assert (job.done_count, job.failed_count, job.total) == (2, 1, 3)  # not "已完成 3/3"
    assert [f["item"] for f in job.failures] == [world.foreign_unit.name]
    assert job.failures[0]["reason"]  # the scoring core's words, not empty
    names = _zip_names(job)
    folders = {n.split("/")[0] for n in names if "/" in n}
    assert folders == {world.unit.name, world.other_unit.name}  # no "2025-…", no year repeated
    assert all(str(world.campaign.year) not in folder for folder in folders)
    assert batch.PROBLEMS_FILE in names
    assert job.result_name == "2025年度自评.zip"


def test_every_unit_failing_is_a_failed_job_with_a_reason(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    _break(world.evaluation)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_packages(
            user=world.editor, evaluation_ids=[world.evaluation.pk], title="mine", formats="txt"
        )
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error == "全部 1 项均未能完成，原因见下表"
    assert not job.result
    assert Event.objects.filter(action="job.fail", target_id=str(job.pk)).exists()


def test_a_renderer_crash_fails_that_unit_only(
    world, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    real = batch.render_package
    calls: list[int] = []

    def render(evaluation, result, formats, *, ruleset=None):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:  # the second unit in name order
            raise MemoryError
        return real(evaluation, result, formats, ruleset=ruleset)

    monkeypatch.setattr(batch, "render_package", render)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_packages(
            user=world.department_reviewer,
            evaluation_ids=[world.evaluation.pk, world.other_evaluation.pk],
            title="部门",
            formats="txt",
        )
    job.refresh_from_db()
    assert (job.state, job.done_count, job.failed_count) == (Job.State.DONE, 1, 1)
    second = sorted([world.unit.name, world.other_unit.name])[1]
    assert job.failures == [{"item": second, "reason": "生成文件出错（MemoryError）"}]


def test_same_unit_name_gets_two_folders(world):
    used: set[str] = set()
    assert batch._folder("某 单位/甲", used) == "某_单位_甲"
    assert batch._folder("某 单位/甲", used) == "某_单位_甲_2"


def test_a_unit_only_gets_its_own(world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    ids = [world.evaluation.pk, world.other_evaluation.pk, world.foreign_evaluation.pk]
    with django_capture_on_commit_callbacks(execute=True):
        job = request_packages(user=world.editor, evaluation_ids=ids, title="mine", formats="txt")
    job.refresh_from_db()
    assert job.params["evaluation_ids"] == [world.evaluation.pk]
    assert job.total == 1
    assert _zip_names(job) == [f"{world.unit.name}/自评报告.txt"]


def test_the_zip_is_never_held_whole_in_memory(
    world, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    """The archive is written to a temporary file and stored from it, not built in a BytesIO."""
    settings.MEDIA_ROOT = tmp_path
    spooled: list[object] = []
    real = batch.tempfile.TemporaryFile

    def temporary(*args, **kwargs):  # type: ignore[no-untyped-def]
        handle = real(*args, **kwargs)
        spooled.append(handle)
        return handle

    monkeypatch.setattr(batch.tempfile, "TemporaryFile", temporary)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_packages(
            user=world.editor, evaluation_ids=[world.evaluation.pk], title="mine", formats="txt"
        )
    job.refresh_from_db()
    assert len(spooled) == 1 and job.state == Job.State.DONE


def test_pages_start_at_once_and_show_progress_only_to_the_requester(
    client, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    _break(world.foreign_evaluation)
    client.force_login(world.bureau_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("documents:request_campaign", args=[world.campaign.pk]))
    job = Job.objects.get()
    # The request answers before any work: the job is still queued, the page will poll it.
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.state == Job.State.QUEUED and job.total == 3 and len(callbacks) == 1
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page and "排队中" in page
    callbacks[0]()  # the runner, after the commit
    page = client.get(response["Location"]).content.decode()
    assert "成功 2，失败 1，共 3" in page
    assert world.foreign_unit.name in page and "下载结果" in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).testzip() is None

    client.force_login(world.bureau_reviewer)  # another person: not their job
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    client.force_login(world.other_department_reviewer)  # sees only the foreign unit
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documents:request_campaign", args=[world.campaign.pk]))
    assert Job.objects.filter(requested_by=world.other_department_reviewer).get().params[
        "evaluation_ids"
    ] == [world.foreign_evaluation.pk]
