"""Sign-in: Argon2 in production, throttled after repeated failures, home page per role."""

from __future__ import annotations

from django.urls import reverse

from jixiao.testing.factories import PASSWORD


def test_production_hashes_passwords_with_argon2_one_hash_at_a_time(settings):
    import threading
    import time

    from django.contrib.auth.hashers import (
        Argon2PasswordHasher,
        check_password,
        get_hasher,
        make_password,
    )

    import config.settings as production
    from jixiao.accounts import hashers

    assert (
        production.PASSWORD_HASHERS[0] == "jixiao.accounts.hashers.OneAtATimeArgon2PasswordHasher"
    )
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    ours = get_hasher("default")
    assert isinstance(ours, Argon2PasswordHasher) and ours.algorithm == "argon2"
    # The same hashes as Django's own: existing passwords verify, new ones verify there.
    assert check_password("口令-甲-2026", Argon2PasswordHasher().encode("口令-甲-2026", "salt" * 4))
    assert Argon2PasswordHasher().verify("口令-乙-2026", make_password("口令-乙-2026"))

    # Four threads hashing at once: never more than one inside argon2 at a time.
    inside, most = [0], [0]
    lock = threading.Lock()
    real = Argon2PasswordHasher.encode

    def counted(self, password, salt):  # type: ignore[no-untyped-def]
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.05)
        try:
            return real(self, password, salt)
        finally:
            with lock:
                inside[0] -= 1

    Argon2PasswordHasher.encode = counted  # type: ignore[method-assign]
    try:
        threads = [threading.Thread(target=make_password, args=(f"口令{n}",)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        Argon2PasswordHasher.encode = real  # type: ignore[method-assign]
    assert most[0] == 1 and hashers.HASHING._value == 1  # type: ignore[attr-defined]


def test_login_then_home_shows_the_users_organisation(client, world):
    response = client.post(reverse("login"), {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "湛江市职业技能鉴定指导中心" in home.content.decode()


def test_five_failures_delay_the_next_attempt_even_with_the_right_password(client, world):
    # The full behaviour of the throttle is tested in jixiao/accounts/tests/test_throttle.py.
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "editor", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录尝试过于频繁" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_home_requires_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_page_answers_404_in_chinese(client, db, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_home_lists_what_waits_for_each_role(client, world, django_assert_max_num_queries):
    from jixiao.evaluations.models import Status

    world.other_evaluation.status = Status.SUBMITTED
    world.other_evaluation.save()
    client.force_login(world.editor)
    # session, user, the counts, what waits, the latest, and one aggregate per 待办 provider with
    # work for a unit (evaluations, monitoring, rectification); none of it grows with rows.
    with django_assert_max_num_queries(10):
        page = client.get(reverse("home")).content.decode()
    assert world.unit.name in page and world.other_unit.name not in page
    client.force_login(world.department_reviewer)
    page = client.get(reverse("home")).content.decode()
    waiting = page.split("<h2>待办</h2>")[1].split("<h2>最近更新</h2>")[0]
    assert world.other_unit.name in waiting and world.unit.name not in waiting
    assert world.foreign_unit.name not in page


def _home_queries(client) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("home")).content.decode()
    for query in captured.captured_queries:  # no count joins every evaluation to its unit
        sql = query["sql"]
        assert not ("COUNT(" in sql and 'JOIN "organisations_organisation"' in sql), sql
    return len(captured.captured_queries), page


def test_home_reads_the_same_queries_for_3_or_30_waiting_and_lists_the_campaign_due_first(
    client, world
):
    """Issue 14: the 工作台 sorted every evaluation twice (2.3 s for the bureau at 50,000 units).
    The waiting list takes the campaign due first, in the progress table's order; the tiles and
    the bureau's 待办 are one count."""
    import datetime as dt

    from django.utils import timezone

    from jixiao.evaluations.models import Evaluation, Status
    from jixiao.organisations.models import Organisation
    from jixiao.testing.factories import CampaignFactory, EvaluationFactory, UnitFactory

    later = CampaignFactory.create(
        bureau=world.bureau,
        notice_number="湛财绩〔2026〕7号",
        deadline=timezone.now() + dt.timedelta(days=90),
    )
    sooner = world.campaign  # due in 30 days
    client.force_login(world.bureau_reviewer)
    counted = []
    for extra in (3, 30):
        Evaluation.objects.filter(unit__name__startswith="工作台测试").delete()
        Organisation.objects.filter(name__startswith="工作台测试").delete()
        for n in reversed(range(extra)):  # made in reverse: the order is the page's, not the rows'
            unit = UnitFactory.create(parent=world.department, name=f"工作台测试{n:02d}")
            for campaign in (later, sooner):
                EvaluationFactory.create(
                    campaign=campaign, unit=unit, status=Status.DEPARTMENT_APPROVED
                )
        queries, page = _home_queries(client)
        counted.append(queries)
    assert counted[0] == counted[1]
    waiting = page.split("<h2>待办</h2>")[1].split("<h2>最近更新</h2>")[0]
    # 50 rows: the 30 of the campaign due sooner (in unit order), then 20 of the later one.
    rows = waiting.split("<tr>")[2:]
    assert len(rows) == 50
    names = [f"工作台测试{n:02d}" for n in range(30)]
    assert [next(n for n in names if n in row) for row in rows[:30]] == names
    todo = {item.key: item.count for item in response_todo(client)}
    assert todo["reviews.bureau"] == 60


def response_todo(client):
    return client.get(reverse("home")).context["todo"]
