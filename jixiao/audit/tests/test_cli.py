from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.cli import main


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_terminal_report(
    audit_seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "seed.txt", audit_seed_text)
    assert main(["audit", str(path)]) == 0
    out = capsys.readouterr().out
    assert "错误 0 条，警告 2 条" in out
    assert "[警告] 第 37 行" in out and "158.08" in out
    assert "湛江市职业技能鉴定指导中心" in out


def test_json_output(
    audit_seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "seed.txt", audit_seed_text)
    assert main(["audit", str(path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in payload["findings"]] == [
        "over_completion",
        "execution_100_unadjusted",
    ]
    assert set(payload["findings"][0]) == {"severity", "code", "message", "quote", "location"}
    assert payload["extracted"]["total_score"] == "98"


def test_error_findings_exit_1(
    audit_seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _write(tmp_path, "bad.txt", audit_seed_text.replace("实有 5 人", "实有 9 人"))
    good = _write(tmp_path, "good.txt", audit_seed_text)
    assert main(["audit", str(good), str(bad), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert isinstance(payload, list) and len(payload) == 2
    assert "staff_over_quota" in [f["code"] for f in payload[1]["findings"]]


def test_unreadable_exit_2(
    audit_seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"not a pdf")
    good = _write(tmp_path, "bad.txt", audit_seed_text.replace("实有 5 人", "实有 9 人"))
    assert main(["audit", str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert "无法读取" in captured.err and "scan.pdf" in captured.err
    assert "staff_over_quota" in captured.out


def test_directory_needs_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(tmp_path)]) == 2
    assert "-o" in capsys.readouterr().err


def test_directory_batch(
    audit_seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("jixiao.audit.batch")
    folder = tmp_path / "reports"
    folder.mkdir()
    _write(folder, "seed.txt", audit_seed_text)
    output = tmp_path / "summary.xlsx"
    assert main(["audit", str(folder), "-o", str(output), "-q"]) == 0
    assert output.exists()
    assert "共 1 份" in capsys.readouterr().out


def test_json_with_prefill(
    audit_seed_text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "seed.txt", audit_seed_text)
    assert main(["audit", str(path), "--json", "--prefill"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["prefill"]["fields"]["unit.staffing_quota"]["value"] == 7
    assert payload["prefill"]["complete"] is True
    assert main(["audit", str(path), "--prefill"]) == 2
    assert "--prefill 须与 --json 同用" in capsys.readouterr().err
