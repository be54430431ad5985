"""Demo data for 绩效运行监控 (``manage.py load_demo``): the FY2026 July round (1-7月 data).

Through the real services (open_round, save_report, transition), so the warnings table, the review
trail and the log are what the system produces:

* the seed unit's 部门整体 report: execution red (30% spent against 58% of the year), measures
  entered, submitted and **returned** by the department (措施不具体);
* the seed unit's project: a target expected at 75% (red), **measures entered**, submitted;
* 湛江市就业服务中心: a target expected at 86% (yellow), approved by the department;
* 湛江市人才服务中心: execution 12 points behind (yellow), still a draft;
* the other units: not started.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jixiao.campaigns.models import Campaign, EvaluationKind
from jixiao.evaluations.models import Evaluation
from jixiao.monitoring import services
from jixiao.projects.models import BudgetLine, Project
from jixiao.reviews import workflow
from jixiao.reviews.services import transition
from scoring.monitoring import Thresholds

YEAR = 2026
NOTICE = "湛财绩〔2026〕9号"
SEED_PROJECT = ("2026-JD-01", "职业技能等级认定补贴", Decimal("180.00"), Decimal("52.00"))


def _targets(evaluation: Evaluation, entered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The approved targets with figures when a declaration was approved; else ``entered``."""
    approved = [t for t in evaluation.data.get("targets") or [] if t.get("approved")]
    if not approved:
        return entered
    out = []
    for i, target in enumerate(approved):
        value = Decimal(str(target["value"])) if target.get("value") not in (None, "") else None
        share = Decimal(entered[0]["expected"]) / Decimal(entered[0]["value"]) if i == 0 else 1
        row = {"code": target["code"]}
        if value is None:
            row["likelihood"] = "certain"
        else:
            row["to_date"] = str((value * Decimal("0.55")).quantize(Decimal(1)))
            row["expected"] = str((value * Decimal(share)).quantize(Decimal(1)))
        if i == 0:
            row.update({k: entered[0][k] for k in ("cause", "measures") if k in entered[0]})
        out.append(row)
    return out


