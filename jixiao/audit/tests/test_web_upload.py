"""报告审查 page (/audit/): who may use it; uploads audited by a background job, never in the
request; findings per file with descriptions (never the internal codes); unreadable and
too-complex files reported apart, with their reasons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.audit import audit_bytes
from jixiao.audit.forms import MAX_FILES
from jixiao.audit.models import AuditedFile
from jixiao.conftest import World
from jixiao.jobs.models import Job
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


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The job's child process replaced by the same audit in this process (a child costs a
    second of start-up per file); test_limits and one test below run the real child."""
    audited: list[str] = []

    def audit_here(data: bytes, filename: str, **kwargs: Any) -> Any:
        audited.append(filename)
        report = audit_bytes(data, filename)
        report._prefill = report.prefill
        return report

    monkeypatch.setattr("jixiao.audit.jobs.audit_isolated", audit_here)
    yield audited


def post_and_run(client: Client, files: list[SimpleUploadedFile], capture: Any) -> Any:
    """POST the files; the job runs after the commit (the sync runner of the tests)."""
    with capture(execute=True):
        response = client.post(URL, {"reports": files})
    return response


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("username", ["editor", "head", "other_editor"])
def test_unit_users_get_404(world: World, username: str) -> None:
    client = client_for(User.objects.get(username=username))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"reports": [upload("a.txt", b"x")]}).status_code == 404
    assert not AuditedFile.objects.exists()


@pytest.mark.parametrize("username", ["dept", "other_dept", "bureau", "admin"])
def test_reviewers_see_the_upload_form(
    world: World, username: str, django_assert_max_num_queries: Any
) -> None:
    client = client_for(User.objects.get(username=username))
    # session, user, its organisation, the stored rule-sets offered, recent audits
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "报告审查" in content
    assert 'name="reports"' in content and "multiple" in content
    assert 'enctype="multipart/form-data"' in content


