"""v2 product jobs through the llama-cloud 2.13 SDK (strict validation): what 2.13 has of
`client.parsing` (create, parse, get, list, wait_for_completion), `client.classify` (create,
get, list, run, wait_for_completion) and `client.extract` (create, get, list, run,
wait_for_completion, delete, generate_schema). The 2.19-only methods (cancel, parse versions,
classify/parse delete) are covered by `tests/acceptance/sdk219`."""

from __future__ import annotations

import uuid

import pytest
from llama_cloud import BadRequestError, LlamaCloud, NotFoundError, UnprocessableEntityError
from test_sdk_analysis import INVOICE, RULES, SCHEMA
from test_sdk_batch import make_directory, wait_terminal


def _unique() -> bytes:
    return INVOICE + f"\nReference: {uuid.uuid4()}\n".encode()


def _file(sdk: LlamaCloud, name: str, purpose: str = "parse") -> str:
    return sdk.files.create(file=(name, _unique()), purpose=purpose).id  # type: ignore[arg-type]


def test_parse_upload_file_id_list_and_get(sdk: LlamaCloud) -> None:
    result = sdk.parsing.parse(
        tier="fast",
        version="latest",
        upload_file=("p213.md", _unique()),
        expand=["markdown", "text", "items", "metadata", "job_metadata"],
        polling_interval=0.1,
    )
    assert result.job.status == "COMPLETED" and result.job.name == "p213.md"
    assert result.markdown is not None and "INV-2024-0042" in result.markdown.pages[0].markdown  # type: ignore[union-attr]
    created = sdk.parsing.create(tier="fast", version="latest", file_id=_file(sdk, "f213.md"))
    done = sdk.parsing.wait_for_completion(created.id, polling_interval=0.1)
    assert done.status == "COMPLETED"
    ids = [created.id, result.job.id]
    assert [j.id for j in sdk.parsing.list(job_ids=ids, page_size=1)] == ids
    assert {j.id for j in sdk.parsing.list(job_ids=ids, status="COMPLETED")} == set(ids)
    content = sdk.parsing.get(
        created.id, expand=["xlsx_content_metadata", "images_content_metadata"]
    )
    assert content.result_content_metadata is not None
    assert content.result_content_metadata["xlsx"].exists is False


def test_classify_create_run_and_list(sdk: LlamaCloud) -> None:
    file_id = _file(sdk, "c213.md", "classify")
    ran = sdk.classify.run(file_input=file_id, configuration={"rules": RULES}, polling_interval=0.1)  # type: ignore[typeddict-item]
    assert ran.status == "COMPLETED" and ran.result is not None and ran.result.type == "invoice"
    created = sdk.classify.create(file_id=file_id, configuration={"rules": RULES})  # type: ignore[typeddict-item]
    assert sdk.classify.wait_for_completion(created.id, polling_interval=0.1).status == "COMPLETED"
    assert sdk.classify.get(created.id).file_input == file_id
    listed = [j.id for j in sdk.classify.list(job_ids=[ran.id, created.id], page_size=1)]
    assert listed == [created.id, ran.id]


def test_extract_create_run_list_delete(sdk: LlamaCloud) -> None:
    file_id = _file(sdk, "e213.md", "extract")
    ran = sdk.extract.run(
        file_input=file_id, configuration={"data_schema": SCHEMA}, polling_interval=0.1
    )
    assert ran.status == "COMPLETED"
    assert ran.extract_result["invoice_number"] == "INV-2024-0042"  # type: ignore[index]
    assert [j.id for j in sdk.extract.list(file_input=file_id)] == [ran.id]
    created = sdk.extract.create(file_input=file_id, configuration={"data_schema": SCHEMA})
    waited = sdk.extract.wait_for_completion(created.id, polling_interval=0.1)
    assert waited.status == "COMPLETED" and waited.extract_result == ran.extract_result
    sdk.extract.delete(created.id)
    sdk.extract.delete(ran.id)
    with pytest.raises(NotFoundError):
        sdk.extract.get(ran.id)
    assert list(sdk.extract.list(file_input=file_id)) == []


def test_extract_generate_schema(sdk: LlamaCloud) -> None:
    file_id = _file(sdk, "g213.md", "extract")
    generated = sdk.extract.generate_schema(file_id=file_id)
    properties = generated.parameters.data_schema["properties"]  # type: ignore[union-attr]
    assert "invoice_number" in properties  # type: ignore[operator]
    with pytest.raises(BadRequestError):
        sdk.extract.generate_schema(prompt="invoice fields")
    with pytest.raises(UnprocessableEntityError):
        sdk.extract.generate_schema(file_id=file_id, data_schema={"type": "object"})


def test_status_records_say_when_and_which_record(sdk: LlamaCloud) -> None:
    """`effective_at` and `job_record_id` of the v1 batch views (the status-record fields)."""
    directory_id = make_directory(sdk, {"rec.md": _unique()}, "status-records")
    job = sdk.beta.batch.create(job_config={}, directory_id=directory_id)  # type: ignore[arg-type]
    status = wait_terminal(sdk, job.id).job
    assert status.effective_at == status.completed_at and status.job_record_id is None
    (item,) = list(sdk.beta.batch.job_items.list(job.id))
    assert item.job_record_id == item.job_id and item.job_id is not None
    assert item.effective_at == item.completed_at
