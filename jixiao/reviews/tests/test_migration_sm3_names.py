"""Migration 0002 computes SM3 for documents frozen before it and names for past publications."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jixiao.documents.digests import sm3_hex_pure

BEFORE = [("reviews", "0001_initial")]
AFTER = [("reviews", "0002_frozen_sm3_published_names")]


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_sm3_and_published_names_are_filled_and_cleared(world) -> None:
    leaves = _latest()
    try:
        old = _migrate(BEFORE)
        content = b"%PDF-1.7 frozen before SM3"
        old.get_model("reviews", "FrozenDocument").objects.create(
            evaluation_id=world.evaluation.pk, format="pdf", filename="报告.pdf", content=content,
            sha256=hashlib.sha256(content).hexdigest(), size=len(content),
        )  # fmt: skip
        old.get_model("reviews", "Publication").objects.create(
            evaluation_id=world.evaluation.pk, published_by_id=world.bureau_admin.pk,
            total="98.00", grade="优",
        )  # fmt: skip

        new = _migrate(AFTER)
        frozen = new.get_model("reviews", "FrozenDocument").objects.get()
        assert frozen.sm3 == sm3_hex_pure(content)
        publication = new.get_model("reviews", "Publication").objects.get()
        assert (publication.unit_name, publication.department_name) == (
            world.unit.name,
            world.unit.parent.name,
        )

        _migrate(BEFORE)  # the reverse runs
        new = _migrate(AFTER)
        assert new.get_model("reviews", "FrozenDocument").objects.get().sm3 == frozen.sm3
    finally:
        _migrate(leaves)
