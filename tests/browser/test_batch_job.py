"""批量生成自评材料 in a real browser, on the embedded (thread) runner: the request answers at once,
the job page refreshes itself (htmx, no inline script) through its progress, and ends with the
failed unit counted as a failure and listed with its reason."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from jixiao.conftest import World
from jixiao.documents import batch
from jixiao.jobs.models import Job
from jixiao.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _sqlite_readers_wait_for_nobody() -> Iterator[None]:
    """The test database is SQLite in memory with a shared cache, where a reader meets a writer's
    table lock with an immediate "table is locked" (a file database waits instead). The job's
    thread writes while the page polls: let readers read without table locks here."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    def readers_do_not_lock(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor == "sqlite":
            connection.cursor().execute("PRAGMA read_uncommitted = 1")

    if connection.vendor != "sqlite":
        yield
        return
    connection_created.connect(readers_do_not_lock)
    connection.cursor().execute("PRAGMA read_uncommitted = 1")
    try:
        yield
    finally:
        connection_created.disconnect(readers_do_not_lock)


@pytest.mark.usefixtures("_sqlite_readers_wait_for_nobody")
def test_batch_job_shows_progress_and_the_failed_unit(
    page: Any, live_server: Any, world: World, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)
    settings.MEDIA_ROOT = str(tmp_path)
    settings.JIXIAO_JOBS_RUNNER = "thread"  # what runs without a broker: never inside the request
    settings.JIXIAO_JOBS_HEARTBEAT_SECONDS = 60  # the gate below is short; no beats needed
    broken = world.foreign_evaluation
    broken.data["budget"] = {"rows": [{"source": "当年财政拨款", "initial": "-1"}]}
    broken.save()

    # Hold the second unit until the page has shown the first one done, so the progress the user
    # sees is observed, not raced.
    gate = threading.Event()
    calls: list[int] = []
    real = batch.render_package

    def render(evaluation, result, formats, *, ruleset=None):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            gate.wait(timeout=60)
        return real(evaluation, result, ["txt"], ruleset=ruleset)

    monkeypatch.setattr(batch, "render_package", render)

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(world.bureau_admin.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    page.goto(live_server.url + reverse("campaigns:detail", args=[world.campaign.pk]))
    page.get_by_role("button", name="批量生成自评材料").click()

    job = Job.objects.get()
    expect(page).to_have_url(live_server.url + reverse("jobs:detail", args=[job.pk]))
    card = page.locator(f"#job-{job.pk}")
    # Running, one unit done, a progress bar: the page refreshed itself to get here.
    expect(card.locator(".job-state")).to_contain_text("进行中")
    expect(card.locator(".job-state")).to_contain_text("成功 1，")
    expect(card.locator(".job-state")).to_contain_text("共 3")
    expect(card.locator("progress")).to_have_attribute("max", "3")
    expect(card).to_have_attribute("data-state", "running")
    gate.set()

    expect(card).to_have_attribute("data-state", "done")
    expect(card.locator(".job-state")).to_contain_text("成功 2，失败 1，共 3")
    failures = card.locator(".job-failures")
    expect(failures).to_contain_text(world.foreign_unit.name)
    reason = Job.objects.get(pk=job.pk).failures[0]["reason"]
    assert reason
    expect(failures).to_contain_text(reason)
    expect(card.get_by_role("link", name="下载结果")).to_be_visible()
    expect(card).not_to_have_attribute("hx-trigger", "every 2s")  # polling stops when it ends
    page.goto("about:blank")  # no request may reach the live server after the test's database
