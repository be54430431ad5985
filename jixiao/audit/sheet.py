"""Read a self-evaluation table (项目支出 / 部门整体支出绩效自评表) as published text gives it.

Real 自评表 reach the auditor flattened in many ways: a docx table (cells joined by tabs), a web
page's table (cells joined by `` | ``, or one cell a line each followed by ``|``), a pdf (one cell
a line, rows apart by blank lines, or cells apart by spaces with words broken across them), an xlsx
copied as one line of interleaved cells. This module turns any of them into one stream of cells,
with a row break where the text shows one, and reads from it:

- the cover cells (项目名称 / 主管部门 / 单位名称 / 实施单位 followed by their value);
- the funds block: a header (年初预算数 / 全年预算数 or 预算数 / 全年执行数 or 执行数 / 执行率 /
  分值 / 得分, in the order the sheet gives them), then the 年度资金总额 row and its parts;
- the indicator grid: a header (年度指标值 / 实际完成值 with optional 指标性质, 度量单位, 完成率,
  分值, 得分, 偏差原因), then each indicator's name followed by exactly those cells.

It refuses rather than guesses. A row is read only when the cells after its name (or label) fit the
header's columns one by one, by kind — a target (≥ ≤ = and a figure with its unit), an actual figure,
a unit, a bare 分值 or 得分 — and no further figure follows: a row with a cell missing or one too
many is not read (``Sheet.unaligned`` keeps its line), never shifted into the wrong column. Where
empty cells vanish from the text (spaces, one cell a line), a missing cell can only be told at the
end of a row; a 偏差原因 that cannot be told from the next row's first cell is "unknown", never
"none". Qualitative values (达标, 好, 是), ``**`` placeholders, ranges (90-100%) and ≤ targets are no
targets to compute a rate from: their rows give only their 分值 and 得分.

Pure: no Django, no import of the rest of the auditor (jixiao.audit.extract maps what is read onto
its Document).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

NUM = r"(?<![\d.])\d{1,15}(?:\.\d{1,30})?(?!\d)"
_CJK = r"\u3400-\u9fff"

# ---------------------------------------------------------------- cells


@dataclass(frozen=True)
class Cell:
    """One cell as the text gives it: normalised text and its source line (1-based).

    ``kept``: the text keeps this table's empty cells (tabs, ``|``), so an empty cell is a cell
    and a position is a column; in plain text (spaces, one cell a line) empty cells vanish."""

    text: str
    line: int
    kept: bool = False
    shared: bool = False  # a 指标性质 taken from the target cell it was joined to (≥ 300 → ≥300)


# None in the stream: a row ends here (a line of tab- or |-separated cells, a run of blank lines)
Stream = list[Cell | None]

# units a pdf or a copied xlsx separates from its figure ("不少于12 种", "≤90 万元")
_UNIT_WORDS = (
    "人次|人天|人|个|家|项|次|场|件|户|名|期|批|所|本|套|台|篇|天|小时|平方米|立方米|米|公里|千米"
    "|亩|公顷|吨|头|只|册|份|种|例|组|座|条|辆|处|间|张|部|元|万元|亿元|%|百分比|分|年|月|日|周"
)
_UNIT_TOKEN = re.compile(rf"^(?:{_UNIT_WORDS})$")
_FIGURE_TOKEN = re.compile(
    rf"^(?:≥|≧|>=|≤|≦|<=|=|>|<|不少于|不低于|不高于|不超过)?{NUM}(?:万|亿)?$"
)
_DIRECTION_TOKEN = re.compile(
    r"^(?:≥|≧|>=|≤|≦|<=|=|>|<|不少于|不低于|不高于|不超过|不多于|大于等于|小于等于|达到)$"
)
_QUALITATIVE_CHAR = frozenset("是否好优良中差无有")


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u3000", " ")
    return re.sub(r"\s+", "", text)


def _tokens(line: str, number: int) -> list[Cell]:
    """The cells of a plain line: split at spaces, a figure joined to the unit the pdf or the
    copy separated from it, a direction to its figure, a word broken in two joined again."""
    cells: list[str] = []
    for token in line.split():
        token = unicodedata.normalize("NFKC", token)
        if cells:
            last = cells[-1]
            if _UNIT_TOKEN.match(token) and _FIGURE_TOKEN.match(last):
                cells[-1] = last + token
                continue
            if _DIRECTION_TOKEN.match(last) and re.match(r"\d", token):
                cells[-1] = last + token
                continue
            if (
                len(token) == 1
                and re.match(rf"[{_CJK}]", token)
                and token not in _QUALITATIVE_CHAR
                and re.search(rf"[{_CJK}]$", last)
            ):
                cells[-1] = last + token
                continue
        cells.append(token)
    return [Cell(text, number) for text in cells]


def _closing_bars(text: str) -> bool:
    """A page's table copied one cell a line with each cell's closing bar on a line of its own
    (cell / | / cell / |): many bare bars, no line that ends a cell with its bar."""
    lines = [line.strip() for line in text.split("\n")]
    bare = sum(1 for line in lines if line == "|")
    return bare >= 10 and not any(
        len(line) > 1 and line.endswith("|") and line.strip("|") for line in lines
    )


def _closing_bar_stream(text: str) -> Stream:
    """Cells closed by a bar on the next line: a line that is a bare bar closes the cell the lines
    before it wrote (a cell may take two lines), or is an empty cell when none is open; a line of
    bars alone (||||) closes the row."""
    stream: Stream = []
    pending: list[str] = []
    first = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.strip("|"):
            if not pending:
                first = number
            pending.append(line)
            continue
        if pending:
            stream.append(Cell(_normal("".join(pending)), first, kept=True))
            pending = []
        elif line == "|":
            stream.append(Cell("", number, kept=True))
        if line != "|":
            stream.append(None)
    if pending:
        stream.append(Cell(_normal("".join(pending)), first, kept=True))
    return stream


def _row_gap(lines: list[str]) -> int:
    """How many blank lines end a row: two, where cells stand a blank line apart (or none); twice
    the usual gap where a copy doubled every blank line (cells two blank lines apart, rows four)."""
    runs: dict[int, int] = {}
    blank = 0
    for raw in lines:
        if not raw.strip() or raw.strip() == "\f":
            blank += 1
            continue
        if blank:
            runs[blank] = runs.get(blank, 0) + 1
        blank = 0
    if not runs:
        return 2
    usual = max(runs, key=lambda n: (runs[n], -n))
    return 2 if usual < 2 else 2 * usual


# a page number a pdf sets between the rows of a sheet that runs over a page; a bare number is
# not one here (it may be a cell of a table given a cell a line)
_PAGE_MARK = re.compile(
    r"^(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[,/，]?\s*共\s*\d+\s*页)?)$"
)


def cell_stream(text: str) -> Stream:
    """Every cell of the text in reading order, with a None where the text ends a row."""
    if _closing_bars(text):
        return _closing_bar_stream(text)
    stream: Stream = []
    blank = 0
    # the blank lines before a page number: with those after it, the page's margin, not a row's end
    held = 0
    lines = text.split("\n")
    row_gap = _row_gap(lines)
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line == "\f":
            blank += 1
            if blank == row_gap and held < row_gap:
                stream.append(None)  # rows one cell a line, a run of blank lines between rows
            continue
        if _PAGE_MARK.match(line):
            # a pdf's page number between a sheet's cells (— 3 —, 第3页): no cell
            held, blank = max(held, blank), 0
            continue
        blank = held = 0
        if "\t" in line:
            parts = [p.strip() for p in raw.rstrip("\r\n").split("\t")]
        elif "|" in line:
            # outer pipes are borders; inner empty cells are cells ("| a | | c |")
            inner = line[1:] if line.startswith("|") else line
            inner = inner[:-1] if inner.endswith("|") else inner
            parts = [p.strip() for p in inner.split("|")]
            if len(parts) == 1:
                # one cell a line, each followed by "|" (an empty cell is a bare "|")
                stream.append(Cell(_normal(parts[0]), number, kept=True))
                continue
        else:
            stream.extend(_tokens(line, number))
            continue
        stream.append(None)
        stream.extend(Cell(_normal(p), number, kept=True) for p in parts)
        stream.append(None)
    return stream


# ---------------------------------------------------------------- kinds of cell


def _bare(text: str) -> str:
    """A header cell without its notes: 预算数(A) → 预算数, 得分(20分*执行率) → 得分."""
    return re.sub(r"\([^()]*\)|[:]$", "", text)


_ROLES: dict[str, re.Pattern[str]] = {
    # indicator grid
    "target": re.compile(
        r"(?:年度|年初|全年|预期|计划|年度计划|绩效)?(?:指标|目标)值|计划(?:完成)?值|预期值"
    ),
    "actual": re.compile(r"(?:全年|年度)?(?:实际完成|实际达到|实际|完成)(?:值|数)|实际完成"),
    "unit": re.compile(r"(?:度量|计量|计算)单位"),
    "direction": re.compile(r"指标(?:性质|方向)"),
    "percent": re.compile(r"(?:指标)?完成(?:率|比例)"),
    "name": re.compile(r"三级指标|指标名称|指标内容|具体指标"),
    "category": re.compile(r"[一二]级指标"),
    # funds block
    "initial": re.compile(r"年初(?:预算|批复|安排)(?:数|金额)?"),
    "full_year": re.compile(r"(?:全年|调整后|调整后全年)预算(?:数|金额)?|预算数"),
    "executed": re.compile(r"(?:全年|预算|实际)?执行(?:数|金额)|全年执行|实际支出(?:数)?"),
    "rate": re.compile(r"(?:预算|资金)?执行率"),
    # both
    "weight": re.compile(r"(?:指标)?分值|权重|满分|标准分"),
    "score": re.compile(r"(?:自评|实际)?得分"),
    "reason": re.compile(r"[^\d]{0,6}(?:原因|说明|备注|改进措施)[^\d]{0,14}"),
}
_ROLE_HINT = re.compile(r"值|单位|性质|方向|完成|指标|预算|执行|支出|分|权重|原因|说明|备注|措施")
_INDICATOR_ONLY = frozenset(
    {"target", "actual", "unit", "direction", "percent", "name", "category"}
)
_FUNDS_ONLY = frozenset({"initial", "full_year", "executed", "rate"})
_VALUE_ROLES = (
    "target",
    "actual",
    "unit",
    "direction",
    "percent",
    "initial",
    "full_year",
    "executed",
    "rate",
    "weight",
    "score",
    "reason",
)
_OPTIONAL = frozenset({"percent", "weight", "score", "reason", "rate", "unit", "direction"})


def role(text: str) -> str | None:
    """The column a header cell names, or None."""
    if not text or len(text) > 24 or not _ROLE_HINT.search(text):
        return None
    bare = _bare(text)
    if not bare or re.search(r"\d", bare):
        return None
    for name, pattern in _ROLES.items():
        if pattern.fullmatch(bare):
            return name
    return None


_DIRECTIONS = (
    ("≥", r"≥|≧|>=|不少于|不低于|大于等于|大于|>|达到|不小于"),
    ("≤", r"≤|≦|<=|不高于|不超过|不多于|小于等于|小于|低于|<|不大于"),
    ("=", r"=|等于|═"),  # a box-drawing double line for = (云南's sheets)
)
_DIRECTION = "|".join(f"(?:{words})" for _, words in _DIRECTIONS)
_VALUE = re.compile(
    rf"^(?P<dir>{_DIRECTION})?(?P<num>{NUM})(?P<scale>万|亿)?(?P<unit>(?:[{_CJK}a-zA-Z%‰²³]{{1,4}}(?:/[{_CJK}a-zA-Z]{{1,2}})?)?)"
    r"(?P<suffix>以上|以下|以内)?$"
)


@dataclass(frozen=True)
class Figure:
    direction: str  # "≥", "≤", "=" or "" (none written)
    value: Decimal
    unit: str
    text: str


def figure(text: str) -> Figure | None:
    """A target or actual cell: ≥20000亩, ≧60个, 100%, =100, 不少于12种, 1.2万人次, 85.6."""
    m = _VALUE.match(text)
    if m is None:
        return None
    direction = ""
    if m.group("dir"):
        direction = next(d for d, words in _DIRECTIONS if re.fullmatch(words, m.group("dir")))
    suffix = m.group("suffix")
    if suffix:
        if direction:
            return None
        direction = "≥" if suffix == "以上" else "≤"
    unit = m.group("unit")
    scale = m.group("scale") or ""
    value = Decimal(m.group("num"))
    if scale and unit in ("元", "元/人", "元/次"):
        unit = scale + unit  # 90万元 is 90 of 万元, an amount, not 900000 元
    elif scale:
        value *= Decimal(10000) if scale == "万" else Decimal(10**8)
    if unit in ("百分比", "百分点"):
        unit = "%"
    if unit in ("分",):
        return None
    return Figure(direction, value, unit, text)


_PLAIN_NUMBER = re.compile(rf"^({NUM})分?$")
_RATE = re.compile(rf"^({NUM})%?$")
_BLANK = re.compile(r"^(?:|/|-|—+|－|\\|无|空)$")


def _number(text: str) -> tuple[Decimal, str] | None:
    m = _PLAIN_NUMBER.match(text)
    return (Decimal(m.group(1)), m.group(1)) if m else None


def _figure_like(cell: Cell | None) -> bool:
    return cell is not None and bool(cell.text) and _VALUE.match(cell.text) is not None


# ---------------------------------------------------------------- what is read


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator row. ``target``/``actual`` are None for a qualitative, placeholder or range
    value; ``readable`` when both are figures of one unit and the direction is ≥ or = (or none)."""

    name: str
    unit: str
    direction: str
    target: Decimal | None
    actual: Decimal | None
    percent_text: str  # the 完成率 cell, when the sheet has one
    weight: Decimal | None
    weight_text: str
    score: Decimal | None
    score_text: str
    reason: str | None  # the 偏差原因 cell; "" none written; None when the text cannot tell
    line: int
    quote: str
    actual_blank: bool = False  # the 实际完成值 cell is there and empty (or "/", "—")
    actual_word: str = ""  # … or holds 完成 / 达标 where the 指标值 is a figure

    @property
    def readable(self) -> bool:
        return (
            self.target is not None
            and self.actual is not None
            and self.target > 0
            and self.direction in ("", "≥", "=")
        )


