"""chat_json against the fake OpenAI-compatible server (real HTTP on 127.0.0.1): retries with
backoff on 429 / 5xx / timeouts, the error codes, re-asking on malformed JSON, secrets kept out.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from llm_server import FakeLLM, Fault, fake_llm_server, fast_config
from reams.domain.errors import ProcessorError
from reams.engine.llm_slots import hold_llm_slot, hold_slot
from reams.processors.llm import LlmConfig, chat_json
from reams.processors.llm.config import safe_url

API_KEY = "sk-test-0123456789abcdef"
SCHEMA: dict[str, Any] = {"type": "object", "properties": {"answer": {"type": "string"}}}
MESSAGES = [{"role": "system", "content": "Answer."}, {"role": "user", "content": "Hi"}]


def make_config(server: FakeLLM, tmp_path: Path, **changes: Any) -> LlmConfig:
    config: LlmConfig = fast_config(
        server, **{"api_key": API_KEY, "slots_dir": str(tmp_path / "slots"), **changes}
    )
    return config


def test_request_shape(llm: FakeLLM, tmp_path: Path) -> None:
    reply, usage = chat_json(make_config(llm, tmp_path), MESSAGES, SCHEMA, "answer")
    assert reply == {"answer": None}
    assert usage.requests == 1 and usage.total_tokens > 0
    (request,) = llm.chat_requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.body == {
        "model": "fake-model",
        "temperature": 0,
        "messages": MESSAGES,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "answer", "schema": SCHEMA, "strict": False},
        },
    }


def test_429_with_retry_after_then_success(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path, max_backoff_s=5)
    llm.script(Fault.rate_limit(retry_after=1))
    started = time.monotonic()
    reply, usage = chat_json(config, MESSAGES, SCHEMA, "t")
    assert time.monotonic() - started >= 1.0  # Retry-After honoured
    assert reply == {"answer": None}
    assert usage.requests == 2 and usage.total_tokens > 0
    assert len(llm.chat_requests) == 2


def test_retry_after_is_capped(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path, max_backoff_s=0.1)
    llm.script(Fault.rate_limit(retry_after=60))
    started = time.monotonic()
    chat_json(config, MESSAGES, SCHEMA, "t")
    assert time.monotonic() - started < 2


def test_503_until_retries_run_out_is_retryable(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path, max_retries=2)
    llm.script(Fault.status(503, times=3))
    with pytest.raises(ProcessorError) as caught:
        chat_json(config, MESSAGES, SCHEMA, "t")
    error = caught.value
    assert error.code == "llm_unavailable" and error.retryable
    assert safe_url(config.chat_url) in error.message and "HTTP 503" in error.message
    assert "3 times" in error.message
    assert len(llm.chat_requests) == 3


def test_rate_limited_until_retries_run_out(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path, max_retries=1)
    llm.script(Fault.rate_limit(retry_after=0, times=2))
    with pytest.raises(ProcessorError) as caught:
        chat_json(config, MESSAGES, SCHEMA, "t")
    assert caught.value.code == "llm_rate_limited" and caught.value.retryable
    assert "HTTP 429" in caught.value.message


def test_500_then_success(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    llm.script(Fault.status(500), Fault.status(502))
    reply, usage = chat_json(config, MESSAGES, SCHEMA, "t")
    assert reply == {"answer": None} and usage.requests == 3


def test_401_is_not_retried_and_the_key_stays_secret(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    llm.script(Fault.status(401, message=f"Incorrect API key provided: {API_KEY}"))
    with pytest.raises(ProcessorError) as caught:
        chat_json(config, MESSAGES, SCHEMA, "t")
    error = caught.value
    assert error.code == "llm_auth_failed" and not error.retryable
    assert API_KEY not in str(error) and API_KEY not in error.message
    assert "Incorrect API key provided" in error.message
    assert len(llm.chat_requests) == 1


def test_wrong_key_against_a_server_that_checks_it(tmp_path: Path) -> None:
    with fake_llm_server(api_key="sk-right") as llm:
        config = make_config(llm, tmp_path, api_key="sk-wrong")
        with pytest.raises(ProcessorError) as caught:
            chat_json(config, MESSAGES, SCHEMA, "t")
        assert caught.value.code == "llm_auth_failed"
        assert "sk-wrong" not in str(caught.value)
        reply, _ = chat_json(make_config(llm, tmp_path, api_key="sk-right"), MESSAGES, SCHEMA, "t")
        assert reply == {"answer": None}


def test_no_authorization_header_without_a_key(llm: FakeLLM, tmp_path: Path) -> None:
    chat_json(make_config(llm, tmp_path, api_key=None), MESSAGES, SCHEMA, "t")
    assert "authorization" not in llm.chat_requests[0].headers


def test_other_4xx_is_rejected_with_the_server_message(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    llm.script(Fault.status(404, message="The model `fake-model` does not exist"))
    with pytest.raises(ProcessorError) as caught:
        chat_json(config, MESSAGES, SCHEMA, "t")
    assert caught.value.code == "llm_request_rejected" and not caught.value.retryable
    assert "does not exist" in caught.value.message and "HTTP 404" in caught.value.message


def test_malformed_json_is_asked_again(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    llm.script(Fault.malformed())
    reply, usage = chat_json(config, MESSAGES, SCHEMA, "t")
    assert reply == {"answer": None}
    assert usage.requests == 2
    first, second = llm.chat_requests
    assert len(second.body["messages"]) == len(first.body["messages"]) + 2
    assert second.body["messages"][-2]["role"] == "assistant"
    # usage of both replies is summed: the second prompt is longer than the first
    assert usage.prompt_tokens > 2 * (len("Answer.Hi") // 4 + 1)


def test_malformed_json_twice_is_bad_output(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    llm.script(Fault.malformed(times=2))
    with pytest.raises(ProcessorError) as caught:
        chat_json(config, MESSAGES, SCHEMA, "t")
    assert caught.value.code == "llm_bad_output" and caught.value.retryable


def test_fenced_json_is_accepted(llm: FakeLLM, tmp_path: Path) -> None:
    llm.script(Fault.reply('```json\n{"answer": "yes"}\n```'))
    reply, usage = chat_json(make_config(llm, tmp_path), MESSAGES, SCHEMA, "t")
    assert reply == {"answer": "yes"} and usage.requests == 1


def test_timeout_is_retried(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path, timeout_s=0.3)
    llm.script(Fault.hang(3))
    started = time.monotonic()
    reply, usage = chat_json(config, MESSAGES, SCHEMA, "t")
    assert reply == {"answer": None}
    assert usage.requests == 2
    assert time.monotonic() - started < 2.5


def test_timeouts_until_retries_run_out(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path, timeout_s=0.2, max_retries=1)
    llm.script(Fault.hang(3, times=2))
    with pytest.raises(ProcessorError) as caught:
        chat_json(config, MESSAGES, SCHEMA, "t")
    assert caught.value.code == "llm_unavailable" and caught.value.retryable
    assert "no reply within 0.2s" in caught.value.message


def test_connection_refused_is_unavailable(tmp_path: Path) -> None:
    with fake_llm_server() as llm:
        config = make_config(llm, tmp_path, max_retries=1)
    with pytest.raises(ProcessorError) as caught:  # the server is gone now
        chat_json(config, MESSAGES, SCHEMA, "t")
    assert caught.value.code == "llm_unavailable" and caught.value.retryable
    assert "connection error" in caught.value.message


def test_fake_server_lists_models_and_records_everything(llm: FakeLLM) -> None:
    models = httpx.get(f"{llm.base_url}/models").json()
    assert models["data"][0]["id"] == "fake-model"
    missing = httpx.post(f"{llm.base_url}/nope", json={})
    assert missing.status_code == 404
    assert [r.path for r in llm.requests] == ["/v1/models", "/v1/nope"]
    assert llm.chat_requests == []


def test_fake_server_responder_overrides_the_reply(tmp_path: Path) -> None:
    with fake_llm_server(responder=lambda body: {"answer": body["model"]}) as llm:
        reply, _ = chat_json(make_config(llm, tmp_path), MESSAGES, SCHEMA, "t")
    assert reply == {"answer": "fake-model"}


def test_waiting_for_a_slot_honours_the_timeout(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path, max_concurrency=1, timeout_s=0.2)
    slots = config.resolved_slots_dir()
    with hold_slot(slots, 1, timeout_s=1), pytest.raises(ProcessorError) as caught:
        chat_json(config, MESSAGES, SCHEMA, "t", limiter=hold_llm_slot)
    assert caught.value.code == "llm_unavailable" and caught.value.retryable
    assert "concurrency slot" in caught.value.message
    assert llm.chat_requests == []


def test_without_a_limiter_nothing_is_limited(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path, max_concurrency=1, timeout_s=0.2)
    with hold_slot(config.resolved_slots_dir(), 1, timeout_s=1):
        reply, usage = chat_json(config, MESSAGES, SCHEMA, "t")
    assert reply == {"answer": None} and usage.requests == 1


def test_an_unusable_slots_dir_is_a_configuration_error(llm: FakeLLM, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    config = make_config(llm, tmp_path, slots_dir=str(tmp_path / "file" / "slots"))
    with pytest.raises(ProcessorError) as caught:
        chat_json(config, MESSAGES, SCHEMA, "t", limiter=hold_llm_slot)
    assert caught.value.code == "llm_misconfigured" and not caught.value.retryable
