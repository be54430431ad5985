"""Jobs in parts: a helper does pending parts of a running job and never finishes it; a part whose
runner stopped beating is taken over; a runner that lost its part stores nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jixiao.documents.batch import KIND
from jixiao.jobs import parts
from jixiao.jobs.models import Job, JobPart
from jixiao.jobs.progress import JobAbandoned


def _running_job(world, ids: list[int]) -> Job:  # type: ignore[no-untyped-def]
    return Job.objects.create(
        kind=KIND,
        title="全市",
        requested_by=world.bureau_admin,
        organisation=world.bureau_admin.organisation,
        params={"evaluation_ids": ids, "formats": "txt"},
        total=len(ids),
        state=Job.State.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now(),
    )


def test_a_helper_does_pending_parts_and_leaves_the_job_running(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ids = [world.evaluation.pk, world.other_evaluation.pk]
    job = _running_job(world, ids)
    parts.plan_parts(job, [("甲", ids[:1]), ("乙", ids[1:])])
    assert parts.help_job(job.pk, 1) == 2
    job.refresh_from_db()
    assert (job.state, job.done_count) == (Job.State.RUNNING, 2)  # the job's own runner ends it
    assert [p.state for p in JobPart.objects.filter(job=job)] == ["done", "done"]
    assert parts.help_job(job.pk, 2) == 0  # another attempt's helper does nothing


def test_a_part_whose_runner_went_silent_is_taken_over(world, settings):
    settings.JIXIAO_JOBS_STALE_SECONDS = 60
    job = _running_job(world, [world.evaluation.pk])
    (part,) = parts.plan_parts(job, [("甲", [world.evaluation.pk])])
    JobPart.objects.filter(pk=part.pk).update(
        state=JobPart.State.RUNNING, claim="dead-helper", heartbeat_at=timezone.now()
    )
    assert parts.claim_next(job.pk, 1) is None  # a live runner holds it
    JobPart.objects.filter(pk=part.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=61))
    claimed = parts.claim_next(job.pk, 1)
    assert claimed is not None and claimed[0].pk == part.pk and claimed[1] != "dead-helper"
    assert JobPart.objects.get(pk=part.pk).runs == 1
    # The silent runner comes back: its next report finds the part taken and it stops.
    with pytest.raises(JobAbandoned):
        parts.PartProgress(part, "dead-helper", 1).item_done()


def test_claiming_for_an_attempt_that_is_over_stops_the_runner(world):
    job = _running_job(world, [world.evaluation.pk])
    parts.plan_parts(job, [("甲", [world.evaluation.pk])])
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED)
    with pytest.raises(JobAbandoned):
        parts.claim_next(job.pk, 1)


def test_runners_claim_the_largest_pending_part_first(world):
    # In index order a large department planned last would keep one worker busy alone at the end
    # while the others idle: the largest first leaves the small parts for the end.
    job = _running_job(world, list(range(1, 12)))
    parts.plan_parts(
        job, [("甲", [1, 2]), ("乙", [3, 4, 5, 6, 7]), ("丙", [8]), ("丁", [9, 10, 11])]
    )
    order = []
    while (claimed := parts.claim_next(job.pk, 1)) is not None:
        part, token = claimed
        order.append(part.label)
        JobPart.objects.filter(pk=part.pk, claim=token).update(state=JobPart.State.DONE)
    assert order == ["乙", "丁", "甲", "丙"]
    # Equal sizes keep the plan's order.
    job = _running_job(world, [1, 2, 3])
    parts.plan_parts(job, [("一", [1]), ("二", [2]), ("三", [3])])
    first = parts.claim_next(job.pk, 1)
    assert first is not None and first[0].label == "一"
