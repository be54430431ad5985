"""#8.17: an 操作日志 sentence is stored in Chinese and read in the viewer's language."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from jixiao.activity.models import Event
from jixiao.activity.texts import log_text, summary_in_language
from jixiao.reviews import workflow
from jixiao.reviews.services import transition


def test_the_sentence_is_chinese_whatever_the_actors_language(world):
    with translation.override("en"):
        transition(user=world.head, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    event = Event.objects.filter(action="evaluation.submit").get()
    assert event.summary.startswith("审定并报送：")  # the step's label, in Chinese, as recorded
    stored = event.summary_text
    assert stored["template"] == "{label}：{evaluation}" and stored["words"] == ["label"]


def test_the_log_page_reads_it_in_english(client, world):
    transition(user=world.head, evaluation_id=world.evaluation.pk, action=workflow.SUBMIT)
    event = Event.objects.filter(action="evaluation.submit").get()
    with translation.override("en"):
        english = summary_in_language(event.summary, event.summary_text)
    assert english.startswith("Approve and submit: ")
    assert str(world.evaluation.unit.name) in english  # names are data, as recorded
    client.force_login(world.bureau_admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("activity:list")).content.decode()
    assert english in page and event.summary not in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert event.summary in client.get(reverse("activity:list")).content.decode()


def test_a_plain_or_unknown_sentence_is_shown_as_recorded():
    with translation.override("en"):
        assert summary_in_language("旧记录", {}) == "旧记录"
        broken = {"template": "{missing}", "params": {}, "words": []}
        assert summary_in_language("原文", broken) == "原文"
        made = log_text("修改项目：{name}", name="职业技能提升")
        assert str(made) == "修改项目：职业技能提升"
