"""Retrying failed items over HTTP (reams extension, `POST .../{job_id}/retry`): through the
reams client and httpx against a real server, with the jobs created by the official SDK; a
retried v2 batch shows RUNNING, then COMPLETED, through the SDK's `client.batches.get`."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import httpx
import pytest
from llama_cloud import LlamaCloud

from docgen import make_pdf
from reams.client import Client, ConflictError
from reams.store.blobs import LocalBlobStore
from servers import RunningServer

BROKEN_PDF = b"%PDF-1.7\n" + bytes(range(256)) * 20
TERMINAL = {"completed", "failed", "cancelled"}


def _directory(sdk: LlamaCloud, tag: str, *, broken: int) -> str:
    directory = sdk.beta.directories.create(name=f"retry-{tag}")
    sdk.beta.directories.files.upload(directory.id, upload_file=(f"{tag}.md", b"# fine\n\ntext\n"))
    for i in range(broken):
        # Different bytes per file (content-addressed blobs), all of them unreadable.
        data = BROKEN_PDF + f"{tag}-{i}".encode()
        sdk.beta.directories.files.upload(directory.id, upload_file=(f"{tag}-{i}.pdf", data))
    return directory.id


def _wait(sdk: LlamaCloud, job_id: str) -> Any:
    deadline = time.monotonic() + 90
    while True:
        status = sdk.beta.batch.get_status(job_id)
        if status.job.status in TERMINAL:
            return status.job
        assert time.monotonic() < deadline, f"job still {status.job.status}"
        time.sleep(0.1)


def _repair(server: RunningServer, job_id: str) -> None:
    """Rewrite each failed item's stored document with a readable PDF (same blob name)."""
    with sqlite3.connect(server.data_dir / "reams.db") as db:
        rows = db.execute(
            "SELECT sha256 FROM items WHERE job_id = ? AND status = 'failed'", (job_id,)
        ).fetchall()
    assert rows
    for (sha,) in rows:
        make_pdf(LocalBlobStore(server.data_dir / "blobs").path(sha), ["repaired"])


@pytest.fixture
def client(server: RunningServer) -> Any:
    with Client(server.base_url, "test", max_retries=0) as c:
        yield c


def test_retry_failed_items_through_the_reams_client(
    server: RunningServer, sdk: LlamaCloud, client: Client
) -> None:
    job = sdk.beta.batch.create(job_config={}, directory_id=_directory(sdk, "v1", broken=2))
    done = _wait(sdk, job.id)
    assert (done.status, done.failed_items, done.processed_items) == ("completed", 2, 1)
    _repair(server, job.id)
    answer = client.beta.batch.retry(job.id, error_codes=["corrupt_document"])
    assert (answer.job_id, answer.retried_items) == (job.id, 2)
    assert answer.status == "running"
    again = _wait(sdk, job.id)
    assert (again.status, again.failed_items, again.processed_items) == ("completed", 0, 3)
    items = list(sdk.beta.batch.job_items.list(job.id))
    assert {i.status for i in items} == {"completed"}
    # Nothing left to retry: 409 with a clear detail, and not retried by the client.
    with pytest.raises(ConflictError, match="nothing to retry"):
        client.beta.batch.retry(job.id)


def test_retry_over_http_filters_and_errors(server: RunningServer, sdk: LlamaCloud) -> None:
    job = sdk.beta.batch.create(job_config={}, directory_id=_directory(sdk, "http", broken=1))
    _wait(sdk, job.id)
    url = f"{server.base_url}/api/v1/beta/batch-processing/{job.id}/retry"
    headers = {"Authorization": "Bearer test"}
    wrong = httpx.post(url, json={"error_codes": ["timeout"]}, headers=headers)
    assert wrong.status_code == 409
    assert wrong.headers["x-should-retry"] == "false"
    assert "no failed items with error code timeout" in wrong.json()["detail"]
    missing = httpx.post(url.replace(job.id, "bjb-nope"), json={}, headers=headers)
    assert missing.status_code == 404
    answer = httpx.post(url, headers=headers)  # no body: every failed item
    assert answer.status_code == 200
    assert answer.json()["retried_items"] == 1
    done = _wait(sdk, job.id)  # still unreadable: it fails again, counted once
    assert (done.status, done.failed_items, done.total_items) == ("completed", 1, 2)


def test_a_retried_v2_batch_runs_again(server: RunningServer, sdk: LlamaCloud) -> None:
    directory_id = _directory(sdk, "v2", broken=1)
    batch = sdk.batches.create(
        source_directory_id=directory_id,
        config={"job": {"type": "parse_v2", "configuration_id": "cfg-PARSE_AGENTIC"}},
    )
    _wait(sdk, batch.id)
    assert sdk.batches.get(batch.id).status == "COMPLETED"
    _repair(server, batch.id)
    seen: list[str] = []
    answer = httpx.post(
        f"{server.base_url}/api/v1/beta/batch-processing/{batch.id}/retry",
        headers={"Authorization": "Bearer test"},
    )
    assert answer.json()["status"] == "running"
    deadline = time.monotonic() + 90
    while not seen or seen[-1] != "COMPLETED":
        status = sdk.batches.get(batch.id).status
        if not seen or seen[-1] != status:
            seen.append(status)
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert seen[-1] == "COMPLETED"
    assert set(seen) <= {"RUNNING", "COMPLETED"}
    v1 = sdk.beta.batch.get_status(batch.id).job
    assert (v1.failed_items, v1.processed_items) == (0, 2)


def test_reams_retry_command(server: RunningServer, sdk: LlamaCloud) -> None:
    from test_cli_remote import reams

    job = sdk.beta.batch.create(job_config={}, directory_id=_directory(sdk, "cli", broken=1))
    _wait(sdk, job.id)
    base = ["--base-url", server.base_url]
    wrong = reams(*base, "retry", job.id, "--code", "timeout")
    assert wrong.returncode == 1
    assert "nothing to retry" in wrong.stdout + wrong.stderr
    done = reams(*base, "retry", job.id, "--code", "corrupt_document")
    assert done.returncode == 0, done.stderr
    assert f"Job {job.id}: 1 item(s) retried" in done.stdout
    assert _wait(sdk, job.id).failed_items == 1
