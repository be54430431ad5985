"""The review pages per role: transition, queue, snapshot, samples and rechecks.

Every denied action asserts that nothing changed; every page answers 404 to those it is not for.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from jixiao.evaluations.models import Status
from jixiao.reviews import workflow
from jixiao.reviews.models import FrozenDocument, Publication, Recheck, SampleDraw, Transition
from jixiao.reviews.services import draw_sample, extend_deadline, transition
from jixiao.reviews.tests.helpers import freeze_directly, move
from jixiao.reviews.views import evaluation_url
from jixiao.testing.factories import PASSWORD


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def transition_url(evaluation, action):
    return reverse("reviews:transition", args=[evaluation.pk, action])


def state(evaluation):
    evaluation.refresh_from_db()
    return evaluation.status, Transition.objects.filter(evaluation=evaluation).count()


# --- reviews:transition ---------------------------------------------------------------------


def test_head_submits_and_is_sent_back_to_the_evaluation(client, world):
    login(client, world.head)
    response = client.post(
        transition_url(world.evaluation, "submit"), {"comment": "请审核"}, follow=False
    )
    assert response.status_code == 302
    assert response["Location"] == evaluation_url(world.evaluation.pk)
    assert state(world.evaluation) == (Status.SUBMITTED, 1)
    step = Transition.objects.get(evaluation=world.evaluation)
    assert (step.action, step.actor, step.comment) == ("submit", world.head, "请审核")
    assert messages_of(response) == ["已办理“审定并报送”，当前状态：已报送（待主管部门审核）"]


def test_editor_may_not_submit_and_nothing_changes(client, world):
    login(client, world.editor)
    response = client.post(transition_url(world.evaluation, "submit"))
    assert response.status_code == 302
    assert messages_of(response) == ["您的角色不能执行“审定并报送”"]
    assert state(world.evaluation) == (Status.DRAFT, 0)


def test_incomplete_submission_shows_each_missing_item(client, world):
    e = world.evaluation
    e.data["problems"] = []
    e.data["other"] = ""
    e.save()
    login(client, world.head)
    response = client.post(transition_url(e, "submit"))
    # One message under one heading, each item numbered (issue 8.15).
    assert messages_of(response) == [
        "未能报送，请先完成以下 2 项：1. 未填写：其他自评情况；2. 未填写：存在问题"
    ]
    assert state(e) == (Status.DRAFT, 0)


@pytest.mark.parametrize("who", ["other_editor", "other_department_reviewer"])
def test_out_of_scope_transition_is_404_and_nothing_changes(client, world, who):
    move(world.evaluation, Status.SUBMITTED, world.head, "submit")
    login(client, getattr(world, who))
    response = client.post(transition_url(world.evaluation, "department_approve"))
    assert response.status_code == 404
    assert state(world.evaluation) == (Status.SUBMITTED, 1)


def test_anonymous_is_sent_to_login_and_nothing_changes(client, world):
    response = client.post(transition_url(world.evaluation, "submit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert state(world.evaluation) == (Status.DRAFT, 0)


def test_transition_is_post_only(client, world):
    login(client, world.head)
    assert client.get(transition_url(world.evaluation, "submit")).status_code == 405
    assert state(world.evaluation) == (Status.DRAFT, 0)


def test_department_returns_with_section_comments(client, world):
    move(world.evaluation, Status.SUBMITTED, world.head, "submit")
    login(client, world.department_reviewer)
    response = client.post(
        transition_url(world.evaluation, "department_return"),
        {"comment": "", "section_targets": " 请补充超额完成原因 ", "section_budget": ""},
    )
    assert response.status_code == 302
    assert state(world.evaluation) == (Status.RETURNED, 2)
    returned = Transition.objects.get(evaluation=world.evaluation, action="department_return")
    assert returned.section_comments == {"targets": "请补充超额完成原因"}


def test_return_without_any_comment_is_refused(client, world):
    move(world.evaluation, Status.SUBMITTED, world.head, "submit")
    login(client, world.department_reviewer)
    response = client.post(transition_url(world.evaluation, "department_return"), {"comment": " "})
    assert messages_of(response) == ["退回时须填写意见（总体意见或分部分意见）"]
    assert state(world.evaluation) == (Status.SUBMITTED, 1)


def test_unknown_action_is_refused(client, world):
    login(client, world.head)
    response = client.post(transition_url(world.evaluation, "approve_everything"))
    assert messages_of(response) == ["当前状态“填报中”下不能执行该操作"]
    assert state(world.evaluation) == (Status.DRAFT, 0)


@pytest.mark.parametrize("who", ["editor", "head", "department_reviewer"])
def test_only_the_bureau_approves(client, world, who):
    move(world.evaluation, Status.DEPARTMENT_APPROVED, world.department_reviewer)
    login(client, getattr(world, who))
    response = client.post(transition_url(world.evaluation, "bureau_approve"))
    assert messages_of(response) == ["您的角色不能执行“财政审定通过”"]
    assert state(world.evaluation) == (Status.DEPARTMENT_APPROVED, 1)
    assert not FrozenDocument.objects.exists()


def test_bureau_publishes_an_approved_evaluation(client, world):
    move(world.evaluation, Status.APPROVED, world.bureau_reviewer, "bureau_approve")
    freeze_directly(world.evaluation)
    login(client, world.bureau_admin)
    response = client.post(transition_url(world.evaluation, "publish"))
    assert response.status_code == 302
    assert state(world.evaluation) == (Status.PUBLISHED, 2)
    publication = Publication.objects.get(evaluation=world.evaluation)
    assert (publication.total, publication.grade, publication.published_by) == (
        Decimal("98.00"),
        "优",
        world.bureau_admin,
    )


def test_publishing_without_frozen_files_is_refused(client, world):
    move(world.evaluation, Status.APPROVED, world.bureau_reviewer, "bureau_approve")
    login(client, world.bureau_admin)
    response = client.post(transition_url(world.evaluation, "publish"))
    assert messages_of(response) == [
        "审定文件缺失（PDF、Word、数据表、评分表），不能公开，请联系系统管理员"
    ]
    assert state(world.evaluation) == (Status.APPROVED, 1)
    assert not Publication.objects.exists()


@pytest.mark.parametrize("who", ["editor", "head", "department_reviewer"])
def test_only_the_bureau_publishes(client, world, who):
    move(world.evaluation, Status.APPROVED, world.bureau_reviewer, "bureau_approve")
    freeze_directly(world.evaluation)
    login(client, getattr(world, who))
    response = client.post(transition_url(world.evaluation, "publish"))
    assert response.status_code == 302
    assert messages_of(response) == ["您的角色不能执行“公开”"]
    assert state(world.evaluation) == (Status.APPROVED, 1)
    assert not Publication.objects.exists()


# --- reviews:queue ----------------------------------------------------------------------------


@pytest.fixture
def queued(world):
    """own: submitted; other (same department): department_approved; foreign: approved."""
    move(world.evaluation, Status.SUBMITTED, world.head, "submit")
    move(world.other_evaluation, Status.DEPARTMENT_APPROVED, world.department_reviewer)
    move(world.foreign_evaluation, Status.APPROVED, world.bureau_reviewer)
    return world


def test_department_queue_lists_its_submitted_units(client, queued, django_assert_max_num_queries):
    w = queued
    login(client, w.department_reviewer)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("reviews:queue"))
    assert response.status_code == 200
    groups = {g.key: g.count for g in response.context["groups"]}
    assert groups == {"submitted": 1, "returned": 0, "department_approved": 1}
    assert response.context["current"].key == "submitted"
    assert [e.pk for e in response.context["evaluations"]] == [w.evaluation.pk]
    body = response.content.decode()
    assert w.unit.name in body and w.foreign_unit.name not in body


def test_other_department_sees_none_of_ours(client, queued):
    login(client, queued.other_department_reviewer)
    response = client.get(reverse("reviews:queue"))
    groups = {g.key: g.count for g in response.context["groups"]}
    assert groups == {"submitted": 0, "returned": 0, "department_approved": 0}
    assert response.context["evaluations"] == []
    assert queued.unit.name not in response.content.decode()


@pytest.mark.parametrize("role", ["bureau_reviewer", "bureau_admin"])
def test_bureau_queue(client, queued, role, django_assert_max_num_queries):
    w = queued
    login(client, w.user(role))
    with django_assert_max_num_queries(7):
        response = client.get(reverse("reviews:queue"))
    groups = {g.key: g.count for g in response.context["groups"]}
    assert groups == {"department_approved": 1, "approved": 1, "returned": 0}
    assert [e.pk for e in response.context["evaluations"]] == [w.other_evaluation.pk]
    response = client.get(reverse("reviews:queue"), {"group": "approved"})
    assert [e.pk for e in response.context["evaluations"]] == [w.foreign_evaluation.pk]


def _submitted(world, n: int, *, one_unit: bool = False, at=None) -> list:
    """``n`` submitted evaluations of new units of the world's department (or of one new unit,
    as projects: they tie on the unit's name), entered their state ``at`` (default: now)."""
    from jixiao.testing import factories as f

    rows = []
    unit = f.UnitFactory.create(parent=world.department)
    for i in range(n):
        if not one_unit:
            unit = f.UnitFactory.create(parent=world.department)
        e = f.EvaluationFactory.create(
            campaign=world.campaign, unit=unit, project_name=f"项目{i:03d}" if one_unit else ""
        )
        move(e, Status.SUBMITTED, world.head, "submit")
        if at is not None:
            type(e).objects.filter(pk=e.pk).update(status_changed_at=at)
        rows.append(e)
    return rows


