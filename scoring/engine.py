"""Score a self-evaluation against a rule-set (评分).

``score_evaluation`` never raises on incomplete data: a draft still gets every score it can, and
``EvaluationResult.problems`` names what stops it from being complete. ``require_complete`` turns
those problems into a ``ScoringError`` for callers that need a finished evaluation (the CLI, a
submission).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from scoring.evaluation import Assessment, SelfEvaluation, Target
from scoring.messages import N_, Msg, Term
from scoring.plausibility import PastActual, far_from_history, implausible_rate, match_history
from scoring.results import (
    EvaluationResult,
    Flag,
    FlagCode,
    GroupTotal,
    IndicatorResult,
    Ratios,
)
from scoring.rounding import display_percent, format_decimal, format_figure, round_score
from scoring.rules import (
    RuleOutcome,
    rescale_points,
    score_budget_execution,
    score_deduction,
    score_qualitative,
    score_quantitative,
)
from scoring.ruleset import (
    DerivedMetric,
    Indicator,
    NotApplicableRule,
    RuleKind,
    RuleSet,
    ScoringOptions,
)

HUNDRED = Decimal(100)
ZERO = Decimal(0)


class ScoringError(ValueError):
    """The evaluation cannot be scored completely; ``problems`` says why, one line each."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("；".join(self.problems))


