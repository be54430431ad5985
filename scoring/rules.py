"""The scoring rules (评分规则), one pure function per rule kind.

Each returns the unrounded score and the flags it raises; the engine rounds (scoring.rounding) and
applies reviewer deductions. No rule ever returns more than the indicator's points or less than 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from scoring.messages import N_, Msg, Term
from scoring.results import Flag, FlagCode
from scoring.rounding import display_percent, format_decimal
from scoring.ruleset import Band, Direction, ReverseScoring, Thresholds, ZeroTarget

HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class RuleOutcome:
    score: Decimal
    completion_rate: Decimal | None = None  # percent, exact
    flags: tuple[Flag, ...] = field(default=())

    @classmethod
    def not_scored(cls, why: Msg) -> RuleOutcome:
        return cls(
            score=ZERO, flags=(Flag(FlagCode.NOT_SCORED, Msg(N_("未评分：{why}"), why=why)),)
        )


def _clamp(value: Decimal, points: Decimal) -> Decimal:
    return min(points, max(ZERO, value))


def score_quantitative(
    *,
    points: Decimal,
    direction: Direction,
    target: Decimal | None,
    actual: Decimal,
    thresholds: Thresholds,
    target_high: Decimal | None = None,
    explanation: str = "",
    reverse: ReverseScoring = ReverseScoring.RATIO,
    zero_target: ZeroTarget = ZeroTarget.EXACT,
) -> RuleOutcome:
    """定量指标: met or exceeded → full points; not met → points × actual / target (≥) or, for
    a reverse (≤) indicator, points × target / actual (``reverse`` ratio) or points × (1 − (actual −
    target) / target), 0 from twice the target on (``reverse`` linear); "=" and ranges are
    pass/fail ("=" 0 met by an actual of exactly 0, or by any actual ≤ 0 with ``zero_target``
    at_most). Over-completion beyond ``thresholds.over_completion`` percent is flagged and needs
    an explanation; so does a miss.
    """
    if target is None:
        return RuleOutcome.not_scored(Msg(N_("缺少年度指标值")))
    explained = bool(explanation.strip())
    rate: Decimal | None
    if direction is Direction.AT_LEAST:
        rate = actual * HUNDRED / target if target > 0 else None
        met = actual >= target
        # Proportional credit only makes sense against a positive target; a miss of a zero or
        # negative target (e.g. a change rate) scores nothing rather than dividing by zero.
        raw = points if met else (points * max(actual, ZERO) / target if target > 0 else ZERO)
    elif direction is Direction.AT_MOST:
        rate = target * HUNDRED / actual if actual > 0 else None
        met = actual <= target
        # A miss with actual ≤ 0 means a negative target (e.g. 三公经费变动率 ≤ −5%) was not
        # reached: no proportional credit, and no division by zero when actual is 0.
        if met:
            raw = points
        elif reverse is ReverseScoring.LINEAR:
            # Linear to zero: each percent over the target costs a percent of the points; no
            # proportional credit against a target of 0 or below (nothing to be a percent of).
            raw = points * (2 - actual / target) if target > 0 else ZERO
        else:
            raw = points * max(target, ZERO) / actual if actual > 0 else ZERO
    elif direction is Direction.EQUAL:
        # "=" 0 (no accident, no complaint): there is no ratio to show, only met or not.
        rate = actual * HUNDRED / target if target != 0 else None
        at_most = target == 0 and zero_target is ZeroTarget.AT_MOST
        met = actual <= 0 if at_most else actual == target
        raw = points if met else ZERO
    else:
        high = target_high if target_high is not None else target
        rate = None
        met = target <= actual <= high
        raw = points if met else ZERO

    flags: list[Flag] = []
    if not met:
        flags.append(
            Flag(
                FlagCode.NOT_MET,
                # Once explained, the flag stays (a reviewer reads it) but asks for nothing.
                Msg(
                    N_("未达成年度指标值（目标 {target}，实际 {actual}），已说明偏差原因")
                    if explained
                    else N_(
                        "未达成年度指标值（目标 {target}，实际 {actual}），"
                        "须填写偏差原因分析及改进措施"
                    ),
                    target=format_decimal(target),
                    actual=format_decimal(actual),
                ),
                needs_explanation=True,
                explained=explained,
            )
        )
    elif (
        rate is None
        and direction is Direction.AT_LEAST
        and target == 0
        and thresholds.over_completion_zero_target is not None
        and actual >= thresholds.over_completion_zero_target
    ):
        flags.append(
            Flag(
                FlagCode.OVER_COMPLETION,
                Msg(
                    N_("目标值为 0，实际完成 {actual}，达到 {limit}，偏离度过大，已说明原因")
                    if explained
                    else N_("目标值为 0，实际完成 {actual}，达到 {limit}，偏离度过大，须说明原因"),
                    actual=format_decimal(actual),
                    limit=format_decimal(thresholds.over_completion_zero_target),
                ),
                needs_explanation=True,
                explained=explained,
            )
        )
    elif rate is not None and rate > thresholds.over_completion:
        flags.append(
            Flag(
                FlagCode.OVER_COMPLETION,
                Msg(
                    N_("完成率 {rate}% 超过 {limit}%，偏离度过大（目标可能设定偏低），已说明原因")
                    if explained
                    else N_(
                        "完成率 {rate}% 超过 {limit}%，偏离度过大（目标可能设定偏低），须说明原因"
                    ),
                    rate=display_percent(rate),
                    limit=format_decimal(thresholds.over_completion),
                ),
                needs_explanation=True,
                explained=explained,
            )
        )
    return RuleOutcome(score=_clamp(raw, points), completion_rate=rate, flags=tuple(flags))


def band_for_score(bands: Sequence[Band], points: Decimal, score: Decimal) -> Band | None:
    """The highest band whose range holds ``score`` (edges belong to the higher band)."""
    if points == 0:
        return bands[0] if bands else None
    percent = score * HUNDRED / points
    return next((b for b in bands if b.low <= percent <= b.high), None)


def score_qualitative(
    *,
    points: Decimal,
    bands: Sequence[Band],
    band: str | None,
    score: Decimal,
) -> tuple[RuleOutcome, str | None, Msg | None]:
    """定性指标: the evaluator picks a band (档次) and a score inside it.

    Returns the outcome, the band label, and a problem (a Msg) when the score lies outside the chosen
    band or above the points; the score is then clamped so totals stay within bounds.
    """
    if score > points:
        return (
            RuleOutcome(score=points),
            None,
            Msg(
                N_("得分 {score} 超过分值 {points}"),
                score=format_decimal(score),
                points=format_decimal(points),
            ),
        )
    if band is None:
        found = band_for_score(bands, points, score)
        return RuleOutcome(score=score), (_band_term(found) if found else None), None
    chosen = next((b for b in bands if band in (b.key, b.label)), None)
    if chosen is None:
        names = "、".join(f"{b.key}（{b.label}）" for b in bands)
        return (
            RuleOutcome(score=score),
            None,
            Msg(N_("档次「{band}」不存在，可选：{choices}"), band=band, choices=names),
        )
    low = points * chosen.low / HUNDRED
    high = points * chosen.high / HUNDRED
    if not low <= score <= high:
        return (
            RuleOutcome(score=_clamp(score, points)),
            _band_term(chosen),
            Msg(
                N_("得分 {score} 不在所选档次「{band}」的范围 {low}–{high} 分内"),
                score=format_decimal(score),
                band=_band_term(chosen),
                low=format_decimal(low),
                high=format_decimal(high),
            ),
        )
    return RuleOutcome(score=score), _band_term(chosen), None


def _band_term(band: Band) -> Term:
    """A band's label, with its English label for the English UI."""
    return Term(band.label, band.label_en)


