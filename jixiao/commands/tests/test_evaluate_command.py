"""`jixiao evaluate` and `jixiao report` through jixiao.cli.main: the seed, and bad input (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.cli import main

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "examples" / "zhanjiang-skills-center-2025.yaml"
SEED_TEXT = SEED.read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line containing ``fragment``."""
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


def write_variant(tmp_path: Path, old: str, new: str, name: str = "input.yaml") -> Path:
    assert SEED_TEXT.count(old) == 1, old
    path = tmp_path / name
    path.write_text(SEED_TEXT.replace(old, new), encoding="utf-8")
    return path


# --- the seed -------------------------------------------------------------------------------


def test_evaluate_seed_prints_the_table_total_and_grade(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(SEED)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "湛江市职业技能鉴定指导中心 2025年度部门整体支出绩效自评评分"
    assert lines[3].split() == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成率", "分值", "得分", "提示",
    ]  # fmt: skip
    t1 = next(line for line in lines if "新增取得职业技能等级认定证书" in line and "≥" in line)
    assert t1.split() == [
        "预算使用效益", "履职产出", "新增取得职业技能等级认定证书", "≥12000人次", "18969人次",
        "158.08%", "10", "10.00", "偏离度过大",
    ]  # fmt: skip
    b2 = next(line for line in lines if "在职人员控制率" in line and "71.43%" in line)
    assert b2.split() == ["预算编制", "在职人员控制率", "71.43%", "71.43%", "5", "5.00"]
    assert "  预算执行率 100.00%（全年执行数 38.45 / 全年预算数 38.45 万元）" in lines
    assert "  预算调整率 15.53%" in lines
    assert "  在职人员控制率 71.43%（实有 5 人 / 编制 7 人）" in lines
    assert "  完成率 新增取得高级工及以上职业技能等级认定证书 126.59%" in lines
    assert "  完成率 新增取得技师及以上职业技能等级认定证书 114.19%" in lines
    assert lines[-2:] == ["总分 98.00（满分 100），等级 优秀（优）", "规则集 gd-department@2025.1"]
    assert "须补充的说明" not in out


def test_evaluate_seed_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(SEED), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], data["grade"], data["grade_name"], data["ruleset"]) == (
        "98.00",
        "优",
        "优秀",
        "gd-department@2025.1",
    )
    assert data["complete"] is True
    assert data["ratios"] == {
        "execution_rate": "100.00",
        "execution_rate_initial": "115.53",
        "adjustment_rate": "15.53",
        "staffing_control_rate": "71.43",
        "completion_rates": {"T1": "158.08", "T2": "126.59", "T3": "114.19"},
    }
    assert data["problems"] == [] and data["missing_explanations"] == []
    t1 = next(i for i in data["indicators"] if i["code"] == "T1")
    assert {
        k: t1[k] for k in ("name", "target", "actual", "completion_rate", "points", "score")
    } == {
        "name": "新增取得职业技能等级认定证书",
        "target": "12000",
        "actual": "18969",
        "completion_rate": "158.08",
        "points": "10",
        "score": "10.00",
    }
    assert [f["code"] for f in t1["flags"]] == ["over_completion"]
    assert sum(float(i["score"]) for i in data["indicators"]) == pytest.approx(98)
    assert len(data["indicators"]) == 14


