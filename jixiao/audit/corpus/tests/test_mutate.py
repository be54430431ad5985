"""Mutated real reports (corpus/mutate.py): each layout mutation keeps the facts, each plant edits
one fact where it can, and the run's figures hold (#13, mut13)."""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata

import pytest

from jixiao.audit.corpus.mutate import (
    LAYOUTS,
    PLANTS,
    CannotPlant,
    blank_lines,
    fullwidth_digits,
    hard_breaks,
    layout_totals,
    mixed_punctuation,
    mutated_bytes,
    mutated_text,
    plant_as_of,
    plant_budget_removed,
    plant_count,
    plant_execution_rate,
    plant_filled_on,
    plant_numbering,
    plant_score,
    plant_sum,
    plant_totals,
    portal_frame,
    run_mutated,
    spaced_units,
)
from jixiao.audit.corpus.real import RealCase, load_real_corpus

SEED = 20251125


def _case(text: str, **fields: object) -> RealCase:
    return RealCase("t", text, {"fields": fields, "place": "某县"})


def _folded(text: str) -> str:
    """What every layout mutation must leave alone: the text's characters, NFKC-folded, without
    spaces and line ends, with full-width brackets as half-width."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s", "", text.replace("〔", "[").replace("〕", "]"))


SAMPLE = (
    "某县财政局2024年度部门整体支出绩效自评报告\n"
    "一、部门基本情况\n"
    "本单位编制15人，实有在职人员13人，退休人员4人。2024年年初预算资金128.56万元，全年预算数"
    "130.00万元，全年执行数125.40万元，其中基本支出100.40万元，项目支出25.00万元，预算执行率"
    "96.46%。截至2024年12月31日，主要有以下三个方面的工作：\n"
    "1.完成预算编制。\n2.完成决算。\n3.完成绩效自评。\n"
    "二、自评结论\n自评得分92.5分，评价等级为优秀。\n填报日期：2025年3月15日\n"
)


@pytest.mark.parametrize(
    "mutation",
    [hard_breaks, spaced_units, fullwidth_digits, mixed_punctuation, blank_lines],
)
def test_layout_mutations_keep_every_character(mutation) -> None:  # type: ignore[no-untyped-def]
    for seed in range(5):
        out = mutation(SAMPLE, random.Random(seed), _case(SAMPLE))
        assert _folded(out) == _folded(SAMPLE)


def test_hard_breaks_never_cut_a_figure() -> None:
    out = hard_breaks(SAMPLE, random.Random(3), _case(SAMPLE))
    assert out != SAMPLE
    for figure in ("128.56", "130.00", "125.40", "96.46", "100.40"):
        assert figure in out


def test_mixed_punctuation_keeps_thousands_commas() -> None:
    text = "收入1,234.56万元，时间10:30，比例(一)"
    for seed in range(10):
        out = mixed_punctuation(text, random.Random(seed), _case(text))
        assert "1,234.56" in out and "10:30" in out


def test_portal_frame_puts_a_page_around_the_text() -> None:
    out = portal_frame(SAMPLE, random.Random(1), _case(SAMPLE, year=2024))
    assert SAMPLE.strip() in out
    assert re.search(r"发布(?:日期|时间)：2025", out)
    assert "来源：" in out and ("打印" in out)


def test_blank_lines_after_paragraph_ends_only() -> None:
    out = blank_lines("第一句。\n接着写\n完。\n\n末", random.Random(0), _case(""))
    assert out == "第一句。\n\n接着写\n完。\n\n\n\n末"


def test_crlf_and_gb18030_are_bytes_of_the_same_text() -> None:
    case = _case(SAMPLE)
    by_name = {layout.name: layout for layout in LAYOUTS}
    assert mutated_bytes(case, by_name["crlf"], SEED).decode("utf-8") == SAMPLE.replace(
        "\n", "\r\n"
    )
    assert mutated_bytes(case, by_name["gb18030"], SEED).decode("gb18030") == SAMPLE
    assert mutated_bytes(case, by_name["all"], SEED) == mutated_bytes(case, by_name["all"], SEED)


# ------------------------------------------------------------------ plants


def test_execution_rate_moved_out_of_its_interval() -> None:
    case = _case(
        SAMPLE,
        **{
            "budget.executed": 125.40,
            "budget.full_year": 130.00,
            "budget.stated_execution_rate": 96.46,
        },
    )
    out = plant_execution_rate(case, random.Random(0))
    m = re.search(r"预算执行率(\d+\.\d\d)%", out)
    assert m and m.group(1) != "96.46"
    assert not 96.455 <= float(m.group(1)) < 96.465


def test_execution_rate_not_planted_in_a_range_or_where_the_text_is_already_wrong() -> None:
    fields = {
        "budget.executed": 64.8,
        "budget.full_year": 64.8,
        "budget.stated_execution_rate": 100,
    }
    with pytest.raises(CannotPlant):
        plant_execution_rate(_case("预算执行率10一100%", **fields), random.Random(0))
    fields["budget.executed"] = 60
    with pytest.raises(CannotPlant):
        plant_execution_rate(_case("预算执行率100%", **fields), random.Random(0))


def test_sum_part_changed_only_where_the_parts_added_up() -> None:
    out = plant_sum(_case(SAMPLE), random.Random(0))
    assert out != SAMPLE and ("100.40万元" not in out or "25.00万元" not in out)
    with pytest.raises(CannotPlant):
        plant_sum(_case("支出130万元，其中基本支出100万元，项目支出20万元。"), random.Random(0))


def test_budget_section_removed_with_every_budget_figure() -> None:
    text = (
        "一、基本情况\n本单位编制15人。\n二、部门整体支出情况\n年初预算128.56万元，执行125.4万元。\n"
        "三、绩效目标完成情况\n完成了。\n"
    )
    out = plant_budget_removed(
        _case(text, **{"budget.initial": 128.56, "budget.executed": 125.4}), random.Random(0)
    )
    assert out == "一、基本情况\n本单位编制15人。\n三、绩效目标完成情况\n完成了。\n"
    with pytest.raises(CannotPlant):  # the figure is stated again elsewhere
        plant_budget_removed(
            _case(text + "共执行125.4万元。", **{"budget.executed": 125.4}), random.Random(0)
        )


def test_filled_on_and_as_of_set_to_another_year() -> None:
    case = _case(SAMPLE, year=2024, filled_on=dt.date(2025, 3, 15))
    assert "填报日期：2024年3月15日" in plant_filled_on(case, random.Random(0))
    assert "截至2023年12月31日" in plant_as_of(case, random.Random(0))
    with pytest.raises(CannotPlant):
        plant_as_of(_case(SAMPLE, year=2023), random.Random(0))


def test_as_of_not_planted_in_a_sentence_naming_the_year_again() -> None:
    text = "截至2024年12月31日,收到2024年补助资金10万元。\n"
    with pytest.raises(CannotPlant):
        plant_as_of(_case(text, year=2024), random.Random(0))


def test_budget_section_not_removed_where_other_budget_figures_stay() -> None:
    text = (
        "一、基本情况\n本单位编制15人。\n二、部门整体支出情况\n年初预算128.56万元。\n"
        "三、绩效目标完成情况\n人员经费支出100万元。\n"
    )
    with pytest.raises(CannotPlant):
        plant_budget_removed(_case(text, **{"budget.initial": 128.56}), random.Random(0))


def test_numbering_repeat_or_skip() -> None:
    outs = {plant_numbering(_case(SAMPLE), random.Random(seed)) for seed in range(8)}
    assert any("\n1.完成预算编制。\n1.完成决算。" in o for o in outs)
    assert any("\n2.完成决算。\n4.完成绩效自评。" in o for o in outs)


def test_count_made_to_differ() -> None:
    out = plant_count(_case(SAMPLE), random.Random(0))
    assert "以下四个方面" in out
    named = "下设3个科室，分别是办公室、财务股、业务股。"
    assert "下设2个科室" in plant_count(_case(named), random.Random(0))
    with pytest.raises(CannotPlant):  # the count already differs: nothing to plant
        plant_count(_case("下设4个科室，分别是办公室、财务股、业务股。"), random.Random(0))


def test_score_moved_to_another_band() -> None:
    out = plant_score(_case(SAMPLE, total_score=92.5, grade="优秀"), random.Random(0))
    assert "自评得分75.5分，评价等级为优秀" in out
    with pytest.raises(CannotPlant):
        plant_score(_case("自评得分92.5分。", total_score=92.5), random.Random(0))


# ------------------------------------------------------------------ the run


def test_the_run_on_a_sample_of_real_reports() -> None:
    """A fixed seed on every third real report: under layout noise no field is read as another
    value and no error appears that the plain text does not give; the planted defects are found
    at the rate reached (docs/audit.md, "Mutated real reports")."""
    cases = load_real_corpus()[::3]
    run = run_mutated(cases, seed=SEED)
    text = mutated_text(run)
    assert "合计" in text and "植入缺陷" in text
    layouts = layout_totals(run.layouts)
    wrong = [
        (r.layout.name, r.case.name, f.path, f.got)
        for r in run.layouts
        for f in r.result.fields
        if f.verdict == "wrong"
    ]
    assert wrong == []
    assert [(r.layout.name, r.case.name, r.new_errors) for r in run.layouts if r.new_errors] == []
    assert layouts["right"] > 0
    plants = plant_totals(run.plants)
    assert plants["planted"] >= 30
    assert plants["found"] >= PLANTED_FOUND_SHARE * plants["planted"]
    assert {r.kind.name for r in run.plants} == {k.name for k in PLANTS}


# the share of planted defects found on the sample (every third report, seed 20251125): 43 of
# 46 (93.5 %) on the 145 reports of 2026-11-29 20:17 UTC
PLANTED_FOUND_SHARE = 0.9