def score_deduction(
    *,
    points: Decimal,
    direction: Direction,
    actual: Decimal,
    limit: Decimal,
    deduct_per_point: Decimal,
) -> RuleOutcome:
    """扣分制指标: full points within the limit; each percentage point beyond it (above for "≤",
    below for "≥") deducts ``deduct_per_point``; never below zero. E.g. 在职人员控制率 ≤ 100%.
    """
    excess = actual - limit if direction is Direction.AT_MOST else limit - actual
    raw = points - max(excess, ZERO) * deduct_per_point
    flags: tuple[Flag, ...] = ()
    if excess > 0:
        flags = (
            Flag(
                FlagCode.NOT_MET,
                Msg(
                    N_("实际 {actual}% 超出限值 {limit}%，按规则扣分"),
                    actual=display_percent(actual),
                    limit=format_decimal(limit),
                ),
                needs_explanation=False,
            ),
        )
    return RuleOutcome(score=_clamp(raw, points), completion_rate=actual, flags=flags)


def score_budget_execution(*, points: Decimal, rate: Decimal) -> RuleOutcome:
    """预算执行率: points × 全年执行数 / 全年预算数, capped at the points."""
    return RuleOutcome(score=_clamp(points * rate / HUNDRED, points), completion_rate=rate)


CENT = Decimal("0.01")


def rescale_points(points: Sequence[Decimal], total: Decimal) -> list[Decimal]:
    """不适用 dropped: the remaining indicators' ``points`` rescaled so they add up to ``total``.

    Each share is ``total × points / Σ points`` to 0.01 (half up), the rounding remainder on the
    largest (the first of equals), so the shares add up to ``total`` exactly and a full-marks
    evaluation still totals ``total``. All zeros (or nothing) stay as they are: nothing to scale.
    """
    whole = sum(points, ZERO)
    if whole <= 0:
        return list(points)
    shares = [(total * p / whole).quantize(CENT, rounding=ROUND_HALF_UP) for p in points]
    rest = total - sum(shares, ZERO)
    if rest:
        largest = max(range(len(points)), key=lambda i: (points[i], -i))
        shares[largest] += rest
    return shares
