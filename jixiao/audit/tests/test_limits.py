"""Each file's budget (#9.3): hostile files end as 太大或太复杂，未审查（reason）, never run on.

No timed assertions: the pdf tests prove the refusal comes before any page is parsed (pypdf's
extract_text is made to fail the test), the child-process tests use budgets so small that the
kernel's limits must be what ends the child.
"""

from __future__ import annotations

import json
import os
import signal

import pytest

from jixiao.audit import UnreadableReport, audit_bytes, audit_file_within_budget, read_text
from jixiao.audit.isolated import audit_isolated
from jixiao.audit.limits import TOO_COMPLEX, AuditBudget, OutOfTime, enforced
from jixiao.audit.tests.hostile import (
    bomb_docx,
    form_xobject_pdf,
    repetitive_txt,
    shared_stream_pdf,
)


@pytest.fixture
def no_page_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a pdf page's content is parsed at all."""
    from pypdf import PageObject

    def refuse(*args: object, **kwargs: object) -> str:
        raise AssertionError("a page was parsed: the budget check came too late")

    monkeypatch.setattr(PageObject, "extract_text", refuse)


def test_pdf_pages_sharing_one_huge_stream_is_refused_before_parsing(
    no_page_parsing: None,
) -> None:
    data = shared_stream_pdf(pages=200, content_bytes=4 * 1024 * 1024)
    assert len(data) < 64 * 1024  # tiny on disk
    with pytest.raises(UnreadableReport) as caught:
        read_text(data, suffix=".pdf")
    assert caught.value.too_complex
    assert caught.value.reason == (
        "太大或太复杂，未审查（PDF 页面内容解压后超过 64 MB，多个页面共用同一内容）"
    )


def test_pdf_drawing_one_huge_form_on_every_page_is_refused(no_page_parsing: None) -> None:
    with pytest.raises(UnreadableReport) as caught:
        read_text(form_xobject_pdf(), suffix=".pdf")
    assert caught.value.too_complex
    assert caught.value.reason.startswith(TOO_COMPLEX + "（PDF 页面内容解压后超过")


def test_pdf_within_the_budget_is_read(audit_rendered: dict[str, bytes]) -> None:
    # the seed rendered by jixiao.documents: far inside the budget, read as before
    result = read_text(audit_rendered["pdf"], suffix=".pdf")
    assert "湛江市职业技能鉴定指导中心" in result.text


def test_smaller_content_budget_counts_every_page_that_draws_the_stream() -> None:
    # 10 pages × 1 MiB: within 16 MiB once, but not when each page counts
    data = shared_stream_pdf(pages=20, content_bytes=1024 * 1024)
    with pytest.raises(UnreadableReport, match="页面内容解压后超过 16 MB"):
        read_text(data, suffix=".pdf", budget=AuditBudget(decompressed_bytes=16 * 1024 * 1024))


def test_decompression_bomb_docx_is_refused_from_its_directory() -> None:
    with pytest.raises(UnreadableReport) as caught:
        audit_bytes(bomb_docx(), "炸弹.docx")
    assert caught.value.too_complex
    assert caught.value.reason == (
        "太大或太复杂，未审查（docx 解压后 256 MB，超过上限 64 MB，疑似压缩炸弹）"
    )


def test_repetitive_txt_over_the_cpu_budget_is_stopped_by_the_kernel(
    audit_seed_text: str,
) -> None:
    big = repetitive_txt(audit_seed_text)
    with pytest.raises(UnreadableReport) as caught:
        audit_isolated(big, "重复.txt", budget=AuditBudget(cpu_seconds=1, wall_seconds=600))
    assert caught.value.too_complex
    assert caught.value.reason == "太大或太复杂，未审查（审查用时超过 1 秒）"


