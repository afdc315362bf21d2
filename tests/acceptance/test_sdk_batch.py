"""Batch processing v1 through the official SDK (strict validation), end to end: a directory
of real documents is parsed by the real engine, and every read endpoint agrees with the rest."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from llama_cloud import ConflictError, LlamaCloud

from servers import RunningServer

DEADLINE_S = 90.0
TERMINAL = {"completed", "failed", "cancelled"}
COUNT_FIELDS = (
    "processed_items", "failed_items", "skipped_items",
    "pending_items", "processing_items", "cancelled_items",
)  # fmt: skip


def wait_terminal(sdk: LlamaCloud, job_id: str) -> Any:
    """Poll get_status until the job ends; fails the test past DEADLINE_S."""
    deadline = time.monotonic() + DEADLINE_S
    while True:
        status = sdk.beta.batch.get_status(job_id)
        assert_counts_add_up(status.job)
        if status.job.status in TERMINAL:
            return status
        assert time.monotonic() < deadline, f"job still {status.job.status} after {DEADLINE_S}s"
        time.sleep(0.2)


def assert_counts_add_up(job: Any) -> None:
    data = job.model_dump()  # the per-state counts beyond the SDK's fields arrive as extras
    counts = {f: data[f] for f in COUNT_FIELDS}
    assert sum(counts.values()) == job.total_items, counts


def make_directory(sdk: LlamaCloud, docs: dict[str, bytes], name: str) -> str:
    directory = sdk.beta.directories.create(name=name)
    for file_name, data in docs.items():
        sdk.beta.directories.files.upload(directory.id, upload_file=(file_name, data))
    return directory.id


@pytest.fixture(scope="module")
def parsed(sdk: LlamaCloud, sample_docs: dict[str, Path]) -> tuple[str, Any]:
    """One finished parse job over the sample documents: (directory_id, final status)."""
    docs = {name: path.read_bytes() for name, path in sample_docs.items()}
    directory_id = make_directory(sdk, docs, "batch-samples")
    job = sdk.beta.batch.create(job_config={}, directory_id=directory_id)
    assert job.job_type == "parse"
    assert job.status in {"pending", "dispatched", "running", "completed"}
    assert job.total_items == len(docs)
    assert job.workflow_id == f"reams-batch-{job.id}"
    return directory_id, wait_terminal(sdk, job.id)


def test_job_completes_with_every_item_processed(
    parsed: tuple[str, Any], sample_docs: dict[str, Path]
) -> None:
    _, status = parsed
    assert status.job.status == "completed"
    assert status.job.processed_items == len(sample_docs)
    assert (status.job.failed_items, status.job.skipped_items) == (0, 0)
    assert status.progress_percentage == 100
    assert status.job.workflow_id == f"reams-batch-{status.job.id}"
    assert status.job.completed_at is not None and status.job.started_at is not None


def test_items_results_and_parse_output(
    sdk: LlamaCloud, parsed: tuple[str, Any], sample_docs: dict[str, Path]
) -> None:
    _, status = parsed
    items = list(sdk.beta.batch.job_items.list(status.job.id))
    assert sorted(i.item_name for i in items) == sorted(sample_docs)
    assert {i.status for i in items} == {"completed"}
    for item in items:
        assert item.item_id.startswith("dfl-") and item.job_id and item.job_id.startswith("pjb-")
        history = sdk.beta.batch.job_items.get_processing_results(item.item_id)
        assert history.item_name == item.item_name
        [result] = history.processing_results or []
        assert (result.result_id, result.item_id, result.job_type) == (
            item.job_id, item.item_id, "parse",
        )  # fmt: skip
        assert result.output_s3_path and result.parameters_hash
    by_name = {i.item_name: i for i in items}
    report = sdk.parsing.get(
        job_id=by_name["report.md"].job_id or "",
        expand=["markdown", "text", "markdown_full", "text_full", "metadata"],
    )
    assert report.job.status == "COMPLETED"
    assert "Revenue grew" in (report.text_full or "")
    assert "# Quarterly report" in (report.markdown_full or "")
    assert report.markdown and report.markdown.pages[0].success is True
    assert report.text and "Revenue grew" in report.text.pages[0].text
    assert report.metadata and report.metadata.pages[0].page_number == 1
    sales = sdk.parsing.get(job_id=by_name["sales.csv"].job_id or "", expand=["text_full"])
    assert "North" in (sales.text_full or "") and sales.markdown is None
    pdf = sdk.parsing.get(job_id=by_name["minutes.pdf"].job_id or "", expand=["text", "markdown"])
    assert pdf.text and [p.page_number for p in pdf.text.pages] == [1, 2]
    assert "annual budget" in pdf.text.pages[0].text
    assert pdf.markdown and "next steps" in pdf.markdown.pages[1].markdown  # type: ignore[union-attr]
    letter = sdk.parsing.get(job_id=by_name["letter.docx"].job_id or "", expand=["markdown_full"])
    assert "pleased to offer" in (letter.markdown_full or "")
    typed = sdk.parsing.get(job_id=by_name["report.md"].job_id or "", expand=["items"])
    assert typed.items is not None  # typed items pass the SDK's strict validation
    kinds = [item.type for item in typed.items.pages[0].items]  # type: ignore[union-attr]
    assert kinds[0] == "heading" and "list" in kinds


def test_item_status_filter(sdk: LlamaCloud, parsed: tuple[str, Any]) -> None:
    _, status = parsed
    assert list(sdk.beta.batch.job_items.list(status.job.id, status="failed")) == []
    page = sdk.beta.batch.job_items.list(status.job.id, status="completed", limit=1)
    assert len(page.items) == 1 and page.total_size == status.job.processed_items


def test_rerun_skips_already_processed(sdk: LlamaCloud, parsed: tuple[str, Any]) -> None:
    directory_id, first = parsed
    again = wait_terminal(sdk, sdk.beta.batch.create(job_config={}, directory_id=directory_id).id)
    assert again.job.status == "completed"
    assert again.job.skipped_items == first.job.total_items
    items = list(sdk.beta.batch.job_items.list(again.job.id))
    assert {i.skip_reason for i in items} == {"already_processed"}


def test_item_ids_selects_a_subset(sdk: LlamaCloud, parsed: tuple[str, Any]) -> None:
    directory_id, _ = parsed
    entries = list(sdk.beta.directories.files.list(directory_id))
    job = sdk.beta.batch.create(
        job_config={"parameters": {"invalidate_cache": True}}, item_ids=[entries[0].id]
    )
    status = wait_terminal(sdk, job.id)
    assert (status.job.total_items, status.job.processed_items) == (1, 1)
    assert status.job.directory_id is None


def test_empty_directory_completes(sdk: LlamaCloud) -> None:
    empty = sdk.beta.directories.create(name="empty")
    job = sdk.beta.batch.create(job_config={}, directory_id=empty.id)
    assert job.total_items == 0
    status = wait_terminal(sdk, job.id)
    assert status.job.status == "completed"
    assert status.progress_percentage == 100


def test_list_pages_and_filters(sdk: LlamaCloud) -> None:
    directory = sdk.beta.directories.create(name="listing")
    made = {sdk.beta.batch.create(job_config={}, directory_id=directory.id).id for _ in range(5)}
    first = sdk.beta.batch.list(directory_id=directory.id, limit=2)
    assert len(first.items) == 2 and first.total_size == 5
    seen = [j.id for j in sdk.beta.batch.list(directory_id=directory.id, limit=2)]
    assert sorted(seen) == sorted(made)
    for job_id in made:
        wait_terminal(sdk, job_id)
    done = {j.id for j in sdk.beta.batch.list(directory_id=directory.id, status="completed")}
    assert done == made
    assert list(sdk.beta.batch.list(directory_id=directory.id, job_type="classify")) == []


def test_cancel(sdk: LlamaCloud) -> None:
    # Unique contents: nothing can be skipped as already processed, so the job has work left.
    docs = {f"c{i}.md": f"# Doc {i}\n\n{uuid.uuid4()}\n".encode() for i in range(60)}
    directory_id = make_directory(sdk, docs, "to-cancel")
    job = sdk.beta.batch.create(job_config={}, directory_id=directory_id)
    cancelled = sdk.beta.batch.cancel(job.id, reason="changed my mind")
    assert cancelled.job_id == job.id
    assert cancelled.status == "cancelled"
    assert wait_terminal(sdk, job.id).job.status == "cancelled"
    # Items in flight may still finish after the cancel: give them their time, then check.
    deadline = time.monotonic() + DEADLINE_S
    while (final := sdk.beta.batch.get_status(job.id).job).model_dump()["processing_items"]:
        assert time.monotonic() < deadline, "in-flight items never finished"
        time.sleep(0.2)
    assert final.status == "cancelled"
    assert final.model_dump()["cancelled_items"] > 0
    assert (final.processed_items or 0) >= cancelled.processed_items
    assert_counts_add_up(final)
    items = list(sdk.beta.batch.job_items.list(job.id, status="cancelled"))
    assert len(items) == final.model_dump()["cancelled_items"]
    assert sdk.beta.batch.cancel(job.id).status == "cancelled", "cancel is idempotent"


def test_cancel_finished_job_conflicts_at_once(
    server: RunningServer, parsed: tuple[str, Any]
) -> None:
    _, status = parsed
    requests: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [requests.append]})
    client = LlamaCloud(api_key="test", base_url=server.base_url, http_client=http)
    with pytest.raises(ConflictError) as caught:
        client.beta.batch.cancel(status.job.id)
    assert len(requests) == 1, "a 409 must not be retried"
    assert caught.value.response.headers["x-should-retry"] == "false"
    assert client.beta.batch.get_status(status.job.id).job.status == "completed"
    client.close()
