"""`Store.delete_job` (the v2 product APIs' DELETE) on every store: only finished jobs go, with
their items and results; dedup forgets them; a result another job reused stays for it (out of
dedup) until that job goes too; the blobs nothing refers to anymore are handed back."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_store_contract import CONFIG, _job_with_files, _outcome

from reams.domain.errors import Conflict, NotFound
from reams.domain.jobconfig import resolve
from reams.domain.records import Job
from reams.store.transitions import Completion, Store


def _completion(job: Job, output: str) -> Completion:
    return replace(_outcome(job), output_sha256=output)


def _finish(store: Store, job: Job, output: str) -> None:
    store.mark_dispatched(job.id)
    for item in store.claim(owner="w", lease_s=30, limit=10, job_ids=[job.id]):
        assert store.complete(item, owner="w", completion=_completion(job, output))


def _again(store: Store, job: Job) -> Job:
    """A second job over the same files; its items reuse the first job's results."""
    second = store.create_job(
        project_id=job.project_id,
        settings=resolve(CONFIG),
        job_config=CONFIG,
        directory_id=job.directory_id,
        item_ids=None,
    )
    store.skip_already_processed(
        second.id, project_id=job.project_id, parameters_hash=second.parameters_hash
    )
    store.finalize_if_done(second.id)
    return second


def _found(store: Store, job: Job) -> bool:
    """Whether dedup finds a result for the job's first file (jobs here share their files)."""
    found = store.find_result(
        project_id=job.project_id, sha256=f"{0:064x}", parameters_hash=job.parameters_hash
    )
    return found is not None


def test_only_finished_jobs_are_deleted(store: Store) -> None:
    job = _job_with_files(store, 1)
    with pytest.raises(Conflict):
        store.delete_job(job.id, project_id=job.project_id)
    store.mark_dispatched(job.id)
    (item,) = store.claim(owner="w", lease_s=30, job_ids=[job.id])
    store.cancel_job(job.id, reason="stop")
    with pytest.raises(Conflict):  # cancelled, but its item is still in flight
        store.delete_job(job.id, project_id=job.project_id)
    completion = _completion(job, "c" * 64)
    assert store.complete(item, owner="w", completion=completion)
    with pytest.raises(NotFound):
        store.delete_job(job.id, project_id="prj-other")
    deleted, orphans = store.delete_job(job.id, project_id=job.project_id)
    assert deleted.id == job.id and orphans == ["c" * 64]
    with pytest.raises(NotFound):
        store.get_job(job.id, project_id=None)
    with pytest.raises(NotFound):
        store.get_result(completion.result_id, project_id=None)


def test_dedup_forgets_and_reused_results_stay_for_their_users(store: Store) -> None:
    first = _job_with_files(store, 2)
    _finish(store, first, "a" * 64)
    second = _again(store, first)
    assert _found(store, first)

    _, orphans = store.delete_job(first.id, project_id=first.project_id)
    assert orphans == [], "the second job still uses the results"
    assert not _found(store, first), "dedup forgot them"
    items, _ = store.list_items(second.id, project_id=None, limit=5, offset=0)
    for item in items:
        assert item.result_id is not None
        assert store.get_result(item.result_id, project_id=None).output_sha256 == "a" * 64

    _, orphans = store.delete_job(second.id, project_id=second.project_id)
    assert orphans == ["a" * 64], "the last user took the results with it"
    assert store.results_by_id([i.result_id for i in items if i.result_id]) == {}


def test_a_job_that_only_reused_results_leaves_them(store: Store) -> None:
    first = _job_with_files(store, 1)
    _finish(store, first, "b" * 64)
    second = _again(store, first)
    _, orphans = store.delete_job(second.id, project_id=second.project_id)
    assert orphans == []
    assert _found(store, first)
    assert store.get_job(first.id, project_id=None).counts.completed == 1
