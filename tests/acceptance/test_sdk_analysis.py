"""Classify and extract batch jobs through the official SDK (strict validation), offline engines.

A directory of real documents goes through a classify job (the v1 ``ClassifyJob`` shape, with
the server-side fields the SDK's typing forces on callers) and an extract job (reams's
``data_schema`` + ``extract_config`` variant); results are read back through
``client.classify.get``, ``client.classifier.jobs`` (v1) and ``client.extract.get``.
"""

from __future__ import annotations

import time
from typing import Any

import jsonschema
import pytest
from llama_cloud import LlamaCloud, NotFoundError, UnprocessableEntityError
from test_sdk_batch import make_directory, wait_terminal

# client.classifier.jobs (v1) is deprecated in the SDK in favour of client.classify; reams serves
# both, and these tests call the v1 one on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Please use:DeprecationWarning")

INVOICE = b"""ACME Supplies Ltd.

INVOICE

Invoice Number: INV-2024-0042
Invoice Date: March 3, 2024
Bill to: Northwind Traders

| Description | Quantity | Amount |
| --- | --- | --- |
| Paper, A4 (box) | 10 | 120.00 |
| Toner cartridge | 2 | 180.50 |

Subtotal: $300.50
Total due: $300.50
Payment terms: 30 days. Please pay the amount due by bank transfer.
"""

CONTRACT = b"""DISTRIBUTION AGREEMENT

This Distribution Agreement is made and entered into as of January 5, 2021, by and between
Alpha Corp., a Delaware corporation ("Supplier"), and Beta LLC ("Distributor").

1. Appointment. Supplier appoints Distributor as its exclusive distributor of the Products in
the Territory, and Distributor accepts the appointment.

2. Term. This Agreement commences on the Effective Date and continues for three years.

3. Governing Law. This Agreement shall be governed by and construed in accordance with the
laws of the State of New York.

IN WITNESS WHEREOF, the parties have executed this Agreement as of the date first written above.
"""

RESUME = b"""Jane Doe - Curriculum Vitae

Experience
- 2019-2024: Senior data engineer at Contoso; built ingestion pipelines.
- 2015-2019: Software developer at Fabrikam.

Education
- MSc Computer Science, University of Somewhere, 2015

Skills: Python, SQL, distributed systems. References available on request.
"""

RULES = [
    {
        "type": "invoice",
        "description": "A bill from a seller listing items, amounts and a total due",
    },
    {"type": "contract", "description": "A legal agreement between parties with terms and clauses"},
    {"type": "resume", "description": "A CV listing a person's work experience, education, skills"},
]

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The invoice's number"},
        "invoice_date": {"type": "string", "format": "date", "description": "Date of issue"},
        "total": {"type": "number", "description": "Total amount due"},
        "line_items": {
            "type": "array",
            "description": "The billed lines",
            "items": {
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "amount": {"type": "number"},
                },
            },
        },
    },
    "required": ["invoice_number", "total"],
}


@pytest.fixture(scope="module")
def directory_id(sdk: LlamaCloud) -> str:
    docs = {"invoice.md": INVOICE, "agreement.txt": CONTRACT, "cv.md": RESUME}
    return make_directory(sdk, docs, "analysis")


def _items_by_name(sdk: LlamaCloud, job_id: str) -> dict[str, Any]:
    return {item.item_name: item for item in sdk.beta.batch.job_items.list(job_id)}


