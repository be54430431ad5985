"""Shapes the third held-out set showed (#13, held13c): made-up texts.

The seventeen reports of jixiao/audit/corpus/real marked ``heldout_batch: 4`` were audited once
before any rule changed (docs/audit.md keeps that first figure); these are the general rules its
wrong values and false errors called for, then the unread fields. Each has the shape and a near
miss: a wrong value is worse than none. The texts are written for the test, never copied from one
report.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jixiao.audit import audit_text
from jixiao.audit.extract import extract
from jixiao.audit.normalize import paragraphs

# ---- a part answered 无 on its own line, then the signature ---------------------------------

SIGNED_AFTER_NONE = (
    "示例专项资金项目自评报告\n"
    "一、项目基本情况\n示例县关爱工作委员会的专项资金,用于资助困难学生。\n"
    "二、项目绩效自评工作开展情况\n对资金使用情况开展了自评。\n"
    "三、项目绩效实现情况\n2023年,财政预算项目资金12万元,支付12万元。\n"
    "四、其他需说明的问题\n"
    "无\n"
    "中共示例县委办公室\n"
    "2024年5月6日"
)


def test_the_signature_after_a_bare_none_is_the_unit() -> None:
    # 无 has no full stop, and the signature line used to join it: 无中共示例县委办公室 ends as a
    # name does and was read as the unit
    doc = extract(SIGNED_AFTER_NONE)
    assert doc.unit_name is not None and doc.unit_name.value == "中共示例县委办公室"
    assert doc.filled_on is not None and doc.filled_on.value == dt.date(2024, 5, 6)


def test_a_line_that_only_ends_in_none_still_runs_on() -> None:
    # a sentence broken after 无 (a pdf's line end) is one paragraph: only a line that is the
    # answer alone closes it
    paras = paragraphs("本年度资金使用规范,未发现挤占挪用,亦无\n违规支出情况。\n")
    assert [p.text for p in paras] == ["本年度资金使用规范,未发现挤占挪用,亦无违规支出情况。"]
    paras = paragraphs("四、其他需说明的问题\n暂无\n示例县林业局\n")
    assert [p.text for p in paras] == ["四、其他需说明的问题", "暂无", "示例县林业局"]


# ---- the signature under a line that joined it ----------------------------------------------

SIGNED_UNDER_ATTACHMENT = (
    "示例县示例镇人民政府:\n"
    "现将2024年示例县示例镇示例社区排水沟建设项目绩效目标自评报告如下:\n"
    "一、绩效目标分解下达情况\n安排项目资金30万元,新建排水沟800米。\n"
    "二、绩效目标自评工作开展情况\n对项目建设内容是否按计划完成进行了自评。\n"
    "三、绩效目标自评完成情况分析\n下达建设资金30万元,项目已验收结算。\n"
    "四、绩效自评结果拟应用和公开情况\n本次自评结果在系统内部公开。\n"
    "附件:2024年示例县示例镇示例社区排水沟建设项目自评表[点击下载]\n"
    "示例县示例镇人民政府\n"
    "2025年1月20日"
)


def test_a_signature_line_is_read_even_when_the_line_above_joined_it() -> None:
    # the attachment link has no full stop, so the signature and the date joined its paragraph;
    # they are still lines of their own
    doc = extract(SIGNED_UNDER_ATTACHMENT)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县示例镇人民政府"
    assert doc.filled_on is not None and doc.filled_on.value == dt.date(2025, 1, 20)


def test_a_sentence_ending_the_report_is_no_signature() -> None:
    text = SIGNED_UNDER_ATTACHMENT.rsplit("附件", 1)[0] + "以上情况特此报告,请审阅\n各乡镇配合完成"
    doc = extract(text)
    assert doc.unit_name is None
    assert doc.filled_on is None


# ---- 现将…某镇某社区…项目: the township is the project's place ---------------------------------


def test_a_township_running_into_the_project_is_no_unit() -> None:
    text = (
        "现将2024年示例县示例镇示例社区产业设施配套项目绩效目标自评报告如下:\n"
        "一、绩效目标分解下达情况\n安排项目资金56万元。\n"
    )
    doc = extract(text)
    assert doc.unit_name is None  # 示例县示例镇 is where the project is, not who reports


def test_a_bureau_before_its_fund_is_the_unit() -> None:
    text = (
        "现将2022年示例县交通运输局财政衔接推进乡村振兴资金项目绩效自评总结报告如下:\n"
        "一、绩效目标分解下达情况\n项目计划投资2179万元。\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县交通运输局"
    # and a township whose own spending follows is the unit
    doc = extract("现将2021年示例县示例镇整体支出绩效自评情况报告如下:\n一、基本情况\n")
    assert doc.unit_name is not None and doc.unit_name.value == "示例县示例镇"


# ---- the 转移支付 / 衔接资金 outline --------------------------------------------------------------


def _codes(text: str) -> list[str]:
    return [f.code for f in audit_text(text).findings if f.severity == "error"]


def test_the_transfer_outline_has_its_own_parts() -> None:
    # 一、绩效目标分解下达情况 … 四、绩效自评结果拟应用和公开情况 is a template of its own: no 项目基本情况
    # or 其他自评情况 is missing from it
    filler = "".join(f"第{i}项工作已按计划完成,资金专款专用,未发现问题。\n" for i in range(1, 16))
    assert "section_missing" not in _codes(SIGNED_UNDER_ATTACHMENT + "\n" + filler)


def test_the_transfer_outline_still_needs_each_of_its_parts() -> None:
    filler = "".join(f"第{i}项工作已按计划完成,资金专款专用,未发现问题。\n" for i in range(1, 16))
    text = (
        SIGNED_UNDER_ATTACHMENT.replace(
            "二、绩效目标自评工作开展情况\n对项目建设内容是否按计划完成进行了自评。\n", ""
        )
        .replace("三、", "二、")
        .replace("四、", "三、")
    )
    findings = audit_text(text + "\n" + filler).findings
    missing = [f.message for f in findings if f.code == "section_missing"]
    assert missing == ["缺少必备章节“绩效自评工作开展情况”"]
    # a report in the usual outline that lacks its 其他 part is still told so
    usual = (
        "示例县示例局2023年度部门整体支出绩效自评报告\n一、基本情况\n概况。\n"
        "二、自评工作开展情况\n开展了自评。\n三、绩效自评情况\n完成了目标。\n" + filler
    )
    missing = [
        f.message
        for f in audit_text(usual).findings
        if f.code == "section_missing" and "必备章节" in f.message
    ]
    assert missing == ["缺少必备章节“其他自评情况”"]


# ---- unread fields: staff written with their kind or a space -------------------------------


def test_a_quota_and_headcount_named_with_their_kind() -> None:
    doc = extract(
        "示例市文化馆2018年度整体支出绩效评价报告\n"
        "(二)人员结构情况:2018年,馆事业编制核定数 35 名。实有事业人员 32 名、离退休人员 29 名。\n"
    )
    assert doc.staff["staffing_quota"].value == 35
    assert doc.staff["staff_actual"].value == 32
    assert doc.staff["retired"].value == 29
    # 实有 before other words is no headcount: 实有事业收入 is money
    doc = extract("示例市文化馆2018年度整体支出绩效评价报告\n全馆实有事业收入 35 万元。\n")
    assert "staff_actual" not in doc.staff


def test_a_schools_staff_are_its_teachers() -> None:
    doc = extract(
        "示例市实验中学2021年度整体支出绩效自评报告\n"
        "编制部门给我校定有事业编制118个,2021年末我校共有在职教职员工110人,"
        "聘用代课教师10人,退休人员57人。\n"
    )
    assert doc.staff["staff_actual"].value == 110
    assert doc.staff["temporary"].value == 10
    doc = extract(
        "示例中心校2024年度部门整体支出绩效自评报告\n学校现有在职教师251名,3284名在校生。\n"
    )
    assert doc.staff["staff_actual"].value == 251
    # teachers trained are no headcount
    doc = extract("示例中心校2024年度部门整体支出绩效自评报告\n全年开展在职教师培训120人次。\n")
    assert "staff_actual" not in doc.staff


# ---- a sheet's 总分 in a cell of its own ----------------------------------------------------

SHEET_TOTAL = (
    "单位名称:示例镇政府 填报日期:2021.5.18\n"
    "单位名称 | 示例镇人民政府 | ||||||||\n"
    "年度绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年初目标值(A) | 实际完成值(B) | 得分 | |||\n"
    "产出指标 | 数量指标 | 办结信访案件 | 168起 | 168起 | 10 | ||||\n"
    "总分 | {total} | ||||||||\n"
    "偏差大或 目标未完成 原因分析 | 无 | ||||||||\n"
)


def test_a_sheets_total_score_in_its_own_cell() -> None:
    doc = extract(SHEET_TOTAL.format(total="95分"))
    assert doc.total_score is not None and doc.total_score.value == 95


def test_a_total_row_with_the_points_and_the_score_in_cells_of_their_own_gives_none() -> None:
    # 100分 | 96分: which is the scale and which the score is the header's to say, and it does not
    doc = extract(SHEET_TOTAL.format(total="100分 | 96分"))
    assert doc.total_score is None


# ---- spending in a project's words ----------------------------------------------------------


def test_a_projects_spending_said_as_its_final_accounts_or_funds_spent() -> None:
    doc = extract(
        "示例镇学校2017年度专项资金绩效自评报告\n现将我单位专项资金绩效自评结果报告如下:"
        "一、专项概况。二、专项资金使用及管理情况。我单位2017年项目支出决算为150万元,其中:"
        "房屋建筑物支出66.2万元。\n"
    )
    assert doc.kind == "project"
    assert doc.budget["executed"].value == Decimal("150")
    doc = extract(
        "2020年度项目绩效自评报告\n(示例会议经费项目)\n一、项目基本情况\n召开会议。\n"
        "2.项目资金执行情况。\n项目资金严格按照资金管理办法,支出资金0.26万元,执行率100%。\n"
    )
    assert doc.budget["executed"].value == Decimal("0.26")


def test_a_departments_project_accounts_or_fiscal_accounts_are_parts() -> None:
    doc = extract(
        "示例县示例局2021年度部门整体支出绩效自评报告\n一、基本情况\n"
        "本局2021年项目支出决算为150万元,财政拨款支出决算为300万元,"
        "一般公共预算支出决算为280万元。\n"
    )
    assert "executed" not in doc.budget


# ---- the year as a sentence's time ----------------------------------------------------------


def test_the_year_of_a_sentence_that_gives_the_spending() -> None:
    doc = extract(SIGNED_AFTER_NONE)  # its title names no year
    assert doc.year is not None and doc.year.value == 2023


def test_a_running_total_to_a_year_gives_no_year() -> None:
    text = SIGNED_AFTER_NONE.replace(
        "2023年,财政预算项目资金12万元,支付12万元。", "截至2023年,累计安排资金12万元,支付12万元。"
    )
    assert extract(text).year is None


# ---- a project named by its fund, or in the opening sentence ---------------------------------


def test_a_fund_named_between_the_titles_year_and_its_kind() -> None:
    doc = extract(
        "示例县2021年农村饮水工程维修养护工程水利发展资金绩效自评报告\n"
        "一、概述\n本项目属中央水利资金项目,项目批复总投资61.8万元。\n"
    )
    assert doc.kind == "project"
    assert doc.project_name is not None
    assert doc.project_name.value == "农村饮水工程维修养护工程水利发展资金"
    # a fund that names nothing but money: no project
    doc = extract("示例县2022年度财政专项资金绩效自评报告\n一、项目基本情况\n安排资金10万元。\n")
    assert doc.project_name is None


def test_a_project_named_in_the_opening_sentence() -> None:
    doc = extract(SIGNED_UNDER_ATTACHMENT)
    assert doc.project_name is not None
    assert doc.project_name.value == "示例县示例镇示例社区排水沟建设项目"


def test_an_office_running_into_the_fund_names_no_project() -> None:
    doc = extract(
        "为做好资金项目绩效管理工作,"
        "现将2022年示例县交通运输局财政衔接推进乡村振兴资金项目绩效自评总结报告如下:\n"
        "一、绩效目标分解下达情况\n项目计划投资2179万元。\n"
    )
    assert doc.project_name is None
    # nor the report's own kinds: 部门整体和项目支出 is no project
    doc = extract(
        "示例市示例中心校2024年度部门整体和项目支出绩效自评报告\n"
        "现将2024年度部门整体和项目支出绩效自评情况报告如下:\n一、部门基本情况\n"
    )
    assert doc.project_name is None


def test_a_title_that_is_the_project_alone() -> None:
    doc = extract(SIGNED_AFTER_NONE)  # 示例专项资金项目自评报告: no year, no unit
    assert doc.project_name is not None and doc.project_name.value == "示例专项资金项目"


def test_a_title_naming_a_kind_of_project_names_none() -> None:
    # a model-essay site's heading over a report it reposts, or a generic one
    for title in (
        "建设项目绩效自评报告",
        "财政专项资金项目自评报告",
        "部门整体支出项目绩效自评报告",
    ):
        text = SIGNED_AFTER_NONE.replace("示例专项资金项目自评报告", title)
        assert extract(text).project_name is None, title


def test_a_wrapped_date_or_a_listed_name_at_the_cut_is_no_signature() -> None:
    # an opening cut inside a sentence whose last line is a date, or inside a list of units
    body = SIGNED_AFTER_NONE.rsplit("四、", 1)[0]
    doc = extract(body + "四、项目实施情况\n项目于2023年3月开工,全部工程竣工于\n2023年12月30日")
    assert doc.filled_on is None
    doc = extract(body + "四、项目实施情况\n项目由以下单位共同实施,分别是\n示例县林业局")
    assert doc.unit_name is None


def test_a_model_essay_sites_heading_names_no_project() -> None:
    # a collection's heading over a reposted report: 农村公路建设 is a kind of project there
    text = (
        "农村公路建设项目绩效自评报告\n时间:2022-12-09 报告 我要投稿\n"
        "农村公路建设项目绩效自评报告(通用9篇)\n下面是小编为大家收集的报告,欢迎大家分享。\n"
        "一、项目基本情况\n我局承担全县道路建设项目实施任务,批复总投资3374.3万元。\n"
    )
    assert extract(text).project_name is None
    # the same heading on a unit's own page names its project
    own = text.replace("时间:2022-12-09 报告 我要投稿\n", "").split(
        "农村公路建设项目绩效自评报告("
    )[0]
    own += "一、项目基本情况\n我局承担全县道路建设项目实施任务,批复总投资3374.3万元。\n"
    doc = extract(own)
    assert doc.project_name is not None and doc.project_name.value == "农村公路建设项目"


def test_the_general_budgets_accounts_are_a_part() -> None:
    doc = extract(
        "示例县示例局2021年度部门整体支出绩效自评报告\n一、基本情况\n"
        "本局2021年一般公共预算支出决算为280万元。\n"
    )
    assert "executed" not in doc.budget


def test_the_transfer_outlines_analysis_may_be_called_its_result() -> None:
    filler = "".join(f"第{i}项工作已按计划完成,资金专款专用,未发现问题。\n" for i in range(1, 16))
    text = SIGNED_UNDER_ATTACHMENT.replace("三、绩效目标自评完成情况分析", "三、绩效自评结果分析")
    assert "section_missing" not in _codes(text + "\n" + filler)


def test_a_forms_title_naming_a_kind_of_project_leaves_the_name_cell_alone() -> None:
    # 财政项目绩效自评表 is the form's name, not a project the 项目名称 cell could disagree with
    text = (
        "2021年度财政项目绩效自评表单位名称:示例市中心医院填报日期:2022年3月18日"
        "项目名称示例院区建设补助主管部门示例市卫生健康委项目实施单位示例市中心医院\n"
    )
    doc = extract(text)
    assert doc.project_name is not None and doc.project_name.value == "示例院区建设补助"
    # a title that names a project the cell shares nothing with still leaves the cell unread
    other = text.replace("2021年度财政项目绩效自评表", "马铃薯种薯繁育推广项目绩效自评表")
    assert extract(other).project_name is None
