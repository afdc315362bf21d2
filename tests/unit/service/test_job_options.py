"""Checking job options at creation: parse values of the wrong type are refused (API 422, CLI
usage error) while unknown parse keys stay accepted (LlamaParse compatibility); the CLI's
strict key check names the nearest known key."""

from __future__ import annotations

import pytest

from reams.domain.errors import InvalidField
from reams.service.job_options import check_option_keys, option_keys
from reams.service.jobs import check_config


def _parse(**parameters: object) -> dict[str, object]:
    return {"job_name": "parse_raw_file_job", "parameters": {"type": "parse", **parameters}}


@pytest.mark.parametrize(
    ("parameters", "key"),
    [
        ({"max_pages": "abc"}, "max_pages"),
        ({"max_pages": -1}, "max_pages"),
        ({"target_pages": "1-"}, "target_pages"),
        ({"page_error_tolerance": 2}, "page_error_tolerance"),
        ({"replace_failed_page_mode": "skip"}, "replace_failed_page_mode"),
        ({"ocr_engine": "paper"}, "ocr_engine"),
        ({"disable_ocr": "maybe"}, "disable_ocr"),
        ({"invalidate_cache": "abc"}, "invalidate_cache"),
        ({"do_not_cache": 3}, "do_not_cache"),
    ],
)
def test_bad_parse_values_are_refused_at_creation(parameters: dict[str, object], key: str) -> None:
    with pytest.raises(InvalidField) as caught:
        check_config(_parse(**parameters))
    assert key in str(caught.value)


def test_good_and_unknown_parse_keys_pass() -> None:
    settings = check_config(_parse(max_pages=2, target_pages="0-3", premium_mode=True))
    assert settings.parameters["max_pages"] == 2
    check_config({})  # the SDK's own tests send an empty config


@pytest.mark.parametrize(
    ("job", "key", "nearest"),
    [
        ("parse", "max_page", "max_pages"),
        ("parse", "targetpages", "target_pages"),
        ("classify", "engin", "engine"),
        ("extract", "extraction_targte", "extraction_target"),
    ],
)
def test_an_unknown_key_names_the_nearest_known_one(job: str, key: str, nearest: str) -> None:
    with pytest.raises(InvalidField) as caught:
        check_option_keys(job, [key])
    assert f"did you mean {nearest!r}" in str(caught.value)


def test_a_key_like_no_other_lists_the_known_ones() -> None:
    with pytest.raises(InvalidField) as caught:
        check_option_keys("classify", ["zzz"])
    assert "known: confidence_threshold" in str(caught.value)


def test_known_keys_pass_and_files_are_not_options() -> None:
    check_option_keys("parse", ["max_pages", "invalidate_cache", "ocr_engine"])
    assert "rules" not in option_keys("classify")
    assert "data_schema" not in option_keys("extract")
    assert "type" not in option_keys("parse")
