"""The measures themselves, on hand-made outcomes: a wrong count here would misstate the figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.audit import AuditReport, Finding
from jixiao.audit.corpus import generate_corpus
from jixiao.audit.corpus.__main__ import main
from jixiao.audit.corpus.generate import Case, load_manifest
from jixiao.audit.corpus.measure import (
    Outcome,
    _cell,
    code_precision,
    defect_recall,
    field_accuracy,
    unexpected_errors,
)


def _outcome(defects: tuple[str, ...], findings: list[tuple[str, str]], **fields: str) -> Outcome:
    case = Case("x", "txt/x.txt", "txt", "seed", "clean", (), "style", defects, dict(fields))
    report = AuditReport(
        source="x",
        findings=[Finding(severity, code, "") for severity, code in findings],
        extracted={"year": 2025, "budget": {"initial": "33.28"}, "targets": []},
    )
    return Outcome(case, report)


def test_precision_counts_codes_the_defects_do_not_explain() -> None:
    outcomes = [
        _outcome(("grade_mismatch",), [("error", "grade_mismatch")]),
        _outcome((), [("error", "grade_mismatch"), ("info", "not_found")]),
        _outcome(
            ("staff_over_quota",), [("error", "staff_over_quota"), ("warning", "filled_late")]
        ),
    ]
    assert code_precision(outcomes) == {
        "grade_mismatch": (1, 2),
        "staff_over_quota": (1, 1),
        "filled_late": (0, 1),
    }
    assert unexpected_errors(outcomes[1]) == {"grade_mismatch"}


def test_recall_and_field_accuracy() -> None:
    outcomes = [
        _outcome(("grade_mismatch",), [("error", "grade_mismatch")], year="2025"),
        _outcome(("grade_mismatch",), [], year="2024", budget_initial="33.280"),
    ]
    assert defect_recall(outcomes) == {"grade_mismatch": (1, 2)}
    assert field_accuracy(outcomes) == {"year": (1, 2), "budget_initial": (1, 1)}


@pytest.fixture(scope="module")
def txt_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("measure")
    generate_corpus(directory, formats=("txt",), variants_per_seed=0, renderer_binaries=False)
    return directory


def test_measure_from_the_command_line(
    txt_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(txt_corpus), "--measure"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"使用已有语料 {txt_corpus}\n语料 ")
    files = len(load_manifest(txt_corpus).cases)
    assert files == 132  # the published seed and its rendering, clean and with each defect
    cell = _cell((files, files))
    assert f"\n  {'year':<26}{cell}{cell}\n" in out
    assert "干净报告（含对照）误报错误：0/" in out
