"""bench/scale.py's review domain: the review trail, publications, audits, the 操作日志,
notifications, jobs and 复核 samples of the synthetic city, and the routes that read them.

Volumes (at 50,000 units: 250,000 evaluations, about 178,000 of them handed in), each what the
app's own write path leaves behind for the evaluations scale.py wrote in their states:

- **review trail** (reviews_transition): every handed-in evaluation has the steps its state
  implies — submitted: 报送; returned: 报送, 退回; department-approved: 报送, 审核通过;
  approved: + 审定; published: + 公开 — by the demo unit head, department reviewer and bureau
  reviewer, spread over the last 60 days (about 430,000 rows). Each snapshot carries the content
  as ``services.snapshot`` does (6 KB for a department report), so the table has its real width.
  The evaluation's ``status_changed_at`` (when it entered its state: the queue's order) is the
  last step's time, as the transition service stores it.
- **publications** (reviews_publication): one per published evaluation, with the names and score
  at publication; 1 % of them withdrawn (撤回公开, with reason) and published again as version 2.
  **Frozen files** (reviews_frozendocument): four per approved or published evaluation (pdf, docx,
  数据表, 评分表) with their SHA-256 and SM3 and a placeholder of a few bytes for the content: no
  measured route reads the bytes of more than one file, and 70,000 × 4 real documents (about
  100 KB each) would be 28 GB of disk for nothing measured. ``size`` is the placeholder's.
- **audit results** (audit_auditedfile): the bureau reviewer's 审查全部已提交 of each benchmark
  campaign (one job per campaign, one row per handed-in evaluation: ~35,000 and ~143,000 rows)
  and the demo department reviewer's of its own units (~600), each audited: 0–4 findings (their
  JSON as the auditor writes it), the level, the counts, the extracted values.
- **操作日志** (activity_event): one entry per review step (as ``services.transition`` records
  it) and entry saves (evaluation.save) to 20 per unit: 1,000,000 rows at 50,000 units.
- **notifications**: what ``notifications.events.after_transition`` sends — the bureau reviewer
  hears of every department approval (~107,000, the unread ones those still waiting for the
  bureau), the demo department reviewer of every submission of its units (~3,000); an email
  delivery for each, 2 % of them failed (the bureau admin's 发送失败 list).
- **jobs** (jobs_job): one 生成审定文件 job per approved or published evaluation, requested by the
  bureau reviewer who approved it (~71,000: the 后台任务 list of a busy reviewer), plus the audit jobs.
- **复核 samples**: two draws of 1,000 (the form's maximum) and 18 of 50, half of each rechecked.

The synthetic units have no people of their own: their steps name the demo unit head, their
notifications are not written (no one could read them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from typing import Any

PREFIX = "R/"  # --only R/
# Which steps a state implies (workflow order), and who takes each.
TRAIL = {
    "submitted": ["submit"],
    "returned": ["submit", "department_return"],
    "department_approved": ["submit", "department_approve"],
    "approved": ["submit", "department_approve", "bureau_approve"],
    "published": ["submit", "department_approve", "bureau_approve", "publish"],
}
TARGET = {
    "submit": ("draft", "submitted"),
    "department_return": ("submitted", "returned"),
    "department_approve": ("submitted", "department_approved"),
    "bureau_approve": ("department_approved", "approved"),
    "publish": ("approved", "published"),
}
LABEL = {
    "submit": "审定并报送",
    "department_return": "退回修改",
    "department_approve": "审核通过",
    "bureau_approve": "审定通过",
    "publish": "公开",
}
HANDED_IN = ("submitted", "department_approved", "approved", "published")
FINDINGS = [
    ("error", "percentage_mismatch", "完成率与指标值不符：填报 98%，按实际值计算为 89.5%"),
    ("error", "parts_not_adding", "各部分得分之和 96 与总分 98 不符"),
    ("warning", "execution_rate_unverified", "预算执行率无法核对：未找到全年执行数"),
    ("warning", "grade_mismatch", "等级“优”与得分 88 不符"),
    ("info", "score_out_of_range", "得分超出范围"),
]
EVENTS_PER_UNIT = 20


def _copy(cursor: Any, table: str, columns: str, rows: Any) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def build(ctx: Any) -> None:
    from django.db import connection

    from jixiao.activity.texts import log_text, stored_form
    from jixiao.evaluations.models import Evaluation
    from jixiao.jobs.models import Job
    from jixiao.organisations.models import User
    from jixiao.reviews.models import SampleDraw

    rng = ctx.rng
    now = ctx.now
    users = {u.username: u for u in User.objects.select_related("organisation")}
    head, dept, bureau, admin = (
        users["unit_head"],
        users["dept_reviewer"],
        users["bureau_reviewer"],
        users["bureau_admin"],
    )
    actor_of = {
        "submit": head,
        "department_return": dept,
        "department_approve": dept,
        "bureau_approve": bureau,
        "publish": bureau,
    }
    campaigns = {ctx.department_campaign.pk: ctx.department_campaign}
    campaigns[ctx.project_campaign.pk] = ctx.project_campaign
    data_of = {
        pk: json.dumps(data, ensure_ascii=False)
        for pk, data in Evaluation.objects.filter(campaign_id__in=list(campaigns))
        .order_by("campaign_id")
        .distinct("campaign_id")
        .values_list("campaign_id", "data")
    }
    t = time.perf_counter()
    evaluations = list(
        Evaluation.objects.filter(campaign_id__in=list(campaigns))
        .exclude(status="draft")
        .order_by("pk")
        .values_list(
            "pk",
            "campaign_id",
            "unit_id",
            "unit__parent_id",
            "status",
            "total",
            "grade",
            "ruleset_ref",
            "unit_name",
            "department_name",
            "project_name",
        )
    )
    # Each evaluation's steps with their times: the first 2–60 days ago, then hours to days apart.
    steps: list[tuple[Any, str, dt.datetime]] = []
    last_step: dict[int, dt.datetime] = {}
    for row in evaluations:
        at = now - dt.timedelta(days=rng.uniform(2, 60))
        for action in TRAIL[row[4]]:
            steps.append((row, action, at))
            last_step[row[0]] = at
            at += dt.timedelta(hours=rng.uniform(1, 30))
    steps.sort(key=lambda s: s[2])
    print(f"  {len(evaluations)} handed-in evaluations, {len(steps)} steps planned")

    def label(row: Any) -> str:
        campaign = campaigns[row[1]]
        return f"{row[8]} {campaign.year} {row[10]}".strip()

    def snapshot(row: Any, status: str) -> str:
        total = str(row[5]) if row[5] is not None else None
        return (
            f'{{"version": 1, "status": "{status}", "total": {json.dumps(total)}, '
            f'"grade": {json.dumps(row[6], ensure_ascii=False)}, "ruleset": "{row[7]}", '
            f'"data": {data_of[row[1]]}}}'
        )

    with connection.cursor() as django_cursor:
        raw = django_cursor.cursor
        n = _copy(
            raw,
            "reviews_transition",
            "evaluation_id, action, from_status, to_status, actor_id, at, comment, "
            "section_comments, snapshot",
            (
                (
                    row[0],
                    action,
                    TARGET[action][0],
                    TARGET[action][1],
                    actor_of[action].pk,
                    at,
                    "请补充绩效目标完成情况的说明" if action == "department_return" else "",
                    '{"targets": "请补充说明偏离原因"}' if action == "department_return" else "{}",
                    snapshot(row, TARGET[action][1]),
                )
                for row, action, at in steps
            ),
        )
        print(f"  {n} transitions in {time.perf_counter() - t:.1f} s")
        _store_status_changed_at(raw, last_step)

        # Publications (1 % withdrawn and published again as version 2) and the frozen files.
        t = time.perf_counter()
        published = [r for r in evaluations if r[4] == "published"]
        frozen = [r for r in evaluations if r[4] in ("approved", "published")]
        withdrawn = {r[0] for r in published if rng.random() < 0.01}
        publish_at = {row[0]: at for row, action, at in steps if action == "publish"}
        pub_rows: list[tuple[Any, ...]] = []
        for r in published:
            at = publish_at[r[0]]
            if r[0] in withdrawn:
                pub_rows.append(
                    (
                        r[0],
                        1,
                        at - dt.timedelta(days=1),
                        bureau.pk,
                        r[5],
                        r[6],
                        r[8],
                        r[9],
                        at - dt.timedelta(hours=12),
                        admin.pk,
                        "报告中预算执行数有误，更正后重新公开",
                        campaigns[r[1]].year,
                        r[10],
                    )
                )
            version = 2 if r[0] in withdrawn else 1
            pub_rows.append(
                (
                    r[0],
                    version,
                    at,
                    bureau.pk,
                    r[5],
                    r[6],
                    r[8],
                    r[9],
                    None,
                    None,
                    "",
                    campaigns[r[1]].year,
                    r[10],
                )
            )
        n = _copy(
            raw,
            "reviews_publication",
            "evaluation_id, version, published_at, published_by_id, total, grade, unit_name, "
            "department_name, withdrawn_at, withdrawn_by_id, withdrawal_reason, year, project_name",
            pub_rows,
        )
        formats = [
            ("pdf", "pdf"),
            ("docx", "docx"),
            ("data.xlsx", "xlsx"),
            ("scoring.xlsx", "xlsx"),
        ]

        def files() -> Any:
            for r in frozen:
                for fmt, ext in formats:
                    content = f"bench {r[0]} {fmt}".encode()
                    yield (
                        r[0],
                        fmt,
                        f"{r[8]}-{fmt.split('.')[0]}.{ext}"[:255],
                        content,
                        hashlib.sha256(content).hexdigest(),
                        hashlib.sha256(b"sm3" + content).hexdigest(),  # stands in for SM3
                        len(content),
                        last_step[r[0]],
                    )

        m = _copy(
            raw,
            "reviews_frozendocument",
            "evaluation_id, format, filename, content, sha256, sm3, size, frozen_at",
            files(),
        )
        print(f"  {n} publications, {m} frozen files in {time.perf_counter() - t:.1f} s")

        # 生成审定文件 jobs: one per bureau approval, requested by the approver.
        t = time.perf_counter()
        approve_at = {row[0]: at for row, action, at in steps if action == "bureau_approve"}
        n = _copy(
            raw,
            "jobs_job",
            "kind, title, requested_by_id, organisation_id, subject, params, state, total, "
            "done_count, failed_count, failures, error, notice, result, result_name, attempts, "
            "created_at, started_at, heartbeat_at, finished_at",
            (
                (
                    "reviews.freeze",
                    f"生成审定文件：{label(r)}"[:200],
                    bureau.pk,
                    bureau.organisation_id,
                    f"evaluations.evaluation:{r[0]}",
                    json.dumps({"evaluation_id": r[0], "version": 1}),
                    "done",
                    1,
                    1,
                    0,
                    "[]",
                    "",
                    "",
                    "",
                    "",
                    1,
                    approve_at[r[0]],
                    approve_at[r[0]] + dt.timedelta(seconds=2),
                    approve_at[r[0]] + dt.timedelta(seconds=9),
                    approve_at[r[0]] + dt.timedelta(seconds=9),
                )
                for r in sorted(frozen, key=lambda r: approve_at[r[0]])
            ),
        )
        print(f"  {n} freeze jobs in {time.perf_counter() - t:.1f} s")

        # 审查全部已提交: the bureau's of each campaign, the department reviewer's of its units.
        t = time.perf_counter()
        handed = [r for r in evaluations if r[4] in HANDED_IN]
        audits = [
            (bureau, campaigns[pk], [r for r in handed if r[1] == pk]) for pk in campaigns
        ] + [
            (
                dept,
                ctx.department_campaign,
                [
                    r
                    for r in handed
                    if r[1] == ctx.department_campaign.pk and r[3] == dept.organisation_id
                ],
            )
        ]
        total_rows = 0
        for who, campaign, rows in audits:
            if not rows:
                continue
            started = now - dt.timedelta(days=1)
            job = Job.objects.create(
                kind="audit.campaign",
                title=f"审查全部已提交：{campaign.title}（{len(rows)} 份）",
                requested_by=who,
                organisation_id=who.organisation_id,
                subject=f"campaigns.campaign:{campaign.pk}",
                params={"campaign_id": campaign.pk},
                state="done",
                total=len(rows),
                done_count=len(rows),
                attempts=1,
                started_at=started,
                heartbeat_at=now,
                finished_at=now,
            )
            rows.sort(key=lambda r: (r[9], r[8], r[10], r[0]))  # the service's order
            total_rows += _copy(
                raw, "audit_auditedfile", AUDIT_COLUMNS, _audit_rows(ctx, job, who, campaign, rows)
            )
        print(f"  {total_rows} audit results in {time.perf_counter() - t:.1f} s")

        # 操作日志: each step as services.transition records it, then entry saves to 20 per unit.
        t = time.perf_counter()

        def events() -> Any:
            for row, action, at in steps:
                who = actor_of[action]
                summary = log_text(
                    "{label}：{evaluation}", label=LABEL[action], evaluation=label(row)
                )
                yield _event(
                    who,
                    at,
                    f"evaluation.{action}",
                    "review" if action != "publish" else "publish",
                    row,
                    label(row),
                    summary,
                    stored_form(summary),
                    {"changes": {"status": list(TARGET[action])}, "version": 1},
                )
            saves = max(0, EVENTS_PER_UNIT * len(ctx.unit_ids) - len(steps))
            all_rows = evaluations or []
            for i in range(saves):
                row = all_rows[i % len(all_rows)]
                at = now - dt.timedelta(days=60) + dt.timedelta(seconds=i * 5184000 / max(saves, 1))
                summary = log_text("保存填报内容：{evaluation}", evaluation=label(row))
                yield _event(
                    head,
                    at,
                    "evaluation.save",
                    "entry",
                    row,
                    label(row),
                    summary,
                    stored_form(summary),
                    {"changes": {"targets": ["…", "…"]}, "version": 1},
                )

        n = _copy(raw, "activity_event", EVENT_COLUMNS, events())
        print(f"  {n} log entries in {time.perf_counter() - t:.1f} s")

        # Notifications and their email deliveries (2 % failed).
        t = time.perf_counter()
        notices = []
        for row, action, at in steps:
            if action == "department_approve":
                notices.append(
                    (
                        bureau,
                        row,
                        at,
                        row[4] == "department_approved",
                        "已经主管部门审核，待财政复核",
                    )
                )
            elif action == "submit" and row[3] == dept.organisation_id:
                notices.append((dept, row, at, row[4] == "submitted", "报送，待审核"))
        n = _copy(
            raw,
            "notifications_notification",
            "recipient_id, kind, key, target_type, target_id, title, title_text, body, body_text, "
            "url, created_at, read_at",
            (
                (
                    who.pk,
                    "evaluation_submitted",
                    f"bench:{i}",
                    "evaluations.evaluation",
                    str(row[0]),
                    f"{label(row)}{text}"[:200],
                    None,
                    "",
                    None,
                    f"/evaluations/{row[0]}/",
                    at,
                    None if unread else at + dt.timedelta(hours=3),
                )
                for i, (who, row, at, unread, text) in enumerate(notices)
            ),
        )
        m = _copy(
            raw,
            "notifications_delivery",
            "recipient_id, kind, key, channel, address, subject, body, for_digest, digest_key, "
            "state, attempts, next_attempt_at, claimed_until, claim_token, last_error, "
            "created_at, sent_at",
            (
                (
                    who.pk,
                    "evaluation_submitted",
                    f"bench:{i}",
                    "email",
                    f"{who.username}@example.gov.cn",
                    f"{label(row)}{text}"[:200],
                    "",
                    False,
                    "",
                    "failed" if i % 50 == 7 else "sent",
                    5 if i % 50 == 7 else 1,
                    at,
                    None,
                    "",
                    "SMTP 550 mailbox unavailable" if i % 50 == 7 else "",
                    at,
                    None if i % 50 == 7 else at + dt.timedelta(minutes=1),
                )
                for i, (who, row, at, _unread, text) in enumerate(notices)
            ),
        )
        print(f"  {n} notifications, {m} deliveries in {time.perf_counter() - t:.1f} s")

    # 复核 samples: two draws of 1,000 and 18 of 50, half of each rechecked.
    t = time.perf_counter()
    draws = []
    for n, size in enumerate([1000, 1000] + [50] * 18):
        campaign = ctx.department_campaign if n % 2 == 0 else ctx.project_campaign
        pool = [r for r in handed if r[1] == campaign.pk]
        chosen = rng.sample(pool, min(size, len(pool)))
        draw = SampleDraw.objects.create(
            campaign=campaign, drawn_by=bureau, seed=f"bench{n}", requested=size
        )
        draws.append((draw, chosen))
    with connection.cursor() as django_cursor:
        n = _copy(
            django_cursor.cursor,
            "reviews_recheck",
            "draw_id, evaluation_id, score, opinion, reviewer_id, reviewed_at",
            (
                (draw.pk, r[0], r[5], "复核意见：与自评基本一致", bureau.pk, now)
                if i % 2 == 0 and r[5] is not None
                else (draw.pk, r[0], None, "", None, None)
                for draw, chosen in draws
                for i, r in enumerate(chosen)
            ),
        )
    print(f"  {len(draws)} draws, {n} rechecks in {time.perf_counter() - t:.1f} s")


AUDIT_COLUMNS = (
    "job_id, position, name, size, sha256, upload, status, reason, errors, warnings, infos, "
    "unit, year, score, grade, filled_on, findings, extracted, level, requested_by_id, "
    "organisation_id, evaluation_id, campaign_id, unit_organisation_id, earlier_id, created_at, "
    "audited_at"
)


def _audit_rows(ctx: Any, job: Any, who: Any, campaign: Any, rows: list[Any]) -> Any:
    rng = ctx.rng
    for position, r in enumerate(rows):
        found = rng.sample(FINDINGS, rng.choice([0, 0, 1, 1, 2, 4]))
        findings = [
            {
                "severity": severity,
                "code": code,
                "message": message,
                "quote": "完成率98%",
                "location": {"page": rng.randrange(1, 12), "line": rng.randrange(1, 40)},
            }
            for severity, code, message in found
        ]
        errors = sum(1 for f in findings if f["severity"] == "error")
        warnings = sum(1 for f in findings if f["severity"] == "warning")
        infos = len(findings) - errors - warnings
        level = "error" if errors else "warning" if warnings else "clean"
        score = str(r[5]) if r[5] is not None else ""
        extracted = {
            "values": {"unit": r[8], "year": str(campaign.year), "score": score, "grade": r[6]},
            "fields": {
                "unit.name": {
                    "value": r[8],
                    "quote": r[8],
                    "location": {"page": 1},
                    "confidence": 1,
                },
                "total": {"value": score, "quote": f"自评得分{score}分", "location": {"page": 9}},
            },
        }
        name = f"{r[8]} {r[10]} 自评报告.docx".replace("  ", " ")
        yield (
            job.pk,
            position,
            name[:255],
            0,
            "",
            "",
            "audited",
            "",
            errors,
            warnings,
            infos,
            r[8],
            str(campaign.year),
            score,
            r[6],
            "",
            json.dumps(findings, ensure_ascii=False),
            json.dumps(extracted, ensure_ascii=False),
            level,
            who.pk,
            who.organisation_id,
            r[0],
            campaign.pk,
            r[2],
            None,
            job.started_at,
            job.started_at + dt.timedelta(seconds=position * 0.5),
        )


EVENT_COLUMNS = (
    "at, actor_id, actor_username, actor_name, actor_role, actor_organisation_id, "
    "actor_organisation_name, action, category, target_type, target_id, target_label, unit_id, "
    "address, summary, summary_text, details"
)


def _event(
    who: Any,
    at: dt.datetime,
    action: str,
    category: str,
    row: Any,
    label: str,
    summary: str,
    stored: Any,
    details: dict[str, Any],
) -> tuple[Any, ...]:
    organisation = who.organisation
    return (
        at,
        who.pk,
        who.username,
        str(who),
        who.role,
        organisation.pk if organisation else None,
        organisation.name if organisation else "",
        action,
        category,
        "evaluations.evaluation",
        str(row[0]),
        label[:300],
        row[2],
        None,
        str(summary)[:300],
        json.dumps(stored or {}, ensure_ascii=False),
        json.dumps(details, ensure_ascii=False),
    )


def _store_status_changed_at(raw: Any, last_step: dict[int, dt.datetime]) -> None:
    """The evaluation's ``status_changed_at`` as the transition service stores it (when that
    column exists: it came with the review queue's keyset pages)."""
    raw.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'evaluations_evaluation' "
        "AND column_name = 'status_changed_at'"
    )
    if raw.fetchone() is None:
        return
    raw.execute("CREATE TEMPORARY TABLE bench_last_step (id bigint, at timestamptz)")
    _copy(raw, "bench_last_step", "id, at", last_step.items())
    raw.execute(
        "UPDATE evaluations_evaluation e SET status_changed_at = s.at FROM bench_last_step s "
        "WHERE e.id = s.id"
    )
    raw.execute("DROP TABLE bench_last_step")


