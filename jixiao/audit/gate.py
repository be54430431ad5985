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

import itertools
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from jixiao.audit.normalize import fold_traditional, folded_traditional, half_unit

if TYPE_CHECKING:
    from jixiao.audit.extract import Document, RateClaim, Value


def gate(doc: Document) -> None:
    _rates(doc)
    _spending(doc)
    _year(doc)
    _unit(doc)
    _kind(doc)


def _title_lines(doc: Document) -> list[tuple[Any, int, str]]:
    # _cover keeps the lines it found; a text with none finds none again.
    if doc.title_lines:
        return doc.title_lines
    from jixiao.audit.extract import _title_lines as read

    return read(doc)


def _report_paras(doc: Document) -> list[Any]:
    # extract cut doc.paras at the report's end (report_end); the paragraphs are the report's.
    return doc.paras[: doc.report_end]


def _withhold(doc: Document, field: str, reason: str) -> None:
    doc.withheld[field] = reason
    doc.missing.append(reason)


# ---------------------------------------------------------------- the execution rate


def _fits(claim: RateClaim, computed: Decimal) -> bool:
    # a stated rate is the computed one rounded to the places it is written with (92.9 for 92.94)
    return abs(claim.percent - computed) <= half_unit(claim.percent_text)


def _agree(a: RateClaim, b: RateClaim) -> bool:
    # 96% and 96.34% are one rate written to other places: the coarser one's rounding holds both
    return abs(a.percent - b.percent) <= max(half_unit(a.percent_text), half_unit(b.percent_text))


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
    _withhold(doc, "stated_execution_rate", f"预算执行率（文中写有互不相符的执行率 {shown}，未读）")


# a stated rate and the spending over the budget this far apart are no miscalculation (the ones
# reviewers find are a few points: 95.00 for 95.36, 99 for 99.985) but a figure read from the wrong
# cell or in the wrong unit (10 元 of a row whose empty cell vanished, beside its 100%)
_GROSS = Decimal(30)


def _spending(doc: Document) -> None:
    """The spending read against the report's one execution rate: the two far apart, one of them
    is misread and which cannot be told — neither is given, and the spending is not checked."""
    if "stated_execution_rate" in doc.withheld:
        return
    claims = [r for r in doc.rates if r.kind == "execution"]
    executed = doc.budget.get("executed")
    # (over the initial budget alone spending may run far past 100 %: a budget raised in the year
    # and not stated, which execution_100_unadjusted is for)
    base = doc.budget.get("full_year")
    if not claims or executed is None or base is None or base.value <= 0:
        return
    computed = executed.value / base.value * 100
    if abs(claims[0].percent - computed) <= _GROSS:
        return
    del doc.budget["executed"]
    shown = format(computed.quantize(Decimal("0.01")).normalize(), "f")
    _withhold(
        doc,
        "stated_execution_rate",
        f"全年执行数与预算执行率（读出执行数 {format(executed.value.normalize(), 'f')} 万元，"
        f"占预算 {shown}%，文中执行率 {claims[0].percent_text}%，相差过大，均未读）",
    )


# ---------------------------------------------------------------- the year


# where a report states the year it evaluates, each with 年度 or its label: 评价年度 2024, a title's
# 2024年度…, a line (2024年度) under it, 现将2024年度…自评. A title's 2023年 without 度 may name the
# funds (2023年异地造林补助资金), so it is no candidate against these.
_YEAR_STATED = (
    ("评价年度栏", re.compile(r"评价年度[:]?(\d{4})年?")),
    ("开头", re.compile(r"现将(\d{4})年度[^。]{0,40}?(?:自评|绩效)")),
)
# a line of its own under the title: (2024年度)
_YEAR_LINE = re.compile(r"\(?(\d{4})年度\)?")
_TITLE_YEAR_DU = re.compile(r"(?<!\d)(\d{4})年度")


