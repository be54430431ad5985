"""绩效目标调整: request, department and bureau decisions, the version in force, the versions page."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.activity.models import Event
from jixiao.campaigns.services import create_campaign
from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation, Status
from jixiao.targets import services
from jixiao.targets.entry import form_from_data
from jixiao.targets.models import AdjustmentStatus, TargetAdjustment
from jixiao.targets.selectors import targets_in_force
from jixiao.targets.tests.test_declarations import GOOD_ROWS, campaign_values, rows_post


@pytest.fixture
def approved(world: World) -> Evaluation:
    _campaign, tasks = create_campaign(
        user=world.bureau_admin, values=campaign_values(), units=[world.unit, world.other_unit]
    )
    declaration = next(t for t in tasks if t.unit_id == world.unit.pk and t.project_id is None)
    client = Client()
    client.force_login(world.editor)
    post = rows_post(GOOD_ROWS, overall_goal="完成鉴定 19000 人次", amount="80", version="0")
    assert (
        client.post(reverse("evaluations:edit", args=[declaration.pk, "targets"]), post).status_code
        == 302
    )
    Evaluation.objects.filter(pk=declaration.pk).update(status=Status.APPROVED)
    declaration.refresh_from_db()
    return declaration


def _proposal(declaration: Evaluation, **changes: Any) -> Any:
    form = form_from_data(declaration.data)
    form.rows[0].update(changes)
    return form


def test_an_adjustment_approved_by_department_and_bureau_becomes_the_version_in_force(
    world: World, approved: Evaluation
) -> None:
    editor = Client()
    editor.force_login(world.editor)
    page = editor.get(reverse("targets:adjust", args=[approved.pk]))
    assert page.status_code == 200
    assert 'value="19000"' in page.content.decode()  # prefilled from the targets in force
    # A reason is required; nothing is stored without one.
    post = rows_post([{**r, "value": "20000" if i == 0 else r["value"]} for i, r in enumerate(GOOD_ROWS)],
                     overall_goal="完成鉴定 19000 人次", amount="80")  # fmt: skip
    post["t-code"] = ["T1", "T2", "T3"]
    refused = editor.post(reverse("targets:adjust", args=[approved.pk]), post)
    assert refused.status_code == 400 and "请填写调整理由" in refused.content.decode()
    assert not TargetAdjustment.objects.exists()
    post["reason"] = "年中新增两个鉴定站点"
    response = editor.post(reverse("targets:adjust", args=[approved.pk]), post)
    assert response.status_code == 302
    adjustment = TargetAdjustment.objects.get()
    assert adjustment.number == 1 and adjustment.status == AdjustmentStatus.REQUESTED
    assert adjustment.base_data["targets"][0]["value"] == "19000"
    assert adjustment.data["targets"][0]["value"] == "20000"
    # A second request while one is open is refused.
    with pytest.raises(services.AdjustmentRefused):
        services.request_adjustment(
            user=world.head,
            declaration_id=approved.pk,
            form=_proposal(approved, value="21000"),
            reason="再调",
        )
    # The bureau cannot decide before the department.
    with pytest.raises(services.AdjustmentRefused):
        services.decide_adjustment(
            user=world.bureau_reviewer, adjustment_id=adjustment.pk, approve=True
        )
    dept = Client()
    dept.force_login(world.department_reviewer)
    queue = dept.get(reverse("targets:adjustments")).content.decode()
    assert reverse("targets:adjustment", args=[adjustment.pk]) in queue
    assert (
        dept.post(
            reverse("targets:adjustment", args=[adjustment.pk]), {"action": "approve"}
        ).status_code
        == 302
    )
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.DEPARTMENT_APPROVED
    before = targets_in_force(unit_id=world.unit.pk, year=2026, project_id=None)
    assert before is not None and before.adjustment is None
    bureau = Client()
    bureau.force_login(world.bureau_reviewer)
    assert (
        bureau.post(
            reverse("targets:adjustment", args=[adjustment.pk]), {"action": "approve"}
        ).status_code
        == 302
    )
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.APPROVED
    canonical = json.dumps(
        adjustment.data, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert adjustment.sha256 == hashlib.sha256(canonical.encode()).hexdigest()
    in_force = targets_in_force(unit_id=world.unit.pk, year=2026, project_id=None)
    assert in_force is not None and in_force.adjustment == adjustment
    assert in_force.data["targets"][0]["value"] == "20000"
    assert [label for label, _data in in_force.versions] == ["申报", "调整1"]
    assert list(
        Event.objects.filter(target_id=str(adjustment.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "target_adjustment.request",
        "target_adjustment.department_approve",
        "target_adjustment.bureau_approve",
    ]
    # Every version side by side, the change highlighted.
    versions = editor.get(reverse("targets:versions", args=[approved.pk])).content.decode()
    assert (
        '<td class="changed">' in versions and "≥20000人次" in versions and "≥19000人次" in versions
    )


def test_a_refusal_needs_a_comment_and_leaves_the_declared_targets_in_force(
    world: World, approved: Evaluation
) -> None:
    adjustment = services.request_adjustment(
        user=world.editor,
        declaration_id=approved.pk,
        form=_proposal(approved, value="15000"),
        reason="任务减少",
    )
    with pytest.raises(services.AdjustmentRefused) as refused:
        services.decide_adjustment(
            user=world.department_reviewer, adjustment_id=adjustment.pk, approve=False
        )
    assert refused.value.problems == ["不同意调整时须填写意见"]
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.REQUESTED
    services.decide_adjustment(
        user=world.department_reviewer, adjustment_id=adjustment.pk, approve=True
    )
    services.decide_adjustment(
        user=world.bureau_reviewer, adjustment_id=adjustment.pk, approve=False, comment="理由不充分"
    )
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.REFUSED and adjustment.sha256 == ""
    assert adjustment.bureau_comment == "理由不充分"
    in_force = targets_in_force(unit_id=world.unit.pk, year=2026, project_id=None)
    assert in_force is not None and in_force.adjustment is None
    assert in_force.data["targets"][0]["value"] == "19000"
    assert Event.objects.filter(action="target_adjustment.bureau_refuse").count() == 1
    # Refused: a new request may follow, numbered 2; the unit may withdraw it.
    second = services.request_adjustment(
        user=world.head,
        declaration_id=approved.pk,
        form=_proposal(approved, value="19500"),
        reason="再议",
    )
    assert second.number == 2
    services.withdraw_adjustment(user=world.editor, adjustment_id=second.pk)
    second.refresh_from_db()
    assert second.status == AdjustmentStatus.WITHDRAWN


def test_a_proposal_that_fails_a_blocking_check_is_refused(
    world: World, approved: Evaluation
) -> None:
    with pytest.raises(services.AdjustmentRefused) as refused:
        services.request_adjustment(
            user=world.editor,
            declaration_id=approved.pk,
            form=_proposal(approved, weight="10"),
            reason="改权重",
        )
    assert refused.value.problems == ["各指标权重合计为 70，应为 100"]
    assert not TargetAdjustment.objects.exists()


def test_adjustments_are_scoped(world: World, approved: Evaluation) -> None:
    adjustment = services.request_adjustment(
        user=world.editor,
        declaration_id=approved.pk,
        form=_proposal(approved, value="19900"),
        reason="微调",
    )
    other = Client()
    other.force_login(world.other_editor)
    assert other.get(reverse("targets:adjustment", args=[adjustment.pk])).status_code == 404
    assert other.get(reverse("targets:versions", args=[approved.pk])).status_code == 404
    assert other.get(reverse("targets:adjust", args=[approved.pk])).status_code == 404
    assert (
        reverse("targets:adjustment", args=[adjustment.pk])
        not in other.get(reverse("targets:adjustments") + "?status=all").content.decode()
    )
    foreign = Client()
    foreign.force_login(world.other_department_reviewer)
    response = foreign.post(
        reverse("targets:adjustment", args=[adjustment.pk]), {"action": "approve"}
    )
    assert response.status_code == 404
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.REQUESTED
    # A reviewer may not request an adjustment.
    dept = Client()
    dept.force_login(world.department_reviewer)
    assert dept.get(reverse("targets:adjust", args=[approved.pk])).status_code == 404


def test_a_draft_declaration_is_changed_directly_not_adjusted(world: World) -> None:
    _campaign, tasks = create_campaign(
        user=world.bureau_admin, values=campaign_values(), units=[world.unit]
    )
    client = Client()
    client.force_login(world.editor)
    response = client.get(reverse("targets:adjust", args=[tasks[0].pk]))
    assert response.status_code == 302


def test_the_api_reads_a_declaration_and_takes_an_adjustment_through_both_decisions(
    world: World, approved: Evaluation
) -> None:
    editor = Client()
    editor.force_login(world.editor)
    body = editor.get(f"/api/targets/declarations/{approved.pk}").json()
    assert body["status"] == "approved" and body["checks"] == []
    assert body["in_force"]["version"] == "申报"
    data = dict(approved.data)
    data["targets"] = [dict(t) for t in data["targets"]]
    data["targets"][0]["value"] = "19800"
    response = editor.post(
        f"/api/targets/declarations/{approved.pk}/adjustments",
        json.dumps({"reason": "新增站点", "data": data}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    adjustment_id = response.json()["id"]
    assert response.json()["data"]["targets"][0]["value"] == "19800"
    for user in (world.department_reviewer, world.bureau_reviewer):
        client = Client()
        client.force_login(user)
        decided = client.post(
            f"/api/targets/adjustments/{adjustment_id}/decision",
            json.dumps({"action": "approve"}),
            content_type="application/json",
        )
        assert decided.status_code == 200, decided.content
    listed = editor.get(f"/api/targets/declarations/{approved.pk}/adjustments").json()
    assert [(a["number"], a["status"]) for a in listed] == [(1, "approved")]
    assert len(listed[0]["sha256"]) == 64
    assert (
        editor.get(f"/api/targets/declarations/{approved.pk}").json()["in_force"]["version"]
        == "调整1"
    )
    other = Client()
    other.force_login(world.other_editor)
    assert other.get(f"/api/targets/adjustments/{adjustment_id}").status_code == 404


def test_the_adjustment_list_pages_with_a_keyset_newest_first_reading_no_documents(
    world: World, approved: Evaluation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """调整审核 at province scale (issue 14): a keyset page of ids (no COUNT over every adjustment,
    no OFFSET), each row's declaration without its document."""
    from jixiao.targets import views

    for number in range(1, 8):
        status = AdjustmentStatus.APPROVED if number < 7 else AdjustmentStatus.REQUESTED
        TargetAdjustment.objects.create(
            declaration=approved,
            number=number,
            status=status,
            reason=f"第{number}次",
            data=approved.data,
            base_data=approved.data,
            requested_by=world.editor,
        )
    expected = list(
        TargetAdjustment.objects.order_by("-pk").values_list("pk", flat=True)
    )  # newest first
    monkeypatch.setattr(views, "ADJUSTMENT_PAGE", 3)
    bureau = Client()
    bureau.force_login(world.bureau_reviewer)
    seen: list[int] = []
    url = reverse("targets:adjustments") + "?status=all"
    for _page in range(5):
        response = bureau.get(url)
        assert response.status_code == 200
        page = response.context["page"]
        seen += [a.pk for a in page.rows]
        assert all("data" in a.declaration.get_deferred_fields() for a in page.rows)
        if not response.context["next_query"]:
            break
        url = reverse("targets:adjustments") + "?" + response.context["next_query"]
    assert seen == expected
    assert "第一页" in response.content.decode()
    # Out of scope: another department's reviewer sees none of them.
    other = Client()
    other.force_login(world.other_department_reviewer)
    assert not other.get(reverse("targets:adjustments") + "?status=all").context["page"].rows
