"""File names of an evaluation's documents (文件命名), for frozen files and previews alike.

One rule: 「2025年度湛江市职业技能鉴定指导中心绩效自评报告.pdf」; a project evaluation carries its
project (「2025年度某中心职业技能培训补贴项目绩效自评报告.pdf」), so the downloads of a unit's several
project evaluations are told apart in a downloads folder.
"""

from __future__ import annotations

KINDS = {
    "pdf": "绩效自评报告.pdf",
    "docx": "绩效自评报告.docx",
    "txt": "绩效自评报告.txt",
    "data.xlsx": "绩效自评数据表.xlsx",
    "scoring.xlsx": "绩效自评评分表.xlsx",
}


def document_filename(*, year: int, unit_name: str, project_name: str, fmt: str) -> str:
    """The download name of one document; ``fmt`` is one of KINDS."""
    project = project_name.strip()
    if project and not project.endswith("项目"):
        project += "项目"
    # Path separators and control characters never come from a name into a file name.
    stem = "".join(ch for ch in f"{year}年度{unit_name}{project}" if ch.isprintable())
    return stem.replace("/", "／").replace("\\", "＼") + KINDS[fmt]
