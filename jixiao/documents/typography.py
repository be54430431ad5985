"""Page and type settings after GB/T 9704-2012 (党政机关公文格式), shared by every renderer.

Debian has none of the official fonts, so each role names the official font (written into docx,
where Word and WPS on the user's machine have it) and the Debian substitute (used for the PDF we
render ourselves). The choices are explained in docs/documents.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class FontRole:
    official: str  # the font GB/T 9704 names, as Windows/WPS call it
    substitute: str  # the Debian font we render the PDF with
    size_pt: Decimal
    bold: bool = False


# 2号小标宋 → Noto Serif CJK SC Bold; 3号黑体 → Noto Sans CJK SC; 3号楷体 → AR PL UKai CN;
# 3号仿宋 → Noto Serif CJK SC (a Song face: the closest free relative of 仿宋 in Debian).
TITLE = FontRole("方正小标宋简体", "Noto Serif CJK SC", Decimal(22), bold=True)
HEADING1 = FontRole("黑体", "Noto Sans CJK SC", Decimal(16))
HEADING2 = FontRole("楷体_GB2312", "AR PL UKai CN", Decimal(16))
BODY = FontRole("仿宋_GB2312", "Noto Serif CJK SC", Decimal(16))
LEAD = FontRole("仿宋_GB2312", "Noto Serif CJK SC", Decimal(16), bold=True)
TABLE = FontRole("仿宋_GB2312", "Noto Serif CJK SC", Decimal(12))
PAGE_NUMBER = FontRole("宋体", "Noto Serif CJK SC", Decimal(14))  # 4号半角宋体阿拉伯数字
LATIN = "Times New Roman"  # digits and Latin letters in Word; the PDF uses the CJK font's own

# A4 with the standard's margins: 版心 156 mm × 225 mm.
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
# 22 lines in the 225 mm (637.8 pt) text height: 29 pt would be 638 pt and leave 21 lines a page,
# so 28.95 pt (a multiple of Word's 1/20 pt step) is the largest pitch that fits 22.
LINE_PITCH_PT = Decimal("28.95")
FIRST_LINE_INDENT_CHARS = 2
# The page number sits 7 mm below the text area (一字线 页码 一字线, outer side).
PAGE_NUMBER_OFFSET_MM = 7


def page_number_text(page: int) -> str:
    """— 1 —: 4号半角 digits between 一字线 (em dashes)."""
    return f"— {page} —"
