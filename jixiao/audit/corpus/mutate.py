"""Mutated real reports (变动后的真实报告): layout noise and planted defects on the real corpus.

The real corpus (``corpus/real.py``) is read as published; this module asks what happens to the
same 130 reports when they arrive as copies do, and whether a defect planted into real text is
found. ``python -m jixiao.audit.corpus --real --mutate [--seed N] [--verbose]``.

**Layout mutations** (``LAYOUTS``) change how the text is written, never a fact: hard line breaks
every 30–40 characters inside paragraphs (noise.line_breaks: a break falls between two Chinese
characters, never inside a figure), spaces between figures and their units, full-width digits
(noise.fullwidth_digits), full- and half-width punctuation mixed (noise.mixed_punctuation and
back), a news portal's header and footer around the text (发布日期, 来源, 字号 大 中 小, 打印本页),
blank lines doubled, CRLF line ends, the GB18030 encoding, and all of them at once. Each mutated
copy is audited as an uploaded ``.txt`` (bytes through the reader), and judged against the same
hand annotation: a field must be read right or not read, never another value; and no error may
appear that the plain text does not give (``new_errors``).

**Planted defects** (``PLANTS``) edit one fact in real text where the annotation (or an exact
shape of the text) makes the edit certain; a report where the edit cannot be made reliably is
skipped, and so is one whose plain text already gives the code the plant should raise. Each kind
names the code that must then be reported.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from jixiao.audit import AuditReport, audit_bytes, audit_text
from jixiao.audit.corpus import noise
from jixiao.audit.corpus.real import RealCase, RealResult, judge_case

CJK = "\u4e00-\u9fff"

# ---------------------------------------------------------------- layout mutations


def _lines_as_paragraphs(text: str) -> list[noise.Paragraph]:
    return [noise.Paragraph("p", line) for line in text.split("\n")]


def _joined(doc: Sequence[noise.Paragraph]) -> str:
    return "\n".join(p.text for p in doc)


def hard_breaks(text: str, rng: random.Random, case: RealCase) -> str:
    """Lines of 40 characters and more broken every 30–40 characters (between two Chinese
    characters), as text copied out of a pdf; a table's row (cells apart by | or tabs) is no
    paragraph and stays whole."""
    doc = [
        noise.Paragraph("row" if ("|" in line or "\t" in line) else "p", line)
        for line in text.split("\n")
    ]
    return _joined(noise.line_breaks(doc, rng))


_FIGURE_UNIT = re.compile(r"(?<=\d)(?=(?:万元|亿元|元|%|％|个|人|名|项|次|年|月|日|天|分|户|家))")
_CJK_FIGURE = re.compile(rf"(?<=[{CJK}])(?=\d)")


def spaced_units(text: str, rng: random.Random, case: RealCase) -> str:
    """A space between a figure and its unit (38.45 万元, 95 %, 2025 年) and, now and then,
    between a word and the figure after it (支出 38.45)."""
    text = _FIGURE_UNIT.sub(lambda m: " " if rng.random() < 0.7 else "", text)
    return _CJK_FIGURE.sub(lambda m: " " if rng.random() < 0.4 else "", text)


def fullwidth_digits(text: str, rng: random.Random, case: RealCase) -> str:
    """About half the figures in full-width digits (２０２５年, ３８．４５)."""
    return _joined(noise.fullwidth_digits(_lines_as_paragraphs(text), rng))


_HALF_TO_FULL = {",": "，", ":": "：", "(": "（", ")": "）", ";": "；", "%": "％"}
_HALF_PUNCT = re.compile(r"[,:;()%]")


def mixed_punctuation(text: str, rng: random.Random, case: RealCase) -> str:
    """Full-width ，：（）％；〔〕 swapped at random for half-width and half-width for
    full-width; never a comma or colon between two digits (1,234.56 and 10:30 stay)."""
    text = _joined(noise.mixed_punctuation(_lines_as_paragraphs(text), rng))

    def widen(m: re.Match[str]) -> str:
        ch, at, whole = m.group(0), m.start(), m.string
        between_digits = (
            0 < at < len(whole) - 1 and whole[at - 1].isdigit() and whole[at + 1].isdigit()
        )
        if ch in ",:" and between_digits:
            return ch
        return _HALF_TO_FULL[ch] if rng.random() < 0.5 else ch

    return _HALF_PUNCT.sub(widen, text)


def _year_of(case: RealCase, text: str) -> int:
    year = case.fields.get("year")
    if isinstance(year, int):
        return year
    found = [int(y) for y in re.findall(r"(?<!\d)(20[0-3]\d)(?!\d)", text)]
    return max(found) - 1 if found else 2024


def portal_frame(text: str, rng: random.Random, case: RealCase) -> str:
    """A government portal's page around the text: breadcrumb, the title again, 发布日期 (in the
    year after the evaluated one), 来源, 浏览次数, 字号 大 中 小, 打印本页 / 关闭窗口, and a
    footer with the site's owner and its 备案号."""
    year = _year_of(case, text) + 1
    month, day = rng.randint(3, 11), rng.randint(1, 28)
    date = rng.choice(
        (
            f"{year}-{month:02d}-{day:02d}",
            f"{year}-{month:02d}-{day:02d} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}",
            f"{year}年{month:02d}月{day:02d}日",
        )
    )
    place = str(case.meta.get("place") or "")
    source = rng.choice(("本站", "办公室", f"{place}财政局" if place else "财政局"))
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    title = [first] if "报告" in first and len(first) < 60 and rng.random() < 0.6 else []
    crumb = rng.choice(
        (
            "首页 > 政务公开 > 财政信息 > 绩效评价",
            "当前位置：首页>信息公开>预决算公开",
            "您现在的位置：首页 > 通知公告",
        )
    )
    header = [
        crumb,
        *title,
        rng.choice(
            (
                f"发布日期：{date}  来源：{source}  浏览次数：{rng.randint(12, 3000)}",
                f"发布时间：{date} 来源：{source} 【字号：大 中 小】",
                f"来源：{source}    发布日期：{date}",
            )
        ),
        rng.choice(
            ("字号：[ 大 中 小 ]  打印本页  关闭窗口", "【字体：大 中 小】【打印本页】", "")
        ),
        "",
    ]
    footer = [
        "",
        rng.choice(("【打印本页】 【关闭窗口】", "打印本页 | 关闭窗口", "【打印】【关闭】")),
        "分享到：",
        f"主办：{place or '本级'}人民政府办公室   技术支持：信息中心",
        f"网站标识码：{rng.randint(1000000000, 9999999999)}   ICP备{rng.randint(10000000, 99999999)}号",
    ]
    return "\n".join(header) + "\n" + text.strip("\n") + "\n" + "\n".join(footer) + "\n"


