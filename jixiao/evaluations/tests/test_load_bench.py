"""bench/load.py's own arithmetic and checks (issue 14): the percentiles it prints, the lost-write
checker, and that the form it posts is the one the real autosave endpoint acknowledges (CSRF
enforced, as a browser sends it) — so the load test measures saves that really happen."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


def _load_bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = _load_bench()


def test_percentiles_interpolate_between_ranks():
    values = list(range(100, 0, -1))  # 100 … 1, unordered input
    assert load.percentile(values, 50) == pytest.approx(50.5)
    assert load.percentile(values, 95) == pytest.approx(95.05)
    assert load.percentile(values, 99) == pytest.approx(99.01)
    assert load.percentile(values, 0) == 1
    assert load.percentile(values, 100) == 100
    assert load.percentile([7.0], 95) == 7.0
    assert load.percentile([10.0, 20.0], 50) == 15.0
    with pytest.raises(ValueError):
        load.percentile([], 50)
    with pytest.raises(ValueError):
        load.percentile([1.0], 101)


def test_worker_memory_reads_the_booted_workers_from_proc():
    """The pids come from gunicorn's log; a worker gone (replaced, or never real) is left out."""
    import os

    if not Path(f"/proc/{os.getpid()}/status").exists():
        pytest.skip("no /proc here")
    log = (
        f"[INFO] Booting worker with pid: {os.getpid()}\n"
        "[INFO] Booting worker with pid: 999999999\n"
    )
    found = load.worker_memory(log)
    assert [pid for pid, _peak, _now in found] == [os.getpid()]
    ((_pid, peak, now),) = found
    assert 10 * 1024 < now <= peak  # KiB: this interpreter holds more than 10 MiB
    assert load.worker_memory("no worker booted") == []


def test_lost_write_checker():
    WriteLog = load.WriteLog
    fine = WriteLog()
    fine.sent("a")
    fine.acknowledged("a", 3)
    older = WriteLog()
    older.sent("b1")
    older.acknowledged("b1", 4)
    older.sent("b2")
    older.acknowledged("b2", 5)
    behind = WriteLog()
    behind.sent("c")
    behind.acknowledged("c", 9)
    timed_out = WriteLog()  # acknowledged d1; d2's answer never came, the server stored it
    timed_out.sent("d1")
    timed_out.acknowledged("d1", 2)
    timed_out.sent("d2")
    never = WriteLog()  # sent, never acknowledged: nothing was promised
    never.sent("e")
    gone = WriteLog()
    gone.sent("f")
    gone.acknowledged("f", 1)
    logs = {1: fine, 2: older, 3: behind, 4: timed_out, 5: never, 6: gone}
    stored = {
        1: ("a", 3),
        2: ("b1", 5),  # the acknowledged b2 was lost
        3: ("c", 8),  # a version behind the acknowledgement
        4: ("d2", 3),
        5: ("old", 1),
    }
    problems = load.lost_writes(logs, stored)
    assert problems == [
        "evaluation 2: holds 'b1', the last acknowledged value was 'b2' (version 5)",
        "evaluation 3: version 8 behind the acknowledged 9",
        "evaluation 6: gone (last acknowledged version 1)",
    ]
    assert load.lost_writes({1: fine, 4: timed_out}, {1: ("a", 4), 4: ("d1", 2)}) == []


def test_the_bench_form_is_what_the_autosave_endpoint_acknowledges(world):
    editor = world.editor
    editor.set_password(load.PASSWORD)
    editor.save()
    client = Client(enforce_csrf_checks=True)
    login_page = client.get(reverse("login")).content.decode()
    token = load.form_fields(login_page, "-").csrf
    response = client.post(
        reverse("login"),
        {"csrfmiddlewaretoken": token, "username": "editor", "password": load.PASSWORD},
    )
    assert response.status_code == 302

    e = world.evaluation
    edit = reverse("evaluations:edit", args=[e.pk, load.SECTION])
    form = load.form_fields(client.get(edit).content.decode(), "entry-form")
    names = [name for name, _v in form.fields]
    assert load.FIELD in names and "version" in names and "window" in names
    version = dict(form.fields)["version"]
    autosave = reverse("evaluations:autosave", args=[e.pk, load.SECTION])
    log = load.WriteLog()
    for n in (1, 2):
        value = f"负载测试 第{n}次"
        post = load.autosave_post(form.fields, value, version)
        log.sent(value)
        response = client.post(
            autosave,
            urlencode(post),
            content_type="application/x-www-form-urlencoded",
            HTTP_X_CSRFTOKEN=form.csrf,
            HTTP_HX_REQUEST="true",
        )
        stored = load.acknowledged_version(response.status_code, response.content.decode())
        assert stored is not None, response.content.decode()
        log.acknowledged(value, stored)
        version = str(stored)
    e.refresh_from_db()
    assert e.data["other"] == "负载测试 第2次"
    assert e.version == log.acked_version == 3
    assert load.lost_writes({e.pk: log}, {e.pk: (e.data["other"], e.version)}) == []
    # A post without the token is refused, and an answer that stored nothing is no acknowledgement.
    refused = Client(enforce_csrf_checks=True)
    refused.force_login(editor)
    assert refused.post(autosave, dict(post)).status_code == 403
    assert load.acknowledged_version(200, '<span class="failed">未自动保存</span>') is None


def test_server_times_read_gunicorns_access_lines_per_route():
    lines = [
        "LOADBENCH POST /evaluations/63/edit/other/autosave/ 200 120500",
        "LOADBENCH POST /evaluations/64/edit/other/autosave/ 200 80000",
        "LOADBENCH POST /evaluations/63/edit/other/score/ 200 50000",
        "LOADBENCH GET /evaluations/63/edit/other/ 200 300000",
        "LOADBENCH GET /evaluations/63/ 200 90000",
        "LOADBENCH GET /evaluations/ 200 70000",
        "LOADBENCH GET /campaigns/overview/ 200 400000",
        "LOADBENCH GET /campaigns/6/ 200 200000",
        "LOADBENCH POST /reviews/633/transition/submit/ 302 150000",
        "LOADBENCH GET /unknown/ 404 1000",
        '127.0.0.1 - - [29/Nov/2026:15:31:06 +0800] "GET /healthz HTTP/1.1" 200 16',
        "[INFO] celery@host ready.",
    ]
    times = load.server_times(lines)
    assert times == {
        "autosave": [120.5, 80.0],
        "live score": [50.0],
        "edit page": [300.0],
        "evaluation page": [90.0],
        "evaluation list": [70.0],
        "overview": [400.0],
        "progress (department and bureau)": [200.0],
        "submit": [150.0],
        "GET /unknown/": [1.0],
    }