@dataclass(frozen=True)
class _Adjust:
    """What the rule-set's options do to a leaf once its rule has scored it (docs/rulesets.md
    「评分选项」): 不适用 dropped (``dropped``) or refused (``refused``), the other leaves' points
    rescaled (``scaled``: code → new points), over-cap categories, 低于分值须说明."""

    options: ScoringOptions = field(default_factory=ScoringOptions)
    dropped: frozenset[str] = frozenset()
    refused: frozenset[str] = frozenset()
    scaled: Mapping[str, Decimal] = field(default_factory=dict)
    over_cap: Mapping[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    budget_explanation: str = ""  # 执行率偏低的原因: the budget row's explanation


def _scored_leaves(
    ruleset: RuleSet, targets_by_parent: Mapping[str, Sequence[Target]]
) -> dict[str, Decimal]:
    """Every leaf that scores, code → its points: fixed leaves and the targets of open nodes."""
    found: dict[str, Decimal] = {}
    for _, node in ruleset.walk():
        if node.open:
            for target in targets_by_parent.get(node.code, ()):
                found[target.code] = target.points or ZERO
        elif node.is_leaf:
            found[node.code] = node.points
    return found


def _adjustments(
    evaluation: SelfEvaluation,
    ruleset: RuleSet,
    targets_by_parent: Mapping[str, Sequence[Target]],
    problems: list[Msg],
) -> _Adjust:
    options = ruleset.options
    leaves = _scored_leaves(ruleset, targets_by_parent)
    marked = [
        (a.code, _term(node))
        for a in evaluation.assessments
        if a.not_applicable and (node := ruleset.find(a.code)) is not None and a.code in leaves
    ] + [(t.code, t.name) for t in evaluation.targets if t.not_applicable and t.code in leaves]
    codes = frozenset(code for code, _ in marked)
    over_cap: dict[str, tuple[Decimal, Decimal]] = {}
    for cap in options.category_caps:
        allotted = sum(
            (
                t.points or ZERO
                for t in evaluation.targets
                if t.category.strip() == cap.category.strip()
                and t.code in leaves
                and t.code not in codes
            ),
            ZERO,
        )
        if allotted > cap.max_points:
            over_cap[cap.category.strip()] = (allotted, cap.max_points)
            problems.append(
                Msg(
                    N_("「{category}」类绩效目标分值合计 {allotted}，超过规则集规定的上限 {cap}"),
                    category=cap.category,
                    allotted=format_decimal(allotted),
                    cap=format_decimal(cap.max_points),
                )
            )
    base = _Adjust(
        options=options,
        over_cap=over_cap,
        budget_explanation=evaluation.budget.execution_explanation,
    )
    if not codes:
        return base
    if options.not_applicable is NotApplicableRule.REFUSE:
        for _, name in marked:
            problems.append(
                Msg(
                    N_("「{name}」标为不适用，但规则集 {ref} 不允许剔除不适用指标"),
                    name=name,
                    ref=ruleset.ref,
                )
            )
        return _Adjust(
            options=options,
            refused=codes,
            over_cap=over_cap,
            budget_explanation=base.budget_explanation,
        )
    kept = [code for code in leaves if code not in codes]
    if sum((leaves[c] for c in kept), ZERO) <= 0:
        problems.append(Msg(N_("全部指标均标为不适用，无法评分")))
        scaled: dict[str, Decimal] = {}
    else:
        shares = rescale_points([leaves[c] for c in kept], ruleset.total_points)
        scaled = dict(zip(kept, shares, strict=True))
    return _Adjust(
        options=options,
        dropped=codes,
        scaled=scaled,
        over_cap=over_cap,
        budget_explanation=base.budget_explanation,
    )


def ratio_percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator / denominator × 100, or None when the denominator is zero."""
    if denominator == 0:
        return None
    return numerator * HUNDRED / denominator


def derive_ratios(evaluation: SelfEvaluation) -> Ratios:
    """The ratios every report and check uses, from the evaluation's own figures."""
    budget = evaluation.budget
    unit = evaluation.unit
    # 在职人员控制率 measures a unit's staffing, not a project: a project evaluation has none, even
    # when its data carries the unit's 编制数/实有人数 (prefilled from the unit profile).
    staffing = (
        ratio_percent(Decimal(unit.staff_actual), Decimal(unit.staffing_quota))
        if unit.staff_actual is not None and unit.staffing_quota and evaluation.kind != "project"
        else None
    )
    completion = {
        t.code: rate
        for t in evaluation.targets
        if t.target is not None
        and t.actual is not None
        and (rate := _completion_rate(t.direction.value, t.target, t.actual)) is not None
    }
    return Ratios(
        execution_rate=ratio_percent(budget.executed, budget.full_year),
        execution_rate_initial=ratio_percent(budget.executed, budget.initial),
        adjustment_rate=ratio_percent(budget.full_year - budget.initial, budget.initial),
        staffing_control_rate=staffing,
        completion_rates=completion,
    )


def _completion_rate(direction: str, target: Decimal, actual: Decimal) -> Decimal | None:
    """完成率: actual / target for ≥, = and ranges; target / actual for ≤ (so ≥ 100 means met)."""
    if direction == "<=":
        return ratio_percent(target, actual)
    return ratio_percent(actual, target)


def score_evaluation(
    evaluation: SelfEvaluation, ruleset: RuleSet, *, history: Sequence[PastActual] = ()
) -> EvaluationResult:
    """Score every leaf, total them, grade the total, and collect flags and problems.

    ``history``: the unit's targets' actuals in earlier years (its previous self-evaluations), so
    an actual far outside them is flagged (scoring.plausibility.far_from_history). Only years
    before the evaluation's own count."""
    earlier = tuple(p for p in history if p.year < evaluation.year)
    problems: list[Msg] = []
    if evaluation.ruleset_id != ruleset.id:
        problems.append(
            Msg(
                N_("自评使用的规则集 {ruleset} 与评分规则集 {ref} 不一致"),
                ruleset=evaluation.ruleset,
                ref=ruleset.ref,
            )
        )
    elif evaluation.ruleset_version and evaluation.ruleset_version != ruleset.version:
        problems.append(
            Msg(
                N_("自评指定规则集版本 {version}，评分使用 {used}"),
                version=evaluation.ruleset_version,
                used=ruleset.version,
            )
        )

    ratios = derive_ratios(evaluation)
    assessments = {a.code: a for a in evaluation.assessments}
    targets_by_parent: dict[str, list[Target]] = {}
    for target in evaluation.targets:
        if target.points is None:
            continue
        targets_by_parent.setdefault(target.parent or "", []).append(target)

    adjust = _adjustments(evaluation, ruleset, targets_by_parent, problems)
    results: list[IndicatorResult] = []
    groups: list[GroupTotal] = []
    used_assessments: set[str] = set()
    used_parents: set[str] = set()

    for path, node in ruleset.walk():
        ancestors = [*path, node]
        level1 = _term(ancestors[0])
        level2 = _term(ancestors[1]) if len(ancestors) > 2 else Term("")
        if node.open:
            used_parents.add(node.code)
            scored = sorted(targets_by_parent.get(node.code, []), key=lambda t: t.code)
            results += _score_open_node(
                node,
                scored,
                level1,
                level2 or _term(node),
                ruleset,
                problems,
                evaluation.year,
                earlier,
                adjust,
            )
        elif node.is_leaf:
            assessment = assessments.get(node.code)
            if assessment is not None:
                used_assessments.add(node.code)
            results.append(
                _score_fixed_leaf(
                    node, assessment, level1, level2, ruleset, ratios, problems, adjust
                )
            )

    # Order within an open node follows the unit's own listing, not code order.
    order = {t.code: i for i, t in enumerate(evaluation.targets)}
    results = _stable_open_order(results, order)

    for code in sorted(set(assessments) - used_assessments):
        problems.append(Msg(N_("指标编码 {code} 不在规则集 {ref} 中"), code=code, ref=ruleset.ref))
    for code in sorted(set(targets_by_parent) - used_parents):
        problems.append(
            Msg(
                N_("绩效目标所属指标 {code} 不是规则集中可自设三级指标的节点"),
                code=code or Msg(N_("（未填写）")),
            )
        )

    for top in ruleset.indicators:
        codes = {n.code for _, n in _subtree(top)} | {
            t.code for _, n in _subtree(top) if n.open for t in targets_by_parent.get(n.code, [])
        }
        score = sum((r.score for r in results if r.code in codes), ZERO)
        points = top.points
        if adjust.dropped:  # 不适用 rescaled: the group's points are its leaves' new points
            points = sum((r.points for r in results if r.code in codes), ZERO)
        groups.append(GroupTotal(code=top.code, name=_term(top), points=points, score=score))

    total = sum((r.score for r in results), ZERO)
    grade = next(g for g in ruleset.grades if total >= g.min_score)
    return EvaluationResult(
        ruleset_id=ruleset.id,
        ruleset_version=ruleset.version,
        ruleset_name=Term(ruleset.name, ruleset.name_en),
        total=total,
        total_points=ruleset.total_points,
        grade_code=grade.code,
        grade_label=grade.label,
        grade_name=grade.name,
        indicators=tuple(results),
        groups=tuple(groups),
        ratios=ratios,
        flags=tuple(_evaluation_flags(evaluation, ruleset, ratios)),
        problems=tuple(problems),
    )


def _term(node: Indicator) -> Term:
    """A rule-set node's name, carrying its English name for the English UI."""
    return Term(node.name, node.name_en)


def require_complete(result: EvaluationResult) -> EvaluationResult:
    """Raise ScoringError when the result has problems; otherwise return it."""
    if result.problems:
        raise ScoringError(result.problems)
    return result


def _subtree(node: Indicator) -> Iterable[tuple[tuple[Indicator, ...], Indicator]]:
    yield (), node
    for child in node.children:
        yield from _subtree(child)


def _stable_open_order(
    results: list[IndicatorResult], order: dict[str, int]
) -> list[IndicatorResult]:
    """Sort consecutive unit-defined results by the unit's listing order, leaving others in place."""
    out: list[IndicatorResult] = []
    run: list[IndicatorResult] = []
    for result in [*results, None]:
        if result is not None and result.unit_defined:
            run.append(result)
            continue
        out += sorted(run, key=lambda r: order.get(r.code, 0))
        run = []
        if result is not None:
            out.append(result)
    return out


def _score_open_node(
    node: Indicator,
    targets: list[Target],
    level1: str,
    level2: str,
    ruleset: RuleSet,
    problems: list[Msg],
    year: int = 0,
    history: Sequence[PastActual] = (),
    adjust: _Adjust = _Adjust(),
) -> list[IndicatorResult]:
    if not targets:
        problems.append(
            Msg(N_("「{name}」须由单位设置绩效目标（三级指标），目前没有"), name=_term(node))
        )
        return []
    allotted = sum((t.points or ZERO for t in targets), ZERO)
    if allotted != node.points:
        problems.append(
            Msg(
                N_("「{name}」下绩效目标分值合计 {allotted}，应等于该指标分值 {points}"),
                name=_term(node),
                allotted=allotted,
                points=node.points,
            )
        )
    # Targets that claim more points than their node has cannot all be right, and scoring them
    # would let the total pass the rule-set's points (a draft showed 112.23 of 100): none of them
    # scores until the points are fixed. Fewer points than the node's can only lower the total.
    over_allotted = allotted > node.points
    out = []
    for target in targets:
        points = target.points or ZERO
        category = target.category.strip()
        if target.code in adjust.dropped:
            out.append(
                _not_applicable(
                    code=target.code,
                    name=target.name,
                    level1=level1,
                    level2=level2,
                    points=points,
                    kind=RuleKind.QUANTITATIVE.value,
                    unit_defined=True,
                    direction=target.direction.value,
                    unit=target.unit,
                    target=target.target,
                    target_high=target.target_high,
                    actual=target.actual,
                    explanation=target.explanation,
                    criteria=node.criteria,
                )
            )
            continue
        if over_allotted:
            outcome = RuleOutcome.not_scored(
                Msg(
                    N_("「{name}」下绩效目标分值合计 {allotted} 超过该指标分值 {points}"),
                    name=_term(node),
                    allotted=allotted,
                    points=node.points,
                )
            )
        elif category in adjust.over_cap:
            allotted, cap = adjust.over_cap[category]
            outcome = RuleOutcome.not_scored(
                Msg(
                    N_("「{category}」类绩效目标分值合计 {allotted} 超过上限 {cap}"),
                    category=category,
                    allotted=format_decimal(allotted),
                    cap=format_decimal(cap),
                )
            )
        elif target.code in adjust.refused:
            outcome = RuleOutcome.not_scored(Msg(N_("标为不适用，但规则集不允许剔除")))
        elif target.actual is None:
            problems.append(Msg(N_("绩效目标「{name}」缺少实际完成值"), name=target.name))
            outcome = RuleOutcome.not_scored(Msg(N_("缺少实际完成值")))
        else:
            outcome = score_quantitative(
                points=points,
                direction=target.direction,
                target=target.target,
                target_high=target.target_high,
                actual=target.actual,
                thresholds=ruleset.thresholds,
                explanation=target.explanation,
                reverse=ruleset.options.reverse,
                zero_target=ruleset.options.equal_zero_target,
            )
        out.append(
            _result(
                adjust=adjust,
                extra_flags=_implausible_target(target) + _history_flag(target, year, history),
                code=target.code,
                name=target.name,
                level1=level1,
                level2=level2,
                points=points,
                kind=RuleKind.QUANTITATIVE.value,
                outcome=outcome,
                deduction=target.reviewer_deduction,
                deduction_reason=target.reviewer_deduction_reason,
                direction=target.direction.value,
                unit=target.unit,
                target=target.target,
                target_high=target.target_high,
                actual=target.actual,
                explanation=target.explanation,
                criteria=node.criteria,
                unit_defined=True,
            )
        )
    return out


def _implausible_target(target: Target) -> tuple[Flag, ...]:
    """A share outside 0–100% (scoring.plausibility): scored as typed, flagged for a person."""
    odd = [
        Msg(template, value=format_decimal(value))
        for template, value in (
            (N_("年度指标值 {value}%"), target.target),
            (N_("实际完成值 {value}%"), target.actual),
        )
        if value is not None and implausible_rate(name=target.name, unit=target.unit, value=value)
    ]
    if not odd:
        return ()
    what = odd[0] if len(odd) == 1 else Msg(N_("{first}、{second}"), first=odd[0], second=odd[1])
    return (
        Flag(
            FlagCode.IMPLAUSIBLE,
            Msg(N_("{what} 超出 0–100%，请核对；如无误须说明原因"), what=what),
            needs_explanation=True,
            explained=bool(target.explanation.strip()),
        ),
    )


def _history_flag(target: Target, year: int, history: Sequence[PastActual]) -> tuple[Flag, ...]:
    """An actual far outside the same target's actual in an earlier year: scored as typed, flagged
    with both figures and both years (scoring.plausibility, docs/scoring.md)."""
    if target.actual is None or not history:
        return ()
    past = match_history(code=target.code, name=target.name, unit=target.unit, history=history)
    if past is None:
        return ()
    factor = far_from_history(
        name=target.name, unit=target.unit, actual=target.actual, past=past.actual
    )
    if factor is None:
        return ()
    now = format_figure(target.actual, target.unit)
    then = format_figure(past.actual, target.unit)
    explained = bool(target.explanation.strip())
    if target.actual > past.actual:
        template = (
            N_(
                "{year} 年实际完成值 {now} 是 {past_year} 年 {then} 的 {times} 倍，"
                "与往年相差过大，已说明原因"
            )
            if explained
            else N_(
                "{year} 年实际完成值 {now} 是 {past_year} 年 {then} 的 {times} 倍，"
                "与往年相差过大，请核对；如无误须说明原因"
            )
        )
        times = format_decimal(factor.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    else:
        template = (
            N_(
                "{year} 年实际完成值 {now} 仅为 {past_year} 年 {then} 的 {times}，"
                "与往年相差过大，已说明原因"
            )
            if explained
            else N_(
                "{year} 年实际完成值 {now} 仅为 {past_year} 年 {then} 的 {times}，"
                "与往年相差过大，请核对；如无误须说明原因"
            )
        )
        times = format_figure(target.actual * HUNDRED / past.actual, "%")
    return (
        Flag(
            FlagCode.OUTSIDE_HISTORY,
            Msg(template, year=year, now=now, past_year=past.year, then=then, times=times),
            needs_explanation=True,
            explained=explained,
        ),
    )


def _derived_actual(source: DerivedMetric | None, ratios: Ratios) -> Decimal | None:
    if source is DerivedMetric.EXECUTION_RATE:
        return ratios.execution_rate
    if source is DerivedMetric.ADJUSTMENT_RATE:
        return None if ratios.adjustment_rate is None else abs(ratios.adjustment_rate)
    if source is DerivedMetric.STAFFING_CONTROL_RATE:
        return ratios.staffing_control_rate
    return None


def _score_fixed_leaf(
    node: Indicator,
    assessment: Assessment | None,
    level1: str,
    level2: str,
    ruleset: RuleSet,
    ratios: Ratios,
    problems: list[Msg],
    adjust: _Adjust = _Adjust(),
) -> IndicatorResult:
    rule = node.rule
    assert rule is not None  # the rule-set validator guarantees every leaf has a rule
    explanation = assessment.explanation if assessment else ""
    if node.code in adjust.dropped:
        return _not_applicable(
            code=node.code,
            name=_term(node),
            level1=level1,
            level2=level2,
            points=node.points,
            kind=rule.kind.value,
            explanation=explanation,
            criteria=node.criteria,
        )
    target = assessment.target if assessment and assessment.target is not None else rule.target
    actual = (
        _derived_actual(rule.source, ratios)
        if rule.source is not None
        else (assessment.actual if assessment else None)
    )
    band_label: str | None = None
    outcome: RuleOutcome
    if node.code in adjust.refused:
        outcome = RuleOutcome.not_scored(Msg(N_("标为不适用，但规则集不允许剔除")))
    elif rule.kind is RuleKind.QUALITATIVE:
        if assessment is None or assessment.score is None:
            problems.append(Msg(N_("定性指标「{name}」尚未自评打分"), name=_term(node)))
            outcome = RuleOutcome.not_scored(Msg(N_("尚未自评打分")))
        else:
            outcome, band_label, problem = score_qualitative(
                points=node.points,
                bands=ruleset.bands,
                band=assessment.band,
                score=assessment.score,
            )
            if problem:
                problems.append(
                    Msg(N_("定性指标「{name}」：{problem}"), name=_term(node), problem=problem)
                )
    elif actual is None:
        if rule.source is None:
            problems.append(Msg(N_("指标「{name}」缺少实际完成值"), name=_term(node)))
            outcome = RuleOutcome.not_scored(Msg(N_("缺少实际完成值")))
        else:
            problems.append(
                Msg(N_("指标「{name}」缺少计算所需的数据（预算或人员）"), name=_term(node))
            )
            outcome = RuleOutcome.not_scored(Msg(N_("缺少计算所需的数据（预算或人员）")))
    elif rule.kind is RuleKind.BUDGET_EXECUTION:
        outcome = score_budget_execution(points=node.points, rate=actual)
    elif rule.kind is RuleKind.DEDUCTION:
        assert rule.limit is not None and rule.deduct_per_point is not None
        outcome = score_deduction(
            points=node.points,
            direction=rule.direction,
            actual=actual,
            limit=rule.limit,
            deduct_per_point=rule.deduct_per_point,
        )
    elif target is None:
        problems.append(Msg(N_("指标「{name}」缺少年度指标值"), name=_term(node)))
        outcome = RuleOutcome.not_scored(Msg(N_("缺少年度指标值")))
    else:
        outcome = score_quantitative(
            points=node.points,
            direction=rule.direction,
            target=target,
            target_high=rule.target_high,
            actual=actual,
            thresholds=ruleset.thresholds,
            explanation=explanation,
            reverse=ruleset.options.reverse,
            zero_target=ruleset.options.equal_zero_target,
        )
    example_flag = (
        (Flag(FlagCode.EXAMPLE_SCORE, Msg(N_("示例分值：来源材料未给出本项得分"))),)
        if assessment is not None and assessment.example
        else ()
    )
    return _result(
        adjust=adjust,
        code=node.code,
        name=_term(node),
        level1=level1,
        level2=level2,
        points=node.points,
        kind=rule.kind.value,
        outcome=outcome,
        deduction=assessment.reviewer_deduction if assessment else None,
        deduction_reason=assessment.reviewer_deduction_reason if assessment else "",
        direction=rule.direction.value if rule.kind is RuleKind.QUANTITATIVE else None,
        unit="%" if rule.source is not None else "",
        target=target if rule.kind is not RuleKind.QUALITATIVE else None,
        target_high=rule.target_high,
        actual=actual,
        band=band_label,
        explanation=explanation,
        criteria=node.criteria,
        extra_flags=example_flag,
    )


def _result(
    *,
    code: str,
    name: str,
    level1: str,
    level2: str,
    points: Decimal,
    kind: str,
    outcome: RuleOutcome,
    deduction: Decimal | None,
    deduction_reason: str,
    extra_flags: tuple[Flag, ...] = (),
    adjust: _Adjust = _Adjust(),
    **figures: object,
) -> IndicatorResult:
    raw = outcome.score
    flags = list(outcome.flags)
    declared: Decimal | None = None
    if code in adjust.scaled:
        # 不适用 elsewhere: this leaf's points are rescaled, and its score in proportion
        declared, points = points, adjust.scaled[code]
        raw = min(points, raw * points / declared) if declared else ZERO
    if adjust.options.explain_below_points:
        flags += _below_points(adjust, kind, points, round_score(raw), flags, figures)
    if deduction:
        raw = max(ZERO, raw - deduction)
        flags.append(
            Flag(
                FlagCode.REVIEWER_DEDUCTION,
                Msg(N_("复核扣 {points} 分：{reason}"), points=deduction, reason=deduction_reason),
            )
        )
    flags += extra_flags
    return IndicatorResult(
        code=code,
        name=name,
        level1=level1,
        level2=level2,
        points=points,
        score=round_score(raw),
        kind=kind,
        completion_rate=outcome.completion_rate,
        reviewer_deduction=deduction,
        flags=tuple(flags),
        declared_points=declared,
        **figures,  # type: ignore[arg-type]
    )


def _below_points(
    adjust: _Adjust,
    kind: str,
    points: Decimal,
    score: Decimal,
    flags: Sequence[Flag],
    figures: Mapping[str, object],
) -> tuple[Flag, ...]:
    """得分低于分值须填写偏差原因及改进措施 (rule-set option ``explain_below_points``): every
    leaf, where the rule itself asks nothing (a missed target already asks; an unscored one is a
    problem). The reviewer's deduction does not count: it is not the unit's score."""
    asked = any(
        f.code is FlagCode.NOT_SCORED or (f.code is FlagCode.NOT_MET and f.needs_explanation)
        for f in flags
    )
    if score >= points or asked:
        return ()
    explanation = str(figures.get("explanation") or "")
    if kind == RuleKind.BUDGET_EXECUTION.value and not explanation.strip():
        explanation = adjust.budget_explanation
    explained = bool(explanation.strip())
    return (
        Flag(
            FlagCode.BELOW_POINTS,
            Msg(
                N_("得分 {score} 低于分值 {points}，已说明偏差原因")
                if explained
                else N_("得分 {score} 低于分值 {points}，须填写偏差原因分析及改进措施"),
                score=format_decimal(score),
                points=format_decimal(points),
            ),
            needs_explanation=True,
            explained=explained,
        ),
    )


def _not_applicable(
    *, code: str, name: str, level1: str, level2: str, points: Decimal, kind: str, **figures: object
) -> IndicatorResult:
    """A leaf the unit marked 不适用, dropped by the rule-set's rescale option: 0 of 0 points."""
    return IndicatorResult(
        code=code,
        name=name,
        level1=level1,
        level2=level2,
        points=ZERO,
        score=round_score(ZERO),  # a score like every other: 0.00
        kind=kind,
        not_applicable=True,
        declared_points=points,
        flags=(
            Flag(
                FlagCode.NOT_APPLICABLE,
                Msg(
                    N_("不适用，已剔除（原分值 {points}），其余指标分值按总分折算"),
                    points=format_decimal(points),
                ),
            ),
        ),
        **figures,  # type: ignore[arg-type]
    )


def _evaluation_flags(evaluation: SelfEvaluation, ruleset: RuleSet, ratios: Ratios) -> list[Flag]:
    flags: list[Flag] = []
    budget = evaluation.budget
    limits = ruleset.thresholds
    if ratios.execution_rate is not None and ratios.execution_rate < limits.execution_min:
        flags.append(
            Flag(
                FlagCode.EXECUTION_LOW,
                Msg(
                    N_("预算执行率 {rate}% 低于 {limit}%，已说明原因")
                    if budget.execution_explanation.strip()
                    else N_("预算执行率 {rate}% 低于 {limit}%，须说明原因"),
                    rate=display_percent(ratios.execution_rate),
                    limit=limits.execution_min,
                ),
                needs_explanation=True,
                explained=bool(budget.execution_explanation.strip()),
            )
        )
    if ratios.execution_rate is not None and ratios.execution_rate > HUNDRED:
        # Spending above the full-year (adjusted) budget is possible but needs a reason; the
        # execution score stays capped at its points (scoring.rules.score_budget_execution).
        flags.append(
            Flag(
                FlagCode.EXECUTION_OVER,
                Msg(
                    N_(
                        "全年执行数 {executed} 万元超过全年预算数 {full_year} 万元（执行率 "
                        "{rate}%），请核对；如无误须说明支出变动的原因"
                    ),
                    executed=format_decimal(budget.executed),
                    full_year=format_decimal(budget.full_year),
                    rate=display_percent(ratios.execution_rate),
                ),
                needs_explanation=True,
                explained=bool(budget.change_reason.strip()),
            )
        )
    if ratios.adjustment_rate is not None and abs(ratios.adjustment_rate) > limits.adjustment_max:
        flags.append(
            Flag(
                FlagCode.ADJUSTMENT_HIGH,
                Msg(
                    N_("预算调整率 {rate}% 超过 {limit}%，已说明调整原因")
                    if budget.change_reason.strip()
                    else N_("预算调整率 {rate}% 超过 {limit}%，须说明调整原因"),
                    rate=display_percent(ratios.adjustment_rate),
                    limit=limits.adjustment_max,
                ),
                needs_explanation=True,
                explained=bool(budget.change_reason.strip()),
            )
        )
    unit = evaluation.unit
    if (
        unit.staff_actual is not None
        and unit.staffing_quota is not None
        and unit.staff_actual > unit.staffing_quota
    ):
        flags.append(
            Flag(
                FlagCode.OVER_QUOTA,
                Msg(
                    N_("实有人数 {actual} 人超过编制数 {quota} 人"),
                    actual=unit.staff_actual,
                    quota=unit.staffing_quota,
                ),
            )
        )
    return flags
