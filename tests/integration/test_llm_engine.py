"""The LLM engine against a real OpenAI-compatible HTTP server on 127.0.0.1 (tests/llm_server.py).

Round trips for classify and extract, the retry / error contract of ``chat_json`` and the
host-wide concurrency bound across worker processes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from llm_server import FakeLLM, Fault, fake_llm_server, fast_config
from reams import processors
from reams.domain.errors import ProcessorError
from reams.processors.llm import LlmConfig, chat_json, classify_llm, extract_llm

API_KEY = "sk-test-0123456789abcdef"
SCHEMA: dict[str, Any] = {"type": "object", "properties": {"answer": {"type": "string"}}}
MESSAGES = [{"role": "system", "content": "Answer."}, {"role": "user", "content": "Hi"}]

INVOICE_MD = b"""# Invoice

**Invoice number:** INV-2024-001
Date: 2024-03-01
Total: 1,250.50

## Customer

Name: ACME Corp
City: Berlin

| Description | Qty | Price |
|---|---|---|
| Widget | 2 | 10.00 |
| Gadget | 1 | 5.50 |

Please pay this invoice within 30 days; the invoice number is above.
"""

EXTRACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The invoice id"},
        "total": {"type": "number"},
        "customer": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "city": {"type": "string"}},
        },
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "qty": {"type": "integer"},
                    "price": {"type": "number"},
                },
            },
        },
        "po_number": {"type": "string"},
    },
    "required": ["invoice_number"],
}


def make_config(server: FakeLLM, tmp_path: Path, **changes: Any) -> LlmConfig:
    config: LlmConfig = fast_config(
        server, **{"api_key": API_KEY, "slots_dir": str(tmp_path / "slots"), **changes}
    )
    return config


def parsed(data: bytes, name: str = "doc.md") -> dict[str, Any]:
    return processors.run("parse", data, name, {})


# -- classify ----------------------------------------------------------------------------------

RULES = [
    ("invoice", "A bill asking for payment"),
    ("receipt", "Proof that a payment was made"),
]


def test_classify_round_trip(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    result, usage = classify_llm(parsed(INVOICE_MD), RULES, threshold=0.5, config=config)
    assert result["type"] == "invoice"
    assert 0.5 <= result["confidence"] <= 1
    assert "invoice" in result["reasoning"]
    assert usage.requests == 1 and usage.total_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    (request,) = llm.chat_requests
    body = request.body
    assert body["model"] == "fake-model" and body["temperature"] == 0
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["type"]["enum"] == ["invoice", "receipt", None]
    assert "A bill asking for payment" in body["messages"][0]["content"]
    assert '<page number="1">' in body["messages"][1]["content"]
    assert request.headers["authorization"] == f"Bearer {API_KEY}"


def test_classify_below_threshold_or_no_match_is_none(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    result, _ = classify_llm(parsed(INVOICE_MD), RULES, threshold=0.999, config=config)
    assert result["type"] is None and result["confidence"] > 0
    doc = parsed(b"Minutes of the board meeting.")
    result, _ = classify_llm(doc, RULES, threshold=0.1, config=config)
    assert result["type"] is None


def test_classify_corrects_an_invalid_reply_once(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    llm.script(Fault.reply({"type": "memo", "confidence": 0.9, "reasoning": "?"}))
    result, usage = classify_llm(parsed(INVOICE_MD), RULES, threshold=0.5, config=config)
    assert result["type"] == "invoice"
    assert usage.requests == 2
    second = llm.chat_requests[1].body["messages"]
    assert second[-1]["role"] == "user" and "'memo' is not one of" in second[-1]["content"]


def test_classify_gives_up_after_two_invalid_replies(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    llm.script(Fault.reply({"type": "invoice", "confidence": 7, "reasoning": ""}, times=2))
    with pytest.raises(ProcessorError) as caught:
        classify_llm(parsed(INVOICE_MD), RULES, threshold=0.5, config=config)
    assert caught.value.code == "llm_bad_output" and caught.value.retryable
    assert "confidence" in caught.value.message


def test_classify_accepts_a_type_in_another_case(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    llm.script(Fault.reply({"type": "Receipt", "confidence": 0.8, "reasoning": "paid"}))
    result, _ = classify_llm(parsed(INVOICE_MD), RULES, threshold=0.5, config=config)
    assert result == {"type": "receipt", "confidence": 0.8, "reasoning": "paid"}


# -- extract -----------------------------------------------------------------------------------


def test_extract_round_trip_with_nested_object_and_array(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    result, metadata, usage = extract_llm(
        parsed(INVOICE_MD), EXTRACT_SCHEMA, system_prompt="Amounts in EUR.", config=config
    )
    assert result == {
        "invoice_number": "INV-2024-001",
        "total": 1250.5,
        "customer": {"name": "ACME Corp", "city": "Berlin"},
        "items": [
            {"description": "Widget", "qty": 2, "price": 10},
            {"description": "Gadget", "qty": 1, "price": 5.5},
        ],
        "po_number": None,
    }
    meta = metadata["document_metadata"]
    assert meta["invoice_number"]["citation"] == [
        {"page": 1, "matching_text": "**Invoice number:** INV-2024-001"}
    ]
    assert meta["invoice_number"]["confidence"] >= 0.9
    assert meta["customer"]["city"]["citation"][0]["matching_text"] == "City: Berlin"
    assert meta["items"][1]["price"]["citation"][0]["page"] == 1
    assert "po_number" not in meta
    assert usage.requests == 1 and usage.total_tokens > 0
    body = llm.chat_requests[0].body
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is False
    data_schema = fmt["json_schema"]["schema"]["properties"]["data"]
    assert data_schema["properties"]["invoice_number"]["type"] == ["string", "null"]
    assert "Amounts in EUR." in body["messages"][0]["content"]


def test_extract_lowers_confidence_of_unverifiable_quotes(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    reply = {
        "data": {"invoice_number": "INV-2024-001", "total": 99, "customer": {"city": "Berlin"}},
        "evidence": [
            {"field": "invoice_number", "page": 1, "quote": "Invoice number: INV-2024-001"},
            {"field": "total", "page": 1, "quote": "Grand total: 99 EUR"},
            {"field": "customer.city", "page": 7, "quote": "city:   BERLIN"},
        ],
    }
    llm.script(Fault.reply(reply))
    result, metadata, _ = extract_llm(
        parsed(INVOICE_MD), EXTRACT_SCHEMA, system_prompt=None, config=config
    )
    assert result["total"] == 99
    meta = metadata["document_metadata"]
    assert meta["invoice_number"]["citation"][0]["page"] == 1
    assert meta["total"]["citation"] == [] and meta["total"]["confidence"] < 0.5
    assert meta["customer"]["city"]["citation"] == [{"page": 1, "matching_text": "city: BERLIN"}]
    assert meta["customer"]["city"]["confidence"] < meta["invoice_number"]["confidence"]


def two_page_doc() -> dict[str, Any]:
    page = {"success": True}
    return {
        "document": {"page_count": 2},
        "pages": [
            {**page, "page_number": 1, "markdown": "Name: Alice\nCity: Paris", "text": ""},
            {**page, "page_number": 2, "markdown": "Name: Bob\nCity: Rome", "text": ""},
        ],
    }


def test_extract_per_page(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    schema = {"type": "object", "properties": {"name": {"type": "string"}}}
    result, metadata, usage = extract_llm(
        two_page_doc(), schema, target="per_page", system_prompt=None, config=config
    )
    assert result == [{"name": "Alice"}, {"name": "Bob"}]
    assert metadata["page_metadata"][1]["name"]["citation"] == [
        {"page": 2, "matching_text": "Name: Bob"}
    ]
    assert usage.requests == 2


def test_extract_per_table_row(llm: FakeLLM, tmp_path: Path) -> None:
    config = make_config(llm, tmp_path)
    row = EXTRACT_SCHEMA["properties"]["items"]["items"]
    rows, metadata, _ = extract_llm(
        parsed(INVOICE_MD), row, target="per_table_row", system_prompt=None, config=config
    )
    assert [r["description"] for r in rows] == ["Widget", "Gadget"]
    assert metadata["row_metadata"][1]["qty"]["citation"][0]["matching_text"].startswith("| Gad")


def test_json_schema_rejected_falls_back_to_json_object(tmp_path: Path) -> None:
    with fake_llm_server(reject_json_schema=True) as llm:
        config = make_config(llm, tmp_path)
        result, _, usage = extract_llm(
            parsed(INVOICE_MD), EXTRACT_SCHEMA, system_prompt=None, config=config
        )
        assert result["invoice_number"] == "INV-2024-001"
        first, second = llm.chat_requests
        assert first.body["response_format"]["type"] == "json_schema"
        assert second.body["response_format"] == {"type": "json_object"}
        assert "```json" in second.body["messages"][0]["content"]
        assert usage.requests == 2


def test_rejected_temperature_is_dropped(llm: FakeLLM, tmp_path: Path) -> None:
    llm.script(Fault.status(400, message="Unsupported value: 'temperature' does not support 0"))
    reply, usage = chat_json(make_config(llm, tmp_path), MESSAGES, SCHEMA, "t")
    assert reply == {"answer": None} and usage.requests == 2
    first, second = llm.chat_requests
    assert first.body["temperature"] == 0 and "temperature" not in second.body
    assert second.body["response_format"]["type"] == "json_schema"


def test_a_400_in_json_object_mode_is_rejected(tmp_path: Path) -> None:
    with fake_llm_server(reject_json_schema=True) as llm:
        llm.script(Fault.status(400), Fault.status(400, message="context length exceeded"))
        with pytest.raises(ProcessorError) as caught:
            chat_json(make_config(llm, tmp_path), MESSAGES, SCHEMA, "t")
        assert caught.value.code == "llm_request_rejected" and not caught.value.retryable
        assert "context length exceeded" in caught.value.message
        assert len(llm.chat_requests) == 2


# -- concurrency across processes ----------------------------------------------------------------

WORKER = """
import json, sys, time
from reams.engine.llm_slots import hold_llm_slot
from reams.processors.llm import LlmConfig, chat_json
config = LlmConfig.from_dict(json.loads(sys.argv[1]))
start_at = float(sys.argv[2])
time.sleep(max(0.0, start_at - time.time()))
reply, usage = chat_json(
    config, [{"role": "user", "content": "hi"}], {"type": "object"}, "t", limiter=hold_llm_slot
)
print(json.dumps(usage.to_dict()))
"""


def test_concurrency_is_bounded_across_processes(tmp_path: Path) -> None:
    with fake_llm_server(delay_s=0.3) as llm:
        config = make_config(llm, tmp_path, max_concurrency=2)
        start_at = str(time.time() + 1.5)  # every process is up before the first request
        args = [sys.executable, "-c", WORKER, json.dumps(config.to_dict()), start_at]
        workers = [subprocess.Popen(args, stdout=subprocess.PIPE, text=True) for _ in range(8)]
        outputs = [w.communicate(timeout=30)[0] for w in workers]
        assert [w.returncode for w in workers] == [0] * 8
        assert all(json.loads(out)["requests"] == 1 for out in outputs)
        assert len(llm.chat_requests) == 8
        assert llm.max_in_flight == 2