@dataclass(frozen=True)
class FundsRow:
    """A row of the funds block (年度资金总额 or one of its parts), amounts in 万元."""

    label: str
    total: bool
    amounts: dict[str, Decimal]  # initial / full_year / executed, as the header names them
    rate_text: str
    weight: Decimal | None
    weight_text: str
    score: Decimal | None
    score_text: str
    formula_stated: bool  # the header says 得分 = 分值 × 执行率 (得分(20分*执行率))
    line: int
    quote: str


@dataclass
class Sheet:
    cover: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # value, line, quote
    indicators: list[IndicatorRow] = field(default_factory=list)
    funds: list[FundsRow] = field(default_factory=list)
    unaligned: list[int] = field(default_factory=list)  # lines of rows not read: cells misfit

    def __bool__(self) -> bool:
        return bool(self.cover or self.indicators or self.funds or self.unaligned)


# ---------------------------------------------------------------- headers


@dataclass
class _Header:
    kind: str  # indicators | funds
    start: int  # stream index of its first header cell
    end: int  # stream index after its last header cell
    columns: list[str]
    # only 分值 / 得分 / 原因 …: the rest of a header an xlsx copy interleaved with the rows
    partial: bool = False


_GAP = 2  # non-header cells allowed between two header cells (a note, an interleaved label)


