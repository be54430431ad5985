"""The demo (manage.py load_demo) shows 撤回公开: one 2024 report withdrawn with its reason, time
and the SHA-256 of the files the public read, and its corrected version published beside it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jixiao.evaluations.models import Status
from jixiao.reviews.models import Publication
from jixiao.web.management import demo_data as demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_withdrawn_publication_and_its_corrected_version(client) -> None:
    call_command("load_demo", stdout=io.StringIO())
    v1, v2 = Publication.objects.filter(unit_name=demo.CORRECTED_2024_UNIT).order_by("version")
    assert (v1.version, v2.version) == (1, 2)
    assert v1.withdrawal_reason == demo.WITHDRAWAL_REASON_2024
    assert timezone.localtime(v1.withdrawn_at) == timezone.make_aware(dt.datetime(2025, 8, 12, 10))
    assert v2.withdrawn_at is None and v2.evaluation.status == Status.PUBLISHED
    assert v2.evaluation.campaign.year == 2024
    kept = {d.format: d.sha256 for d in v1.withdrawn_documents.all()}
    assert kept and all(len(sha) == 64 for sha in kept.values())
    # The corrected report's files are new files: the report itself (docx, pdf) carries the
    # corrected text. The 评分表 holds no text and may come out byte for byte the same (on a fast
    # machine both versions are frozen within one second, the files' own timestamp).
    current = {d.format: d.sha256 for d in v2.evaluation.frozen_documents.all()}
    assert current.keys() == kept.keys()
    assert all(current[f] != kept[f] for f in ("docx", "pdf"))
    # The corrected text says the year's own figures (421.35 of 436.20 万元).
    analyses = {a["title"]: a["text"] for a in v2.evaluation.data["analyses"]}
    assert analyses["预算执行情况"].startswith("全年执行 421.35 万元，预算执行率 96.6%。")

    page = client.get(reverse("portal:detail", args=[v1.pk])).content.decode()
    assert 'id="withdrawn"' in page
    assert "2025-08-12 10:00" in page and demo.WITHDRAWAL_REASON_2024 in page
    assert all(sha in page for sha in kept.values())
    assert client.get(reverse("portal:download", args=[v1.pk, "pdf"])).status_code == 410
    corrected = client.get(reverse("portal:detail", args=[v2.pk])).content.decode()
    assert "第 2 版" in corrected and reverse("portal:detail", args=[v1.pk]) in corrected
    index = client.get(reverse("portal:index") + "?year=2024").content.decode()
    assert "已撤回" in index

    call_command("load_demo", stdout=io.StringIO())  # idempotent: nothing withdrawn twice
    assert Publication.objects.filter(unit_name=demo.CORRECTED_2024_UNIT).count() == 2
