"""Checks (审查规则): each looks at the extracted claims and reports what does not add up.

Every check returns ``Finding``s with the quoted text and its line (and page). The codes are listed
in ``jixiao.audit.__doc__`` and explained in docs/audit.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jixiao.audit.extract import AMOUNT_UNITS, Document, Section, Value
from jixiao.audit.extract import NUM as _NUM
from jixiao.audit.findings import Finding, Location
from jixiao.audit.normalize import (
    Paragraph,
    fold_name,
    fold_traditional,
    folded_traditional,
    half_unit,
    heading_level,
    normalize_line,
)
from jixiao.audit.sheet import IndicatorRow
from scoring import InputError
from scoring.loading import find_ruleset
from scoring.rounding import format_score
from scoring.ruleset import RuleSet, Thresholds

DEFAULT_RULESETS = {
    "department": ("gd-department",),
    "project": ("national-project", "gd-department"),
}
# Units counted in whole numbers: only for these "no whole-number target fits" is a proof.
COUNT_UNITS = frozenset(
    [
        "人次",
        "人",
        "个",
        "家",
        "项",
        "次",
        "场",
        "件",
        "户",
        "名",
        "期",
        "批",
        "所",
        "本",
        "套",
        "台",
        "篇",
    ]
)
LATE_FILING_YEARS = 2  # 填报日期晚于评价年度之后第 2 年：可疑

# Required level-1 sections (一 二 三 四), from the seed and jixiao/documents report templates.
REQUIRED_SECTIONS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "department": (
        ("基本情况", ("基本情况", "单位概况", "部门概况")),
        ("自评工作开展情况", ("自评工作", "评价工作", "工作开展")),
        (
            "绩效自评情况",
            ("绩效自评情况", "综合评价", "评价结论", "目标完成情况", "自评结果", "绩效情况"),
        ),
        ("其他自评情况", ("其他",)),
    ),
    "project": (
        ("项目基本情况", ("基本情况", "项目概况")),
        ("自评工作开展情况", ("自评工作", "评价工作", "工作开展")),
        (
            "绩效自评情况",
            ("绩效自评情况", "综合评价", "评价结论", "目标完成情况", "自评结果", "绩效情况"),
        ),
        ("其他自评情况", ("其他",)),
    ),
}
# the outline of a 转移支付 / 衔接资金 self-evaluation (一、绩效目标分解下达情况 二、绩效自评工作开展情况
# 三、绩效目标完成情况分析 四、绩效自评结果拟应用和公开情况): its first part stands for the 基本情况 and its
# last for the other parts; a report opening with the 分解下达 part is held to this outline
TRANSFER_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("绩效目标分解下达情况", ("目标分解下达", "分解下达情况")),
    ("绩效自评工作开展情况", ("自评工作", "评价工作", "工作开展")),
    (
        "绩效目标完成情况分析",
        ("完成情况", "实现情况", "综合评价", "评价结论", "自评结果", "目标实现"),
    ),
    ("绩效自评结果拟应用和公开情况", ("拟应用", "应用和公开", "改进措施", "其他")),
)


@functools.lru_cache(maxsize=8)
def load_ruleset(kind: str) -> RuleSet | None:
    """The default rule-set for a report kind (cached: rule-sets are frozen)."""
    for reference in DEFAULT_RULESETS.get(kind, DEFAULT_RULESETS["department"]):
        try:
            return find_ruleset(reference)
        except InputError:
            continue
    return None


def run_checks(doc: Document, ruleset: RuleSet | None = None) -> list[Finding]:
    ruleset = ruleset or load_ruleset(doc.kind)
    doc.ruleset = ruleset.ref if ruleset else ""
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check(doc, ruleset))
    for name in doc.missing:
        findings.append(Finding("info", "not_found", f"未能读出“{name}”，相关审查未做"))
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: (order[f.severity], f.location.line or 0))


def _finding(doc: Document, severity: str, code: str, message: str, value: Value) -> Finding:
    return Finding(severity, code, message, value.quote, value.location(doc.pages))


def _fmt(value: Decimal) -> str:
    value = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _matches(stated: Decimal, text: str, computed: Decimal) -> bool:
    """The stated percentage is ``computed`` rounded half-up to the decimals it is written with.

    A stated 126.59% means the true ratio lies in [126.585%, 126.595%): the honest rounding interval,
    no looser (a looser tolerance let a changed actual through, issue 13). The lower bound allows
    for the last digit of a 28-digit Decimal quotient.
    """
    half = half_unit(text)
    return stated - half - Decimal("1e-20") <= computed < stated + half


def possible_whole_targets(actual: Decimal, stated: Decimal, text: str) -> list[int]:
    """Whole-number targets T with actual ÷ T × 100 rounding (half-up) to the stated percentage:
    T in (actual × 100 ÷ (stated + half), actual × 100 ÷ (stated − half)]."""
    half = half_unit(text)
    high_pct = stated + half
    low_pct = stated - half
    if low_pct <= 0:
        return []
    low_t = math.floor(actual * 100 / high_pct)
    high_t = math.floor(actual * 100 / low_pct)
    found = []
    for target in range(max(1, low_t), min(high_t, low_t + 10_000) + 1):
        if _matches(stated, text, actual * 100 / Decimal(target)):
            found.append(target)
            if len(found) >= 5:
                break
    return found


def check_percentages(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    for t in doc.targets:
        value = Value(t.stated_percent, t.quote, t.para, t.offset)
        if t.target is not None and t.target > 0:
            computed = t.actual / t.target * 100
            if not _matches(t.stated_percent, t.percent_text, computed):
                yield _finding(
                    doc,
                    "error",
                    "percentage_mismatch",
                    f"“{t.name}”完成率写作 {t.percent_text}%，但 {_fmt(t.actual)}÷{_fmt(t.target)}"
                    f"＝{_fmt(computed)}%",
                    value,
                )
        elif (
            t.unit in COUNT_UNITS
            and t.actual == t.actual.to_integral()
            and t.actual > 0
            and not possible_whole_targets(t.actual, t.stated_percent, t.percent_text)
        ):
            yield _finding(
                doc,
                "error",
                "percentage_impossible",
                f"“{t.name}”实际完成 {_fmt(t.actual)}{t.unit}，没有任何整数目标值能得出完成率 "
                f"{t.percent_text}%",
                value,
            )


def check_completion(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    # no rule-set: the default line (150, unsourced: docs/rulesets.md「评分选项」), from one place
    threshold = (ruleset.thresholds if ruleset else Thresholds()).over_completion
    for t in doc.targets:
        value = Value(t.stated_percent, t.quote, t.para, t.offset)
        if t.stated_percent > threshold and not t.explained:
            yield _finding(
                doc,
                "warning",
                "over_completion",
                f"“{t.name}”完成率 {t.percent_text}%，超过 {_fmt(threshold)}%，目标可能设定偏低，"
                "报告未说明原因",
                value,
            )
        elif t.stated_percent < 100 and not t.explained:
            yield _finding(
                doc,
                "warning",
                "under_completion_unexplained",
                f"“{t.name}”完成率 {t.percent_text}%，未完成年度目标，报告未说明原因及改进措施",
                value,
            )


def check_score(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    total = doc.total_score
    top = ruleset.total_points if ruleset else Decimal(100)
    if total is not None and not (0 <= total.value <= top):
        yield _finding(
            doc,
            "error",
            "score_out_of_range",
            f"自评得分 {_fmt(total.value)} 分超出 0～{_fmt(top)} 分的范围",
            total,
        )
    if total is not None and doc.grade is not None and ruleset is not None:
        earned = next((g for g in ruleset.grades if total.value >= g.min_score), None)
        stated = doc.grade.value
        # a letter (等级为B) is on the bureau's own scale, not the rule-set's bands: not judged
        if (
            earned is not None
            and stated not in (earned.name, earned.label)
            and not stated.isascii()
        ):
            yield _finding(
                doc,
                "error",
                "grade_mismatch",
                f"得分 {_fmt(total.value)} 分按规则集 {ruleset.ref} 应评为“{earned.name}”，"
                f"报告写作“{stated}”",
                doc.grade,
            )
    for name, value, points in doc.parts:
        if value.value < 0 or (points is not None and value.value > points):
            yield _finding(
                doc,
                "error",
                "score_out_of_range",
                f"“{name}”得分 {_fmt(value.value)} 分超出该项分值 {_fmt(points or Decimal(0))} 分",
                value,
            )
    if total is not None and len(doc.parts) >= 2:
        parts_sum = sum((v.value for _, v, _ in doc.parts), Decimal(0))
        if parts_sum != total.value:
            names = "＋".join(f"{_fmt(v.value)}" for _, v, _ in doc.parts)
            yield _finding(
                doc,
                "error",
                "parts_not_adding",
                f"各部分得分 {names}＝{_fmt(parts_sum)} 分，不等于自评总分 {_fmt(total.value)} 分",
                total,
            )


def check_budget(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    initial = doc.budget.get("initial")
    full_year = doc.budget.get("full_year")
    executed = doc.budget.get("executed")
    for rate in doc.rates:
        value = Value(rate.percent, rate.quote, rate.para, rate.offset)
        if rate.kind == "adjustment":
            if initial is None or full_year is None or initial.value == 0:
                continue
            computed = (full_year.value - initial.value) / initial.value * 100
            if not (
                _matches(rate.percent, rate.percent_text, computed)
                or _matches(rate.percent, rate.percent_text, abs(computed))
            ):
                yield _finding(
                    doc,
                    "error",
                    "adjustment_rate_mismatch",
                    f"预算调整率写作 {rate.percent_text}%，但（{_fmt(full_year.value)}－"
                    f"{_fmt(initial.value)}）÷{_fmt(initial.value)}＝{_fmt(computed)}%",
                    value,
                )
            continue
        if executed is None:
            continue
        if full_year is not None and full_year.value > 0:
            computed = executed.value / full_year.value * 100
            if not _matches(rate.percent, rate.percent_text, computed):
                yield _finding(
                    doc,
                    "error",
                    "execution_rate_mismatch",
                    f"预算执行率写作 {rate.percent_text}%，但全年执行数 {_fmt(executed.value)} 万元"
                    f"÷全年预算数 {_fmt(full_year.value)} 万元＝{_fmt(computed)}%",
                    value,
                )
        elif initial is not None and initial.value > 0:
            computed = executed.value / initial.value * 100
            if _matches(rate.percent, rate.percent_text, computed):
                continue
            if rate.percent == 100:
                yield _finding(
                    doc,
                    "warning",
                    "execution_100_unadjusted",
                    f"称执行率 100%，但实际支出 {_fmt(executed.value)} 万元与年初预算 "
                    f"{_fmt(initial.value)} 万元不同，报告未写调整后的全年预算数",
                    value,
                )
            else:
                yield _finding(
                    doc,
                    "warning",
                    "execution_rate_unverified",
                    f"预算执行率写作 {rate.percent_text}%，报告未写调整后的全年预算数，无法核对；"
                    f"实际支出 "
                    f"{_fmt(executed.value)} 万元÷年初预算 {_fmt(initial.value)} 万元＝"
                    f"{_fmt(computed)}%",
                    value,
                )
    for para in doc.paras:
        if "未支" not in para.text:
            continue
        for m in _PAID_UNPAID_RATE.finditer(para.text):
            paid, unpaid = Decimal(m.group(1)), Decimal(m.group(2))
            if paid + unpaid <= 0:
                continue
            computed = paid / (paid + unpaid) * 100
            if not _matches(Decimal(m.group(3)), m.group(3), computed):
                yield _finding(
                    doc,
                    "error",
                    "execution_rate_mismatch",
                    f"支付率写作 {m.group(3)}%，但已支付 {_fmt(paid)} 万元÷（已支付＋未支付 "
                    f"{_fmt(unpaid)} 万元）＝{_fmt(computed)}%",
                    Value(Decimal(m.group(3)), m.group(0), para, m.start()),
                )


# one sentence gives the paid, the unpaid and the rate: 资金支付18501.096万元,未支703万元,支付率95% — the
# rate is the paid over the two (whatever the budget, which such a sentence need not state)
_PAID_UNPAID_RATE = re.compile(
    rf"支付(?:资金)?({_NUM})万元?[,]?(?:尚)?未支(?:付)?(?:资金)?({_NUM})万元?[,]?"
    rf"(?:资金)?(?:支付率|执行率|支出率)(?:为|达到?)?({_NUM})%"
)


# a quota of one kind of post (行政编制28名); a headcount compared with it must be of that kind
_QUOTA_KIND = re.compile(
    r"^(?:核定|批复|下达|现有|单位|人员|在职人员)*(行政|事业|工勤|参公|机关|全额|差额|自收自支)"
)
_STAFF_KIND_WORD = re.compile(
    r"(行政|事业|工勤|参公|机关|全额|差额|自收自支)(?:事业)?(?:人员)?(?:编制|编|人员|岗位)"
)


def _quota_of_another_kind(doc: Document, quota: Value) -> bool:
    """A quota of one kind (核定行政编制28名) where the report counts staff of other kinds too
    (事业编制, 事业人员, 工勤): a headcount of the whole unit is not comparable with it."""
    m = _QUOTA_KIND.match(quota.quote)
    if m is None:
        return False
    kind = m.group(1)
    return any(
        other.group(1) != kind
        for para in doc.paras
        if "编" in para.text or "人员" in para.text
        for other in _STAFF_KIND_WORD.finditer(para.text)
    )


def check_staff(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    quota = doc.staff.get("staffing_quota")
    actual = doc.staff.get("staff_actual")
    if (
        quota is not None
        and actual is not None
        and actual.value > quota.value
        and not _quota_of_another_kind(doc, quota)
    ):
        yield _finding(
            doc,
            "error",
            "staff_over_quota",
            f"实有人数 {actual.value} 人超过编制数 {quota.value} 人",
            actual,
        )
        return
    yield from _staff_of_a_kind_over_its_quota(doc)


# quotas split by kind with the staff of one kind in the same sentence (行政编制1个,事业编制2个,实有
# 行政编制人员3人): the people on a kind's quota against that kind's quota
_KIND_QUOTA = re.compile(r"(行政|事业|参公|工勤)编制(?:数)?(?:为|是)?(\d{1,5})(?:个|名|人)")
_KIND_ACTUAL = re.compile(
    r"实有(行政|事业|参公|工勤)编制(?:人员|人数)?(?:为|是)?(\d{1,5})(?:个|名|人)"
)


def _staff_of_a_kind_over_its_quota(doc: Document) -> Iterator[Finding]:
    for para in doc.paras:
        text = para.text
        if "实有" not in text or "编制" not in text:
            continue
        for actual in _KIND_ACTUAL.finditer(text):
            start = text.rfind("。", 0, actual.start()) + 1
            quotas = {
                q.group(1): int(q.group(2))
                for q in _KIND_QUOTA.finditer(text, start, actual.start())
            }
            kind, people = actual.group(1), int(actual.group(2))
            if kind in quotas and people > quotas[kind]:
                yield _para_finding(
                    doc,
                    "error",
                    "staff_over_quota",
                    f"实有{kind}编制人员 {people} 人超过{kind}编制 {quotas[kind]} 个",
                    para,
                    actual.start(),
                    actual.end(),
                )
                return


def check_dates(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    if doc.filled_on_invalid is not None:
        yield _finding(
            doc,
            "error",
            "invalid_date",
            f"填报日期“{doc.filled_on_invalid.value}”不是有效日期",
            doc.filled_on_invalid,
        )
    cut = doc.notice.get("year_cut")
    if cut is not None and doc.notice_is_self_evaluation:
        yield _finding(
            doc,
            "error",
            "notice_year_mismatch",
            f"所引通知文号 {doc.notice['number'].value} 的年份只有 {len(str(cut.value))} 位数字"
            f"（{cut.value}），不是完整的年份，请核对",
            cut,
        )
    year = doc.year.value if doc.year else None
    if year is None:
        return
    filled = doc.filled_on
    if filled is not None:
        date: dt.date = filled.value
        if date <= dt.date(year, 12, 31):
            yield _finding(
                doc,
                "error",
                "filled_before_year_end",
                f"填报日期 {date.isoformat()} 早于评价年度 {year} 年结束，不可能已完成全年自评",
                filled,
            )
        elif date.year > year + LATE_FILING_YEARS:
            yield _finding(
                doc,
                "warning",
                "filled_late",
                f"填报日期 {date.isoformat()} 距评价年度 {year} 年已超过 {LATE_FILING_YEARS} 年，"
                "请核对",
                filled,
            )
    month = doc.filled_month
    if month is not None and month.value <= (year, 12):
        yield _finding(
            doc,
            "error",
            "filled_before_year_end",
            f"填报日期 {month.value[0]} 年 {month.value[1]} 月早于评价年度 {year} 年结束，"
            "不可能已完成全年自评",
            month,
        )
    notice_year = doc.notice.get("year")
    if notice_year is not None and doc.notice_is_self_evaluation and notice_year.value != year + 1:
        yield _finding(
            doc,
            "error",
            "notice_year_mismatch",
            f"所引通知 {doc.notice['number'].value} 为 {notice_year.value} 年文件，"
            f"{year} 年度自评应依据 {year + 1} 年的通知",
            notice_year,
        )


def check_sections(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    top = [s for s in doc.sections if s.level == 1]
    if not top:
        top = [s for s in doc.sections if s.level == 0]
    if not top and (_is_sheet(doc) or _titled_form(doc)):
        # a 自评表 published as it stands: a table, not a report lacking its outline (also when
        # its rows, cut by a copy's line breaks, could not be read: unread, not "not a report")
        return
    if not top and doc.title is None:
        yield Finding(
            "error", "not_a_report", "未找到自评报告的标题和一级章节，可能不是绩效自评报告"
        )
        return
    if not top:  # headings without numbers ("单位基本情况" on a line of its own)
        top = [Section(1, "", line, p) for p in doc.paras if _bare_heading(line := _first_line(p))]
    required = REQUIRED_SECTIONS.get(doc.kind, REQUIRED_SECTIONS["department"])
    if any("分解下达" in s.title for s in top[:1]):
        required = TRANSFER_SECTIONS
    positions: list[tuple[int, str]] = []
    missing: list[str] = []
    for label, keywords in required:
        index = next(
            (
                i
                for i, s in enumerate(top)
                if any(k in s.title or k in s.para.text[:30] for k in keywords)
            ),
            None,
        )
        if index is None:
            missing.append(label)
        else:
            positions.append((index, label))
    if not positions and _is_sheet(doc):
        return  # a 自评表 published as it stands: a table, not a report lacking its sections
    for label in missing:
        yield Finding("error", "section_missing", f"缺少必备章节“{label}”")
    for (a, label_a), (b, label_b) in itertools.pairwise(positions):
        if b < a:
            section = top[a]
            yield Finding(
                "warning",
                "section_out_of_order",
                f"章节顺序错乱：“{label_a}”应在“{label_b}”之前",
                section.para.text[:40],
                doc.location(section.para),
            )


# the form's own name (项目支出绩效自评表, 绩效目标自评表), not a task about one (填写自评表)
_FORM_TITLE = re.compile(
    r"(?<!填写)(?<!报送)(?<!上报)(?<!提交)(?<!编制)(?:项目支出|整体支出|项目)?绩效(?:目标)?自评表"
)


def _titled_form(doc: Document) -> bool:
    """The text's first lines name it a self-evaluation form (项目支出绩效自评表 …), the rows
    under it read or not."""
    return any(_FORM_TITLE.search(p.text[:300]) for p in doc.paras[:3])


def _is_sheet(doc: Document) -> bool:
    """The document is a 自评表 (named so at its head, its funds or indicator rows read)."""
    return bool(doc.sheet and (doc.sheet.indicators or doc.sheet.funds)) and any(
        "自评表" in p.text for p in doc.paras[:20]
    )


# A budget the reader could not read still leaves an amount beside a budget word; only without any
# is the budget missing (an error) rather than unread (an info line): a wrong error is worse than
# none. Headings do not count: "预算执行情况" over a paragraph with no figure is no budget.
_BUDGET_WORD = re.compile(r"预算|资金|支出|收入|决算|拨款|经费")
_AMOUNT_IN_YUAN = re.compile(r"\d\s*(?:万元|亿元|元)")


def check_budget_present(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    if doc.budget or (doc.title is None and not doc.sections):
        return
    if any(_BUDGET_WORD.search(p.text) and _AMOUNT_IN_YUAN.search(p.text) for p in doc.paras):
        return
    part = "项目资金情况" if doc.kind == "project" else "部门整体支出情况"
    yield Finding(
        "error",
        "budget_missing",
        f"报告没有预算资金情况：未写年初预算、全年预算或执行数，缺少“{part}”部分",
    )


def _first_line(para: Paragraph) -> str:
    """The paragraph's first source line (a bare heading gets joined to the text below it)."""
    end = para.pieces[1][0] if len(para.pieces) > 1 else len(para.text)
    return para.text[:end]


