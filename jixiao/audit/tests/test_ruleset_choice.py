"""The rule-set an audit checks against (issue 13.4): the one the user picks (``--ruleset``, the
报告审查 form), else the one the report names, else the default for its kind; its grade bands and
over-completion threshold decide the findings."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.audit import audit_text
from jixiao.audit.jobs import chosen_ruleset
from jixiao.audit.models import AuditedFile
from jixiao.audit.ruleset_choice import named_ruleset, ruleset_from_payload, ruleset_payload
from jixiao.cli import main
from jixiao.conftest import World
from jixiao.jobs.models import Job
from scoring.loading import find_ruleset
from scoring.ruleset import Grade, RuleSet, Thresholds
from scoring.ruleset_sheet import ruleset_to_yaml


def strict(base: RuleSet) -> RuleSet:
    """The seed's rule-set with a 120% threshold and 优 from 99 (bands some deployments use)."""
    return base.model_copy(
        update={
            "version": "strict",
            "thresholds": Thresholds(over_completion=Decimal(120)),
            "grades": (
                Grade(code="excellent", label="优", name="优秀", min_score=Decimal(99)),
                Grade(code="good", label="良", name="良好", min_score=Decimal(80)),
                Grade(code="fair", label="中", name="中等", min_score=Decimal(60)),
                Grade(code="poor", label="差", name="较差", min_score=Decimal(0)),
            ),
        }
    )


def codes(report: Any) -> list[tuple[str, str]]:
    return [(f.severity, f.code) for f in report.findings]


def test_the_picked_rulesets_bands_and_threshold_decide(audit_seed_text: str) -> None:
    default = audit_text(audit_seed_text)
    assert codes(default) == [
        ("warning", "over_completion"),
        ("warning", "execution_100_unadjusted"),
    ]
    picked = audit_text(audit_seed_text, ruleset=strict(find_ruleset("gd-department")))
    assert picked.extracted["ruleset"] == "gd-department@strict"
    assert codes(picked) == [
        ("error", "grade_mismatch"),
        ("warning", "over_completion"),
        ("warning", "over_completion"),
        ("warning", "execution_100_unadjusted"),
    ]
    messages = [f.message for f in picked.findings]
    assert "得分 98 分按规则集 gd-department@strict 应评为“良好”，报告写作“优秀”" in messages
    # 158.08% and 126.59% are above 120%; 114.19% is not
    assert sum("超过 120%" in m for m in messages) == 2


def test_the_ruleset_a_report_names() -> None:
    assert named_ruleset("评分规则集：national-project@2020.1 项目支出绩效自评表") is not None
    named = named_ruleset("依据《项目支出绩效自评表（财政部通用格式）》评分")
    assert named is not None and named.ref == "national-project@2020.1"
    assert named_ruleset("湛江市职业技能鉴定指导中心2025年度部门整体支出绩效自评报告") is None


def test_a_named_ruleset_is_used(audit_seed_text: str) -> None:
    text = audit_seed_text + "\n评分规则集：mof-department-2013@2013.1\n"
    assert audit_text(text).extracted["ruleset"] == "mof-department-2013@2013.1"
    picked = find_ruleset("gd-department")
    assert audit_text(text, ruleset=picked).extracted["ruleset"] == picked.ref


def test_the_child_gets_the_ruleset_whole() -> None:
    ruleset = strict(find_ruleset("national-project"))
    payload = json.loads(json.dumps(ruleset_payload(ruleset)))
    assert ruleset_from_payload(payload) == ruleset
    assert ruleset_from_payload(None) is None


def test_cli_ruleset_file_and_ref(
    audit_seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "seed.txt"
    report.write_text(audit_seed_text, encoding="utf-8")
    rules = tmp_path / "strict.yaml"
    rules.write_text(ruleset_to_yaml(strict(find_ruleset("gd-department"))), encoding="utf-8")
    assert main(["audit", str(report), "--ruleset", str(rules), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["extracted"]["ruleset"] == "gd-department@strict"
    assert "grade_mismatch" in [f["code"] for f in payload["findings"]]
    assert main(["audit", str(report), "--ruleset", "gd-department@2025.1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["extracted"]["ruleset"] == "gd-department@2025.1"


def test_cli_unknown_ruleset_exit_2(
    audit_seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "seed.txt"
    report.write_text(audit_seed_text, encoding="utf-8")
    assert main(["audit", str(report), "--ruleset", "nowhere@1"]) == 2
    assert "找不到规则集 nowhere@1" in capsys.readouterr().err


@pytest.mark.django_db
def test_upload_form_offers_rulesets_and_stores_the_pick(
    world: World,
    audit_seed_text: str,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    seen: list[str | None] = []

    def audit_here(data: bytes, filename: str, **kwargs: Any) -> Any:
        from jixiao.audit import audit_bytes

        ruleset = kwargs.get("ruleset")
        seen.append(ruleset.ref if ruleset else None)
        return audit_bytes(data, filename, ruleset=ruleset)

    monkeypatch.setattr("jixiao.audit.jobs.audit_isolated", audit_here)
    client = Client()
    client.force_login(world.bureau_reviewer)
    page = client.get("/audit/").content.decode()
    assert 'name="ruleset"' in page and 'value="national-project@2020.1"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/audit/",
            {
                "reports": [SimpleUploadedFile("seed.txt", audit_seed_text.encode())],
                "ruleset": "national-project@2020.1",
            },
        )
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.params == {"ruleset": "national-project@2020.1"}
    assert seen == ["national-project@2020.1"]
    assert chosen_ruleset(job) == find_ruleset("national-project@2020.1")


@pytest.mark.django_db
def test_a_ruleset_not_offered_is_refused(world: World, audit_seed_text: str) -> None:
    client = Client()
    client.force_login(world.bureau_reviewer)
    response = client.post(
        "/audit/",
        {"reports": [SimpleUploadedFile("seed.txt", audit_seed_text.encode())], "ruleset": "x@1"},
    )
    assert response.status_code == 200
    assert "ruleset" in response.context["form"].errors
    assert not Job.objects.exists() and not AuditedFile.objects.exists()
