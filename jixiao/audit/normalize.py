"""Normalise messy report text into logical paragraphs that remember their source lines.

- NFKC folds full-width digits, letters and punctuation to half-width (（ → (, ： → :, ％ → %);
  the 〔〕 of document numbers are kept.
- Spaces between Chinese characters, and between Chinese and digits, are removed (``优 秀``,
  ``2025 年``); space-grouped thousands (``18 969``) and comma thousands (``18,969``) are joined.
- Lines are joined into paragraphs unless a line ends a sentence, is a heading or a cover line, so
  words broken across lines or pages (``优\\n\\n秀``) come back together; bare page numbers
  (``- 3 -``, ``第 3 页``) and running headers/footers (a short line repeated 3+ times) are dropped.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE = r"[ \t\u00a0\u2000-\u200b\u3000]"
_CJK_SPACE = re.compile(rf"(?<=[{CJK}\d.%:,;()《》〔〕\[\]“”、。，；：]){_SPACE}+(?=[{CJK}])")
_SPACE_CJK = re.compile(rf"(?<=[{CJK}]){_SPACE}+(?=[\d(《〔\[“])")
_THOUSANDS_SPACE = re.compile(r"(?<![\d.])(\d{1,3})((?: \d{3})+)(?![\d.])")
# (?<!\d,): never start inside a group run ("1,234,567,8901" tried from every group, quadratic)
_THOUSANDS_COMMA = re.compile(r"(?<![\d.])(?<!\d,)(\d{1,3})((?:,\d{3})+)(?![\d,])(?=\.\d|[^\d,]|$)")
# four or more single digits (a letter-spaced 2 0 2 5); three single-digit table cells (7 5 2: 编制,
# 实有, 离退休) are not one number
# a figure in the cell after a spaced run, or in the cell before it (a row of figures: 100 100 95)
_FIGURE_AFTER = re.compile(r" [-+]?\d")
_FIGURE_BEFORE = re.compile(r"\d[%‰]? $")
_SPACED_DIGITS = re.compile(r"(?<![\d.])\d(?: \d){3,}(?![\d.])")
_DECIMAL_SPACE = re.compile(r"(?<=\d) *\. *(?=\d)")
_PERCENT_SPACE = re.compile(r"(?<=\d) +(?=%)")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d+\s*[-—–]|\d{1,3}|第\s*\d+\s*页(?:\s*[,/，]?\s*共\s*\d+\s*页)?)\s*$"
)

HEADING = re.compile(
    r"^(?:"
    r"(?P<l1>[一二三四五六七八九十]{1,3})\s*[、.．]"
    r"|[(（](?P<l2>[一二三四五六七八九十]{1,3})[)）]"
    r"|(?P<l3>\d{1,2})\s*(?:[、．]|\.(?!\d))"
    r"|[(（](?P<l4>\d{1,2})[)）]"
    r"|第(?P<l0>[一二三四五六七八九十]{1,3})部分"
    r")"
)
COVER_KEYS = re.compile(
    r"^(?:评价年度|评价单位|填报日期|项目名称|主管部门|实施单位|填报单位|单位名称"
    # a web page's publisher lines above the report
    r"|发布机构|发布单位|信息来源|来源[:：])"
)
_SENTENCE_END = re.compile(r"[。！？；：:;!?]\s*$")
# a part answered with a bare 无 / 暂无 on a line of its own: the answer is whole, and the next line
# (a signature, the next part) is no continuation of it — 无 + 中共某市委办公室 is no name
_BARE_ANSWER = re.compile(r"(?:无|暂无|没有|不涉及)[。.]?")


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "O": 0}
_CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})\s*年"
    r"(?:\s*([一二三四五六七八九十]{1,3})\s*月(?:\s*([一二三四五六七八九十]{1,3})\s*[日号])?)?"
)


def _cn_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十一 → 21 (months and days only)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _cn_date(m: re.Match[str]) -> str:
    """二〇二六年五月二十一日 → 2026年5月21日: dates on covers are often written in numerals."""
    result = "".join(str(_CN_DIGITS[c]) for c in m.group(1)) + "年"
    if m.group(2):
        result += f"{_cn_number(m.group(2))}月"
        if m.group(3):
            result += f"{_cn_number(m.group(3))}日"
    return result


_HAS_SPACE = re.compile(_SPACE)
_DIGIT_SPACE_CJK = re.compile(rf"(?<=\d){_SPACE}+(?=[{CJK}])")
# Every run of spaces is matched from its first space only ((?<!…) before it): a pattern that may
# start inside a run tries every one of its spaces, each scanning to the run's end, and a line of
# 20 000 spaces took 35 s.
_PUNCT_SPACE = re.compile(
    rf"(?<=[:;,，；：、。(（《]){_SPACE}+|(?<!{_SPACE}){_SPACE}+(?=[:;,，；：、。)）》%])"
)


_CN_PERCENT = re.compile(
    r"百分之([零〇一二两三四五六七八九十百千]+)(?:点([零〇一二三四五六七八九]+))?"
)
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cn_integer(text: str) -> int:
    """一百二十 → 120, 九十五 → 95, 一百零五 → 105, 十 → 10 (up to 9999)."""
    total, digit = 0, 0
    for char in text:
        if char in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            digit = 2 if char == "两" else _CN_DIGITS[char]
    return total + digit


def _cn_percent(m: re.Match[str]) -> str:
    """百分之九十五点五 → 95.5%: rates are sometimes written out in words."""
    decimals = "".join(str(_CN_DIGITS[c]) for c in m.group(2)) if m.group(2) else ""
    return f"{_cn_integer(m.group(1))}{'.' + decimals if decimals else ''}%"


# A portal's copy in traditional characters, with readings in brackets (項(xiàng)目支出績(jī)效):
# the readings go and the words the reader looks for become simplified again. The table is every
# traditional form (OpenCC's TSCharacters) of a character in the reader's vocabulary — the string
# literals of extract.py, sheet.py, checks.py and this module — so a label in a traditional copy
# (發放補助資金, 全年執行數, 下達) reads as its simplified words, not only the handful one report showed.
# Only forms outside GB2312 are folded, so simplified text, which never holds them, is unchanged
# (著, 乾 are simplified characters too and stay; 於 and 後, which GB2312 also lists, are no
# simplified report's spelling of 于 / 后). tests/test_normalize.py checks the table against the
# vocabulary; a new label character's traditional form goes in here with it.
_TRADITIONAL = str.maketrans(
    "亂佈佔來侷係個備傢僅價億優兌兒內兩冊別刪則劃動務勞匯區協卻卽參員問單噸噹嚮囌國圍園圖團執報場學宮"
    "實審寫將專對導屬崗嵗師幹庫廠廢廳張彆彔彙後從復態應戶捨掃換撥擊據擬敎數於旂昇時暫曉曏書會朮査條業"
    "榦構標機檢檯欄權歲決沒況減測準滙滯滿濟瀏為無營爲獄獨現環產産畝當發監確碼種稱筆箇節範簡簽籤糰約級"
    "細終組結統經綜綱網緊編緻縣總績繫繳續纍義聯職臨臺與舉舘菓萬蓋蔘薦蘇處號術衕衛裏補裡製複覈見規覽計"
    "訓記訪設註評詞話該認誤說説課調請論識議護讀負財貧責買費貼資質賬購車較載輛輯輸轉辦農迴這週進運過達"
    "適選鄉醫釦銜銷錄錯録錶鍵鎭鎮鏈長門閉開間閤閱閲闆關陞隊階際隱隻離電韆響頁頂頃項順須預頭題額類顯颱"
    "養餘館驗體髮鬚麪麫麵點黨齊齣𡻕",
    "乱布占来局系个备家仅价亿优兑儿内两册别删则划动务劳汇区协却即参员问单吨当向苏国围园图团执报场学宫"
    "实审写将专对导属岗岁师干库厂废厅张别录汇后从复态应户舍扫换拨击据拟教数于旗升时暂晓向书会术查条业"
    "干构标机检台栏权岁决没况减测准汇滞满济浏为无营为狱独现环产产亩当发监确码种称笔个节范简签签团约级"
    "细终组结统经综纲网紧编致县总绩系缴续累义联职临台与举馆果万盖参荐苏处号术同卫里补里制复核见规览计"
    "训记访设注评词话该认误说说课调请论识议护读负财贫责买费贴资质账购车较载辆辑输转办农回这周进运过达"
    "适选乡医扣衔销录错录表键镇镇链长门闭开间合阅阅板关升队阶际隐只离电千响页顶顷项顺须预头题额类显台"
    "养余馆验体发须面面面点党齐出岁",
)
_TRADITIONAL_CHARS = re.compile("[" + "".join(chr(c) for c in _TRADITIONAL) + "]")
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def folded_traditional(text: str) -> bool:
    """Whether the text is a copy in traditional characters that the reader folded (three or more
    of the table's characters: a lone 於 or 製 in a simplified report is no copy)."""
    return len(_TRADITIONAL_CHARS.findall(text, 0, 20000)) >= 3


_PINYIN_MARKS = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")


def fold_traditional(text: str) -> str:
    """A copy in traditional characters with the readings dropped and the table's characters
    simplified, line for line (a 自评表's header words: 實際完成值, 度量單位), nothing else changed."""
    return "\n".join(
        (_PINYIN.sub("", line) if _PINYIN_MARKS.search(line) else line).translate(_TRADITIONAL)
        for line in text.split("\n")
    )


def fold_name(name: str) -> str:
    """A name as the folded text spells it (豐都縣 → 豐都县): to compare a name given as written in
    a traditional copy with the reader's paragraphs."""
    return name.translate(_TRADITIONAL)


def as_written(raws: list[str], folded: str, *, docno: bool = False) -> str | None:
    """``folded`` (a name or number the reader read, NFKC'd, without spaces, traditional characters
    folded) as the source lines ``raws`` write it: the same characters before the fold, readings
    dropped (邵陽市疾病預防控制中心, not 邵陽市疾病预防控制中心). None where the lines do not hold it.
    ``docno``: a document number, whose year brackets the reader wrote as 〔〕 (示財發[2024]7號 is
    given as 示財發〔2024〕7號).

    The fold is one character for one, so a match in the folded lines is the written name at the
    same place."""
    if not folded:
        return None
    written = "".join(
        _SPACES.sub("", _PINYIN.sub("", text) if _PINYIN_MARKS.search(text) else text)
        for text in (unicodedata.normalize("NFKC", raw) for raw in raws)
    )
    if docno:
        written = written.translate(_DOCNO_BRACKETS)
    at = written.translate(_TRADITIONAL).find(folded)
    return None if at < 0 else written[at : at + len(folded)]


_DOCNO_BRACKETS = str.maketrans("[【(]】)", "〔〔〔〕〕〕")
_SPACES = re.compile(rf"{_SPACE}+")


def normalize_line(line: str) -> str:
    """One line, folded and de-spaced (no joining across lines)."""
    if not line or line.isspace():
        return ""  # half the lines of a report copied out of Word or a pdf are blank
    text = unicodedata.normalize("NFKC", line)
    if _PINYIN_MARKS.search(text):
        text = _PINYIN.sub("", text)
    if _TRADITIONAL_CHARS.search(text):
        text = text.translate(_TRADITIONAL)
    if "年" in text:
        text = _CN_DATE.sub(_cn_date, text)
    if "百分之" in text:
        text = _CN_PERCENT.sub(_cn_percent, text)
    text = text.replace("\t", " | ")
    # the space rules cost most of the time and do nothing on a line without spaces
    spaced = _HAS_SPACE.search(text) is not None
    if spaced and " " in text:
        text = _unspace_letters(text)
    if spaced:
        text = _SPACED_DIGITS.sub(lambda m: m.group(0).replace(" ", ""), text)
        text = _DECIMAL_SPACE.sub(".", text)
        text = _PERCENT_SPACE.sub("", text)
        text = _THOUSANDS_SPACE.sub(_join_thousands, text)
    if "," in text:
        text = _THOUSANDS_COMMA.sub(lambda m: m.group(1) + m.group(2).replace(",", ""), text)
    if spaced:
        for _ in range(2):
            text = _CJK_SPACE.sub("", text)
            text = _SPACE_CJK.sub("", text)
        text = _DIGIT_SPACE_CJK.sub("", text)
        text = _PUNCT_SPACE.sub("", text)
    return text.strip()


def _join_thousands(m: re.Match[str]) -> str:
    """18 969 → 18969; but 10 100% stays: two cells (a 分值 and a rate), no rate has thousands;
    and 100 100 95 stays: a table row out of a pdf (年初预算数, 全年预算数, 全年执行数 a cell each),
    where another figure follows or goes before the run."""
    if m.string.startswith("%", m.end()):
        return m.group(0)
    if _FIGURE_AFTER.match(m.string, m.end()) or _FIGURE_BEFORE.search(m.string, 0, m.start()):
        return m.group(0)
    return m.group(1) + m.group(2).replace(" ", "")


def _unspace_letters(text: str) -> str:
    """``编 制 人 数 4 6 人`` → ``编制人数46人``: a pdf that spaces every character out.

    Only a line (or a cell: two or more spaces separate cells) made mostly of single characters
    between single spaces; two single digits elsewhere (``4 6``) stay apart.
    """
    cells = re.split(r"( {2,})", text)
    changed = False
    for index in range(0, len(cells), 2):
        tokens = cells[index].split(" ")
        if len(tokens) >= 4 and sum(len(t) == 1 for t in tokens) >= 0.8 * len(tokens):
            cells[index] = "".join(tokens)
            changed = True
    return "".join(cells) if changed else text


def heading_level(text: str) -> int | None:
    """1 for 一、, 2 for (一), 3 for 1. / 1、, 4 for (1); 0 for 第一部分; None otherwise."""
    m = HEADING.match(text)
    if not m:
        return None
    for name, level in (("l0", 0), ("l1", 1), ("l2", 2), ("l3", 3), ("l4", 4)):
        if m.group(name):
            return level
    return None  # pragma: no cover


@dataclass
class Paragraph:
    """A logical paragraph: normalised text plus where each piece came from."""

    text: str
    pieces: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, source line)
    title: str = ""  # for headings: the heading's own words (before a space or punctuation)

    @property
    def line(self) -> int:
        return self.pieces[0][1] if self.pieces else 1

    def line_at(self, offset: int) -> int:
        # a binary search: a paragraph of a hostile file can have 100 000 pieces, and every
        # finding and target asks for its line (a scan per call made the audit quadratic)
        index = bisect.bisect_right(self.pieces, offset, key=lambda piece: piece[0])
        return self.pieces[index - 1][1] if index else self.line

    @property
    def heading(self) -> int | None:
        return heading_level(self.text)


