from __future__ import annotations

from pathlib import Path

import pytest

SEED_TXT = Path("/work/shared/seed/2025-zhanjiang-skills-center-self-evaluation.txt")
REPO = Path(__file__).resolve().parents[3]
SEED_YAML = REPO / "examples" / "zhanjiang-skills-center-2025.yaml"
LOCAL_SEED = Path(__file__).resolve().parent / "data" / "seed-report.txt"


@pytest.fixture(scope="session")
def audit_seed_text() -> str:
    path = SEED_TXT if SEED_TXT.exists() else LOCAL_SEED
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def audit_rendered() -> dict[str, bytes]:
    """The seed rendered by jixiao.documents as txt, docx and pdf."""
    from jixiao.documents.package import render_document
    from scoring import find_ruleset, load_evaluation, score_evaluation

    evaluation = load_evaluation(SEED_YAML)
    ruleset = find_ruleset(evaluation.ruleset)
    result = score_evaluation(evaluation, ruleset)
    return {
        fmt: render_document(evaluation, result, fmt, ruleset=ruleset)
        for fmt in ("txt", "docx", "pdf")
    }
