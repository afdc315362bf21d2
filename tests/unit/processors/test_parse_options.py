"""ParseOptions: honoured keys, ignored keys, engine keys, bad values, page selection."""

from __future__ import annotations

import pytest

from reams.domain.errors import ProcessorError
from reams.processors.parse import ParseOptions


def test_defaults_when_no_parameters() -> None:
    options = ParseOptions.from_parameters({})
    assert options.page_separator == "\n\n---\n\n"
    assert options.replace_failed_page_mode == "error_message"
    assert options.target_pages is None
    assert options.ignored_options == ()


def test_set_cloud_only_options_are_listed_sorted_and_unset_ones_are_not() -> None:
    options = ParseOptions.from_parameters(
        {
            "premium_mode": True,
            "parsing_instruction": "Summarise tables",
            "auto_mode": True,
            "fast_mode": False,
            "gpt4o_mode": None,
            "system_prompt": "",
            "images_to_save": [],
            "some_future_key": {"a": 1},
        }
    )
    assert options.ignored_options == (
        "auto_mode",
        "parsing_instruction",
        "premium_mode",
        "some_future_key",
    )


def test_engine_level_keys_are_neither_honoured_nor_listed() -> None:
    options = ParseOptions.from_parameters(
        {
            "type": "parse",
            "lang": "fr",
            "languages": ["fr", "de"],
            "job_timeout_in_seconds": 120.0,
            "job_timeout_extra_time_per_page_in_seconds": 2.0,
            "invalidate_cache": True,
            "do_not_cache": True,
            "webhook_url": "https://example.com/hook",
            "webhook_configurations": [{"webhook_url": "https://example.com"}],
            "custom_metadata": {"team": "finance"},
            "resource_info": {"k": "v"},
        }
    )
    assert options.ignored_options == ()


def test_honoured_keys_use_wire_names() -> None:
    options = ParseOptions.from_parameters(
        {
            "output_tables_as_HTML": True,
            "page_prefix": "<page {pageNumber}>",
            "max_pages": 3,
            "replace_failed_page_mode": "blank_page",
            "html_remove_navigation_elements": True,
            "disable_ocr": True,
        }
    )
    assert options.output_tables_as_html is True
    assert options.page_prefix == "<page {pageNumber}>"
    assert options.max_pages == 3
    assert options.replace_failed_page_mode == "blank_page"
    assert options.html_remove_navigation_elements is True
    assert options.ignored_options == ()


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("0,2-4", [0, 2, 3, 4]),
        (" 5 , 1 ", [1, 5]),
        ("3-3", [3]),
        ([4, 0], [0, 4]),
    ],
)
def test_target_pages_select_zero_indexed_pages(spec: object, expected: list[int]) -> None:
    options = ParseOptions.from_parameters({"target_pages": spec})
    assert options.select_pages(10) == expected


@pytest.mark.parametrize("spec", ["abc", "1-", "4-2", "1,,2", "-1", [1, "2"], 7])
def test_bad_target_pages_raise_invalid_parameters(spec: object) -> None:
    with pytest.raises(ProcessorError) as caught:
        ParseOptions.from_parameters({"target_pages": spec})
    assert caught.value.code == "invalid_parameters"
    assert "target_pages" in caught.value.message


@pytest.mark.parametrize(
    "parameters",
    [
        {"max_pages": -1},
        {"max_pages": "many"},
        {"replace_failed_page_mode": "skip"},
        {"page_error_tolerance": 1.5},
        {"page_separator": 3},
    ],
)
def test_bad_values_for_honoured_keys_raise_invalid_parameters(
    parameters: dict[str, object],
) -> None:
    with pytest.raises(ProcessorError) as caught:
        ParseOptions.from_parameters(parameters)
    assert caught.value.code == "invalid_parameters"


def test_max_pages_limits_after_target_pages_and_zero_means_no_limit() -> None:
    limited = ParseOptions.from_parameters({"target_pages": "1-8", "max_pages": 2})
    assert limited.select_pages(10) == [1, 2]
    assert ParseOptions.from_parameters({"max_pages": 0}).select_pages(4) == [0, 1, 2, 3]


def test_target_pages_beyond_the_document_select_nothing_and_raise() -> None:
    options = ParseOptions.from_parameters({"target_pages": "7,9"})
    with pytest.raises(ProcessorError) as caught:
        options.select_pages(3)
    assert caught.value.code == "invalid_parameters"
    assert options.out_of_range_targets(3)


def test_python_spelling_of_the_html_tables_option_is_honoured_too() -> None:
    options = ParseOptions.from_parameters({"output_tables_as_html": True})
    assert options.output_tables_as_html is True
    assert options.ignored_options == ()


def test_options_are_frozen() -> None:
    options = ParseOptions.from_parameters({})
    with pytest.raises(ValueError):
        options.page_prefix = "x"  # type: ignore[misc]
