"""Template tags other apps' pages use to show 报告审查 results without importing this app in
their views: the latest audit of an evaluation's own report, beside its review."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.audit.selectors import latest_evaluation_audit

register = template.Library()


@register.inclusion_tag("audit_web/_evaluation.html", takes_context=True)
def audit_for_evaluation(context: dict[str, Any], evaluation: Any) -> dict[str, Any]:
    """审查发现 of the evaluation's latest audit, for its reviewers (nothing for anyone else)."""
    from jixiao.audit.views import FileView

    request = context.get("request")
    user = getattr(request, "user", None)
    row = None
    if user is not None and user.is_authenticated:
        row = latest_evaluation_audit(user=user, evaluation_id=evaluation.pk)
    if row is None:
        return {"shown": False}
    findings = [f for f in FileView(row).findings if f["severity"] != "info"]
    return {"shown": True, "request": request, "r": row, "findings": findings}