def _headers(stream: Stream) -> list[_Header]:
    zones: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    gap = 0
    joined = -1  # a cell already taken as the second half of a header word broken in two
    for index, cell in enumerate(stream):
        if cell is None or not cell.text or index == joined:
            continue
        name = role(cell.text)
        following = stream[index + 1] if index + 1 < len(stream) else None
        if name is None and following is not None and len(cell.text) <= 4:
            # a header word a pdf broke across lines: 年初 / 预算数, 实际 / 完成值
            whole = role(cell.text + following.text) if len(following.text) <= 6 else None
            if whole is not None:
                name, joined = whole, index + 1
        if name is None:
            gap += 1
            if current and gap > _GAP:
                zones.append(current)
                current = []
            continue
        gap = 0
        current.append((index, name))
    if current:
        zones.append(current)
    headers: list[_Header] = []
    for zone in zones:
        zone = _rejoin_cut_cells(zone, stream)
        # a funds header run straight into an indicator header: split where the grid's begins
        split = next((i for i, (_, n) in enumerate(zone) if n in _INDICATOR_ONLY), len(zone))
        if not any(n in _FUNDS_ONLY for _, n in zone):
            split = 0
        for part, kind in ((zone[:split], "funds"), (zone[split:], "indicators")):
            header = _header(part, kind)
            if header is not None:
                headers.append(header)
    return headers