def _is_heading_line(text: str) -> bool:
    level = heading_level(text)
    if level is None:
        return False
    body = HEADING.sub("", text, count=1)
    # a 《 or ( left open is a sentence cut by a line break (一、根据《关于做好2024年度… / 工作的通
    # 知》…): the paragraph goes on
    return (
        len(body) <= 30
        and not re.search(r"[。；;,，]", body)
        and body.count("《") <= body.count("》")
        and body.count("(") <= body.count(")")
    )


_BARE_NUMBER = re.compile(r"^\d{1,3}$")

# A web page's own controls and frame around a report (打印本页 / 关闭窗口 / 字号 大 中 小 / 分享到,
# a breadcrumb 首页 > …, 当前位置：…, the footer's 网站标识码 / ICP备 / 主办：… 技术支持): no part of
# the report. A line is dropped only when a control word is in it and nothing but controls, size
# words and brackets: a cell "中" alone (a grade) stays.
_CHROME_WORD = re.compile(r"打印本页|打印此页|关闭窗口|关闭本页|分享到|收藏本页|返回顶部|字号|字体")
_CHROME_REST = re.compile(
    r"打印本页|打印此页|关闭窗口|关闭本页|分享到|收藏本页|返回顶部|字体大小|字号|字体|打印|关闭|分享"
    r"|收藏|默认|[大中小]|[\s【】\[\]|:()/、·]"
)
_CHROME_LINE = re.compile(
    r"^(?:(?:当前位置|您现在的位置|您现在位置|您的位置|所在位置)[:]|首页\s*(?:>|»|/)"
    r"|网站标识码|[\u4e00-\u9fff]{0,2}ICP备|主办(?:单位)?[:][^。]*(?:承办|技术支持|网站标识码|ICP)"
    r"|版权所有)"
)
# a portal's name alone on its line above the page (开远市人民政府门户网站): the site's, not a
# title's first half — joined to the title it made the unit's name 开远市人民政府门户网站中国…
_PORTAL_NAME = re.compile(r"[\u4e00-\u9fff]{2,24}(?:门户网站|政府网站)")


