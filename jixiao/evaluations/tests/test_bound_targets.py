"""Issue 10 §4: a year-end self-evaluation bound to the approved targets.

Prefilled from the version in force; its bound fields (name, unit, direction, value, 所属评分指标,
分值) and which targets there are are the server's on every write path (entry form, autosave, the
API, an import); actuals and explanations stay the unit's; an adjustment approved later is followed
while the evaluation is editable and shown as a difference once it is not; the report states the
basis; without a declaration everything is as before.
"""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from jixiao.activity.models import Event
from jixiao.conftest import World
from jixiao.evaluations.bound_targets import is_bound_path, target_comparison
from jixiao.evaluations.models import Evaluation, Revision, Status
from jixiao.evaluations.ownership import ServerOwnedChange
from jixiao.evaluations.services import (
    create_tasks,
    follow_declaration,
    follow_targets_in_force,
    save_evaluation_data,
)
from jixiao.evaluations.tests.bound_fixtures import (
    approve_adjustment,
    approve_declaration,
    declaration_data,
    target,
    year_end_campaign,
)
from jixiao.evaluations.tests.conftest import client_for
from jixiao.testing import factories as f

pytestmark = pytest.mark.django_db

BOUND_T1 = {
    "code": "T1",
    "name": "新增取得职业技能等级认定证书",
    "unit": "人次",
    "direction": ">=",
    "target": "12000",
    "target_high": None,
    "parent": "U1",
    "points": "10.00",
    "actual": None,
    "category": "数量指标",  # the declared 二级指标, bound (a rule-set's category cap counts it)
}


def bound_evaluation(world: World) -> Evaluation:
    approve_declaration(world)
    (evaluation,) = create_tasks(
        user=world.bureau_admin, campaign=year_end_campaign(world), units=[world.unit]
    )
    return evaluation


def with_actuals(data: dict[str, Any]) -> dict[str, Any]:
    """The unit's entries on a bound evaluation: the seed's actuals and the rest of its report."""
    out = f.seed_evaluation_data()
    for key in ("kind", "ruleset", "year", "notice", "unit", "targets", "targets_basis"):
        out[key] = copy.deepcopy(data[key])
    actuals = {"T0": "25478", "T1": "18969", "T2": "5570", "T3": "354", "T5": "96"}
    for row in out["targets"]:
        row["actual"] = actuals.get(row["code"], row.get("actual"))
    target(out, "T1")["explanation"] = "全年认定规模增长较快，实际完成超出目标较多。"
    target(out, "T2")["part_of"] = "T1"
    return out


# --- prefill ------------------------------------------------------------------------------------


def test_a_new_task_is_prefilled_from_the_approved_targets(world):
    evaluation = bound_evaluation(world)
    data = evaluation.data
    assert [t["code"] for t in data["targets"]] == ["T0", "T1", "T2", "T3", "T5"]
    assert target(data, "T1") == BOUND_T1
    # Weights 10 / 10 / 5 fill the 25 points of U1 履职产出 as they are; the reported figure T0
    # (no value) and the 满意度 target (gd-department scores 满意度 with its own U3) are unscored.
    assert [(t["parent"], t["points"]) for t in data["targets"]] == [
        (None, None),
        ("U1", "10.00"),
        ("U1", "10.00"),
        ("U1", "5.00"),
        (None, None),
    ]
    assert target(data, "T5")["target"] == "90"
    basis = data["targets_basis"]
    assert basis["title"] == "2025年度部门整体绩效目标"
    assert basis["approved_by"] == world.bureau.name
    assert basis["approved_on"] == "2024-12-20"
    assert basis["adjustment"] is None
    assert len(basis["sha256"]) == 64


def test_without_an_approved_declaration_a_task_is_prefilled_as_before(world):
    # A declaration still in review binds nothing.
    declaration = approve_declaration(world)
    Evaluation.objects.filter(pk=declaration.pk).update(status=Status.SUBMITTED)
    (evaluation,) = create_tasks(
        user=world.bureau_admin, campaign=year_end_campaign(world), units=[world.unit]
    )
    assert "targets_basis" not in evaluation.data
    assert "targets" not in evaluation.data  # no previous year either: the unit sets its own


