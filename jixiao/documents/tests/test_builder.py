"""The report model and its text: the seed's outline, every seed figure, nothing dropped."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.documents.builder import build_report, parse_markup, trim_tag_lines
from jixiao.documents.report_model import Heading, Paragraph, Table
from scoring import SelfEvaluation, score_evaluation

from .conftest import project_evaluation, project_ruleset

# Every figure of the seed report (shared/seed/*.txt), as our text writes it.
SEED_FIGURES = [
    "2025",
    "湛江市职业技能鉴定指导中心",
    "2026年5月21日",
    "湛财绩〔2026〕2号",
    "编制7人，实有5人",
    "25478人次",
    "18969人次，完成全年任务数的158.08%",
    "5570人次，完成全年任务数的126.59%",
    "354人次，完成全年任务数的114.19%",
    "其中评聘特级技师6人",
    "年初预算33.28万元",
    "全年预算（调整后）38.45万元",
    "全年实际支出38.45万元",
    "支出完成率100%",
    "预算调整率15.53%",
    "本次整体绩效自评得分98分，绩效评价等级为优秀。",
    "湛财评〔2019〕26号",
]


@pytest.mark.parametrize("figure", SEED_FIGURES)
def test_text_contains_every_seed_figure(seed_text: str, figure: str) -> None:
    assert figure in seed_text


def test_outline_follows_the_seed(seed_report) -> None:
    headings = [(b.level, b.text) for b in seed_report.blocks if isinstance(b, Heading)]
    assert headings == [
        (1, "一、单位基本情况"),
        (2, "（一）单位机构设置、部门职能情况"),
        (2, "（二）年度总体工作和重点工作任务"),
        (2, "（三）部门整体支出绩效目标"),
        (2, "（四）部门整体支出情况"),
        (1, "二、自评工作开展情况"),
        (2, "（一）评价小组情况"),
        (2, "（二）自评工作过程"),
        (2, "（三）自评材料报送时间及质量"),
        (2, "（四）自评材料报送及公开一致情况"),
        (1, "三、绩效自评情况"),
        (2, "（一）自评结果"),
        (2, "（二）部门整体支出绩效指标分析"),
        (2, "（三）主要做法和经验"),
        (2, "（四）存在问题"),
        (2, "（五）改进措施"),
        (1, "四、其他自评情况"),
    ]
    assert seed_report.title == "部门整体支出绩效自评报告"
    assert seed_report.cover_lines == (
        "评价年度：2025年",
        "评价单位（公章）：湛江市职业技能鉴定指导中心",
        "填报日期：2026年5月21日",
    )
    assert seed_report.warnings == ()


def test_opening_cites_the_notice(seed_report) -> None:
    opening = seed_report.blocks[0]
    assert isinstance(opening, Paragraph)
    assert opening.text.startswith(
        "根据《湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知》（湛财绩〔2026〕2号）要求，"
    )


def test_targets_sentence_is_generated_from_the_targets(seed_report) -> None:
    assert (
        Paragraph(
            text="2025年参加职业技能等级认定人次数是25478人次，新增取得职业技能等级认定证书18969人次，"
            "完成全年任务数的158.08%，其中，新增取得高级工及以上职业技能等级认定证书5570人次，"
            "完成全年任务数的126.59%；新增取得技师及以上职业技能等级认定证书354人次，"
            "完成全年任务数的114.19%，其中评聘特级技师6人。"
        )
        in seed_report.blocks
    )


def test_analysis_items_carry_their_group_figures(seed_report) -> None:
    leads = {p.lead: p.text for p in seed_report.paragraphs if p.lead.startswith(("1.", "2."))}
    execution = leads["2.预算执行情况"]
    assert "支出完成率100%，预算调整率15.53%。本项得分30分（分值30分）。" in execution
    assert leads["1.预算编制情况"].endswith("本项得分19分（分值20分）。")


def test_changed_figures_change_the_text(seed: SelfEvaluation, seed_result) -> None:
    """No figure is typed into the template: edit the data and the sentence follows."""
    targets = list(seed.targets)
    targets[1] = targets[1].model_copy(update={"actual": Decimal(13000)})
    edited = seed.model_copy(update={"targets": tuple(targets)})
    from scoring import find_ruleset

    text = "\n".join(
        p.full_text
        for p in build_report(
            edited, score_evaluation(edited, find_ruleset(edited.ruleset))
        ).paragraphs
    )
    assert "新增取得职业技能等级认定证书13000人次，完成全年任务数的108.33%" in text
    assert "18969" not in text


def test_missing_explanation_is_marked_not_dropped(seed: SelfEvaluation, seed_result) -> None:
    from scoring import find_ruleset

    budget = seed.budget.model_copy(update={"change_reason": ""})
    targets = list(seed.targets)
    targets[1] = targets[1].model_copy(update={"explanation": ""})
    edited = seed.model_copy(update={"budget": budget, "targets": tuple(targets)})
    report = build_report(edited, score_evaluation(edited, find_ruleset(edited.ruleset)))
    text = "\n".join(p.full_text for p in report.paragraphs)
    assert "增加的主要原因是【待补充：预算调整原因】。" in text
    assert "原因及改进措施：【待补充：偏差原因分析及改进措施】" in text
    assert report.warnings == (
        "报告中偏差原因分析及改进措施尚未填写",
        "报告中预算调整原因尚未填写",
    )


def test_markup_parsing() -> None:
    report = parse_markup(
        "!title 标题\n!cover 评价年度：2025年\n\n# 一、甲\n## （一）乙\n第一行\n接第二行\n\n"
        "**1.要点** 正文\n\n!table nope\n",
        "department",
    )
    assert report.title == "标题"
    assert report.cover_lines == ("评价年度：2025年",)
    assert report.blocks[:4] == (
        Heading(1, "一、甲"),
        Heading(2, "（一）乙"),
        Paragraph("第一行接第二行"),
        Paragraph("正文", lead="1.要点"),
    )
    assert report.blocks[4] == Paragraph("【待补充：未知表格 nope】")
    assert Paragraph("正文", lead="1.要点").full_text == "1.要点　正文"
    assert Paragraph("正文", lead="1.要点。").full_text == "1.要点。正文"


def test_tag_only_lines_do_not_split_paragraphs() -> None:
    assert (
        trim_tag_lines("a\n{% if x %}\nb\n  {% endif %}  \nc\n") == "a\n{% if x %}b\n{% endif %}c"
    )


def test_project_report_renders() -> None:
    evaluation = project_evaluation()
    result = score_evaluation(evaluation, project_ruleset())
    # 40 × 720/800 = 36, 20, 27 (定性), 10 × 85.5% = 8.55
    assert result.total == Decimal("91.55")
    report = build_report(evaluation, result)
    assert report.title == "项目支出绩效自评报告"
    assert report.cover_lines[0] == "项目名称：职业技能培训补贴"
    text = "\n".join(p.full_text for p in report.paragraphs)
    assert (
        "年初预算120.00万元，全年预算（调整后）100.00万元，全年执行85.50万元，预算执行率85.5%"
        in text
    )
    assert "预算调整率-16.67%" in text
    assert (
        "1.培训人次　年度指标值800人次，实际完成值720人次，完成率90%，得分36分（分值40分）。"
        in text
    )
    assert "本项目绩效自评得分91.55分，绩效评价等级为优秀。" in text
    assert "全年培训城乡劳动者720人次。" in text
    tables = [b for b in report.blocks if isinstance(b, Table)]
    assert [t.caption for t in tables] == ["项目资金情况（万元）", "绩效指标完成及得分情况"]
    assert tables[1].rows[-1] == ("合计", "", "", "", "", "100", "91.55")
    assert report.warnings == (
        "报告中预算调整原因尚未填写",
        "报告中执行率偏低的原因尚未填写",
        "报告中偏差原因分析及改进措施尚未填写",
    )


def test_a_bureau_template_in_templates_dir_wins(seed, seed_result, settings, tmp_path) -> None:
    from jixiao.documents.builder import report_engine

    own = tmp_path / "documents" / "report" / "department.txt"
    own.parent.mkdir(parents=True)
    own.write_text(
        "{% load report_format %}\n!title 本局格式的报告\n\n# 一、概况\n\n"
        "{{ unit.name }}得分{{ result.total|number }}分。\n",
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    report_engine.cache_clear()
    try:
        report = build_report(seed, seed_result)
    finally:
        report_engine.cache_clear()
    assert report.title == "本局格式的报告"
    assert report.blocks == (
        Heading(1, "一、概况"),
        Paragraph("湛江市职业技能鉴定指导中心得分98分。"),
    )
