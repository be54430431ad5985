"""Clean base reports (基础报告) the defects and noise are applied to, with the facts they state.

Two sources:

- the seed report as published ($JIXIAO_SEED_TEXT, /work/shared/seed or the auditor tests' copy),
  figures as printed there;
- reports rendered by ``jixiao.documents`` from the seed's data (examples/zhanjiang-skills-center-2025.yaml)
  and from seeded random changes of it (unit, year, targets, budget, staffing, dates, notice), so the
  facts are known exactly because the renderer wrote them.

``Facts`` holds what an auditor should extract from a base: it is the answer key of the
per-field accuracy measured by test_corpus.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import random
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE_YAML = ROOT / "examples" / "zhanjiang-skills-center-2025.yaml"
SEED_NAME = "2025-zhanjiang-skills-center-self-evaluation.txt"
SEED_CANDIDATES = (
    Path(os.environ.get("JIXIAO_SEED_TEXT", "/nonexistent")),
    ROOT.parent / "shared" / "seed" / SEED_NAME,
    Path("/work/shared/seed") / SEED_NAME,
    ROOT / "jixiao" / "audit" / "tests" / "data" / "seed-report.txt",  # the auditor tests' copy
)

UNIT_NAMES = (
    "茂名市就业服务中心",
    "阳江市人才交流服务中心",
    "佛山市职业技能鉴定指导中心",
    "韶关市社会保险基金管理中心",
    "清远市劳动人事争议仲裁院",
)
NOTICE_ISSUERS = (
    ("茂名市财政局", "茂财绩"),
    ("阳江市财政局", "阳财绩"),
    ("佛山市财政局", "佛财绩"),
)


@dataclass(frozen=True)
class TargetFact:
    """One performance target as the report states it (绩效目标: 指标值 and 实际完成值)."""

    name: str
    unit: str
    target: Decimal | None
    actual: Decimal


@dataclass(frozen=True)
class Facts:
    """What a base report states: the answer key of the extraction accuracy."""

    unit: str
    year: int
    score: Decimal
    grade: str
    filled_on: dt.date | None  # None: the 填报日期 is left blank (a planted defect)
    notice_year: int | None
    staffing_quota: int | None
    staff_actual: int | None
    budget_initial: Decimal | None  # 万元; None when the report states no budget
    budget_full_year: Decimal | None  # 万元 (调整后); None when the report names none
    budget_executed: Decimal | None  # 万元
    targets: tuple[TargetFact, ...] = ()
    dimension_scores: tuple[Decimal, ...] = ()  # 本项得分 of the 指标分析 paragraphs, if stated
    unit_type: str = ""
    supervisor: str = ""

    def as_fields(self) -> dict[str, str]:
        """The facts as plain strings (the manifest's ``expected_fields``)."""
        return {
            "unit": self.unit,
            "year": str(self.year),
            "score": _plain(self.score),
            "grade": self.grade,
            "filled_on": "" if self.filled_on is None else self.filled_on.isoformat(),
            "notice_year": "" if self.notice_year is None else str(self.notice_year),
            "staffing_quota": "" if self.staffing_quota is None else str(self.staffing_quota),
            "staff_actual": "" if self.staff_actual is None else str(self.staff_actual),
            "budget_initial": "" if self.budget_initial is None else _plain(self.budget_initial),
            "budget_full_year": ""
            if self.budget_full_year is None
            else _plain(self.budget_full_year),
            "budget_executed": "" if self.budget_executed is None else _plain(self.budget_executed),
            "unit_type": self.unit_type,
            "supervisor": self.supervisor,
            # the actual values of the targets stated with a completion percentage, in order
            "target_actuals": ",".join(_plain(t.actual) for t in self.targets),
        }


@dataclass(frozen=True)
class Base:
    """A clean base report: its text (paragraphs separated by blank lines) and its facts.

    ``inherent`` names the defect classes the base itself already has (the published seed states
    支出完成率 100% against its initial budget and does not explain its 158.08%); they are expected
    in every variant made from it.
    """

    name: str
    text: str
    facts: Facts
    inherent: tuple[str, ...] = ()
    rendered: dict[str, bytes] = field(default_factory=dict)  # the real renderer's docx/pdf, if any


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def seed_text() -> str:
    """The published seed report; FileNotFoundError names where it was looked for."""
    for path in SEED_CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise FileNotFoundError("找不到种子报告：" + "、".join(str(p) for p in SEED_CANDIDATES))


def seed_base() -> Base:
    """The seed exactly as published (its own spacing, its page-broken 整体 and 优秀)."""
    facts = Facts(
        unit="湛江市职业技能鉴定指导中心",
        year=2025,
        score=Decimal(98),
        grade="优秀",
        filled_on=dt.date(2026, 5, 21),
        notice_year=2026,
        staffing_quota=7,
        staff_actual=5,
        budget_initial=Decimal("33.28"),
        budget_full_year=None,  # the seed names no adjusted budget
        budget_executed=Decimal("38.45"),
        targets=(
            TargetFact("新增取得职业技能等级认定证书", "人次", Decimal(12000), Decimal(18969)),
            TargetFact(
                "新增取得高级工及以上职业技能等级认定证书", "人次", Decimal(4400), Decimal(5570)
            ),
            TargetFact(
                "新增取得技师及以上职业技能等级认定证书", "人次", Decimal(310), Decimal(354)
            ),
        ),
        unit_type="公益二类事业单位",
        supervisor="湛江市人力资源和社会保障局",
    )
    return Base(
        name="seed",
        text=seed_text(),
        facts=facts,
        inherent=("execution_rate_unexplained", "over_completion_unexplained"),
    )


def example_data() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE_YAML.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def vary_example(rng: random.Random) -> dict[str, Any]:
    """The seed's data with a seeded random unit, year, targets, budget, staffing and dates.

    Every change keeps the report clean: targets met within 100–130% (no deviation to explain),
    execution ≥ 95% of the adjusted budget, adjustment under 30%, staff within quota, filled after
    the year ends, notice of the following year.
    """
    data = copy.deepcopy(example_data())
    year = rng.choice((2023, 2024, 2025))
    issuer, prefix = rng.choice(NOTICE_ISSUERS)
    data["year"] = year
    data["filled_on"] = dt.date(year + 1, rng.randint(3, 6), rng.randint(1, 28))
    data["notice"] = {
        "issuer": issuer,
        "title": f"{issuer}关于开展{year + 1}年市级财政资金绩效自评工作的通知",
        "number": f"{prefix}〔{year + 1}〕{rng.randint(1, 15)}号",
    }
    unit = data["unit"]
    unit["name"] = rng.choice(UNIT_NAMES)
    unit["staffing_quota"] = rng.randint(6, 40)
    unit["staff_actual"] = rng.randint(3, unit["staffing_quota"])
    targets = {t["code"]: t for t in data["targets"]}
    top = targets["T1"]
    top["target"] = rng.randint(80, 200) * 100
    top["actual"] = int(top["target"] * rng.uniform(1.0, 1.3))
    top.pop("explanation", None)
    middle = targets["T2"]
    middle["target"] = int(top["target"] * rng.uniform(0.25, 0.4))
    middle["actual"] = int(middle["target"] * rng.uniform(1.0, 1.3))
    leaf = targets["T3"]
    leaf["target"] = int(middle["target"] * rng.uniform(0.05, 0.1))
    leaf["actual"] = int(leaf["target"] * rng.uniform(1.0, 1.3))
    targets["T4"]["actual"] = rng.randint(1, max(1, leaf["actual"] // 20))
    targets["T0"]["actual"] = int(top["actual"] * rng.uniform(1.1, 1.5))
    initial = _money(rng, 20, 900)
    full_year = (initial * Decimal(str(round(rng.uniform(1.02, 1.25), 2)))).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    executed = (full_year * Decimal(str(round(rng.uniform(0.95, 1.0), 3)))).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    data["budget"]["rows"] = [
        {"source": "当年财政拨款", "initial": initial, "full_year": full_year, "executed": executed}
    ]
    return data


def rendered_base(name: str, data: dict[str, Any], *, with_binaries: bool = False) -> Base:
    """Render ``data`` with jixiao.documents (txt, and docx/pdf when asked) and read its facts."""
    from scoring import find_ruleset, score_evaluation
    from scoring.evaluation import SelfEvaluation
    from scoring.loading import validate_data

    _setup_django()
    from jixiao.documents.package import render_document

    evaluation = validate_data(SelfEvaluation, data, name)
    result = score_evaluation(evaluation, find_ruleset(evaluation.ruleset))
    text = render_document(evaluation, result, "txt").decode("utf-8")
    binaries = {}
    if with_binaries:
        binaries = {fmt: render_document(evaluation, result, fmt) for fmt in ("docx", "pdf")}
    row = evaluation.budget.rows[0]
    stated = [t for t in evaluation.targets if t.target is not None]
    unit = evaluation.unit
    facts = Facts(
        unit=unit.name,
        year=evaluation.year,
        score=result.total,
        grade=result.grade_name,
        filled_on=evaluation.filled_on or dt.date(evaluation.year + 1, 1, 1),
        notice_year=evaluation.year + 1 if evaluation.notice else None,
        staffing_quota=unit.staffing_quota,
        staff_actual=unit.staff_actual,
        budget_initial=row.initial,
        budget_full_year=row.full_year,
        budget_executed=row.executed,
        targets=tuple(
            TargetFact(t.name, t.unit, t.target, t.actual) for t in stated if t.actual is not None
        ),
        dimension_scores=tuple(Decimal(s) for s in _dimension_scores(text)),
        unit_type=unit.unit_type,
        supervisor=unit.supervisor,
    )
    return Base(name=name, text=text, facts=facts, rendered=binaries)


def _dimension_scores(text: str) -> list[str]:
    return re.findall(r"本项得分(\d+(?:\.\d+)?)分", text)


def _setup_django() -> None:
    """The report templates render through Django's engine; no database is touched."""
    from django.conf import settings

    if not settings.configured:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def all_bases(rng: random.Random, *, variants: int = 2, with_binaries: bool = True) -> list[Base]:
    """The seed as published, the seed's data rendered, and ``variants`` random renderings."""
    bases = [seed_base(), rendered_base("rendered", example_data(), with_binaries=with_binaries)]
    for index in range(variants):
        data = vary_example(rng)
        bases.append(rendered_base(f"varied{index + 1}", data, with_binaries=with_binaries))
    return bases