def blank_lines(text: str, rng: random.Random, case: RealCase) -> str:
    """Blank lines doubled, and a blank line put after each line that ends a paragraph (。 or ：
    at its end), as a web page copies: a line broken inside a sentence stays joined to the next."""
    out = []
    for line in text.split("\n"):
        out.append(line)
        if not line.strip():
            out.append(line)
        elif line.rstrip().endswith(("。", "：", ":")):
            out.append("")
    return "\n".join(out)


def _identity(text: str, rng: random.Random, case: RealCase) -> str:
    return text


TextMutation = Callable[[str, random.Random, RealCase], str]


@dataclass(frozen=True)
class Layout:
    """A layout mutation: text edits (in order), then the line ends and the encoding of the file."""

    name: str
    label: str
    edits: tuple[TextMutation, ...]
    crlf: bool = False
    encoding: str = "utf-8"


LAYOUTS: tuple[Layout, ...] = (
    Layout("hard_breaks", "段内每 30–40 字硬换行", (hard_breaks,)),
    Layout("spaced_units", "数字与单位之间加空格", (spaced_units,)),
    Layout("fullwidth_digits", "全角数字", (fullwidth_digits,)),
    Layout("mixed_punctuation", "全角半角标点混用", (mixed_punctuation,)),
    Layout("portal_frame", "网页页眉页脚（发布日期、来源、字号、打印本页）", (portal_frame,)),
    Layout("blank_lines", "空行加倍，段末加空行", (blank_lines,)),
    Layout("crlf", "CRLF 换行", (_identity,), crlf=True),
    Layout("gb18030", "GB18030 编码", (_identity,), encoding="gb18030"),
    Layout(
        "all",
        "以上全部叠加",
        (mixed_punctuation, fullwidth_digits, spaced_units, hard_breaks, portal_frame, blank_lines),
        crlf=True,
        encoding="gb18030",
    ),
)


