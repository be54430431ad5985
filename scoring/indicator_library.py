"""The 指标库 (indicator library) in pure terms: how it decides that two targets are the same
indicator, and which 共性指标 a rule-set gives.

Two targets name the same indicator when their names are equal after ``name_key`` and their units of
measure (计量单位) are equal after ``measure_key``. Pure text rules, no Django: the library stores both
keys beside each use, so searching and benchmarking compare stored columns and never re-read JSON.

``name_key``: Unicode NFKC (full-width letters, digits and spaces become their half-width forms:
"ＡＢＣ１２３" → "ABC123", "％" → "%"), case-folded, every whitespace character removed (a space typed
inside a Chinese name is a slip, not a meaning), and every punctuation character removed (Unicode
categories P*: “”《》（）、，。·-/ and the like, and also % and the decimal point, which Unicode
counts as punctuation: "“三公”经费变动率" and "三公经费变动率" are one indicator, as are
"达标率（%）" and "达标率"). Symbols (S*: ≥ ≤ + ×) are kept. Nothing else is rewritten:
synonyms ("培训人次" vs "培训人数") stay different indicators, because a wrong merge would put unlike
figures into one benchmark, and a missed merge only splits one.

``measure_key``: NFKC, case-folded, whitespace removed; punctuation is kept ("元/人" is not "元人").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from scoring.ruleset import RuleKind, RuleSet

NAME_KEY_MAX = 200
MEASURE_KEY_MAX = 40


def name_key(name: str) -> str:
    """The normalised name of an indicator (the library's grouping key)."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    kept = (ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith("P"))
    return "".join(kept)[:NAME_KEY_MAX]


def measure_key(measure: str) -> str:
    """The normalised unit of measure (计量单位): "％" and "%" are one, "人 次" is "人次"."""
    text = unicodedata.normalize("NFKC", measure or "").casefold()
    return "".join(ch for ch in text if not ch.isspace())[:MEASURE_KEY_MAX]


# ------------------------------------------------------------------ 共性指标 from a rule-set


@dataclass(frozen=True)
class CommonIndicator:
    """One 共性指标: a leaf of a rule-set's indicator tree (its scored, fixed indicators; the open
    nodes 由单位自设 are where the units' own 个性指标 go, so they are not entries themselves)."""

    code: str
    level1: str  # the top node's name (一级指标)
    level2: str  # the second level's name when the leaf sits below it, else ""
    name: str
    measure: str  # 计量单位: "%" for rates the engine measures, "" for qualitative ones
    direction: str
    explanation: str
    criteria: str


# Rule kinds measured as a rate in percent (the engine derives or compares a percentage).
_RATE_KINDS = {RuleKind.BUDGET_EXECUTION, RuleKind.DEDUCTION}


def common_indicators(ruleset: RuleSet) -> list[CommonIndicator]:
    """The rule-set's leaves as library entries, in the rule-set's order. ``level1`` is the top
    node's name and ``level2`` the second level's (empty for a two-level table's leaves, and both
    empty for a leaf at the top, such as 预算执行率 in the national project table)."""
    found = []
    for path, node in ruleset.walk():
        if not node.is_leaf:
            continue
        rule = node.rule
        is_rate = rule is not None and (
            rule.kind in _RATE_KINDS
            or rule.source is not None
            or (rule.kind == RuleKind.QUANTITATIVE and node.name.endswith("率"))
        )
        found.append(
            CommonIndicator(
                code=node.code,
                level1=path[0].name if path else "",
                level2=path[1].name if len(path) >= 2 else "",
                name=node.name,
                measure="%" if is_rate else "",
                direction=str(rule.direction) if rule is not None else "",
                explanation=node.explanation,
                criteria=node.criteria,
            )
        )
    return found


# 一级指标 of the declaration framework (scoring.targets.Level1), recognised in a rule-set node's name
# when a self-evaluation target has no declared level: "履职产出" → 产出指标.
_LEVEL1_WORDS = (("满意", "满意度指标"), ("产出", "产出指标"), ("效益", "效益指标"))


def level1_of(node_name: str) -> str:
    """The 一级指标 a rule-set node's name belongs to (产出指标 / 效益指标 / 满意度指标), or ""."""
    for word, level1 in _LEVEL1_WORDS:
        if word in node_name:
            return level1
    return ""
