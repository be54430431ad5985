"""Build the report model from a scored self-evaluation (生成报告模型).

The words live in one Django template per kind (templates/documents/report/<kind>.txt), written in a
small line markup a bureau can adapt (see the comment at the top of department.txt). This module
renders the template with the data and parses the markup into ``report_model.Report``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, cast

from django.template import Engine, Origin
from django.template.loaders import app_directories, filesystem

from jixiao.documents import tables
from jixiao.documents.report_model import Block, Heading, Paragraph, Report, Table
from jixiao.documents.templatetags.report_format import MISSING_PREFIX, MISSING_SUFFIX
from scoring.evaluation import SelfEvaluation, Target
from scoring.report_parts import headings
from scoring.results import EvaluationResult, FlagCode, GroupTotal, IndicatorResult
from scoring.ruleset import RuleKind
from scoring.target_binding import basis_sentence

TEMPLATE_DIR = "documents/report"

# A source line that holds only template tags or comments renders to nothing and is dropped, so
# {% for %} / {% if %} on their own lines do not split paragraphs (like Jinja's trim_blocks).
_TAG_ONLY_LINE = re.compile(
    r"^[ \t]*(?P<tags>(?:(?:\{%(?:(?!%\}).)*%\}|\{#(?:(?!#\}).)*#\})[ \t]*)+)\n", re.MULTILINE
)
_LEAD = re.compile(r"^\*\*(?P<lead>.+?)\*\*\s*(?P<text>.*)$", re.DOTALL)
_MISSING = re.compile(re.escape(MISSING_PREFIX) + r"(.+?)" + re.escape(MISSING_SUFFIX))


def trim_tag_lines(source: str) -> str:
    """Drop the line ends of tag-only lines, and the file's final line end (so an included
    partial adds no line break of its own)."""
    return _TAG_ONLY_LINE.sub(lambda m: m["tags"].strip(), source).removesuffix("\n")


class TrimmedFilesystemLoader(filesystem.Loader):
    def get_contents(self, origin: Origin) -> str:
        return trim_tag_lines(super().get_contents(origin))


class TrimmedAppDirectoriesLoader(app_directories.Loader):
    def get_contents(self, origin: Origin) -> str:
        return trim_tag_lines(super().get_contents(origin))


@cache
def report_engine() -> Engine:
    """A text engine over the project's template dirs, so a bureau's copy in templates/ wins.

    Autoescaping is off: the output is plain text; each renderer escapes it as its format needs.
    """
    from django.conf import settings

    dirs: list[str | Path] = []
    for backend in settings.TEMPLATES:
        backend_dirs = cast(Iterable[str | Path], backend.get("DIRS", []))
        dirs += list(backend_dirs)
    return Engine(
        dirs=[str(d) for d in dirs],
        loaders=[
            (f"{__name__}.TrimmedFilesystemLoader", [str(d) for d in dirs]),
            f"{__name__}.TrimmedAppDirectoriesLoader",
        ],
        autoescape=False,
        libraries={"report_format": "jixiao.documents.templatetags.report_format"},
    )


@dataclass(frozen=True)
class TargetView:
    """A performance target as the report states it, with its 其中 parts."""

    name: str
    unit: str
    actual: Decimal | None  # None while a draft lacks it
    target: Decimal | None
    rate: Decimal | None
    depth: int
    explanation: str = ""
    over: bool = False
    children: tuple[TargetView, ...] = field(default=())


@dataclass(frozen=True)
class AnalysisView:
    """One 绩效指标分析 item with the rule-set group it discusses (matched by name)."""

    title: str
    text: str
    group: GroupTotal | None
    has_execution: bool


def _target_tree(evaluation: SelfEvaluation, result: EvaluationResult) -> list[TargetView]:
    rates = result.ratios.completion_rates

    def view(target: Target, depth: int) -> TargetView:
        children = [t for t in evaluation.targets if t.part_of == target.code]
        return TargetView(
            name=target.name,
            unit=target.unit,
            actual=target.actual,
            target=target.target,
            rate=rates.get(target.code),
            depth=depth,
            explanation=target.explanation,
            children=tuple(view(c, depth + 1) for c in children),
        )

    return [view(t, 0) for t in evaluation.targets if t.part_of is None]


def _deviating_targets(evaluation: SelfEvaluation, result: EvaluationResult) -> list[TargetView]:
    """Targets the rules flag (far over or under target): the report states each with its reason."""
    by_code = {t.code: t for t in evaluation.targets}
    out = []
    for ind in result.indicators:
        over = ind.has(FlagCode.OVER_COMPLETION)
        if not (over or ind.has(FlagCode.NOT_MET)) or ind.code not in by_code:
            continue
        target = by_code[ind.code]
        out.append(
            TargetView(
                name=target.name,
                unit=target.unit,
                actual=target.actual,
                target=target.target,
                rate=ind.completion_rate,
                depth=0,
                explanation=target.explanation,
                over=over,
            )
        )
    return out


def _analyses(evaluation: SelfEvaluation, result: EvaluationResult) -> list[AnalysisView]:
    out = []
    for item in evaluation.analyses:
        group = next(
            (g for g in result.groups if g.name and (g.name in item.title or item.title in g.name)),
            None,
        )
        members: list[IndicatorResult] = (
            [i for i in result.indicators if i.level1 == group.name] if group else []
        )
        out.append(
            AnalysisView(
                title=item.title,
                text=item.text,
                group=group,
                has_execution=any(i.kind == RuleKind.BUDGET_EXECUTION.value for i in members),
            )
        )
    return out


def report_context(evaluation: SelfEvaluation, result: EvaluationResult) -> dict[str, Any]:
    """Everything a report template may use. Templates read; they never compute."""
    budget = evaluation.budget
    change = budget.full_year - budget.initial
    short = evaluation.unit.short_name
    return {
        "evaluation": evaluation,
        "result": result,
        "unit": evaluation.unit,
        "notice": evaluation.notice,
        "project": evaluation.project,
        "budget": budget,
        "ratios": result.ratios,
        "group": evaluation.group,
        "self_name": short or "本单位",
        "self_name_unit": short or "我单位",
        "attachment": "",
        "targets": _target_tree(evaluation, result),
        # 绩效目标依据: the approved declaration (and adjustment) the targets are bound to.
        "targets_basis": (
            basis_sentence(evaluation.targets_basis) if evaluation.targets_basis else ""
        ),
        "deviating_targets": _deviating_targets(evaluation, result),
        "analyses": _analyses(evaluation, result),
        "budget_change": abs(change),
        "budget_changed": change != 0,
        "budget_increased": change > 0,
        "execution_low": any(f.code is FlagCode.EXECUTION_LOW for f in result.flags),
        "indicators": result.indicators,
        # The report's part headings, from the one list of parts (scoring.report_parts).
        "headings": headings(evaluation.kind),
    }


def render_markup(evaluation: SelfEvaluation, result: EvaluationResult) -> str:
    """The report template rendered with the data: the markup text before parsing."""
    template = report_engine().get_template(f"{TEMPLATE_DIR}/{evaluation.kind}.txt")
    return template.render(_context(evaluation, result))


def _context(evaluation: SelfEvaluation, result: EvaluationResult) -> Any:
    from django.template import Context

    return Context(report_context(evaluation, result), autoescape=False)


def build_report(evaluation: SelfEvaluation, result: EvaluationResult) -> Report:
    """The report model of one scored self-evaluation."""
    named_tables = {
        "targets": lambda: tables.targets_table(evaluation, result),
        "indicators": lambda: tables.indicators_table(result),
        "budget": lambda: tables.budget_table(evaluation, result),
    }
    return parse_markup(render_markup(evaluation, result), evaluation.kind, named_tables)


def parse_markup(text: str, kind: str, named_tables: dict[str, Any] | None = None) -> Report:
    """Parse rendered report markup into the model (see department.txt for the markup)."""
    title = ""
    attachment = ""
    cover: list[str] = []
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        if not pending:
            return
        joined = "".join(pending)
        pending.clear()
        match = _LEAD.match(joined)
        if match:
            blocks.append(Paragraph(text=match["text"].strip(), lead=match["lead"].strip()))
        else:
            blocks.append(Paragraph(text=joined))

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("!title "):
            flush()
            title = line.removeprefix("!title ").strip()
        elif line.startswith("!attachment "):
            attachment = line.removeprefix("!attachment ").strip()
        elif line.startswith("!cover "):
            cover.append(line.removeprefix("!cover ").strip())
        elif line.startswith("!table "):
            flush()
            name = line.removeprefix("!table ").strip()
            if named_tables is None or name not in named_tables:
                blocks.append(Paragraph(text=f"{MISSING_PREFIX}未知表格 {name}{MISSING_SUFFIX}"))
            else:
                table: Table = named_tables[name]()
                blocks.append(table)
        elif line.startswith("## "):
            flush()
            blocks.append(Heading(level=2, text=line[3:].strip()))
        elif line.startswith("# "):
            flush()
            blocks.append(Heading(level=1, text=line[2:].strip()))
        else:
            pending.append(line)
    flush()

    warnings = [f"报告中{m}尚未填写" for line in cover for m in _MISSING.findall(line)]
    for block in blocks:
        if isinstance(block, Paragraph):
            warnings += [f"报告中{m}尚未填写" for m in _MISSING.findall(block.full_text)]
    return Report(
        title=title,
        cover_lines=tuple(cover),
        blocks=tuple(blocks),
        attachment=attachment,
        kind=kind,
        warnings=tuple(dict.fromkeys(warnings)),
    )
