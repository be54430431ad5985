"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character.

Pure Python so the CLI, the importer and the forms share one validator.
"""

from __future__ import annotations

# The code's alphabet: digits and capital letters without I, O, S, V, Z (they look like digits).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (raises ValueError on a character outside the alphabet)."""
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None when ``code`` is a valid 统一社会信用代码, else the reason in Chinese."""
    if len(code) != LENGTH:
        return f"统一社会信用代码应为 18 位，现为 {len(code)} 位"
    bad = sorted({char for char in code if char not in ALPHABET})
    if bad:
        return (
            f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用 I、O、S、V、Z 和小写字母）"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：第 18 位应为 {expected}"
    return None


def normalise_credit_code(code: str) -> str:
    """Upper-case and strip spaces, as users paste it."""
    return "".join(code.split()).upper()
