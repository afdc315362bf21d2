"""v2 classify and extract jobs through the llama-cloud 2.19 SDK (`client.classify`,
`client.extract`) against a real reams server, strict response validation on: create from a
file or a directory file, saved configurations, `run`, `wait_for_completion`, list with filters
and paging, cancel (a cancelled classify job presents as FAILED so the SDK's helper ends),
delete (extract's `force`) and schema generation offline."""

from __future__ import annotations

import uuid

import llama_cloud
import pytest
from llama_cloud import LlamaCloud, PollingError
from product_docs import RULES, SCHEMA, blocker, directory_file, unique, upload_file


def _detail(exc: llama_cloud.APIStatusError) -> str:
    body = exc.body
    return str(body.get("detail") if isinstance(body, dict) else body)


# -- classify ----------------------------------------------------------------------------------
def test_classify_a_file_and_a_directory_file(client: LlamaCloud) -> None:
    file_id = upload_file(client, "bill.md", unique(), purpose="classify")
    created = client.classify.create(file_input=file_id, configuration={"rules": RULES})  # type: ignore[typeddict-item]
    assert created.file_input == file_id and created.document_input_type == "file_id"
    done = client.classify.wait_for_completion(created.id, polling_interval=0.1)
    assert done.status == "COMPLETED" and done.result is not None
    assert done.result.type == "invoice"

    dfile = directory_file(client, "bill.md", unique())
    ran = client.classify.run(
        file_input=dfile, configuration={"rules": RULES}, polling_interval=0.1
    )  # type: ignore[typeddict-item]
    assert ran.status == "COMPLETED" and ran.file_input == dfile
    assert ran.result is not None and ran.result.type == "invoice"
    assert client.classify.get(ran.id, expand=["usage"]).id == ran.id


def test_classify_with_a_saved_configuration_and_webhooks(client: LlamaCloud) -> None:
    saved = client.configurations.create(
        name=f"classify-{uuid.uuid4().hex[:8]}",
        parameters={"product_type": "classify_v2", "rules": RULES},  # type: ignore[typeddict-item]
    )
    hook = client.webhook_configs.create(webhook_url="https://example.com/hook")
    file_id = upload_file(client, "cfg-bill.md", unique(), purpose="classify")
    created = client.classify.create(
        file_input=file_id, configuration_id=saved.id, webhook_configuration_ids=[hook.id]
    )
    job = client.classify.wait_for_completion(created.id, polling_interval=0.1)
    assert job.configuration_id == saved.id and job.result is not None
    assert [r.type for r in job.configuration.rules] == ["invoice", "contract"]
    listed = [j.id for j in client.classify.list(configuration_id=saved.id)]
    assert listed == [job.id]
    with pytest.raises(llama_cloud.NotFoundError):
        client.classify.create(
            file_input=file_id, configuration_id=saved.id, webhook_configuration_ids=["whc-nope"]
        )
    with pytest.raises(llama_cloud.UnprocessableEntityError):  # a parse configuration
        client.classify.create(file_input=file_id, configuration_id="cfg-PARSE_AGENTIC")


def test_classify_list_pages_and_status(client: LlamaCloud) -> None:
    ids = [
        client.classify.create(
            file_input=upload_file(client, f"p{i}.md", unique(), purpose="classify"),
            configuration={"rules": RULES},  # type: ignore[typeddict-item]
        ).id
        for i in range(3)
    ]
    for job_id in ids:
        client.classify.wait_for_completion(job_id, polling_interval=0.1)
    page = client.classify.list(job_ids=ids, page_size=2)
    assert len(page.items) == 2 and page.next_page_token
    assert [j.id for j in client.classify.list(job_ids=ids, page_size=2)] == ids[::-1]
    assert len(list(client.classify.list(job_ids=ids, status="COMPLETED"))) == 3
    assert list(client.classify.list(job_ids=ids, status="RUNNING")) == []


def test_cancelled_classify_job_ends_the_helper(client: LlamaCloud) -> None:
    big = blocker(client)
    file_id = upload_file(client, "late.md", unique(), purpose="classify")
    waiting = client.classify.create(file_input=file_id, configuration={"rules": RULES})  # type: ignore[typeddict-item]
    with pytest.raises(llama_cloud.ConflictError):
        client.classify.delete(waiting.id)  # not finished: cancel first
    cancelled = client.classify.cancel(waiting.id)
    assert cancelled.status == "FAILED"
    assert (cancelled.error_message or "").startswith("cancelled")
    with pytest.raises(PollingError):
        client.classify.wait_for_completion(waiting.id, polling_interval=0.1, timeout=10)
    deleted = client.classify.delete(waiting.id)
    assert deleted.id == waiting.id
    with pytest.raises(llama_cloud.NotFoundError):
        client.classify.get(waiting.id)
    client.parsing.wait_for_completion(big, polling_interval=0.2)


