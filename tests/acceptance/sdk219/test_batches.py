"""v2 batches (`client.batches`) through the llama-cloud 2.19 SDK against a real reams server,
with strict response validation: create over a directory with a preset or a saved
configuration, poll, read each file's product job, list with filters and pages, cancel."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import llama_cloud
import pytest
from llama_cloud import LlamaCloud

PRESET = "cfg-PARSE_AGENTIC"
TERMINAL = ("COMPLETED", "FAILED", "CANCELLED")
SCHEMA = {
    "type": "object",
    "properties": {
        "invoice_number": {"type": "string", "description": "The invoice number"},
        "total": {"type": "number", "description": "Total amount due"},
    },
}


def _directory(client: LlamaCloud, files: dict[str, bytes]) -> tuple[str, dict[str, str]]:
    directory = client.beta.directories.create(name=f"batch-{uuid.uuid4().hex[:8]}")
    ids = {}
    for name, data in files.items():
        uploaded = client.beta.directories.files.upload(directory.id, upload_file=(name, data))
        ids[name] = uploaded.id
    return directory.id, ids


def _wait(client: LlamaCloud, batch_id: str, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = client.batches.get(batch_id)
        if batch.status in TERMINAL:
            return batch
        time.sleep(0.2)
    raise AssertionError(f"batch {batch_id} did not finish in {timeout} s")


def _texts(n: int, tag: str) -> dict[str, bytes]:
    text = "# Note {tag} {i}\n\nInvoice number INV-{i:04d}\n\nTotal: {i}.50\n"
    return {f"note-{tag}-{i}.md": text.format(tag=tag, i=i).encode() for i in range(n)}


def test_parse_batch_with_the_preset_runs_every_file(client: LlamaCloud) -> None:
    files = _texts(3, uuid.uuid4().hex[:6]) | {"broken.pdf": b"%PDF-1.7\nnot really a pdf"}
    directory_id, ids = _directory(client, files)
    created = client.batches.create(
        source_directory_id=directory_id,
        config={"job": {"type": "parse_v2", "configuration_id": PRESET}},
    )
    assert created.status in ("PENDING", "RUNNING", "COMPLETED")
    assert created.config.job.configuration_id == PRESET
    assert created.source_directory_id == directory_id and created.results is None
    done = _wait(client, created.id)
    assert done.status == "COMPLETED"  # a broken file fails alone, not the batch
    assert done.results is None
    expanded = client.batches.get(created.id, expand=["results"])
    results = {r.source_directory_file_id: r for r in expanded.results or []}
    assert set(results) == set(ids.values())
    broken = results[ids["broken.pdf"]]
    assert broken.job_reference is None
    assert broken.error_message and broken.error_message.startswith("corrupt_document: ")
    for name, dfl in ids.items():
        if name == "broken.pdf":
            continue
        ref = results[dfl].job_reference
        assert ref is not None and ref.type == "parse_v2" and results[dfl].error_message is None
        parsed = client.parsing.get(ref.id, expand=["markdown_full"])
        assert "Invoice number" in (parsed.markdown_full or "")


def test_extract_batch_with_a_saved_configuration(client: LlamaCloud) -> None:
    config = client.configurations.create(
        name=f"invoices-{uuid.uuid4().hex[:6]}",
        parameters={"product_type": "extract_v2", "data_schema": SCHEMA},  # type: ignore[arg-type]
    )
    directory_id, ids = _directory(client, _texts(2, uuid.uuid4().hex[:6]))
    batch = client.batches.create(
        source_directory_id=directory_id,
        config={"job": {"type": "extract_v2", "configuration_id": config.id}},
    )
    assert _wait(client, batch.id).status == "COMPLETED"
    results = client.batches.get(batch.id, expand=["results"]).results or []
    assert len(results) == len(ids)
    for result in results:
        assert result.job_reference is not None and result.job_reference.type == "extract_v2"
        extracted = client.extract.get(result.job_reference.id)
        assert extracted.status == "COMPLETED"
        assert str(extracted.extract_result["invoice_number"]).startswith("INV-")  # type: ignore[index]


def test_bad_creates_say_what_is_wrong(client: LlamaCloud) -> None:
    directory_id, _ = _directory(client, _texts(1, "bad"))
    with pytest.raises(llama_cloud.NotFoundError):
        client.batches.create(
            source_directory_id=directory_id,
            config={"job": {"type": "parse_v2", "configuration_id": "cfg-nope"}},
        )
    with pytest.raises(llama_cloud.UnprocessableEntityError) as wrong_type:
        client.batches.create(
            source_directory_id=directory_id,
            config={"job": {"type": "extract_v2", "configuration_id": PRESET}},
        )
    assert "parse_v2" in str(wrong_type.value.body)
    with pytest.raises(llama_cloud.NotFoundError):
        client.batches.create(
            source_directory_id="dir-does-not-exist",
            config={"job": {"type": "parse_v2", "configuration_id": PRESET}},
        )
    with pytest.raises(llama_cloud.NotFoundError):
        client.batches.get("bjb-does-not-exist")


def test_list_filters_and_pages(client: LlamaCloud) -> None:
    directory_id, _ = _directory(client, _texts(1, uuid.uuid4().hex[:6]))
    made = [
        client.batches.create(
            source_directory_id=directory_id,
            config={"job": {"type": "parse_v2", "configuration_id": PRESET}},
        )
        for _ in range(3)
    ]
    for batch in made:
        _wait(client, batch.id)
    mine = {b.id for b in made}
    listed = list(client.batches.list(source_directory_id=directory_id, page_size=2))
    assert {b.id for b in listed} == mine  # three rows over two pages
    first_page = client.batches.list(source_directory_id=directory_id, page_size=2)
    assert len(first_page.items) == 2 and first_page.next_page_token
    completed = client.batches.list(source_directory_id=directory_id, status="COMPLETED")
    assert {b.id for b in completed} == mine
    assert list(client.batches.list(source_directory_id=directory_id, status="RUNNING")) == []
    later = client.batches.list(
        source_directory_id=directory_id, created_at_on_or_after=made[-1].created_at
    )
    assert made[-1].id in {b.id for b in later} and made[0].id not in {b.id for b in later}


def test_cancel_and_cancelling_a_finished_batch(client: LlamaCloud, reams_url: str) -> None:
    # More notes than the workers can hold in flight at once (fast items are claimed in
    # batches): the cancel always finds pending ones. With 40, both workers had claimed them
    # all by the time it came, and none ended cancelled.
    directory_id, _ = _directory(client, _texts(300, uuid.uuid4().hex[:6]))
    batch = client.batches.create(
        source_directory_id=directory_id,
        config={"job": {"type": "parse_v2", "configuration_id": PRESET}},
    )
    cancelled = client.batches.cancel(batch.id)
    if cancelled.status == "CANCELLED":
        final = _wait(client, batch.id)
        assert final.status == "CANCELLED"
        results = client.batches.get(batch.id, expand=["results"]).results or []
        assert any(r.error_message == "cancelled" for r in results)
    # The same job through the v1 view: one job, several views.
    v1 = httpx.get(f"{reams_url}/api/v1/beta/batch-processing/{batch.id}").json()
    assert v1["job"]["id"] == batch.id
    done = _wait(client, batch.id)
    if done.status == "COMPLETED":
        with pytest.raises(llama_cloud.ConflictError):
            client.batches.cancel(batch.id)
