"""#8.8: the changes between two snapshots, field by field, in the unit's words."""

from __future__ import annotations

import copy

from jixiao.reviews.snapshot_diff import diff_snapshots
from jixiao.testing.factories import seed_evaluation_data


def rows(changes):  # type: ignore[no-untyped-def]
    return [(c.label, c.before, c.after, c.kind) for c in changes]


def test_no_change_no_rows():
    data = seed_evaluation_data()
    assert diff_snapshots(data, copy.deepcopy(data)) == []


def test_changed_fields_are_named_as_the_unit_reads_them():
    before = seed_evaluation_data()
    after = copy.deepcopy(before)
    name = after["targets"][1]["name"]
    after["targets"][1]["explanation"] = "证书需求集中释放，已调整下年目标"
    after["budget"]["change_reason"] = "追加专项经费"
    after["problems"].append("台账不全")
    changes = diff_snapshots(before, after)
    assert (
        f"绩效目标第 2 行（{name}） · 偏差原因分析及改进措施",
        before["targets"][1].get("explanation") or "",
        "证书需求集中释放，已调整下年目标",
        "changed" if before["targets"][1].get("explanation") else "added",
    ) in rows(changes)
    assert (
        "预算 · 预算调整原因",
        before["budget"]["change_reason"],
        "追加专项经费",
        "changed",
    ) in rows(changes)
    n = len(after["problems"])
    assert (f"存在问题第 {n} 行", "", "台账不全", "added") in rows(changes)
    assert len(changes) == 3


def test_a_row_inserted_in_the_middle_changes_only_that_row():
    before = seed_evaluation_data()
    after = copy.deepcopy(before)
    new = {
        "code": "T9",
        "name": "新增目标",
        "unit": "人",
        "target": "10",
        "actual": "12",
        "points": "5",
    }
    after["targets"].insert(0, new)
    changes = diff_snapshots(before, after)
    assert {c.path.split(".")[0] for c in changes} == {"targets[1]"}
    assert all(c.kind == "added" for c in changes)
    assert ("绩效目标第 1 行（新增目标） · 实际完成值", "", "12", "added") in rows(changes)


def test_a_removed_row_is_named_from_the_earlier_content():
    before = seed_evaluation_data()
    after = copy.deepcopy(before)
    gone = after["targets"].pop(0)
    changes = diff_snapshots(before, after)
    assert changes and all(c.kind == "removed" for c in changes)
    assert f"绩效目标第 1 行（{gone['name']}） · 指标名称" in [c.label for c in changes]


def test_the_review_page_shows_what_changed_since_the_return(client, world):
    from django.urls import reverse

    from jixiao.reviews import workflow
    from jixiao.reviews.services import transition

    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer,
        evaluation_id=e.pk,
        action=workflow.DEPARTMENT_RETURN,
        section_comments={"budget": "请说明调整原因"},
    )
    client.force_login(world.department_reviewer)
    page = client.get(reverse("evaluations:detail", args=[e.pk])).content.decode()
    assert "自退回以来的修改" not in page  # nothing resubmitted yet
    e.refresh_from_db()
    e.data["budget"]["change_reason"] = "年中追加鉴定专项经费"
    e.version += 1
    e.save()
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    page = client.get(reverse("evaluations:detail", args=[e.pk])).content.decode()
    diff = page.split('id="changes-since-return"', 1)[1].split("</details>", 1)[0]
    assert "退回后修改了 1 处" in diff
    assert "预算 · 预算调整原因" in diff
    assert "<ins>年中追加鉴定专项经费</ins>" in diff
