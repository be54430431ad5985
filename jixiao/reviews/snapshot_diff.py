"""What changed between two snapshots of an evaluation's content (自退回以来的修改), field by field,
named in the unit's words (jixiao.evaluations.field_labels).

Rows of a list are matched by what identifies them (a target or an assessment by its code, a budget
row by its source), so inserting a row does not show every later row as changed; other lists are
compared position by position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from jixiao.evaluations.field_labels import describe_field

# The field that identifies a row of each list, where rows have one.
ROW_KEYS = {"targets": "code", "assessments": "code", "budget.rows": "source"}
# Bookkeeping the unit never typed: not a change a reviewer needs to read.
IGNORED = {"example"}

Kind = Literal["changed", "added", "removed"]


@dataclass(frozen=True)
class Change:
    path: str  # ``targets[2].actual``, 1-based, as the scoring core names fields
    label: str  # 绩效目标第 2 行（证书按时核发率） · 实际完成值
    before: str
    after: str
    kind: Kind


def diff_snapshots(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every field whose value differs, in the order of the later content."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    _flatten(before, after, "", "", old, new)
    changes: list[Change] = []
    for path in _ordered(new, old):
        a, b = old.get(path, _MISSING), new.get(path, _MISSING)
        if a == b:
            continue
        if a is _MISSING:
            kind: Kind = "added"
        elif b is _MISSING:
            kind = "removed"
        else:
            kind = "changed"
        # A removed field is named against the earlier content (its row is gone from the later).
        source = before if kind == "removed" else after
        changes.append(
            Change(
                path=path.split("|", 1)[-1],
                label=describe_field(path.split("|", 1)[-1], source),
                before=_text(a),
                after=_text(b),
                kind=kind,
            )
        )
    return changes


class _Missing:
    def __repr__(self) -> str:
        return "—"


_MISSING: Any = _Missing()


def _ordered(new: dict[str, Any], old: dict[str, Any]) -> list[str]:
    return list(new) + [p for p in old if p not in new]


def _flatten(a: Any, b: Any, path: str, key: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    """Walk both contents together; ``key`` is the dotted name without row positions."""
    if isinstance(a, dict) or isinstance(b, dict):
        a_map = a if isinstance(a, dict) else {}
        b_map = b if isinstance(b, dict) else {}
        for name in list(b_map) + [n for n in a_map if n not in b_map]:
            if name in IGNORED:
                continue
            child_key = f"{key}.{name}" if key else name
            child_path = f"{path}.{name}" if path else name
            _flatten(
                a_map.get(name, _MISSING),
                b_map.get(name, _MISSING),
                child_path,
                child_key,
                old,
                new,
            )
        return
    if isinstance(a, list) or isinstance(b, list):
        a_list = a if isinstance(a, list) else []
        b_list = b if isinstance(b, list) else []
        for a_item, a_pos, b_item, b_pos in _pair_rows(a_list, b_list, ROW_KEYS.get(key)):
            # Paths carry the later position (the earlier one for a removed row), 1-based. A removed
            # row is prefixed so it cannot collide with the later row now at that position.
            if b_pos is not None:
                child = f"{path}[{b_pos + 1}]"
            else:
                child = f"removed|{path}[{(a_pos or 0) + 1}]"
            _flatten(a_item, b_item, child, key, old, new)
        return
    if a is not _MISSING and a is not None and a != "":
        old[path] = a
    if b is not _MISSING and b is not None and b != "":
        new[path] = b


def _pair_rows(
    a: list[Any], b: list[Any], identity: str | None
) -> list[tuple[Any, int | None, Any, int | None]]:
    """(earlier row, its position, later row, its position) pairs; a missing side is _MISSING."""
    if identity is None:
        n = max(len(a), len(b))
        return [
            (
                a[i] if i < len(a) else _MISSING,
                i if i < len(a) else None,
                b[i] if i < len(b) else _MISSING,
                i if i < len(b) else None,
            )
            for i in range(n)
        ]

    def ident(row: Any) -> Any:
        return row.get(identity) if isinstance(row, dict) else None

    earlier = {ident(row): i for i, row in enumerate(a) if ident(row) not in (None, "")}
    pairs: list[tuple[Any, int | None, Any, int | None]] = []
    used: set[int] = set()
    for j, row in enumerate(b):
        i = earlier.get(ident(row))
        if i is not None and i not in used:
            used.add(i)
            pairs.append((a[i], i, row, j))
        else:
            pairs.append((_MISSING, None, row, j))
    pairs += [(row, i, _MISSING, None) for i, row in enumerate(a) if i not in used]
    return pairs


def _text(value: Any) -> str:
    if value is _MISSING or value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
