"""Known defects (已知缺陷) planted into a clean base report by editing its text.

Each defect class edits the clean text in one precise place and returns the new text with the
facts it now states; ``NotApplicable`` when the base lacks the sentence it edits (the published
seed has no 本项得分 to unbalance). An edit that does not change the text is a bug of this module
and raises, so a corpus case can never be silently clean.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from jixiao.audit.corpus.bases import UNIT_NAMES, Base, Facts

SP = r"[ \t\u3000]*"  # the seed puts spaces around numbers; figures may also be broken by them
NUM = r"\d+(?:\.\d+)?"
GRADES = ("优秀", "良好", "中", "差")


class NotApplicable(Exception):
    """The base does not contain the sentence this defect edits."""


@dataclass(frozen=True)
class Defect:
    """One defect class: its name (the manifest's ``defect``), what it plants, and how."""

    name: str
    description: str
    plant: Callable[[Base, random.Random], tuple[str, Facts]]
    control: bool = False  # a look-alike that is NOT a defect (the auditor must stay quiet)


def _sub_once(pattern: str, repl: Callable[[re.Match[str]], str], text: str, count: int = 1) -> str:
    new, n = re.subn(pattern, repl, text, count=count, flags=re.S)
    if n == 0:
        raise NotApplicable(pattern)
    if new == text:
        raise AssertionError(f"缺陷未改变文本：{pattern}")
    return new


def _pct(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01"), ROUND_HALF_UP).normalize(), "f")


def wrong_percentage(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """A completion percentage that is not actual ÷ the target stated beside it.

    The published wording gives no target (only actual and rate), so no reader could check the
    rate; the defect states the target, as many reports do: 名称（年度目标值 T 人次）A 人次，完成
    全年任务数的 x%.
    """
    if not base.facts.targets:
        raise NotApplicable("绩效目标")
    target = base.facts.targets[0]
    assert target.target is not None
    delta = Decimal(rng.choice((7, 11, 23, -13))) + Decimal(rng.randint(1, 99)) / 100
    right = target.actual / target.target * 100
    wrong = _pct(right + delta)
    stated = format(target.target.normalize(), "f")
    text = _target_clause(base, 0).sub(
        lambda m: (
            f"{m.group(1)}（年度目标值{stated}{target.unit}）"
            f"{format(target.actual.normalize(), 'f')}{m.group(2)}{wrong}"
        ),
        base.text,
        count=1,
    )
    if text == base.text:
        raise NotApplicable("绩效目标")
    return text, base.facts


def grade_mismatch(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The stated grade is not the one the stated score earns."""
    wrong = rng.choice([g for g in GRADES if g != base.facts.grade])
    spaced = r"\s*".join(base.facts.grade)
    text = _sub_once(rf"(等级为{SP})({spaced})", lambda m: m.group(1) + wrong, base.text)
    return text, replace(base.facts, grade=wrong)


def parts_not_adding(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The 本项得分 of the dimension analysis no longer add up to the total score."""
    if not base.facts.dimension_scores:
        raise NotApplicable("本项得分")
    cut = Decimal(rng.randint(1, 3))
    index = rng.randrange(len(base.facts.dimension_scores))
    matches = list(re.finditer(r"本项得分(\d+(?:\.\d+)?)分", base.text))
    m = matches[index]
    new_value = max(Decimal(0), Decimal(m.group(1)) - cut)
    text = base.text[: m.start(1)] + _pct(new_value) + base.text[m.end(1) :]
    scores = list(base.facts.dimension_scores)
    scores[index] = new_value
    return text, replace(base.facts, dimension_scores=tuple(scores))


def wrong_execution_rate(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """Every stated 预算执行率 / 支出完成率 is off the ratio executed ÷ adjusted budget."""
    if "调整后" not in base.text:
        raise NotApplicable("调整后")  # the seed's own rate is already unexplained
    wrong = _pct(Decimal(rng.randint(70, 89)) + Decimal(rng.randint(0, 99)) / 100)
    text = _sub_once(
        rf"((?:支出完成率|预算执行率)[^%％\d]{{0,30}}?)({NUM})({SP}[%％])",
        lambda m: m.group(1) + wrong + m.group(3),
        base.text,
        count=0,
    )
    return text, base.facts


def wrong_adjustment_rate(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """Every stated 预算调整率 is off the ratio (adjusted − initial) ÷ initial."""
    delta = Decimal(rng.choice((6, 9, 12))) + Decimal(rng.randint(1, 99)) / 100

    def repl(m: re.Match[str]) -> str:
        return f"{m.group(1)}{_pct(Decimal(m.group(2)) + delta)}{m.group(3)}"

    text = _sub_once(rf"(预算调整率{SP})({NUM})({SP}[%％])", repl, base.text, count=0)
    return text, base.facts


def staff_over_quota(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """More staff at year end (实有) than the staffing quota (编制)."""
    quota = base.facts.staffing_quota
    if quota is None:
        raise NotApplicable("编制")
    actual = quota + rng.randint(1, 4)
    text = _sub_once(
        rf"(编制{SP}\d+{SP}人{SP}[，,]{SP}实有{SP})(\d+)",
        lambda m: f"{m.group(1)}{actual}",
        base.text,
    )
    return text, replace(base.facts, staff_actual=actual)


def filled_before_year_end(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The 填报日期 falls inside the evaluated year, before it has ended."""
    year = base.facts.year
    filled = dt.date(year, rng.randint(9, 12), rng.randint(1, 28))
    text = _sub_once(
        rf"(填报日期[：:]{SP})(\d{{4}}{SP}年{SP}\d+{SP}月{SP}\d+{SP}日)",
        lambda m: f"{m.group(1)}{filled.year}年{filled.month}月{filled.day}日",
        base.text,
    )
    return text, replace(base.facts, filled_on=filled)


def notice_year_mismatch(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The cited notice belongs to another year's cycle (its year is not the evaluated year + 1)."""
    if base.facts.notice_year is None:
        raise NotApplicable("通知")
    wrong = base.facts.notice_year + rng.choice((-2, -1, 1))
    old = str(base.facts.notice_year)
    text = _sub_once(
        rf"(开展{SP}){old}({SP}年[^》]{{0,30}}》[^〔\[]{{0,12}}[〔\[]){old}",
        lambda m: f"{m.group(1)}{wrong}{m.group(2)}{wrong}",
        base.text,
        count=0,
    )
    return text, replace(base.facts, notice_year=wrong)


HEADING1 = re.compile(r"^[一二三四五六七八九十]、", re.M)


def _sections(text: str) -> tuple[str, list[tuple[int, int]]]:
    starts = [m.start() for m in HEADING1.finditer(text)]
    if len(starts) < 4:
        raise NotApplicable("一级标题")
    bounds = [(s, e) for s, e in zip(starts, [*starts[1:], len(text)], strict=True)]
    return text[: starts[0]], bounds


def missing_section(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """One of the four required sections (二、自评工作开展情况 or 四、其他自评情况) is left out."""
    head, bounds = _sections(base.text)
    index = rng.choice((1, 3))
    parts = [base.text[s:e] for s, e in bounds]
    del parts[index]
    text = head + "".join(parts)
    if index == 3:
        text = text.rstrip() + "\n"
    return text, base.facts


def section_out_of_order(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """Sections 二 and 三 swapped (一、三、二、四)."""
    head, bounds = _sections(base.text)
    parts = [base.text[s:e] for s, e in bounds]
    parts[1], parts[2] = parts[2], parts[1]
    return head + "".join(parts), base.facts


def _target_clause(base: Base, index: int) -> re.Pattern[str]:
    target = base.facts.targets[index]
    name = r"\s*".join(re.escape(c) for c in target.name)
    actual = format(target.actual.normalize(), "f")
    return re.compile(rf"({name}{SP}){actual}({SP}人次{SP}[，,]{SP}完成全年任务数的{SP})({NUM})")


def over_completion(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The first target far over its value (170–220%), with no cause given (偏离度未说明)."""
    if not base.facts.targets or base.inherent:
        raise NotApplicable("绩效目标")  # the seed is over-completed already
    target = base.facts.targets[0]
    assert target.target is not None
    actual = (target.target * Decimal(rng.randint(170, 220)) / 100).to_integral_value()
    rate = _pct(actual / target.target * 100)
    text = _target_clause(base, 0).sub(
        lambda m: f"{m.group(1)}{actual}{m.group(2)}{rate}", base.text, count=1
    )
    if text == base.text:
        raise NotApplicable("绩效目标")
    # drop the explanation paragraph(s) the renderer wrote for deviating targets
    text = re.sub(r"[^\n]*超出年度指标值较多[^\n]*\n\n", "", text)
    targets = list(base.facts.targets)
    targets[0] = replace(target, actual=actual)
    return text, replace(base.facts, targets=tuple(targets))


def under_completion(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The last target below its value (60–95%), with no reason given (未完成未说明原因)."""
    if not base.facts.targets:
        raise NotApplicable("绩效目标")
    index = len(base.facts.targets) - 1
    target = base.facts.targets[index]
    assert target.target is not None
    actual = (target.target * Decimal(rng.randint(60, 95)) / 100).to_integral_value()
    rate = _pct(actual / target.target * 100)
    text = _target_clause(base, index).sub(
        lambda m: f"{m.group(1)}{actual}{m.group(2)}{rate}", base.text, count=1
    )
    if text == base.text:
        raise NotApplicable("绩效目标")
    targets = list(base.facts.targets)
    targets[index] = replace(target, actual=actual)
    return text, replace(base.facts, targets=tuple(targets))


def under_completion_explained(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """Control: the last target under its value, WITH the reason paragraph the renderer writes."""
    text, facts = under_completion(base, rng)
    target = facts.targets[-1]
    assert target.target is not None
    rate = _pct(target.actual / target.target * 100)
    reason = (
        f"{target.name}完成率{rate}%，未达到年度指标值，原因及改进措施：受年度考点调整影响，"
        "部分认定批次顺延至次年；下一步将提前统筹考务安排，确保按期完成。"
    )
    m = re.search(r"\n\n(?=[（(]四[）)])", text)
    if m is None:
        raise NotApplicable("（四）")
    return text[: m.start()] + "\n\n" + reason + text[m.start() :], facts


def _rounds_to(stated: Decimal, decimals: int, ratio: Decimal, *, loose: bool) -> bool:
    half = Decimal(5) / Decimal(10) ** (decimals + 1)
    high = stated + (2 * half if loose else half)  # loose: half-down and truncation allowed too
    return stated - half <= ratio < high


def _whole_target_fits(actual: int, stated: Decimal, decimals: int, *, loose: bool) -> bool:
    half = Decimal(5) / Decimal(10) ** (decimals + 1)
    low = int(Decimal(actual) * 100 / (stated + 2 * half))
    high = int(Decimal(actual) * 100 / (stated - half)) + 1
    return any(
        _rounds_to(stated, decimals, Decimal(actual) * 100 / Decimal(t), loose=loose)
        for t in range(max(1, low), high + 1)
    )


def rate_off_interval(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """A sub-target's actual changed, its stated two-decimal rate kept, so that no whole-number
    target gives that rate any more — yet one does within a looser tolerance than the honest
    rounding interval (a stated 126.59% needs a ratio in [126.585%, 126.595%))."""
    candidates = [i for i, t in enumerate(base.facts.targets) if t.unit == "人次"]
    rng.shuffle(candidates)
    for index in candidates:
        target = base.facts.targets[index]
        m = _target_clause(base, index).search(base.text)
        if m is None or "." not in m.group(3):
            continue
        stated_text = m.group(3)
        stated = Decimal(stated_text)
        decimals = len(stated_text.split(".")[1])
        original = int(target.actual)
        offsets = sorted(range(-400, 401), key=lambda d: (abs(d), d))
        for offset in offsets:
            actual = original + offset
            if offset == 0 or actual <= 0:
                continue
            if _whole_target_fits(actual, stated, decimals, loose=False) or not _whole_target_fits(
                actual, stated, decimals, loose=True
            ):
                continue
            text = _target_clause(base, index).sub(rf"\g<1>{actual}\g<2>\g<3>", base.text, count=1)
            targets = list(base.facts.targets)
            targets[index] = replace(target, actual=Decimal(actual))
            return text, replace(base.facts, targets=tuple(targets))
    raise NotApplicable("两位小数完成率的人次指标")


_BUDGET_SECTION = re.compile(
    r"[（(][一二三四五六七八九十]+[）)]\s*(?:部门整体支出情况|项目资金情况|预算(?:收支|执行)情况)"
    r".*?(?=\n\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、))",
    re.S,
)


def budget_section_removed(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The second-level part with the budget figures (部门整体支出情况 / 项目资金情况) left out: the
    report then states no budget at all."""
    m = _BUDGET_SECTION.search(base.text)
    if m is None:
        raise NotApplicable("部门整体支出情况")
    text = base.text[: m.start()] + base.text[m.end() :].lstrip("\n")
    if re.search(r"\d\s*万元", text):
        raise NotApplicable("预算金额还出现在其他部分")
    return text, replace(
        base.facts, budget_initial=None, budget_full_year=None, budget_executed=None
    )


# ------------------------------------------------------------------ issue 13 §3: real-report checks


def rate_target_after(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """A completion rate with the target written after it (…354人次，完成全年任务数的121.19%（年度
    目标值310人次）): the rate is not actual ÷ that target."""
    if not base.facts.targets:
        raise NotApplicable("绩效目标")
    index = len(base.facts.targets) - 1
    target = base.facts.targets[index]
    assert target.target is not None
    delta = Decimal(rng.randint(5, 9)) + Decimal(rng.randint(1, 99)) / 100
    wrong = _pct(target.actual / target.target * 100 + delta)
    stated = format(target.target.normalize(), "f")
    pattern = re.compile(_target_clause(base, index).pattern + rf"({SP}[%％])")
    text = pattern.sub(
        lambda m: (
            f"{m.group(1)}{format(target.actual.normalize(), 'f')}{m.group(2)}{wrong}%"
            f"（年度目标值{stated}{target.unit}）"
        ),
        base.text,
        count=1,
    )
    if text == base.text:
        raise NotApplicable("绩效目标")
    return text, base.facts


def as_of_previous_year(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The staffing "as of" the end of the previous year (截至2024年底) in a report on 2025."""
    year = base.facts.year
    text = _sub_once(
        rf"(截至{SP}){year}({SP}年底)", lambda m: f"{m.group(1)}{year - 1}{m.group(2)}", base.text
    )
    return text, base.facts


def year_in_text_mismatch(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The 现将…年度…自评情况报告如下 sentence names another year than the cover's 评价年度."""
    year = base.facts.year
    wrong = year + rng.choice((-1, -2))
    text = _sub_once(rf"(现将{SP}){year}({SP}年度)", lambda m: f"{m.group(1)}{wrong}{m.group(2)}",
                     base.text)  # fmt: skip
    return text, base.facts


def filled_on_blank(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The 填报日期 left blank (the template's 年 月 日, or nothing)."""
    blank = rng.choice(("", "    年    月    日"))
    text = _sub_once(
        rf"(填报日期[：:]{SP})(\d{{4}}{SP}年{SP}\d+{SP}月{SP}\d+{SP}日)",
        lambda m: f"{m.group(1)}{blank}",
        base.text,
    )
    return text, replace(base.facts, filled_on=None)


def notice_title_other_cycle(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The cited self-evaluation notice's title is of another cycle (关于开展2023年…绩效自评工作的
    通知) while its 文号 is this cycle's: a notice copied from an old report, its number updated."""
    if base.facts.notice_year is None:
        raise NotApplicable("通知")
    wrong = base.facts.notice_year - rng.choice((2, 3))
    old = str(base.facts.notice_year)
    text = _sub_once(rf"(开展{SP}){old}({SP}年[^》]{{0,30}}自评)", lambda m: f"{m.group(1)}{wrong}{m.group(2)}",
                     base.text, count=0)  # fmt: skip
    return text, base.facts


def numbering_skip(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """Headings numbered (一)(二)(四)…: the third second-level heading of section 二 renumbered."""
    m = re.search(r"二、[^\n]*\n", base.text)
    if m is None:
        raise NotApplicable("二、")
    third = re.compile(r"([（(])三([）)])").search(base.text, m.end())
    if third is None:
        raise NotApplicable("（三）")
    return base.text[: third.start()] + f"{third.group(1)}四{third.group(2)}" + base.text[
        third.end() :
    ], base.facts


def numbering_repeat(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """A list numbered 1. 2. 2.: the third 存在问题 item renumbered 2."""
    m = re.search(r"存在问题[^\n]*\n", base.text)
    if m is None:
        raise NotApplicable("存在问题")
    third = re.compile(r"^3(\s*[.．、])", re.M).search(base.text, m.end())
    if third is None:
        raise NotApplicable("3.")
    return base.text[: third.start()] + "2" + base.text[third.start() + 1 :], base.facts


def count_mismatch(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """ "主要有以下两个方面：" over the three 存在问题 items."""
    stated = rng.choice(("两", "四"))
    text = _sub_once(
        r"([（(]四[）)]\s*存在问题[^\n]*\n)",
        lambda m: f"{m.group(1)}\n主要有以下{stated}个方面：\n",
        base.text,
    )
    return text, base.facts


def sum_mismatch(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """实际支出 X 万元，其中基本支出 a 万元，项目支出 b 万元, with a + b ≠ X."""
    executed = base.facts.budget_executed
    if executed is None:
        raise NotApplicable("实际支出")
    off = Decimal(rng.choice((-1, 1))) * (
        Decimal(rng.randint(1, 9)) + Decimal(rng.randint(0, 99)) / 100
    )
    basic = (executed * Decimal("0.8")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    project = executed - basic + off
    if project <= 0:
        project = executed - basic + abs(off)
    figure = re.escape(format(executed.normalize(), "f")).replace(r"\.", rf"{SP}\.{SP}")
    text = _sub_once(
        rf"(实际(?:预算)?支出{SP}{figure}{SP}万元)([，,])",
        lambda m: (
            f"{m.group(1)}，其中基本支出{_pct(basic)}万元，项目支出{_pct(project)}万元{m.group(2)}"
        ),
        base.text,
    )
    return text, base.facts


def change_mismatch(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """A year-on-year change (比上年增加 Y 万元，增长 Z%) whose percentage is not Y ÷ (X − Y)."""
    executed = base.facts.budget_executed
    if executed is None:
        raise NotApplicable("实际支出")
    change = (executed * Decimal(rng.randint(5, 15)) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    right = change / (executed - change) * 100
    # a rate off by 3–9 points either way, never negative (增长 -2% is not how a report writes it)
    off = Decimal(rng.randint(3, 8)) + Decimal(rng.randint(1, 99)) / 100
    wrong = _pct(right + off if right <= off + 1 or rng.random() < 0.5 else right - off)
    figure = re.escape(format(executed.normalize(), "f")).replace(r"\.", rf"{SP}\.{SP}")
    text = _sub_once(
        rf"(实际(?:预算)?支出{SP}{figure}{SP}万元)([，,])",
        lambda m: f"{m.group(1)}，比上年增加{_pct(change)}万元，增长{wrong}%{m.group(2)}",
        base.text,
    )
    return text, base.facts


def other_unit_name(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """Another unit's name in the 现将…年度…整体支出 sentence (a report copied from another unit)."""
    other = rng.choice([u for u in UNIT_NAMES if u != base.facts.unit])
    unit = r"\s*".join(re.escape(c) for c in base.facts.unit)
    text = _sub_once(rf"(现将{SP}\d{{4}}{SP}年度)({unit})", lambda m: m.group(1) + other, base.text)
    return text, base.facts


def other_unit_type_wording(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """A bureau's word for itself (我局) in a centre's report: the template of another unit type."""
    if not base.facts.unit.endswith("中心"):
        raise NotApplicable("中心")
    text = _sub_once(r"我中心(?=编制)", lambda m: "我局", base.text)
    return text, base.facts


def placeholder_text(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """Template text left in: the cited management measure's year as 20XX (湛财评〔20XX〕26号)."""
    text = _sub_once(rf"(湛财评{SP}[〔\[【(（])2019", lambda m: m.group(1) + rng.choice(("20XX", "20××")),
                     base.text)  # fmt: skip
    return text, base.facts


def heading_repeated(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """A part copied and not renamed: section 二's (三) given the words of its (二) (自评工作过程)."""
    m = re.search(r"二、[^\n]*\n", base.text)
    if m is None:
        raise NotApplicable("二、")
    heading = re.compile(r"[（(]([二三])[）)][ \t\u3000]*([\u4e00-\u9fff]{4,20})[ \t\u3000]*\n")
    second = heading.search(base.text, m.end())
    third = heading.search(base.text, second.end()) if second else None
    if second is None or third is None or (second.group(1), third.group(1)) != ("二", "三"):
        raise NotApplicable("（二）（三）")
    return (
        base.text[: third.start(2)] + second.group(2) + base.text[third.end(2) :],
        base.facts,
    )


_TARGET_PART = re.compile(
    r"[（(][一二三四五六七八九十]+[）)]\s*(?:部门整体支出绩效目标|绩效指标完成情况)"
    r".*?(?=\n\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、))",
    re.S,
)


def target_part_removed(base: Base, rng: random.Random) -> tuple[str, Facts]:
    """The second-level part with the targets and their completion (部门整体支出绩效目标) left out,
    and the parts after it renumbered so the outline stays continuous."""
    m = _TARGET_PART.search(base.text)
    if m is None:
        raise NotApplicable("部门整体支出绩效目标")
    rest = base.text[m.end() :].lstrip("\n")
    rest = re.sub(r"^([（(])四([）)])", r"\g<1>三\g<2>", rest, count=1)
    text = base.text[: m.start()] + rest
    return text, replace(base.facts, targets=())


DEFECTS: tuple[Defect, ...] = (
    Defect("wrong_percentage", "完成率与所列数字之比不符", wrong_percentage),
    Defect("grade_mismatch", "评价等级与得分不符", grade_mismatch),
    Defect("parts_not_adding", "各部分得分之和不等于总分", parts_not_adding),
    Defect("wrong_execution_rate", "预算执行率与执行数÷预算数不符", wrong_execution_rate),
    Defect("wrong_adjustment_rate", "预算调整率与调整数÷年初预算不符", wrong_adjustment_rate),
    Defect("staff_over_quota", "实有人数超过编制数", staff_over_quota),
    Defect("filled_before_year_end", "填报日期早于评价年度结束", filled_before_year_end),
    Defect("notice_year_mismatch", "所引通知年度与评价年度不符", notice_year_mismatch),
    Defect("missing_section", "缺少必备章节", missing_section),
    Defect("rate_off_interval", "完成率不是任何整数目标值之比的四舍五入", rate_off_interval),
    Defect("budget_section_removed", "缺少预算资金情况部分（全文无预算）", budget_section_removed),
    Defect("section_out_of_order", "章节顺序错乱", section_out_of_order),
    Defect("rate_target_after", "完成率与其后所写目标值不符", rate_target_after),
    Defect("as_of_previous_year", "出现上年末的截至日期", as_of_previous_year),
    Defect("year_in_text_mismatch", "正文所写评价年度与封面不符", year_in_text_mismatch),
    Defect("filled_on_blank", "填报日期空白", filled_on_blank),
    Defect("notice_title_other_cycle", "所引自评通知标题是其他年度的", notice_title_other_cycle),
    Defect("numbering_skip", "标题序号跳号", numbering_skip),
    Defect("numbering_repeat", "列表序号重复", numbering_repeat),
    Defect("count_mismatch", "所写数量与列出项数不符", count_mismatch),
    Defect("sum_mismatch", "其中各项之和与合计不符", sum_mismatch),
    Defect("change_mismatch", "比上年增减幅度与数字不符", change_mismatch),
    Defect("other_unit_name", "出现其他单位名称", other_unit_name),
    Defect("other_unit_type_wording", "出现其他类型单位的自称", other_unit_type_wording),
    Defect("placeholder_text", "模板占位文字未替换", placeholder_text),
    Defect("target_part_removed", "缺少绩效目标部分", target_part_removed),
    Defect("heading_repeated", "同级标题重复", heading_repeated),
    Defect("over_completion", "大幅超额完成未说明原因", over_completion),
    Defect("under_completion", "未完成目标未说明原因", under_completion),
    Defect(
        "under_completion_explained",
        "对照：未完成目标且已说明原因（不应报错）",
        under_completion_explained,
        control=True,
    ),
)
DEFECTS_BY_NAME = {d.name: d for d in DEFECTS}
# A planted defect that removes the text an inherent defect of the base lives in: the case no longer
# has that inherent defect (no budget left, so no unexplained execution rate either).
CANCELS: dict[str, frozenset[str]] = {
    "budget_section_removed": frozenset({"execution_rate_unexplained"}),
    "target_part_removed": frozenset({"over_completion_unexplained"}),
}
