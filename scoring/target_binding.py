"""A year-end self-evaluation bound to approved targets (绩效目标 → 绩效自评), as pure rules.

When a unit's targets for the year were declared and approved (``scoring.targets``), its year-end
self-evaluation is scored against them: each declared target becomes one ``Target`` row whose name,
unit, direction, value, 所属评分指标 (``parent``) and 分值 (``points``) come from the approved
version and are not the unit's to change; the unit enters the actual value and the explanation.

How a declared target lands in the rule-set (docs/rulesets.md, "Targets bound to a declaration"):

* **一级指标 → open node.** Each open node (由单位自设) of the rule-set is matched to a 一级指标 by
  its own name or, failing that, its nearest ancestor's: a name containing 产出 takes 产出指标, 效益
  takes 效益指标, 满意 takes 满意度指标 (national-project: P 产出指标 / O 效益指标 / C 满意度指标;
  gd-department: U1 履职产出; mof-department-2013: O11 实际完成率 under 产出). When no open node
  names 产出 and the rule-set has exactly one open node, 产出指标 go there. The first matching node
  wins. A 一级指标 without a node (效益 and 满意度 under gd-department, which scores them with its own
  qualitative indicators U2 and U3) is bound as a reported figure: shown and compared, not scored.
* **权重 → 分值.** Within one node, the numeric targets with a weight share the node's points in
  proportion to their weights (so weights that already add up to the node's points are kept as
  they are), rounded to 0.01 with the rounding remainder on the largest share. When no target of
  the node has a weight, its numeric targets share the points equally. A target without a number
  (a qualitative value such as 达标) or without a weight beside weighted ones is a reported figure.
* **二级指标** (数量 / 质量 / 时效 / 成本 …) is not a node of any shipped rule-set: it is kept in the
  declaration and shown in the 绩效目标表, not in the self-evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from scoring.ruleset import Indicator, RuleSet
from scoring.targets import DeclaredTarget, Level1, TargetDeclaration

# The fields of a bound target row that come from the approved targets (server-owned on every
# write path); everything else on the row (actual, explanation, part_of) stays the unit's.
# category: the declared 二级指标, which a rule-set's category cap counts (docs/rulesets.md)
BOUND_FIELDS = (
    "name",
    "unit",
    "direction",
    "target",
    "target_high",
    "parent",
    "points",
    "category",
)

LEVEL1_WORDS: dict[Level1, str] = {
    Level1.OUTPUT: "产出",
    Level1.BENEFIT: "效益",
    Level1.SATISFACTION: "满意",
}

CENT = Decimal("0.01")


def open_node_for_level1(ruleset: RuleSet) -> dict[Level1, Indicator]:
    """The open rule-set node each 一级指标's targets are scored under (see the module docstring)."""
    found: dict[Level1, Indicator] = {}
    open_nodes: list[Indicator] = []
    for path, node in ruleset.walk():
        if not node.open:
            continue
        open_nodes.append(node)
        for named in (node, *reversed(path)):
            # every word the nearest named node carries: 个性指标（产出、效益） takes both
            levels = [lv for lv, word in LEVEL1_WORDS.items() if word in named.name]
            for level in levels:
                found.setdefault(level, node)
            if levels:
                break
    if Level1.OUTPUT not in found and len(open_nodes) == 1:
        found[Level1.OUTPUT] = open_nodes[0]
    return found


