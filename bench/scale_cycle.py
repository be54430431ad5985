"""bench/scale.py's rows and routes for the cycle around the self-evaluation (issue 14): 绩效目标申报
and 目标调整, 绩效运行监控, 整改 and 结果应用. Select them with ``--only cycle``.

Volumes at N units (N = 50,000 in the issue's run), and why:

- **绩效目标申报** (``targets``, 2025): one 部门整体 declaration per unit and one per project of the
  self-evaluation campaign (N × (1 + ``--projects``) = 250,000: "谁批复预算，谁批复目标", every
  budgeted project declares targets), 90 % approved (targets are approved with the budget), the
  rest submitted, passed on or returned. **目标调整** for 4 % of the approved declarations (10,000:
  "一般不予调整" — a few in a hundred) in every state: requested, passed on by the department,
  approved, refused, withdrawn; a tenth of those have a second adjustment (number 2).
- **绩效运行监控** (``monitoring``, 2025, data as of 7月31日): a report per unit (部门整体) and per
  project (250,000 reports: 顺庆区 monitored 5,146 projects of 215 units, i.e. every project;
  docs/cycle.md §5), mostly submitted or approved. **Warnings** for 20 % of the reports, one to
  three each (about 100,000: Sichuan's 25/40/60/80 % lines warn about one project in five), red
  and yellow, every reason, names copied as the save path copies them.
- **整改**: a task for every approved 2025 self-evaluation graded 中 or 差 and for 5 % of the
  others (about 45,000), in every state (待整改, 已报, 已确认, 重新整改; a third overdue), each with
  its steps (raised, reported, confirmed/reopened) as the services write them.
- **结果应用**: a ResultEntry per approved or published 2025 self-evaluation (as the refresh job
  writes them: score, grade, execution rate, targets met, warnings and 整改 counts), and two earlier
  years for the trends: a published 部门整体 self-evaluation per unit in 2023 and 2024 campaigns,
  each with its ResultEntry (2 × N). Those earlier evaluations carry a short stand-in document
  (its scoring summary columns filled): no measured route decodes it — the trends read the stored
  rows — and N × 2 copies of the 9.6 KB seed would add about a gigabyte to the build.
- **结果公开**: a Publication for every published 2025 self-evaluation, unless another module
  (scale_review) has already published them.

Everything is written with COPY (evaluations, warnings, tasks, steps, result rows) or bulk_create
with a batch size (adjustments), never one save per row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from decimal import Decimal
from typing import Any

from scale_common import BuildContext, MeasureContext

TARGETS_NOTICE = "湛财绩〔2026〕97号"
MONITORING_NOTICE = "湛财绩〔2026〕96号"
YEAR_NOTICES = {2023: "湛财绩〔2024〕95号", 2024: "湛财绩〔2025〕94号"}

EVALUATION_COLUMNS = (
    "campaign_id, unit_id, project_name, status, data, version, deadline_override, "
    "ruleset_ref, total, grade, first_saved_at, updated_at, updated_by_id, "
    "over_completions, over_unexplained, execution_rate, problem_count, "
    "department_name, unit_name, campaign_year"
)


def _copy(table: str, columns: str, rows: Any) -> int:
    from django.db import connection

    n = 0
    with connection.cursor() as django_cursor:
        raw = django_cursor.cursor
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
    return n


def _ids(campaign: Any) -> list[tuple[int, int, str, str]]:
    from jixiao.evaluations.models import Evaluation

    return list(
        Evaluation.objects.filter(campaign=campaign)
        .order_by("pk")
        .values_list("pk", "unit_id", "project_name", "status")
    )


def _campaign(ctx: BuildContext, *, year: int, kind: str, title: str, notice: str, **extra: Any):  # type: ignore[no-untyped-def]
    from jixiao.campaigns.models import Campaign

    return Campaign.objects.create(
        bureau=ctx.bureau,
        year=year,
        title=title,
        notice_title="基准测试通知",
        notice_number=notice,
        kind=kind,
        ruleset_ref=extra.pop("ruleset_ref", ""),
        deadline=extra.pop("deadline", ctx.now - dt.timedelta(days=30)),
        **extra,
    )


def build(ctx: BuildContext) -> None:
    from django.db.models import Q

    from jixiao.evaluations.models import Evaluation, Status

    rng = ctx.rng
    now = ctx.now
    units = ctx.units
    unit_ids = ctx.unit_ids
    parent_of = {u: units[i].parent for i, u in enumerate(unit_ids)}
    name_of = {u: units[i].name for i, u in enumerate(unit_ids)}
    projects = ctx.args.projects

    # ---- 绩效目标申报 and 目标调整 ------------------------------------------------------------
    t = time.perf_counter()
    demo = (
        Evaluation.objects.filter(campaign__kind="targets", status=Status.APPROVED)
        .exclude(data={})
        .order_by("pk")
    )
    department_declaration = demo.filter(project__isnull=True).first() or demo.first()
    project_declaration = demo.filter(project__isnull=False).first() or department_declaration
    assert department_declaration is not None, "the demo has approved target declarations"
    assert project_declaration is not None
    dept_json = json.dumps(department_declaration.data, ensure_ascii=False)
    project_json = json.dumps(project_declaration.data, ensure_ascii=False)
    targets = _campaign(
        ctx,
        year=2025,
        kind="targets",
        title="基准测试：2025年度绩效目标申报",
        notice=TARGETS_NOTICE,
        deadline=now - dt.timedelta(days=300),
    )
    declaration_states = [Status.APPROVED] * 18 + [
        Status.SUBMITTED,
        Status.RETURNED,
    ]

    def declarations():  # type: ignore[no-untyped-def]
        for unit_id in unit_ids:
            parent = parent_of[unit_id]
            for p in range(projects + 1):
                status = declaration_states[rng.randrange(len(declaration_states))]
                yield (
                    targets.pk,
                    unit_id,
                    f"基准项目{p - 1}" if p else "",
                    str(status),
                    project_json if p else dept_json,
                    3,
                    None,
                    "",
                    None,
                    "",
                    now - dt.timedelta(days=330),
                    now - dt.timedelta(days=300),
                    ctx.editor.pk if ctx.editor else None,
                    0,
                    0,
                    None,
                    0,
                    parent.name,
                    name_of[unit_id],
                    2025,
                )

    n = _copy("evaluations_evaluation", EVALUATION_COLUMNS, declarations())
    print(f"  {n} target declarations in {time.perf_counter() - t:.1f} s")

    from jixiao.targets.models import AdjustmentStatus, TargetAdjustment

    t = time.perf_counter()
    approved = [row for row in _ids(targets) if row[3] == Status.APPROVED]
    chosen = rng.sample(approved, k=max(1, len(approved) // 25))
    states = [
        AdjustmentStatus.REQUESTED,
        AdjustmentStatus.DEPARTMENT_APPROVED,
        AdjustmentStatus.APPROVED,
        AdjustmentStatus.APPROVED,
        AdjustmentStatus.REFUSED,
        AdjustmentStatus.WITHDRAWN,
    ]
    reviewer = ctx.reviewer
    bureau_user = _user("bureau_reviewer")
    adjustments = []
    for pk, _unit, project_name, _status in chosen:
        base = json.loads(project_json if project_name else dept_json)
        numbers = [1, 2] if rng.random() < 0.1 else [1]
        for number in numbers:
            state = AdjustmentStatus.APPROVED if number < len(numbers) else rng.choice(states)
            data = json.loads(json.dumps(base))
            data["overall_goal"] = f"{data.get('overall_goal') or ''}（调整{number}）"
            requested = now - dt.timedelta(days=rng.randrange(5, 200), minutes=number)
            dept_done = state not in (AdjustmentStatus.REQUESTED, AdjustmentStatus.WITHDRAWN)
            refused_by_dept = state == AdjustmentStatus.REFUSED and rng.random() < 0.5
            bureau_done = state == AdjustmentStatus.APPROVED or (
                state == AdjustmentStatus.REFUSED and not refused_by_dept
            )
            canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            adjustments.append(
                TargetAdjustment(
                    declaration_id=pk,
                    number=number,
                    status=state,
                    reason="年中预算调整，项目实施内容变化，申请相应调整绩效目标。",
                    data=data,
                    base_data=base,
                    requested_by=ctx.editor,
                    department_comment="同意。" if dept_done and not refused_by_dept else "",
                    department_decided_by=reviewer if dept_done else None,
                    department_decided_at=requested + dt.timedelta(days=2) if dept_done else None,
                    bureau_comment="同意调整。" if state == AdjustmentStatus.APPROVED else "",
                    bureau_decided_by=bureau_user if bureau_done else None,
                    bureau_decided_at=requested + dt.timedelta(days=5) if bureau_done else None,
                    sha256=hashlib.sha256(canonical.encode()).hexdigest()
                    if state == AdjustmentStatus.APPROVED
                    else "",
                )
            )
            base = data if state == AdjustmentStatus.APPROVED else base
    TargetAdjustment.objects.bulk_create(adjustments, batch_size=2000)
    # requested_at is auto_now_add: spread it as the requests came in.
    _spread_requested_at(now)
    print(f"  {len(adjustments)} target adjustments in {time.perf_counter() - t:.1f} s")

    # ---- 绩效运行监控 ------------------------------------------------------------------------
    from jixiao.monitoring.models import MonitoringRound

    t = time.perf_counter()
    demo_report = (
        Evaluation.objects.filter(campaign__kind="monitoring").exclude(data={}).order_by("pk")
    )
    dept_report = demo_report.filter(project__isnull=True).first() or demo_report.first()
    project_report = demo_report.filter(project__isnull=False).first() or dept_report
    assert dept_report is not None, "the demo has a monitoring round"
    assert project_report is not None
    dept_report_json = json.dumps(dept_report.data, ensure_ascii=False)
    project_report_json = json.dumps(project_report.data, ensure_ascii=False)
    monitoring = _campaign(
        ctx,
        year=2025,
        kind="monitoring",
        title="基准测试：2025年1-7月绩效运行监控",
        notice=MONITORING_NOTICE,
        deadline=now - dt.timedelta(days=100),
    )
    MonitoringRound.objects.create(campaign=monitoring, as_of=dt.date(2025, 7, 31))
    report_states = (
        [Status.SUBMITTED, Status.DEPARTMENT_APPROVED]
        + [Status.APPROVED] * 3
        + [
            Status.DRAFT,
            Status.RETURNED,
        ]
    )

    def reports():  # type: ignore[no-untyped-def]
        for unit_id in unit_ids:
            parent = parent_of[unit_id]
            for p in range(projects + 1):
                status = report_states[rng.randrange(len(report_states))]
                yield (
                    monitoring.pk,
                    unit_id,
                    f"基准项目{p - 1}" if p else "",
                    str(status),
                    project_report_json if p else dept_report_json,
                    2,
                    None,
                    "",
                    None,
                    "",
                    now - dt.timedelta(days=110),
                    now - dt.timedelta(days=101),
                    ctx.editor.pk if ctx.editor else None,
                    0,
                    0,
                    None,
                    0,
                    parent.name,
                    name_of[unit_id],
                    2025,
                )

    n = _copy("evaluations_evaluation", EVALUATION_COLUMNS, reports())
    print(f"  {n} monitoring reports in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    reasons = [
        ("execution_behind", "", "", "预算执行进度落后序时进度{n}个百分点"),
        ("target_shortfall", "T1", "项目产出", "全年预计完成值仅为目标值的{n}%"),
        ("target_unlikely", "T2", "满意度", "完成目标可能性低"),
        ("over_budget", "", "", "执行数超过全年预算"),
    ]
    report_rows = _ids(monitoring)
    warning_columns = (
        "campaign_id, evaluation_id, unit_id, department_id, project_id, unit_name, "
        "department_name, project_name, target_code, target_name, level, reason, shortfall, "
        "time_progress, execution_progress, target_value, expected_value, completion, text, "
        "has_cause, has_measures, raised_at, updated_at"
    )

    def warnings():  # type: ignore[no-untyped-def]
        for pk, unit_id, project_name, status in report_rows:
            if rng.random() >= 0.2:
                continue
            parent = parent_of.get(unit_id)
            if parent is None:  # a demo unit's report: not ours
                continue
            for reason, code, target_name, text in rng.sample(reasons, k=rng.randint(1, 3)):
                level = 2 if rng.random() < 0.35 else 1
                shortfall = Decimal(rng.randint(100, 6000)) / 100
                handed_in = status != Status.DRAFT
                yield (
                    monitoring.pk,
                    pk,
                    unit_id,
                    parent.pk,
                    None,
                    name_of[unit_id],
                    parent.name,
                    project_name,
                    code,
                    target_name,
                    level,
                    reason,
                    shortfall,
                    Decimal("58.33"),
                    max(Decimal(0), Decimal("58.33") - shortfall)
                    if reason == "execution_behind"
                    else None,
                    Decimal(100) if code else None,
                    Decimal(100) - shortfall if code else None,
                    Decimal(100) - shortfall if code else None,
                    text.format(n=shortfall),
                    handed_in,
                    handed_in and level == 2,
                    now - dt.timedelta(days=105),
                    now - dt.timedelta(days=101),
                )

    n = _copy("monitoring_monitoringwarning", warning_columns, warnings())
    print(f"  {n} monitoring warnings in {time.perf_counter() - t:.1f} s")

    # ---- 整改 --------------------------------------------------------------------------------
    t = time.perf_counter()
    self_evaluations = list(
        Evaluation.objects.filter(
            Q(campaign=ctx.department_campaign) | Q(campaign=ctx.project_campaign),
            status__in=(Status.APPROVED, Status.PUBLISHED),
        )
        .order_by("pk")
        .values_list("pk", "unit_id", "project_name", "grade", "total", "execution_rate")
    )
    task_states = ["open", "open", "reported", "confirmed", "confirmed", "reopened"]
    today = now.date()
    tasks = []
    for pk, unit_id, project_name, grade, _total, _rate in self_evaluations:
        if unit_id not in parent_of:
            continue
        if grade not in ("中", "差") and rng.random() >= 0.05:
            continue
        tasks.append((pk, unit_id, project_name, rng.choice(task_states)))
    task_columns = (
        "unit_id, department_id, evaluation_id, year, problem, measures, deadline, status, "
        "source_kind, source_id, source_label, source_url, raised_by_id, raised_at, report, "
        "reported_at, decided_at, decision_comment, updated_at"
    )
    open_by_unit: dict[int, list[int]] = {}

    def task_rows():  # type: ignore[no-untyped-def]
        for pk, unit_id, project_name, state in tasks:
            deadline = today + dt.timedelta(days=rng.randint(-60, 90))
            reported = state in ("reported", "confirmed", "reopened")
            decided = state in ("confirmed", "reopened")
            if state in ("open", "reopened"):
                counts = open_by_unit.setdefault(unit_id, [0, 0])
                counts[0] += 1
                counts[1] += deadline < today
            yield (
                unit_id,
                parent_of[unit_id].pk,
                pk,
                2025,
                f"{project_name or '部门整体'}自评发现：部分绩效指标完成值偏离目标，佐证材料不全。",
                "补齐佐证材料，分析偏差原因，完善下年度绩效目标。",
                deadline,
                state,
                "report_problem",
                f"{pk}:0",  # the source's id as resolve_source writes it (evaluation:problem)
                "自评报告存在问题第 1 条",
                f"/evaluations/{pk}/",
                ctx.reviewer.pk,
                now - dt.timedelta(days=90),
                "已补充台账并完善目标。" if reported else "",
                now - dt.timedelta(days=30) if reported else None,
                now - dt.timedelta(days=20) if decided else None,
                "整改到位。"
                if state == "confirmed"
                else ("佐证不足，请重新整改。" if decided else ""),
                now - dt.timedelta(days=20),
            )

    n = _copy("rectification_rectificationtask", task_columns, task_rows())
    from jixiao.rectification.models import RectificationTask

    step_columns = "task_id, action, from_status, to_status, actor_id, at, comment"

    # Read before the COPY starts: no other query may run on its connection meanwhile.
    written = list(
        RectificationTask.objects.filter(year=2025, source_kind="report_problem")
        .order_by("pk")
        .values_list("pk", "status")
    )

    def step_rows():  # type: ignore[no-untyped-def]
        for task_id, state in written:
            yield (task_id, "raise", "", "open", ctx.reviewer.pk, now - dt.timedelta(days=90), "")
            if state == "open":
                continue
            yield (
                task_id,
                "report",
                "open",
                "reported",
                ctx.editor.pk,
                now - dt.timedelta(days=30),
                "",
            )
            if state in ("confirmed", "reopened"):
                action = "confirm" if state == "confirmed" else "reopen"
                yield (
                    task_id,
                    action,
                    "reported",
                    state,
                    ctx.reviewer.pk,
                    now - dt.timedelta(days=20),
                    "",
                )

    steps = _copy("rectification_rectificationstep", step_columns, step_rows())
    print(f"  {n} 整改 tasks, {steps} steps in {time.perf_counter() - t:.1f} s")

    # ---- 结果应用: 2023 and 2024 campaigns, then a row per approved evaluation ----------------
    t = time.perf_counter()
    standin = json.dumps(
        {"kind": "department", "note": "基准测试：往年自评的占位内容（结果应用表读存储列）"},
        ensure_ascii=False,
    )
    grades = ((90, "优"), (80, "良"), (60, "中"), (0, "差"))
    earlier: list[Any] = []
    for year, notice in YEAR_NOTICES.items():
        campaign = _campaign(
            ctx,
            year=year,
            kind="department",
            title=f"基准测试：{year}年度部门整体支出绩效自评",
            notice=notice,
            ruleset_ref=ctx.department_campaign.ruleset_ref,
            deadline=now - dt.timedelta(days=365 * (2025 - year) + 200),
        )
        earlier.append(campaign)

        def old_rows(campaign=campaign, year=year):  # type: ignore[no-untyped-def]
            for unit_id in unit_ids:
                total = round(rng.uniform(55, 100), 2)
                yield (
                    campaign.pk,
                    unit_id,
                    "",
                    "published",
                    standin,
                    5,
                    None,
                    ctx.department_campaign.ruleset_ref,
                    total,
                    next(g for low, g in grades if total >= low),
                    now - dt.timedelta(days=365 * (2025 - year) + 230),
                    now - dt.timedelta(days=365 * (2025 - year) + 150),
                    ctx.editor.pk if ctx.editor else None,
                    0,
                    0,
                    round(rng.uniform(70, 100), 2),
                    0,
                    parent_of[unit_id].name,
                    name_of[unit_id],
                    year,
                )

        _copy("evaluations_evaluation", EVALUATION_COLUMNS, old_rows())
    entry_columns = (
        "evaluation_id, year, unit_id, department_id, unit_name, department_name, project_name, "
        "total, grade, execution_rate, targets_met, targets_total, warnings, red_warnings, "
        "open_tasks, overdue_tasks, refreshed_at"
    )
    warning_counts: dict[int, list[int]] = {}
    from jixiao.monitoring.models import MonitoringWarning

    for unit_id, level in MonitoringWarning.objects.filter(campaign=monitoring).values_list(
        "unit_id", "level"
    ):
        counts = warning_counts.setdefault(unit_id, [0, 0])
        counts[0] += 1
        counts[1] += level == 2

    rows = [(2025, row) for row in self_evaluations]
    for campaign in earlier:
        rows += [
            (campaign.year, row)
            for row in Evaluation.objects.filter(campaign=campaign)
            .order_by("pk")
            .values_list("pk", "unit_id", "project_name", "grade", "total", "execution_rate")
        ]

    def entry_rows():  # type: ignore[no-untyped-def]
        for year, (pk, unit_id, project_name, grade, total, rate) in rows:
            parent = parent_of.get(unit_id)
            if parent is None:
                continue
            pending, overdue = open_by_unit.get(unit_id, [0, 0]) if year == 2025 else (0, 0)
            warned, red = warning_counts.get(unit_id, [0, 0]) if year == 2025 else (0, 0)
            targets_total = rng.randint(6, 14)
            yield (
                pk,
                year,
                unit_id,
                parent.pk,
                name_of[unit_id],
                parent.name,
                project_name,
                total,
                grade,
                rate,
                targets_total - rng.randint(0, 3),
                targets_total,
                warned,
                red,
                pending,
                overdue,
                now,
            )

    n = _copy("results_resultentry", entry_columns, entry_rows())
    print(f"  2023/2024 campaigns and {n} result rows in {time.perf_counter() - t:.1f} s")

    # ---- 结果公开 ----------------------------------------------------------------------------
    from jixiao.reviews.models import Publication

    t = time.perf_counter()
    published = Evaluation.objects.filter(
        campaign__in=[ctx.department_campaign, ctx.project_campaign, *earlier],
        status=Status.PUBLISHED,
    )
    if Publication.objects.filter(evaluation__in=published).exists():
        print("  publications: already written by another module")
        return
    publisher = _user("bureau_reviewer")
    publication_columns = (
        "evaluation_id, version, published_at, published_by_id, total, grade, unit_name, "
        "department_name, withdrawal_reason"
    )
    to_publish = list(
        published.exclude(total__isnull=True)
        .order_by("pk")
        .values_list("pk", "total", "grade", "unit_name", "department_name")
    )
    n = _copy(
        "reviews_publication",
        publication_columns,
        (
            (pk, 1, now - dt.timedelta(days=10), publisher.pk, total, grade, unit, dept, "")
            for pk, total, grade, unit, dept in to_publish
        ),
    )
    print(f"  {n} publications in {time.perf_counter() - t:.1f} s")


def _user(username: str) -> Any:
    from jixiao.organisations.models import User

    return User.objects.get(username=username)


def _spread_requested_at(now: dt.datetime) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE targets_targetadjustment SET requested_at = "
            "COALESCE(department_decided_at, %s) - (id %% 97) * interval '1 hour' - interval '2 days'",
            [now],
        )


# ---------------------------------------------------------------- routes


def routes(ctx: MeasureContext) -> list[tuple[str, Any, str]]:
    from django.urls import reverse

    from jixiao.campaigns.models import Campaign
    from jixiao.evaluations.models import Evaluation
    from jixiao.rectification import selectors as rect_selectors
    from jixiao.rectification.models import RectificationTask
    from jixiao.targets.models import TargetAdjustment

    targets = Campaign.objects.filter(notice_number=TARGETS_NOTICE).first()
    monitoring = Campaign.objects.filter(notice_number=MONITORING_NOTICE).first()
    if targets is None or monitoring is None:
        return []
    bureau, admin, dept = ctx.bureau, ctx.admin, ctx.dept
    unit_user = _user("unit_editor")
    department = ctx.some_department
    dept_id = getattr(department, "pk", "")
    adjustment = (
        TargetAdjustment.objects.filter(declaration__campaign=targets, number=2)
        .order_by("pk")
        .first()
        or TargetAdjustment.objects.filter(declaration__campaign=targets).order_by("pk").first()
    )
    assert adjustment is not None
    declaration_id = adjustment.declaration_id
    report = (
        Evaluation.objects.filter(campaign=monitoring, monitoring_warnings__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    task = RectificationTask.objects.filter(year=2025).order_by("pk").first()
    assert task is not None
    some_unit = task.unit_id
    # a 部门整体 self-evaluation (its report states problems) with a task raised from it
    reported = (
        RectificationTask.objects.filter(year=2025, evaluation__campaign=ctx.department_campaign)
        .order_by("pk")
        .values_list("evaluation_id", flat=True)
        .first()
    )
    adjustments = reverse("targets:adjustments")
    warnings = reverse("monitoring:warnings")
    tasks = reverse("rectification:list")
    results = reverse("results:index")

    def rect_page_two(user: Any, query: dict[str, str]) -> str:
        filters = rect_selectors.TaskFilters.from_query(query)
        first = rect_selectors.task_page(user=user, filters=filters)
        cursor = getattr(first, "next_cursor", None) or getattr(first, "next_after", "")
        from urllib.parse import urlencode

        return tasks + "?" + urlencode({**query, "after": cursor or ""})

    def results_page_two() -> str:
        from jixiao.results import selectors as result_selectors

        filters = result_selectors.ResultFilters.from_query({"year": "2025"})
        first = result_selectors.page(user=bureau, filters=filters)
        cursor = getattr(first, "next_cursor", None) or getattr(first, "next_after", "")
        return f"{results}?year=2025&after={cursor or ''}"

    def public_page_two() -> str:
        from jixiao.results import selectors as result_selectors

        first = result_selectors.public_table(year=2025)
        cursor = getattr(first, "next_cursor", None) or getattr(first, "next_after", "")
        return f"{reverse('results:public')}?year=2025&after={cursor or ''}"

    return [
        # 绩效目标调整
        ("cycle targets: adjustments (bureau queue)", bureau, adjustments),
        ("cycle targets: adjustments ?status=all", bureau, adjustments + "?status=all"),
        (
            "cycle targets: adjustments page 2",
            bureau,
            adjustments + "?status=all&after={next:" + adjustments + "?status=all}",
        ),
        ("cycle targets: adjustments (dept)", dept, adjustments + "?status=all"),
        ("cycle targets: adjustments (unit)", unit_user, adjustments + "?status=all"),
        ("cycle targets: adjustment", bureau, reverse("targets:adjustment", args=[adjustment.pk])),
        ("cycle targets: versions", bureau, reverse("targets:versions", args=[declaration_id])),
        ("cycle targets: api declaration", bureau, f"/api/targets/declarations/{declaration_id}"),
        (
            "cycle targets: api adjustments",
            bureau,
            f"/api/targets/declarations/{declaration_id}/adjustments",
        ),
        ("cycle targets: api adjustment", bureau, f"/api/targets/adjustments/{adjustment.pk}"),
        # 绩效运行监控
        ("cycle monitoring: round", admin, reverse("monitoring:round", args=[monitoring.pk])),
        ("cycle monitoring: report", bureau, reverse("monitoring:report", args=[report])),
        ("cycle monitoring: warnings", bureau, f"{warnings}?campaign={monitoring.pk}"),
        (
            "cycle monitoring: warnings page 2",
            bureau,
            f"{warnings}?campaign={monitoring.pk}&after={{next:{warnings}?campaign={monitoring.pk}}}",
        ),
        (
            "cycle monitoring: warnings red+dept",
            bureau,
            f"{warnings}?campaign={monitoring.pk}&level=2&department={dept_id}",
        ),
        (
            "cycle monitoring: warnings reason, by unit",
            bureau,
            f"{warnings}?campaign={monitoring.pk}&reason=target_unlikely&sort=unit",
        ),
        ("cycle monitoring: warnings (dept)", dept, f"{warnings}?campaign={monitoring.pk}"),
        (
            "cycle monitoring: warnings.xlsx dept red reason",
            bureau,
            f"{reverse('monitoring:warnings_export')}?campaign={monitoring.pk}&level=2&department={dept_id}&reason=target_unlikely",
        ),
        (
            "cycle monitoring: api warnings",
            bureau,
            f"/api/monitoring/warnings?campaign={monitoring.pk}",
        ),
        ("cycle monitoring: api report", bureau, f"/api/monitoring/reports/{report}"),
        # 整改
        ("cycle rectification: list", bureau, tasks),
        ("cycle rectification: list page 2", bureau, rect_page_two(bureau, {})),
        ("cycle rectification: ?status=open", bureau, tasks + "?status=open"),
        ("cycle rectification: ?overdue&dept", bureau, f"{tasks}?overdue=1&department={dept_id}"),
        ("cycle rectification: list (dept)", dept, tasks),
        ("cycle rectification: task", bureau, reverse("rectification:detail", args=[task.pk])),
        (
            "cycle rectification: new (other)",
            bureau,
            reverse("rectification:create") + "?kind=other",
        ),
        (
            "cycle rectification: new (report)",
            bureau,
            reverse("rectification:create") + f"?kind=report_problem&id={reported}:0",
        ),
        # 结果应用
        ("cycle results: index", bureau, results),
        ("cycle results: ?year=2025", bureau, results + "?year=2025"),
        (
            "cycle results: page 2",
            bureau,
            results_page_two(),
        ),
        (
            "cycle results: ?grade=差&dept",
            bureau,
            f"{results}?year=2025&grade=差&department={dept_id}",
        ),
        (
            "cycle results: export.xlsx dept 优",
            bureau,
            f"{reverse('results:export')}?year=2025&department={dept_id}&grade=优",
        ),
        ("cycle results: export.xlsx all", bureau, reverse("results:export") + "?year=2025"),
        ("cycle results: assessment", bureau, reverse("results:assessment") + "?year=2025"),
        (
            "cycle results: assessment.xlsx",
            bureau,
            reverse("results:assessment_export") + "?year=2025",
        ),
        ("cycle results: trends", bureau, reverse("results:trends")),
        ("cycle results: trends dept", bureau, f"{reverse('results:trends')}?department={dept_id}"),
        ("cycle results: trends unit", bureau, f"{reverse('results:trends')}?unit={some_unit}"),
        ("cycle results: public", None, reverse("results:public")),
        ("cycle results: public 2025 p2", None, public_page_two()),
    ]
