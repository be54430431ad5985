"""The navigation bar: which pages the signed-in user's role may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label, who sees it). "any" = every signed-in user; "public" = everyone.
NAV_ITEMS: tuple[tuple[str, Any, frozenset[str]], ...] = (
    ("home", _("工作台"), frozenset({"any"})),
    (
        "evaluations:list",
        _("绩效自评"),
        frozenset(
            {"unit_editor", "unit_head", "department_reviewer", "bureau_reviewer", "bureau_admin"}
        ),
    ),
    (
        "projects:list",
        _("项目库"),
        frozenset(
            {"unit_editor", "unit_head", "department_reviewer", "bureau_reviewer", "bureau_admin"}
        ),
    ),
    (
        "campaigns:list",
        _("自评工作"),
        frozenset({"bureau_reviewer", "bureau_admin", "department_reviewer"}),
    ),
    (
        "campaigns:overview",
        _("全市概览"),
        frozenset({"bureau_reviewer", "bureau_admin", "department_reviewer"}),
    ),
    (
        "reviews:queue",
        _("审核待办"),
        frozenset({"department_reviewer", "bureau_reviewer", "bureau_admin"}),
    ),
    (
        "targets:adjustments",
        _("目标调整"),
        frozenset(
            {"unit_editor", "unit_head", "department_reviewer", "bureau_reviewer", "bureau_admin"}
        ),
    ),
    (
        "monitoring:warnings",
        _("监控预警"),
        frozenset({"department_reviewer", "bureau_reviewer", "bureau_admin"}),
    ),
    ("reviews:samples", _("抽查复核"), frozenset({"bureau_reviewer", "bureau_admin"})),
    (
        "audit_web:upload",
        _("报告审查"),
        frozenset({"bureau_reviewer", "bureau_admin", "department_reviewer"}),
    ),
    ("indicators:search", _("指标库"), frozenset({"any"})),
    (
        "rectification:list",
        _("整改"),
        frozenset(
            {"unit_editor", "unit_head", "department_reviewer", "bureau_reviewer", "bureau_admin"}
        ),
    ),
    ("results:index", _("结果应用"), frozenset({"bureau_reviewer", "bureau_admin"})),
    ("organisations:list", _("单位管理"), frozenset({"bureau_admin"})),
    ("organisations:users", _("账号管理"), frozenset({"bureau_admin"})),
    ("activity:list", _("操作日志"), frozenset({"bureau_admin"})),
    ("jobs:list", _("后台任务"), frozenset({"any"})),
    ("portal:index", _("公开平台"), frozenset({"public"})),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = getattr(user, "role", "") if user is not None and user.is_authenticated else None
    items = []
    for name, label, who in NAV_ITEMS:
        visible = "public" in who or (role is not None and ("any" in who or role in who))
        if not visible:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # an app that is not installed in this deployment
            continue
        items.append(
            {"url": url, "label": label, "active": request.path.startswith(url) and url != "/"}
        )
    # Only the longest matching entry is active (/reviews/samples/ is not also /reviews/).
    matches = [item for item in items if item["active"]]
    if len(matches) > 1:
        longest = max(matches, key=lambda item: len(item["url"]))
        for item in matches:
            item["active"] = item is longest
    return {"nav_items": items}


def session_idle(request: HttpRequest) -> dict[str, Any]:
    """The idle sign-out's timings for web/site.js (jixiao/web/session_idle.py)."""
    from jixiao.web.session_idle import WARNING_SECONDS, idle_seconds

    return {
        "session_idle_seconds": idle_seconds(),
        "session_idle_warning_seconds": min(WARNING_SECONDS, idle_seconds() // 2),
    }
