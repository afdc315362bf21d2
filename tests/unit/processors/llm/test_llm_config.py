"""LlmConfig: JSON round trip across the process boundary, validation, secrets kept out."""

from __future__ import annotations

import json
import tempfile

import pytest

from reams.processors.llm.config import LlmConfig, safe_url
from reams.processors.llm.usage import Usage


def test_round_trips_through_json() -> None:
    config = LlmConfig(
        base_url="http://127.0.0.1:9/v1",
        model="m",
        api_key="sk-1",
        max_concurrency=3,
        timeout_s=5.0,
        max_retries=2,
        slots_dir="/tmp/x",
    )
    again = LlmConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config


def test_from_dict_ignores_unknown_keys_and_defaults_missing_ones() -> None:
    config = LlmConfig.from_dict({"base_url": "https://api.example/v1", "model": "m", "x": 1})
    assert config.max_concurrency == 4
    assert config.timeout_s == 120.0
    assert config.max_retries == 4
    assert config.api_key is None


def test_repr_hides_the_key() -> None:
    config = LlmConfig(
        base_url="https://user:pw@api.example/v1?k=secret", model="m", api_key="sk-9"
    )
    text = repr(config)
    assert "sk-9" not in text
    assert "pw" not in text
    assert "secret" not in text


@pytest.mark.parametrize(
    "changes",
    [
        {"base_url": "ftp://x"},
        {"model": ""},
        {"max_concurrency": 0},
        {"timeout_s": 0},
        {"max_retries": -1},
    ],
)
def test_rejects_nonsense(changes: dict[str, object]) -> None:
    base: dict[str, object] = {"base_url": "http://127.0.0.1/v1", "model": "m"}
    with pytest.raises(ValueError):
        LlmConfig.from_dict({**base, **changes})


def test_chat_url_and_default_slots_dir() -> None:
    a = LlmConfig(base_url="http://127.0.0.1:8080/v1/", model="m")
    b = LlmConfig(base_url="http://127.0.0.1:8081/v1", model="m")
    assert a.chat_url == "http://127.0.0.1:8080/v1/chat/completions"
    assert a.resolved_slots_dir().startswith(tempfile.gettempdir())
    assert a.resolved_slots_dir() != b.resolved_slots_dir()
    assert LlmConfig(base_url=a.base_url, model="m", slots_dir="/s").resolved_slots_dir() == "/s"


def test_settings_hand_the_workers_a_typed_config() -> None:
    from reams.settings import Settings

    assert Settings(llm_base_url=None, llm_model=None).llm_config() is None
    settings = Settings(
        llm_base_url="http://127.0.0.1:1/v1", llm_model="m", llm_api_key="sekrit-123"
    )
    config = settings.llm_config()
    assert isinstance(config, LlmConfig)
    assert (config.base_url, config.model, config.api_key) == (
        "http://127.0.0.1:1/v1",
        "m",
        "sekrit-123",
    )
    assert "sekrit-123" not in repr(config)


def test_safe_url_drops_credentials_and_query() -> None:
    assert safe_url("https://u:p@h.example:8443/v1?key=1#f") == "https://h.example:8443/v1"


def test_usage_adds_up_and_tolerates_junk() -> None:
    usage = Usage()
    usage.add_reply({"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15})
    usage.add_reply({"prompt_tokens": 3, "completion_tokens": 2})  # no total: computed
    usage.add_reply(None)
    usage.add_reply({"prompt_tokens": "x", "completion_tokens": True})
    usage.add(Usage(requests=2))
    assert usage.to_dict() == {
        "prompt_tokens": 13,
        "completion_tokens": 7,
        "total_tokens": 20,
        "requests": 2,
        "failed_requests": 0,
    }
    assert Usage.from_dict(usage.to_dict()) == usage
