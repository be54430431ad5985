"""Staffing read by kind (issue 13): a street office (街道办事处) states its quota by type of post
(行政编制 + 事业编制 + 工勤) and a headcount that counts 编外 / 聘用 staff too; neither may be paired
into a false 实有人数超过编制数. Texts shaped like 霞山区 street offices' reports."""

from __future__ import annotations

import pytest

from jixiao.audit import audit_text

COVER = "评价单位（公章）：湛江市霞山区解放街道办事处\n\n"


def staff(text: str) -> dict[str, object]:
    extracted = audit_text(COVER + text).extracted
    return {k: extracted[k] for k in ("staffing_quota", "staff_actual", "temporary")}


def over_quota(text: str) -> bool:
    return any(f.code == "staff_over_quota" for f in audit_text(COVER + text).findings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the total counts 编外: the in-quota part is the headcount
        (
            "（二）人员编制情况。我街道办事处核定编制45名，其中行政编制28名、事业编制15名、"
            "工勤编制2名。实有人员68人，其中在编人员41人，编外聘用人员27人。",
            {"staffing_quota": 45, "staff_actual": 41, "temporary": 27},
        ),
        (
            "单位编制45人，实有人员68人（其中编制内41人，编外27人）。",
            {"staffing_quota": 45, "staff_actual": 41, "temporary": 27},
        ),
        # the in-quota part not stated: the total is no headcount
        (
            "核定编制45人，实有人员68人，其中行政人员26人、事业人员15人、聘用人员27人。",
            {"staffing_quota": 45, "staff_actual": None, "temporary": 27},
        ),
        (
            "街道办事处核定行政编制28名、事业编制15名、工勤人员编制2名，实有人员68人（含编外聘用27人）。",
            {"staffing_quota": None, "staff_actual": None, "temporary": 27},
        ),
        # the parts in a bracket: read as parts only when they add up to the total
        (
            "核定编制45名（行政编制28名、事业编制15名、工勤编制2名），实有在编人员41名，"
            "编外聘用人员27名。",
            {"staffing_quota": 45, "staff_actual": 41, "temporary": 27},
        ),
        (
            "核定编制45名（行政编制28名、事业编制15名），实有在编人员41名。",
            {"staffing_quota": None, "staff_actual": 41, "temporary": None},
        ),
        # quota and headcount by type: no one figure is the unit's
        (
            "行政编制28名，实有26名；事业编制15名，实有25名（含聘用10名）。",
            {"staffing_quota": None, "staff_actual": None, "temporary": 10},
        ),
        (
            "编制45人，在职人员68人（含编外聘用人员）。",
            {"staffing_quota": 45, "staff_actual": None, "temporary": None},
        ),
    ],
)
def test_street_office_staffing_gives_no_false_over_quota(
    text: str, expected: dict[str, object]
) -> None:
    assert staff(text) == expected
    assert not over_quota(text)


def test_a_quota_of_one_kind_is_not_compared_with_the_whole_headcount() -> None:
    text = "本街道核定行政编制28名，实有人员41人，其中行政人员26人，事业人员15人。"
    assert not over_quota(text)
    # one kind named and nothing of another kind: the comparison stands
    assert over_quota("本街道核定行政编制28名，实有人员31人。")


def test_a_real_over_quota_is_still_found() -> None:
    assert over_quota("核定编制45名，实有人员48人，其中在编人员48人。")
    text = "编制数45人，实有人数68人，其中：在编47人，编外聘用21人。"
    assert staff(text) == {"staffing_quota": 45, "staff_actual": 47, "temporary": 21}
    assert over_quota(text)
