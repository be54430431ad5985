"""绩效目标申报 through the web: tasks, the entry page, checks, the review workflow, frozen 绩效目标表."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jixiao.activity.models import Event
from jixiao.campaigns.models import Campaign
from jixiao.campaigns.services import create_campaign
from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation, Status
from jixiao.projects.models import Project
from jixiao.reviews import services as reviews
from jixiao.reviews.models import FrozenDocument, Transition
from jixiao.targets.models import TargetCampaignSettings


def campaign_values(**over: Any) -> dict[str, Any]:
    values = {
        "year": 2026,
        "title": "2026年度绩效目标申报",
        "notice_title": "关于做好2026年度预算绩效目标申报工作的通知",
        "notice_number": "湛财绩〔2025〕9号",
        "kind": "targets",
        "ruleset_ref": "",
        "deadline": timezone.now() + dt.timedelta(days=20),
        "cost_threshold": Decimal("100"),
    }
    values.update(over)
    return values


@pytest.fixture
def declared(world: World) -> tuple[Campaign, Evaluation, Evaluation]:
    Project.objects.create(
        unit=world.unit, year=2026, code="P001", name="职业技能鉴定", initial_total=Decimal("250")
    )
    Project.objects.create(unit=world.unit, year=2025, code="P000", name="去年的项目")
    campaign, tasks = create_campaign(
        user=world.bureau_admin,
        values=campaign_values(),
        units=[world.unit, world.other_unit],
    )
    own = [t for t in tasks if t.unit_id == world.unit.pk]
    department = next(t for t in own if t.project_id is None)
    project = next(t for t in own if t.project_id is not None)
    return campaign, department, project


def rows_post(rows: list[dict[str, str]], **fields: str) -> dict[str, Any]:
    names = [
        "code",
        "level1",
        "level2",
        "name",
        "direction",
        "value",
        "value_high",
        "value_text",
        "unit",
        "weight",
        "criteria",
        "explanation",
        "data_source",
        "library_id",
    ]
    post: dict[str, Any] = {name: fields.get(name, "") for name in ("overall_goal", "amount")}
    for name in names:
        post[f"t-{name}"] = [row.get(name, "") for row in rows]
    post.update({k: v for k, v in fields.items() if k not in ("overall_goal", "amount")})
    return post


GOOD_ROWS = [
    {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "职业技能鉴定人次",
        "direction": ">=",
        "value": "19,000",
        "unit": "人次",
        "weight": "40",
        "criteria": "完成得满分，未完成按比例扣分",
    },
    {
        "level1": "产出指标",
        "level2": "成本指标",
        "name": "人均鉴定成本",
        "direction": "<=",
        "value": "120",
        "unit": "元/人次",
        "weight": "20",
    },
    {
        "level1": "效益指标",
        "level2": "社会效益指标",
        "name": "鉴定合格率",
        "direction": ">=",
        "value": "90",
        "unit": "%",
        "weight": "40",
    },
]


def test_a_targets_campaign_gives_each_unit_a_department_and_a_project_declaration(
    world: World, declared: tuple[Campaign, Evaluation, Evaluation]
) -> None:
    campaign, department, project = declared
    assert campaign.ruleset_ref == ""
    assert TargetCampaignSettings.objects.get(campaign=campaign).cost_threshold == Decimal("100")
    assert Evaluation.objects.filter(campaign=campaign).count() == 3  # unit: 2, other unit: 1
    assert department.data["kind"] == "targets" and department.data["scope"] == "department"
    assert project.project_name == "职业技能鉴定"
    assert project.data["scope"] == "project"
    assert project.data["project_code"] == "P001"
    assert project.data["amount"] == "250.00"
    assert project.total is None and project.grade == ""


def test_entry_page_saves_the_table_and_shows_the_checks(
    world: World, declared: tuple[Campaign, Evaluation, Evaluation]
) -> None:
    _campaign, _department, project = declared
    client = Client()
    client.force_login(world.editor)
    url = reverse("evaluations:edit", args=[project.pk, "targets"])
    page = client.get(url)
    assert page.status_code == 200
    assert "审核要点检查" in page.content.decode()
    assert "data-indicator-picker-open" in page.content.decode()  # the 指标库 picker, per row
    bad = rows_post(
        GOOD_ROWS[:1], overall_goal="完成鉴定", amount="250", version=str(project.version)
    )
    bad["t-value"] = ["三十三"]
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "三十三" in response.content.decode()  # what was typed stays in the form
    project.refresh_from_db()
    assert project.version == 0 and project.data["targets"] == []
    ok = rows_post(GOOD_ROWS, overall_goal="完成鉴定 19000 人次", amount="250", version="0")
    response = client.post(url, ok)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.version == 1
    assert [t["code"] for t in project.data["targets"]] == ["T1", "T2", "T3"]
    assert project.data["targets"][0]["value"] == "19000"
    assert project.data["kind"] == "targets" and project.data["project_code"] == "P001"
    assert Event.objects.filter(action="evaluation.save", target_id=str(project.pk)).exists()
    # The live checks read the unsaved page: a 50-point row breaks the weights.
    checks = client.post(
        reverse("targets:checks", args=[project.pk]),
        rows_post([*GOOD_ROWS, {**GOOD_ROWS[2], "name": "满意度", "weight": "50"}],
                  overall_goal="x", amount="250"),
    )  # fmt: skip
    assert checks.status_code == 200
    assert "各指标权重合计为 150，应为 100" in checks.content.decode()
    # A stale version is refused (field-level merge finds the clash) and nothing changes.
    stale = rows_post(GOOD_ROWS, overall_goal="另一个目标", amount="250", version="0")
    assert client.post(url, stale).status_code == 409
    project.refresh_from_db()
    assert project.version == 1


def test_autosave_stores_and_returns_the_new_version(
    world: World, declared: tuple[Campaign, Evaluation, Evaluation]
) -> None:
    _campaign, department, _project = declared
    client = Client()
    client.force_login(world.editor)
    response = client.post(
        reverse("targets:autosave", args=[department.pk]),
        rows_post(GOOD_ROWS[:1], overall_goal="目标", amount="80", version="0", window="w1"),
    )
    assert response.status_code == 200
    assert 'value="1"' in response.content.decode()
    department.refresh_from_db()
    assert department.version == 1 and department.data["amount"] == "80"


def _save(world: World, evaluation: Evaluation, rows: list[dict[str, str]], **fields: str) -> None:
    client = Client()
    client.force_login(world.editor)
    evaluation.refresh_from_db()
    post = rows_post(rows, version=str(evaluation.version), **fields)
    response = client.post(reverse("evaluations:edit", args=[evaluation.pk, "targets"]), post)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_submit_is_refused_with_the_errors_then_return_with_per_target_comments_then_approve(
    world: World,
    declared: tuple[Campaign, Evaluation, Evaluation],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _campaign, _department, project = declared
    # No 成本指标 on a 250 万元 project, and weights 80: two errors; a missing unit only warns.
    rows = [GOOD_ROWS[0], {**GOOD_ROWS[2], "unit": "%"}]
    _save(world, project, rows, overall_goal="完成鉴定", amount="250")
    client = Client()
    client.force_login(world.head)
    response = client.post(reverse("reviews:transition", args=[project.pk, "submit"]), follow=True)
    text = response.content.decode()
    assert "各指标权重合计为 80，应为 100" in text
    assert "项目申报金额 250 万元，超过 100 万元，应至少设置一项成本指标" in text
    project.refresh_from_db()
    assert project.status == Status.DRAFT
    _save(world, project, GOOD_ROWS, overall_goal="完成鉴定 19000 人次", amount="250")
    reviews.transition(user=world.head, evaluation_id=project.pk, action="submit")
    # The department returns with a comment on target T2 (逐项意见).
    dept = Client()
    dept.force_login(world.department_reviewer)
    detail = dept.get(reverse("evaluations:detail", args=[project.pk])).content.decode()
    assert 'name="section_target-T2"' in detail
    assert "indicator-context" in detail  # each target beside its history and benchmark
    dept.post(
        reverse("reviews:transition", args=[project.pk, "department_return"]),
        {"comment": "成本指标偏松", "section_target-T2": "人均成本请按上年实际 110 元设定"},
    )
    project.refresh_from_db()
    assert project.status == Status.RETURNED
    returned = Transition.objects.filter(evaluation=project).latest("pk")
    assert returned.section_comments == {"target-T2": "人均成本请按上年实际 110 元设定"}
    editor = Client()
    editor.force_login(world.editor)
    page = editor.get(reverse("evaluations:edit", args=[project.pk, "targets"])).content.decode()
    assert "人均成本请按上年实际 110 元设定" in page
    fixed = [GOOD_ROWS[0], {**GOOD_ROWS[1], "value": "110"}, GOOD_ROWS[2]]
    project.refresh_from_db()
    post = rows_post(
        fixed, version=str(project.version), overall_goal="完成鉴定 19000 人次", amount="250"
    )
    post["t-code"] = ["T1", "T2", "T3"]
    assert (
        editor.post(reverse("evaluations:edit", args=[project.pk, "targets"]), post).status_code
        == 302
    )
    reviews.transition(user=world.head, evaluation_id=project.pk, action="submit")
    reviews.transition(
        user=world.department_reviewer, evaluation_id=project.pk, action="department_approve"
    )
    with django_capture_on_commit_callbacks(execute=True):  # the freeze job runs after the commit
        reviews.transition(
            user=world.bureau_reviewer, evaluation_id=project.pk, action="bureau_approve"
        )
    project.refresh_from_db()
    assert project.status == Status.APPROVED
    frozen = {d.format: d for d in FrozenDocument.objects.filter(evaluation=project)}
    assert set(frozen) == {"pdf", "targets.xlsx"}
    for document in frozen.values():
        content = bytes(document.content)
        assert document.sha256 == hashlib.sha256(content).hexdigest()
        assert document.size == len(content)
    assert bytes(frozen["pdf"].content).startswith(b"%PDF-")
    assert (
        frozen["targets.xlsx"].filename
        == "2026年度湛江市职业技能鉴定指导中心职业技能鉴定项目支出绩效目标表.xlsx"
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(bytes(frozen["targets.xlsx"].content))).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "2026年度项目支出绩效目标表" in cells
    assert "≥19000" in cells and "≤110" in cells and "人均鉴定成本" in cells
    # The frozen files download for the unit; a declaration is never published on the portal.
    response = editor.get(reverse("reviews:frozen", args=[project.pk, "targets.xlsx"]))
    assert response.status_code == 200
    assert response["X-Content-SHA256"] == frozen["targets.xlsx"].sha256
    with pytest.raises(reviews.TransitionRefused):
        reviews.transition(user=world.bureau_reviewer, evaluation_id=project.pk, action="publish")


def test_another_units_declaration_is_not_found(
    world: World, declared: tuple[Campaign, Evaluation, Evaluation]
) -> None:
    _campaign, department, _project = declared
    client = Client()
    client.force_login(world.other_editor)
    assert client.get(reverse("evaluations:detail", args=[department.pk])).status_code == 404
    assert (
        client.get(reverse("evaluations:edit", args=[department.pk, "targets"])).status_code == 404
    )
    before = Evaluation.objects.get(pk=department.pk).version
    assert client.post(reverse("targets:autosave", args=[department.pk]), {}).status_code == 404
    assert client.post(reverse("targets:checks", args=[department.pk]), {}).status_code == 404
    assert Evaluation.objects.get(pk=department.pk).version == before


def test_self_evaluation_pages_are_not_for_a_declaration(
    world: World, declared: tuple[Campaign, Evaluation, Evaluation]
) -> None:
    _campaign, department, _project = declared
    client = Client()
    client.force_login(world.editor)
    assert (
        client.get(reverse("evaluations:document", args=[department.pk, "pdf"])).status_code == 404
    )
    assert client.get(reverse("evaluations:preview", args=[department.pk])).status_code == 404
    assert client.get(reverse("evaluations:list")).status_code == 200
    # A self-evaluation task is not a declaration for the targets URLs.
    assert client.post(reverse("targets:checks", args=[world.evaluation.pk]), {}).status_code == 404


def test_last_years_actuals_feed_the_below_last_year_warning(
    world: World, declared: tuple[Campaign, Evaluation, Evaluation]
) -> None:
    _campaign, department, _project = declared
    # The unit's FY2025 self-evaluation (the seed: 职业技能鉴定 reached 18969 人次) was handed in.
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=Status.SUBMITTED)
    seed_target = world.evaluation.data["targets"][0]
    row = {
        **GOOD_ROWS[0],
        "name": seed_target["name"],
        "unit": seed_target.get("unit", ""),
        "value": "12000",
    }
    _save(world, department, [row, GOOD_ROWS[1], GOOD_ROWS[2]], overall_goal="目标", amount="40")
    client = Client()
    client.force_login(world.department_reviewer)
    text = client.get(reverse("evaluations:detail", args=[department.pk])).content.decode()
    actual = seed_target["actual"]
    assert f"指标值 12000{row['unit']} 低于上年实际完成值 {actual}{row['unit']}" in text


def test_a_targets_campaign_takes_the_project_registers_scope(world: World) -> None:
    from jixiao.campaigns.services import add_units
    from jixiao.projects.selectors import CampaignScope

    for code, amount in (("P1", "500"), ("P2", "20")):
        Project.objects.create(
            unit=world.unit,
            year=2026,
            code=code,
            name=f"项目{code}",
            adjusted_total=Decimal(amount),
        )
    Project.objects.create(
        unit=world.other_unit,
        year=2026,
        code="P9",
        name="另一单位项目",
        adjusted_total=Decimal(900),
    )
    campaign, tasks = create_campaign(
        user=world.bureau_admin,
        values=campaign_values(),
        units=[world.unit],
        project_scope=CampaignScope(year=2026, min_amount=Decimal(100)),
    )
    assert sorted((t.project.code if t.project else "") for t in tasks) == ["", "P1"]
    # 追加单位 keeps the scope: the other unit's large project, and its 部门整体 declaration.
    added = add_units(user=world.bureau_admin, campaign=campaign, units=[world.other_unit])
    assert sorted((t.project.code if t.project else "") for t in added) == ["", "P9"]
    assert all(t.data["kind"] == "targets" for t in added)


def test_lists_and_overviews_show_a_targets_campaign_without_scores(
    world: World, declared: tuple[Campaign, Evaluation, Evaluation]
) -> None:
    campaign, department, _project = declared
    _save(world, department, GOOD_ROWS, overall_goal="完成鉴定 19000 人次", amount="40")
    reviews.transition(user=world.head, evaluation_id=department.pk, action="submit")
    for user in (world.bureau_admin, world.department_reviewer):
        client = Client()
        client.force_login(user)
        for url in (
            reverse("campaigns:detail", args=[campaign.pk]),
            reverse("campaigns:overview") + f"?campaign={campaign.pk}",
            reverse("evaluations:list") + "?year=2026",
            reverse("reviews:queue"),
            reverse("home"),
        ):
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
    department.refresh_from_db()
    assert department.total is None and department.grade == ""