def _year(doc: Document) -> None:
    """The year read against the ones the text states with 年度 (its 评价年度, its title's, the line
    under the title, 现将…年度): one of them naming another year means the rules took one of two,
    and the year is not given (the checks keep it: year_mismatch says the text disagrees)."""
    chosen = doc.year
    if chosen is None:
        return
    stated: list[tuple[str, int]] = []
    for where, regex in _YEAR_STATED:
        if not regex.search(doc.joined or doc.text):
            continue  # (one look at the joined text spares forty)
        for para in doc.paras[:40]:
            m = regex.search(para.text)
            if m:
                stated.append((where, int(m.group(1))))
                break
    for _, _, text in _title_lines(doc)[:2]:
        stated += [("标题", int(y)) for y in _TITLE_YEAR_DU.findall(text)]
    for para in doc.paras[:15]:
        if "年度" not in para.text:
            continue
        starts = [0] + [offset for offset, _ in para.pieces[1:]]
        for begin, end in zip(starts, [*starts[1:], len(para.text)], strict=True):
            line = _YEAR_LINE.fullmatch(para.text[begin:end].strip())
            if line:
                stated.append(("标题下一行", int(line.group(1))))
    if stated and stated[0][0] == "评价年度栏" and stated[0][1] == chosen.value:
        # the form's own 评价年度 is the text's strongest word on it: another year elsewhere is
        # the report's inconsistency (year_mismatch), not a doubt about the year
        return
    for where, year in stated:
        if year != chosen.value:
            _withhold(
                doc,
                "year",
                f"评价年度（读出 {chosen.value} 年，但{where}写 {year} 年度，未读；审查仍按 {chosen.value} 年）",
            )
            return


# ---------------------------------------------------------------- the unit


_BRACKETED = re.compile(r"\([^()]*\)")


def _core(name: str) -> str:
    from jixiao.audit.extract import _PAGE_WORDS  # (extract runs the gate: imported late)

    words = _PAGE_WORDS.match(name)
    if words and len(name) - words.end() >= 3:
        # a portal's 时效性有效 run into the title: trimmed, as the unit read is
        name = name[words.end() :]
    # (a traditional copy's name is given as written, its candidates are read folded)
    name = fold_traditional(name)
    half = len(name) // 2
    if len(name) >= 8 and len(name) % 2 == 0 and name[:half] == name[half:]:
        name = name[:half]  # a form's two cells naming the one unit, run together
    name = _BRACKETED.sub("", name) if "(" in name else name
    return name.removeprefix("中共").removeprefix("中国共产党")


# a county's or city's name at the start of a unit's, and a place's government after its name
_PLACE_HEAD = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:自治县|自治州|自治旗|县|市|区|旗|州)")
_GOVERNMENT = re.compile(r"(?:人民政府|政府|办事处)$")
_PLACE_TAIL = re.compile(r"(?:镇|乡|街道|苏木|县|市|区|旗)$")


def _without_place(name: str) -> tuple[str, str]:
    m = _PLACE_HEAD.match(name)
    return (name[: m.end()], name[m.end() :]) if m else ("", name)


_PLACE_ONLY = re.compile(r"(?:[\u4e00-\u9fff]{1,10}?(?:省|市|县|区|州|旗|盟))+")


def _names_agree(chosen: str, other: str) -> bool:
    """One unit named twice: the same name; one without its place (林业和草原局 of 某县林业和草原
    局, 县档案馆 of 某某自治县档案馆); a place's name shortened (寻甸县 for 寻甸回族彝族自治县, the same first two characters);
    the place named for its government (前山镇 in a title, 徐闻县前山镇人民政府 read). A name that
    goes on past the one read (某镇 read, 某镇人民政府 signed; 某局 / 某局资源管理科) or has more
    than a place before it (无某办公室 / 某办公室) names another body."""
    a, b = _core(chosen), _core(other)
    if a == b:
        return True
    for longer, shorter in ((a, b), (b, a)):
        if len(shorter) >= 3 and longer.endswith(shorter):
            head = longer[: -len(shorter)]
            # (县档案馆 of 某某自治县档案馆: a short name that opens with its level)
            return bool(
                _PLACE_ONLY.fullmatch(head)
                or (shorter[0] in "省市县区州旗盟" and _PLACE_ONLY.fullmatch(head + shorter[0]))
            )
    (place_a, rest_a), (place_b, rest_b) = _without_place(a), _without_place(b)
    if place_a and place_b and rest_a == rest_b and rest_a and place_a[:2] == place_b[:2]:
        return True
    government = _GOVERNMENT.search(a)
    return bool(
        government and _PLACE_TAIL.search(b) and len(b) >= 2 and a[: government.start()].endswith(b)
    )


