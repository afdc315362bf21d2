"""Retrying failed items: the same on SQLite and PostgreSQL, and on the local and Temporal
engines (the store contract with fake outcomes; the engine contract with real documents)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_engine_contract import (  # the engine contract's fixtures and helpers
    assert_consistent,
    engine_name,
    items_by_name,
    make_services,
    services,
    submit,
    wait,
)
from test_store_contract import _assert_counts_add_up, _job_with_files, _outcome

from docgen import make_pdf
from reams.bootstrap import Services
from reams.domain.errors import Conflict, NotFound
from reams.domain.states import ItemStatus, JobStatus
from reams.store.transitions import Store

__all__ = ["engine_name", "make_services", "services"]


def _run_with_failures(store: Store, n: int, codes: list[str | None]) -> str:
    """A completed job of ``n`` items; item ``i`` fails with ``codes[i]`` (None: completes)."""
    job = _job_with_files(store, n)
    store.mark_dispatched(job.id)
    for item in sorted(store.claim(owner="w", lease_s=30, limit=n), key=lambda i: i.item_name):
        code = codes[int(item.item_name[1:].split(".")[0])]
        if code is None:
            assert store.complete(item, owner="w", completion=_outcome(job))
        else:
            assert store.fail(item, owner="w", code=code, message=f"it failed: {code}")
    assert store.get_job(job.id, project_id=None).status == JobStatus.COMPLETED
    return job.id


def test_retry_reopens_a_completed_job_with_exact_counters(store: Store) -> None:
    job_id = _run_with_failures(store, 4, [None, "timeout", "corrupt_document", "timeout"])
    before = store.get_job(job_id, project_id=None)
    job, moved = store.retry_failed(job_id, project_id=before.project_id)
    assert moved == 3
    assert job.status == JobStatus.RUNNING
    assert job.completed_at is None
    assert (job.counts.pending, job.counts.failed, job.counts.completed) == (3, 0, 1)
    _assert_counts_add_up(store, job_id)
    items, _ = store.list_items(job_id, project_id=None, limit=10, offset=0, status="pending")
    assert {i.attempts for i in items} == {0}  # a fresh budget for the new try
    assert {i.error_code for i in items} == {"timeout", "corrupt_document"}  # last error kept
    # The retried items are claimable again and the job completes again.
    claimed = store.claim(owner="w2", lease_s=30, limit=10)
    assert len(claimed) == 3
    for item in claimed:
        assert store.complete(item, owner="w2", completion=_outcome(job))
    done = _assert_counts_add_up(store, job_id)
    assert done.status == JobStatus.COMPLETED
    assert done.counts.completed == 4
    items, _ = store.list_items(job_id, project_id=None, limit=10, offset=0)
    assert all(i.error_code is None for i in items)


def test_retry_filters_by_error_code_and_item_id(store: Store) -> None:
    job_id = _run_with_failures(store, 4, ["timeout", "corrupt_document", "timeout", None])
    project_id = store.get_job(job_id, project_id=None).project_id
    failed, _ = store.list_items(job_id, project_id=None, limit=10, offset=0, status="failed")
    timeouts = [i for i in failed if i.error_code == "timeout"]
    job, moved = store.retry_failed(
        job_id, project_id=project_id, error_codes=["timeout"], item_ids=[timeouts[0].item_id]
    )
    assert moved == 1
    job, moved = store.retry_failed(job_id, project_id=project_id, error_codes=["timeout"])
    assert moved == 1
    assert (job.counts.pending, job.counts.failed) == (2, 1)
    _assert_counts_add_up(store, job_id)


def test_nothing_to_retry_is_a_conflict_and_moves_nothing(store: Store) -> None:
    job_id = _run_with_failures(store, 2, [None, "timeout"])
    project_id = store.get_job(job_id, project_id=None).project_id
    with pytest.raises(Conflict, match="no failed items with error code oom"):
        store.retry_failed(job_id, project_id=project_id, error_codes=["oom"])
    assert store.get_job(job_id, project_id=None).status == JobStatus.COMPLETED
    with pytest.raises(NotFound):
        store.retry_failed(job_id, project_id="another-project")
    clean = _run_with_failures(store, 2, [None, None])
    with pytest.raises(Conflict, match="nothing to retry"):
        store.retry_failed(clean, project_id=None)
    _assert_counts_add_up(store, job_id)


def test_cancelled_jobs_are_not_retried(store: Store) -> None:
    job = _job_with_files(store, 3)
    store.mark_dispatched(job.id)
    item = store.claim(owner="w", lease_s=30, limit=1)[0]
    store.cancel_job(job.id, reason=None)
    assert store.fail(item, owner="w", code="timeout", message="slow")
    with pytest.raises(Conflict, match="cancelled"):
        store.retry_failed(job.id, project_id=None)
    assert _assert_counts_add_up(store, job.id).counts.failed == 1


def test_a_running_job_retries_what_has_failed_so_far(store: Store) -> None:
    job = _job_with_files(store, 3)
    store.mark_dispatched(job.id)
    first, _second = store.claim(owner="w", lease_s=30, limit=2)
    assert store.fail(first, owner="w", code="timeout", message="slow")
    after, moved = store.retry_failed(job.id, project_id=None)
    assert moved == 1
    assert after.status == JobStatus.RUNNING
    assert after.started_at == store.get_job(job.id, project_id=None).started_at
    assert store.get_item(first.id).status == ItemStatus.PENDING
    _assert_counts_add_up(store, job.id)


def test_retry_runs_failed_items_again_on_every_engine(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "good.pdf", ["fine text"])
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    job = wait(services, submit(services, folder).id)
    assert (job.status, job.counts.failed, job.counts.completed) == ("completed", 1, 1)
    # The document is repaired in the blob store (content-addressed: same id, good bytes). The
    # folder's file is only referenced, never rewritten: a file changed after its scan fails
    # ``file_missing`` (tests/unit/test_blob_refs.py), so the repair goes into the store's copy.
    broken = items_by_name(services, job.id)["broken.pdf"]
    stored = services.blobs.stored_path(broken.sha256)
    stored.parent.mkdir(parents=True, exist_ok=True)
    make_pdf(stored, ["repaired text"])
    retried, moved = services.jobs.retry_failed(job.id, project_id=job.project_id)
    assert moved == 1
    assert retried.status in ("running", "completed")
    job = wait(services, job.id)
    assert (job.status, job.counts.failed, job.counts.completed) == ("completed", 0, 2)
    assert_consistent(services, job)
    item = items_by_name(services, job.id)["broken.pdf"]
    assert (item.status, item.error_code, item.attempts) == ("completed", None, 1)
    with pytest.raises(Conflict):
        services.jobs.retry_failed(job.id, project_id=job.project_id)