def test_without_a_declaration_the_unit_still_sets_its_own_targets(world):
    e = world.evaluation
    data = copy.deepcopy(e.data)
    target(data, "T1")["target"] = "11000"
    data["targets"].append({"code": "T9", "name": "新设目标", "unit": "次", "actual": "3"})
    saved = save_evaluation_data(
        user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=data
    )
    assert target(saved.data, "T1")["target"] == "11000"
    assert target(saved.data, "T9")["name"] == "新设目标"
    assert "targets_basis" not in saved.data
    page = client_for(world.editor).get(reverse("evaluations:edit", args=[e.pk, "targets"]))
    html = page.content.decode()
    assert "绩效目标依据" not in html and "data-add-row" in html
    assert 'name="targets-1-target" value="11000"' in html  # editable: not disabled
    assert 'name="targets-1-target" value="11000" inputmode="decimal" class="num" disabled' not in (
        html
    )


def test_a_unit_cannot_claim_a_targets_basis_without_a_declaration(world):
    e = world.evaluation
    data = copy.deepcopy(e.data) | {"targets_basis": {"title": "伪造的批复"}}
    with pytest.raises(ServerOwnedChange) as refused:
        save_evaluation_data(
            user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=data
        )
    assert refused.value.problems[0][0] == "targets_basis"


# --- read-only on every write path --------------------------------------------------------------


def test_the_unit_enters_actuals_and_explanations_on_a_bound_evaluation(world):
    e = bound_evaluation(world)
    saved = save_evaluation_data(
        user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=with_actuals(e.data)
    )
    t1 = target(saved.data, "T1")
    assert (t1["target"], t1["actual"], t1["points"]) == ("12000", "18969", "10.00")
    assert t1["explanation"].startswith("全年认定规模")
    assert target(saved.data, "T2")["part_of"] == "T1"
    assert saved.total is not None  # complete: scored against the approved targets


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("target", "10000"),
        ("points", "25"),
        ("direction", "<="),
        ("name", "新增证书"),
        ("unit", "人"),
        ("parent", "U2"),
        ("category", "其他指标"),  # out of a capped category (docs/rulesets.md「评分选项」)
    ],
)
def test_a_bound_field_is_refused_through_a_save(world, field, value):
    e = bound_evaluation(world)
    data = with_actuals(e.data)
    target(data, "T1")[field] = value
    before = (e.version, e.data)
    with pytest.raises(ServerOwnedChange) as refused:
        save_evaluation_data(
            user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=data
        )
    assert refused.value.problems == [
        (f"targets.1.{field}", "以批复的绩效目标为准，单位不能修改；如需调整，请申请绩效目标调整")
    ]
    e.refresh_from_db()
    assert (e.version, e.data) == before


def test_a_target_cannot_be_added_or_removed(world):
    e = bound_evaluation(world)
    added = with_actuals(e.data)
    added["targets"].append({"code": "T9", "name": "自加目标", "unit": "次", "actual": "1"})
    with pytest.raises(ServerOwnedChange) as refused:
        save_evaluation_data(
            user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=added
        )
    assert refused.value.problems == [
        ("targets.5", "「自加目标」不在批复的绩效目标中：新增绩效目标须经目标调整批准")
    ]
    removed = with_actuals(e.data)
    removed["targets"] = [t for t in removed["targets"] if t["code"] != "T3"]
    with pytest.raises(ServerOwnedChange) as refused:
        save_evaluation_data(
            user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=removed
        )
    assert refused.value.problems == [
        (
            "targets",
            "批复的绩效目标「新增取得技师及以上职业技能等级认定证书」不能删除；如需调整，请申请绩效目标调整",
        )
    ]