def _rejoin_cut_cells(zone: list[tuple[int, str]], stream: Stream) -> list[tuple[int, str]]:
    """A grid header whose cells were cut in two and read row by row: 年度 | 实际 | 分值 | 得分 |
    偏差原因 over 指标值 | 完成值. The second line's words after the 偏差原因 complete, in order, the
    first line's half words that name no column (年度 + 指标值, 实际 + 完成值): the columns stand where
    the first halves stand. Only when every such word finds its half; else the zone is left as it
    was (and a header with 指标值 after 偏差原因 is none: see _header)."""
    names = [n for _, n in zone]
    if "reason" not in names:
        return zone
    at = names.index("reason")
    tail = zone[at + 1 :]
    if not tail or any(n not in ("target", "actual") for _, n in tail):
        return zone
    halves = [
        i
        for i in range(zone[0][0] + 1, zone[at][0])
        if (cell := stream[i]) is not None
        and cell.text
        and len(cell.text) <= 4
        and role(cell.text) is None
    ]
    if len(halves) != len(tail):
        return zone
    for i, (j, name) in zip(halves, tail, strict=True):
        first, second = stream[i], stream[j]
        if first is None or second is None or role(first.text + second.text) != name:
            return zone
    # the second line's cells stay in the zone, named no column: the rows begin after them
    rejoined = zone[: at + 1] + [(j, "cut") for j, _ in tail]
    rejoined += [(i, name) for i, (_, name) in zip(halves, tail, strict=True)]
    return sorted(rejoined)


def _header(zone: list[tuple[int, str]], kind: str) -> _Header | None:
    if not zone:
        return None
    columns = [n for _, n in zone if n in _VALUE_ROLES]
    if kind == "indicators":
        columns = _split_target(zone, columns)
    if len(set(columns)) != len(columns):
        return None  # a column named twice: two tables run together, or an interleaved copy
    start, end = zone[0][0], zone[-1][0] + 1
    if kind == "indicators":
        if "target" not in columns or "actual" not in columns:
            if columns and set(columns) <= {"weight", "score", "reason", "percent"}:
                return _Header(kind, start, end, columns, partial=True)
            return None
        if columns.index("target") > columns.index("actual") or _FUNDS_ONLY & set(columns):
            return None
        if "reason" in columns and columns.index("reason") < columns.index("target"):
            # 偏差原因 closes a grid's header: 指标值 / 完成值 named after it are the second line of
            # header cells cut in two (年度 | 实际 | 分值 | 得分 | 偏差原因 over 指标值 | 完成值), whose
            # columns stand where 年度 / 实际 stood — not where the second line puts them
            return None
    else:
        if "executed" not in columns or not ({"initial", "full_year"} & set(columns)):
            return None
    return _Header(kind, start, end, columns)


_SUB_TARGET = frozenset({"direction", "target", "unit"})


def _split_target(zone: list[tuple[int, str]], columns: list[str]) -> list[str]:
    """A grid header of two rows whose 年度指标值 spans three cells of the second (云南's template):
    ``年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因`` then ``一级指标 | 二级指标 | 三级指标 | 指标性质 |
    指标值 | 度量单位``: the rows give 指标性质 | 指标值 | 度量单位 where the first row says 年度指标值.
    Only that shape: the second row's own name columns (一级指标 …) between the two, then a run of
    nothing but 指标性质 / 指标值 / 度量单位 closing the header; anything else is left as it was
    (a column named twice is no header)."""
    if columns.count("target") != 2:
        return columns
    names = [n for _, n in zone]
    tail = 0
    while tail < len(names) and names[len(names) - 1 - tail] in _SUB_TARGET:
        tail += 1
    sub = names[len(names) - tail :]
    head = names[: len(names) - tail]
    labels = 0
    while labels < len(head) and head[len(head) - 1 - labels] in ("category", "name"):
        labels += 1
    first = [n for n in head if n in _VALUE_ROLES]
    if (
        sub.count("target") != 1
        or len(sub) < 2
        or len(set(sub)) != len(sub)
        or not labels
        or first.count("target") != 1
        or "actual" not in first
        or first.index("target") > first.index("actual")
        or _SUB_TARGET - {"target"} & set(first)
    ):
        return columns
    at = first.index("target")
    return first[:at] + sub + first[at + 1 :]


