"""报告审查 page (/audit/): who may use it, findings per file, unreadable files reported apart."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.audit.forms import MAX_FILES
from jixiao.audit.views import FileAudit
from jixiao.conftest import World
from jixiao.organisations.models import User

pytestmark = pytest.mark.django_db
URL = "/audit/"


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("username", ["editor", "head", "other_editor"])
def test_unit_users_get_404(world: World, username: str) -> None:
    client = client_for(User.objects.get(username=username))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"reports": [upload("a.txt", b"x")]}).status_code == 404


@pytest.mark.parametrize("username", ["dept", "other_dept", "bureau", "admin"])
def test_reviewers_see_the_upload_form(
    world: World, username: str, django_assert_max_num_queries: Any
) -> None:
    client = client_for(User.objects.get(username=username))
    with django_assert_max_num_queries(3):  # session, user, its organisation (top bar)
        response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "报告审查" in content
    assert 'name="reports"' in content and "multiple" in content
    assert 'enctype="multipart/form-data"' in content


def test_seed_report_findings_and_bad_files_side_by_side(
    world: World, audit_seed_text: str
) -> None:
    client = client_for(world.department_reviewer)
    response = client.post(
        URL,
        {
            "reports": [
                upload("湛江市职业技能鉴定指导中心2025年度自评报告.txt", audit_seed_text.encode()),
                upload("broken.pdf", b"%PDF-1.4 this is not a pdf"),
                upload("table.xlsx", b"PK\x03\x04"),
                upload("old.doc", b"\xd0\xcf\x11\xe0 old word"),
            ]
        },
    )
    assert response.status_code == 200
    results: list[FileAudit] = response.context["results"]
    assert [r.name for r in results] == [
        "湛江市职业技能鉴定指导中心2025年度自评报告.txt",
        "broken.pdf",
        "table.xlsx",
        "old.doc",
    ]
    seed = results[0]
    assert seed.unreadable == ""
    assert [(f.severity, f.code) for f in seed.findings] == [
        ("warning", "over_completion"),
        ("warning", "execution_100_unadjusted"),
    ]
    assert seed.counts == {"error": 0, "warning": 2, "info": 0}
    assert seed.extracted["unit_name"] == "湛江市职业技能鉴定指导中心"
    assert [bool(r.unreadable) for r in results[1:]] == [True, True, True]
    assert results[2].unreadable == "不支持的文件格式：仅支持 txt、docx 和 pdf"
    assert response.context["totals"] == {"error": 0, "warning": 2, "info": 0}
    assert response.context["unreadable"] == 3
    content = response.content.decode()
    for text in (
        "湛江市职业技能鉴定指导中心",
        "158.08%",  # the over-completion finding quotes the figure
        "over_completion",
        "无法读取",
        results[1].unreadable,
    ):
        assert text in content


def test_a_rendered_docx_is_audited(world: World, audit_rendered: dict[str, bytes]) -> None:
    response = client_for(world.bureau_reviewer).post(
        URL, {"reports": [upload("报告.docx", audit_rendered["docx"])]}
    )
    (result,) = response.context["results"]
    assert result.unreadable == ""
    assert result.extracted["year"] == 2025
    assert result.extracted["total_score"] == "98"
    assert result.counts["error"] == 0


def test_a_file_over_the_size_limit_is_reported_not_read(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("jixiao.audit.views.MAX_FILE_BYTES", 10)
    response = client_for(world.bureau_admin).post(
        URL, {"reports": [upload("big.txt", "评价年度：2025年".encode() * 3)]}
    )
    (result,) = response.context["results"]
    assert result.unreadable == "文件超过 0 MB，未审查"
    assert result.findings == []


def test_no_file_is_a_form_error(world: World) -> None:
    response = client_for(world.bureau_reviewer).post(URL, {})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reports": ["请选择至少一个报告文件"]}
    assert response.context["results"] == []


def test_too_many_files_is_a_form_error(world: World) -> None:
    files = [upload(f"{i}.txt", b"x") for i in range(MAX_FILES + 1)]
    response = client_for(world.bureau_reviewer).post(URL, {"reports": files})
    assert response.context["form"].errors == {
        "reports": [f"一次最多审查 {MAX_FILES} 个文件，您选择了 {MAX_FILES + 1} 个"]
    }
    assert response.context["results"] == []


def test_the_summary_workbook_of_the_last_upload(world: World, audit_seed_text: str) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    client = client_for(world.bureau_reviewer)
    assert client.get("/audit/summary.xlsx").status_code == 404  # nothing uploaded yet
    client.post(
        URL,
        {"reports": [upload("seed.txt", audit_seed_text.encode()), upload("bad.pdf", b"%PDF-1.4")]},
    )
    response = client.get("/audit/summary.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    workbook = load_workbook(BytesIO(response.content))
    rows = [tuple(r) for r in workbook["汇总"].iter_rows(min_row=2, values_only=True)]
    assert [r[:8] for r in rows] == [
        ("seed.txt", "已审查", "湛江市职业技能鉴定指导中心", "2025", "98", "优秀", 0, 2),
        ("bad.pdf", "无法读取", None, None, None, None, 0, 0),
    ]
    codes = [r[2] for r in workbook["全部问题"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["over_completion", "execution_100_unadjusted"]


@pytest.mark.parametrize("username", ["editor", "head"])
def test_unit_users_cannot_download_a_summary(world: World, username: str) -> None:
    client = client_for(User.objects.get(username=username))
    session = client.session
    session["audit_summary"] = [{"name": "x"}]
    session.save()
    assert client.get("/audit/summary.xlsx").status_code == 404
