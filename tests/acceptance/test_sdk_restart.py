"""Crash and restart: the store is the truth, so a job whose server was SIGKILLed mid-run
completes after a restart on the same data dir, every item exactly once."""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

import pytest
from llama_cloud import LlamaCloud

from docgen import make_pdf
from servers import start_server

ENV = {"REAMS_LEASE_S": "2", "REAMS_WORKERS": "1"}
DEADLINE_S = 180.0
ITEMS = 200
KILL_AFTER = 20  # items finished when the server is killed: the job is well under way


def _pdf(i: int) -> bytes:
    """A distinct few-page PDF, so each item takes real parsing time."""
    path = make_pdf(
        Path(tempfile.mkdtemp()) / "doc.pdf",
        [f"Document {i} page {n}: {uuid.uuid4()} " + "lorem ipsum dolor " * 80 for n in range(6)],
    )
    return path.read_bytes()


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
            sdk.beta.directories.files.upload(directory.id, upload_file=(f"d{i}.pdf", _pdf(i)))
        job = sdk.beta.batch.create(job_config={}, directory_id=directory.id)
        deadline = time.monotonic() + DEADLINE_S
        while (before := sdk.beta.batch.get_status(job.id).job).processed_items < KILL_AFTER:
            assert time.monotonic() < deadline, before
            time.sleep(0.01)
    finally:
        first.kill()
    assert before.status == "running", "the job must still have work when the server dies"
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