def test_incomplete_evaluation_exits_1_and_lists_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # T2 missed (4000 of 4400) without a reason; B3 left unscored.
    path = write_variant(tmp_path, "    actual: 5570\n", "    actual: 4000\n")
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  - {code: B3, band: A, score: 10, example: true}\n", ""
        ),
        encoding="utf-8",
    )
    assert main(["evaluate", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        "须补充的说明：\n  - 新增取得高级工及以上职业技能等级认定证书：未达成年度指标值（目标 4400，实际 4000），须填写偏差原因分析及改进措施"
        in out
    )
    assert "未完成的评分：\n  - 定性指标「预算编制规范性」尚未自评打分" in out
    # 10 × 4000 / 4400 = 9.09; B3 scores 0 → 98 − 0.91 − 10
    assert "总分 87.09（满分 100），等级 良好（良）" in out


# --- bad input: one clear Chinese message, exit 2, no traceback -------------------------------


def run_bad(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return captured.err.splitlines()


BAD_INPUTS = [
    # (what, old, new, expected message after "错误：<file>:<line> ", line fragment)
    (
        "非数字",
        "      initial: 33.28\n",
        "      initial: 三十三\n",
        "budget.rows[1].initial：「三十三」不是数字",
        "initial: 三十三",
    ),
    (
        "负数金额",
        "      executed: 38.45\n",
        "      executed: -38.45\n",
        "budget.rows[1].executed：不得小于 0",
        "executed: -38.45",
    ),
    (
        "未知指标编码",
        "  - {code: S3, band: A, score: 5, example: true}\n",
        "  - {code: S9, band: A, score: 5, example: true}\n",
        "assessments[6].code：指标编码 S9 不在规则集 gd-department@2025.1 中，"
        "可用：B1、B2、B3、E1、E2、E3、S1、S2、S3、U2、U3",
        "code: S9",
    ),
    (
        "绩效目标挂到不可自设的指标",
        "    parent: U1\n    points: 5\n",
        "    parent: U2\n    points: 5\n",
        "targets[4].parent：U2 不是规则集 gd-department@2025.1 中可自设三级指标的节点，可用：U1",
        "parent: U2",
    ),
    (
        "拼错字段名",
        "  staff_actual: 5\n",
        "  staf_actual: 5\n",
        "unit.staf_actual：不认识的字段（请检查拼写）",
        "staf_actual",
    ),
    (
        "未知规则集",
        "ruleset: gd-department@2025.1\n",
        "ruleset: gd-department@1999\n",
        "ruleset：找不到规则集 gd-department@1999，可用：gd-department@2025.1、"
        "mof-department-2013@2013.1、national-project@2020.1",
        "ruleset: gd-department@1999",
    ),
]


@pytest.mark.parametrize("command", ["evaluate", "report"])
@pytest.mark.parametrize(
    ("what", "old", "new", "message", "fragment"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_yaml_field_names_file_line_and_field(
    command: str,
    what: str,
    old: str,
    new: str,
    message: str,
    fragment: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_variant(tmp_path, old, new)
    line = line_of(path.read_text(encoding="utf-8"), fragment)
    argv = [command, str(path)] + (["-o", str(tmp_path / "out")] if command == "report" else [])
    assert run_bad(argv, capsys) == [f"错误：{path}:{line} {message}"]
    assert not (tmp_path / "out").exists()  # report writes nothing from bad input


@pytest.mark.parametrize("command", ["evaluate", "report"])
def test_malformed_yaml_names_the_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_variant(tmp_path, "  staffing_quota: 7\n", "  staffing_quota: [7\n")
    argv = [command, str(path)] + (["-o", str(tmp_path / "out")] if command == "report" else [])
    [message] = run_bad(argv, capsys)
    assert message.startswith(f"错误：{path}:")
    assert "YAML 格式错误" in message
    line = int(message.split(":")[1].split()[0])
    assert line in (line_of(SEED_TEXT, "staffing_quota"), line_of(SEED_TEXT, "staff_actual"))


@pytest.mark.parametrize("command", ["evaluate", "report"])
def test_missing_file(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nope.yaml"
    argv = [command, str(path)] + (["-o", str(tmp_path / "out")] if command == "report" else [])
    assert run_bad(argv, capsys) == [f"错误：{path} 文件不存在"]


@pytest.mark.parametrize("command", ["evaluate", "report"])
def test_unsupported_file_type(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "input.txt"
    path.write_text("kind: department\n", encoding="utf-8")
    argv = [command, str(path)] + (["-o", str(tmp_path / "out")] if command == "report" else [])
    assert run_bad(argv, capsys) == [
        f"错误：{path} 自评数据文件应为 .yaml、.yml 或 .xlsx（数据表）"
    ]


def test_several_faults_are_each_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_variant(tmp_path, "      executed: 38.45\n", "      executed: -1\n")
    text = path.read_text(encoding="utf-8").replace(
        "  staffing_quota: 7\n", "  staffing_quota: 七\n"
    )
    path.write_text(text, encoding="utf-8")
    assert run_bad(["evaluate", str(path)], capsys) == [
        f"错误：{path}:{line_of(text, 'staffing_quota')} unit.staffing_quota：「七」不是数字",
        f"错误：{path}:{line_of(text, 'executed: -1')} budget.rows[1].executed：不得小于 0",
    ]


def test_rulesets_option_finds_a_ruleset_in_another_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    custom = (ROOT / "rulesets" / "gd-department.yaml").read_text(encoding="utf-8")
    (rules / "custom.yaml").write_text(
        custom.replace('version: "2025.1"', 'version: "2026.1"').replace(
            "over_completion: 150", "over_completion: 120"
        ),
        encoding="utf-8",
    )
    path = write_variant(tmp_path, "ruleset: gd-department@2025.1\n", "ruleset: gd-department\n")
    assert main(["evaluate", str(path), "--rulesets", str(rules), "--json"]) == 1  # incomplete
    data = json.loads(capsys.readouterr().out)
    assert data["ruleset"] == "gd-department@2026.1"
    flagged = {i["code"]: [f["code"] for f in i["flags"]] for i in data["indicators"]}
    # 126.59% is now above the 120% threshold, and T2 has no explanation
    assert flagged["T2"] == ["over_completion"]
    assert data["missing_explanations"] == [
        "新增取得高级工及以上职业技能等级认定证书：完成率 126.59% 超过 120%，偏离度过大（目标可能设定偏低），须说明原因"
    ]


# --- last year's figures (issue 8.2) ----------------------------------------------------------


def test_previous_year_file_flags_an_actual_far_outside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = write_variant(tmp_path, "year: 2025", "year: 2024", "last.yaml")
    text = last.read_text(encoding="utf-8").replace("actual: 5570", "actual: 500")
    last.write_text(text, encoding="utf-8")
    assert main(["evaluate", str(SEED), "--previous", str(last)]) == 1
    out = capsys.readouterr().out
    flag = (
        "新增取得高级工及以上职业技能等级认定证书：2025 年实际完成值 5570人次 是 2024 年 500人次 "
        "的 11.1 倍，与往年相差过大，请核对；如无误须说明原因"
    )
    assert f"  - {flag}" in out.splitlines()  # under 须补充的说明
    t2 = next(line for line in out.splitlines() if "≥4400人次" in line)
    assert t2.split()[-1] == "与往年相差过大"
    # Without the option nothing changes (the seed is complete).
    assert main(["evaluate", str(SEED)]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(SEED), "--json", "--previous", str(last)]) == 1
    data = json.loads(capsys.readouterr().out)
    t2_json = next(i for i in data["indicators"] if i["code"] == "T2")
    assert [fl["code"] for fl in t2_json["flags"]] == ["outside_history"]


def test_a_bad_previous_file_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["evaluate", str(SEED), "--previous", str(missing)]) == 2
    assert "nope.yaml" in capsys.readouterr().err