def _title_units(doc: Document) -> list[tuple[str, Value]]:
    from jixiao.audit.extract import (
        _NOT_A_NAME,
        _PLACE,
        _TITLE_UNIT_FIRST,
        _TITLE_UNIT_ONLY,
        _TITLE_YEAR_FIRST,
        Value,
    )

    for para, start, text in _title_lines(doc):
        for regex in (_TITLE_UNIT_FIRST, _TITLE_YEAR_FIRST, _TITLE_UNIT_ONLY):
            m = regex.search(text)
            if (
                m
                and _PLACE.search(m.group("unit")[:12])
                and not _NOT_A_NAME.search(m.group("unit"))
            ):
                if start > 0 and re.match(r"[\u4e00-\u9fff\d,、]", para.text[start - 1]):
                    # a line prose wrapped onto (…现将2024年 / 度某局整体支出…情况报告如下):
                    # its first word may be the last of the line before
                    return []
                return [("标题", Value(m.group("unit"), m.group(0), para, start + m.start("unit")))]
    return []


_LABELLED: list[re.Pattern[str]] = []


def _labelled_units(doc: Document) -> list[tuple[str, Value]]:
    from jixiao.audit.extract import _NOT_A_NAME, _UNIT_LINES, Value

    if not _LABELLED:
        # the paragraphs joined a line each: ^ and $ at a paragraph's ends, as per paragraph
        _LABELLED.append(re.compile("(?m)" + _UNIT_LINES[0][0].pattern))
    head = "\n".join(p.text for p in doc.paras[:40])
    for m in _LABELLED[0].finditer(head):
        if not _NOT_A_NAME.search(m.group("unit")):
            return [("单位名称栏", Value(m.group("unit"), m.group(0), None, 0))]
    return []


_SIGNED_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def _signed_units(doc: Document) -> list[tuple[str, Value]]:
    """The name a report is signed with: a line of its own among its last paragraphs with the date
    on the line after it (某局 / 2025年1月20日) — a cell of a form copied a cell a line has none."""
    from jixiao.audit.extract import _NOT_A_NAME, _UNIT_NAME, Value

    paras = _report_paras(doc)
    if len(paras) <= 4:
        return []
    name = re.compile(_UNIT_NAME)
    lines = []
    for para in paras[-4:]:
        starts = [0] + [offset for offset, _ in para.pieces[1:]]
        for begin, end in zip(starts, [*starts[1:], len(para.text)], strict=True):
            lines.append((para, begin, para.text[begin:end].strip()))
    for (para, begin, line), (_, _, after) in itertools.pairwise(lines):
        if name.fullmatch(line) and _SIGNED_DATE.fullmatch(after) and not _NOT_A_NAME.search(line):
            return [("落款", Value(line, line, para, begin))]
    return []


def _unit(doc: Document) -> None:
    """The unit read against the names the title and a 单位名称 line give: one of them naming
    another body means the rules' choice may be the wrong one of two, and nothing is read."""
    chosen = doc.unit_name
    if chosen is None or not isinstance(chosen.value, str):
        return
    for where, other in _title_units(doc) + _labelled_units(doc) + _signed_units(doc):
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
    r"整[体體]|部[门門](?:\(單?[单單]?位\))?(?:基本情[况況]|概[况況]|[职職]能|[职職][责責]|预算|預算|决算|決算|收支)"
    r"|(?:单|單)位(?:基本情[况況]|概[况況]|[职職]能|[职職][责責])"
    # (a form's 评价方式:部门(单位)绩效自评 says who evaluated, not what: no evidence)
    r"|(?<!方式:)(?<!方式)部[门門](?:\((?:单|單)位\))?[绩績][效]"
    r"|[机機][构構][设設]置|[内內][设設][机機][构構]|人[员員][编編][制製]|[编編][制製][数數]|核定[编編][制製]"
    r"|行政[编編][制製]|事[业業][编編][制製]|基本支出|三公"
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
    _withhold(
        doc,
        "kind",
        "报告类型（文中未写部门整体、单位基本情况或编制等，未判部门或项目；审查仍按部门整体报告的要求）",
    )
