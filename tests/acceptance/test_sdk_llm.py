"""The LLM engine end to end: a reams server whose workers point at an OpenAI-compatible
endpoint (a real HTTP server on loopback that computes its replies from the request), driven
through the official SDK. Covers the engine choice, token usage per item, retries on 429, and
the failure codes users see when the endpoint refuses or is down."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from llama_cloud import LlamaCloud
from test_sdk_analysis import INVOICE, RULES, SCHEMA
from test_sdk_batch import make_directory, wait_terminal

from llm_server import FakeLLM, Fault, fake_llm_server
from servers import RunningServer, start_server

API_KEY = "sk-reams-test"


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeLLM]:
    with fake_llm_server(api_key=API_KEY) as fake:
        yield fake


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory: pytest.TempPathFactory, llm: FakeLLM) -> Iterator[RunningServer]:
    env = {
        "REAMS_LLM_BASE_URL": llm.base_url,
        "REAMS_LLM_MODEL": "fake-model",
        "REAMS_LLM_API_KEY": API_KEY,
        "REAMS_LLM_MAX_RETRIES": "1",
        "REAMS_MAX_ATTEMPTS": "2",
        "REAMS_RETRY_BACKOFF_S": "0.2",
        "REAMS_WORKERS": "1",
    }
    running = start_server(tmp_path_factory.mktemp("reams-llm"), env=env)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(llm_server: RunningServer) -> Iterator[LlamaCloud]:
    sdk = LlamaCloud(api_key="t", base_url=llm_server.base_url, _strict_response_validation=True,
                     max_retries=0)  # fmt: skip
    yield sdk
    sdk.close()


@pytest.fixture(autouse=True)
def fresh(llm: FakeLLM) -> None:
    llm.reset()


def _one_item(client: LlamaCloud, name: str, config: dict[str, Any]) -> Any:
    directory_id = make_directory(client, {f"{name}.md": INVOICE}, name)
    job = client.beta.batch.create(job_config=config, directory_id=directory_id)  # type: ignore[arg-type]
    wait_terminal(client, job.id)
    (item,) = list(client.beta.batch.job_items.list(job.id))
    return item


def test_classify_uses_the_configured_llm(client: LlamaCloud, llm: FakeLLM) -> None:
    item = _one_item(client, "llm-classify", {"rules": RULES, "mode": "FAST"})
    assert item.status == "completed", item.error_message
    got = client.classify.get(item.job_id)
    assert got.result is not None and got.result.type == "invoice"
    extras = got.model_dump()
    assert extras["engine"] == {"name": "llm", "model": "fake-model"}
    assert extras["usage"]["total_tokens"] > 0 and extras["usage"]["requests"] == 1
    (request,) = llm.chat_requests
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.body["model"] == "fake-model"
    assert request.body["response_format"]["type"] == "json_schema"
    # Token usage is on the item's processing result too.
    (result,) = client.beta.batch.job_items.get_processing_results(item.item_id).processing_results
    assert result.output_metadata["usage"]["total_tokens"] > 0  # type: ignore[index]


def test_extract_with_the_llm_cites_checked_evidence(client: LlamaCloud, llm: FakeLLM) -> None:
    item = _one_item(client, "llm-extract", {"data_schema": SCHEMA})
    assert item.status == "completed", item.error_message
    got = client.extract.get(item.job_id, expand=["extract_metadata"])
    assert got.extract_result["invoice_number"] == "INV-2024-0042"  # type: ignore[index]
    evidence = got.extract_metadata.field_metadata.document_metadata  # type: ignore[union-attr]
    citation = evidence["invoice_number"]["citation"][0]  # type: ignore[index]
    assert citation["page"] == 1 and "INV-2024-0042" in citation["matching_text"]
    assert got.metadata.usage.model_dump()["total_tokens"] > 0  # type: ignore[union-attr]
    assert len(llm.chat_requests) == 1


def test_offline_engine_when_asked_never_calls_the_llm(client: LlamaCloud, llm: FakeLLM) -> None:
    item = _one_item(client, "llm-offline", {"rules": RULES, "engine": "offline"})
    assert item.status == "completed"
    assert client.classify.get(item.job_id).model_dump()["engine"] == {"name": "offline"}
    assert llm.chat_requests == []


def test_rate_limit_is_retried_within_the_item(client: LlamaCloud, llm: FakeLLM) -> None:
    llm.script(Fault.rate_limit(retry_after=0.2))
    item = _one_item(client, "llm-429", {"rules": RULES, "confidence_threshold": 0.1})
    assert item.status == "completed", item.error_message
    assert [r.fault is not None for r in llm.chat_requests] == [True, False]
    assert client.classify.get(item.job_id).model_dump()["usage"]["requests"] == 2


def test_refused_key_fails_the_item_without_retrying(client: LlamaCloud, llm: FakeLLM) -> None:
    llm.script(Fault.unauthorized())
    item = _one_item(client, "llm-401", {"rules": RULES, "confidence_threshold": 0.2})
    assert item.status == "failed"
    assert item.error_code == "llm_auth_failed"
    assert API_KEY not in (item.error_message or "")
    assert len(llm.chat_requests) == 1


def test_endpoint_down_is_retried_then_fails_with_a_clear_code(
    client: LlamaCloud, llm: FakeLLM
) -> None:
    llm.script(Fault.status(503, times=10))
    item = _one_item(client, "llm-503", {"rules": RULES, "confidence_threshold": 0.3})
    assert item.status == "failed"
    assert item.error_code == "llm_unavailable"
    assert "503" in (item.error_message or "")
    # 2 requests per attempt (1 in-item retry), 2 attempts (the item retried once, later).
    assert len(llm.chat_requests) == 4
