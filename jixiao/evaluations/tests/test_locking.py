"""Field-level locking (docs/decisions.md, "Entry: field-level locking"): two windows of one
evaluation may save different fields in any order; a save is refused only when a field it changes
was changed by someone else since the version it started from, and then says who and when."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.urls import reverse

from jixiao.evaluations import services
from jixiao.evaluations.merge import MISSING, apply_changes, changes, conflicts
from jixiao.evaluations.models import Evaluation, Revision
from jixiao.evaluations.tests.conftest import client_for, read_form


def edit_url(e: Evaluation, section: str) -> str:
    return reverse("evaluations:edit", args=[e.pk, section])


def autosave_url(e: Evaluation, section: str) -> str:
    return reverse("evaluations:autosave", args=[e.pk, section])


def test_saving_one_section_does_not_refuse_another_windows_save_of_another_section(world, form_of):
    e = world.evaluation
    window_a, window_b = client_for(world.editor), client_for(world.editor)
    other = form_of(window_a, edit_url(e, "other"))
    group = form_of(window_b, edit_url(e, "group"))
    other["other-other"] = "窗口 A 写的其他情况"
    assert window_a.post(edit_url(e, "other"), other).status_code == 302
    group["group-process"] = "窗口 B 写的评价过程"
    response = window_b.post(edit_url(e, "group"), group)  # based on version 1
    assert response.status_code == 302, response.content.decode()[:1500]
    e.refresh_from_db()
    assert e.version == 3
    assert e.data["other"] == "窗口 A 写的其他情况" and e.data["process"] == "窗口 B 写的评价过程"


def test_different_fields_of_one_section_merge_and_the_same_field_conflicts(world, form_of):
    e = world.evaluation
    mine, theirs = client_for(world.editor), client_for(world.head)
    data_mine = form_of(mine, edit_url(e, "targets"))
    data_theirs = form_of(theirs, edit_url(e, "targets"))
    data_theirs["targets-1-explanation"] = "负责人补充的说明"
    assert theirs.post(edit_url(e, "targets"), data_theirs).status_code == 302
    data_mine["targets-3-explanation"] = "填报人补充的说明"
    assert mine.post(edit_url(e, "targets"), data_mine).status_code == 302
    e.refresh_from_db()
    assert e.version == 3
    assert e.data["targets"][1]["explanation"] == "负责人补充的说明"
    assert e.data["targets"][3]["explanation"] == "填报人补充的说明"

    # The same field, changed by both since version 1: refused, naming the field, who and when.
    data_mine["targets-1-explanation"] = "填报人另写的说明"
    response = mine.post(edit_url(e, "targets"), data_mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "保存被拒绝" in html and "实际完成值" not in html.split("保存被拒绝")[1][:200]
    assert "绩效目标第 2 行" in html and "偏差原因分析及改进措施" in html
    assert str(world.head) in html.split("保存被拒绝")[1][:300]
    assert "现为第 3 版" in html
    assert read_form(html)["targets-1-explanation"] == "填报人另写的说明"  # the text stays
    e.refresh_from_db()
    assert e.version == 3 and e.data["targets"][1]["explanation"] == "负责人补充的说明"


def test_the_same_value_saved_twice_is_no_conflict(world, form_of):
    e = world.evaluation
    a, b = client_for(world.editor), client_for(world.head)
    data_a = form_of(a, edit_url(e, "other"))
    data_b = form_of(b, edit_url(e, "other"))
    data_a["other-other"] = data_b["other-other"] = "两人写了同样的话"
    assert a.post(edit_url(e, "other"), data_a).status_code == 302
    assert b.post(edit_url(e, "other"), data_b).status_code == 302
    e.refresh_from_db()
    assert e.version == 2


def test_an_unchanged_save_does_not_break_other_windows(world, form_of):
    e = world.evaluation
    a, b = client_for(world.editor), client_for(world.head)
    data_a = form_of(a, edit_url(e, "other"))
    data_b = form_of(b, edit_url(e, "other"))
    a.post(edit_url(e, "other"), data_a)  # 保存 without a change
    data_b["other-other"] = "负责人的修改"
    assert b.post(edit_url(e, "other"), data_b).status_code == 302
    e.refresh_from_db()
    assert e.version == 2 and e.data["other"] == "负责人的修改"


def test_autosave_merges_like_the_save_button_and_conflicts_name_the_field(world, form_of):
    e = world.evaluation
    a, b = client_for(world.editor), client_for(world.editor)
    data_a = form_of(a, edit_url(e, "other"))
    data_b = form_of(b, edit_url(e, "budget"))
    data_a["other-other"] = "A 的自动保存"
    assert "已自动保存" in a.post(autosave_url(e, "other"), data_a).content.decode()
    data_b["budget-change_reason"] = "B 的调整原因"
    html = b.post(autosave_url(e, "budget"), data_b).content.decode()
    assert "已自动保存" in html and "（第 3 版）" in html
    assert 'id="entry-version" value="3"' in html  # the page now shows version 3 of its part
    e.refresh_from_db()
    assert e.data["other"] == "A 的自动保存" and e.data["budget"]["change_reason"] == "B 的调整原因"

    data_b["version"] = "1"  # a third window, still on version 1, types in the same field
    data_b["window"] = "third"
    data_b["budget-change_reason"] = "另一个窗口的原因"
    html = b.post(autosave_url(e, "budget"), data_b).content.decode()
    assert "未自动保存" in html and "预算调整原因" in html and str(world.editor) in html
    e.refresh_from_db()
    assert e.version == 3 and e.data["budget"]["change_reason"] == "B 的调整原因"


def test_autosave_that_merged_a_change_on_its_own_page_keeps_its_base(world, form_of):
    """Someone else changed a field this page shows; the page does not show it yet, so basing the
    page's next save on the new version would silently undo that change."""
    e = world.evaluation
    a, b = client_for(world.editor), client_for(world.head)
    data_a = form_of(a, edit_url(e, "other"))
    data_b = form_of(b, edit_url(e, "other"))
    data_b["other-result_statement"] = "负责人的结果说明"
    b.post(edit_url(e, "other"), data_b)
    data_a["other-other"] = "填报人的其他情况"
    html = a.post(autosave_url(e, "other"), data_a).content.decode()
    assert "已自动保存" in html and "已合并保存" in html
    assert 'id="entry-version" value="1"' in html
    data_a["other-other"] = "填报人的其他情况（续）"
    a.post(autosave_url(e, "other"), data_a)
    e.refresh_from_db()
    assert e.data["result_statement"] == "负责人的结果说明"
    assert e.data["other"] == "填报人的其他情况（续）"


