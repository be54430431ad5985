"""Rule-set scoring options (评分选项, issue 13.4): each variant as real rule texts write it, its
default leaving every earlier result unchanged. Worked examples, then invariants (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from scoring.engine import score_evaluation
from scoring.evaluation import Assessment, Target
from scoring.loading import InputError, find_ruleset, parse_yaml, validate_data
from scoring.results import FlagCode
from scoring.rules import rescale_points, score_quantitative
from scoring.ruleset import (
    CategoryCap,
    Direction,
    Indicator,
    NotApplicableRule,
    ReverseScoring,
    Rule,
    RuleKind,
    RuleSet,
    ScoringOptions,
    Thresholds,
    ZeroTarget,
)
from scoring.ruleset_sheet import export_sheet, import_sheet, ruleset_to_yaml
from scoring.tests.factories import evaluation, open_node_ruleset, seed, target

D = Decimal
ZERO = D(0)
AT_MOST = Direction.AT_MOST


def with_options(ruleset: RuleSet, **options: object) -> RuleSet:
    return ruleset.model_copy(update={"options": ScoringOptions(**options)})  # type: ignore[arg-type]


def reverse(actual: str, how: ReverseScoring, target_value: str = "100") -> Decimal:
    return score_quantitative(
        points=D(10), direction=AT_MOST, target=D(target_value), actual=D(actual),
        thresholds=Thresholds(), reverse=how,
    ).score  # fmt: skip


# --- reverse (≤) indicators ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "ratio", "linear"),
    [
        ("80", "10", "10"),  # met
        ("100", "10", "10"),  # exactly the target
        ("120", "8.333333333333333333333333333", "8.0"),  # 20% over: 10×100/120 vs 10×0.8
        ("150", "6.666666666666666666666666667", "5.0"),
        ("200", "5", "0"),  # twice the target: linear reaches 0
        ("300", "3.333333333333333333333333333", "0"),  # never below 0
    ],
)
def test_reverse_ratio_and_linear_worked_examples(actual: str, ratio: str, linear: str) -> None:
    assert reverse(actual, ReverseScoring.RATIO) == D(ratio)
    assert reverse(actual, ReverseScoring.LINEAR) == D(linear)


def test_linear_reverse_against_a_target_of_zero_gives_no_credit() -> None:
    assert reverse("3", ReverseScoring.LINEAR, target_value="0") == ZERO


@given(
    points=st.decimals("0", "100", places=2),
    target_value=st.decimals("0.01", "10000", places=2),
    a=st.decimals("0", "100000", places=2),
    b=st.decimals("0", "100000", places=2),
)
def test_linear_reverse_is_bounded_monotone_and_never_above_ratio(
    points: Decimal, target_value: Decimal, a: Decimal, b: Decimal
) -> None:
    def score(actual: Decimal, how: ReverseScoring) -> Decimal:
        return score_quantitative(
            points=points, direction=AT_MOST, target=target_value, actual=actual,
            thresholds=Thresholds(), reverse=how,
        ).score  # fmt: skip

    low, high = sorted((a, b))
    linear_low, linear_high = score(low, ReverseScoring.LINEAR), score(high, ReverseScoring.LINEAR)
    assert ZERO <= linear_high <= linear_low <= points  # more cost never scores more
    # (1 − x) ≤ 1/(1 + x): linear is the stricter reading, equal only when met
    assert linear_high <= score(high, ReverseScoring.RATIO)
    if high >= 2 * target_value:
        assert linear_high == ZERO


def test_reverse_option_reaches_the_engine() -> None:
    data = evaluation(targets=(target("T1", "100", "120", "100", direction=AT_MOST),))
    ratio = score_evaluation(data, open_node_ruleset())
    linear = score_evaluation(
        data, with_options(open_node_ruleset(), reverse=ReverseScoring.LINEAR)
    )
    assert (ratio.total, linear.total) == (D("83.33"), D("80.00"))


# --- "=" with a target of 0 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "how", "score", "met"),
    [
        ("0", ZeroTarget.EXACT, "10", True),
        ("1", ZeroTarget.EXACT, "0", False),
        ("-1", ZeroTarget.EXACT, "0", False),
        ("0", ZeroTarget.AT_MOST, "10", True),
        ("-1", ZeroTarget.AT_MOST, "10", True),  # a negative actual counts as 0
        ("1", ZeroTarget.AT_MOST, "0", False),
    ],
)
def test_equal_zero_target(actual: str, how: ZeroTarget, score: str, met: bool) -> None:
    outcome = score_quantitative(
        points=D(10), direction=Direction.EQUAL, target=ZERO, actual=D(actual),
        thresholds=Thresholds(), zero_target=how,
    )  # fmt: skip
    assert outcome.score == D(score)
    assert outcome.completion_rate is None  # no ratio against 0: met or not, nothing else
    assert any(f.code is FlagCode.NOT_MET for f in outcome.flags) is not met
    assert not any(f.code is FlagCode.OVER_COMPLETION for f in outcome.flags)


# --- 不适用 dropped and the rest rescaled -----------------------------------------------------


def project_data(*, marked: bool = True, actual_t2: str = "90") -> tuple[Target, ...]:
    return (
        target("T1", "100", "100", "60"),
        Target(
            code="T2", name="指标T2", target=D(100), actual=D(actual_t2), points=D(30),
            parent="U", not_applicable=marked,
        ),
        target("T3", "10", "5", "10"),
    )  # fmt: skip


def test_not_applicable_refused_by_default() -> None:
    result = score_evaluation(evaluation(targets=project_data()), open_node_ruleset())
    assert "「指标T2」标为不适用，但规则集 test@1 不允许剔除不适用指标" in [
        str(p) for p in result.problems
    ]
    t2 = next(r for r in result.indicators if r.code == "T2")
    assert (t2.score, t2.points, t2.not_applicable) == (ZERO, D(30), False)
    assert result.total == D("65.00")  # 60 + 0 + 5


def test_not_applicable_rescaled_to_the_total() -> None:
    ruleset = with_options(open_node_ruleset(), not_applicable=NotApplicableRule.RESCALE)
    result = score_evaluation(evaluation(targets=project_data()), ruleset)
    assert result.problems == ()
    by_code = {r.code: r for r in result.indicators}
    # 60 and 10 of the 70 applicable points become 85.71 and 14.29 of 100
    assert (by_code["T1"].points, by_code["T1"].score, by_code["T1"].declared_points) == (
        D("85.71"), D("85.71"), D(60),
    )  # fmt: skip
    assert (by_code["T3"].points, by_code["T3"].score) == (D("14.29"), D("7.15"))  # half of it
    t2 = by_code["T2"]
    assert (t2.points, t2.score, t2.not_applicable, t2.declared_points) == (ZERO, ZERO, True, D(30))
    assert t2.has(FlagCode.NOT_APPLICABLE)
    assert sum((r.points for r in result.indicators), ZERO) == D(100)
    assert result.total == D("92.86")
    assert result.groups[0].points == D(100)


def test_not_applicable_everywhere_cannot_be_scored() -> None:
    ruleset = with_options(open_node_ruleset(), not_applicable=NotApplicableRule.RESCALE)
    only = Target(
        code="T1", name="唯一", target=D(1), actual=D(1), points=D(100), parent="U",
        not_applicable=True,
    )  # fmt: skip
    result = score_evaluation(evaluation(targets=(only,)), ruleset)
    assert "全部指标均标为不适用，无法评分" in [str(p) for p in result.problems]
    assert result.total == ZERO


def test_not_applicable_fixed_leaf_in_the_seed() -> None:
    """The seed under its rule-set with rescaling allowed and 履职效益 (U2, 5 points) marked 不适用:
    the other 95 points become 100 (5 → 5.26, 10 → 10.53, 15 → 15.79 + the 0.01 remainder), and
    the two 4-of-5 leaves score 4.21 of 5.26 each: 100 − 2 × 1.05 = 97.90 (93 / 95 would be 97.89,
    but each leaf is rounded once and the total is their sum, as always)."""
    data = seed()
    data = data.model_copy(
        update={
            "assessments": tuple(
                a.model_copy(update={"not_applicable": True}) if a.code == "U2" else a
                for a in data.assessments
            )
        }
    )
    ruleset = with_options(find_ruleset(data.ruleset), not_applicable=NotApplicableRule.RESCALE)
    result = score_evaluation(data, ruleset)
    assert result.problems == ()
    assert sum((r.points for r in result.indicators), ZERO) == D(100)
    assert result.total == D("97.90")
    assert result.grade_label == "优"


@given(
    st.lists(st.decimals("0", "100", places=2), min_size=1, max_size=40),
    st.sampled_from([D(100), D(10), D("99.5")]),
)
def test_rescaled_points_always_add_up_to_the_total(points: list[Decimal], total: Decimal) -> None:
    shares = rescale_points(points, total)
    if sum(points, ZERO) == 0:
        assert shares == points
        return
    assert sum(shares, ZERO) == total
    assert all(s >= 0 for s in shares)
    assert all(s == 0 for p, s in zip(points, shares, strict=True) if p == 0)


@given(
    st.lists(
        st.tuples(
            st.integers(1, 20),  # points
            st.integers(0, 150),  # actual of a target of 100
            st.booleans(),  # 不适用
        ),
        min_size=1,
        max_size=12,
    )
)
def test_rescaled_evaluation_is_within_the_total(
    rows: list[tuple[int, int, bool]],
) -> None:
    targets = tuple(
        Target(
            code=f"T{i}", name=f"指标{i}", target=D(100), actual=D(actual), points=D(points),
            parent="U", not_applicable=marked,
        )
        for i, (points, actual, marked) in enumerate(rows)
    )  # fmt: skip
    node_points = D(sum(p for p, _, _ in rows))
    ruleset = with_options(
        open_node_ruleset(points=node_points), not_applicable=NotApplicableRule.RESCALE
    )
    result = score_evaluation(evaluation(targets=targets), ruleset)
    if all(marked for _, _, marked in rows):
        assert result.total == ZERO
        return
    assert sum((r.points for r in result.indicators), ZERO) == node_points
    assert ZERO <= result.total <= node_points
    assert all(r.score <= r.points for r in result.indicators)
    if all(actual >= 100 for _, actual, marked in rows if not marked):
        assert result.total == node_points  # full marks stay full marks


# --- a score below the points needs 偏差原因及改进措施 ---------------------------------------


def test_below_points_off_by_default_on_with_the_option() -> None:
    data = seed()
    plain = score_evaluation(data, find_ruleset(data.ruleset))
    assert not any(r.has(FlagCode.BELOW_POINTS) for r in plain.indicators)
    strict = score_evaluation(
        data, with_options(find_ruleset(data.ruleset), explain_below_points=True)
    )
    below = [r.code for r in strict.indicators if r.has(FlagCode.BELOW_POINTS)]
    assert below == ["B1", "S2"]  # 4 of 5 each, both explained in the seed
    assert strict.missing_explanations == plain.missing_explanations
    assert strict.total == plain.total == D("98.00")


def test_below_points_without_explanation_is_a_fault_the_entry_shows() -> None:
    ruleset = find_ruleset("gd-department")
    data = seed()
    data = data.model_copy(
        update={
            "assessments": tuple(
                a.model_copy(update={"explanation": ""}) if a.code == "S2" else a
                for a in data.assessments
            )
        }
    )
    result = score_evaluation(data, with_options(ruleset, explain_below_points=True))
    assert [str(m) for m in result.missing_explanations] == [
        "绩效自评质量：得分 4 低于分值 5，须填写偏差原因分析及改进措施"
    ]


def test_a_missed_target_is_asked_once() -> None:
    data = evaluation(targets=(target("T1", "100", "50", "100"),))
    result = score_evaluation(data, with_options(open_node_ruleset(), explain_below_points=True))
    (t1,) = result.indicators
    assert t1.has(FlagCode.NOT_MET) and not t1.has(FlagCode.BELOW_POINTS)


def test_a_score_above_the_points_is_refused() -> None:
    """Not an option: no rule text lets an indicator earn a bonus (docs/rulesets.md)."""
    data = seed()
    data = data.model_copy(
        update={
            "assessments": tuple(
                a.model_copy(update={"score": D(6)}) if a.code == "S2" else a
                for a in data.assessments
            )
        }
    )
    result = score_evaluation(data, find_ruleset(data.ruleset))
    assert "定性指标「绩效自评质量」：得分 6 超过分值 5" in [str(p) for p in result.problems]
    assert next(r for r in result.indicators if r.code == "S2").score == D(5)


# --- a cap on one category's points ----------------------------------------------------------


def costed(points: str, category: str = "成本指标", code: str = "C1") -> Target:
    return Target(
        code=code, name=f"成本{code}", target=D(100), actual=D(100), points=D(points), parent="U",
        category=category, direction=AT_MOST,
    )  # fmt: skip


def test_category_over_its_cap_scores_nothing() -> None:
    ruleset = with_options(
        open_node_ruleset(), category_caps=(CategoryCap(category="成本指标", max_points=D(5)),)
    )
    data = evaluation(
        targets=(costed("4", code="C1"), costed("4", code="C2"), target("T1", "1", "1", "92"))
    )
    result = score_evaluation(data, ruleset)
    assert "「成本指标」类绩效目标分值合计 8，超过规则集规定的上限 5" in [
        str(p) for p in result.problems
    ]
    scores = {r.code: r.score for r in result.indicators}
    assert scores == {"C1": ZERO, "C2": ZERO, "T1": D(92)}
    within = evaluation(targets=(costed("5"), target("T1", "1", "1", "95")))
    assert score_evaluation(within, ruleset).total == D(100)


@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.booleans(), st.integers(0, 300)), min_size=1, max_size=8
    ),
    st.integers(0, 20),
)
def test_a_capped_category_never_exceeds_its_cap(
    rows: list[tuple[int, bool, int]], cap: int
) -> None:
    targets = tuple(
        Target(
            code=f"T{i}", name=f"指标{i}", target=D(100), actual=D(actual), points=D(points),
            parent="U", category="成本指标" if capped else "数量指标",
        )
        for i, (points, capped, actual) in enumerate(rows)
    )  # fmt: skip
    total = D(sum(p for p, _, _ in rows))
    ruleset = with_options(
        open_node_ruleset(points=total),
        category_caps=(CategoryCap(category="成本指标", max_points=min(D(cap), total)),),
    )
    result = score_evaluation(evaluation(targets=targets), ruleset)
    capped_codes = {t.code for t in targets if t.category == "成本指标"}
    capped_score = sum((r.score for r in result.indicators if r.code in capped_codes), ZERO)
    assert capped_score <= min(D(cap), total)


def test_caps_are_validated_when_the_ruleset_loads() -> None:
    leaf = Indicator(code="C", name="成本指标", points=D(8), rule=Rule(kind=RuleKind.QUALITATIVE))
    rest = Indicator(code="R", name="其他", points=D(92), rule=Rule(kind=RuleKind.QUALITATIVE))
    with pytest.raises(ValidationError) as raised:
        RuleSet(
            id="t", version="1", name="t", kind="project", indicators=(leaf, rest),
            options=ScoringOptions(
                category_caps=(
                    CategoryCap(category="成本指标", max_points=D(5)),
                    CategoryCap(category="成本指标", max_points=D(101)),
                )
            ),
        )  # fmt: skip
    text = str(raised.value)
    assert "分值上限中的类别「成本指标」重复" in text
    assert "类别「成本指标」的分值上限 101 超过总分 100" in text
    assert "「成本指标」分值 8 超过该类别的分值上限 5" in text


# --- loading: YAML and the Excel sheet ------------------------------------------------------


def test_yaml_options_are_validated() -> None:
    base = ruleset_to_yaml(find_ruleset("national-project"))
    good = base + "options: {reverse: linear, not_applicable: rescale}\n"
    loaded = validate_data(RuleSet, parse_yaml(good, "r.yaml"), "r.yaml")
    assert loaded.options.reverse is ReverseScoring.LINEAR
    bad = base + "options:\n  reverse: steep\n  bonus: true\n"
    with pytest.raises(InputError) as raised:
        validate_data(RuleSet, parse_yaml(bad, "r.yaml"), "r.yaml")
    messages = [str(p) for p in raised.value.problems]
    assert any("options.reverse" in m and "ratio" in m and "linear" in m for m in messages)
    assert any("options.bonus" in m and "不认识的字段" in m for m in messages)


def test_excel_sheet_round_trips_the_options() -> None:
    ruleset = with_options(
        find_ruleset("national-project"),
        reverse=ReverseScoring.LINEAR,
        equal_zero_target=ZeroTarget.AT_MOST,
        not_applicable=NotApplicableRule.RESCALE,
        explain_below_points=True,
        category_caps=(CategoryCap(category="成本指标", max_points=D("5.5")),),
    ).model_copy(update={"thresholds": Thresholds(over_completion=D(120))})
    assert import_sheet(export_sheet(ruleset)).ruleset.options == ruleset.options
    assert import_sheet(export_sheet(ruleset)).ruleset.thresholds.over_completion == D(120)


def test_excel_sheet_bad_option_is_located() -> None:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export_sheet(find_ruleset("national-project"))))
    info = book["规则集"]
    for row in info.iter_rows(min_row=2):
        if row[0].value == "reverse":
            row[2].value = "陡降"
        if row[0].value == "category_caps":
            row[2].value = "成本指标"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InputError) as raised:
        import_sheet(out.getvalue(), "表.xlsx")
    messages = [str(p) for p in raised.value.problems]
    assert any("规则集「reverse」" in m and "陡降" in m for m in messages)
    assert any("规则集「category_caps」" in m and "成本指标:5" in m for m in messages)


def test_chinese_option_spellings_in_the_sheet() -> None:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export_sheet(find_ruleset("national-project"))))
    for row in book["规则集"].iter_rows(min_row=2):
        values = {"reverse": "线性", "not_applicable": "剔除折算", "explain_below_points": "是",
                  "category_caps": "成本指标：5；时效指标:10"}  # fmt: skip
        if row[0].value in values:
            row[2].value = values[row[0].value]
    out = io.BytesIO()
    book.save(out)
    options = import_sheet(out.getvalue()).ruleset.options
    assert options.reverse is ReverseScoring.LINEAR
    assert options.not_applicable is NotApplicableRule.RESCALE
    assert options.explain_below_points is True
    assert options.category_caps == (
        CategoryCap(category="成本指标", max_points=D(5)),
        CategoryCap(category="时效指标", max_points=D(10)),
    )


def test_defaults_leave_the_seed_unchanged() -> None:
    data = seed()
    ruleset = find_ruleset(data.ruleset)
    assert ruleset.options == ScoringOptions()
    result = score_evaluation(data, ruleset)
    assert (result.total, result.grade_label, result.problems) == (D("98.00"), "优", ())
    assert all(r.declared_points is None and not r.not_applicable for r in result.indicators)


# --- the older 共性 / 个性 / 满意度 split (examples/rulesets) ----------------------------------


def test_common_individual_satisfaction_split() -> None:
    from scoring.evaluation import Project
    from scoring.loading import load_ruleset_file
    from scoring.target_binding import open_node_for_level1
    from scoring.targets import Level1
    from scoring.tests.factories import ROOT

    ruleset = load_ruleset_file(ROOT / "examples" / "rulesets" / "project-common-individual.yaml")
    assert [(n.name, n.points) for n in ruleset.indicators] == [
        ("共性指标", D(20)), ("个性指标（产出、效益）", D(70)), ("满意度指标", D(10)),
    ]  # fmt: skip
    nodes = {level: node.code for level, node in open_node_for_level1(ruleset).items()}
    assert nodes == {Level1.OUTPUT: "P", Level1.BENEFIT: "P", Level1.SATISFACTION: "C"}

    def row(code: str, parent: str, points: str, actual: str, **extra: object) -> Target:
        return Target(
            code=code, name=f"指标{code}", target=D(100), actual=D(actual), points=D(points),
            parent=parent, **extra,  # type: ignore[arg-type]
        )  # fmt: skip

    data = evaluation(
        targets=(
            row("T1", "P", "40", "100"),
            row("T2", "P", "25", "100"),
            row("T3", "P", "5", "120", category="成本指标", direction=AT_MOST),
            row("T4", "C", "10", "95", explanation="个别服务对象反映办理时间偏长，将优化流程。"),
        ),
        assessments=(
            Assessment(code="G2", band="A", score=D(5)),
            Assessment(code="G3", band="A", score=D(4), explanation="验收资料归档不及时。"),
        ),
        budget=("100", "100", "95"),
    ).model_copy(
        update={
            "kind": "project",
            "ruleset": ruleset.ref,
            "project": Project(name="示例项目"),
            "unit": evaluation().unit,
        }
    )
    result = score_evaluation(data, ruleset)
    assert result.problems == ()
    scores = {r.code: r.score for r in result.indicators}
    # 9.5 (95% execution) + 5 + 4; 40 + 25 + 5×100/120; 10 × 95/100
    assert scores == {
        "G1": D("9.50"), "G2": D(5), "G3": D(4), "T1": D(40), "T2": D(25), "T3": D("4.17"),
        "T4": D("9.50"),
    }  # fmt: skip
    assert result.total == D("97.17")
    # explain_below_points: G1 (95% execution, no reason) and T3 (missed: NOT_MET asks) need one
    assert [str(m) for m in result.missing_explanations] == [
        "预算执行率：得分 9.5 低于分值 10，须填写偏差原因分析及改进措施",
        "指标T3：未达成年度指标值（目标 100，实际 120），须填写偏差原因分析及改进措施",
    ]


# --- over-completion of a target of 0 --------------------------------------------------------


@pytest.mark.parametrize(("actual", "flagged"), [("29", False), ("30", True), ("45", True)])
def test_over_completion_of_a_zero_target(actual: str, flagged: bool) -> None:
    outcome = score_quantitative(
        points=D(10), direction=Direction.AT_LEAST, target=ZERO, actual=D(actual),
        thresholds=Thresholds(over_completion_zero_target=D(30)),
    )  # fmt: skip
    assert outcome.score == D(10)
    over = [f for f in outcome.flags if f.code is FlagCode.OVER_COMPLETION]
    assert bool(over) is flagged
    if flagged:
        assert str(over[0].message) == (
            f"目标值为 0，实际完成 {actual}，达到 30，偏离度过大，须说明原因"
        )
    default = score_quantitative(
        points=D(10), direction=Direction.AT_LEAST, target=ZERO, actual=D(actual),
        thresholds=Thresholds(),
    )  # fmt: skip
    assert default.flags == ()  # off by default: no rate, no flag, as before


def test_zero_target_line_in_the_sheet() -> None:
    import io

    from openpyxl import load_workbook

    ruleset = find_ruleset("national-project").model_copy(
        update={"thresholds": Thresholds(over_completion=D(130), over_completion_zero_target=D(30))}
    )
    assert import_sheet(export_sheet(ruleset)).ruleset.thresholds == ruleset.thresholds
    book = load_workbook(io.BytesIO(export_sheet(ruleset)))
    for row in book["规则集"].iter_rows(min_row=2):
        if row[0].value == "over_completion_zero_target":
            row[2].value = 0
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InputError) as raised:
        import_sheet(out.getvalue(), "表.xlsx")
    assert any("over_completion_zero_target" in str(p) for p in raised.value.problems)


def test_option_notes_only_for_what_differs_from_the_defaults() -> None:
    from scoring.loading import shipped_rulesets
    from scoring.ruleset import option_notes

    assert {ref: option_notes(r) for ref, r in shipped_rulesets().items()} == {
        ref: () for ref in shipped_rulesets()
    }
    capped = with_options(
        open_node_ruleset(),
        equal_zero_target=ZeroTarget.AT_MOST,
        explain_below_points=True,
        category_caps=(CategoryCap(category="成本指标", max_points=D(5)),),
    ).model_copy(update={"thresholds": Thresholds(over_completion=D(130))})
    assert option_notes(capped) == (
        "“=”指标年度指标值为 0 的，实际完成值不大于 0 即为达成",
        "得分低于分值的指标均须说明偏差原因及改进措施",
        "类别分值上限：成本指标不超过 5 分",
        "完成率超过 130% 的须说明原因",
    )
