"""自评工作 pages: list, create (tasks for the units in scope), progress per unit, deadline extension."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation, Status
from jixiao.reviews.models import Transition
from jixiao.testing.factories import PASSWORD, EvaluationFactory, UnitFactory

UNIT_ROLES = ["unit_editor", "unit_head"]
BUREAU_ROLES = ["bureau_reviewer", "bureau_admin"]


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def campaign_values(**overrides):
    values = {
        "year": "2026",
        "notice_number": "湛财绩〔2027〕1号",
        "notice_title": "湛江市财政局关于开展2027年市级财政资金绩效自评工作的通知",
        "title": "2026年度市级部门整体支出绩效自评",
        "kind": "department",
        "ruleset_ref": "gd-department@2025.1",
        "deadline": local(timezone.now() + dt.timedelta(days=40)),
        "project_name": "",
        "scope": "all",
    }
    values.update(overrides)
    return values


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("role", UNIT_ROLES)
def test_unit_users_get_404_everywhere(client, world, role):
    login(client, world.user(role))
    for url in (
        reverse("campaigns:list"),
        reverse("campaigns:create"),
        reverse("campaigns:detail", args=[world.campaign.pk]),
        reverse("campaigns:overview"),
        reverse("campaigns:rulesets"),
        reverse("campaigns:extend", args=[world.campaign.pk, world.evaluation.pk]),
        reverse("campaigns:ruleset_export", args=["gd-department@2025.1"]),
    ):
        assert client.get(url).status_code == 404, url


def test_department_reviewer_reads_but_cannot_manage(client, world):
    login(client, world.department_reviewer)
    assert client.get(reverse("campaigns:list")).status_code == 200
    assert client.get(reverse("campaigns:detail", args=[world.campaign.pk])).status_code == 200
    for url in (
        reverse("campaigns:create"),
        reverse("campaigns:rulesets"),
        reverse("campaigns:extend", args=[world.campaign.pk, world.evaluation.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_department_reviewer_cannot_see_a_campaign_without_its_units(client, world):
    other = Campaign.objects.create(
        bureau=world.bureau,
        year=2025,
        title="只下达给教育局",
        notice_title="通知",
        notice_number="湛财绩〔2026〕9号",
        ruleset_ref="gd-department@2025.1",
        deadline=timezone.now() + dt.timedelta(days=3),
    )
    EvaluationFactory.create(campaign=other, unit=world.foreign_unit)
    login(client, world.department_reviewer)
    assert client.get(reverse("campaigns:detail", args=[other.pk])).status_code == 404
    login(client, world.other_department_reviewer)
    assert client.get(reverse("campaigns:detail", args=[other.pk])).status_code == 200


def test_department_reviewer_sees_only_its_units_progress(client, world):
    login(client, world.department_reviewer)
    response = client.get(reverse("campaigns:detail", args=[world.campaign.pk]))
    units = [row.evaluation.unit for row in response.context["progress"].rows]
    assert units == sorted([world.unit, world.other_unit], key=lambda u: u.name)
    assert world.foreign_unit.name not in response.content.decode()
    assert "延期" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("campaigns:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_unknown_campaign_is_404(client, world):
    login(client, world.bureau_admin)
    assert client.get(reverse("campaigns:detail", args=[99999])).status_code == 404


# ---------------------------------------------------------------- list


def test_list_counts_per_campaign(client, world, django_assert_max_num_queries):
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=Status.SUBMITTED)
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(status=Status.PUBLISHED)
    login(client, world.bureau_reviewer)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("campaigns:list"))
    [item] = response.context["items"]
    assert (item["total"], item["handed_in"], item["approved"], item["percent"]) == (
        3,
        2,
        1,
        Decimal("66.7"),
    )
    login(client, world.department_reviewer)
    [item] = client.get(reverse("campaigns:list")).context["items"]
    assert (item["total"], item["handed_in"], item["percent"]) == (2, 2, Decimal("100.0"))


# ---------------------------------------------------------------- create


@pytest.mark.parametrize("role", BUREAU_ROLES)
def test_bureau_creates_a_campaign_for_all_units(client, world, role):
    inactive = UnitFactory.create(parent=world.department, is_active=False)
    login(client, world.user(role))
    response = client.post(reverse("campaigns:create"), campaign_values())
    campaign = Campaign.objects.get(notice_number="湛财绩〔2027〕1号")
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert campaign.bureau == world.bureau and campaign.created_by == world.user(role)
    tasks = Evaluation.objects.filter(campaign=campaign)
    assert sorted(t.unit_id for t in tasks) == sorted(
        [world.unit.pk, world.other_unit.pk, world.foreign_unit.pk]
    )
    assert not tasks.filter(unit=inactive).exists()
    task = tasks.get(unit=world.unit)
    assert task.status == Status.DRAFT and task.first_saved_at is None
    assert task.data["unit"]["name"] == "湛江市职业技能鉴定指导中心"
    assert task.data["notice"]["number"] == "湛财绩〔2027〕1号"
    assert task.data["year"] == 2026
    # Last year's targets carry over with the actual values left to fill in.
    assert task.data["targets"][1]["name"] == "新增取得职业技能等级认定证书"
    assert task.data["targets"][1]["actual"] is None


def test_create_by_department(client, world):
    login(client, world.bureau_admin)
    client.post(
        reverse("campaigns:create"),
        campaign_values(scope="departments", departments=[world.other_department.pk]),
    )
    campaign = Campaign.objects.get(notice_number="湛财绩〔2027〕1号")
    assert [e.unit for e in campaign.evaluations.all()] == [world.foreign_unit]


def test_create_by_picked_units(client, world):
    login(client, world.bureau_admin)
    client.post(
        reverse("campaigns:create"),
        campaign_values(scope="units", units=[world.unit.pk, world.foreign_unit.pk]),
    )
    campaign = Campaign.objects.get(notice_number="湛财绩〔2027〕1号")
    assert sorted(e.unit_id for e in campaign.evaluations.all()) == sorted(
        [world.unit.pk, world.foreign_unit.pk]
    )


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"scope": "units"}, "units", "请至少选择一个预算单位"),
        ({"scope": "departments"}, "departments", "请至少选择一个主管部门"),
        (
            {"deadline": "2020-01-01T09:00"},
            "deadline",
            "截止时间须晚于现在",
        ),
        (
            {"kind": "project"},
            "ruleset_ref",
            "所选规则集适用于“部门整体支出绩效自评”，与自评类型“项目支出绩效自评”不一致",
        ),
        ({"ruleset_ref": "nope@1"}, "ruleset_ref", None),
        ({"notice_number": ""}, "notice_number", "这个字段是必填项。"),
    ],
)
def test_bad_campaign_input_creates_nothing(client, world, overrides, field, message):
    login(client, world.bureau_admin)
    before = (Campaign.objects.count(), Evaluation.objects.count())
    response = client.post(reverse("campaigns:create"), campaign_values(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    if message is not None:
        assert errors == [message]
    assert (Campaign.objects.count(), Evaluation.objects.count()) == before
    assert "湛江市财政局关于开展2027年市级财政资金绩效自评工作的通知" in response.content.decode()


@pytest.mark.parametrize("role", ["department_reviewer", *UNIT_ROLES])
def test_create_by_non_bureau_is_404_and_creates_nothing(client, world, role):
    login(client, world.user(role))
    before = Campaign.objects.count()
    assert client.post(reverse("campaigns:create"), campaign_values()).status_code == 404
    assert Campaign.objects.count() == before


# ---------------------------------------------------------------- progress


def many_units(world, n=15):
    """n more units with tasks in every state; returns them."""
    states = [Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.PUBLISHED]
    out = []
    for i in range(n):
        unit = UnitFactory.create(parent=world.other_department if i % 2 else world.department)
        out.append(
            EvaluationFactory.create(campaign=world.campaign, unit=unit, status=states[i % 5])
        )
    return out


def test_progress_has_counts_and_no_n_plus_one(client, world, django_assert_max_num_queries):
    many_units(world)
    Evaluation.objects.filter(pk=world.evaluation.pk).update(first_saved_at=None)
    login(client, world.bureau_admin)
    # session, user, campaign, the counts (one aggregate), departments, the page's ids in order,
    # the page's rows with their joins, the user's organisation (page header): constant in the
    # number of units.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("campaigns:detail", args=[world.campaign.pk]))
    progress = response.context["progress"]
    assert progress.total == 18
    assert {key: n for key, _label, n in progress.counts} == {
        "not_started": 1,
        "drafting": 5,
        "submitted": 3,
        "returned": 3,
        "approved": 3,
        "published": 3,
    }
    assert progress.overdue == 0
    assert len(progress.rows) == 18


def test_progress_filters_by_department_and_state(client, world):
    many_units(world)
    login(client, world.bureau_admin)
    url = reverse("campaigns:detail", args=[world.campaign.pk])
    response = client.get(url, {"department": world.other_department.pk, "state": "returned"})
    rows = response.context["progress"].rows
    assert {row.evaluation.unit.parent_id for row in rows} == {world.other_department.pk}
    assert {row.progress for row in rows} == {"returned"}
    assert len(rows) == 1
    # Counts stay those of the whole scope so the chips still add up.
    assert response.context["progress"].total == 18


def test_progress_marks_overdue_and_countdown(client, world):
    Evaluation.objects.filter(pk=world.evaluation.pk).update(
        deadline_override=timezone.now() - dt.timedelta(days=1)
    )
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(status=Status.SUBMITTED)
    login(client, world.bureau_admin)
    response = client.get(
        reverse("campaigns:detail", args=[world.campaign.pk]), {"state": "overdue"}
    )
    [row] = response.context["progress"].rows
    assert row.evaluation == world.evaluation and row.overdue and row.remaining is None
    response = client.get(reverse("campaigns:detail", args=[world.campaign.pk]))
    rows = {row.evaluation.pk: row for row in response.context["progress"].rows}
    assert rows[world.other_evaluation.pk].remaining is None  # handed in: no countdown
    assert rows[world.foreign_evaluation.pk].remaining > dt.timedelta(days=29)


# ---------------------------------------------------------------- extend deadline


def test_bureau_extends_one_units_deadline(client, world):
    login(client, world.bureau_admin)
    until = timezone.now() + dt.timedelta(days=60)
    url = reverse("campaigns:extend", args=[world.campaign.pk, world.evaluation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"until": local(until), "reason": "单位主要负责人调整"})
    assert response.status_code == 302
    world.evaluation.refresh_from_db()
    assert local(world.evaluation.deadline_override) == local(until)
    step = Transition.objects.get(evaluation=world.evaluation, action="extend_deadline")
    assert step.comment == "单位主要负责人调整" and step.actor == world.bureau_admin
    world.other_evaluation.refresh_from_db()
    assert world.other_evaluation.deadline_override is None


def test_extend_to_the_past_is_refused_and_changes_nothing(client, world):
    login(client, world.bureau_admin)
    url = reverse("campaigns:extend", args=[world.campaign.pk, world.evaluation.pk])
    response = client.post(url, {"until": "2020-01-01T09:00", "reason": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors["until"] == ["延长后的截止时间须晚于现在"]
    world.evaluation.refresh_from_db()
    assert world.evaluation.deadline_override is None
    assert not Transition.objects.filter(evaluation=world.evaluation).exists()


def test_extend_needs_a_reason(client, world):
    login(client, world.bureau_admin)
    url = reverse("campaigns:extend", args=[world.campaign.pk, world.evaluation.pk])
    until = local(timezone.now() + dt.timedelta(days=5))
    response = client.post(url, {"until": until, "reason": ""})
    assert response.context["form"].errors["reason"] == ["这个字段是必填项。"]
    world.evaluation.refresh_from_db()
    assert world.evaluation.deadline_override is None


@pytest.mark.parametrize("role", ["department_reviewer", *UNIT_ROLES])
def test_extend_by_others_is_404_and_changes_nothing(client, world, role):
    login(client, world.user(role))
    url = reverse("campaigns:extend", args=[world.campaign.pk, world.evaluation.pk])
    until = local(timezone.now() + dt.timedelta(days=5))
    assert client.post(url, {"until": until, "reason": "请延期"}).status_code == 404
    world.evaluation.refresh_from_db()
    assert world.evaluation.deadline_override is None
    assert not Transition.objects.filter(evaluation=world.evaluation).exists()


def test_extend_an_evaluation_of_another_campaign_is_404(client, world):
    other = Campaign.objects.create(
        bureau=world.bureau,
        year=2024,
        title="旧的",
        notice_title="通知",
        notice_number="湛财绩〔2025〕1号",
        ruleset_ref="gd-department@2025.1",
        deadline=timezone.now(),
    )
    login(client, world.bureau_admin)
    url = reverse("campaigns:extend", args=[other.pk, world.evaluation.pk])
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- export


def test_progress_export_has_the_scoped_rows(client, world):
    import io

    from openpyxl import load_workbook

    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(status=Status.SUBMITTED)
    login(client, world.department_reviewer)
    response = client.get(reverse("campaigns:progress_export", args=[world.campaign.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["报送进度"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [(r[1], r[4], r[7], r[8]) for r in rows] == sorted(
        [
            (world.unit.name, "填报中", 98, "优"),
            (world.other_unit.name, "已报送", 98, "优"),
        ]
    )
    response = client.get(
        reverse("campaigns:progress_export", args=[world.campaign.pk]), {"state": "submitted"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["报送进度"]
    assert [r[1] for r in sheet.iter_rows(min_row=4, values_only=True)] == [world.other_unit.name]


@pytest.mark.parametrize("role", UNIT_ROLES)
def test_progress_export_is_404_for_units(client, world, role):
    login(client, world.user(role))
    url = reverse("campaigns:progress_export", args=[world.campaign.pk])
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- add units


def test_bureau_adds_a_new_unit_to_a_running_campaign(client, world):
    late = UnitFactory.create(parent=world.department, name="湛江市新设中心")
    UnitFactory.create(parent=world.department, name="已停用单位", is_active=False)
    login(client, world.bureau_admin)
    url = reverse("campaigns:add_units", args=[world.campaign.pk])
    response = client.get(url)
    offered = list(response.context["form"].fields["units"].queryset)
    assert offered == [late]  # units with a task and inactive units are not offered
    response = client.post(url, {"units": [late.pk]})
    assert response.status_code == 302
    task = Evaluation.objects.get(campaign=world.campaign, unit=late)
    assert task.status == Status.DRAFT and task.data["unit"]["name"] == "湛江市新设中心"


def test_adding_a_unit_that_already_has_a_task_is_refused(client, world):
    login(client, world.bureau_admin)
    url = reverse("campaigns:add_units", args=[world.campaign.pk])
    before = Evaluation.objects.count()
    response = client.post(url, {"units": [world.unit.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["units"]
    assert Evaluation.objects.count() == before


@pytest.mark.parametrize("role", ["department_reviewer", *UNIT_ROLES])
def test_add_units_by_others_is_404_and_adds_nothing(client, world, role):
    late = UnitFactory.create(parent=world.department)
    login(client, world.user(role))
    url = reverse("campaigns:add_units", args=[world.campaign.pk])
    assert client.post(url, {"units": [late.pk]}).status_code == 404
    assert not Evaluation.objects.filter(unit=late).exists()


# ---------------------------------------------------------------- edit


def test_bureau_moves_the_common_deadline(client, world):
    Evaluation.objects.filter(pk=world.evaluation.pk).update(
        deadline_override=timezone.now() + dt.timedelta(days=90)
    )
    login(client, world.bureau_reviewer)
    url = reverse("campaigns:edit", args=[world.campaign.pk])
    assert client.get(url).status_code == 200
    new = timezone.now() + dt.timedelta(days=45)
    response = client.post(url, {"title": "2025年度部门整体自评（延期）", "deadline": local(new)})
    assert response.status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.title == "2025年度部门整体自评（延期）"
    assert local(world.campaign.deadline) == local(new)
    other = Evaluation.objects.get(pk=world.other_evaluation.pk)
    assert local(other.deadline) == local(new)
    own = Evaluation.objects.get(pk=world.evaluation.pk)
    assert own.deadline > new  # its own extension stays


def test_edit_with_a_past_deadline_changes_nothing(client, world):
    before = world.campaign.deadline
    login(client, world.bureau_admin)
    response = client.post(
        reverse("campaigns:edit", args=[world.campaign.pk]),
        {"title": "改名", "deadline": "2020-01-01T00:00"},
    )
    assert response.context["form"].errors["deadline"] == ["截止时间须晚于现在"]
    world.campaign.refresh_from_db()
    assert (world.campaign.title, world.campaign.deadline) == (
        "2025年度市级部门整体支出绩效自评",
        before,
    )


@pytest.mark.parametrize("role", ["department_reviewer", *UNIT_ROLES])
def test_edit_by_others_is_404_and_changes_nothing(client, world, role):
    login(client, world.user(role))
    url = reverse("campaigns:edit", args=[world.campaign.pk])
    new = local(timezone.now() + dt.timedelta(days=45))
    assert client.post(url, {"title": "改名", "deadline": new}).status_code == 404
    world.campaign.refresh_from_db()
    assert world.campaign.title == "2025年度市级部门整体支出绩效自评"


def test_progress_pages_with_a_keyset_and_filters(client, world):
    """Pages of 5 follow one another without a gap or a repeat (keyset, not OFFSET); grade and
    search narrow the table while the chips keep counting the whole scope."""
    many_units(world)
    login(client, world.bureau_admin)
    url = reverse("campaigns:detail", args=[world.campaign.pk])
    seen: list[int] = []
    query: dict[str, str] = {"size": "5"}
    for _ in range(10):
        response = client.get(url, query)
        progress = response.context["progress"]
        seen += [row.evaluation.pk for row in progress.rows]
        if not progress.page.next_cursor:
            break
        query = {"size": "5", "after": progress.page.next_cursor}
    everything = client.get(url).context["progress"]
    assert seen == [row.evaluation.pk for row in everything.rows]
    assert len(seen) == len(set(seen)) == 18
    assert everything.matching == 18

    response = client.get(url, {"q": world.unit.name[:6]})
    assert [row.evaluation.unit for row in response.context["progress"].rows] == [world.unit]
    assert response.context["progress"].matching == 1
    assert response.context["progress"].total == 18
    Evaluation.objects.filter(pk=world.foreign_evaluation.pk).update(grade="差")
    response = client.get(url, {"grade": "差"})
    assert [r.evaluation.pk for r in response.context["progress"].rows] == [
        world.foreign_evaluation.pk
    ]
    # An unreadable cursor is the first page, not an error.
    response = client.get(url, {"after": "!!not-a-cursor"})
    assert response.status_code == 200
    assert len(response.context["progress"].rows) == 18


@pytest.mark.parametrize(
    "statuses",
    [
        (Status.RETURNED, Status.DEPARTMENT_APPROVED, Status.DRAFT),
        (Status.APPROVED, Status.SUBMITTED, Status.RETURNED),
    ],
)
def test_list_counts_from_the_counters_equal_the_evaluations(world, statuses):
    """campaign_list sums the overview's counters where they cover the scope: the same figures
    as counting the evaluations in scope (bureau: the campaign; department: its units)."""
    from jixiao.campaigns.selectors import campaign_list

    evaluations = [world.evaluation, world.other_evaluation, world.foreign_evaluation]
    for evaluation, status in zip(evaluations, statuses, strict=True):
        Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    for user, scope in (
        (world.bureau_reviewer, Evaluation.objects.filter(campaign=world.campaign)),
        (
            world.department_reviewer,
            Evaluation.objects.filter(campaign=world.campaign, unit__parent=world.department),
        ),
    ):
        [item] = campaign_list(user=user)
        states = list(scope.values_list("status", flat=True))
        handed_in = sum(1 for s in states if s not in (Status.DRAFT, Status.RETURNED))
        approved = sum(1 for s in states if s in (Status.APPROVED, Status.PUBLISHED))
        assert (item["total"], item["handed_in"], item["approved"]) == (
            len(states),
            handed_in,
            approved,
        )
