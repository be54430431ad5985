"""bench/scale.py's people, register and library rows (issue 14): accounts, the 项目库 and the
指标库 at province scale, and every route of those domains that reads more as the city grows.

Volumes, per synthetic unit (so 50,000 units give the figures in brackets), and why:

- **Accounts** (≈116,700): a 单位填报人 and a 单位负责人 for every unit (submitting needs the head),
  and a second 填报人 in one unit in three (the bigger units split the forms) — the brief's 2–3
  per unit. 3 % inactive (people who left), one in five still on their first password
  (``must_change_password``), every account with the display name, phone and e-mail the account
  form requires or offers. Each synthetic department gets two 主管部门审核人. One Argon2 hash for
  all (hashing 116,700 passwords would take an hour and measures nothing here).
- **项目库** (200,000 projects, 350,000 budget lines): the bench's ``--projects`` projects per
  unit for 2025, named as its project self-evaluations (which are then linked to them, as a
  campaign from the register links them), each with one or two fund sources (财政拨款, and 其他资金
  for one in three) whose sums are the project's stored totals, as ``services.save_project``
  stores them; plus each unit's own 部门整体 budget line (50,000).
- **指标库** (≈600,000 uses, ≈40,000 indicators): three targets per project drawn from the
  300-name vocabulary of bench/indicator_library.py with its skew (a few names everywhere), and
  a project-specific name in one project in five — the shape the library benchmark measured at
  20,000 projects, here at ten times that. ``unit_count``/``use_count``/``last_year`` recounted
  in SQL as ``services`` recounts them.

Not written: the 操作日志 events of the accounts' creation (bench/scale.py's activity route
measures the log) and password history (read only when a password changes).

The routes: 账号管理 (list, search, filters, a later page, one account, the new-account form),
单位管理's forms and import, the campaign forms with their unit pickers, rule-sets and 延期, the
项目库 (list for each role, filters, a later page, export, one project, a unit's budget, the API),
the 指标库 (search, picker, one indicator, the API), one synthetic unit's own evaluation pages as
its 填报人 and as the bureau, the home page for each role and the account pages. Labels start
with ``people``, ``campaign forms``, ``projects``, ``indicators``, ``own evaluation``, ``home`` or
``account``; ``--only people`` etc. select them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from scale_common import BuildContext, MeasureContext

PASSWORD = "bench-pass-2025"
SOURCES = ("财政拨款", "其他资金")
CATEGORIES = ("专项业务费", "基本建设", "信息化建设", "运转保障", "民生保障")
TARGETS_PER_PROJECT = 3
SAMPLE_UNIT = 123  # the synthetic unit whose people and evaluation the routes use


def _username(index: int, role: str) -> str:
    return f"bench{index:06d}_{role}"


def build(ctx: BuildContext) -> None:
    import time

    t = time.perf_counter()
    _accounts(ctx)
    print(f"  accounts in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    _projects(ctx)
    print(f"  projects and budget lines in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    _indicators(ctx)
    print(f"  indicator uses in {time.perf_counter() - t:.1f} s")


def _accounts(ctx: BuildContext) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from jixiao.organisations.models import Role

    hashed = make_password(PASSWORD)
    rng = ctx.rng
    now = ctx.now
    columns = (
        "password, last_login, is_superuser, username, first_name, last_name, email, is_staff, "
        "is_active, date_joined, organisation_id, role, display_name, phone, "
        "must_change_password, password_changed_at, two_factor_enabled"
    )
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
    given = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平"

    def row(username: str, organisation_id: int, role: str, n: int) -> tuple[Any, ...]:
        first_password = rng.random() < 0.2
        joined = now - dt.timedelta(days=rng.randrange(30, 900))
        return (
            hashed,
            None if first_password else now - dt.timedelta(hours=rng.randrange(1, 2000)),
            False,
            username,
            "",
            "",
            f"{username}@bench.example.cn",
            False,
            rng.random() >= 0.03,
            joined,
            organisation_id,
            role,
            surnames[n % len(surnames)] + given[(n // 7) % len(given)] + given[n % len(given)],
            f"0759-{2000000 + n % 8000000:07d}",
            first_password,
            None if first_password else joined,
            False,
        )

    count = 0
    with connection.cursor() as django_cursor:
        raw = django_cursor.cursor
        with raw.copy(f"COPY organisations_user ({columns}) FROM STDIN") as copy:
            for index, unit_id in enumerate(ctx.unit_ids):
                roles = [(Role.UNIT_EDITOR, "editor"), (Role.UNIT_HEAD, "head")]
                if index % 3 == 0:
                    roles.append((Role.UNIT_EDITOR, "editor2"))
                for role, suffix in roles:
                    copy.write_row(row(_username(index, suffix), unit_id, str(role), count))
                    count += 1
            for number, department in enumerate(ctx.departments):
                for k in range(2):
                    username = f"bench_dept{number:02d}_{k}"
                    copy.write_row(
                        row(username, department.pk, str(Role.DEPARTMENT_REVIEWER), count)
                    )
                    count += 1
    print(f"  {count} accounts (COPY)")


def _projects(ctx: BuildContext) -> None:
    from django.db import connection

    rng = ctx.rng
    projects = 0
    with connection.cursor() as django_cursor:
        raw = django_cursor.cursor
        with raw.copy(
            "COPY projects_project (unit_id, department_id, year, code, name, category, "
            "period_start, period_end, initial_total, adjusted_total, executed_total, "
            "is_active, created_at, created_by_id) FROM STDIN"
        ) as copy:
            for index, unit in enumerate(ctx.units):
                for p in range(ctx.args.projects):
                    initial = Decimal(rng.randrange(5, 5000))
                    adjusted = initial + Decimal(rng.randrange(0, 200))
                    executed = (adjusted * Decimal(rng.uniform(0.5, 1))).quantize(Decimal("1"))
                    multi_year = rng.random() < 0.2
                    copy.write_row(
                        (
                            unit.pk,
                            unit.parent_id,
                            2025,
                            f"44080025{index:06d}{p:02d}",
                            f"基准项目{p}",  # the project self-evaluations' names
                            CATEGORIES[(index + p) % len(CATEGORIES)],
                            2024 if multi_year else 2025,
                            2026 if multi_year else 2025,
                            initial,
                            adjusted,
                            executed,
                            rng.random() >= 0.02,
                            ctx.now,
                            None,
                        )
                    )
                    projects += 1
        # Budget lines from the projects' stored totals: 财政拨款 alone, or 财政拨款 and 其他资金
        # (a third of the projects) splitting each amount; the sums are the totals, as save_project
        # stores them.
        django_cursor.execute(
            """
            INSERT INTO projects_budgetline (unit_id, year, project_id, source, initial, adjusted,
                                             executed)
            SELECT unit_id, year, id, %s,
                   CASE WHEN id %% 3 = 0 THEN initial_total - FLOOR(initial_total / 4)
                        ELSE initial_total END,
                   CASE WHEN id %% 3 = 0 THEN adjusted_total - FLOOR(adjusted_total / 4)
                        ELSE adjusted_total END,
                   CASE WHEN id %% 3 = 0 THEN executed_total - FLOOR(executed_total / 4)
                        ELSE executed_total END
              FROM projects_project WHERE code LIKE '44080025%%'
            UNION ALL
            SELECT unit_id, year, id, %s, FLOOR(initial_total / 4), FLOOR(adjusted_total / 4),
                   FLOOR(executed_total / 4)
              FROM projects_project WHERE code LIKE '44080025%%' AND id %% 3 = 0
            """,
            list(SOURCES),
        )
        lines = django_cursor.rowcount
        with raw.copy(
            "COPY projects_budgetline (unit_id, year, project_id, source, initial, adjusted, "
            "executed) FROM STDIN"
        ) as copy:
            for unit_id in ctx.unit_ids:
                initial = Decimal(rng.randrange(100, 20000))
                copy.write_row((unit_id, 2025, None, SOURCES[0], initial, initial, initial))
        # The project self-evaluations belong to their registered projects (a campaign from the
        # register links each task to its project).
        django_cursor.execute(
            """
            UPDATE evaluations_evaluation AS e SET project_id = p.id
              FROM projects_project AS p
             WHERE e.campaign_id = %s AND p.unit_id = e.unit_id AND p.year = 2025
               AND p.name = e.project_name
            """,
            [ctx.project_campaign.pk],
        )
        linked = django_cursor.rowcount
    print(
        f"  {projects} projects, {lines} project budget lines, {len(ctx.unit_ids)} unit lines, "
        f"{linked} evaluations linked"
    )


def _indicators(ctx: BuildContext) -> None:
    from django.db import connection
    from indicator_library import VOCABULARY, vocabulary

    from jixiao.indicators.models import Indicator, IndicatorKind
    from jixiao.indicators.services import sync_common_indicators
    from scoring.indicator_library import measure_key, name_key

    rng = ctx.rng
    shared = vocabulary()
    weights = [1 / (rank + 1) ** 0.9 for rank in range(VOCABULARY)]
    entries: dict[tuple[str, str, str, str], Indicator] = {}

    def entry(level1: str, level2: str, name: str, measure: str) -> Indicator:
        key = (level1, level2, name_key(name), measure_key(measure))
        found = entries.get(key)
        if found is None:
            found = entries[key] = Indicator(
                kind=IndicatorKind.CUSTOM,
                level1=level1,
                level2=level2,
                name=name,
                name_key=key[2],
                measure=measure,
                measure_key=key[3],
                direction=">=",
            )
        return found

    for level1, level2, name, measure, _base in shared:
        entry(level1, level2, name, measure)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, unit_id, department_id, name FROM projects_project "
            "WHERE code LIKE '44080025%%' ORDER BY id"
        )
        projects = cursor.fetchall()
    planned: list[tuple[Any, ...]] = []
    for project_id, unit_id, department_id, project_name in projects:
        picked: set[int] = set()
        while len(picked) < TARGETS_PER_PROJECT - 1:
            picked.add(rng.choices(range(VOCABULARY), weights)[0])
        rows = [shared[i] for i in sorted(picked)]
        if rng.random() < 0.2:
            specific = f"{project_name}专项指标{project_id}"
            rows.append(("产出指标", "数量指标", specific, "项", Decimal(3)))
        else:
            rows.append(shared[rng.randrange(VOCABULARY)])
        seen: set[tuple[str, str]] = set()
        for code, (level1, level2, name, measure, base) in enumerate(rows, start=1):
            indicator = entry(level1, level2, name, measure)
            if (indicator.name_key, indicator.measure_key) in seen:
                continue
            seen.add((indicator.name_key, indicator.measure_key))
            target = (base * Decimal(rng.uniform(0.7, 1.3))).quantize(Decimal("0.01"))
            if measure == "%":
                target = min(target, Decimal(100))
            actual = (
                (target * Decimal(rng.uniform(0.8, 1.4))).quantize(Decimal("0.01"))
                if rng.random() < 0.4
                else None
            )
            planned.append(
                (
                    indicator,
                    unit_id,
                    department_id,
                    project_id,
                    project_name,
                    f"T{code}",
                    target,
                    actual,
                )
            )
    Indicator.objects.bulk_create(entries.values(), batch_size=5000)
    with connection.cursor() as django_cursor:
        raw = django_cursor.cursor
        with raw.copy(
            "COPY indicators_indicatoruse (indicator_id, unit_id, department_id, year, scope_key, "
            "project_id, project_name, code, level1, level2, name, name_key, measure, measure_key, "
            "direction, target_value, target_high, target_text, actual_value, declaration_id, "
            "adjustment_id, evaluation_id, recorded_at) FROM STDIN"
        ) as copy:
            for (
                indicator,
                unit_id,
                department_id,
                project_id,
                name,
                code,
                target,
                actual,
            ) in planned:
                copy.write_row(
                    (
                        indicator.pk,
                        unit_id,
                        department_id,
                        2025,
                        f"project:{project_id}",
                        project_id,
                        name,
                        code,
                        indicator.level1,
                        indicator.level2,
                        indicator.name,
                        indicator.name_key,
                        indicator.measure,
                        indicator.measure_key,
                        indicator.direction,
                        target,
                        None,
                        "",
                        actual,
                        None,
                        None,
                        None,
                        ctx.now,
                    )
                )
        django_cursor.execute(
            """
            UPDATE indicators_indicator AS i
               SET unit_count = c.units, use_count = c.uses, last_year = c.last
              FROM (SELECT indicator_id, COUNT(DISTINCT unit_id) AS units, COUNT(*) AS uses,
                           MAX(year) AS last
                      FROM indicators_indicatoruse GROUP BY indicator_id) AS c
             WHERE i.id = c.indicator_id
            """
        )
    sync_common_indicators()
    print(f"  {len(entries)} indicators, {len(planned)} uses")


# ---------------------------------------------------------------- routes


def routes(ctx: MeasureContext) -> list[tuple[str, Any, str]]:
    from django.urls import reverse

    from jixiao.evaluations.models import Evaluation
    from jixiao.evaluations.sections import evaluation_kind, sections_for
    from jixiao.indicators.models import Indicator
    from jixiao.organisations.models import User
    from jixiao.projects.models import Project

    editor = User.objects.filter(username=_username(SAMPLE_UNIT, "editor")).first()
    if editor is None:  # a database built before this module
        return []
    # A head past the first sign-in's password change (one in five is not: they are redirected).
    head = (
        User.objects.filter(
            role="unit_head", must_change_password=False, username__startswith="bench"
        )
        .order_by("pk")
        .first()
    )
    unit = editor.organisation
    assert unit is not None
    dept = User.objects.filter(organisation=unit.parent, role="department_reviewer").first()
    dept = dept or ctx.dept
    bureau, admin = ctx.bureau, ctx.admin
    own = Evaluation.objects.get(campaign=ctx.department_campaign, unit=unit)
    own_project = (
        Evaluation.objects.filter(campaign=ctx.project_campaign, unit=unit).order_by("pk").first()
    )
    project = Project.objects.filter(unit=unit).order_by("pk").first()
    assert project is not None and own_project is not None
    popular = Indicator.objects.order_by("-unit_count", "pk").first()
    assert popular is not None
    department = ctx.some_department
    users = reverse("organisations:users")
    projects = reverse("projects:list")
    indicators = reverse("indicators:search")
    out: list[tuple[str, Any, str]] = [
        # 账号管理
        ("people users list", admin, users),
        ("people users ?q=unit", admin, users + "?q=基准测试单位0123"),
        ("people users ?q=name", admin, users + "?q=bench000123"),
        ("people users ?role", admin, users + "?role=unit_head"),
        ("people users inactive", admin, users + "?inactive=1"),
        ("people users page 2", admin, users + "?after={next:" + users + "}"),
        ("people user edit", admin, reverse("organisations:user_edit", args=[editor.pk])),
        ("people user new", admin, reverse("organisations:user_create")),
        ("people org new", admin, reverse("organisations:create")),
        ("people org edit", admin, reverse("organisations:edit", args=[unit.pk])),
        ("people org import", admin, reverse("organisations:import")),
        # 自评工作 forms
        ("campaign forms new", admin, reverse("campaigns:create")),
        (
            "campaign forms edit",
            admin,
            reverse("campaigns:edit", args=[ctx.department_campaign.pk]),
        ),
        (
            "campaign forms add-units",
            admin,
            reverse("campaigns:add_units", args=[ctx.department_campaign.pk]),
        ),
        (
            "campaign forms add-units (projects)",
            admin,
            reverse("campaigns:add_units", args=[ctx.project_campaign.pk]),
        ),
        ("campaign forms rulesets", admin, reverse("campaigns:rulesets")),
        (
            "campaign forms extend",
            admin,
            reverse("campaigns:extend", args=[ctx.department_campaign.pk, own.pk]),
        ),
        # 项目库
        ("projects list (bureau)", bureau, projects),
        ("projects list (dept)", dept, projects),
        ("projects list (unit)", editor, projects),
        ("projects list ?q", bureau, projects + "?q=4408002500012"),
        # Two characters: the grams columns (projects 0004); 考务 names two demo projects, 基准
        # every bench project.
        ("projects list ?q short rare", bureau, projects + "?q=考务"),
        ("projects list ?q short common", bureau, projects + "?q=基准"),
        ("projects list ?dept", bureau, f"{projects}?department={getattr(department, 'pk', '')}"),
        ("projects list ?category&amount", bureau, projects + "?category=基本建设&min_amount=1000"),
        ("projects list page 2", bureau, _project_page_two(bureau)),
        ("projects export (bureau)", bureau, reverse("projects:export")),
        (
            "projects export (one dept)",
            bureau,
            f"{reverse('projects:export')}?department={getattr(department, 'pk', '')}",
        ),
        ("projects export (unit)", editor, reverse("projects:export")),
        ("projects detail", bureau, reverse("projects:detail", args=[project.pk])),
        ("projects detail (unit)", editor, reverse("projects:detail", args=[project.pk])),
        ("projects new (admin)", admin, reverse("projects:create")),
        ("projects new (unit)", editor, reverse("projects:create")),
        ("projects edit (admin)", admin, reverse("projects:edit", args=[project.pk])),
        ("projects unit budget", bureau, reverse("projects:unit_budget", args=[unit.pk])),
        ("projects unit budget (unit)", editor, reverse("projects:unit_budget", args=[unit.pk])),
        ("projects import", admin, reverse("projects:import")),
        ("projects import mapping", admin, reverse("projects:mapping")),
        ("projects api list", bureau, "/api/projects?limit=100"),
        ("projects api list (dept)", dept, "/api/projects?limit=100"),
        ("projects api ?q", bureau, "/api/projects?q=4408002500012"),
        ("projects api detail", bureau, f"/api/projects/{project.pk}"),
        # 指标库
        ("indicators search (bureau)", bureau, indicators),
        ("indicators search (dept)", dept, indicators),
        ("indicators search (unit)", editor, indicators),
        ("indicators search ?q", bureau, indicators + "?q=培训"),
        (
            "indicators search ?dept",
            bureau,
            f"{indicators}?department={getattr(department, 'pk', '')}",
        ),
        ("indicators picker", editor, reverse("indicators:picker")),
        ("indicators picker ?q", editor, reverse("indicators:picker") + "?q=培训&results=1"),
        ("indicators detail (popular)", bureau, reverse("indicators:detail", args=[popular.pk])),
        ("indicators detail (unit)", editor, reverse("indicators:detail", args=[popular.pk])),
        ("indicators api", bureau, "/api/indicators?limit=50"),
        ("indicators api (unit)", editor, "/api/indicators?limit=50"),
        ("indicators api detail", bureau, f"/api/indicators/{popular.pk}"),
        # the home page and the account pages
        ("home (bureau)", bureau, "/"),
        ("home (admin)", admin, "/"),
        ("home (dept)", dept, "/"),
        ("home (unit editor)", editor, "/"),
        ("home (unit head)", head, "/"),
        ("account password", editor, reverse("accounts:password_change")),
        ("account two-factor", editor, reverse("accounts:two_factor")),
    ]
    # One synthetic unit's own evaluations, as its 填报人 and as the bureau.
    for label, evaluation in (("dept", own), ("project", own_project)):
        for who, user in (("unit", editor), ("bureau", bureau)):
            prefix = f"own evaluation {label}"
            out += [
                (
                    f"{prefix} detail ({who})",
                    user,
                    reverse("evaluations:detail", args=[evaluation.pk]),
                ),
                (
                    f"{prefix} preview ({who})",
                    user,
                    reverse("evaluations:preview", args=[evaluation.pk]),
                ),
                (
                    f"{prefix} evidence ({who})",
                    user,
                    reverse("evaluations:evidence", args=[evaluation.pk]),
                ),
                (f"{prefix} api ({who})", user, f"/api/evaluations/{evaluation.pk}"),
                (f"{prefix} api score ({who})", user, f"/api/evaluations/{evaluation.pk}/score"),
            ]
        for section in sections_for(evaluation_kind(evaluation.data)):
            out.append(
                (
                    f"own evaluation {label} edit {section.key}",
                    editor,
                    reverse("evaluations:edit", args=[evaluation.pk, section.key]),
                )
            )
    return out


def _project_page_two(user: Any) -> str:
    """The register's second page (its cursor is the last project's id)."""
    from django.urls import reverse

    from jixiao.projects import selectors

    page = selectors.project_page(user=user, filters=selectors.ProjectFilter())
    return f"{reverse('projects:list')}?after={page.next_after or ''}"
