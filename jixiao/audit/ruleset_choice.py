"""Which rule-set an audit checks a report against (issue 13.4).

The one the user picks (``jixiao audit --ruleset``, the 报告审查 form) wins; else the shipped
rule-set the report itself names (its ``id@version`` or its full name, as jixiao's scoring table
prints them: 评分规则集：national-project@2020.1 …); else the default for the report's kind
(``jixiao.audit.checks.load_ruleset``). The checks then use that rule-set's grade bands,
over-completion threshold and total points.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from scoring.loading import (
    InputError,
    InputProblem,
    find_ruleset,
    load_ruleset_file,
    shipped_rulesets,
)
from scoring.ruleset import RuleSet


@functools.lru_cache(maxsize=1)
def _shipped() -> tuple[RuleSet, ...]:
    # Longest reference and name first, so "x@2020.10" is not read as "x@2020.1".
    found = shipped_rulesets().values()
    return tuple(sorted(found, key=lambda r: (-len(r.ref), -len(r.name))))


def named_ruleset(text: str) -> RuleSet | None:
    """The shipped rule-set whose ``id@version`` or full name the text contains, else None."""
    for ruleset in _shipped():
        if ruleset.ref in text:
            return ruleset
    for ruleset in _shipped():
        if len(ruleset.name) >= 8 and ruleset.name in text:
            return ruleset
    return None


def ruleset_argument(value: str) -> RuleSet:
    """``--ruleset``: a rule-set file (.yaml, .yml, .xlsx) or a shipped ``id`` / ``id@version``.

    Raises InputError (located, in Chinese) when it cannot be read or found."""
    path = Path(value)
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return load_ruleset_file(path)
    if suffix == ".xlsx":
        from scoring.ruleset_sheet import import_sheet

        try:
            data = path.read_bytes()
        except OSError:
            raise InputError([InputProblem(value, None, "", "文件不存在或无法读取")]) from None
        return import_sheet(data, value).ruleset  # raises InputError, located
    return find_ruleset(value)


def ruleset_payload(ruleset: RuleSet | None) -> dict[str, Any] | None:
    """The rule-set as JSON for the isolated audit child (it has no database)."""
    return None if ruleset is None else ruleset.model_dump(mode="json")


def ruleset_from_payload(payload: dict[str, Any] | None) -> RuleSet | None:
    return None if payload is None else RuleSet.model_validate(payload)
