"""Issue 8.17: the scoring core's flags, problems and reasons, and the shipped rule-sets' indicator
names, in the English UI — translated at the edge, the Chinese UI, documents and the CLI unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from jixiao.evaluations.models import Evaluation
from jixiao.testing import factories as f
from jixiao.testing.factories import PASSWORD
from jixiao.web.scoring_text import scoring_text
from scoring.engine import score_evaluation
from scoring.loading import shipped_rulesets
from scoring.messages import N_, Msg, Term
from scoring.tests.factories import seed

pytestmark = pytest.mark.django_db

OVER = "完成率 158.08% 超过 150%，偏离度过大（目标可能设定偏低），已说明原因"
OVER_EN = (
    "Completion rate 158.08% exceeds 150%, too far from the target (it may have been set too "
    "low); reason given"
)


@pytest.fixture(autouse=True)
def _back_to_chinese() -> Iterator[None]:
    yield
    translation.activate(settings.LANGUAGE_CODE)


def signed_in(client, user, language: str):  # type: ignore[no-untyped-def]
    assert client.login(username=user.username, password=PASSWORD)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


def test_a_flag_is_chinese_text_with_a_template_and_parameters() -> None:
    result = score_evaluation(seed(), shipped_rulesets()["gd-department@2025.1"])
    t1 = next(i for i in result.indicators if i.code == "T1")
    [flag] = t1.flags
    assert flag.message == OVER  # documents and the CLI print exactly this
    assert isinstance(flag.message, Msg)
    assert flag.message.template == (
        "完成率 {rate}% 超过 {limit}%，偏离度过大（目标可能设定偏低），已说明原因"
    )
    b2 = next(i for i in result.indicators if i.code == "B2")
    assert (b2.name, b2.name.en) == ("在职人员控制率", "Staffing control rate")  # type: ignore[attr-defined]


def test_scoring_text_translates_the_template_then_substitutes() -> None:
    message = Msg(
        N_("{name}：{message}"),
        name=Term("预算完成率", "Budget completion rate"),
        message=Msg(N_("未评分：{why}"), why=Msg(N_("缺少实际完成值"))),
    )
    with translation.override("en"):
        assert scoring_text(message) == "Budget completion rate: Not scored: no actual value"
    with translation.override("zh-hans"):
        assert scoring_text(message) == "预算完成率：未评分：缺少实际完成值"
    # Plain text (user input, already translated strings) passes through untouched.
    with translation.override("en"):
        assert scoring_text("单位填写的说明") == "单位填写的说明"


def test_every_shipped_indicator_has_an_english_name() -> None:
    missing = [
        f"{ref} {node.code}"
        for ref, ruleset in shipped_rulesets().items()
        for _, node in ruleset.walk()
        if not node.name_en
    ]
    assert missing == []
    assert all(r.name_en for r in shipped_rulesets().values())


def test_the_english_detail_page_shows_flags_and_indicator_names_in_english(client, world):
    html = (
        signed_in(client, world.editor, "en")
        .get(reverse("evaluations:detail", args=[world.evaluation.pk]))
        .content.decode()
    )
    assert OVER_EN in html  # the flag's title; its cell shows the start of it
    assert "Staffing control rate" in html and "Budget preparation" in html
    assert "在职人员控制率" not in html and OVER not in html


def test_the_english_entry_panel_shows_problems_in_english(client, world):
    data = f.seed_evaluation_data()
    data["targets"][2]["actual"] = "4000"  # T2 missed, no explanation
    data["assessments"] = [a for a in data["assessments"] if a["code"] != "S1"]
    Evaluation.objects.filter(pk=world.evaluation.pk).update(data=data)
    html = (
        signed_in(client, world.editor, "en")
        .get(reverse("evaluations:edit", args=[world.evaluation.pk, "targets"]))
        .content.decode()
    )
    assert (
        "新增取得高级工及以上职业技能等级认定证书: Annual target not met (target 4400, actual 4000); "
        "the reasons for the gap and the improvements are required"
    ) in html  # the unit's own target name stays as typed
    assert (
        "Qualitative indicator “Disclosure of budgets and final accounts” has not been scored yet"
        in html
    )
    assert "未达成年度指标值" not in html


def test_the_chinese_ui_is_unchanged(client, world):
    html = (
        signed_in(client, world.editor, "zh-hans")
        .get(reverse("evaluations:detail", args=[world.evaluation.pk]))
        .content.decode()
    )
    assert OVER in html and "在职人员控制率" in html
    assert OVER_EN not in html and "Staffing control rate" not in html


def test_the_submission_checklist_in_english(client, world):
    data = f.seed_evaluation_data()
    data["targets"][2]["actual"] = "4000"
    Evaluation.objects.filter(pk=world.evaluation.pk).update(data=data)
    html = (
        signed_in(client, world.head, "en")
        .get(reverse("evaluations:detail", args=[world.evaluation.pk]))
        .content.decode()
    )
    assert "Annual target not met (target 4400, actual 4000)" in html
