"""What lists need of an evaluation, stored beside it on every save (issue 14).

The progress page, the city overview and the API list thousands of evaluations; decoding each one's
JSON content for a list is what made them take seconds at 20,000 units. So the figures a list shows
or filters on are stored as columns of Evaluation when the content is written (services._write,
create_tasks, the monitoring save) and by the backfill (migration 0005, ``manage.py
refresh_summaries``): the total and grade (already stored), the number of targets far above target
(偏离度过大) and how many of them lack an explanation, the budget execution rate, and the number of
problems the scoring reports (missing or unexplained items).

Pure functions of the stored content and its scoring result: over-completion is the engine's own
flag (scoring.rules), never a second reading of the targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.messages import N_, Msg
from scoring.results import EvaluationResult, FlagCode
from scoring.rounding import display_percent

# Column limits: a count past the column's range is stored as the range's top.
MAX_COUNT = 32767
MAX_RATE = Decimal("99999.99")


@dataclass(frozen=True)
class OverCompletion:
    """One 偏离度过大 flag: the indicator's name with the engine's own message (a Msg: the web
    renders it in the reader's language), and whether the explanation is given."""

    text: Msg
    explained: bool


def over_completions(result: EvaluationResult | None) -> list[OverCompletion]:
    """Targets far above target (偏离度过大) exactly as the scoring engine flags them, so the lists
    and the overview count what the evaluation's own pages and documents show: the rule-set's
    line, "=" targets (met only at the target, so never over it), a target of 0 under the
    rule-set's zero-target line, 不适用 indicators dropped. Content the engine cannot read yet
    (``result`` None) states nothing, and nothing is counted."""
    if result is None:
        return []
    return [
        OverCompletion(
            text=Msg(N_("{name}：{message}"), name=indicator.name, message=flag.message),
            explained=flag.explained,
        )
        for indicator in result.indicators
        for flag in indicator.flags
        if flag.code is FlagCode.OVER_COMPLETION
    ]


def execution_rate(data: dict[str, Any]) -> Decimal | None:
    """全年执行数 / 全年预算数 × 100 over the budget rows, to 0.01; None without a budget."""
    budget = data.get("budget") if isinstance(data, dict) else None
    rows = budget.get("rows") if isinstance(budget, dict) else None
    if not isinstance(rows, list):
        return None
    planned = executed = Decimal(0)
    for row in rows:
        if not isinstance(row, dict):
            continue
        try:
            planned += Decimal(str(row.get("full_year")))
            executed += Decimal(str(row.get("executed")))
        except (InvalidOperation, TypeError, ValueError):
            return None
    if not planned.is_finite() or not executed.is_finite() or planned <= 0:
        return None
    # Stored as shown: the one display rule (half up to 0.01 %), not the context's half-even.
    rate = display_percent(executed * 100 / planned)
    return max(min(rate, MAX_RATE), -MAX_RATE)


def summary_fields(
    data: dict[str, Any], *, result: EvaluationResult | None, problems: int
) -> dict[str, Any]:
    """The stored summary columns of an evaluation with ``data``, scored as ``result``."""
    found = over_completions(result)
    return {
        "over_completions": min(len(found), MAX_COUNT),
        "over_unexplained": min(sum(1 for item in found if not item.explained), MAX_COUNT),
        "execution_rate": execution_rate(data),
        "problem_count": min(problems, MAX_COUNT),
    }


def apply_summary(evaluation: Any, *, problems: int, result: EvaluationResult | None) -> None:
    """Refresh ``evaluation``'s summary columns from its data and its scoring ``result`` (None:
    not scored, e.g. a monitoring report or a draft the engine cannot read yet). No save."""
    data = evaluation.data if isinstance(evaluation.data, dict) else {}
    for name, value in summary_fields(data, result=result, problems=problems).items():
        setattr(evaluation, name, value)


def refresh_all(evaluations: Any, *, batch: int = 500) -> int:
    """Recompute the summary columns of every evaluation in the queryset ``evaluations`` (the
    backfill of migration 0005 and ``manage.py refresh_summaries``), in batches of ``batch`` rows
    read with a keyset on the id and written with bulk_update. Returns how many were written."""
    from jixiao.evaluations.scoring_bridge import is_declaration, score_data

    names = ["over_completions", "over_unexplained", "execution_rate", "problem_count"]
    done = 0
    last = 0
    while True:
        rows = list(evaluations.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return done
        for e in rows:
            data = e.data if isinstance(e.data, dict) else {}
            result = None
            try:
                scored = score_data(data)
                result = scored.result
                problems = 0 if is_declaration(data) else len(scored.problems)
            except Exception:  # a document the scoring cannot read lists as one problem
                problems = 1
            for name, value in summary_fields(data, result=result, problems=problems).items():
                setattr(e, name, value)
        type(rows[0]).objects.bulk_update(rows, names)
        done += len(rows)
        last = rows[-1].pk
