"""`extract.generate_schema` with an LLM configured: the model's proposal (from the prompt and the
sample document it was shown) comes back as the configuration's schema, and a proposal the
extractor cannot use is a 422 that says so. A real reams server and a real HTTP LLM endpoint."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from llama_cloud import LlamaCloud, UnprocessableEntityError
from test_sdk_analysis import INVOICE

from llm_server import FakeLLM, fake_llm_server
from servers import RunningServer, start_server

PROPOSED = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The invoice number"},
        "total_due": {"type": "number", "description": "Amount to pay"},
    },
}
replies: list[Any] = []


def _responder(body: dict[str, Any]) -> str:
    return json.dumps(replies.pop(0))


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeLLM]:
    with fake_llm_server(responder=_responder) as fake:
        yield fake


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, llm: FakeLLM) -> Iterator[LlamaCloud]:
    env = {"REAMS_LLM_BASE_URL": llm.base_url, "REAMS_LLM_MODEL": "fake-model"}
    running: RunningServer = start_server(tmp_path_factory.mktemp("reams-schema-llm"), env=env)
    sdk = LlamaCloud(api_key="t", base_url=running.base_url, _strict_response_validation=True,
                     max_retries=0)  # fmt: skip
    yield sdk
    sdk.close()
    running.stop()


def test_the_model_proposes_the_schema(client: LlamaCloud, llm: FakeLLM) -> None:
    llm.reset()
    replies[:] = [{"data_schema": PROPOSED}]
    file_id = client.files.create(file=("inv.md", INVOICE), purpose="extract").id  # type: ignore[arg-type]
    generated = client.extract.generate_schema(prompt="invoice number and total", file_id=file_id)
    assert generated.parameters.data_schema == PROPOSED  # type: ignore[union-attr]
    (request,) = llm.chat_requests
    asked = request.body["messages"][-1]["content"]
    assert "invoice number and total" in asked and "INV-2024-0042" in asked


def test_an_unusable_proposal_is_a_422(client: LlamaCloud) -> None:
    replies[:] = [{"data_schema": {"type": "object", "properties": {}}}]
    with pytest.raises(UnprocessableEntityError) as caught:
        client.extract.generate_schema(prompt="anything")
    assert "llm_bad_output" in str(caught.value.body)
