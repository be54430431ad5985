"""The report package (报送材料): 自评报告 (docx/pdf/txt), 数据表 and 评分表 (xlsx) from one model.

``render_package`` is what the CLI and the web app call; its signature is kept stable.
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.documents.builder import build_report
from jixiao.documents.report_model import Report
from scoring.evaluation import SelfEvaluation
from scoring.loading import InputError, find_ruleset
from scoring.results import EvaluationResult
from scoring.ruleset import RuleSet

FORMATS = ("docx", "pdf", "txt", "xlsx")
REPORT_NAME = "自评报告"
DATA_TABLE_NAME = "数据表.xlsx"
SCORING_TABLE_NAME = "评分表.xlsx"


class UnknownFormatError(ValueError):
    """A format name that is not one of FORMATS."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(names)
        super().__init__(f"未知的格式：{'、'.join(self.names)}（可用：{'、'.join(FORMATS)}）")


def parse_formats(text: str) -> tuple[str, ...]:
    """'docx, pdf' → ('docx', 'pdf'); raises UnknownFormatError naming the unknown ones."""
    names = [n.strip().lower().lstrip(".") for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise UnknownFormatError(unknown or [text])
    return tuple(dict.fromkeys(names))


def _ruleset_for(result: EvaluationResult) -> RuleSet | None:
    """The rule-set, for the 指标解释 column; None when it is not a shipped one."""
    try:
        return find_ruleset(result.ruleset_ref)
    except InputError:
        return None


def render_report(report: Report, fmt: str) -> bytes:
    """One rendering of the report model: docx, pdf or txt."""
    if fmt == "docx":
        from jixiao.documents.render.docx import render_docx

        return render_docx(report)
    if fmt == "pdf":
        from jixiao.documents.render.pdf import render_pdf

        return render_pdf(report)
    if fmt == "txt":
        from jixiao.documents.render.txt import render_txt

        return render_txt(report)
    raise UnknownFormatError([fmt])


def render_document(
    evaluation: SelfEvaluation,
    result: EvaluationResult,
    fmt: str,
    *,
    ruleset: RuleSet | None = None,
) -> bytes:
    """One document as bytes: 'docx' / 'pdf' / 'txt' (the report), 'data.xlsx' or 'scoring.xlsx'."""
    if fmt in ("data.xlsx", "scoring.xlsx", "xlsx"):
        from jixiao.documents.render.xlsx import render_data_table, render_scoring_table

        if fmt == "scoring.xlsx":
            return render_scoring_table(evaluation, result, ruleset or _ruleset_for(result))
        return render_data_table(evaluation, result)
    return render_report(build_report(evaluation, result), fmt)


def render_package(
    evaluation: SelfEvaluation,
    result: EvaluationResult,
    formats: Iterable[str],
    *,
    ruleset: RuleSet | None = None,
) -> dict[str, bytes]:
    """Every requested file by name: 自评报告.docx/.pdf/.txt, 数据表.xlsx, 评分表.xlsx.

    'xlsx' stands for both tables. The report model is built once and shared by every format.
    """
    wanted = parse_formats(",".join(formats))
    files: dict[str, bytes] = {}
    report_formats = [f for f in wanted if f != "xlsx"]
    if report_formats:
        report = build_report(evaluation, result)
        for fmt in report_formats:
            files[f"{REPORT_NAME}.{fmt}"] = render_report(report, fmt)
    if "xlsx" in wanted:
        files[DATA_TABLE_NAME] = render_document(evaluation, result, "data.xlsx")
        files[SCORING_TABLE_NAME] = render_document(
            evaluation, result, "scoring.xlsx", ruleset=ruleset
        )
    return files