def mutated_bytes(case: RealCase, layout: Layout, seed: int) -> bytes:
    """The report's text under ``layout``, as the bytes of a .txt file (deterministic per seed,
    report and layout)."""
    rng = random.Random(f"{seed}:{case.name}:{layout.name}")
    text = case.text
    for edit in layout.edits:
        text = edit(text, rng, case)
    if layout.crlf:
        text = text.replace("\n", "\r\n")
    return text.encode(layout.encoding)


@dataclass(frozen=True)
class LayoutResult:
    case: RealCase
    layout: Layout
    result: RealResult
    new_errors: list[tuple[str, str]]  # (code, quote) of errors the plain text does not give
    new_warnings: list[str]  # codes of warnings the plain text does not give
    lost: frozenset[str]  # expected codes found on the plain text, missed on the mutated one


def _codes(report: AuditReport, severity: str) -> Counter[str]:
    return Counter(f.code for f in report.findings if f.severity == severity)


def run_layout(case: RealCase, plain: RealResult, layout: Layout, seed: int) -> LayoutResult:
    report = audit_bytes(mutated_bytes(case, layout, seed), f"{case.name}.txt")
    result = judge_case(case, report)
    plain_errors = _codes(plain.report, "error")
    extra = _codes(report, "error") - plain_errors
    new_errors = []
    for f in report.findings:
        if f.severity == "error" and extra[f.code] > 0:
            extra[f.code] -= 1
            new_errors.append((f.code, f.quote))
    new_warnings = sorted((_codes(report, "warning") - _codes(plain.report, "warning")).elements())
    return LayoutResult(case, layout, result, new_errors, new_warnings, plain.found - result.found)


# ---------------------------------------------------------------- planted defects


class CannotPlant(Exception):
    """The report has no place where this defect can be planted reliably."""


NUMBER = r"\d+(?:\.\d+)?"


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(str(text).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def _places(value: str) -> int:
    return len(value.split(".")[1]) if "." in value else 0


def _fmt(value: Decimal, places: int) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):.{places}f}"


def _field_dec(case: RealCase, path: str) -> Decimal | None:
    value = case.fields.get(path)
    if value is None or isinstance(value, bool | dict):
        return None
    return _dec(str(value))


def _rounds_to(stated: Decimal, places: int, ratio: Decimal) -> bool:
    half = Decimal(5).scaleb(-places - 1)
    return stated - half <= ratio < stated + half


_RATE_LABEL = re.compile(r"执行率|支出率|支付率|完成预算的")
# not the end of a range (10一100%, 90%-100%): a scoring rule's, not a stated rate
_PERCENT = re.compile(rf"(?<![\d.一\-~～至到])({NUMBER})(\s*[%％])")


def _stated_rates(text: str, stated: Decimal) -> list[re.Match[str]]:
    """Each first figure equal to ``stated`` and followed by % within 150 characters after a rate
    label (预算执行率为 97.5%; a table row 执行率 … 97.5%), no sentence end between."""
    found: dict[int, re.Match[str]] = {}
    for label in _RATE_LABEL.finditer(text):
        window_end = min(
            (i for i in (text.find(c, label.end()) for c in "。；;") if i >= 0),
            default=len(text),
        )
        window_end = min(window_end, label.end() + 150)
        for m in _PERCENT.finditer(text, label.end(), window_end):
            if _dec(m.group(1)) == stated:
                found.setdefault(m.start(), m)
                break
    return [found[k] for k in sorted(found)]


