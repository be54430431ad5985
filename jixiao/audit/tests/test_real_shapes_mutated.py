"""Shapes the mutated real reports showed (#13, mut13): made-up texts.

``python -m jixiao.audit.corpus --real --mutate`` puts the 130 real reports through layout noise
(hard line breaks, a portal's frame, mixed brackets …) and plants defects into them; these are the
general rules its wrong values, new errors and missed defects called for. Each has the shape and a
near miss. The texts are written for the test, never copied from one report.
"""

from __future__ import annotations

from jixiao.audit import audit_text
from jixiao.audit.extract import docno_canonical, extract
from jixiao.audit.normalize import normalize_line, paragraphs, portal_chrome

# ---- a 文号's year brackets ---------------------------------------------------------------------


def test_a_docno_with_brackets_a_copy_mixed_is_written_with_the_official_ones() -> None:
    doc = extract(
        "示例县示例局2024年度部门整体支出绩效自评报告\n"
        "根据《示例县财政局关于开展2024年度绩效自评工作的通知》(示财绩[2025〕5号)要求,开展自评。\n"
    )
    assert doc.notice["number"].value == "示财绩〔2025〕5号"
    assert "[2025〕" in doc.notice["number"].quote  # the quote keeps the text's


def test_a_docno_keeps_its_issuer_and_number() -> None:
    assert docno_canonical("示财绩【2025】15号") == "示财绩〔2025〕15号"
    assert docno_canonical("示财绩〔2025〕5号") == "示财绩〔2025〕5号"
    # a bracket that is no year's (the issuer's own) stays
    assert docno_canonical("示(县)财绩〔2025〕5号") == "示(县)财绩〔2025〕5号"


# ---- a portal's 来源 naming an office without its place ------------------------------------------


PAGE = (
    "首页 > 政务公开\n发布日期：2025-04-02 来源：{source} 浏览次数：20\n"
    "2024年度部门整体支出绩效自评报告\n一、部门基本情况\n{source}负责日常工作。\n"
    "二、部门整体支出情况\n2024年支出30万元。\n"
)


def test_a_publisher_without_its_place_is_not_the_unit() -> None:
    doc = extract(PAGE.format(source="办公室"))
    assert doc.unit_name is None


def test_a_publisher_with_its_place_named_again_is_still_the_unit() -> None:
    doc = extract(PAGE.format(source="示例县林业局"))
    assert doc.unit_name is not None and doc.unit_name.value == "示例县林业局"


# ---- a portal's controls and frame are no part of the report ------------------------------------


def test_a_portals_control_and_frame_lines_are_dropped() -> None:
    for line in (
        "字号：[ 大 中 小 ]  打印本页  关闭窗口",
        "【打印本页】 【关闭窗口】",
        "【字体：大 中 小】【打印】",
        "当前位置：首页>信息公开>预决算公开",
        "网站标识码：1234567890   ICP备12345678号",
        "主办：示例县人民政府办公室   技术支持：信息中心",
    ):
        assert portal_chrome(normalize_line(line)), line


def test_a_cell_or_a_sentence_with_a_control_word_stays() -> None:
    for line in ("中", "大", "打印机购置费3万元", "关闭了3家企业", "字号:示财绩〔2025〕5号"):
        assert not portal_chrome(normalize_line(line)), line
    paras = paragraphs("评价等级\n中\n")
    assert [p.text for p in paras] == ["评价等级中"]


def test_a_line_the_frame_dropped_ends_the_paragraph_before_it() -> None:
    paras = paragraphs("日期:2025-03-03 来源:示例市财政局\n字号:\n示农呈〔2025〕2号\n")
    assert paras[0].text == "日期:2025-03-03来源:示例市财政局"


