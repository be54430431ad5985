"""A YAML import under a rule-set with options (docs/rulesets.md「评分选项」): `jixiao evaluate` and
`jixiao report` with `--rulesets DIR`, a target's category and 不适用 mark read from the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.api.tests.option_cases import CASES, OptionCase
from jixiao.cli import main
from jixiao.commands.tests.test_evaluate_command import line_of, write_variant
from jixiao.testing.factories import seed_evaluation_data
from scoring.loading import find_ruleset
from scoring.ruleset import NotApplicableRule, ScoringOptions
from scoring.ruleset_sheet import ruleset_to_yaml

T3 = "  - code: T3\n    name: 新增取得技师及以上职业技能等级认定证书\n"


def _rulesets(tmp_path: Path) -> Path:
    directory = tmp_path / "rulesets"
    directory.mkdir()
    ruleset = find_ruleset("gd-department").model_copy(
        update={
            "version": "na",
            "options": ScoringOptions(not_applicable=NotApplicableRule.RESCALE),
        }
    )
    (directory / "gd-department-na.yaml").write_text(ruleset_to_yaml(ruleset), encoding="utf-8")
    return directory


def _marked(tmp_path: Path, mark: str = "true") -> Path:
    path = write_variant(tmp_path, T3, f"{T3}    category: 质量指标\n    not_applicable: {mark}\n")
    text = path.read_text(encoding="utf-8").replace(
        "ruleset: gd-department@2025.1", "ruleset: gd-department@na"
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_evaluate_yaml_with_not_applicable_and_category(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, rulesets = _marked(tmp_path), _rulesets(tmp_path)
    assert main(["evaluate", str(path), "--rulesets", str(rulesets), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    rows = {i["code"]: i for i in payload["indicators"]}
    assert (rows["T3"]["not_applicable"], rows["T3"]["points"], rows["T3"]["score"]) == (
        True, "0", "0.00",
    )  # fmt: skip
    assert rows["T3"]["declared_points"] == "5"
    assert (rows["T1"]["points"], rows["T1"]["declared_points"]) == ("10.53", "10")
    assert (payload["total"], payload["grade"]) == ("97.90", "优")

    assert main(["evaluate", str(path), "--rulesets", str(rulesets)]) == 0
    text = capsys.readouterr().out
    [line] = [x for x in text.splitlines() if x.startswith("预算使用效益") and "技师及以上" in x]
    assert line.split()[-2:] == [
        "不适用",
        "不适用",
    ]  # 得分 and 提示, not a 0.00 that reads as a miss
    assert "总分 97.90（满分 100），等级 优秀（优）" in text


def test_report_from_yaml_writes_not_applicable(tmp_path: Path) -> None:
    path, rulesets = _marked(tmp_path), _rulesets(tmp_path)
    out = tmp_path / "out"
    argv = ["report", str(path), "--rulesets", str(rulesets), "-o", str(out), "--format", "xlsx"]
    assert main(argv) == 0
    from io import BytesIO

    from openpyxl import load_workbook

    [data_table] = list(out.rglob("*数据表.xlsx"))
    ws = load_workbook(BytesIO(data_table.read_bytes()))["绩效目标"]
    marks = {r[1]: (r[6], r[7], r[8]) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert marks["新增取得技师及以上职业技能等级认定证书"] == ("质量指标", "是", 5)


def test_a_bad_not_applicable_value_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, rulesets = _marked(tmp_path, "也许"), _rulesets(tmp_path)
    assert main(["evaluate", str(path), "--rulesets", str(rulesets)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    number = line_of(path.read_text(encoding="utf-8"), "not_applicable: 也许")
    assert line.startswith(f"错误：{path}:{number} ")
    assert "not_applicable" in line or "不适用" in line


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_option_through_a_yaml_import(
    case: OptionCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The API's cases (jixiao/api/tests/option_cases.py) from a YAML file: the same figures."""
    rulesets = tmp_path / "rulesets"
    rulesets.mkdir()
    ruleset = case.ruleset()
    (rulesets / "case.yaml").write_text(ruleset_to_yaml(ruleset), encoding="utf-8")
    for ref, expected in (("gd-department@2025.1", case.default), (ruleset.ref, case.variant)):
        data = seed_evaluation_data(ruleset=ref)
        case.edit(data)
        path = tmp_path / "input.yaml"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
        main(["evaluate", str(path), "--rulesets", str(rulesets), "--json"])
        payload = json.loads(capsys.readouterr().out)
        t3 = next(i for i in payload["indicators"] if i["code"] == "T3")
        seen = (
            payload["total"],
            payload["grade"],
            t3["score"],
            payload["problems"],
            [m["message"] if isinstance(m, dict) else m for m in payload["missing_explanations"]],
        )
        assert seen == expected