def test_classify_batch_end_to_end(sdk: LlamaCloud, directory_id: str) -> None:
    # The SDK's ClassifyJob typing makes callers send id / project_id / user_id / status.
    config = {"id": "x", "project_id": "p", "user_id": "u", "status": "PENDING", "rules": RULES,
              "mode": "FAST", "parsing_configuration": {"lang": "en", "max_pages": 5}}  # fmt: skip
    job = sdk.beta.batch.create(job_config=config, directory_id=directory_id)  # type: ignore[arg-type]
    assert job.job_type == "classify"
    final = wait_terminal(sdk, job.id)
    assert final.job.status == "completed"
    assert final.job.processed_items == 3

    items = _items_by_name(sdk, job.id)
    expected = {"invoice.md": "invoice", "agreement.txt": "contract", "cv.md": "resume"}
    for name, wanted in expected.items():
        assert items[name].status == "completed"
        result_id = items[name].job_id
        assert result_id and result_id.startswith("cjb-")
        got = sdk.classify.get(result_id)
        assert got.status == "COMPLETED"
        assert got.result is not None
        assert got.result.type == wanted, (name, got.result)
        assert 0.0 <= got.result.confidence <= 1.0
        assert got.result.reasoning
        assert [r.type for r in got.configuration.rules] == [r["type"] for r in RULES]
        assert got.file_input.startswith("fil-")  # the uploaded file behind the item

    # The same job seen as a v1 classifier job.
    v1 = sdk.classifier.jobs.get(job.id)
    assert v1.status == "SUCCESS"
    assert [r.type for r in v1.rules] == [r["type"] for r in RULES]
    results = sdk.classifier.jobs.get_results(job.id)
    assert results.total_size == 3
    assert sorted(i.result.type for i in results.items if i.result) == sorted(expected.values())
    assert {i.classify_job_id for i in results.items} == {job.id}


def test_extract_batch_end_to_end(sdk: LlamaCloud, directory_id: str) -> None:
    config = {"data_schema": SCHEMA, "extract_config": {"extraction_target": "per_doc"}}
    job = sdk.beta.batch.create(job_config=config, directory_id=directory_id)  # type: ignore[arg-type]
    assert job.job_type == "extract"
    final = wait_terminal(sdk, job.id)
    assert final.job.status == "completed"

    items = _items_by_name(sdk, job.id)
    result_id = items["invoice.md"].job_id
    assert result_id and result_id.startswith("ejb-")
    got = sdk.extract.get(result_id, expand=["extract_metadata"])
    assert got.status == "COMPLETED"
    data = got.extract_result
    assert isinstance(data, dict)
    assert data["invoice_number"] == "INV-2024-0042"
    assert data["total"] == pytest.approx(300.50)
    assert data.get("invoice_date") == "2024-03-03"
    evidence = got.extract_metadata.field_metadata.document_metadata  # type: ignore[union-attr]
    assert evidence is not None
    citation = evidence["invoice_number"]["citation"][0]  # type: ignore[index]
    assert citation["page"] == 1 and "INV-2024-0042" in citation["matching_text"]

    # Every document's result validates against the schema (not-found fields are null).
    nullable = {**SCHEMA, "properties": {
        k: {"anyOf": [v, {"type": "null"}]} for k, v in SCHEMA["properties"].items()}}  # fmt: skip
    for item in items.values():
        assert item.status == "completed"
        result = sdk.extract.get(item.job_id).extract_result  # type: ignore[arg-type]
        jsonschema.validate(result, nullable)
    # Without expand, the evidence is not sent (LlamaCloud's default).
    assert sdk.extract.get(result_id).extract_metadata is None


def test_results_are_typed_by_job_kind(sdk: LlamaCloud, directory_id: str) -> None:
    job = sdk.beta.batch.create(
        job_config={"rules": RULES[:2]},
        directory_id=directory_id,  # type: ignore[arg-type]
    )
    wait_terminal(sdk, job.id)
    result_id = next(iter(_items_by_name(sdk, job.id).values())).job_id
    assert result_id
    with pytest.raises(NotFoundError):
        sdk.extract.get(result_id)
    with pytest.raises(NotFoundError):
        sdk.parsing.get(result_id)
    with pytest.raises(NotFoundError):
        sdk.classifier.jobs.get("bjb-does-not-exist")


