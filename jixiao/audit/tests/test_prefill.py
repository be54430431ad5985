"""Prefill for the web form: draft SelfEvaluation data, each field with its quote and confidence."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.audit import UnreadableReport, audit_bytes, audit_text
from jixiao.audit.corpus.noise import paragraphs_of
from jixiao.audit.corpus.writers import write_docx
from scoring import load_evaluation
from scoring.evaluation import SelfEvaluation

SEED_YAML = Path(__file__).resolve().parents[3] / "examples" / "zhanjiang-skills-center-2025.yaml"


@pytest.fixture(scope="module")
def seed_prefill(audit_seed_text: str) -> dict:  # type: ignore[type-arg]
    return audit_bytes(audit_seed_text.encode("utf-8"), "2025年自评报告.txt").prefill


def test_seed_prefill_validates_as_the_foundation_model(seed_prefill: dict) -> None:  # type: ignore[type-arg]
    assert seed_prefill["complete"] is True
    assert seed_prefill["missing"] == []
    draft = SelfEvaluation.model_validate(seed_prefill["data"])
    example = load_evaluation(SEED_YAML)  # the seed as data, typed by hand
    assert draft.year == example.year == 2025
    assert draft.filled_on == example.filled_on
    assert draft.notice == example.notice
    for name in ("name", "unit_type", "supervisor", "staffing_quota", "staff_actual", "functions"):
        assert getattr(draft.unit, name) == getattr(example.unit, name), name
    assert [(t.name, t.unit, t.target, t.actual) for t in draft.targets] == [
        (t.name, t.unit, t.target, t.actual) for t in example.targets if t.target is not None
    ]
    assert (draft.budget.initial, draft.budget.executed) == (Decimal("33.28"), Decimal("38.45"))
    assert draft.budget.full_year == Decimal("33.28")  # not stated: the initial budget, flagged
    assert draft.problems == example.problems
    assert draft.improvements == example.improvements
    assert [p.title for p in draft.practices] == [p.title for p in example.practices]
    assert [k.title for k in draft.key_tasks] == [k.title for k in example.key_tasks]
    assert draft.key_tasks[0].detail == example.key_tasks[0].detail  # 高（职）校: full width again
    assert draft.submission_consistency == (
        "我单位所报送的自评报告、数据表、评分表与公开的自评报告、数据表、评分表一致。"
    )


def test_each_field_says_where_it_came_from(seed_prefill: dict) -> None:  # type: ignore[type-arg]
    fields = seed_prefill["fields"]
    assert fields["year"] == {
        "value": 2025,
        "confidence": "high",
        "quote": "评价年度：2025年",
        "location": {"line": 7, "page": None},
        "note": "",
    }
    assert fields["unit.supervisor"]["confidence"] == "medium"
    assert fields["unit.supervisor"]["location"]["line"] == 21
    assert fields["budget.rows.0.full_year"]["confidence"] == "low"
    assert "按年初预算数填入" in fields["budget.rows.0.full_year"]["note"]
    target = fields["targets.0.target"]
    assert (target["value"], target["confidence"]) == ("12000", "low")  # 18969 ÷ 158.08%
    assert target["location"]["line"] == 37
    assert fields["problems.2"]["location"]["line"] == 99

    # every value in data has its source, and nothing else is listed
    def leaves(node: object, path: str = "") -> set[str]:
        if isinstance(node, dict):
            return {p for k, v in node.items() for p in leaves(v, f"{path}{k}.")}
        if isinstance(node, list):
            return {p for i, v in enumerate(node) for p in leaves(v, f"{path}{i}.")}
        return {path.rstrip(".")}

    assert leaves(seed_prefill["data"]) == set(fields)


def test_claims_are_offered_apart_from_the_data(seed_prefill: dict) -> None:  # type: ignore[type-arg]
    claims = seed_prefill["claims"]
    assert {k: v["value"] for k, v in claims.items()} == {
        "total_score": "98",
        "grade": "优秀",
        "execution_rate": "100",
    }
    assert claims["grade"]["location"]["line"] == 67


def test_stated_adjusted_budget_is_high_confidence() -> None:
    report = audit_text(
        "评价年度：2025年\n评价单位：某中心\n"
        "年初预算 100 万元，全年预算（调整后）120 万元，全年执行数 114 万元。"
    )
    fields = report.prefill["fields"]
    assert fields["budget.rows.0.full_year"]["value"] == "120"
    assert fields["budget.rows.0.full_year"]["confidence"] == "high"
    assert report.prefill["complete"] is True


def test_too_little_read_is_incomplete_and_says_what_is_missing() -> None:
    report = audit_text("评价年度：2025年")
    assert report.prefill["data"] == {"kind": "department", "ruleset": "gd-department@2025.1",
                                      "year": 2025}  # fmt: skip
    assert report.prefill["complete"] is False
    assert "评价单位" in report.prefill["missing"]
    assert report.prefill["fields"]["kind"]["confidence"] == "low"  # no report title


def test_audit_bytes_of_an_upload(audit_seed_text: str) -> None:
    data = write_docx(paragraphs_of(audit_seed_text))
    report = audit_bytes(data, "上传的报告.docx")
    assert report.source == "上传的报告.docx"
    assert [(f.severity, f.code) for f in report.findings] == [
        ("warning", "over_completion"),
        ("warning", "execution_100_unadjusted"),
    ]
    payload = json.loads(report.to_json(with_prefill=True))
    assert payload["prefill"]["data"]["unit"]["name"] == "湛江市职业技能鉴定指导中心"
    assert "prefill" not in json.loads(report.to_json())


def test_audit_bytes_refuses_what_it_cannot_read() -> None:
    with pytest.raises(UnreadableReport) as caught:
        audit_bytes(b"\x89PNG\r\n\x1a\n", "扫描.pdf")
    assert caught.value.reason == "文件扩展名为 .pdf，但内容不是 PDF"


@pytest.mark.parametrize(
    ("folded", "shown"),
    [
        (
            "根据(湛财评[2019]26号)有关规定,由中心负责人担任组长;",
            "根据（湛财评[2019]26号）有关规定，由中心负责人担任组长；",
        ),
        ("评价年度:2025年", "评价年度：2025年"),
        ("gd-department@2025.1", "gd-department@2025.1"),
        ("18969, 5570", "18969, 5570"),
    ],
)
def test_chinese_punctuation_is_restored_for_display(folded: str, shown: str) -> None:
    from jixiao.audit.prefill import chinese_punctuation

    assert chinese_punctuation(folded) == shown
