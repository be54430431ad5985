"""审查结果 (#13.5): every audit stored with who, when, what was read (with quotes) and what was
found; listed by organisation with filters and keyset pages; a file audited before shows the
earlier result unless asked to audit again; 审查全部已提交 audits a campaign's submitted
evaluations' own reports as one job, and each evaluation's reviewers see its findings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jixiao.activity.models import Event
from jixiao.audit import audit_bytes
from jixiao.audit.models import AuditedFile
from jixiao.audit.selectors import ResultFilters, result_page
from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation, Status
from jixiao.jobs.models import Job
from jixiao.organisations.models import User

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The child process replaced by the same audit in this process (start-up costs a second)."""
    audited: list[str] = []

    def audit_here(data: bytes, filename: str, **kwargs: Any) -> Any:
        audited.append(filename)
        report = audit_bytes(data, filename)
        report._prefill = report.prefill
        return report

    monkeypatch.setattr("jixiao.audit.jobs.audit_isolated", audit_here)
    yield audited


def post(client: Client, capture: Any, files: list[Any], **extra: str) -> Any:
    with capture(execute=True):
        return client.post("/audit/", {"reports": files, **extra})


def test_an_audit_stores_who_when_what_was_read_with_quotes(
    world: World,
    audit_seed_text: str,
    in_process: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(world.department_reviewer)
    post(client, django_capture_on_commit_callbacks, [upload("seed.txt", audit_seed_text.encode())])
    row = AuditedFile.objects.get()
    assert row.requested_by == world.department_reviewer
    assert row.organisation == world.department
    assert row.audited_at is not None and row.audited_at >= row.created_at
    assert (row.level, row.errors, row.warnings) == ("warning", 0, 2)
    assert row.extracted["values"]["unit_name"] == "湛江市职业技能鉴定指导中心"
    unit_name = row.extracted["fields"]["unit.name"]
    assert unit_name["value"] == "湛江市职业技能鉴定指导中心"
    assert "湛江市职业技能鉴定指导中心" in unit_name["quote"]
    # the report names a unit of the reviewer's scope: the list's unit filter finds it
    assert row.unit_organisation == world.unit
    page = client.get(f"/audit/results/{row.pk}/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "单位名称" in content and "湛江市职业技能鉴定指导中心" in content  # read, with its quote
    assert "超额完成较多且未说明原因" in content
    assert "over_completion" not in content and "unit.name" not in content  # no codes


def _rows(world: World, user: User, n: int, **fields: Any) -> list[AuditedFile]:
    job = Job.objects.create(kind="audit.upload", title="t", requested_by=user, state="done")
    return AuditedFile.objects.bulk_create(
        AuditedFile(
            job=job,
            position=i,
            name=f"报告{i}.txt",
            status="audited",
            requested_by=user,
            organisation_id=user.organisation_id,
            audited_at=timezone.now(),
            **fields,
        )
        for i in range(n)
    )


def test_the_list_pages_by_keyset_and_is_scoped_by_organisation(
    world: World, django_assert_max_num_queries: Any
) -> None:
    mine = _rows(world, world.department_reviewer, 120, level="clean")
    _rows(world, world.other_department_reviewer, 5, level="error", errors=1)
    _rows(world, world.bureau_reviewer, 7, level="clean")
    client = client_for(world.department_reviewer)
    with django_assert_max_num_queries(6):  # session, user, rows, units, campaigns, +1 spare
        first = client.get("/audit/results/")
    rows = first.context["page"].rows
    assert [r["pk"] for r in rows] == sorted((r.pk for r in mine), reverse=True)[:50]
    after = first.context["page"].next_after
    assert after == rows[-1]["pk"]
    second = client.get(f"/audit/results/?after={after}")
    assert [r["pk"] for r in second.context["page"].rows] == sorted(
        (r.pk for r in mine), reverse=True
    )[50:100]
    third = client.get(f"/audit/results/?after={second.context['page'].next_after}")
    assert len(third.context["page"].rows) == 20 and third.context["page"].next_after is None
    # another department's and the bureau's uploads are theirs
    assert {r["pk"] for r in rows} <= {r.pk for r in mine}
    assert client_for(world.editor).get("/audit/results/").status_code == 404


def test_filters_level_unit_year_campaign_date_and_search(world: World) -> None:
    user = world.bureau_reviewer
    (clean,) = _rows(world, user, 1, level="clean", unit="甲单位", year="2024")
    (error,) = _rows(
        world, user, 1, level="error", errors=2, unit="湛江市职业技能鉴定指导中心",
        year="2025", unit_organisation=world.unit, campaign=world.campaign,
    )  # fmt: skip
    AuditedFile.objects.filter(pk=clean.pk).update(
        created_at=timezone.now() - dt.timedelta(days=40)
    )

    def shown(**query: str) -> list[int]:
        page = result_page(user=user, filters=ResultFilters.from_query(query))
        return [r["pk"] for r in page.rows]

    assert shown() == [error.pk, clean.pk]
    assert shown(level="error") == [error.pk]
    assert shown(level="clean") == [clean.pk]
    assert shown(unit=str(world.unit.pk)) == [error.pk]
    assert shown(year="2024") == [clean.pk]
    assert shown(campaign=str(world.campaign.pk)) == [error.pk]
    today = timezone.localdate().isoformat()
    assert shown(**{"from": today}) == [error.pk]
    assert shown(to=(timezone.localdate() - dt.timedelta(days=30)).isoformat()) == [clean.pk]
    assert shown(q="鉴定") == [error.pk]
    assert shown(q="报告0") == [error.pk, clean.pk]  # the file name
    assert shown(level="nonsense", year="x", unit="99999999999999999999") == [error.pk, clean.pk]


def test_the_same_file_again_shows_the_earlier_result_unless_asked(
    world: World,
    audit_seed_text: str,
    in_process: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(world.department_reviewer)
    data = audit_seed_text.encode()
    post(client, django_capture_on_commit_callbacks, [upload("first.txt", data)])
    first = AuditedFile.objects.get()
    assert in_process == ["first.txt"]
    response = post(client, django_capture_on_commit_callbacks, [upload("again.txt", data)])
    assert in_process == ["first.txt"]  # not audited again
    repeat = AuditedFile.objects.exclude(pk=first.pk).get()
    assert repeat.earlier == first and repeat.findings == first.findings
    assert (repeat.status, repeat.level, repeat.warnings) == ("audited", "warning", 2)
    assert repeat.upload  # kept, so it can be audited again on request
    page = client.get(response["Location"]).content.decode()
    assert "审查过的文件完全相同" in page
    # 重新审查: a new job audits the kept file; the new row takes the file over
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/audit/results/{repeat.pk}/again/")
    assert again.status_code == 302
    assert in_process == ["first.txt", "again.txt"]
    newest = AuditedFile.objects.order_by("-pk").first()
    assert newest is not None and newest.earlier is None and newest.status == "audited"
    assert not newest.upload and not AuditedFile.objects.get(pk=repeat.pk).upload
    assert Event.objects.filter(action="audit.reaudit").count() == 1
    # the checkbox audits a known file at once
    post(client, django_capture_on_commit_callbacks, [upload("third.txt", data)], again="1")
    assert in_process[-1] == "third.txt"
    # another department has not seen the file: its upload is audited
    other = client_for(world.other_department_reviewer)
    post(other, django_capture_on_commit_callbacks, [upload("theirs.txt", data)])
    assert in_process[-1] == "theirs.txt"


def test_a_file_not_kept_cannot_be_audited_again_without_uploading_it(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    (row,) = _rows(world, world.bureau_reviewer, 1, level="clean")
    client = client_for(world.bureau_reviewer)
    response = client.post(f"/audit/results/{row.pk}/again/")
    assert response.status_code == 302 and response["Location"] == f"/audit/results/{row.pk}/"
    assert Job.objects.count() == 1


def test_audit_all_submitted_audits_each_evaluations_own_report(
    world: World, in_process: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=Status.SUBMITTED)
    Evaluation.objects.filter(pk=world.foreign_evaluation.pk).update(status=Status.APPROVED)
    # world.other_evaluation stays a draft: not handed in, not audited
    client = client_for(world.bureau_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/audit/campaign/{world.campaign.pk}/")
    job = Job.objects.get(kind="audit.campaign")
    assert response.status_code == 302 and response["Location"] == f"/audit/jobs/{job.pk}/"
    assert (job.state, job.total, job.done_count, job.failed_count) == ("done", 2, 2, 0)
    rows = list(AuditedFile.objects.filter(job=job).order_by("position"))
    assert {r.evaluation_id for r in rows} == {world.evaluation.pk, world.foreign_evaluation.pk}
    assert all(r.name.endswith("自评报告.docx") for r in rows)
    assert all(r.campaign_id == world.campaign.pk and len(r.sha256) == 64 for r in rows)
    own = next(r for r in rows if r.evaluation_id == world.evaluation.pk)
    assert own.status == "audited", own.reason
    assert (own.errors, own.unit_organisation_id, own.year) == (0, world.unit.pk, "2025")
    assert Event.objects.filter(action="audit.campaign").count() == 1
    page = client.get(response["Location"])
    assert page.status_code == 200 and len(page.context["files"]) == 2

    # beside the review: the department sees the bureau's audit of its unit, units see nothing
    detail = client_for(world.department_reviewer).get(f"/evaluations/{world.evaluation.pk}/")
    assert 'id="audit-findings"' in detail.content.decode()
    assert f"/audit/results/{own.pk}/" in detail.content.decode()
    assert (
        'id="audit-findings"'
        not in client_for(world.editor).get(f"/evaluations/{world.evaluation.pk}/").content.decode()
    )
    # … and the department's list has it; the other department's does not
    listed = client_for(world.department_reviewer).get("/audit/results/").context["page"].rows
    assert [r["pk"] for r in listed] == [own.pk]
    foreign = client_for(world.other_department_reviewer).get("/audit/results/")
    assert own.pk not in [r["pk"] for r in foreign.context["page"].rows]
    assert (
        client_for(world.other_department_reviewer).get(f"/audit/results/{own.pk}/").status_code
        == 404
    )


def test_audit_all_submitted_with_nothing_submitted_changes_nothing(world: World) -> None:
    response = client_for(world.department_reviewer).post(f"/audit/campaign/{world.campaign.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{world.campaign.pk}/"
    assert not Job.objects.exists() and not AuditedFile.objects.exists()


def test_the_unit_filter_keeps_the_choice_and_offers_no_list_of_every_unit(world: World) -> None:
    world.unit.name = '<b>"单位"</b>'
    world.unit.save()
    client = client_for(world.department_reviewer)
    page = client.get(f"/audit/results/?unit={world.unit.pk}&level=error")
    content = page.content.decode()
    assert f'<input type="hidden" name="unit" value="{world.unit.pk}">' in content
    assert "&lt;b&gt;&quot;单位&quot;&lt;/b&gt;" in content  # the name is escaped
    assert '?level=error" aria-label="不限单位"' in content  # the chip clears only the unit
    # no option per unit of the scope: a province's 50,000 would be megabytes
    assert (
        world.other_unit.name not in content
        and f'<option value="{world.other_unit.pk}"' not in content
    )
    # a unit outside the scope is not named (and filters to nothing)
    page = client.get(f"/audit/results/?unit={world.foreign_unit.pk}")
    assert world.foreign_unit.name not in page.content.decode()
    assert page.context["page"].rows == []


def test_an_evaluations_own_report_audits_clean_in_the_resource_limited_child(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """The real child process, under the evaluation's own rule-set: the seed's report (98, 优)
    reads back and has no error."""
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=Status.DEPARTMENT_APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.department_reviewer).post(f"/audit/campaign/{world.campaign.pk}/")
    row = AuditedFile.objects.get()
    assert row.status == "audited", row.reason
    assert (row.errors, row.score, row.grade, row.unit) == (0, "98", "优秀", world.unit.name)
    assert row.extracted["fields"]["unit.name"]["quote"]


def test_a_result_under_another_picked_rule_set_is_not_reused(
    world: World,
    audit_seed_text: str,
    in_process: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from jixiao.audit.services import request_upload_audit

    data = audit_seed_text.encode()
    user = world.bureau_reviewer
    with django_capture_on_commit_callbacks(execute=True):
        request_upload_audit(user=user, uploads=[upload("a.txt", data)])
    with django_capture_on_commit_callbacks(execute=True):
        request_upload_audit(
            user=user, uploads=[upload("b.txt", data)], ruleset="gd-department@2025.1"
        )
    assert in_process == ["a.txt", "b.txt"]  # another rule-set: audited, not copied
    with django_capture_on_commit_callbacks(execute=True):
        request_upload_audit(
            user=user, uploads=[upload("c.txt", data)], ruleset="gd-department@2025.1"
        )
    assert in_process == ["a.txt", "b.txt"]
    copy = AuditedFile.objects.get(name="c.txt")
    assert copy.earlier == AuditedFile.objects.get(name="b.txt")


def test_a_finding_of_the_bureaus_audit_raises_a_task_from_the_department(world: World) -> None:
    """下达整改任务 from a finding: the department may raise it from the bureau's audit of its
    unit's evaluation (the unit and evaluation come from the result); another department 404."""
    job = Job.objects.create(kind="audit.campaign", title="t", requested_by=world.bureau_reviewer)
    row = AuditedFile.objects.create(
        job=job, position=0, name="报告.docx", status="audited", level="error", errors=1,
        requested_by=world.bureau_reviewer, organisation=world.bureau,
        evaluation=world.evaluation, campaign=world.campaign, unit_organisation=world.unit,
        year="2025", audited_at=timezone.now(),
        findings=[{"severity": "error", "code": "grade_mismatch", "message": "等级与得分不符",
                   "quote": "优", "location": {"line": 9, "page": 1}}],
    )  # fmt: skip
    url = f"/rectification/new/?kind=audit_finding&id={row.pk}:0"
    page = client_for(world.department_reviewer).get(url)
    assert page.status_code == 200
    form = page.context["form"]
    # the result names the unit: the field is fixed to it (since 3fb6aa4 the field's own initial)
    assert form.fields["unit"].initial == world.unit.pk and form.fields["unit"].disabled
    assert list(form.fields["unit"].queryset) == [world.unit]
    assert "等级与得分不符（优）" in form.initial["problem"]
    assert client_for(world.other_department_reviewer).get(url).status_code == 404


def test_a_reviewer_audits_one_handed_in_evaluation_from_its_page(
    world: World, in_process: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.department_reviewer)
    detail = f"/evaluations/{world.evaluation.pk}/"
    assert 'id="audit-findings"' not in client.get(detail).content.decode()  # a draft: nothing
    refused = client.post(f"/audit/evaluation/{world.evaluation.pk}/")
    assert refused.status_code == 302 and not Job.objects.exists()
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=Status.SUBMITTED)
    page = client.get(detail).content.decode()
    assert "尚未审查本自评的报告" in page and f"/audit/evaluation/{world.evaluation.pk}/" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/audit/evaluation/{world.evaluation.pk}/")
    row = AuditedFile.objects.get()
    assert response["Location"] == f"/audit/jobs/{row.job_id}/"
    assert (row.evaluation_id, row.status, row.errors) == (world.evaluation.pk, "audited", 0)
    assert Event.objects.filter(action="audit.evaluation").count() == 1
    page = client.get(detail).content.decode()
    assert f"/audit/results/{row.pk}/" in page and "尚未审查本自评的报告" not in page
    # another department's reviewer cannot audit it
    other = client_for(world.other_department_reviewer)
    assert other.post(f"/audit/evaluation/{world.evaluation.pk}/").status_code == 404


def test_files_kept_for_audit_again_are_dropped_after_their_time(
    world: World, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.base import ContentFile

    from jixiao.audit.services import KEEP_REPEATED_UPLOAD_DAYS, drop_old_kept_uploads

    settings.MEDIA_ROOT = str(tmp_path)
    (first,) = _rows(world, world.bureau_reviewer, 1, level="clean")
    old, recent = _rows(world, world.bureau_reviewer, 2, level="clean", earlier=first)
    for row in (old, recent):
        row.upload.save(f"kept-{row.pk}.bin", ContentFile(b"report"), save=True)
    AuditedFile.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=KEEP_REPEATED_UPLOAD_DAYS + 1)
    )
    path = old.upload.path
    assert drop_old_kept_uploads() == 1
    assert not AuditedFile.objects.get(pk=old.pk).upload
    assert AuditedFile.objects.get(pk=recent.pk).upload  # still within its time
    assert not Path(path).exists()
    event = Event.objects.get(action="audit.drop_uploads")
    assert event.details["results"] == [old.pk]
    assert drop_old_kept_uploads() == 0  # nothing left to drop, nothing logged
    assert Event.objects.filter(action="audit.drop_uploads").count() == 1


def _job_with_files(world: World, n: int) -> Job:
    """A finished 审查全部已提交 job of ``n`` files (every third with an error, every fifth not
    audited), written directly: what the page reads, not the auditor."""
    job = Job.objects.create(
        kind="audit.campaign",
        title="审查全部已提交",
        requested_by=world.bureau_reviewer,
        organisation=world.bureau,
        state="done",
        total=n,
        done_count=n,
    )
    AuditedFile.objects.bulk_create(
        AuditedFile(
            job=job,
            position=i,
            name=f"单位{i:03d} 自评报告.docx",
            status="unreadable" if i % 5 == 4 else "audited",
            errors=1 if i % 3 == 0 else 0,
            warnings=2,
            infos=1,
            level="error" if i % 3 == 0 else "warning",
            findings=[
                {"severity": "warning", "code": "grade_mismatch", "message": "等级与得分不符"}
            ],
            requested_by=world.bureau_reviewer,
            organisation=world.bureau,
        )
        for i in range(n)
    )
    return job


def test_a_large_audit_job_pages_its_files_and_counts_them_all_in_sql(
    world: World, django_assert_max_num_queries: Any
) -> None:
    """45 files: pages of 20 cards (20, 20, 5) each file once in order; the figures over all 45
    whatever the page; the same queries for a job of 3 files as for 45."""
    from urllib.parse import parse_qsl

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.bureau_reviewer)
    small = _job_with_files(world, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/audit/jobs/{small.pk}/").status_code == 200
    job = _job_with_files(world, 45)
    url = f"/audit/jobs/{job.pk}/"
    seen: list[int] = []
    query: dict[str, str] = {}
    pages = 0
    while True:
        with CaptureQueriesContext(connection) as many:
            page = client.get(url, query)
        assert len(many.captured_queries) == len(few.captured_queries)
        assert page.status_code == 200
        seen += [f.row.position for f in page.context["files"]]
        pages += 1
        audited = [i for i in range(45) if i % 5 != 4]
        assert page.context["totals"] == {
            "files": 45,
            "error": sum(1 for i in audited if i % 3 == 0),
            "warning": 2 * len(audited),
            "info": len(audited),
            "with_errors": sum(1 for i in audited if i % 3 == 0),
            "unreadable": 9,
            "pending": 0,
        }
        if not page.context["next_query"]:
            break
        query = dict(parse_qsl(page.context["next_query"]))
    assert pages == 3 and seen == list(range(45))
    content = page.content.decode()
    assert "第 41–45 份，共 45 份" in content and "单位044 自评报告.docx" in content
    # the polled fragment keeps the page it was opened on
    fragment = client.get(f"/audit/jobs/{job.pk}/results/", query)
    assert [f.row.position for f in fragment.context["files"]] == list(range(40, 45))


def test_audit_all_submitted_lists_its_rows_in_the_job_not_the_request(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """The request counts and queues (no row, no content read); the job lists the handed-in
    evaluations in the requester's scope as it is when it runs, and a retry does not list them
    twice."""
    from jixiao.jobs.services import run_job

    audited: list[int] = []

    def audit_here(row: AuditedFile, **kwargs: Any) -> None:
        audited.append(row.evaluation_id or 0)
        row.status = AuditedFile.Status.AUDITED
        row.save()

    monkeypatch.setattr("jixiao.audit.jobs.audit_evaluation_row", audit_here)
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=Status.SUBMITTED)
    Evaluation.objects.filter(pk=world.foreign_evaluation.pk).update(status=Status.APPROVED)
    client = client_for(world.bureau_reviewer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/audit/campaign/{world.campaign.pk}/")
    job = Job.objects.get(kind="audit.campaign")
    assert response["Location"] == f"/audit/jobs/{job.pk}/"
    assert job.total == 2 and "（2 份）" in job.title
    assert not AuditedFile.objects.exists()  # nothing listed inside the request
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(status=Status.SUBMITTED)
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    rows = list(AuditedFile.objects.filter(job=job).order_by("position"))
    # handed in when the job ran: three, in department, unit, project order
    assert sorted(audited) == sorted(
        [world.evaluation.pk, world.other_evaluation.pk, world.foreign_evaluation.pk]
    )
    assert [r.position for r in rows] == [0, 1, 2]
    assert all(r.name.endswith("自评报告.docx") and r.year == "2025" for r in rows)
    assert (job.state, job.total, job.done_count) == ("done", 3, 3)
    Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED)  # as a retry leaves it
    rerun = run_job(job.pk)
    assert rerun is not None and rerun.state == "done"
    assert AuditedFile.objects.filter(job=job).count() == 3  # its rows found, none listed twice


def test_an_evaluations_audit_is_seen_through_its_stored_unit_not_every_evaluation(
    world: World,
) -> None:
    """The bureau's audit of a unit's report: that unit's department sees it, another does not,
    and after the unit moves the other way round. The scope reads the row's stored unit; it
    never lists the evaluations the reviewer may see (every one of a province, per page)."""
    from jixiao.audit.selectors import results_visible_to

    (row,) = _rows(
        world,
        world.bureau_reviewer,
        1,
        evaluation=world.evaluation,
        unit_organisation=world.unit,
        campaign=world.campaign,
    )

    def sees(user: User) -> bool:
        return results_visible_to(user=user).filter(pk=row.pk).exists()

    assert sees(world.department_reviewer) and not sees(world.other_department_reviewer)
    world.unit.parent = world.other_department
    world.unit.save()
    assert sees(world.other_department_reviewer) and not sees(world.department_reviewer)
    for user in (world.bureau_reviewer, world.department_reviewer):
        assert "evaluations_evaluation" not in str(results_visible_to(user=user).query)


def test_the_summary_of_a_large_audit_job_is_a_job_with_every_file(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """Past SUMMARY_INLINE_FILES finished files the 汇总 workbook is a background job for its
    requester, holding every finished file in the job's order."""
    from io import BytesIO

    from openpyxl import load_workbook

    monkeypatch.setattr("jixiao.audit.views.SUMMARY_INLINE_FILES", 10)
    audit_job = _job_with_files(world, 45)
    client = client_for(world.bureau_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/audit/jobs/{audit_job.pk}/summary.xlsx")
    export = Job.objects.get(kind="audit.summary_xlsx")
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{export.pk}/"
    export.refresh_from_db()
    assert (export.state, export.requested_by) == ("done", world.bureau_reviewer)
    with export.result.open("rb") as stored:
        sheet = load_workbook(BytesIO(stored.read()))["汇总"]
    names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [f"单位{i:03d} 自评报告.docx" for i in range(45)]
    # another reviewer cannot have it made for them
    other = client_for(world.department_reviewer).get(f"/audit/jobs/{audit_job.pk}/summary.xlsx")
    assert other.status_code == 404
