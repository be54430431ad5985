"""预填 (prefill): an extracted report as draft ``SelfEvaluation`` data, each field with its source.

For the web form where a unit imports last year's report, or a bureau uploads one: every value the
report states is offered for confirmation, never silently taken. ``prefill(doc)`` returns a
JSON-ready dict:

- ``data``: a dict in the shape of ``scoring.evaluation.SelfEvaluation`` holding only what was read
  (Decimals as strings, dates as ISO strings, so pydantic accepts it as it is);
- ``fields``: for every value in ``data``, keyed by its dotted path (``year``, ``unit.name``,
  ``targets.0.actual``, ``budget.rows.0.full_year`` …), a ``FieldSource``: ``value``,
  ``confidence`` (high | medium | low), ``quote`` (the normalised text it was read from),
  ``location`` ({line, page}) and ``note`` (why the confidence is not high);
- ``claims``: what the report says about itself that the data model computes rather than stores
  (自评得分, 评价等级, stated 预算执行率 / 预算调整率), in the same ``FieldSource`` form;
- ``missing``: the fields the auditor could not read (its ``not_found`` findings);
- ``complete``: whether ``SelfEvaluation.model_validate(data)`` succeeds as it stands.

Confidence: **high** — read from a labelled line or phrase (评价年度：, 编制 7 人, 年初预算 33.28 万元);
**medium** — read from prose by a looser pattern (a target's name from its clause, the supervising
department from "是…管理的", a section's text); **low** — not stated, inferred (a full-year budget
taken as the initial one, a target value worked back from the actual value and the percentage).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jixiao.audit.extract import Document, TargetClaim, Value, _jsonable
from jixiao.audit.normalize import Paragraph

HIGH = "high"
MEDIUM = "medium"
LOW = "low"

_ITEM_NUMBER = re.compile(
    r"^(?:\d{1,2}\s*[.、．]|\(\d{1,2}\)|[(（]?[一二三四五六七八九十]{1,3}[)）、])\s*"
)


@dataclass(frozen=True)
class FieldSource:
    """Where one prefilled value came from and how sure the reading is."""

    value: Any
    confidence: str
    quote: str
    line: int | None
    page: int | None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        value = chinese_punctuation(self.value) if isinstance(self.value, str) else self.value
        return {
            "value": _jsonable(value),
            "confidence": self.confidence,
            "quote": chinese_punctuation(self.quote),
            "location": {"line": self.line, "page": self.page},
            "note": self.note,
        }


_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_CJK_PUNCT = re.compile(
    r"(?<=[\u3400-\u9fff（）《》“”])[,;:()?!]|[,;:()?!](?=[\u3400-\u9fff（）《》“”])"
)


def chinese_punctuation(text: str) -> str:
    """Full-width punctuation next to Chinese again: the reader folds it to half-width for
    matching, but a prefilled form should show the text as a Chinese document writes it."""
    previous = None
    while previous != text:  # "(湛财评[2019]26号)": one pass turns a bracket that enables the next
        previous, text = text, _CJK_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(0)], text)
    return text


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = {}
        self.fields: dict[str, dict[str, Any]] = {}

    def source(
        self,
        value: Any,
        confidence: str,
        quote: str,
        para: Paragraph | None,
        offset: int = 0,
        note: str = "",
    ) -> FieldSource:
        location = self.doc.location(para, offset)
        return FieldSource(value, confidence, quote, location.line, location.page, note)

    def put(self, path: str, field: FieldSource) -> None:
        """Set ``data[path]`` (dotted, list indices as numbers) and record its source."""
        target: Any = self.data
        keys = path.split(".")
        for key, following in itertools.pairwise(keys):
            container: Any = [] if following.isdigit() else {}
            if key.isdigit():
                index = int(key)
                while len(target) <= index:
                    target.append(container)
                target = target[index]
            else:
                target = target.setdefault(key, container)
        last = keys[-1]
        shown = field.to_dict()
        value = shown["value"]
        if last.isdigit():
            while len(target) <= int(last):
                target.append(None)
            target[int(last)] = value
        else:
            target[last] = value
        self.fields[path] = shown

    def put_value(self, path: str, value: Value | None, confidence: str, note: str = "") -> None:
        if value is not None:
            self.put(path, self.source(value.value, confidence, value.quote, value.para,
                                       value.offset, note))  # fmt: skip


def prefill(doc: Document) -> dict[str, Any]:
    """Draft ``SelfEvaluation`` data from an extracted (and checked) report; see module doc."""
    b = _Builder(doc)
    title = doc.title
    kind_note = "" if title else "未找到报告标题，按正文推断"
    # a text that never says whose report it is (the disagreement gate): the kind is a guess
    kind_note = doc.withheld.get("kind", kind_note)
    sure = title is not None and "kind" not in doc.withheld
    b.put(
        "kind",
        b.source(doc.kind, HIGH if sure else LOW, title.quote if title else "",
                 title.para if title else None, note=kind_note),
    )  # fmt: skip
    if doc.ruleset:
        b.put(
            "ruleset", FieldSource(doc.ruleset, LOW, "", None, None, "审查所用的默认规则集，请确认")
        )
    _cover(b, doc)
    _unit(b, doc)
    _targets(b, doc)
    _budget(b, doc)
    _narrative(b, doc)
    complete = _validates(b.data)
    return {
        "data": b.data,
        "fields": b.fields,
        "claims": _claims(b, doc),
        "missing": list(doc.missing),
        "complete": complete,
    }


def empty_prefill() -> dict[str, Any]:
    """The prefill of a report nothing could be read from."""
    return {"data": {}, "fields": {}, "claims": {}, "missing": [], "complete": False}


def _cover(b: _Builder, doc: Document) -> None:
    if doc.year is not None and "year" not in doc.withheld:
        labelled = doc.year.quote.startswith("评价年度")
        b.put_value(
            "year", doc.year, HIGH if labelled else MEDIUM, "" if labelled else "从正文读出"
        )
    b.put_value("filled_on", doc.filled_on, HIGH)
    if doc.notice:
        if doc.notice["title"].value:  # "根据某财绩〔2025〕5号要求" cites the number alone
            b.put_value("notice.title", doc.notice["title"], HIGH)
        b.put_value("notice.number", doc.notice["number"], HIGH)
        title_value = doc.notice["title"]
        issuer = title_value.value.split("关于", 1)[0] if "关于" in title_value.value else ""
        if issuer:
            b.put(
                "notice.issuer",
                b.source(issuer, MEDIUM, title_value.quote, title_value.para, title_value.offset,
                         "取自通知标题“关于”之前"),
            )  # fmt: skip
    if doc.project_name is not None:
        b.put_value("project.name", doc.project_name, HIGH)
        if doc.unit_name is not None and not doc.unit_name.quote.startswith("评价单位"):
            b.put_value("project.implementing_unit", doc.unit_name, HIGH)


def _unit(b: _Builder, doc: Document) -> None:
    b.put_value("unit.name", doc.unit_name, HIGH)
    b.put_value("unit.unit_type", doc.unit_type, MEDIUM, "从正文读出")
    if doc.supervisor is not None:
        labelled = doc.supervisor.quote.startswith("主管部门")
        b.put_value(
            "unit.supervisor",
            doc.supervisor,
            HIGH if labelled else MEDIUM,
            "" if labelled else "从“是…管理的”一句读出",
        )
    for key in ("staffing_quota", "staff_actual", "retired", "temporary"):
        b.put_value(f"unit.{key}", doc.staff.get(key), HIGH)
    functions = _functions(doc)
    if functions is not None:
        items, para = functions
        for index, item in enumerate(items):
            b.put(f"unit.functions.{index}", b.source(item, MEDIUM, item, para, note="主要职能"))


def _functions(doc: Document) -> tuple[list[str], Paragraph] | None:
    for para in doc.paras:
        m = re.search(r"(?:主要职能|主要职责|职能职责)(?:有|是|包括|为)?[:]", para.text)
        if m:
            items = [s.strip(" ,。") for s in re.split(r"[;；]", para.text[m.end() :])]
            items = [s for s in items if len(s) >= 2]
            if items:
                return items, para
    return None


def _targets(b: _Builder, doc: Document) -> None:
    from jixiao.audit.checks import possible_whole_targets

    for index, t in enumerate(doc.targets):
        path = f"targets.{index}"
        b.put(f"{path}.code", FieldSource(f"T{index + 1}", LOW, "", None, None, "编号按出现顺序"))
        b.put(f"{path}.name", _target_source(b, t, t.name, MEDIUM, "取自完成率所在分句"))
        b.put(f"{path}.unit", _target_source(b, t, t.unit, HIGH))
        b.put(f"{path}.actual", _target_source(b, t, t.actual, HIGH))
        if t.target is not None:
            b.put(f"{path}.target", _target_source(b, t, t.target, HIGH))
            continue
        # only a target that gives the stated figure rounded half up (the usual rule) counts, so
        # 18969 at 158.08% gives 12000 and not also 11999 (158.0882…, truncated)
        candidates = [
            c
            for c in possible_whole_targets(t.actual, t.stated_percent, t.percent_text)
            if _half_up(t.actual * 100 / c, t.percent_text) == t.stated_percent
        ]
        if len(candidates) == 1 and t.unit:
            note = f"报告未写指标值，由实际完成值与完成率 {t.percent_text}% 推算"
            b.put(f"{path}.target", _target_source(b, t, Decimal(candidates[0]), LOW, note))


def _half_up(value: Decimal, stated_text: str) -> Decimal:
    decimals = len(stated_text.split(".")[1]) if "." in stated_text else 0
    return value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def _target_source(
    b: _Builder, t: TargetClaim, value: Any, confidence: str, note: str = ""
) -> FieldSource:
    return b.source(value, confidence, t.quote, t.para, t.offset, note)


def _budget(b: _Builder, doc: Document) -> None:
    initial = doc.budget.get("initial")
    full_year = doc.budget.get("full_year")
    executed = doc.budget.get("executed")
    if initial is None and full_year is None and executed is None:
        return
    b.put(
        "budget.rows.0.source", FieldSource("年度资金总额", LOW, "", None, None, "报告未分资金来源")
    )
    b.put_value("budget.rows.0.initial", initial, HIGH)
    if full_year is not None:
        b.put_value("budget.rows.0.full_year", full_year, HIGH)
    elif initial is not None:
        b.put(
            "budget.rows.0.full_year",
            b.source(initial.value, LOW, initial.quote, initial.para, initial.offset,
                     "报告未写全年预算数（调整后），按年初预算数填入"),
        )  # fmt: skip
    b.put_value("budget.rows.0.executed", executed, HIGH)
    anchor = executed or full_year or initial
    assert anchor is not None and anchor.para is not None
    m = re.search(r"[^,;。]*(?:原因|由于|因为)[^。;]*", anchor.para.text)
    if m:
        reason = m.group(0).strip(",; ")
        b.put(
            "budget.change_reason",
            b.source(reason, MEDIUM, reason, anchor.para, m.start(), "预算与支出差异的原因"),
        )


# (data path, heading keywords, how to read the body): "text" joins the paragraphs, "items" makes
# one TitledText per paragraph, "tasks" one KeyTask per paragraph.
_SECTIONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("key_tasks", ("重点工作任务", "重点工作"), "tasks"),
    ("group.description", ("评价小组", "自评小组", "工作小组"), "text"),
    ("process", ("自评工作过程", "评价工作过程", "工作过程"), "text"),
    ("submission_quality", ("报送时间及质量", "时间及质量"), "text"),
    ("submission_consistency", ("公开一致",), "text"),
    ("result_statement", ("自评结果",), "text"),
    ("analyses", ("指标分析", "绩效分析"), "items"),
    ("practices", ("主要做法", "经验做法", "做法和经验"), "items"),
    ("other", ("其他自评情况", "其他需要说明", "其他"), "text"),
)


def _narrative(b: _Builder, doc: Document) -> None:
    for path, keywords, shape in _SECTIONS:
        body = _section_body(doc, keywords)
        if not body:
            continue
        if shape == "text":
            text = "\n".join(p.text for p in body)
            b.put(path, b.source(text, MEDIUM, body[0].text[:60], body[0], note="章节正文"))
            continue
        for index, para in enumerate(body):
            title, detail = _split_item(para)
            if not title:
                continue
            second = "detail" if shape == "tasks" else "text"
            b.put(f"{path}.{index}.title", b.source(title, MEDIUM, para.text[:60], para))
            b.put(f"{path}.{index}.{second}", b.source(detail, MEDIUM, para.text[:60], para))
    for index, (text, para) in enumerate(zip(doc.problems, doc.problem_paras, strict=True)):
        b.put(f"problems.{index}", b.source(text, MEDIUM, para.text, para, note="存在问题"))
    for index, (text, para) in enumerate(zip(doc.improvements, doc.improvement_paras, strict=True)):
        b.put(f"improvements.{index}", b.source(text, MEDIUM, para.text, para, note="改进措施"))


def _section_body(doc: Document, keywords: tuple[str, ...]) -> list[Paragraph]:
    """The paragraphs under the first heading (level ≤ 2) whose title has one of ``keywords``."""
    for start, para in enumerate(doc.paras):
        level = para.heading
        if level is None or level > 2 or not any(k in para.title for k in keywords):
            continue
        own = max(level, 1)
        body = []
        for following in doc.paras[start + 1 :]:
            next_level = following.heading
            if next_level is not None and max(next_level, 1) <= own:
                break
            body.append(following)
        return body
    return []


def _split_item(para: Paragraph) -> tuple[str, str]:
    """A numbered point's lead and text: "1. 预算编制情况 严格执行…" → (预算编制情况, 严格执行…)."""
    text = _ITEM_NUMBER.sub("", para.text, count=1)
    title = para.title
    # a title cut at a comma is half a sentence ("积极配合培训科，做好…。"): take the sentence
    cut_at_comma = text[len(title) : len(title) + 1] == ","
    if para.heading is not None and title and text.startswith(title) and not cut_at_comma:
        return title, text[len(title) :].lstrip(" ,.:;。")
    m = re.match(r"([^。;]{2,40})[。;](.*)", text)
    if m:
        return m.group(1), m.group(2).strip()
    return text, ""


def _claims(b: _Builder, doc: Document) -> dict[str, Any]:
    claims: dict[str, Any] = {}
    for name, value in (("total_score", doc.total_score), ("grade", doc.grade)):
        if value is not None:
            claims[name] = b.source(value.value, HIGH, value.quote, value.para,
                                    value.offset).to_dict()  # fmt: skip
    for kind in ("execution", "adjustment"):
        rate = next((r for r in doc.rates if r.kind == kind), None)
        if rate is not None and f"stated_{kind}_rate" not in doc.withheld:
            claims[f"{kind}_rate"] = b.source(
                rate.percent, HIGH, rate.quote, rate.para, rate.offset
            ).to_dict()
    return claims


def _validates(data: dict[str, Any]) -> bool:
    from pydantic import ValidationError

    from scoring.evaluation import SelfEvaluation

    try:
        SelfEvaluation.model_validate(data)
    except ValidationError:
        return False
    return True
