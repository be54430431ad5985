"""What a new project evaluation takes from the 项目库: the project part (scoring.evaluation.Project)
and the budget rows by fund source (年初预算数 / 全年预算数 = 调整后 / 全年执行数, 万元).

Read at task creation only: later changes to the register do not rewrite an evaluation the unit is
already filling in. Targets come from the approved declaration, not from here.
"""

from __future__ import annotations

from typing import Any

from jixiao.projects.models import Project


def project_part(project: Project) -> dict[str, Any]:
    return {"name": project.name, "implementing_unit": project.unit.name}


def budget_rows(project: Project) -> list[dict[str, Any]]:
    return [
        {
            "source": line.source,
            "initial": str(line.initial),
            "full_year": str(line.adjusted),
            "executed": str(line.executed),
        }
        for line in project.budget_lines.order_by("source", "pk")
    ]


def apply_register(data: dict[str, Any], project: Project) -> dict[str, Any]:
    """``data`` (a new evaluation's content) with the project part and budget rows of ``project``;
    whatever else ``data`` carries over (last year's narrative, targets) stays."""
    data["project"] = {**(data.get("project") or {}), **project_part(project)}
    rows = budget_rows(project)
    if rows:
        data["budget"] = {**(data.get("budget") or {}), "rows": rows}
    return data
