"""Which parts of a self-evaluation a unit may write (填报权限): the one decision for every path.

Some fields of ``Evaluation.data`` are not the unit's to say. They belong to

* the **campaign** (自评工作): the kind (部门整体 / 项目), the rule-set it is scored under, the year and
  the bureau's notice (title, 文号, issuer) — fixed once tasks were created from them;
* the **organisation record** (组织信息, kept by the bureau's 财政管理员): the unit's name, 统一社会
  信用代码, 单位性质 and 主管部门 (the record's parent);
* the **reviewer**: 复核扣分 and its reason on any target or assessment;
* the **approved targets** (绩效目标申报 and its approved adjustments), when the unit's targets for
  the year were approved: each target's name, unit, direction, value, 所属评分指标 and 分值, which
  targets there are, and the 绩效目标依据 (``targets_basis``) — see jixiao.evaluations.bound_targets.

The project's name (项目名称) stays the unit's: a bureau may leave it blank when it creates project
tasks ("由单位填写"), and the unit writes the project's official name into its report — except for a
task made from the **项目库** (``Evaluation.project`` set), whose 项目名称 and 实施单位 are the
register's, like the unit's identity fields.

``enforce_server_owned`` is called by ``services.save_evaluation_data``, the one write every path goes
through (entry forms, autosave, the JSON API, prefill from last year's report): whatever the path
posted for these fields is replaced by what the campaign, organisation record or stored review
says. A value that differs both from that and from what is stored is an attempt to change it, and is
refused (``ServerOwnedChange``) rather than silently dropped, so an API client learns that its
``ruleset`` was not taken; echoing back the stored value is always fine.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from jixiao.evaluations.bound_targets import enforce_bound_targets
from jixiao.evaluations.models import Evaluation

# Dotted data paths owned by the server, with the owner's words for the refusal.
CAMPAIGN_FIELDS = ("kind", "ruleset", "year", "notice")
UNIT_RECORD_FIELDS = ("unit.name", "unit.credit_code", "unit.unit_type", "unit.supervisor")
REVIEWER_FIELDS = ("reviewer_deduction", "reviewer_deduction_reason")  # per target / assessment

OWNER_MESSAGES = {
    "campaign": _("由自评工作确定，单位不能修改"),
    "unit": _("以财政局维护的单位信息为准，单位不能在自评中修改（如有错误请联系财政局）"),
    "reviewer": _("复核扣分由复核人填写，单位不能修改"),
    "register": _("以项目库登记的项目为准，单位不能在自评中修改（如有错误请修改项目库）"),
}


class ServerOwnedChange(Exception):
    """The posted data changes fields that are not the unit's; nothing was written.

    ``problems`` lists ``(dotted field, message)`` pairs, one per field.
    """

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("；".join(f"{field}：{message}" for field, message in problems))


def is_server_owned(path: str) -> bool:
    """Whether a dotted data path (``notice.number``, ``targets.2.reviewer_deduction``) is one a
    unit may not write: for importers that offer fields one by one (prefill from a report)."""
    keys = [k for k in path.split(".") if not k.isdigit()]
    if not keys:
        return False
    if keys[0] in CAMPAIGN_FIELDS or keys[0] == "targets_basis":
        return True
    dotted = ".".join(keys[:2])
    if dotted in UNIT_RECORD_FIELDS:
        return True
    return keys[0] in ("targets", "assessments") and len(keys) > 1 and keys[1] in REVIEWER_FIELDS


def owned_values(evaluation: Evaluation) -> dict[str, Any]:
    """The values the campaign and the organisation record give, by dotted path."""
    campaign = evaluation.campaign
    unit = evaluation.unit
    values: dict[str, Any] = {
        "kind": campaign.kind,
        "ruleset": campaign.ruleset_ref,
        "year": campaign.year,
        "notice": {
            "title": campaign.notice_title,
            "number": campaign.notice_number,
            "issuer": campaign.bureau.name,
        },
        "unit.name": unit.name,
        "unit.credit_code": unit.credit_code or "",
        "unit.unit_type": unit.unit_type,
        "unit.supervisor": unit.parent.name if unit.parent else "",
    }
    if evaluation.project_id is not None and evaluation.project is not None:
        values["project.name"] = evaluation.project.name
        values["project.implementing_unit"] = evaluation.project.unit.name
    return values


def _owner(path: str) -> str:
    if path.startswith("project."):
        return "register"
    return "campaign" if path in CAMPAIGN_FIELDS else "unit"


def _get(data: Any, path: str) -> Any:
    node = data
    for key in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _same(a: Any, b: Any) -> bool:
    # Numbers may come back as strings or numbers, None and "" both mean "not given".
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, dict) or isinstance(b, dict):
        if not (isinstance(a, dict) and isinstance(b, dict)):
            return False
        return all(_same(a.get(k), b.get(k)) for k in set(a) | set(b))
    return str(a).strip() == str(b).strip()


def _rows(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    rows = data.get(key) if isinstance(data, dict) else None
    if isinstance(rows, list):
        for index, row in enumerate(rows):
            if isinstance(row, dict):
                yield index, row


def enforce_server_owned(*, evaluation: Evaluation, data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` whose server-owned fields hold the server's values; ServerOwnedChange
    (nothing written) when the posted data tries to change one.

    Campaign fields always take the campaign's value. Identity fields keep the stored value (copied
    from the organisation record when the task was created, so every document of the year names the
    unit alike) or take the record's current one; any other value is refused.
    """
    if evaluation.campaign.kind == "targets":
        from jixiao.targets.declarations import enforce_declaration_owned

        return enforce_declaration_owned(evaluation=evaluation, data=data)
    stored = evaluation.data or {}
    result = copy.deepcopy(data)
    problems: list[tuple[str, str]] = []
    for path, value in owned_values(evaluation).items():
        posted, before = _get(data, path), _get(stored, path)
        # Left out or blank means "not said" (a YAML file without the credit code): the server's.
        given = _present(data, path) and posted not in (None, "")
        if given and not (_same(posted, value) or _same(posted, before)):
            problems.append((path, str(OWNER_MESSAGES[_owner(path)])))
        if path in CAMPAIGN_FIELDS:
            keep = value
        elif given:
            keep = posted
        else:
            keep = before if _present(stored, path) else value
        _put(result, path, copy.deepcopy(keep))
    for key in ("targets", "assessments"):
        earlier = {str(row.get("code")): row for _i, row in _rows(stored, key)}
        for index, row in _rows(result, key):
            old = earlier.get(str(row.get("code")), {})
            for name in REVIEWER_FIELDS:
                if name in row and not _same(row[name], old.get(name)):
                    problems.append((f"{key}.{index}.{name}", str(OWNER_MESSAGES["reviewer"])))
                if name in old or name in row:
                    empty = None if name == "reviewer_deduction" else ""
                    row[name] = copy.deepcopy(old.get(name, empty))
    enforce_bound_targets(evaluation=evaluation, posted=data, result=result, problems=problems)
    if problems:
        raise ServerOwnedChange(problems)
    return result


def _present(data: Any, path: str) -> bool:
    node = data
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def _put(data: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    node = data
    for key in keys[:-1]:
        child = node.get(key)
        if child is None:
            child = node[key] = {}
        if not isinstance(child, dict):
            return  # a malformed part (a list where an object belongs): the model refuses it
        node = child
    node[keys[-1]] = value
