"""render_package and the `jixiao report` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.documents.package import UnknownFormatError, parse_formats, render_package

from .conftest import SEED


def test_parse_formats() -> None:
    assert parse_formats("docx, PDF,.txt,docx") == ("docx", "pdf", "txt")
    with pytest.raises(UnknownFormatError, match="未知的格式：odt"):
        parse_formats("docx,odt")
    with pytest.raises(UnknownFormatError):
        parse_formats(" , ")


def test_package_names(seed_package) -> None:
    assert sorted(seed_package) == ["数据表.xlsx", "自评报告.docx", "自评报告.pdf", "自评报告.txt",
                                    "评分表.xlsx"]  # fmt: skip
    assert seed_package["自评报告.pdf"].startswith(b"%PDF")
    assert seed_package["自评报告.docx"].startswith(b"PK")


def test_package_only_what_was_asked(seed, seed_result) -> None:
    assert list(render_package(seed, seed_result, ["txt"])) == ["自评报告.txt"]


def test_cli_writes_the_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["report", str(SEED), "-o", str(out), "--format", "txt,xlsx"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["数据表.xlsx", "自评报告.txt", "评分表.xlsx"]
    printed = capsys.readouterr().out
    assert f"已写入 {out / '自评报告.txt'}" in printed
    assert "总分 98，等级 优秀（规则集 gd-department@2025.1）" in printed
    assert "158.08%" in (out / "自评报告.txt").read_text(encoding="utf-8")


def test_cli_unknown_format_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(SEED), "-o", str(tmp_path), "--format", "docx,odt"]) == 2
    assert "错误：--format 未知的格式：odt（可用：docx、pdf、txt、xlsx）" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_cli_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "none.yaml"), "-o", str(tmp_path / "o")]) == 2
    assert "文件不存在" in capsys.readouterr().err


def test_cli_lists_missing_explanations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SEED.read_text(encoding="utf-8").replace(
        "  change_reason: 人员变动、工资结构调整等因素导致\n", ""
    )
    source = tmp_path / "draft.yaml"
    source.write_text(text, encoding="utf-8")
    assert main(["report", str(source), "-o", str(tmp_path / "o"), "--format", "txt"]) == 0
    written = (tmp_path / "o" / "自评报告.txt").read_text(encoding="utf-8")
    assert "【待补充：预算调整原因】" in written
