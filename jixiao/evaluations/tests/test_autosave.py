"""Autosave: stores the structurally valid draft (even when incomplete), refuses malformed input
without saving anything, and never overwrites a colleague's newer version."""

from __future__ import annotations

from django.urls import reverse

from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.tests.conftest import client_for


def urls(e: Evaluation, section: str) -> tuple[str, str]:
    return (
        reverse("evaluations:edit", args=[e.pk, section]),
        reverse("evaluations:autosave", args=[e.pk, section]),
    )


def test_autosave_stores_an_incomplete_draft_and_reports_what_is_pending(world, form_of):
    e = world.evaluation
    edit, autosave = urls(e, "targets")
    client = client_for(world.editor)
    data = form_of(client, edit)
    data["targets-2-actual"] = ""  # not known yet: the target scores nothing until it is filled
    response = client.post(autosave, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "已自动保存" in html and "（第 2 版）" in html
    assert 'id="entry-version" value="2" hx-swap-oob="true"' in html
    e.refresh_from_db()
    assert e.version == 2
    assert e.data["targets"][2]["actual"] is None
    assert e.total is None and e.grade == ""  # an incomplete draft has no score yet


def test_autosave_refuses_malformed_input_and_saves_nothing(world, form_of):
    e = world.evaluation
    edit, autosave = urls(e, "budget")
    client = client_for(world.editor)
    data = form_of(client, edit)
    data["rows-0-initial"] = "33,28"
    response = client.post(autosave, data)
    html = response.content.decode()
    msg = "“33,28”中的逗号不能作小数点，请用小数点（如 33.28）"
    assert "未自动保存" in html and msg in html
    assert 'id="entry-version"' not in html  # the form keeps its version: nothing was stored
    # The error goes next to its field at once (entry.js reads #field-errors), and in the banner.
    assert (
        f'id="field-errors" hidden data-errors="{{&quot;rows-0-initial&quot;: [&quot;{msg}' in html
    )
    assert "未保存，请先改正以下问题" in html
    e.refresh_from_db()
    assert e.version == 1 and e.data["budget"]["rows"][0]["initial"] == "33.28"


def test_autosave_reads_grouped_and_full_width_figures(world, form_of):
    # Issue 8.3: "11,360" and full-width digits are what Chinese office input looks like.
    e = world.evaluation
    edit, autosave = urls(e, "budget")
    client = client_for(world.editor)
    data = form_of(client, edit)
    data["rows-0-initial"] = "３３．２８"
    data["rows-0-full_year"] = "1,138.45"
    data["rows-0-executed"] = "１，１３８．４５"
    assert "已自动保存" in client.post(autosave, data).content.decode()
    e.refresh_from_db()
    row = e.data["budget"]["rows"][0]
    assert (row["initial"], row["full_year"], row["executed"]) == ("33.28", "1138.45", "1138.45")


def test_save_refuses_a_bad_grouping_and_keeps_the_typed_text(world, form_of):
    e = world.evaluation
    edit, _autosave = urls(e, "budget")
    client = client_for(world.editor)
    data = form_of(client, edit)
    data["rows-0-executed"] = "1,23,4"
    response = client.post(edit, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "“1,23,4”的千位分隔不正确：逗号应每三位一个（如 11,360），或不用逗号" in html
    assert 'value="1,23,4"' in html
    e.refresh_from_db()
    assert e.version == 1


def test_autosave_after_autosave_uses_the_new_version(world, form_of):
    e = world.evaluation
    edit, autosave = urls(e, "other")
    client = client_for(world.editor)
    data = form_of(client, edit)
    data["other-other"] = "第一稿"
    client.post(autosave, data)
    data["version"] = "2"  # what the out-of-band swap put into the form
    data["other-other"] = "第二稿"
    assert "（第 3 版）" in client.post(autosave, data).content.decode()
    e.refresh_from_db()
    assert e.version == 3 and e.data["other"] == "第二稿"


def test_autosave_conflict_keeps_the_newer_version(world, form_of):
    e = world.evaluation
    edit, autosave = urls(e, "other")
    mine, theirs = client_for(world.editor), client_for(world.head)
    data_mine = form_of(mine, edit)
    data_theirs = form_of(theirs, edit)
    data_theirs["other-other"] = "负责人的修改"
    theirs.post(edit, data_theirs)
    data_mine["other-other"] = "填报人的修改"
    html = mine.post(autosave, data_mine).content.decode()
    assert "未自动保存" in html and "保存被拒绝" in html and "重新载入最新版本" in html
    assert 'id="conflict-box" hx-swap-oob="true"' in html
    e.refresh_from_db()
    assert e.version == 2 and e.data["other"] == "负责人的修改"


def test_autosave_refused_for_reviewers_and_locked_evaluations(world, form_of):
    e = world.evaluation
    edit, autosave = urls(e, "other")
    data = form_of(client_for(world.editor), edit)
    data["other-other"] = "改动"
    html = client_for(world.department_reviewer).post(autosave, data).content.decode()
    assert "不可修改" in html
    Evaluation.objects.filter(pk=e.pk).update(status=Status.APPROVED)
    html = client_for(world.editor).post(autosave, data).content.decode()
    assert "不可修改" in html
    e.refresh_from_db()
    assert e.version == 1 and e.data["other"].startswith("本次自评工作")


def test_autosave_of_another_units_evaluation_is_404(world, form_of):
    data = form_of(client_for(world.editor), urls(world.evaluation, "other")[0])
    _edit, autosave = urls(world.other_evaluation, "other")
    assert client_for(world.editor).post(autosave, data).status_code == 404
    world.other_evaluation.refresh_from_db()
    assert world.other_evaluation.version == 1


def test_a_successful_autosave_clears_the_errors_a_refused_one_placed(world, form_of):
    """Issue 8.5: a refused autosave puts its errors next to the fields and in the banner at once;
    the next stored autosave empties both (the page's own banner from a refused 保存 too)."""
    e = world.evaluation
    edit, autosave = urls(e, "budget")
    client = client_for(world.editor)
    data = form_of(client, edit)
    data["rows-0-initial"] = "33,28"
    page = client.post(edit, data).content.decode()  # 保存 refused: the banner is on the page
    assert '<div id="form-errors"><div class="form-errors" role="alert">' in page
    data["rows-0-initial"] = "33.3"
    html = client.post(autosave, data).content.decode()
    assert "已自动保存" in html
    assert '<div id="form-errors" hx-swap-oob="true"></div>' in html
    assert '<div id="field-errors" hidden data-errors="" hx-swap-oob="true"></div>' in html
    e.refresh_from_db()
    assert e.data["budget"]["rows"][0]["initial"] == "33.3"