def _excerpt(extra_lines: list[str]) -> str:
    body = "".join(f"第{i}项工作已经完成并通过验收。\n" for i in range(1, 15))
    return (
        "\n".join(extra_lines)
        + "\n示例县示例局2024年度部门整体支出绩效自评报告\n一、部门基本情况\n"
        + "(一)职能\n"
        + body
        + "二、部门整体支出情况\n年初预算30万元,执行29万元。\n"
    )


def test_a_pages_date_line_and_repeated_title_do_not_make_an_excerpt_whole() -> None:
    # 19 paragraphs of report: an excerpt, whose result part is not judged; the page's lines
    # (发布日期 …, the title again above the text) are no paragraphs of it
    text = _excerpt(
        ["示例县示例局2024年度部门整体支出绩效自评报告", "发布日期：2025-03-01 来源：本站"]
    )
    codes = [f.message for f in audit_text(text).findings if f.code == "section_missing"]
    assert not any("自评结果" in m for m in codes)


def test_a_report_of_twenty_paragraphs_still_needs_its_result() -> None:
    text = _excerpt(["示例说明:本报告由示例局编制。", "示例说明:共分三部分。"])
    codes = [f.message for f in audit_text(text).findings if f.code == "section_missing"]
    assert any("自评结果" in m for m in codes)


# ---- a hard line break inside a title's bracket, a heading, a title's words -------------------


def test_a_titles_bracket_cut_by_a_line_break_goes_on_on_the_next_line() -> None:
    doc = extract(
        "示例县图书馆2022年度项目支出绩效自评报告(2022年中央支持地方\n"
        "公共文化服务体系建设补助资金\n\n一、自评结论\n(一)自评得分\n100分。\n"
    )
    assert doc.project_name is not None
    assert doc.project_name.value == "2022年中央支持地方公共文化服务体系建设补助资金"
    doc = extract(
        "示例县图书馆2022年度项目支出绩效自评报告(2022年免费开放补\n助经费)\n\n一、自评结论\n"
    )
    assert doc.project_name is not None and doc.project_name.value == "2022年免费开放补助经费"


def test_a_titles_open_bracket_over_a_sentence_is_not_read() -> None:
    doc = extract(
        "示例县图书馆2022年度项目支出绩效自评报告(2022年中央支持地方\n"
        "本馆认真开展自评,现将情况报告如下。\n\n一、自评结论\n"
    )
    assert doc.project_name is None


def test_a_heading_line_with_an_open_title_mark_goes_on() -> None:
    paras = paragraphs(
        "一、根据示例县财政局《关于做好2024年度县级\n财政资金绩效自评工作的通知》要求,开展自评。\n"
        "二、部门基本情况\n本单位有编制10名。\n"
    )
    assert paras[0].text.startswith("一、根据") and paras[0].text.endswith("开展自评。")
    assert paras[1].text == "二、部门基本情况"


def test_a_title_whose_words_a_line_break_cut_is_read() -> None:
    doc = extract(
        "示例州第二人民医院示例补助资金2023年度绩效自评\n报告\n"
        "一、绩效目标完成情况分析\n资金执行率100%。\n"
    )
    assert doc.kind == "project"


def test_a_line_cut_out_of_prose_is_no_title() -> None:
    doc = extract(
        "评价单位:示例县示例局\n"
        "一、根据县财政局通知要求,我单位及时布置自评工作。经核实有关账务及项目等执\n"
        "行情况,填写自评表\n格并综合分析,形成本评价报告。现将2024年度示例县示例局整体支出绩效自评"
        "情况报告如下:\n二、单位基本情况\n"
    )
    assert doc.kind == "department"


def test_a_first_line_with_a_form_title_after_commas_is_still_a_title() -> None:
    doc = extract(
        "现已完成示例县2022年衔接资金项目绩效目标自评,附件:2022年财政衔接资金实施项目"
        "绩效自评表示例县水利局2022年12月30日\n"
    )
    assert doc.year is not None and doc.year.value == 2022


# ---- an OCR'd project cell under a title a line break put apart --------------------------------