def portal_chrome(line: str) -> bool:
    """Whether a (normalised) line is a web page's control or frame line, not the report's."""
    if _CHROME_LINE.match(line):
        return True
    if line.endswith(("门户网站", "政府网站")) and _PORTAL_NAME.fullmatch(line):
        return True
    return _CHROME_WORD.search(line) is not None and not _CHROME_REST.sub("", line)


def paragraphs(text: str, page_edges: set[int] | None = None) -> list[Paragraph]:
    """Logical paragraphs of ``text`` (1-based source line numbers); linear in the text size.

    ``page_edges``: the source lines at the top and bottom of each page (from the reader's
    pages), where a bare number is a page number. Elsewhere a bare number is kept, unless blank
    lines surround it: a table whose cells a pdf reader gives one per line (编制人数 / 46 / 实有人数
    / 41) must keep its figures.
    """
    result: list[Paragraph] = []
    chunks: list[list[str]] = []
    lengths: list[int] = []
    closed = True  # the current paragraph takes no more lines
    raws = text.split("\n")
    lines = [normalize_line(raw) for raw in raws]
    running = _running_lines(lines)
    for number, (raw, line) in enumerate(zip(raws, lines, strict=True), start=1):
        if not line or line in running:
            continue
        if portal_chrome(line):
            closed = True  # the page's frame stood between: what follows is no continuation
            continue
        if _PAGE_NUMBER.match(line) and (
            not _BARE_NUMBER.match(line) or _page_number_at(lines, number, page_edges)
        ):
            continue
        if closed or heading_level(line) is not None or COVER_KEYS.match(line) is not None:
            result.append(Paragraph(text="", pieces=[(0, number)], title=_title(raw, line)))
            chunks.append([line])
            lengths.append(len(line))
            closed = (
                _is_heading_line(line)
                or COVER_KEYS.match(line) is not None
                or (line.endswith("报告") and len(line) <= 40)
                or re.fullmatch(r"附件\s*\d*", line) is not None
            )
        else:
            previous = chunks[-1][-1].lstrip(" ")
            if _row_break(previous, line):
                joiner = " | "
            else:
                joiner = "" if _joins_tight(previous, line) else " "
            result[-1].pieces.append((lengths[-1] + len(joiner), number))
            chunks[-1].append(joiner + line)
            lengths[-1] += len(joiner) + len(line)
        closed = (
            closed
            or _SENTENCE_END.search(line) is not None
            or _BARE_ANSWER.fullmatch(line) is not None
        )
    for paragraph, parts in zip(result, chunks, strict=True):
        paragraph.text = "".join(parts)
    return result


