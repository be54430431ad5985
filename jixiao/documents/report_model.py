"""The report model (报告模型): what a self-evaluation report says, before any file format.

Pure data, no Django and no layout: the builder fills it from the data and the report template;
each renderer (txt, docx, html → pdf) turns the same model into bytes, so the words are never
written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    """一级标题 (level 1, e.g. 一、单位基本情况) or 二级标题 (level 2, e.g. （一）…)."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; ``lead`` is a bold lead-in such as 1. 预算编制情况 (三级标题 inline)."""

    text: str
    lead: str = ""

    # A lead not closed by punctuation is followed by one full-width space, in every format.
    LEAD_SEPARATOR = "　"

    @property
    def separator(self) -> str:
        closed = self.lead.endswith(("。", "：", "；", "！", "？"))
        return "" if closed or not self.lead or not self.text else self.LEAD_SEPARATOR

    @property
    def full_text(self) -> str:
        return f"{self.lead}{self.separator}{self.text}"


@dataclass(frozen=True)
class Table:
    """A table: header rows, body rows (all cells text) and relative column widths."""

    caption: str
    header: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] = ()

    @property
    def columns(self) -> int:
        return max((len(r) for r in (*self.header, *self.rows)), default=0)


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Report:
    """A whole report: cover (title and cover lines) and the body blocks in order."""

    title: str
    cover_lines: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    attachment: str = ""  # 附件 6: the line above the title, when the notice numbers attachments
    kind: str = "department"
    warnings: tuple[str, ...] = field(default=())  # what the text marks 【待补充】

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))
