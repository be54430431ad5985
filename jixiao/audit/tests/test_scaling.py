"""The auditor's work grows linearly with the text (#9.3): a 4 MB repetitive file took 26 s.

No timings here (they belong in bench/audit_throughput.py): the work is counted as the lines of
Python the audit executes (sys.settrace), for the same repetitive text at 1×, 2× and 4× the size.
Linear work doubles with each doubling; a quadratic part (a scan of every target, of every piece
of a paragraph, per claim) quadruples. The regular expressions that ran in C are tested for the
property that keeps them linear: a run is matched only from its start.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest

from jixiao.audit import audit_text
from jixiao.audit.normalize import _PUNCT_SPACE, _THOUSANDS_COMMA, normalize_line

# Repeating units, each the shape of one attack that was quadratic: one paragraph of many
# completion claims (no sentence ends), percent indicators, claims whose reason is in the next
# paragraph, claims without a count but with a reason, and the seed report itself.
UNITS = {
    "claims_in_one_paragraph": "新增取得证书18969人次，完成年度目标的158.08%，\n",
    "percent_indicators": "满意度达到98%，年度目标值≥90%；\n",
    "reason_next_paragraph": "培训完成500人次，完成率90%。\n主要原因是场地不足。\n",
    "claims_without_count": "完成率90%，原因是场地不足；",
    "named_targets": "第{n}项培训完成{n}人次，完成率{n}%，",
}
BASE_CHARS = 6_000


def _text(unit: str, chars: int) -> str:
    if "{n}" in unit:  # distinct names and figures, so no index can collapse them
        parts, total, n = [], 0, 1
        while total < chars:
            part = unit.format(n=n)
            parts.append(part)
            total += len(part)
            n += 1
        return "".join(parts)
    return unit * (chars // len(unit) + 1)


def _lines_executed(text: str) -> int:
    """Lines of Python executed to audit ``text``."""
    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        audit_text(text)
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize("name", sorted(UNITS))
def test_audit_work_grows_linearly(name: str, audit_seed_text: str) -> None:
    audit_text(audit_seed_text)  # imports and rule-set caches are not part of the growth
    counts = [
        _lines_executed(_text(UNITS[name], size))
        for size in (BASE_CHARS, 2 * BASE_CHARS, 4 * BASE_CHARS)
    ]
    # linear: ×2 per doubling (a little over, from fixed costs shrinking in share); quadratic: ×4
    assert counts[1] / counts[0] < 2.6, counts
    assert counts[2] / counts[1] < 2.6, counts


def test_seed_repeated_grows_linearly(audit_seed_text: str) -> None:
    audit_text(audit_seed_text)
    counts = [_lines_executed(audit_seed_text * times) for times in (2, 4, 8)]
    assert counts[2] / counts[1] < 2.6, counts


def test_space_runs_are_matched_from_their_start_only() -> None:
    # Matching from inside a run made each of its spaces scan to the run's end: 20 000 spaces in
    # one line took 35 s. From its second space on, a run must not match at all.
    assert _PUNCT_SPACE.search("a" + " " * 10 + ":", 2) is None
    assert _PUNCT_SPACE.sub("", "a   :b") == "a:b"  # still removed as a whole
    assert normalize_line("甲" + " " * 50_000 + "乙") == "甲乙"


def test_comma_groups_are_matched_from_the_first_group_only() -> None:
    assert _THOUSANDS_COMMA.search("1,234,567", 2) is None
    assert normalize_line("支出1,234,567元") == "支出1234567元"
    assert normalize_line("共 " + "1" + ",234" * 10_000 + "5").startswith("共1,234")


def test_overlong_numbers_are_not_read() -> None:
    """5 000 digits made int() and Decimal raise: such a run is no figure a report states."""
    report = audit_text(
        "评价年度：2025年\n编制" + "9" * 5000 + "人\n完成" + "9" * 5000 + "人次，完成率"
        + "9" * 5000 + "%\n自评得分" + "9" * 5000 + "分\n"
    )  # fmt: skip
    assert report.extracted["staffing_quota"] is None
    assert report.extracted["targets"] == []
    assert report.extracted["total_score"] is None