def test_the_api_refuses_a_changed_target_value_and_keeps_everything(world):
    e = bound_evaluation(world)
    data = with_actuals(e.data)
    target(data, "T1")["target"] = "9000"
    before = (e.version, e.data)
    response = client_for(world.editor).put(
        f"/api/evaluations/{e.pk}/data",
        data=json.dumps({"version": e.version, "data": data}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {
            "field": "targets.1.target",
            "message": "以批复的绩效目标为准，单位不能修改；如需调整，请申请绩效目标调整",
        }
    ]
    e.refresh_from_db()
    assert (e.version, e.data) == before
    # The same document with the approved value echoed back is saved.
    target(data, "T1")["target"] = "12000.0"
    response = client_for(world.editor).put(
        f"/api/evaluations/{e.pk}/data",
        data=json.dumps({"version": e.version, "data": data}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    e.refresh_from_db()
    assert target(e.data, "T1")["target"] == "12000"
    assert target(e.data, "T1")["actual"] == "18969"


def _form(client, url: str) -> dict[str, str]:
    from jixiao.evaluations.tests.conftest import read_form

    response = client.get(url)
    assert response.status_code == 200
    return read_form(response.content.decode())


@pytest.mark.parametrize("path", ["edit", "autosave"])
def test_the_entry_form_shows_bound_fields_read_only_and_never_takes_them(world, path):
    e = bound_evaluation(world)
    client = client_for(world.editor)
    url = reverse("evaluations:edit", args=[e.pk, "targets"])
    html = client.get(url).content.decode()
    assert (
        "绩效目标依据：" in html
        and "湛江市财政局2024年12月20日批复的2025年度部门整体绩效目标" in (html)
    )
    assert "data-add-row" not in html and "data-remove-row" not in html
    assert "以批复的绩效目标为准" in html
    assert re.search(r'<input[^>]*name="targets-1-target"[^>]*disabled', html)
    data = _form(client, url)
    # A hand-made post: changed values for every bound field, and the unit's actual.
    data.update(
        {
            "targets-1-target": "100",
            "targets-1-points": "25",
            "targets-1-name": "改过的名称",
            "targets-1-unit": "人",
            "targets-1-direction": "<=",
            "targets-1-actual": "18969",
            "targets-1-explanation": "超额完成。",
        }
    )
    target_url = url if path == "edit" else reverse("evaluations:autosave", args=[e.pk, "targets"])
    response = client.post(target_url, data)
    assert response.status_code in (200, 302)
    e.refresh_from_db()
    t1 = target(e.data, "T1")
    assert {k: t1[k] for k in BOUND_T1 if k != "actual"} == {
        k: v for k, v in BOUND_T1.items() if k != "actual"
    }
    assert (t1["actual"], t1["explanation"]) == ("18969", "超额完成。")


def test_a_hand_made_extra_row_is_refused_by_the_form(world):
    e = bound_evaluation(world)
    client = client_for(world.editor)
    url = reverse("evaluations:edit", args=[e.pk, "targets"])
    data = _form(client, url)
    data["targets-TOTAL_FORMS"] = "6"
    data.update({"targets-5-code": "T9", "targets-5-name": "自加目标", "targets-5-actual": "1"})
    version = e.version
    response = client.post(url, data)
    assert response.status_code == 400
    e.refresh_from_db()
    assert e.version == version and [t["code"] for t in e.data["targets"]] == [
        "T0",
        "T1",
        "T2",
        "T3",
        "T5",
    ]


def test_an_imported_workbook_cannot_change_bound_targets(world):
    """The 数据表 workbook read back (the xlsx import path) goes through the same save."""
    from jixiao.documents.package import render_document
    from jixiao.evaluations.scoring_bridge import score_data
    from scoring.evaluation_sheet import read_evaluation_workbook

    e = bound_evaluation(world)
    e = save_evaluation_data(
        user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=with_actuals(e.data)
    )
    changed = copy.deepcopy(e.data)
    target(changed, "T1")["target"] = "15000"
    scored = score_data(changed)
    assert scored.evaluation is not None and scored.result is not None
    workbook = render_document(scored.evaluation, scored.result, "data.xlsx")
    imported, _locator = read_evaluation_workbook(workbook)
    data = json.loads(imported.model_dump_json(exclude_none=True))
    with pytest.raises(ServerOwnedChange) as refused:
        save_evaluation_data(
            user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=data
        )
    assert [p for p, _m in refused.value.problems] == ["targets.1.target"]


def test_the_report_prefill_does_not_offer_bound_fields(world):
    e = bound_evaluation(world)
    assert is_bound_path("targets.1.target", e.data)
    assert is_bound_path("targets.1.points", e.data)
    assert not is_bound_path("targets.1.actual", e.data)
    assert not is_bound_path("targets.1.explanation", e.data)
    assert not is_bound_path("targets.1.target", world.evaluation.data)


# --- an adjustment approved later ---------------------------------------------------------------


def raise_certificates(data: dict[str, Any]) -> None:
    target(data, "T1")["value"] = "18000"
    data["targets"].append(
        {
            "code": "T6",
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "认定结果按时公布率",
            "value": "100",
            "unit": "%",
            "weight": "5",
        }
    )


def test_an_adjustment_approved_later_is_followed_when_the_page_opens(world):
    e = bound_evaluation(world)
    e = save_evaluation_data(
        user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=with_actuals(e.data)
    )
    declaration = Evaluation.objects.get(campaign__kind="targets")
    approve_adjustment(world, declaration, raise_certificates)
    version = e.version
    response = client_for(world.editor).get(reverse("evaluations:edit", args=[e.pk, "targets"]))
    assert response.status_code == 200
    assert "及2025年7月15日批准的第1次目标调整" in response.content.decode()
    e.refresh_from_db()
    assert e.version == version + 1
    t1 = target(e.data, "T1")
    # The new value and the weights re-spread over U1's 25 points (10 : 10 : 5 : 5)…
    assert (t1["target"], t1["points"], t1["actual"]) == ("18000", "8.33", "18969")
    assert target(e.data, "T6")["points"] == "4.17"
    assert sum(Decimal(t["points"] or 0) for t in e.data["targets"]) == 25
    # …and the unit's entries kept.
    assert target(e.data, "T2")["part_of"] == "T1"
    assert e.data["targets_basis"]["adjustment"] == 1
    event = Event.objects.get(action="evaluation.targets_follow")
    assert event.details["adjustment"] == 1
    assert Revision.objects.filter(evaluation=e, version=e.version, saved_by=None).exists()
    # Opening it again changes nothing.
    assert follow_targets_in_force(evaluation_id=e.pk) is False


def test_an_adjustment_is_followed_by_every_editable_evaluation_not_a_submitted_one(world):
    e = bound_evaluation(world)
    declaration = Evaluation.objects.get(campaign__kind="targets")
    approve_adjustment(world, declaration, raise_certificates)
    # The world's own 2025 evaluation (made before the declaration was approved) follows too.
    assert sorted(
        follow_declaration(declaration_id=declaration.pk, actor=world.bureau_reviewer)
    ) == sorted([e.pk, world.evaluation.pk])
    e.refresh_from_db()
    assert target(e.data, "T1")["target"] == "18000"
    Evaluation.objects.filter(pk=e.pk).update(status=Status.SUBMITTED)
    approve_adjustment(world, declaration, lambda d: target(d, "T2").update(value="5000"), number=2)
    assert follow_declaration(declaration_id=declaration.pk) == [world.evaluation.pk]
    e.refresh_from_db()
    assert target(e.data, "T2")["target"] == "4400"  # as submitted


def test_a_save_follows_the_version_in_force(world):
    e = bound_evaluation(world)
    data = with_actuals(e.data)  # the page was opened before the adjustment
    declaration = Evaluation.objects.get(campaign__kind="targets")
    approve_adjustment(world, declaration, raise_certificates)
    saved = save_evaluation_data(
        user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=data
    )
    assert target(saved.data, "T1")["target"] == "18000"
    assert target(saved.data, "T6")["actual"] is None  # new, to fill in
    assert target(saved.data, "T1")["actual"] == "18969"


# --- the reviewer's comparison and the report -----------------------------------------------------


def test_the_reviewer_sees_declared_adjusted_and_evaluated_targets(world):
    e = bound_evaluation(world)
    e = save_evaluation_data(
        user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=with_actuals(e.data)
    )
    Evaluation.objects.filter(pk=e.pk).update(status=Status.SUBMITTED)
    declaration = Evaluation.objects.get(campaign__kind="targets")
    approve_adjustment(world, declaration, raise_certificates)
    e.refresh_from_db()
    comparison = target_comparison(e)
    assert comparison is not None
    assert comparison.columns == ["申报（批复）", "调整1", "自评"]
    assert comparison.stale is True
    rows = {row.code: row for row in comparison.rows}
    assert rows["T1"].values == (
        "新增取得职业技能等级认定证书：≥12000人次（权重10）",
        "新增取得职业技能等级认定证书：≥18000人次（权重10）",
        "新增取得职业技能等级认定证书：≥12000人次（分值10）",
    )
    assert rows["T1"].changed == (False, True, True)
    assert rows["T6"].values[0] == "—" and rows["T6"].values[2] == "—"
    assert rows["T2"].differs is False
    html = client_for(world.department_reviewer).get(reverse("evaluations:detail", args=[e.pk]))
    text = html.content.decode()
    assert html.status_code == 200
    assert "绩效目标对照" in text and "data-targets-stale" in text
    assert '<td class="changed">新增取得职业技能等级认定证书：≥18000人次（权重10）</td>' in text


def test_a_following_evaluation_shows_no_difference_and_unbound_shows_no_table(world):
    e = bound_evaluation(world)
    comparison = target_comparison(e)
    assert comparison is not None and comparison.differs is False
    assert target_comparison(world.evaluation) is None
    page = client_for(world.department_reviewer).get(
        reverse("evaluations:detail", args=[world.evaluation.pk])
    )
    assert "绩效目标对照" not in page.content.decode()


def test_the_report_states_the_approved_targets_and_their_version(world):
    from jixiao.documents.package import render_document
    from jixiao.evaluations.scoring_bridge import score_data
    from scoring.evaluation_sheet import read_evaluation_workbook

    e = bound_evaluation(world)
    declaration = Evaluation.objects.get(campaign__kind="targets")
    approve_adjustment(world, declaration, raise_certificates)
    follow_targets_in_force(evaluation_id=e.pk)
    e.refresh_from_db()
    data = with_actuals(e.data)
    target(data, "T6")["actual"] = "100"
    e = save_evaluation_data(
        user=world.editor, evaluation_id=e.pk, expected_version=e.version, data=data
    )
    scored = score_data(e.data)
    assert scored.evaluation is not None and scored.result is not None
    text = render_document(scored.evaluation, scored.result, "txt").decode()
    assert (
        "绩效目标依据：湛江市财政局2024年12月20日批复的2025年度部门整体绩效目标，"
        "及2025年7月15日批准的第1次目标调整。"
    ) in text
    # Completion against the adjusted value: 18969 / 18000.
    assert "新增取得职业技能等级认定证书18969人次，完成全年任务数的105.38%" in text
    sheet = render_document(scored.evaluation, scored.result, "data.xlsx")
    imported, _locator = read_evaluation_workbook(sheet)
    assert next(t for t in imported.targets if t.code == "T1").target == Decimal(18000)
    # Without a declaration, no such sentence.
    plain = score_data(world.evaluation.data)
    assert plain.evaluation is not None and plain.result is not None
    assert "绩效目标依据" not in render_document(plain.evaluation, plain.result, "txt").decode()


def test_the_bureau_approving_an_adjustment_moves_the_editable_evaluations(world):
    from jixiao.targets.models import AdjustmentStatus, TargetAdjustment
    from jixiao.targets.services import decide_adjustment

    e = bound_evaluation(world)
    declaration = Evaluation.objects.get(campaign__kind="targets")
    adjustment = approve_adjustment(world, declaration, raise_certificates)
    TargetAdjustment.objects.filter(pk=adjustment.pk).update(
        status=AdjustmentStatus.DEPARTMENT_APPROVED, bureau_decided_by=None, bureau_decided_at=None
    )
    assert target(Evaluation.objects.get(pk=e.pk).data, "T1")["target"] == "12000"
    decide_adjustment(user=world.bureau_reviewer, adjustment_id=adjustment.pk, approve=True)
    e.refresh_from_db()
    assert target(e.data, "T1")["target"] == "18000"
    assert e.data["targets_basis"]["adjustment"] == 1
    event = Event.objects.get(action="evaluation.targets_follow", target_id=str(e.pk))
    assert event.actor_username == world.bureau_reviewer.username


def test_the_bureau_approving_a_declaration_binds_the_editable_evaluations_of_its_year(world):
    from jixiao.evaluations.tests.test_targets_path import declared_targets
    from jixiao.reviews.services import transition

    valid = declaration_data() | {"amount": "38.45", "targets": declared_targets()}
    declaration = approve_declaration(world, valid)
    Evaluation.objects.filter(pk=declaration.pk).update(status=Status.DEPARTMENT_APPROVED)
    assert not Evaluation.objects.get(pk=world.evaluation.pk).data.get("targets_basis")
    transition(user=world.bureau_reviewer, evaluation_id=declaration.pk, action="bureau_approve")
    e = Evaluation.objects.get(pk=world.evaluation.pk)
    assert e.data["targets_basis"]["title"] == "2025年度部门整体绩效目标"
    assert [t["code"] for t in e.data["targets"]] == ["T1", "T2", "T3", "T4", "T5"]
    assert target(e.data, "T1")["actual"] == "18969"  # the unit's figures kept


def test_a_project_evaluation_is_bound_to_its_projects_approved_targets(world):
    """national-project: 产出 / 效益 / 满意度 go to its open nodes P 50, O 30, C 10."""
    from jixiao.evaluations.services import create_project_tasks
    from jixiao.projects.models import Project

    project = Project.objects.create(
        unit=world.unit, year=2026, code="P001", name="职业技能鉴定", initial_total=Decimal("250")
    )
    rows = [
        ("T1", "产出指标", "数量指标", "职业技能鉴定人次", ">=", "19000", "人次", "40"),
        ("T2", "产出指标", "成本指标", "人均鉴定成本", "<=", "120", "元/人次", "20"),
        ("T3", "效益指标", "社会效益指标", "鉴定合格率", ">=", "90", "%", "30"),
        ("T4", "满意度指标", "服务对象满意度指标", "考生满意度", ">=", "90", "%", "10"),
    ]
    data = declaration_data(2026) | {
        "scope": "project",
        "project_name": project.name,
        "project_code": project.code,
        "amount": "250",
        "targets": [
            {
                "code": code,
                "level1": level1,
                "level2": level2,
                "name": name,
                "direction": direction,
                "value": value,
                "unit": unit,
                "weight": weight,
            }
            for code, level1, level2, name, direction, value, unit, weight in rows
        ],
    }
    declaration = approve_declaration(world, data, year=2026)
    Evaluation.objects.filter(pk=declaration.pk).update(project=project)
    campaign = f.CampaignFactory.create(
        bureau=world.bureau,
        year=2026,
        kind="project",
        ruleset_ref="national-project@2020.1",
        notice_number="湛财绩〔2027〕3号",
    )
    # The unit's 部门整体 evaluation of the year is not bound to a project's targets.
    (evaluation,) = create_project_tasks(
        user=world.bureau_admin, campaign=campaign, projects=[project]
    )
    targets = evaluation.data["targets"]
    assert [(t["code"], t["parent"], t["points"], t["direction"]) for t in targets] == [
        ("T1", "P", "33.33", ">="),
        ("T2", "P", "16.67", "<="),
        ("T3", "O", "30.00", ">="),
        ("T4", "C", "10.00", ">="),
    ]
    assert evaluation.data["targets_basis"]["title"] == "2026年度「职业技能鉴定」项目绩效目标"