def share_points(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``total`` split in proportion to ``weights`` (all > 0), to 0.01, adding up exactly."""
    whole = sum(weights, Decimal(0))
    shares = [(total * w / whole).quantize(CENT, rounding=ROUND_HALF_UP) for w in weights]
    rest = total - sum(shares, Decimal(0))
    if rest and shares:
        largest = max(range(len(shares)), key=lambda i: (weights[i], -i))
        shares[largest] += rest
    return shares


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def bind_targets(declaration: TargetDeclaration, ruleset: RuleSet) -> list[dict[str, Any]]:
    """The self-evaluation's target rows for an approved declaration: one per declared target, in
    declaration order, with the bound fields filled and ``actual`` empty (JSON-ready: numbers as
    exact decimal strings, as the entry forms store them)."""
    nodes = open_node_for_level1(ruleset)
    by_node: dict[str, list[DeclaredTarget]] = {}
    for target in declaration.targets:
        node = nodes.get(target.level1)
        if node is not None and target.value is not None:
            by_node.setdefault(node.code, []).append(target)
    points: dict[str, tuple[str, Decimal]] = {}
    for code, members in by_node.items():
        node_points = next(n.points for n in nodes.values() if n.code == code)
        weighted = [t for t in members if t.weight]
        scored = weighted or members
        weights = [t.weight for t in weighted] if weighted else [Decimal(1)] * len(members)
        shares = share_points(node_points, [Decimal(w or 0) for w in weights])
        for member, part in zip(scored, shares, strict=True):
            points[member.code] = (code, part)
    rows = []
    for target in declaration.targets:
        parent: str | None = None
        share: Decimal | None = None
        if target.code in points:
            parent, share = points[target.code]
        rows.append(
            {
                "code": target.code,
                "name": target.name,
                "unit": target.unit,
                "direction": target.direction.value,
                "target": _text(target.value),
                "target_high": _text(target.value_high),
                "parent": parent,
                "points": _text(share),
                "actual": None,
                # the declared 二级指标 (数量指标, 成本指标 …): what a rule-set's category cap
                # counts (docs/rulesets.md「评分选项」); bound, so the unit cannot move a target
                # out of a capped category
                "category": target.level2,
            }
        )
    return rows


def basis_sentence(basis: Any) -> str:
    """绩效目标依据 in one sentence, for the report, the entry page and the reviewer's view alike.

    ``basis`` is a ``scoring.evaluation.TargetsBasis`` (or its JSON): the approved declaration the
    targets are bound to and the approved adjustment in force, if any.
    """
    get = basis.get if isinstance(basis, dict) else lambda k, d=None: getattr(basis, k, d)
    title = str(get("title", "") or "绩效目标")
    approved_by = str(get("approved_by", "") or "")
    approved_on = get("approved_on")
    when = _date_words(approved_on)
    text = f"{approved_by}{when}批复的{title}" if (approved_by or when) else f"批复的{title}"
    number = get("adjustment")
    if number:
        adjusted_on = _date_words(get("adjustment_approved_on"))
        text += (
            f"，及{adjusted_on}批准的第{number}次目标调整"
            if adjusted_on
            else (f"，及批准的第{number}次目标调整")
        )
    return text


def _date_words(value: Any) -> str:
    if not value:
        return ""
    text = str(value)[:10]
    try:
        year, month, day = (int(part) for part in text.split("-"))
    except ValueError:
        return ""
    return f"{year}年{month}月{day}日"


# --- declared / adjusted / evaluated, side by side (the reviewer's view) -----------------------


@dataclass(frozen=True)
class TargetDifference:
    """One target's values in each version: declared, each approved adjustment, and evaluated.

    ``values`` holds one display string per version (declared first, then each adjustment, then the
    evaluation), "—" where the target is absent; ``changed`` marks the versions whose value differs
    from the version before it.
    """

    code: str
    name: str
    values: tuple[str, ...]
    changed: tuple[bool, ...]

    @property
    def differs(self) -> bool:
        return any(self.changed)

    @property
    def cells(self) -> list[tuple[str, bool]]:
        return list(zip(self.values, self.changed, strict=True))


def _declared_cell(target: DeclaredTarget) -> tuple[str, str]:
    key = f"{target.name}：" + target_value_words(
        direction=target.direction.value,
        value=target.value,
        value_high=target.value_high,
        unit=target.unit,
        text=target.value_text,
    )
    weight = f"（权重{_plain(target.weight)}）" if target.weight is not None else ""
    return key, key + weight


def target_value_words(
    *, direction: str, value: Any, value_high: Any, unit: str, text: str = ""
) -> str:
    """A target's value as a reviewer reads it: ``≥12000人次``, ``90–100%``, ``达标``."""
    signs = {">=": "≥", "<=": "≤", "=": "="}
    if value in (None, ""):
        return text or "—"
    if direction == "range":
        return f"{_plain(value)}–{_plain(value_high)}{unit}"
    return f"{signs.get(direction, '')}{_plain(value)}{unit}"


def _plain(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def target_differences(
    versions: Sequence[TargetDeclaration], evaluated: Iterable[dict[str, Any]]
) -> list[TargetDifference]:
    """Every target code seen in any version or in the evaluation, in first-seen order.

    A version's cell differs from the one before it when the name or the value (with direction and
    unit) differs; a declared weight and the evaluation's points are shown but not compared (the
    weight is spread over the rule-set's points, see ``bind_targets``).
    """
    evaluated_rows = {str(row.get("code")): row for row in evaluated if isinstance(row, dict)}
    codes: list[str] = []
    names: dict[str, str] = {}
    for version in versions:
        for target in version.targets:
            if target.code not in names:
                codes.append(target.code)
            names[target.code] = target.name
    for code, row in evaluated_rows.items():
        if code not in names:
            codes.append(code)
            names[code] = str(row.get("name", ""))
    out = []
    for code in codes:
        cells: list[tuple[str, str]] = []
        for version in versions:
            declared = next((t for t in version.targets if t.code == code), None)
            cells.append(_declared_cell(declared) if declared else ("—", "—"))
        found = evaluated_rows.get(code)
        if found is not None:
            row = found
            key = f"{row.get('name', '')}：" + target_value_words(
                direction=str(row.get("direction") or ">="),
                value=row.get("target"),
                value_high=row.get("target_high"),
                unit=str(row.get("unit") or ""),
            )
            points = row.get("points")
            cells.append(
                (key, key + (f"（分值{_plain(points)}）" if points not in (None, "") else ""))
            )
        else:
            cells.append(("—", "—"))
        changed = tuple(i > 0 and cells[i][0] != cells[i - 1][0] for i in range(len(cells)))
        out.append(
            TargetDifference(
                code=code,
                name=names[code],
                values=tuple(shown for _key, shown in cells),
                changed=changed,
            )
        )
    return out
