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
from decimal import ROUND_HALF_UP, Decimal

from jixiao.audit.extract import Document, Section, Value
from jixiao.audit.findings import Finding
from jixiao.audit.normalize import Paragraph
from scoring import InputError
from scoring.loading import find_ruleset
from scoring.ruleset import RuleSet

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


def _half_unit(text: str) -> Decimal:
    decimals = len(text.split(".")[1]) if "." in text else 0
    return Decimal(5) / Decimal(10) ** (decimals + 1)


def _matches(stated: Decimal, text: str, computed: Decimal) -> bool:
    """The stated percentage is ``computed`` rounded half-up to the decimals it is written with.

    A stated 126.59% means the true ratio lies in [126.585%, 126.595%): the honest rounding interval,
    no looser (a looser tolerance let a changed actual through, issue 13). The lower bound allows
    for the last digit of a 28-digit Decimal quotient.
    """
    half = _half_unit(text)
    return stated - half - Decimal("1e-20") <= computed < stated + half


def possible_whole_targets(actual: Decimal, stated: Decimal, text: str) -> list[int]:
    """Whole-number targets T with actual ÷ T × 100 rounding (half-up) to the stated percentage:
    T in (actual × 100 ÷ (stated + half), actual × 100 ÷ (stated − half)]."""
    half = _half_unit(text)
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
    threshold = ruleset.thresholds.over_completion if ruleset else Decimal(150)
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
        if earned is not None and stated not in (earned.name, earned.label):
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


def check_staff(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    quota = doc.staff.get("staffing_quota")
    actual = doc.staff.get("staff_actual")
    if quota is not None and actual is not None and actual.value > quota.value:
        yield _finding(
            doc,
            "error",
            "staff_over_quota",
            f"实有人数 {actual.value} 人超过编制数 {quota.value} 人",
            actual,
        )


def check_dates(doc: Document, ruleset: RuleSet | None) -> Iterator[Finding]:
    if doc.filled_on_invalid is not None:
        yield _finding(
            doc,
            "error",
            "invalid_date",
            f"填报日期“{doc.filled_on_invalid.value}”不是有效日期",
            doc.filled_on_invalid,
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
    if not top and doc.title is None:
        yield Finding(
            "error", "not_a_report", "未找到自评报告的标题和一级章节，可能不是绩效自评报告"
        )
        return
    if not top:  # headings without numbers ("单位基本情况" on a line of its own)
        top = [Section(1, "", line, p) for p in doc.paras if _bare_heading(line := _first_line(p))]
    required = REQUIRED_SECTIONS.get(doc.kind, REQUIRED_SECTIONS["department"])
    positions: list[tuple[int, str]] = []
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
            yield Finding("error", "section_missing", f"缺少必备章节“{label}”")
        else:
            positions.append((index, label))
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
)
