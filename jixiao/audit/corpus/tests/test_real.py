"""The real-report corpus (corpus/real.py): the comparison rules, the annotations, and the run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.audit import audit_text
from jixiao.audit.corpus.real import (
    REAL_DIR,
    RealCase,
    alternatives,
    compare_fields,
    compare_targets,
    judge_case,
    load_real_corpus,
    real_text,
    run_real,
    totals,
)

# ------------------------------------------------------------------ comparison rules


def test_a_field_is_right_wrong_or_not_read() -> None:
    extracted = {
        "year": 2025,
        "unit_name": "湛江市职业技能鉴定指导中心",
        "staffing_quota": 7,  # the text says 编制 7
        "staff_actual": 7,  # … but 实有 5: read wrong
        "retired": None,  # the text states 3: not read
        "temporary": None,  # the text states none: right to read nothing
        "budget": {"initial": "33.280", "executed": "38.45", "full_year": "40"},
        "filled_on": "2026-05-21",
    }
    expected = {
        "year": 2025,
        "unit_name": "湛江市 职业技能鉴定指导中心",  # spaces do not count
        "staffing_quota": 7,
        "staff_actual": 5,
        "retired": 3,
        "temporary": None,
        "budget.initial": 33.28,  # compared as numbers
        "budget.executed": 38.45,
        "budget.full_year": None,  # the text states no adjusted budget: any value is wrong
        "filled_on": dt.date(2026, 5, 21),  # YAML gives a date
    }
    verdicts = {r.path: r.verdict for r in compare_fields(expected, extracted)}
    assert verdicts == {
        "year": "right",
        "unit_name": "right",
        "staffing_quota": "right",
        "staff_actual": "wrong",
        "retired": "not_read",
        "temporary": "right",
        "budget.initial": "right",
        "budget.executed": "right",
        "budget.full_year": "wrong",
        "filled_on": "right",
    }


def test_a_name_stated_two_ways_may_be_read_either_way() -> None:
    expected = {"unit_name": {"one_of": ["岳阳市委网信办", "岳阳市委网络安全和信息化委员会办公室"]}}
    for got, verdict in [
        ("岳阳市委网信办", "right"),
        ("岳阳市委网络安全和信息化委员会办公室", "right"),
        ("岳阳市财政局", "wrong"),
        (None, "not_read"),
    ]:
        assert [r.verdict for r in compare_fields(expected, {"unit_name": got})] == [verdict]


def test_held_out_reports_are_totalled_apart() -> None:
    text = "部门整体支出绩效自评报告\n评价年度：2025年\n截至2025年底，编制5人，实有7人。\n"
    seen = RealCase(
        "seen",
        text,
        {"excerpt": "opening", "fields": {"year": 2024}, "defects": [{"code": "staff_over_quota"}]},
    )
    held = RealCase(
        "held",
        text,
        {
            "excerpt": "opening",
            "heldout": True,
            "fields": {"year": 2025, "staffing_quota": 5, "retired": 2},
            "defects": [{"code": "staff_over_quota"}],
        },
    )
    results = [judge_case(c, audit_text(text)) for c in (seen, held)]
    lines = real_text(results).splitlines()
    assert lines[0].startswith("seen：字段 对 0 / 错 1 / 未读 0")
    assert lines[1] == "    读错 year：应为 2024，读出 2025"
    assert lines[2].startswith(
        "held（留出）：字段 对 2 / 错 0 / 未读 1；问题 应报 1 / 报出 1 / 误报 0"
    )
    assert lines[-2] == (
        "其中留出（标注先于任何一次审查） 1 份：字段 3 个，对 2（66.7%）/ 错 0 / 未读 1；"
        "问题 应报 1 / 报出 1 / 误报 0"
    )
    assert lines[-1].startswith(
        "真实报告 2 份：字段 4 个，对 2（50.0%）/ 错 1 / 未读 1；问题 应报 2 / 报出 2 / 误报 0"
    )
    # Without held-out reports there is no such line.
    assert not any(line.startswith("其中留出") for line in real_text(results[:1]).splitlines())


def test_targets_are_matched_by_actual_value() -> None:
    extracted: list[dict[str, Any]] = [
        {"name": "甲", "actual": "180", "target": "180", "stated_percent": "100"},
        {"name": "乙", "actual": "180", "target": "200", "stated_percent": "90"},
        {"name": "丙", "actual": "5", "target": None, "stated_percent": "50"},  # not in the text
    ]
    expected: list[dict[str, Any]] = [
        {"name": "乙", "actual": 180, "target": 200, "stated_percent": 90},  # the rate picks 乙
        {"name": "甲", "actual": 180, "target": 180, "stated_percent": None},  # rate not judged
        {"name": "丁", "actual": 12, "target": 10},  # not read
        {"name": "戊", "actual": 90, "target": 90, "optional": True},  # fine either way
    ]
    results = compare_targets(expected, extracted, complete=True)
    assert [(r.path, r.verdict) for r in results] == [
        ("targets[0](乙).actual", "right"),
        ("targets[0](乙).target", "right"),
        ("targets[0](乙).stated_percent", "right"),
        ("targets[1](甲).actual", "right"),
        ("targets[1](甲).target", "right"),
        ("targets[2](丁).actual", "not_read"),
        ("targets[2](丁).target", "not_read"),
        ("targets[+](丙)", "wrong"),  # complete: a target the text does not have
    ]
    # Not complete: an extra target is not judged.
    assert all(r.verdict != "wrong" for r in compare_targets(expected, extracted, complete=False))


def test_findings_expected_found_and_false() -> None:
    text = "部门整体支出绩效自评报告\n评价年度：2025年\n截至2025年底，编制5人，实有7人。\n自评得分92分，等级为良。\n"
    meta = {
        "excerpt": "opening",
        "fields": {"staffing_quota": 5, "staff_actual": 7},
        "defects": [{"code": "staff_over_quota"}, {"code": "filled_before_year_end"}],
    }
    result = judge_case(RealCase("example", text, meta), audit_text(text))
    assert result.found == {"staff_over_quota"}
    assert result.missed == {"filled_before_year_end"}  # not there: nothing to find
    # 92 分 earns 优秀, not 良: an error no defect of the annotation names, so a false one.
    assert [code for code, _ in result.false] == ["grade_mismatch"]
    # An excerpt's missing sections and budget are not judged.
    assert "section_missing" in result.case.not_judged
    assert "budget_missing" in result.case.not_judged


# ------------------------------------------------------------------ the annotations

CASES = load_real_corpus()
KINDS = {"department", "project"}


def test_every_report_has_its_source_and_annotation() -> None:
    assert len(CASES) >= 40
    for case in CASES:
        meta = case.meta
        assert str(meta["source"]).startswith(("http://", "https://")), case.name
        assert isinstance(meta["retrieved"], dt.date), case.name
        assert meta["excerpt"] in {"whole", "opening", "part"}, case.name
        assert meta["kind"] in KINDS, case.name
        assert meta["fields"].get("kind", meta["kind"]) == meta["kind"], case.name
        assert case.text.strip(), case.name
        for defect in meta.get("defects") or ():
            assert defect.get("code") or defect.get("kind"), case.name
            assert defect.get("note"), case.name
        assert isinstance(meta.get("heldout", False), bool), case.name


def test_some_reports_are_held_out() -> None:
    assert sum(case.heldout for case in CASES) >= 15


def test_annotated_values_are_in_the_text() -> None:
    """A number or name the annotation gives must appear in the text (spaces and line breaks aside):
    a guard against typing a figure wrong."""
    for case in CASES:
        flat = "".join(case.text.split())
        for path, value in case.fields.items():
            choices = alternatives(value)
            if choices is not None:
                assert all("".join(str(c).split()) in flat for c in choices), (case.name, path)
                continue
            if (
                value is None
                or path in {"kind", "grade", "filled_month"}
                or isinstance(value, dt.date)
            ):
                continue
            if path.startswith("budget."):  # in 万元, or in 元 as printed (1850000.00元 → 185)
                in_yuan = f"{Decimal(str(value)) * 10000:.2f}"
                # a rate printed as a fraction (执行率 0.958 for 95.8 %)
                as_fraction = str(Decimal(str(value)) / 100) if path.endswith("_rate") else None
                assert (
                    str(value) in flat or in_yuan in flat or (as_fraction and as_fraction in flat)
                ), (case.name, path, value)
            elif path in {"year", "staffing_quota", "staff_actual", "retired", "total_score"}:
                assert str(value) in flat, (case.name, path, value)
            elif isinstance(value, str):
                assert "".join(value.split()) in flat, (case.name, path, value)


def test_annotation_files_are_plain_yaml_data() -> None:
    for path in Path(REAL_DIR).glob("*.yaml"):
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path.name
        assert path.with_suffix(".txt").is_file(), path.name


# ------------------------------------------------------------------ the run


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    return run_real(CASES)


def test_no_wrong_value_at_all(results) -> None:  # type: ignore[no-untyped-def]
    """A wrong value is worse than none: on the real corpus the auditor reads nothing it cannot read
    right. (Until 46e53e7 a list of known wrong values was tolerated here; it is empty now.)"""
    wrong = [
        (r.case.name, f.path, str(f.got)) for r in results for f in r.fields if f.verdict == "wrong"
    ]
    assert wrong == [], real_text(results)


def test_the_runner_prints_per_report_and_totals(results) -> None:  # type: ignore[no-untyped-def]
    text = real_text(results)
    lines = text.splitlines()
    assert lines[-1].startswith(f"真实报告 {len(CASES)} 份：")
    for case in CASES:
        mark = "（留出）" if case.heldout else ""
        assert any(line.startswith(f"{case.name}{mark}：字段 对 ") for line in lines)
    held = [r for r in results if r.case.heldout]
    assert lines[-2].startswith(f"其中留出（标注先于任何一次审查） {len(held)} 份：")
    figures = totals(results)
    assert figures["reports"] == len(CASES)
    assert figures["right"] + figures["wrong"] + figures["not_read"] > 10 * len(CASES)


def test_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from jixiao.audit.corpus.__main__ import main

    assert main(["--real"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2].startswith(f"真实报告 {len(CASES)} 份：字段 ")
    assert out[-1].startswith(f"审查 {len(CASES)} 份用时 ")
    assert main(["--real", "--only", "gd-xuwen-gonglu"]) == 0
    assert capsys.readouterr().out.splitlines()[-2].startswith("真实报告 1 份：")
    assert main(["--real", "--only", "no-such-report"]) == 2


def test_a_held_out_set_is_chosen_by_its_batch(tmp_path: Path) -> None:
    """``--batch N`` keeps the reports marked ``heldout_batch: N``; a set with no report is exit 2
    (nothing audited), and a batch that is not a whole number counts as none."""
    assert RealCase("a", "x", {"heldout": True, "heldout_batch": 3}).heldout_batch == 3
    assert RealCase("b", "x", {"heldout": True}).heldout_batch is None
    assert RealCase("c", "x", {"heldout": True, "heldout_batch": "3"}).heldout_batch is None
    assert RealCase("d", "x", {"heldout": True, "heldout_batch": True}).heldout_batch is None
    from jixiao.audit.corpus.__main__ import main

    assert main(["--real", "--batch", "999"]) == 2
    assert main(["--real", "--only", "no-such-report", "--batch", "3"]) == 2


def test_batches_are_whole_numbers() -> None:
    for case in CASES:
        batch = case.meta.get("heldout_batch")
        assert batch is None or (isinstance(batch, int) and case.heldout), case.name