def test_a_cell_naming_another_project_than_the_title_above_its_line_is_not_read() -> None:
    doc = extract(
        "示例薯繁育推广项目绩效目标自评表(2022年度)项目总得分99分\n"
        "项目名称碟令樽轴示施项目实施单位/项目负责人示例县农技中心/张三\n"
    )
    assert doc.project_name is None


def test_a_cell_agreeing_with_the_title_above_is_read() -> None:
    doc = extract(
        "示例薯繁育推广项目绩效目标自评表(2022年度)项目总得分99分\n"
        "项目名称示例薯繁育推广项目实施单位/项目负责人示例县农技中心/张三\n"
    )
    assert doc.project_name is not None and doc.project_name.value == "示例薯繁育推广项目"


# ---- a 自评表 whose copy doubled its blank lines, mixed its brackets, or broke its lines ---------


def _sheet(gap: str, bracket: str = "(B)") -> str:
    cells = [
        "项目支出绩效自评表",
        "项目名称",
        "示例养殖场建设项目",
        "预算数(A)",
        f"执行数{bracket}",
        "执行率(B/A)",
        "得分",
    ]
    rows = gap.join(cells) + gap * 2 + gap.join(["年度财政资金总额", "50", "10", "20", "4"])
    return rows + gap * 2 + gap.join(["年度绩效目标", "一级指标"]) + "\n"


def test_a_sheet_whose_copy_doubled_every_blank_line_is_read() -> None:
    from jixiao.audit.sheet import read_sheet

    assert read_sheet(_sheet("\n\n")).funds  # cells a blank line apart, rows two
    sheet = read_sheet(_sheet("\n\n\n"))  # every blank line doubled: cells two apart, rows four
    assert sheet.funds and sheet.funds[0].amounts.get("executed") == 10


def test_a_sheet_with_a_full_width_header_bracket_is_read() -> None:
    from jixiao.audit.sheet import read_sheet

    assert read_sheet(_sheet("\n\n", "（B）")).funds
    assert read_sheet(_sheet("\n\n", "(B）")).funds


def test_a_form_named_at_its_head_is_no_non_report_even_unread() -> None:
    text = (
        "示例县项目支出绩效自评表 (2021年度) 项目名称 示例公共卫\n生服务 主管部门 示例县卫生健\n"
        "康局 年初预算 数 0 项\n目资金 (万元)\n"
    )
    assert "not_a_report" not in {f.code for f in audit_text(text).findings}


def test_a_text_asking_for_a_form_is_still_no_report() -> None:
    text = "各单位要认真填写绩效自评表,于3月底前报送县财政局。\n联系人:张三\n"
    assert "not_a_report" in {f.code for f in audit_text(text).findings}


def test_a_later_line_after_a_page_line_may_hold_the_title() -> None:
    # the line before ends with the page's 】, not inside a word: no line cut out of prose
    doc = extract(
        "发布时间:2023-11-20 来源:本站 【字号:大中小】\n"
        "现已完成示例县2022年衔接资金项目绩效目标自评,附件:2022年财政衔接资金实施项目"
        "绩效自评表示例县水利局\n"
    )
    assert doc.year is not None and doc.year.value == 2022


# ---- a 其中 whose parts, whatever their labels, add to more than the total ----------------------


def _sum_codes(sentence: str) -> list[str]:
    text = (
        "示例县示例局2022年度部门整体支出绩效自评报告\n一、部门基本情况\n"
        + sentence
        + "\n二、部门整体支出情况\n全年支出76.36万元。\n"
    )
    return [f.code for f in audit_text(text).findings if f.severity == "error"]


def test_parts_of_unknown_labels_adding_to_more_than_their_total_are_an_error() -> None:
    assert "sum_mismatch" in _sum_codes(
        "2022年预算收入69.06万元,其中年初预算64.74万元,调整追加11.78万元。"
    )
    assert "sum_mismatch" in _sum_codes(
        "拨付防汛经费110.56万元,其中:清杂经费42.5万元,甲村、乙村抢险经费6万元,"
        "镇本级和15个村防汛经费66万元,专款专用。"
    )


