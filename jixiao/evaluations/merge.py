"""Field-level changes between two versions of a self-evaluation's JSON, and the three-way merge
that lets two people save different fields of the same evaluation (docs/decisions.md, "Entry:
field-level locking").

A *field* is a leaf of the document: a dict key holding a scalar, or a whole value whose shape
changed. Lists of the same length are compared row by row (``targets[3].actual`` is one field);
a list whose length changed (a row added or removed) is one field as a whole, because row
positions no longer line up and matching them by guesswork could put a value on the wrong row.
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

Path = tuple[str | int, ...]


class _Missing:
    """A key that is absent (not the same as a key holding ``None``)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def changes(before: Any, after: Any, path: Path = ()) -> dict[Path, Any]:
    """Every field that differs, with its value in ``after`` (MISSING when the key went away)."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: dict[Path, Any] = {}
        for key in list(before) + [k for k in after if k not in before]:
            out.update(changes(before.get(key, MISSING), after.get(key, MISSING), (*path, key)))
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        out = {}
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            out.update(changes(old, new, (*path, index)))
        return out
    if _same(before, after):
        return {}
    return {path: after}


_EMPTY = (None, "")


def _same(a: Any, b: Any) -> bool:
    """Equal as stored content. An absent key, None and "" are all "not filled in" (a form posts
    "" for a value the data never had); a JSON number and a string holding the same number are
    the same figure (data from the API or a YAML file holds numbers, the forms write strings).
    Two strings are compared as text: "0101" and "101" are different codes."""
    if (a is MISSING or a in _EMPTY) and (b is MISSING or b in _EMPTY):
        return True
    if a is MISSING or b is MISSING:
        return False
    if type(a) is type(b):
        return bool(a == b)
    number, text = (a, b) if isinstance(b, str) else (b, a)
    is_number = isinstance(number, int | float | Decimal) and not isinstance(number, bool)
    if is_number and isinstance(text, str):
        try:
            return Decimal(str(number)) == Decimal(text.strip())
        except (InvalidOperation, ValueError):
            return False
    return False


def value_at(data: Any, path: Path) -> Any:
    node = data
    for part in path:
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part, MISSING)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return MISSING
    return node


def overlaps(a: Path, b: Path) -> bool:
    """One path is the other or lies inside it (``targets`` and ``targets[2].actual``)."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def conflicts(
    mine: dict[Path, Any], theirs: dict[Path, Any], my_data: Any, their_data: Any
) -> list[Path]:
    """Fields both sides changed, to different values. Where one side changed a whole list and the
    other a field inside it, the values are compared at the shorter path."""
    found: list[Path] = []
    for mine_path in mine:
        for their_path in theirs:
            if not overlaps(mine_path, their_path):
                continue
            shorter = mine_path if len(mine_path) <= len(their_path) else their_path
            if not _same(value_at(my_data, shorter), value_at(their_data, shorter)):
                found.append(mine_path)
                break
    return found


def apply_changes(data: Any, changed: dict[Path, Any]) -> Any:
    """A copy of ``data`` with each changed field set (MISSING removes the key)."""
    out = copy.deepcopy(data)
    for path, value in changed.items():
        if not path:
            out = copy.deepcopy(value)
            continue
        parent = value_at(out, path[:-1])
        key = path[-1]
        if isinstance(parent, dict) and isinstance(key, str):
            if value is MISSING:
                parent.pop(key, None)
            else:
                parent[key] = copy.deepcopy(value)
        elif isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
            parent[key] = copy.deepcopy(value)
        else:
            # The place is gone on the other side; conflicts() reports this before we get here.
            raise ValueError(f"cannot apply a change at {path!r}")
    return out


def path_text(path: Path) -> str:
    """("targets", 2, "actual") → ``targets[3].actual`` (1-based rows, as the scoring core names
    fields, so field_labels.describe_field reads it)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else part
    return out


def to_json(changed: dict[Path, Any], before: Any) -> list[list[Any]]:
    """JSON-safe form of a change set with the values before and after: [[path, old, new], …].
    A missing value is stored as ``{"$missing": true}``."""
    return [
        [list(path), _encode(value_at(before, path)), _encode(value)]
        for path, value in changed.items()
    ]


def from_json(rows: list[list[Any]]) -> list[tuple[Path, Any, Any]]:
    return [(tuple(path), _decode(old), _decode(new)) for path, old, new in rows]


_MISSING_JSON = {"$missing": True}


def _encode(value: Any) -> Any:
    return dict(_MISSING_JSON) if value is MISSING else value


def _decode(value: Any) -> Any:
    return MISSING if value == _MISSING_JSON else value