_HEAD_LINES = 20  # a page's worth of lines at the top of the text


def _running_lines(lines: list[str]) -> set[str]:
    """Running page headers/footers: short lines repeated 3+ times, not headings or sentences —
    but not a line standing twice in a row among the text's first lines, all its copies there (a
    portal's page title over the report's own title and its copy: a title, not a header running
    through pages with their text between)."""
    counts: dict[str, int] = {}
    last: dict[str, int] = {}
    doubled: set[str] = set()
    previous = ""
    seen = 0
    for line in lines:
        if not line:
            continue
        seen += 1
        if 4 <= len(line) <= 60:
            counts[line] = counts.get(line, 0) + 1
            last[line] = seen
            if line == previous:
                doubled.add(line)
        previous = line
    return {
        line
        for line, count in counts.items()
        if count >= 3
        and not (line in doubled and last[line] <= _HEAD_LINES)
        and heading_level(line) is None
        and not _SENTENCE_END.search(line)
        and not re.search(r"[。,;]", line)
    }


def _title(raw: str, line: str) -> str:
    if heading_level(line) is None:
        return ""
    folded = unicodedata.normalize("NFKC", raw).strip()
    body = HEADING.sub("", folded, count=1).strip()
    first = re.split(r"\s{1,}|[。,，;；:：]", body)[0] if body else ""
    if len(first) < 2:
        first = re.split(r"[。,，;；:：]", HEADING.sub("", line, count=1))[0]
    return first[:30]


