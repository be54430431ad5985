"""Fixtures shared by the web apps' tests: one bureau, two departments, units and a person per role.

``world`` gives an "own" and an "other" object of each kind so access tests can check both. Its rows
are built once per module where that is safe (``world_rows``), else once per test.

``shared_database_data`` lets a module build its rows once instead of once per test (the access
matrix's 2,700 cases): see its docstring for what each test still gets to itself.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from django.db import connections, transaction
from django.test.utils import override_settings

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import Organisation, Role, User
from jixiao.testing import factories as f


@dataclass
class World:
    bureau: Organisation
    department: Organisation
    other_department: Organisation
    unit: Organisation
    other_unit: Organisation  # same department as ``unit``
    foreign_unit: Organisation  # under ``other_department``
    campaign: Campaign
    evaluation: Evaluation  # of ``unit``, draft, the seed's data
    other_evaluation: Evaluation  # of ``other_unit``
    foreign_evaluation: Evaluation  # of ``foreign_unit``
    editor: User
    head: User
    other_editor: User  # of ``other_unit``
    department_reviewer: User
    other_department_reviewer: User
    bureau_reviewer: User
    bureau_admin: User

    def user(self, role: str) -> User:
        return {
            Role.UNIT_EDITOR: self.editor,
            Role.UNIT_HEAD: self.head,
            Role.DEPARTMENT_REVIEWER: self.department_reviewer,
            Role.BUREAU_REVIEWER: self.bureau_reviewer,
            Role.BUREAU_ADMIN: self.bureau_admin,
        }[Role(role)]


@pytest.fixture
def world(world_rows: World | None, db: None) -> World:
    if world_rows is None:
        return build_world()
    # The rows are the module's, and this test runs in a savepoint rolled back after it; the objects
    # are this test's own copy (a test may change an instance, or refresh it from the database).
    return copy.deepcopy(world_rows)


# Most of the 950 tests that take ``world`` only read it or change it inside their own transaction,
# so its rows are built once per module (shared_database_data) instead of once per test; each test
# still starts from exactly those rows. Two kinds of module build per test as before:
# - a module with a transactional test (live_server, the browser, threads and processes that need
#   committed rows): such a test cannot run inside the module's transaction;
# - a module with a database test that does not take ``world``: it would see the world's rows (an
#   extra bureau, users named "editor" …) where it expects an empty database.
@pytest.fixture(scope="module")
def world_rows(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[World | None]:
    if not _world_shareable(request.session, request.node.path):
        yield None
        return
    with shared_database_data(django_db_blocker, build_world) as built:
        yield built


_TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _world_shareable(session: pytest.Session, path: Any) -> bool:
    """Whether every database test of the module at ``path`` in this run takes ``world`` and none
    is transactional (decided on the tests selected to run, once per module)."""
    cache: dict[Any, bool] = session.stash.setdefault(_SHAREABLE, {})
    if path not in cache:
        cache[path] = all(
            _shares_world(item) for item in session.items if getattr(item, "path", None) == path
        )
    return cache[path]


def _shares_world(item: pytest.Item) -> bool:
    from django.test import TransactionTestCase
    from pytest_django.plugin import validate_django_db

    cls = getattr(item, "cls", None)
    if isinstance(cls, type) and issubclass(cls, TransactionTestCase):
        return False
    names = set(getattr(item, "fixturenames", ()))
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transactional, reset_sequences, _, serialized_rollback, _ = validate_django_db(marker)
        if transactional or reset_sequences or serialized_rollback:
            return False
    if names & _TRANSACTIONAL_FIXTURES:
        return False
    uses_database = marker is not None or "db" in names
    return not uses_database or "world" in names


_SHAREABLE = pytest.StashKey[dict[Any, bool]]()


def build_world() -> World:
    """The rows behind ``world`` (also built once per module by ``shared_database_data``)."""
    bureau = f.BureauFactory.create()
    department = f.DepartmentFactory.create(name="湛江市人力资源和社会保障局", parent=bureau)
    other_department = f.DepartmentFactory.create(name="湛江市教育局", parent=bureau)
    unit = f.UnitFactory.create(
        name="湛江市职业技能鉴定指导中心", short_name="我中心", parent=department
    )
    other_unit = f.UnitFactory.create(parent=department)
    foreign_unit = f.UnitFactory.create(parent=other_department)
    campaign = f.CampaignFactory.create(bureau=bureau)
    return World(
        bureau=bureau,
        department=department,
        other_department=other_department,
        unit=unit,
        other_unit=other_unit,
        foreign_unit=foreign_unit,
        campaign=campaign,
        evaluation=f.EvaluationFactory.create(campaign=campaign, unit=unit),
        other_evaluation=f.EvaluationFactory.create(campaign=campaign, unit=other_unit),
        foreign_evaluation=f.EvaluationFactory.create(campaign=campaign, unit=foreign_unit),
        editor=f.UserFactory.create(username="editor", role=Role.UNIT_EDITOR, organisation=unit),
        head=f.UserFactory.create(username="head", role=Role.UNIT_HEAD, organisation=unit),
        other_editor=f.UserFactory.create(
            username="other_editor", role=Role.UNIT_EDITOR, organisation=other_unit
        ),
        department_reviewer=f.UserFactory.create(
            username="dept", role=Role.DEPARTMENT_REVIEWER, organisation=department
        ),
        other_department_reviewer=f.UserFactory.create(
            username="other_dept", role=Role.DEPARTMENT_REVIEWER, organisation=other_department
        ),
        bureau_reviewer=f.UserFactory.create(
            username="bureau", role=Role.BUREAU_REVIEWER, organisation=bureau
        ),
        bureau_admin=f.UserFactory.create(
            username="admin", role=Role.BUREAU_ADMIN, organisation=bureau
        ),
    )


T = TypeVar("T")

# What the autouse fixtures of the root conftest.py set for every test: a module-level build runs
# before any test's fixtures, so it sets the same itself.
TEST_SETTINGS: dict[str, Any] = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "JIXIAO_JOBS_RUNNER": "sync",
}


@contextmanager
def shared_database_data(
    django_db_blocker: Any, build: Callable[[], T], **settings: Any
) -> Iterator[T]:
    """Rows built once for a whole module, inside a transaction that is rolled back at its end.

    Every test of the module still asks for ``db``: pytest-django wraps each test in a savepoint
    inside this transaction and rolls it back, so each test starts from exactly the rows ``build``
    made, whatever the test before it changed (as when each test built them itself). Only the
    database is shared: objects in memory and files are the caller's to copy per test (a test may
    change an instance or delete a file). The transaction is marked as a test case's, as
    pytest-django's own per-test ones are, so code that opens a durable atomic block still can.
    Use from a module-scoped fixture that depends on ``django_db_setup``.
    """
    with django_db_blocker.unblock():
        outer = [transaction.atomic(using=alias) for alias in connections]
        for atomic in outer:
            atomic._from_testcase = True  # type: ignore[attr-defined]
            atomic.__enter__()
        try:
            with override_settings(**{**TEST_SETTINGS, **settings}):
                built = build()
        except BaseException:
            _roll_back(outer)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            _roll_back(outer)


def _roll_back(outer: list[Any]) -> None:
    for alias, atomic in reversed(list(zip(connections, outer, strict=True))):
        transaction.set_rollback(True, using=alias)
        atomic.__exit__(None, None, None)
