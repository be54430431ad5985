"""`manage.py check --deploy`: warn when a production deployment lets bureau accounts sign in with a
password alone (等保 2.0 level 3 asks two factors of administrators)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def two_factor_for_bureau(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if settings.JIXIAO_REQUIRE_2FA_FOR_BUREAU:
        return []
    return [
        Warning(
            "JIXIAO_REQUIRE_2FA_FOR_BUREAU is off: bureau reviewers and admins sign in with a "
            "password alone.",
            hint="Set JIXIAO_REQUIRE_2FA_FOR_BUREAU=true in production (see .env.example).",
            id="jixiao.W001",
        )
    ]
