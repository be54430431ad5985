"""An indicator dropped as 不适用 (rule-set option not_applicable: rescale) reads 不适用 in the
report's scoring table, and the other rows carry their rescaled points (docs/rulesets.md)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.documents.tables import indicators_table
from scoring.engine import score_evaluation
from scoring.evaluation import Target
from scoring.ruleset import NotApplicableRule, ScoringOptions
from scoring.tests.factories import evaluation, open_node_ruleset, target


def test_not_applicable_row_says_so() -> None:
    ruleset = open_node_ruleset().model_copy(
        update={"options": ScoringOptions(not_applicable=NotApplicableRule.RESCALE)}
    )
    dropped = Target(
        code="T2", name="生态效益", target=Decimal(1), actual=None, points=Decimal(20),
        parent="U", not_applicable=True,
    )  # fmt: skip
    result = score_evaluation(
        evaluation(targets=(target("T1", "10", "10", "80"), dropped)), ruleset
    )
    rows = {row[2]: row for row in indicators_table(result).rows}
    assert rows["生态效益"][5:] == ("0", "不适用")
    assert rows["指标T1"][5:] == ("100", "100")
    assert indicators_table(result).rows[-1] == ("合计", "", "", "", "", "100", "100")
