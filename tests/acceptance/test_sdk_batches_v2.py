"""v2 batches and saved configurations through the llama-cloud 2.13 SDK (strict response
validation): 2.13 has `client.batches` (create, get, list) and `client.configurations` beside
the v1 batch family, and a v2 batch is the same job the v1 API shows."""

from __future__ import annotations

import time
from typing import Any

import pytest
from llama_cloud import LlamaCloud, NotFoundError, UnprocessableEntityError

PRESET = "cfg-PARSE_AGENTIC"
SCHEMA = {"type": "object", "properties": {"invoice_number": {"type": "string"}}}


def _directory(sdk: LlamaCloud, n: int, tag: str) -> str:
    directory = sdk.beta.directories.create(name=f"v2-{tag}")
    for i in range(n):
        text = f"# {tag} {i}\n\nInvoice number INV-{i:04d}\n".encode()
        sdk.beta.directories.files.upload(directory.id, upload_file=(f"{tag}-{i}.md", text))
    return directory.id


def _wait(sdk: LlamaCloud, batch_id: str) -> Any:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        batch = sdk.batches.get(batch_id)
        if batch.status in ("COMPLETED", "FAILED", "CANCELLED"):
            return batch
        time.sleep(0.2)
    raise AssertionError(f"batch {batch_id} did not finish")


def test_batch_with_the_preset_is_also_a_v1_batch_job(sdk: LlamaCloud) -> None:
    directory_id = _directory(sdk, 3, "preset")
    batch = sdk.batches.create(
        source_directory_id=directory_id,
        config={"job": {"type": "parse_v2", "configuration_id": PRESET}},
    )
    done = _wait(sdk, batch.id)
    assert done.status == "COMPLETED" and done.config.job.type == "parse_v2"
    results = sdk.batches.get(batch.id, expand=["results"]).results or []
    assert len(results) == 3 and all(r.job_reference for r in results)
    status = sdk.beta.batch.get_status(batch.id)  # the same job, v1 view
    assert status.job.status == "completed" and status.progress_percentage == 100
    assert batch.id in {b.id for b in sdk.batches.list(source_directory_id=directory_id)}
    assert batch.id in {j.id for j in sdk.beta.batch.list(directory_id=directory_id)}


def test_saved_configuration_lifecycle_and_use(sdk: LlamaCloud) -> None:
    config = sdk.configurations.create(
        name="invoices-213",
        parameters={"product_type": "extract_v2", "data_schema": SCHEMA},  # type: ignore[arg-type]
    )
    assert sdk.configurations.retrieve(config.id).name == "invoices-213"
    assert config.id in {c.id for c in sdk.configurations.list(product_type=["extract_v2"])}
    renamed = sdk.configurations.update(config.id, name="invoices-2013")
    assert renamed.name == "invoices-2013"
    directory_id = _directory(sdk, 1, "extract")
    batch = sdk.batches.create(
        source_directory_id=directory_id,
        config={"job": {"type": "extract_v2", "configuration_id": config.id}},
    )
    assert _wait(sdk, batch.id).status == "COMPLETED"
    with pytest.raises(UnprocessableEntityError):
        sdk.batches.create(
            source_directory_id=directory_id,
            config={"job": {"type": "parse_v2", "configuration_id": config.id}},
        )
    sdk.configurations.delete(config.id)
    with pytest.raises(NotFoundError):
        sdk.configurations.retrieve(config.id)