def plant_execution_rate(case: RealCase, rng: random.Random) -> str:
    """The stated execution rate (annotated, and equal to the annotated executed ÷ budget as
    rounded) moved outside its honest rounding interval, everywhere it is stated."""
    stated = _field_dec(case, "budget.stated_execution_rate")
    executed = _field_dec(case, "budget.executed")
    budgets = [
        b for b in (_field_dec(case, "budget.full_year"), _field_dec(case, "budget.initial")) if b
    ]
    if stated is None or executed is None or not budgets:
        raise CannotPlant("执行率或金额未标注")
    matches = _stated_rates(case.text, stated)
    if not matches:
        raise CannotPlant("正文中没有所标注的执行率")
    places = _places(matches[0].group(1))
    ratios = [executed / b * 100 for b in budgets]
    if not any(_rounds_to(stated, places, r) for r in ratios):
        raise CannotPlant("所标注的执行率与金额不符（原文已有误）")
    step = Decimal(rng.choice((1, 2, 3))) + (Decimal(rng.randint(1, 9)) / 10 if places else 0)
    up = stated + step <= 100 and (stated - step <= 0 or rng.random() < 0.5)
    new = stated + step if up else stated - step
    if new <= 0 or any(_rounds_to(new, places, r) for r in ratios):
        raise CannotPlant("改后的执行率仍在区间内")
    text = case.text
    for m in reversed(matches):
        text = text[: m.start(1)] + _fmt(new, places) + text[m.end(1) :]
    return text


_AMOUNT = re.compile(rf"({NUMBER})\s*(万元|元)")
_QIZHONG = re.compile(rf"({NUMBER})\s*(万元|元)[^\d。;；\n]{{0,6}}?其中")


def plant_sum(case: RealCase, rng: random.Random) -> str:
    """In a sentence "X 万元，其中 A 万元，B 万元…" whose parts add up to X exactly, one part
    changed so that they no longer do."""
    candidates = []
    for m in _QIZHONG.finditer(case.text):
        total, unit = _dec(m.group(1)), m.group(2)
        end = min(
            (i for i in (case.text.find(c, m.end()) for c in "。；;\n") if i >= 0),
            default=len(case.text),
        )
        clause = case.text[m.end() : end]
        parts = [
            (p, m.end() + p.start(1), m.end() + p.end(1))
            for p in _AMOUNT.finditer(clause)
            if p.group(2) == unit and "%" not in clause[max(0, p.start() - 3) : p.start()]
        ]
        values = [_dec(p.group(1)) for p, _, _ in parts]
        if total and len(parts) >= 2 and all(values) and sum(v for v in values if v) == total:
            candidates.append(parts)
    if not candidates:
        raise CannotPlant("没有“X万元，其中A万元、B万元”且分项相加等于合计的句子")
    parts = rng.choice(candidates)
    p, start, end = rng.choice(parts)
    places = _places(p.group(1))
    step = Decimal(rng.choice((3, 7, 12))) + (Decimal(rng.randint(11, 89)) / 100 if places else 0)
    new = _fmt(_dec(p.group(1)) + step, places)  # type: ignore[operator]
    return case.text[:start] + new + case.text[end:]


_NUMBERING_STYLES = (
    ("cn", re.compile(r"^\s*([一二三四五六七八九十]{1,2})、")),
    ("cn_paren", re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,2})[）)]")),
    ("digit", re.compile(r"^\s*(\d{1,2})[.．、](?!\d)")),
    ("digit_paren", re.compile(r"^\s*[（(](\d{1,2})[）)]")),
)
_CN = "一二三四五六七八九十"


