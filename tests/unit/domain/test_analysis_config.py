"""Classify and extract job configs: normalised parameters, dedup hashes, and 422s."""

from __future__ import annotations

import pytest

from reams.domain.errors import InvalidField, InvalidRequest
from reams.domain.jobconfig import resolve
from reams.domain.states import JobType

RULES = [{"type": "invoice", "description": "a bill"}, {"type": "receipt", "description": "paid"}]


def test_classify_ignores_the_server_side_fields_the_sdk_sends() -> None:
    plain = resolve({"rules": RULES})
    sdk_shaped = resolve(
        {"rules": RULES, "id": "x", "project_id": "p", "user_id": "u", "status": "PENDING"}
    )
    assert plain.job_type is JobType.CLASSIFY
    assert plain.parameters == sdk_shaped.parameters
    assert plain.parameters_hash == sdk_shaped.parameters_hash
    assert plain.parameters["mode"] == "FAST" and plain.parameters["engine"] == "auto"


def test_classify_options_change_the_hash() -> None:
    base = resolve({"rules": RULES}).parameters_hash
    assert resolve({"rules": RULES[:1]}).parameters_hash != base
    assert resolve({"rules": RULES, "confidence_threshold": 0.7}).parameters_hash != base
    assert resolve({"rules": RULES, "engine": "offline"}).parameters_hash != base
    paged = resolve({"rules": RULES, "parsing_configuration": {"target_pages": [2, 0, 2]}})
    assert paged.parameters["parsing"] == {"target_pages": [0, 2]}
    assert paged.parameters_hash != base
    # The cache switch is not part of the output.
    forced = resolve({"rules": RULES, "invalidate_cache": True})
    assert forced.bypass_cache and forced.parameters_hash == base


def test_duplicate_rule_types_name_both_rules() -> None:
    with pytest.raises(InvalidRequest) as info:
        resolve({"rules": [*RULES, {"type": "Invoice", "description": "again"}]})
    assert isinstance(info.value, InvalidField)
    assert "rules[0]" in str(info.value) and "rules[2]" in str(info.value)


def test_extract_normalises_its_config() -> None:
    schema = {"type": "object", "properties": {"id": {"type": "string"}}}
    settings = resolve(
        {"data_schema": schema, "extract_config": {"target_pages": "1,3-4", "max_pages": 2}}
    )
    assert settings.job_type is JobType.EXTRACT
    assert settings.parameters["parsing"] == {"target_pages": "0,2-3", "max_pages": 2}
    assert settings.parameters["extraction_target"] == "per_doc"
    inside = resolve({"extract_config": {"data_schema": schema, "target_pages": "1,3-4",
                                         "max_pages": 2}})  # fmt: skip
    assert inside.parameters_hash == settings.parameters_hash


def test_schema_property_names_count_in_the_hash() -> None:
    """Properties called like server-side fields ("id", "status") are part of the output."""
    one = resolve({"data_schema": {"type": "object", "properties": {"id": {"type": "string"}}}})
    two = resolve({"data_schema": {"type": "object", "properties": {"status": {"type": "string"}}}})
    assert one.parameters_hash != two.parameters_hash


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ({"rules": []}, "must not be empty"),
        ({"rules": "invoice"}, "list"),
        ({"rules": [{"type": " ", "description": "x"}]}, "rules[0].type"),
        ({"rules": RULES, "parsing_configuration": {"target_pages": [-1]}}, "target_pages[0]"),
        ({"data_schema": {}, "extract_config": {"target_pages": "2-1"}}, "backwards"),
        ({"data_schema": {}, "extract_config": {"cite_sources": "yes"}}, "cite_sources"),
        ({"data_schema": {}, "extract_config": {"data_schema": {}}}, "once"),
        ({"data_schema": {}, "extract_config": {"tier": "gold"}}, "tier"),
    ],
)
def test_bad_analysis_configs_say_what_is_wrong(config: dict[str, object], words: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        resolve(config)
    assert isinstance(info.value, InvalidField)
    assert words in str(info.value)
