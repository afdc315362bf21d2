"""v2 product configurations as reams job configs: what is mapped, what is reported ignored."""

from __future__ import annotations

import pytest

from reams.domain.errors import InvalidField
from reams.processors.parse import ParseOptions
from reams.service.jobs import check_config
from reams.service.product_config import (
    classify_job_config,
    extract_job_config,
    merged,
    parse_job_config,
)


def test_parse_options_with_an_offline_meaning_are_mapped() -> None:
    config = parse_job_config(
        {
            "product_type": "parse_v2",
            "tier": "agentic",
            "version": "latest",
            "page_ranges": {"max_pages": 3, "target_pages": "1,3-4"},
            "output_options": {
                "markdown": {"tables": {"output_tables_as_markdown": False}},
                "extract_printed_page_number": True,
            },
            "input_options": {"html": {"remove_navigation_elements": True}},
            "processing_control": {"timeouts": {"base_in_seconds": 60}},
            "disable_cache": True,
            "client_name": "my-app",
        },
        user_metadata={"team": "a"},
    )
    params = config["parameters"]
    assert params["max_pages"] == 3 and params["target_pages"] == [0, 2, 3]
    assert params["output_tables_as_HTML"] is True
    assert params["extract_printed_page_number"] is True
    assert params["html_remove_navigation_elements"] is True
    assert params["invalidate_cache"] is True and params["custom_metadata"] == {"team": "a"}
    assert "client_name" not in params and "product_type" not in params
    settings = check_config(config)
    assert settings.timeout_s == 60 and settings.bypass_cache
    options = ParseOptions.from_parameters(settings.parameters)
    assert options.max_pages == 3 and options.output_tables_as_html
    assert options.ignored_options == ("tier", "version")


def test_parse_options_without_one_are_reported_by_path() -> None:
    params = parse_job_config(
        {"tier": "fast", "output_options": {"markdown": {"annotate_links": True}}, "crop_box": {}}
    )["parameters"]
    ignored = ParseOptions.from_parameters(params).ignored_options
    assert ignored == ("output_options.markdown.annotate_links", "tier")


def test_parse_config_hashes_by_what_changes_the_output() -> None:
    plain = check_config(parse_job_config({"tier": "fast"}))
    tagged = check_config(parse_job_config({"tier": "fast"}, user_metadata={"k": "v"}))
    other = check_config(parse_job_config({"tier": "fast", "page_ranges": {"max_pages": 1}}))
    assert plain.parameters_hash == tagged.parameters_hash != other.parameters_hash


def test_classify_pages_become_zero_based() -> None:
    config = classify_job_config(
        {
            "product_type": "classify_v2",
            "rules": [{"type": "a", "description": "b"}],
            "parsing_configuration": {"target_pages": "2-3", "max_pages": 5},
        }
    )
    assert config == {
        "rules": [{"type": "a", "description": "b"}],
        "parsing_configuration": {"target_pages": [1, 2], "max_pages": 5},
    }
    check_config(config)


def test_extract_drops_what_has_no_offline_meaning() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    config = extract_job_config(
        {
            "product_type": "extract_v2",
            "data_schema": schema,
            "tier": "turbo",
            "advanced_citations": True,
            "disable_cache": True,
            "target_pages": "1",
        }
    )
    assert config == {
        "data_schema": schema,
        "extract_config": {"invalidate_cache": True, "target_pages": "1"},
    }
    assert check_config(config).bypass_cache
    with pytest.raises(InvalidField, match="data_schema"):
        extract_job_config({"tier": "agentic"})
    with pytest.raises(InvalidField, match="bogus"):  # unknown keys are named by the check
        check_config(extract_job_config({"data_schema": schema, "bogus": 1}))


def test_merged_overrides_group_by_group() -> None:
    saved = {"tier": "fast", "page_ranges": {"max_pages": 2, "target_pages": "1"}}
    assert merged(saved, {"page_ranges": {"max_pages": 5}, "version": None}) == {
        "tier": "fast",
        "page_ranges": {"max_pages": 5, "target_pages": "1"},
    }
