"""What the auditor should say about each defect class, in its own finding codes.

``EXPECTED_CODES``: defect class → the codes of ``jixiao.audit`` findings any one of which counts as
catching it. ``EXTRACTED_FIELDS``: the manifest's fact names → the names ``AuditReport.extracted``
gives them. Kept apart from the generator so the auditor's vocabulary is written down once.
"""

from __future__ import annotations

from typing import Any

EXPECTED_CODES: dict[str, tuple[str, ...]] = {
    "wrong_percentage": ("percentage_mismatch", "percentage_impossible"),
    "grade_mismatch": ("grade_mismatch",),
    "parts_not_adding": ("parts_not_adding",),
    "wrong_execution_rate": ("execution_rate_mismatch",),
    "wrong_adjustment_rate": ("adjustment_rate_mismatch",),
    "staff_over_quota": ("staff_over_quota",),
    "filled_before_year_end": ("filled_before_year_end",),
    "notice_year_mismatch": ("notice_year_mismatch",),
    "missing_section": ("section_missing",),
    "rate_off_interval": ("percentage_impossible",),
    "budget_section_removed": ("budget_missing",),
    "section_out_of_order": ("section_out_of_order",),
    "over_completion": ("over_completion",),
    "under_completion": ("under_completion_unexplained",),
    "rate_target_after": ("percentage_mismatch", "percentage_impossible"),
    "as_of_previous_year": ("date_other_year",),
    "year_in_text_mismatch": ("year_mismatch",),
    "filled_on_blank": ("filled_on_blank",),
    "notice_title_other_cycle": ("notice_year_mismatch",),
    "numbering_skip": ("numbering_broken",),
    "numbering_repeat": ("numbering_broken",),
    "count_mismatch": ("count_mismatch",),
    "sum_mismatch": ("sum_mismatch",),
    "change_mismatch": ("change_mismatch",),
    "other_unit_name": ("other_unit_name",),
    "other_unit_type_wording": ("other_unit_type_wording",),
    "placeholder_text": ("placeholder_text",),
    "target_part_removed": ("section_missing",),
    "heading_repeated": ("heading_repeated",),
    # the published seed's own defects
    "execution_rate_unexplained": ("execution_100_unadjusted", "execution_rate_mismatch"),
    "over_completion_unexplained": ("over_completion",),
}

# Codes a planted defect brings with it besides the ones that catch it: removing section 二 leaves
# 一、三、四, a numbering skip the numbering check rightly reports. They count as explained (for
# precision and unexpected errors), never as catching the defect (recall).
ALSO_EXPLAINS: dict[str, tuple[str, ...]] = {
    "missing_section": ("numbering_broken",),
    "section_out_of_order": ("numbering_broken",),
}


def explained_codes(defects: tuple[str, ...] | list[str]) -> set[str]:
    """Every code the defects of a file explain."""
    return {c for d in defects for c in (*EXPECTED_CODES[d], *ALSO_EXPLAINS.get(d, ()))}


# manifest field → dotted path in AuditReport.extracted (first one present wins)
EXTRACTED_FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("unit_name",),
    "year": ("year",),
    "score": ("total_score",),
    "grade": ("grade",),
    "filled_on": ("filled_on",),
    "notice_year": ("notice.year",),
    "staffing_quota": ("staffing_quota",),
    "staff_actual": ("staff_actual",),
    "budget_initial": ("budget.initial",),
    "budget_full_year": ("budget.full_year",),
    "budget_executed": ("budget.executed",),
    "unit_type": ("unit_type",),
    "supervisor": ("supervisor",),
    "target_actuals": ("targets",),  # compared as the comma-joined actual values
}


def extracted_value(report: Any, name: str) -> Any:
    """The auditor's value for the manifest field ``name`` (None when it found none)."""
    extracted = report.extracted
    for attribute in EXTRACTED_FIELDS[name]:
        value = extracted
        for part in attribute.split("."):
            if value is None:
                break
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is not None:
            if name == "target_actuals" and isinstance(value, list):
                return ",".join(str(t["actual"]) for t in value)
            return value
    return None