def test_the_request_only_stores_the_files(
    world: World, audit_seed_text: str, in_process: list[str]
) -> None:
    """Without the job running (no commit in this test), nothing is audited in the request."""
    response = client_for(world.bureau_reviewer).post(
        URL, {"reports": [upload("seed.txt", audit_seed_text.encode())]}
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/audit/jobs/{job.pk}/"
    assert in_process == []
    (row,) = AuditedFile.objects.filter(job=job)
    assert (row.name, row.status, row.size) == ("seed.txt", "queued", len(audit_seed_text.encode()))
    assert row.upload.read() == audit_seed_text.encode()
    assert job.kind == "audit.upload" and job.total == 1 and job.state == "queued"


def test_seed_report_findings_and_bad_files_side_by_side(
    world: World,
    audit_seed_text: str,
    in_process: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(world.department_reviewer)
    response = post_and_run(
        client,
        [
            upload("湛江市职业技能鉴定指导中心2025年度自评报告.txt", audit_seed_text.encode()),
            upload("broken.pdf", b"%PDF-1.4 this is not a pdf"),
            upload("table.xlsx", b"PK\x03\x04"),
            upload("old.doc", b"\xd0\xcf\x11\xe0 old word"),
        ],
        django_capture_on_commit_callbacks,
    )
    job = Job.objects.get()
    assert (job.state, job.done_count, job.failed_count) == ("done", 1, 3)
    assert [f["item"] for f in job.failures] == ["broken.pdf", "table.xlsx", "old.doc"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    files = page.context["files"]
    assert [f.row.name for f in files] == [
        "湛江市职业技能鉴定指导中心2025年度自评报告.txt",
        "broken.pdf",
        "table.xlsx",
        "old.doc",
    ]
    seed = files[0].row
    assert seed.status == "audited"
    assert [(f["severity"], f["code"]) for f in seed.findings] == [
        ("warning", "over_completion"),
        ("warning", "execution_100_unadjusted"),
    ]
    assert (seed.errors, seed.warnings, seed.infos) == (0, 2, 0)
    assert seed.unit == "湛江市职业技能鉴定指导中心"
    assert [f.row.unreadable for f in files[1:]] == [True, True, True]
    assert files[2].row.reason == "不支持的文件格式：仅支持 txt、docx 和 pdf"
    assert page.context["totals"] == {
        "files": 4,
        "error": 0,
        "warning": 2,
        "info": 0,
        "with_errors": 0,
        "unreadable": 3,
        "pending": 0,
    }
    assert page.context["unreadable"] == 3
    assert not any(row.upload for row in AuditedFile.objects.all())  # uploads dropped
    content = page.content.decode()
    for text in (
        "湛江市职业技能鉴定指导中心",
        "158.08%",  # the over-completion finding quotes the figure
        "超额完成较多且未说明原因",  # the code's description …
        "无法读取",
        files[1].row.reason,
    ):
        assert text in content
    for code in ("over_completion", "execution_100_unadjusted"):  # … never the code (#8.12)
        assert code not in content


def test_not_found_and_not_a_report_show_descriptions_in_both_languages(
    world: World, in_process: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.bureau_reviewer)
    response = post_and_run(
        client,
        [upload("note.txt", "会议纪要\n今天讨论了排班。\n".encode())],
        capture=django_capture_on_commit_callbacks,
    )
    content = client.get(response["Location"]).content.decode()
    assert "not_found" not in content and "not_a_report" not in content
    assert "可能不是绩效自评报告" in content and "未能读出的内容" in content
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(response["Location"]).content.decode()
    assert "not_found" not in english and "not_a_report" not in english
    assert "Probably not a performance self-evaluation report" in english  # translated
    assert "Could not be read" in english


def test_a_rendered_docx_is_audited_in_the_resource_limited_child(
    world: World, audit_rendered: dict[str, bytes], django_capture_on_commit_callbacks: Any
) -> None:
    response = post_and_run(
        client_for(world.bureau_reviewer),
        [upload("报告.docx", audit_rendered["docx"])],
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 302
    (row,) = AuditedFile.objects.all()
    assert row.status == "audited", row.reason
    assert (row.year, row.score, row.errors) == ("2025", "98", 0)


def test_a_hostile_pdf_is_reported_too_complex_with_its_reason(
    world: World, in_process: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    from jixiao.audit.tests.hostile import shared_stream_pdf

    client = client_for(world.bureau_reviewer)
    response = post_and_run(
        client, [upload("共用内容.pdf", shared_stream_pdf())], django_capture_on_commit_callbacks
    )
    (row,) = AuditedFile.objects.all()
    assert row.status == "too_complex"
    assert row.reason.startswith("太大或太复杂，未审查（PDF 页面内容解压后超过")
    job = Job.objects.get()
    assert job.state == "failed"  # its only file failed
    assert job.failures == [{"item": "共用内容.pdf", "reason": row.reason}]
    assert row.reason in client.get(response["Location"]).content.decode()


def test_no_file_is_a_form_error(world: World) -> None:
    response = client_for(world.bureau_reviewer).post(URL, {})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reports": ["请选择至少一个报告文件"]}
    assert not Job.objects.exists()


def test_too_many_files_is_a_form_error(world: World) -> None:
    files = [upload(f"{i}.txt", b"x") for i in range(MAX_FILES + 1)]
    response = client_for(world.bureau_reviewer).post(URL, {"reports": files})
    assert response.context["form"].errors == {
        "reports": [f"一次最多审查 {MAX_FILES} 个文件，您选择了 {MAX_FILES + 1} 个"]
    }
    assert not Job.objects.exists()


def test_the_summary_workbook_of_a_job(
    world: World,
    audit_seed_text: str,
    in_process: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    client = client_for(world.bureau_reviewer)
    post_and_run(
        client,
        [upload("seed.txt", audit_seed_text.encode()), upload("bad.pdf", b"%PDF-1.4")],
        django_capture_on_commit_callbacks,
    )
    job = Job.objects.get()
    response = client.get(f"/audit/jobs/{job.pk}/summary.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    workbook = load_workbook(BytesIO(response.content))
    rows = [tuple(r) for r in workbook["汇总"].iter_rows(min_row=2, values_only=True)]
    assert [r[:8] for r in rows] == [
        ("seed.txt", "已审查", "湛江市职业技能鉴定指导中心", "2025", "98", "优秀", 0, 2),
        ("bad.pdf", "无法读取", None, None, None, None, 0, 0),
    ]
    kinds = [r[2] for r in workbook["全部问题"].iter_rows(min_row=2, values_only=True)]
    assert kinds == ["超额完成较多且未说明原因", "执行率 100% 但未写调整后预算"]


def test_another_reviewers_job_is_404(
    world: World, audit_seed_text: str, in_process: list[str]
) -> None:
    client_for(world.bureau_reviewer).post(URL, {"reports": [upload("a.txt", b"x")]})
    job = Job.objects.get()
    for username in ("dept", "admin", "editor"):
        other = client_for(User.objects.get(username=username))
        for path in ("", "results/", "summary.xlsx"):
            assert other.get(f"/audit/jobs/{job.pk}/{path}").status_code == 404
