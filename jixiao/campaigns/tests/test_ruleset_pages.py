"""规则集 pages: list, upload a bureau's Excel scoring sheet (stored as YAML), export any as Excel."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.campaigns.models import StoredRuleSet
from jixiao.campaigns.rulesets import available_rulesets, get_ruleset
from jixiao.testing.factories import PASSWORD
from scoring.ruleset_sheet import export_sheet


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def sheet_with(*, version="2026.1", edit=None):
    """The shipped gd-department sheet with a new version (and any other edits)."""
    book = load_workbook(io.BytesIO(export_sheet(get_ruleset("gd-department@2025.1"))))
    info = book["规则集"]
    for row in info.iter_rows(min_row=1):
        if row[0].value == "version":
            row[2].value = version
    if edit:
        edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data, name="评分表.xlsx"):
    return client.post(reverse("campaigns:rulesets"), {"file": SimpleUploadedFile(name, data)})


def test_list_shows_shipped_rulesets(client, world):
    login(client, world.bureau_reviewer)
    response = client.get(reverse("campaigns:rulesets"))
    assert response.status_code == 200
    refs = [row["ref"] for row in response.context["rows"]]
    assert refs == sorted(available_rulesets())
    assert "gd-department@2025.1" in refs


def test_upload_stores_the_ruleset_as_yaml(client, world):
    login(client, world.bureau_admin)
    response = upload(client, sheet_with())
    assert response.status_code == 200
    stored = StoredRuleSet.objects.get(ref="gd-department@2026.1")
    assert stored.uploaded_by == world.bureau_admin
    assert response.context["upload"].stored == stored
    ruleset = get_ruleset("gd-department@2026.1")
    shipped = get_ruleset("gd-department@2025.1")
    assert ruleset.total_points == shipped.total_points
    assert [i.points for i in ruleset.indicators] == [i.points for i in shipped.indicators]
    assert "gd-department@2026.1" in available_rulesets()
    assert "已保存规则集 gd-department@2026.1" in response.content.decode()


def test_upload_of_an_existing_version_is_refused(client, world):
    login(client, world.bureau_admin)
    response = upload(client, sheet_with(version="2025.1"))
    assert response.status_code == 400
    [problem] = response.context["upload"].problems
    assert problem.message.startswith("规则集 gd-department@2025.1 已存在")
    assert not StoredRuleSet.objects.exists()


def test_upload_with_wrong_points_lists_the_problem_and_stores_nothing(client, world):
    def break_points(book):
        sheet = book["评分表"]
        sheet.cell(row=2, column=5).value = 99  # first 一级指标's 分值

    login(client, world.bureau_admin)
    response = upload(client, sheet_with(edit=break_points))
    assert response.status_code == 400
    problems = [(p.field, p.line, p.message) for p in response.context["upload"].problems]
    assert problems == [
        ("评分表「分值」", 2, "「预算编制」的下级指标分值合计 20 不等于其分值 99"),
        ("规则集「total_points」", 8, "一级指标分值合计 179 不等于总分 100"),
    ]
    assert not StoredRuleSet.objects.exists()
    assert "规则集未保存" in response.content.decode()


def test_not_an_excel_file(client, world):
    login(client, world.bureau_admin)
    response = upload(client, b"hello", name="x.xlsx")
    assert response.status_code == 400
    [problem] = response.context["upload"].problems
    assert problem.message == "无法读取，不是有效的 Excel（.xlsx）文件"
    response = upload(client, b"hello", name="x.csv")
    assert response.context["form"].errors["file"] == ["只接受 Excel 工作簿（.xlsx）"]
    assert not StoredRuleSet.objects.exists()


def test_export_round_trips(client, world):
    login(client, world.bureau_reviewer)
    response = client.get(reverse("campaigns:ruleset_export", args=["gd-department@2025.1"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "评分表"


def test_export_unknown_ruleset_is_404(client, world):
    login(client, world.bureau_admin)
    assert client.get(reverse("campaigns:ruleset_export", args=["nope@1"])).status_code == 404
    bare = reverse("campaigns:ruleset_export", args=["gd-department"])
    assert client.get(bare).status_code == 404


@pytest.mark.parametrize("role", ["department_reviewer", "unit_editor", "unit_head"])
def test_upload_by_others_is_404_and_stores_nothing(client, world, role):
    login(client, world.user(role))
    assert upload(client, sheet_with()).status_code == 404
    assert not StoredRuleSet.objects.exists()


def test_list_shows_each_rulesets_scoring_settings(client, world):
    """Thresholds, grade bands and the 评分选项 of every rule-set, as its file sets them."""

    def strict(book):
        for row in book["规则集"].iter_rows(min_row=2):
            values = {"over_completion": 120, "reverse": "linear", "not_applicable": "rescale",
                      "explain_below_points": "是", "category_caps": "成本指标:5"}  # fmt: skip
            if row[0].value in values:
                row[2].value = values[row[0].value]

    login(client, world.bureau_admin)
    assert upload(client, sheet_with(edit=strict)).status_code == 200
    response = client.get(reverse("campaigns:rulesets"))
    rows = {row["ref"]: dict(row["settings"]) for row in response.context["rows"]}
    shipped = rows["gd-department@2025.1"]
    assert shipped["提示线"] == "完成率高于 150%、预算执行率低于 90%、调整率高于 30% 须说明原因"
    assert shipped["评价等级"] == "优 ≥ 90、良 ≥ 80、中 ≥ 60、差 ≥ 0"
    assert shipped["反向指标未达成"] == "按比例：分值 × 年度指标值 ÷ 实际完成值"
    assert shipped["不适用指标"] == "不允许剔除"
    assert shipped["类别分值上限"] == "无"
    own = rows["gd-department@2026.1"]
    assert own["提示线"].startswith("完成率高于 120%")
    assert own["反向指标未达成"].startswith("线性扣减")
    assert own["不适用指标"] == "剔除，其余指标分值按总分折算"
    assert own["得分低于分值"] == "须填写偏差原因及改进措施"
    assert own["类别分值上限"] == "成本指标 ≤ 5"
    assert "线性扣减：超出目标值的比例扣分，两倍目标值为 0 分" in response.content.decode()


def test_a_ruleset_option_cannot_be_posted_with_a_campaign(client, world):
    """Rule-set options live in the rule-set file only: no campaign or evaluation form has them."""
    from jixiao.campaigns.forms import CampaignForm

    assert not {"options", "reverse", "not_applicable", "category_caps", "thresholds"} & set(
        CampaignForm.base_fields
    )
