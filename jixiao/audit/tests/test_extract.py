from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit.extract import extract


def test_cover_lines_in_messy_forms() -> None:
    doc = extract(
        "项目支出绩效自评报告\n评价年度： 2 0 2 4 年\n评价单位（公章）：某某局\n填报日期：2025-3-9\n"
    )
    assert doc.kind == "project"
    assert doc.year is not None and doc.year.value == 2024
    assert doc.unit_name is not None and doc.unit_name.value == "某某局"
    assert doc.filled_on is not None and doc.filled_on.value.isoformat() == "2025-03-09"


def test_invalid_filled_date_is_kept_apart() -> None:
    doc = extract("评价年度：2024年\n填报日期：2025年2月30日\n")
    assert doc.filled_on is None
    assert doc.filled_on_invalid is not None


def test_missing_fields_are_listed_not_guessed() -> None:
    doc = extract("一段没有任何数据的文字。")
    assert doc.year is None and doc.total_score is None
    assert "评价年度" in doc.missing and "自评总分" in doc.missing and "年初预算数" in doc.missing


@pytest.mark.parametrize(
    "sentence",
    [
        "根据《某市财政局关于开展2025年绩效自评工作的通知》（某财绩〔2025〕7号）要求",
        "根据《某市财政局关于开展2025年绩效自评工作的通知》某财绩[2025]7号要求",
        "根据《某市财政局关于开展 2025 年绩效自评工作的通知》（某财绩【2025】第7号）要求",
    ],
)
def test_notice_number_styles(sentence: str) -> None:
    doc = extract(sentence)
    assert doc.notice["year"].value == 2025
    assert "7号" in doc.notice["number"].value


def test_staff_fields() -> None:
    doc = extract("我局编制数为 20 人，实有人数 18 人，离退休人员 6 人，临时聘用人员 3 人。")
    assert {k: v.value for k, v in doc.staff.items()} == {
        "staffing_quota": 20,
        "staff_actual": 18,
        "retired": 6,
        "temporary": 3,
    }


@pytest.mark.parametrize(
    ("text", "initial", "full_year", "executed"),
    [
        (
            "年初预算 33.28 万元，全年预算（调整后）38.45 万元，全年实际支出 38.45 万元。",
            "33.28",
            "38.45",
            "38.45",
        ),
        ("年初预算332800元，调整后预算384500元，实际支出384500元。", "33.28", "38.45", "38.45"),
        ("年初批复预算1.2亿元，全年执行数9000万元。", "12000", None, "9000"),
    ],
)
def test_budget_units(text: str, initial: str, full_year: str | None, executed: str) -> None:
    doc = extract(text)
    assert doc.budget["initial"].value == Decimal(initial)
    assert (doc.budget["full_year"].value if "full_year" in doc.budget else None) == (
        Decimal(full_year) if full_year else None
    )
    assert doc.budget["executed"].value == Decimal(executed)


def test_targets_with_and_without_stated_target() -> None:
    doc = extract(
        "培训人数目标值1000人次，实际完成1200人次，完成率120%；"
        "新建站点 1.2万个，完成年度目标的 96%，主要原因是用地审批延迟。"
    )
    first, second = doc.targets
    assert (first.name, first.target, first.actual, first.stated_percent) == (
        "培训人数",
        Decimal(1000),
        Decimal(1200),
        Decimal(120),
    )
    assert second.actual == Decimal(12000) and second.target is None
    assert second.explained and not first.explained


def test_budget_rates_are_not_targets() -> None:
    doc = extract("全年预算 40 万元，实际支出 38 万元，预算执行率 95%，支出完成率95%。")
    assert doc.targets == []
    assert [(r.kind, r.percent) for r in doc.rates] == [
        ("execution", Decimal(95)),
        ("execution", Decimal(95)),
    ]


def test_score_grade_and_parts() -> None:
    doc = extract(
        "本次自评总分为 87.5 分，评价等级：良好。\n"
        "1. 预算编制 本项得分18分（分值20分）。\n"
        "2. 预算执行 本项得分69.5分（分值80分）。"
    )
    assert doc.total_score is not None and doc.total_score.value == Decimal("87.5")
    assert doc.grade is not None and doc.grade.value == "良好"
    assert [(n, v.value, p) for n, v, p in doc.parts] == [
        ("预算编制", Decimal(18), Decimal(20)),
        ("预算执行", Decimal("69.5"), Decimal(80)),
    ]


def test_problems_and_measures() -> None:
    doc = extract(
        "（四）存在问题\n1. 指标不够细。\n2、台账不全。\n（五）改进措施\n（1）细化指标。\n四、其他\n无。"
    )
    assert doc.problems == ["指标不够细。", "台账不全。"]
    assert doc.improvements == ["细化指标。"]


def test_project_name() -> None:
    doc = extract("项目支出绩效自评报告\n项目名称：职业技能提升行动\n主管部门：某局\n")
    assert doc.project_name is not None and doc.project_name.value == "职业技能提升行动"
    assert doc.supervisor is not None and doc.supervisor.value == "某局"


@pytest.mark.parametrize("separator", ["\t", "  ", " | "])
def test_budget_table_rows(separator: str) -> None:
    header = separator.join(
        [
            "项目",
            "年初预算数",
            "全年预算数（A）",
            "全年执行数（B）",
            "分值",
            "执行率（B/A）",
            "得分",
        ]
    )
    row = separator.join(["年度资金总额", "33.28", "38.45", "36.00", "10", "93.63%", "9.36"])
    doc = extract(f"单位：万元\n{header}\n{row}\n")
    assert {k: v.value for k, v in doc.budget.items()} == {
        "initial": Decimal("33.28"),
        "full_year": Decimal("38.45"),
        "executed": Decimal("36.00"),
    }
    assert [r.percent for r in doc.rates] == [Decimal("93.63")]