def routes(ctx: Any) -> list[tuple[str, Any, str]]:
    from django.urls import reverse

    from jixiao.audit.models import AuditedFile
    from jixiao.jobs.models import Job
    from jixiao.organisations.models import User
    from jixiao.reviews.models import Publication, SampleDraw

    bureau, dept, admin = ctx.bureau, ctx.dept, ctx.admin
    head = User.objects.filter(username="unit_head").first()
    queue = reverse("reviews:queue")
    out: list[tuple[str, Any, str]] = [
        ("R/ queue bureau", bureau, queue),
        ("R/ queue bureau page 2", bureau, queue + "?after={next:" + queue + "}"),
        ("R/ queue bureau ?group=approved", bureau, queue + "?group=approved"),
        ("R/ queue bureau ?campaign", bureau, f"{queue}?campaign={ctx.project_campaign.pk}"),
        ("R/ queue bureau ?q=", bureau, queue + "?q=基准测试单位0123"),
        ("R/ queue dept", dept, queue),
        ("R/ queue dept ?group=returned", dept, queue + "?group=returned"),
        ("R/ queue unit head", head, queue),
        ("R/ queue.xlsx dept", dept, reverse("reviews:queue_export")),
        ("R/ queue.xlsx bureau", bureau, reverse("reviews:queue_export")),
        ("R/ samples", bureau, reverse("reviews:samples")),
    ]
    big = SampleDraw.objects.filter(requested=1000).order_by("pk").first()
    small = SampleDraw.objects.filter(requested=50).order_by("pk").first()
    if big:
        out.append(("R/ sample of 1000", bureau, reverse("reviews:sample", args=[big.pk])))
    if small:
        out.append(("R/ sample of 50", bureau, reverse("reviews:sample", args=[small.pk])))
    results = reverse("audit_web:results")
    out += [
        ("R/ audit results bureau", bureau, results),
        ("R/ audit results ?level", bureau, results + "?level=error"),
        ("R/ audit results ?campaign", bureau, f"{results}?campaign={ctx.department_campaign.pk}"),
        ("R/ audit results ?q=", bureau, results + "?q=基准测试单位0123"),
        ("R/ audit results dept", dept, results),
    ]
    # The second page of the bureau's list: after the 50th newest result it may see (all).
    ids = list(AuditedFile.objects.order_by("-pk").values_list("pk", flat=True)[49:50])
    if ids:
        out.append(("R/ audit results page 2", bureau, f"{results}?after={ids[0]}"))
    one = AuditedFile.objects.filter(requested_by=bureau, errors__gt=0).order_by("pk").first()
    if one:
        out.append(("R/ audit result", bureau, reverse("audit_web:result", args=[one.pk])))
    for job in Job.objects.filter(kind="audit.campaign", requested_by__in=[bureau, dept]):
        who = bureau if job.requested_by_id == bureau.pk else dept
        out.append((f"R/ audit job {job.total}", who, reverse("audit_web:job", args=[job.pk])))
        out.append(
            (
                f"R/ audit job results {job.total}",
                who,
                reverse("audit_web:job_results", args=[job.pk]),
            )
        )
    portal = reverse("portal:index")
    out += [
        ("R/ portal", None, portal),
        ("R/ portal page 2", None, portal + "?after={next:" + portal + "}"),
        ("R/ portal ?year&grade", None, portal + "?year=2025&grade=优"),
        ("R/ portal ?q=", None, portal + "?q=基准测试单位0123"),
        (
            "R/ api public cursor",
            None,
            "/api/public/reports?limit=100&cursor={next:/api/public/reports?limit=100}",
        ),
        ("R/ api public ?year", None, "/api/public/reports?year=2025&limit=100"),
    ]
    publication = Publication.objects.filter(withdrawn_at__isnull=True).order_by("-pk").first()
    if publication:
        out.append(("R/ portal detail", None, reverse("portal:detail", args=[publication.pk])))
    out += [
        ("R/ jobs bureau", bureau, reverse("jobs:list")),
        ("R/ jobs admin", admin, reverse("jobs:list")),
        ("R/ notifications bureau", bureau, reverse("notifications:inbox")),
        ("R/ notifications ?unread", bureau, reverse("notifications:inbox") + "?unread=1"),
        ("R/ notifications badge bureau", bureau, reverse("notifications:badge")),
        ("R/ notifications badge dept", dept, reverse("notifications:badge")),
        ("R/ notifications failures", admin, reverse("notifications:failures")),
        ("R/ activity.xlsx", admin, reverse("activity:export")),
        ("R/ evaluations.xlsx", bureau, reverse("evaluations:list_export")),
    ]
    return out
