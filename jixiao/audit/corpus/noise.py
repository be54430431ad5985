"""Noise transforms (版式噪声): what copying, scanning-free conversion and local habits do to a report.

A transform never changes a fact: it changes how the same figures and words are written or laid
out. The document is a list of paragraphs; inside a paragraph ``\\n`` is a line break and ``\\f``
a page break (the writers turn them into real breaks in docx and pdf).

- ``line_breaks``: hard line breaks every 30–40 characters, as text copied out of a PDF; a break
  falls between two Chinese characters (a word is cut), never inside a figure;
- ``page_breaks``: a page break in the middle of 1–3 long paragraphs, between two Chinese
  characters, as the seed's 整\\n\\n体 and 优\\n\\n秀;
- ``mixed_punctuation``: full-width ，：（）％〔〕 swapped at random for , : ( ) % [ ] and back;
- ``spaced_numbers``: spaces around figures (2025 年), inside large ones (18 969) and before %;
- ``heading_styles``: 一、 → 第一部分 / 一． / 一、␣; （一） → (一) / （一）␣ (and, in docx and pdf,
  headings as Word heading styles, bold text or plain text: the writers' ``heading_mode``);
- ``amount_units``: amounts in 万元 restated in 元 (with or without thousands commas) or 亿元;
- ``fullwidth_digits``: about half the figures in full-width digits (２０２５年, ３８．４５);
- ``gb18030`` (not a paragraph transform): the txt file is encoded in GB18030, not UTF-8.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

CJK = "\u4e00-\u9fff"
HEADING1 = re.compile(r"^([一二三四五六七八九十])、")
HEADING2 = re.compile(r"^（([一二三四五六七八九十])）")
NUMERAL_ORDER = "一二三四五六七八九十"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: ``kind`` is title, h1, h2 or p."""

    kind: str
    text: str


def paragraphs_of(text: str) -> list[Paragraph]:
    """Blank-line separated paragraphs, headings recognised by their numbering."""
    result = []
    for index, raw in enumerate(p.strip() for p in text.split("\n\n")):
        if not raw:
            continue
        if index == 0 or (raw.endswith("自评报告") and len(raw) < 30):
            kind = "title" if "报告" in raw and len(raw) < 30 else "p"
        elif HEADING1.match(raw) and len(raw) < 30:
            kind = "h1"
        elif HEADING2.match(raw) and len(raw) < 40:
            kind = "h2"
        else:
            kind = "p"
        result.append(Paragraph(kind, raw))
    return result


def _break_positions(text: str) -> list[int]:
    """Positions between two Chinese characters (a word may be cut there, a figure never)."""
    return [
        i
        for i in range(1, len(text))
        if re.match(f"[{CJK}]", text[i - 1]) and re.match(f"[{CJK}]", text[i])
    ]


def line_breaks(doc: list[Paragraph], rng: random.Random) -> list[Paragraph]:
    out = []
    for p in doc:
        if p.kind != "p" or len(p.text) < 40:
            out.append(p)
            continue
        allowed = set(_break_positions(p.text))
        width = rng.randint(30, 40)
        pieces, start = [], 0
        position = width
        while position < len(p.text):
            near = [i for i in range(position, min(position + 6, len(p.text))) if i in allowed]
            if near:
                pieces.append(p.text[start : near[0]])
                start = near[0]
            position += width
        pieces.append(p.text[start:])
        out.append(Paragraph(p.kind, "\n".join(pieces)))
    return out


