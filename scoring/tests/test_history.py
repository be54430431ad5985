"""Issue 8.2: an actual far outside the history (the same target's actual in an earlier year) is
stored, scored as typed and flagged with both figures and both years (docs/scoring.md)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import score_evaluation
from scoring.evaluation import Target
from scoring.plausibility import (
    HISTORY_FACTOR,
    HISTORY_MIN_SIZE,
    PastActual,
    far_from_history,
    match_history,
)
from scoring.results import FlagCode
from scoring.tests.factories import evaluation, open_node_ruleset

D = Decimal


def scored(actual: str, history: list[PastActual], **fields: object):  # type: ignore[no-untyped-def]
    target = Target(
        code=str(fields.pop("code", "T1")),
        name=str(fields.pop("name", "培训人次")),
        unit=str(fields.pop("unit", "人次")),
        target=D(100),
        actual=D(actual),
        parent="U",
        points=D(100),
        **fields,  # type: ignore[arg-type]
    )
    return score_evaluation(evaluation(targets=(target,)), open_node_ruleset(), history=history)


def history_flags(result):  # type: ignore[no-untyped-def]
    return [f for f in result.indicators[0].flags if f.code is FlagCode.OUTSIDE_HISTORY]


def past(
    actual: str, year: int = 2024, code: str = "T1", name: str = "培训人次", unit: str = "人次"
):  # type: ignore[no-untyped-def]
    return PastActual(year=year, code=code, name=name, unit=unit, actual=D(actual))


def test_a_jump_past_five_times_last_year_is_flagged_with_both_figures_and_years() -> None:
    result = scored("1000", [past("150")])
    [flag] = history_flags(result)
    assert flag.message == (
        "2025 年实际完成值 1000人次 是 2024 年 150人次 的 6.7 倍，与往年相差过大，"
        "请核对；如无误须说明原因"
    )
    assert flag.missing_explanation
    assert "培训人次：" + flag.message in result.missing_explanations
    assert result.indicators[0].score == D(100)  # scored as typed: the flag never changes a score


def test_a_fall_below_a_fifth_is_flagged_as_a_share_of_last_year() -> None:
    [flag] = history_flags(scored("120", [past("8000")]))
    assert flag.message.startswith("2025 年实际完成值 120人次 仅为 2024 年 8000人次 的 1.5%")


def test_an_explained_jump_says_so_and_asks_nothing() -> None:
    [flag] = history_flags(scored("1000", [past("150")], explanation="今年新增两个考点"))
    assert flag.message.endswith("与往年相差过大，已说明原因")
    assert not flag.missing_explanation


def test_exactly_five_times_and_small_counts_raise_nothing() -> None:
    assert history_flags(scored("750", [past("150")])) == []  # exactly 5×
    assert history_flags(scored("40", [past("2")])) == []  # 20×, but the larger is below 50
    assert history_flags(scored("1000", [past("0")])) == []  # no ratio to a zero
    assert history_flags(scored("1000", [])) == []  # no history: nothing claimed


def test_change_rates_are_never_held_to_their_history() -> None:
    result = scored(
        "-60",
        [past("-5", name="三公经费变动率", unit="%")],
        name="三公经费变动率",
        unit="%",
        direction="<=",
    )
    assert history_flags(result) == []


def test_the_same_target_is_matched_by_code_else_by_name_and_unit() -> None:
    by_code = past("150", code="T1", name="认定人次（旧名）")
    assert match_history(code="T1", name="培训人次", unit="人次", history=[by_code]) == by_code
    by_name = past("150", code="T7")
    assert match_history(code="T1", name="培训 人次", unit="人次", history=[by_name]) == by_name
    # The same code in another unit of measure is another target.
    other = past("150", code="T1", name="培训经费", unit="万元")
    assert match_history(code="T1", name="培训人次", unit="人次", history=[other]) is None


def test_the_most_recent_year_wins_and_later_years_do_not_count() -> None:
    two_back, last = past("10000", year=2023), past("900", year=2024)
    assert match_history(code="T1", name="x", unit="人次", history=[last, two_back]) == last
    assert history_flags(scored("1000", [two_back, last])) == []
    # Last year's campaign has no such target: the year before is the history.
    [flag] = history_flags(scored("1000", [two_back]))
    assert "2023 年 10000人次" in flag.message
    # A figure of the evaluation's own year or later is not history.
    assert history_flags(scored("1000", [past("150", year=2025), past("150", year=2026)])) == []


figures = st.decimals(min_value=D("0.01"), max_value=D("1e7"), places=2)


@given(actual=figures, before=figures)
def test_flagged_exactly_when_more_than_five_times_apart_and_large_enough(
    actual: Decimal, before: Decimal
) -> None:
    factor = far_from_history(name="培训人次", unit="人次", actual=actual, past=before)
    apart = max(actual, before) > HISTORY_FACTOR * min(actual, before)
    assert (factor is not None) == (apart and max(actual, before) >= HISTORY_MIN_SIZE)
    if factor is not None:
        assert factor > HISTORY_FACTOR
        # Symmetric: a rise and the same fall are judged alike.
        assert far_from_history(name="培训人次", unit="人次", actual=before, past=actual) == factor


@given(actual=figures, before=figures)
def test_the_flag_never_changes_a_score(actual: Decimal, before: Decimal) -> None:
    with_history = scored(str(actual), [past(str(before))])
    alone = scored(str(actual), [])
    assert with_history.total == alone.total
    assert [i.score for i in with_history.indicators] == [i.score for i in alone.indicators]
