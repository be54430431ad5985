"""The auditor on the corpus: extraction accuracy per field, recall per check, no unexpected errors.

The corpus (jixiao.audit.corpus) is generated once per session into a temporary folder: the seed as
published, the seed's data rendered by jixiao.documents and two seeded random variants, each clean
and with each known defect, with and without noise, as txt, docx and pdf. The figures are printed
(run with -s to see them) and asserted against floors the auditor reaches today; a defect class the
auditor does not yet catch is an xfail naming the gap, so the lead sees it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jixiao.audit.corpus import Corpus, generate_corpus
from jixiao.audit.corpus.defects import DEFECTS_BY_NAME
from jixiao.audit.corpus.expectations import EXTRACTED_FIELDS
from jixiao.audit.corpus.measure import (
    Outcome,
    audit_corpus,
    code_precision,
    defect_recall,
    field_accuracy,
    ratio,
    report_text,
    unexpected_errors,
)

pytestmark = pytest.mark.slow  # ~25 s: generates and audits ~330 files

# Floors the auditor reaches on this corpus today: every field and every defect class at 100%,
# no error on a clean report (docs/audit-corpus.md). The floors leave a little room so one new
# noise case does not break the tree; the printed figures show any slip.
FIELD_FLOOR = 0.98
RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.95  # per finding code: share of its reports that a planted defect explains
UNEXPECTED_ERROR_CEILING = 0.02  # share of all files with an error their defects do not explain

# Defect classes the auditor does not catch yet: (class → why), marked xfail below.
KNOWN_GAPS: dict[str, str] = {}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return generate_corpus(tmp_path_factory.mktemp("audit-corpus"), every_pdf=False)


@pytest.fixture(scope="session")
def outcomes(corpus: Corpus) -> list[Outcome]:
    return audit_corpus(corpus)


def test_report_the_figures(outcomes: list[Outcome]) -> None:
    """Prints the accuracy tables (pytest -s); the floors are asserted below."""
    text = report_text(outcomes)
    print("\n" + text)
    assert text.startswith(f"语料 {len(outcomes)} 份")


def test_every_file_is_read(outcomes: list[Outcome]) -> None:
    unreadable = [(o.case.path, o.unreadable) for o in outcomes if o.report is None]
    assert unreadable == []


@pytest.mark.parametrize("name", list(EXTRACTED_FIELDS))
def test_field_accuracy_floor(outcomes: list[Outcome], name: str) -> None:
    pair = field_accuracy(outcomes)[name]
    assert ratio(pair) >= FIELD_FLOOR, f"{name}: {pair}"


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
    assert ratio(pair) >= RECALL_FLOOR, f"{defect}: 检出 {pair[0]}/{pair[1]}"


def test_every_reported_code_is_precise(outcomes: list[Outcome]) -> None:
    imprecise = {c: p for c, p in code_precision(outcomes).items() if ratio(p) < PRECISION_FLOOR}
    assert imprecise == {}


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
