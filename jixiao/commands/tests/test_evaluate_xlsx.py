"""The data-table workbook (数据表.xlsx) as input: written by `jixiao report`, read back by
`jixiao evaluate` / `jixiao report` (scoring.evaluation_sheet), and its faults located by cell."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from jixiao.cli import main
from scoring.loading import load_evaluation, load_evaluation_any
from scoring.tests.test_rulesets_shipped import NATIONAL_PROJECT_EVALUATION

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "examples" / "zhanjiang-skills-center-2025.yaml"
FORM = "部门整体支出绩效自评表"


@pytest.fixture(scope="module")
def seed_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    assert main(["report", str(SEED), "-o", str(out), "--format", "xlsx,txt"]) == 0
    return out / "数据表.xlsx"


def edited(seed_workbook: Path, tmp_path: Path, edit: Callable[[Workbook], None]) -> Path:
    book = load_workbook(seed_workbook)
    edit(book)
    path = tmp_path / "数据表.xlsx"
    book.save(path)
    return path


def test_seed_data_table_reads_back_to_the_same_evaluation(seed_workbook: Path) -> None:
    # The demo data's 示例 marks (example_note, example scores) are not published (#8.13), so they
    # do not come back; everything else does.
    seed = load_evaluation(SEED)
    unmarked = seed.model_copy(
        update={
            "example_note": "",
            "assessments": tuple(a.model_copy(update={"example": False}) for a in seed.assessments),
        }
    )
    assert load_evaluation_any(seed_workbook) == unmarked


def test_evaluate_the_seed_data_table(
    seed_workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["evaluate", str(seed_workbook), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], data["grade"], data["ruleset"]) == (
        "98.00",
        "优",
        "gd-department@2025.1",
    )
    assert data["ratios"]["completion_rates"] == {"T1": "158.08", "T2": "126.59", "T3": "114.19"}
    assert data["ratios"]["staffing_control_rate"] == "71.43"


def test_report_from_the_data_table_equals_the_report_from_yaml(
    seed_workbook: Path, tmp_path: Path
) -> None:
    assert main(["report", str(seed_workbook), "-o", str(tmp_path), "--format", "txt"]) == 0
    from_yaml = (seed_workbook.parent / "自评报告.txt").read_text(encoding="utf-8")
    assert (tmp_path / "自评报告.txt").read_text(encoding="utf-8") == from_yaml


def test_project_data_table_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "project.yaml"
    source.write_text(NATIONAL_PROJECT_EVALUATION, encoding="utf-8")
    assert main(["report", str(source), "-o", str(tmp_path), "--format", "xlsx"]) == 0
    original = load_evaluation(source)
    read = load_evaluation_any(tmp_path / "数据表.xlsx")
    # The form shows the implementing unit and the annual goal, filled from the unit and the
    # targets when the YAML leaves them empty; read back, they are explicit.
    assert read.project is not None
    assert read.project.implementing_unit == "某市人力资源和社会保障局"
    assert read.project.goal_expected == (
        "培训人次1000人次；取证率80%；人均培训成本2000元；就业率70%；学员满意度90%"
    )
    assert read.model_copy(update={"project": original.project}) == original


def test_the_official_sheet_alone_is_enough_to_score(
    seed_workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without 填报信息 and 绩效目标 the grid still scores; only staffing (编制数/实有人数) is missing."""

    def official_only(book: Workbook) -> None:
        del book["填报信息"]
        del book["绩效目标"]

    path = edited(seed_workbook, tmp_path, official_only)
    evaluation = load_evaluation_any(path)
    assert [(t.code, t.name, t.target, t.actual) for t in evaluation.targets] == [
        ("T1", "新增取得职业技能等级认定证书", 12000, 18969),
        ("T2", "新增取得高级工及以上职业技能等级认定证书", 4400, 5570),
        ("T3", "新增取得技师及以上职业技能等级认定证书", 310, 354),
    ]
    assert str(evaluation.filled_on) == "2026-05-21"
    capsys.readouterr()
    assert main(["evaluate", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == "93.00"
    assert data["problems"] == ["指标「在职人员控制率」缺少计算所需的数据（预算或人员）"]


# --- malformed workbooks: exit 2, sheet and cell named --------------------------------------


def set_cell(sheet: str, cell: str, value: object) -> Callable[[Workbook], None]:
    def edit(book: Workbook) -> None:
        book[sheet][cell] = value

    return edit


def negative_executed(book: Workbook) -> None:
    book[FORM]["E4"] = book[FORM]["E5"] = -38.45  # the total row agrees with its source row


def rename_sheet(book: Workbook) -> None:
    book[FORM].title = "Sheet1"


MALFORMED = [
    (
        "金额写成文字",
        set_cell(FORM, "C5", "三十三"),
        f"{FORM}!C5「年初预算数」：「三十三」不是数字",
    ),
    ("负数金额", negative_executed, f"{FORM}!E5「全年执行数」：不得小于 0"),
    (
        "年度资金总额与来源合计不符",
        set_cell(FORM, "D4", 40),
        f"{FORM}!D4「全年预算数」：年度资金总额 40 不等于各资金来源合计 38.45",
    ),
    (
        "得分写成文字",
        set_cell(FORM, "G13", "满分"),
        f"{FORM}!G13「得分」：「满分」不是数字",
    ),
    (
        "未知指标",
        set_cell(FORM, "B13", "预算编制合理性"),
        f"{FORM}!A13「指标」：「预算编制 / 预算编制合理性」不是规则集 gd-department@2025.1 "
        "中的指标，也不在由单位自设的指标下",
    ),
    (
        "年度指标值看不懂",
        set_cell(FORM, "D21", "约4400人次"),
        f"{FORM}!D21「年度指标值」：应为方向加数值和计量单位，如 ≥12000人次、≤2000元、90%～110%，"
        "实际是「约4400人次」",
    ),
    (
        "与绩效目标表不一致",
        set_cell(FORM, "E21", "5500人次"),
        f"{FORM}!E21「实际完成值」：5500 与工作表「绩效目标」第 4 行的 5570 不一致",
    ),
    ("编制数不是整数", set_cell("填报信息", "B8", "七"), "填报信息!B8「编制数」：「七」不是数字"),
    (
        "填报信息项目拼错",
        set_cell("填报信息", "A8", "编制人数"),
        "填报信息!A8「项目」：不认识的项目「编制人数」，可用：",
    ),
    (
        "缺少工作表",
        rename_sheet,
        f"缺少工作表「{FORM}」或「项目支出绩效自评表」（现有：Sheet1、填报信息、绩效目标）",
    ),
]


@pytest.mark.parametrize("command", ["evaluate", "report"])
@pytest.mark.parametrize(("what", "edit", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_workbook_names_sheet_and_cell(
    command: str,
    what: str,
    edit: Callable[[Workbook], None],
    message: str,
    seed_workbook: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = edited(seed_workbook, tmp_path, edit)
    argv = [command, str(path)] + (["-o", str(tmp_path / "out")] if command == "report" else [])
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith(f"错误：{path} {message}")
    assert not (tmp_path / "out").exists()


def test_out_of_band_qualitative_score_in_the_workbook_is_reported(
    seed_workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited(seed_workbook, tmp_path, set_cell(FORM, "G13", 7))  # 7 of 10 is band B, not A
    capsys.readouterr()
    assert main(["evaluate", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        "未完成的评分：\n  - 定性指标「预算编制规范性」：得分 7 不在所选档次「达成预期指标」的范围 8–10 分内"
        in out
    )


def test_not_an_xlsx_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "数据表.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    assert main(["evaluate", str(path)]) == 2
    assert capsys.readouterr().err == f"错误：{path} 无法读取，不是有效的 Excel（.xlsx）文件\n"


def test_missing_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nope.xlsx"
    assert main(["evaluate", str(path)]) == 2
    assert capsys.readouterr().err == f"错误：{path} 文件不存在\n"
