"""Shapes users trip over (#13, read13): made-up texts.

General rules for kinds of text the real corpus showed across reports and provinces (traditional
copies, years said only in the body, units only as a publisher, transfer forms' money columns,
budgets in prose). Each has the shape and a near miss that must stay unread: a wrong value is worse
than none. The texts are written for the test, never copied from one report.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from jixiao.audit.extract import extract
from jixiao.audit.normalize import _TRADITIONAL, as_written, fold_traditional

# ---- a traditional copy: the label vocabulary folds as a whole ---------------------------------

# label words the reader looks for, typed in their traditional forms (none of them one report's)
LABELS = {
    "發放補助資金": "发放补助资金",
    "下達": "下达",
    "轉移支付": "转移支付",
    "全年預算數": "全年预算数",
    "全年執行數": "全年执行数",
    "年初預算數": "年初预算数",
    "預算執行率": "预算执行率",
    "實際完成值": "实际完成值",
    "年度指標值": "年度指标值",
    "偏差原因分析及改進措施": "偏差原因分析及改进措施",
    "自評得分": "自评得分",
    "評價等級": "评价等级",
    "填報單位": "填报单位",
    "主管部門": "主管部门",
    "實施單位": "实施单位",
    "資金總額": "资金总额",
    "財政撥款": "财政拨款",
    "編製數": "编制数",
    "實有人數": "实有人数",
    "到位資金": "到位资金",
    "結餘資金": "结余资金",
    "專項資金": "专项资金",
    "萬元": "万元",
    "億元": "亿元",
    "以後年度": "以后年度",
    "產出指標": "产出指标",
    "滿意度調查": "满意度调查",
    "驗收合格率": "验收合格率",
    "戶數": "户数",
    "發布機構": "发布机构",
    "信息來源": "信息来源",
}


def test_traditional_label_words_fold_to_the_readers_words() -> None:
    # before read13 the table held the handful of characters one copy showed: 發, 補, 轉, 達's
    # neighbours 結, 餘, 產 … stayed, and a label written with them was no label
    for traditional, simplified in LABELS.items():
        assert fold_traditional(traditional) == simplified, traditional


def test_the_fold_leaves_simplified_text_alone() -> None:
    # 著 and 乾 are simplified characters too (显著, 乾隆): never folded; and the table folds only
    # characters a simplified text (GB2312) never holds, so a simplified report is unchanged — but
    # 於 and 後, which GB2312 also lists, are no simplified report's spelling
    assert fold_traditional("成效显著,乾隆年间") == "成效显著,乾隆年间"
    seed = next(Path("/work/shared/seed").glob("*.txt"), None)
    sample = seed.read_text(encoding="utf-8") if seed else "某局2025年度部门整体支出绩效自评报告"
    assert fold_traditional(sample) == sample
    for source, target in _TRADITIONAL.items():
        char = chr(source)
        assert chr(target).encode("gb2312")  # folds to a simplified character
        if char not in "於後":
            try:
                char.encode("gb2312")
            except UnicodeEncodeError:
                continue
            raise AssertionError(f"{char} is a simplified character too")


def test_the_table_folds_only_to_the_readers_vocabulary() -> None:
    # the table is the vocabulary's traditional forms, not a list of one report's characters: every
    # character it folds to stands in a string the reader matches
    audit = Path(__file__).resolve().parent.parent
    vocabulary = set()
    for module in ("extract.py", "sheet.py", "checks.py", "normalize.py"):
        source = (audit / module).read_text(encoding="utf-8")
        # the table's own simplified row does not count
        source = re.sub(r"_TRADITIONAL = str\.maketrans\(.*?\n\)", "", source, flags=re.S)
        vocabulary.update(re.findall(r"[\u4e00-\u9fff]", source))
    assert {chr(t) for t in _TRADITIONAL.values()} <= vocabulary


TRANSFER = (
    "一、績效目標(biāo)分解下達(dá)情況\n"
    "2023年共下達(dá)補助資金246.2萬元,完成2023年度53戶計劃任務(wù)。\n"
    "二、績效目標(biāo)完成情況分析\n"
    "1、項目資金執(zhí)行情況分析。2023年全區(qū)共完成發(fā)放補助資金141.8萬元。\n"
)


def test_a_traditional_copys_subsidy_paid_out_is_the_spending() -> None:
    doc = extract(TRANSFER)
    assert doc.budget["executed"].value == Decimal("141.8")


def test_a_traditional_copys_planned_payment_is_no_spending() -> None:
    # near miss: what was planned or needed to be paid out is not what was paid
    for planned in ("計劃發(fā)放", "共需發(fā)放", "擬發(fā)放"):
        doc = extract(TRANSFER.replace("共完成發(fā)放", planned))
        assert "executed" not in doc.budget, planned


# ---- a traditional copy: names given as written ------------------------------------------------


def test_a_traditional_copys_unit_is_given_as_written_without_readings() -> None:
    text = (
        "2021年項目績效自評報告表(實施單位用)\n"
        "填報單位:示例市疾病預(yù)防控制中心\n填報日期:2022年3月18日\n"
        "項目名稱:示例公共衛(wèi)生服務項目\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例市疾病預防控制中心"
    assert doc.project_name is not None and doc.project_name.value == "示例公共衛生服務項目"


def test_a_name_its_lines_do_not_hold_is_not_given() -> None:
    # near miss: a name the reader put together (or read from other lines) is no text's spelling
    assert as_written(["填報單位:示例市疾病預防控制中心"], "示例市疾病预防控制中心") == (
        "示例市疾病預防控制中心"
    )
    assert as_written(["填報單位:示例市疾病預防控制中心"], "示例市卫生健康委员会") is None
    assert as_written(["示財發[2024]7號"], "示财发〔2024〕7号", docno=True) == "示財發〔2024〕7號"
    assert as_written(["示財發[2024]7號"], "示财发〔2024〕7号") is None


# ---- a unit named only as the page's publisher -------------------------------------------------

PUBLISHED = (
    "当前位置: 首页>>政府信息公开>>政府文件\n"
    "示例县省级示例资金转移支付2023年度绩效自评报告\n"
    "索引号 000000/2024-00001 发文字号\n"
    "关键词 发布机构 示例县民政局\n"
    "生成日期 2024-02-20 16:41:19 是否有效\n"
    "为规范示例资金管理,我局紧密围绕本部门职责开展了绩效自评。\n"
    "一、绩效目标分解下达情况\n2023年下达示例资金100万元。\n"
)


def test_a_publisher_is_the_unit_where_the_report_speaks_as_its_kind() -> None:
    # 发布机构 示例县民政局 over a text of 我局 (held13f's 民乐; a township's 我镇 likewise)
    doc = extract(PUBLISHED)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县民政局"
    town = PUBLISHED.replace("示例县民政局", "示例县东山镇").replace("我局", "我镇")
    doc = extract(town)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县东山镇"


def test_a_publisher_of_another_kind_or_a_finance_body_is_not_the_unit() -> None:
    # near misses: a bureau publishes its school's report (我校); a township publishes the city's
    # (我市, held13e's 无为); a report speaking for its county too (我局 … 我县) says no one kind;
    # a 财政局 publishes other units' reports under its own name; a publisher of another place
    for publisher, words in (
        ("示例县教育局", "我校"),
        ("示例市东山镇", "我市"),
        ("示例县民政局", "我局在我县"),
        ("示例县财政局", "我局"),
        ("别处县民政局", "我局"),  # another place than the title's (示例县…)
    ):
        text = PUBLISHED.replace("示例县民政局", publisher).replace("我局", words)
        assert extract(text).unit_name is None, (publisher, words)


# ---- a year said only in the body, of the unit itself ------------------------------------------

SELF_YEAR = (
    "示例中学专项资金绩效自评价报告\n一、基本情况\n"
    "(一)项目基本概况。我校2022年项目为一个:生均公用经费项目。\n"
    "(二)资金情况。我校2022年按生均1000元安排,共计239万元。\n"
)


def test_a_year_the_report_says_of_itself_is_the_year() -> None:
    doc = extract(SELF_YEAR)
    assert doc.year is not None and doc.year.value == 2022
    # 我局承担(的)某县2021年度…项目: the unit's task in its year
    text = "示例道路建设项目绩效自评报告\n一、资金情况\n我局承担的示例县2021年度道路建设项目实施任务。\n"
    doc = extract(text)
    assert doc.year is not None and doc.year.value == 2021


def test_a_date_a_plan_or_two_years_of_itself_give_no_year() -> None:
    # near misses: a month is a date (我校2023年3月…), a plan is next year's (将作为我校2023年…),
    # and two years said of itself say no one year
    for text in (
        SELF_YEAR.replace("我校2022年", "我校2023年3月"),
        SELF_YEAR.replace("我校2022年", "将作为我校2023年"),
        SELF_YEAR.replace("我校2022年按", "我校2023年按"),
    ):
        assert extract(text).year is None, text
    # a plan beside the year said of itself does not count against it
    doc = extract(SELF_YEAR.replace("我校2022年按", "将作为我校2023年"))
    assert doc.year is not None and doc.year.value == 2022


# ---- a transfer's money in its template sentences (下达 / 支付) ---------------------------------

PASSED = (
    "示例县省级示例公益金转移支付2023年度绩效自评报告\n"
    "一、绩效目标分解下达情况\n"
    "2023年下达省级示例公益金113万元,其中运营补贴项目48万元、服务站项目65万元。\n"
    "二、绩效目标完成情况分析\n"
    "1.运营补贴项目:2023年下达省级示例公益金48万元,到位资金48万元。\n"
    "2023年共支付省级示例公益金113万元,执行率达100%。\n"
)


def test_a_transfers_money_passed_down_and_paid_out() -> None:
    doc = extract(PASSED)
    assert doc.kind == "project"
    assert doc.budget["full_year"].value == Decimal(113)
    assert doc.budget["executed"].value == Decimal(113)
    # the giver before the verb: 2020年市财政共计下达单位市级项目资金60万元
    text = PASSED.replace(
        "2023年下达省级示例公益金113万元", "2023年市财政共计下达单位示例资金113万元"
    )
    assert extract(text).budget["full_year"].value == Decimal(113)
    # a comma after the year, the giver alone, a bracket in the fund's name:
    # 2023年,省下达我县示例强省(快乐健身)专项资金113万元
    text = PASSED.replace(
        "2023年下达省级示例公益金113万元", "2023年,省下达我县示例强省(快乐健身)专项资金113万元"
    )
    assert extract(text).budget["full_year"].value == Decimal(113)


def test_a_batch_a_part_another_year_or_a_plan_is_no_transfer_total() -> None:
    # near misses: a batch is not the year's total; a numbered part's figure is one project's; a
    # sentence of another year is another budget; a plan to pay is no payment
    total = "2023年下达省级示例公益金113万元,其中运营补贴项目48万元、服务站项目65万元。\n"
    for replaced, replacement in (
        (total, "2023年下达第一批省级示例资金50万元。\n"),
        (total, "2023年下达示例资金(其中中央资金50万元)。\n"),
        (total, ""),
        (total, total.replace("2023年", "2022年")),
    ):
        doc = extract(PASSED.replace(replaced, replacement))
        assert "full_year" not in doc.budget, replacement
    for paid in ("2023年计划支付", "2022年共支付"):
        doc = extract(PASSED.replace("2023年共支付", paid))
        assert "executed" not in doc.budget, paid


def test_a_departments_money_passed_down_is_not_read_so() -> None:
    # near miss: a department passes funds down to its units; its own budget is another figure
    text = (
        "示例县民政局2023年度部门整体支出绩效自评报告\n一、部门基本情况\n"
        "2023年下达乡镇示例补助资金113万元。\n"
    )
    assert "full_year" not in extract(text).budget


def test_a_transfer_without_its_title_takes_the_year_its_sentences_open_with() -> None:
    # a mirror kept no title: the template's sentences all open with the year evaluated
    untitled = PASSED.split("\n", 1)[1].replace("一、绩效目标", "一、示例资金转移支付绩效目标", 1)
    doc = extract(untitled)
    assert doc.kind == "project"
    assert doc.year is not None and doc.year.value == 2023
    assert doc.budget["full_year"].value == Decimal(113)


def test_transfer_sentences_of_two_years_give_no_year() -> None:
    # near misses: funds passed down one year and paid the next name no one year; a department's
    # sentences are no transfer's
    untitled = PASSED.split("\n", 1)[1].replace("一、绩效目标", "一、示例资金转移支付绩效目标", 1)
    assert extract(untitled.replace("2023年共支付", "2024年共支付")).year is None
    department = "一、部门基本情况\n我部门职能如下。\n2023年下达乡镇示例补助资金113万元。\n"
    assert extract(department).year is None


# ---- a programme named in the title --------------------------------------------------------------


def test_a_programme_in_the_title_is_the_project() -> None:
    # 2021年…民生工程绩效自评报告: the programme is the project, as a fund is (…资金绩效自评报告)
    for title, name in (
        ("2021年示例妇女儿童健康提升民生工程绩效自评报告", "示例妇女儿童健康提升民生工程"),
        ("2022年度示例县三支一扶计划绩效自评报告", "示例县三支一扶计划"),
    ):
        doc = extract(title + "\n一、目标任务\n全年完成示例任务。\n")
        assert doc.project_name is not None and doc.project_name.value == name, title


def test_a_programmes_kind_alone_names_no_project() -> None:
    # near misses: words that name a kind of programme (重点民生工程, 财政专项) are no project's name
    for title in ("2021年重点民生工程绩效自评报告", "2022年度省级财政专项绩效自评报告"):
        doc = extract(title + "\n一、目标任务\n全年完成示例任务。\n")
        assert doc.project_name is None, title


# ---- a budget in prose: the total with its parts in brackets ------------------------------------

BRACKETED = (
    "示例局环境治理专项资金绩效自评报告\n一、专项资金概况\n"
    "示例整治行动资金800万元(财政预算740万元,年底追加示例村资金60万元),主要用于环境整治。\n"
)


def test_a_total_with_its_budget_and_addition_in_brackets() -> None:
    doc = extract(BRACKETED)
    assert doc.budget["full_year"].value == Decimal(800)
    assert doc.budget["initial"].value == Decimal(740)


def test_bracketed_parts_that_do_not_add_up_give_nothing() -> None:
    # near misses: parts that do not make the total (a typo, or not the parts of it), and a
    # bracket with the budget alone, are not read as the year's budgets
    for text in (
        BRACKETED.replace("740万元", "700万元"),
        BRACKETED.replace(",年底追加示例村资金60万元", ""),
    ):
        doc = extract(text)
        assert "full_year" not in doc.budget and "initial" not in doc.budget, text


# ---- a form's title names its unit -------------------------------------------------------------


def test_a_forms_title_names_its_unit() -> None:
    # 某局2024年度某资金绩效评价表 / 某局2023年度部门整体绩效自评表: the unit first, as in a report's title
    for title in (
        "示例市东山区林业局2024年度示例改革发展资金绩效评价表",
        "示例市东山区林业局2023年度部门整体绩效自评表",
    ):
        doc = extract(title + "\n年度:2024年\n资金投入情况\n")
        assert doc.unit_name is not None and doc.unit_name.value == "示例市东山区林业局", title


def test_a_form_named_in_prose_or_without_a_place_names_no_unit() -> None:
    # near misses: a form cited in a sentence is another unit's; a name without its place is a
    # centre's short name or a project's
    for text in (
        "一、基本情况\n根据要求,我单位协助填写了示例县民政局2024年度项目绩效自评表。\n",
        "技能鉴定中心2024年度示例资金绩效评价表\n年度:2024年\n",
    ):
        assert extract(text).unit_name is None, text


def test_a_sentences_subject_before_a_cited_title_is_no_unit() -> None:
    # near miss (also for a report's title): 我单位协助撰写了某局2024年度…报告 names no unit 我单位…
    text = "一、基本情况\n根据要求,我单位协助撰写了示例县民政局2024年度项目绩效自评报告。\n"
    doc = extract(text)
    assert doc.unit_name is None or not doc.unit_name.value.startswith("我")


# ---- a transfer form's funds row, read where its figures check each other -----------------------

FUNDS = (
    "示例市示例区林业局2024年度示例改革发展资金绩效评价表\n年度:2024年\n资金投入情况\n(万元)\n"
    "行次 全年预算数\n(A)\n统筹整合资金数\n(B)\n扣除统筹整合资金后预算金额\n(C)\n全年到位资金\n(D)\n"
    "预算到位\n(D/C×100%)\n全年执行资金\n(E)\n预算执行\n(E/C×100%)\n佐证材料\n"
    "年度资金总额(万元): 1 52.800000\n52.800000 52.800000 100.00% 30.800000 58.33%\n"
    "其中:中央财政资金(万元) 2 52.800000\n52.800000 52.800000 100.00% 30.800000 58.33%\n"
)


def test_two_decimal_figures_on_two_lines_are_two_cells() -> None:
    # 52.800000 / 52.800000 joined tight would be one run with two decimal points: never a number
    from jixiao.audit.normalize import paragraphs

    text = paragraphs("年度资金总额(万元): 1 52.800000\n52.800000 52.800000 100.00%\n")[0].text
    assert "52.800000 52.800000 52.800000" in text
    # a number a pdf wrapped inside stays one (18 / 969人次)
    assert "18969人次" in paragraphs("新增证书18\n969人次\n")[0].text


def test_a_transfer_forms_funds_row_that_checks_is_read() -> None:
    doc = extract(FUNDS)
    assert doc.budget["full_year"].value == Decimal("52.8")
    assert doc.budget["executed"].value == Decimal("30.8")
    assert [r.percent for r in doc.rates if r.kind == "execution"] == [Decimal("58.33")]


def test_a_funds_row_that_does_not_check_or_leads_with_the_initial_budget_reads_nothing() -> None:
    # near misses: a rate that is not the spending's share of the budget (the row's cells cannot be
    # placed), and a header whose first amount column is the initial budget
    for text in (
        FUNDS.replace("30.800000 58.33%\n其中", "30.800000 60.00%\n其中"),
        FUNDS.replace("行次 全年预算数", "行次 年初预算数\n全年预算数"),
    ):
        doc = extract(text)
        assert "full_year" not in doc.budget and "executed" not in doc.budget, text


def test_a_sentence_of_itself_naming_another_year_too_gives_no_year() -> None:
    # near miss: 对我局2020年度…,开展了2019年度项目绩效自评 names two years in the one sentence
    text = "示例局绩效自评报告\n一、基本情况\n对我局2020年度部门整体支出进行评价,开展了2019年度项目绩效自评。\n"
    assert extract(text).year is None


# ---- a funds row whose cells a pdf ran together, cut where one cut checks ------------------------

GLUED = (
    "示例项目支出绩效自评表\n项目名称示例水标尺安装项目主管部门示例县水利局实施单位示例县水利局"
    "资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:{row}其中:本年财政拨款\n"
)


def test_a_glued_funds_row_cut_where_its_cells_check() -> None:
    # 20 | 20 | 10 | 100.00% | 10: the only cut where 20 ÷ 20 is 100.00 % and 10 × 100 % is 10
    doc = extract(GLUED.format(row="202010100.00%10"))
    assert doc.budget["full_year"].value == Decimal(20)
    assert doc.budget["executed"].value == Decimal(20)
    assert [r.percent for r in doc.rates if r.kind == "execution"] == [Decimal("100.00")]
    # no 分值 column: 1000 | 1000 | 100% | 20 under 预算数(A) 执行数(B) 执行率 得分
    text = "预算执行情况(万元)预算数(A)执行数(B)执行率(B/A)得分年度财政资金总额10001000100%20度\n"
    doc = extract(text)
    assert doc.budget["full_year"].value == Decimal(1000)
    assert doc.budget["executed"].value == Decimal(1000)


def test_a_glued_row_no_cut_checks_or_with_an_initial_column_reads_nothing() -> None:
    # near misses: a printed rate no cut gives (the row's figures or its rate are wrong: not read,
    # and not guessed), a header with 年初预算数 (one more column to place)
    for text in (
        GLUED.format(row="202010090.00%10"),
        GLUED.replace("全年预算数(A)", "年初预算数全年预算数(A)").format(row="202010100.00%10"),
    ):
        doc = extract(text)
        assert "full_year" not in doc.budget and "executed" not in doc.budget, text
    # a row with 万元 inside is no glued run: its spending and rate (47.68 | 95.00%, or 47.689 |
    # 5.00%) are not cut (the budget before 万元 is the 全年预算 lead's)
    doc = extract(GLUED.format(row="50万元47.6895.00%"))
    assert "executed" not in doc.budget
    assert not [r for r in doc.rates if r.kind == "execution"]
