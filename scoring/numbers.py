"""Reading a number as a Chinese office worker types it (数字输入): the one parser for every path.

Forms, autosave, the JSON API (where a number comes as a string), YAML and the data-table workbook
all read typed numbers through ``parse_decimal`` / ``parse_count``, so "11,360" means the same
everywhere and "33,28" is refused everywhere.

What is accepted, because its meaning is unambiguous:

* full-width digits and marks (１１３６０, ３３．２８, －５, ＋５), as a Chinese input method types them;
* thousands separators, ASCII or full-width (11,360 / 11，360 / 1,234,567.89), only in groups of
  three after a first group of one to three digits that does not start with 0;
* surrounding spaces (also the ideographic space U+3000), a leading + or − (U+2212 too).

What is refused, with a message that says why (``NumberFormatError.message``):

* a comma as a decimal mark ("33,28") — in a Chinese report a comma groups thousands, so "33,28" is
  either a typo or a European decimal; guessing would store a wrong value;
* a malformed grouping ("1,23,4", ",5", "1,,000", "0,500");
* exponents, NaN, infinity, units or any other text ("1e5", "约5", "5万").

Pure Python: no Django (scoring/ never imports it).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Full-width forms an input method produces, folded to ASCII. Only characters whose meaning in a
# number is certain: digits, the full stop used as a decimal point, the comma, signs.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},  # ０-９
        "．": ".",
        "，": ",",
        "－": "-",
        "−": "-",  # U+2212 MINUS SIGN
        "＋": "+",
        "\u3000": " ",  # ideographic space
    }
)

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d{1,2}")  # 33,28 / 0,5: a decimal comma, not a grouping


class NumberFormatError(ValueError):
    """Text that is not an unambiguous number; ``message`` says why, in Chinese (for the user)."""

    def __init__(self, code: str, message: str, text: str) -> None:
        self.code = code  # decimal_comma | bad_grouping | not_a_number | not_an_integer
        self.message = message
        self.text = text
        super().__init__(message)


def fold(text: str) -> str:
    """Full-width digits, marks and spaces as ASCII (the rest unchanged), stripped."""
    return text.translate(_FOLD).strip()


def parse_decimal(text: str) -> Decimal:
    """The exact Decimal a person meant by ``text``; NumberFormatError when it is not certain."""
    folded = fold(text)
    if _PLAIN.fullmatch(folded):
        return Decimal(folded)
    if _GROUPED.fullmatch(folded):
        return Decimal(folded.replace(",", ""))
    if _DECIMAL_COMMA.fullmatch(folded):
        raise NumberFormatError(
            "decimal_comma",
            f"「{text.strip()}」中的逗号不能作小数点，请用小数点（如 33.28）",
            text,
        )
    if "," in folded and re.fullmatch(r"[+-]?[\d,]+(?:\.\d+)?", folded):
        raise NumberFormatError(
            "bad_grouping",
            f"「{text.strip()}」的千位分隔不正确：逗号应每三位一个（如 11,360），或不用逗号",
            text,
        )
    raise NumberFormatError("not_a_number", f"「{text.strip()}」不是数字", text)


def parse_count(text: str) -> int:
    """A whole number (人数, 年度) typed as text, with the same leniency as ``parse_decimal``."""
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise NumberFormatError("not_an_integer", f"「{text.strip()}」应为整数", text)
    try:
        return int(value)
    except (InvalidOperation, OverflowError):  # pragma: no cover - Decimal of digits is finite
        raise NumberFormatError("not_a_number", f"「{text.strip()}」不是数字", text) from None