# ---------------------------------------------------------------- rows

_CATEGORY = re.compile(
    r"^(?:(?:产出|效益|满意度|数量|质量|时效|成本|社会效益|经济效益|生态效益|可持续影响|服务对象满意度"
    r"|社会|经济|生态|可持续|效果|影响|管理|过程|决策)+指标|年度绩效目标|绩效指标|年度总体目标)"
    r"(?:\(\d+(?:\.\d+)?分\))?$"
)
_TOTAL_LABEL = re.compile(
    r"^(?:年度|项目)?(?:财政)?资金总额|^总额$|^合计$|^资金合计$|^年度资金合计$"
)
_PART_LABEL = re.compile(
    r"^(?:其中[:]?)?(?:本年|当年)?(?:财政(?:拨款|资金)|财政专户管理资金|单位资金|上年结转(?:资金)?"
    r"|其他资金|自有资金|上级补助资金?|本级财政资金)$"
)
_NUMBERING = re.compile(
    r"^(?:指标\d{1,3}[:.、]?|[一二三四五六七八九十]{1,3}[、.]|\d{1,3}[、.](?!\d)|\(\d{1,3}\)"
    r"|\([一二三四五六七八九十]{1,3}\))"
)
# "公猪舍(≥**平方米)", "四、农户施肥情况调查(户)": the unit (and direction) in the name's bracket
_NAME_UNIT = re.compile(
    rf"\((?:(?P<dir>{_DIRECTION})(?:\*+|\d*)(?P<unit>[^\d()*]{{0,5}})|(?P<bare>{_UNIT_WORDS}))\)$"
)
_FORMULA = re.compile(rf"({NUM})分?\s*[*×xX]\s*(?:预算)?执行率")
_SECTION_WEIGHT = re.compile(rf"\(({NUM})分\)")


def _name_ok(cell: Cell) -> bool:
    text = cell.text
    if not (2 <= len(text) <= 60) or "。" in text or not re.search(f"[{_CJK}]", text):
        return False
    if _figure_like(cell) or role(text) is not None or _CATEGORY.match(text):
        return False
    return not (_TOTAL_LABEL.match(text) or _PART_LABEL.match(text))


class _Misfit(Exception):
    """The cells after a name do not fit the header's columns."""


def _take(
    stream: Stream, start: int, end: int, columns: list[str]
) -> tuple[dict[str, Cell], int, bool] | None:
    """The cells for ``columns`` from ``start``: (cells by column, index after the last one taken,
    whether the row was cut short by its end). None when nothing of a row starts here; raises
    _Misfit when a row starts but does not fit."""
    taken: dict[str, Cell] = {}
    index = start
    for position, column in enumerate(columns):
        cell = stream[index] if index < end else None
        if cell is None:
            # the row ends early: fine only when every missing column may be blank and the row
            # really ends here (a row break, or the end of the text), not where the next row begins
            # the row ends early: only a trailing reason may be missing (a word cannot shift a
            # figure); a missing figure cannot be placed — an empty cell in the middle and one at
            # the end look the same once the text has dropped it
            if position == 0:
                return None
            last = taken[columns[position - 1]]
            if columns[position:] == ["reason"] and not (last.kept and _BLANK.match(last.text)):
                return taken, index, True
            # a row of kept cells short of its reason whose last cell is empty: the page dropped a
            # cell and the empty 偏差原因 moved into the 得分 (12 | 次 | 20 | 18 | ∅ for 12 | 次 |
            # 12 | 20 | 18 | ∅), or the row lost its trailing empty cells — which, cannot be told.
            # An empty cell before a filled 得分 (a blank 实际完成值) is a cell: no shift puts it there
            raise _Misfit
        if column == "reason" and (
            _CATEGORY.match(cell.text)
            or _TOTAL_LABEL.match(cell.text)
            or _PART_LABEL.match(cell.text)
        ):
            return taken, index, True  # the next row's label, not a reason: this row had none
        if (
            column == "direction"
            and not cell.kept
            and columns[position + 1 : position + 2] == ["target"]
            and _DIRECTION_START.match(cell.text)
        ):
            # plain text joins a direction to its figure (≥ 300 → ≥300): where the 指标性质 column
            # stands right before the 指标值, the joined cell gives both, the direction first
            joined = figure(cell.text)
            m = _DIRECTION_START.match(cell.text)
            if joined is not None and joined.direction and m is not None:
                taken[column] = Cell(m.group(0), cell.line, shared=True)
                continue
        if (
            column == "unit"
            and columns[position - 1 : position] == ["target"]
            and not cell.kept
            and _figure_like(cell)
        ):
            # … and its unit (≥ 300 人次 → ≥300人次): the 度量单位 column after it is in that cell
            target = figure(taken["target"].text)
            if target is not None and target.unit and not taken["target"].kept:
                taken[column] = Cell(target.unit, cell.line, shared=True)
                continue
        if not _fits(column, cell):
            if position == 0:
                return None
            raise _Misfit
        taken[column] = cell
        index += 1
        if (
            column == "actual"
            and "target" in taken
            and not _BLANK.match(cell.text)
            and (figure(taken["target"].text) is None) != (figure(cell.text) is None)
            and not (_DONE_WORD.fullmatch(cell.text) and figure(taken["target"].text))
        ):
            raise _Misfit  # a figure against a word: not one measure, or a shifted cell
    reason = taken.get("reason")
    if reason is not None:
        if reason.text and (figure(reason.text) or _number(reason.text)):
            raise _Misfit  # a figure where the reason belongs: a cell too many
        if reason.kept and not _after_ok(stream, index, end):
            raise _Misfit
    elif not _after_ok(stream, index, end):
        raise _Misfit
    return taken, index, False


