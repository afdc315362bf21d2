"""Reading job configs: job type inference, validation and the dedup hash."""

from __future__ import annotations

import pytest

from reams.domain.errors import InvalidField, InvalidRequest
from reams.domain.hashing import parameters_hash
from reams.domain.jobconfig import infer_job_type, resolve
from reams.domain.states import JobType


def test_empty_config_is_a_default_parse_job() -> None:
    settings = resolve({})
    assert settings.job_type is JobType.PARSE
    assert settings.parameters == {}
    assert settings.parameters_hash == resolve({"parameters": {"type": "parse"}}).parameters_hash


def test_job_type_from_shape() -> None:
    assert infer_job_type({"rules": [{"type": "a", "description": "b"}]}) is JobType.CLASSIFY
    assert infer_job_type({"data_schema": {}}) is JobType.EXTRACT
    assert infer_job_type({"job_name": "parse_raw_file_job"}) is JobType.PARSE


@pytest.mark.parametrize(
    "config",
    [
        {"job_name": "something_else"},
        {"parameters": "not an object"},
        {"parameters": {"type": "extract"}},
        {"parameters": {"job_timeout_in_seconds": -1}},
        {"parameters": {"job_timeout_in_seconds": "soon"}},
        {"rules": []},
        {"rules": [{"type": "a", "description": "b"}, {"type": "A", "description": "c"}]},
        {"rules": [{"type": "a"}]},
        {"rules": [{"type": "a", "description": "b"}], "mode": "SLOW"},
        {"rules": [{"type": "a", "description": "b"}], "confidence_threshold": 2},
        {"rules": [{"type": "a", "description": "b"}], "temperature": 0},
        {"data_schema": "not a schema"},
        {"extract_config": {"extraction_target": "per_doc"}},
        {"data_schema": {}, "extract_config": {"extraction_target": "per_line"}},
        {"data_schema": {}, "extract_config": {"target_pages": "0-2"}},
    ],
)
def test_bad_configs_are_rejected_with_422(config: dict[str, object]) -> None:
    with pytest.raises(InvalidRequest) as info:
        resolve(config)
    assert isinstance(info.value, InvalidField)
    assert str(info.value)


def test_timeouts_and_cache_switches() -> None:
    settings = resolve(
        {
            "parameters": {
                "job_timeout_in_seconds": 5,
                "job_timeout_extra_time_per_page_in_seconds": 0.5,
                "invalidate_cache": True,
                "do_not_cache": True,
            }
        }
    )
    assert (settings.timeout_s, settings.timeout_per_page_s) == (5.0, 0.5)
    assert settings.bypass_cache and settings.do_not_cache


def test_hash_ignores_what_does_not_change_output() -> None:
    base = parameters_hash("parse", {"max_pages": 2})
    assert parameters_hash("parse", {"max_pages": 2, "webhook_url": "http://x"}) == base
    assert parameters_hash("parse", {"max_pages": 2, "invalidate_cache": True}) == base
    assert parameters_hash("parse", {"max_pages": 2, "page_prefix": None}) == base
    assert parameters_hash("parse", {"max_pages": 3}) != base
    assert parameters_hash("classify", {"max_pages": 2}) != base


def test_hash_is_independent_of_key_order() -> None:
    a = parameters_hash("parse", {"a": 1, "b": {"c": 2, "d": 3}})
    b = parameters_hash("parse", {"b": {"d": 3, "c": 2}, "a": 1})
    assert a == b


def test_settings_round_trip_and_refuse_an_unknown_version() -> None:
    from reams.domain.jobconfig import JobSettings

    settings = resolve({"parameters": {"type": "parse", "max_pages": 3}})
    assert JobSettings.from_json(settings.to_json()) == settings
    with pytest.raises(ValueError, match="version"):
        JobSettings.from_json({**settings.to_json(), "version": 99})
