"""`jixiao ruleset list|export|import|check`, through jixiao.cli.main."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.cli import main
from scoring.loading import load_ruleset_file, shipped_rulesets
from scoring.ruleset_sheet import SHEET_INDICATORS
from scoring.tests.factories import without_english


def test_list_shows_every_shipped_ruleset(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ruleset", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "gd-department@2025.1\t部门整体\t部门整体支出绩效自评指标评分表（广东省格式）",
        "mof-department-2013@2013.1\t部门整体\t部门整体支出绩效评价共性指标体系框架（财预〔2013〕53号）",
        "national-project@2020.1\t项目\t项目支出绩效自评表（财政部通用格式）",
    ]


def test_export_import_round_trip_through_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "mof.xlsx"
    assert main(["ruleset", "export", "mof-department-2013", "-o", str(sheet)]) == 0
    assert f"已导出规则集 mof-department-2013@2013.1 到 {sheet}" in capsys.readouterr().out
    out = tmp_path / "mof.yaml"
    assert main(["ruleset", "import", str(sheet), "-o", str(out)]) == 0
    assert "已导入规则集 mof-department-2013@2013.1" in capsys.readouterr().out
    # The sheet has no column for the English UI's names (docs/rulesets.md).
    assert load_ruleset_file(out) == without_english(
        shipped_rulesets()["mof-department-2013@2013.1"]
    )


def test_export_a_file_to_yaml(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[3] / "rulesets" / "national-project.yaml"
    out = tmp_path / "np.yaml"
    assert main(["ruleset", "export", str(source), "-o", str(out)]) == 0
    assert load_ruleset_file(out) == load_ruleset_file(source)


def test_check_yaml_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "gd.xlsx"
    assert main(["ruleset", "export", "gd-department@2025.1", "-o", str(sheet)]) == 0
    capsys.readouterr()
    assert main(["ruleset", "check", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert (
        "规则集 gd-department@2025.1「部门整体支出绩效自评指标评分表（广东省格式）」检查通过" in out
    )
    assert "末级指标 11 个，单位自设指标 1 个" in out
    assert "  预算使用效益 35 分" in out


def test_check_warns_about_leaves_without_a_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "gd.xlsx"
    assert main(["ruleset", "export", "gd-department", "-o", str(sheet)]) == 0
    book = load_workbook(sheet)
    book[SHEET_INDICATORS]["J3"] = None  # 目标设定: rule kind removed
    book.save(sheet)
    capsys.readouterr()
    assert main(["ruleset", "check", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert (
        f"提示：{sheet}:3 评分表「规则」：二级指标「目标设定」未填写评分规则，按定性指标（默认档次）处理"
        in out
    )


def test_bad_sheet_exits_2_with_located_chinese_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "gd.xlsx"
    assert main(["ruleset", "export", "gd-department", "-o", str(sheet)]) == 0
    book = load_workbook(sheet)
    book[SHEET_INDICATORS]["E3"] = 6  # 目标设定 5 → 6: 预算编制 no longer adds up
    book.save(sheet)
    out = tmp_path / "out.yaml"
    assert main(["ruleset", "import", str(sheet), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert (
        f"错误：{sheet}:2 评分表「分值」：「预算编制」的下级指标分值合计 21 不等于其分值 20" in err
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ruleset", "export", "no-such", "-o", "x.xlsx"], "错误：ruleset 找不到规则集 no-such"),
        (["ruleset", "check", "missing.yaml"], "错误：missing.yaml 文件不存在"),
        (["ruleset", "check", "rules.txt"], "错误：rules.txt 文件类型应为 .yaml、.yml 或 .xlsx"),
        (
            ["ruleset", "import", "rules.yaml", "-o", "x.yaml"],
            "导入的文件应为 Excel 评分表（.xlsx）",
        ),
        (
            ["ruleset", "export", "gd-department", "-o", "x.pdf"],
            "输出文件类型应为 .xlsx、.yaml 或 .yml",
        ),
    ],
)
def test_bad_input_exits_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_invalid_yaml_ruleset_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: x\nversion: '1'\nname: x\nkind: department\nindicators:\n"
        "  - {code: A, name: 甲, points: 100, rule: {kind: guess}}\n",
        encoding="utf-8",
    )
    assert main(["ruleset", "check", str(bad)]) == 2
    assert f"错误：{bad}:6 indicators[1].rule.kind：取值无效" in capsys.readouterr().err


def test_export_writes_a_readable_workbook(tmp_path: Path) -> None:
    sheet = tmp_path / "np.xlsx"
    assert main(["ruleset", "export", "national-project", "-o", str(sheet)]) == 0
    rows = list(load_workbook(io.BytesIO(sheet.read_bytes()))[SHEET_INDICATORS].values)
    assert [r[1] for r in rows[1:]] == ["产出指标", "效益指标", "满意度指标", "预算执行率"]


def test_check_prints_the_scoring_settings(capsys: pytest.CaptureFixture[str]) -> None:
    """Thresholds, grade bands and 评分选项 (docs/rulesets.md), as the 评分规则集 page shows them."""
    example = Path(__file__).resolve().parents[3] / "examples" / "rulesets"
    assert main(["ruleset", "check", str(example / "project-common-individual.yaml")]) == 0
    out = capsys.readouterr().out
    assert "  提示线：完成率 > 130%、执行率 < 90%、调整率 > 30% 须说明原因" in out
    assert "  目标值为 0 的指标：实际完成达到 30 须说明原因" in out
    assert "  评价等级：优 ≥ 90、良 ≥ 80、中 ≥ 60、差 ≥ 0" in out
    assert "  不适用指标：剔除，其余分值按总分折算" in out
    assert "  得分低于分值：须说明偏差原因" in out
    assert "  类别分值上限：成本指标 ≤ 5" in out
