"""批量审查 (batch audit): every .txt / .docx / .pdf under a folder → one summary workbook + HTML.

Called by ``jixiao audit DIR -o summary.xlsx`` (jixiao/commands/audit.py dispatches a folder here)::

    run_batch(paths: list[Path], output: Path, *, progress: bool = True, workers: int = 1)
        -> BatchSummary

- ``paths``: folders (searched recursively, hidden files and Word's ``~$`` lock files skipped) and
  single files; a path that does not exist raises ``scoring.InputError`` before anything is read;
- ``output``: the workbook (must end in .xlsx; parent folders are created). Sheet 汇总 has one row
  per file (文件, 状态, 单位, 年度, 得分, 等级, 错误, 警告, 主要问题); sheet 全部问题 has every
  finding (文件, 级别, 类别, 说明, 原文, 位置: 类别 is the code's description, not the code). ``summary.html`` (the workbook's name with .html)
  is written next to it with the same content;
- ``progress``: a plain-text progress bar on stderr (redrawn in place on a terminal, one line per
  tenth otherwise);
- ``workers``: processes for concurrent.futures (default 1: in this process).

A file that cannot be read (empty, corrupt, encrypted, over a limit) gets a row with 状态 无法读取
and the reader's reason; a scan without a text layer gets 状态 扫描件. Neither stops the batch, nor
does an unexpected failure of the auditor on one file (状态 审查出错, with the error named): one bad
file costs one row.
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from jixiao.audit.findings import code_name
from scoring import InputError, InputProblem
from scoring.ruleset import RuleSet

SUFFIXES = (".txt", ".docx", ".pdf")
STATUS_AUDITED = "已审查"
STATUS_UNREADABLE = "无法读取"
STATUS_SCANNED = "扫描件"  # unreadable too: images without a text layer
STATUS_FAILED = "审查出错"
TOP_FINDINGS = 3
SUMMARY_HEADERS = ("文件", "状态", "单位", "年度", "得分", "等级", "错误", "警告", "主要问题")
FINDING_HEADERS = ("文件", "级别", "类别", "说明", "原文", "位置")
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class FindingRow:
    severity: str  # error / warning / info
    code: str
    message: str
    quote: str
    location: str


@dataclass(frozen=True)
class FileResult:
    """One file's line of the summary."""

    path: Path
    name: str  # as shown: relative to the folder it was found in
    status: str
    reason: str = ""  # why it could not be read or audited
    unit: str = ""
    year: str = ""
    score: str = ""
    grade: str = ""
    findings: tuple[FindingRow, ...] = ()

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def top_findings(self) -> str:
        order = {"error": 0, "warning": 1}
        ranked = sorted(self.findings, key=lambda f: order.get(f.severity, 2))
        return "；".join(f"{f.message}" for f in ranked[:TOP_FINDINGS])


@dataclass
class BatchSummary:
    """What ``run_batch`` did: a result per file, in path order, and the files it wrote."""

    results: list[FileResult] = field(default_factory=list)
    workbook: Path | None = None
    html: Path | None = None
    seconds: float = 0.0

    @property
    def audited(self) -> int:
        return sum(1 for r in self.results if r.status == STATUS_AUDITED)

    @property
    def unreadable(self) -> int:
        """Files that could not be read, scans included."""
        return sum(1 for r in self.results if r.status in (STATUS_UNREADABLE, STATUS_SCANNED))

    @property
    def scanned(self) -> int:
        return sum(1 for r in self.results if r.status == STATUS_SCANNED)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.status == STATUS_FAILED)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.results)

    @property
    def warnings(self) -> int:
        return sum(r.warnings for r in self.results)

    def describe(self) -> str:
        """One Chinese line for the command line."""
        return (
            f"共 {len(self.results)} 份：已审查 {self.audited} 份，无法读取 {self.unreadable} 份"
            + (f"（其中扫描件 {self.scanned} 份）" if self.scanned else "")
            + (f"，审查出错 {self.failed} 份" if self.failed else "")
            + f"；错误 {self.errors} 条，警告 {self.warnings} 条"
        )


