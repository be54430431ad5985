"""Real published reports (真实报告语料), annotated by hand: how the auditor does on text no one here wrote.

``jixiao/audit/corpus/real/`` holds one ``NAME.txt`` per report — the published text (or the public
part of it) exactly as it was stored, extraction oddities included — and a ``NAME.yaml`` beside it
with the source address, the retrieval date and what a careful reader takes from the text:

    source: https://…              # where it was published
    retrieved: 2026-11-29
    excerpt: opening               # whole | opening (the page's beginning only) | part
    province: 湖南
    kind: department               # department | project
    fields:                        # extracted path → value; null = the text does not state it
      year: 2018
      unit_name: 岳阳市城市管理监督指挥中心
      staffing_quota: 21
      budget.initial: null
    targets:                       # optional; every target the text states with a figure
      - {name: …, unit: 人次, actual: 354, target: null, stated_percent: 114.19}
      - {name: 项目总成本, actual: 90, target: 90, optional: true}  # fine to read or not
    targets_complete: true         # an extracted target matching none above is a wrong value
    defects:                       # what a reviewer would raise
      - {code: staff_over_quota, note: …}
      - {code: null, kind: 数字前后不一, note: …}   # no auditor code for it (yet)
    not_judged: [section_missing]  # codes the annotation makes no claim about
    heldout: true                  # annotated before the auditor was ever run on it (issue 13)
    heldout_batch: 3               # optional: which held-out set (each is measured once, on its own)

A field whose text names one thing two ways (a title's short form and the full name) lists them:
``unit_name: {one_of: [岳阳市委网信办, 岳阳市委网络安全和信息化委员会办公室]}``; any of them is right.
A field not listed is not judged. Per field the verdict is **right** (the value, or nothing where the
text states nothing), **wrong** (another value, or a value where the text states none) or **not read**
(nothing, where the text states one). Expected findings are the defects with a code; one is found when
the auditor reports that code. A **false** finding is an error-level finding whose code no defect of
the report names (and the annotation does not leave unjudged): an error on a report that, as read by
hand, has none of that kind. For an excerpt (``excerpt`` other than ``whole``) the outline codes
(section_missing, section_out_of_order, budget_missing, not_a_report) are not judged unless a defect
names them: the rest of the report was not published or not stored.

The **held-out** reports (``heldout: true``) were annotated and committed before the auditor was run
on them; their totals are printed apart, since every other report was read while the rules were
written. Once a fix is made after looking at them they are no longer held out in the strict sense:
docs/audit.md keeps the first figure.

    python -m jixiao.audit.corpus --real [--verbose] [--only NAME-PART] [--batch N]

``--batch N`` audits only the reports of one held-out set (``heldout_batch: N``): a set's first run
is the figure that counts, taken before anything is fixed after looking at it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import yaml

from jixiao.audit import AuditReport, audit_text

REAL_DIR = Path(__file__).with_name("real")
OUTLINE_CODES = frozenset(
    {"section_missing", "section_out_of_order", "budget_missing", "not_a_report"}
)
Verdict = Literal["right", "wrong", "not_read"]


@dataclass(frozen=True)
class RealCase:
    name: str
    text: str
    meta: dict[str, Any]

    @property
    def fields(self) -> dict[str, Any]:
        return dict(self.meta.get("fields") or {})

    @property
    def targets(self) -> list[dict[str, Any]] | None:
        targets = self.meta.get("targets")
        return None if targets is None else list(targets)

    @property
    def defect_codes(self) -> frozenset[str]:
        return frozenset(d["code"] for d in self.meta.get("defects") or () if d.get("code"))

    @property
    def uncoded_defects(self) -> list[dict[str, Any]]:
        return [d for d in self.meta.get("defects") or () if not d.get("code")]

    @property
    def heldout(self) -> bool:
        return bool(self.meta.get("heldout"))

    @property
    def heldout_batch(self) -> int | None:
        batch = self.meta.get("heldout_batch")
        return batch if isinstance(batch, int) and not isinstance(batch, bool) else None

    @property
    def not_judged(self) -> frozenset[str]:
        codes = set(self.meta.get("not_judged") or ())
        if self.meta.get("excerpt", "whole") != "whole":
            codes |= OUTLINE_CODES - self.defect_codes
        return frozenset(codes)


@dataclass(frozen=True)
class FieldResult:
    path: str
    expected: Any
    got: Any
    verdict: Verdict


@dataclass(frozen=True)
class RealResult:
    case: RealCase
    report: AuditReport
    fields: list[FieldResult]
    found: frozenset[str]  # expected codes the auditor reported
    missed: frozenset[str]  # expected codes it did not report
    false: list[tuple[str, str]] = field(default_factory=list)  # (code, quote) of false errors

    def count(self, verdict: Verdict) -> int:
        return sum(1 for f in self.fields if f.verdict == verdict)


@dataclass(frozen=True)
class Drift:
    """What a copy of a report (another format, a mutation) reads worse than its plain text."""

    changed: list[FieldResult]  # read as another value where the plain text was not wrong
    lost: list[FieldResult]  # right from the plain text, not right from the copy
    new_false: list[str]  # codes of false errors the plain text does not give


def drift(plain: RealResult, copy: RealResult) -> Drift:
    before = {f.path: f.verdict for f in plain.fields}
    plain_false = {code for code, _ in plain.false}
    return Drift(
        changed=[f for f in copy.fields if f.verdict == "wrong" and before.get(f.path) != "wrong"],
        lost=[f for f in copy.fields if f.verdict != "right" and before.get(f.path) == "right"],
        new_false=sorted({code for code, _ in copy.false} - plain_false),
    )


# ---------------------------------------------------------------- loading


def load_real_corpus(directory: Path = REAL_DIR) -> list[RealCase]:
    """Every NAME.txt with its NAME.yaml, in name order (a text without annotation is an error)."""
    cases = []
    for text_path in sorted(directory.glob("*.txt")):
        meta_path = text_path.with_suffix(".yaml")
        if not meta_path.is_file():
            raise FileNotFoundError(f"{text_path.name} 没有标注文件 {meta_path.name}")
        try:
            meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"{meta_path.name}：{exc}") from exc
        cases.append(RealCase(text_path.stem, text_path.read_text(encoding="utf-8"), meta))
    return cases


# ---------------------------------------------------------------- comparing


def extracted_at(extracted: dict[str, Any], path: str) -> Any:
    """The value at a dotted path (``budget.initial``, ``notice.number``), None when absent."""
    value: Any = extracted
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None


def same_value(expected: Any, got: Any) -> bool:
    """Equal as numbers when both are numbers (33.28 == "33.280"), as dates, else as text."""
    if isinstance(expected, dt.date):
        expected = expected.isoformat()
    a, b = _number(expected), _number(got)
    if a is not None and b is not None:
        return a == b
    return _text(expected) == _text(got)


_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕"})


def _text(value: Any) -> str:
    """Text as compared: NFKC-folded, without spaces (the auditor folds ，（） and removes spaces),
    square brackets as 〔〕 (a 文号's year brackets are a glyph, not a fact: 徐财绩[2025]5号 is
    徐财绩〔2025〕5号, which the auditor writes)."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).translate(_BRACKETS)