def _page_number_at(lines: list[str], number: int, page_edges: set[int] | None) -> bool:
    """A bare number on source line ``number`` (1-based) is a page number: at a page's edge, or
    alone between blank lines (the start and end of the text count as blank)."""
    if page_edges is not None and number in page_edges:
        return True
    before = lines[number - 2] if number >= 2 else ""
    after = lines[number] if number < len(lines) else ""
    if before or after:
        return False
    # between blank lines: a page number, unless it follows a short label (人员编制 / 21: a table
    # whose cells a portal wrote one per line with blank lines between)
    label = next((lines[i] for i in range(number - 2, max(-1, number - 6), -1) if lines[i]), "")
    return not _CELL_LABEL.fullmatch(label) or heading_level(label) is not None


_CELL_LABEL = re.compile(rf"[{CJK}()]{{2,12}}")

# A line this short ending in a figure is a table cell, not a line of prose the pdf wrapped: the
# figure on the next line is another cell (46 / 41), not the rest of the same number (18 / 969)
_CELL_LENGTH = 16
_FIGURE_CELL = re.compile(r"[-+]?[\d.,]+%?")


def is_row(line: str) -> bool:
    """A line of two or more cells with a separator between them (a line of one cell and its | is a
    cell, not a row)."""
    return _INNER_SEPARATOR.search(line.strip(" |")) is not None


