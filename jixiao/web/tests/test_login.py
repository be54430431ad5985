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