# -- extract -----------------------------------------------------------------------------------
def test_extract_a_file_and_a_directory_file(client: LlamaCloud) -> None:
    file_id = upload_file(client, "inv.md", unique(), purpose="extract")
    job = client.extract.run(
        file_input=file_id, configuration={"data_schema": SCHEMA}, polling_interval=0.1
    )
    assert job.status == "COMPLETED" and job.file_input == file_id
    assert job.extract_result["invoice_number"] == "INV-2024-0042"  # type: ignore[index]
    full = client.extract.get(job.id, expand=["configuration", "extract_metadata", "usage"])
    assert full.configuration is not None and full.configuration.data_schema == SCHEMA
    assert full.extract_metadata is not None and full.usage is not None

    dfile = directory_file(client, "inv.md", unique())
    created = client.extract.create(file_input=dfile, configuration={"data_schema": SCHEMA})
    done = client.extract.wait_for_completion(created.id, polling_interval=0.1)
    assert done.status == "COMPLETED" and done.file_input == dfile
    listed = [j.id for j in client.extract.list(file_input=dfile)]
    assert listed == [created.id]
    assert [j.id for j in client.extract.list(document_input_value=file_id)] == [job.id]
    assert list(client.extract.list(document_input_type="url", job_ids=[job.id])) == []
    page = client.extract.list(job_ids=[job.id, created.id], page_size=1, expand=["configuration"])
    assert len(page.items) == 1 and page.next_page_token and page.items[0].configuration


def test_extract_with_a_saved_configuration(client: LlamaCloud) -> None:
    saved = client.configurations.create(
        name=f"extract-{uuid.uuid4().hex[:8]}",
        parameters={
            "product_type": "extract_v2",
            "data_schema": SCHEMA,
            "tier": "turbo",
            "advanced_citations": True,
        },
    )
    job = client.extract.run(
        file_input=upload_file(client, "s.md", unique(), purpose="extract"),
        configuration_id=saved.id,
        polling_interval=0.1,
    )
    assert job.configuration_id == saved.id
    assert job.extract_result["total"] == 300.5  # type: ignore[index]
    assert [j.id for j in client.extract.list(configuration_id=saved.id)] == [job.id]


def test_extract_cancel_and_forced_delete(client: LlamaCloud) -> None:
    big = blocker(client)
    file_id = upload_file(client, "late.md", unique(), purpose="extract")
    first = client.extract.create(file_input=file_id, configuration={"data_schema": SCHEMA})
    second = client.extract.create(file_input=file_id, configuration={"data_schema": SCHEMA})
    cancelled = client.extract.cancel(first.id)
    assert cancelled.status == "CANCELLED"
    with pytest.raises(PollingError):
        client.extract.wait_for_completion(first.id, polling_interval=0.1)
    with pytest.raises(llama_cloud.ConflictError):
        client.extract.delete(second.id)  # still waiting
    client.extract.delete(second.id, force=True)
    with pytest.raises(llama_cloud.NotFoundError):
        client.extract.get(second.id)
    client.extract.delete(first.id)
    assert list(client.extract.list(job_ids=[first.id, second.id])) == []
    client.parsing.wait_for_completion(big, polling_interval=0.2)


def test_generate_schema_from_a_sample_file(client: LlamaCloud) -> None:
    file_id = upload_file(client, "sample-invoice.md", unique(), purpose="extract")
    generated = client.extract.generate_schema(file_id=file_id)
    assert generated.name == "sample-invoice-schema"
    schema = generated.parameters.data_schema  # type: ignore[union-attr]
    properties = schema["properties"]
    assert {"invoice_number", "invoice_date", "total_due"} <= set(properties)  # type: ignore[operator]
    assert properties["total_due"]["type"] == "number"  # type: ignore[index]
    assert properties["invoice_date"]["format"] == "date"  # type: ignore[index]
    assert properties["items"]["type"] == "array"  # type: ignore[index]
    # The proposal is a schema the extractor takes, and it finds the sample's values.
    job = client.extract.run(
        file_input=file_id, configuration={"data_schema": schema}, polling_interval=0.1
    )
    assert job.extract_result["invoice_number"] == "INV-2024-0042"  # type: ignore[index]
    extended = client.extract.generate_schema(file_id=file_id, data_schema=SCHEMA, name="mine")
    assert extended.name == "mine"
    kept = extended.parameters.data_schema["properties"]  # type: ignore[union-attr]
    assert kept["total"] == SCHEMA["properties"]["total"] and "invoice_date" in kept  # type: ignore[index,operator]


def test_generate_schema_without_an_llm_needs_a_file(client: LlamaCloud) -> None:
    with pytest.raises(llama_cloud.BadRequestError) as caught:
        client.extract.generate_schema(prompt="the invoice number and the total")
    assert "REAMS_LLM_BASE_URL" in _detail(caught.value)
    only_schema = client.extract.generate_schema(data_schema=SCHEMA)
    assert only_schema.parameters.data_schema == SCHEMA  # type: ignore[union-attr]
    with pytest.raises(llama_cloud.UnprocessableEntityError):
        client.extract.generate_schema()


def test_validate_schema(client: LlamaCloud) -> None:
    assert client.extract.validate_schema(data_schema=SCHEMA).data_schema == SCHEMA
    with pytest.raises(llama_cloud.UnprocessableEntityError) as caught:
        client.extract.validate_schema(data_schema={"type": "object", "properties": {}})
    assert "at least one property" in _detail(caught.value)
