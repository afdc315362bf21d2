"""Crash and restart: the store is the truth, so a job whose server was SIGKILLed mid-run
completes after a restart on the same data dir, every item exactly once."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
from llama_cloud import LlamaCloud

from servers import start_server

ENV = {"REAMS_LEASE_S": "2", "REAMS_WORKERS": "1"}
DEADLINE_S = 120.0
ITEMS = 150  # items take milliseconds: enough of them that the kill lands mid-job


def client(base_url: str) -> LlamaCloud:
    return LlamaCloud(
        api_key="test", base_url=base_url, _strict_response_validation=True, max_retries=0
    )


@pytest.mark.slow
def test_job_survives_sigkill(tmp_path: Path) -> None:
    first = start_server(tmp_path, env=ENV)
    try:
        sdk = client(first.base_url)
        directory = sdk.beta.directories.create(name="crash")
        for i in range(ITEMS):
            body = f"# Doc {i}\n\n{uuid.uuid4()}\n".encode()
            sdk.beta.directories.files.upload(directory.id, upload_file=(f"d{i}.md", body))
        job = sdk.beta.batch.create(job_config={}, directory_id=directory.id)
        before = sdk.beta.batch.get_status(job.id).job
    finally:
        first.kill()
    assert before.status != "completed", "the job must still have work when the server dies"
    second = start_server(tmp_path, env=ENV)
    try:
        sdk = client(second.base_url)
        deadline = time.monotonic() + DEADLINE_S
        while (status := sdk.beta.batch.get_status(job.id)).job.status != "completed":
            assert time.monotonic() < deadline, status.job
            time.sleep(0.3)
        assert status.job.processed_items == ITEMS
        items = list(sdk.beta.batch.job_items.list(job.id))
        assert {i.status for i in items} == {"completed"}
        results = [sdk.beta.batch.job_items.get_processing_results(i.item_id) for i in items]
        assert all(len(r.processing_results or []) == 1 for r in results), "processed twice"
    finally:
        second.stop()