def test_parts_that_may_overlap_or_close_early_or_fall_short_are_not() -> None:
    # parts that add up
    assert "sum_mismatch" not in _sum_codes(
        "预算收入69.06万元,其中年初预算57.28万元,调整追加11.78万元。"
    )
    # a running total and this year's amount overlap
    assert "sum_mismatch" not in _sum_codes("总投资500万元,其中本年投入300万元,累计投入450万元。")
    # the first two close the list; what follows is another statement
    assert "sum_mismatch" not in _sum_codes(
        "总投资61.8万元,其中中央资金30.9万元,县配套资金30.9万元,年度下达资金61.8万元。"
    )
    # a few of the parts only
    assert "sum_mismatch" not in _sum_codes("预算收入69.06万元,其中年初预算50万元,调整追加1万元。")
    # amounts first, their purpose after: not a labelled list
    assert "sum_mismatch" not in _sum_codes(
        "下达资金590万元,其中:90万元用于支付工资,510万元用于补助。"
    )


def test_a_finance_bureau_publishing_and_named_as_the_notices_sender_is_not_the_unit() -> None:
    text = (
        "发布日期：2025-06-02 来源：示例县财政局 浏览次数：27\n"
        "2024年度林业资金项目支出绩效评价报告\n"
        "根据示例县财政局《关于开展2024年度项目支出绩效自评工作的通知》(示财〔2025〕19号)要求,"
        "对本单位项目开展绩效自评。\n一、项目基本情况\n"
    )
    assert extract(text).unit_name is None


def test_a_finance_bureau_reporting_on_itself_is_still_the_unit() -> None:
    text = (
        "发布日期：2025-06-02 来源：示例县财政局 浏览次数：27\n"
        "示例县财政局2024年度部门整体支出绩效自评报告\n"
        "示例县财政局负责全县财政工作。\n一、部门基本情况\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县财政局"


# ---- a title three times at the top is no running header --------------------------------------


def test_a_title_a_portal_repeats_at_the_top_is_kept() -> None:
    title = "示例县示例局2023年示例补助资金项目支出绩效自评报告"
    text = (
        f"{title}\n发布日期：2025年5月6日 来源：本站\n{title}\n{title}\n(2024年度)\n"
        "项目名称:示例补助资金\n一、项目基本情况\n项目资金到位10万元。\n"
    )
    doc = extract(text)
    assert doc.year is not None and doc.year.value == 2024
    assert any(p.text == title for p in doc.paras)


def test_a_header_running_through_the_pages_is_still_dropped() -> None:
    body = "".join(f"第{i}项工作已经完成并通过验收。\n" for i in range(1, 12))
    page = "示例县示例局内部资料\n" + body
    paras = paragraphs(page * 3)
    assert not any(p.text == "示例县示例局内部资料" for p in paras)


def test_a_line_cut_out_of_prose_whose_sentence_goes_on_is_no_title() -> None:
    doc = extract(
        "评价单位:示例县示例局\n"
        "一、根据县财政局通知要求,我单位认真开展自评自查工作。经\n"
        "查阅、核实有关账务及项目等执行情况,填写自评表格并综合分析,形\n"
        "成本项目评价报告。现将2024年度示例县示例局整体支出绩效自评情\n况报告如下:\n"
        "二、单位基本情况\n"
    )
    assert doc.kind == "department"


def test_a_title_on_the_line_after_a_cut_word_is_still_a_title() -> None:
    # the line before ends inside a word, but the title ends its line (no sentence after it)
    doc = extract(
        "示例县示例局关于\n示例补助资金项目绩效自评报告\n一、项目基本情况\n资金10万元。\n"
    )
    assert doc.kind == "project"