_INNER_SEPARATOR = re.compile(r"[^\s|]\s*\|\s*[^\s|]")


def _row_break(left: str, right: str) -> bool:
    """A break between two rows of a table whose cells a page or a docx separates (离退休人数 / 20 |
    18 | 5): the rows' last and first cells stay apart, never one word (离退休人数20)."""
    return (is_row(left) or is_row(right)) and not left.endswith("|") and not right.startswith("|")


_TAIL_DECIMAL = re.compile(r"\d\.\d+$")
_HEAD_DECIMAL = re.compile(r"\d+\.\d")


def _joins_tight(left: str, right: str) -> bool:
    """No space when joining across a break between Chinese, digits or punctuation (新增证书18 /
    969人次 is one number); a space between Latin words, and after a short line that is a figure
    alone or before a figure alone (table cells a pdf gives one per line)."""
    a, b = left[-1], right[0]
    if a.isdigit() and b.isdigit() and _TAIL_DECIMAL.search(left) and _HEAD_DECIMAL.match(right):
        # 52.800000 / 52.800000: one run of digits never holds two decimal points — two cells
        return False
    if (a.isdigit() or a == "%") and len(left) < _CELL_LENGTH:
        # a short line that is nothing but a figure is a cell: apart from the next line (46 / 41,
        # 7 / 人员情况…); so is a short line ending in a figure when the next is a figure alone
        if _FIGURE_CELL.fullmatch(left):
            return False
        if b.isdigit() or b in "-.":
            return not _FIGURE_CELL.fullmatch(right.split(" ")[0])
        return True
    return not (a.isascii() and a.isalpha() and b.isascii() and b.isalpha())


def page_edges(pages: list[str] | None) -> set[int] | None:
    """The source lines of the first and last two non-blank lines of each page, for text that is
    ``"\\n".join(pages)``; None without pages (a bare number is then judged by blank lines)."""
    if not pages or len(pages) < 2:
        return None
    edges: set[int] = set()
    line = 1
    for page in pages:
        numbered = [(line + i, raw) for i, raw in enumerate(page.split("\n"))]
        filled = [n for n, raw in numbered if raw.strip()]
        edges.update(filled[:2] + filled[-2:])
        line += len(numbered)
    return edges


def page_map(pages: list[str] | None) -> dict[int, int]:
    """Source line → page number, for text that is ``"\\n".join(pages)``."""
    if not pages or len(pages) < 2:
        return {}
    mapping: dict[int, int] = {}
    line = 1
    for page_number, page in enumerate(pages, start=1):
        for _ in page.split("\n"):
            mapping[line] = page_number
            line += 1
    return mapping


def half_unit(text: str) -> Decimal:
    """Half a unit of the last place a figure is written with (92.9 → 0.05): the rounding interval
    a stated figure stands for."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Decimal(5) / Decimal(10) ** (decimals + 1)