def load_monitoring_round(loader: Any) -> int:
    """The July round; nothing when it exists (idempotent). Returns the reports created."""
    if Campaign.objects.filter(bureau=loader.bureau, notice_number=NOTICE).exists():
        return 0
    bureau_admin = loader.users["bureau_admin"]
    code, name, adjusted, executed = SEED_PROJECT
    project, _ = Project.objects.get_or_create(
        unit=loader.seed_unit,
        year=YEAR,
        code=code,
        defaults={
            "name": name,
            "department": loader.seed_unit.parent,
            "category": "专项业务",
            "initial_total": adjusted,
            "adjusted_total": adjusted,
            "executed_total": executed,
        },
    )
    BudgetLine.objects.get_or_create(
        project=project,
        source="财政拨款",
        defaults={
            "unit": loader.seed_unit,
            "year": YEAR,
            "initial": adjusted,
            "adjusted": adjusted,
            "executed": executed,
        },
    )
    campaign = Campaign.objects.create(
        bureau=loader.bureau,
        year=YEAR,
        title="2026年1-7月绩效运行监控",
        notice_title="湛江市财政局关于开展2026年1-7月预算绩效运行监控工作的通知",
        notice_number=NOTICE,
        kind=EvaluationKind.MONITORING,
        ruleset_ref="",
        deadline=timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0)
        + dt.timedelta(days=20),
        created_by=bureau_admin,
    )
    units = [loader.seed_unit, *loader.units.values()]
    tasks = services.open_round(
        user=bureau_admin,
        campaign=campaign,
        as_of=dt.date(YEAR, 7, 31),
        thresholds=Thresholds(),
        units=units,
    )
    by_key = {(t.unit.name, t.project_id): t for t in tasks}
    seed = loader.seed_unit

    def save(evaluation: Evaluation, data: dict[str, Any]) -> Evaluation:
        return services.save_report(
            user=loader.head_of(evaluation.unit),
            evaluation_id=evaluation.pk,
            expected_version=evaluation.version,
            data=data,
        )

    # 1. the seed unit as a whole: execution red, measures entered, returned by the department
    report = by_key[(seed.name, None)]
    save(
        report,
        {
            "budget": [
                {"source": "财政拨款", "adjusted": "486.20", "executed": "145.90"},
                {"source": "其他资金", "adjusted": "20.00", "executed": "6.00"},
            ],
            "budget_cause": "职业技能等级认定补贴按季度结算，二季度补贴待人社部门审核后拨付。",
            "budget_measures": "8月底前完成二季度补贴审核拨付，9月起按月结算。",
            "targets": _targets(
                report,
                [
                    {
                        "name": "参加职业技能等级认定人次数",
                        "value": "20000",
                        "unit": "人次",
                        "to_date": "12800",
                        "expected": "21000",
                    },
                    {
                        "name": "服务对象满意度",
                        "value": "90",
                        "unit": "%",
                        "to_date": "93",
                        "expected": "93",
                    },
                ],
            ),
            "summary": "上半年认定工作按计划推进，预算执行因补贴结算周期滞后。",
            "filled_on": "2026-08-10",
        },
    )
    head, reviewer = loader.head_of(seed), loader.reviewer_of(seed)
    transition(user=head, evaluation_id=report.pk, action=workflow.SUBMIT)
    transition(
        user=reviewer,
        evaluation_id=report.pk,
        action=workflow.DEPARTMENT_RETURN,
        comment="纠偏措施请写明拨付金额和时间节点。",
    )
    # 2. the seed unit's project: a target red, measures entered, submitted
    report = by_key[(seed.name, project.pk)]
    save(
        report,
        {
            "budget": [{"source": "财政拨款", "adjusted": "180.00", "executed": "110.00"}],
            "targets": _targets(
                report,
                [
                    {
                        "name": "新增取得职业技能等级认定证书",
                        "value": "16000",
                        "unit": "本",
                        "to_date": "7100",
                        "expected": "12000",
                        "cause": "两个新开考工种的考评员培训延期，上半年未能开考。",
                        "measures": "8月完成考评员培训，9-12月每月加开两场认定考试。",
                    },
                ],
            ),
            "filled_on": "2026-08-12",
        },
    )
    transition(user=head, evaluation_id=report.pk, action=workflow.SUBMIT)
    # 3. a yellow target, approved by the department
    employment = loader.units.get("湛江市就业服务中心")
    if employment is not None:
        report = by_key[(employment.name, None)]
        save(
            report,
            {
                "budget": [{"source": "财政拨款", "adjusted": "820.00", "executed": "470.00"}],
                "targets": _targets(
                    report,
                    [
                        {
                            "name": "城镇新增就业人数",
                            "value": "35000",
                            "unit": "人",
                            "to_date": "18100",
                            "expected": "30100",
                            "cause": "上半年企业用工需求回落。",
                        },
                    ],
                ),
                "filled_on": "2026-08-08",
            },
        )
        transition(user=loader.head_of(employment), evaluation_id=report.pk, action="submit")
        transition(
            user=loader.reviewer_of(employment),
            evaluation_id=report.pk,
            action=workflow.DEPARTMENT_APPROVE,
        )
    # 4. execution yellow, still a draft
    talent = loader.units.get("湛江市人才服务中心")
    if talent is not None:
        report = by_key[(talent.name, None)]
        save(
            report,
            {
                "budget": [{"source": "财政拨款", "adjusted": "300.00", "executed": "138.00"}],
                "targets": [
                    {
                        "name": "引进高层次人才",
                        "value": "120",
                        "unit": "人",
                        "to_date": "70",
                        "expected": "125",
                    },
                ],
            },
        )
    return len(tasks)
