"""Move 批量生成 jobs (PackageJob) onto the job core (jobs.Job, kind "documents.package").

The result files stay where they are (same storage name). A job still queued or running can never
finish (its runner is gone with the old code): it arrives failed, with the reason a user reads.
Reversible: the reverse recreates PackageJob rows from the package jobs.
"""

from django.db import migrations

KIND = "documents.package"
INTERRUPTED = "服务中断，任务未完成，请重新发起"


def forward(apps, schema_editor):
    PackageJob = apps.get_model("documents", "PackageJob")
    Job = apps.get_model("jobs", "Job")
    for old in PackageJob.objects.select_related("requested_by").order_by("pk").iterator():
        ids = list(old.evaluation_ids or [])
        problems = [str(p) for p in (old.problems or [])]
        failures = []
        for problem in problems:
            item, _, reason = problem.partition("：")
            failures.append({"item": item, "reason": reason or problem})
        unfinished = old.state in ("queued", "running")
        job = Job.objects.create(
            kind=KIND,
            title=old.title,
            requested_by_id=old.requested_by_id,
            organisation_id=old.requested_by.organisation_id,
            params={"evaluation_ids": ids, "formats": old.formats},
            state="failed" if unfinished else old.state,
            total=len(ids),
            done_count=max(0, old.done_count - len(problems)),
            failed_count=len(problems),
            failures=failures,
            error=INTERRUPTED if unfinished else "",
            result=old.result.name if old.result else "",
            result_name=f"{old.title}.zip" if old.result else "",
            attempts=1,
            finished_at=old.finished_at,
        )
        # auto_now_add set created_at to now; keep when it was asked for.
        Job.objects.filter(pk=job.pk).update(created_at=old.requested_at)


def backward(apps, schema_editor):
    PackageJob = apps.get_model("documents", "PackageJob")
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.filter(kind=KIND).order_by("pk").iterator():
        if job.requested_by_id is None:
            continue
        old = PackageJob.objects.create(
            requested_by_id=job.requested_by_id,
            title=job.title,
            evaluation_ids=list(job.params.get("evaluation_ids", [])),
            formats=job.params.get("formats", "docx,pdf,xlsx"),
            state=job.state,
            done_count=job.done_count + job.failed_count,
            result=job.result.name if job.result else "",
            problems=[f"{f['item']}：{f['reason']}" for f in job.failures]
            + ([job.error] if job.error else []),
            finished_at=job.finished_at,
        )
        PackageJob.objects.filter(pk=old.pk).update(requested_at=job.created_at)
    Job.objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_package_jobs"),
        ("jobs", "0001_jobs"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="PackageJob"),
    ]