def _fits(column: str, cell: Cell) -> bool:
    text = cell.text
    if column == "reason":
        return True
    if not text:
        return cell.kept and column in _OPTIONAL | {"actual", "initial", "full_year", "executed"}
    if column in ("target", "actual"):
        found = figure(text)
        if found is None and (_NUMBERISH.match(text) or _DIRECTION_START.match(text)):
            # ≥**平方米, 90-100%: a placeholder or a range where a target belongs
            return column == "target" and ("*" in text or _RANGE.search(text) is not None)
        if found is None:
            # qualitative (达标, 好, 是) — a value, not a column shift — but never a header, a
            # label or a numbered name
            return (
                role(text) is None
                and not _CATEGORY.match(text)
                and not _NUMBERING.match(text)
                and len(text) <= 40
            )
        return column == "target" or not found.direction
    if column == "unit":
        return bool(re.fullmatch(rf"(?:{_UNIT_WORDS}|[{_CJK}/]{{1,4}})", text)) or text == "%"
    if column == "direction":
        return bool(re.fullmatch(rf"(?:{_DIRECTION}|(?:定性|定量|正向|反向)(?:指标)?)", text))
    if column in ("percent", "rate"):
        return bool(_RATE.match(text)) or bool(_BLANK.match(text))
    if column in ("weight", "score"):
        return _number(text) is not None or bool(_BLANK.match(text))
    if column in ("initial", "full_year", "executed"):
        return bool(re.fullmatch(rf"{NUM}(?:万元|元)?", text)) or bool(_BLANK.match(text))
    return True


_NUMBERISH = re.compile(r"^[≥≧≤≦<>=]?[\d.*]")
# the 实际完成值 cell of a figure's row answered with a word: "≤ 30 万元 | 完成"
_DONE_WORD = re.compile(r"(?:已|全部|按时|按期)?(?:完成|达成|达到|达标)(?:目标|任务|指标)?")
_DIRECTION_START = re.compile(rf"^(?:{_DIRECTION})")
_RANGE = re.compile(r"\d\s*[-~～—至]\s*\d")


def _after_ok(stream: Stream, index: int, end: int) -> bool:
    """No further figure right after a row's last column: else the row has a cell too many."""
    if index >= end:
        return True
    cell = stream[index]
    return cell is None or not cell.text or not (_NUMBERISH.match(cell.text) or _figure_like(cell))


def _reason(stream: Stream, taken: dict[str, Cell], index: int) -> str | None:
    """The 偏差原因 cell when the text can tell it: kept cells have their positions; in plain text
    a reason is known only when a row break follows it (else it may be the next row's name)."""
    cell = taken.get("reason")
    if cell is None:
        return ""  # the row ended before it (or the header has no such column: see caller)
    if cell.kept:
        return cell.text
    following = stream[index] if index < len(stream) else None
    if following is None:
        return cell.text
    return None


def _rows(
    stream: Stream, header: _Header, end: int, sheet: Sheet, scale: Decimal, *, begin: int
) -> int:
    """Read the rows between ``begin`` and ``end`` under ``header``; returns how many were read."""
    columns = header.columns
    value_columns = [c for c in columns if c != "reason"]
    formula = section_weight = None
    if header.kind == "funds":
        for cell in stream[max(0, header.start - 4) : header.end + 2]:
            if cell is None:
                continue
            m = _FORMULA.search(cell.text)
            if m:
                formula = Decimal(m.group(1))
            m = _SECTION_WEIGHT.search(cell.text)
            if (
                m
                and section_weight is None
                and ("预算执行" in cell.text or cell.text == m.group(0))
            ):
                section_weight = Decimal(m.group(1))
    read = 0
    index = begin
    while index < end:
        cell = stream[index]
        index += 1
        if cell is None or not cell.text:
            continue
        if header.kind == "funds":
            if not (_TOTAL_LABEL.match(_bare(cell.text)) or _PART_LABEL.match(_bare(cell.text))):
                continue
        elif not _name_ok(cell):
            continue
        try:
            got = _take(stream, index, end, columns)
        except _Misfit:
            after_name = stream[index] if index < end else None
            if header.kind == "funds" or (after_name is not None and _figure_like(after_name)):
                sheet.unaligned.append(cell.line)
            continue
        if got is None:
            continue
        taken, after, _short = got
        quote = " | ".join([cell.text] + [taken[c].text for c in columns if c in taken])
        if header.kind == "funds":
            row = _funds_row(cell, taken, formula, section_weight, scale, quote)
            if row is not None:
                sheet.funds.append(row)
                read += 1
        else:
            if "target" not in taken or "actual" not in taken:
                continue  # a row cut short before its figures (the next row's label came first)
            reason = _reason(stream, taken, after) if "reason" in columns else ""
            sheet.indicators.append(_indicator_row(cell, taken, reason, quote))
            read += 1
        # go on after the last figure: a plain cell after it may be the next row's name
        index += sum(1 for c in value_columns if c in taken and not taken[c].shared)
        if "reason" in taken and taken["reason"].kept:
            index = after
    return read


