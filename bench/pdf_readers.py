"""Benchmark: which pdf text reader keeps reading order and table cells (issue 13.2).

Not a test. Compares pypdf (the auditor's reader), pypdf's layout mode, pdfminer.six, pdfplumber
and PyMuPDF on pdfs made the way real reports are (a reader that is not installed is skipped):

- ``rendered``: the seed unit's report rendered by jixiao.documents (WeasyPrint), as the web
  system prints it;
- ``seed``: the published seed text laid out by the audit corpus's pdf writer (page numbers in
  the footer, a paragraph broken across pages);
- ``real-like``: a cover table of label | figure | label | figure, a funds table with a header row,
  a two-column page and justified paragraphs whose figures wrap across lines — the shapes of
  published reports that our own renderer never makes.
- any pdf given with ``--pdf FILE`` (speed and the audit's fields only).

For each reader and file it prints the seconds per page (median of ``--runs``), and against the
text the pdf was made from: sentences found (whitespace ignored), sentences in reading order
(consecutive pairs in order), table rows whose cells come out on one line in order, and the
fields the auditor reads (against the same report's txt: unit, year, 填报日期, 编制, 实有, budget,
score, grade, targets). Ratios are against pypdf in the same process.

    .venv/bin/python bench/pdf_readers.py [--runs 3] [--pdf FILE ...]
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Reader = Callable[[bytes], list[str]]


def read_pypdf(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def read_pypdf_layout(data: bytes) -> list[str]:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    return [page.extract_text(extraction_mode="layout") or "" for page in pages]


def read_pdfminer(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data)).split("\f")


def read_pdfplumber(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def read_pymupdf(data: bytes) -> list[str]:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [page.get_text("text", sort=True) for page in doc]


def read_pymupdf_stream(data: bytes) -> list[str]:
    import pymupdf

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [page.get_text("text") for page in doc]


READERS: dict[str, tuple[str, Reader]] = {
    "pypdf": ("pypdf", read_pypdf),
    "pypdf-layout": ("pypdf", read_pypdf_layout),
    "pdfminer.six": ("pdfminer", read_pdfminer),
    "pdfplumber": ("pdfplumber", read_pdfplumber),
    "pymupdf (sort)": ("pymupdf", read_pymupdf),
    "pymupdf": ("pymupdf", read_pymupdf_stream),
}


@dataclass
class Sample:
    name: str
    pdf: bytes
    sentences: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    txt: str = ""  # the same report as text, for the auditor's fields
    truth: dict[str, object] | None = None  # or the fields as written, when there is no txt


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _sentences(text: str) -> list[str]:
    found = []
    for line in text.split("\n"):
        for part in re.split(r"(?<=[。；;])", line):
            flat = _flat(part)
            if len(flat) >= 8:
                found.append(flat)
    return found


def rendered_sample() -> Sample:
    from jixiao.documents.package import render_document
    from scoring import score_evaluation
    from scoring.loading import load_scorable

    evaluation, ruleset = load_scorable(ROOT / "examples" / "zhanjiang-skills-center-2025.yaml")
    result = score_evaluation(evaluation, ruleset)
    pdf = render_document(evaluation, result, "pdf", ruleset=ruleset)
    txt = render_document(evaluation, result, "txt", ruleset=ruleset).decode("utf-8")
    rows = [[c for c in line.split("\t") if c.strip()] for line in txt.split("\n") if "\t" in line]
    return Sample("rendered", pdf, _sentences(txt), [r for r in rows if len(r) >= 2], txt)


def seed_sample() -> Sample:
    from jixiao.audit.corpus.bases import seed_text
    from jixiao.audit.corpus.noise import paragraphs_of
    from jixiao.audit.corpus.writers import write_pdf

    text = seed_text()
    return Sample("seed", write_pdf(paragraphs_of(text)), _sentences(text), [], text)


REAL_LIKE_HTML = """<html><head><style>
@page { size: A4; margin: 2cm; @bottom-center { content: counter(page); } }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 11pt; }
p { text-align: justify; text-indent: 2em; margin: 0 0 .4em 0; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
td, th { border: 1px solid #000; padding: 2px 4px; font-size: 10pt; }
.cols { column-count: 2; column-gap: 1.2em; }
</style></head><body>
<p style="text-align:center;font-size:16pt">示例县农业农村局2024年度部门整体支出绩效自评报告</p>
<table>
<tr><td>单位名称</td><td colspan="3">示例县农业农村局</td></tr>
<tr><td>编制人数</td><td>46</td><td>实有人数</td><td>41</td></tr>
<tr><td>在职人数</td><td>41</td><td>离退休人数</td><td>23</td></tr>
<tr><td>主管部门</td><td>示例县人民政府</td><td>填报日期</td><td>2025年3月20日</td></tr>
</table>
<p>一、部门基本情况</p>
<p>示例县农业农村局是县政府工作部门，为正科级行政单位。截至2024年12月31日，本局核定行政编制46名，在职实有41人，离退休人员23人，其中离休1人，退休22人。2024年度部门决算收入合计12345.67万元，其中财政拨款收入11000.00万元，其他收入1345.67万元；决算支出合计12001.23万元，其中基本支出2345.10万元，项目支出9656.13万元。</p>
<table>
<tr><th>资金来源</th><th>年初预算数</th><th>全年预算数</th><th>全年执行数</th><th>执行率</th></tr>
<tr><td>年度资金总额</td><td>10500.00</td><td>12100.50</td><td>12001.23</td><td>99.18%</td></tr>
<tr><td>财政拨款</td><td>9800.00</td><td>11000.00</td><td>10950.30</td><td>99.55%</td></tr>
<tr><td>其他资金</td><td>700.00</td><td>1100.50</td><td>1050.93</td><td>95.50%</td></tr>
</table>
<div class="cols">
<p>二、绩效目标完成情况。全年完成高标准农田建设任务3.2万亩，完成年度目标3万亩的106.67%，新建田间道路58.6公里，完成计划的97.67%，未完成的原因是部分地块雨季无法施工。</p>
<p>全年培训高素质农民1260人次，完成年度任务数1200人次的105.00%；农作物病虫害统防统治覆盖率达到45.2%，目标值为40%。</p>
<p>三、存在的问题。一是项目前期工作不够扎实，个别项目开工较晚；二是绩效目标设置不够细化，部分指标难以量化。</p>
<p>四、改进措施。一是提前谋划项目储备，加快前期工作进度；二是细化量化绩效指标，提高目标设置质量。</p>
</div>
<p>五、自评结论。经综合评价，本局2024年度部门整体支出绩效自评得分为92.5分，评价等级为优秀。本年度预算执行率为99.18%，资金使用总体规范，全年共组织开展农业技术推广活动126场次，覆盖全县18个乡镇235个行政村，受益农户达到12860户，较上年增长了8.35个百分点，项目资金的使用效益进一步提高。</p>
</body></html>"""

REAL_LIKE_SENTENCES = [
    "示例县农业农村局2024年度部门整体支出绩效自评报告",
    "示例县农业农村局是县政府工作部门，为正科级行政单位。",
    "截至2024年12月31日，本局核定行政编制46名，在职实有41人，离退休人员23人，其中离休1人，退休22人。",
    "2024年度部门决算收入合计12345.67万元，其中财政拨款收入11000.00万元，其他收入1345.67万元；",
    "二、绩效目标完成情况。",
    "全年完成高标准农田建设任务3.2万亩，完成年度目标3万亩的106.67%，新建田间道路58.6公里，完成计划的97.67%，未完成的原因是部分地块雨季无法施工。",
    "全年培训高素质农民1260人次，完成年度任务数1200人次的105.00%；",
    "三、存在的问题。",
    "一是项目前期工作不够扎实，个别项目开工较晚；",
    "四、改进措施。",
    "一是提前谋划项目储备，加快前期工作进度；",
    "五、自评结论。",
    "经综合评价，本局2024年度部门整体支出绩效自评得分为92.5分，评价等级为优秀。",
]
REAL_LIKE_ROWS = [
    ["编制人数", "46", "实有人数", "41"],
    ["在职人数", "41", "离退休人数", "23"],
    ["资金来源", "年初预算数", "全年预算数", "全年执行数", "执行率"],
    ["年度资金总额", "10500.00", "12100.50", "12001.23", "99.18%"],
    ["财政拨款", "9800.00", "11000.00", "10950.30", "99.55%"],
]


def real_like_sample() -> Sample:
    import weasyprint

    pdf = bytes(weasyprint.HTML(string=REAL_LIKE_HTML).write_pdf())
    truth: dict[str, object] = {
        "unit_name": "示例县农业农村局",
        "year": 2024,
        "filled_on": "2025-03-20",
        "staffing_quota": 46,
        "staff_actual": 41,
        "total_score": "92.5",
        "grade": "优秀",
        "budget.initial": "10500",
        "budget.full_year": "12100.5",
        "budget.executed": "12001.23",
    }
    sentences = [_flat(s) for s in REAL_LIKE_SENTENCES]
    return Sample("real-like", pdf, sentences, REAL_LIKE_ROWS, truth=truth)


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def accuracy(sample: Sample, text: str) -> dict[str, str]:
    flat = _flat(text)
    result: dict[str, str] = {}
    if sample.sentences:
        positions = [flat.find(s) for s in sample.sentences]
        found = [p for p in positions if p >= 0]
        pairs = list(itertools.pairwise(found))
        ordered = sum(1 for a, b in pairs if a < b)
        result["sentences"] = f"{len(found)}/{len(positions)}"
        result["order"] = f"{ordered}/{len(pairs)}"
    if sample.rows:
        lines = [_flat_cells(line) for line in text.split("\n")]
        whole = sum(1 for row in sample.rows if any(_row_in(row, cells) for cells in lines))
        result["rows"] = f"{whole}/{len(sample.rows)}"
    return result


def _flat_cells(line: str) -> list[str]:
    return [unicodedata.normalize("NFKC", c) for c in line.split()]


def _row_in(row: list[str], cells: list[str]) -> bool:
    """The row's cells on one line, in order, each a whole word of it."""
    position = 0
    for cell in row:
        want = unicodedata.normalize("NFKC", cell)
        try:
            position = cells.index(want, position) + 1
        except ValueError:
            return False
    return True


FIELDS = (
    "unit_name",
    "year",
    "filled_on",
    "staffing_quota",
    "staff_actual",
    "total_score",
    "grade",
)


def audit_fields(text: str, pages: list[str] | None = None) -> dict[str, object]:
    from jixiao.audit import audit_text

    extracted = audit_text(text, pages=pages).extracted
    values: dict[str, object] = {k: extracted.get(k) for k in FIELDS}
    for key in ("initial", "full_year", "executed"):
        values[f"budget.{key}"] = extracted["budget"].get(key)
    values["targets"] = len(extracted["targets"])
    return values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf", type=Path, action="append", default=[])
    args = parser.parse_args()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    samples = [rendered_sample(), real_like_sample()]
    try:
        samples.insert(1, seed_sample())
    except (ImportError, AttributeError, FileNotFoundError) as exc:
        print(f"(seed skipped: {exc})")
    samples.extend(Sample(path.name, path.read_bytes()) for path in args.pdf)
    available: dict[str, Reader] = {}
    for name, (module, reader) in READERS.items():
        try:
            __import__(module)
        except ImportError:
            print(f"{name}: not installed, skipped")
            continue
        available[name] = reader
    baseline: dict[str, float] = {}
    print(
        "| file | reader | ms/page | × pypdf | sentences | in order | table rows | audit fields |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for sample in samples:
        pages = page_count(sample.pdf)
        truth = audit_fields(sample.txt) if sample.txt else sample.truth
        for name, reader in available.items():
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                out = reader(sample.pdf)
                times.append(time.perf_counter() - started)
            per_page = statistics.median(times) / pages * 1000
            if name == "pypdf":
                baseline[sample.name] = per_page
            text = "\n".join(out)
            acc = accuracy(sample, text)
            fields = "—"
            if truth is not None:
                got = audit_fields(text, out)
                right = sum(1 for k, v in truth.items() if got.get(k) == v)
                if sample.truth is not None and name == "pypdf" and right < len(truth):
                    print({k: got.get(k) for k in truth if got.get(k) != truth[k]})
                fields = f"{right}/{len(truth)}"
            ratio = per_page / baseline[sample.name] if sample.name in baseline else 0.0
            print(
                f"| {sample.name} ({pages} p.) | {name} | {per_page:.1f} | {ratio:.2f} | "
                f"{acc.get('sentences', '—')} | {acc.get('order', '—')} | "
                f"{acc.get('rows', '—')} | {fields} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
