"""Each check, on the seed with one planted defect and on small messy texts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit import audit_text
from jixiao.audit.checks import _matches, possible_whole_targets


def codes(text: str, severity: str | None = None) -> list[str]:
    return [f.code for f in audit_text(text).findings if severity in (None, f.severity)]


def plant(seed: str, old: str, new: str) -> str:
    assert old in seed, old
    return seed.replace(old, new, 1)


def test_possible_whole_targets() -> None:
    assert 12000 in possible_whole_targets(Decimal(18969), Decimal("158.08"), "158.08")
    assert possible_whole_targets(Decimal(354), Decimal("114.00"), "114.00") == []
    assert possible_whole_targets(Decimal(3), Decimal("50"), "50") == [6]


def test_impossible_percentage(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "完成全年任务数的 126.59%", "完成全年任务数的 133.71%")
    report = audit_text(text)
    [finding] = report.errors
    assert finding.code == "percentage_impossible"
    assert "133.71" in finding.quote and finding.location.line == 37


def test_percentage_against_stated_target() -> None:
    text = "培训人数目标值 1000 人次，实际完成 1200 人次，完成率 125%。"
    assert "percentage_mismatch" in codes(text, "error")
    assert "percentage_mismatch" not in codes(text.replace("125%", "120%"))


def test_grade_mismatch_with_broken_word(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "等级为优\n\n秀。", "等级为良\n\n好。")
    assert codes(text, "error") == ["grade_mismatch"]


@pytest.mark.parametrize(
    ("score", "code"), [("101", "score_out_of_range"), ("85", "grade_mismatch")]
)
def test_score_range_and_grade(audit_seed_text: str, score: str, code: str) -> None:
    text = plant(audit_seed_text, "自评得分98分", f"自评得分{score}分")
    assert code in codes(text, "error")


def test_parts_not_adding() -> None:
    text = (
        "本次自评总分为90分，评价等级为优秀。\n1. 预算编制 本项得分18分（分值20分）。\n"
        "2. 预算执行 本项得分70分（分值80分）。"
    )
    assert "parts_not_adding" in codes(text, "error")
    assert "parts_not_adding" not in codes(text.replace("70分（", "72分（"))


def test_part_over_its_points() -> None:
    text = "本次自评总分为 95 分，评价等级为优秀。\n1. 预算编制 本项得分 25 分（分值 20 分）。\n2. 执行 本项得分70分（分值80分）。"
    assert "score_out_of_range" in codes(text, "error")


def test_execution_rate_against_adjusted_budget() -> None:
    text = "年初预算 33.28 万元，全年预算（调整后）38.45 万元，实际支出 36 万元，预算执行率 100%。"
    assert "execution_rate_mismatch" in codes(text, "error")
    assert "execution_rate_mismatch" not in codes(text.replace("100%", "93.63%"))


def test_execution_100_with_adjusted_budget_is_fine() -> None:
    text = (
        "年初预算 33.28 万元，全年预算（调整后）38.45 万元，实际支出 38.45 万元，支出完成率 100%。"
    )
    assert codes(text, "warning") == []
    assert codes(text, "error").count("execution_rate_mismatch") == 0


def test_execution_100_unadjusted_in_yuan() -> None:
    text = "年初预算 332,800 元，实际支出 384,500 元，支出完成率 100%。"
    assert "execution_100_unadjusted" in codes(text, "warning")


def test_execution_rate_unverified_without_adjusted_budget() -> None:
    text = "年初预算 40 万元，实际支出 38 万元，预算执行率 90%。"
    assert "execution_rate_unverified" in codes(text, "warning")
    assert "execution_rate_unverified" not in codes(text.replace("90%", "95%"))


def test_adjustment_rate() -> None:
    text = "年初预算 33.28 万元，调整后预算 38.45 万元，预算调整率 25.53%。"
    assert "adjustment_rate_mismatch" in codes(text, "error")
    assert "adjustment_rate_mismatch" not in codes(text.replace("25.53", "15.53"))


def test_staff_over_quota(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "实有 5 人", "实有 9 人")
    assert codes(text, "error") == ["staff_over_quota"]


@pytest.mark.parametrize(
    ("date", "code", "severity"),
    [
        ("2025 年 11 月 3 日", "filled_before_year_end", "error"),
        ("2029 年 1 月 3 日", "filled_late", "warning"),
        ("2026 年 2 月 30 日", "invalid_date", "error"),
    ],
)
def test_filled_dates(audit_seed_text: str, date: str, code: str, severity: str) -> None:
    text = plant(audit_seed_text, "2026 年 5 月 21 日", date)
    assert code in codes(text, severity)


def test_notice_year_mismatch(audit_seed_text: str) -> None:
    text = audit_seed_text.replace("湛财绩〔2026〕2", "湛财绩〔2024〕2")
    report = audit_text(text)
    assert [f.code for f in report.errors] == ["notice_year_mismatch"]
    assert "2024" in report.errors[0].message


def test_missing_section(audit_seed_text: str) -> None:
    start = audit_seed_text.index("四、其他自评情况")
    assert codes(audit_seed_text[:start], "error") == ["section_missing"]


def test_sections_out_of_order(audit_seed_text: str) -> None:
    two = audit_seed_text.index("二、自评工作开展情况")
    three = audit_seed_text.index("三、绩效自评情况")
    four = audit_seed_text.index("四、其他自评情况")
    text = (
        audit_seed_text[:two]
        + audit_seed_text[three:four]
        + audit_seed_text[two:three]
        + audit_seed_text[four:]
    )
    assert "section_out_of_order" in codes(text, "warning")
    assert codes(text, "error") == []


def test_other_heading_styles_are_accepted() -> None:
    text = (
        "项目支出绩效自评报告\n第一部分 项目基本情况\n第二部分 自评工作开展情况\n"
        "第三部分 绩效自评情况\n第四部分 其他自评情况\n"
    )
    assert [c for c in codes(text) if c.startswith("section")] == []


def test_not_a_report() -> None:
    assert codes("今天天气很好。", "error") == ["not_a_report"]


def test_over_completion_explained_elsewhere() -> None:
    text = (
        "新增证书18969人次，完成全年任务数的158.08%。\n"
        "新增证书完成率158.08%，超出年度指标值较多，原因是认定规模增长较快。"
    )
    assert "over_completion" not in codes(text)
    assert "over_completion" in codes(text.split("\n")[0])


def test_under_completion_needs_reason() -> None:
    text = "新建站点 45 个，完成年度目标的 90%。"
    assert "under_completion_unexplained" in codes(text, "warning")
    explained = "新建站点 45 个，完成年度目标的 90%，主要原因是用地审批延迟。"
    assert "under_completion_unexplained" not in codes(explained)


def test_findings_carry_quote_and_location(audit_seed_text: str) -> None:
    report = audit_text(audit_seed_text)
    for finding in report.findings:
        assert finding.quote and finding.location.line
        assert finding.to_dict()["location"]["line"] == finding.location.line


def test_execution_rate_in_budget_table() -> None:
    header = "\t".join(
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
    row = "\t".join(["年度资金总额", "33.28", "38.45", "36.00", "10", "100%", "10"])
    text = f"单位：万元\n{header}\n{row}\n"
    assert "execution_rate_mismatch" in codes(text, "error")
    assert "execution_rate_mismatch" not in codes(text.replace("100%", "93.63%"))


def test_other_cited_documents_do_not_set_the_notice_year(audit_seed_text: str) -> None:
    """Only the self-evaluation notice is held to year + 1, not the 2019 管理办法 also cited."""
    text = audit_seed_text.replace(
        "《湛江市财政局关于开展 2026 年市级财政资金绩效自评工作的通知》湛财绩〔2026〕2 号", "有关"
    )
    text = text.replace(
        "《湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知》(湛财绩〔2026〕2号)", "有关"
    )
    assert "湛财绩" not in text
    report = audit_text(text)
    # the 管理办法's notice is not the one this self-evaluation answers: none is read (#13.2)
    assert report.extracted["notice"] is None
    assert "notice_year_mismatch" not in [f.code for f in report.findings]


def test_target_after_the_actual_is_no_false_alarm() -> None:
    text = "全年完成培训5000人次，年度目标4000人次，完成率125%。"
    assert "percentage_mismatch" not in codes(text)
    assert "percentage_mismatch" in codes(text.replace("125%", "120%"), "error")


def test_filled_before_year_end_in_chinese_numerals(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "2026 年 5 月 21 日", "二〇二五年十一月三日")
    assert codes(text, "error") == ["filled_before_year_end"]


def test_unnumbered_headings_count_as_sections() -> None:
    outline = (
        "部门整体支出绩效自评报告\n单位基本情况\n本单位为行政单位。\n自评工作开展情况\n成立小组。\n"
    )
    budget = "年初预算33.28万元，全年执行数38.45万元。\n"
    assert codes(outline + budget + "绩效自评情况\n得分95分。\n其他自评情况\n无。\n", "error") == []
    assert codes(outline + budget + "其他自评情况\n无。\n", "error") == ["section_missing"]


def test_a_report_without_any_budget_is_an_error_not_an_info_line() -> None:
    outline = (
        "部门整体支出绩效自评报告\n一、基本情况\n本单位为行政单位。\n二、自评工作开展情况\n成立小组。\n"
        "三、绩效自评情况\n（一）预算执行情况\n支出完成率100%。\n四、其他自评情况\n无。\n"
    )
    report = audit_text(outline)
    missing = [f for f in report.findings if f.code == "budget_missing"]
    assert [f.severity for f in missing] == ["error"]
    assert "部门整体支出情况" in missing[0].message
    # A budget the reader cannot parse is not "missing": it stays an info line.
    unread = outline.replace(
        "支出完成率100%。", "财政拨款合计叁拾叁万元整，即 33.28 万元的支出安排。"
    )
    assert "budget_missing" not in codes(unread, "error")


def test_a_rate_is_checked_against_its_honest_rounding_interval() -> None:
    # 5570 / 4400 = 126.5909…%: 126.59% is right. 5571 gives no whole target in [126.585, 126.595)
    # although 4400 gives 126.6136…% and truncation-style tolerances would have let it through.
    assert possible_whole_targets(Decimal(5570), Decimal("126.59"), "126.59") == [4400]
    assert possible_whole_targets(Decimal(5571), Decimal("126.59"), "126.59") == []
    assert _matches(Decimal("126.59"), "126.59", Decimal("126.585"))
    assert not _matches(Decimal("126.59"), "126.59", Decimal("126.595"))
    assert not _matches(Decimal("126.59"), "126.59", Decimal("126.5999"))


def test_what_was_not_read_is_an_info_finding() -> None:
    report = audit_text("部门整体支出绩效自评报告\n评价年度：2025年\n")
    not_found = [f.message for f in report.findings if f.code == "not_found"]
    assert all(f.severity == "info" for f in report.findings if f.code == "not_found")
    assert not_found == [
        "未能读出“评价单位”，相关审查未做",
        "未能读出“填报日期”，相关审查未做",
        "未能读出“所依据的通知文号”，相关审查未做",
        "未能读出“编制数”，相关审查未做",
        "未能读出“实有人数”，相关审查未做",
        "未能读出“绩效目标完成情况（实际完成值与完成率）”，相关审查未做",
        "未能读出“年初预算数”，相关审查未做",
        "未能读出“全年执行数（实际支出）”，相关审查未做",
        "未能读出“自评总分”，相关审查未做",
        "未能读出“评价等级”，相关审查未做",
    ]


GRID = (
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
    "产出指标\t数量指标\t培训人次\t≥1000人次\t960人次\t10\t9.6\t\n"
    "\t\t新建站点\t50个\t45个\t10\t9\t受用地审批影响，下年完成\n"
    "\t\t发放证书\t1000本\t1600本\t10\t10\t无\n"
    "\t成本指标\t人均成本\t≤500元\t480元\t10\t10\t\n"
    "效益指标\t社会效益\t群众满意\t好\t好\t10\t10\t\n"
)


def test_indicator_grid_deviations_need_a_reason() -> None:
    report = audit_text(GRID)
    assert [
        (t["name"], t["unit"], t["target"], t["actual"]) for t in report.extracted["targets"]
    ] == [
        ("培训人次", "人次", "1000", "960"),
        ("新建站点", "个", "50", "45"),
        ("发放证书", "本", "1000", "1600"),
    ]  # the ≤ cost indicator and the qualitative one are not read
    found = [(f.code, f.location.line) for f in report.findings if f.severity == "warning"]
    assert found == [("under_completion_unexplained", 2), ("over_completion", 4)]


def test_indicator_grid_with_a_stated_rate() -> None:
    grid = "指标名称\t年度指标值\t实际完成值\t完成率\n新增证书（人次）\t12000\t18969\t150.08%\n"
    [finding] = audit_text(grid).errors[1:]  # after not_a_report: an excerpt, not a report
    assert finding.code == "percentage_mismatch"
    assert finding.quote == "新增证书(人次) | 12000 | 18969 | 150.08%"


def test_percent_indicator_below_its_target_needs_a_reason() -> None:
    assert codes("验收合格率95%，目标值98%。", "warning") == ["under_completion_unexplained"]
    assert codes("验收合格率95%，目标值98%，主要原因是返工。", "warning") == []


def test_filled_month_before_the_year_ends(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "2026 年 5 月 21 日", "2025 年 11 月")
    assert codes(text, "error") == ["filled_before_year_end"]
    assert codes(plant(audit_seed_text, "2026 年 5 月 21 日", "2026 年 5 月"), "error") == []
