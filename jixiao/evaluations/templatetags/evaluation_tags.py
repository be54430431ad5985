"""Small template helpers for the entry pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Mapping[str, Any] | None, key: Any) -> Any:
    """``{{ counts|lookup:code }}``: a dictionary entry by a variable key (None when absent)."""
    if not mapping:
        return None
    return mapping.get(str(key))
