"""Template tags other apps' pages use to show 报告审查 results without importing this app in
their views: the latest audit of an evaluation's own report, beside its review."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.audit.selectors import is_reviewer, latest_evaluation_audit
from jixiao.audit.services import submitted_statuses

register = template.Library()


@register.inclusion_tag("audit_web/_evaluation.html", takes_context=True)
def audit_for_evaluation(context: dict[str, Any], evaluation: Any) -> dict[str, Any]:
    """审查发现 of the evaluation's latest audit, for its reviewers (nothing for anyone else)."""
    from jixiao.audit.views import FileView

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not is_reviewer(user):
        return {"shown": False}
    row = latest_evaluation_audit(user=user, evaluation_id=evaluation.pk)
    can_audit = evaluation.status in submitted_statuses()
    if row is None and not can_audit:
        return {"shown": False}
    findings = [f for f in FileView(row).findings if f["severity"] != "info"] if row else []
    return {
        "shown": True,
        "request": request,
        "evaluation": evaluation,
        "r": row,
        "findings": findings,
        "can_audit": can_audit,
    }
