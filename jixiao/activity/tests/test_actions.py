"""Every action code a service records has Chinese words and a category in jixiao.activity.actions
(and the English in the .po, through test_i18n)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from jixiao.activity.actions import ACTIONS_BY_CODE, CATEGORY_LABELS, action_category, action_label
from jixiao.reviews import workflow

ROOT = Path(settings.BASE_DIR) / "jixiao"
LITERAL = re.compile(r'\baction\s*=\s*(?:f?"([a-z_]+\.[a-z_{}.]+)")')
CONDITIONAL = re.compile(r'"([a-z_]+\.[a-z_]+)"\s+if\s+.+\s+else\s+"([a-z_]+\.[a-z_]+)"')


def recorded_codes() -> set[str]:
    codes: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "record_event(" not in text:
            continue
        for match in LITERAL.finditer(text):
            if "{" not in match.group(1):
                codes.add(match.group(1))
        for match in CONDITIONAL.finditer(text):
            codes.update(match.groups())
    # The workflow's steps are recorded as evaluation.<step>.
    codes.update(f"evaluation.{step.action}" for step in workflow.STEPS)
    return codes


def test_every_recorded_code_has_words_and_a_category():
    codes = recorded_codes()
    assert "evaluation.submit" in codes and "organisation.update" in codes
    missing = sorted(code for code in codes if code not in ACTIONS_BY_CODE)
    assert missing == [], "add these codes to jixiao/activity/actions.py: " + ", ".join(missing)
    for code in codes:
        assert action_category(code) in CATEGORY_LABELS


def test_an_unknown_code_still_lands_in_a_category():
    assert action_category("account.rename") == "account"
    assert action_label("account.rename") == "account.rename"
    assert action_category("something.new") == "other"
