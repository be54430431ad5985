"""Extract a report's structure and claims (cover, notice, staffing, targets, budget, score, outline).

Works on the logical paragraphs of ``normalize.paragraphs``. Every value keeps the paragraph and
offset it was read from, so checks can quote it and give its line and page. What cannot be read is
listed in ``Document.missing`` (reported as ``not_found`` info findings), never guessed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from jixiao.audit.findings import Location

if TYPE_CHECKING:
    from jixiao.audit.sheet import Sheet
    from scoring.evaluation import SelfEvaluation
from jixiao.audit.gate import gate
from jixiao.audit.normalize import (
    Paragraph,
    as_written,
    fold_traditional,
    folded_traditional,
    is_row,
    normalize_line,
    page_edges,
    page_map,
    paragraphs,
)

# At most 15 digits before the point and 30 after, and never a part of a longer digit run: no
# report states a longer figure, and a hostile one (5 000 digits) made int() and Decimal raise.
NUM = r"(?<![\d.])\d{1,15}(?:\.\d{1,30})?(?!\d)"
AMOUNT_UNITS = {
    "元": Decimal("0.0001"),
    "万元": Decimal(1),
    "亿元": Decimal(10000),
    "万": Decimal(1),
    "亿": Decimal(10000),
}
# a bare 万 / 亿 ("支出38.45万，") is money only when no other unit follows (万人次 is a count)
_AMOUNT = rf"({NUM})\s*(万元|亿元|元|万(?![\u3400-\u9fff])|亿(?![\u3400-\u9fff]))"
COUNT_UNITS = "人次|人|个|家|项|次|场|件|户|名|期|批|所|本|册|套|台|篇|天|小时|平方米|公里|万元|%"
_COUNT = rf"({NUM})(万|亿)?({COUNT_UNITS})"
GRADE_WORDS = ("优秀", "良好", "中等", "较差", "合格", "不合格", "优", "良", "中", "差")


@dataclass
class Value:
    """An extracted value and where it was read."""

    value: Any
    quote: str
    para: Paragraph | None = None
    offset: int = 0

    def location(self, pages: dict[int, int]) -> Location:
        if self.para is None:
            return Location()
        line = self.para.line_at(self.offset)
        return Location(line=line, page=pages.get(line))


@dataclass
class TargetClaim:
    name: str
    unit: str
    actual: Decimal
    target: Decimal | None
    stated_percent: Decimal
    percent_text: str
    quote: str
    para: Paragraph
    offset: int
    explained: bool = False
    # read from an indicator grid (年度指标值 | 实际完成值 …); the percentage is computed there
    # unless the grid has a 完成率 column, and "explained" means the 偏差原因 cell is filled
    from_table: bool = False
    percent_stated: bool = True


@dataclass
class RateClaim:
    kind: str  # execution | adjustment
    percent: Decimal
    percent_text: str
    quote: str
    para: Paragraph
    offset: int
    table: bool = False  # read from a 自评表 funds row


@dataclass
class Section:
    level: int
    number: str
    title: str
    para: Paragraph


@dataclass
class Document:
    text: str
    paras: list[Paragraph]
    pages: dict[int, int]
    kind: str = "department"
    title: Value | None = None
    year: Value | None = None
    unit_name: Value | None = None
    project_name: Value | None = None
    filled_on: Value | None = None
    filled_on_invalid: Value | None = None
    filled_month: Value | None = None  # (year, month) when 填报日期 gives no day: 2026年5月
    notice: dict[str, Value] = field(default_factory=dict)
    notice_is_self_evaluation: bool = False  # the cited notice calls for this self-evaluation
    unit_type: Value | None = None
    supervisor: Value | None = None
    staff: dict[str, Value] = field(default_factory=dict)
    # a staff field stated with different figures (not read): each figure as written
    staff_conflicts: dict[str, list[Any]] = field(default_factory=dict)
    targets: list[TargetClaim] = field(default_factory=list)
    budget: dict[str, Value] = field(default_factory=dict)
    rates: list[RateClaim] = field(default_factory=list)
    total_score: Value | None = None
    grade: Value | None = None
    parts: list[tuple[str, Value, Decimal | None]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    # the paragraph each problem / improvement was read from (same order), for quotes and lines
    problem_paras: list[Paragraph] = field(default_factory=list)
    improvement_paras: list[Paragraph] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # fields the text states in ways that disagree (jixiao.audit.gate): not given, with the reason
    withheld: dict[str, str] = field(default_factory=dict)
    # what the gate reads again, kept from the rules: the title lines, where the report ends
    title_lines: list[tuple[Paragraph, int, str]] = field(default_factory=list)
    report_end: int = 0
    # two or more project sheets in the text (_several_sheets), judged on every paragraph
    several_sheets: bool = False
    ruleset: str = ""
    # the 自评表 the text carries (jixiao.audit.sheet): its rows' 分值 and 得分 for the checks
    sheet: Sheet | None = None
    # the report's paragraphs as normalised, a line each: a cheap first look for a rare shape
    joined: str = ""

    def location(self, para: Paragraph | None, offset: int = 0) -> Location:
        if para is None:
            return Location()
        line = para.line_at(offset)
        return Location(line=line, page=self.pages.get(line))

    def to_evaluation(self) -> SelfEvaluation | None:
        """The foundation data model, as far as the report states it (None if too little is read).

        Needs 评价年度, 评价单位, 年初预算数 and 全年执行数 (and 项目名称 for a project report). A
        full-year budget the report does not state is taken as the initial budget, and
        ``example_note`` says so.
        """
        from pydantic import ValidationError

        from scoring.evaluation import (
            Budget,
            BudgetRow,
            Notice,
            Project,
            SelfEvaluation,
            Target,
            UnitProfile,
        )

        needed = (
            None if "year" in self.withheld else self.year,
            self.unit_name,
            self.budget.get("initial"),
            self.budget.get("executed"),
        )
        if any(v is None for v in needed) or (self.kind == "project" and self.project_name is None):
            return None
        initial = self.budget["initial"].value
        full_year_value = self.budget.get("full_year")
        note = "" if full_year_value else "报告未写全年预算数（调整后），按年初预算数填入。"
        try:
            return SelfEvaluation(
                kind=self.kind,
                ruleset=self.ruleset or "gd-department",
                year=self.year.value,  # type: ignore[union-attr]
                filled_on=self.filled_on.value if self.filled_on else None,
                notice=Notice(title=self.notice["title"].value, number=self.notice["number"].value)
                if self.notice
                else None,
                unit=UnitProfile(
                    name=self.unit_name.value,  # type: ignore[union-attr]
                    unit_type=self.unit_type.value if self.unit_type else "",
                    supervisor=self.supervisor.value if self.supervisor else "",
                    **{k: v.value for k, v in self.staff.items()},
                ),
                project=Project(name=self.project_name.value) if self.project_name else None,
                targets=tuple(
                    Target(
                        code=f"T{i}",
                        name=t.name,
                        unit=t.unit,
                        target=t.target,
                        actual=t.actual,
                    )
                    for i, t in enumerate(self.targets, start=1)
                ),
                budget=Budget(
                    rows=(
                        BudgetRow(
                            source="年度资金总额",
                            initial=initial,
                            full_year=full_year_value.value if full_year_value else initial,
                            executed=self.budget["executed"].value,
                        ),
                    )
                ),
                problems=tuple(self.problems),
                improvements=tuple(self.improvements),
                example_note=note,
            )
        except ValidationError:
            return None

    def to_dict(self) -> dict[str, Any]:
        def plain(v: Value | None) -> Any:
            if v is None:
                return None
            return _jsonable(v.value)

        budget = {k: plain(self.budget.get(k)) for k in ("initial", "full_year", "executed")}
        for kind in ("execution", "adjustment"):
            claims = [r for r in self.rates if r.kind == kind]
            budget[f"stated_{kind}_rate"] = str(claims[0].percent) if claims else None
        if "stated_execution_rate" in self.withheld:
            budget["stated_execution_rate"] = None
        return {
            # (the checks still hold the report to the kind the rules chose)
            "kind": None if "kind" in self.withheld else self.kind,
            "title": plain(self.title),
            "year": None if "year" in self.withheld else plain(self.year),
            "unit_name": plain(self.unit_name),
            "project_name": plain(self.project_name),
            "filled_on": plain(self.filled_on),
            "filled_month": "{:04d}-{:02d}".format(*self.filled_month.value)
            if self.filled_month
            else None,
            "notice": {k: plain(self.notice.get(k)) for k in ("title", "number", "year")}
            if self.notice
            else None,
            "unit_type": plain(self.unit_type),
            "supervisor": plain(self.supervisor),
            **{k: plain(self.staff.get(k)) for k in STAFF_FIELDS},
            "targets": [
                {
                    "name": t.name,
                    "unit": t.unit,
                    "target": _jsonable(t.target),
                    "actual": _jsonable(t.actual),
                    "stated_percent": _jsonable(t.stated_percent),
                    "line": t.para.line_at(t.offset),
                }
                for t in self.targets
            ],
            "budget": budget,
            "total_score": plain(self.total_score),
            "grade": plain(self.grade),
            "parts": [{"name": n, "score": plain(v)} for n, v, _ in self.parts],
            "sections": [
                {"level": s.level, "number": s.number, "title": s.title, "line": s.para.line}
                for s in self.sections
            ],
            "problems": list(self.problems),
            "improvements": list(self.improvements),
            "ruleset": self.ruleset,
            "not_found": list(self.missing),
        }


STAFF_FIELDS = ("staffing_quota", "staff_actual", "retired", "temporary")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        # 332800.00 元 is 33.280000 万元 after scaling: shown as 33.28
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _first(
    doc: Document, pattern: str, group: int | str = 1
) -> tuple[re.Match[str], Paragraph] | None:
    regex = re.compile(pattern)
    for para in doc.paras:
        m = regex.search(para.text)
        if m and m.group(group) is not None:
            return m, para
    return None


def _first_rare(
    doc: Document, pattern: str, group: int | str = 1
) -> tuple[re.Match[str], Paragraph] | None:
    """``_first`` for a shape most reports lack: one search over the paragraphs joined (a line
    each, ^ and $ at their ends) before trying them one by one."""
    if not re.search("(?m)" + pattern, doc.joined):
        return None
    return _first(doc, pattern, group)


def _quote(para: Paragraph, start: int, end: int, pad: int = 0) -> str:
    return para.text[max(0, start - pad) : min(len(para.text), end + pad)]


# a text that ends in a figure on a line of prose or alone (a page's stored opening cut at 人员编制
# 1 of 156, 总分10 of 总分100100, 2017 -7 - 2 of a date): the figure may be the start of a longer one,
# so it is not read. A table row a docx or a page gives (cells by tabs or |) keeps its last cell.
_CUT_FIGURE = re.compile(r"(?<![\t|])[\d.,０-９．]+$")


def _without_cut_figure(text: str) -> str:
    last_line = text[text.rfind("\n") + 1 :]
    if "\t" in last_line or "|" in last_line:
        return text
    cut = _CUT_FIGURE.search(last_line)
    return text[: len(text) - len(last_line) + cut.start()] if cut else text


def extract(text: str, *, pages: list[str] | None = None) -> Document:
    # a text handed over as it was saved on Windows (CRLF) or an old Mac (CR): the file readers
    # fold these, a caller of audit_text may not
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _without_cut_figure(text)
    doc = Document(text=text, paras=paragraphs(text, page_edges(pages)), pages=page_map(pages))
    # the fields are read from the report itself, never from what a page prints after it (a
    # portal's footer, its 相关附件 list, the next report on the same page); the checks see all
    every = doc.paras
    doc.paras = every[: _report_end(every, text)]
    doc.report_end = len(doc.paras)
    doc.several_sheets = _several_sheets("\n".join(p.text for p in every))
    doc.joined = "\n".join(p.text for p in doc.paras)
    _cover(doc)
    _notice(doc)
    _unit(doc)
    _outline(doc)
    _targets(doc)
    _budget(doc)
    _score(doc)
    _problems(doc)
    _sheet(doc)
    doc.paras = every
    _drop_names_at_the_end(doc)
    _trim_page_words(doc)
    if folded_traditional(text):
        _names_as_written(doc)
    gate(doc)
    return doc


# a portal's metadata words a page flattened to one line runs into the title (时效性有效某局2024年度…,
# 文号浏览量主题词某镇…): never the start of a unit's name
_PAGE_WORDS = re.compile(
    r"^(?:(?:时效性|有效性|有效|失效|已废止|废止|主题词|关键词|关键字|文号|浏览量|浏览次数|点击数|访问量"
    r"|索引号|公开目录|公开方式|公开范围|公开时限|主动公开|体裁分类|主题分类|组配分类|发布日期|发布机构"
    r"|成文日期|信息来源|来源|字号|打印本页|打印|关闭窗口|关闭|分享到|分享)[:]?)+"
)


def _trim_page_words(doc: Document) -> None:
    value = doc.unit_name
    if value is None or not isinstance(value.value, str):
        return
    m = _PAGE_WORDS.match(value.value)
    if m is None:
        return
    rest = value.value[m.end() :]
    doc.unit_name = (
        Value(rest, value.quote, value.para, value.offset + m.end())
        if len(rest) >= 3 and not _PAGE_WORDS.match(rest)
        else None
    )


def _drop_names_at_the_end(doc: Document) -> None:
    """A name the text ends with may be cut there (a page's stored opening ends …县财政部 of 县财政部门,
    …滁州市人力资源和社 in a cell): it is not given. A name with anything after it, even a line
    break and a date, stands."""
    if not doc.paras:
        return
    last = doc.paras[-1]
    end = last.text.rstrip()
    for name in ("unit_name", "project_name", "supervisor"):
        value = getattr(doc, name)
        if value is None or value.para is not last or not isinstance(value.value, str):
            continue
        if end.endswith(value.value) and value.offset >= len(end) - len(value.value) - 2:
            setattr(doc, name, None)


def _names_as_written(doc: Document) -> None:
    """A copy in traditional characters is folded to simplified only for the words the reader needs
    (normalize._TRADITIONAL), so a name read from it is half converted (豐都县南天湖镇人民政府 for
    豐都縣南天湖鎮人民政府): neither the text's name nor a real one. Names and the notice's number are
    given as the text writes them, found again in the paragraph's own source lines; one that cannot
    be found there is not given. Figures, dates and the year are read as before."""
    lines = doc.text.split("\n")

    def written(value: Value | None, *, docno: bool = False) -> Value | None:
        if value is None or value.para is None or not isinstance(value.value, str):
            return None
        numbers = [line for _, line in value.para.pieces]
        text = as_written(lines[min(numbers) - 1 : max(numbers)], value.value, docno=docno)
        return None if text is None else Value(text, value.quote, value.para, value.offset)

    for name, label in (
        ("unit_name", "评价单位"),
        ("project_name", "项目名称"),
        ("supervisor", ""),
    ):
        value = getattr(doc, name)
        if value is None:
            continue
        setattr(doc, name, written(value))
        if getattr(doc, name) is None and label:
            doc.missing.append(f"{label}（繁体字副本，名称不能准确转写，未读）")
    if doc.notice:
        notice = {
            key: written(value, docno=key == "number")
            for key, value in doc.notice.items()
            if isinstance(value.value, str)
            and value.value  # a title may be absent, "" (某财绩〔…〕号要求)
        }
        if any(value is None for value in notice.values()):
            doc.notice = {}
            doc.notice_is_self_evaluation = False
            doc.missing.append("所依据的通知文号（繁体字副本，不能准确转写，未读）")
        else:
            doc.notice.update({k: v for k, v in notice.items() if v is not None})


# what a portal prints after an article: its attachments, print and close buttons, the links to the
# previous and next articles, the site's footer
_PAGE_AFTER = re.compile(
    r"(?:【|\[)?(?:相关附件|附件下载|相关链接|相关文章|相关阅读|打印本页|打印此页|关闭窗口|上一篇"
    r"|下一篇|上一条|下一条|扫一扫在手机|分享到|版权所有|主办单位|网站标识码|网站地图|ICP备)"
)
_SECOND_TITLE = re.compile(r"[^。,;]{2,60}(?:自评|评价)[^。,;]{0,10}报告(?:\([^()]{2,60}\))?")


def _report_end(paras: list[Paragraph], text: str) -> int:
    """The index of the first paragraph after the report: a portal's footer, or the title of a
    second report once this one has had its sections (two level-1 headings and ten paragraphs)."""
    footer = bool(_PAGE_AFTER.search(text))
    level_one = counted = 0  # level-1 headings among paras[:counted] (counted only when needed)
    for index in range(10, len(paras)):
        para = paras[index]
        if footer and _PAGE_AFTER.match(para.text):
            return index
        if "报告" in para.text and _SECOND_TITLE.fullmatch(para.text):
            level_one += sum(1 for p in paras[counted:index] if p.heading in (0, 1))
            counted = index
            if level_one >= 2:
                return index
    return len(paras)


# What a unit's name ends with (局, 中心, 委员会 …): a name read from a title, a 名称 cell, a seal
# line or a publisher line must end so, or it is not read
_UNIT_END = (
    r"(?:委员会|办公室|办事处|管理处|服务中心|中心|局|委|办|院|所|站|队|馆|处|厅|部|署|学校|学院"
    r"|大学|中学|小学|幼儿园|校|社|团|公司|政府|街道|镇|乡|医院|卫生院|集团|总工会|工会|联合会"
    r"|协会|学会|法院|检察院|监狱|台|场|园|库|会|科|室)"
)
# a second name in brackets belongs to the name: 中共某省委党校(某省行政学院)
_UNIT_NAME = (
    rf"[\u4e00-\u9fff][\u4e00-\u9fff()]{{1,39}}?{_UNIT_END}"
    rf"(?:\([\u4e00-\u9fff]{{2,20}}?{_UNIT_END}\))?"
)
# a name holds no report words: "…自评报告部门(单位)名称某中心" is a title and a label run together
_NOT_A_NAME = re.compile(
    r"报告|绩效|自评|名称|支出"
    # a unit's own section (某局资源管理科, 某局财务股): the budget unit is the 局, not its 科
    r"|(?:局|委员会|中心|院|馆)[\u4e00-\u9fff]{1,8}(?:科|股)$"
)
# the labels that may follow a value on the same cover line (cells run together)
_COVER_NEXT = (
    r"(?=主管部门|项目名称|评价年度|填报日期|联系人|联系电话|负责人|单位负责人|财务负责人|评价类型"
    r"|项目负责人|单位地址|项目资金|资金来源|年度资金|项目属性|预算编码|评价方式|评价机构"
    r"|报告日期|年初预算|全年预算|全年执行|年度资金总额|项目单位|实施单位|资金情况|\s*\||$"
    # (广东's 部门整体 cover: 部门名称 / 所属下级预算单位数量 / 填报人 / 联系电话 / 填报日期)
    r"|所属下级预算单位数量|填报人"
    # the funds block of a 部门整体支出绩效自评表: 预算部门、单位名称 某乡人民政府 年度预算申请(万元)
    r"|年度预算申请)"
)
_REPORT_KIND = r"[^。;,]{0,12}?(?:自评|评价)[^。;,]{0,10}?报告"
# "红河州数据发展中心2024年度项目支出绩效单位自评报告", "2023年度中共某县委办公室部门整体支出绩效
# 自评报告", "某局关于2023年度部门整体支出绩效自评情况的报告"
_TITLE_UNIT_FIRST = re.compile(
    rf"(?:^|[^\u4e00-\u9fff()])(?P<unit>{_UNIT_NAME})(?:关于)?(?P<year>\d{{4}})"
    # (the 年 left out before the funds: 某小学2021项目资金 绩效自评报告)
    r"(?:年度?|(?=项目|部门|专项|整体))"
    # (a form's title names its unit as a report's does: 某局2024年度某资金绩效评价表)
    r"[^。;]{0,40}?(?:自评|评价)[^。;]{0,10}(?:报告|表)"
)
# "某局部门整体支出绩效自评报告" without a year
_TITLE_UNIT_ONLY = re.compile(
    rf"(?:^|[^\u4e00-\u9fff()\d])(?P<unit>{_UNIT_NAME})(?:部门|单位)?(?:\((?:部门|单位)\))?"
    r"(?:整体|部门整体|单位整体)支出绩效(?:自评|评价)"
)
_TITLE_YEAR_FIRST = re.compile(
    rf"(?:^|[^\u4e00-\u9fff()])(?P<year>\d{{4}})年度?(?P<unit>{_UNIT_NAME})"
    r"(?:部门|单位)?(?:\((?:部门|单位)\))?(?:整体|单位整体|部门整体)(?:和项目)?支出" + _REPORT_KIND
)
_TITLE_YEAR = re.compile(
    r"(?<!\d)(\d{4})年度?(?=[^\d年]{0,40}(?:支出|绩效|自评|评价))"
    # 项目支出绩效自评表 (2022年度)
    r"|(?<=\()(\d{4})年度?(?=\))"
    # a portal that renders every 年 as "-": 岳阳县20 16 -度部门(单位)整体支出
    r"|(?<![\d.-])(\d\d ?\d\d) ?-度(?=[^\d]{0,40}(?:支出|绩效|自评|评价))"
    # the 年 left out after a unit's name: 某小学2021项目资金 绩效自评报告 (a year, right before the
    # funds or the department it evaluates; a figure before 亩 or 万元 is no year)
    r"|(?<=[\u4e00-\u9fff])((?:19|20)\d\d)(?=(?:项目|部门|专项|整体)[^\d]{0,40}(?:绩效|自评|评价))"
)
# the years a title names (digits a page spaced apart joined: 20 16)
_YEAR_IN_TITLE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# the evaluated year where no title or 评价年度 states it: a project run from January to December of
# one year (项目起止时间 2016年1月起至2016年12月止) … An OCR'd copy gives the month's 1 as I or l
# (2021年I月起): between 年 and 月 the letter can be nothing but the digit
_PROJECT_PERIOD = re.compile(
    r"(?:起止时间|实施期限?|实施周期|执行期限?|实施时间)[:|\s]*(\d{4})年[1Il]月(?:1日)?起?"
    r"(?:至|到|-|—|~)(\d{4})年12月(?:31日)?止?"
)
# … or the year whose spending the report gives (2022年支付3483万元, 2021年部门决算收支完成情况,
# 2018年本年支出…), when every such sentence names the same year
_SPENDING_YEAR = re.compile(
    r"(?<![\d.])(?<!至)(?<!止)(\d{4})年度?(?=(?:部门|单位)?(?:决算|本年支出|全年支出|实际支出|支出(?:合计|总额)?[:为]?\d"
    r"|收、支|收支总|(?:实际|已|已完成|完成)?支付|一般公共预算财政拨款支出)"
    # a sentence whose time is the year, its spending in the same sentence: "2017年,财政预算项目
    # 资金16万元,支付16万元" (never 截至2023年,累计支付…: a running total)
    r"|,[^。;]{0,30}?[,;](?:实际|已)?(?:支付|支出)(?:资金)?[:为]?\d)"
)
_UNIT_LINES = (
    # 单位名称：某局 / 部门名称 某局 (a cover table's cells run together) / 名称：某局 / 项目单位 某局
    (
        re.compile(
            r"(?:(?:预算单位|项目单位|申报单位|报送单位|实施单位|资金使用单位)(?:\d{3,12}-)?"
            r"|(?:部门|单位)?(?:\((?:部门|单位)\))?(?<![项目指标资金科目])名称"
            r"|(?:部门|单位)(?=:|\((?:公章|盖章|签章)\)))"
            # (a page's table: 部门(单位)名称 | 某镇人民政府 |)
            rf"(?:\((?:公章|盖章|签章)\))?(?:[:]|\s*\|\s*)?(?P<unit>{_UNIT_NAME})"
            r"(?:\((?:公章|盖章|签章)\))?" + _COVER_NEXT
        ),
        "",
    ),
    # a sheet's label pair and value pair: 实施单位/项目负责人 某中心/张三
    (
        re.compile(rf"(?:实施单位|项目单位)/(?:项目)?负责人[:\s|]*(?P<unit>{_UNIT_NAME})/"),
        "负责人",
    ),
    # 某局（公章） on a signature or cover line
    (
        re.compile(rf"(?:^|[^\u4e00-\u9fff()])(?P<unit>{_UNIT_NAME})\((?:公章|盖章|签章)\)"),
        "章",
    ),
)
# "现将2021年某局整体支出绩效自评情况报告如下"
_OPENING_UNIT = re.compile(
    rf"现将(?P<year>\d{{4}})年度?(?P<unit>{_UNIT_NAME})(?=[^。]{{0,40}}?(?:自评|评价))"
)
# a township's name runs on into a project's (现将2024年某县某镇某社区道路项目绩效…报告如下): the 镇
# there is the project's place, and the report's unit is not stated in that sentence (a 局 is no
# place: 现将2022年某县交通运输局财政衔接资金项目… names the unit and then its fund)
_PLACE_END = re.compile(r"(?:镇|乡|街道|苏木)$")
_NAME_GOES_ON = re.compile(
    r"(?!整体|部门|单位|机关|本级|年度|的|关于|绩效)[\u4e00-\u9fff]{2,40}?项目"
)
_PUBLISHER = re.compile(
    rf"(?:发布机构|发布单位|发布部门|发文机关|信息来源|来源)[:]?(?:\s*\|\s*)?(?P<unit>{_UNIT_NAME})"
    # (the page's own controls after it: 文字大小, 字号, 打印, 分享)
    r"(?=$|\s*\||发布|日期|时间|索引|文号|作者|浏览|点击|时效|公开|主题|成文|生成|分类"
    r"|文字|字号|字体|打印|分享)"
)
# the page's own lines naming the publisher (发布机构: 某镇 … 信息来源: 某镇): the name there again is the
# portal's, not the text's
_PUBLISHER_LABELLED = re.compile(
    r"(?:发布机构|发布单位|发布部门|发文机关|信息来源|来源|编辑)[:]?(?:\s*\|\s*)?\s*[^\s|:]{2,30}"
)
# a value after the label, not a list's next header cell (项目名称 | 预算数 | 执行数)
_COVER_PROJECT_LINE = re.compile(
    r"项目名称[\s:|]*(?!主管部门|实施单位|项目单位|预算单位|金额|预算|资金|年度|序号|执行)"
    r"[\u4e00-\u9fff\d]"
)
_COVER_UNIT_LINE = re.compile(r"(?:项目单位|实施单位)[\s:|]*[\u4e00-\u9fff]")


# a programme right before the title's 绩效 / 自评 (…民生工程绩效自评报告, …专项2023年度绩效自评报告)
_PROGRAMME_TITLE = re.compile(
    r"(?:工程|专项|计划|公益金|补助|补贴)(?:\d{4}年度?)?(?:绩效|自评|评价)"
)


def _transfer_or_project_cover(doc: Document) -> bool:
    """A text with no title naming its kind that is still a project's: a cover whose lines open
    with 项目名称 and 项目单位 (a 财政局's project cover), or the transfer template's first part
    (一、绩效目标分解下达情况) in a text that says 转移支付: funds passed down. The part alone,
    without the word, says no kind (funds analysed as a department's might be)."""
    if _project_cover(doc):
        return True
    head = "".join(p.text for p in doc.paras[:15])
    return "转移支付" in head and any(
        para.heading == 1 and "绩效目标分解下达" in para.text for para in doc.paras[:15]
    )


def _project_cover(doc: Document) -> bool:
    """Whether the cover's lines (before the first part) open with 项目名称 and a value, and with
    项目单位 / 实施单位 and a value: a project form whose title names no kind."""
    named = unit = False
    for para in doc.paras[:15]:
        if para.heading is not None and para.heading <= 1:
            break
        for start in _line_starts(para):
            named = named or bool(_COVER_PROJECT_LINE.match(para.text, start))
            unit = unit or bool(_COVER_UNIT_LINE.match(para.text, start))
    return named and unit


# a county's or city's name at the start of a unit's: 施甸县 in 施甸县林业和草原局
_PLACE_PREFIX = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:自治县|自治州|县|市|区|旗|州)")


def _cover(doc: Document) -> None:
    for para in doc.paras[:12]:
        if (
            "自评报告" in para.text
            or "评价报告" in para.text
            or re.search(r"绩效自评[^。]{0,6}报告", para.text)
        ):
            doc.title = Value(para.text[:60], para.text[:60], para)
            break
    lines = doc.title_lines = _title_lines(doc)
    head = "".join(p.text for p in doc.paras[:15])
    # a portal's menu cell "自评报告" names no kind: the first title line that does
    title_text = next(
        (t for _, _, t in lines if re.search(r"项目|整体|部门|支出|资金|经费|转移支付", t)), ""
    )
    if title_text and not re.search(r"项目|资金|经费|转移支付|整体|支出", title_text):
        # "部门评价报告": an evaluation a department organises (部门评价), of a project as often
        # as not — the parts under it tell (一、项目基本情况 / (一)项目概况)
        project = bool(_PROJECT_PARTS.search(head))
    elif title_text and not re.search(r"项目|资金|经费|转移支付|整体|部门", title_text):
        # "某县财政支出政策绩效评价报告" names no kind: a cover whose lines open with 项目名称 and
        # 项目单位 (or 实施单位) is a project's form; a department's list of projects (项目名称 |
        # 预算数 | …) has no 项目单位 line
        project = _project_cover(doc)
    elif title_text:
        # "部门整体支出及项目支出绩效评价报告" is the department's; "某局2024年度资金绩效自评
        # 报告" and "…中央对地方转移支付预算执行情况绩效自评报告" (funds passed down) a project's
        project = (
            bool(re.search(r"项目|资金|经费|转移支付", title_text)) and "整体" not in title_text
        )
    elif lines and _PROGRAMME_TITLE.search(lines[0][2]):
        # "2021年妇女儿童健康水平提升民生工程绩效自评报告": a programme (…工程 / 专项 / 计划 /
        # 公益金 / 补助) right before 绩效 or 自评 is a project's subject; a unit's name never ends so
        project = True
    else:
        project = (
            bool(_PROJECT_WORDS.search(head)) and "整体支出" not in head
        ) or _transfer_or_project_cover(doc)
    if project:
        doc.kind = "project"
    title_match = None
    for para, start, text in lines:
        m = _TITLE_UNIT_FIRST.search(text) or (
            (_TITLE_YEAR_FIRST.search(text) or _TITLE_UNIT_ONLY.search(text))
            if doc.kind == "department"
            else None
        )
        if m and m.group(0).endswith("表") and _SENTENCE_MARK.search(text, 0, m.end()):
            continue  # a form named in a sentence (…填写了某局2024年度绩效自评表) is no title
        if m and re.match(r"[我本该]", m.group("unit")):
            continue  # a sentence's subject (我单位协助撰写了某局2024年度…报告) is no unit's name
        if m and _PLACE.search(m.group("unit")[:12]) and not _NOT_A_NAME.search(m.group("unit")):
            title_match = (m, para, start)
            break
    found = _first(doc, r"评价年度[:]?(\d{4})年?")
    if found:
        m, para = found
        doc.year = Value(int(m.group(1)), m.group(0), para, m.start())
    else:
        for para, start, text in lines:
            # the year only in the title: "2024年度部门整体支出绩效自评报告"; a title with two
            # years (2022-2023年度) gives none
            title_year = _TITLE_YEAR.search(text)
            years = set(_YEAR_IN_TITLE.findall(re.sub(r"(?<=\d) (?=\d)", "", text)))
            if title_year and len(years) == 1:
                year_text = title_year.group(0)
                digits = next(g for g in title_year.groups() if g is not None)
                year = int(digits.replace(" ", ""))
                doc.year = Value(year, year_text, para, start + title_year.start())
                under = _year_under_title(doc, lines) if "度" not in year_text else None
                if under is not None and under.value != year:
                    # 某局2023年异地造林补助资金项目支出绩效自评报告 / (2024年度): the title's
                    # 2023年 names the funds, the line under it the year evaluated
                    doc.year = under
                break
    if doc.year is None:
        found = _first(doc, r"(?:现将|对)(\d{4})年度?[^。]{0,30}?(?:自评|绩效)") or _opening_year(
            doc
        )
        if found:
            m, para = found
            doc.year = Value(int(m.group(1)), m.group(0), para, m.start())
        else:
            doc.year = (
                _year_under_title(doc, lines)
                or _year_from_period(doc)
                or _year_from_spending(doc)
                or _year_said_of_itself(doc)
                or _year_of_transfer(doc)
            )
            if doc.year is None:
                doc.missing.append("评价年度")
    _unit_name(doc, title_match)
    doc.unit_name = _once(doc.unit_name)
    found = _first(doc, r"项目名称[:]([^,;。]{2,60}?)(?=主管部门|实施单位|评价年度|$)")
    if found is None:
        # a 自评表's cells run together: 项目名称 委托业务项目 主管部门 …
        # (a 衔接资金 sheet puts 项目负责人及电话 between the name and 主管部门)
        found = _first(
            doc,
            r"项目名称([^,;。:]{2,60}?)(?=主管部门|实施单位|项目单位|预算单位|项目负责人|联系人)",
        )
    if found is None:
        # a page's table, the name in its own cell: 项目名称 | 某某补助资金项目 |
        # (a transfer's form: 转移支付(项目)名称 | 就业补助资金 |)
        found = _first(
            doc,
            r"(?:项目|转移支付(?:\(项目\))?)名称\s*\|\s*(?!\s*"
            + _COLUMN_WORDS
            + r")([^|,;。:]{2,60}?)\s*\|",
        )
    if found is None:
        # a cover a label and its value a line, the next line the next label: 项目名称 某专项资金 /
        # 项目单位 某局 (the name ends with its line)
        found = _cover_project_line(doc)
    if found:
        m, para = found
        name = m.group(1).strip(" |\t")
        if para.text.startswith("项目负责人", m.end()) and m.group(1)[-1:] not in {" ", "|", "\t"}:
            # 安装项目负责人及电话 run together: whether 项目 ends the name or starts the label
            # (项目负责人 / 负责人) cannot be told
            name = ""
        # the title above the cell, in its paragraph or (a line break put the cell on a line of
        # its own: 项目名称 opens a cover line) in the two before it
        index = next(i for i, p in enumerate(doc.paras) if p is para)
        above = "".join(p.text for p in doc.paras[max(0, index - 2) : index])
        if name and _other_project_titled(above + para.text[: m.start()], name):
            name = ""
        if name and doc.several_sheets:
            name = ""
        doc.project_name = Value(name, m.group(0), para, m.start()) if name else None
    elif doc.kind == "project":
        _project_from_title(doc, lines)
        if doc.project_name is None:
            doc.project_name = _project_cell(doc)
        if doc.project_name is None:
            split = _title_split(doc, lines)
            if split is not None:
                doc.project_name = split[1]
        if doc.project_name is None:
            doc.project_name = _project_after_title_year(
                lines, essays=bool(_ESSAY_SITE.search(doc.joined[:2000]))
            )
        if doc.project_name is None:
            doc.project_name = _project_in_opening(doc)
    found = _first_label(
        doc,
        _FILLED_LABEL
        + r"(?:(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})日?"
        # 报告日期:20220615, digits only
        + r"|(\d{4})(\d{2})(\d{2})(?!\d))",
    )
    if found:
        m, para = found
        ymd = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.groups()[3:]
        try:
            date = dt.date(*(int(part) for part in ymd))
        except ValueError:
            doc.filled_on_invalid = Value(m.group(0), m.group(0), para, m.start())
        else:
            doc.filled_on = Value(date, m.group(0), para, m.start())
        return
    closing = _closing_date(doc)
    if closing is not None and not _first_label(doc, _FILLED_LABEL):
        doc.filled_on = closing
        return
    cover = _cover_date(doc)
    if cover is not None and not _first_label(doc, _FILLED_LABEL):
        doc.filled_on = cover
        return
    found = _first_label(doc, _FILLED_LABEL + r"(\d{4})\s*(?:年|-|/|\.)?\s*(\d{1,2})\s*月?(?!\d)")
    if found and 1 <= int(found[0].group(2)) <= 12:
        m, para = found
        doc.filled_month = Value((int(m.group(1)), int(m.group(2))), m.group(0), para, m.start())
        doc.missing.append("填报日期的日（只写到月）")
    else:
        doc.missing.append("填报日期")


_YEAR_LINE = re.compile(r"\(?(\d{4})年度?\)?")


def _year_under_title(doc: Document, lines: list[tuple[Paragraph, int, str]]) -> Value | None:
    """The year alone on the line under a title: 项目支出绩效自评表 / (2019年度)."""
    for para, start, text in lines:
        later = [piece_start for piece_start, _ in para.pieces if piece_start > start]
        if later:
            stop = next((p for p in later if p > later[0]), len(para.text))
            line, offset, where = para.text[later[0] : stop], later[0], para
        else:
            index = doc.paras.index(para)
            if index + 1 == len(doc.paras):
                continue
            where = doc.paras[index + 1]
            line, offset = (
                where.text[: where.pieces[1][0]] if len(where.pieces) > 1 else where.text,
                0,
            )
        # (a page's table: the year's cell with the row's empty cells after it, (2024年度) | |||)
        m = _YEAR_LINE.fullmatch(line.strip(" \t|"))
        if m and start + len(text) <= offset + 200:
            return Value(int(m.group(1)), line, where, offset)
    return None


# the year the opening says it evaluated: "对我局2020年度部门整体支出进行绩效评价。现将自评情况报告如下",
# "开展了2021年度部门整体支出绩效自评…工作。现将…"
_OPENING_YEAR = re.compile(
    r"(?:对(?:我|本)[\u4e00-\u9fff]{1,3}?|开展了?)(\d{4})年度[^。]{0,30}?(?:自评|绩效评价)"
)


def _opening_year(doc: Document) -> tuple[re.Match[str], Paragraph] | None:
    """The year of the self-evaluation the opening paragraph (…现将…报告如下) says was done, when
    every such phrase in it names the same year."""
    for para in doc.paras[:20]:
        if "现将" not in para.text or "报告如下" not in para.text:
            continue
        found = list(_OPENING_YEAR.finditer(para.text))
        if found and len({m.group(1) for m in found}) == 1:
            return found[0], para
        return None
    return None


def _year_from_period(doc: Document) -> Value | None:
    """The year of a project run from January to December of one year (项目起止时间), or whose
    period cell is that year alone (项目起止时间 | 2020年度 |)."""
    found = _first_rare(doc, _PROJECT_PERIOD.pattern)
    if found is None:
        found = _first_rare(doc, _PERIOD_YEAR.pattern)
        if found is None:
            return None
        m, para = found
        return Value(int(m.group(1)), m.group(0), para, m.start())
    if found[0].group(1) != found[0].group(2):
        return None
    m, para = found
    return Value(int(m.group(1)), m.group(0), para, m.start())


# a period cell that is one year and nothing else (项目起止时间 | 2020年度 |): not 2020年度起, not a
# range (2020年度-2022年度), not a date (2020年3月)
_PERIOD_YEAR = re.compile(
    r"(?:起止时间|实施期限?|实施周期|执行期限?|实施时间)[:|\s]*(\d{4})年度?(?=\s*(?:\||$))"
)


# funds carried from one year into the next (2024年结转2023年…资金, 结转至2024年): the later
# year is a year the report spends in too, so its earlier year's spending is not the only one
_CARRIED_INTO = re.compile(r"(?<![\d.])(\d{4})年度?结转\d{4}年|结转(?:至|到)(\d{4})年")


def _carried_into_years(doc: Document) -> set[str]:
    if "结转" not in doc.joined:
        return set()
    return {m.group(1) or m.group(2) for m in _CARRIED_INTO.finditer(doc.joined)}


def _year_from_spending(doc: Document) -> Value | None:
    """The year the report's spending sentences name, when they all name one."""
    first: Value | None = None
    years = _carried_into_years(doc)
    for para in doc.paras:
        for m in _SPENDING_YEAR.finditer(para.text):
            years.add(m.group(1))
            if first is None:
                first = Value(int(m.group(1)), para.text[m.start() : m.end() + 20], para, m.start())
    return first if len(years) == 1 else None


# the report speaking of its own year: 我校2022年项目为一个, 我局承担(的)临城县2021年度…项目 — never
# a date (我局2023年3月…) or a plan (将作为我校2022年…经费使用, 我局拟于2024年…)
_SELF_YEAR = re.compile(
    r"[我本](?:局|校|中心|院|单位|镇|乡|委|办|馆|站|部门)(?:承担的?[^。,;:]{0,14}?)?"
    r"(\d{4})年度?(?!\d|[元正一二三四五六七八九十]月)"
)
# a year in the sentence, not a date's (2022年12月) nor a number's part
_SENTENCE_YEAR = re.compile(r"(?<!\d)(\d{4})年度?(?!\d|[元正一二三四五六七八九十]月)")
_PLANNED = re.compile(r"(?:将|拟|计划|预计|下一步|明年)[^。,;]{0,12}$")


def _year_said_of_itself(doc: Document) -> Value | None:
    """The year a report without a stated one says of itself (我校2022年…), when every such
    sentence says the same year: a report on 2021 that names 我校2022年 for a plan says two."""
    first: Value | None = None
    years = set()
    for para in doc.paras:
        if "我" not in para.text and "本" not in para.text:
            continue
        for m in _SELF_YEAR.finditer(para.text):
            if _PLANNED.search(para.text, max(0, m.start() - 12), m.start()):
                continue
            # the sentence's other years count too: 对我局2020年度…,开展了2019年度项目… says two
            begin = para.text.rfind("。", 0, m.start()) + 1
            end = para.text.find("。", m.end())
            sentence = para.text[begin : end if end >= 0 else len(para.text)]
            years.update(_SENTENCE_YEAR.findall(sentence))
            if first is None:
                first = Value(int(m.group(1)), m.group(0), para, m.start(1))
    return first if len(years) == 1 else None


def _cover_project_line(doc: Document) -> tuple[re.Match[str], Paragraph] | None:
    for para, following in itertools.pairwise(doc.paras[:15]):
        m = re.fullmatch(r"项目名称[:\s]*(?!" + _COLUMN_WORDS + r")([^,;。:|]{2,60})", para.text)
        if m and _COVER_LABEL_START.match(following.text):
            return m, para
    # the label, its value and the next label each a paragraph of its own (a form one cell a
    # line, blank lines between): 项目名称 / “三支一扶”省级财政补助资金 / 主管部门
    for label, value, after in zip(doc.paras[:60], doc.paras[1:60], doc.paras[2:60], strict=False):
        if label.text != "项目名称" or not _COVER_LABEL_START.match(after.text):
            continue
        if len(value.pieces) > 1:
            continue  # a cell is one line; lines run together are no cell
        m = re.fullmatch(r"(?!" + _COLUMN_WORDS + r")([^,;。:|]{2,60})", value.text)
        if m:
            return m, value
    return None


def _first_label(doc: Document, pattern: str) -> tuple[re.Match[str], Paragraph] | None:
    """The first date label that is one: a title ending in 报告 over a portal's 日期: line (…绩效自评
    报告 / 日期:2022-04-15, joined into one paragraph) spells 报告日期 across two lines, and that
    date is the page's, not the report's."""
    regex = re.compile(pattern)
    for para in doc.paras:
        for m in regex.finditer(para.text):
            split = m.group(0).startswith("报告日期") and m.start() + 2 in _line_starts(para)
            if not split:
                return m, para
    return None


# the cover's date: 填报日期, or 报告日期 / 报告期: on covers that print the report's date instead
# (绩效)自评日期 dates the self-evaluation itself, as 填报日期 does
# a list's header cells, not a value: 项目名称 | 主管部门 | 实施单位 | 金额
_COLUMN_WORDS = r"(?:主管部门|实施单位|项目单位|预算单位|申报单位|项目负责人|项目类别|项目属性|金额|资金|预算|年度|序号)"
_FILLED_LABEL = r"(?:填报日期|报告日期|(?:绩效)?自评日期|报告期(?=:))[:]?"


# a cover table with a cell per line: "项目名称 低保专项" over "项目单位 某局"
_COVER_LABEL_START = re.compile(r"(?:项目单位|实施单位|主管部门|预算单位|项目负责人|申报单位)")


# a sheet's or report's title naming its project: "马铃薯种薯繁育示范推广项目绩效目标自评表"
_TITLED_PROJECT = re.compile(r"([\u4e00-\u9fff()]{4,40}?项目)绩效(?:目标)?自评(?:表|报告)")


def _other_project_titled(before: str, name: str) -> bool:
    """Whether the title above a 项目名称 cell names a project the cell's name shares no two
    characters with: the two disagree (an OCR'd cell, 碟令薯樽轴示施项目, under 马铃薯…推广项目), and
    a wrong name is worse than none."""
    titled = _TITLED_PROJECT.search(before)
    # a form's title naming a kind of project (2021年度财政项目绩效自评表) names none
    if titled is None or _GENERIC_PROJECT.fullmatch(
        re.sub(r"^(?:年度|度)", "", titled.group(1)).removesuffix("项目")
    ):
        return False
    title, core = titled.group(1), name.removesuffix("项目")
    return not any(core[i : i + 2] in title for i in range(len(core) - 1))


def _project_cell(doc: Document) -> Value | None:
    """项目名称 and its value as a line of their own (or the label alone and the value on the next
    line), the line after it another cover label."""
    paras = doc.paras[:40]
    for index, para in enumerate(paras):
        m = re.fullmatch(r"项目名称[\s|]*([\u4e00-\u9fff()、]{2,40}?)[\s|]*", para.text)
        value_para = para
        if m is None and re.fullmatch(r"项目名称[\s|:]*", para.text) and index + 2 < len(paras):
            value_para = paras[index + 1]
            m = re.fullmatch(r"[\s|]*([\u4e00-\u9fff()、]{2,40}?)[\s|]*", value_para.text)
            index += 1
        if m is None or index + 1 >= len(paras):
            continue
        if _COVER_LABEL_START.match(paras[index + 1].text):
            return Value(m.group(1), m.group(0), value_para, m.start(1))
        return None
    return None


# a project report's title naming no unit apart: [unit] project [项目] 2023年度绩效自评报告
_PROJECT_TITLE = re.compile(
    r"(?P<x>[\u4e00-\u9fff()]{4,60}?)(?P<xm>项目)?(?:\d{4})年度?(?:项目)?(?:支出)?"
    r"绩效(?:自评|评价)报告"
)


def _title_split(
    doc: Document, lines: list[tuple[Paragraph, int, str]]
) -> tuple[Value | None, Value] | None:
    """(unit, project) from a project report's title that runs them together
    (某州第二人民医院某某补助资金2023年度绩效自评报告): the unit is the longest opening that ends as
    names do and names a place, and the rest counts as the project only when the text names it
    again without that unit. With no such opening (湖北省某某补助资金(省对下转移支付)项目2018年度
    绩效自评报告) the whole is the project only when the text evaluates it by that name
    (对…进行绩效自评) and no opening of it could be a unit's name. Else nothing."""
    for para, start, text in lines:
        m = _PROJECT_TITLE.fullmatch(text)
        if m is None:
            continue
        x = m.group("x")
        if m.group("xm") and not x.endswith(")"):
            x += "项目"
        offset = start + m.start("x")
        others = [p for p in doc.paras if p is not para]
        unit_like = False
        for cut in range(len(x) - 4, 1, -1):
            unit, project = x[:cut], x[cut:]
            if not re.fullmatch(_UNIT_NAME, unit):
                continue
            unit_like = True
            if not _PLACE.search(unit[:12]) or _NOT_A_NAME.search(unit):
                continue
            again = any(
                p.text[max(0, i - len(unit)) : i] != unit
                for p in others
                for i in _occurrences(p.text, project)
            )
            if again:
                return (
                    Value(unit, text, para, offset),
                    Value(project, text, para, offset + cut),
                )
        if unit_like:
            return None
        evaluated = re.compile(re.escape(x) + r"(?:项目)?(?:进行|开展)[^。]{0,10}?(?:自评|评价)")
        if any(
            p.text[max(0, i - 1) : i] == "对" for p in others for i in _found(evaluated, p.text)
        ):
            return None, Value(x, text, para, offset)
        return None
    return None


def _occurrences(text: str, part: str) -> list[int]:
    found: list[int] = []
    index = text.find(part)
    while index >= 0 and len(found) < 50:
        found.append(index)
        index = text.find(part, index + 1)
    return found


def _found(regex: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in regex.finditer(text)]


# 某县2023年度国家基本公共卫生服务项目绩效评价自评报告: a place's report on one project, the project
# named between the year and the kind (a name of its own; in …资金项目支出绩效评价报告 the 项目
# is the kind's, 项目支出)
_TITLE_YEAR_PROJECT = re.compile(
    r"\d{4}年度?(?P<name>(?!项目)[\u4e00-\u9fff“”]{2,40}?)项目(?P<kind>支出)?"
    r"绩效(?:评价)?(?:自评)?(?:评价)?(?P<form>报告|表)$"
)


# a fund named between the title's year and its kind: "某县2021年农村饮水工程维修养护工程水利发展资金
# 绩效自评报告" (never a generic one: 2022年度财政专项资金绩效自评报告 names no project)
_TITLE_YEAR_FUND = re.compile(
    # (…资金绩效评价工作自评报告: the evaluation's 工作 between)
    # (a short bracket inside the name: 一村(社区)一法律顾问经费)
    r"\d{4}年度?(?P<name>(?:[\u4e00-\u9fff]|\([\u4e00-\u9fff]{1,6}\)){4,40}?(?:资金|经费"
    # a programme named so (…健康水平提升民生工程, 三支一扶计划, 福彩公益金, …专项): a project's
    # subject as a fund is (the title that makes a project's report, _PROGRAMME_TITLE)
    # (…资金绩效的自评报告: a 的 before the kind)
    r"|工程|计划|公益金|专项))绩效(?:评价)?(?:工作)?(?:的)?(?:自评)?(?:评价)?报告$"
)
_GENERIC_FUND = re.compile(
    r"(?:财政|预算|专项|项目|部门|整体|单位|本级|市级|县级|省级|中央|工作|补助|转移支付)+(?:资金|经费)"
)
# in a project report's opening: "现将2024年某县某镇某社区产业设施配套项目绩效目标自评报告如下" — the
# project, when no office's name runs into it (现将2022年某县交通运输局…资金项目: unit and fund together)
_OPENING_PROJECT = re.compile(
    r"现将\d{4}年度?(?P<name>[\u4e00-\u9fff]{4,60}?项目)(?:支出)?绩效(?:目标)?(?:自评|评价)"
)
_OFFICE_WORD = re.compile(r"局|委员会|办公室|中心|政府|学校|医院|馆|公司")
# a title that is the project alone, no year and no unit: "关心下一代专项资金项目自评报告"
_TITLE_PROJECT_ALONE = re.compile(
    r"(?P<name>[\u4e00-\u9fff()“”]{4,40}?)项目(?:绩效)?(?:自评|评价)报告"
)
# words that name a kind of project, not one: 建设项目绩效自评报告 is a model essay's heading
_GENERIC_PROJECT = re.compile(
    r"(?:财政|预算|专项|部门|单位|本级|市级|县级|省级|中央|工作|补助|转移支付|建设|工程|基建|重点"
    r"|民生|扶贫|衔接|农业|水利|资金|经费|支出)+"
)


# a model-essay site's collection (…(通用9篇), 小编为大家收集的…): its headings name kinds of report
_ESSAY_SITE = re.compile(r"小编|范文|\((?:通用|精选)\d*篇\)")


def _project_after_title_year(
    lines: list[tuple[Paragraph, int, str]], *, essays: bool = False
) -> Value | None:
    for para, start, text in lines:
        m = _TITLE_YEAR_PROJECT.search(text)
        # a form's title (…项目绩效评价自评表) names its project as a report's does, unless the
        # name is a kind of project (2021年度财政项目绩效自评表, 2020年市级预算项目支出绩效自评报告
        # name none)
        if (
            m
            and not re.search(r"部门|整体|单位", m.group("name"))
            and not _GENERIC_PROJECT.fullmatch(m.group("name"))
        ):
            name = m.group("name") + ("" if m.group("kind") else "项目")
            return Value(name, m.group(0), para, start + m.start("name"))
        m = _TITLE_YEAR_FUND.search(text)
        if (
            m
            and not re.search(r"部门|整体|单位", m.group("name"))
            and not _GENERIC_FUND.fullmatch(m.group("name"))
            # (a programme's words alone name a kind: 重点民生工程, 扶贫专项)
            and not (
                _GENERIC_PROJECT.fullmatch(re.sub(r"工程|计划|公益金|专项$", "", m.group("name")))
                and not m.group("name").endswith(("资金", "经费"))
            )
        ):
            return Value(m.group("name"), m.group(0), para, start + m.start("name"))
        m = _TITLE_PROJECT_ALONE.fullmatch(text)
        if (
            m
            and not essays
            and not _OFFICE_WORD.search(m.group("name"))
            and not re.search(r"部门|整体|单位|支出|绩效", m.group("name"))
            and not _GENERIC_PROJECT.fullmatch(m.group("name"))
        ):
            return Value(m.group("name") + "项目", m.group(0), para, start)
    return None


def _project_in_opening(doc: Document) -> Value | None:
    for para in doc.paras[:6]:
        m = _OPENING_PROJECT.search(para.text)
        # (现将2024年度部门整体和项目支出绩效…: the report's kinds, no project; 现将2020年市级预算项目
        # 支出绩效自评报告如下: a kind of project, not one)
        if (
            m
            and not _OFFICE_WORD.search(m.group("name"))
            and not re.search(r"部门|整体|单位|和项目", m.group("name"))
            and not _GENERIC_PROJECT.fullmatch(m.group("name").removesuffix("项目"))
        ):
            return Value(m.group("name"), m.group(0), para, m.start("name"))
    return None


def _project_from_title(doc: Document, lines: list[tuple[Paragraph, int, str]]) -> None:
    """The project named in brackets after a project report's title, on its line or the next:
    某馆2022年度项目支出绩效自评报告(某某补助经费)."""
    for para, start, text in lines:
        end = text.find("报告")
        if end < 0 or "项目" not in text:
            continue
        after = text[end + 2 :]
        later = [piece_start for piece_start, _ in para.pieces if piece_start > start]
        joined = False
        if after.startswith("(") and _open_brackets(after) and start + len(text) in later:
            # the bracket wrapped onto the next line (a pdf's long title): the name runs on to
            # its closing bracket or the paragraph's end, never cut at the line's end — but not
            # over a sentence (the bracket left open, the text going on: nothing is read)
            rest = para.text[start + len(text) :]
            depth = _open_brackets(after)
            for index, char in enumerate(rest[:60]):
                depth += {"(": 1, ")": -1}.get(char, 0)
                if depth == 0:
                    rest = rest[: index + 1]
                    break
            if depth and (len(rest) > 40 or re.search(r"[。,;:]", rest)):
                return
            after += rest
            joined = True
        if not after and later:
            # the bracket on the next line of the same paragraph
            stop = next((p for p in later if p > later[0]), len(para.text))
            start, after, end = later[0], para.text[later[0] : stop], -2
        if not after:
            index = doc.paras.index(para)
            following = doc.paras[index + 1] if index + 1 < len(doc.paras) else None
            if following is None or following.pieces[0][1] - para.pieces[-1][1] > 3:
                return
            para, start, after, end = following, 0, following.text, -2
        m = re.fullmatch(r"\(((?:[^()]|\([^()]{1,10}\)){2,60})\)?", after)
        if m is None:
            return
        if _open_brackets(m.group(0)) and doc.text.rstrip().endswith(m.group(0)):
            return  # the bracket open where the text ends: an opening cut in the name (…(退役军)
        name = m.group(1)
        if not joined and not m.group(0).endswith(")"):
            # the bracket runs to its line's end: the name goes on when the paragraph goes on (a
            # hard line break cut it: …补助资金(2022年中央支持地方 / 公共文化服务…资金), up to the
            # bracket's close or that line's end; a next line with a sentence in it may be the
            # name's end or not: nothing is read
            after_end = start + end + 2 + len(after)
            goes_on = next((at for at, _ in para.pieces if at >= after_end), None)
            if goes_on is not None:
                stop = next((at for at, _ in para.pieces if at > goes_on), len(para.text))
                rest = para.text[goes_on:stop]
                closed = re.match(r"((?:[^()。,;:]|\([^()]{1,10}\)){1,40})\)", rest)
                if closed is None and (len(rest) > 40 or re.search(r"[()。,;:]", rest)):
                    return
                name += closed.group(1) if closed else rest
        doc.project_name = Value(name, m.group(0), para, start + end + 2 + 1)
        return


def _open_brackets(text: str) -> int:
    return text.count("(") - text.count(")")


def _title_lines(doc: Document) -> list[tuple[Paragraph, int, str]]:
    """The source lines near the top that read as a title (…自评报告, …评价报告), each as
    (paragraph, offset, text) — a line, not its paragraph: a portal's 时效性：有效 or an upload
    page's 上传人 line may run into the title's paragraph. A short line just above one (the unit on a
    line of its own) is tried joined to it, after the title line alone.

    The text ends with the title (and a bracket right after it: the project's name), never with the
    prose a flattened docx runs on with (…报告一绩效管理工作开展情况。我单位按照《…》…). A title
    later than the line's first 80 characters is taken only behind a file's metadata (no sentence
    before it: 安福全 zlnb… 2019-05-22T04:56:35Z … 附件:项目支出绩效自评表(2022年度))."""
    found: list[tuple[Paragraph, int, str]] = []
    for para in doc.paras[:15]:
        starts = [start for start, _ in para.pieces] + [len(para.text)]
        segments = [
            (starts[i], para.text[starts[i] : starts[i + 1]]) for i in range(len(starts) - 1)
        ]
        for index, (start, text) in enumerate(segments):
            m = _TITLE_WORDS.search(text, 0, 300)
            if m is None and index + 1 < len(segments) and len(text) <= 300:
                # a long title the pdf wrapped inside its last word (…绩效单位自评报 / 告): the
                # title words across the break, the line then read with the next one
                joined = text + segments[index + 1][1]
                m = _TITLE_WORDS.search(joined, max(0, len(text) - 12), len(text) + 12)
                if m is not None and m.start() < len(text) < m.end():
                    text = joined
                else:
                    m = None
            if m is None:
                continue
            begin = 0
            # the line before goes on into this one (it ends inside a word or after a comma, not
            # after a sentence's end or a page's 】); a portal's breadcrumb line (当前位置:首页 >
            # 公示公告) is no sentence wrapped on
            wrapped = (
                index
                and re.search(r"[\u4e00-\u9fff\d,、]$", segments[index - 1][1])
                and not _BREADCRUMB.search(segments[index - 1][1])
            )
            if (m.end() > 80 or wrapped) and _SENTENCE_MARK.search(text, 0, m.start()):
                # far into its line, or on a line that goes on with the sentence of the line
                # before (a pdf wraps prose: …填写自评表格 / 并综合分析,形成本评价报告。): a
                # title only with no sentence before it
                continue
            if m.end() > 80:
                begin = max(0, m.start() - 40)
            if "《" in text[begin : m.start()]:
                continue  # a citation: 关于印发《…自评报告》
            bracket = _TITLE_BRACKET.match(text, m.end())
            if wrapped and not bracket and _SENTENCE_MARK.search(text, m.end()):
                # a line a pdf wrapped out of prose whose sentence goes on after the words (…形 /
                # 成本评价报告。现将…): no title ends so
                continue
            text = text[begin : bracket.end() if bracket else m.end()]
            if index and not begin and _TITLE_GOES_ON.search(segments[index - 1][1]):
                # the line before ends on a conjunction (…部门整体和 / 项目支出绩效自评报告): the title
                # begins there, and this line alone is only its end
                previous_start, previous = segments[index - 1]
                if len(previous) <= 80 and not _SENTENCE_MARK.search(previous):
                    found.append((para, previous_start, previous + text))
                    continue
            found.append((para, start + begin, text))
            if index and not begin and len(segments[index - 1][1]) <= 40:
                previous_start, previous = segments[index - 1]
                found.append((para, previous_start, previous + text))
    return found


_SENTENCE_MARK = re.compile(r"[。,;]")
# a title line cut after a conjunction goes on into the next line
_TITLE_GOES_ON = re.compile(r"[和及与暨、]$")
# a portal's breadcrumb: 当前位置:首页 > 政务要闻 > 公示公告 (or two > between short words)
_BREADCRUMB = re.compile(r"(?:当前|您的|您现在的|所在)位置[:]|[^\s>]{1,10} ?> ?[^\s>]{1,10} ?> ?")
_SENTENCE_END_MARK = re.compile(r"[。;:!?]\s*$")
# the project's name in brackets right after the title, closed or running to the end of the line
_TITLE_BRACKET = re.compile(r"\((?:[^()]|\([^()]{1,10}\)){2,60}(?:\)|$)")


_PROJECT_PARTS = re.compile(r"项目(?:基本情况|概况|概括)|项目绩效目标")
_PROJECT_WORDS = re.compile(
    # (项目支出 with its figure is a budget line's label, 基本支出24642.4万元、项目支出26945.38万元:
    # a department's spending by kind, no project's report)
    r"项目支出(?!(?:预算|决算)?(?:数|为|是|共|合计)?[:]?\d)|项目(?:资金)?绩效(?:自评|评价|目标)|项目自评|项目(?:基本情况|概况|概括)"
    # (a text without its title analysing its funds part by part: 项目资金到位情况分析)
    r"|项目资金(?:投入|到位|执行|使用|管理)情[况況]"
)
# (报告日期 is a cover's label: 评价机构:部门(单位)评价组 / 报告日期:… run together is no title)
_TITLE_WORDS = re.compile(r"(?:自评|评价)[^。,;]{0,10}(?:报告(?!日期)|结果|表)")
# a unit's full name names its place (省 市 县 区 州 镇 乡 …) or the Party: a name read from a
# title or an opening sentence without one is more likely a project's
_PLACE = re.compile(r"^(?:中共|中国共产党)|[省市县区州镇乡旗盟]")


# "预算单位某管委会(行政主管部门)的某某项目": the budget unit of the project evaluated
_PROJECT_OWNER = re.compile(
    rf"(?:预算单位|项目单位|实施单位)(?:为|是)?(?P<unit>{_UNIT_NAME})(?:\([^()]{{2,10}}\))?"
    r"的[^。,;]{2,60}?项目(?=[。,;]|$)"
)
# a cover label alone in its cell, its value the next cell (a pdf or a page gives a cell a line)
_UNIT_CELL_LABEL = re.compile(
    r"(?:实施单位|项目单位|预算单位|单位名称|部门名称|部门\(单位\)名称)(?:\((?:公章|盖章|签章)\))?"
    r"[:\s|]*"
)


def _unit_cell(doc: Document) -> Value | None:
    for index, para in enumerate(doc.paras[:40]):
        if len(para.text) > 20 or index + 1 == len(doc.paras):
            continue  # a label alone in its cell is short
        if not _UNIT_CELL_LABEL.fullmatch(para.text):
            continue
        following = doc.paras[index + 1]
        # its first line: the cells after it may have joined its paragraph
        line = following.text[: following.pieces[1][0]] if len(following.pieces) > 1 else None
        m = re.match(rf"({_UNIT_NAME})\s*(?:\||$)", line or following.text)
        if m and not _NOT_A_NAME.search(m.group(1)):
            return Value(m.group(1), para.text + m.group(0), following, 0)
        return None
    return None


def _once(name: Value | None) -> Value | None:
    """A name read twice over (广水市交通运输局广水市交通运输局: a flattened form's 主管单位 and 实施单位
    cells, both the one unit, joined once their spaces went) is the name once."""
    if name is None or not isinstance(name.value, str):
        return name
    text = name.value
    half = len(text) // 2
    if len(text) >= 8 and len(text) % 2 == 0 and text[:half] == text[half:]:
        return Value(text[:half], name.quote, name.para, name.offset)
    return name


# a 自评表's own title with its year: 财政项目支出绩效自评表 (2022 年度)
_SHEET_TITLE = re.compile(r"绩效(?:目标)?自评表\s*\(\s*\d{4}\s*年度?\s*\)")


def _several_sheets(text: str) -> bool:
    """Two or more project sheets in one text (a unit's 项目自评价 file, a sheet a project), each
    with its own 项目名称: no one project's name is the text's. Judged on the paragraphs' text, where
    a hard break inside 项目名称 or the sheet's title is joined again and brackets are folded."""
    return len(_SHEET_TITLE.findall(text)) >= 2 and text.count("项目名称") >= 2


# a cover's value that is only the instruction to seal or sign it
_SEAL_ONLY = re.compile(r"\((?:公章|盖章|签章|签字|签名|印章)\)")


def _unit_name(doc: Document, title_match: tuple[re.Match[str], Paragraph, int] | None) -> None:
    """评价单位 from the cover's labelled line, else a 名称 cell or a seal line, else the title
    (unit, year and report kind run together), else a signature line at the end, else the page's
    publisher line when the name recurs in the text. Never a guess: a name must end as names do."""
    found = _first(doc, rf"评价单位(?:\((?:公章|盖章)\))?[:](.+?){_COVER_NEXT}")
    if found and found[0].group(1).strip():
        m, para = found
        doc.unit_name = Value(m.group(1).strip(), m.group(0), para, m.start())
        return
    found = _first(
        doc,
        # "实施单位（公章）：" on our own project report's cover, like 评价单位（公章）
        r"(?:实施单位|填报单位|单位名称)(?:\((?:公章|盖章)\))?[:]([^,;。:]{2,40}?)" + _COVER_NEXT,
    )
    if found and _SEAL_ONLY.fullmatch(found[0].group(1).strip()):
        found = None  # 单位名称:(盖章) — the seal goes where the name would: the cover names no one
    if found:
        m, para = found
        doc.unit_name = Value(m.group(1).strip(), m.group(0), para, m.start())
        return
    for regex, hint in _UNIT_LINES:
        if hint not in doc.text:
            continue  # the patterns try every position: skip them when their word is absent
        found = _first(doc, regex.pattern, "unit")
        if found and not _NOT_A_NAME.search(found[0].group("unit")):
            m, para = found
            doc.unit_name = Value(m.group("unit"), m.group(0), para, m.start("unit"))
            return
    if title_match is not None:
        m, para, start = title_match
        doc.unit_name = Value(m.group("unit"), m.group(0), para, start + m.start("unit"))
        return
    cell = _unit_cell(doc)
    if cell is not None:
        doc.unit_name = cell
        return
    found = (
        _first_rare(doc, _PROJECT_OWNER.pattern, "unit")
        if "单位" in doc.joined and "项目" in doc.joined
        else None
    )
    if found and _PLACE.search(found[0].group("unit")[:12]):
        m, para = found
        doc.unit_name = Value(m.group("unit"), m.group(0), para, m.start("unit"))
        return
    if doc.kind == "project":
        split = _title_split(doc, _title_lines(doc))
        if split is not None and split[0] is not None:
            doc.unit_name = split[0]
            return
    for para in doc.paras:
        opening = _OPENING_UNIT.search(para.text)
        if (
            opening
            and _PLACE.search(opening.group("unit")[:12])
            and not (
                _PLACE_END.search(opening.group("unit"))
                and _NAME_GOES_ON.match(para.text, opening.end("unit"))
            )
        ):
            unit = opening.group("unit")
            doc.unit_name = Value(unit, opening.group(0), para, opening.start("unit"))
            return
    described = _self_described_unit(doc) or _titled_self(doc)
    if described is not None:
        doc.unit_name = described
        return
    signature = re.compile(rf"(?P<unit>{_UNIT_NAME})(?:\d{{4}}年\d{{1,2}}月\d{{1,2}}日)?")
    for para in doc.paras[-4:]:
        if para.heading is not None or len(doc.paras) <= 4:
            continue
        for start in _line_starts(para):
            closing = signature.fullmatch(para.text, start)
            # a later line of a paragraph is a signature only with its date (某局 / 2025年1月20日):
            # a name alone there may be the last line of a list the text was cut in
            if closing and (start == 0 or closing.group(0) != closing.group("unit")):
                doc.unit_name = Value(closing.group("unit"), closing.group(0), para, start)
                return
    titles = [text for _, _, text in _title_lines(doc)]
    for para in doc.paras[:15]:
        publisher = _PUBLISHER.search(para.text)
        if publisher is None:
            continue
        unit = publisher.group("unit")
        if not _PLACE.search(unit[:12]):
            # a name without its place is a portal's short form or one office (来源：办公室,
            # 城管执法局, 财政局): the page's footer and body name such offices too
            continue
        place = _PLACE_PREFIX.match(unit)
        # the publisher's name again in the text, or a title that names its place and no unit
        # (施甸县2019年度…项目绩效评价报告 published by 施甸县林业和草原局) — never a 财政 body, which
        # publishes other units' reports in its own column
        # (in a sentence or a title: a page's banner, 某局 www.… or - 某局 above its menu, is the
        # portal's own line too, and an opening cut before the title names no unit of its own;
        # never only as the sender of the notice the report answers, 根据某县财政局《关于开展…》:
        # a 财政 body's column publishes other units' reports under its own name)
        again = re.compile(re.escape(unit) + r"(?!《|关于|印发)")
        if (
            any(
                again.search(text) and (_SENTENCE_MARK.search(text) or text in titles)
                for text in (_PUBLISHER_LABELLED.sub("", p.text) for p in doc.paras)
            )
            or (
                place is not None
                and "财政" not in unit
                and any(re.match(rf"{re.escape(place.group(0))}\d{{4}}年", t) for t in titles)
            )
            or ("财政" not in unit and _speaks_as(doc, unit) and _same_place(unit, titles))
        ):
            full = _place_named(doc, unit)
            if full is not None:
                doc.unit_name = full
                return
            doc.unit_name = Value(unit, publisher.group(0), para, publisher.start("unit"))
            return
    doc.missing.append("评价单位")


# the words a report calls itself by, by the kind of unit (我局 for a 局, 我镇 for a township) and
# the place words a unit's report speaks for (我市, 我县): a publisher is the unit only where the
# report speaks as that kind and as no other
_SPEAKS_AS = (
    (("局",), re.compile(r"[我本]局")),
    (("中心",), re.compile(r"[我本]中心")),
    (("医院", "卫生院", "学院", "院"), re.compile(r"[我本]院")),
    (("馆",), re.compile(r"[我本]馆")),
    (("学校", "中学", "小学", "校"), re.compile(r"[我本]校")),
    (("委员会",), re.compile(r"[我本]委")),
    (("办公室",), re.compile(r"[我本]办(?!理|公|法)")),
    (("站",), re.compile(r"[我本]站")),
    (("镇", "镇人民政府", "镇政府"), re.compile(r"[我本]镇")),
    (("乡", "乡人民政府", "乡政府"), re.compile(r"[我本]乡")),
    (("街道", "街道办事处"), re.compile(r"[我本]街道")),
    ((), re.compile(r"[我本][市县区州旗](?!场)")),
)


def _speaks_as(doc: Document, unit: str) -> bool:
    """Whether the report speaks as the publisher's kind of unit (发布机构:民乐县民政局 over a text
    of 我局): its kind's word stands in the text and no other kind's does (a 教育局 publishes its
    schools' reports, 我校; a township a city's, 我市)."""
    own = next((i for i, (ends, _) in enumerate(_SPEAKS_AS) if ends and unit.endswith(ends)), None)
    if own is None:
        return False
    text = "\n".join(_PUBLISHER_LABELLED.sub("", p.text) for p in doc.paras)
    return _SPEAKS_AS[own][1].search(text) is not None and not any(
        words.search(text) for i, (_, words) in enumerate(_SPEAKS_AS) if i != own
    )


def _same_place(unit: str, titles: list[str]) -> bool:
    """Whether a publisher is of the place the title names, if it names one (示例区…报告 published
    by 别处县某局 is another place's page)."""
    for title in titles:
        place = _PLACE_PREFIX.match(re.sub(r"^\d{4}年度?", "", title))
        if place is not None:
            return unit.startswith(place.group(0))
    return True


def _place_named(doc: Document, unit: str) -> Value | None:
    """A publisher's short name (信息来源:市民政局) that the text writes in full, its place's name
    before it (乐山市民政局…, on a line of its own or after a non-Chinese character): the full name.
    Only a short name that opens with its level (市 / 县 / 区 / 州 / 旗) is completed so."""
    if unit[0] not in "市县区州旗":
        return None
    pattern = re.compile(rf"(?<![\u4e00-\u9fff])(?P<place>[\u4e00-\u9fff]{{1,6}}){re.escape(unit)}")
    for para in doc.paras[:15]:
        text = _PUBLISHER_LABELLED.sub(lambda m: " " * len(m.group(0)), para.text)
        starts = _line_starts(para)
        for m in pattern.finditer(text):
            # the place's name within one source line (a paragraph joins its lines)
            begin = max(
                (b for b in starts if b <= m.start("place") + len(m.group("place"))), default=0
            )
            place = m.group("place")[max(0, begin - m.start("place")) :]
            if place and not re.search(r"[市县区州旗省]", place):
                return Value(place + unit, m.group(0), para, m.start("place"))
    return None


# "保山市交通运输局是保山市人民政府工作部门…": a paragraph that opens by saying what a unit is
_DESCRIBED = re.compile(rf"^(?:\d{{1,2}}[.、])?(?P<unit>{_UNIT_NAME})是")
# the word a unit of each kind calls itself by (我局, 本中心, 我校 …), by the end of its name
_SELF_WORDS = (
    (("局",), ("我局", "本局")),
    (("中心",), ("我中心", "本中心")),
    (("医院", "卫生院", "学院", "院"), ("我院", "本院")),
    (("馆",), ("我馆", "本馆")),
    (("学校", "中学", "小学", "校"), ("我校", "本校")),
    (("委员会",), ("我委", "本委", "我会")),
    (("办公室",), ("我办", "本办")),
    (("所",), ("我所", "本所")),
    (("站",), ("我站", "本站")),
)


def _self_described_unit(doc: Document) -> Value | None:
    """The unit a paragraph opens by describing (某局是…工作部门), in a report that calls itself by
    that kind's word (我局): the name and the self-reference agree on what the unit is. A name of
    another kind (某局是… in a report of 我中心) is a parent or a partner, never read."""
    for para in doc.paras[:40]:
        m = _DESCRIBED.match(para.text)
        if m is None:
            continue
        unit = m.group("unit")
        if _NOT_A_NAME.search(unit) or not _PLACE.search(unit[:12]):
            continue
        words = next((w for ends, w in _SELF_WORDS if unit.endswith(ends)), ())
        if any(word in doc.text for word in words):
            return Value(unit, m.group(0), para, m.start("unit"))
        return None
    return None


_AFTER_UNIT = re.compile(r"专项|项目|资金|经费|部门|整体|关于|绩效|预算|年度|财政")


def _titled_self(doc: Document) -> Value | None:
    """A title that opens with a unit's name and names no year (某市第四中学专项资金绩效自评价报告),
    in a report that calls itself by that kind's word (我校): the longest such opening that ends
    as names do and names a place. A title with a year is _TITLE_UNIT_FIRST's; an opening of
    another kind than the self-word (某局… in a report of 我校) is not the unit."""
    for para, start, text in _title_lines(doc)[:1]:
        if re.search(r"\d{4}", text):
            return None
        for cut in range(min(len(text) - 4, 40), 3, -1):
            unit = text[:cut]
            if not re.fullmatch(_UNIT_NAME, unit) or _NOT_A_NAME.search(unit):
                continue
            # the name ends where the title's next word begins (专项资金, 项目, 部门整体 …): not
            # inside a word (某县人民医院院区改造 has no unit 某县人民医院院)
            if not _PLACE.search(unit[:12]) or not _AFTER_UNIT.match(text, cut):
                continue
            words = next((w for ends, w in _SELF_WORDS if unit.endswith(ends)), ())
            if any(word in doc.text for word in words):
                return Value(unit, text, para, start)
        return None
    return None


_CLOSING_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _line_starts(para: Paragraph) -> list[int]:
    """Where the paragraph's source lines start, the first first: a signature is a line of its
    own, and a line above it with no full stop (附件:…[点击下载]) may have joined its paragraph."""
    return [0] + [offset for offset, _ in para.pieces[1:]]


def _closing_date(doc: Document) -> Value | None:
    """A report without 填报日期 dates its end: the unit's name and a date as the last lines
    (某局 / 2025年3月20日). Only a line that is the date alone (or the unit and the date)."""
    unit = doc.unit_name.value if doc.unit_name is not None else None
    for para in reversed(doc.paras[-3:]):
        if para.heading is not None or len(doc.paras) < 5:
            continue
        for start in _line_starts(para):
            text = para.text[start:]
            if unit and text.startswith(unit):
                text = text[len(unit) :]
            elif start:
                continue  # a date on a later line is the report's only under its unit's name
            m = _CLOSING_DATE.fullmatch(text)
            if m is None:
                continue
            try:
                date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
            return Value(date, para.text[start:], para, len(para.text) - len(text))
    return None


# the line under a cover's date names who made the cover: 某办公室编制, 某财政局(制)
_COVER_MAKER = re.compile(r"(?:编制|\(制\))$|^\((?:此页为|本页为)?封面\)$")


def _cover_date(doc: Document) -> Value | None:
    """A cover's date standing alone on its line, the line under it naming who made the report
    (评价类型…□√ / 2018年4月3日 / 某办公室编制) or that the page is the cover ((此页为封面)),
    before the first part: the date the template
    leaves unlabelled. Only a whole date, and only on the cover."""
    for para in doc.paras:
        level = para.heading
        if level is not None and level <= 1:
            return None  # the first part: past the cover (the outline is read after the cover)
        starts = _line_starts(para)
        for index, start in enumerate(starts[:-1]):
            end = starts[index + 1]
            m = _CLOSING_DATE.fullmatch(para.text[start:end])
            following = para.text[end : starts[index + 2] if index + 2 < len(starts) else None]
            if m is None or not _COVER_MAKER.search(following):
                continue
            try:
                date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
            return Value(date, m.group(0), para, start)
    return None


# a 文号: issuer, year in brackets, number (某财绩〔2025〕5号); a year cut to three digits (南财函〔202〕25号)
# is read too, as printed, so the check can say the number is malformed
_DOCNO = r"([\u4e00-\u9fff]{1,10}[〔\[【(（](\d{3,4})[〕\]】)）]第?\d+号)"


_SELF_EVALUATION_NOTICE = re.compile(r"自评|绩效评价工作|绩效评价的通知")
# a cut notice's title names its cycle (关于2021年…) and is no standing rule (…自评管理办法, whose
# 文号 year is its own, not the cycle's)
_CUT_NOTICE = re.compile(
    r"^(?=.*关于.*\d{4}年)(?!.*(?:办法|规定|意见|细则|制度|方案|规程|指引|指南)$)"
)
_TITLED_FILE = re.compile(
    r"(?:根据|按照|依据|遵照)《([^《》]{4,80}?)》\(" + _DOCNO + r"\)(?:等)?文件(?:的)?(?:要求|精神)"
)


# a 文号's year brackets as copies write them ([2024], 【2024】, (2024), a pair mixed by a copy:
# [2024〕) are one number: the value is written with 〔〕, the official form (the quote keeps the text's)
_DOCNO_YEAR = re.compile(r"[〔\[【(（](\d{3,4})[〕\]】)）](?=第?\d+号$)")


def docno_canonical(number: str) -> str:
    """某财绩[2025]5号 / 某财绩【2025〕5号 → 某财绩〔2025〕5号."""
    return _DOCNO_YEAR.sub(r"〔\1〕", number)


def _notice(doc: Document) -> None:
    # (a copy's space may stand between the title and its bracketed number: 通知》 (某财绩[2024]1号))
    regex = re.compile(r"《([^《》]{4,80}?通知)》(?: ?\(|\)?)" + _DOCNO)
    # without 书名号: "根据某市财政局关于开展…的通知(某财绩〔2026〕2号)"
    bare = re.compile(
        r"(?:根据|按照|依据|遵照)([^,;:。《》()]{4,80}?关于[^,;:。《》()]{2,60}?通知)\(?" + _DOCNO
    )
    # the number first: "根据徐财绩〔2025〕5号《关于开展2024年…自评工作的通知》"
    number_first = re.compile(r"(?:根据|按照|依据|遵照)?" + _DOCNO + r"\)?《([^《》]{4,80}?通知)》")
    # no title: "根据某市财政局文件(某财绩〔2023〕2号)要求…自评"
    # or the number alone: "根据徐财绩〔2025〕5号要求，…开展自评"
    untitled = re.compile(
        r"(?:根据|按照|依据)(?:([^,;:。《》()]{2,30}?文件)\(|(?=[\u4e00-\u9fff]{1,10}[〔\[【]))"
        + _DOCNO
        + r"\)?(?:文件)?(?:的)?要求"
    )
    # (title, number, year, quote, paragraph, start, start of the number), in the text's order
    candidates: list[tuple[str, str, str, str, Paragraph, int, int]] = []
    for para in doc.paras:
        found = [
            (m.group(1), m.group(2), m.group(3), m.group(0), para, m.start(), m.start(2))
            for m in regex.finditer(para.text)
        ]
        if "号《" in para.text or "号)《" in para.text:
            found.extend(
                (m.group(3), m.group(1), m.group(2), m.group(0), para, m.start(), m.start(1))
                for m in number_first.finditer(para.text)
            )
        candidates.extend(sorted(found, key=lambda c: c[5]))
    if not candidates:
        for para in doc.paras:
            candidates.extend(
                (m.group(1), m.group(2), m.group(3), m.group(0), para, m.start(), m.start(2))
                for m in bare.finditer(para.text)
            )
    own = [c for c in candidates if _SELF_EVALUATION_NOTICE.search(c[0])]
    if not own:
        # a title the copy cut before its 通知, cited as a 文件: "根据《关于2021年…绩效自评及
        # 财政绩效评价》(保财绩〔2022〕4号)文件要求" — only a title that names the self-evaluation
        for para in doc.paras:
            if "文件" not in para.text:
                continue
            own.extend(
                (m.group(1), m.group(2), m.group(3), m.group(0), para, m.start(), m.start(2))
                for m in _TITLED_FILE.finditer(para.text)
                if _SELF_EVALUATION_NOTICE.search(m.group(1)) and _CUT_NOTICE.search(m.group(1))
            )
    if not own:
        for para in doc.paras:
            for m in untitled.finditer(para.text):
                # only a performance office's number (某财绩) cited for this self-evaluation
                if "绩" in re.split(r"[〔\[【(]", m.group(2))[0] and re.search(
                    r"自评|绩效评价", para.text[m.end() : m.end() + 80]
                ):
                    own.append(
                        (
                            m.group(1) or "",
                            m.group(2),
                            m.group(3),
                            m.group(0),
                            para,
                            m.start(),
                            m.start(2),
                        )
                    )
    if not own:
        # only other documents are cited with a 文号 (a funds allocation, 管理办法): the notice
        # this self-evaluation answers is not stated, and theirs is not it
        doc.missing.append("所依据的通知文号")
        return
    doc.notice_is_self_evaluation = True
    title, number, year, quote, para, start, number_start = own[0]
    doc.notice = {
        "title": Value(title, quote, para, start),
        "number": Value(docno_canonical(number), quote, para, start),
    }
    # a year of three digits is no year: the number is kept as printed, its year is not read
    key = "year" if len(year) == 4 else "year_cut"
    doc.notice[key] = Value(int(year), quote, para, number_start)


def _unit(doc: Document) -> None:
    found = _first(
        doc,
        # the unit's own type ends its phrase ("…管理的公益二类事业单位，"): a type followed by
        # more words is another's (事业单位领导人员, 司法行政机关履行, 正处级事业单位某中心)
        r"(参照公务员法管理(?:的)?事业单位|公益[一二三]类事业单位|(?<!事业)行政单位"
        r"|(?<![司执])行政机关|[一二三]类事业单位|(?<!行政)事业单位)(?=$|[,;。)])",
    )
    if found:
        m, para = found
        doc.unit_type = Value(m.group(1), m.group(0), para, m.start())
    found = _first(doc, r"主管部门[:]([^,，。;]{2,30})")
    if found is None and "主管部门" in doc.joined:
        # a 自评表's cells run together: 主管部门 219-某镇人民政府 实施单位 …
        found = _first_rare(
            doc,
            rf"主管部门(?:\d{{2,12}}-)?({_UNIT_NAME}){_COVER_NEXT.replace('(?=', '(?=(?:项目)?实施单位|', 1)}",
        )
        if found and not _PLACE.search(found[0].group(1)[:12]):
            found = None
    if found is None:
        doc.supervisor = _supervisor_cell(doc)
    if found is None and doc.supervisor is None:
        found = _first(doc, r"是([\u4e00-\u9fff()]{2,30}?)(?:管理|主管|下属|所属|直属)的")
    if found:
        m, para = found
        doc.supervisor = Value(m.group(1), m.group(0), para, m.start())
    _staff(doc)


_SUPERVISOR_LABEL = re.compile(r"主管部门[\s|:]*")


def _supervisor_cell(doc: Document) -> Value | None:
    """主管部门 alone in its cell and the name alone in the next (a table a cell a line)."""
    if "主管部门" not in doc.joined:
        return None
    for index, para in enumerate(doc.paras[:40]):
        if not para.text.startswith("主管部门"):
            continue
        if _SUPERVISOR_LABEL.fullmatch(para.text) and index + 1 < len(doc.paras):
            following = doc.paras[index + 1]
            m = re.fullmatch(rf"[\s|]*({_UNIT_NAME})[\s|]*", following.text)
            if m and _PLACE.search(m.group(1)[:12]) and not _NOT_A_NAME.search(m.group(1)):
                return Value(m.group(1), following.text, following, m.start(1))
            return None
    return None


# Staffing (编制 / 实有 / 离退休 / 临时聘用) as real reports write it: prose with the quota and
# the headcount in one sentence, a cover table (编制人数 | 46 | 实有人数 | 41), 实有编制数 (the
# quota) next to 在职人数, and totals that include retirees (实有人数25人，其中在职20人，离退休5人). Each figure is
# read only when the report gives the field one value: two different 编制 figures without a total
# (行政编制39名、事业编制5名) or a 实有 and a 在职 that differ leave the field unread, never guessed.
_STAFF_LABEL = (
    r"(?P<quota>(?:核定|批复|下达|现有|单位|人员|机关|行政|事业|参公|全额|差额|自收自支|工勤|总)*"
    # 核定编制在职人员为36人, 机构编制部门核定人数96人: quotas too
    r"编制(?:核定数|总数|人数|数|在职人员)?"
    # (the kind in brackets after it: 现有事业编制(参公)11名)
    r"(?:\((?:参公|参照公务员管理|全额拨款|全额|差额|自收自支)\))?|(?<=编制部门)核定人数"
    # 事业编2人: a kind's quota shortened (行政编 / 事业编 / 工勤编), never 在编 or 编外
    r"|(?:行政|事业|工勤|参公)编(?![制外]))"
    r"|(?P<actual>在职实有(?:人员|人数)?|实有在职(?:人员|人数)?|实有(?:事业|行政)?(?:人员|人数|职工)?"
    r"|编制内(?:在职)?(?:人员|人数)?"
    r"|在职(?:在编)?(?:人员|人数|职工|干部职工|干部|教职员工|教职工|教师)?"
    r"|在编(?:在岗)?(?:人员|人数|职工|教师数?)?"
    r"|现有(?:在职)?(?:人员|职工)|在岗(?:人员|人数|职工)?"
    # a school's 教职工247人 is its headcount; 离退休 / 退休 / 临时 / 编外 教职工 are not
    r"|(?<!休)(?<!临时)(?<!编外)(?<!聘用)(?<!代课)教职工)"
    r"|(?P<retired>离退休(?:人员|干部|职工|人数)?)"
    r"|(?P<part>(?:离休|(?<!离)退休)(?:人员|干部|职工|人数)?)"
    r"|(?P<temporary>(?:临时(?:聘用|聘请|用工)?|编外(?:聘用)?|劳务派遣|聘用)(?:代课教师|人员|人数|职工)?"
    r"|(?:外聘)?临时工(?:人数|人)?)"
)
_STAFF_TOKEN = re.compile(
    rf"(?:{_STAFF_LABEL})[:|\s]*(?:为|是|共|有|达到?|合计|共计|总数)?[:|\s]*"
    r"(?P<n>(?<![\d.])\d{1,6})(?![\d.])"
    # a unit, or (in a table) none: then a cell or clause ends here, never a date or an amount
    # 个 for a quota's posts (总编制为249个，其中…), never before more words (共编制12个指标)
    r"(?:(?P<u>人(?!次)|名|个(?![\u4e00-\u9fff]))|(?=$|[,;。)|\]]|\s+[^\d\s]|[\u4e00-\u9fff]))"
    r"(?![年月日万元辆项次台套亩岁%个])"
)
# the words before a 编制 label that make it staff in post (占用编制 / 在编), or no staff at all
# (车辆编制, 编外). 实有编制数 is the quota the unit has ("实有编制数63人，在职人数57人、离退休
# 人数94人" in a published report): a quota, like 编制数.
_FILLED_BEFORE = re.compile(r"(?:占用|使用|在编)$")
_NOT_STAFF_BEFORE = re.compile(r"(?:车辆|用车|公务用车|编外|空)$")
_STAFF_KINDS = ("quota", "actual", "retired", "part", "temporary")
_STAFF_FIELD = {
    "quota": "staffing_quota",
    "actual": "staff_actual",
    "retired": "retired",
    "temporary": "temporary",
}
# which kinds may follow a total after 其中 / 含 as its parts
_PART_KINDS = {
    "quota": {"quota", "actual", "retired", "part"},
    "actual": {"actual", "retired", "part", "temporary"},
    "retired": {"part"},
    "part": set(),
    "temporary": set(),
}
_PARTS_FOLLOW = re.compile(r"其中|\(含|包括|含(?!义)")
# a total said to count staff off the quota or retirees, with or without their figure: "实有68人
# (含编外聘用人员)", "在职人员50人,含临时聘用": not the headcount a quota is compared with
_COUNTS_OTHERS = re.compile(
    r"^[^。;]{0,6}?(?:含|包括|其中)[^。;)]{0,10}?"
    r"(?:编外|聘用|聘请|临聘|临时|劳务派遣|外聘|合同制|公益性岗位|购买服务|离退休|退休|离休)"
)


@dataclass
class _StaffToken:
    kind: str  # quota | actual | retired | part (离休 or 退休 alone) | temporary
    label: str
    number: int
    quote: str
    para: Paragraph
    start: int
    end: int


def _staff_tokens(para: Paragraph) -> list[list[_StaffToken]]:
    """The staff figures of a paragraph, one list per sentence."""
    sentences: list[list[_StaffToken]] = []
    last_end = -1
    for m in _STAFF_TOKEN.finditer(para.text):
        kind = next(k for k in _STAFF_KINDS if m.group(k))
        label = m.group(kind)
        before = para.text[max(0, m.start() - 4) : m.start()]
        if _NOT_STAFF_BEFORE.search(before):
            continue
        if kind == "quota" and _FILLED_BEFORE.search(before):
            kind = "actual"  # 实有编制数: the posts filled, not the quota
        if m.group("u") == "个" and kind != "quota":
            continue
        token = _StaffToken(kind, label, int(m.group("n")), m.group(0), para, m.start(), m.end())
        if last_end < 0 or re.search(r"[。;]", para.text[last_end : m.start()]):
            sentences.append([])
        sentences[-1].append(token)
        last_end = m.end()
    return sentences


def _staff_values(sentence: list[_StaffToken]) -> list[tuple[str, _StaffToken]]:
    """(field, token) for the figures of one sentence, totals and their parts told apart."""
    values: list[tuple[str, _StaffToken]] = []
    loose_parts: list[_StaffToken] = []  # 离休 / 退休 not inside a stated total
    text = sentence[0].para.text if sentence else ""
    index = 0
    while index < len(sentence):
        head = sentence[index]
        after = sentence[index + 1] if index + 1 < len(sentence) else None
        # a bracket closed before the next figure says nothing of it: "编制39名(含领导使用编制),
        # 事业编制5名" are two quotas, not a total and its part
        between = re.sub(r"\([^()]*\)", "", text[head.end : after.start]) if after else ""
        parts: list[_StaffToken] = []
        if after is not None and _PARTS_FOLLOW.search(between):
            first = after.kind
            following = sentence[index + 1 :]
            opened = text[head.end : after.start]
            if opened.count("(") > opened.count(")"):
                # 实有人数106人(其中:在职104人,…),退休人员30人: a list opened inside a bracket
                # ends where the bracket closes — the figure after it is no part of the total
                close = text.find(")", after.end)
                following = [t for t in following if close < 0 or t.end <= close]
            for token in following:
                if token.kind not in _PART_KINDS[head.kind] or (
                    (first == "quota") != (token.kind == "quota")
                ):
                    break
                parts.append(token)
        elif after is not None and text[head.end : after.start] == "(":
            parts = _bracketed_parts(sentence[index + 1 :], head, text)
        index += 1 + len(parts)
        if re.search(r"不含|未含", between):
            parts = []  # "(不含离退休)": what is named is left out of the total
        if head.kind in ("quota", "actual") and any(
            p.kind in ("retired", "part", "temporary") for p in parts
        ):
            # the total includes retirees or staff off the quota (编外, 聘用: a street office's
            # 实有68人，其中在编41人，编外聘用27人): it is neither the quota nor the headcount
            values.extend(
                (_STAFF_FIELD[p.kind], p)
                for p in parts
                if p.kind in ("actual", "retired", "temporary")
            )
            if not any(p.kind == "retired" for p in parts):
                values.extend(_retired_from_parts([p for p in parts if p.kind == "part"]))
            if not any(p.kind == head.kind for p in parts):
                values.append((UNCLEAR + _STAFF_FIELD[head.kind], head))
            continue
        if head.kind in ("quota", "actual") and _COUNTS_OTHERS.search(
            text[head.end : after.start if after else head.end + 30]
        ):
            # "实有68人(含编外聘用人员)": a total with others in it, their figure unstated
            values.append((UNCLEAR + _STAFF_FIELD[head.kind], head))
            continue
        if head.kind == "part":
            loose_parts.append(head)
        else:
            values.append((_STAFF_FIELD[head.kind], head))
    if loose_parts and not any(key == "retired" for key, _ in values):
        values.extend(_retired_from_parts(loose_parts))
    return values


def _bracketed_parts(
    following: list[_StaffToken], head: _StaffToken, text: str
) -> list[_StaffToken]:
    """ "核定编制45名(行政编制28名、事业编制15名、工勤编制2名)": the figures in the bracket right
    after a total are its parts when they are of its kind and add up to it (else nothing: a
    bracket may hold anything)."""
    close = text.find(")", head.end)
    inside = [t for t in following if t.end <= close] if close >= 0 else []
    if (
        len(inside) >= 2
        and all(t.kind == head.kind for t in inside)
        and sum(t.number for t in inside) == head.number
    ):
        return inside
    return []


def _retired_from_parts(parts: list[_StaffToken]) -> list[tuple[str, _StaffToken]]:
    """退休22人 alone is the retired count; 离休1人 and 退休22人 together make 23."""
    labels = [p.label[:2] for p in parts]
    if labels == ["退休"]:
        return [("retired", parts[0])]
    if sorted(labels) == ["离休", "退休"]:
        first, second = parts
        quote = first.para.text[first.start : second.end]
        total = first.number + second.number
        return [("retired", _StaffToken("retired", "离退休", total, quote, first.para,
                                        first.start, second.end))]  # fmt: skip
    return []


# the mark of a total that counts others besides the field (实有68人(含编外聘用人员)) and whose
# own part is not stated: another figure for the field (行政编制's 实有26名) may be only a part
UNCLEAR = "?"


def _staff(doc: Document) -> None:
    found: dict[str, list[_StaffToken]] = {}
    for para in doc.paras:
        if not _STAFF_HINT.search(para.text):
            continue
        for sentence in _staff_tokens(para):
            for key, token in _staff_values(sentence):
                if not _across_rows(token):
                    found.setdefault(key, []).append(token)
    for key, token in _staff_table(doc) + _staff_cell_lines(doc):
        found.setdefault(key, []).append(token)
    for key in STAFF_FIELDS:
        tokens = found.get(key, [])
        if not tokens:
            continue
        unclear = found.get(UNCLEAR + key, [])
        if len({t.number for t in tokens}) > 1 or unclear:
            tokens = tokens + unclear
            doc.staff_conflicts[key] = [t.quote for t in tokens]
            continue  # two different figures: the reader cannot tell which one is meant
        token = tokens[0]
        doc.staff[key] = Value(token.number, token.quote, token.para, token.start)
    if "staffing_quota" not in doc.staff:
        doc.missing.append("编制数")
    if "staff_actual" not in doc.staff:
        doc.missing.append("实有人数")


_STAFF_HINT = re.compile(r"编制|实有|在职|在编|离退休|退休|离休|聘用|现有|在岗")


def _across_rows(token: _StaffToken) -> bool:
    """A label and a figure on two lines of a table whose cells are separated (编制数 | 实有人数 |
    离退休人数 over 20 | 18 | 5): the label ends one row and the figure starts the next, so they are
    not one cell pair (离退休人数 20 is not the retired). Lines without separators (a pdf's cell a
    line: 编制人数 / 46) pair as before."""
    text = token.para.text
    starts = [start for start, _ in token.para.pieces] + [len(text)]
    for index in range(1, len(starts) - 1):
        joint = starts[index]
        if token.start < joint < token.end and (
            is_row(text[starts[index - 1] : joint]) or is_row(text[joint : starts[index + 1]])
        ):
            return True
    return False


def _staff_table(doc: Document) -> list[tuple[str, _StaffToken]]:
    """A staff table whose labels are one row and figures the next (编制数 | 实有人数 | 离退休人数
    over 20 | 18 | 5), cells separated by tabs or two or more spaces."""
    result: list[tuple[str, _StaffToken]] = []
    if "\t" not in doc.text and "  " not in doc.text and "|" not in doc.text:
        return result
    lines = doc.text.split("\n")
    by_line: dict[int, tuple[Paragraph, int]] = {}
    for number, raw in enumerate(lines[:-1], start=1):
        if ("\t" not in raw and "  " not in raw and "|" not in raw) or not _STAFF_HINT.search(raw):
            continue
        cells = _cells(raw)
        if len(cells) < 2 or any(re.search(r"\d", c) for c in cells):
            continue
        kinds = [_label_kind(c) for c in cells]
        if sum(k is not None for k in kinds) < 2:
            continue
        below = _cells(lines[number])
        if len(below) != len(cells) or not all(re.fullmatch(r"\d{1,6}", c) for c in below):
            continue
        if not by_line:
            by_line = {line: (para, start) for para in doc.paras for start, line in para.pieces}
        where = by_line.get(number + 1)
        if where is None:
            continue
        para, start = where
        for kind, cell, figure in zip(kinds, cells, below, strict=True):
            if kind is not None:
                token = _StaffToken(kind, cell, int(figure), f"{cell} {figure}", para, start, start)
                result.append((_STAFF_FIELD[kind], token))
    return result


_CELL_QUOTA = re.compile(r"编制数(?:\(人\))?")
_CELL_ACTUAL = re.compile(r"(?:\d{4} ?年度?)?(?:实际在职人数|实有人数)(?:\(人\))?")
_CELL_RATE = re.compile(r"(?:人员|编制)?控制率(?:\(%\))?")


def _staff_cell_lines(doc: Document) -> list[tuple[str, _StaffToken]]:
    """A 基础数据表's staff row copied a cell a line: 编制数 / 2023 年实际在职人数 / 控制率 / 46 / 50 /
    108.70%. Read only when the stated rate is the headcount over the quota (50 ÷ 46 = 108.70 %):
    cells a line lose their columns, and the rate is what shows they did not."""
    result: list[tuple[str, _StaffToken]] = []
    if "控制率" not in doc.text or "编制数" not in doc.text:
        return result
    lines = [(n, raw.strip()) for n, raw in enumerate(doc.text.split("\n"), start=1) if raw.strip()]
    for i in range(len(lines) - 5):
        (_, quota_label), (_, actual_label), (_, rate_label) = lines[i : i + 3]
        if not (
            _CELL_QUOTA.fullmatch(quota_label)
            and _CELL_ACTUAL.fullmatch(actual_label)
            and _CELL_RATE.fullmatch(rate_label)
        ):
            continue
        (number, quota_cell), (_, actual_cell), (_, rate_cell) = lines[i + 3 : i + 6]
        rate = re.fullmatch(r"(\d{1,3}(?:\.(\d{1,2}))?)%", rate_cell)
        if not (re.fullmatch(r"\d{1,5}", quota_cell) and re.fullmatch(r"\d{1,5}", actual_cell)):
            continue
        if rate is None or int(quota_cell) == 0:
            continue
        places = len(rate.group(2) or "")
        ratio = Decimal(actual_cell) * 100 / Decimal(quota_cell)
        if round(ratio, places) != Decimal(rate.group(1)):
            continue
        where = next(
            ((para, start) for para in doc.paras for start, line in para.pieces if line == number),
            None,
        )
        if where is None:
            continue
        para, start = where
        for kind, label, cell in (
            ("quota", quota_label, quota_cell),
            ("actual", actual_label, actual_cell),
        ):
            token = _StaffToken(kind, label, int(cell), f"{label} {cell}", para, start, start)
            result.append((_STAFF_FIELD[kind], token))
        break
    return result


def _cells(raw: str) -> list[str]:
    return [normalize_line(c) for c in re.split(r"\t| {2,}|\s*\|\s*", raw.strip()) if c.strip()]


def _label_kind(cell: str) -> str | None:
    filled = re.match(r"^(?:占用|使用)(?=编制)", cell)
    cell = re.sub(r"^实有(?=编制)", "", cell)
    m = re.fullmatch(rf"(?:{_STAFF_LABEL})(?:\(人\))?", cell[filled.end() :] if filled else cell)
    if m is None:
        return None
    kind = next(k for k in _STAFF_KINDS if m.group(k))
    if filled and kind == "quota":
        return "actual"
    return None if kind == "part" else kind


_NUMERALS = "一二三四五六七八九十"


def _outline(doc: Document) -> None:
    for para in doc.paras:
        level = para.heading
        if level is None:
            continue
        m = re.match(r"^[(（第]?([一二三四五六七八九十\d]{1,3})", para.text)
        number = m.group(1) if m else ""
        doc.sections.append(Section(level, number, para.title, para))


_PCT_CLAIM = re.compile(
    r"(?:完成(?:了)?(?:全年|年度)?(?:任务数|目标任务|计划任务|任务|计划数?|目标值?|指标值?)?"
    # "完成年度任务数1200人次的105.00%": the target stated inside the claim
    rf"(?:(?<=[数值务划标]){NUM}(?:万|亿)?(?:{COUNT_UNITS}))?的?"
    r"|(?:完成|完工)率(?:为|是|达)?|完成比例为?"
    # (实际完成数占年度目标任务的100%: the share of the target done)
    r"|完成数占(?:全年|年度)?(?:目标任务|计划任务|任务|目标|计划)(?:数)?的)"
    rf"({NUM})%"
)
_TARGET_VALUE = re.compile(
    r"(?:年度|全年)?(?:目标值|指标值|任务数|计划数|目标任务|目标)(?:为|是|:)?"
    rf"({NUM})(万|亿)?({COUNT_UNITS})?"
)
_TARGET_BEFORE = re.compile(r"(?:目标值|指标值|任务数|计划数|目标任务|目标)(?:为|是|:)?$")
_REASON = re.compile(r"原因|由于|因为|受.{1,20}影响|主要是|导致|偏差")
# 绩效目标完成率 is the share of all goals met, not the completion of the figure before it
# (下达…专项资金1883.00万元,市本级绩效目标完成率100%)
_EXCLUDE_RATE = re.compile(r"(?:支出|预算|资金)(?:完成率|执行率)|绩效目标完成率")


# a percent indicator's actual right before its rate: "读者满意度调查好评率90%,指标完成率99.14%" (the
# "|" marks where the figure ends; only a comma or 指标 may stand between it and the rate)
_PERCENT_ACTUAL = re.compile(r"[率度](?:为|达到?|是)?\d{1,3}(?:\.\d{1,4})?%\|[,]?(?:指标)?$")


def _targets(doc: Document) -> None:
    count_regex = re.compile(_COUNT)
    explainer = _Explainer()
    for para in doc.paras:
        previous_end = 0
        reason_after = _ReasonAfter(para.text)
        for m in _PCT_CLAIM.finditer(para.text):
            before = para.text[max(previous_end, m.start() - 80) : m.start()]
            if _EXCLUDE_RATE.search(para.text[max(0, m.start() - 6) : m.end()]):
                previous_end = m.end()
                continue
            counts = [
                c
                for c in count_regex.finditer(before)
                if c.group(3) != "%"
                or _PERCENT_ACTUAL.search(before[: c.end()] + "|" + before[c.end() :])
            ]
            previous_end_before, previous_end = previous_end, m.end()
            if not counts:
                explainer.explain(para.text, m, reason_after)
                continue
            c = counts[-1]
            if _TARGET_BEFORE.search(before[: c.start()]):
                # "完成5000人次,年度目标4000人次,完成率125%": the nearest figure is the target
                if len(counts) < 2:
                    explainer.explain(para.text, m, reason_after)
                    continue  # the actual value is not stated here: nothing to check
                c = counts[-2]
            base = m.start() - len(before)
            clause_start = max(
                (base + i + 1 for i, ch in enumerate(before[: c.start()]) if ch in ",;。:"),
                default=base,
            )
            name = _clean_name(para.text[clause_start : base + c.start()])
            if not name:  # "X目标值1000人次，实际完成1200人次": the name is in the clause before
                # only the 120 characters before the claim can hold the name: slicing the whole
                # paragraph before it, for every claim, made a long paragraph quadratic
                low = max(0, m.start() - 121)
                previous = para.text[low:clause_start].rstrip(",;")
                cut = max((previous.rfind(ch) for ch in ",;。:"), default=-1)
                cut = low + cut if cut >= 0 else -1
                name_start = max(cut + 1, m.start() - 120, previous_end_before)
                name = _clean_name(_TARGET_VALUE.sub("", para.text[name_start:clause_start]))
                clause_start = min(clause_start, name_start)
            actual = Decimal(c.group(1)) * (
                Decimal(10000) if c.group(2) == "万" else Decimal(10**8) if c.group(2) else 1
            )
            target_value = None
            tm = _TARGET_VALUE.search(para.text, clause_start, m.end())
            if tm:
                target_value = Decimal(tm.group(1)) * (
                    Decimal(10000) if tm.group(2) == "万" else Decimal(10**8) if tm.group(2) else 1
                )
            tail = _reason_window(para.text, m.end())
            doc.targets.append(
                claim := TargetClaim(
                    name=name or "（未命名指标）",
                    unit=c.group(3),
                    actual=actual,
                    target=target_value,
                    stated_percent=Decimal(m.group(1)),
                    percent_text=m.group(1),
                    quote=para.text[clause_start : m.end()],
                    para=para,
                    offset=clause_start,
                    explained=bool(_REASON.search(tail)),
                )
            )
            explainer.add(claim)
    _target_table(doc)
    _percent_indicators(doc)
    # "…完成率90%。" then a paragraph "未完成的主要原因是…": the reason follows on its own
    by_para: dict[int, list[TargetClaim]] = {}
    for target in doc.targets:
        by_para.setdefault(id(target.para), []).append(target)
    for para, following in itertools.pairwise(doc.paras):
        if following.heading is None and _REASON_LEAD.match(following.text):
            for target in by_para.get(id(para), ()):
                target.explained = True
    if not doc.targets:
        doc.missing.append("绩效目标完成情况（实际完成值与完成率）")


# Indicators measured in percent where more is better (质量达标率, 满意度 …): "满意度达到98%，年度
# 目标值≥90%". Rates where less is better (差错率, 投诉率, 结余率) and the budget rates are left out.
_PERCENT_NAMES = r"[\u4e00-\u9fff]{0,12}?(?:满意度|满意率|合格率|达标率|覆盖率|及格率|通过率|知晓率|到位率|及时率)"
_PERCENT_WORD = re.compile(r"满意度|满意率|合格率|达标率|覆盖率|及格率|通过率|知晓率|到位率|及时率")
_PERCENT_INDICATOR = re.compile(
    rf"(?P<name>{_PERCENT_NAMES})(?:达到|达|为|是)?(?P<actual>{NUM})%"
    rf"[,;]?(?:年度|全年)?(?:目标值|指标值|目标)(?:为|是|:)?(?:≥|>=|不低于)?(?P<target>{NUM})%"
    rf"|(?P<name2>{_PERCENT_NAMES})(?:年度|全年)?(?:目标值|指标值|目标)(?:为|是|:)?(?:≥|>=|不低于)?"
    rf"(?P<target2>{NUM})%[,;]?(?:实际)?(?:达到|达|完成|为)(?P<actual2>{NUM})%"
)


def _percent_indicators(doc: Document) -> None:
    # a set, not a scan of every target per match: a long report would be quadratic
    read = {(id(t.para), t.actual) for t in doc.targets}
    for para in doc.paras:
        # every match holds one of the names: a plain search for them first skips the costly
        # pattern on most paragraphs (it was the largest cost of a whole txt audit)
        if _PERCENT_WORD.search(para.text) is None:
            continue
        for m in _PERCENT_INDICATOR.finditer(para.text):
            first = m.group("name") is not None
            name = _clean_name(m.group("name") if first else m.group("name2"))
            actual = Decimal(m.group("actual") if first else m.group("actual2"))
            target = Decimal(m.group("target") if first else m.group("target2"))
            if target <= 0 or (id(para), actual) in read:
                continue
            computed = (actual / target * 100).quantize(Decimal("0.01"))
            doc.targets.append(
                TargetClaim(
                    name=name,
                    unit="%",
                    actual=actual,
                    target=target,
                    stated_percent=computed,
                    percent_text=format(computed.normalize(), "f"),
                    quote=m.group(0),
                    para=para,
                    offset=m.start(),
                    explained=bool(_REASON.search(_reason_window(para.text, m.end()))),
                    percent_stated=False,
                )
            )


_GRID_TARGET = ("年度指标值", "指标值", "目标值", "年度目标")
_GRID_ACTUAL = ("实际完成值", "实际完成", "实际值", "完成值")
_GRID_CELL = re.compile(rf"^([≥≤<>=]*)({NUM})(万|亿)?([^\d\s]{{0,6}})$")
_NO_REASON = re.compile(r"^(?:无|/|-|—|—+|\\|不适用)?$")


def _target_table(doc: Document) -> None:
    """Targets in an indicator grid (a docx/pdf table whose cells the reader joins with tabs):
    a header with 年度指标值 and 实际完成值, then one row per indicator."""
    by_line = {line: (para, start) for para in doc.paras for start, line in para.pieces}
    # the target values already read for each actual value (a dict, not a scan per grid row)
    read: dict[Decimal, set[Decimal | None]] = {}
    for t in doc.targets:
        read.setdefault(t.actual, set()).add(t.target)
    header: dict[str, int] | None = None
    for number, raw in enumerate(doc.text.split("\n"), start=1):
        if "\t" not in raw:
            header = None if raw.strip() else header
            continue
        cells = [normalize_line(cell) for cell in raw.split("\t")]
        columns = _grid_columns(cells)
        if columns is not None:
            header = columns
            continue
        where = by_line.get(number)
        if header is None or where is None or len(cells) <= max(header.values()):
            continue
        claim = _grid_target(cells, header, *where)
        if claim is None:
            continue
        known = read.setdefault(claim.actual, set())
        if None not in known and claim.target not in known:
            doc.targets.append(claim)
            known.add(claim.target)


def _grid_columns(cells: list[str]) -> dict[str, int] | None:
    def find(words: tuple[str, ...]) -> int | None:
        return next((i for i, c in enumerate(cells) for w in words if w in c), None)

    target, actual = find(_GRID_TARGET), find(_GRID_ACTUAL)
    if target is None or actual is None or actual <= target:
        return None
    columns = {"target": target, "actual": actual}
    for key, words in (("percent", ("完成率",)), ("reason", ("偏差原因", "原因分析", "原因"))):
        index = find(words)
        if index is not None and index not in (target, actual):
            columns[key] = index
    return columns


def _grid_target(
    cells: list[str], columns: dict[str, int], para: Paragraph, offset: int
) -> TargetClaim | None:
    target_cell = _GRID_CELL.match(cells[columns["target"]])
    actual_cell = _GRID_CELL.match(cells[columns["actual"]])
    if target_cell is None or actual_cell is None or re.search(r"[≤<]", target_cell.group(1)):
        return (
            None  # qualitative (达标, 好), or a ≤ indicator: the direction is not "more is better"
        )
    scale = {"万": Decimal(10000), "亿": Decimal(10**8)}
    target = Decimal(target_cell.group(2)) * scale.get(target_cell.group(3) or "", Decimal(1))
    actual = Decimal(actual_cell.group(2)) * scale.get(actual_cell.group(3) or "", Decimal(1))
    if target <= 0:
        return None
    if (target_cell.group(4) or "") != (actual_cell.group(4) or ""):
        # 168起 under 目标值 and a bare 10 under 实际完成值: a row whose cells slid under the wrong
        # header (a merged cell the row leaves out), not the target and its actual
        return None
    name_cells = [c for c in cells[: columns["target"]] if c and not re.fullmatch(r"[\d.]+", c)]
    name = name_cells[-1] if name_cells else "（未命名指标）"
    bracket = re.search(r"\(([^()]{1,4})\)$", name)
    unit = target_cell.group(4) or actual_cell.group(4) or (bracket.group(1) if bracket else "")
    name = re.sub(r"\([^()]{1,4}\)$", "", name) or name
    percent_text = ""
    if "percent" in columns and len(cells) > columns["percent"]:
        stated = re.fullmatch(rf"({NUM})%?", cells[columns["percent"]])
        percent_text = stated.group(1) if stated else ""
    computed = (actual / target * 100).quantize(Decimal("0.01"))
    reason = (
        cells[columns["reason"]] if "reason" in columns and len(cells) > columns["reason"] else ""
    )
    return TargetClaim(
        name=name,
        unit=unit,
        actual=actual,
        target=target,
        stated_percent=Decimal(percent_text) if percent_text else computed,
        percent_text=percent_text or format(computed.normalize(), "f"),
        quote=" | ".join(c for c in cells if c),
        para=para,
        offset=offset,
        explained=not _NO_REASON.match(reason),
        from_table=True,
        percent_stated=bool(percent_text),
    )


_REASON_LEAD = re.compile(r"^[^。;]{0,12}?(?:原因|由于|因为|受)")


# How far after a claim its reason is looked for. Bounded so that each claim costs the same
# however long its paragraph is (a paragraph without 。 made every claim scan to its end).
_REASON_REACH = 400


def _reason_window(text: str, start: int) -> str:
    """The text that may give a target's reason: the rest of its sentence (up to 其中 or the next
    completion rate), and the next sentence when that one opens with a reason."""
    end = min(len(text), start + _REASON_REACH)
    following_claim = _PCT_CLAIM.search(text, start, end)
    rest = text[start : following_claim.start() if following_claim else end]
    first, _, after = rest.partition("。")
    first = re.split(r"[;]", first, maxsplit=1)[0]
    if "其中" in first:
        return first.split("其中", 1)[0]
    if _REASON_LEAD.match(after):
        return first + after.split("。", 1)[0]
    return first


_NAME_TARGET_NOTE = re.compile(r"\((?:年度|全年)?(?:目标值|指标值|任务数|计划数|目标)[^()]{0,30}\)")


def _clean_name(name: str) -> str:
    # "证书(年度目标值12000人次)": the target in brackets is a figure, not part of the name
    name = _NAME_TARGET_NOTE.sub("", name)
    name = re.sub(
        r"^(?:其中|另外|此外|全年|\d{4}年(?:度)?|实际完成|完成了?)+[,]?", "", name.strip(",;: ")
    )
    return re.sub(r"(?:是|为|达到?|共|实际完成|完成)$", "", name).strip(",;: ")


class _ReasonAfter:
    """Whether a paragraph has a reason (原因, 由于 …) anywhere after a position.

    Asked for increasing positions; remembers the last reason found, so the paragraph is scanned
    once in all instead of once per completion claim.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.found = -1  # start of a reason at or after every position asked so far
        self.none_from = len(text) + 1  # no reason starts at or after this position

    def __call__(self, position: int) -> bool:
        if position <= self.found:
            return True
        if position >= self.none_from:
            return False
        m = _REASON.search(self.text, position)
        if m is None:
            self.none_from = position
            return False
        self.found = m.start()
        return True


# how far before a later mention an earlier target's name is looked for
_NAME_REACH = 120


class _Explainer:
    """A later mention ("X完成率158.08%，…原因…") explains an earlier target: one with the same
    percentage, or whose name appears just before the mention.

    Targets still unexplained are indexed by percentage and by name, and a mention's window is
    looked up by its substrings of the names' lengths, so the work per mention does not grow
    with the number of targets.
    """

    def __init__(self) -> None:
        self.by_percent: dict[str, list[TargetClaim]] = {}
        self.by_name: dict[str, list[TargetClaim]] = {}
        self.lengths: dict[int, int] = {}  # name length → how many names of it are indexed

    def add(self, target: TargetClaim) -> None:
        if target.explained:
            return
        self.by_percent.setdefault(target.percent_text, []).append(target)
        if target.name:
            names = self.by_name.setdefault(target.name, [])
            if not names:
                self.lengths[len(target.name)] = self.lengths.get(len(target.name), 0) + 1
            names.append(target)

    def explain(self, text: str, m: re.Match[str], reason_after: _ReasonAfter) -> None:
        if not reason_after(m.end()):
            return
        for target in self.by_percent.pop(m.group(1), ()):
            target.explained = True
        window = text[max(0, m.start() - _NAME_REACH) : m.start()]
        for length in list(self.lengths):
            for index in range(len(window) - length + 1):
                names = self.by_name.pop(window[index : index + length], None)
                if names is None:
                    continue
                for target in names:
                    target.explained = True
                self.lengths[length] -= 1
                if not self.lengths[length]:
                    del self.lengths[length]
                    break


def _amount(m: re.Match[str], number_group: int = 1) -> Decimal:
    return Decimal(m.group(number_group)) * AMOUNT_UNITS[m.group(number_group + 1)]


# Budget figures by their lead words, most explicit first. 实际到位 (funds received) is no spending
# and is never read as one.
_BUDGET_LEADS = {
    "initial": (
        r"年初(?:预算|批复|安排|下达)(?:数)?"
        # the fund named between: "2022年初农村危房改造资金预算安排300.7万元"
        r"|年初[\u4e00-\u9fff]{2,12}?资金预算安排",
    ),
    "full_year": (
        # (全年(调整)预算数: the form's column label written into prose)
        # (never 全年预算执行数: the year's spending against its budget, a figure of execution)
        r"(?:全年预算(?!执行)(?:数)?(?:\(调整后\))?|全年\(调整(?:后)?\)预算(?:数)?"
        r"|调整后(?:的)?(?:全年)?(?:项目)?预算(?:数)?"
        r"|调整预算后(?:的)?(?:项目|全年)?预算(?:数)?|预算调整为|全年预算调整为"
        # a project's funds as finally allocated: "项目实际下达预算2596万元"
        r"|实际下达(?:的)?(?:预算|资金))",
    ),
    "executed": (
        r"(?:实际(?:预算|总)?支出|全年执行数|实际执行|执行数|决算支出|全年支出|实际使用"
        # "项目支出决算为150万元" (a department's 项目支出 is a part: _budget_part; a 财政拨款
        # 支出决算 is only the fiscal part)
        r"|(?<!拨款)(?<!预算)支出决算(?:数)?"
        r"|支出执行|执行金额|执行(?=\d))",
        # a 决算's total: "本年支出合计12001.23万元" (not 财政拨款支出合计, only part of it)
        r"(?:(?<=^)|(?<=[,;:。)]|年|度|算))(?:本年度|本年|年度|全年|年末|部门|单位)?(?:决算)?"
        r"(?:支出合计|支出总额|总支出)",
        # the year's spending said plainly, the figure right after it: "2022年支出76.36万元",
        # "本年支出1366.23万元", "支出:799.12万元", a project's "资金已使用2万元" / "已完成拨付…"
        r"(?:(?<=^)|(?<=[,;:。)、]|年))(?:本年度|本年|全年|年度|当期|当年|本期)?(?:实际)?"
        r"(?:发生|完成)?支出(?:资金)?(?=[:为是]?\d)"
        r"|(?:已|实际)(?:完成)?(?:拨付使用|拨付|使用)(?:资金)?(?=[:为是]?\d)",
        # only when none of the above is stated: "…全部为县级配套资金,拨付使用16.20万元"
        # (allocated and used), "2022年支付3483万元"
        r"(?<=[,;:。])拨付使用(?=[:为是]?\d)"
        r"|(?:(?<=^)|(?<=[,;:。)]|年))(?:已|实际)?(?:完成)?支付(?:资金)?(?=[:为是]?\d)"
        # a subsidy's money paid out or spent said plainly: "全区共完成发放补助资金141.8万元",
        # "发放补助资金为278.8万元", "全年执行资金1847.85万元"
        r"|(?:(?<=^)|(?<=[,;:。)]|年|区|市|县|镇|乡))(?:全年|共|累计|已)?(?:完成)?"
        r"(?:发放补助资金|执行资金)(?=[:为是]?\d)",
    ),
}
# a cover table's cell with the unit in its label and the figure in the next cell:
# "实际支出(万元) | 991.51 |"
_BUDGET_CELL = re.compile(
    r"(?:(?P<initial>年初预算(?:数)?)|(?P<full_year>全年预算(?:数)?|调整后预算(?:数)?)"
    r"|(?P<executed>实际支出(?:数)?|全年执行数|预算执行数))"
    # (a figure going on with a comma and digits is a garbled one: 7,00.0,77 is not 7)
    rf"\((?P<unit>万元|亿元|元)\)[\s|:]*(?P<n>{NUM})(?![\d.%]|,\d)(?=[\s|]*(?:$|[^\d\s.]))"
)
# the full-year budget as the initial one "adjusted to" a figure, 预算 left unsaid:
# "年初预算57.28万元，年中调整为69.06万元"
_ADJUSTED_TO = re.compile(
    rf"年初(?:预算|批复|安排)(?:数)?(?:为|是)?{_AMOUNT},?(?:年中|后|经)?(?:追加)?调整(?:后)?为{_AMOUNT}"
)
# the year's budget with its parts: "预算收入69.06万元,其中年初预算57.28万元,调整追加11.78万元" —
# read (the total as the full-year budget) only when the parts add up to it
_BUDGET_SPLIT = re.compile(
    rf"(?:全年)?预算(?:收入|总额|资金|数)?(?:为|是|:)?{_AMOUNT},?其中[:]?"
    rf"年初预算(?:数)?(?:为|是)?{_AMOUNT},?(?:年中)?(?:调整)?(?:追加|调增)(?:预算)?(?:为|是)?{_AMOUNT}"
)
# the same in brackets after the fund's total: "行动资金800万元(财政预算740万元,年底追加某资金60万元)"
# — read only when the parts add up to the total
_BUDGET_BRACKETED = re.compile(
    rf"(?:资金|预算|经费)(?:总额|共计|合计)?(?:为|是)?{_AMOUNT}\((?:其中[:]?)?(?:年初|财政)?预算"
    rf"(?:安排)?(?:资金)?(?:为|是)?{_AMOUNT},?(?:年中|年底|年末|后期)?(?:调整)?(?:追加|调增)"
    rf"[^,;。()\d]{{0,16}}?{_AMOUNT}\)"
)
# a figure of one part of the budget, not the whole: "三公经费年初预算5万元", "基本支出实际支出…"
_BUDGET_PART = re.compile(
    r"三公|公务|会议费|培训费|差旅|出国|接待|用车|运行经费|基本支出|人员经费|公用经费|人员支出"
    r"|公用支出|其中"
)


def _budget_part(text: str, start: int, kind: str) -> bool:
    # the sentence so far: "三公经费年初预算5万元，实际支出3.2万元" are both the part's figures
    clause = re.split(r"[;。]", text[max(0, start - 40) : start])[-1]
    # (+2: the lead may start inside the part's name, 项目|支出决算)
    head = clause + text[start : start + 2]
    return bool(_BUDGET_PART.search(clause)) or (kind == "department" and "项目支出" in head)


def _budget(doc: Document) -> None:
    # the shapes below are rare: a word they need, looked for once, spares a scan of every paragraph
    for para in doc.paras if "调整" in doc.joined else ():
        if "调整" not in para.text:
            continue
        adjusted = _ADJUSTED_TO.search(para.text)
        if adjusted and not _budget_part(para.text, adjusted.start(), doc.kind):
            doc.budget["full_year"] = Value(
                _amount(adjusted, 3), adjusted.group(0), para, adjusted.start(3)
            )
            break
    for para in doc.paras if "其中" in doc.joined and "追加" in doc.joined else ():
        if "年初预算" not in para.text:
            continue
        split = _BUDGET_SPLIT.search(para.text)
        if split and _amount(split, 1) == _amount(split, 3) + _amount(split, 5):
            doc.budget["full_year"] = Value(_amount(split, 1), split.group(0), para, split.start())
            doc.budget["initial"] = Value(_amount(split, 3), split.group(0), para, split.start(3))
            break
    for para in doc.paras if "追加" in doc.joined and "full_year" not in doc.budget else ():
        if "追加" not in para.text:
            continue
        split = _BUDGET_BRACKETED.search(para.text)
        if split and _amount(split, 1) == _amount(split, 3) + _amount(split, 5):
            doc.budget["full_year"] = Value(_amount(split, 1), split.group(0), para, split.start())
            doc.budget.setdefault(
                "initial", Value(_amount(split, 3), split.group(0), para, split.start(3))
            )
            break
    for key, leads in _BUDGET_LEADS.items():
        if key in doc.budget:
            continue
        for lead in leads:
            # the figure within the lead's clause: "年初预算未安排，年中追加50万元" has no initial
            # and never across a comparison ("支出合计比年初预算数多140.89万元" is a difference)
            # nor past a 其中 ("全年执行数(B)执行率(B/A)其中中央补助…300万元" is a part's figure)
            regex = re.compile(
                "(?:" + lead + r")(?:(?!比|较|增|减|多|少|差|超|其中)[^。;,]){0,30}?" + _AMOUNT
            )
            for para in doc.paras:
                m = next(
                    (m for m in regex.finditer(para.text)
                     if not _budget_part(para.text, m.start(), doc.kind)
                     and not _later_column(para.text, m, lead)),
                    None,
                )  # fmt: skip
                if m:
                    doc.budget[key] = Value(_amount(m, 1), m.group(0), para, m.start())
                    break
            if key in doc.budget:
                break
    if doc.kind == "project" and doc.year is not None:
        _transfer_money(doc, doc.year.value)
    if "full_year" not in doc.budget and "executed" not in doc.budget and "资金总额" in doc.joined:
        _checked_funds_row(doc)
    if "full_year" not in doc.budget and "executed" not in doc.budget and "资金总额" in doc.joined:
        _glued_funds_row(doc)
    for para in doc.paras if "元)" in doc.joined else ():
        if "元)" not in para.text:
            continue
        for m in _BUDGET_CELL.finditer(para.text):
            key = next(k for k in ("initial", "full_year", "executed") if m.group(k))
            if key not in doc.budget:
                value = Decimal(m.group("n")) * AMOUNT_UNITS[m.group("unit")]
                doc.budget[key] = Value(value, m.group(0), para, m.start())
    _budget_table(doc)
    if "initial" not in doc.budget:
        doc.missing.append("年初预算数")
    if "executed" not in doc.budget:
        doc.missing.append("全年执行数（实际支出）")
    rate_regex = re.compile(
        rf"(预算执行率|支出完成率|预算完成率|资金执行率|资金使用率|执行率|预算调整率)[^%。;]{{0,40}}?({NUM})%"
    )
    for para in doc.paras:
        clause_start = 0
        matches = list(rate_regex.finditer(para.text))
        for m in matches:
            kind = "adjustment" if m.group(1) == "预算调整率" else "execution"
            since = max(clause_start, para.text.rfind("。", 0, m.start()) + 1)
            since = max(since, para.text.rfind(";", 0, m.start()) + 1)
            clause_start = m.end()
            if (
                kind == "execution"
                and _FUND_SOURCE.search(para.text, since, m.start())
                and (len(matches) > 1 or _FUND_SOURCE.search(para.text, m.end()))
            ):
                # one source's rate in a list of them, not the whole's (also where the list goes on
                # without a rate, or an opening is cut before the next: …省级资金完成2)
                continue
            if any(r.table and r.para is para and r.percent_text == m.group(2) for r in doc.rates):
                continue  # already read from the table row
            if _RATE_THRESHOLD.search(m.group(0)):
                continue  # a form's rule (执行率未达到90%的需说明原因), not the unit's rate
            if _FORMULA_FACTOR.search(para.text[max(0, m.start(2) - 3) : m.start(2)]):
                continue  # a column's formula (预算执行率(B/A×100%)), not a rate
            if Decimal(m.group(2)) >= _CELLS_RUN_TOGETHER:
                continue
            if _RATE_PAIR_AFTER.match(para.text, m.end()):
                continue  # an indicator row's 指标值 / 完成值 (预算执行率100%100%), not the funds' rate
            doc.rates.append(
                RateClaim(kind, Decimal(m.group(2)), m.group(2), m.group(0), para, m.start())
            )
        for m in _SHARE_OF_BUDGET.finditer(para.text):
            doc.rates.append(
                RateClaim("execution", Decimal(m.group(1)), m.group(1), m.group(0), para, m.start())
            )


# a second percentage right after a rate's (执行率100%100%, 执行率 95% 98%): a 自评表 indicator
# row's target and actual (年度指标值 / 实际完成值), which a copy runs together — the indicator's
# words, not the funds' rate (益阳's 76 % funds row under a 预算执行率 indicator row of 100% 100%)
_RATE_PAIR_AFTER = re.compile(r"\s{0,3}\d{1,3}(?:\.\d+)?%")

# a form's column labels run together (全年预算数全年执行数执行率年度资金总额50万元47.68…)
_COLUMN_LABEL = re.compile(r"年初预算|全年预算|预算数|执行数|执行率")
_COLUMN_LABEL_END = re.compile(r"(?:年初预算|全年预算|预算数|执行数|执行率)(?:\([A-Z]\))?$")


def _later_column(text: str, m: re.Match[str], lead: str) -> bool:
    """Whether a lead is a later one of a header row of column labels, the row's figures after
    them: another label between it and the figure, and one right before it. The figure after the
    row is the first column's (全年预算数), never the second's (全年执行数 would read 50 for 47.68)."""
    head = re.compile(lead).match(text, m.start())
    gap = text[head.end() if head else m.start() : m.start(1)]
    before = text[max(0, m.start() - 8) : m.start()]
    return bool(_COLUMN_LABEL.search(gap)) and bool(_COLUMN_LABEL_END.search(before))


# the rate said as the share of the budget spent, right after the spending: 执行数为1050万元,完成预算的
# 100% (alone, 完成预算的80% may be a work's progress)
_SHARE_OF_BUDGET = re.compile(rf"执行数?(?:为|是)?{NUM}万?元[,]?完成(?:全年)?预算的({NUM})%")


_RATE_THRESHOLD = re.compile(r"未达到?|低于|不足|不到|小于|高于|超过")
# a rate said of one source of the funds in a list of them (中央资金完成636.75万元,预算执行率81.97%,
# 省级资金完成…,预算执行率99.28%): a part's; one rate for funds of one source (市级资金…执行率100%) stays
_FUND_SOURCE = re.compile(r"(?:中央|省级|市级|县级|区级|地方|本级|上级|其他)(?:财政)?资金")
# the factor of a formula written in a header (执行率(B/A×100%), B/A*100%): the figure right after a
# multiplication sign (the few characters before the figure)
_FORMULA_FACTOR = re.compile(r"[×*＊]\s*$")
_TABLE_COLUMNS = (("initial", "年初预算"), ("full_year", "全年预算"), ("executed", "全年执行"))
_TABLE_ROW = re.compile(
    rf"(?:年度资金总额|资金总额|合计)[^\d]{{0,12}}?({NUM})(?:万元)?[\s|]+({NUM})(?:万元)?[\s|]+"
    # a figure whose decimal point ends the text (7. of 7.29, a copy cut there) is no figure
    rf"({NUM})(?!\.$)(?:(?:万元)?[\s|]+(?:{NUM}[\s|]+)?({NUM})%)?"
)


_NEXT_COLUMN = 24  # 全年预算数(调整后)(A) | : a cell's label and its letter
# (in a pdf's text the header cells may run together: 全年执行数分值执行率得分)
_POINTS_AFTER_EXECUTED = re.compile(r"全年执行数?(?:\([A-Z]\))?[\s|]*(?:分值|权重)")


_FISCAL_ROW = re.compile(
    _TABLE_ROW.pattern.replace("(?:年度资金总额|资金总额|合计)", "(?:本年)?财政拨款", 1)
)


# A transfer's money said in the template's sentences, each opening with the evaluated year: what
# was passed down (2023年共下达补助资金246.2万元, 2020年市财政共计下达单位市级项目资金60万元) is the
# year's budget, what was paid out (2023年共支付省级福利彩票公益金113万元) its spending. A fund's name
# may stand between the verb and the figure; a batch (第二批, 提前下达) is no total.
_PASSED_DOWN = re.compile(
    r"(?:^|(?<=[。;,]))(?P<year>\d{4})年度?,?(?:[省市县区州]?财政(?:厅|局)?|上级|中央|省级|省|市)?"
    r"(?:共计|共|累计|全年)?下达(?:我[县区市镇乡局]|本级|单位)?"
    # (a fund's name may hold a bracket: 体育强省(快乐健身)专项资金; never a 其中's)
    r"(?P<fund>(?:(?!第[一二三四五六七八九十\d]+批|提前|\(其)[^。;,:其\d]){0,24}?"
    r"(?:资金|公益金|补助|经费))"
    rf"(?:共计|共|合计)?{_AMOUNT}"
)
_PAID_OUT = re.compile(
    r"(?:^|(?<=[。;,]))(?P<year>\d{4})年度?(?:全[县区市镇乡]|我[县区市镇乡])?(?:共计|共|累计)?(?:完成)?"
    r"(?:支付|兑付|发放)(?P<fund>[^。;,:(其\d]{0,20}?(?:资金|公益金|补助|经费))"
    rf"(?:共计|共|合计)?{_AMOUNT}"
)


def _year_of_transfer(doc: Document) -> Value | None:
    """The year a project's transfer sentences open with (2023年共下达…, 2023年全区共完成发放…), when
    they all open with one: funds passed down and paid out in the year evaluated."""
    if doc.kind != "project" or not re.search(r"下达|支付|发放|兑付", doc.joined):
        return None
    found = [
        (m, para)
        for para in doc.paras
        for regex in (_PASSED_DOWN, _PAID_OUT)
        for m in regex.finditer(para.text)
    ]
    if len({m.group("year") for m, _ in found} | _carried_into_years(doc)) != 1:
        return None
    m, para = found[0]
    return Value(int(m.group("year")), m.group(0), para, m.start("year"))


def _transfer_money(doc: Document, year: int) -> None:
    """A project's budget and spending from a transfer's template sentences (_PASSED_DOWN,
    _PAID_OUT) of the evaluated year, where nothing else said them: the first such sentence, at the
    start of a sentence and of no numbered part (1.某项目:2023年下达…48万元 is one project's)."""
    for key, regex, word in (
        ("full_year", _PASSED_DOWN, "下达"),
        ("executed", _PAID_OUT, ""),
    ):
        if key in doc.budget or (word and word not in doc.joined):
            continue
        for para in doc.paras:
            m = next(
                (
                    m
                    for m in regex.finditer(para.text)
                    if int(m.group("year")) == year and ":" not in para.text[: m.start()]
                ),
                None,
            )
            if m is not None:
                # (the amount's figure and unit are the pattern's last two groups)
                doc.budget[key] = Value(_amount(m, regex.groups - 1), m.group(0), para, m.start())
                break


# A transfer form's funds row under columns the 自评表 reader does not know (全年预算数(A) 统筹整合资金数(B)
# … 全年到位资金(D) 预算到位(D/C) 全年执行资金(E) 预算执行(E/C)): 年度资金总额(万元):1 52.8 52.8 52.8 100.00%
# 30.8 58.33% — a row whose empty cells vanished, so its figures cannot be placed by count
_FUNDS_TOTAL_ROW = re.compile(
    r"年度资金总额(?:\((?:万元|元)\))?[:]?\s*(?P<cells>(?:[\s|]*\d+(?:\.\d+)?%?){3,12})"
)
_ROW_FIGURE = re.compile(r"(\d+(?:\.\d+)?)(%?)")


def _checked_funds_row(doc: Document) -> None:
    """The year's budget, spending and rate from such a row, read only where they check each other:
    the header's first amount column is the full-year budget (全年预算数, no 年初预算数 before it), the
    row's first figure (after its line number, a single digit) that budget, the figure before the
    row's last percent the spending (全年执行资金 / 全年执行数), and that percent its share of the
    budget to the digits printed (30.8 ÷ 52.8 = 58.33 %). Anything else reads nothing."""
    for para in doc.paras:
        m = _FUNDS_TOTAL_ROW.search(para.text)
        if m is None:
            continue
        header = para.text[max(0, m.start() - 400) : m.start()]
        budget_at = header.rfind("全年预算数")
        if (
            budget_at < 0
            or "年初预算" in header[budget_at - 40 :]
            or not re.search(r"全年执行(?:资金|数)", header[budget_at:])
            or not re.search(r"预算执行|执行率", header[budget_at:])
        ):
            continue
        cells = [(Decimal(f), bool(p)) for f, p in _ROW_FIGURE.findall(m.group("cells"))]
        last = max((i for i, (_, percent) in enumerate(cells) if percent), default=-1)
        if last < 2 or cells[last - 1][1]:
            return
        rate, spent = cells[last][0], cells[last - 1][0]
        places = Decimal(1).scaleb(
            -len(_ROW_FIGURE.findall(m.group("cells"))[last][0].partition(".")[2])
        )
        fits = [
            amount
            for index, (amount, percent) in enumerate(cells[:2])
            if not percent
            and amount
            and not (index == 0 and amount < 10 and amount == amount.to_integral())
            and (spent * 100 / amount).quantize(places, ROUND_HALF_UP) == rate
        ]
        if len(fits) != 1:
            return
        doc.budget["full_year"] = Value(fits[0], m.group(0), para, m.start())
        doc.budget["executed"] = Value(spent, m.group(0), para, m.start())
        doc.rates.append(
            RateClaim("execution", rate, format(rate, "f"), m.group(0), para, m.start(), True)
        )
        return


# A 自评表's funds row whose cells a pdf ran together (年度资金总额:202010100.00%10 under 全年预算数(A)
# 全年执行数(B) 分值 执行率(B/A) 得分; 资金总额10001000100%20 under 预算数(A) 执行数(B) 执行率 得分)
_GLUED_ROW = re.compile(r"资金总额[:]?(?P<run>\d[\d.]*%[\d.]*)(?![\d.%])")
_GLUED_COLUMNS = (
    ("full_year", re.compile(r"(?<!年初)(?:全年)?预算数")),
    ("executed", re.compile(r"(?:全年)?执行数")),
    ("weight", re.compile(r"分值|权重")),
    ("rate", re.compile(r"执行率")),
    ("score", re.compile(r"得分")),
)
_CELL_NUMBER = re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?")


def _glued_funds_row(doc: Document) -> None:
    """Such a row is cut into its header's cells only where exactly one cut makes them check each
    other: every cell a number (no leading zero), budget and spending above nothing, the spending's
    share of the budget the printed rate to its digits, and a score its weight × the rate. Nothing
    is read where two cuts fit, none does, or the header has a 年初预算数 (a column more to place)."""
    for para in doc.paras:
        m = _GLUED_ROW.search(para.text)
        if m is None:
            continue
        header = para.text[max(0, m.start() - 120) : m.start()]
        if "年初预算" in header:
            return
        found = [(regex.search(header), key) for key, regex in _GLUED_COLUMNS]
        columns = [key for at, key in sorted((at.start(), key) for at, key in found if at)]
        if not {"full_year", "executed", "rate"} <= set(columns):
            return
        fits = _cuts(m.group("run"), columns)
        if len(fits) != 1:
            return
        cells, rate_text = fits[0]
        doc.budget["full_year"] = Value(cells["full_year"], m.group(0), para, m.start())
        doc.budget["executed"] = Value(cells["executed"], m.group(0), para, m.start())
        doc.rates.append(
            RateClaim("execution", cells["rate"], rate_text, m.group(0), para, m.start(), True)
        )
        return


def _cuts(run: str, columns: list[str]) -> list[tuple[dict[str, Decimal], str]]:
    """Every cut of ``run`` into ``columns`` whose cells check each other (_glued_funds_row)."""
    head, _, tail = run.partition("%")
    rate_index = columns.index("rate")
    before, after = columns[:rate_index], columns[rate_index + 1 :]
    # (a real row runs a dozen digits together; a longer run is cut no more: the cuts multiply)
    if len(head) > 24 or len(tail) > 8 or (not tail) != (not after):
        return []
    fits = []
    for left in _splits(head, len(before) + 1):
        rate_text = left[-1]
        for right in _splits(tail, len(after)) if after else [[]]:
            values = (Decimal(c) for c in left + right)
            cells = dict(zip([*before, "rate", *after], values, strict=True))
            if _checks(cells, rate_text, dict(zip(after, right, strict=True))):
                fits.append((cells, rate_text))
    return fits


def _splits(text: str, parts: int) -> list[list[str]]:
    """The cuts of ``text`` into ``parts`` numbers, none with a leading zero."""
    if parts == 1:
        return [[text]] if _CELL_NUMBER.fullmatch(text) else []
    return [
        [text[:cut], *rest]
        for cut in range(1, len(text))
        if _CELL_NUMBER.fullmatch(text[:cut])
        for rest in _splits(text[cut:], parts - 1)
    ]


def _checks(cells: dict[str, Decimal], rate_text: str, after: dict[str, str]) -> bool:
    budget, spent, rate = cells["full_year"], cells["executed"], cells["rate"]
    if not (budget > 0 and spent > 0 and 0 < rate <= 200):
        return False
    places = Decimal(1).scaleb(-len(rate_text.partition(".")[2]))
    if (spent * 100 / budget).quantize(places, ROUND_HALF_UP) != rate:
        return False
    if "weight" in cells and "score" in cells:
        score_places = Decimal(1).scaleb(-len(after.get("score", "").partition(".")[2]))
        due = (cells["weight"] * min(rate, Decimal(100)) / 100).quantize(
            score_places, ROUND_HALF_UP
        )
        return cells["weight"] <= 100 and due == cells["score"]
    return all(cells.get(key, Decimal(0)) <= 100 for key in ("weight", "score"))


def _budget_table(doc: Document) -> None:
    """The funds block of a 自评表 (年初预算数 | 全年预算数 | 全年执行数), from a docx/pdf table."""
    if all(key in doc.budget for key, _ in _TABLE_COLUMNS):
        return
    header_seen = False
    scale = Decimal(1)
    for para in doc.paras:
        text = para.text
        positions = [text.find(word) for _, word in _TABLE_COLUMNS]
        # (全年执行 right after 全年预算's cell: a form with other amount columns between them —
        # 统筹整合资金数, 全年到位资金 — is not this table, and its row's third figure no spending)
        if (
            all(p >= 0 for p in positions)
            and positions == sorted(positions)
            and positions[2] - positions[1] <= _NEXT_COLUMN
        ):
            header_seen = True
            unit = re.search(r"单位[:]?(万元|亿元|元)|\((万元|亿元|元)\)", text)
            if unit:
                scale = AMOUNT_UNITS[unit.group(1) or unit.group(2)]
        if not header_seen:
            continue
        rows = list(_TABLE_ROW.finditer(text))
        m = next((r for r in rows if any(Decimal(r.group(i)) for i in (1, 2, 3))), None)
        if m is None and rows:
            # a total row of zeros (a sheet whose sum was never filled): the 财政拨款 row says it
            m = next(
                (
                    r
                    for r in _FISCAL_ROW.finditer(text)
                    if any(Decimal(r.group(i)) for i in (1, 2, 3))
                ),
                None,
            )
        if m is None:
            continue
        if (
            m.group(4)
            and len(re.findall(NUM, m.group(0))) == 4
            and _POINTS_AFTER_EXECUTED.search(text)
        ):
            # the header has a 分值 cell between 全年执行数 and 执行率 but the row has no figure
            # for it: an empty amount cell vanished, and which one cannot be told
            continue
        for index, (key, _) in enumerate(_TABLE_COLUMNS, start=1):
            if key not in doc.budget:
                value = Decimal(m.group(index)) * scale
                doc.budget[key] = Value(value, m.group(0), para, m.start())
        already = any(r.para is para and r.percent_text == m.group(4) for r in doc.rates)
        if m.group(4) and not already:
            doc.rates.append(
                RateClaim(
                    "execution", Decimal(m.group(4)), m.group(4), m.group(0), para, m.start(), True
                )
            )
        return


def _sheet(doc: Document) -> None:
    """A 自评表 flattened into the text (jixiao.audit.sheet: cells one a line, `` | ``, tabs,
    spaces, an xlsx copied as one line): its cover cells, the 年度资金总额 row and the indicator
    rows fill what the prose left empty; rows that do not fit the header are listed as not read."""
    from jixiao.audit.sheet import read_sheet

    # a copy in traditional characters: the header words folded as the prose's are (normalize)
    text = fold_traditional(doc.text) if folded_traditional(doc.text) else doc.text
    sheet = doc.sheet = read_sheet(text)
    if not sheet:
        return
    lines = sorted({line for para in doc.paras for _, line in para.pieces})
    by_line = {line: (para, start) for para in doc.paras for start, line in para.pieces}

    def value(value: Any, line: int, quote: str) -> Value:
        index = bisect.bisect_right(lines, line) - 1
        para, start = by_line[lines[max(index, 0)]] if lines else (None, 0)
        return Value(value, quote, para, start)

    cover = sheet.cover
    if doc.project_name is None and "project_name" in cover and not doc.several_sheets:
        doc.project_name = value(*cover["project_name"])
    if doc.supervisor is None and "supervisor" in cover:
        doc.supervisor = value(*cover["supervisor"])
    # the 实施单位 is the unit only on a sheet that names no 单位名称 / 填报单位 of its own
    unit = cover.get("unit") or (
        cover.get("implementer") if not re.search(r"单位名称|填报单位", doc.text) else None
    )
    if doc.unit_name is None and unit is not None:
        doc.unit_name = value(*unit)
        _now_read(doc, "评价单位")
    total = next((r for r in sheet.funds if r.total and any(r.amounts.values())), None)
    if total is not None:
        for key, amount in total.amounts.items():
            if key not in doc.budget:
                doc.budget[key] = value(amount, total.line, total.quote)
        if "initial" in doc.budget:
            _now_read(doc, "年初预算数")
        if "executed" in doc.budget:
            _now_read(doc, "全年执行数（实际支出）")
        if total.rate_text and not any(
            r.table and r.percent_text == total.rate_text for r in doc.rates
        ):
            where = value(None, total.line, total.quote)
            doc.rates.append(
                RateClaim("execution", Decimal(total.rate_text), total.rate_text, total.quote,
                          where.para, where.offset, True)  # type: ignore[arg-type]
            )  # fmt: skip
    # a row the tab-grid reader took already (same line, same actual), or an indicator the prose
    # states too (same actual, and the same target or name): one target, not two
    grid = {(id(t.para), t.offset, t.actual) for t in doc.targets if t.from_table}
    prose = [t for t in doc.targets if not t.from_table]
    for row in sheet.indicators:
        if not row.readable:
            continue
        assert row.target is not None and row.actual is not None
        where = value(None, row.line, row.quote)
        if (id(where.para), where.offset, row.actual) in grid or any(
            t.actual == row.actual
            and (t.target == row.target or row.name in t.name or t.name in row.name)
            for t in prose
        ):
            continue
        computed = (row.actual / row.target * 100).quantize(Decimal("0.01"))
        explained = row.reason is None or not _NO_REASON.match(row.reason)
        if not explained and computed != 100 and len(row.name) >= 4:
            # the grid has no reason, the text may give one: a paragraph naming the indicator
            explained = any(row.name in p.text and _REASON.search(p.text) for p in doc.paras)
        doc.targets.append(
            TargetClaim(
                name=row.name,
                unit=row.unit,
                actual=row.actual,
                target=row.target,
                stated_percent=Decimal(row.percent_text) if row.percent_text else computed,
                percent_text=row.percent_text or format(computed.normalize(), "f"),
                quote=row.quote,
                para=where.para,  # type: ignore[arg-type]
                offset=where.offset,
                explained=explained,
                from_table=True,
                percent_stated=bool(row.percent_text),
            )
        )
        _now_read(doc, "绩效目标完成情况（实际完成值与完成率）")
    if sheet.unaligned:
        shown = "、".join(str(n) for n in sorted(set(sheet.unaligned))[:10])
        doc.missing.append(f"自评表中与表头对不齐的行（第 {shown} 行，未读）")


def _now_read(doc: Document, name: str) -> None:
    if name in doc.missing:
        doc.missing.remove(name)


# No score scale or execution rate reaches four digits: a figure that does is cells of a sheet
# copied without separators (总分100100 is 100 | 100; 执行率…202010100.00% is 20 | 20 | 10 | 100.00%).
_CELLS_RUN_TOGETHER = Decimal(1000)

_SCORE_LEADS = (
    r"自评(?:总)?得分",
    # 指标评价得分 is an indicator's or a part's (一、资金保障方面,指标评价得分12), not the total
    r"(?:总|综合|(?<!指标)评价|最终)得分",
    r"自评(?:总分|分数|分)",
    r"总分(?!值)",
    r"(?:综合|自评|总体)评分",
    # the score right after the grade it earns: 自评绩效等级为“优”,分数为97分
    r"(?:自评|评价)(?:绩效)?等[级次](?:为|是)[“\"「]?(?:"
    + "|".join(GRADE_WORDS)
    + r")[”\"」]?,(?:分数|得分)"
    # (one score, not a scale's band: 分数为90分以上, 分数为80-89分)
    r"(?=为\d{1,3}(?:\.\d{1,2})?分(?![\d\-~至以]))",
)


def _score(doc: Document) -> None:
    found = None
    for lead in _SCORE_LEADS:
        # (a form's label with its unit: 自评总分(分) 97.6)
        # (总分100 96优: a sheet's 总分 row read out of a pdf, the points then the score — the
        # first figure followed by a second bare one is no score)
        found = _first(
            doc, rf"{lead}(?:\(分\))?(?:为|是|:)?[“\"「]?(-?{NUM})(?:分|(?![\d.]|\s+\d))"
        )
        if found and abs(Decimal(found[0].group(1))) >= _CELLS_RUN_TOGETHER:
            found = None  # 总分100100: the points and the score cells run together, not a score
        if found:
            break
    if found:
        m, para = found
        doc.total_score = Value(Decimal(m.group(1)), m.group(0), para, m.start())
    else:
        doc.total_score = (
            _score_under_heading(doc)
            or _score_table_row(doc)
            or _first_value(doc, _SCORE_CELL)
            or _first_value(doc, _SCORE_LABEL_POINTS)
        )
        if doc.total_score is None:
            doc.missing.append("自评总分")
    grades = "|".join(GRADE_WORDS)
    found = _first(doc, rf"(?:评价)?等[级次](?:评定|评为|认定|结果)?(?:为|是|:)?[“\"「]?({grades})")
    if found is None:
        # (…自评得分为98分,自评结论为“优秀”: the conclusion's grade)
        found = _first(doc, rf"(?:评价|自评|绩效)(?:结果|结论)(?:为|是|:)[“\"「]?({grades})")
    if found is None:
        # "整体绩效自评为优秀；": the grade ends its clause (not 自评为良好的项目)
        found = _first_rare(
            doc, rf"自评(?:等[级次])?为[“\"「]?({grades})[”\"」]?(?:等[级次])?(?=$|[,;。)])"
        )
    if found is None and "|" in doc.joined:
        # a sheet's cells: 自评等级 | 优 (never a scale's header, 等级 | 优 | 良 | 中 | 差)
        found = _first(doc, _GRADE_CELL.pattern)
    if found is None:
        # a letter scale (等级为B; 等級 in a traditional copy): read as written, never mapped onto
        # the rule-set's 优/良/中/差 (which letter a band is, is the bureau's scale)
        found = _first_rare(doc, _LETTER_GRADE.pattern)
    if found:
        m, para = found
        doc.grade = Value(m.group(1), m.group(0), para, m.start())
    elif doc.total_score is not None and doc.total_score.para is not None:
        # "综合评分:95分(优秀)": the grade in brackets right after the score
        score_para = doc.total_score.para
        end = doc.total_score.offset + len(doc.total_score.quote)
        grades = "|".join(GRADE_WORDS)
        bracket = re.compile(rf"分?\(({grades})\)").match(score_para.text, end)
        # a 自评表's 总分 row: 总分 | 100 | 96 | 优 — the grade in the cell after the score
        cell = re.compile(rf"{NUM}\s*\|\s*({grades})(?=\s*(?:\||$))").match(
            score_para.text, doc.total_score.offset
        )
        found_grade = bracket or cell
        if found_grade:
            doc.grade = Value(
                found_grade.group(1), found_grade.group(0), score_para, found_grade.start()
            )
    if doc.grade is None:
        doc.missing.append("评价等级")
    regex = re.compile(rf"本项得分(?:为)?({NUM})分(?:\((?:分值|满分)({NUM})分\))?")
    for para in doc.paras:
        for m in regex.finditer(para.text):
            name = para.title or para.text[:10]
            points = Decimal(m.group(2)) if m.group(2) else None
            doc.parts.append(
                (name, Value(Decimal(m.group(1)), m.group(0), para, m.start()), points)
            )


# only right after the score it grades (自评分数为89分,等级为B): a letter alone may be a credit
# rating or a scenic area's (等级为A级景区)
_LETTER_GRADE = re.compile(
    r"(?:得分|分数|评分|总分)(?:为|是|:)?\d{1,3}(?:\.\d{1,2})?分[,;]?"
    r"(?:评价|自评|绩效)?等[级級次](?:评定|评为|认定|结果)?(?:为|是|:)[“\"「]?([A-D])(?:级|級|等)?"
    r"(?![A-Za-z0-9\u4e00-\u9fff])"
)
_SCORE_HEADING = re.compile(r"(?:自评|综合|评价|总)得分(?:情况)?|自评(?:总分|结果)")
_SCORE_ALONE = re.compile(rf"(?:得分)?(?:为|:)?({NUM})分[。.]?")


def _score_under_heading(doc: Document) -> Value | None:
    """The score as the only words under its heading: "(一)自评得分" / "100分。"."""
    for index, para in enumerate(doc.paras[:-1]):
        if "分" not in para.text and "结果" not in para.text:
            continue
        if para.heading is None or not _SCORE_HEADING.fullmatch(para.title):
            continue
        following = doc.paras[index + 1]
        if following.heading is not None:
            continue
        m = _SCORE_ALONE.fullmatch(following.text)
        if m:
            return Value(Decimal(m.group(1)), following.text, following, m.start(1))
        # "项目…开展绩效评分100分,自评为优。": the one figure in 分 of the paragraph under the
        # heading, when nothing in it speaks of points, weights or another score
        # (only beside the grade it earns, 自评为优: a part's score or a change, 较上年提高5分,
        # stands without one)
        scores = list(_SCORE_IN_SENTENCE.finditer(following.text))
        if (
            len(scores) == 1
            and not _NOT_THE_SCORE.search(following.text)
            and _GRADE_STATED.search(following.text)
        ):
            m = scores[0]
            if Decimal(m.group(1)) <= 100:
                return Value(Decimal(m.group(1)), m.group(0), following, m.start(1))
    return None


_GRADE_STATED = re.compile(rf"(?:评为|为|等[级次]|评价为)[“\"「]?(?:{'|'.join(GRADE_WORDS)})")
_SCORE_IN_SENTENCE = re.compile(rf"(?<![\d.])({NUM})分(?!值|之)")
_NOT_THE_SCORE = re.compile(r"满分|分值|权重|扣|加分|减分|指标|%|第|提高|增加|减少|下降|较|比")


# a score table's header (分值 or 权重 before 得分) and its total row: 合计 100 98 (the points of a
# 100-point scale, then the score; a row whose score cell is empty gives nothing)
_SCORE_HEADER = re.compile(r"(?:分值|权重|标准分)[^。]{0,80}?得分")
_SCORE_TOTAL_ROW = re.compile(
    rf"(?:^|[\s|])(?:合计|总计|总分|分值合计)[\s|]*100(?:\.0+)?[\s|]+({NUM})(?=[\s|]*(?:$|[^\d\s|.%]))"
)


# a sheet's 总分 row with one cell: "总分 | 95分 | ||||" (the earned total in 分; a row with a
# second figure, 总分 | 100 | 96, is the points and the score: _score_table_row)
_SCORE_CELL = re.compile(
    rf"(?:^|[\s|])(?:总分|合计得分)\s*\|\s*({NUM})分(?=[\s|]*(?:$|[^\d\s|.%]))"
)


# a sheet's 总分 label with its full marks, the score in the next cell: 总分(100分) | 96
_SCORE_LABEL_POINTS = re.compile(
    rf"(?:^|[\s|])(?:自评)?总分\(100(?:\.0+)?分\)\s*\|\s*({NUM})(?=\s*(?:\||$))"
)
_GRADE_CELL = re.compile(
    "(?:自评|评价)等[级次]\\s*\\|\\s*(" + "|".join(GRADE_WORDS) + ")(?=\\s*(?:\\||$))"
    "(?!\\s*\\|\\s*(?:" + "|".join(GRADE_WORDS) + ")\\s*(?:\\||$))"
)


def _first_value(doc: Document, regex: re.Pattern[str]) -> Value | None:
    if "|" not in doc.joined:
        return None
    for para in doc.paras:
        m = regex.search(para.text)
        if m and Decimal(m.group(1)) <= 100:
            return Value(Decimal(m.group(1)), m.group(0).strip(" |"), para, m.start(1))
    return None


def _score_table_row(doc: Document) -> Value | None:
    if "得分" not in doc.joined:
        return None
    header_seen = False
    for para in doc.paras:
        header_seen = header_seen or bool(_SCORE_HEADER.search(para.text))
        if not header_seen or ("合计" not in para.text and "总" not in para.text):
            continue
        m = _SCORE_TOTAL_ROW.search(para.text)
        if m and Decimal(m.group(1)) <= 100:
            return Value(Decimal(m.group(1)), m.group(0).strip(" |"), para, m.start(1))
    return None


def _problems(doc: Document) -> None:
    for key, bucket, sources in (
        ("问题", doc.problems, doc.problem_paras),
        ("措施", doc.improvements, doc.improvement_paras),
    ):
        inside = False
        for para in doc.paras:
            level = para.heading
            if level is not None and level <= 2:
                inside = key in para.title and (key != "问题" or "存在" in para.title)
                continue
            if inside:
                bucket.append(re.sub(r"^(?:\d{1,2}[.、]|\(\d{1,2}\))", "", para.text))
                sources.append(para)
