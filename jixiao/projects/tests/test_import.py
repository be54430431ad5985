"""项目库 import from a budget-system export: mapped once, all or nothing, a row report; export of
the same layout reads back."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from jixiao.activity.models import Event
from jixiao.jobs.models import Job
from jixiao.projects import jobs as project_jobs
from jixiao.projects.models import BudgetLine, ImportMapping, Project
from jixiao.projects.project_import import parse_period

D = Decimal
DEFAULT = ["项目编码", "项目名称", "单位名称", "预算年度", "资金来源", "年初预算数（万元）",
           "调整后预算数（万元）", "执行数（万元）", "实施期", "项目类别"]  # fmt: skip


def workbook(header, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_rows(world):
    unit, other = world.unit.name, world.other_unit.name
    return [
        ["P001", "职业技能鉴定", unit, 2026, "当年财政拨款", 100, 120.5, 60, "2026", "专项业务费"],
        ["P001", "职业技能鉴定", unit, 2026, "其他资金", "20.00", None, None, "2026", "专项业务费"],
        ["P002", "技能竞赛", unit, 2026, "当年财政拨款", 50, 50, 50, "2025-2027", "专项业务费"],
        ["X9", "校舍维修", other, "2026年", "当年财政拨款", "1,000", 900, 10, "", "基本建设"],
        ["", "", unit, 2026, "当年财政拨款", 33.28, 38.45, 38.45, "", ""],
    ]


def upload(client: Client, world, data, name="projects.xlsx"):
    client.force_login(world.bureau_admin)
    return client.post(reverse("projects:import"), {"file": SimpleUploadedFile(name, data)})


def test_a_valid_file_is_imported_whole(world, client: Client):
    response = upload(client, world, workbook(DEFAULT, good_rows(world)))
    assert response.status_code == 200
    body = response.content.decode()
    assert "新增 3 个项目，更新 0 个，部门整体预算 1 行" in body
    p1 = Project.objects.get(unit=world.unit, code="P001")
    assert (p1.initial_total, p1.adjusted_total, p1.executed_total) == (
        D("120.00"),
        D("140.50"),  # 其他资金's empty 调整后 is its 年初
        D("60.00"),
    )
    assert p1.department == world.department and p1.category == "专项业务费"
    p2 = Project.objects.get(code="P002")
    assert (p2.period_start, p2.period_end) == (2025, 2027)
    x9 = Project.objects.get(code="X9")
    assert (x9.unit, x9.initial_total) == (world.other_unit, D("1000.00"))
    unit_line = BudgetLine.objects.get(project__isnull=True)
    assert (unit_line.unit, unit_line.year, unit_line.adjusted) == (world.unit, 2026, D("38.45"))
    assert Event.objects.filter(action="project.import").count() == 1

    # Importing the corrected file again updates by (unit, year, code) and replaces the lines.
    rows = good_rows(world)
    rows[0][5] = 200
    del rows[1]
    response = upload(client, world, workbook(DEFAULT, rows))
    assert "新增 0 个项目，更新 3 个" in response.content.decode()
    p1.refresh_from_db()
    assert (p1.initial_total, p1.budget_lines.count()) == (D("200.00"), 1)
    assert Project.objects.count() == 3


def test_one_bad_row_imports_nothing_and_every_fault_is_reported(world, client: Client):
    rows = good_rows(world)
    rows.append(
        ["P003", "坏行", "不存在的单位", 2026, "当年财政拨款", "33,28", -1, "abc", "2027-2025", ""]
    )
    rows.append(["P001", "职业技能鉴定", world.unit.name, 2026, "当年财政拨款", 1, 1, 1, "", ""])
    rows.append(["P002", "别的名称", world.unit.name, 2026, "其他资金", 1, 1, 1, "2026", ""])
    response = upload(client, world, workbook(DEFAULT, rows))
    assert response.status_code == 400
    body = response.content.decode()
    assert "未导入任何数据" in body
    for expected in (
        "系统中没有名为“不存在的单位”的预算单位",
        "中的逗号不能作小数点",
        "不能为负数",
        "不是数字",
        "实施期起始年度晚于终止年度",
        "与第 2 行重复（同一项目、同一资金来源）",
        "同一项目编码在第 4 行的名称为“技能竞赛”",
    ):
        assert expected in body, expected
    assert '<td class="num">7</td>' in body  # the row number of the bad row
    assert not Project.objects.exists()
    assert not BudgetLine.objects.exists()
    assert not Event.objects.filter(action="project.import").exists()


def test_missing_columns_and_unreadable_files_are_refused(world, client: Client):
    response = upload(client, world, workbook(["名称", "金额"], [["a", 1]]))
    assert response.status_code == 400
    assert "表头缺少以下列：项目编码、项目名称、预算年度、年初预算数（万元）" in (
        response.content.decode()
    )
    response = upload(client, world, b"not an xlsx")
    assert response.status_code == 400
    assert "无法读取该文件" in response.content.decode()
    assert not Project.objects.exists()


def test_the_mapping_is_saved_once_and_reused_by_import_and_export(world, client: Client):
    client.force_login(world.bureau_admin)
    response = client.post(
        reverse("projects:mapping"),
        {
            "code": "项目代码",
            "name": "项目全称",
            "unit_name": "预算单位",
            "year": "年度",
            "initial": "年初数",
            "adjusted": "全年预算数",
            "executed": "支出数",
        },
    )
    assert response.status_code == 302
    mapping = ImportMapping.objects.get(bureau=world.bureau)
    assert mapping.columns["code"] == "项目代码" and "source" not in mapping.columns
    assert Event.objects.filter(action="project.mapping").count() == 1
    header = [
        "项目代码",
        "项目全称",
        "预算单位",
        "年度",
        "资金来源",
        "年初数",
        "全年预算数",
        "支出数",
    ]
    rows = [["Z1", "映射项目", world.unit.name, 2025, "当年财政拨款", 10, 12, 11]]
    # The default layout no longer matches; the mapped one does, on every later import.
    assert upload(client, world, workbook(DEFAULT, good_rows(world))).status_code == 400
    for _ in range(2):
        response = upload(client, world, workbook(header, rows))
        assert response.status_code == 200, response.content.decode()
    project = Project.objects.get()
    assert (project.code, project.year, project.adjusted_total) == ("Z1", 2025, D("12.00"))

    # The export writes the mapped headers and reads back to the same register.
    exported = client.get(reverse("projects:export"))
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("项目代码", "项目全称")
    assert "全年预算数" in values[0] and "支出数" in values[0]
    assert values[1][:2] == ("Z1", "映射项目")
    response = client.post(
        reverse("projects:import"),
        {"file": SimpleUploadedFile("again.xlsx", exported.content)},
    )
    assert "更新 1 个" in response.content.decode()
    project.refresh_from_db()
    assert (project.initial_total, project.adjusted_total, project.executed_total) == (
        D("10.00"),
        D("12.00"),
        D("11.00"),
    )


def test_a_large_file_is_imported_by_a_job_with_the_same_rules(
    world, client: Client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(project_jobs, "INLINE_MAX_BYTES", 0)
    monkeypatch.setattr("jixiao.projects.views.INLINE_MAX_BYTES", 0)
    rows = good_rows(world)
    rows[2][5] = "x"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world, workbook(DEFAULT, rows))
    assert response.status_code == 302
    job = Job.objects.get(kind="projects.import")
    assert job.state == Job.State.FAILED
    assert "发现 1 处问题" in job.error
    assert job.failures == [{"item": "第 4 行 · 年初预算数（万元）", "reason": "「x」不是数字"}]
    assert not Project.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, workbook(DEFAULT, good_rows(world)))
    job = Job.objects.filter(kind="projects.import").order_by("-pk")[0]
    assert job.state == Job.State.DONE, job.error
    assert Project.objects.count() == 3
    report = load_workbook(io.BytesIO(job.result.read())).active
    assert list(report.iter_rows(values_only=True))[1] == (2, "P001", "职业技能鉴定", "新增")


def test_only_the_bureau_admin_imports(world, client: Client):
    for user in (world.editor, world.department_reviewer, world.bureau_reviewer):
        client.force_login(user)
        assert client.get(reverse("projects:import")).status_code == 404
        assert client.get(reverse("projects:mapping")).status_code == 404


def test_period_forms():
    assert parse_period("2025-2027") == (2025, 2027)
    assert parse_period("2025年至2027年") == (2025, 2027)
    assert parse_period("2026") == (2026, 2026)
    assert parse_period("") == (None, None)


def _sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content))["项目库"].iter_rows(values_only=True))


def test_a_small_export_is_answered_at_once_and_a_unit_exports_its_own(world, client: Client):
    upload(client, world, workbook(DEFAULT, good_rows(world)))  # 4 project lines
    response = client.get(reverse("projects:export"))
    assert response.status_code == 200
    assert len(_sheet_rows(response.content)) == 1 + 4
    assert not Job.objects.filter(kind=project_jobs.EXPORT_KIND).exists()
    client.force_login(world.editor)  # a unit exports only its own projects
    book = load_workbook(io.BytesIO(client.get(reverse("projects:export")).content))
    codes = [row[0] for row in book["项目库"].iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == ["P001", "P001", "P002"]
    assert book.sheetnames == ["项目库"]


def test_an_export_over_the_limit_is_a_job_with_the_same_rows(
    world, client: Client, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Issue 14: 200,000 projects took 14 s and 313 MiB inside the request at 5,000 units
    (capped at 20,000 lines); over the limit the request answers the job's page at once."""
    settings.MEDIA_ROOT = tmp_path
    upload(client, world, workbook(DEFAULT, good_rows(world)))
    inline = _sheet_rows(client.get(reverse("projects:export")).content)
    monkeypatch.setattr("jixiao.projects.views.INLINE_EXPORT_PROJECTS", 2)  # 3 projects
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(reverse("projects:export"), {"year": ""})
        again = client.get(reverse("projects:export"))  # still queued: the same job
    job = Job.objects.get(kind=project_jobs.EXPORT_KIND)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert again["Location"] == response["Location"]
    assert "3 个项目" in job.title
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert _sheet_rows(b"".join(download.streaming_content)) == inline  # type: ignore[attr-defined]
    # The filters travel with the job: one department's projects only.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("projects:export"), {"q": "P002"})
    filtered = Job.objects.filter(kind=project_jobs.EXPORT_KIND).exclude(pk=job.pk)
    assert not filtered.exists()  # one project: answered at once, no job


def test_an_export_job_caps_at_the_sheet_limit_and_says_so(
    world, client: Client, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    upload(client, world, workbook(DEFAULT, good_rows(world)))
    monkeypatch.setattr("jixiao.projects.views.INLINE_EXPORT_PROJECTS", 0)
    monkeypatch.setattr("jixiao.projects.register_export.SHEET_ROWS", 2)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("projects:export"))
    job = Job.objects.get(kind=project_jobs.EXPORT_KIND)
    assert job.state == Job.State.DONE, job.error
    book = load_workbook(
        io.BytesIO(b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content))  # type: ignore[attr-defined]
    )
    assert len(list(book["项目库"].iter_rows(values_only=True))) == 1 + 2
    assert "仅导出前 2 行" in book["说明"]["A1"].value
