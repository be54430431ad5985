"""factory-boy factories for the web apps' tests: organisations, people, campaigns, evaluations.

``seed_evaluation_data()`` is the seed unit's FY2025 evaluation (examples/), stored as the web app
stores it, so tests start from the golden example.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import factory
from django.utils import timezone

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.scoring_bridge import to_json
from jixiao.organisations.credit_code import check_character
from jixiao.organisations.models import Organisation, OrganisationKind, Role, User
from scoring import load_evaluation

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEED_FILE = EXAMPLES / "zhanjiang-skills-center-2025.yaml"
PASSWORD = "demo-pass-123"


@lru_cache(maxsize=1)
def _seed_json() -> dict[str, Any]:
    return to_json(load_evaluation(SEED_FILE))


def seed_evaluation_data(**overrides: Any) -> dict[str, Any]:
    """A fresh copy of the seed's data (the caller may change it freely)."""
    import copy

    data = copy.deepcopy(_seed_json())
    data.update(overrides)
    return data


def valid_credit_code(n: int) -> str:
    first17 = f"12440800{n:09d}"[:17]
    return first17 + check_character(first17)


class BureauFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    kind = OrganisationKind.BUREAU
    name = "湛江市财政局"


class DepartmentFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    kind = OrganisationKind.DEPARTMENT
    name = factory.Sequence(lambda n: f"测试主管部门{n}")
    parent = factory.SubFactory(BureauFactory)


class UnitFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    kind = OrganisationKind.UNIT
    name = factory.Sequence(lambda n: f"测试预算单位{n}")
    short_name = "我单位"
    credit_code = factory.Sequence(valid_credit_code)
    unit_type = "公益二类事业单位"
    parent = factory.SubFactory(DepartmentFactory)
    staffing_quota = 7
    staff_actual = 5
    functions = "负责全市职业技能等级认定评价工作"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.UNIT_EDITOR
    organisation = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class CampaignFactory(factory.django.DjangoModelFactory[Campaign]):
    class Meta:
        model = Campaign

    bureau = factory.SubFactory(BureauFactory)
    year = 2025
    title = "2025年度市级部门整体支出绩效自评"
    notice_title = "湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知"
    notice_number = "湛财绩〔2026〕2号"
    kind = "department"
    ruleset_ref = "gd-department@2025.1"
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))


class EvaluationFactory(factory.django.DjangoModelFactory[Evaluation]):
    """An evaluation holding the seed's data (score 98, 优) in the given status."""

    class Meta:
        model = Evaluation
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory)
    status = Status.DRAFT
    ruleset_ref = "gd-department@2025.1"
    data = factory.LazyFunction(seed_evaluation_data)
    version = 1
    first_saved_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def scored(obj: Evaluation, create: bool, extracted: Any, **kwargs: Any) -> None:
        from jixiao.evaluations.services import apply_score

        apply_score(obj)
        if create:
            obj.save()