@pytest.mark.parametrize("role", ["department_reviewer", "bureau_reviewer"])
def test_queue_query_count_does_not_grow_with_rows(client, world, role):
    """3 rows or 60 (more than a page): the same queries — the page's keys, then its rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    group = {"group": "submitted"} if role == "department_reviewer" else {}
    status = Status.SUBMITTED if role == "department_reviewer" else Status.DEPARTMENT_APPROVED
    login(client, world.user(role))
    counted = []
    for n in (3, 57):
        for e in _submitted(world, n):
            if status != Status.SUBMITTED:
                move(e, status, world.department_reviewer, "department_approve")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("reviews:queue"), group)
        counted.append(len(captured.captured_queries))
    assert len(response.context["evaluations"]) == 50  # 60 in the pile: one page
    assert response.context["next_query"]
    assert counted[0] == counted[1] <= 7


def test_queue_pages_walk_every_row_once_oldest_first_with_ties(client, world):
    """Keyset pages of 50: rows that tie on the moment and the unit name come in id order, none
    twice, none missed, across three pages."""
    import datetime as dt
    from urllib.parse import parse_qsl

    from django.utils import timezone

    moment = timezone.now() - dt.timedelta(days=3)
    older = _submitted(world, 2, at=moment - dt.timedelta(days=1))
    tied = _submitted(world, 70, one_unit=True, at=moment)
    newer = _submitted(world, 40)
    login(client, world.department_reviewer)
    seen: list[int] = []
    query = {"group": "submitted"}
    pages = 0
    while True:
        response = client.get(reverse("reviews:queue"), query)
        assert response.status_code == 200
        seen += [e.pk for e in response.context["evaluations"]]
        pages += 1
        if not response.context["next_query"]:
            break
        assert pages < 10
        query = dict(parse_qsl(response.context["next_query"]))
    assert pages == 3
    assert len(seen) == len(set(seen)) == 112  # none twice, none missed
    assert set(seen[:2]) == {e.pk for e in older}
    assert seen[2:72] == sorted(e.pk for e in tied)  # same moment, same unit: by id
    assert set(seen[72:]) == {e.pk for e in newer}
    assert response.context["groups"][0].count == 112


def test_queue_unreadable_cursor_is_the_first_page(client, world):
    rows = _submitted(world, 2)
    login(client, world.department_reviewer)
    for after in ("not-a-cursor", "WyJ4IiwieSIsInoiXQ"):  # the second: ["x","y","z"]
        response = client.get(reverse("reviews:queue"), {"group": "submitted", "after": after})
        assert response.status_code == 200
        assert {e.pk for e in rows} <= {e.pk for e in response.context["evaluations"]}


@pytest.mark.parametrize("role", ["unit_editor", "unit_head"])
def test_unit_queue_shows_own_work_only(client, queued, role):
    login(client, queued.user(role))
    response = client.get(reverse("reviews:queue"))
    groups = {g.key: g.count for g in response.context["groups"]}
    assert groups == {"returned": 0, "draft": 0, "submitted": 1}
    assert [e.pk for e in response.context["evaluations"]] == [queued.evaluation.pk]


def test_queue_needs_login(client, world):
    response = client.get(reverse("reviews:queue"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- reviews:snapshot -------------------------------------------------------------------------


def test_snapshot_signer_line_has_no_nested_brackets(client, world):
    """#8.14: a name that carries its own （…） is not put inside another pair."""
    import re

    world.head.display_name = "陈志强（中心主任）"
    world.head.save()
    step = transition(user=world.head, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    t = Transition.objects.get(evaluation=step)
    login(client, world.user("bureau_reviewer"))
    body = client.get(reverse("reviews:snapshot", args=[t.pk])).content.decode()
    line = next(x for x in body.splitlines() if "记录的内容，只读" in x)
    assert str(world.head) in line
    assert not re.search(r"（[^）]*（", line)


@pytest.mark.parametrize(
    "role", ["unit_editor", "unit_head", "department_reviewer", "bureau_reviewer", "bureau_admin"]
)
def test_snapshot_for_every_role_in_scope(client, world, role):
    step = transition(user=world.head, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    t = Transition.objects.get(evaluation=step)
    login(client, world.user(role))
    response = client.get(reverse("reviews:snapshot", args=[t.pk]))
    assert response.status_code == 200
    assert response.context["result"].total == Decimal("98")
    assert response.context["result"].grade_label == "优"
    body = response.content.decode()
    assert "新增取得职业技能等级认定证书" in body  # indicator table
    assert "18969" in body  # full data table
    assert "全部填报内容" in body


@pytest.mark.parametrize("who", ["other_editor", "other_department_reviewer"])
def test_snapshot_out_of_scope_is_404(client, world, who):
    transition(user=world.head, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    t = Transition.objects.get(evaluation=world.evaluation)
    login(client, getattr(world, who))
    assert client.get(reverse("reviews:snapshot", args=[t.pk])).status_code == 404


def test_snapshot_anonymous_goes_to_login(client, world):
    t = move(world.evaluation, Status.SUBMITTED, world.head, "submit")
    response = client.get(reverse("reviews:snapshot", args=[t.pk]))
    assert response.status_code == 302


def test_deadline_extension_has_no_content_snapshot(client, world):
    import datetime as dt

    from django.utils import timezone

    extend_deadline(
        user=world.bureau_admin,
        evaluation_id=world.evaluation.pk,
        until=timezone.now() + dt.timedelta(days=2),
    )
    t = Transition.objects.get(evaluation=world.evaluation)
    login(client, world.bureau_admin)
    assert client.get(reverse("reviews:snapshot", args=[t.pk])).status_code == 404


# --- reviews:samples / reviews:sample / reviews:recheck -------------------------------------


@pytest.fixture
def sampleable(world):
    for e in (world.evaluation, world.other_evaluation, world.foreign_evaluation):
        move(e, Status.DEPARTMENT_APPROVED, world.department_reviewer)
    return world


@pytest.mark.parametrize("role", ["bureau_reviewer", "bureau_admin"])
def test_bureau_draws_a_sample_with_a_seed(client, sampleable, role):
    w = sampleable
    login(client, w.user(role))
    assert client.get(reverse("reviews:samples")).status_code == 200
    response = client.post(
        reverse("reviews:samples"), {"campaign": w.campaign.pk, "size": "2", "seed": "abc"}
    )
    draw = SampleDraw.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:sample", args=[draw.pk])
    assert (draw.seed, draw.requested, draw.drawn_by) == ("abc", 2, w.user(role))
    again = draw_sample(user=w.bureau_reviewer, campaign=w.campaign, size=2, seed="abc")
    assert sorted(r.evaluation_id for r in draw.rechecks.all()) == sorted(
        r.evaluation_id for r in again.rechecks.all()
    )
    assert messages_of(response) == ["已抽取 2 份自评，随机种子 abc"]


def test_sample_form_errors_keep_the_input(client, sampleable):
    login(client, sampleable.bureau_reviewer)
    response = client.post(
        reverse("reviews:samples"), {"campaign": sampleable.campaign.pk, "size": "0", "seed": "xyz"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"size": ["抽取数量至少为 1"]}
    body = response.content.decode()
    assert 'value="xyz"' in body and 'value="0"' in body
    assert not SampleDraw.objects.exists()


def test_sampling_an_empty_pool_says_why(client, world):
    login(client, world.bureau_reviewer)
    response = client.post(reverse("reviews:samples"), {"campaign": world.campaign.pk, "size": "3"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "该自评工作还没有已报送并经主管部门审核的自评，无法抽样"
    ]
    assert not SampleDraw.objects.exists()


@pytest.mark.parametrize(
    "who", ["editor", "head", "department_reviewer", "other_department_reviewer"]
)
def test_samples_are_404_to_everyone_but_the_bureau(client, sampleable, who):
    w = sampleable
    draw = draw_sample(user=w.bureau_reviewer, campaign=w.campaign, size=1, seed="s")
    recheck = draw.rechecks.get()
    login(client, getattr(w, who))
    assert client.get(reverse("reviews:samples")).status_code == 404
    assert (
        client.post(
            reverse("reviews:samples"), {"campaign": w.campaign.pk, "size": "1"}
        ).status_code
        == 404
    )
    assert client.get(reverse("reviews:sample", args=[draw.pk])).status_code == 404
    response = client.post(
        reverse("reviews:recheck", args=[recheck.pk]), {"score": "90", "opinion": "x"}
    )
    assert response.status_code == 404
    recheck.refresh_from_db()
    assert (recheck.score, recheck.opinion, recheck.reviewer) == (None, "", None)
    assert SampleDraw.objects.count() == 1


def test_samples_anonymous_goes_to_login(client, world):
    assert client.get(reverse("reviews:samples")).status_code == 302


def test_recheck_records_score_and_shows_the_difference(
    client, sampleable, django_assert_max_num_queries
):
    w = sampleable
    draw = draw_sample(user=w.bureau_reviewer, campaign=w.campaign, size=3, seed="s")
    recheck = draw.rechecks.get(evaluation=w.evaluation)
    login(client, w.bureau_reviewer)
    form_page = client.get(reverse("reviews:recheck", args=[recheck.pk]))
    assert form_page.status_code == 200
    assert form_page.context["result"].total == Decimal("98")
    assert "新增取得职业技能等级认定证书" in form_page.content.decode()
    response = client.post(
        reverse("reviews:recheck", args=[recheck.pk]),
        {"score": "91.50", "opinion": "绩效目标设置偏保守，扣分。"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:sample", args=[draw.pk])
    recheck.refresh_from_db()
    assert (recheck.score, recheck.opinion, recheck.reviewer) == (
        Decimal("91.50"),
        "绩效目标设置偏保守，扣分。",
        w.bureau_reviewer,
    )
    with django_assert_max_num_queries(6):
        page = client.get(reverse("reviews:sample", args=[draw.pk]))
    rows = {r.recheck.evaluation_id: r for r in page.context["rows"]}
    assert rows[w.evaluation.pk].self_score == Decimal("98.00")
    assert rows[w.evaluation.pk].difference == Decimal("-6.50")
    assert rows[w.evaluation.pk].is_large
    assert rows[w.other_evaluation.pk].difference is None
    assert page.context["done"] == 1
    assert page.context["mean_gap"] == Decimal("6.50")
    assert "-6.50" in page.content.decode()


def test_a_large_draw_pages_its_rows_and_sums_its_figures_over_all(client, world):
    """120 sampled evaluations: pages of 50 (50, 50, 20) in department, unit order, each row once;
    the figures (rechecked, mean gap, large gaps) over all 120 whatever the page; the same
    queries for the first page of a draw of 3 as of 120."""
    from urllib.parse import parse_qsl

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from jixiao.evaluations.models import Evaluation
    from jixiao.testing import factories as f

    def draw_of(n: int, seed: str) -> SampleDraw:
        draw = SampleDraw.objects.create(
            campaign=world.campaign, drawn_by=world.bureau_reviewer, seed=seed, requested=n
        )
        for i in range(n):
            unit = f.UnitFactory.create(parent=world.department)
            e = f.EvaluationFactory.create(campaign=world.campaign, unit=unit)
            Evaluation.objects.filter(pk=e.pk).update(total=Decimal("80.00"))
            rechecked = i % 2 == 0
            Recheck.objects.create(
                draw=draw,
                evaluation=e,
                # gaps 0, 2, 4, 6, 8, 0, 2, … on the rechecked rows (i % 10 // 2 * 2)
                score=Decimal("80.00") - (i % 10) // 2 * 2 if rechecked else None,
                reviewer=world.bureau_reviewer if rechecked else None,
                reviewed_at=timezone.now() if rechecked else None,
            )
        return draw

    login(client, world.bureau_reviewer)
    small = draw_of(3, "small")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reviews:sample", args=[small.pk]))
    draw = draw_of(120, "large")
    seen: list[int] = []
    query: dict[str, str] = {}
    while True:
        with CaptureQueriesContext(connection) as many:
            page = client.get(reverse("reviews:sample", args=[draw.pk]), query)
        assert len(many.captured_queries) == len(few.captured_queries)
        seen += [r.recheck.pk for r in page.context["rows"]]
        assert page.context["done"] == 60
        # rechecked rows' gaps cycle 0, 2, 4, 6, 8: mean 4.00; 6 and 8 are large (24 rows)
        assert page.context["mean_gap"] == Decimal("4.00")
        assert page.context["large_gaps"] == 24
        if not page.context["next_query"]:
            break
        query = dict(parse_qsl(page.context["next_query"]))
    expected = list(
        Recheck.objects.filter(draw=draw)
        .order_by("evaluation__department_name", "evaluation__unit_name", "pk")
        .values_list("pk", flat=True)
    )
    assert seen == expected and len(seen) == 120


def test_recheck_bad_input_keeps_what_was_typed(client, sampleable):
    w = sampleable
    draw = draw_sample(user=w.bureau_reviewer, campaign=w.campaign, size=1, seed="s")
    recheck = draw.rechecks.get()
    login(client, w.bureau_admin)
    response = client.post(
        reverse("reviews:recheck", args=[recheck.pk]), {"score": "120", "opinion": "意见"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"score": ["复核得分须在 0 到 100 之间"]}
    assert "意见</textarea>" in response.content.decode()
    recheck.refresh_from_db()
    assert recheck.score is None and Recheck.objects.filter(reviewed_at__isnull=False).count() == 0


def test_a_refused_step_keeps_what_the_reviewer_typed(client, world, monkeypatch):
    import jixiao.reviews.services as services

    def refused(**kwargs):
        raise services.TransitionRefused(["自评内容无法评分"])

    monkeypatch.setattr(services, "request_freeze", refused)
    move(world.evaluation, Status.DEPARTMENT_APPROVED, world.department_reviewer)
    login(client, world.bureau_reviewer)
    client.post(
        transition_url(world.evaluation, "bureau_approve"), {"comment": "同意，数据核实无误"}
    )
    assert state(world.evaluation) == (Status.DEPARTMENT_APPROVED, 1)
    page = client.get(reverse("evaluations:detail", args=[world.evaluation.pk]))
    body = page.content.decode()
    assert ">同意，数据核实无误</textarea>" in body
    # the other form of the panel (return) is not filled with it
    assert body.count("同意，数据核实无误") == 1
    monkeypatch.undo()
    client.post(
        transition_url(world.evaluation, "bureau_return"),
        {"comment": "", "section_budget": "请核实年初预算数"},
    )
    assert state(world.evaluation) == (Status.RETURNED, 2)
    assert "reviews_draft" not in client.session


# --- reviews:frozen ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["editor", "head", "department_reviewer", "bureau_reviewer", "bureau_admin"]
)
def test_frozen_documents_before_publication_for_everyone_in_scope(client, world, who):
    move(world.evaluation, Status.APPROVED, world.bureau_reviewer, "bureau_approve")
    freeze_directly(world.evaluation)
    login(client, getattr(world, who))
    response = client.get(reverse("reviews:frozen", args=[world.evaluation.pk, "pdf"]))
    assert response.status_code == 200
    assert response.content == f"{world.evaluation.pk}:pdf".encode()
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, max-age=0"
    panel = client.get(reverse("evaluations:detail", args=[world.evaluation.pk]))
    assert [d.format for d in panel.context["frozen_files"]["documents"]] == [
        "pdf",
        "docx",
        "data.xlsx",
        "scoring.xlsx",
    ]
    assert "公开后，公开平台提供的正是这些文件" in panel.content.decode()


@pytest.mark.parametrize("who", ["other_editor", "other_department_reviewer"])
def test_frozen_documents_out_of_scope_are_404(client, world, who):
    move(world.evaluation, Status.APPROVED, world.bureau_reviewer, "bureau_approve")
    freeze_directly(world.evaluation)
    login(client, getattr(world, who))
    assert (
        client.get(reverse("reviews:frozen", args=[world.evaluation.pk, "pdf"])).status_code == 404
    )


def test_frozen_documents_need_login(client, world):
    freeze_directly(world.evaluation)
    response = client.get(reverse("reviews:frozen", args=[world.evaluation.pk, "pdf"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_samples_list_query_count_is_flat(client, sampleable, django_assert_max_num_queries):
    w = sampleable
    for seed in ("a", "b", "c", "d", "e", "f"):
        draw_sample(user=w.bureau_reviewer, campaign=w.campaign, size=2, seed=seed)
    login(client, w.bureau_admin)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reviews:samples"))
    draws = response.context["draws"]
    assert [d.seed for d in draws] == ["f", "e", "d", "c", "b", "a"]
    assert [(d.sampled, d.done) for d in draws] == [(2, 0)] * 6


def test_queue_filters_by_campaign_and_name_and_counts_follow(client, world):
    from jixiao.testing import factories as f

    old_campaign = f.CampaignFactory.create(bureau=world.bureau, year=2024, title="2024年度自评")
    old = f.EvaluationFactory.create(campaign=old_campaign, unit=world.unit)
    move(old, Status.SUBMITTED, world.head, "submit")
    move(world.evaluation, Status.SUBMITTED, world.head, "submit")
    move(world.other_evaluation, Status.SUBMITTED, world.head, "submit")
    login(client, world.department_reviewer)
    response = client.get(reverse("reviews:queue"))
    assert [c.year for c in response.context["campaigns"]] == [2025, 2024]
    assert response.context["groups"][0].count == 3
    response = client.get(reverse("reviews:queue"), {"campaign": old_campaign.pk})
    assert [e.pk for e in response.context["evaluations"]] == [old.pk]
    assert response.context["groups"][0].count == 1
    response = client.get(reverse("reviews:queue"), {"q": "鉴定指导", "campaign": "x"})
    assert sorted(e.pk for e in response.context["evaluations"]) == sorted(
        [old.pk, world.evaluation.pk]
    )
    assert response.context["campaign_id"] is None


@pytest.mark.parametrize("role", ["department_reviewer", "bureau_reviewer", "unit_head"])
def test_queue_counts_equal_the_piles_as_listed(client, world, role):
    """The piles' counts (from the overview's counters for the bureau and a department, unless
    a search narrows them) are the rows each pile lists, with and without a campaign filter."""
    from jixiao.evaluations.models import Evaluation
    from jixiao.reviews.selectors import review_queue

    rows = _submitted(world, 4)
    move(rows[0], Status.DEPARTMENT_APPROVED, world.department_reviewer, "department_approve")
    Evaluation.objects.filter(pk=rows[1].pk).update(status=Status.RETURNED)
    user = world.user(role)
    for campaign_id in (None, world.campaign.pk, world.campaign.pk + 999):
        for q in ("", world.unit.name[:2]):
            queue = review_queue(user=user, campaign_id=campaign_id, q=q)
            for group in queue["groups"]:
                listed = review_queue(
                    user=user, group=group.key, campaign_id=campaign_id, q=q, size=1000
                )["evaluations"]
                assert group.count == len(listed), (role, campaign_id, q, group.key)
