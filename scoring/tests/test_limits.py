"""Issue 9.6: the size limits of a self-evaluation live in the model, so the CLI, the API, the forms
and imports refuse the same oversized text and lists with the same Chinese message."""

from __future__ import annotations

import pytest

from scoring.evaluation import DOCUMENT_TEXT_MAX, ROWS_MAX, TEXT_MAX, SelfEvaluation
from scoring.loading import InputError, draft_blocking, parse_evaluation, validate_data
from scoring.tests.factories import SEED_PATH


def seed_dict() -> dict:
    import yaml

    return yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))


def problems(data: dict) -> list[tuple[str, str, str]]:
    with pytest.raises(InputError) as caught:
        validate_data(SelfEvaluation, data, "x")
    return [(p.field, p.message, p.code) for p in caught.value.problems]


def test_a_narrative_over_its_limit_is_refused_naming_the_field() -> None:
    data = seed_dict()
    data["other"] = "长" * (TEXT_MAX + 1)
    assert problems(data) == [("other", f"不得超过 {TEXT_MAX} 个字", "string_too_long")]


def test_a_target_name_over_its_limit_is_refused() -> None:
    data = seed_dict()
    data["targets"][0]["name"] = "名" * 201
    assert problems(data) == [("targets[1].name", "不得超过 200 个字", "string_too_long")]


def test_too_many_targets_are_refused() -> None:
    data = seed_dict()
    data["targets"] = [
        {"code": f"X{i}", "name": f"目标{i}", "unit": "人次"} for i in range(ROWS_MAX + 1)
    ]
    assert problems(data) == [
        ("targets", f"最多 {ROWS_MAX} 项（现有 {ROWS_MAX + 1} 项）", "too_long")
    ]


def test_the_whole_document_has_a_limit_checked_before_anything_else() -> None:
    data = seed_dict()
    # 1.6 million characters in small pieces, each under its own limit: the body of issue 9.6.
    data["analyses"] = [{"title": "分析", "text": "字" * TEXT_MAX} for _ in range(80)]
    [(field, message, code)] = problems(data)
    assert (field, code) == ("", "document_too_long")
    assert message.startswith("自评内容共 16") and message.endswith(
        f"超过上限 {DOCUMENT_TEXT_MAX} 字，请精简"
    )


def test_limits_block_even_a_draft_while_missing_parts_do_not() -> None:
    data = seed_dict()
    del data["budget"]
    data["other"] = "长" * (TEXT_MAX + 1)
    with pytest.raises(InputError) as caught:
        validate_data(SelfEvaluation, data, "x")
    assert [(p.field, p.code) for p in draft_blocking(caught.value.problems)] == [
        ("other", "string_too_long")
    ]


def test_the_yaml_path_refuses_it_too() -> None:
    text = SEED_PATH.read_text(encoding="utf-8") + f"\nother: {'长' * (TEXT_MAX + 1)}\n"
    with pytest.raises(InputError, match=f"other：不得超过 {TEXT_MAX} 个字"):
        parse_evaluation(text, "seed.yaml")


def test_the_seed_is_well_within_the_limits() -> None:
    parse_evaluation(SEED_PATH.read_text(encoding="utf-8"), "seed.yaml")
