"""The declaration checks (scoring.target_checks): every rule, with the exact message a unit reads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.target_checks import RULES, Severity, check_declaration, name_key
from scoring.targets import TargetDeclaration


def target(**over: Any) -> dict[str, Any]:
    row = {
        "code": "T1",
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "职业技能鉴定人次",
        "direction": ">=",
        "value": "12000",
        "unit": "人次",
        "weight": "50",
    }
    row.update(over)
    return row


def good(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "year": 2026,
        "scope": "project",
        "amount": "50",
        "overall_goal": "完成职业技能鉴定 12000 人次。",
        "targets": [
            target(),
            target(
                code="T2",
                level1="效益指标",
                level2="社会效益指标",
                name="鉴定合格率",
                value="90",
                unit="%",
                weight="50",
            ),
        ],
    }
    data.update(over)
    return data


def run(data: dict[str, Any], **kwargs: Any) -> list[tuple[str, str]]:
    declaration = TargetDeclaration.model_validate(data)
    return [(f.code, f.message) for f in check_declaration(declaration, **kwargs)]


def codes(data: dict[str, Any], **kwargs: Any) -> list[str]:
    return [code for code, _message in run(data, **kwargs)]


def test_a_good_declaration_passes_every_check() -> None:
    assert run(good()) == []


def test_every_rule_has_a_message_and_a_severity() -> None:
    assert len(RULES) >= 15
    for code, rule in RULES.items():
        assert rule.code == code and rule.template and rule.title
        assert rule.severity in (Severity.ERROR, Severity.WARNING)


def test_weights_must_add_up_to_100_and_both_figures_are_said() -> None:
    data = good()
    data["targets"][1]["weight"] = "40"
    assert run(data) == [("weights_total", "各指标权重合计为 90，应为 100")]


def test_a_missing_weight_is_named_by_row() -> None:
    data = good()
    data["targets"][0]["weight"] = None
    data["targets"][1]["weight"] = "100"
    assert run(data) == [("weight_missing", "第 1 行“职业技能鉴定人次”：未填写权重")]


def test_at_least_one_output_and_one_benefit_target() -> None:
    data = good()
    data["targets"][1].update(level1="满意度指标", level2="服务对象满意度指标")
    assert codes(data) == ["needs_benefit"]
    data = good()
    data["targets"][0].update(
        level1="满意度指标", level2="服务对象满意度指标", unit="%", value="90"
    )
    assert codes(data) == ["needs_output"]
    assert run(good(targets=[])) == [("no_targets", "尚未填写任何绩效指标")]


def test_overall_goal_and_amount_are_required() -> None:
    assert codes(good(overall_goal=" ", amount=None)) == ["overall_goal_missing", "amount_missing"]


def test_level2_must_belong_to_level1() -> None:
    data = good()
    data["targets"][0]["level2"] = "社会效益指标"
    assert run(data) == [
        ("level2_mismatch", "第 1 行“职业技能鉴定人次”：二级指标“社会效益指标”不属于产出指标")
    ]


def test_a_value_is_required_and_a_range_needs_both_ends() -> None:
    data = good()
    data["targets"][0]["value"] = None
    assert codes(data) == ["value_missing"]
    data = good()
    data["targets"][0].update(direction="range", value="20", value_high="10")
    assert codes(data) == ["range_incomplete"]
    data["targets"][0].update(value_high="30")
    assert codes(data) == []


def test_text_where_a_number_is_possible() -> None:
    data = good()
    data["targets"][0].update(value=None, value_text="一万二千人次左右")
    assert run(data) == [
        (
            "number_expected",
            "第 1 行“职业技能鉴定人次”：已填写计量单位“人次”，应填写数值而不是文字"
            "“一万二千人次左右”（文字指标值只用于定性指标）",
        )
    ]
    data = good()
    data["targets"][0].update(value=None, value_text="约 12000", unit="")
    assert codes(data) == ["number_expected_digits"]
    data = good()
    data["targets"][0].update(value=None, value_text="较多", unit="")
    assert codes(data) == ["number_expected_level2"]
    # A qualitative target of a qualitative kind: text is right.
    data = good()
    data["targets"][1].update(value=None, value_text="达到国家标准", unit="")
    assert codes(data) == []


def test_percentages_within_0_to_100_unless_the_name_says_change() -> None:
    data = good()
    data["targets"][1]["value"] = "120"
    assert run(data) == [
        (
            "percent_out_of_range",
            "第 2 行“鉴定合格率”：指标值 120% 不在 0 到 100 之间"
            "（只有名称含“增长”“增幅”“超”等的变动率可以超出）",
        )
    ]
    data["targets"][1]["name"] = "鉴定人次增长率"
    assert codes(data) == []
    data["targets"][1].update(name="超额完成比例", value="150")
    assert codes(data) == []


def test_counts_are_whole_numbers() -> None:
    data = good()
    data["targets"][0]["value"] = "12000.5"
    assert run(data) == [
        (
            "count_not_integral",
            "第 1 行“职业技能鉴定人次”：计量单位为“人次”，指标值 12000.5 应为整数",
        )
    ]
    data["targets"][0]["unit"] = "万元"
    assert codes(data) == []


def test_a_cost_target_is_in_money() -> None:
    data = good()
    data["targets"][0].update(level2="成本指标", name="人均鉴定成本", unit="人次", value="300")
    assert codes(data) == ["cost_unit"]
    data["targets"][0]["unit"] = "元/人次"
    assert codes(data) == []


def test_a_number_without_unit_is_a_warning() -> None:
    data = good()
    data["targets"][0]["unit"] = ""
    findings = check_declaration(TargetDeclaration.model_validate(data))
    assert [(f.code, f.severity) for f in findings] == [("unit_missing", Severity.WARNING)]


def test_a_large_project_needs_a_cost_indicator() -> None:
    data = good(amount="250")
    assert run(data, cost_threshold=Decimal("100")) == [
        ("cost_indicator_required", "项目申报金额 250 万元，超过 100 万元，应至少设置一项成本指标")
    ]
    assert codes(data, cost_threshold=Decimal("300")) == []
    assert codes(data, cost_threshold=None) == []
    assert codes(good(amount="250", scope="department"), cost_threshold=Decimal("100")) == []
    data["targets"].append(
        target(code="T3", level2="成本指标", name="人均成本", unit="元", value="200", weight="0")
    )
    assert codes(data, cost_threshold=Decimal("100")) == []


def test_wording_that_cannot_be_measured() -> None:
    data = good()
    data["targets"][1].update(value=None, value_text="进一步提高", unit="")
    assert run(data) == [
        (
            "unmeasurable_wording",
            "第 2 行“鉴定合格率”：“进一步提高”没有可衡量的数值，请写明具体指标值（如“≥95%”“≤30万元”）",
        )
    ]
    data["targets"][1].update(name="服务质量明显改善", value_text="达标")
    assert codes(data) == ["unmeasurable_wording"]
    # With a number, the same words in the name are a description, not the target.
    data["targets"][1].update(
        name="服务质量有效提升（合格率）", value="95", value_text="", unit="%"
    )
    assert codes(data) == []


def test_a_target_below_last_years_actual_says_both_figures() -> None:
    actuals = {(name_key("职业技能鉴定人次"), "人次"): Decimal("18969")}
    findings = check_declaration(TargetDeclaration.model_validate(good()), previous_actuals=actuals)
    assert [(f.code, f.severity, f.message) for f in findings] == [
        (
            "below_last_year",
            Severity.WARNING,
            "第 1 行“职业技能鉴定人次”：指标值 12000人次 低于上年实际完成值 18969人次，请说明理由或调高目标",
        )
    ]
    # Matched by name and unit of measure: another unit is another indicator.
    assert codes(good(), previous_actuals={(name_key("职业技能鉴定人次"), "人"): Decimal(1)}) == []
    raised = good()
    raised["targets"][0]["value"] = "19000"
    assert codes(raised, previous_actuals=actuals) == []


def test_a_lower_is_better_target_above_last_years_actual() -> None:
    data = good()
    data["targets"][0].update(direction="<=", name="人均成本", unit="元", value="320")
    actuals = {(name_key("人均成本"), "元"): Decimal("300")}
    assert codes(data, previous_actuals=actuals) == ["above_last_year"]


def test_duplicate_targets_are_flagged() -> None:
    data = good()
    data["targets"][1].update(
        level1="产出指标", level2="数量指标", name="职业技能鉴定人次", unit="人次", value="1"
    )
    data["targets"].append(
        target(
            code="T3",
            level1="效益指标",
            level2="社会效益指标",
            name="就业率",
            unit="%",
            value="80",
            weight="0",
        )
    )
    assert run(data) == [("duplicate_name", "第 2 行“职业技能鉴定人次”与第 1 行重复")]


@settings(deadline=None)  # a loaded machine must not turn a slow example into a failure
@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=12))
def test_weights_rule_fires_exactly_when_the_sum_is_not_100(weights: list[int]) -> None:
    rows = [
        target(
            code=f"T{i}",
            name=f"指标{i}",
            level1="产出指标" if i % 2 else "效益指标",
            level2="数量指标" if i % 2 else "社会效益指标",
            weight=str(w),
        )
        for i, w in enumerate(weights, 1)
    ]
    if len(rows) == 1:
        rows.append(
            target(
                code="TX",
                name="就业率",
                level1="效益指标",
                level2="社会效益指标",
                unit="%",
                value="80",
                weight="0",
            )
        )
    data = good(targets=rows)
    fired = "weights_total" in codes(data)
    assert fired == (sum(weights) != 100)
