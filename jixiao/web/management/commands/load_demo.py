"""``manage.py load_demo``: a demo city with the seed unit's published FY2025 evaluation.

Every evaluation is taken to its state through the real services (create_tasks, save_evaluation_data,
transition, draw_sample, record_recheck), so the demo shows what the system really produces: the
review trail, the frozen documents, the scores. Idempotent: what exists is kept, nothing is redone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from contextlib import nullcontext
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.services import create_tasks, save_evaluation_data
from jixiao.indicators.services import rebuild as rebuild_indicator_library
from jixiao.jobs.services import run_job, runner
from jixiao.organisations.models import Organisation, OrganisationKind, Role, User
from jixiao.reviews import workflow
from jixiao.reviews.models import FrozenDocument, Publication, SampleDraw, Transition
from jixiao.reviews.services import (
    draw_sample,
    freeze_job_of,
    record_recheck,
    transition,
    withdraw_publication,
)
from jixiao.testing.factories import seed_evaluation_data
from jixiao.web.management import demo_data as demo

RULESET = "gd-department@2025.1"
SEED_UNIT_SERIAL = 1


class Command(BaseCommand):
    help = "载入演示数据（演示账号、单位、两年的自评工作）；可重复运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = timezone.now()
        # The demo commits everything at once; the after-commit work of its approvals (指标库
        # records, notifications, freeze jobs) then runs here, one after the other: background
        # threads writing at the same moment lock SQLite ("database is locked"). With a broker the
        # workers take it as usual.
        one_by_one = (
            override_settings(JIXIAO_JOBS_RUNNER="sync") if runner() == "thread" else nullcontext()
        )
        with one_by_one, transaction.atomic():
            created = DemoLoader().load()
        # 指标库: the rule-sets' 共性指标 and every approved declaration and evaluation loaded.
        rebuild_indicator_library()
        seconds = (timezone.now() - started).total_seconds()
        if created:
            self.stdout.write(f"演示数据已载入：新建 {created} 份自评（{seconds:.1f} 秒）。")
        else:
            self.stdout.write("演示数据已存在，未做改动。")
        self.stdout.write("")
        self.stdout.write(f"演示账号（仅供演示，密码均为 {demo.DEMO_PASSWORD}）：")
        for account in demo.ACCOUNTS:
            self.stdout.write(
                f"  {account.username:<16} {Role(account.role).label}  {account.organisation}"
            )


def _on(day: str, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


# When last year's steps happened (the services stamp "now"; a demo of last year should not say
# its reports were approved today).
STEP_DATES_2024 = {
    workflow.SUBMIT: _on("2025-05-20", 10),
    workflow.DEPARTMENT_APPROVE: _on("2025-05-27", 15),
    workflow.BUREAU_APPROVE: _on("2025-06-16", 11),
    workflow.PUBLISH: _on("2025-06-30", 9),
}


def backdate_2024(evaluation: Evaluation) -> None:
    for action, at in STEP_DATES_2024.items():
        Transition.objects.filter(evaluation=evaluation, action=action).update(at=at)
    FrozenDocument.objects.filter(evaluation=evaluation).update(
        frozen_at=STEP_DATES_2024[workflow.BUREAU_APPROVE]
    )
    Publication.objects.filter(evaluation=evaluation).update(
        published_at=STEP_DATES_2024[workflow.PUBLISH]
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(
        first_saved_at=_on("2025-05-12", 9), updated_at=STEP_DATES_2024[workflow.PUBLISH]
    )


# The withdrawal of one 2024 publication and its corrected version (August 2025): withdrawn,
# returned for correction, resubmitted, approved by the department and the bureau, published.
CORRECTION_DATES_2024 = (
    _on("2025-08-12", 10),
    _on("2025-08-12", 11),
    _on("2025-08-15", 9),
    _on("2025-08-18", 15),
    _on("2025-08-22", 11),
    _on("2025-08-25", 9),
)


# When the FY2026 declarations were reviewed (November–December 2025).
STEP_DATES_2026_TARGETS = {
    workflow.SUBMIT: _on("2025-11-20", 10),
    workflow.DEPARTMENT_RETURN: _on("2025-11-24", 16),
    workflow.DEPARTMENT_APPROVE: _on("2025-11-28", 15),
    workflow.BUREAU_APPROVE: _on("2025-12-18", 11),
}


def backdate_2026_targets(declaration: Evaluation) -> None:
    for step in Transition.objects.filter(evaluation=declaration).order_by("pk"):
        at = STEP_DATES_2026_TARGETS.get(step.action)
        if at is not None:
            if step.action == workflow.SUBMIT and step.from_status == "returned":
                at = _on("2025-11-26", 9)  # the resubmission after the return
            Transition.objects.filter(pk=step.pk).update(at=at)
    FrozenDocument.objects.filter(evaluation=declaration).update(
        frozen_at=STEP_DATES_2026_TARGETS[workflow.BUREAU_APPROVE]
    )
    Evaluation.objects.filter(pk=declaration.pk).update(
        first_saved_at=_on("2025-11-18", 9),
        updated_at=STEP_DATES_2026_TARGETS[workflow.BUREAU_APPROVE],
    )


class DemoLoader:
    def __init__(self) -> None:
        self.created = 0
        self.users: dict[str, User] = {}

    # --- organisations and people -------------------------------------------------------------

    def organisation(self, name: str, **fields: Any) -> Organisation:
        org, _ = Organisation.objects.get_or_create(name=name, defaults=fields)
        return org

    def user(self, username: str, display_name: str, role: str, organisation: Organisation) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                display_name=display_name,
                role=role,
                organisation=organisation,
                # A mail address so the demo's notifications print as mails on the console
                # (.invalid: never deliverable, RFC 2606).
                email=f"{username}@demo.invalid",
            )
            user.set_password(demo.DEMO_PASSWORD)
            user.save()
        self.users[username] = user
        return user

    def people(self) -> None:
        bureau = self.organisation(
            demo.BUREAU,
            kind=OrganisationKind.BUREAU,
            short_name="我局",
            credit_code=demo.credit_code("11", 900),
            unit_type="行政单位",
        )
        departments = {}
        for serial, name in enumerate(demo.DEPARTMENTS, start=901):
            departments[name] = self.organisation(
                name,
                kind=OrganisationKind.DEPARTMENT,
                short_name="我局",
                credit_code=demo.credit_code("11", serial),
                unit_type="行政单位",
                parent=bureau,
            )
        self.seed_unit = self.organisation(
            demo.SEED_UNIT,
            kind=OrganisationKind.UNIT,
            short_name="我中心",
            credit_code=demo.credit_code("12", SEED_UNIT_SERIAL),
            unit_type="公益二类事业单位",
            parent=departments[demo.SEED_DEPARTMENT],
            staffing_quota=7,
            staff_actual=5,
            functions="\n".join(demo.SEED_FUNCTIONS),
        )
        self.units: dict[str, Organisation] = {}
        for spec in demo.UNITS:
            profile = demo.unit_profile(spec)
            self.units[spec.name] = self.organisation(
                spec.name,
                kind=OrganisationKind.UNIT,
                short_name=spec.short_name,
                credit_code=profile["credit_code"],
                unit_type=spec.unit_type,
                parent=departments[spec.department],
                staffing_quota=spec.staffing_quota,
                staff_actual=spec.staff_actual,
                functions="\n".join(spec.functions),
            )
        by_name = {demo.BUREAU: bureau, demo.SEED_UNIT: self.seed_unit, **departments}
        for account in demo.ACCOUNTS:
            self.user(
                account.username, account.display_name, account.role, by_name[account.organisation]
            )
        # The other units' heads and departments' reviewers act in the workflow; they can sign
        # in with the same demo password too.
        for name, department in departments.items():
            slug = demo.DEPARTMENT_SLUGS[name]
            if name != demo.SEED_DEPARTMENT:
                self.user(f"{slug}_reviewer", f"{name}审核人", Role.DEPARTMENT_REVIEWER, department)
        for spec in demo.UNITS:
            self.user(
                f"{spec.slug}_head", f"{spec.name}负责人", Role.UNIT_HEAD, self.units[spec.name]
            )
        self.bureau = bureau
        self.departments = departments

    def reviewer_of(self, unit: Organisation) -> User:
        assert unit.parent is not None
        if unit.parent.name == demo.SEED_DEPARTMENT:
            return self.users["dept_reviewer"]
        return self.users[f"{demo.DEPARTMENT_SLUGS[unit.parent.name]}_reviewer"]

    def head_of(self, unit: Organisation) -> User:
        if unit == self.seed_unit:
            return self.users["unit_head"]
        spec = next(s for s in demo.UNITS if s.name == unit.name)
        return self.users[f"{spec.slug}_head"]

    # --- campaigns ------------------------------------------------------------------------------

    def campaign(
        self,
        spec: dict[str, Any],
        deadline: dt.datetime,
        kind: str = "department",
        ruleset: str = RULESET,
    ) -> Campaign:
        campaign, _ = Campaign.objects.get_or_create(
            bureau=self.bureau,
            notice_number=spec["notice_number"],
            defaults={
                "year": spec["year"],
                "title": spec["title"],
                "notice_title": spec["notice_title"],
                "kind": kind,
                "ruleset_ref": ruleset,
                "deadline": deadline,
                "created_by": self.users["bureau_admin"],
            },
        )
        return campaign

    def notice(self, campaign: Campaign) -> dict[str, str]:
        return {
            "title": campaign.notice_title,
            "number": campaign.notice_number,
            "issuer": self.bureau.name,
        }

    def save(self, evaluation: Evaluation, data: dict[str, Any]) -> Evaluation:
        return save_evaluation_data(
            user=self.head_of(evaluation.unit),
            evaluation_id=evaluation.pk,
            expected_version=evaluation.version,
            data=data,
        )

    def walk(self, evaluation: Evaluation, state: str, spec: demo.UnitSpec | None = None) -> None:
        """Take a complete draft through the workflow to ``state``, as the real people would."""
        if state in ("not_started", "drafting"):
            return
        unit = evaluation.unit
        head, reviewer = self.head_of(unit), self.reviewer_of(unit)
        bureau = self.users["bureau_reviewer"]
        steps: list[tuple[User, str]] = [(head, workflow.SUBMIT)]
        if state == "returned" and spec is not None and spec.returned_by == "department":
            steps.append((reviewer, workflow.DEPARTMENT_RETURN))
        elif state != "submitted":
            steps.append((reviewer, workflow.DEPARTMENT_APPROVE))
            if state == "returned":
                steps.append((bureau, workflow.BUREAU_RETURN))
            elif state in ("approved", "published"):
                steps.append((bureau, workflow.BUREAU_APPROVE))
                if state == "published":
                    steps.append((bureau, workflow.PUBLISH))
        for user, action in steps:
            returning = action in (workflow.DEPARTMENT_RETURN, workflow.BUREAU_RETURN)
            transition(
                user=user,
                evaluation_id=evaluation.pk,
                action=action,
                comment=spec.return_comment if returning and spec else "",
                section_comments=spec.section_comments if returning and spec else None,
            )
            if action == workflow.BUREAU_APPROVE:
                # The demo loads in one transaction, so the freeze job (which runs after the
                # approval commits) is run here, before the publication that needs its files.
                job = freeze_job_of(evaluation)
                assert job is not None
                run_job(job.pk, heartbeat=False)

    def load_2024(self) -> None:
        # Last year's campaign is closed, but submission checks the deadline against today: it is
        # opened while the demo walks its evaluations through, then closed at its real deadline.
        campaign = self.campaign(demo.CAMPAIGN_2024, timezone.now() + dt.timedelta(days=1))
        units = [self.seed_unit] + [self.units[s.name] for s in demo.UNITS if s.with_2024]
        for evaluation in create_tasks(
            user=self.users["bureau_admin"], campaign=campaign, units=units
        ):
            self.created += 1
            if evaluation.unit == self.seed_unit:
                data = demo.seed_2024_data()
            else:
                spec = next(s for s in demo.UNITS if s.name == evaluation.unit.name)
                # Last year went a little better: every qualitative indicator at full points.
                data = demo.full_data(
                    dataclasses.replace(spec, bands=demo.FULL),
                    year=2024,
                    notice=self.notice(campaign),
                    filled_on="2025-05-20",
                )
            if evaluation.unit.name == demo.CORRECTED_2024_UNIT:
                data = demo.with_wrong_execution_text(data)  # what v1 published, in error
            self.walk(self.save(evaluation, data), "published")
            backdate_2024(evaluation)
            if evaluation.unit.name == demo.CORRECTED_2024_UNIT:
                self.withdraw_and_correct_2024(evaluation, demo.with_right_execution_text(data))
        closed = timezone.make_aware(dt.datetime(2025, 6, 30, 18, 0))
        Campaign.objects.filter(pk=campaign.pk).update(deadline=closed)

    def withdraw_and_correct_2024(self, evaluation: Evaluation, corrected: dict[str, Any]) -> None:
        """撤回公开 and a corrected version beside it: the bureau withdrew one published 2024 report
        (its 预算执行情况 gave another year's figures), returned it for correction, and published
        the corrected report as version 2. The portal shows v1 withdrawn — when, why, and the
        SHA-256 of the files the public read — and v2 current."""
        admin = self.users["bureau_admin"]
        withdraw_publication(
            user=admin, evaluation_id=evaluation.pk, reason=demo.WITHDRAWAL_REASON_2024
        )
        transition(
            user=self.users["bureau_reviewer"],
            evaluation_id=evaluation.pk,
            action=workflow.CORRECTION_RETURN,
            comment=demo.CORRECTION_COMMENT_2024,
        )
        evaluation.refresh_from_db()
        self.walk(self.save(evaluation, corrected), "published")
        # When it happened: August 2025, after last year's publication on 30 June.
        steps = Transition.objects.filter(
            evaluation=evaluation, pk__gt=self._last_2024_step(evaluation)
        )
        for step, at in zip(steps.order_by("pk"), CORRECTION_DATES_2024, strict=True):
            Transition.objects.filter(pk=step.pk).update(at=at)
        withdrawn_at, approved_at, published_at = (
            CORRECTION_DATES_2024[0],
            CORRECTION_DATES_2024[-2],
            CORRECTION_DATES_2024[-1],
        )
        Publication.objects.filter(evaluation=evaluation, version=1).update(
            withdrawn_at=withdrawn_at
        )
        Publication.objects.filter(evaluation=evaluation, version=2).update(
            published_at=published_at
        )
        FrozenDocument.objects.filter(evaluation=evaluation).update(frozen_at=approved_at)
        Evaluation.objects.filter(pk=evaluation.pk).update(updated_at=published_at)

    @staticmethod
    def _last_2024_step(evaluation: Evaluation) -> int:
        published = Transition.objects.filter(evaluation=evaluation, action=workflow.PUBLISH)
        return published.order_by("pk").values_list("pk", flat=True).first() or 0

    def load_2025(self) -> Campaign:
        deadline = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
        campaign = self.campaign(demo.CAMPAIGN_2025, deadline + dt.timedelta(days=45))
        units = [self.seed_unit, *self.units.values()]
        for evaluation in create_tasks(
            user=self.users["bureau_admin"], campaign=campaign, units=units
        ):
            self.created += 1
            if evaluation.unit == self.seed_unit:
                # The golden example, exactly as examples/ holds it: published with 98 / 优.
                self.walk(self.save(evaluation, seed_evaluation_data()), "published")
                continue
            spec = next(s for s in demo.UNITS if s.name == evaluation.unit.name)
            if spec.state == "not_started":
                continue
            if spec.state == "drafting" and spec.name != "湛江市卫生监督所":
                self.save(evaluation, demo.partial_data(spec, evaluation.data))
                continue
            data = demo.full_data(
                spec, year=2025, notice=self.notice(campaign), filled_on="2026-05-20"
            )
            self.walk(self.save(evaluation, data), spec.state, spec)
        return campaign

    def load_2025_project(self, deadline: dt.datetime) -> None:
        campaign = self.campaign(
            demo.CAMPAIGN_2025_PROJECT, deadline, kind="project", ruleset=demo.PROJECT_RULESET
        )
        for evaluation in create_tasks(
            user=self.users["bureau_admin"],
            campaign=campaign,
            units=[self.seed_unit],
            project_name=demo.SEED_PROJECT,
        ):
            self.created += 1
            self.save(evaluation, demo.seed_project_draft(evaluation.data))

    def sample(self, campaign: Campaign) -> None:
        if SampleDraw.objects.filter(campaign=campaign).exists():
            return
        bureau = self.users["bureau_reviewer"]
        draw = draw_sample(user=bureau, campaign=campaign, size=3, seed="demo-2025")
        recheck = draw.rechecks.select_related("evaluation").order_by("evaluation__unit__name")[0]
        total = recheck.evaluation.total or Decimal(0)
        record_recheck(
            user=bureau,
            recheck_id=recheck.pk,
            score=max(total - Decimal("1.5"), Decimal(0)),
            opinion="抽查佐证材料，部分绩效指标的完成值缺少原始台账支撑，复核扣 1.5 分。",
        )

    def load_2026_targets(self) -> None:
        """FY2026 绩效目标申报 (issue 10): every unit has its declarations; the seed unit's 部门整体
        targets are declared, returned once, raised and approved, then adjusted (approved); every
        unit's registered projects for 2026 (项目库) are declared and approved too."""
        from jixiao.targets.models import TargetCampaignSettings

        spec = demo.CAMPAIGN_2026_TARGETS
        # Declared in November 2025; open while the demo walks the declarations through.
        campaign = self.campaign(
            spec, timezone.now() + dt.timedelta(days=1), kind="targets", ruleset=""
        )
        TargetCampaignSettings.objects.get_or_create(
            campaign=campaign,
            defaults={"cost_threshold": Decimal(demo.TARGETS_2026_COST_THRESHOLD)},
        )
        units = [self.seed_unit, *self.units.values()]
        tasks = create_tasks(user=self.users["bureau_admin"], campaign=campaign, units=units)
        for declaration in tasks:
            self.created += 1
            if declaration.unit == self.seed_unit and declaration.project_id is None:
                self.seed_declaration(declaration)
            elif declaration.project_id is not None:
                project = declaration.project
                assert project is not None
                data = demo.project_2026_declaration(declaration.data, project.initial_total)
                self.walk(self.save(declaration, data), "approved")
                backdate_2026_targets(declaration)
        closed = timezone.make_aware(dt.datetime(2025, 11, 30, 18, 0))
        Campaign.objects.filter(pk=campaign.pk).update(deadline=closed)

    def seed_declaration(self, declaration: Evaluation) -> None:
        head, reviewer = self.head_of(declaration.unit), self.reviewer_of(declaration.unit)
        first = demo.seed_2026_declaration(declaration.data, demo.SEED_2026_FIRST_CERTIFICATES)
        declaration = self.save(declaration, first)
        transition(user=head, evaluation_id=declaration.pk, action=workflow.SUBMIT)
        transition(
            user=reviewer,
            evaluation_id=declaration.pk,
            action=workflow.DEPARTMENT_RETURN,
            comment="请按上年实际完成情况调整证书目标。",
            section_comments={"target-T1": demo.SEED_2026_RETURN},
        )
        declaration.refresh_from_db()
        raised = demo.seed_2026_declaration(declaration.data, demo.SEED_2026_CERTIFICATES)
        self.walk(self.save(declaration, raised), "approved")
        backdate_2026_targets(declaration)
        self.seed_adjustment(declaration)

    def seed_adjustment(self, declaration: Evaluation) -> None:
        """调整1, requested by the unit in July 2026 and approved by the department and the bureau
        (the self-evaluations bound to these targets follow: jixiao.targets.services)."""
        from jixiao.targets.entry import form_from_data
        from jixiao.targets.models import TargetAdjustment
        from jixiao.targets.services import decide_adjustment, request_adjustment

        declaration.refresh_from_db()
        adjustment = request_adjustment(
            user=self.users["unit_head"],
            declaration_id=declaration.pk,
            form=form_from_data(demo.seed_2026_adjusted(declaration.data)),
            reason=demo.SEED_2026_ADJUSTMENT_REASON,
        )
        decide_adjustment(
            user=self.users["dept_reviewer"],
            adjustment_id=adjustment.pk,
            approve=True,
            comment="同意调增。",
        )
        decide_adjustment(
            user=self.users["bureau_reviewer"],
            adjustment_id=adjustment.pk,
            approve=True,
            comment="同意。",
        )
        TargetAdjustment.objects.filter(pk=adjustment.pk).update(
            requested_at=_on("2026-07-08", 9),
            department_decided_at=_on("2026-07-10", 15),
            bureau_decided_at=_on("2026-07-15", 10),
        )

    def load(self) -> int:
        self.people()
        self.load_2024()
        campaign = self.load_2025()
        self.load_2025_project(campaign.deadline)
        self.sample(campaign)
        # 项目库 first (the declarations cover the registered projects), then the targets, then the
        # July monitoring round (it reports against the approved targets).
        self.load_project_register()
        self.load_2026_targets()
        self.load_monitoring()
        self.load_follow_up()
        return self.created

    def load_project_register(self) -> None:
        """项目库: the seed unit's and 湛江市教育考试中心's projects and budget lines, 2025 and 2026."""
        from jixiao.projects.demo import load_register

        load_register(self)

    def load_follow_up(self) -> None:
        """整改 from the seed's own 存在问题 (one confirmed, one open) and the 结果应用 table."""
        from jixiao.rectification.demo import load_follow_up

        load_follow_up(self)

    def load_monitoring(self) -> None:
        """绩效运行监控: the FY2026 July round, red and yellow warnings, one report returned."""
        from jixiao.monitoring.demo import load_monitoring_round

        self.created += load_monitoring_round(self)