def test_child_over_its_memory_is_stopped(audit_seed_text: str) -> None:
    big = repetitive_txt(audit_seed_text)
    with pytest.raises(UnreadableReport) as caught:
        audit_isolated(
            big, "重复.txt", budget=AuditBudget(memory_bytes=64 * 1024 * 1024, wall_seconds=600)
        )
    assert caught.value.too_complex
    assert caught.value.reason == "太大或太复杂，未审查（审查所需内存超过 64 MB）"


def test_child_over_its_wall_clock_is_killed(audit_seed_text: str) -> None:
    big = repetitive_txt(audit_seed_text)
    with pytest.raises(UnreadableReport) as caught:
        audit_isolated(big, "重复.txt", budget=AuditBudget(wall_seconds=1))
    assert caught.value.reason == "太大或太复杂，未审查（审查等待超过 1 秒）"


def test_hostile_pdf_in_the_child_ends_as_too_complex() -> None:
    with pytest.raises(UnreadableReport) as caught:
        audit_isolated(shared_stream_pdf(), "共用内容.pdf", budget=AuditBudget(wall_seconds=600))
    assert caught.value.too_complex
    assert "页面内容解压后超过 64 MB" in caught.value.reason


def test_child_audits_the_seed_like_this_process(audit_seed_text: str) -> None:
    data = audit_seed_text.encode("utf-8")
    here = audit_bytes(data, "seed.txt")
    there = audit_isolated(data, "seed.txt", budget=AuditBudget(wall_seconds=600))
    assert [f.to_dict() for f in there.findings] == [f.to_dict() for f in here.findings]
    assert there.extracted == json.loads(json.dumps(here.extracted))
    assert there.prefill["fields"]["year"]["value"] == 2025  # the prefill comes along


def test_unreadable_file_in_the_child_keeps_its_reason() -> None:
    with pytest.raises(UnreadableReport) as caught:
        audit_isolated(b"%PDF-1.4 broken", "坏.pdf", budget=AuditBudget(wall_seconds=600))
    assert not caught.value.too_complex
    assert caught.value.reason.startswith("PDF 文件已损坏")


def test_command_line_budget_is_enforced_in_process(tmp_path, audit_seed_text: str) -> None:
    path = tmp_path / "重复.txt"
    path.write_bytes(repetitive_txt(audit_seed_text))
    with pytest.raises(UnreadableReport) as caught:
        audit_file_within_budget(path, budget=AuditBudget(cpu_seconds=1))
    assert caught.value.reason == "太大或太复杂，未审查（审查用时超过 1 秒）"
    # and the timer is gone afterwards: the next file audits normally
    small = tmp_path / "seed.txt"
    small.write_text(audit_seed_text, encoding="utf-8")
    assert audit_file_within_budget(small).extracted["year"] == 2025


def test_a_budget_that_ran_out_is_reported_even_when_the_exception_was_swallowed() -> None:
    # The timer's exception can land where Python ignores it (a finalizer, a gc callback): the
    # budget ran out all the same. The signal is sent by hand so the test takes no time.
    swallowed = 0
    with pytest.raises(OutOfTime), enforced(AuditBudget(cpu_seconds=60)):
        try:
            os.kill(os.getpid(), signal.SIGPROF)  # os.kill runs the handler before it returns
        except OutOfTime:
            swallowed += 1
    assert swallowed == 1


def test_a_budget_that_ran_out_is_reported_when_no_signal_came(monkeypatch) -> None:
    # The clock is read at the end too: work past its CPU budget ends OutOfTime even when the
    # timer's signal never reached the handler (a full SQLite run once saw the block finish).
    from jixiao.audit import limits

    monkeypatch.setattr(limits.signal, "setitimer", lambda *args, **kwargs: None)
    readings = iter([100.0, 101.5])  # started, then 1.5 s of CPU later
    monkeypatch.setattr(limits.time, "process_time", lambda: next(readings))
    with pytest.raises(OutOfTime), enforced(AuditBudget(cpu_seconds=1)):
        pass
    readings = iter([100.0, 100.5])  # within the budget: nothing raised
    with enforced(AuditBudget(cpu_seconds=1)):
        pass
