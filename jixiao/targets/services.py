"""Writes of the targets app: save a declaration (through the evaluations' one save path) and the
target adjustments (绩效目标调整: request, department decision, bureau decision, withdrawal).

Every write runs in a transaction, checks the acting user's scope and role, and records an event in
the 操作日志.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jixiao.evaluations import services as evaluation_services
from jixiao.organisations.models import User
from jixiao.targets.entry import EntryForm, declaration_fields


def save_declaration(
    *, user: User, declaration_id: int, base_version: int, form: EntryForm, window: str = ""
) -> evaluation_services.SaveOutcome:
    """Save the entry page (overall goal, amount, the target table) based on ``base_version``:
    merged with others' saves of other fields, refused on a clash (EvaluationConflict), like
    every self-evaluation save (versions, revisions, 操作日志)."""
    fields = declaration_fields(form)

    def build(base: dict[str, Any]) -> dict[str, Any]:
        base.update(fields)
        return base

    return evaluation_services.save_changes(
        user=user,
        evaluation_id=declaration_id,
        base_version=base_version,
        build=build,
        summary=_("保存了绩效目标申报"),
        window=window,
    )
