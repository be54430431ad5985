"""The auditor on the corpus: extraction accuracy per field, recall per check, no unexpected errors.

The corpus (jixiao.audit.corpus) is generated once per session into a temporary folder: the seed as
published, the seed's data rendered by jixiao.documents and two seeded random variants, each clean
and with each known defect, with and without noise, as txt, docx and pdf. The figures are printed
(run with -s to see them) and asserted against floors the auditor reaches today; a defect class the
auditor does not yet catch is an xfail naming the gap, so the lead sees it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

from jixiao.audit import AuditReport, UnreadableReport, audit_file
from jixiao.audit.corpus import Case, Corpus, generate_corpus
from jixiao.audit.corpus.defects import DEFECTS_BY_NAME
from jixiao.audit.corpus.expectations import EXPECTED_CODES, EXTRACTED_FIELDS, extracted_value

pytestmark = pytest.mark.slow  # ~25 s: generates and audits ~330 files

# Floors the auditor reaches on this corpus today: every field and every defect class at 100%,
# no error on a clean report (docs/audit-corpus.md). The floors leave a little room so one new
# noise case does not break the tree; the printed figures show any slip.
FIELD_FLOOR = 0.98
RECALL_FLOOR = 0.95
UNEXPECTED_ERROR_CEILING = 0.02  # share of all files with an error their defects do not explain

# Defect classes the auditor does not catch yet: (class → why), marked xfail below.
KNOWN_GAPS: dict[str, str] = {}


@dataclass(frozen=True)
class Outcome:
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
        return {f.code for f in self.report.findings if _severity(f) == "error"}


def _severity(finding: Any) -> str:
    return str(getattr(finding.severity, "value", finding.severity)).lower()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return generate_corpus(tmp_path_factory.mktemp("audit-corpus"), every_pdf=False)


@pytest.fixture(scope="session")
def outcomes(corpus: Corpus) -> list[Outcome]:
    results = []
    for case in corpus.cases:
        try:
            results.append(Outcome(case, audit_file(corpus.directory / case.path)))
        except UnreadableReport as exc:
            results.append(Outcome(case, None, str(exc)))
    return results


def _same(expected: str, found: Any) -> bool:
    if found is None:
        return expected == ""
    found_text = str(getattr(found, "value", found))
    if hasattr(found, "isoformat"):
        found_text = found.isoformat()
    try:
        return Decimal(expected) == Decimal(found_text)
    except (InvalidOperation, ValueError):
        return expected == found_text


def field_accuracy(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """field → (correct, total) over every case that states the field."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        for name in EXTRACTED_FIELDS:
            expected = outcome.case.expected_fields.get(name, "")
            if expected == "":
                continue
            tally[name][1] += 1
            if outcome.report and _same(expected, extracted_value(outcome.report, name)):
                tally[name][0] += 1
    return {name: (c, t) for name, (c, t) in tally.items()}


def defect_recall(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """defect class → (cases where one of its codes was found, cases with the defect)."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        for defect in outcome.case.defects:
            tally[defect][1] += 1
            if outcome.codes & set(EXPECTED_CODES[defect]):
                tally[defect][0] += 1
    return {name: (c, t) for name, (c, t) in tally.items()}


def unexpected_errors(outcome: Outcome) -> set[str]:
    allowed = {code for defect in outcome.case.defects for code in EXPECTED_CODES[defect]}
    return outcome.error_codes - allowed


def _ratio(pair: tuple[int, int]) -> float:
    return pair[0] / pair[1] if pair[1] else 1.0


def test_report_the_figures(outcomes: list[Outcome]) -> None:
    """Prints the accuracy table (pytest -s); asserts nothing beyond the floors below."""
    print(f"\n语料 {len(outcomes)} 份")
    for fmt in ("txt", "docx", "pdf"):
        subset = [o for o in outcomes if o.case.format == fmt]
        unreadable = sum(1 for o in subset if o.report is None)
        print(f"  {fmt}: {len(subset)} 份，无法读取 {unreadable} 份")
    print("字段提取准确率：")
    for name, pair in sorted(field_accuracy(outcomes).items()):
        print(f"  {name:<18} {pair[0]:>4}/{pair[1]:<4} {_ratio(pair):6.1%}")
    print("缺陷检出率：")
    for name, pair in sorted(defect_recall(outcomes).items()):
        print(f"  {name:<28} {pair[0]:>4}/{pair[1]:<4} {_ratio(pair):6.1%}")
    clean = [o for o in outcomes if not o.case.defects]
    false_errors = [o for o in clean if o.error_codes]
    print(f"干净报告误报错误：{len(false_errors)}/{len(clean)}")
    noisy = [o for o in outcomes if unexpected_errors(o)]
    print(f"含意外错误的报告：{len(noisy)}/{len(outcomes)}")
    for o in noisy[:15]:
        print(f"  {o.case.path}: {sorted(unexpected_errors(o))}")


def test_every_file_is_read(outcomes: list[Outcome]) -> None:
    unreadable = [(o.case.path, o.unreadable) for o in outcomes if o.report is None]
    assert unreadable == []


@pytest.mark.parametrize("name", list(EXTRACTED_FIELDS))
def test_field_accuracy_floor(outcomes: list[Outcome], name: str) -> None:
    pair = field_accuracy(outcomes)[name]
    assert _ratio(pair) >= FIELD_FLOOR, f"{name}: {pair}"


def _defect_params() -> list[Any]:
    params = []
    planted = [name for name, defect in DEFECTS_BY_NAME.items() if not defect.control]
    for name in [*planted, "execution_rate_unexplained", "over_completion_unexplained"]:
        marks = (
            [pytest.mark.xfail(reason=KNOWN_GAPS[name], strict=False)] if name in KNOWN_GAPS else []
        )
        params.append(pytest.param(name, marks=marks, id=name))
    return params


@pytest.mark.parametrize("defect", _defect_params())
def test_defect_is_found(outcomes: list[Outcome], defect: str) -> None:
    pair = defect_recall(outcomes)[defect]
    assert _ratio(pair) >= RECALL_FLOOR, f"{defect}: 检出 {pair[0]}/{pair[1]}"


def test_clean_reports_have_no_error(outcomes: list[Outcome]) -> None:
    clean = [o for o in outcomes if not o.case.defects]
    assert len(clean) > 50
    wrong = [(o.case.path, sorted(o.error_codes)) for o in clean if o.error_codes]
    assert wrong == []


def test_defective_reports_have_no_unexpected_error(outcomes: list[Outcome]) -> None:
    wrong = [(o.case.path, sorted(unexpected_errors(o))) for o in outcomes if unexpected_errors(o)]
    assert len(wrong) <= UNEXPECTED_ERROR_CEILING * len(outcomes), wrong


def test_the_corpus_itself_is_where_the_manifest_says(corpus: Corpus) -> None:
    for case in corpus.cases:
        assert (corpus.directory / case.path).is_file()
    assert {c.format for c in corpus.cases} == {"txt", "docx", "pdf"}
    assert Path(corpus.directory / "manifest.json").is_file()
