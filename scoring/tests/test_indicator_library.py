"""When two targets are one indicator (scoring.indicator_library), and the rule-sets' 共性指标."""

from __future__ import annotations

from scoring.indicator_library import common_indicators, level1_of, measure_key, name_key
from scoring.loading import shipped_rulesets


def test_name_key_folds_width_space_case_and_punctuation() -> None:
    assert name_key("“三公”经费 变动率") == name_key("三公经费变动率") == "三公经费变动率"
    assert name_key("ＰＭ２.５ 达标率（％）") == name_key("PM2.5达标率") == "pm25达标率"
    assert name_key("服务对象满意度　") == "服务对象满意度"  # an ideographic space
    assert name_key("培训人次") != name_key("培训人数")  # synonyms are not merged
    assert name_key("满意度≥90%") == "满意度≥90"  # symbols stay; % is punctuation to Unicode
    assert name_key("、，。") == ""


def test_measure_key_folds_width_and_space_but_keeps_slashes() -> None:
    assert measure_key("％") == measure_key(" % ") == "%"
    assert measure_key("人 次") == "人次"
    assert measure_key("元/人") == "元/人" != measure_key("元人")
    assert measure_key("ＫＭ") == "km"


def test_level1_from_a_rule_set_node() -> None:
    assert level1_of("履职产出") == "产出指标"
    assert level1_of("效益指标") == "效益指标"
    assert level1_of("服务对象满意度") == "满意度指标"
    assert level1_of("预算执行") == ""


def test_common_indicators_are_the_leaves_with_their_levels() -> None:
    rulesets = shipped_rulesets()
    gd = {c.code: c for c in common_indicators(rulesets["gd-department@2025.1"])}
    assert "U1" not in gd  # 履职产出 is open: the units' own targets go there
    assert (gd["E2"].level1, gd["E2"].level2, gd["E2"].name) == ("预算执行", "", "预算调整率")
    assert (gd["E2"].measure, gd["E2"].direction) == ("%", "<=")
    assert gd["B1"].measure == ""  # qualitative
    mof = {c.code: c for c in common_indicators(rulesets["mof-department-2013@2013.1"])}
    assert (mof["R11"].level1, mof["R11"].level2) == ("过程", "预算执行")
    national = {c.code: c for c in common_indicators(rulesets["national-project@2020.1"])}
    assert list(national) == ["X"]
    assert (national["X"].level1, national["X"].name, national["X"].measure) == (
        "",
        "预算执行率",
        "%",
    )
