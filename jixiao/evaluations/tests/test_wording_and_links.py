"""Issue 8.14 (UI wording), 8.15 (缺项清单 links): the verbs and labels a user reads, one format for
time left, the favicon, and each 缺项清单 item pointing at its field."""

from __future__ import annotations

from django.urls import reverse

from jixiao.evaluations.checklist import linked_problems
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.tests.conftest import client_for
from jixiao.reviews.services import submission_problems


def _detail(e: Evaluation) -> str:
    return reverse("evaluations:detail", args=[e.pk])


def test_started_evaluation_says_continue_a_fresh_one_start_and_others_view(world):
    e = world.evaluation
    html = client_for(world.editor).get(_detail(e)).content.decode()
    assert "继续填报" in html and "开始填报" not in html
    Evaluation.objects.filter(pk=e.pk).update(first_saved_at=None)
    assert "开始填报" in client_for(world.editor).get(_detail(e)).content.decode()
    reviewer_page = client_for(world.department_reviewer).get(_detail(e)).content.decode()
    assert "开始填报" not in reviewer_page and "继续填报" not in reviewer_page
    assert ">查看</a>" in reviewer_page


def test_home_todo_verbs_by_role(world):
    e = world.evaluation
    head = client_for(world.head).get(reverse("home")).content.decode()
    assert ">审定并报送</a>" in head
    editor = client_for(world.editor).get(reverse("home")).content.decode()
    assert ">继续填报</a>" in editor
    Evaluation.objects.filter(pk=e.pk).update(first_saved_at=None)
    assert ">开始填报</a>" in client_for(world.editor).get(reverse("home")).content.decode()


def test_evidence_form_chooses_no_indicator_unless_the_link_says_which(world):
    url = reverse("evaluations:evidence", args=[world.evaluation.pk])
    html = client_for(world.editor).get(url).content.decode()
    assert '<option value="" selected>请选择对应指标</option>' in html
    select = html[html.index('name="indicator_code"') :]
    select = select[: select.index("</select>")]
    assert select.count(" selected>") == 1
    linked = client_for(world.editor).get(url + "?indicator=T1").content.decode()
    assert '<option value="T1" selected>' in linked


def test_campaign_form_options_say_their_kind(world):
    html = client_for(world.bureau_admin).get(reverse("campaigns:create")).content.decode()
    assert 'data-kind="department"' in html and 'data-kind="project"' in html


def test_time_left_reads_the_same_on_the_campaign_page(world):
    html = (
        client_for(world.bureau_admin)
        .get(reverse("campaigns:detail", args=[world.campaign.pk]))
        .content.decode()
    )
    assert "剩余" in html and "天" in html
    assert "剩 " not in html and "小时" not in html  # no more "剩 3 天 4 小时"


def test_every_page_has_a_favicon_and_the_name_is_not_cut(world):
    html = client_for(world.editor).get(reverse("home")).content.decode()
    assert 'rel="icon" href="/static/web/favicon.svg"' in html
    assert f'<b class="who-name">{world.editor}</b>' in html


def test_checklist_items_link_to_their_fields(world):
    e = world.evaluation
    data = dict(e.data)
    data["other"] = ""
    data["filled_on"] = None
    targets = [dict(t) for t in data["targets"]]
    targets[2] = {**targets[2], "actual": "1", "explanation": ""}
    data["targets"] = targets
    e.data = data
    items = linked_problems(e, submission_problems(e))
    by_text = {str(i): i.url for i in items}
    edit = reverse("evaluations:edit", args=[e.pk, "other"])
    assert by_text["未填写：其他自评情况"] == edit + "#f-other-other"
    assert by_text["未填写：填报日期"].endswith("/edit/cover/#f-cover-filled_on")
    missed = next(t for t in by_text if "须填写偏差原因分析及改进措施" in t)
    assert by_text[missed].endswith("/edit/targets/#f-targets-2-explanation")
    assert all(item.url for item in items)
    # The panel shows them as links; the anchors exist on the pages they point at.
    e.save()
    html = client_for(world.head).get(_detail(e)).content.decode()
    assert f'<a href="{edit}#f-other-other">未填写：其他自评情况</a>' in html
    page = client_for(world.head).get(edit).content.decode()
    assert 'id="f-other-other"' in page
    targets_page = client_for(world.head).get(reverse("evaluations:edit", args=[e.pk, "targets"]))
    assert 'id="f-targets-2-explanation"' in targets_page.content.decode()


def test_a_refused_submission_lists_its_items_under_one_heading(world):
    e = world.evaluation
    Evaluation.objects.filter(pk=e.pk).update(data={**e.data, "other": "", "process": ""})
    url = reverse("reviews:transition", args=[e.pk, "submit"])
    response = client_for(world.head).post(url, follow=True)
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    assert errors[0].startswith(
        "未能报送，请先完成以下 2 项：1. 未填写：自评工作过程；2. 未填写：其他"
    )
    e.refresh_from_db()
    assert e.status == Status.DRAFT


def test_a_resubmission_is_confirmed_with_its_own_verb(world):
    from jixiao.reviews.tests.helpers import move

    e = world.evaluation
    move(e, Status.RETURNED, world.department_reviewer, action="department_return")
    response = client_for(world.head).post(
        reverse("reviews:transition", args=[e.pk, "submit"]), follow=True
    )
    done = [str(m) for m in response.context["messages"]]
    assert any("已办理“修改后重新报送”" in m for m in done), done
