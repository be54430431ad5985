"""What lists need of an evaluation, stored beside it on every save (issue 14).

The progress page, the city overview and the API list thousands of evaluations; decoding each one's
JSON content for a list is what made them take seconds at 20,000 units. So the figures a list shows
or filters on are stored as columns of Evaluation when the content is written (services._write,
create_tasks, the monitoring save) and by the backfill (migration 0005, ``manage.py
refresh_summaries``): the total and grade (already stored), the number of targets far above target
(偏离度过大) and how many of them lack an explanation, the budget execution rate, and the number of
problems the scoring reports (missing or unexplained items).

Pure functions of the stored content; the rule-set's over-completion line is read once per ref.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from scoring.rounding import display_percent

DEFAULT_OVER_COMPLETION = Decimal(150)
# Column limits: a count past the column's range is stored as the range's top.
MAX_COUNT = 32767
MAX_RATE = Decimal("99999.99")


def over_completions(data: dict[str, Any], threshold: Decimal) -> list[tuple[str, Decimal, bool]]:
    """Targets far above target (偏离度过大): (name, completion %, explained) from stored data."""
    found = []
    targets = data.get("targets") if isinstance(data, dict) else None
    for target in targets if isinstance(targets, list) else []:
        if not isinstance(target, dict) or target.get("direction", ">=") not in (">=", "="):
            continue
        try:
            goal = Decimal(str(target.get("target")))
            actual = Decimal(str(target.get("actual")))
        except (InvalidOperation, TypeError, ValueError):
            continue
        if not goal.is_finite() or not actual.is_finite() or goal <= 0:
            continue
        rate = actual * 100 / goal
        if rate > threshold:
            found.append(
                (
                    str(target.get("name", "")),
                    display_percent(rate),
                    bool(str(target.get("explanation") or "").strip()),
                )
            )
    return found


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


def summary_fields(data: dict[str, Any], *, threshold: Decimal, problems: int) -> dict[str, Any]:
    """The stored summary columns of an evaluation with ``data``."""
    found = over_completions(data, threshold)
    return {
        "over_completions": min(len(found), MAX_COUNT),
        "over_unexplained": min(sum(1 for _n, _r, explained in found if not explained), MAX_COUNT),
        "execution_rate": execution_rate(data),
        "problem_count": min(problems, MAX_COUNT),
    }


def threshold_reader() -> Callable[[str], Decimal]:
    """ref → the rule-set's over-completion line (150 % when the rule-set is unknown), cached."""
    from jixiao.campaigns.rulesets import get_ruleset
    from scoring.loading import InputError

    seen: dict[str, Decimal] = {}

    def read(ref: str) -> Decimal:
        if ref not in seen:
            try:
                seen[ref] = get_ruleset(ref).thresholds.over_completion
            except InputError:
                seen[ref] = DEFAULT_OVER_COMPLETION
        return seen[ref]

    return read


def apply_summary(evaluation: Any, *, problems: int, ruleset: Any = None) -> None:
    """Refresh ``evaluation``'s summary columns from its data (no save). ``ruleset``: the
    rule-set the caller already read for this evaluation, used when it is the one named here."""
    data = evaluation.data if isinstance(evaluation.data, dict) else {}
    ref = evaluation.ruleset_ref or str(data.get("ruleset") or "")
    if ruleset is not None and ruleset.ref == ref:
        threshold = ruleset.thresholds.over_completion
    else:
        threshold = threshold_reader()(ref)
    for name, value in summary_fields(data, threshold=threshold, problems=problems).items():
        setattr(evaluation, name, value)


def refresh_all(evaluations: Any, *, batch: int = 500) -> int:
    """Recompute the summary columns of every evaluation in the queryset ``evaluations`` (the
    backfill of migration 0005 and ``manage.py refresh_summaries``), in batches of ``batch`` rows
    read with a keyset on the id and written with bulk_update. Returns how many were written."""
    from jixiao.evaluations.scoring_bridge import is_declaration, score_data

    read = threshold_reader()
    names = ["over_completions", "over_unexplained", "execution_rate", "problem_count"]
    done = 0
    last = 0
    while True:
        rows = list(evaluations.filter(pk__gt=last).order_by("pk")[:batch])
        if not rows:
            return done
        for e in rows:
            data = e.data if isinstance(e.data, dict) else {}
            try:
                problems = 0 if is_declaration(data) else len(score_data(data).problems)
            except Exception:  # a document the scoring cannot read lists as one problem
                problems = 1
            ref = e.ruleset_ref or str(data.get("ruleset") or "")
            for name, value in summary_fields(data, threshold=read(ref), problems=problems).items():
                setattr(e, name, value)
        type(rows[0]).objects.bulk_update(rows, names)
        done += len(rows)
        last = rows[-1].pk
