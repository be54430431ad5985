"""#9.6: approval commits at once; the frozen documents are rendered by a job after the commit,
polled by the evaluation page; publication waits for them; a failed render is visible with its
reason and the bureau retries; the SHA-256 is that of the stored bytes."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

import jixiao.documents.package as package
from jixiao.activity.models import Event
from jixiao.evaluations.models import Status
from jixiao.jobs.models import Job
from jixiao.reviews import workflow
from jixiao.reviews.models import FrozenDocument, Publication
from jixiao.reviews.services import (
    FREEZE_KIND,
    TransitionRefused,
    freeze_job_of,
    retry_freeze,
    transition,
)
from jixiao.reviews.tests.helpers import freeze_directly, move
from jixiao.testing.factories import PASSWORD

FORMATS = ["data.xlsx", "docx", "pdf", "scoring.xlsx"]


def _fast_renderer(monkeypatch, fail: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """Stand-in renderer (the real ones are tested in documents/): records each call."""
    calls: list[str] = []

    def render(evaluation, result, fmt, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(fmt)
        if fmt == fail:
            raise OSError("font not found")
        return f"{fmt} of {evaluation.unit.name}".encode()

    monkeypatch.setattr(package, "render_document", render)
    return calls


def _approve(world, captured):  # type: ignore[no-untyped-def]
    move(world.evaluation, Status.DEPARTMENT_APPROVED, world.department_reviewer)
    with captured(execute=False) as callbacks:
        transition(
            user=world.bureau_reviewer,
            evaluation_id=world.evaluation.pk,
            action=workflow.BUREAU_APPROVE,
        )
    return callbacks


def test_approval_commits_without_rendering_and_the_job_freezes_after(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    calls = _fast_renderer(monkeypatch)
    callbacks = _approve(world, django_capture_on_commit_callbacks)
    # Inside the approval (and its row lock) nothing was rendered; the job waits for the commit.
    assert calls == []
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == Status.APPROVED
    assert not FrozenDocument.objects.exists()
    job = freeze_job_of(world.evaluation)
    assert job is not None and (job.kind, job.state) == (FREEZE_KIND, Job.State.QUEUED)
    assert job.requested_by == world.bureau_reviewer
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.done_count == 1
    assert sorted(calls) == FORMATS
    for document in FrozenDocument.objects.filter(evaluation=world.evaluation):
        stored = bytes(FrozenDocument.objects.get(pk=document.pk).content)
        assert document.sha256 == hashlib.sha256(stored).hexdigest()
        assert document.size == len(stored)
    assert Event.objects.filter(action="job.done", target_id=str(job.pk)).exists()


def test_the_page_says_the_files_are_being_made_and_polls(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    _fast_renderer(monkeypatch)
    callbacks = _approve(world, django_capture_on_commit_callbacks)
    client.login(username=world.head.username, password=PASSWORD)
    page = client.get(reverse("evaluations:detail", args=[world.evaluation.pk])).content.decode()
    assert "正在生成审定文件" in page
    poll = reverse("reviews:freeze_status", args=[world.evaluation.pk])
    assert f'hx-get="{poll}"' in page and 'hx-trigger="every 2s"' in page
    for callback in callbacks:
        callback()
    fragment = client.get(poll).content.decode()
    assert "正在生成审定文件" not in fragment and "every 2s" not in fragment
    assert fragment.count('title="SHA-256"') == 4 and fragment.count('title="SM3"') == 4
    assert 'data-freeze-state="done"' in fragment


def test_publication_waits_for_the_frozen_files(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    _fast_renderer(monkeypatch)
    callbacks = _approve(world, django_capture_on_commit_callbacks)
    with pytest.raises(TransitionRefused) as refused:
        transition(
            user=world.bureau_admin, evaluation_id=world.evaluation.pk, action=workflow.PUBLISH
        )
    assert refused.value.problems == ["审定文件正在生成，请稍后再公开"]
    assert not Publication.objects.exists()
    for callback in callbacks:
        callback()
    transition(user=world.bureau_admin, evaluation_id=world.evaluation.pk, action=workflow.PUBLISH)
    assert Publication.objects.filter(evaluation=world.evaluation).exists()


def test_a_failed_render_is_visible_refuses_publication_and_the_bureau_retries(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    _fast_renderer(monkeypatch, fail="pdf")
    for callback in _approve(world, django_capture_on_commit_callbacks):
        callback()
    job = freeze_job_of(world.evaluation)
    assert job is not None and job.state == Job.State.FAILED
    assert job.error.startswith("生成“2025年度湛江市职业技能鉴定指导中心绩效自评报告.pdf”失败")
    assert "OSError" in job.error
    assert not FrozenDocument.objects.exists()  # no partial set left behind
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == Status.APPROVED  # the approval itself stands

    client.login(username=world.bureau_admin.username, password=PASSWORD)
    page = client.get(reverse("evaluations:detail", args=[world.evaluation.pk])).content.decode()
    assert "审定文件生成失败" in page and "OSError" in page
    assert "重新生成审定文件" in page
    with pytest.raises(TransitionRefused) as refused:
        transition(
            user=world.bureau_admin, evaluation_id=world.evaluation.pk, action=workflow.PUBLISH
        )
    assert refused.value.problems[0].startswith("审定文件生成失败（生成“")

    _fast_renderer(monkeypatch)  # the font is back
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:refreeze", args=[world.evaluation.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.DONE, 2)
    assert Job.objects.filter(kind=FREEZE_KIND).count() == 1  # the same job, run again
    assert (
        sorted(
            FrozenDocument.objects.filter(evaluation=world.evaluation).values_list(
                "format", flat=True
            )
        )
        == FORMATS
    )
    assert Event.objects.filter(action="job.retry", target_id=str(job.pk)).exists()


def test_only_the_bureau_retries_and_only_when_needed(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    _fast_renderer(monkeypatch)
    for callback in _approve(world, django_capture_on_commit_callbacks):
        callback()
    client.login(username=world.department_reviewer.username, password=PASSWORD)
    url = reverse("reviews:refreeze", args=[world.evaluation.pk])
    assert client.post(url).status_code == 404
    with pytest.raises(TransitionRefused) as refused:
        retry_freeze(user=world.bureau_admin, evaluation_id=world.evaluation.pk)
    assert refused.value.problems == ["审定文件已齐全，无需重新生成"]
    assert Job.objects.get(kind=FREEZE_KIND).attempts == 1


def test_an_approval_without_a_job_and_missing_files_can_be_frozen_again(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """Evaluations approved before the job existed, or whose files were lost."""
    _fast_renderer(monkeypatch)
    move(world.evaluation, Status.APPROVED, world.bureau_reviewer, "bureau_approve")
    with django_capture_on_commit_callbacks(execute=True):
        retry_freeze(user=world.bureau_reviewer, evaluation_id=world.evaluation.pk)
    assert FrozenDocument.objects.filter(evaluation=world.evaluation).count() == 4


def test_a_freeze_whose_worker_died_fails_on_the_next_look(client, world):
    move(world.evaluation, Status.APPROVED, world.bureau_reviewer, "bureau_approve")
    past = timezone.now() - timedelta(hours=1)
    Job.objects.create(
        kind=FREEZE_KIND,
        title="生成审定文件",
        requested_by=world.bureau_reviewer,
        subject=f"evaluations.evaluation:{world.evaluation.pk}",
        params={"evaluation_id": world.evaluation.pk, "version": world.evaluation.version},
        state=Job.State.RUNNING,
        total=1,
        attempts=1,
        started_at=past,
        heartbeat_at=past,
    )
    client.login(username=world.bureau_admin.username, password=PASSWORD)
    fragment = client.get(
        reverse("reviews:freeze_status", args=[world.evaluation.pk])
    ).content.decode()
    assert "服务中断，任务未完成，请重新发起" in fragment
    assert "重新生成审定文件" in fragment and "every 2s" not in fragment


def test_publication_is_refused_without_files_even_when_the_job_says_done(world):
    move(world.evaluation, Status.APPROVED, world.bureau_reviewer, "bureau_approve")
    with pytest.raises(TransitionRefused) as refused:
        transition(
            user=world.bureau_admin, evaluation_id=world.evaluation.pk, action=workflow.PUBLISH
        )
    assert "审定文件缺失" in refused.value.problems[0]
    freeze_directly(world.evaluation)
    transition(user=world.bureau_admin, evaluation_id=world.evaluation.pk, action=workflow.PUBLISH)


def test_a_file_stored_differently_from_its_digest_fails_the_freeze(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """What is stored is re-hashed: a digest that does not match the stored bytes fails the job."""
    from jixiao.reviews import jobs

    _fast_renderer(monkeypatch)
    real = jobs.freeze_documents

    def corrupting(evaluation):  # type: ignore[no-untyped-def]
        frozen = real(evaluation)
        FrozenDocument.objects.filter(pk=frozen[0].pk).update(content=b"not what was hashed")
        return frozen

    monkeypatch.setattr(jobs, "freeze_documents", corrupting)
    for callback in _approve(world, django_capture_on_commit_callbacks):
        callback()
    job = freeze_job_of(world.evaluation)
    assert job is not None and job.state == Job.State.FAILED
    assert "存储后校验不一致" in job.error
    assert not FrozenDocument.objects.exists()