def test_schema_validation_endpoint(sdk: LlamaCloud) -> None:
    ok = sdk.extract.validate_schema(data_schema=SCHEMA)
    assert ok.data_schema["properties"]["total"] == {
        "type": "number",
        "description": "Total amount due",
    }
    with pytest.raises(UnprocessableEntityError) as caught:
        sdk.extract.validate_schema(
            data_schema={"type": "object", "properties": {"a": {"type": "text"}}}
        )
    assert "a" in str(caught.value.body["detail"])  # type: ignore[index]


def _upload(sdk: LlamaCloud, name: str, data: bytes) -> str:
    directory = sdk.beta.directories.create(name=f"v2-{name}")
    return sdk.beta.directories.files.upload(directory.id, upload_file=(name, data)).id


def _poll(get: Any, job_id: str) -> Any:
    deadline = time.monotonic() + 60
    while True:
        job = get(job_id)
        if job.status in ("COMPLETED", "FAILED"):
            return job
        assert job.status in ("PENDING", "RUNNING")
        assert time.monotonic() < deadline, f"{job_id} still {job.status}"
        time.sleep(0.1)


def test_v2_classify_one_document(sdk: LlamaCloud) -> None:
    file_input = _upload(sdk, "invoice.md", INVOICE)
    created = sdk.classify.create(
        file_input=file_input,
        configuration={"rules": RULES, "parsing_configuration": {"target_pages": "1"}},  # type: ignore[typeddict-item]
    )
    assert created.file_input == file_input and created.status in (
        "PENDING",
        "RUNNING",
        "COMPLETED",
    )
    done = _poll(sdk.classify.get, created.id)
    assert done.status == "COMPLETED"
    assert done.result is not None and done.result.type == "invoice"
    assert done.configuration.parsing_configuration.target_pages == "1"  # type: ignore[union-attr]
    # It is a batch job like any other.
    assert sdk.beta.batch.get_status(created.id).job.job_type == "classify"


def test_v2_extract_one_document(sdk: LlamaCloud) -> None:
    file_input = _upload(sdk, "invoice.md", INVOICE)
    created = sdk.extract.create(file_input=file_input, configuration={"data_schema": SCHEMA})
    done = _poll(sdk.extract.get, created.id)
    assert done.status == "COMPLETED"
    assert done.extract_result["invoice_number"] == "INV-2024-0042"  # type: ignore[index]
    with_evidence = sdk.extract.get(created.id, expand=["extract_metadata", "configuration"])
    assert with_evidence.extract_metadata is not None
    assert with_evidence.configuration is not None
    assert with_evidence.configuration.data_schema == SCHEMA


def test_v2_failed_document_says_why(sdk: LlamaCloud) -> None:
    file_input = _upload(sdk, "blank.txt", b"   \n")
    created = sdk.extract.create(file_input=file_input, configuration={"data_schema": SCHEMA})
    done = _poll(sdk.extract.get, created.id)
    assert done.status == "FAILED"
    assert done.error_message and done.error_message.startswith("empty_document")


def test_v2_bad_requests_are_422_or_404(sdk: LlamaCloud) -> None:
    file_input = _upload(sdk, "cv.md", RESUME)
    with pytest.raises(NotFoundError) as caught:
        sdk.classify.create(file_input="fil-123", configuration={"rules": RULES})  # type: ignore[typeddict-item]
    assert "fil-123" in str(caught.value.body)
    with pytest.raises(NotFoundError):
        sdk.classify.create(file_input=file_input, configuration_id="cfg-1")
    with pytest.raises(UnprocessableEntityError):
        sdk.classify.create(file_input=file_input)
    with pytest.raises(UnprocessableEntityError):
        sdk.classify.create(file_input=file_input, configuration={"rules": []})
    with pytest.raises(UnprocessableEntityError):
        sdk.extract.create(
            file_input=file_input,
            configuration={"data_schema": {"type": "object", "properties": {}}},
        )
    with pytest.raises(NotFoundError):
        sdk.extract.create(
            file_input="dfl-00000000-0000-0000-0000-000000000000",
            configuration={"data_schema": SCHEMA},
        )