def test_budget_table_in_yuan() -> None:
    doc = extract(
        "（单位：元）\n项目\t年初预算数\t全年预算数\t全年执行数\n年度资金总额\t332800\t384500\t384500\n"
    )
    assert doc.budget["initial"].value == Decimal("33.28")


def test_score_prefers_the_self_evaluation_score() -> None:
    doc = extract("评分表总分值100分，总分100分中我单位自评得分为 92.5 分，绩效评价等级为“优秀”。")
    assert doc.total_score is not None and doc.total_score.value == Decimal("92.5")
    assert doc.grade is not None and doc.grade.value == "优秀"


def test_target_value_in_brackets_is_not_part_of_the_name() -> None:
    doc = extract("新增证书（年度目标值 12000 人次）18969 人次，完成全年任务数的 158.08%。")
    [target] = doc.targets
    assert (target.name, target.target, target.actual) == (
        "新增证书",
        Decimal(12000),
        Decimal(18969),
    )


def test_dates_in_chinese_numerals() -> None:
    doc = extract("评价年度：二〇二五年\n填报日期：二〇二六年五月二十一日\n")
    assert doc.year is not None and doc.year.value == 2025
    assert doc.filled_on is not None and doc.filled_on.value.isoformat() == "2026-05-21"
    doc = extract("评价年度：2025年\n填报日期：二○二五年十二月三十一日\n")
    assert doc.filled_on is not None and doc.filled_on.value.isoformat() == "2025-12-31"


def test_amounts_with_a_bare_wan() -> None:
    doc = extract("年初预算安排资金33.28万，实际支出38.45万，预算执行率100%。")
    assert doc.budget["initial"].value == Decimal("33.28")
    assert doc.budget["executed"].value == Decimal("38.45")
    doc = extract("年初预算安排培训1.2万人次。")
    assert "initial" not in doc.budget  # 万人次 is a count, not money


def test_grade_in_brackets_after_the_score() -> None:
    doc = extract("综合评分：95分（优秀）。")
    assert doc.total_score is not None and doc.total_score.value == Decimal(95)
    assert doc.grade is not None and doc.grade.value == "优秀"
    assert "评价等级" not in doc.missing


@pytest.mark.parametrize(
    ("text", "name", "target", "actual"),
    [
        ("全年完成培训5000人次，年度目标4000人次，完成率125%。", "培训", 4000, 5000),
        ("办理案件120件，目标值100件，目标完成率120.00%。", "办理案件", 100, 120),
    ],
)
def test_target_stated_after_the_actual(text: str, name: str, target: int, actual: int) -> None:
    [claim] = extract(text).targets
    assert (claim.name, claim.target, claim.actual) == (name, Decimal(target), Decimal(actual))


def test_target_alone_is_not_taken_for_the_actual() -> None:
    assert extract("年度目标值1000人次，完成率120%。").targets == []


def test_notice_cited_without_title_marks() -> None:
    doc = extract(
        "根据湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知（湛财绩〔2026〕2号）要求"
    )
    assert doc.notice["title"].value == "湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知"
    assert doc.notice["number"].value == "湛财绩〔2026〕2号"


@pytest.mark.parametrize(
    ("text", "explained"),
    [
        ("新建站点45个，完成年度目标的90%。主要原因是用地审批延迟，下一步将加快推进。", True),
        ("新建站点45个，完成年度目标的90%。\n未完成的主要原因是用地审批延迟。", True),
        ("新建站点45个，完成年度目标的90%。下一步将加快推进站点建设。", False),
        ("新建站点45个，完成年度目标的90%，其中新区20个，主要原因是审批延迟。", False),
    ],
)
def test_reason_in_the_next_sentence_or_paragraph(text: str, explained: bool) -> None:
    [target] = extract(text).targets
    assert (target.stated_percent, target.explained) == (Decimal(90), explained)


def test_completion_of_the_target_task() -> None:
    [target] = extract("新建站点45个，完成年度目标任务的90%。").targets
    assert (target.name, target.actual, target.stated_percent) == ("新建站点", 45, 90)


def test_executed_amount_right_after_the_word() -> None:
    doc = extract("年初预算100万元，全年预算数120万元，执行110万元，预算执行率95%。")
    assert doc.budget["executed"].value == Decimal(110)


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("自评得分为92分，等级评定为“优”。", "优"),
        ("自评得分92分，评价结果为优秀。", "优秀"),
    ],
)
def test_other_grade_wordings(text: str, grade: str) -> None:
    doc = extract(text)
    assert doc.grade is not None and doc.grade.value == grade


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("服务对象满意度达到98%，年度目标值≥90%。", [("服务对象满意度", Decimal(90), Decimal(98))]),
        ("群众满意度目标值≥90%，实际达到85%。", [("群众满意度", Decimal(90), Decimal(85))]),
        ("投诉率3%，目标值5%。", []),  # less is better: not read as a target
        ("预算执行率95%，目标100%。", []),  # a budget rate, not a target
    ],
)
def test_percent_indicators(text: str, expected: list[tuple[str, Decimal, Decimal]]) -> None:
    assert [(t.name, t.target, t.actual) for t in extract(text).targets] == expected


def test_filled_date_with_month_only() -> None:
    doc = extract("评价年度：2025年\n填报日期：2026年5月\n")
    assert doc.filled_on is None
    assert doc.filled_month is not None and doc.filled_month.value == (2026, 5)
    assert doc.to_dict()["filled_month"] == "2026-05"
    assert "填报日期的日（只写到月）" in doc.missing and "填报日期" not in doc.missing
