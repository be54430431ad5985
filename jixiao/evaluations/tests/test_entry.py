"""Section editing: prefilled forms, saving, Chinese errors next to the fields, nothing lost or saved
on bad input, and concurrent edits refused with the stored data left as the first save made it."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.sections import SECTIONS
from jixiao.evaluations.tests.conftest import client_for, read_form


def edit_url(e: Evaluation, section: str) -> str:
    return reverse("evaluations:edit", args=[e.pk, section])


@pytest.mark.parametrize("section", [s.key for s in SECTIONS])
def test_every_section_prefills_and_an_unchanged_save_writes_nothing(world, form_of, section):
    from jixiao.activity.models import Event

    e = world.evaluation
    before = copy.deepcopy(e.data)
    events = Event.objects.count()
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, section))
    assert data["version"] == "1"
    response = client.post(edit_url(e, section), data, follow=True)
    assert response.redirect_chain, response.content.decode()[:2000]
    assert "没有修改，无需保存（仍为第 1 版）" in response.content.decode()
    e.refresh_from_db()
    assert e.version == 1 and e.data == before  # no new version, nothing rewritten
    assert e.total == Decimal("98.00") and e.grade == "优"
    assert Event.objects.count() == events  # and no 操作日志 entry


def test_targets_form_shows_the_seed_targets(world, form_of):
    client = client_for(world.editor)
    data = form_of(client, edit_url(world.evaluation, "targets"))
    assert data["targets-TOTAL_FORMS"] == "5"
    assert [data[f"targets-{i}-code"] for i in range(5)] == ["T0", "T1", "T2", "T3", "T4"]
    assert data["targets-1-target"] == "12000"
    assert data["targets-1-actual"] == "18969"
    assert data["targets-1-parent"] == "U1"
    assert data["targets-2-part_of"] == "T1"


def test_changing_an_actual_rescores_and_saves(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "targets"))
    data["targets-3-actual"] = "155"  # 技师及以上: 155 of 310 → 50%, 5 points → 2.50
    data["targets-3-explanation"] = "受政策调整影响，部分认定延期至次年。"
    response = client.post(edit_url(e, "targets"), data)
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.data["targets"][3]["actual"] == "155"
    assert e.data["targets"][3]["explanation"] == "受政策调整影响，部分认定延期至次年。"
    assert e.total == Decimal("95.50")
    assert e.version == 2


def test_removing_and_adding_target_rows(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "targets"))
    data["targets-0-DELETE"] = "on"  # T0, a reported figure only
    data.update(
        {
            "targets-TOTAL_FORMS": "6",
            "targets-5-code": "T5",
            "targets-5-name": "开展质量督导检查",
            "targets-5-unit": "次",
            "targets-5-direction": ">=",
            "targets-5-actual": "12",
        }
    )
    assert client.post(edit_url(e, "targets"), data).status_code == 302
    e.refresh_from_db()
    assert [t["code"] for t in e.data["targets"]] == ["T1", "T2", "T3", "T4", "T5"]
    assert e.data["targets"][4]["name"] == "开展质量督导检查"
    assert e.data["targets"][4]["parent"] is None
    assert e.total == Decimal("98.00")


def test_form_error_keeps_the_input_and_saves_nothing(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "budget"))
    data["rows-0-executed"] = "三十八"
    data["budget-change_reason"] = "新写的调整原因"
    response = client.post(edit_url(e, "budget"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "未保存，请先改正以下问题" in html
    assert "资金来源第 1 行 · 全年执行数（万元）：“三十八”不是数字" in html
    assert read_form(html)["rows-0-executed"] == "三十八"
    assert read_form(html)["budget-change_reason"] == "新写的调整原因"
    e.refresh_from_db()
    assert e.version == 1
    assert e.data["budget"]["change_reason"] == "人员变动、工资结构调整等因素导致"


def test_model_error_is_shown_next_to_its_field_and_nothing_is_saved(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "targets"))
    data["targets-2-points"] = "-5"  # points are never negative
    response = client.post(edit_url(e, "targets"), data)
    assert response.status_code == 400
    html = response.content.decode()
    field = html.split('data-field="targets-2-points"', 1)[1].split("</div>\n</div>", 1)[0]
    assert 'class="errorlist"' in field
    e.refresh_from_db()
    assert e.version == 1 and e.data["targets"][2]["points"] == "10"


def test_scored_target_without_parent_is_refused_with_the_rule_in_chinese(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "targets"))
    data["targets-1-parent"] = ""
    response = client.post(edit_url(e, "targets"), data)
    assert response.status_code == 400
    assert "有分值的绩效目标须用 parent 指明所属的评分指标" in response.content.decode()
    e.refresh_from_db()
    assert e.version == 1


def test_duplicate_codes_are_refused(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "targets"))
    data["targets-4-code"] = "B1"  # clashes with a rule-set leaf's assessment
    response = client.post(edit_url(e, "targets"), data)
    assert response.status_code == 400
    assert "指标编码重复：B1" in response.content.decode()
    e.refresh_from_db()
    assert e.version == 1


def test_problems_in_other_sections_do_not_block_this_one(world, form_of):
    e = world.evaluation
    e.data["targets"][1]["actual"] = None  # an incomplete draft elsewhere
    e.save()
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "other"))
    data["other-other"] = "补充说明"
    assert client.post(edit_url(e, "other"), data).status_code == 302
    e.refresh_from_db()
    assert e.data["other"] == "补充说明"
    assert e.total is None


def test_assessment_score_must_lie_in_its_band(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "assessments"))
    codes = [data[f"assessments-{i}-code"] for i in range(int(data["assessments-TOTAL_FORMS"]))]
    b3 = codes.index("B3")
    data[f"assessments-{b3}-band"] = "B"  # 60%–80% of 10 points
    data[f"assessments-{b3}-score"] = "9"
    response = client.post(edit_url(e, "assessments"), data)
    assert response.status_code == 400
    assert "档的得分应在 6 至 8 分之间" in response.content.decode()
    data[f"assessments-{b3}-score"] = "7.5"
    assert client.post(edit_url(e, "assessments"), data).status_code == 302
    e.refresh_from_db()
    b3_saved = next(a for a in e.data["assessments"] if a["code"] == "B3")
    assert (b3_saved["band"], b3_saved["score"], b3_saved["example"]) == ("B", "7.5", False)
    b1_saved = next(a for a in e.data["assessments"] if a["code"] == "B1")
    assert b1_saved["example"] is True  # untouched examples stay marked
    assert e.total == Decimal("95.50")


def test_unit_profile_and_cover(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "unit"))
    assert data["unit-functions"].splitlines()[0].startswith("负责全市技能人员职业资格考核评价")
    data["unit-staff_actual"] = "8"
    data["unit-functions"] = "职能一\n\n职能二\n"
    assert client.post(edit_url(e, "unit"), data).status_code == 302
    e.refresh_from_db()
    assert e.data["unit"]["staff_actual"] == 8
    assert e.data["unit"]["functions"] == ["职能一", "职能二"]
    # 8 of 7: 在职人员控制率 114.29%, 1 point per point over 100 → B2 loses its 5 points.
    assert e.total == Decimal("93.00")

    data = form_of(client, edit_url(e, "cover"))
    data["cover-filled_on"] = "2026-05-30"
    # The notice and the year are the campaign's (issue 9.4): shown disabled, a posted value is
    # not taken.
    data["cover-notice_number"] = "湛财绩〔2026〕3号"
    data["cover-year"] = "2024"
    assert client.post(edit_url(e, "cover"), data).status_code == 302
    e.refresh_from_db()
    assert e.data["filled_on"] == "2026-05-30"
    assert e.data["notice"]["number"] == "湛财绩〔2026〕2号"
    assert e.data["year"] == 2025


def test_missing_explanation_is_highlighted(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "budget"))
    data["rows-0-executed"] = "30"
    response = client.post(reverse("evaluations:preview_score", args=[e.pk, "budget"]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "78.02%" in html  # 30 / 38.45
    missing = json.loads(
        html.split('id="missing-fields" type="application/json">')[1].split("<")[0]
    )
    assert missing == {"budget-execution_explanation": "预算执行率 78.02% 低于 90%，须说明原因"}
    e.refresh_from_db()
    assert e.version == 1  # the preview saves nothing
    # The stored page marks it too once saved.
    client.post(edit_url(e, "budget"), data)
    page = client.get(edit_url(e, "budget")).content.decode()
    tag = page.split('name="budget-execution_explanation"', 1)[1].split(">", 1)[0]
    assert 'class="missing"' in tag


def test_preview_with_bad_input_scores_the_stored_data_and_says_so(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "budget"))
    data["rows-0-executed"] = "abc"
    response = client.post(reverse("evaluations:preview_score", args=[e.pk, "budget"]), data)
    html = response.content.decode()
    assert "部分输入格式有误" in html and "98.00" in html


def test_concurrent_edit_second_save_is_refused_and_first_save_stays(world, form_of):
    e = world.evaluation
    first, second = client_for(world.editor), client_for(world.head)
    data_a = form_of(first, edit_url(e, "other"))
    data_b = form_of(second, edit_url(e, "other"))
    data_a["other-other"] = "填报人写的"
    data_b["other-other"] = "负责人写的"
    assert first.post(edit_url(e, "other"), data_a).status_code == 302
    response = second.post(edit_url(e, "other"), data_b)
    assert response.status_code == 409
    html = response.content.decode()
    assert "保存被拒绝" in html and "“其他自评情况”已由" in html and "现为第 2 版" in html
    assert "重新载入最新版本" in html
    assert read_form(html)["other-other"] == "负责人写的"  # nothing lost on the page
    e.refresh_from_db()
    assert e.version == 2 and e.data["other"] == "填报人写的"


def test_next_section_button_goes_on(world, form_of):
    client = client_for(world.editor)
    data = form_of(client, edit_url(world.evaluation, "budget"))
    data["next_section"] = "group"
    response = client.post(edit_url(world.evaluation, "budget"), data)
    assert response["Location"] == edit_url(world.evaluation, "group")


def test_unknown_section_is_404(world):
    client = client_for(world.editor)
    assert client.get(edit_url(world.evaluation, "nonsense")).status_code == 404


def test_locked_evaluation_is_read_only_for_its_editor(world, form_of):
    e = world.evaluation
    Evaluation.objects.filter(pk=e.pk).update(status=Status.SUBMITTED)
    client = client_for(world.editor)
    page = client.get(edit_url(e, "targets")).content.decode()
    assert "只读" in page and "disabled" in page and "hx-post" not in page
    data = read_form(page)
    data["other-other"] = "x"
    assert client.post(edit_url(e, "other"), data).status_code == 403
    e.refresh_from_db()
    assert e.version == 1 and e.data["other"].startswith("本次自评工作")


def test_unmet_target_without_explanation_is_marked_in_the_live_panel(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "targets"))
    data["targets-0-DELETE"] = "on"  # rows before it are removed: the mark follows the form row
    data["targets-3-actual"] = "155"
    response = client.post(reverse("evaluations:preview_score", args=[e.pk, "targets"]), data)
    html = response.content.decode()
    missing = json.loads(
        html.split('id="missing-fields" type="application/json">')[1].split("<")[0]
    )
    assert list(missing) == ["targets-3-explanation"]
    assert (
        "未达成" in missing["targets-3-explanation"] or "偏差" in missing["targets-3-explanation"]
    )
    assert "95.50" in html


def test_returned_section_shows_the_reviewers_comment_and_tabs_count_faults(world):
    from jixiao.reviews import workflow
    from jixiao.reviews.services import transition

    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer,
        evaluation_id=e.pk,
        action=workflow.DEPARTMENT_RETURN,
        comment="请核实后重新报送。",
        section_comments={"targets": "T1 须说明超额完成的原因。"},
    )
    client = client_for(world.editor)
    targets = client.get(edit_url(e, "targets")).content.decode()
    assert "退回修改意见" in targets
    assert "T1 须说明超额完成的原因。" in targets and "请核实后重新报送。" in targets
    budget = client.get(edit_url(e, "budget")).content.decode()
    assert "退回修改意见" in budget and "T1 须说明超额完成的原因。" not in budget

    Evaluation.objects.filter(pk=e.pk).update(
        data={**e.data, "budget": {"rows": [{"source": "当年财政拨款"}]}}
    )
    page = client.get(edit_url(e, "other")).content.decode()
    assert '<sup class="tab-faults">3</sup>' in page  # initial, full_year and executed


def test_faults_elsewhere_are_listed_in_the_units_words(world, form_of):
    e = world.evaluation
    e.data["budget"]["rows"][0]["executed"] = None
    e.save()
    client = client_for(world.editor)
    data = form_of(client, edit_url(e, "targets"))
    data["targets-1-parent"] = ""  # refused here, so the page comes back with every fault listed
    response = client.post(edit_url(e, "targets"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "其他部分还有 1 处待完善（不影响本部分保存）" in html
    assert "预算第 1 行（当年财政拨款） · 全年执行数：" in html