def alternatives(expected: Any) -> list[Any] | None:
    """The values of a ``{one_of: [...]}`` annotation, None for a plain one."""
    if isinstance(expected, dict) and set(expected) == {"one_of"}:
        return list(expected["one_of"])
    return None


def judge(expected: Any, got: Any) -> Verdict:
    choices = alternatives(expected)
    if choices is not None:
        if got in (None, "", []):
            return "not_read"
        return "right" if any(same_value(c, got) for c in choices) else "wrong"
    if expected is None:
        return "right" if got in (None, "", []) else "wrong"
    if got in (None, "", []):
        return "not_read"
    return "right" if same_value(expected, got) else "wrong"


def compare_fields(expected: dict[str, Any], extracted: dict[str, Any]) -> list[FieldResult]:
    results = []
    for path, value in expected.items():
        got = extracted_at(extracted, path)
        results.append(FieldResult(path, value, got, judge(value, got)))
    return results


TARGET_FIELDS = ("actual", "target", "stated_percent")


def compare_targets(
    expected: Sequence[dict[str, Any]], extracted: Sequence[dict[str, Any]], *, complete: bool
) -> list[FieldResult]:
    """Each expected target is matched to an extracted one with the same actual value (and, among
    several, the same stated rate); its actual, target and stated rate are then judged. A
    ``stated_percent`` the text does not state is not judged (the auditor computes one). With
    ``complete``, an extracted target that matches none is a wrong value."""
    results: list[FieldResult] = []
    unused = list(range(len(extracted)))
    for i, want in enumerate(expected):
        label = f"targets[{i}]({want.get('name', '')})"
        candidates = [j for j in unused if same_value(want["actual"], extracted[j].get("actual"))]
        if len(candidates) > 1 and want.get("stated_percent") is not None:
            by_rate = [
                j
                for j in candidates
                if same_value(want["stated_percent"], extracted[j].get("stated_percent"))
            ]
            candidates = by_rate or candidates
        if not candidates:
            if want.get("optional"):
                continue  # read or not, both fine (a ≤ or qualitative indicator)
            for key in TARGET_FIELDS:
                if key in want and (want[key] is not None or key == "actual"):
                    results.append(FieldResult(f"{label}.{key}", want[key], None, "not_read"))
            continue
        got = extracted[candidates[0]]
        unused.remove(candidates[0])
        for key in TARGET_FIELDS:
            if key not in want or (key == "stated_percent" and want[key] is None):
                continue
            results.append(
                FieldResult(
                    f"{label}.{key}", want[key], got.get(key), judge(want[key], got.get(key))
                )
            )
    if complete:
        for j in unused:
            got = extracted[j]
            results.append(
                FieldResult(f"targets[+]({got.get('name', '')})", None, got.get("actual"), "wrong")
            )
    return results