def _bare_heading(text: str) -> bool:
    """A short line without punctuation that names a section (only used when no heading has a
    number, so a report's numbered outline is never second-guessed)."""
    return (
        2 <= len(text) <= 16
        and re.fullmatch(r"[\u4e00-\u9fff]+", text) is not None
        and not text.endswith("报告")
    )


# A printed percentage or score (the display rule: 2 decimals at most) with more decimals:
# "94.66666666666666666666666667%" reached a published report once.
DISPLAY_DECIMALS = 2
_OVERLONG_FIGURE = re.compile(r"(?<![\d.])\d{1,15}\.(\d{3,})(?!\d)\s*(%|分)")
MAX_UNROUNDED_FINDINGS = 20  # one report's worth; a hostile text does not get a million


def check_display_decimals(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    found = 0
    for para in doc.paras:
        for m in _OVERLONG_FIGURE.finditer(para.text):
            kind = "百分比" if m.group(2) == "%" else "得分"
            yield Finding(
                "warning",
                "unrounded_figure",
                f"{kind}“{m.group(0).replace(' ', '')}”有 {len(m.group(1))} 位小数，"
                f"超过显示规则（百分比和得分最多 {DISPLAY_DECIMALS} 位小数），应按规则取舍",
                para.text[max(0, m.start() - 20) : m.end()],
                doc.location(para, m.start()),
            )
            found += 1
            if found >= MAX_UNROUNDED_FINDINGS:
                return


# ---------------------------------------------------------------------------------------------
# Checks real reports need (issue 13 §3). Each is conservative: a wording it cannot parse with
# certainty gives no finding (a false error on a report whose arithmetic is right is a defect).

_CN_NUMERAL = {c: i for i, c in enumerate("零一二三四五六七八九", start=0)} | {"两": 2, "〇": 0}


def cn_int(text: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十一 → 21, 12 → 12 (list numbers and counts; None if not)."""
    if text.isdigit():
        return int(text) if len(text) <= 4 else None
    if not text or len(text) > 3 or any(c not in _CN_NUMERAL and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_NUMERAL[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    return (_CN_NUMERAL[tens] if tens else 1) * 10 + (_CN_NUMERAL[units] if units else 0)


def _para_finding(
    doc: Document, severity: str, code: str, message: str, para: Paragraph, start: int, end: int
) -> Finding:
    quote = para.text[max(0, start - 10) : min(len(para.text), end + 10)]
    return Finding(severity, code, message, quote, doc.location(para, start))


# -- a completion rate with its target stated after it: "完成1200人次，完成率125%（年度目标1000人次）"

_TARGET_AFTER = re.compile(
    r"[,;]?\(?(?:年度|全年)?(?:目标值|指标值|任务数|计划数|目标任务|目标)(?:为|是|:)?"
    rf"(?:≥|>=|不低于)?({_NUM})(万|亿)?(人次|人|个|家|项|次|场|件|户|名|期|批|所|本|套|台|篇)?"
)


_RATE_AFTER = re.compile(rf"[,;]?(?:完成率|完成比例|完成程度)(?:为|是|达到?)?({_NUM})%")


def check_rate_target_after(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A rate checked against a target written after it (完成率125%（年度目标1000人次）), and a
    percent indicator's own stated rate (满意度达到98%，目标值≥90%，完成率108.89%)."""
    for t in doc.targets:
        if t.target is not None and t.target > 0 and not t.percent_stated and not t.from_table:
            end = t.offset + len(t.quote)
            rate = _RATE_AFTER.match(t.para.text, end, end + 30)
            computed = t.actual / t.target * 100
            if rate and not _matches(Decimal(rate.group(1)), rate.group(1), computed):
                yield _para_finding(
                    doc,
                    "error",
                    "percentage_mismatch",
                    f"“{t.name}”完成率写作 {rate.group(1)}%，但 {_fmt(t.actual)}÷{_fmt(t.target)}"
                    f"＝{_fmt(computed)}%",
                    t.para,
                    t.offset,
                    rate.end(),
                )
            continue
        if t.target is not None or t.from_table or not t.percent_stated:
            continue
        end = t.offset + len(t.quote)
        m = _TARGET_AFTER.match(t.para.text, end, end + 40)
        if m is None or (m.group(3) and m.group(3) != t.unit):
            continue
        scale = {"万": Decimal(10000), "亿": Decimal(10**8)}.get(m.group(2) or "", Decimal(1))
        target = Decimal(m.group(1)) * scale
        if target <= 0:
            continue
        computed = t.actual / target * 100
        if not _matches(t.stated_percent, t.percent_text, computed):
            yield _para_finding(
                doc,
                "error",
                "percentage_mismatch",
                f"“{t.name}”完成率写作 {t.percent_text}%，但其后所写目标值 {_fmt(target)}"
                f"{t.unit}：{_fmt(t.actual)}÷{_fmt(target)}＝{_fmt(computed)}%",
                t.para,
                t.offset,
                m.end(),
            )


# -- dates of another year ------------------------------------------------------------------

_AS_OF = re.compile(r"截[至止](?:到)?(\d{4})年(?:底|末|年底|年末|12月(?:31日|底|末)?)")
_COMPARISON = re.compile(r"比|较|同比|上年|去年|增长|减少|增加|下降|与\d{4}年")
_YEAR_SLOTS = (
    re.compile(r"现将(\d{4})年度?[^。]{0,40}?(?:自评|绩效)"),
    re.compile(r"^[^。,]{0,40}?(\d{4})年度?[^。,]{0,30}?(?:自评报告|评价报告)$"),
)


def check_other_year(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A figure "as of" the end of an earlier year (截至2024年底) in a report on 2025: probably
    last year's report copied (warning); the report naming two different evaluated years, in a
    title line (X2024年度…自评报告) or the 现将…年度 sentence against 评价年度 — or, without one,
    against its first title (error)."""
    year = doc.year.value if doc.year else None
    if year is not None:
        yield from _as_of_earlier_year(doc, year)
        yield from _as_of_inside_year(doc, year)
        yield from _targets_of_earlier_year(doc, year)
        yield from _deadline_of_earlier_year(doc, year)
    titles = list(_title_years(doc))
    if year is None:
        if not titles:
            return
        year = titles.pop(0)[1]
        slots: list[tuple[int, int, str]] = titles
    else:
        if doc.year is not None and re.fullmatch(r"\(\d{4}年度\)", doc.year.quote.strip()):
            # the year stated on its own under the title, (2024年度): a title's 2023年 without
            # 度 names the funds (某局2023年异地造林补助资金项目支出绩效自评报告), not the year
            titles = [t for t in titles if f"{t[1]}年度" in t[2]]
        slots = titles
        own = doc.year.para if doc.year else None
        for para in doc.paras:
            if para is own or "现将" not in para.text:
                continue
            m = _YEAR_SLOTS[0].search(para.text)
            if m:
                slots.append((para.line_at(m.start(1)), int(m.group(1)), para.text[:60]))
    for line, stated, quote in slots:
        if stated != year and 1990 <= stated <= 2100:
            yield Finding(
                "error",
                "year_mismatch",
                f"此处写评价 {stated} 年度，但报告的评价年度为 {year} 年",
                quote,
                Location(line=line, page=doc.pages.get(line)),
            )
            return


def _as_of_earlier_year(doc: Document, year: int) -> Iterator[Finding]:
    for para in doc.paras:
        if "截至" not in para.text and "截止" not in para.text:
            continue
        for m in _AS_OF.finditer(para.text):
            stated = int(m.group(1))
            if not year - 3 <= stated < year:
                continue
            sentence = _sentence_at(para.text, m.start())
            if f"{year}年" in sentence or _COMPARISON.search(sentence):
                continue
            yield _para_finding(
                doc,
                "warning",
                "date_other_year",
                f"“{m.group(0)}”是 {stated} 年末的情况，本报告评价 {year} 年度，"
                f"应为截至 {year} 年底的数字（可能沿用了往年报告）",
                para,
                m.start(),
                m.end(),
            )


_NAVIGATION = re.compile(r"上一篇|下一篇|相关|推荐|阅读|链接|来源|发布")


_AS_OF_DAY = re.compile(r"截[至止](?:到)?(\d{4})年(\d{1,2})月(?:(\d{1,2})日|底|末)?")
_BUDGET_FIGURE = re.compile(r"执行率|支出|拨付|到位|使用")


def _as_of_inside_year(doc: Document, year: int) -> Iterator[Finding]:
    """Spending or an execution rate "as of" a day inside the evaluated year (截止2022年12月8日，已
    完成拨付…，执行率97%) in the year's self-evaluation: the year was not over when it was taken."""
    for para in doc.paras:
        if "截" not in para.text:
            continue
        for m in _AS_OF_DAY.finditer(para.text):
            if int(m.group(1)) != year:
                continue
            month, day = int(m.group(2)), int(m.group(3)) if m.group(3) else None
            end_of_month = m.group(3) is None and m.group(0).endswith(("底", "末"))
            if month > 12 or (month == 12 and (end_of_month or day is None or day >= 31)):
                continue
            sentence = _sentence_at(para.text, m.start())
            if not (_BUDGET_FIGURE.search(sentence) and "%" in sentence):
                continue
            yield _para_finding(
                doc,
                "warning",
                "as_of_before_year_end",
                f"“{m.group(0)}”早于评价年度 {year} 年年末，全年预算执行情况应截至 {year} 年 12 月 31 日",
                para,
                m.start(),
                m.end(),
            )
            return


def _title_years(doc: Document) -> Iterator[tuple[int, int, str]]:
    """(line, year, title) of every line that is a report's title naming a year (read from the
    source lines: a title under a list without a full stop gets joined to it as a paragraph)."""
    for number, raw in enumerate(doc.text.split("\n"), start=1):
        if "报告" not in raw or len(raw) > 120:
            continue
        line = normalize_line(raw)
        if len(line) > 60 or not line.endswith("报告") or line.startswith(("附件", "《")):
            continue
        if ":" in line or _NAVIGATION.match(line):
            continue  # "上一篇：…2023年度…自评报告", a link of the page it was published on
        m = _YEAR_SLOTS[1].search(line)
        if m:
            yield number, int(m.group(1)), line


def _sentence_at(text: str, position: int) -> str:
    start = max(text.rfind("。", 0, position), text.rfind(";", 0, position)) + 1
    end = text.find("。", position)
    return text[start : end if end >= 0 else len(text)]


_FILLED_BLANK = re.compile(
    r"填报日期:?(?:\s*(?:\d{4}|\d{2})?\s*年\s*月\s*日?|[_\s]*)(?=$|评价|单位|项目|主管|联系)"
)


# a date line of the template left as it was: "年  月  日" (spaces where the figures go)
# (a sheet's signature cell keeps its row's bars: "年 月 日 | ||||")
_BLANK_DATE_LINE = re.compile(r"\s*(?:(?:19|20)\d{2}\s*)?年\s+月\s+日[\s|]*")


def check_filled_blank(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A 填报日期 label with nothing after it (or the template's 年 月 日), and a signature date
    line left as "年  月  日"."""
    if not (doc.filled_on or doc.filled_month or doc.filled_on_invalid):
        for para in doc.paras[:80]:
            if "填报日期" not in para.text:
                continue
            m = _FILLED_BLANK.search(para.text)
            if m:
                yield _para_finding(
                    doc, "error", "filled_on_blank", "填报日期未填写", para, m.start(), m.end()
                )
                return
    for number, raw in enumerate(doc.text.split("\n"), start=1):
        if "月" in raw and len(raw) <= 40 and _BLANK_DATE_LINE.fullmatch(raw):
            yield Finding(
                "error",
                "filled_on_blank",
                "落款日期未填写（只有“年 月 日”）",
                raw.strip(),
                Location(line=number, page=doc.pages.get(number)),
            )
            return


_REPORT_DATE = re.compile(
    r"(?:报告日期|评价日期|编制日期|报送日期|报出日期|自评日期)[:]?(\d{4})年(\d{1,2})月(\d{1,2})日"
)


def check_report_date(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A report dated (报告日期 / 评价日期 … — no 填报日期) on or before the end of the year it
    evaluates: the year's accounts were not closed yet."""
    if doc.filled_on or doc.filled_month or doc.filled_on_invalid:
        return
    year = doc.year.value if doc.year else next((y for _, y, _ in _title_years(doc)), None)
    if year is None:
        return
    for para in doc.paras[:40]:
        if "日期" not in para.text:
            continue
        m = _REPORT_DATE.search(para.text)
        if m is None:
            continue
        try:
            date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return
        if date <= dt.date(year, 12, 31):
            yield _para_finding(
                doc,
                "error",
                "filled_before_year_end",
                f"报告日期 {date.isoformat()} 不晚于评价年度 {year} 年年末，不可能已完成全年自评",
                para,
                m.start(),
                m.end(),
            )
        return


_NOTICE_TITLE = re.compile(r"《([^《》]{4,80}?通知)》")
_TITLE_YEAR = re.compile(r"(\d{4})年")


def check_notice_cycle(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """Every cited self-evaluation notice (关于开展2024年度…绩效自评工作的通知) whose title names a
    year of another cycle: a 2025 self-evaluation answers a notice on 2025 (年度) issued in 2026."""
    if doc.year is None:
        return
    year = doc.year.value
    reported = doc.notice_is_self_evaluation and (
        "year_cut" in doc.notice
        or (doc.notice.get("year") is not None and doc.notice["year"].value != year + 1)
    )
    for para in doc.paras:
        if "通知" not in para.text:
            continue
        for m in _NOTICE_TITLE.finditer(para.text):
            title = m.group(1)
            if not _SELF_EVALUATION_TITLE.search(title):
                continue
            years = {int(y) for y in _TITLE_YEAR.findall(title)}
            wrong = sorted(y for y in years if y not in (year, year + 1) and 1990 <= y <= 2100)
            if wrong and not reported:
                yield _para_finding(
                    doc,
                    "error",
                    "notice_year_mismatch",
                    f"所引通知《{title}》是 {wrong[0]} 年的自评通知，{year} 年度自评应依据 "
                    f"{year + 1} 年开展 {year} 年度自评的通知",
                    para,
                    m.start(),
                    m.end(),
                )
                return


_SELF_EVALUATION_TITLE = re.compile(r"开展[^《》]{0,30}(?:自评|绩效评价)")


# -- lists whose numbering repeats or skips; stated counts ------------------------------------

_INLINE_ITEM = re.compile(r"(?:^|[。;:,])([一二三四五六七八九十]{1,2})是")


def _section_number(section: Section) -> int | None:
    return cn_int(section.number) if section.number else None


def check_numbering(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """一、二、四 (a skip) or 1. 2. 2. (a repeat) among headings of one level under one parent,
    and 一是…二是…四是 inside a paragraph. A list that starts again at 1 is a new list."""
    last: dict[int, int] = {}
    skipped: dict[int, int] = {}
    in_cell = _cell_lists(doc)
    for section in doc.sections:
        if id(section.para) in in_cell:
            continue
        level = section.level
        for deeper in [k for k in last if k > level]:
            del last[deeper]
        number = _section_number(section)
        if number is None or "□" in section.para.text or "☑" in section.para.text:
            last.pop(level, None)
            continue
        previous = last.get(level)
        last[level] = number
        if previous is None or (number == 1 and previous > 1):
            continue  # the first item, or a new list
        if number == previous and skipped.get(level) == number:
            continue  # 一、二、四、四: the skip was reported, the second 四 is the same slip
        skipped[level] = number if number > previous + 1 else 0
        if number == previous or number > previous + 1:
            kind = "重复" if number == previous else "跳号"
            shown = _shown_number(section.para.text)
            yield _para_finding(
                doc,
                "warning",
                "numbering_broken",
                f"标题序号{kind}：“{shown}”前一项是第 {previous} 项",
                section.para,
                0,
                min(len(section.para.text), 20),
            )
    for para in doc.paras:
        twice = _SAME_MARK_TWICE.search(para.text) if para.text.count("(") >= 2 else None
        if twice:
            yield _para_finding(
                doc,
                "warning",
                "numbering_broken",
                f"标题序号重复：“({twice.group(1)})”紧接着又是“({twice.group(1)})”",
                para,
                twice.start(),
                twice.end(),
            )
        m = _HALF_BRACKET.match(para.text)
        if m:
            yield _para_finding(
                doc,
                "warning",
                "numbering_broken",
                f"标题序号“{m.group(0)}”缺少左括号，应为“({m.group(1)})”",
                para,
                0,
                m.end(),
            )
    for para in doc.paras:
        text = para.text
        inline = []
        if "一是" in text:
            inline.append(
                [(cn_int(m.group(1)), m.start(1), m.end()) for m in _INLINE_ITEM.finditer(text)]
            )
        if "2." in text or "2、" in text:
            inline.append(
                [(int(m.group(1)), m.start(1), m.end()) for m in _INLINE_DIGIT.finditer(text)]
            )
        for numbers in inline:
            finding = _inline_numbering(doc, para, numbers)
            if finding:
                yield finding
                break


# "(一)部门(单位)基本情况(一)基本情况": one marker twice in a row (a flattened outline); a short
# bracket between them is allowed, another marker is not
_SAME_MARK_TWICE = re.compile(
    r"\(([一二三四五六七八九十]{1,2})\)"
    r"[^()。;]{2,20}?(?:\((?![一二三四五六七八九十]{1,2}\))[^()]{1,6}\)[^()。;]{0,20}?)?"
    r"\(\1\)"
)
_HALF_BRACKET = re.compile(r"([一二三四五六七八九十]{1,2})\)(?=[\u4e00-\u9fff])")
_INLINE_DIGIT = re.compile(r"(?:^|[。;:])(\d{1,2})[.、](?!\d)")


def _cell_lists(doc: Document) -> set[int]:
    """The numbered paragraphs that are a table cell's own list, not the outline's headings: in a
    web page's table (cells end with " |") a paragraph of prose (一、群文活动出成效;1.圆满完成…)
    right after a label cell (年度部门总体运行情况及取得的成绩 |). A short numbered cell with no
    sentence in it (二、部门整体支出情况 |) is the form's own heading row and stays one."""
    if " |" not in doc.text and "|\n" not in doc.text:
        return set()
    found = set()
    for before, para in itertools.pairwise(doc.paras):
        if (
            para.heading is not None
            and before.text.endswith("|")
            and re.search(r"[。;,]", para.text[:40])
        ):
            found.add(id(para))
    return found


def _items_glued_to_figures(between: str, previous: int, number: int) -> bool:
    """Whether each item a skip misses stands between the two, its marker glued to the figures
    of a flattened form's cells (财务制度3 3 2、项目管理制度…: 分值 3, 自评分 3, then item 2)."""
    return all(re.search(rf"\d ?{k}[.、](?!\d)", between) for k in range(previous + 1, number))


def _inline_numbering(
    doc: Document, para: Paragraph, numbers: list[tuple[int | None, int, int]]
) -> Finding | None:
    """一是…二是…四是 or 1.…。2.…。2.… inside one paragraph: the first repeat or skip of a run
    that starts at 1 (a run starting again at 1 is a new list)."""
    previous: int | None = None
    since = 0  # where the previous item starts
    for number, start, end in numbers:
        if number is None:
            previous = None
            continue
        if previous is not None and number != 1 and (number == previous or number > previous + 1):
            between = para.text[since:start]
            if number > previous + 1 and (
                _items_after_commas(between, previous, number)
                or _items_glued_to_figures(between, previous, number)
            ):
                previous, since = number, start
                continue
            kind = "重复" if number == previous else "跳号"
            return _para_finding(
                doc,
                "warning",
                "numbering_broken",
                f"列举序号{kind}：“{para.text[start:end]}”的前一项是第 {previous} 项",
                para,
                start,
                end,
            )
        previous = number if (previous is not None or number == 1) else None
        since = start
    return None


def _items_after_commas(between: str, previous: int, number: int) -> bool:
    """1.…。2.…,3.…。4、…: the digit items missing between ``previous`` and ``number`` stand in the
    text between them, each after the comma the writer ended the item before with (the list is
    read after 。 ; : only, since a comma before a digit is mostly a figure's)."""
    return all(
        re.search(rf",{n}[.、](?!\d)", between) is not None for n in range(previous + 1, number)
    )


def _shown_number(text: str) -> str:
    m = re.match(r"^[(（第]?[一二三四五六七八九十\d]{1,3}[)）、.．部分]*", text)
    return m.group(0) if m else text[:4]


_COUNT_WORD = r"(\d{1,2}|[一二两三四五六七八九十]{1,2})"
_COUNT_PHRASE = re.compile(
    rf"(?:以下|如下|下列){_COUNT_WORD}(?:个|项|点|条|大)?"
    r"(方面|问题|措施|内容|举措|亮点|特点|不足|原因|环节|阶段|部分|任务|目标|做法|经验|工作|建议)"
    r"[^。;:,]{0,12}:"
)
_LIST_LEAD = r"(?:分别(?:是|为)|具体(?:是|为)|包括|即)"
_LIST_AFTER = re.compile(
    # "共3个科室，分别是A、B" / "设置党政机构10个：即A、B…" / "下属事业单位两个：A和B"
    rf"{_COUNT_WORD}(个|项|家|所|条)([\u4e00-\u9fff]{{0,6}})"
    rf"(?:,?{_LIST_LEAD}:?|:{_LIST_LEAD}?)"
)
_LIST_END = re.compile(r"[。;,]")


def check_counts(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A stated count that differs from the items listed: "主要有以下三个方面：" over two items, or
    "共3个项目，分别是A、B" (two names)."""
    paras = doc.paras
    for index, para in enumerate(paras):
        text = para.text
        if "年中" in text and "共" in text:
            found = _projects_count(doc, para)
            if found:
                yield found
        m = (
            _COUNT_PHRASE.search(text)
            if "以下" in text or "如下" in text or "下列" in text
            else None
        )
        if m is not None:
            stated = cn_int(m.group(1))
            rest = text[m.end() :]
            listed = _inline_count(rest) if rest else _items_after(paras, index)
            if stated is not None and listed is not None and listed != stated:
                yield _para_finding(
                    doc,
                    "warning",
                    "count_mismatch",
                    f"写有“{m.group(0).rstrip(':')}”，但下面列出 {listed} 项",
                    para,
                    m.start(),
                    m.end(),
                )
        if ("个" in text or "项" in text or "家" in text or "所" in text or "条" in text) and (
            "分别" in text or "包括" in text or "即" in text or ":" in text
        ):
            for m in _LIST_AFTER.finditer(text):
                finding = _named_count(doc, para, m)
                if finding:
                    yield finding


_PROJECTS_TOTAL = re.compile(r"共(\d{1,4})个(?:项目)?|共有(\d{1,4})个项目")
_PROJECTS_INITIAL = re.compile(r"年初[^。;,]{0,12}?(\d{1,4})个项目")
_PROJECTS_ADDED = re.compile(r"年中(?:新增|增加|追加)了?(\d{1,4})个项目")
_PROJECTS_DROPPED = re.compile(r"取消|撤销|调减|减少|退回|终止")


def _projects_count(doc: Document, para: Paragraph) -> Finding | None:
    """ "实施项目共15个…年初批复预算8个项目…年中增加8个项目" in one sentence: 15 ≠ 8 + 8 (none
    cancelled: a sentence naming 取消 / 撤销 … is left alone)."""
    text = para.text
    for total in _PROJECTS_TOTAL.finditer(text):
        end = text.find("。", total.end())
        end = end if end >= 0 else len(text)
        sentence = text[total.end() : end]
        initial = _PROJECTS_INITIAL.search(sentence)
        added = _PROJECTS_ADDED.search(sentence)
        if initial is None or added is None or _PROJECTS_DROPPED.search(sentence):
            continue
        stated = int(total.group(1) or total.group(2))
        parts = int(initial.group(1)) + int(added.group(1))
        if parts != stated:
            return _para_finding(
                doc,
                "warning",
                "count_mismatch",
                f"写有共 {stated} 个项目，但年初 {initial.group(1)} 个＋年中增加 "
                f"{added.group(1)} 个＝{parts} 个",
                para,
                total.start(),
                end,
            )
    return None


def _named_count(doc: Document, para: Paragraph, m: re.Match[str]) -> Finding | None:
    """ "共3个科室，分别是A、B": the names listed up to the end of the clause, brackets dropped
    (办公室(加挂…牌子) is one name). A name may hold 和 (人力资源和社会保障局) or join the last two
    (A、B和C): any count in that range is taken as right."""
    stated = cn_int(m.group(1))
    text = para.text
    end = _LIST_END.search(text, m.end())
    items = text[m.end() : end.start() if end else len(text)]
    flat = items
    for _ in range(3):
        flat = _BRACKET.sub("", flat)
    if stated is None or not flat or "等" in flat or re.search(r"[\d()]", flat):
        return None
    names = [n for n in flat.split("、") if n]
    if len(names) < 2 or any(len(n) > 30 for n in names):
        return None
    joined = sum(1 for n in names if re.search(r"和|及|与", n))
    if len(names) <= stated <= len(names) + joined:
        return None
    if end is None and para is doc.paras[-1] and len(names) < stated:
        return None  # the list runs to the end of a text cut there (a page's stored opening)
    return _para_finding(
        doc,
        "warning",
        "count_mismatch",
        f"写有{m.group(1)}{m.group(2)}{m.group(3)}，但列出 {len(names)} 个：{items}",
        para,
        m.start(),
        m.end() + len(items),
    )


def _inline_count(text: str) -> int | None:
    """The items of "一是…；二是…；三是…" at the start of ``text`` (None unless it starts so and
    counts up by one)."""
    if not text.startswith("一是"):
        return None
    numbers = [cn_int(m.group(1)) for m in _INLINE_ITEM.finditer(text)]
    if not numbers or numbers[0] != 1:
        return None
    for previous, number in itertools.pairwise(numbers):
        if previous is None or number != previous + 1:
            return None
    return len(numbers)


def _items_after(paras: list[Paragraph], index: int) -> int | None:
    """How many items follow a "以下三个方面：" paragraph: inline 一是…二是… in the next paragraph,
    or consecutive numbered headings of one level starting at 1 (None when it is unclear)."""
    if index + 1 >= len(paras):
        return None
    following = paras[index + 1]
    if following.heading is None:
        return _inline_count(following.text)
    level = following.heading
    count = 0
    expected = 1
    for para in paras[index + 1 :]:
        heading = para.heading
        if heading is None or heading > level:
            continue
        if heading < level:
            break
        m = re.match(r"^[(（第]?([一二三四五六七八九十\d]{1,3})", para.text)
        number = cn_int(m.group(1)) if m else None
        if number != expected:
            if number == 1 and count:
                break  # a new list
            return None  # numbering broken: the numbering check says so
        count += 1
        expected += 1
    return count or None


# -- parts that do not add up to their stated total; stated changes ----------------------------

_MONEY = rf"({_NUM})(万元|亿元|元)"
# label → (kind of total it is, or None), its component set
_SUM_LABELS: tuple[tuple[str, str], ...] = (
    (
        "total_exp",
        r"(?:本年|全年|年度)?(?:总支出|支出总额|支出合计|决算支出合计)"
        r"|(?:实际(?:预算)?|全年|决算)支出(?:合计|总额)?",
    ),
    ("total_inc", r"(?:本年|全年|年度)?(?:总收入|收入总额|收入合计|决算收入合计)"),
    ("basic", r"基本支出"),
    ("project", r"项目支出"),
    ("personnel", r"人员(?:经费)?支出|人员经费"),
    ("public", r"(?:日常)?公用(?:经费)?支出|(?:日常)?公用经费"),
    # one key a label: a list names each at most once (a key twice means two lists)
    ("up_exp", r"上缴上级支出"),
    ("biz_exp", r"经营支出"),
    ("sub_exp", r"对附属单位补助支出"),
    ("inc_gpb", r"一般公共预算财政拨款收入"),
    ("inc_gf", r"政府性基金预算财政拨款收入"),
    ("inc_soe", r"国有资本经营预算财政拨款收入"),
    ("inc_fiscal", r"财政拨款收入|财政拨款"),
    ("inc_up", r"上级补助收入"),
    ("inc_service", r"事业收入"),
    ("inc_biz", r"经营收入"),
    ("inc_sub", r"附属单位上缴收入"),
    ("inc_other", r"其他收入"),
)
_SUM_LABEL = re.compile(
    "(?:"
    + "|".join(f"(?P<{key}>{pattern})" for key, pattern in _SUM_LABELS)
    + ")"
    + rf"(?:[为是共计约达]{{0,3}}|:)?{_MONEY}"
)
_EXP_OTHER = {"up_exp", "biz_exp", "sub_exp"}
_INC_OTHER = {"inc_up", "inc_service", "inc_biz", "inc_sub", "inc_other"}
_COMPONENTS = {
    "total_exp": (
        {"basic", "project"} | _EXP_OTHER,
        {"personnel", "public", "project"} | _EXP_OTHER,
    ),
    "basic": ({"personnel", "public"},),
    "total_inc": ({"inc_fiscal"} | _INC_OTHER, {"inc_gpb", "inc_gf", "inc_soe"} | _INC_OTHER),
}
# the sets that make a whole (a shortfall is then certain): 基本+项目, 人员+公用(+项目)
_COMPLETE = ({"basic", "project"}, {"personnel", "public"}, {"personnel", "public", "project"})
# "基本支出1140.27万元,占27.52%;项目支出…": a share after a part
_SHARE = re.compile(rf"[,;]?占(?:比)?[^,;。]{{0,8}}?{_NUM}%")
_MORE_AMOUNT = re.compile(rf"[^。]{{0,12}}?{_NUM}(?:万元|亿元|元)")
_SEPARATOR = re.compile(r"[,;、]?(?:和|及|以及)?")
_BRACKET = re.compile(r"\([^()]{0,80}\)")


def _money(m: re.Match[str], group: int) -> tuple[Decimal, Decimal]:
    """An amount in 万元 and half its last written digit (the rounding of the printed figure)."""
    scale = AMOUNT_UNITS[m.group(group + 1)]
    return Decimal(m.group(group)) * scale, half_unit(m.group(group)) * scale


def check_sums(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """ "支出合计100万元，其中：基本支出70万元，项目支出20万元": the parts listed right after
    其中 against their total. More than the total is an error (the parts are disjoint); less is an
    error only for a complete set (基本+项目, 人员+公用), else nothing (a 其中 may list a few)."""
    for para in doc.paras:
        text = para.text
        if "其中" not in text or "元" not in text:
            continue
        for total in _SUM_LABEL.finditer(text):
            key = next((k for k, _ in _SUM_LABELS if total.group(k)), "")
            if key not in _COMPONENTS:
                continue
            lead = re.compile(r"(?:,|\()?其中[:]?").match(text, total.end())
            if lead is None:
                continue
            parts: dict[str, tuple[Decimal, Decimal]] = {}
            position = lead.end()
            while True:
                sep = _SEPARATOR.match(text, position)
                position = sep.end() if sep else position
                part = _SUM_LABEL.match(text, position)
                if part is None:
                    break
                part_key = next((k for k, _ in _SUM_LABELS if part.group(k)), "")
                if part_key in parts:
                    parts = {}
                    break
                parts[part_key] = _money(part, len(_SUM_LABELS) + 1)
                position = part.end()
                bracket = _BRACKET.match(text, position)
                if bracket:
                    position = bracket.end()
                share = _SHARE.match(text, position)
                if share:
                    position = share.end()
            keys = set(parts)
            if len(keys) < 2 or not any(keys <= allowed for allowed in _COMPONENTS[key]):
                continue
            whole, whole_half = _money(total, len(_SUM_LABELS) + 1)
            added = sum((v for v, _ in parts.values()), Decimal(0))
            slack = whole_half + sum((h for _, h in parts.values()), Decimal(0))
            complete = (key == "basic" and keys == {"personnel", "public"}) or (
                key == "total_exp"
                and ({"basic", "project"} <= keys or {"personnel", "public", "project"} <= keys)
            )
            # "…项目支出20万元，其他支出10万元": more amounts after the labelled run belong to the
            # list too (an unlabelled part): the run is not the whole list
            end = text.find("。", position)
            if _MORE_AMOUNT.match(text, position, end if end >= 0 else len(text)):
                complete = False
            if added > whole + slack or (complete and added < whole - slack):
                yield _para_finding(
                    doc,
                    "error",
                    "sum_mismatch",
                    f"{total.group(0)}，但其中所列各项合计 {_fmt(added)} 万元"
                    f"（{'＋'.join(_fmt(v) for v, _ in parts.values())}），"
                    f"{'多于' if added > whole else '少于'}总数 {_fmt(whole)} 万元",
                    para,
                    total.start(),
                    position,
                )


# a fund's total and its sources by level of government after 其中 (共投入资金1987.08万元。其中中央资金
# 投入776.84万元,省级资金投入290.36万元,地方资金投入992.88万元): the levels are disjoint, so parts
# adding to more than the total are wrong; less says nothing (a 其中 may list a few sources)
_SOURCE_TOTAL = re.compile(
    rf"(?:共|合计|总计)(?:投入|下达|安排|到位|拨付)?资金(?:总额|合计)?(?:共|为|是)?({_NUM})(万元|亿元|元)"
)
_SOURCE_LEAD = re.compile(r"[,。;]?其中[,:]?")
_SOURCE_PART = re.compile(
    r"(?:中央|省级|市级|县级|区级|地方|本级|上级|其他)(?:财政)?(?:补助)?资金"
    rf"(?:投入|下达|安排|到位|拨付)?(?:为|是)?({_NUM})(万元|亿元|元)"
)


def check_source_sums(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A fund's total against its sources listed after 其中 by level of government (中央, 省级,
    地方 …): more than the total is an error."""
    for para in doc.paras:
        text = para.text
        if "其中" not in text or "资金" not in text:
            continue
        for total in _SOURCE_TOTAL.finditer(text):
            lead = _SOURCE_LEAD.match(text, total.end())
            if lead is None:
                continue
            parts: list[tuple[Decimal, Decimal]] = []
            position = lead.end()
            while True:
                sep = _SEPARATOR.match(text, position)
                position = sep.end() if sep else position
                part = _SOURCE_PART.match(text, position)
                if part is None:
                    break
                parts.append(_money(part, 1))
                position = part.end()
                bracket = _BRACKET.match(text, position)
                if bracket:
                    position = bracket.end()
            if len(parts) < 2:
                continue
            whole, whole_half = _money(total, 1)
            added = sum((v for v, _ in parts), Decimal(0))
            slack = whole_half + sum((h for _, h in parts), Decimal(0))
            if added > whole + slack:
                yield _para_finding(
                    doc,
                    "error",
                    "sum_mismatch",
                    f"{total.group(0)}，但其中所列各级资金合计 {_fmt(added)} 万元"
                    f"（{'＋'.join(_fmt(v) for v, _ in parts)}），多于总数 {_fmt(whole)} 万元",
                    para,
                    total.start(),
                    position,
                )


# "预算收入69.06万元,其中年初预算57.28万元,调整追加11.78万元": any labelled amounts listed after a
# total's 其中 — labels the labelled check (_SUM_LABELS) does not know
_LISTED_TOTAL = re.compile(rf"{_MONEY}[,(]?其中[:]?")
_LISTED_PART = re.compile(
    # a label may hold 、 and 和 (上房村、熊万村应急抢险经费) and a count (15个村防汛工作经费)
    rf"[,、;]?(?:和|及)?(?P<label>(?:[\u4e00-\u9fff()、]|\d{{1,3}}(?=[个家所项村户人])){{2,24}}?)"
    rf"(?:[为是共计约达]{{0,2}}|:)?{_MONEY}"
)
# amounts that need not be disjoint parts: a change, a running total, a share, what was paid or
# done out of the total (本年完成300万元,累计完成450万元), a plan, a nested 其中 or subtotal
_NOT_DISJOINT = re.compile(
    r"累计|增加|减少|增长|下降|比上年|较上年|同比|较|超|节约|已|拨付|支付|执行|完成|到位|使用|实际"
    r"|预计|计划|约|占|%|其中|不含|含|包括|合计|小计|总"
    # 分别为 after a part opens that part's own breakdown (一是基金2531.96万元,分别为A…、B…;二是…):
    # the amounts that follow are within the part, not beside it
    r"|分别"
)
# the totals the labelled check reads (支出合计, 总收入, 基本支出 …) before their 其中
_LABELLED_TOTAL = re.compile(
    "(?:"
    + "|".join(p for k, p in _SUM_LABELS if k in _COMPONENTS)
    + r")(?:[为是共计约达]{0,3}|:)?$"
)


def check_listed_parts(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A total and the amounts its 其中 lists, whatever their labels, when the listed parts add to
    more than the total (a 其中's parts are within it; fewer parts than the whole is no defect,
    a 其中 may list a few). Only amounts in the total's unit, each after its label, none of whose
    words says the amounts may overlap (累计, 已拨付, 比上年 …), and no amount after them in the
    clause; a total the labelled check reads (check_sums) is left to it."""
    for para in doc.paras:
        text = para.text
        if "其中" not in text:
            continue
        for total in _LISTED_TOTAL.finditer(text):
            if _LABELLED_TOTAL.search(text, max(0, total.start() - 20), total.start()) or any(
                s.end() == total.end(2)
                for s in _SOURCE_TOTAL.finditer(text, max(0, total.start() - 30))
            ):
                continue  # a total check_sums or check_source_sums reads
            end = min(
                (i for i in (text.find(c, total.end()) for c in "。;") if i >= 0),
                default=len(text),
            )
            clause = text[total.end() : end]
            position, parts = 0, []
            while position < len(clause):
                part = _LISTED_PART.match(clause, position)
                if part is None or part.group(3) != total.group(2):
                    break
                parts.append(part)
                position = part.end()
            if (
                len(parts) < 2
                or _NOT_DISJOINT.search(clause, 0, position)
                or re.search(r"\d\s*(?:万元|亿元|元)", clause[position:])
            ):
                continue
            whole = Decimal(total.group(1))
            values = [Decimal(p.group(2)) for p in parts]
            slack = half_unit(total.group(1)) + sum(
                (half_unit(p.group(2)) for p in parts), Decimal(0)
            )
            added = sum(values, Decimal(0))
            # the first few adding up to the total close the list: the rest is another statement
            # (总投资61.8万元,其中中央30.9万元,县配套30.9万元,下达资金61.8万元)
            running = list(itertools.accumulate(values))
            if any(abs(r - whole) <= slack for r in running[1:-1]):
                continue
            if added > whole + slack:
                yield _para_finding(
                    doc,
                    "error",
                    "sum_mismatch",
                    f"{total.group(1)}{total.group(2)}，但其中所列各项合计 {_fmt(added)}"
                    f"{total.group(2)}（{'＋'.join(_fmt(v) for v in values)}），多于总数",
                    para,
                    total.start(),
                    total.end() + position,
                )


_FUNDS_SUM = re.compile(
    # a 自评表's funds block: 年度资金总额 a b c (分值 执行率 得分) 其中:本年财政拨款 x y z
    rf"(?:年度资金总额|资金总额)[:]?[\s|]*({_NUM})[\s|]+({_NUM})[\s|]+({_NUM})[^其]{{0,40}}?"
    rf"其中[:]?[\s|]*(?:本年|当年)?财政拨款[\s|]*({_NUM})[\s|]+({_NUM})[\s|]+({_NUM})"
)


def check_funds_table(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """The 自评表's 年度资金总额 row against its 其中:本年财政拨款 row, column by column (年初预算数,
    全年预算数, 全年执行数): a part larger than its total is certainly wrong."""
    paras = doc.paras
    for index, para in enumerate(paras):
        if "资金总额" not in para.text:
            continue
        window = para.text
        if index + 1 < len(paras) and "财政拨款" not in window:
            window += " " + paras[index + 1].text
        m = _FUNDS_SUM.search(window)
        if m is None:
            continue
        names = ("年初预算数", "全年预算数", "全年执行数")
        for column, name in enumerate(names):
            total_text, part_text = m.group(column + 1), m.group(column + 4)
            total, part = Decimal(total_text), Decimal(part_text)
            if part > total + half_unit(total_text) + half_unit(part_text):
                yield _para_finding(
                    doc,
                    "error",
                    "sum_mismatch",
                    f"自评表{name}：其中本年财政拨款 {part_text} 大于年度资金总额 {total_text}",
                    para,
                    min(m.start(), len(para.text) - 1),
                    min(m.end(), len(para.text)),
                )
                return
        return


def check_sheet_scores(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A 自评表's indicator rows (jixiao.audit.sheet): a target whose 实际完成值 cell is left
    empty (actual_missing); a 得分 above the row's 分值, or below 0. The funds row's 得分 against
    分值 × 执行率 is check_score_formula's."""
    sheet = doc.sheet
    if not sheet:
        return
    blank = [
        r for r in sheet.indicators if (r.actual_blank or r.actual_word) and r.target is not None
    ]
    for row in blank[:10]:
        answer = f"写作“{row.actual_word}”，没有写数值" if row.actual_word else "未填写"
        yield Finding(
            "warning",
            "actual_missing",
            f"自评表“{row.name}”有指标值 {_fmt(row.target)}{row.unit}，实际完成值{answer}",  # type: ignore[arg-type]
            row.quote,
            Location(line=row.line, page=doc.pages.get(row.line)),
        )
    judged = 0
    for row in sheet.indicators:
        if row.weight is None or row.score is None:
            continue
        if row.score > row.weight or row.score < 0:
            yield Finding(
                "error",
                "score_out_of_range",
                f"自评表“{row.name}”得分 {row.score_text} 分超出其分值 {_fmt(row.weight)} 分",
                row.quote,
                Location(line=row.line, page=doc.pages.get(row.line)),
            )
            continue
        finding = _score_against_completion(doc, row)
        if finding is not None and judged < MAX_SCORE_COMPLETION_FINDINGS:
            judged += 1
            yield finding


MAX_SCORE_COMPLETION_FINDINGS = 5


def _score_against_completion(doc: Document, row: IndicatorRow) -> Finding | None:
    """A quantitative row's 得分 against what it achieved (the rules: an indicator met earns its
    分值, one missed earns it in proportion): met yet marked down with its 偏差原因 cell there and
    empty; missed yet given full marks that no rounding of 分值 × 完成比例 gives. Only a row whose
    target and actual are figures of one unit, ≥ or = (jixiao.audit.sheet's ``readable``)."""
    if not row.readable or row.weight is None or row.score is None or row.weight <= 0:
        return None
    if row.actual is None or row.target is None:  # readable says they are not; mypy cannot tell
        return None
    where = Location(line=row.line, page=doc.pages.get(row.line))
    if row.actual >= row.target and row.score < row.weight and row.reason == "":
        return Finding(
            "warning",
            "indicator_score_mismatch",
            f"自评表“{row.name}”实际完成 {_fmt(row.actual)}{row.unit}，已达到指标值 "
            f"{_fmt(row.target)}{row.unit}，却只得 {row.score_text} 分（分值 {_fmt(row.weight)} 分），"
            "偏差原因未填写",
            row.quote,
            where,
        )
    if row.actual < row.target and row.score >= row.weight:
        earned = row.weight * row.actual / row.target
        if earned + half_unit(row.score_text) < row.weight:
            return Finding(
                "warning",
                "indicator_score_mismatch",
                f"自评表“{row.name}”实际完成 {_fmt(row.actual)}{row.unit}，未达到指标值 "
                f"{_fmt(row.target)}{row.unit}，却得满分 {row.score_text} 分（按完成比例约为 "
                f"{format_score(earned)} 分）",
                row.quote,
                where,
            )
    return None


_CHANGE = re.compile(
    rf"{_MONEY}[,]?(?:(?:比|较)(?:上年|去年|上年度|上一年度?|\d{{4}}年度?)(?:同期)?(?:决算数?|预算数?|数)?)"
    rf"(?:的?{_MONEY})?(增加|减少|增长|下降|上升|降低|增收|减收|增支|减支|减)了?{_MONEY}"
    rf"(?:[,]?(?:同比)?(?:增长|下降|增幅|降幅|上升|降低|减少|增加|减幅)(?:了|为)?({_NUM})%)?"
)
_BUDGET_CHANGE = re.compile(
    rf"(?:全年预算|调整后(?:的)?(?:全年)?预算(?:数)?)[^。;]{{0,20}}?较年初预算(增加|减少|调增|调减)了?{_MONEY}"
)


def check_changes(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """ "支出110万元，比上年增加10万元，增长10%": the change against the figures (last year's is
    110 − 10 = 100, and 10 ÷ 100 = 10%); "比上年的100万元增加…" against 110 − 100; and "全年预算较
    年初预算增加5.17万元" against the two budgets read. Each figure's rounding is allowed for."""
    for para in doc.paras:
        text = para.text
        if ("比" in text or "较" in text) and "元" in text:
            for m in _CHANGE.finditer(text):
                finding = _change_finding(doc, para, m)
                if finding:
                    yield finding
        if "上年" in text or "去年" in text:
            for m in _CHANGE_STATED.finditer(text):
                finding = _change_stated_finding(doc, para, m)
                if finding:
                    yield finding
    initial, full_year = doc.budget.get("initial"), doc.budget.get("full_year")
    if initial is None or full_year is None:
        return
    for para in doc.paras:
        if "较年初预算" not in para.text:
            continue
        change_m = _BUDGET_CHANGE.search(para.text)
        if change_m is None:
            continue
        m = change_m
        stated, half = _money(m, 2)
        sign = -1 if m.group(1) in ("减少", "调减") else 1
        change = full_year.value - initial.value
        slack = half + half_unit(_plain(full_year.quote)) + half_unit(_plain(initial.quote))
        if abs(sign * stated - change) > slack:
            yield _para_finding(
                doc,
                "error",
                "change_mismatch",
                f"写作较年初预算{m.group(1)} {_fmt(stated)} 万元，但全年预算 "
                f"{_fmt(full_year.value)} 万元－年初预算 {_fmt(initial.value)} 万元＝"
                f"{_fmt(change)} 万元",
                para,
                m.start(),
                m.end(),
            )


def _plain(quote: str) -> str:
    """The last figure of a quote (its decimals give the rounding of the printed amount)."""
    found = re.findall(_NUM, quote)
    return found[-1] if found else "0"


def _change_finding(doc: Document, para: Paragraph, m: re.Match[str]) -> Finding | None:
    """ "X，比上年(的L)增加Y，增长Z%" (_CHANGE)."""
    before = _money(m, 3) if m.group(3) is not None else None
    return _change_check(doc, para, m, _money(m, 1), before, m.group(5), _money(m, 6), m.group(8))


_CHANGE_STATED = re.compile(
    # "本年度收入合计3258909.77元,上年度收入合计3736198.37元,收入减少477288.6元,同比下降12.770%"
    rf"(?:本年度?|今年)([\u4e00-\u9fff]{{0,8}}?)(?:合计|总额)?(?:为|是)?{_MONEY}[,;]?"
    rf"(?:上年度?|去年|上年同期)\1(?:合计|总额)?(?:为|是)?{_MONEY}[,;]?[\u4e00-\u9fff]{{0,6}}?"
    rf"(增加|减少|增长|下降|上升|降低)了?{_MONEY}"
    rf"(?:[,]?(?:同比)?(?:增长|下降|增幅|降幅|上升|降低|减少|增加)(?:了|为)?({_NUM})%)?"
)


def _change_stated_finding(doc: Document, para: Paragraph, m: re.Match[str]) -> Finding | None:
    return _change_check(
        doc, para, m, _money(m, 2), _money(m, 4), m.group(6), _money(m, 7), m.group(9)
    )


def _change_check(
    doc: Document,
    para: Paragraph,
    m: re.Match[str],
    current: tuple[Decimal, Decimal],
    previous: tuple[Decimal, Decimal] | None,
    direction: str,
    change: tuple[Decimal, Decimal],
    percent_text: str | None,
) -> Finding | None:
    now, now_half = current
    delta, delta_half = change
    sign = -1 if direction in ("减少", "下降", "降低", "减", "减收", "减支") else 1
    message = ""
    if previous is not None:
        before, before_half = previous
        slack = now_half + before_half + delta_half
        if abs((now - before) - sign * delta) > slack:
            message = (
                f"写作{direction} {_fmt(delta)} 万元，但 {_fmt(now)}－{_fmt(before)}＝"
                f"{_fmt(now - before)} 万元"
            )
        base_low, base_high = before - before_half, before + before_half
    else:
        before = now - sign * delta
        base_low = before - now_half - delta_half
        base_high = before + now_half + delta_half
    if not message and percent_text is not None and base_low > 0:
        change_low, change_high = delta - delta_half, delta + delta_half
        low = change_low / base_high * 100
        high = change_high / base_low * 100
        stated = Decimal(percent_text)
        half = half_unit(percent_text)
        if stated + half <= low or stated - half > high:
            computed = delta / before * 100 if before else Decimal(0)
            places = Decimal(1).scaleb(-max(2, len(percent_text.partition(".")[2]) + 1))
            shown = computed.quantize(places, ROUND_HALF_UP)
            message = (
                f"写作{direction} {_fmt(delta)} 万元、{percent_text}%，但上年为 {_fmt(before)} "
                f"万元，{_fmt(delta)}÷{_fmt(before)}＝{shown}%"
            )
    if not message:
        return None
    return _para_finding(doc, "error", "change_mismatch", message, para, m.start(), m.end())


# -- template leftovers -----------------------------------------------------------------------

_PLACEHOLDER_SURE = re.compile(
    r"(?<![A-Za-z0-9])(?:19|20)[Xx×*]{2}(?![A-Za-z])"
    # (not our renderer's own 【待补充：填报日期】, the visible mark of a value a draft still lacks,
    # which the report command lists as it renders)
    r"|【(?!待补充)[^】]{0,20}(?:填写|填报|请输入|请填|此处)[^】]{0,20}】"
    r"|\[(?:请)?填写[^\]]{0,20}\]"
    r"|[“\"【\[](?:单位名称|项目名称|部门名称|填写内容)[”\"】\]]"
    # a form's instruction left where the answer belongs: 说明…完成情况。(200字以内)
    r"|\((?:限|不超过|不少于)?\d{2,4}字(?:以内|以下|左右)?\)"
)
_PLACEHOLDER_LIKELY = re.compile(
    r"(?<![A-Za-z])(?:[Xx]{2,}|×{2,}|○{2,}|△{2,})(?![A-Za-z])|(?<=[≥≤<>=\d(])\*{2,}|\*{2,}(?=[\u4e00-\u9fff%])"
)
MAX_PLACEHOLDER_FINDINGS = 10
# a page that says its stars hide content (下文中****为隐藏内容,仅对会员开放): a site's mask
_MASK_DECLARED = re.compile(r"\*{2,}[^。\n]{0,4}隐藏")


# the form's own standing rule, printed on every copy: "预算执行率未达到90%的需说明原因(100字以内)"
# — a condition on when to answer (…的需说明), not an instruction left where an answer belongs
_STANDING_RULE = re.compile(r"的(?:需|须|应)(?:单独)?说明[\u4e00-\u9fff]{0,6}$")


def _standing_note(text: str, m: re.Match[str]) -> bool:
    return m.group(0).endswith("以内)") and bool(
        _STANDING_RULE.search(text[max(0, m.start() - 20) : m.start()])
    )


def check_placeholders(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """Template text left unfilled: 20XX年, 【填写…】, “单位名称” (errors: certainly not the report's
    own words), XX市 / ××局 (warnings: a placeholder, unless the report was anonymised)."""
    found = 0
    masked = "隐藏" in doc.text and _MASK_DECLARED.search(doc.text) is not None
    if "主要包括" in doc.text:
        for finding in _guidance_left(doc):
            yield finding
            found += 1
    for para in doc.paras:
        text = para.text
        if not ("X" in text or "x" in text or "×" in text or "【" in text or "[" in text
                or "名称" in text or "○" in text or "△" in text or "**" in text
                or "字以" in text or "字)" in text):  # fmt: skip
            continue
        sure = [m for m in _PLACEHOLDER_SURE.finditer(text) if not _standing_note(text, m)]
        spans = [(m.start(), m.end()) for m in sure]
        for m in sure:
            yield _para_finding(
                doc,
                "error",
                "placeholder_text",
                f"模板占位文字“{m.group(0)}”未替换为实际内容",
                para,
                m.start(),
                m.end(),
            )
            found += 1
        for m in _PLACEHOLDER_LIKELY.finditer(text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            if m.group(0).startswith("*") and masked:
                continue  # a site's mask it declares (下文中****为隐藏内容), not a template's
            yield _para_finding(
                doc,
                "warning",
                "placeholder_text",
                f"“{m.group(0)}”像是模板占位文字，请填写实际内容",
                para,
                m.start(),
                m.end(),
            )
            found += 1
            break  # one a paragraph: "XX市XX局" is one leftover
        if found >= MAX_PLACEHOLDER_FINDINGS:
            return


# a template's guidance for a part, left where the answer belongs: "(三)项目实施情况分析。主要包括
# 资金到位、资金使用…情况分析等。" — it lists what to analyse (…完成情况, …情况分析) and states
# nothing; a unit's functions (主要包括负责…情况统计等) are its own words
_GUIDANCE = re.compile(
    r"^主要包括(?![^。]*负责)[^。;\d]{6,}?(?:完成情况|情况分析|分析)[^。;\d]*等。?$"
)


def _guidance_left(doc: Document) -> Iterator[Finding]:
    """A part whose whole text is the template's guidance: a numbered heading whose one sentence
    after its title is 主要包括…情况/分析…等, with no figure, followed straight by the next heading
    of its level or above.
    A unit's own 主要包括 (主要包括人员经费及日常公用经费支出等) describes money, not 情况 to analyse,
    and a part that goes on past that sentence was answered."""
    paras = doc.paras
    for index, para in enumerate(paras[:-1]):
        level = para.heading
        if level is None or level < 2 or "主要包括" not in para.text:
            continue
        title, stop, body = para.text.partition("。")
        after = paras[index + 1].heading
        # the next heading a sub-part (1.…) is what the sentence introduces: answered
        if not stop or not _GUIDANCE.match(body) or after is None or after > level:
            continue
        start = len(title) + 1
        yield _para_finding(
            doc,
            "warning",
            "placeholder_text",
            f"“{body[:30]}…”是模板对这一部分的填写说明，未替换为实际内容",
            para,
            start,
            len(para.text),
        )


_UNIT_SUFFIX = (
    r"(?:中心|局|院|所|站|处|办公室|委员会|委|会|学校|小学|中学|大学|学院|医院|馆|队|社|厂|公司"
    r"|人民政府|政府|办事处|街道|镇|乡|联合会|协会|园|宫|台|部|署|厅)"
)
_NAME_SLOTS = (
    re.compile(
        rf"现将\d{{4}}年度?(?:的)?([\u4e00-\u9fff()]{{4,30}}?{_UNIT_SUFFIX})(?:本级)?"
        r"(?:\(以下简称[^()]*\))?(?:部门)?整体"
    ),
    re.compile(
        rf"^\d{{4}}年度?([\u4e00-\u9fff()]{{4,30}}?{_UNIT_SUFFIX})(?:本级)?(?:部门)?整体支出"
        r"[^。,]{0,20}自评报告$"
    ),
    re.compile(
        rf"^([\u4e00-\u9fff()]{{4,30}}?{_UNIT_SUFFIX})(?:本级)?\d{{4}}年度?[^。,]{{0,30}}自评报告$"
    ),
    re.compile(
        rf"^([\u4e00-\u9fff()]{{4,30}}?{_UNIT_SUFFIX})(?:\(以下简称[^()]*\))?是[^。]{{0,40}}?(?:管理|主管|下属|所属|直属)的"
    ),
)
_SELF_WORDS = re.compile(r"^(?:我|本|该)")


def _same_unit(a: str, b: str) -> bool:
    """Names of one unit: equal, one inside the other, or the shorter an abbreviation of the longer
    (its characters in order: 人社局 in 人力资源和社会保障局)."""
    a, b = (re.sub(r"\([^()]*\)|本级", "", n) for n in (a, b))
    if a in b or b in a:
        return True
    short, long = sorted((a, b), key=len)
    it = iter(long)
    return all(char in it for char in short)


def check_other_unit(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """Another unit's name where the report names itself: the 现将…年度X整体支出 sentence, the title
    (X2025年度…自评报告) and "X是…管理的" against the unit on the cover (评价单位)."""
    # a traditional copy's name is given as written (豐都縣…), its paragraphs are folded (豐都县…)
    own = fold_name(doc.unit_name.value) if doc.unit_name else None
    shown = doc.unit_name.value if doc.unit_name else None
    for para in doc.paras[:80]:
        text = para.text
        if not ("现将" in text or text.endswith("报告") or "是" in text[:45]):
            continue
        if _NAVIGATION.match(text):
            continue
        for regex in _NAME_SLOTS:
            m = regex.search(para.text)
            if m is None:
                continue
            name = m.group(1)
            if _SELF_WORDS.match(name):
                continue
            if own is None:
                own = name
                continue
            if not _same_unit(name, own):
                yield _para_finding(
                    doc,
                    "warning",
                    "other_unit_name",
                    f"此处单位名称为“{name}”，与报告的评价单位“{shown or own}”不同（可能沿用了其他单位的报告）",
                    para,
                    m.start(1),
                    m.end(1),
                )


_STREET_WORDS = re.compile(r"(?:我|本|全)街道|街道党工委|街道办事处(?:党工委)?主任")
_TOWN_WORDS = re.compile(r"(?<![自健安完齐周保])(?:我|本|全)[镇乡](?![村镇])|[镇乡]党委(?:书记)?")
_BUREAU_WORDS = re.compile(r"(?:我|本)局(?!面|部|限)")
_CENTRE_WORDS = re.compile(r"(?:我|本)中心")


def check_unit_type_wording(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """Another kind of unit's words for itself: 我街道 in a township's (乡镇) report, 我镇 in a
    street office's (街道), 我局 in a centre's (中心) report and 我中心 in a bureau's (局)."""
    written = re.sub(r"\([^()]*\)$", "", doc.unit_name.value) if doc.unit_name else ""
    own = fold_name(doc.unit_name.value) if doc.unit_name else ""
    own = re.sub(r"\([^()]*\)$", "", own)
    if re.search(r"(?:[镇乡](?:人民政府|政府)?|街道(?:办事处)?)$", own):
        under = _under_a_bureau(doc, own)
        if under is not None:
            yield under
            return
    marks: tuple[str, ...]
    if re.search(r"[镇乡](?:人民政府|政府)?$", own):
        wrong, kind, marks = _STREET_WORDS, "乡镇", ("街道",)
    elif re.search(r"街道(?:办事处)?$", own):
        wrong, kind, marks = _TOWN_WORDS, "街道", ("镇", "乡")
    elif own.endswith("中心") and doc.kind == "department":
        wrong, kind, marks = _BUREAU_WORDS, "中心", ("局",)
    elif own.endswith("局") and doc.kind == "department":
        wrong, kind, marks = _CENTRE_WORDS, "局", ("中心",)
    else:
        return
    for para in doc.paras:
        if not any(mark in para.text for mark in marks):
            continue
        m = wrong.search(para.text)
        if m is None:
            continue
        yield _para_finding(
            doc,
            "warning",
            "other_unit_type_wording",
            f"“{m.group(0)}”不是{kind}的自称，本报告的评价单位是“{written}”（可能沿用了其他类型单位的模板）",
            para,
            m.start(),
            m.end(),
        )
        return


# "前山镇人民政府为徐闻县财政局下的行政单位": a township or street office is a level of government
# (or the district's agency), never a unit under a bureau; the words are a bureau's unit's template
_UNDER_BUREAU = re.compile(
    r"(?:为|是)([\u4e00-\u9fff]{2,20}?局)(?:下|下属|所属|管理|主管|直属)的?[\u4e00-\u9fff]{0,8}?单位"
)


def _under_a_bureau(doc: Document, own: str) -> Finding | None:
    kind = "街道" if re.search(r"街道(?:办事处)?$", own) else "乡镇"
    for para in doc.paras[:80]:
        if "局" not in para.text or "单位" not in para.text:
            continue
        m = _UNDER_BUREAU.search(para.text)
        if m is None:
            continue
        head = para.text[max(0, m.start() - 24) : m.start()]
        if not re.search(r"(?:镇|乡|街道)(?:人民政府|政府|办事处)?$|本单位$|我单位$", head):
            continue  # another unit's description (a subordinate body named before it)
        return _para_finding(
            doc,
            "warning",
            "other_unit_type_wording",
            f"“{m.group(0)}”不是{kind}的表述：{kind}不是“{m.group(1)}”下属的单位（可能沿用了"
            "局属单位的模板）",
            para,
            m.start(),
            m.end(),
        )
    return None


# -- required parts that carry figures ---------------------------------------------------------

# A shorter text is an excerpt or a fragment (a pasted passage, a test wording), not a whole report
# whose parts can be missing: the seed has 60 paragraphs, real reports 30 and more.
MIN_WHOLE_REPORT_PARAGRAPHS = 20
# a web page's lines about the page (发布日期：… 来源：… 浏览次数) are no paragraphs of the report
_WEB_META = re.compile(r"^(?:发布日期|发布时间|发布机构|发布单位|信息来源|来源|索引号|日期)[:]")


def report_paragraphs(doc: Document) -> int:
    """The report's own paragraphs: a web page's lines about the page left out, and a paragraph
    the page repeats (its title above the text and again as the text's first line) counted once."""
    return len({p.text for p in doc.paras if not _WEB_META.match(p.text)})


_TARGET_HEADING = re.compile(r"绩效目标|目标完成|指标完成|目标实现|产出指标|效益指标|指标值")
_FIGURE = (
    rf"{_NUM}(?:万|亿)?(?:人次|人|个|家|项|次|场|件|户|名|期|批|所|本|套|台|篇|天|公里|平方米|%)"
)
_TARGET_WORD = re.compile(
    rf"(?:目标|指标|任务)[^。]{{0,40}}?{_FIGURE}|{_FIGURE}[^。]{{0,40}}?(?:目标|指标|任务)"
)
_RESULT_WORD = re.compile(r"得分|评分|总分|分值|等级|优秀|良好|自评结果|评价结论")


def check_parts_present(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """The template's second-level parts with figures: 绩效目标 (the targets and what was done) and
    the result (自评得分, 等级). The budget part is ``budget_missing``. Missing only when neither the
    heading nor any of its content is there (an unread wording is not a missing part)."""
    if (doc.title is None and not doc.sections) or report_paragraphs(
        doc
    ) < MIN_WHOLE_REPORT_PARAGRAPHS:
        return
    texts = [p.text for p in doc.paras]
    if not (
        doc.targets
        or any(_TARGET_HEADING.search(s.title or s.para.text[:20]) for s in doc.sections)
        or any(_TARGET_WORD.search(t) for t in texts)
    ):
        part = "绩效指标完成情况" if doc.kind == "project" else "部门整体支出绩效目标"
        yield Finding(
            "error",
            "section_missing",
            f"缺少必备部分“{part}”：报告没有写绩效目标及其完成情况（指标值、实际完成值）",
        )
    if not (doc.total_score or doc.grade or any(_RESULT_WORD.search(t) for t in texts)):
        yield Finding(
            "error",
            "section_missing",
            "缺少必备部分“自评结果”：报告没有写自评得分和评价等级",
        )


# -- kinds of defect real reports showed (issue 13 §3, second round) ---------------------------
# Each reports only what the text shows beyond doubt; a wording it cannot place gives nothing.

# a year stated as the one reported on: 2024年度, 评价年度, 2018年收、支总计, 2021年部门决算, 2024年,
# 2016年1月起至2016年12月止; not a full date (截至2024年12月31日) or a document number
_YEAR_STATED = re.compile(
    r"(?:19|20) ?\d{2}\s*(?:年度|-\s*度|年\s*(?:部门|单位|本年|全年|收|支|预算|决算|财政|整体|项目|绩效|工作"
    r"|共|累计|我|本|全|,)|年1月(?:1日)?起?至(?:19|20)\d{2}年12月)|评价年度"
)


def check_year_and_title(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """No evaluated year anywhere (no 评价年度, no year in the title, no "2024年度" in the text);
    no title at all before the first section (the template's title names unit, year and kind)."""
    top = [s for s in doc.sections if s.level == 1]
    if doc.title is None and not top:
        return  # not_a_report says so
    if (
        doc.year is None
        and doc.title is not None
        and not any(True for _ in _title_years(doc))
        and not any(_YEAR_STATED.search(p.text) for p in doc.paras)
    ):
        title = doc.title.value if doc.title else ""
        yield Finding(
            "warning",
            "year_missing",
            "报告没有写评价年度：标题、封面和正文都没有写明评价的是哪一年",
            title[-40:],
            doc.title.location(doc.pages) if doc.title else Location(),
        )
    if doc.title is None and top:
        first = top[0].para
        before = [p.text for p in doc.paras if p.line < first.line]
        if not any(_TITLE_WORD.search(t) for t in before):
            yield Finding(
                "warning",
                "title_missing",
                "报告没有标题：第一部分“"
                + first.text[:20]
                + "”之前没有写明单位、年度和报告名称的标题",
                first.text[:20],
                doc.location(first),
            )


_TITLE_WORD = re.compile(r"报告|自评|评价|绩效")
_FILLED_NO_DAY = re.compile(
    # 202511 run together, or 2025年11月 / 2025.11 / 2025-11 with nothing after the month
    r"(?:填报日期|(?:绩效)?自评日期)[:]?\s*((?:19|20)\d{2})(?:(0[1-9]|1[0-2])(?![\d.\-/])"
    r"|\s*[-./年]\s*(\d{1,2})(?:\s*月(?!\s*\d)|(?![\d月.\-/])))"
)


def check_filled_incomplete(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A 填报日期 (or 自评日期) with year and month but no day: 2026年5月, 2025.11, or 202511 run
    together."""
    if doc.filled_on or doc.filled_on_invalid:
        return
    for para in doc.paras[:80]:
        if "填报日期" not in para.text and "自评日期" not in para.text:
            continue
        m = _FILLED_NO_DAY.search(para.text)
        if m is None:
            continue
        month = int(m.group(2) or m.group(3))
        if not 1 <= month <= 12:
            return
        label, written = m.group(0)[: m.start(1) - m.start()], m.group(0)[m.start(1) - m.start() :]
        yield _para_finding(
            doc,
            "warning",
            "filled_on_incomplete",
            f"{label.rstrip(': ')}“{written.strip()}”只写到月份，"
            f"没有写日（应为 {m.group(1)} 年 {month} 月 某日）",
            para,
            m.start(),
            m.end(),
        )
        return


_EXECUTION_HEADING = re.compile(r"(?:资金|预算)(?:执行|使用|支出)(?:情况|进度)")
_EXECUTION_FIGURE = re.compile(r"\d\s*(?:万元|亿元|元|%)")
# "本单位无政府性基金预算支出。": a part that had nothing to spend states its figure, nought
_NONE_SPENT = re.compile(
    r"(?:^|[,;。])(?:本单位|我单位|本部门|我局|本年度?)?(?:无|没有|未安排)[^。,;]{0,16}支出"
)


def check_execution_stated(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A 资金执行情况 part (its heading) that states neither an amount spent nor a rate, while no
    execution figure was read anywhere else: the part was written without its figure."""
    if doc.budget.get("executed") is not None or any(r.kind == "execution" for r in doc.rates):
        return
    paras = doc.paras
    for index, para in enumerate(paras):
        level = para.heading
        if level is None or not _EXECUTION_HEADING.search(para.title or para.text[:20]):
            continue
        title_end = para.text.find(para.title) + len(para.title) if para.title else 20
        body = [para.text[title_end:]] if len(para.text) > title_end + 4 else []
        for following in paras[index + 1 :]:
            if following.heading is not None and following.heading <= level:
                break
            if following.heading is not None:
                body = []  # parts under it: judged on their own
                break
            body.append(following.text)
        if not body or index + 1 + len(body) >= len(paras):
            continue  # a heading with parts below it, or the text ends here (an excerpt)
        if any(_EXECUTION_FIGURE.search(t) or _NONE_SPENT.search(t) for t in body):
            continue
        yield _para_finding(
            doc,
            "warning",
            "execution_missing",
            f"“{para.title or para.text[:20]}”没有写执行数：未写支出金额，也未写执行率",
            para,
            0,
            min(len(para.text), 30),
        )
        return


def check_heading_repeated(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """Two headings of one level under one parent with the same words ((一)部门绩效目标的设立情况
    and (二)部门绩效目标的设立情况): a part copied and not renamed."""
    seen: dict[int, dict[str, int]] = {}
    for section in doc.sections:
        level = section.level
        if len(seen) > 1 or (seen and level not in seen):
            for deeper in [k for k in seen if k > level]:
                del seen[deeper]
        words = section.title.rstrip("。.:;, ")
        if len(words) < 4 or not section.number:
            continue
        number = cn_int(section.number)
        if number is None:
            continue
        if number == 1:
            seen[level] = {}  # a new list (another report on the same page)
        siblings = seen.setdefault(level, {})
        before = siblings.get(words)
        if before is not None and number > before:
            yield _para_finding(
                doc,
                "warning",
                "heading_repeated",
                f"标题重复：第 {number} 项“{words}”与前面第 {before} 项的标题相同",
                section.para,
                0,
                min(len(section.para.text), 30),
            )
        siblings[words] = number


_TARGETS_OF_YEAR = re.compile(
    r"(?<!\d)((?:19|20)\d{2})年度?(?:我|本)?(?:单位|部门|局|中心|院|馆|站|所|校|园)?的?"
    r"(?:最主要|主要|重要|重点)?的?(?:部门|整体|年度|绩效|工作)*(?:目标|任务)(?:是|为|:)"
)


def _targets_of_earlier_year(doc: Document, year: int) -> Iterator[Finding]:
    """ "2020年我单位最主要的目标是…" in a report on 2021: last year's targets copied."""
    for para in doc.paras:
        if "目标" not in para.text and "任务" not in para.text:
            continue
        for m in _TARGETS_OF_YEAR.finditer(para.text):
            stated = int(m.group(1))
            if not year - 3 <= stated < year:
                continue
            sentence = _sentence_at(para.text, m.start())
            if f"{year}年" in sentence or _COMPARISON.search(sentence):
                continue
            yield _para_finding(
                doc,
                "warning",
                "date_other_year",
                f"“{m.group(0)}”写的是 {stated} 年的目标，本报告评价 {year} 年度"
                "（可能沿用了往年报告）",
                para,
                m.start(),
                m.end(),
            )
            return


# a 时效指标's deadline (2021年11月30日前完成资金支付); a sheet's row label may stand right before
# it, run together (指标12021年…: 指标1 | 2021年…)
_DEADLINE = re.compile(
    r"(?:(?<!\d)|(?<=指标\d))((?:19|20)\d{2})年(?:1[0-2]|[1-9])月(?:[1-3]?\d日)?(?:底|末)?之?前"
)


def _deadline_of_earlier_year(doc: Document, year: int) -> Iterator[Finding]:
    """A time indicator (时效指标) whose deadline lies before the evaluated year began: a target
    of a 2022 project cannot be due in 2021 (last year's sheet copied, or the year mistyped). Only
    a deadline with 时效 just before it: elsewhere an earlier date may be the project's history."""
    for para in doc.paras:
        if "时效" not in para.text or "前" not in para.text:
            continue
        for m in _DEADLINE.finditer(para.text):
            stated = int(m.group(1))
            if (
                not year - 3 <= stated < year
                or "时效" not in para.text[max(0, m.start() - 20) : m.start()]
            ):
                continue
            yield _para_finding(
                doc,
                "warning",
                "date_other_year",
                f"时效指标的完成期限“{m.group(0)}”早于评价年度 {year} 年，"
                "应为评价年度内的日期（可能沿用了往年的指标）",
                para,
                m.start(),
                m.end(),
            )
            return


_BOUND_ONLY = re.compile(
    r"(满意度|满意率)(?:(?!满意)[^。;,%\d]){0,12}?(?:≥|>=|≧|大于等于|不低于|不少于|大于|高于|达到?)"
    r"[^。;,%\d]{0,6}?(≥|>=|≧)?\s*" + rf"({_NUM})%"
)
_DONE_HEADING = re.compile(r"完成")
_PLAN_HEADING = re.compile(r"设定|设立|申报|目标值|预期")


def _under_completion_heading(doc: Document) -> dict[int, bool]:
    """For each paragraph (by id), whether a heading above it speaks of what was done (完成情况,
    完成的绩效目标) rather than what was planned (设定, 申报)."""
    result: dict[int, bool] = {}
    stack: list[tuple[int, bool]] = []
    for para in doc.paras:
        level = para.heading
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            words = para.title or para.text[:20]
            done = bool(_DONE_HEADING.search(words)) and not _PLAN_HEADING.search(words)
            inherited = any(d for _, d in stack)
            stack.append((level, done or inherited))
        result[id(para)] = any(d for _, d in stack)
    return result


_GOAL_STATED = re.compile(r"(?:总体|年度|绩效)目标(?:值)?[:：]([^。;\n]{2,80})")
_GOAL_DONE = re.compile(r"(?:年度|绩效|总体)?目标(?:的)?完成情况[:：]([^\n]{2,200})")
_YEAR_OR_DATE = re.compile(rf"{_NUM}\s*(?:年度?|月|日)")


def _non_money_figures(text: str) -> list[str]:
    """Figures of a text that are neither amounts of money nor years, months or days."""
    rest = re.sub(_MONEY, " ", text)
    rest = _YEAR_OR_DATE.sub(" ", rest)
    return re.findall(r"\d+(?:\.\d+)?", rest)


def _completion_in_money_only(doc: Document) -> Iterator[Finding]:
    """目标完成情况 answered with money alone (2022年完成支付3483万元) where the stated goal is a
    figure of the work (完成项目改造建设总量50%): what was achieved is not given, only what was
    paid. Silent when the goal is itself money or the answer carries any other figure."""
    goal = next(
        (
            m
            for para in doc.paras
            for m in _GOAL_STATED.finditer(para.text)
            if _non_money_figures(m.group(1))
        ),
        None,
    )
    if goal is None:
        return
    for para in doc.paras:
        m = _GOAL_DONE.search(para.text)
        if m is None:
            continue
        answer = m.group(1)
        if re.search(_MONEY, answer) and not _non_money_figures(answer):
            yield _para_finding(
                doc,
                "warning",
                "actual_missing",
                f"目标完成情况只写了资金支付，没有写目标“{goal.group(1).strip()}”的完成值",
                para,
                m.start(),
                m.end(),
            )
        return


def check_actual_missing(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """An indicator reported under 完成情况 with its target bound only (服务对象满意度≥80%,
    满意度大于年度指标值≥95%): the measured value is not given. Also a 目标完成情况 answered with
    the money paid alone where the goal is a figure of the work."""
    yield from _completion_in_money_only(doc)
    yield from _bound_as_actual(doc)
    if "满意" not in doc.text:
        return
    done = _under_completion_heading(doc)
    found = 0
    for para in doc.paras:
        if "满意" not in para.text or not done.get(id(para)):
            continue
        for m in _BOUND_ONLY.finditer(para.text):
            bound = m.group(0)
            if not re.search(r"≥|>=|≧|大于等于|不低于|不少于", bound):
                continue  # 达到95% / 大于95% alone may be the measured value
            clause_end = _CLAUSE_END.search(para.text, m.end())
            clause = para.text[m.start() : clause_end.start() if clause_end else len(para.text)]
            if len(re.findall(r"\d%|\d(?=\s*(?:分|人|个|次))", clause)) > 1 or re.search(
                r"实际|结果|完成值|测评|调查显示|达到了", clause
            ):
                continue  # another figure or a result in the clause: the value may be there
            yield _para_finding(
                doc,
                "warning",
                "actual_missing",
                f"“{bound}”只写了指标值，没有写实际完成值",
                para,
                m.start(),
                m.end(),
            )
            found += 1
            break
        if found >= 10:
            return


# a 自评表 row whose 实际值 cell repeats its 指标值 with the bound: "≥266米 | ≥266米 | 10" (the
# cells may run together: ≥95%≥95%10). Not when a figure of the same unit follows: a sheet with
# 年初指标值 and 调整指标值 columns gives the bound twice before the value (≥95% ≥95% 96%).
_BOUND_TWICE = re.compile(
    rf"((?:≥|≧|>=|≤|≦|<=|>|<|不低于|不少于|不高于|不超过)\s*{_NUM}\s*(%|[\u4e00-\u9fff]{{1,3}}))"
    r"[\s|]*(?:≥|≧|>=|≤|≦|<=|>|<|不低于|不少于|不高于|不超过)\s*"
)


def _bound_as_actual(doc: Document) -> Iterator[Finding]:
    for para in doc.paras:
        if not re.search(r"[≥≧≤≦<>]|不低于|不少于|不高于|不超过", para.text):
            continue
        for m in _BOUND_TWICE.finditer(para.text):
            first = re.sub(r"\s", "", m.group(1))
            second = re.match(rf"({_NUM})\s*{re.escape(m.group(2))}", para.text[m.end() :])
            if second is None or not first.endswith(second.group(1) + m.group(2)):
                continue  # two different bounds (≥90% ≥95%)
            after = para.text[m.end() + second.end() :]
            if re.match(rf"[\s|]*{_NUM}\s*{re.escape(m.group(2))}", after):
                continue  # 年初 and 调整 指标值 both ≥95%, then the value 96%
            yield _para_finding(
                doc,
                "warning",
                "actual_missing",
                f"实际完成值写作“{first}”，与指标值相同，只是界限，没有写实际完成的数值",
                para,
                m.start(),
                m.end() + second.end(),
            )
            return


_CLAUSE_END = re.compile(r"[。;]")
_OUTPUT_KINDS = ("产出指标", "数量指标", "质量指标", "时效指标", "成本指标")
_CATEGORY = re.compile(
    r"(产出指标|数量指标|质量指标|时效指标|成本指标|效益指标|经济效益指标|社会效益指标|"
    r"生态效益指标|可持续影响指标|满意度指标|服务对象满意度指标)"
)
_COUNT_FIGURE = re.compile(
    rf"{_NUM}\s*(?:人次|人|个|家|项|次|场|件|户|名|期|批|所|本|套|台|篇|天|公里|米|平方米|亩)"
)
_ITEM_NAME = re.compile(r"^[\u4e00-\u9fff()、]{2,20}(?=[:])")


def check_indicator_category(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """An indicator under a category that cannot hold it: a 满意度 indicator under 产出指标 (数量
    / 质量 / 时效 / 成本), and a 成本指标 whose items count visits or people with no money at all."""
    if "指标" not in doc.text:
        return
    if "满意" in doc.text:
        row = _satisfaction_row(doc)
        if row is not None:
            yield row
            return
    current = ""
    level = 0
    for para in doc.paras:
        if not current and "指标" not in para.text:
            continue  # every category's name has 指标: nothing to track before the first
        heading = para.heading
        words = para.title or para.text[:20]
        if heading is not None:
            m = _CATEGORY.search(words)
            if m:
                current, level = m.group(1), heading
                continue
            if heading <= level:
                current, level = "", 0
        elif plain := _CATEGORY.match(para.text):
            current = plain.group(1)  # a category as a plain line: 效益指标:…
            continue
        if not current or heading is not None:
            continue
        name = _ITEM_NAME.match(para.text)
        if current in _OUTPUT_KINDS and name and "满意" in name.group(0):
            yield _para_finding(
                doc,
                "warning",
                "indicator_category_mismatch",
                f"满意度指标“{name.group(0)}”列在“{current}”下，应列入满意度指标",
                para,
                0,
                name.end(),
            )
            return
        if (
            current == "成本指标"
            and name
            and _COUNT_FIGURE.search(para.text)
            and not re.search(r"元|%|成本|费用|资金|经费|预算|单价|造价", para.text)
        ):
            yield _para_finding(
                doc,
                "warning",
                "indicator_category_mismatch",
                f"成本指标下的“{name.group(0)}”没有金额，是数量而非成本，应列入数量指标",
                para,
                0,
                min(len(para.text), name.end() + 20),
            )
            return


def _satisfaction_row(doc: Document) -> Finding | None:
    """A table row (cells split by tabs or |) 产出指标 | 质量指标 | 群众满意度 | …"""
    for number, raw in enumerate(doc.text.split("\n"), start=1):
        if "满意" not in raw or ("\t" not in raw and "|" not in raw):
            continue
        cells = [normalize_line(c) for c in re.split(r"[\t|]", raw)]
        cells = [c for c in cells if c]
        for kind, name in itertools.pairwise(cells):
            if kind in _OUTPUT_KINDS and "满意" in name and len(name) <= 30:
                return Finding(
                    "warning",
                    "indicator_category_mismatch",
                    f"满意度指标“{name}”列在“{kind}”下，应列入满意度指标",
                    f"{kind} {name}",
                    Location(line=number, page=doc.pages.get(number)),
                )
    return None


_PREAMBLE = re.compile(r"现将[^。]{0,80}?(?:报告|汇报)如下|形成本(?:评价)?报告")


def check_preamble_numbered(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """The opening paragraph (根据…通知…现将…报告如下) numbered 一、 as if it were the first part:
    the template's parts (一、单位基本情况 …) all shift by one."""
    top = [s for s in doc.sections if s.level == 1]
    if len(top) < 2 or top[0].number not in ("一", "1"):
        return
    first = top[0].para
    if len(first.text) < 60 or not _PREAMBLE.search(first.text):
        return
    if "现将" not in first.text and not re.match(r"^\S{1,4}(?:根据|按照|依据)", first.text):
        return
    second = top[1]
    yield _para_finding(
        doc,
        "warning",
        "numbering_shifted",
        f"开头的说明段落编为“{_shown_number(first.text)}”，使“{second.title}”成为第 "
        f"{second.number} 部分，其后各部分序号与模板错位",
        first,
        0,
        40,
    )


_FORMULA = re.compile(r"得分\s*\(?\s*(\d{1,3})\s*分\s*[*×xX]\s*执行率\s*\)?")
_FORMULA_ROW = re.compile(rf"资金总额[ :]*({_NUM}) ({_NUM}) ({_NUM})(%?) ({_NUM})(?![\d.%])")


@dataclass(frozen=True)
class _FundsRow:
    """The funds row of a 自评表 whose 得分 column states its formula (预算数(A) | 执行数(B) |
    执行率(B/A) | 得分(20分*执行率)), read from the source text: a pdf or a web page gives the
    cells one per line, and a table cell alone between blank lines is no page number here."""

    weight: Decimal
    budget: Decimal
    executed: Decimal
    budget_text: str
    executed_text: str
    rate_text: str
    score_text: str
    formula: str
    location: Location
    quote: str


def _funds_row(doc: Document) -> _FundsRow | None:
    text = doc.text
    if folded_traditional(text):
        # a traditional copy with readings (執(zhí)行率, 資金總額): its lines folded as the reader's
        text = fold_traditional(text)
    if "执行率" not in text or "资金总额" not in text:
        return None
    formula = _FORMULA.search(normalize_line(re.sub(r"[\s|]+", "", text[:20_000])))
    if formula is None:
        return None
    at = text.find("资金总额")
    flat = normalize_line(re.sub(r"[\s|]+", " ", text[at : at + 300]))
    row = _FORMULA_ROW.match(flat)
    if row is None:
        return None
    budget, executed = Decimal(row.group(1)), Decimal(row.group(2))
    rate_text = row.group(3)
    # the columns are the form's only when the rate cell is B ÷ A (20 or 20% for 10 of 50)
    if budget <= 0 or not _matches(Decimal(rate_text), rate_text, executed / budget * 100):
        return None
    line = text.count("\n", 0, at) + 1
    return _FundsRow(
        Decimal(formula.group(1)),
        budget,
        executed,
        row.group(1),
        row.group(2),
        rate_text,
        row.group(5),
        formula.group(0),
        Location(line=line, page=doc.pages.get(line)),
        row.group(0),
    )


def check_score_formula(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A 自评表 whose 得分 column states its formula (得分(20分*执行率)): the funds row's score
    against weight × executed ÷ budget. Above the weight: an error. Off the formula: an error when
    no rounding of it (half-up, down or up) gives the printed score, else a warning."""
    row = _funds_row(doc)
    if row is None:
        return
    score = Decimal(row.score_text)
    if score > row.weight:
        yield Finding(
            "error",
            "score_formula_mismatch",
            f"预算执行得分 {row.score_text} 分超过该项分值 {row.weight} 分",
            row.quote,
            row.location,
        )
        return
    rate = row.executed / row.budget
    if rate > 1:
        return  # rules differ on rates above 100% (capped or not): not judged
    computed = row.weight * rate
    half = half_unit(row.score_text)
    if score - half - Decimal("1e-20") <= computed < score + half:
        return
    unit = Decimal(1).scaleb(-len(row.score_text.partition(".")[2]))
    # within one unit of the printed digit a rounding up gives it: a slip, or another convention
    severity = "warning" if abs(score - computed) < unit else "error"
    yield Finding(
        severity,
        "score_formula_mismatch",
        f"预算执行得分写作 {row.score_text} 分，但按“{row.formula}”，{row.weight}×"
        f"{row.executed_text}÷{row.budget_text} 四舍五入为 {format_score(computed)} 分",
        row.quote,
        row.location,
    )


LOW_EXECUTION = Decimal(
    90
)  # forms: 预算执行率未达到90%的需说明原因 (四川 部门预算项目支出绩效自评表)
_REASON = re.compile(r"原因|由于|因为|受[^。]{0,20}影响|主要是|导致|偏差|尚未|未到|滞后|结转")


# the part of a report that only describes (一、基本情况, 部门概况, 項目概況 in a traditional copy)
_OVERVIEW = re.compile(r"基本情|概[况況]")


def _ends_in_its_overview(doc: Document, para: Paragraph) -> bool:
    """The rate stands in the overview (基本情况) and the text has no part after it: a copy cut
    before its analysis (a page's stored opening), where the reason the later parts give (偏差原因,
    存在的问题) is missing from the copy, not from the report. A rate in a later part (绩效目标完成情况
    分析), or in a text with no numbered parts, is judged as before."""
    parts = [s for s in doc.sections if s.level == 1]
    if not parts or not _OVERVIEW.search(parts[-1].para.text[:20]):
        return False
    return parts[-1].para.line <= para.line


_NOUGHT_STATED = re.compile(r"执行率(?:为|是|:)?\s*0(?:\.0+)?%$")


# a summary table's row of a project's budget, spending and balance (预算数 | 执行数 | 结余数: 86.031
# 62.106 23.925, the third the first less the second): the spending's share of the budget
_BALANCE_HEADER = re.compile(r"预算[^。]{0,30}?执行数?[^。]{0,30}?结余")
_ROW_FIGURE = re.compile(r"(?<![\d.])\d{1,9}(?:\.\d{1,4})?(?![\d.%])")


def _balance_rows_low(doc: Document) -> Iterator[Finding]:
    """The lowest share spent among a summary table's rows whose three figures are a budget, its
    spending and the balance left (a − b = c exactly): below 90% with no reason anywhere."""
    header = next((p for p in doc.paras if _BALANCE_HEADER.search(p.text)), None)
    if header is None or _REASON.search(doc.text):
        return
    lowest: tuple[Decimal, Paragraph, int, str] | None = None
    for para in doc.paras[doc.paras.index(header) :]:
        figures = list(_ROW_FIGURE.finditer(para.text))
        for a, b, c in zip(figures, figures[1:], figures[2:], strict=False):
            if para.text[a.end() : b.start()].strip() or para.text[b.end() : c.start()].strip():
                continue  # three cells side by side, nothing between them
            budget, spent, left = (Decimal(m.group(0)) for m in (a, b, c))
            if budget <= 0 or budget - spent != left:
                continue
            share = spent / budget * 100
            if lowest is None or share < lowest[0]:
                lowest = (share, para, a.start(), para.text[a.start() : c.end()])
    if lowest is None or lowest[0] >= LOW_EXECUTION:
        return
    share, para, start, cells = lowest
    yield Finding(
        "warning",
        "execution_low_unexplained",
        f"汇总表中执行数仅为预算数的 {_fmt(share)}%（{' '.join(cells.split())}：预算、执行、结余），"
        f"低于 {LOW_EXECUTION}%，报告未说明原因",
        para.text[max(0, start - 20) : start + len(cells)],
        doc.location(para, start),
    )


_WHOLE_SPENT = re.compile(
    r"共计|合计|总计|累计|全年|全部|总额|共(?:完成|支出|使用|发放|拨付|执行|兑付|兑现)"
)


def _read_budget_low(doc: Document) -> Iterator[Finding]:
    """No rate stated anywhere, but the full-year budget and the spending are read (246.2 allocated,
    141.8 paid): their share below 90% with no reason anywhere. Only the full-year budget counts —
    spending below the initial budget may be an adjustment the text does not state."""
    full_year, executed = doc.budget.get("full_year"), doc.budget.get("executed")
    if full_year is None or executed is None or full_year.value <= 0 or executed.value <= 0:
        return  # nothing spent read as 0 is a cell never filled in, as for a stated 0%
    share = executed.value / full_year.value * 100
    if share >= LOW_EXECUTION or _REASON.search(doc.text):
        return
    if executed.para is None or _ends_in_its_overview(doc, executed.para):
        return
    # the spending must be stated as the whole (共发放, 累计支出, 全年执行数): a report on several
    # projects may give one project's spending (该项目…支出资金30万元) beside the funds of all
    if not _WHOLE_SPENT.search(_sentence_at(executed.para.text, executed.offset)):
        return
    yield _finding(
        doc,
        "warning",
        "execution_low_unexplained",
        f"全年执行数 {_fmt(executed.value)} 万元仅为全年预算数 {_fmt(full_year.value)} 万元的 "
        f"{_fmt(share)}%，低于 {LOW_EXECUTION}%，报告未说明原因",
        executed,
    )


def check_execution_low(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """An execution rate below 90% with no reason anywhere in the report (the forms ask for one),
    noting when every output target read is met: spending lagging the reported outputs."""
    rates = [r for r in doc.rates if r.kind == "execution"]
    if rates:
        claim = min(rates, key=lambda r: r.percent)
        percent, shown = claim.percent, claim.percent_text
        quote, location = claim.quote, doc.location(claim.para, claim.offset)
    else:
        row = _funds_row(doc)
        if row is None:
            balance = list(_balance_rows_low(doc))
            yield from balance or _read_budget_low(doc)
            return
        percent, shown = Decimal(row.rate_text), row.rate_text
        quote, location = row.quote, row.location
    # a 0 in a sheet's row is a sum never filled in; 预算执行率0% written in prose is the rate
    if percent >= LOW_EXECUTION or percent < 0 or _REASON.search(doc.text):
        return
    if rates and not claim.table and _ends_in_its_overview(doc, claim.para):
        return
    if percent == 0 and not (rates and not claim.table and _NOUGHT_STATED.search(claim.quote)):
        return
    met = doc.targets and all(t.stated_percent >= 100 for t in doc.targets)
    yield Finding(
        "warning",
        "execution_low_unexplained",
        f"预算执行率 {shown}% 低于 {LOW_EXECUTION}%"
        + ("，而所列绩效指标均已完成" if met else "")
        + "，报告未说明原因",
        quote,
        location,
    )


# a fifth or more of the budget unspent is far from it by any reading; between 80% and 90% a reader
# may still call the spending close to the budget, so a claim that it is stays unjudged there
FAR_FROM_BUDGET = Decimal(80)
# the report's own word that its spending kept to the budget: the 中央转移支付 form's 执行准确性
# answer (不存在执行数偏离预算数较多的问题) or a claim of a high rate (预算执行率较高)
_KEPT_TO_BUDGET = re.compile(
    r"(?:不存在|没有|无(?!法)|未)(?:出现|发生)?(?:执行数|执行|资金|支出)?(?:明显|较大|严重)?偏离预算"
    r"|执行数?(?:未|没有|无)偏离"
    r"|(?<!确保)(?<!力争)(?<!争取)(?<!保证)(?<!保持)(?<!提高)(?:预算|资金)执行(?:率|进度)"
    r"(?:较高|良好|较好|较快)(?!于)"
)


_HIGH_RATE_WORDS = re.compile(r"执行(?:率|进度)(?:较高|良好|较好|较快)")


def check_execution_claim(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """The report says its spending kept to the budget (不存在执行数偏离预算数较多) while every
    execution rate it states — or, with none stated, its whole-year spending over its full-year
    budget — is below 80%: the sentence and the figures cannot both be right (a warning: which
    one is wrong the text does not say)."""
    # a cheap first look: the full pattern's lookbehinds make it slow to scan every report
    if "偏离预算" not in doc.joined and _HIGH_RATE_WORDS.search(doc.joined) is None:
        return
    if _KEPT_TO_BUDGET.search(doc.joined) is None:
        return
    rates = [r for r in doc.rates if r.kind == "execution"]
    if rates:
        share = max(r.percent for r in rates)
        shown = f"{max(rates, key=lambda r: r.percent).percent_text}%"
    else:
        full_year, executed = doc.budget.get("full_year"), doc.budget.get("executed")
        if full_year is None or executed is None or full_year.value <= 0 or executed.para is None:
            return
        if not _WHOLE_SPENT.search(_sentence_at(executed.para.text, executed.offset)):
            return
        share = executed.value / full_year.value * 100
        shown = f"{_fmt(share)}%（{_fmt(executed.value)}÷{_fmt(full_year.value)}）"
    # a rate of 0 is a cell never filled in, not a figure to hold a sentence against
    if not 0 < share < FAR_FROM_BUDGET:
        return
    para = next((p for p in doc.paras if _KEPT_TO_BUDGET.search(p.text)), None)
    if para is None:
        return
    found = _KEPT_TO_BUDGET.search(para.text)
    assert found is not None
    yield Finding(
        "warning",
        "execution_claim_contradicted",
        f"报告称“{found.group(0)}”，但预算执行率仅为 {shown}，低于 {FAR_FROM_BUDGET}%",
        _sentence_at(para.text, found.start())[:120],
        doc.location(para, found.start()),
    )


# the year's funds laid out use by use (资金安排是:支持A5万元,支持B13万元…): the list is the whole
# arrangement, so its uses add to the funds; words saying it lists only some (其中, 主要, 等, 部分,
# 包括, 其余), a per-unit standard (每, 人均, 标准) or what is left (结余, 剩余) leave it unjudged
_ARRANGED = re.compile(r"资金(?:的)?(?:安排|分配|分解)(?:情况)?(?:是|为|如下)[:]?")
_PART_OF_IT = re.compile(
    r"其中|主要|等|部分|包括|其余|另|每|人均|标准|结余|剩余|余额|累计|执行|支出"
)
_YEAR_IN = re.compile(r"((?:19|20)\d{2})年")


def _names_the_funds(lead: str, funds_quote: str) -> bool:
    """The arrangement names the funds the full-year figure was read from: four characters of
    the name before its 资金 (体育强省 of 我县体育强省资金安排是) stand in that figure's sentence. A
    department's total beside one fund's arrangement shares no such name."""
    name = re.findall(r"[\u4e00-\u9fff]+", lead)
    if not name:
        return False
    last = name[-1]
    return any(last[i : i + 4] in funds_quote for i in range(len(last) - 3))


def check_arranged_funds(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A sentence laying the year's funds out use by use (three amounts or more) whose uses do
    not add to the full-year funds the report states, beyond the rounding of every figure: money
    allocated twice or never (a warning — the text does not say which figure is wrong)."""
    full_year = doc.budget.get("full_year")
    if full_year is None or full_year.value <= 0 or "资金" not in doc.joined:
        return
    year = doc.year.value if doc.year is not None else None
    for para in doc.paras:
        for m in _ARRANGED.finditer(para.text):
            end = para.text.find("。", m.end())
            uses = para.text[m.end() : end if end >= 0 else len(para.text)]
            lead = _sentence_at(para.text, m.start())[: m.start()]
            if _PART_OF_IT.search(uses) or _PART_OF_IT.search(lead[-30:]):
                continue
            if any(int(y) != year for y in _YEAR_IN.findall(lead + uses)):
                continue  # another year's arrangement (or a text whose year is not read)
            if not _names_the_funds(lead, full_year.quote):
                continue
            amounts = [_money(a, 1) for a in re.finditer(_MONEY, uses)]
            if len(amounts) < 3:
                continue
            total = sum((a for a, _ in amounts), Decimal(0))
            # a list that writes 1.2万元 is written to 0.1万元 throughout (its 5万元 is 5.0): each
            # use may be off by half the list's finest unit, the funds by half their own
            finest = min(h for _, h in amounts)
            slack = finest * len(amounts) + half_unit(format(full_year.value, "f"))
            if abs(total - full_year.value) <= slack:
                continue
            yield _para_finding(
                doc,
                "warning",
                "sum_mismatch",
                f"资金安排所列 {len(amounts)} 项之和为 {_fmt(total)} 万元，与全年资金 "
                f"{_fmt(full_year.value)} 万元不符（相差 {_fmt(abs(total - full_year.value))} 万元）",
                para,
                m.start(),
                m.end() + len(uses),
            )


_ONE_PROJECT = re.compile(
    rf"(?:共有|共|仅有|只有)(?:1|一)个项目[^。]{{0,30}}?(?:金额|资金|预算|支出)[^。\d]{{0,8}}?{_MONEY}"
)
_PROJECT_SPENDING = re.compile(rf"项目支出(?:为|是|:)?{_MONEY}")


def check_one_project(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """The department's 项目支出 against its one project's amount (项目支出46.25万元 … 共有1个项目 …
    项目金额46.00万元): one figure stated two ways."""
    if not any("1个项目" in p.text or "一个项目" in p.text for p in doc.paras):
        return
    spending = None
    for para in doc.paras:
        if spending is None:
            spending = _PROJECT_SPENDING.search(para.text)
        one = _ONE_PROJECT.search(para.text)
        if one is None or spending is None:
            continue
        total, total_half = _money(spending, 1)
        amount, amount_half = _money(one, 1)
        if abs(total - amount) > total_half + amount_half:
            yield _para_finding(
                doc,
                "warning",
                "figure_inconsistent",
                f"前文写{spending.group(0)}，此处写{one.group(0)}：只有一个项目，两处金额应一致，"
                "请核对",
                para,
                one.start(),
                one.end(),
            )
        return


# a fund's amount of a few 元 (市级资金配套3.6元): the 万 was lost. A rate or standard (每人300元,
# 补助标准50元, 30元/人, 人均…) is no fund's total, and 补助 / 补贴 are too often paid per head
# (误餐补助30元) to be judged
_FEW_YUAN = re.compile(
    r"(?:资金|经费|预算|配套|拨款|到位|投入|支出|下达|安排)(?:资金|经费)?"
    r"(?:为|共|共计|合计|总额|计|了)?(\d{1,2}(?:\.\d{1,2})?)元(?![/每])"
)
_RATE_WORD = re.compile(r"每|标准|人均|户均|均价|单价|/|按")


def check_amount_unit(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A fund stated at under 100 元: a public fund of a few 元 is a 万元 figure that lost its 万
    (配套3.6元 for 120 people at 300 each is 3.6万元)."""
    # one scan of the whole text first: most reports state no fund under 100 元
    if not _FEW_YUAN.search(doc.joined):
        return
    for para in doc.paras:
        for m in _FEW_YUAN.finditer(para.text):
            if Decimal(m.group(1)) == 0:
                continue
            clause_start = max(para.text.rfind(c, 0, m.start()) for c in ",;。:") + 1
            if _RATE_WORD.search(para.text[clause_start : m.end() + 2]):
                continue
            yield _para_finding(
                doc,
                "warning",
                "amount_unit_suspect",
                f"“{m.group(0)}”：一笔资金只有 {m.group(1)} 元，不合常理，可能应为 "
                f"{m.group(1)} 万元，请核对单位",
                para,
                m.start(),
                m.end(),
            )
            return


# a year and a month run together, the 年 lost: 20191-12月份 (2019年1-12月份), 202012月底
# (2020年12月底), 20202-20211月份 (2020年2月-2021年1月); after a character, never a digit or a point
_YEAR_MONTH_RUN = re.compile(
    r"(?<=[\u4e00-\u9fff,;:(])((?:19|20)\d{2})(1[0-2]|[1-9])"
    r"(?:-(?:(?:19|20)\d{2})?(?:1[0-2]|[1-9]))?月(?:份|底|末)"
)


def check_year_lost(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A date whose 年 was lost (20191-12月份 for 2019年1-12月份): the reader cannot tell the year
    from the month, nor can a reviewer at a glance. Only a month with 份 / 底 / 末 after it, which
    no amount or count carries."""
    # most reports have no such date: a substring search first, then one scan of the whole text
    text = doc.joined
    if not ("月份" in text or "月底" in text or "月末" in text) or not _YEAR_MONTH_RUN.search(text):
        return
    for para in doc.paras:
        m = _YEAR_MONTH_RUN.search(para.text)
        if m is None:
            continue
        yield _para_finding(
            doc,
            "warning",
            "date_year_lost",
            f"“{m.group(0)}”缺少“年”字，应为 {m.group(1)}年{m.group(0)[len(m.group(1)) :]}",
            para,
            m.start(),
            m.end(),
        )
        return


# -- checks for the annotated defects of the real reports (issue 13, checks13) ----------------


def _raw_lines(doc: Document) -> Iterator[tuple[int, str]]:
    """The source's lines as written, with their 1-based numbers (a paragraph joins lines, and
    the reader turns ① into 1: a table's cells, a heading of its own and ① are seen here)."""
    return enumerate(doc.text.split("\n"), start=1)


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _line_finding(doc: Document, code: str, message: str, quote: str, number: int) -> Finding:
    return Finding(
        "warning", code, message, quote, Location(line=number, page=doc.pages.get(number))
    )


# a template's own heading: a line that names the outline or template (…报告参考提纲, …编写提纲,
# …参考格式, …报告模板); a sentence citing it (按照《…参考提纲》编写) has more than a name
_TEMPLATE_HEADING = re.compile(
    r"^[\u4e00-\u9fff()]{2,40}?(?:参考提纲|编写提纲|撰写提纲|报告提纲|参考格式|格式范本|参考范本"
    r"|参考模板|报告模板|参考文本)(?:\([\u4e00-\u9fff]{1,6}\))?$"
)
_TEMPLATE_WORDS = ("提纲", "参考格式", "范本", "模板", "参考文本")


def check_template_heading(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """The template's own heading left over the report (部门整体支出绩效评价报告参考提纲): a line of
    its own, nothing but a name ending in 参考提纲 / 编写提纲 / 参考格式 / 报告模板."""
    if not any(word in doc.text for word in _TEMPLATE_WORDS):
        return
    for number, raw in _raw_lines(doc):
        if not any(word in raw for word in _TEMPLATE_WORDS):
            continue
        line = normalize_line(raw)
        if _TEMPLATE_HEADING.match(line) and not re.match(r"^(?:按照|根据|依据|参照|对照)", line):
            yield _line_finding(
                doc,
                "template_heading_left",
                f"“{line}”是模板自身的标题，未从报告中删除",
                line,
                number,
            )
            return


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CIRCLED_MARK = re.compile(f"[{_CIRCLED}]")


def check_circled_numbering(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """①…③ (a skip) or ①②② (a repeat) among the lines that open with a circled number: the
    reader turns ① into 1, so the source's lines are read. A heading line (一、 (一) 1.) between
    them closes the list; a list starting again at ① is a new list."""
    if "①" not in doc.text:
        return
    previous = 0
    for number, raw in _raw_lines(doc):
        line = raw.strip().lstrip("|").strip()
        if not line:
            continue
        at = _CIRCLED.find(line[0])
        if at < 0:
            if heading_level(normalize_line(line)) is not None:
                previous = 0
            continue
        current = at + 1
        if previous and current != 1 and (current == previous or current > previous + 1):
            kind = "重复" if current == previous else "跳号"
            yield _line_finding(
                doc,
                "numbering_broken",
                f"列举序号{kind}：“{line[0]}”的前一项是“{_CIRCLED[previous - 1]}”",
                normalize_line(line)[:30],
                number,
            )
            return
        previous = current if (previous or current == 1) else 0


# "…:1)运用…;(2)组织…;(3)辅导…": one item of a bracketed list written with a half bracket
_HALF_ITEM = re.compile(r"(?:^|[:;。,])(\d{1,2})\)(?=[\u4e00-\u9fff])")


def check_half_bracket_item(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """An item of a (1) (2) (3) list inside a paragraph written n) without its left bracket,
    while the items either side of it are full: (n+1) follows it, and (n) is nowhere in the
    paragraph. A list written 1) 2) 3) throughout is a style of its own."""
    for para in doc.paras:
        text = para.text
        if ")" not in text or "(" not in text:
            continue
        for m in _HALF_ITEM.finditer(text):
            number = int(m.group(1))
            if f"({number})" in text or f"({number + 1})" not in text[m.end() :]:
                continue
            if number > 1 and f"({number - 1})" not in text[: m.start(1)]:
                continue
            yield _para_finding(
                doc,
                "warning",
                "numbering_broken",
                f"列举序号“{number})”缺少左括号，同一列举的其他各项写作“({number + 1})”",
                para,
                m.start(1),
                m.end(),
            )
            return


# the 部门整体支出绩效自评表's two breakdowns of one 年度资金总额: 按收入性质分 and 按支出性质分
_BY_NATURE = re.compile(rf"按(收入|支出)性质分:?\|?({_NUM})")


def check_breakdowns_agree(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """The 自评表's 按收入性质分 and 按支出性质分 totals break down the one 年度资金总额: two
    different figures are one figure stated two ways."""
    if "性质分" not in doc.text:
        return
    found: dict[str, tuple[str, int, str]] = {}
    for number, raw in _raw_lines(doc):
        if "性质分" not in raw:
            continue
        line = normalize_line(raw)
        for m in _BY_NATURE.finditer(line):
            found.setdefault(m.group(1), (m.group(2), number, m.group(0)))
    if len(found) < 2:
        return
    income, _, income_quote = found["收入"]
    spending, number, spending_quote = found["支出"]
    if abs(Decimal(income) - Decimal(spending)) > half_unit(income) + half_unit(spending):
        yield _line_finding(
            doc,
            "figure_inconsistent",
            f"自评表“{income_quote}”与“{spending_quote}”是同一年度资金总额的两种分法，金额却不同",
            f"{income_quote} … {spending_quote}",
            number,
        )


# a notice (its 文号) and the amount it is said to allocate: "…【2023】41号文件《…》,下达**县2023年资金5万元"
_NOTICE_ALLOC = re.compile(
    r"([\u4e00-\u9fff]{1,8}[〔【\[(]\d{4}[〕】\])]\d{1,4}号)[^。;号]{0,80}?下达"
    rf"([^。;,号]{{0,30}}?)({_NUM})(万元|亿元|元)"
)
# the words before the amount name the whole allocation (…年资金 / 资金共计), not one item of it
_WHOLE_ALLOC = re.compile(r"(?:资金|经费|补助|共计|合计|总计|总额)(?:共计|合计|总计)?[为:]?$")


def check_notice_amounts(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """One notice (文号) said to allocate two amounts: where both name the whole allocation
    (下达…资金5万元) they must agree, and an item of it (下达…维养6万元) cannot exceed it."""
    if "号" not in doc.text or "下达" not in doc.text:
        return
    wholes: dict[str, tuple[Decimal, str]] = {}
    stated: list[tuple[str, Decimal, bool, str, Paragraph, re.Match[str]]] = []
    for para in doc.paras:
        if "下达" not in para.text:
            continue
        for m in _NOTICE_ALLOC.finditer(para.text):
            amount, _ = _money(m, 3)
            whole = bool(_WHOLE_ALLOC.search(m.group(2)))
            # the issuer before the number is not part of it: 财政局呼财农指【2023】41号
            number = re.sub(
                r"^[\u4e00-\u9fff]*?(?:局|厅|部|委|府|室|会)(?=[\u4e00-\u9fff]{2})", "", m.group(1)
            )
            stated.append((number, amount, whole, m.group(3) + m.group(4), para, m))
            if whole:
                wholes.setdefault(number, (amount, m.group(3) + m.group(4)))
    for number, amount, whole, shown, para, m in stated:
        if number not in wholes:
            continue
        total, total_shown = wholes[number]
        if (whole and amount != total) or (not whole and amount > total):
            yield _para_finding(
                doc,
                "warning",
                "figure_inconsistent",
                f"同一文件{number}下达的资金，一处写{total_shown}，此处写{shown}"
                + ("，所列一项多于该文件下达的总额" if not whole else ""),
                para,
                m.start(),
                m.end(),
            )
            return


# "一般公共预算财政拨款支出100.57万元" and the same label's 基本支出 and 项目支出
_FUND_SPENDING = re.compile(
    rf"(一般公共预算财政拨款|财政拨款)(基本支出|项目支出|支出)(?:为|是|共计|合计)?:?{_MONEY}"
)
_OTHER_PERIOD = re.compile(r"上年|上一年|同期|同比|较|比\d{4}年|预算数|年初预算|调整")


def check_fund_spending_parts(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """ "财政拨款支出X万元" against the same fund's 基本支出 B and 项目支出 P stated elsewhere in the
    report: B + P is the whole spending (a report stating the basic spending as the whole while
    it also reports a project spending states one figure two ways)."""
    if "财政拨款" not in doc.text or "基本支出" not in doc.text:
        return
    found: dict[tuple[str, str], tuple[Decimal, Decimal, str, Paragraph, int, int]] = {}
    year = doc.year.value if doc.year is not None else None
    for para in doc.paras:
        text = para.text
        if "财政拨款" not in text:
            continue
        for m in _FUND_SPENDING.finditer(text):
            sentence = _sentence_at(text, m.start())
            years = {int(y) for y in re.findall(r"(\d{4})年", sentence)}
            if _OTHER_PERIOD.search(sentence) or (years and years != {year}):
                continue
            amount, half = _money(m, 3)
            found.setdefault(
                (m.group(1), m.group(2)), (amount, half, m.group(0), para, m.start(), m.end())
            )
    for fund in ("一般公共预算财政拨款", "财政拨款"):
        stated = found.get((fund, "支出"))
        basic = found.get((fund, "基本支出"))
        project = found.get((fund, "项目支出"))
        if stated is None or basic is None or project is None:
            continue
        whole, whole_half, whole_quote, para, start, end = stated
        added = basic[0] + project[0]
        if abs(added - whole) > whole_half + basic[1] + project[1]:
            yield _para_finding(
                doc,
                "warning",
                "figure_inconsistent",
                f"“{whole_quote}”，而其基本支出 {_fmt(basic[0])} 万元与项目支出 {_fmt(project[0])} 万元"
                f"合计 {_fmt(added)} 万元",
                para,
                start,
                end,
            )
            return


_TOTAL_ROW = re.compile(r"^(?:支出|收入|资金|金额)?(?:合计|总计)$")
_CELL_NUMBER = re.compile(rf"^-?{_NUM}$")


def _table_cells(raw: str) -> list[str] | None:
    """A table row's cells (split by | or tabs), trailing empty cells dropped; None if not a row."""
    if "|" not in raw and "\t" not in raw:
        return None
    cells = [normalize_line(c) for c in re.split(r"[\t|]", raw)]
    while cells and not cells[-1]:
        cells.pop()
    while cells and not cells[0]:
        cells.pop(0)
    return cells


# a 自评表's funds block, a row a line: 年度资金总额 | A | B | rate, then 其中:X资金 | a | b | rate and the
# form's other sources (地方财政资金, 上年结转资金, 其他资金) left blank
_FUNDS_TOTAL_CELL = re.compile(r"^(?:年度)?(?:财政)?资金总额[:]?$")
_FIRST_SOURCE_CELL = re.compile(r"^其中[:]?\S{2,16}$")
_SOURCE_CELL = re.compile(r"^\S{1,16}(?:资金|拨款|结转|收入)$")
_FIGURE_CELL = re.compile(rf"^{_NUM}%?$")


def _figure_cells(cells: list[str]) -> list[str] | None:
    figures = cells[1:]
    return figures if figures and all(_FIGURE_CELL.match(c) for c in figures) else None


def check_sole_source(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A funds block whose 其中 row is the only source filled in, every other source row of the
    form left blank: that source is the whole, so each of its figures must be the total's, beyond
    the rounding of both (年度资金总额 1157.97 against 其中:中央财政资金 1157.9). A blank row may be
    a source never filled in — then the total holds money from nowhere the table names — so the
    figures still cannot both stand; a warning, since the text does not say which is wrong. Rows
    whose cells do not line up (another count of figures, words among them) are not judged."""
    if "资金总额" not in doc.text:
        return
    lines = doc.text.split("\n")
    for index, raw in enumerate(lines[:-2]):
        if "资金总额" not in raw:
            continue
        total = _table_cells(raw)
        part = _table_cells(lines[index + 1])
        if not total or not part or not _FUNDS_TOTAL_CELL.match(total[0]):
            continue
        if not _FIRST_SOURCE_CELL.match(part[0]):
            continue
        sums, shares = _figure_cells(total), _figure_cells(part)
        if sums is None or shares is None or len(sums) != len(shares):
            continue
        blank = 0
        for other in lines[index + 2 :]:
            cells = _table_cells(other)
            if not cells or not _SOURCE_CELL.match(cells[0]):
                break
            if len(cells) > 1:
                blank = -1  # another source filled in: the 其中 row is a part, not the whole
                break
            blank += 1
        if blank <= 0:
            continue
        for whole, share in zip(sums, shares, strict=True):
            a, b = Decimal(whole.rstrip("%")), Decimal(share.rstrip("%"))
            if whole.endswith("%") != share.endswith("%"):
                break
            if abs(a - b) > half_unit(whole.rstrip("%")) + half_unit(share.rstrip("%")):
                yield _line_finding(
                    doc,
                    "figure_inconsistent",
                    f"{total[0].rstrip(':')}为 {whole}，而唯一填写的来源“{part[0]}”为 {share}"
                    "（其余来源均空白）：两者应当相同",
                    f"{raw.strip()} / {lines[index + 1].strip()}",
                    index + 2,
                )
                break


def check_table_total_tail(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A table's 合计 row against the rows right above it (each a name and amounts, the same
    number of amounts): a column whose rows add up to the 合计 but for a rounding tail (each row
    rounded on its own: at most half a unit of the last digit per row) is the 合计尾差 a reviewer
    asks to reconcile. A larger gap is not judged here (a block may hold sub-rows)."""
    if "合计" not in doc.text and "总计" not in doc.text:
        return
    rows: list[list[Decimal]] = []
    halves: list[list[Decimal]] = []
    for number, raw in _raw_lines(doc):
        cells = _table_cells(raw)
        if not cells or len(cells) < 2:
            rows, halves = [], []
            continue
        name, figures = cells[0], cells[1:]
        if not all(_CELL_NUMBER.match(c) for c in figures) or _CELL_NUMBER.match(name):
            rows, halves = [], []
            continue
        if _TOTAL_ROW.match(name) and len(rows) >= 3 and all(len(r) == len(figures) for r in rows):
            for column, shown in enumerate(figures):
                added = sum((r[column] for r in rows), Decimal(0))
                finest = min([h[column] for h in halves] + [half_unit(shown)])
                gap = abs(added - Decimal(shown))
                # figures with decimals only: a whole-number column's gap is no rounding tail
                if finest < Decimal("0.5") and Decimal(0) < gap <= finest * (len(rows) + 1):
                    yield _line_finding(
                        doc,
                        "sum_rounding_tail",
                        f"“{name}”一栏写 {shown}，上方 {len(rows)} 行相加为 {_fmt(added)}，"
                        f"相差 {_fmt(gap)}（尾差），合计数与明细应一致",
                        " | ".join(cells),
                        number,
                    )
                    return
            rows, halves = [], []
            continue
        if name.startswith("其中") or "小计" in name or "合计" in name:
            rows, halves = [], []
            continue
        rows.append([Decimal(c) for c in figures])
        halves.append([half_unit(c) for c in figures])


# "现有编制人员205人。其中,局机关在职113人、离休2人、退休75人": retirees counted as 编制
_QUOTA_WITH_RETIRED = re.compile(
    r"(?:现有|核定|实有)?编制(?:人员|人数|内人员)?(?:共|为|有|共有|合计)?(\d{1,5})人[。,;]?其中"
    r"[^。]{0,80}?(离休|退休)"
)


def check_quota_with_retirees(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A 编制 figure whose 其中 list counts 离休 or 退休 staff: retirees hold no 编制, so the
    figure mixes the quota with the people the unit pays (人员口径混乱)."""
    if "编制" not in doc.text or "休" not in doc.text:
        return
    for para in doc.paras:
        if "编制" not in para.text or "休" not in para.text:
            continue
        m = _QUOTA_WITH_RETIRED.search(para.text)
        if m:
            yield _para_finding(
                doc,
                "warning",
                "staff_scope_mixed",
                f"编制人数 {m.group(1)} 人的“其中”计入了{m.group(2)}人员，离退休人员不占编制，"
                "编制数、在职人数与离退休人数应分别列示",
                para,
                m.start(),
                m.end(),
            )
            return


# a flattened 自评表: "数量指标成本控制不超过预算" — a 成本 item right under another output category
_COST_UNDER = re.compile(r"(数量|质量|时效)指标[\s|]*(成本(?!指标)[\u4e00-\u9fff]{2})")
# "项目决策 | 数量指标": an output category as the second level under 决策 / 过程
_OUTPUT_UNDER = re.compile(
    r"(?:^|[\s|])((?:项目)?(?:决策|过程)(?:指标)?)[\s|]+((?:数量|质量|时效|成本)指标)"
)


def check_indicator_placement(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """Indicators in the wrong place of the table: a 成本 item (成本控制…) as the first item under
    数量 / 质量 / 时效指标 (it belongs under 成本指标), and an output category (数量 / 质量 / 时效 /
    成本指标) as the second level under 决策 or 过程 (it belongs under 产出指标)."""
    if "指标" not in doc.text:
        return
    text = doc.text
    if "成本" in text:
        m = _COST_UNDER.search(text)
        if m:
            quote = normalize_line(m.group(0))
            yield _line_finding(
                doc,
                "indicator_category_mismatch",
                f"成本类指标“{m.group(2)}…”列在“{m.group(1)}指标”下，应列入成本指标",
                quote,
                _line_of(text, m.start(2)),
            )
    if "决策" in text or "过程" in text:
        m = _OUTPUT_UNDER.search(text)
        if m:
            yield _line_finding(
                doc,
                "indicator_level_mismatch",
                f"二级指标“{m.group(2)}”列在一级指标“{m.group(1)}”下，产出类指标应属产出指标",
                " ".join(m.group(0).split()),
                _line_of(text, m.start(2)),
            )


def _heading_number(para: Paragraph) -> int | None:
    m = re.match(r"^[(第]?([一二三四五六七八九十\d]{1,3})", para.text)
    return cn_int(m.group(1)) if m else None


def check_empty_part(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """The last sub-part of a part left with nothing under it: a sub-heading that is only a title
    ((四)…整改情况), after text, followed at once by the next part of the level above (二、…, the
    number after the part it is in). A run of bare titles (a table of contents, a list of names)
    and a heading whose next one does not continue the outline are not judged."""
    paras = doc.paras
    last: dict[int, int] = {}
    for index, para in enumerate(paras[:-1]):
        level = para.heading
        if level is None:
            continue
        number = _heading_number(para)
        if number is not None:
            last[level] = number
            for deeper in [k for k in last if k > level]:
                del last[deeper]
        following = paras[index + 1]
        above = following.heading
        if level < 2 or above is None or above >= level or index == 0:
            continue
        if paras[index - 1].heading is not None or last.get(above) is None:
            continue
        if _heading_number(following) != last[above] + 1:
            continue
        title = para.text
        body = re.sub(r"^[(第]?[一二三四五六七八九十\d]{1,3}[)、.部分]*", "", title)
        if len(title) > 30 or len(body) < 2 or re.search(r"[。;:,|]", title):
            continue
        yield _para_finding(
            doc,
            "warning",
            "section_empty",
            f"“{title}”下没有内容，紧接着就是下一部分“{following.text[:20]}”",
            para,
            0,
            len(title),
        )
        return


# a cited document, its issuers (before 关于) and its 文号's agency code: 《…办公厅关于…》(湘政发〔2019〕10号)
_CITED_NUMBER = re.compile(
    r"《((?:中共)?[\u4e00-\u9fff]{2,40}?)关于[^《》]{2,120}》\(([\u4e00-\u9fff]{1,6}?)[〔【\[(]?\d{4}"
)
_OFFICES = re.compile(r"(?:[\u4e00-\u9fff]{2,20}?(?:办公厅|办公室))+")


def check_cited_number(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A cited document whose 文号 is not its issuer's: a document of 办公厅 / 办公室 only (中共
    湖南省委办公厅 湖南省人民政府办公厅) under a 政发 number (a 人民政府's own: theirs is 办发 /
    政办发), or a 人民政府's own document under a 政办发 number."""
    if "《" not in doc.text or "发" not in doc.text:
        return
    for para in doc.paras:
        if "《" not in para.text:
            continue
        for m in _CITED_NUMBER.finditer(para.text):
            issuers, code = m.group(1), m.group(2)
            if not code.endswith("发"):
                continue
            offices = _OFFICES.fullmatch(issuers) is not None
            government = issuers.endswith("人民政府") and "办公" not in issuers
            if (offices and "政发" in code and "办" not in code) or (government and "政办" in code):
                whose = "办公厅（室）" if offices else "人民政府"
                yield _para_finding(
                    doc,
                    "warning",
                    "notice_number_suspect",
                    f"《{issuers}关于…》由{whose}印发，所引文号代字“{code}”"
                    f"{'是人民政府自身的' if offices else '是办公厅（室）的'}，文号可能有误",
                    para,
                    m.start(),
                    m.end(),
                )
                return


# a checkbox field's options and their marks: 部门(单位)绩效自评R 财政部门组织评价□ / 自评□√
_OPTION = re.compile(r"([^□R√☑■✔]+)([□R√☑■✔]*)")
_CHECKED = re.compile(r"[R√☑■✔]")


def _chosen(value: str) -> list[str]:
    """The options a checkbox field marks (R, √, ☑, ■ after its box); the whole value when the
    field has no box at all (only the chosen option was kept)."""
    if not re.search(r"[□R√☑■✔]", value):
        return [value] if value else []
    return [m.group(1) for m in _OPTION.finditer(value) if _CHECKED.search(m.group(2))]


def check_evaluation_mode(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A cover's 评价方式 against its 评价机构: a 部门(单位)绩效自评 carried out by a 中介机构 / 第三方,
    or a 财政部门组织评价 by the unit's own 部门(单位)评价组, contradict each other."""
    if "评价方式" not in doc.text or "评价机构" not in doc.text:
        return
    fields: dict[str, tuple[list[str], int]] = {}
    for number, raw in _raw_lines(doc):
        if "评价方式" not in raw and "评价机构" not in raw:
            continue
        line = normalize_line(raw)
        for label in ("评价方式", "评价机构"):
            m = re.search(rf"{label}:(.*?)(?=评价方式|评价机构|报告日期|评价类型|$)", line)
            if m and label not in fields:
                fields[label] = (_chosen(m.group(1)), number)
    if len(fields) < 2:
        return
    (modes, _), (bodies, number) = fields["评价方式"], fields["评价机构"]
    if len(modes) != 1 or len(bodies) != 1:
        return
    mode, body = modes[0], bodies[0]
    self_by_agency = "自评" in mode and re.search(r"中介|第三方", body) is not None
    finance_by_unit = "财政" in mode and "自评" not in mode and "部门(单位)评价组" in body
    if self_by_agency or finance_by_unit:
        yield _line_finding(
            doc,
            "evaluation_mode_conflict",
            f"评价方式勾选“{mode}”，评价机构却勾选“{body}”，两者前后矛盾",
            f"评价方式:{mode} … 评价机构:{body}",
            number,
        )


# "横县中共中央横县县委": 中共中央 written into a local committee's name (its own is 中共X县委)
_CENTRAL_IN_LOCAL = re.compile(
    r"中共中央((?:(?![部院厅办和及、])[\u4e00-\u9fff]){1,6}?[县市区州旗盟]委)"
)


def check_central_in_local_name(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """中共中央 in front of a local party committee's name (中共中央横县县委): a local committee is
    中共X县委 / X县委, never of 中共中央 — the name was filled in wrong."""
    if "中共中央" not in doc.text:
        return
    for para in doc.paras:
        if "中共中央" not in para.text:
            continue
        m = _CENTRAL_IN_LOCAL.search(para.text)
        if m:
            yield _para_finding(
                doc,
                "warning",
                "unit_name_suspect",
                f"“{m.group(0)}”：地方党委名称前写了“中共中央”，应为“中共{m.group(1)}”或“{m.group(1)}”",
                para,
                m.start(),
                m.end(),
            )
            return


_SPENT_WORD = re.compile(r"支出|支付|拨付|报账|结算|执行|使用|开支|兑付|发放|花费|完成投资")
_RECEIVED = re.compile(rf"(?:下达|到位|安排|拨入|批复)[^。;,]{{0,20}}?{_NUM}\s*(?:万元|亿元|元)")
_CLOSING_PART = re.compile(r"拟应用|公开情况|其他需要说明|结果应用")


def check_spending_unstated(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A whole report on funds that never says what was spent: the funds 下达 / 到位 / 安排 X万元
    are stated, no execution figure or rate was read, and no clause anywhere pairs a spending word
    (支出, 支付, 拨付, 使用, 执行 …) with an amount or a percentage, while the text runs on to its
    closing part (…结果拟应用和公开情况, 其他需要说明的问题): not an excerpt cut before its figures."""
    if doc.budget.get("executed") is not None or any(r.kind == "execution" for r in doc.rates):
        return
    parts = [s for s in doc.sections if s.level == 1]
    if len(parts) < 3 or not _CLOSING_PART.search(parts[-1].para.text[:30]):
        return
    received: tuple[Paragraph, re.Match[str]] | None = None
    for para in doc.paras:
        text = para.text
        if _NONE_SPENT.search(text):
            return
        for clause in re.split(r"[。;,]", text):
            if _SPENT_WORD.search(clause) and _EXECUTION_FIGURE.search(clause):
                return
        if received is None:
            m = _RECEIVED.search(text)
            if m:
                received = (para, m)
    if received is not None:
        para, m = received
        yield _para_finding(
            doc,
            "warning",
            "execution_missing",
            f"报告写了“{m.group(0)}”，但全文没有写资金实际支出多少（执行数或执行率）",
            para,
            m.start(),
            m.end(),
        )


_LEVEL = r"(中央|省级?|市级?|县级?|区级?)"
# "总投资61.8万元,其中中央财政资金30.9万元,县财政配套资金30.9万元": a whole split by the level of
# government that pays it
_LEVEL_SPLIT = re.compile(
    rf"{_MONEY},?其中:?{_LEVEL}[^,;。\d]{{0,12}}?{_MONEY}[,、]{_LEVEL}[^,;。\d]{{0,12}}?{_MONEY}"
)
_LEVEL_AMOUNT = re.compile(rf"{_LEVEL}[^,;。\d]{{0,12}}?{_MONEY}")


def check_level_share(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A whole split by who pays it (其中中央…X, 县…Y) and, later in the paragraph, one payer's
    share given as the whole (中央下达资金 = the total): with another payer's part above nought, one
    figure is stated two ways."""
    if "其中" not in doc.text:
        return
    for para in doc.paras:
        text = para.text
        if "其中" not in text:
            continue
        for m in _LEVEL_SPLIT.finditer(text):
            total, total_half = _money(m, 1)
            first, first_half = _money(m, 4)
            second, second_half = _money(m, 7)
            if m.group(3)[0] == m.group(6)[0] or second <= 0 or first <= 0:
                continue
            shares = {m.group(3)[0]: (first, first_half), m.group(6)[0]: (second, second_half)}
            for later in _LEVEL_AMOUNT.finditer(text, m.end()):
                level = later.group(1)[0]
                if level not in shares:
                    continue
                amount, half = _money(later, 2)
                share, share_half = shares[level]
                whole_like = abs(amount - total) <= half + total_half
                if whole_like and abs(amount - share) > half + share_half:
                    yield _para_finding(
                        doc,
                        "warning",
                        "figure_inconsistent",
                        f"前面写“{m.group(0)}”，此处“{later.group(0)}”却等于总额，"
                        f"{later.group(1)}的份额前后不一",
                        para,
                        later.start(),
                        later.end(),
                    )
                    return


_AMOUNT_HEADER = re.compile(r"^(?:预算数|执行数|年初预算数|全年预算数|全年执行数|调整后预算数)")
_FUNDS_HEADER_WORDS = ("预算数", "执行数", "执行率", "得分")


def check_funds_row_cells(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A 自评表's funds row (…支出总额 / …资金总额, cells split by |) under its header (预算数(A) |
    执行数(B) | 执行率 | 得分) with fewer figures than the header has columns, its percentage
    standing where an amount belongs: a cell of the row was left out (表格缺项). A row whose
    figures fill every column, or whose percentage stands under 执行率, is not reported."""
    if "执行率" not in doc.text or "|" not in doc.text:
        return
    header: list[str] | None = None
    for number, raw in _raw_lines(doc):
        cells = _table_cells(raw)
        if not cells:
            header = None
            continue
        if all(word in raw for word in _FUNDS_HEADER_WORDS):
            header = [c for c in cells[1:] if c]
            continue
        if header is None:
            continue
        label, values = cells[0], [c for c in cells[1:] if c]
        header_now, header = header, None
        if (
            not re.search(r"(?:支出|资金)总额$", label)
            or not values
            or len(values) >= len(header_now)
        ):
            continue
        if not all(re.fullmatch(rf"{_NUM}%?", v) for v in values):
            continue
        misplaced = next(
            (
                (column, value)
                for column, value in zip(header_now, values, strict=False)
                if value.endswith("%") and _AMOUNT_HEADER.match(column)
            ),
            None,
        )
        if misplaced is None:
            continue
        yield _line_finding(
            doc,
            "table_cell_missing",
            f"“{label}”一行少填一栏：表头有{len(header_now)}栏（{'、'.join(header_now)}），"
            f"此行只有 {'、'.join(values)}，百分数落在“{misplaced[0]}”栏下",
            " | ".join(cells),
            number,
        )
        return


# one labelled figure of the report as a whole, stated at a clause's start (a year and the unit's
# own word may come first, never another name: 某项目年初预算 is that project's)
_SAME_LABELS: tuple[tuple[str, str], ...] = (
    ("年初预算", r"年初预算(?:数|资金)?"),
    ("全年预算", r"全年预算(?:数)?"),
    ("调整后预算", r"调整后(?:的)?(?:全年)?预算(?:数)?"),
    ("全年执行数", r"全年(?:预算)?执行数|预算执行数"),
    ("自评得分", r"自评(?:总)?得分"),
    ("编制数", r"(?:核定)?编制(?:数|人数)"),
    ("实有人数", r"实有(?:在职)?人数"),
)
_SAME_FIGURE = re.compile(
    r"(?:^|[。;,:])(?P<lead>[^。;,:]{0,16}?)(?:"
    + "|".join(f"(?P<k{i}>{pattern})" for i, (_, pattern) in enumerate(_SAME_LABELS))
    + rf")(?:为|是|共|合计|达)?:?(?P<num>{_NUM})(?P<unit>万元|亿元|元|分|人|名)"
)
_OWN_LEAD = re.compile(
    r"^(?:(?P<year>\d{4})年度?)?(?:的)?(?:年末|年底)?"
    r"(?:(?:本|我)(?:单位|部门|局|校|院|中心|镇|乡|街道|办|所|站|馆|委|厅|队)?|单位|部门|部门整体|整体)?"
    r"(?:的)?(?:年末|年底)?(?:共有|现有)?$"
)
_FIGURE_UNITS = {"万元": "money", "亿元": "money", "元": "money", "分": "score", "人": "count",
                 "名": "count"}  # fmt: skip


def check_same_figure(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """One labelled figure of the report as a whole (年初预算, 全年预算, 调整后预算, 全年执行数,
    自评得分, 编制数, 实有人数) stated twice with two values, beyond the rounding of both (元 and
    万元 compared as money). Only where the label opens its clause, after nothing but the evaluated
    year and the unit's own word: a project's, a fund's or another year's figure is not the
    report's; sentences comparing years (上年, 同比, 较) are skipped."""
    year = doc.year.value if doc.year is not None else None
    seen: dict[str, tuple[Decimal, Decimal, str, str]] = {}
    for para in doc.paras:
        text = para.text
        if not any(word in text for word in ("预算", "执行数", "得分", "编制", "实有")):
            continue
        for m in _SAME_FIGURE.finditer(text):
            lead = _OWN_LEAD.match(m.group("lead"))
            if lead is None or (lead.group("year") and int(lead.group("year")) != year):
                continue
            if re.search(r"上年|同比|较|比\d{4}", _sentence_at(text, m.start("num"))):
                continue
            name = next(n for i, (n, _) in enumerate(_SAME_LABELS) if m.group(f"k{i}"))
            kind = _FIGURE_UNITS[m.group("unit")]
            if (kind == "money") != (name not in {"自评得分", "编制数", "实有人数"}):
                continue
            if kind == "money":
                scale = AMOUNT_UNITS[m.group("unit")]
                value, half = Decimal(m.group("num")) * scale, half_unit(m.group("num")) * scale
            else:
                value, half = Decimal(m.group("num")), half_unit(m.group("num"))
            shown = m.group("num") + m.group("unit")
            if name not in seen:
                seen[name] = (value, half, shown, kind)
                continue
            first, first_half, first_shown, _ = seen[name]
            if abs(value - first) > half + first_half:
                start = m.start() + len(m.group(0)) - len(m.group(0).lstrip("。;,:"))
                yield _para_finding(
                    doc,
                    "warning",
                    "figure_inconsistent",
                    f"“{name}”前后不一：前面写{first_shown}，此处写{shown}",
                    para,
                    start,
                    m.end(),
                )
                return


# "项目资金总预算为2455.5万元,其中部门预算项目支出87.5万元,专项预算支出2350万元": a total and a
# 其中 run of named kinds (names of any words, not only the labels check_sums knows)
_KINDS_LEAD = re.compile(rf"{_MONEY}[,]?(?:\(含[^()]*\))?其中:?")
_KIND_PART = re.compile(
    rf"([^,;。、:\d()]{{1,24}}?)(?:为|是|共|约)?{_MONEY}(?:\([^()]{{0,30}}\))?(?:[,、]|和|及)?"
)
# a part named by what became of the money (到位 / 支付 / 执行 …), not by a kind of it
_PROGRESS_NAME = re.compile(r"到位|拨付|支付|执行|使用|结余|结转|支出完成")
# "主要有A、B二类支出": the paragraph says how many kinds make the whole
_KINDS_COUNT = re.compile(
    r"(?:有|包括|分为)[^。;]{0,60}?([两二三四五六七八九]|\d)(?:大类|类|个方面|部分)"
)


def check_kinds_sum(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """A total and the named kinds its 其中 lists (any names: 部门预算项目支出, 专项预算支出 …) when
    the labels ``check_sums`` knows are not all of them: the kinds adding to more than the total
    (they are parts of it), or — when the paragraph says before the total how many kinds make the
    whole (主要有…二类支出) and the 其中 lists that many — to less, beyond the rounding of every
    figure. A 其中 that may list only some kinds is never judged short."""
    for para in doc.paras:
        text = para.text
        if "其中" not in text or "元" not in text:
            continue
        for lead in _KINDS_LEAD.finditer(text):
            whole, slack = _money(lead, 1)
            parts: list[tuple[str, Decimal]] = []
            position = lead.end()
            while True:
                part = _KIND_PART.match(text, position)
                if part is None or (parts and _PROGRESS_NAME.search(part.group(1))):
                    # (到位资金48万元 after the kinds: the whole's progress, no kind of it)
                    break
                if parts and "分别" in part.group(1):
                    break  # (…基金2531.96万元,分别为A…: the breakdown of the part before, nested)
                value, half = _money(part, 2)
                parts.append((part.group(1), value))
                slack += half
                position = part.end()
                if text[position - 1] not in ",、和及" or "其中" in part.group(1):
                    break
            if len(parts) < 2 or all(_SUM_LABEL.match(f"{n}1万元") for n, _ in parts):
                continue
            added = sum((v for _, v in parts), Decimal(0))
            count = _KINDS_COUNT.search(text, 0, lead.start())
            complete = count is not None and cn_int(count.group(1)) == len(parts)
            if added > whole + slack or (complete and added < whole - slack):
                yield _para_finding(
                    doc,
                    "warning",
                    "sum_mismatch",
                    f"{lead.group(1)}{lead.group(2)}，其中所列{len(parts)}项合计 {_fmt(added)} 万元"
                    f"（{'＋'.join(_fmt(v) for _, v in parts)}），"
                    f"{'多于' if added > whole else '少于'}总数 {_fmt(whole)} 万元",
                    para,
                    lead.start(),
                    position,
                )
                return


_PAYER = r"(中央|省级?|市级?|县级?|区级?|地方)"
# "地方资金完成877.99万元,预算执行率100%" and, elsewhere, "地方资金投入992.88万元"
_PAYER_DONE = re.compile(
    rf"{_PAYER}(?:财政)?资金(?:完成|支出|执行|使用|拨付){_MONEY},?(?:预算)?执行率(?:为|是|达)?({_NUM})%"
)
_PAYER_PUT = re.compile(
    rf"{_PAYER}(?:财政)?资金(?:投入|下达|安排|到位|预算)(?:资金)?(?:为|是|共)?{_MONEY}"
)


def check_payer_rates(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    """One payer's funds (中央 / 省级 / 市级 / 县级 / 地方资金) stated as put in (投入 / 下达 / 安排
    Y万元) and as done with a rate (完成X万元,预算执行率R%): X ÷ Y must round to R, the rounding
    of every figure allowed for (中央 636.75 of 776.84 at 81.97% agrees; 地方 877.99 at 100% against
    992.88 put in does not: one of the payer's figures is stated two ways)."""
    if "资金" not in doc.text or "执行率" not in doc.text:
        return
    put: dict[str, tuple[Decimal, Decimal, str]] = {}
    done: list[tuple[str, Decimal, Decimal, str, Paragraph, re.Match[str]]] = []
    for para in doc.paras:
        text = para.text
        if "资金" not in text:
            continue
        for m in _PAYER_PUT.finditer(text):
            value, half = _money(m, 2)
            put.setdefault(
                m.group(1)[0] if m.group(1) != "地方" else "地", (value, half, m.group(0))
            )
        if "执行率" in text:
            for m in _PAYER_DONE.finditer(text):
                value, half = _money(m, 2)
                level = m.group(1)[0] if m.group(1) != "地方" else "地"
                done.append((level, value, half, m.group(4), para, m))
    for level, value, half, rate_text, para, m in done:
        if level not in put:
            continue
        total, total_half, put_quote = put[level]
        if total - total_half <= 0:
            continue
        low = (value - half) / (total + total_half) * 100
        high = (value + half) / (total - total_half) * 100
        rate, rate_half = Decimal(rate_text), half_unit(rate_text)
        if high < rate - rate_half or low >= rate + rate_half:
            yield _para_finding(
                doc,
                "warning",
                "figure_inconsistent",
                f"“{m.group(0)}”，而前后另写“{put_quote}”：{_fmt(value)} ÷ {_fmt(total)} = "
                f"{_fmt(value / total * 100)}%，不是 {rate_text}%，{m.group(1)}资金的数字前后不一",
                para,
                m.start(),
                m.end(),
            )
            return


CHECKS: tuple[Callable[[Document, RuleSet | None], Iterator[Finding]], ...] = (
    check_display_decimals,
    check_percentages,
    check_completion,
    check_score,
    check_budget,
    check_budget_present,
    check_staff,
    check_dates,
    check_sections,
    check_rate_target_after,
    check_other_year,
    check_filled_blank,
    check_report_date,
    check_notice_cycle,
    check_numbering,
    check_counts,
    check_sums,
    check_source_sums,
    check_listed_parts,
    check_changes,
    check_funds_table,
    check_sheet_scores,
    check_placeholders,
    check_other_unit,
    check_unit_type_wording,
    check_parts_present,
    check_year_and_title,
    check_filled_incomplete,
    check_execution_stated,
    check_heading_repeated,
    check_actual_missing,
    check_indicator_category,
    check_preamble_numbered,
    check_score_formula,
    check_execution_low,
    check_one_project,
    check_amount_unit,
    check_year_lost,
    # issue 13, checks13: the annotated defects of the real reports
    check_template_heading,
    check_circled_numbering,
    check_half_bracket_item,
    check_breakdowns_agree,
    check_notice_amounts,
    check_fund_spending_parts,
    check_table_total_tail,
    check_quota_with_retirees,
    check_indicator_placement,
    check_empty_part,
    check_cited_number,
    check_evaluation_mode,
    check_central_in_local_name,
    check_spending_unstated,
    check_level_share,
    check_funds_row_cells,
    check_same_figure,
    check_kinds_sum,
    check_payer_rates,
    # issue 13, checks13b
    check_execution_claim,
    check_arranged_funds,
    check_sole_source,
)
