"""Fixtures shared by the web apps' tests: one bureau, two departments, units and a person per role.

``world`` gives an "own" and an "other" object of each kind so access tests can check both.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import Organisation, Role, User
from jixiao.testing import factories as f


@dataclass
class World:
    bureau: Organisation
    department: Organisation
    other_department: Organisation
    unit: Organisation
    other_unit: Organisation  # same department as ``unit``
    foreign_unit: Organisation  # under ``other_department``
    campaign: Campaign
    evaluation: Evaluation  # of ``unit``, draft, the seed's data
    other_evaluation: Evaluation  # of ``other_unit``
    foreign_evaluation: Evaluation  # of ``foreign_unit``
    editor: User
    head: User
    other_editor: User  # of ``other_unit``
    department_reviewer: User
    other_department_reviewer: User
    bureau_reviewer: User
    bureau_admin: User

    def user(self, role: str) -> User:
        return {
            Role.UNIT_EDITOR: self.editor,
            Role.UNIT_HEAD: self.head,
            Role.DEPARTMENT_REVIEWER: self.department_reviewer,
            Role.BUREAU_REVIEWER: self.bureau_reviewer,
            Role.BUREAU_ADMIN: self.bureau_admin,
        }[Role(role)]


@pytest.fixture
def world(db: None) -> World:
    bureau = f.BureauFactory.create()
    department = f.DepartmentFactory.create(name="湛江市人力资源和社会保障局", parent=bureau)
    other_department = f.DepartmentFactory.create(name="湛江市教育局", parent=bureau)
    unit = f.UnitFactory.create(
        name="湛江市职业技能鉴定指导中心", short_name="我中心", parent=department
    )
    other_unit = f.UnitFactory.create(parent=department)
    foreign_unit = f.UnitFactory.create(parent=other_department)
    campaign = f.CampaignFactory.create(bureau=bureau)
    return World(
        bureau=bureau,
        department=department,
        other_department=other_department,
        unit=unit,
        other_unit=other_unit,
        foreign_unit=foreign_unit,
        campaign=campaign,
        evaluation=f.EvaluationFactory.create(campaign=campaign, unit=unit),
        other_evaluation=f.EvaluationFactory.create(campaign=campaign, unit=other_unit),
        foreign_evaluation=f.EvaluationFactory.create(campaign=campaign, unit=foreign_unit),
        editor=f.UserFactory.create(username="editor", role=Role.UNIT_EDITOR, organisation=unit),
        head=f.UserFactory.create(username="head", role=Role.UNIT_HEAD, organisation=unit),
        other_editor=f.UserFactory.create(
            username="other_editor", role=Role.UNIT_EDITOR, organisation=other_unit
        ),
        department_reviewer=f.UserFactory.create(
            username="dept", role=Role.DEPARTMENT_REVIEWER, organisation=department
        ),
        other_department_reviewer=f.UserFactory.create(
            username="other_dept", role=Role.DEPARTMENT_REVIEWER, organisation=other_department
        ),
        bureau_reviewer=f.UserFactory.create(
            username="bureau", role=Role.BUREAU_REVIEWER, organisation=bureau
        ),
        bureau_admin=f.UserFactory.create(
            username="admin", role=Role.BUREAU_ADMIN, organisation=bureau
        ),
    )