def judge_case(case: RealCase, report: AuditReport) -> RealResult:
    extracted = report.extracted
    fields = compare_fields(case.fields, extracted)
    if case.targets is not None:
        fields += compare_targets(
            case.targets,
            extracted.get("targets") or [],
            complete=bool(case.meta.get("targets_complete")),
        )
    reported = {f.code for f in report.findings}
    expected = case.defect_codes
    ignored = case.not_judged
    false = [
        (f.code, f.quote)
        for f in report.findings
        if f.severity == "error" and f.code not in expected and f.code not in ignored
    ]
    return RealResult(case, report, fields, expected & reported, expected - reported, false)


def run_real(cases: Iterable[RealCase] | None = None) -> list[RealResult]:
    cases = load_real_corpus() if cases is None else cases
    return [judge_case(c, audit_text(c.text, source=c.name)) for c in cases]


# ---------------------------------------------------------------- printing


def _show(value: Any) -> str:
    choices = alternatives(value)
    if choices is not None:
        return " 或 ".join(str(c) for c in choices)
    return "—" if value in (None, "", []) else str(value)


def real_text(results: Sequence[RealResult], *, verbose: bool = False) -> str:
    """Per report and in total: fields right / wrong / not read; findings expected / found / false."""
    lines = []
    summed = {"right": 0, "wrong": 0, "not_read": 0}
    expected = found = false = uncoded = 0
    for r in results:
        counts = {v: r.count(v) for v in summed}  # type: ignore[arg-type]
        for v, n in counts.items():
            summed[v] += n
        n_expected = len(r.case.defect_codes)
        expected += n_expected
        found += len(r.found)
        false += len(r.false)
        uncoded += len(r.case.uncoded_defects)
        mark = "（留出）" if r.case.heldout else ""
        lines.append(
            f"{r.case.name}{mark}：字段 对 {counts['right']} / 错 {counts['wrong']} / 未读 "
            f"{counts['not_read']}；问题 应报 {n_expected} / 报出 {len(r.found)} / 误报 {len(r.false)}"
        )
        for f in r.fields:
            if f.verdict == "wrong" or (verbose and f.verdict == "not_read"):
                word = "读错" if f.verdict == "wrong" else "未读"
                lines.append(f"    {word} {f.path}：应为 {_show(f.expected)}，读出 {_show(f.got)}")
        for code in sorted(r.missed):
            lines.append(f"    漏报 {code}")
        for code, quote in r.false:
            lines.append(f"    误报 {code}：{quote[:60]}")
    judged = sum(summed.values())
    share = f"{100 * summed['right'] / judged:.1f}%" if judged else "—"
    kinds = Counter(d.get("kind", "?") for r in results for d in r.case.uncoded_defects)
    if kinds:
        listed = "、".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
        lines.append(f"尚无对应检查的问题（按类）：{listed}")
    held = [r for r in results if r.case.heldout]
    if held:
        lines.append(_totals_line("其中留出（标注先于任何一次审查）", totals(held)))
    lines.append(
        f"真实报告 {len(results)} 份：字段 {judged} 个，对 {summed['right']}（{share}）/ 错 "
        f"{summed['wrong']} / 未读 {summed['not_read']}；问题 应报 {expected} / 报出 {found} / "
        f"误报 {false}；另有 {uncoded} 个问题审查器尚无对应检查"
    )
    return "\n".join(lines)


def _totals_line(label: str, figures: dict[str, int]) -> str:
    judged = figures["right"] + figures["wrong"] + figures["not_read"]
    share = f"{100 * figures['right'] / judged:.1f}%" if judged else "—"
    return (
        f"{label} {figures['reports']} 份：字段 {judged} 个，对 {figures['right']}（{share}）/ 错 "
        f"{figures['wrong']} / 未读 {figures['not_read']}；问题 应报 {figures['expected']} / 报出 "
        f"{figures['found']} / 误报 {figures['false']}"
    )


def totals(results: Sequence[RealResult]) -> dict[str, int]:
    return {
        "reports": len(results),
        "right": sum(r.count("right") for r in results),
        "wrong": sum(r.count("wrong") for r in results),
        "not_read": sum(r.count("not_read") for r in results),
        "expected": sum(len(r.case.defect_codes) for r in results),
        "found": sum(len(r.found) for r in results),
        "false": sum(len(r.false) for r in results),
    }
