"""The review panel on the evaluation page: actions per role, missing items, return comments, history."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import RequestFactory

from jixiao.evaluations.models import Status
from jixiao.reviews import workflow
from jixiao.reviews.selectors import review_panel_context
from jixiao.reviews.services import transition


def _render(world, user, evaluation) -> str:
    request = RequestFactory().get("/")
    request.user = user
    context = review_panel_context(user=user, evaluation=evaluation)
    return render_to_string("reviews/_panel.html", context, request=request)


def test_head_sees_submit_and_no_missing_items_for_the_seed(world):
    panel = review_panel_context(user=world.head, evaluation=world.evaluation)["review_panel"]
    assert [a.action for a in panel["actions"]] == ["submit"]
    assert panel["submission_problems"] == []
    html = _render(world, world.head, world.evaluation)
    assert f'action="/reviews/{world.evaluation.pk}/transition/submit/"' in html
    assert "审定并报送" in html


def test_editor_sees_no_actions_but_the_missing_items_and_who_submits(world):
    e = world.evaluation
    e.data["improvements"] = []
    e.save()
    panel = review_panel_context(user=world.editor, evaluation=e)["review_panel"]
    assert panel["actions"] == []
    assert panel["submission_problems"] == ["未填写：改进措施"]
    html = _render(world, world.editor, e)
    assert "填报完成后，请单位负责人审定并报送" in html and "未填写：改进措施" in html
    assert "<form" not in html


def test_reviewer_of_a_draft_has_nothing_to_do(world):
    panel = review_panel_context(user=world.department_reviewer, evaluation=world.evaluation)
    assert panel["review_panel"]["actions"] == []
    assert panel["review_panel"]["submission_problems"] == []
    html = _render(world, world.department_reviewer, world.evaluation)
    assert "当前状态下您没有需要办理的审核操作" in html


def test_head_sees_missing_items_before_the_button(world):
    e = world.evaluation
    e.data["problems"] = []
    e.save()
    panel = review_panel_context(user=world.head, evaluation=e)["review_panel"]
    assert panel["submission_problems"] == ["未填写：存在问题"]
    html = _render(world, world.head, e)
    assert html.index("未填写：存在问题") < html.index("审定并报送")
    assert "disabled" in html


def test_returned_evaluation_shows_section_comments_prominently(world):
    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    e.refresh_from_db()
    reviewer_panel = review_panel_context(user=world.department_reviewer, evaluation=e)
    assert [a.action for a in reviewer_panel["review_panel"]["actions"]] == [
        "department_approve",
        "department_return",
    ]
    transition(
        user=world.department_reviewer,
        evaluation_id=e.pk,
        action=workflow.DEPARTMENT_RETURN,
        comment="整体偏简略",
        section_comments={"practices": "请补充具体做法", "targets": "请补充超额完成原因"},
    )
    e.refresh_from_db()
    assert e.status == Status.RETURNED
    panel = review_panel_context(user=world.editor, evaluation=e)["review_panel"]
    latest = panel["latest_return"]
    assert latest.transition.comment == "整体偏简略"
    # report order, not the order typed
    assert [(c.label, c.text) for c in latest.section_comments] == [
        ("绩效目标", "请补充超额完成原因"),
        ("主要做法和经验", "请补充具体做法"),
    ]
    assert [h.label for h in panel["history"]] == ["退回修改", "审定并报送"]
    html = _render(world, world.editor, e)
    assert "退回修改意见" in html and "请补充超额完成原因" in html
    assert html.count("查看当时的内容") == 2


def test_returned_sections_link_to_where_they_are_fixed(world):
    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer,
        evaluation_id=e.pk,
        action=workflow.DEPARTMENT_RETURN,
        section_comments={"budget": "请核实调整原因", "evidence": "请补充佐证"},
    )
    e.refresh_from_db()
    latest = review_panel_context(user=world.head, evaluation=e)["review_panel"]["latest_return"]
    assert [(c.key, c.url) for c in latest.section_comments] == [
        ("budget", f"/evaluations/{e.pk}/edit/budget/"),
        ("evidence", f"/evaluations/{e.pk}/evidence/"),
    ]
    html = _render(world, world.head, e)
    assert f'href="/evaluations/{e.pk}/edit/budget/"' in html


def test_panel_history_is_scoped_and_newest_first(world):
    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    e.refresh_from_db()
    transition(
        user=world.department_reviewer, evaluation_id=e.pk, action=workflow.DEPARTMENT_APPROVE
    )
    e.refresh_from_db()
    panel = review_panel_context(user=world.bureau_admin, evaluation=e)["review_panel"]
    assert [(h.label, h.transition.actor) for h in panel["history"]] == [
        ("审核通过，报财政局", world.department_reviewer),
        ("审定并报送", world.head),
    ]
    assert [a.action for a in panel["actions"]] == ["bureau_approve", "bureau_return"]
    html = _render(world, world.bureau_admin, e)
    assert "主管部门审核人" in html and "湛江市人力资源和社会保障局" in html
