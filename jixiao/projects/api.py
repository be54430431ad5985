"""项目库 in the JSON API (mounted at /api/projects by jixiao.api.api): the same scoped selectors as
the pages. The list pages with a cursor (the last id of the page before) and at most
``MAX_PAGE_SIZE`` rows a page; amounts travel as strings (万元)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from annotated_types import Ge, Le
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jixiao.organisations.models import User
from jixiao.projects import selectors
from jixiao.projects.models import Project
from jixiao.web.bounded_numbers import ObjectId, Year

router = Router(tags=["项目库"])

Amount = Annotated[Decimal, Ge(0), Le(Decimal(10) ** 14)]


class Ref(Schema):
    id: int
    name: str


class BudgetLineOut(Schema):
    source: str
    initial: str
    adjusted: str
    executed: str


class ProjectOut(Schema):
    id: int
    year: int
    code: str
    name: str
    category: str
    unit: Ref
    department: Ref | None
    period_start: int | None
    period_end: int | None
    initial_total: str
    adjusted_total: str
    executed_total: str
    is_active: bool


class ProjectDetailOut(ProjectOut):
    budget_lines: list[BudgetLineOut]


class ProjectPageOut(Schema):
    items: list[ProjectOut]
    next_cursor: int | None = Field(None, description="传给下一次请求的 cursor；为空表示没有更多")


class ProjectQuery(Schema):
    year: Year | None = None
    department: ObjectId | None = None
    unit: ObjectId | None = None
    category: str = Field("", max_length=60)
    min_amount: Amount | None = Field(None, description="调整后预算数不低于（万元）")
    max_amount: Amount | None = Field(None, description="调整后预算数不高于（万元）")
    q: str = Field("", max_length=100, description="项目名称或编码的一部分")
    include_inactive: bool = False
    cursor: ObjectId | None = Field(None, description="上一页最后一个项目的 id")
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=selectors.MAX_PAGE_SIZE)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _project(project: Project) -> dict[str, Any]:
    department = project.department
    return {
        "id": project.pk,
        "year": project.year,
        "code": project.code,
        "name": project.name,
        "category": project.category,
        "unit": {"id": project.unit_id, "name": project.unit.name},
        "department": {"id": department.pk, "name": department.name} if department else None,
        "period_start": project.period_start,
        "period_end": project.period_end,
        "initial_total": str(project.initial_total),
        "adjusted_total": str(project.adjusted_total),
        "executed_total": str(project.executed_total),
        "is_active": project.is_active,
    }


@router.get("", response=ProjectPageOut, summary="项目库列表（按年度、主管部门、类别、金额筛选）")
def list_projects(request: HttpRequest, query: Query[ProjectQuery]) -> dict[str, Any]:
    filters = selectors.ProjectFilter(
        year=query.year,
        department=query.department,
        unit=query.unit,
        category=query.category.strip(),
        min_amount=query.min_amount,
        max_amount=query.max_amount,
        q=query.q.strip(),
        include_inactive=query.include_inactive,
    )
    page = selectors.project_page(
        user=_user(request), filters=filters, after=query.cursor, size=query.limit
    )
    return {"items": [_project(p) for p in page.projects], "next_cursor": page.next_after}


@router.get("/{project_id}", response=ProjectDetailOut, summary="一个项目及其按资金来源的预算")
def project_detail(request: HttpRequest, project_id: ObjectId) -> dict[str, Any]:
    project = selectors.get_project(user=_user(request), project_id=project_id)
    return _project(project) | {
        "budget_lines": [
            {
                "source": line.source,
                "initial": str(line.initial),
                "adjusted": str(line.adjusted),
                "executed": str(line.executed),
            }
            for line in selectors.budget_lines(project=project)
        ]
    }
