"""Finding a rule-set for the web app: the bureau's stored ones first, then the shipped files."""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import gettext as _

from jixiao.campaigns.models import StoredRuleSet
from scoring.loading import InputError, parse_yaml, shipped_rulesets, validate_data
from scoring.rounding import format_decimal
from scoring.ruleset import NotApplicableRule, ReverseScoring, RuleSet, ZeroTarget


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


def ruleset_settings(ruleset: RuleSet) -> list[tuple[str, str]]:
    """A rule-set's thresholds, grade bands and scoring options (评分选项) as (label, value) lines
    for the 规则集 page, in the reader's language (docs/rulesets.md explains each)."""
    limits = ruleset.thresholds
    options = ruleset.options
    reverse = {
        ReverseScoring.RATIO: _("按比例：分值 × 年度指标值 ÷ 实际完成值"),
        ReverseScoring.LINEAR: _("线性扣减：超出目标值的比例扣分，两倍目标值为 0 分"),
    }
    zero = {
        ZeroTarget.EXACT: _("实际为 0 才达成"),
        ZeroTarget.AT_MOST: _("实际 ≤ 0 即达成"),
    }
    not_applicable = {
        NotApplicableRule.REFUSE: _("不允许剔除"),
        NotApplicableRule.RESCALE: _("剔除，其余指标分值按总分折算"),
    }
    grades = "、".join(f"{g.label} ≥ {format_decimal(g.min_score)}" for g in ruleset.grades)
    caps = "、".join(
        f"{c.category} ≤ {format_decimal(c.max_points)}" for c in options.category_caps
    )
    return [
        (
            _("提示线"),
            _("完成率高于 {over}%、预算执行率低于 {low}%、调整率高于 {high}% 须说明原因").format(
                over=format_decimal(limits.over_completion),
                low=format_decimal(limits.execution_min),
                high=format_decimal(limits.adjustment_max),
            ),
        ),
        *(
            [
                (
                    _("目标值为 0 的指标"),
                    _("实际完成达到 {n} 须说明原因").format(
                        n=format_decimal(limits.over_completion_zero_target)
                    ),
                )
            ]
            if limits.over_completion_zero_target is not None
            else []
        ),
        (_("评价等级"), grades),
        (_("反向指标未达成"), reverse[options.reverse]),
        (_("“=”指标目标值为 0"), zero[options.equal_zero_target]),
        (_("不适用指标"), not_applicable[options.not_applicable]),
        (
            _("得分低于分值"),
            _("须填写偏差原因及改进措施")
            if options.explain_below_points
            else _("仅未达成目标时须说明"),
        ),
        (_("类别分值上限"), caps or _("无")),
    ]