def test_every_save_leaves_a_revision_and_an_event_and_a_gap_refuses_instead_of_guessing(
    world, form_of
):
    from jixiao.activity.models import Event

    e = world.evaluation
    client = client_for(world.editor)
    stale = form_of(client, edit_url(e, "group"))
    data = form_of(client, edit_url(e, "other"))
    data["other-other"] = "第一处修改"
    client.post(edit_url(e, "other"), data)
    assert list(Revision.objects.filter(evaluation=e).values_list("version", flat=True)) == [1, 2]
    event = Event.objects.get(action="evaluation.save")
    assert event.details["fields"] == ["其他自评情况"] and event.details["version"] == 2
    # Content written behind the revisions' back: an old base can no longer be known for sure.
    Evaluation.objects.filter(pk=e.pk).update(data={**e.data, "other": "直接改库"})
    stale["group-process"] = "过期窗口的修改"
    response = client.post(edit_url(e, "group"), stale)
    assert response.status_code == 409
    e.refresh_from_db()
    assert e.data["other"] == "直接改库" and e.version == 2


def test_merge_rules():
    base = {"a": "1", "rows": [{"x": "1"}, {"x": "2"}], "n": None}
    theirs = {"a": "1", "rows": [{"x": "1"}, {"x": "2"}, {"x": "3"}], "n": None}
    mine = {"a": "2", "rows": [{"x": "9"}, {"x": "2"}], "n": ""}
    assert changes(base, mine) == {("a",): "2", ("rows", 0, "x"): "9"}  # None ≡ ""
    assert changes(base, theirs) == {("rows",): theirs["rows"]}  # a new row: the list as a whole
    assert conflicts(changes(base, mine), changes(base, theirs), mine, theirs) == [("rows", 0, "x")]
    assert changes({"v": 10}, {"v": "10.0"}) == {} and changes({"c": "0101"}, {"c": "101"})
    assert apply_changes({"a": 1, "b": 2}, {("b",): MISSING}) == {"a": 1}


@pytest.mark.django_db(transaction=True)
def test_two_sessions_at_once_on_postgresql(world):
    """Two saves of the same evaluation at the same moment, from two database sessions: the row
    lock makes them take turns, so both different-field saves land and nothing is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no concurrent writers; the sequential tests cover it")
    e = world.evaluation
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def save(key: str, value: str, user) -> None:
        from django.db import connections

        try:
            barrier.wait()
            services.update_section(
                user=user, evaluation_id=e.pk, expected_version=1, section=key, value=value
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=("other", "会话一", world.editor)),
        threading.Thread(target=save, args=("process", "会话二", world.head)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    e.refresh_from_db()
    assert e.version == 3 and e.data["other"] == "会话一" and e.data["process"] == "会话二"

    # The same field from two sessions at once: exactly one wins, the other is refused.
    barrier.reset()
    results: list[str] = []

    def clash(value: str, user) -> None:
        from django.db import connections

        try:
            barrier.wait()
            services.update_section(
                user=user, evaluation_id=e.pk, expected_version=3, section="other", value=value
            )
            results.append(value)
        except services.EvaluationConflict:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=clash, args=("甲", world.editor)),
        threading.Thread(target=clash, args=("乙", world.head)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2 and results.count("refused") == 1
    e.refresh_from_db()
    assert e.version == 4 and e.data["other"] == next(r for r in results if r != "refused")
