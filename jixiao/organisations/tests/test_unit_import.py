"""Bulk import of units from xlsx: all rows valid → all written; any fault → nothing written."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from jixiao.organisations.models import Organisation
from jixiao.organisations.unit_import import COLUMNS
from jixiao.testing.factories import PASSWORD, valid_credit_code


def workbook(rows, header=COLUMNS):
    book = Workbook()
    sheet = book.active
    sheet.title = "预算单位"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, world, data, name="units.xlsx"):
    assert client.login(username=world.bureau_admin.username, password=PASSWORD)
    return client.post(reverse("organisations:import"), {"file": SimpleUploadedFile(name, data)})


def row(world, n, **overrides):
    values = {
        "单位名称": f"导入单位{n}",
        # Far above the factories' sequence (a unit per test in the whole suite), which must never
        # reach an imported row's code and turn a creation into an update.
        "统一社会信用代码": valid_credit_code(900_000_000 + n),
        "单位类型": "公益一类事业单位",
        "主管部门": world.department.name,
        "编制数": 10,
        "实有人数": 8,
        "主要职能": "职能一；职能二",
        "自称": "我单位",
    }
    values.update(overrides)
    return [values[c] for c in COLUMNS]


def test_valid_file_creates_and_updates_by_credit_code(client, world):
    data = workbook(
        [
            row(world, 1),
            row(world, 2, 主管部门=world.other_department.name, 编制数=None, 实有人数="3"),
            [None] * len(COLUMNS),  # blank rows are skipped
            row(
                world,
                3,
                单位名称="湛江市职业技能鉴定指导中心",
                统一社会信用代码=world.unit.credit_code.lower(),
                实有人数=6,
                主要职能="",
            ),
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome.created == ("导入单位1", "导入单位2")
    assert outcome.updated == ("湛江市职业技能鉴定指导中心",)
    assert outcome.renamed == {}
    first = Organisation.objects.get(name="导入单位1")
    assert first.kind == "unit" and first.parent == world.department
    assert first.function_lines == ["职能一", "职能二"]
    assert (first.staffing_quota, first.staff_actual) == (10, 8)
    second = Organisation.objects.get(name="导入单位2")
    assert second.parent == world.other_department
    assert (second.staffing_quota, second.staff_actual) == (None, 3)
    world.unit.refresh_from_db()
    assert world.unit.staff_actual == 6
    # An empty 主要职能 cell keeps what was stored.
    assert world.unit.functions == "负责全市职业技能等级认定评价工作"
    html = response.content.decode()
    assert "已导入 3 个单位：新增 2 个，更新 1 个" in html


def test_any_bad_row_writes_nothing_and_reports_every_fault(client, world):
    before = list(Organisation.objects.order_by("pk").values_list("pk", "name", "staff_actual"))
    data = workbook(
        [
            row(world, 1),
            row(world, 2, 统一社会信用代码="12440800000000502X", 编制数=-1),
            row(world, 3, 单位类型="事业单位", 主管部门="不存在的局", 实有人数="五"),
            row(world, 4, 统一社会信用代码=valid_credit_code(900_000_001)),  # row 1's code
            row(world, 5, 单位名称="", 实有人数=2.5),
            row(world, 6, 统一社会信用代码=world.unit.credit_code, 实有人数=1),
        ]
    )
    response = upload(client, world, data)
    assert response.status_code == 400
    problems = [(p.row, p.column, p.message) for p in response.context["outcome"].check.problems]
    assert problems == [
        (
            3,
            "统一社会信用代码",
            f"统一社会信用代码校验位错误：第 18 位应为 {valid_credit_code(502)[-1]}",
        ),
        (3, "编制数", "不能为负数，现为 -1"),
        (
            4,
            "单位类型",
            "应为以下之一：行政单位、公益一类事业单位、公益二类事业单位、其他事业单位、社会团体、其他",
        ),
        (4, "主管部门", "系统中没有名为“不存在的局”的主管部门，请先新增该部门"),
        (4, "实有人数", "应为整数，现为“五”"),
        (5, "统一社会信用代码", "与第 2 行重复"),
        (6, "单位名称", "必填，不能为空"),
        (6, "实有人数", "应为整数，现为 2.5"),
    ]
    # Rows 2 and 7 were fine (7 would have renamed an existing unit): still nothing was written.
    assert [r.row for r in response.context["outcome"].check.rows] == [2, 7]
    assert (
        list(Organisation.objects.order_by("pk").values_list("pk", "name", "staff_actual"))
        == before
    )
    html = response.content.decode()
    assert "未导入任何单位" in html and "行号" in html


def test_update_by_credit_code_reports_a_rename(client, world):
    data = workbook(
        [row(world, 1, 单位名称="湛江市职业技能评价中心", 统一社会信用代码=world.unit.credit_code)]
    )
    response = upload(client, world, data)
    assert response.context["outcome"].renamed == {
        "湛江市职业技能评价中心": "湛江市职业技能鉴定指导中心"
    }
    world.unit.refresh_from_db()
    assert world.unit.name == "湛江市职业技能评价中心"
    assert "原名：湛江市职业技能鉴定指导中心" in response.content.decode()


def test_name_of_another_organisation_is_reported(client, world):
    data = workbook([row(world, 1, 单位名称=world.other_unit.name)])
    response = upload(client, world, data)
    problems = [(p.row, p.column, p.message) for p in response.context["outcome"].check.problems]
    assert problems == [
        (2, "单位名称", "系统中已有同名单位（统一社会信用代码不同），请核对名称或代码")
    ]


def test_not_an_xlsx_file_gets_a_clear_message(client, world):
    response = upload(client, world, b"name,code\n", name="units.xlsx")
    assert response.status_code == 400
    assert response.context["file_error"].startswith("无法读取该文件：请上传 Excel 工作簿（.xlsx）")


def test_wrong_extension_is_refused_by_the_form(client, world):
    response = upload(client, world, b"whatever", name="units.csv")
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "只接受 Excel 工作簿（.xlsx）；.xls 请在 Excel 中“另存为”.xlsx 后再上传"
    ]


def test_missing_columns_are_named(client, world):
    data = workbook([["a", "b"]], header=("单位名称", "统一社会信用代码"))
    response = upload(client, world, data)
    assert response.context["file_error"] == (
        "表头缺少以下列：单位类型、主管部门、编制数、实有人数、主要职能、自称。请使用导入模板，第 1 行为表头。"
    )


def test_header_only_file_says_there_are_no_rows(client, world):
    response = upload(client, world, workbook([]))
    assert response.context["file_error"] == "表中没有数据行：请从第 2 行起每行填写一个单位。"


def test_template_download_has_the_columns_and_department_list(client, world):
    assert client.login(username=world.bureau_admin.username, password=PASSWORD)
    response = client.get(reverse("organisations:import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["预算单位"][1]] == list(COLUMNS)
    departments = [c.value for c in book["选项"]["B"][1:] if c.value]
    assert departments == ["湛江市人力资源和社会保障局", "湛江市教育局"]


def test_template_round_trip_imports(client, world):
    assert client.login(username=world.bureau_admin.username, password=PASSWORD)
    book = load_workbook(io.BytesIO(client.get(reverse("organisations:import_template")).content))
    book["预算单位"].append(row(world, 9))
    out = io.BytesIO()
    book.save(out)
    response = upload(client, world, out.getvalue())
    assert response.context["outcome"].created == ("导入单位9",)


def test_non_admin_upload_is_404_and_writes_nothing(client, world):
    assert client.login(username=world.bureau_reviewer.username, password=PASSWORD)
    response = client.post(
        reverse("organisations:import"),
        {"file": SimpleUploadedFile("u.xlsx", workbook([row(world, 1)]))},
    )
    assert response.status_code == 404
    assert not Organisation.objects.filter(name="导入单位1").exists()
