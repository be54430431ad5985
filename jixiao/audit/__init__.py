"""审查自评报告 (report auditor): read a 部门整体/项目支出绩效自评报告, report what does not add up.

API (stable; the corpus, batch mode and fuzz tests build on it):

    from jixiao.audit import audit_text, audit_file, AuditReport, Finding, UnreadableReport
    from jixiao.audit.readers import read_text, ReadResult

- ``read_text(path_or_bytes, *, suffix=None) -> ReadResult(text, pages, warnings)``: plain text
  (utf-8 / utf-8-sig / gb18030), docx or text-based pdf. ``pages`` is a list of page texts (one item
  for txt/docx). Raises ``UnreadableReport`` (``.reason`` in Chinese) for unreadable, scanned (no
  text layer), encrypted, oversize (``MAX_FILE_BYTES``) files, docx zip bombs
  (``MAX_DOCX_UNCOMPRESSED`` / ``MAX_DOCX_RATIO``) and pdfs over ``MAX_PDF_PAGES`` pages.
- ``audit_text(text, *, source="") -> AuditReport``, ``audit_file(path) -> AuditReport`` and
  ``audit_bytes(data, filename) -> AuditReport`` (an upload: the format comes from the content and
  the filename's suffix); the last two raise ``UnreadableReport``.
- ``AuditReport``: ``source``, ``findings`` (list of ``Finding``), ``extracted`` (JSON-ready dict),
  ``errors`` / ``warnings`` (filtered lists), ``.to_dict()``, ``.to_json()``, and ``evaluation``:
  a ``scoring.evaluation.SelfEvaluation`` built from what was read (None when too little was).
- ``Finding``: ``severity`` ("error" | "warning" | "info"), ``code``, ``message`` (Chinese),
  ``quote`` (the text it is about), ``location`` (``Location(line, page)``; ``str()`` gives
  "第 3 页第 12 行").

Finding codes (docs/audit.md explains each):
  error:   percentage_impossible, percentage_mismatch, grade_mismatch, score_out_of_range,
           parts_not_adding, execution_rate_mismatch, adjustment_rate_mismatch, staff_over_quota,
           filled_before_year_end, notice_year_mismatch, section_missing, budget_missing,
           invalid_date, not_a_report,
           year_mismatch, filled_on_blank, sum_mismatch, change_mismatch, placeholder_text
           (also a warning), score_formula_mismatch (also a warning)
  warning: execution_100_unadjusted, over_completion, under_completion_unexplained,
           execution_rate_unverified, section_out_of_order, filled_late, unrounded_figure,
           date_other_year, as_of_before_year_end, numbering_broken, count_mismatch,
           other_unit_name, other_unit_type_wording, year_missing, title_missing,
           filled_on_incomplete, execution_missing, heading_repeated, numbering_shifted,
           actual_missing, indicator_category_mismatch, execution_low_unexplained,
           figure_inconsistent, sum_rounding_tail, template_heading_left, staff_scope_mixed,
           indicator_level_mismatch, section_empty, notice_number_suspect,
           evaluation_mode_conflict, unit_name_suspect, table_cell_missing,
           execution_claim_contradicted
  info:    not_found (``extracted`` field that could not be read; quote names it),
           reader_warning (something the reader skipped, e.g. a page without text)

``extracted`` keys: kind (department|project), title, year, unit_name, project_name, filled_on (ISO date),
notice {title, number, year}, unit_type, supervisor, staffing_quota, staff_actual, retired,
temporary, targets [{name, unit, target, actual, stated_percent, line}], budget {initial,
full_year, executed, stated_execution_rate, stated_adjustment_rate} (万元, as strings),
total_score, grade, parts [{name, score}], sections [{level, number, title, line}], problems,
improvements, ruleset, not_found (names of fields not read). Decimal values are strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jixiao.audit.findings import AuditReport, Finding, Location
from jixiao.audit.limits import DEFAULT_BUDGET, AuditBudget
from jixiao.audit.readers import ReadResult, UnreadableReport, read_text

if TYPE_CHECKING:
    from scoring.ruleset import RuleSet

__all__ = [
    "AuditReport",
    "Finding",
    "Location",
    "ReadResult",
    "UnreadableReport",
    "audit_bytes",
    "audit_file",
    "audit_file_within_budget",
    "audit_text",
    "read_text",
]


def audit_text(
    text: str, *, source: str = "", pages: list[str] | None = None, ruleset: RuleSet | None = None
) -> AuditReport:
    """Audit report text (pages, when known, give findings their page numbers).

    ``ruleset``: the one the user picked; else the one the report names, else the default for
    its kind (jixiao.audit.ruleset_choice)."""
    from jixiao.audit.checks import run_checks
    from jixiao.audit.extract import extract
    from jixiao.audit.ruleset_choice import named_ruleset

    doc = extract(text, pages=pages)
    # sets doc.ruleset, which the prefill offers
    findings = run_checks(doc, ruleset or named_ruleset(text))
    return AuditReport(
        source=source,
        findings=findings,
        extracted=doc.to_dict(),
        evaluation=doc.to_evaluation(),
        document=doc,
    )


def audit_file(
    path: object, *, budget: AuditBudget = DEFAULT_BUDGET, ruleset: RuleSet | None = None
) -> AuditReport:
    """Read and audit one file (txt, docx, pdf); raises UnreadableReport."""
    from pathlib import Path

    return _audit_read(read_text(Path(str(path)), budget=budget), str(path), ruleset)


def audit_bytes(
    data: bytes,
    filename: str,
    *,
    budget: AuditBudget = DEFAULT_BUDGET,
    ruleset: RuleSet | None = None,
) -> AuditReport:
    """Audit an uploaded file's bytes; ``filename`` names it and gives the suffix.

    Raises UnreadableReport (``.reason`` in Chinese) as ``audit_file`` does; the readers' limits
    apply (size, pages, decompressed bytes). Time and memory are not limited here: run uploads
    through ``jixiao.audit.isolated.audit_isolated`` (a child process the kernel holds to the
    budget), or inside ``jixiao.audit.limits.enforced`` as the command line does.
    """
    from pathlib import PurePath

    read = read_text(data, suffix=PurePath(filename).suffix, budget=budget)
    return _audit_read(read, filename, ruleset)


def audit_file_within_budget(
    path: object, *, budget: AuditBudget = DEFAULT_BUDGET, ruleset: RuleSet | None = None
) -> AuditReport:
    """``audit_file`` with the budget's CPU time and memory enforced in this process (the command
    line and batch mode, one file at a time); over it, UnreadableReport 太大或太复杂，未审查（…）."""
    from jixiao.audit.limits import OutOfTime, enforced, memory_reason, time_reason

    try:
        with enforced(budget):
            return audit_file(path, budget=budget, ruleset=ruleset)
    except OutOfTime:
        raise UnreadableReport(time_reason(budget), str(path), too_complex=True) from None
    except MemoryError:
        raise UnreadableReport(memory_reason(budget), str(path), too_complex=True) from None


def _audit_read(result: ReadResult, source: str, ruleset: RuleSet | None = None) -> AuditReport:
    report = audit_text(result.text, source=source, pages=result.pages, ruleset=ruleset)
    for warning in result.warnings:
        report.findings.insert(0, Finding("info", "reader_warning", warning, "", Location()))
    return report
