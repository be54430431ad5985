"""Migration 0002 moves PackageJob rows onto the job core and back (data migration with a reverse)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("documents", "0001_package_jobs"), ("jobs", "0001_jobs")]
AFTER = [("documents", "0002_package_jobs_to_job_core")]


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_package_jobs_move_to_the_job_core_and_back(world) -> None:
    try:
        old_apps = _migrate(BEFORE)
        PackageJob = old_apps.get_model("documents", "PackageJob")
        PackageJob.objects.create(
            requested_by_id=world.bureau_admin.pk,
            title="2025：14 份自评材料",
            evaluation_ids=[1, 2, 3],
            formats="txt",
            state="done",
            done_count=3,
            result="packages/package-1.zip",
            problems=["某单位：预算金额不能为负数"],
        )
        PackageJob.objects.create(
            requested_by_id=world.editor.pk,
            title="生成中",
            evaluation_ids=list(range(18)),
            state="running",
            done_count=13,
        )
        new_apps = _migrate(AFTER)
        Job = new_apps.get_model("jobs", "Job")
        moved = Job.objects.get(title="2025：14 份自评材料")
        assert moved.kind == "documents.package"
        assert (moved.state, moved.total, moved.done_count, moved.failed_count) == ("done", 3, 2, 1)
        assert moved.failures == [{"item": "某单位", "reason": "预算金额不能为负数"}]
        assert moved.params == {"evaluation_ids": [1, 2, 3], "formats": "txt"}
        assert moved.result.name == "packages/package-1.zip"
        assert moved.organisation_id == world.bureau_admin.organisation_id
        stuck = Job.objects.get(title="生成中")
        assert (stuck.state, stuck.error) == ("failed", "服务中断，任务未完成，请重新发起")

        old_apps = _migrate(BEFORE)
        PackageJob = old_apps.get_model("documents", "PackageJob")
        back = PackageJob.objects.get(title="2025：14 份自评材料")
        assert (back.state, back.done_count, back.evaluation_ids) == ("done", 3, [1, 2, 3])
        assert back.problems == ["某单位：预算金额不能为负数"]
        assert back.result.name == "packages/package-1.zip"
        assert (
            not old_apps.get_model("jobs", "Job").objects.filter(kind="documents.package").exists()
        )
    finally:
        # Back to every app's latest migration, not just documents 0002: going back to jobs 0001
        # also unapplied the later jobs migrations (JobPart, Job.notice), and tests that run after
        # this one need the whole schema.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        _migrate(executor.loader.graph.leaf_nodes())
