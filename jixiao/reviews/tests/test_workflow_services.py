"""The workflow service: the full path, refusals that change nothing, and the frozen documents."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from jixiao.evaluations.models import Status
from jixiao.reviews import workflow
from jixiao.reviews.models import FrozenDocument, Publication, Transition
from jixiao.reviews.services import TransitionRefused, draw_sample, transition


def test_full_path_records_every_step_and_freezes_documents(
    world, django_capture_on_commit_callbacks
):
    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer,
        evaluation_id=e.pk,
        action=workflow.DEPARTMENT_RETURN,
        section_comments={"targets": "请补充超额完成原因"},
    )
    e.refresh_from_db()
    assert e.status == Status.RETURNED and e.is_editable
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer, evaluation_id=e.pk, action=workflow.DEPARTMENT_APPROVE
    )
    with django_capture_on_commit_callbacks(execute=True):  # the freeze job, after the commit
        transition(user=world.bureau_reviewer, evaluation_id=e.pk, action=workflow.BUREAU_APPROVE)
    transition(user=world.bureau_admin, evaluation_id=e.pk, action=workflow.PUBLISH)
    e.refresh_from_db()
    assert e.status == Status.PUBLISHED
    assert [t.action for t in Transition.objects.filter(evaluation=e)] == [
        "submit",
        "department_return",
        "submit",
        "department_approve",
        "bureau_approve",
        "publish",
    ]
    returned = Transition.objects.get(evaluation=e, action="department_return")
    assert returned.section_comments == {"targets": "请补充超额完成原因"}
    assert returned.snapshot["total"] == "98.00"
    publication = Publication.objects.get(evaluation=e)
    assert publication.total == Decimal("98.00") and publication.grade == "优"
    pdf = FrozenDocument.objects.get(evaluation=e, format="pdf")
    assert bytes(pdf.content).startswith(b"%PDF")
    assert pdf.sha256 == hashlib.sha256(bytes(pdf.content)).hexdigest()


def test_editor_cannot_submit_and_nothing_changes(world):
    with pytest.raises(TransitionRefused):
        transition(user=world.editor, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == Status.DRAFT
    assert not Transition.objects.exists()


def test_incomplete_submission_lists_missing_items(world):
    e = world.evaluation
    e.data["problems"] = []
    e.data["targets"][1]["explanation"] = ""
    e.save()
    with pytest.raises(TransitionRefused) as refused:
        transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    text = "\n".join(refused.value.problems)
    assert "存在问题" in text
    assert "新增取得职业技能等级认定证书" in text  # over-completion needs its explanation
    e.refresh_from_db()
    assert e.status == Status.DRAFT


def test_submission_after_deadline_is_refused_until_extended(world):
    from jixiao.reviews.services import extend_deadline

    campaign = world.campaign
    campaign.deadline = timezone.now() - dt.timedelta(days=1)
    campaign.save()
    with pytest.raises(TransitionRefused) as refused:
        transition(user=world.head, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    assert "截止时间" in refused.value.problems[0]
    extend_deadline(
        user=world.bureau_admin,
        evaluation_id=world.evaluation.pk,
        until=timezone.now() + dt.timedelta(days=3),
    )
    transition(user=world.head, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    world.evaluation.refresh_from_db()
    assert world.evaluation.status == Status.SUBMITTED


def test_other_department_gets_404(world):
    transition(user=world.head, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    with pytest.raises(Http404):
        transition(
            user=world.other_department_reviewer,
            evaluation_id=world.evaluation.pk,
            action=workflow.DEPARTMENT_APPROVE,
        )


def test_return_needs_a_comment(world):
    transition(user=world.head, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    with pytest.raises(TransitionRefused):
        transition(
            user=world.department_reviewer,
            evaluation_id=world.evaluation.pk,
            action=workflow.DEPARTMENT_RETURN,
        )


def test_sample_draw_is_reproducible_from_its_seed(world):
    for e in (world.evaluation, world.other_evaluation, world.foreign_evaluation):
        e.status = Status.DEPARTMENT_APPROVED
        e.save()
    first = draw_sample(user=world.bureau_reviewer, campaign=world.campaign, size=2, seed="abc")
    again = draw_sample(user=world.bureau_reviewer, campaign=world.campaign, size=2, seed="abc")
    assert [r.evaluation_id for r in first.rechecks.all()] == [
        r.evaluation_id for r in again.rechecks.all()
    ]
    assert first.rechecks.count() == 2


def test_history_calls_a_resubmission_by_its_name(world):
    from jixiao.reviews.selectors import action_label

    assert action_label("submit", "draft") == "审定并报送"
    assert action_label("submit", "returned") == "修改后重新报送"
    assert action_label("submit") == "审定并报送"
    assert action_label("extend_deadline", "draft") == "延长截止时间"