def _cn_value(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN.index(text) + 1
    if text[0] == "十":
        return 10 + _CN.index(text[1]) + 1
    return (_CN.index(text[0]) + 1) * 10 + (
        _CN.index(text[1]) + 1 if len(text) > 1 and text[1] != "十" else 0
    )


def _cn_text(value: int, like: str) -> str:
    if like.isdigit():
        return str(value)
    if value <= 10:
        return _CN[value - 1]
    return "十" + _CN[value - 11] if value < 20 else str(value)


def _numbered_lines(text: str) -> list[tuple[int, int, int, int, str]]:
    """(style level, value, number start, number end, number as written) of every line that
    starts with a number."""
    found = []
    offset = 0
    for line in text.split("\n"):
        for level, (_, pattern) in enumerate(_NUMBERING_STYLES):
            m = pattern.match(line)
            if m:
                found.append(
                    (
                        level,
                        _cn_value(m.group(1)),
                        offset + m.start(1),
                        offset + m.end(1),
                        m.group(1),
                    )
                )
                break
        offset += len(line) + 1
    return found


def plant_numbering(case: RealCase, rng: random.Random) -> str:
    """Three numbered lines of one style numbered n, n+1, n+2 in a row (no line of a higher level
    between them): the second renumbered n (a repeat) or the third n+3 (a skip)."""
    lines = _numbered_lines(case.text)
    runs = []
    for i, (level, value, *_rest) in enumerate(lines):
        run = [i]
        for j in range(i + 1, len(lines)):
            other_level, other_value = lines[j][0], lines[j][1]
            if other_level < level:
                break
            if other_level == level:
                if other_value != value + len(run):
                    break
                run.append(j)
                if len(run) == 3:
                    break
        if len(run) == 3:
            runs.append(run)
    if not runs:
        raise CannotPlant("没有连续编号的三行")
    run = rng.choice(runs)
    if rng.random() < 0.5:
        _, value, start, end, like = lines[run[1]]
        new = _cn_text(value - 1, like)
    else:
        _, value, start, end, like = lines[run[2]]
        new = _cn_text(value + 1, like)
    return case.text[:start] + new + case.text[end:]


_COUNT_WORD = r"(\d{1,2}|[一二两三四五六七八九十]{1,2})"
_NAMED_COUNT = re.compile(
    rf"{_COUNT_WORD}(个|项|家|所|条)([{CJK}]{{0,6}})[,，]?(?:分别是|分别为|包括|即)[:：]?"
)
_FOLLOWING_COUNT = re.compile(
    rf"(?:以下|如下|下列){_COUNT_WORD}(?:个|项|点|条|大)?"
    r"(?:方面|问题|措施|内容|举措|亮点|特点|不足|原因|环节|阶段|部分|任务|目标|做法|经验|工作|建议)"
    r"[^。;；:：,，\n]{0,12}[:：]"
)


def _count_value(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    word = word.replace("两", "二")
    try:
        return _cn_value(word)
    except ValueError:
        return None


def _count_text(value: int, like: str) -> str:
    return str(value) if like.isdigit() else _cn_text(value, "一")


def plant_count(case: RealCase, rng: random.Random) -> str:
    """A stated count that agrees with the items listed made to differ: "共3个科室，分别是A、B、C"
    (names split by 、 to the clause end) or "主要有以下三个方面：" over three numbered lines or
    一是…二是…三是…."""
    text = case.text
    candidates: list[tuple[int, int, int, str]] = []  # (start, end, new count, like)
    for m in _NAMED_COUNT.finditer(text):
        stated = _count_value(m.group(1))
        end = re.compile(r"[。；;，,\n]").search(text, m.end())
        items = text[m.end() : end.start() if end else len(text)]
        names = [n for n in items.split("、") if n]
        if (
            stated is None
            or len(names) != stated
            or stated < 2
            or re.search(r"[\d()（）等和及与]", items)
            or any(len(n) > 20 for n in names)
        ):
            continue
        candidates.append(
            (m.start(1), m.end(1), stated - 1 if stated >= 3 else stated + 2, m.group(1))
        )
    lines = _numbered_lines(text)
    for m in _FOLLOWING_COUNT.finditer(text):
        stated = _count_value(m.group(1))
        rest = text[m.end() : m.end() + 2000]
        inline = re.findall(
            r"(?:^|[。；;：:，,])([一二三四五六七八九十])是", rest.split("\n")[0] or ""
        )
        listed = None
        if inline and inline[0] == "一":
            values = [_cn_value(v) for v in inline]
            listed = next((i for i in range(1, len(values)) if values[i] != i + 1), len(values))
        else:
            after = [ln for ln in lines if ln[2] > m.end()]
            if after and after[0][1] == 1:
                level, count = after[0][0], 0
                for ln in after:
                    if ln[0] < level:
                        break
                    if ln[0] == level:
                        if ln[1] != count + 1:
                            break
                        count += 1
                listed = count
        if stated is None or listed is None or listed != stated or stated < 2:
            continue
        candidates.append((m.start(1), m.end(1), stated + 1, m.group(1)))
    if not candidates:
        raise CannotPlant("没有与所列项数相符的“共N个…分别是”或“以下N个方面”")
    at, until, new, like = rng.choice(candidates)
    return text[:at] + _count_text(new, like) + text[until:]


_GRADE_NEAR = re.compile(
    r"(?:等级|等次|评定为|评价为|自评为|结果为)[为是:：\s]*(优秀|良好|合格|优|良|中|差)"
)


def plant_score(case: RealCase, rng: random.Random) -> str:
    """The annotated total score, stated with a grade word near it, changed to a score of another
    band (90 / 80 / 60): 优秀 → 75.5, any other grade → 95.5; every statement of the total."""
    total = _field_dec(case, "total_score")
    if total is None:
        raise CannotPlant("总分未标注")
    grade = case.fields.get("grade")
    grades = [g.group(1) for g in _GRADE_NEAR.finditer(case.text)]
    if isinstance(grade, str) and grade and grade in case.text:
        word = grade
    elif grades:
        word = grades[0]
    else:
        raise CannotPlant("正文中没有等级")
    if word.isascii():
        raise CannotPlant("字母等级")
    new = Decimal("75.5") if word.startswith("优") else Decimal("95.5")
    pattern = re.compile(
        rf"((?:得分|总分|评分|分数|自评分|计)[^\d。;；\n]{{0,12}}?)({NUMBER})(\s*分)"
    )
    hits = [m for m in pattern.finditer(case.text) if _dec(m.group(2)) == total]
    if not hits:
        raise CannotPlant("正文中没有所标注的总分")
    return pattern.sub(
        lambda m: (
            m.group(1) + format(new, "f") + m.group(3) if _dec(m.group(2)) == total else m.group(0)
        ),
        case.text,
    )


_DATE_FORMS = (
    "{y}\\s*年\\s*0?{m}\\s*月\\s*0?{d}\\s*日",
    "{y}\\s*[-./]\\s*0?{m}\\s*[-./]\\s*0?{d}(?!\\d)",
)


def plant_filled_on(case: RealCase, rng: random.Random) -> str:
    """The annotated 填报日期 given the evaluated year instead of a later one (the year not
    updated from a template): 2025-03-15 in a report on 2025."""
    filled, year = case.fields.get("filled_on"), case.fields.get("year")
    if filled is None or not hasattr(filled, "year") or not isinstance(year, int):
        raise CannotPlant("填报日期或年度未标注")
    if filled.year <= year or (filled.month, filled.day) == (12, 31):
        raise CannotPlant("填报日期不在评价年度之后")
    text = case.text
    for form in _DATE_FORMS:
        pattern = re.compile(form.format(y=filled.year, m=filled.month, d=filled.day))
        hits = list(pattern.finditer(text))
        if hits:
            for m in reversed(hits):
                text = text[: m.start()] + str(year) + text[m.start() + 4 :]
            return text
    raise CannotPlant("正文中找不到所标注的填报日期")


_AS_OF = re.compile(r"截[至止](?:到)?\s*(20\d\d)\s*年\s*(?:12\s*月\s*31\s*日|底|末|12\s*月底)")


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding text[start:end], without that span."""
    before = max(text.rfind(c, 0, start) for c in "。;；\n")
    after = min((i for i in (text.find(c, end) for c in "。;；\n") if i >= 0), default=len(text))
    return text[before + 1 : start] + text[end:after]


def plant_as_of(case: RealCase, rng: random.Random) -> str:
    """An "as of" date (截至 Y 年 12 月 31 日 / 年底) of the evaluated year set to the year
    before: one statement of it."""
    year = case.fields.get("year")
    if not isinstance(year, int):
        raise CannotPlant("年度未标注")
    text = case.text
    hits = [
        m
        for m in _AS_OF.finditer(text)
        if int(m.group(1)) == year
        # a sentence naming the year again (截至2023年底,收到2024年提前下达资金) is no sure defect
        and f"{year}年" not in _sentence_around(text, m.start(), m.end())
    ]
    if not hits:
        raise CannotPlant("没有评价年度的截至日期")
    m = rng.choice(hits)
    return case.text[: m.start(1)] + str(year - 1) + case.text[m.end(1) :]


_BUDGET_WORD = re.compile(r"预算|资金|支出|收入|决算|拨款|经费")
_MONEY_FIGURE = re.compile(r"\d\s*(?:万元|亿元|元)")
_BUDGET_HEADING = re.compile(
    r"(?:部门整体支出|项目资金|资金(?:使用|投入|管理|到位|执行)?情况|预算(?:执行|安排|收支|资金)?情况|"
    r"收支情况|支出情况|资金投入)"
)


def plant_budget_removed(case: RealCase, rng: random.Random) -> str:
    """The budget section (a numbered heading line naming 部门整体支出情况 / 项目资金情况 / 预算
    执行情况 …, up to the next heading of the same or a higher level) removed, where no annotated
    budget figure and no amount beside a budget word is left anywhere else in the text: the
    report then has no budget at all."""
    values = {
        v
        for v in (
            _field_dec(case, "budget.initial"),
            _field_dec(case, "budget.full_year"),
            _field_dec(case, "budget.executed"),
        )
        if v
    }
    if not values:
        raise CannotPlant("预算金额未标注")
    lines = case.text.split("\n")
    numbered = {}
    for index, line in enumerate(lines):
        for level, (_, pattern) in enumerate(_NUMBERING_STYLES):
            if pattern.match(line):
                numbered[index] = level
                break
    for index, level in numbered.items():
        if len(lines[index]) > 40 or not _BUDGET_HEADING.search(lines[index]):
            continue
        end = next((j for j in sorted(numbered) if j > index and numbered[j] <= level), len(lines))
        rest = "\n".join(lines[:index] + lines[end:])
        figures = {_dec(n) for n in re.findall(NUMBER, rest.replace(",", ""))}
        if end - index < 2 or any(v in figures or v * 10000 in figures for v in values):
            continue
        if any(
            _BUDGET_WORD.search(line) and _MONEY_FIGURE.search(line) for line in rest.split("\n")
        ):
            continue  # other budget figures stand elsewhere: the report still has a budget
        if len(rest) < len(case.text) / 3:
            continue
        return rest
    raise CannotPlant("没有可整节删除且删后不留预算金额的预算章节")


Plant = Callable[[RealCase, random.Random], str]


@dataclass(frozen=True)
class PlantKind:
    name: str
    label: str
    code: str
    plant: Plant


PLANTS: tuple[PlantKind, ...] = (
    PlantKind(
        "execution_rate", "执行率越出舍入区间", "execution_rate_mismatch", plant_execution_rate
    ),
    PlantKind("sum", "分项之和不等于合计", "sum_mismatch", plant_sum),
    PlantKind("budget_removed", "删去预算资金章节", "budget_missing", plant_budget_removed),
    PlantKind("filled_on", "填报日期写成评价年度", "filled_before_year_end", plant_filled_on),
    PlantKind("as_of", "截至日期写成上一年", "date_other_year", plant_as_of),
    PlantKind("numbering", "序号重复或跳号", "numbering_broken", plant_numbering),
    PlantKind("score", "总分改到另一等级区间", "grade_mismatch", plant_score),
    PlantKind("count", "所写数量与所列项数不符", "count_mismatch", plant_count),
)


@dataclass(frozen=True)
class PlantResult:
    case: RealCase
    kind: PlantKind
    status: str  # planted | skipped | already (the plain text already gives the code)
    found: bool = False
    reason: str = ""
    new_errors: list[tuple[str, str]] = field(default_factory=list)


def run_plant(case: RealCase, plain: RealResult, kind: PlantKind, seed: int) -> PlantResult:
    if any(f.code == kind.code for f in plain.report.findings):
        return PlantResult(case, kind, "already")
    rng = random.Random(f"{seed}:{case.name}:{kind.name}")
    try:
        text = kind.plant(case, rng)
    except CannotPlant as exc:
        return PlantResult(case, kind, "skipped", reason=str(exc))
    if text == case.text:
        raise AssertionError(f"{kind.name} 未改变 {case.name} 的文本")
    report = audit_text(text, source=case.name)
    found = any(f.code == kind.code for f in report.findings)
    extra = _codes(report, "error") - _codes(plain.report, "error")
    extra.pop(kind.code, None)
    new_errors = [
        (f.code, f.quote) for f in report.findings if f.severity == "error" and f.code in extra
    ]
    return PlantResult(case, kind, "planted", found, new_errors=new_errors)


# ---------------------------------------------------------------- running and printing


@dataclass
class MutationRun:
    layouts: list[LayoutResult]
    plants: list[PlantResult]


def run_mutated(
    cases: Sequence[RealCase],
    *,
    seed: int = 0,
    layouts: Sequence[Layout] = LAYOUTS,
    plants: Sequence[PlantKind] = PLANTS,
) -> MutationRun:
    layout_results: list[LayoutResult] = []
    plant_results: list[PlantResult] = []
    for case in cases:
        plain = judge_case(case, audit_text(case.text, source=case.name))
        for layout in layouts:
            layout_results.append(run_layout(case, plain, layout, seed))
        for kind in plants:
            plant_results.append(run_plant(case, plain, kind, seed))
    return MutationRun(layout_results, plant_results)


def layout_totals(results: Sequence[LayoutResult]) -> dict[str, int]:
    return {
        "right": sum(r.result.count("right") for r in results),
        "wrong": sum(r.result.count("wrong") for r in results),
        "not_read": sum(r.result.count("not_read") for r in results),
        "new_errors": sum(len(r.new_errors) for r in results),
        "new_warnings": sum(len(r.new_warnings) for r in results),
        "lost": sum(len(r.lost) for r in results),
    }


def plant_totals(results: Sequence[PlantResult]) -> dict[str, int]:
    planted = [r for r in results if r.status == "planted"]
    return {
        "planted": len(planted),
        "found": sum(1 for r in planted if r.found),
        "skipped": sum(1 for r in results if r.status == "skipped"),
        "already": sum(1 for r in results if r.status == "already"),
        "new_errors": sum(len(r.new_errors) for r in planted),
    }


def mutated_text(run: MutationRun, *, verbose: bool = False) -> str:
    lines = [
        "版式变动（事实不变）：每种变动下的字段 对 / 错 / 未读，新增错误、新增警告、丢失的检出"
    ]
    details: list[str] = []
    for layout in LAYOUTS:
        results = [r for r in run.layouts if r.layout.name == layout.name]
        if not results:
            continue
        t = layout_totals(results)
        lines.append(
            f"  {layout.name}（{layout.label}）：字段 对 {t['right']} / 错 {t['wrong']} / 未读 "
            f"{t['not_read']}；新增错误 {t['new_errors']}；新增警告 {t['new_warnings']}；"
            f"丢失检出 {t['lost']}"
        )
        for r in results:
            for f in r.result.fields:
                if f.verdict == "wrong":
                    details.append(
                        f"    [{layout.name}] {r.case.name} 读错 {f.path}：应为 {f.expected}，读出 {f.got}"
                    )
            for code, quote in r.new_errors:
                details.append(f"    [{layout.name}] {r.case.name} 新增错误 {code}：{quote[:60]}")
            if verbose:
                for code in r.new_warnings:
                    details.append(f"    [{layout.name}] {r.case.name} 新增警告 {code}")
                for code in sorted(r.lost):
                    details.append(f"    [{layout.name}] {r.case.name} 丢失检出 {code}")
    t = layout_totals(run.layouts)
    lines.append(
        f"  合计 {len(run.layouts)} 份变动稿：字段 对 {t['right']} / 错 {t['wrong']} / 未读 "
        f"{t['not_read']}；新增错误 {t['new_errors']}；新增警告 {t['new_warnings']}；丢失检出 {t['lost']}"
    )
    lines += details
    lines.append(
        "植入缺陷（真实正文上改一处事实）：每类 应报（植入）/ 报出，跳过（无处可植）与原文已报"
    )
    details = []
    for kind in PLANTS:
        planted = [r for r in run.plants if r.kind.name == kind.name]
        if not planted:
            continue
        t = plant_totals(planted)
        lines.append(
            f"  {kind.name}（{kind.label}，{kind.code}）：应报 {t['planted']} / 报出 {t['found']}；"
            f"跳过 {t['skipped']}，原文已报 {t['already']}；新增其他错误 {t['new_errors']}"
        )
        for one in planted:
            if verbose and one.status == "planted" and not one.found:
                details.append(f"    [{kind.name}] {one.case.name} 漏报 {kind.code}")
            for code, quote in one.new_errors:
                details.append(f"    [{kind.name}] {one.case.name} 另报错误 {code}：{quote[:60]}")
    t = plant_totals(run.plants)
    lines.append(
        f"  合计：应报 {t['planted']} / 报出 {t['found']}；跳过 {t['skipped']}，原文已报 {t['already']}"
    )
    lines += details
    return "\n".join(lines)


def plant_summary(run: MutationRun) -> dict[str, tuple[int, int]]:
    """Per kind: (planted, found)."""
    out = {}
    for kind in PLANTS:
        t = plant_totals([r for r in run.plants if r.kind.name == kind.name])
        out[kind.name] = (t["planted"], t["found"])
    return out
