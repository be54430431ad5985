"""Measure the auditor on a corpus: extraction accuracy per field, precision and recall per check.

- **field accuracy**: for each fact the manifest names (unit, year, score …), the share of the files
  stating it whose ``AuditReport.extracted`` value equals it (amounts compared as numbers in 万元);
- **recall per defect class**: the share of files with the defect where one of the finding codes
  ``expectations.EXPECTED_CODES`` maps it to was reported;
- **precision per finding code**: of the files where the code was reported, the share that have a
  defect the code answers (a code reported on a file without such a defect is a false alarm);
- **false alarms**: error-level findings on clean files, and on any file beyond what its defects
  explain.

Used by ``python -m jixiao.audit.corpus --measure`` and by the corpus test, which asserts floors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.audit import AuditReport, UnreadableReport, audit_file
from jixiao.audit.corpus.expectations import (
    EXPECTED_CODES,
    EXTRACTED_FIELDS,
    explained_codes,
    extracted_value,
)
from jixiao.audit.corpus.generate import FORMATS, Case, Corpus

Tally = dict[str, tuple[int, int]]  # name → (hits, total)


@dataclass(frozen=True)
class Outcome:
    """One corpus file and what the auditor made of it."""

    case: Case
    report: AuditReport | None
    unreadable: str = ""

    @property
    def codes(self) -> set[str]:
        return {f.code for f in self.report.findings} if self.report else set()

    @property
    def error_codes(self) -> set[str]:
        if not self.report:
            return set()
        return {f.code for f in self.report.findings if f.severity == "error"}


def audit_corpus(corpus: Corpus) -> list[Outcome]:
    results = []
    for case in corpus.cases:
        try:
            results.append(Outcome(case, audit_file(corpus.directory / case.path)))
        except UnreadableReport as exc:
            results.append(Outcome(case, None, str(exc)))
    return results


def same_value(expected: str, found: Any) -> bool:
    if found is None:
        return expected == ""
    found_text = str(found)
    try:
        return Decimal(expected) == Decimal(found_text)
    except (InvalidOperation, ValueError):
        return expected == found_text


def field_accuracy(outcomes: Iterable[Outcome]) -> Tally:
    """field → (files where it was read right, files stating it)."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        for name in EXTRACTED_FIELDS:
            expected = outcome.case.expected_fields.get(name, "")
            if expected == "":
                continue
            tally[name][1] += 1
            if outcome.report and same_value(expected, extracted_value(outcome.report, name)):
                tally[name][0] += 1
    return {name: (c, t) for name, (c, t) in tally.items()}


def field_misses(outcomes: Iterable[Outcome], name: str) -> list[tuple[str, str, Any]]:
    """(file, expected, found) for every file where field ``name`` was read wrong."""
    misses = []
    for o in outcomes:
        expected = o.case.expected_fields.get(name, "")
        if expected == "":
            continue
        found = extracted_value(o.report, name) if o.report else None
        if not same_value(expected, found):
            misses.append((o.case.path, expected, found))
    return misses


def defect_recall(outcomes: Iterable[Outcome]) -> Tally:
    """defect class → (files where one of its codes was found, files with the defect)."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        for defect in outcome.case.defects:
            tally[defect][1] += 1
            if outcome.codes & set(EXPECTED_CODES[defect]):
                tally[defect][0] += 1
    return {name: (c, t) for name, (c, t) in tally.items()}


def code_precision(outcomes: Iterable[Outcome]) -> Tally:
    """finding code → (files where a defect of the file explains it, files where reported).

    Every error and warning code is measured; info findings (``not_found``, ``reader_warning``)
    are not claims about the report.
    """
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        if outcome.report is None:
            continue
        allowed = explained_codes(outcome.case.defects)
        for code in {f.code for f in outcome.report.findings if f.severity != "info"}:
            tally[code][1] += 1
            if code in allowed:
                tally[code][0] += 1
    return {name: (c, t) for name, (c, t) in tally.items()}


def unexpected_errors(outcome: Outcome) -> set[str]:
    allowed = explained_codes(outcome.case.defects)
    return outcome.error_codes - allowed


def ratio(pair: tuple[int, int]) -> float:
    return pair[0] / pair[1] if pair[1] else 1.0


def _cell(pair: tuple[int, int] | None) -> str:
    if pair is None or pair[1] == 0:
        return f"{'—':>14}"
    return f"{pair[0]:>5}/{pair[1]:<4}{ratio(pair):>5.0%}"


def report_text(outcomes: Sequence[Outcome]) -> str:
    """The figures as a Chinese table: per field, per defect class and per code, by format."""
    formats = [f for f in FORMATS if any(o.case.format == f for o in outcomes)]
    groups = [(f, [o for o in outcomes if o.case.format == f]) for f in formats]
    groups.append(("合计", list(outcomes)))
    header = "".join(f"{name:>14}" for name, _ in groups)
    lines = [f"语料 {len(outcomes)} 份"]
    for name, subset in groups[:-1]:
        unreadable = sum(1 for o in subset if o.report is None)
        lines.append(f"  {name}: {len(subset)} 份，无法读取 {unreadable} 份")

    def table(title: str, measure: Any, names: Iterable[str]) -> None:
        tallies = [measure(subset) for _, subset in groups]
        lines.append(f"{title:<28}{header}")
        for name in names:
            lines.append(f"  {name:<26}" + "".join(_cell(t.get(name)) for t in tallies))

    table("字段提取准确率", field_accuracy, EXTRACTED_FIELDS)
    table("缺陷检出率（召回）", defect_recall, sorted(defect_recall(outcomes)))
    table("发现代码精确率", code_precision, sorted(code_precision(outcomes)))
    clean = [o for o in outcomes if not o.case.defects]
    false_errors = [o for o in clean if o.error_codes]
    lines.append(f"干净报告（含对照）误报错误：{len(false_errors)}/{len(clean)}")
    noisy = [o for o in outcomes if unexpected_errors(o)]
    lines.append(f"含缺陷解释不了的错误的报告：{len(noisy)}/{len(outcomes)}")
    lines.extend(f"  {o.case.path}: {sorted(unexpected_errors(o))}" for o in noisy[:15])
    for name in EXTRACTED_FIELDS:
        for path, expected, found in field_misses(outcomes, name)[:3]:
            lines.append(f"  读错 {name}: {path}: 应为 {expected!r}，读出 {found!r}")
    return "\n".join(lines)
