"""Finding a rule-set for the web app: the bureau's stored ones first, then the shipped files."""

from __future__ import annotations

from functools import lru_cache

from jixiao.campaigns.models import StoredRuleSet
from scoring.loading import InputError, parse_yaml, shipped_rulesets, validate_data
from scoring.ruleset import RuleSet


@lru_cache(maxsize=1)
def _shipped() -> dict[str, RuleSet]:
    # The shipped files never change while the process runs; parsing them per request would.
    return shipped_rulesets()


@lru_cache(maxsize=64)
def _parsed(ref: str, yaml_text: str) -> RuleSet:
    return validate_data(RuleSet, parse_yaml(yaml_text, ref), ref)


def shipped() -> dict[str, RuleSet]:
    """The rule-sets shipped in rulesets/*.yaml: ``id@version`` → RuleSet."""
    return dict(_shipped())


def available_rulesets() -> dict[str, str]:
    """Every rule-set a campaign may use: ``id@version`` → name."""
    found = {ref: ruleset.name for ref, ruleset in _shipped().items()}
    found.update(dict(StoredRuleSet.objects.values_list("ref", "name")))
    return dict(sorted(found.items()))


def get_ruleset(ref: str) -> RuleSet:
    """The rule-set ``id@version`` (or the newest version of ``id``); InputError when unknown."""
    stored = StoredRuleSet.objects.filter(ref=ref).values_list("yaml", flat=True).first()
    if stored is not None:
        return _parsed(ref, stored)
    shipped = _shipped()
    if ref in shipped:
        return shipped[ref]
    matching = [r for r in shipped.values() if r.id == ref]
    if matching:
        return max(matching, key=lambda r: r.version)
    from scoring.loading import InputProblem

    raise InputError([InputProblem("ruleset", None, "", f"找不到规则集 {ref}")])