def page_breaks(doc: list[Paragraph], rng: random.Random) -> list[Paragraph]:
    long_ones = [i for i, p in enumerate(doc) if p.kind == "p" and len(p.text) > 60]
    chosen = set(rng.sample(long_ones, k=min(len(long_ones), rng.randint(1, 3))))
    out = []
    for index, p in enumerate(doc):
        positions = _break_positions(p.text) if index in chosen else []
        if positions:
            at = positions[len(positions) // 2 + rng.randint(-3, 3) % len(positions) // 4]
            p = Paragraph(p.kind, p.text[:at] + "\f" + p.text[at:])
        out.append(p)
    return out


FULL_HALF = {"，": ",", "：": ":", "（": "(", "）": ")", "％": "%", "〔": "[", "〕": "]", "；": ";"}
HALF_FULL = {"%": "％"}


def mixed_punctuation(doc: list[Paragraph], rng: random.Random) -> list[Paragraph]:
    def swap(ch: str) -> str:
        if ch in FULL_HALF and rng.random() < 0.5:
            return FULL_HALF[ch]
        if ch in HALF_FULL and rng.random() < 0.5:
            return HALF_FULL[ch]
        return ch

    return [Paragraph(p.kind, "".join(swap(c) for c in p.text)) for p in doc]


def spaced_numbers(doc: list[Paragraph], rng: random.Random) -> list[Paragraph]:
    def group(m: re.Match[str]) -> str:
        digits = m.group(0)
        if len(digits) < 5 or rng.random() < 0.3:
            return digits
        head = len(digits) % 3 or 3
        groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
        return " ".join(groups)

    def respace(text: str) -> str:
        text = re.sub(r"(?<![\d.])\d{5,}(?![\d.])", group, text)
        text = re.sub(rf"(?<=[{CJK}])(?=\d)", " ", text)
        text = re.sub(rf"(?<=[\d%％])(?=[{CJK}])", " ", text)
        return re.sub(r"(?<=\d)(?=[%％])", lambda m: " " if rng.random() < 0.5 else "", text)

    return [Paragraph(p.kind, respace(p.text)) for p in doc]


def heading_styles(doc: list[Paragraph], rng: random.Random) -> list[Paragraph]:
    style1 = rng.choice(("第{n}部分 ", "{n}．", "{n}、 "))
    style2 = rng.choice(("({n})", "（{n}） ", "（{n}）"))
    out = []
    for p in doc:
        if p.kind == "h1" and (m := HEADING1.match(p.text)):
            p = Paragraph("h1", style1.format(n=m.group(1)) + p.text[m.end() :])
        elif p.kind == "h2" and (m := HEADING2.match(p.text)):
            p = Paragraph("h2", style2.format(n=m.group(1)) + p.text[m.end() :])
        out.append(p)
    return out


def _in_yuan(value: Decimal, commas: bool) -> str:
    yuan = (value * 10000).quantize(Decimal("0.01"))
    if commas:
        return f"{yuan:,.2f}"
    return format(yuan.normalize(), "f") if yuan == yuan.to_integral_value() else f"{yuan:.2f}"


def amount_units(doc: list[Paragraph], rng: random.Random) -> list[Paragraph]:
    unit = rng.choice(("元", "元,", "亿元", "mixed"))

    def restate(m: re.Match[str]) -> str:
        value = Decimal(m.group(1).replace(" ", ""))
        choice = rng.choice(("元", "元,", "亿元", "万元")) if unit == "mixed" else unit
        if choice == "万元":
            return m.group(0)
        if choice == "亿元":
            return format((value / 10000).normalize(), "f") + "亿元"
        return _in_yuan(value, commas=choice == "元,") + "元"

    return [Paragraph(p.kind, re.sub(r"(\d+(?:\.\d+)?)\s*万元", restate, p.text)) for p in doc]


FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def fullwidth_digits(doc: list[Paragraph], rng: random.Random) -> list[Paragraph]:
    def widen(m: re.Match[str]) -> str:
        return m.group(0).translate(FULLWIDTH) if rng.random() < 0.5 else m.group(0)

    return [Paragraph(p.kind, re.sub(r"\d+(?:\.\d+)?", widen, p.text)) for p in doc]


Transform = Callable[[list[Paragraph], random.Random], list[Paragraph]]

# Order matters: layout breaks come last, after the wording has been settled.
NOISES: dict[str, Transform] = {
    "amount_units": amount_units,
    "heading_styles": heading_styles,
    "mixed_punctuation": mixed_punctuation,
    "spaced_numbers": spaced_numbers,
    "fullwidth_digits": fullwidth_digits,
    "line_breaks": line_breaks,
    "page_breaks": page_breaks,
}


ENCODING_NOISE = "gb18030"  # handled by the txt writer
NOISE_NAMES = (*NOISES, ENCODING_NOISE)


def apply_noise(
    doc: list[Paragraph], names: tuple[str, ...], rng: random.Random
) -> list[Paragraph]:
    for name in NOISES:
        if name in names:
            doc = NOISES[name](doc, rng)
    return doc