def collect_files(paths: Sequence[Path]) -> list[tuple[Path, str]]:
    """(file, shown name) for every report under ``paths``, sorted, without duplicates."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise InputError([InputProblem(str(p), None, "", "文件或文件夹不存在") for p in missing])
    found: dict[Path, str] = {}
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                relative = file.relative_to(path)
                if any(part.startswith((".", "~$")) for part in relative.parts):
                    continue
                if file.is_file() and file.suffix.lower() in SUFFIXES:
                    found.setdefault(file.resolve(), str(Path(path.name) / relative))
        else:
            found.setdefault(path.resolve(), path.name)
    return list(found.items())


def _text(value: Any) -> str:
    if value is None:
        return ""
    value = getattr(value, "value", value)  # enums
    if hasattr(value, "normalize") and hasattr(value, "quantize"):  # Decimal without exponent
        return format(value.normalize(), "f")
    return str(value)


def _field(extracted: dict[str, Any], name: str) -> str:
    """One field of ``AuditReport.extracted`` as text ("" when the auditor found none)."""
    return _text(extracted.get(name))


def audit_one(path: Path, name: str, ruleset: RuleSet | None = None) -> FileResult:
    """Audit one file; never raises for a bad file (its row says what went wrong)."""
    from jixiao.audit import UnreadableReport, audit_file_within_budget

    try:
        report = audit_file_within_budget(path, ruleset=ruleset)
    except UnreadableReport as exc:
        status = STATUS_SCANNED if exc.scanned else STATUS_UNREADABLE
        return FileResult(path, name, status, reason=exc.reason)  # the row names the file
    except MemoryError:
        return FileResult(path, name, STATUS_FAILED, reason="内存不足")
    except Exception as exc:  # one bad file must not stop the batch: report it in its row
        return FileResult(path, name, STATUS_FAILED, reason=f"{type(exc).__name__}: {exc}")
    findings = tuple(
        FindingRow(
            severity=_text(f.severity).lower(),
            code=_text(f.code),
            message=_text(f.message),
            quote=_text(f.quote),
            location=_text(f.location),
        )
        for f in report.findings
    )
    extracted = report.extracted
    return FileResult(
        path,
        name,
        STATUS_AUDITED,
        unit=_field(extracted, "unit_name"),
        year=_field(extracted, "year"),
        score=_field(extracted, "total_score"),
        grade=_field(extracted, "grade"),
        findings=findings,
    )


class ProgressBar:
    """``审查 12/40 [######--------------]  30% 文件名`` on stderr, no dependency."""

    WIDTH = 24

    def __init__(self, total: int, stream: IO[str] | None = None, enabled: bool = True) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0
        self._last_tenth = -1

    def advance(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        filled = self.WIDTH * self.done // self.total
        percent = 100 * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"审查 {self.done}/{self.total} [{bar}] {percent:3d}% {name}"
        if self.interactive:
            self.stream.write("\r\033[K" + line[:120])
            if self.done == self.total:
                self.stream.write("\n")
        elif percent // 10 != self._last_tenth or self.done == self.total:
            self._last_tenth = percent // 10
            self.stream.write(line + "\n")
        self.stream.flush()


def audit_files(
    files: Sequence[tuple[Path, str]],
    *,
    workers: int = 1,
    on_done: Callable[[str], None] | None = None,
    ruleset: RuleSet | None = None,
) -> list[FileResult]:
    """Audit ``files`` in this process or in ``workers`` processes; results in input order."""
    results: list[FileResult | None] = [None] * len(files)
    if workers <= 1 or len(files) <= 1:
        for index, (path, name) in enumerate(files):
            results[index] = audit_one(path, name, ruleset)
            if on_done:
                on_done(name)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(audit_one, path, name, ruleset): i
                for i, (path, name) in enumerate(files)
            }
            for future in as_completed(futures):
                index = futures[future]
                path, name = files[index]
                try:
                    results[index] = future.result()
                except Exception as exc:  # a worker killed (e.g. out of memory): that file only
                    results[index] = FileResult(
                        path, name, STATUS_FAILED, reason=f"{type(exc).__name__}: {exc}"
                    )
                if on_done:
                    on_done(name)
    return [r for r in results if r is not None]


def run_batch(
    paths: list[Path],
    output: Path,
    *,
    progress: bool = True,
    workers: int = 1,
    ruleset: RuleSet | None = None,
) -> BatchSummary:
    """Audit every report under ``paths``; write ``output`` (.xlsx) and summary.html next to it."""
    if output.suffix.lower() != ".xlsx":
        raise InputError([InputProblem(str(output), None, "", "汇总文件应以 .xlsx 结尾")])
    started = time.perf_counter()
    files = collect_files(paths)
    bar = ProgressBar(len(files), enabled=progress)
    results = audit_files(files, workers=workers, on_done=bar.advance, ruleset=ruleset)
    summary = BatchSummary(results=results)
    summary.seconds = time.perf_counter() - started
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(summary_workbook(summary.results))
        html_path = output.with_suffix(".html")
        html_path.write_text(summary_html(summary), encoding="utf-8")
    except OSError as exc:
        raise InputError(
            [InputProblem(str(output), None, "", f"无法写入汇总文件：{exc.strerror or exc}")]
        ) from None
    summary.workbook, summary.html = output, html_path
    return summary


def summary_workbook(results: Sequence[FileResult]) -> bytes:
    """汇总 (one row per file) and 全部问题 (every finding) as xlsx bytes."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from scoring.sheet_cells import append_row

    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "汇总"
    append_row(summary, SUMMARY_HEADERS)
    for r in results:
        top = r.top_findings() if r.status == STATUS_AUDITED else r.reason
        append_row(
            summary,
            (r.name, r.status, r.unit, r.year, r.score, r.grade, r.errors, r.warnings, top),
        )
    details = workbook.create_sheet("全部问题")
    append_row(details, FINDING_HEADERS)
    for r in results:
        for f in r.findings:
            severity = SEVERITY_NAMES.get(f.severity, f.severity)
            # the code's description, not the code: codes are for the JSON output and logs
            kind = code_name(f.code)
            append_row(details, (r.name, severity, kind, f.message, f.quote, f.location))
    widths = {"汇总": (40, 10, 30, 8, 8, 8, 6, 6, 80), "全部问题": (40, 6, 24, 60, 50, 16)}
    for sheet in (summary, details):
        for index, width in enumerate(widths[sheet.title]):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HTML_CSS = """
body { font-family: "Noto Sans CJK SC", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f2f2f2; }
td.n { text-align: right; }
tr.error td.sev, tr.bad td.status { color: #b00020; font-weight: bold; }
tr.warning td.sev { color: #8a5a00; }
blockquote { margin: 0; color: #555; }
"""


def summary_html(summary: BatchSummary) -> str:
    """The same summary as a self-contained HTML page (summary.html)."""
    esc = html.escape
    rows = []
    for r in summary.results:
        bad = ' class="bad"' if r.status != STATUS_AUDITED else ""
        top = r.top_findings() if r.status == STATUS_AUDITED else r.reason
        rows.append(
            f'<tr{bad}><td>{esc(r.name)}</td><td class="status">{esc(r.status)}</td>'
            f'<td>{esc(r.unit)}</td><td>{esc(r.year)}</td><td class="n">{esc(r.score)}</td>'
            f'<td>{esc(r.grade)}</td><td class="n">{r.errors}</td><td class="n">{r.warnings}</td>'
            f"<td>{esc(top)}</td></tr>"
        )
    details = []
    for r in summary.results:
        for f in r.findings:
            details.append(
                f'<tr class="{esc(f.severity)}"><td>{esc(r.name)}</td>'
                f'<td class="sev">{esc(SEVERITY_NAMES.get(f.severity, f.severity))}</td>'
                f"<td>{esc(code_name(f.code))}</td><td>{esc(f.message)}</td>"
                f"<td><blockquote>{esc(f.quote)}</blockquote></td><td>{esc(f.location)}</td></tr>"
            )
    head = "".join(f"<th>{esc(h)}</th>" for h in SUMMARY_HEADERS)
    detail_head = "".join(f"<th>{esc(h)}</th>" for h in FINDING_HEADERS)
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>自评报告批量审查汇总</title><style>{HTML_CSS}</style></head><body>"
        f"<h1>自评报告批量审查汇总</h1><p>{esc(summary.describe())}</p>"
        f"<h2>汇总</h2><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<h2>全部问题</h2><table><thead><tr>{detail_head}</tr></thead>"
        f"<tbody>{''.join(details)}</tbody></table></body></html>\n"
    )
