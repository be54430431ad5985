"""Faults are named in the unit's words, with the row's own name where there is one."""

from __future__ import annotations

from jixiao.evaluations.field_labels import describe_field
from jixiao.evaluations.scoring_bridge import score_data
from jixiao.testing.factories import seed_evaluation_data


def test_paths_read_as_chinese_labels_with_row_names():
    data = seed_evaluation_data()
    assert describe_field("targets[2].actual", data) == (
        "绩效目标第 2 行（新增取得职业技能等级认定证书） · 实际完成值"
    )
    assert (
        describe_field("budget.rows[1].initial", data) == "预算第 1 行（当年财政拨款） · 年初预算数"
    )
    assert describe_field("unit.staffing_quota") == "单位基本情况 · 编制数"
    assert describe_field("targets[9].points", data) == "绩效目标第 9 行 · 分值"  # no such row
    assert describe_field("mystery[1].x") == "mystery第 1 行 · x"


def test_score_data_problems_use_the_labels():
    data = seed_evaluation_data()
    data["budget"]["rows"][0]["initial"] = "-1"
    problems = score_data(data).problems
    assert len(problems) == 1
    assert problems[0].startswith("预算第 1 行（当年财政拨款） · 年初预算数：")
