"""Token usage counts every attempt, the failed ones too (fake OpenAI-compatible server).

The fake server answers each completion with its own ``usage``; the item's usage must equal the
sum over every request it answered: replies that were not JSON and were asked again, replies
that did not fit the schema and were corrected, HTTP errors whose body reports usage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from llm_server import FakeLLM, Fault, fast_config
from reams.domain.errors import ProcessorError
from reams.processors.llm import LlmConfig, Usage, chat_json, classify_llm, extract_llm

SCHEMA: dict[str, Any] = {"type": "object", "properties": {"name": {"type": "string"}}}
DOC: dict[str, Any] = {
    "pages": [{"page_number": 1, "markdown": "Name: Alice\nCity: Paris", "text": ""}]
}
ERROR_USAGE = {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}


def config_for(llm: FakeLLM, tmp_path: Path) -> LlmConfig:
    config: LlmConfig = fast_config(llm, slots_dir=str(tmp_path / "slots"))
    return config


def answered(llm: FakeLLM) -> dict[str, int]:
    """The server's usage summed over every chat request it answered."""
    total = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    for request in llm.chat_requests:
        for key in total:
            total[key] += (request.reply_usage or {}).get(key, 0)
    return total


def tokens(usage: Usage) -> dict[str, int]:
    return {k: v for k, v in usage.to_dict().items() if k.endswith("_tokens")}


def test_a_reply_that_is_not_json_counts(llm: FakeLLM, tmp_path: Path) -> None:
    llm.script(Fault.malformed())
    result, _, usage = extract_llm(
        DOC, SCHEMA, system_prompt=None, config=config_for(llm, tmp_path)
    )
    assert result == {"name": "Alice"}
    assert usage.requests == 2 and usage.failed_requests == 1
    first = llm.chat_requests[0].reply_usage
    assert first is not None and first["total_tokens"] > 0
    assert tokens(usage) == answered(llm)


def test_a_reply_outside_the_schema_that_is_corrected_counts(llm: FakeLLM, tmp_path: Path) -> None:
    llm.script(Fault.reply({"data": "Alice", "evidence": []}))
    result, _, usage = extract_llm(
        DOC, SCHEMA, system_prompt=None, config=config_for(llm, tmp_path)
    )
    assert result == {"name": "Alice"}
    assert usage.requests == 2 and usage.failed_requests == 1
    assert tokens(usage) == answered(llm)
    assert "`data` must be an object" in llm.chat_requests[1].body["messages"][-1]["content"]


def test_an_http_error_with_usage_counts(llm: FakeLLM, tmp_path: Path) -> None:
    llm.script(Fault.status(500, usage=ERROR_USAGE))
    result, _, usage = extract_llm(
        DOC, SCHEMA, system_prompt=None, config=config_for(llm, tmp_path)
    )
    assert result == {"name": "Alice"}
    assert usage.requests == 2 and usage.failed_requests == 1
    success = llm.chat_requests[1].reply_usage
    assert success is not None
    assert usage.total_tokens == ERROR_USAGE["total_tokens"] + success["total_tokens"]
    assert usage.prompt_tokens == ERROR_USAGE["prompt_tokens"] + success["prompt_tokens"]


def test_a_rejected_json_schema_with_usage_counts(llm: FakeLLM, tmp_path: Path) -> None:
    llm.script(Fault.status(400, message="json_schema is not supported", usage=ERROR_USAGE))
    reply, usage = chat_json(
        config_for(llm, tmp_path), [{"role": "user", "content": "hi"}], SCHEMA, "t"
    )
    assert reply == {"name": None}
    assert usage.requests == 2 and usage.failed_requests == 1
    assert usage.total_tokens > ERROR_USAGE["total_tokens"]


def test_a_classification_that_is_corrected_counts(llm: FakeLLM, tmp_path: Path) -> None:
    llm.script(Fault.reply({"type": "memo", "confidence": 0.9, "reasoning": "?"}))
    doc = {"pages": [{"page_number": 1, "markdown": "Invoice for services", "text": ""}]}
    rules = [("invoice", "A bill"), ("receipt", "A proof of payment")]
    result, usage = classify_llm(doc, rules, threshold=0.5, config=config_for(llm, tmp_path))
    assert result["type"] == "invoice"
    assert usage.requests == 2 and usage.failed_requests == 1
    assert tokens(usage) == answered(llm)


def test_chat_json_adds_into_the_callers_usage_even_when_it_fails(
    llm: FakeLLM, tmp_path: Path
) -> None:
    usage = Usage(prompt_tokens=5, total_tokens=5, requests=1)
    llm.script(Fault.malformed(times=2))
    with pytest.raises(ProcessorError) as caught:
        chat_json(
            config_for(llm, tmp_path), [{"role": "user", "content": "hi"}], SCHEMA, "t", usage=usage
        )
    assert caught.value.code == "llm_bad_output"
    assert usage.requests == 3 and usage.failed_requests == 2
    assert usage.total_tokens == 5 + answered(llm)["total_tokens"]


def test_an_item_that_fails_says_what_it_used(llm: FakeLLM, tmp_path: Path) -> None:
    llm.script(Fault.reply({"data": 7, "evidence": []}, times=2))
    with pytest.raises(ProcessorError) as caught:
        extract_llm(DOC, SCHEMA, system_prompt=None, config=config_for(llm, tmp_path))
    error = caught.value
    assert error.code == "llm_bad_output" and error.retryable
    total = answered(llm)["total_tokens"]
    assert f"This item used {total:,} tokens in 2 requests." in error.message
