"""The grade words, for the catalogue.

Grades are rule-set data (scoring.ruleset.Grade: label 优, name 优秀), stored as Chinese with each
score and used in CSS class names, so templates translate them only where they are shown:
``{% translate e.grade context "grade" %}``. xgettext cannot see a variable's values; these markers
put the default rule-sets' words into locale/*/django.po. A bureau's own grade words that are not
listed here are shown as they are.
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

GRADE_WORDS = (
    pgettext_lazy("grade", "优"),
    pgettext_lazy("grade", "良"),
    pgettext_lazy("grade", "中"),
    pgettext_lazy("grade", "差"),
    pgettext_lazy("grade", "优秀"),
    pgettext_lazy("grade", "良好"),
    pgettext_lazy("grade", "中等"),
    pgettext_lazy("grade", "较差"),
)
