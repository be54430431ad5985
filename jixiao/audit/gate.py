"""The disagreement gate (issue 13, gate13): a field the text states two ways that do not fit is
not read.

Every held-out set of real reports gave wrong values on its first run, and each kind was fixed one
rule at a time: which rate is the whole's (a column's formula, one source's rate), whose name is the
unit (a portal's publisher, a place for its government, a unit's section), project or department
when no title says. The rules choose one candidate by their order; a wrong choice is silent. This
gate looks at the candidates the rules passed over: where the text itself gives two that disagree
and nothing in it says which one holds, nothing is read and a ``not_found`` line says why. A value
the text's own figures confirm (a rate that is the spending over the budget) is kept.

It runs last in ``extract`` on the Document the rules filled, and changes only what the text
contradicts: one candidate, or several that agree, read as before.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from jixiao.audit.normalize import fold_traditional, folded_traditional

if TYPE_CHECKING:
    from jixiao.audit.extract import Document, RateClaim, Value


def gate(doc: Document) -> None:
    _rates(doc)
    _unit(doc)
    _kind(doc)


def _withhold(doc: Document, field: str, reason: str) -> None:
    doc.withheld[field] = reason
    doc.missing.append(reason)


# ---------------------------------------------------------------- the execution rate


def _half_unit(text: str) -> Decimal:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Decimal(5) / Decimal(10) ** (decimals + 1)


def _fits(claim: RateClaim, computed: Decimal) -> bool:
    # a stated rate is the computed one rounded to the places it is written with (92.9 for 92.94)
    return abs(claim.percent - computed) <= _half_unit(claim.percent_text)


def _agree(a: RateClaim, b: RateClaim) -> bool:
    # 96% and 96.34% are one rate written to other places: the coarser one's rounding holds both
    return abs(a.percent - b.percent) <= max(_half_unit(a.percent_text), _half_unit(b.percent_text))


def _rates(doc: Document) -> None:
    """Execution rates the rules kept as the whole's (a part's, a fund source's, a formula's factor
    and a form's threshold are dropped before) that disagree: the one the spending over the budget
    confirms is the whole's, the others go (a column's formula 100 beside its row's 86); with no
    figures to tell, or none fitting, the report's rate is not read — the claims stay for the checks
    (each is a rate the text states)."""
    claims = [r for r in doc.rates if r.kind == "execution"]
    if len(claims) < 2 or all(_agree(claims[0], r) for r in claims[1:]):
        return
    executed = doc.budget.get("executed")
    base = doc.budget.get("full_year") or doc.budget.get("initial")
    if executed is not None and base is not None and base.value > 0:
        computed = executed.value / base.value * 100
        fitting = [r for r in claims if _fits(r, computed)]
        if fitting and all(_agree(fitting[0], r) for r in fitting[1:]):
            doc.rates = [r for r in doc.rates if r.kind != "execution" or r in fitting]
            return
    shown = "、".join(dict.fromkeys(f"{r.percent_text}%" for r in claims))
    _withhold(
        doc, "stated_execution_rate", f"预算执行率（文中写有互不相符的执行率 {shown}，未读）"
    )


# ---------------------------------------------------------------- the unit


def _core(name: str) -> str:
    name = re.sub(r"\([^()]*\)", "", name)
    return name.removeprefix("中共").removeprefix("中国共产党")


# a county's or city's name at the start of a unit's, and a place's government after its name
_PLACE_HEAD = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:自治县|自治州|自治旗|县|市|区|旗|州)")
_GOVERNMENT = re.compile(r"(?:人民政府|政府|办事处)$")
_PLACE_TAIL = re.compile(r"(?:镇|乡|街道|苏木|县|市|区|旗)$")


def _without_place(name: str) -> tuple[str, str]:
    m = _PLACE_HEAD.match(name)
    return (name[: m.end()], name[m.end() :]) if m else ("", name)


def _names_agree(chosen: str, other: str) -> bool:
    """One unit named twice: the same name; one without its place (林业和草原局 of 某县林业和草原
    局); a place's name shortened (寻甸县 for 寻甸回族彝族自治县, the same first two characters);
    the place named for its government (前山镇 in a title, 徐闻县前山镇人民政府 read). A name that
    goes on past the one read (某镇 read, 某镇人民政府 signed; 某局 / 某局资源管理科; 无某办公室 /
    某办公室) names another body: a place for its government, a section for its unit."""
    a, b = _core(chosen), _core(other)
    if a == b or (len(a) >= 3 and b.endswith(a)) or (len(b) >= 3 and a.endswith(b)):
        return True
    (place_a, rest_a), (place_b, rest_b) = _without_place(a), _without_place(b)
    if place_a and place_b and rest_a == rest_b and rest_a and place_a[:2] == place_b[:2]:
        return True
    government = _GOVERNMENT.search(a)
    return bool(
        government
        and _PLACE_TAIL.search(b)
        and len(b) >= 2
        and a[: government.start()].endswith(b)
    )


def _title_units(doc: Document) -> list[tuple[str, Value]]:
    from jixiao.audit.extract import (
        _NOT_A_NAME,
        _PLACE,
        _TITLE_UNIT_FIRST,
        _TITLE_UNIT_ONLY,
        _TITLE_YEAR_FIRST,
        Value,
        _title_lines,
    )

    found = []
    for para, start, text in _title_lines(doc):
        for regex in (_TITLE_UNIT_FIRST, _TITLE_YEAR_FIRST, _TITLE_UNIT_ONLY):
            m = regex.search(text)
            if m and _PLACE.search(m.group("unit")[:12]) and not _NOT_A_NAME.search(m.group("unit")):
                found.append(
                    ("标题", Value(m.group("unit"), m.group(0), para, start + m.start("unit")))
                )
                break
        if found:
            break
    return found


def _labelled_units(doc: Document) -> list[tuple[str, Value]]:
    from jixiao.audit.extract import _NOT_A_NAME, _UNIT_LINES, Value

    regex = _UNIT_LINES[0][0]
    for para in doc.paras[:40]:
        m = regex.search(para.text)
        if m and not _NOT_A_NAME.search(m.group("unit")):
            return [("单位名称栏", Value(m.group("unit"), m.group(0), para, m.start("unit")))]
    return []


def _unit(doc: Document) -> None:
    """The unit read against the names the title and a 单位名称 line give: one of them naming
    another body means the rules' choice may be the wrong one of two, and nothing is read."""
    chosen = doc.unit_name
    if chosen is None or not isinstance(chosen.value, str):
        return
    for where, other in _title_units(doc) + _labelled_units(doc):
        if other.para is chosen.para and other.offset == chosen.offset:
            continue
        if not _names_agree(chosen.value, other.value):
            doc.unit_name = None
            _withhold(
                doc,
                "unit_name",
                f"评价单位（读出“{chosen.value}”，但{where}写作“{other.value}”，未读）",
            )
            return


# ---------------------------------------------------------------- the kind


# what only a department's report speaks of: the whole of its spending, its own 基本情况, its
# posts and bodies, its basic spending (a project report names its unit, never its establishment)
_DEPARTMENT = re.compile(
    r"整体|部门(?:\(单位\))?(?:基本情况|概况|职能|职责|绩效|预算|决算|收支)|单位(?:基本情况|概况|职能|职责)"
    r"|机构设置|内设机构|人员编制|编制数|核定编制|行政编制|事业编制|基本支出|三公"
)


def _kind(doc: Document) -> None:
    """A report is a department's only where its text says so. The rules fall back on department
    when nothing marks a project; a text that says neither (a transfer's report without its title,
    a programme's) is not given a kind."""
    if doc.kind != "department":
        return
    text = fold_traditional(doc.text) if folded_traditional(doc.text) else doc.text
    if _DEPARTMENT.search(text):
        return
    _withhold(doc, "kind", "报告类型（文中未写部门整体、单位基本情况或编制等，未判部门或项目）")
