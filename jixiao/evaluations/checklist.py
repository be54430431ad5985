"""The 缺项清单 with links: each item the submission check lists, pointing at the field it names
(the section's page with ``#f-<field>``; entry.js opens and focuses it).

Links are made only where the item's field is known from the data (a fault's path, a flag's
indicator, an empty required part); an item whose place is not known stays plain text rather
than pointing somewhere wrong.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jixiao.evaluations.sections import SECTIONS, fixed_leaves
from scoring import FlagCode, InputError

# An empty required part → (section, the field to fill in).
REQUIRED_PART_FIELDS = {
    "process": ("group", "group-process"),
    "other": ("other", "other-other"),
    "problems": ("problems", "problems-0-text"),
    "improvements": ("problems", "improvements-0-text"),
    "filled_on": ("cover", "cover-filled_on"),
}


class LinkedProblem(str):
    """A 缺项清单 item (the text, as every caller already uses it) with ``url`` to its field."""

    url: str = ""
    source: str = ""  # the item as made (a scoring.messages.Msg translates at the edge)

    def __new__(cls, text: str, url: str = "") -> LinkedProblem:
        item = super().__new__(cls, text)
        item.url = url
        item.source = text
        return item


def field_url(evaluation_id: int, section: str, html_name: str) -> str:
    return reverse("evaluations:edit", args=[evaluation_id, section]) + f"#f-{html_name}"


def html_field(path: tuple[str | int, ...]) -> tuple[str, str] | None:
    """(section, HTML field name) of a data path as a freshly loaded page shows it, when known.

    Rows on a fresh page are in data order, so ``targets[2].actual`` is ``targets-2-actual``.
    (Assessment rows follow the rule-set instead; they are placed by code, not here.)"""
    for section in SECTIONS:
        if not path or path[0] not in section.data_keys or section.key == "assessments":
            continue
        for rows in section.rows:
            n = len(rows.path)
            if path[:n] == rows.path and len(path) > n + 1 and isinstance(path[n], int):
                return section.key, f"{rows.prefix}-{path[n]}-{path[n + 1]}"
        for length in range(len(path), 0, -1):
            target = section.fields.get(path[:length])
            if target is not None:
                return section.key, f"{target[0]}-{target[1]}"
        return section.key, ""
    return None


def linked_problems(evaluation: Any, problems: list[str]) -> list[LinkedProblem]:
    """``problems`` (reviews.services.submission_problems, in its order) with links added."""
    from jixiao.evaluations.field_labels import describe_field
    from jixiao.evaluations.history import previous_actuals
    from jixiao.evaluations.scoring_bridge import parse_data, score_data
    from jixiao.reviews.services import missing_required_parts, required_part_message

    data = evaluation.data
    pk = evaluation.pk
    urls: dict[str, str] = {}

    def link(text: str, section: str, name: str) -> None:
        base = reverse("evaluations:edit", args=[pk, section])
        urls.setdefault(text, base + (f"#f-{name}" if name else ""))

    try:
        parse_data(data)
    except InputError as exc:
        for problem in exc.problems:
            if not problem.field:
                continue
            from jixiao.evaluations.sections import parse_field_path

            place = html_field(parse_field_path(problem.field))
            if place is not None:
                text = f"{describe_field(problem.field, data)}：{problem.message}"
                link(text, *place)

    scored = score_data(data, history=previous_actuals(evaluation))
    result = scored.result
    if result is not None:
        budget_fields = {
            FlagCode.EXECUTION_LOW: "budget-execution_explanation",
            FlagCode.ADJUSTMENT_HIGH: "budget-change_reason",
        }
        for flag in result.flags:
            if flag.missing_explanation and flag.code in budget_fields:
                link(flag.message, "budget", budget_fields[flag.code])
        target_rows = [str(t.get("code")) for t in data.get("targets") or []]
        leaf_rows = [leaf.indicator.code for leaf in fixed_leaves(scored.ruleset)]
        for indicator in result.indicators:
            if indicator.unit_defined and indicator.code in target_rows:
                section, row = "targets", f"targets-{target_rows.index(indicator.code)}"
            elif not indicator.unit_defined and indicator.code in leaf_rows:
                section, row = "assessments", f"assessments-{leaf_rows.index(indicator.code)}"
            else:
                continue
            for flag in indicator.flags:
                if flag.missing_explanation:
                    link(f"{indicator.name}：{flag.message}", section, f"{row}-explanation")
                if flag.code is FlagCode.NOT_SCORED:
                    first = "actual" if section == "targets" else "band"
                    for text in result.problems:
                        if f"「{indicator.name}」" in text:
                            link(text, section, f"{row}-{first}")
    for key in missing_required_parts(data):
        if key in REQUIRED_PART_FIELDS:
            link(required_part_message(key), *REQUIRED_PART_FIELDS[key])
    return [LinkedProblem(text, urls.get(text, "")) for text in problems]