def _indicator_row(
    name_cell: Cell, taken: dict[str, Cell], reason: str | None, quote: str
) -> IndicatorRow:
    name = _NUMBERING.sub("", name_cell.text).strip(":") or name_cell.text
    direction = ""
    name_unit = ""
    bracket = _NAME_UNIT.search(name)
    if bracket and len(name) > bracket.end() - bracket.start():
        name_unit = bracket.group("unit") or bracket.group("bare")
        if bracket.group("dir"):
            direction = next(
                d for d, words in _DIRECTIONS if re.fullmatch(words, bracket.group("dir"))
            )
        name = name[: bracket.start()]
    target_cell, actual_cell = taken["target"], taken["actual"]
    target, actual = figure(target_cell.text), figure(actual_cell.text)
    if "direction" in taken:
        written = taken["direction"].text
        found = next((d for d, w in _DIRECTIONS if re.fullmatch(w, written)), None)
        # 正向(指标) is more-is-better, 反向 less; 定量 / 定性 say neither
        kind = written.removesuffix("指标")
        direction = found or ("≥" if kind == "正向" else "≤" if kind == "反向" else "?")
    if target is not None and target.direction:
        direction = target.direction if not direction or direction == target.direction else "?"
    unit_column = taken["unit"].text if "unit" in taken else ""
    units = {u for u in (target.unit if target else "", actual.unit if actual else "") if u}
    if unit_column:
        units.add("%" if unit_column in ("百分比",) else unit_column)
    if len(units) > 1:
        target = actual = None  # 100% against 95人: not one measure
    unit = next(iter(units), "") or name_unit
    weight = _number(taken["weight"].text) if "weight" in taken else None
    score = _number(taken["score"].text) if "score" in taken else None
    percent = taken["percent"].text if "percent" in taken else ""
    percent_m = _RATE.match(percent)
    return IndicatorRow(
        name=name,
        unit=unit,
        direction=direction,
        target=target.value if target else None,
        actual=actual.value if actual else None,
        percent_text=percent_m.group(1) if percent_m else "",
        weight=weight[0] if weight else None,
        weight_text=weight[1] if weight else "",
        score=score[0] if score else None,
        score_text=score[1] if score else "",
        reason=reason,
        line=name_cell.line,
        quote=quote,
        actual_blank=bool(_BLANK.match(actual_cell.text)) and actual_cell.text != "无",
        actual_word=actual_cell.text if target and _DONE_WORD.fullmatch(actual_cell.text) else "",
    )


def _funds_row(
    label: Cell,
    taken: dict[str, Cell],
    formula: Decimal | None,
    section_weight: Decimal | None,
    scale: Decimal,
    quote: str,
) -> FundsRow | None:
    amounts: dict[str, Decimal] = {}
    for key in ("initial", "full_year", "executed"):
        cell = taken.get(key)
        if cell is None or _BLANK.match(cell.text):
            continue
        m = re.fullmatch(rf"({NUM})(万元|元)?", cell.text)
        if m is None:
            return None
        unit_scale = {"万元": Decimal(1), "元": Decimal("0.0001")}.get(m.group(2) or "", scale)
        amounts[key] = Decimal(m.group(1)) * unit_scale
    if not amounts:
        return None
    rate = taken["rate"].text if "rate" in taken else ""
    rate_m = _RATE.match(rate)
    weight = _number(taken["weight"].text) if "weight" in taken else None
    score = _number(taken["score"].text) if "score" in taken else None
    text = _bare(label.text)
    total = bool(_TOTAL_LABEL.match(text))
    if weight is None and total:
        stated = formula if formula is not None else section_weight
        weight = (stated, format(stated, "f")) if stated is not None else None
    return FundsRow(
        label=text,
        total=total,
        amounts=amounts,
        rate_text=_as_percent(rate_m.group(1), rate, amounts) if rate_m else "",
        weight=weight[0] if weight else None,
        weight_text=weight[1] if weight else "",
        score=score[0] if score else None,
        score_text=score[1] if score else "",
        formula_stated=formula is not None,
        line=label.line,
        quote=quote,
    )


def _as_percent(number: str, cell: str, amounts: dict[str, Decimal]) -> str:
    """The 执行率 cell as a percent. A cell without % may be a fraction (0.958 for 95.8 %): read as
    one only when the row's own B ÷ A agrees with it as a fraction — to its last printed digit,
    cut or rounded — and not as a percent; a cell the row cannot decide stays as written."""
    base = amounts.get("full_year") or amounts.get("initial")
    executed = amounts.get("executed")
    value = Decimal(number)
    if "%" in cell or base is None or executed is None or not base or not 0 < value <= 1:
        return number
    ratio = executed / base
    places = len(number.partition(".")[2])
    # a bare 1 is 100 % only when B ÷ A is 1 to the cent: "1" with half of it spent is no fraction
    step = Decimal(1).scaleb(-places) if places else Decimal("0.005")
    if abs(ratio * 100 - value) <= 1 or abs(ratio - value) >= step:
        return number
    return format((value * 100).normalize(), "f")


