"""Issue 8.2 on the entry pages: an impossible value is refused by save and autosave with its
message next to the field (the typed text stays); an implausible one is stored and flagged in the
live score panel and the 缺项清单."""

from __future__ import annotations

from django.urls import reverse

from jixiao.evaluations.tests.conftest import client_for, read_form


def urls(e, section):  # type: ignore[no-untyped-def]
    return (
        reverse("evaluations:edit", args=[e.pk, section]),
        reverse("evaluations:autosave", args=[e.pk, section]),
    )


def test_a_negative_share_is_refused_by_autosave_and_save(world, form_of):
    e = world.evaluation
    edit, autosave = urls(e, "targets")
    client = client_for(world.editor)
    data = form_of(client, edit)
    data["targets-1-unit"] = "%"
    data["targets-1-actual"] = "-5"
    message = "实际完成值 -5% 不可能为负"
    html = client.post(autosave, data).content.decode()
    assert "未自动保存" in html and message in html
    response = client.post(edit, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert read_form(page)["targets-1-actual"] == "-5"
    e.refresh_from_db()
    assert e.version == 1


def test_spending_above_the_budget_is_stored_and_flagged(world, form_of):
    e = world.evaluation
    edit, autosave = urls(e, "budget")
    client = client_for(world.editor)
    data = form_of(client, edit)
    data["rows-0-full_year"] = "12"
    data["rows-0-executed"] = "13"
    data["rows-0-initial"] = "12"
    data["budget-change_reason"] = ""
    html = client.post(autosave, data).content.decode()
    assert "已自动保存" in html
    e.refresh_from_db()
    assert e.data["budget"]["rows"][0]["executed"] == "13"
    page = client.get(edit).content.decode()
    flag = "全年执行数 13 万元超过全年预算数 12 万元（执行率 108.33%）"
    assert flag in page  # the live score panel, and the explanation field marked missing
    detail = client.get(reverse("evaluations:detail", args=[e.pk])).content.decode()
    assert flag in detail  # the 缺项清单 the reviewer and the head see
