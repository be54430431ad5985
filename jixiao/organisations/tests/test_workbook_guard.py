"""The one xlsx read guard in every reader of the project (#9.15): units (Django), rule-sets and
data tables (scoring) refuse the bombs before openpyxl opens the file. (The guard's own tests are
in scoring/tests/test_workbook_limits.py; this one imports Django, so it lives here.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scoring.loading import InputError
from scoring.tests.test_workbook_limits import (
    far_row_sheet,
    huge_dimension_sheet,
    shared_strings_bomb,
)


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if openpyxl is asked to open the workbook at all."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl parsed the workbook: the guard came too late")

    for module in (
        "scoring.ruleset_sheet",
        "scoring.evaluation_sheet",
        "jixiao.organisations.unit_import",
    ):
        monkeypatch.setattr(f"{module}.load_workbook", refuse)


@pytest.mark.parametrize("make", [shared_strings_bomb, huge_dimension_sheet, far_row_sheet])
def test_every_reader_refuses_before_openpyxl(make: Callable[[], bytes], no_openpyxl: None) -> None:
    from jixiao.organisations.unit_import import UnitImportFileError, check_unit_workbook
    from scoring.evaluation_sheet import read_evaluation_workbook
    from scoring.ruleset_sheet import import_sheet

    data = make()
    with pytest.raises(InputError) as caught:
        import_sheet(data, "规则.xlsx")
    assert caught.value.problems[0].message.startswith("Excel 文件过大或过于复杂，未读取")
    with pytest.raises(InputError) as caught:
        read_evaluation_workbook(data, "数据表.xlsx")
    assert caught.value.problems[0].message.startswith("Excel 文件过大或过于复杂，未读取")
    with pytest.raises(UnitImportFileError) as unit_caught:
        check_unit_workbook(data, departments={}, non_unit_codes=(), credit_code_by_name={})
    assert str(unit_caught.value).startswith("Excel 文件过大或过于复杂，未读取")