# ---------------------------------------------------------------- cover cells

_COVER_LABELS = {
    "project_name": re.compile(r"项目名称"),
    "supervisor": re.compile(r"主管部门|主管单位"),
    "unit": re.compile(r"单位名称|填报单位|预算单位|部门名称"),
    "implementer": re.compile(r"(?:项目)?实施单位"),
}
# a cover value must be followed by the next label, a sheet's section or the end of its row
_COVER_NEXT = re.compile(
    r"^(?:项目名称|主管部门|主管单位|单位名称|填报单位|预算单位|部门名称|(?:项目)?实施单位|项目类别"
    r"|项目属性|项目资金|项目基本情况|预算执行情况|年度总体目标|绩效指标|年度绩效目标|联系人"
    r"|联系电话|填报人|项目负责人|资金来源|评价结论|项目类型|项目期限|项目编码|项目代码)"
)
_UNIT_END = re.compile(
    r"(?:委员会|办公室|办事处|管理处|中心|局|委|办|院|所|站|队|馆|处|厅|部|学校|学院|大学|中学"
    r"|小学|幼儿园|社|团|公司|政府|街道|镇|乡|医院|卫生院|联合社|总工会|联合会|协会|学会|会)$"
)


def _cover(stream: Stream, sheet: Sheet) -> None:
    found: dict[str, tuple[str, int, str] | None] = {}
    for index, cell in enumerate(stream[:-1]):
        if cell is None or not cell.text or len(cell.text) > 14:
            continue
        label = re.sub(r"\((?:盖章|公章|签章)\)|[:]$", "", cell.text)
        key = next((k for k, p in _COVER_LABELS.items() if p.fullmatch(label)), None)
        if key is None or key in found:
            continue
        value = stream[index + 1]
        following = stream[index + 2] if index + 2 < len(stream) else None
        ends = (
            following is None
            or (following.kept and not following.text)
            or bool(_COVER_NEXT.match(following.text))
            or role(following.text) is not None
        )
        if value is None or not value.text or not ends or _COVER_NEXT.match(value.text):
            found[key] = None  # labelled, but its value cannot be told: read nothing
            continue
        text = value.text
        if key == "project_name":
            text = re.sub(r"^[0-9A-Z]{6,30}-", "", text)  # the budget code: 51000021R…-工资性支出
            ok = 2 <= len(text) <= 60 and "。" not in text and role(text) is None
        else:
            text = re.sub(r"^\d{3,12}-", "", text)  # 219001-某镇人民政府
            ok = 3 <= len(text) <= 40 and bool(_UNIT_END.search(text))
        found[key] = (text, value.line, f"{cell.text} {value.text}") if ok else None
    for key, read in found.items():
        if read is not None:
            sheet.cover[key] = read


# ---------------------------------------------------------------- the reader

_HINTS = ("指标值", "目标值", "完成值", "实际值", "执行数", "全年执行")
# a header word standing as a cell of its own (prose writes 全年执行数38.45万元, a sheet 执行数 | …)
_HEADER_CELL = re.compile(
    r"(?:^|[\t| \u3000])(?:年度|年初|全年|预期|计划)?(?:指标值|目标值|完成值|实际完成值|实际值|执行数"
    # (its bracket full- or half-width, or one of each as a copy mixes them: 执行数（B), 执行数(B）)
    r"|全年执行|预算执行数)(?:\s*[(（][^()（）\n]{0,12}[)）])?[ \u3000]*(?:[\t|\n ]|$)",
    re.MULTILINE,
)


def read_sheet(text: str) -> Sheet:
    """What the text's 自评表 says (an empty Sheet when it has none)."""
    sheet = Sheet()
    if not any(hint in text for hint in _HINTS) or _HEADER_CELL.search(text) is None:
        return sheet
    stream = cell_stream(text)
    headers = _headers(stream)
    full = [h for h in headers if not h.partial]
    if not full:
        return sheet
    _cover(stream[: full[0].start], sheet)
    for position, header in enumerate(full):
        end = full[position + 1].start if position + 1 < len(full) else len(stream)
        scale = Decimal(1)
        if header.kind == "funds":
            near = "".join(
                c.text for c in stream[max(0, header.start - 4) : header.end] if c is not None
            )
            if re.search(r"单位[:]?元|\(元\)", near) and "万元" not in near:
                scale = Decimal("0.0001")
            elif "亿元" in near:
                scale = Decimal(10000)
        before = len(sheet.unaligned)
        if _rows(stream, header, end, sheet, scale, begin=header.end) or header.kind == "funds":
            continue
        # nothing fits the grid's header: an xlsx copy may have interleaved the rest of it (分值,
        # 得分) with the first rows — a partial header before any row was read completes it
        rest = next((h for h in headers if h.partial and header.end <= h.start < end), None)
        if rest is not None and not set(rest.columns) & set(header.columns):
            merged = _Header(header.kind, header.start, rest.end, header.columns + rest.columns)
            tried = sheet.unaligned[before:]
            del sheet.unaligned[before:]
            if not _rows(stream, merged, end, sheet, scale, begin=rest.end):
                sheet.unaligned[before:] = tried  # neither header fits: report the first try
    return sheet
