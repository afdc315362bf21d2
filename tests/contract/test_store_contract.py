"""The store contract: the same behaviour on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from reams.domain.errors import Conflict, NotFound
from reams.domain.jobconfig import resolve
from reams.domain.records import Job
from reams.domain.states import Outcome
from reams.engine.base import EngineConfig
from reams.engine.steps import RunContext, begin_item
from reams.store.blobs import LocalBlobStore
from reams.store.transitions import Completion, Store

CONFIG: dict[str, Any] = {"job_name": "parse_raw_file_job", "parameters": {"type": "parse"}}


def _job_with_files(store: Store, n: int, *, sizes: list[int] | None = None, **create: Any) -> Job:
    """A job over ``n`` new files; ``create``: more create_job arguments (origin, webhooks)."""
    project = store.ensure_project(f"p-{uuid.uuid4().hex[:8]}")
    directory = store.create_directory(project_id=project.id, name="d")
    entries = []
    for i in range(n):
        size = sizes[i] if sizes else 10
        f = store.create_file(project_id=project.id, name=f"f{i}.md", sha256=f"{i:064x}", size=size)
        entries.append({"file_id": f.id, "display_name": f.name, "unique_id": f.name})
    store.add_directory_files(project_id=project.id, directory_id=directory.id, entries=entries)
    return store.create_job(
        project_id=project.id,
        settings=resolve(CONFIG),
        job_config=CONFIG,
        directory_id=directory.id,
        item_ids=None,
        **create,
    )


def _outcome(job: Job) -> Completion:
    return Completion(
        result_id=f"pjb-{uuid.uuid4()}",
        job_type="parse",
        job_config=CONFIG,
        parameters_hash=job.parameters_hash,
        output_sha256="0" * 64,
        output_metadata=None,
        cacheable=True,
        duration_s=0.01,
    )


def _assert_counts_add_up(store: Store, job_id: str) -> Job:
    job = store.get_job(job_id, project_id=None)
    items, total = store.list_items(job_id, project_id=None, limit=10_000, offset=0)
    assert total == job.total_items == len(items) == job.counts.total
    for status in ("pending", "processing", "completed", "failed", "skipped", "cancelled"):
        assert getattr(job.counts, status) == sum(1 for i in items if i.status == status), status
    return job


def test_create_job_puts_every_item_pending(store: Store) -> None:
    job = _job_with_files(store, 5)
    assert job.status == "pending"
    assert job.workflow_id == f"reams-batch-{job.id}"
    assert job.counts.pending == 5
    _assert_counts_add_up(store, job.id)


def test_claim_complete_finalize(store: Store) -> None:
    job = _job_with_files(store, 3)
    store.mark_dispatched(job.id)
    claimed = store.claim(owner="w", lease_s=30, limit=10)
    assert len(claimed) == 3
    assert store.get_job(job.id, project_id=None).status == "running"
    assert store.finalize_if_done(job.id) is None
    for item in claimed[:-1]:
        assert store.complete(item, owner="w", completion=_outcome(job))
        assert store.get_job(job.id, project_id=None).status == "running"
    # The last outcome completes the job in its own transaction.
    assert store.complete(claimed[-1], owner="w", completion=_outcome(job))
    done = _assert_counts_add_up(store, job.id)
    assert done.status == "completed" and done.counts.completed == 3
    assert done.completed_at is not None
    assert store.finalize_if_done(job.id) is None  # nothing left to do


def test_outcome_needs_the_lease(store: Store) -> None:
    job = _job_with_files(store, 1)
    store.mark_dispatched(job.id)
    (item,) = store.claim(owner="a", lease_s=30)
    assert not store.complete(item, owner="b", completion=_outcome(job))
    assert not store.fail(item, owner="b", code="x", message="y")
    assert store.fail(item, owner="a", code="corrupt_document", message="bad")
    assert not store.complete(item, owner="a", completion=_outcome(job))  # already terminal
    job_after = _assert_counts_add_up(store, job.id)
    assert job_after.counts.failed == 1
    items, _ = store.list_items(job.id, project_id=None, limit=5, offset=0)
    assert (items[0].error_code, items[0].error_message) == ("corrupt_document", "bad")


def test_concurrent_claims_never_share_an_item(store: Store) -> None:
    job = _job_with_files(store, 60)
    store.mark_dispatched(job.id)
    seen: list[str] = []
    lock = threading.Lock()

    def worker(owner: str) -> None:
        while claimed := store.claim(owner=owner, lease_s=30, limit=2):
            with lock:
                seen.extend(i.id for i in claimed)
            for item in claimed:
                store.complete(item, owner=owner, completion=_outcome(job))

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(seen) == len(set(seen)) == 60
    assert _assert_counts_add_up(store, job.id).counts.completed == 60


def test_retry_returns_item_to_pending_after_delay(store: Store) -> None:
    job = _job_with_files(store, 1)
    store.mark_dispatched(job.id)
    (item,) = store.claim(owner="w", lease_s=30)
    assert store.retry_later(item, owner="w", code="worker_crashed", message="m", delay_s=60)
    assert store.claim(owner="w", lease_s=30) == []  # not due yet
    assert _assert_counts_add_up(store, job.id).counts.pending == 1


def _items(store: Store, job_id: str) -> list[Any]:
    return store.list_items(job_id, project_id=None, limit=10_000, offset=0)[0]


def _leases(store: Store, job_id: str) -> dict[str, tuple[Any, Any]]:
    """Each item's (lease_owner, lease_expires_at), straight from its row."""
    from sqlalchemy import select

    from reams.store import tables as t

    c = t.items.c
    query = select(c.id, c.lease_owner, c.lease_expires_at).where(c.job_id == job_id)
    with store.read() as conn:
        return {row.id: (row.lease_owner, row.lease_expires_at) for row in conn.execute(query)}


def test_expired_lease_is_a_loss_not_an_attempt_then_given_up(store: Store) -> None:
    job = _job_with_files(store, 1)
    store.mark_dispatched(job.id)
    store.claim(owner="dead", lease_s=0.001)
    time.sleep(0.01)
    assert store.reclaim_expired(max_losses=2) == 1
    assert store.get_job(job.id, project_id=None).counts.pending == 1
    (lost,) = _items(store, job.id)
    # Lost with its process: not the item's fault, so the attempt is given back.
    assert (lost.status, lost.attempts, lost.losses) == ("pending", 0, 1)
    assert lost.error_code == "worker_lost" and "not count" in (lost.error_message or "")
    store.claim(owner="dead", lease_s=0.001)
    time.sleep(0.01)
    assert store.reclaim_expired(max_losses=2) == 1
    job_after = _assert_counts_add_up(store, job.id)
    assert job_after.counts.failed == 1
    (item,) = _items(store, job.id)
    assert (item.error_code, item.attempts, item.losses) == ("worker_lost", 0, 2)
    assert _leases(store, job.id)[item.id] == (None, None)


def test_losses_leave_every_attempt_to_the_document(store: Store) -> None:
    """Five crashes with the item in flight, then its own retryable errors: it still has all
    ``max_attempts`` of them, and the counts add up (claims = attempts + losses)."""
    job = _job_with_files(store, 1)
    store.mark_dispatched(job.id)
    for _ in range(5):
        store.claim(owner="killed", lease_s=0.001)
        time.sleep(0.01)
        assert store.reclaim_expired(max_losses=10) == 1
    for n in range(1, 3):
        (item,) = store.claim(owner="w", lease_s=30)
        assert item.attempts == n
        assert store.retry_later(item, owner="w", code="worker_crashed", message="m", delay_s=0)
    (item,) = store.claim(owner="w", lease_s=30)
    assert store.complete(item, owner="w", completion=_outcome(job))
    (done,) = _items(store, job.id)
    assert (done.status, done.attempts, done.losses) == ("completed", 3, 5)
    assert (done.error_code, done.error_message) == (None, None)
    _assert_counts_add_up(store, job.id)


def test_live_lease_is_not_reclaimed(store: Store) -> None:
    job = _job_with_files(store, 1)
    store.mark_dispatched(job.id)
    store.claim(owner="alive", lease_s=60)
    assert store.reclaim_expired(max_losses=3) == 0


def test_orphans_of_an_earlier_boot_are_reclaimed_at_once(store: Store) -> None:
    """Leases of the same engine instance under another boot belong to a dead process: back
    at once, long before they expire; other instances' and this boot's own stay."""
    job = _job_with_files(store, 4)
    store.mark_dispatched(job.id)
    dead = store.claim(owner="local-abc.0:boot1", lease_s=3600, limit=2)
    (mine,) = store.claim(owner="local-abc.0:boot2", lease_s=3600)
    (other,) = store.claim(owner="local-abc.1:boot1", lease_s=3600)  # another live engine
    n = store.reclaim_orphans(instance="local-abc.0", owner="local-abc.0:boot2", max_losses=10)
    assert n == 2
    after = {i.id: i for i in _items(store, job.id)}
    assert {(after[i.id].status, after[i.id].losses, after[i.id].attempts) for i in dead} == {
        ("pending", 1, 0)
    }
    assert after[mine.id].status == after[other.id].status == "processing"
    assert _leases(store, job.id)[dead[0].id] == (None, None)
    # An instance is matched whole, up to its ":": "local-abc" is not "local-abc.0".
    assert store.reclaim_orphans(instance="local-abc", owner="x", max_losses=10) == 0
    _assert_counts_add_up(store, job.id)


def test_orphans_lost_too_often_fail(store: Store) -> None:
    job = _job_with_files(store, 1)
    store.mark_dispatched(job.id)
    store.claim(owner="local-i.0:b1", lease_s=3600)
    assert store.reclaim_orphans(instance="local-i.0", owner="local-i.0:b2", max_losses=1) == 1
    (item,) = _items(store, job.id)
    assert (item.status, item.error_code, item.losses) == ("failed", "worker_lost", 1)
    assert _assert_counts_add_up(store, job.id).status == "completed"


def test_no_item_keeps_a_lease_once_it_leaves_processing(store: Store) -> None:
    """Completed, failed, skipped, retried, released and reclaimed items hold no lease; only
    the item still in flight does."""
    job = _job_with_files(store, 7)
    store.mark_dispatched(job.id)
    items = store.claim(owner="w", lease_s=30, limit=7)
    completed, failed, skipped, retried, released, expired, inflight = items
    assert store.complete(completed, owner="w", completion=_outcome(job))
    assert store.fail(failed, owner="w", code="corrupt_document", message="bad")
    assert store.skip(skipped, owner="w", reason="already_processed", result_id=None)
    assert store.retry_later(retried, owner="w", code="worker_crashed", message="m", delay_s=60)
    assert store.release(released, owner="w")
    assert store.renew_leases(owner="w", item_row_ids=[expired.id], lease_s=0.001) == 1
    time.sleep(0.01)
    assert store.reclaim_expired(max_losses=10) == 1
    leases = _leases(store, job.id)
    assert {i: lease for i, lease in leases.items() if lease != (None, None)}.keys() == {
        inflight.id
    }
    assert leases[inflight.id][0] == "w"
    _assert_counts_add_up(store, job.id)


def test_cancel_cancels_pending_and_keeps_in_flight(store: Store) -> None:
    job = _job_with_files(store, 4)
    store.mark_dispatched(job.id)
    (item,) = store.claim(owner="w", lease_s=30)
    cancelled = store.cancel_job(job.id, reason="user asked")
    assert cancelled.status == "cancelled"
    assert cancelled.counts.cancelled == 3 and cancelled.counts.processing == 1
    assert store.claim(owner="w", lease_s=30) == []
    assert store.complete(item, owner="w", completion=_outcome(job))  # in flight: recorded
    final = _assert_counts_add_up(store, job.id)
    assert final.status == "cancelled" and final.counts.completed == 1


@pytest.mark.parametrize("give_back", ["retry", "release"])
def test_item_given_back_after_cancel_ends_cancelled(store: Store, give_back: str) -> None:
    """An in-flight item that fails retryably (or is released) after its job was cancelled
    must not stay pending in the cancelled job."""
    job = _job_with_files(store, 2)
    store.mark_dispatched(job.id)
    (item,) = store.claim(owner="w", lease_s=30)
    store.cancel_job(job.id, reason="user asked")
    if give_back == "retry":
        assert store.retry_later(item, owner="w", code="boom", message="retry me", delay_s=0)
    else:
        assert store.release(item, owner="w")
    final = _assert_counts_add_up(store, job.id)
    assert final.counts.pending == 0 and final.counts.cancelled == 2
    assert store.get_item(item.id).status == "cancelled"


def test_failed_orchestration_cancels_pending_items(store: Store) -> None:
    """A job whose orchestration fails leaves nothing pending forever: pending items end
    cancelled with the job, in-flight ones finish, and any given back later end cancelled."""
    job = _job_with_files(store, 5)
    store.mark_dispatched(job.id)
    first, second = store.claim(owner="w", lease_s=30, limit=2)
    assert store.fail_job(job.id, "unknown namespace")
    failed = _assert_counts_add_up(store, job.id)
    assert failed.status == "failed" and failed.error_message == "unknown namespace"
    assert (failed.counts.pending, failed.counts.cancelled, failed.counts.processing) == (0, 3, 2)
    assert store.claim(owner="w", lease_s=30) == []
    assert store.complete(first, owner="w", completion=_outcome(job))
    assert store.release(second, owner="w")
    final = _assert_counts_add_up(store, job.id)
    assert (final.counts.completed, final.counts.cancelled, final.counts.pending) == (1, 4, 0)
    assert not store.fail_job(job.id, "again")  # already ended: nothing moves
    assert _assert_counts_add_up(store, job.id).counts == final.counts


def test_claimed_items_not_begun_end_cancelled_with_their_job(store: Store, tmp_path: Path) -> None:
    """Items a driver claimed (several at once) but had not begun when the job was cancelled
    end cancelled; only the one actually running may finish."""
    job = _job_with_files(store, 8)
    store.mark_dispatched(job.id)
    ctx = RunContext(
        store=store, blobs=LocalBlobStore(tmp_path / "blobs"), config=EngineConfig(), owner="w"
    )
    running, *claimed = store.claim(owner="w", lease_s=30, limit=8)
    store.cancel_job(job.id, reason="user asked")
    assert [begin_item(ctx, item) for item in claimed] == [Outcome.CANCELLED] * 7
    assert store.complete(running, owner="w", completion=_outcome(job))
    final = _assert_counts_add_up(store, job.id)
    assert final.status == "cancelled"
    assert (final.counts.completed, final.counts.cancelled) == (1, 7)


def test_dedup_skips_already_processed_with_lineage(store: Store) -> None:
    first = _job_with_files(store, 2)
    store.mark_dispatched(first.id)
    outcomes = {}
    for item in store.claim(owner="w", lease_s=30, limit=5):
        outcomes[item.sha256] = _outcome(first)
        store.complete(item, owner="w", completion=outcomes[item.sha256])
    second = store.create_job(
        project_id=first.project_id,
        settings=resolve(CONFIG),
        job_config=CONFIG,
        directory_id=first.directory_id,
        item_ids=None,
    )
    skipped = store.skip_already_processed(
        second.id, project_id=first.project_id, parameters_hash=second.parameters_hash
    )
    assert skipped == 2
    items, _ = store.list_items(second.id, project_id=None, limit=5, offset=0)
    for item in items:
        assert (item.status, item.skip_reason) == ("skipped", "already_processed")
        assert item.result_id == outcomes[item.sha256].result_id
    _assert_counts_add_up(store, second.id)


def test_other_parameters_do_not_dedup(store: Store) -> None:
    job = _job_with_files(store, 1)
    other = resolve({"parameters": {"type": "parse", "max_pages": 3}})
    assert other.parameters_hash != job.parameters_hash
    store.mark_dispatched(job.id)
    (item,) = store.claim(owner="w", lease_s=30)
    store.complete(item, owner="w", completion=_outcome(job))
    assert (
        store.find_result(
            project_id=job.project_id, sha256=item.sha256, parameters_hash=other.parameters_hash
        )
        is None
    )


def test_size_limit_skips(store: Store) -> None:
    job = _job_with_files(store, 3, sizes=[10, 5000, 20])
    assert store.skip_too_large(job.id, max_bytes=100) == 1
    items, _ = store.list_items(job.id, project_id=None, limit=5, offset=0, status="skipped")
    assert [i.skip_reason for i in items] == ["size_limit_exceeded"]
    _assert_counts_add_up(store, job.id)


def test_empty_directory_job_completes(store: Store) -> None:
    project = store.ensure_project(f"p-{uuid.uuid4().hex[:8]}")
    directory = store.create_directory(project_id=project.id, name="empty")
    job = store.create_job(
        project_id=project.id,
        settings=resolve(CONFIG),
        job_config=CONFIG,
        directory_id=directory.id,
        item_ids=None,
    )
    assert job.total_items == 0
    done = store.finalize_if_done(job.id)
    assert done is not None and done.status == "completed"


def test_other_projects_ids_are_not_found(store: Store) -> None:
    job = _job_with_files(store, 1)
    other = store.ensure_project(f"other-{uuid.uuid4().hex[:8]}")
    with pytest.raises(NotFound):
        store.get_job(job.id, project_id=other.id)
    assert job.directory_id is not None
    with pytest.raises(NotFound):
        store.get_directory(job.directory_id, project_id=other.id)


def test_duplicate_unique_id_conflicts(store: Store) -> None:
    project = store.ensure_project(f"p-{uuid.uuid4().hex[:8]}")
    directory = store.create_directory(project_id=project.id, name="d")
    f = store.create_file(project_id=project.id, name="a.md", sha256="1" * 64, size=1)
    entry = {"file_id": f.id, "display_name": "a.md", "unique_id": "a.md"}
    store.add_directory_files(project_id=project.id, directory_id=directory.id, entries=[entry])
    with pytest.raises(Conflict):
        store.add_directory_files(project_id=project.id, directory_id=directory.id, entries=[entry])


def test_cursor_paging_visits_every_row_once(store: Store) -> None:
    project = store.ensure_project(f"p-{uuid.uuid4().hex[:8]}")
    made = {store.create_directory(project_id=project.id, name=f"d{i}").id for i in range(7)}
    seen: list[str] = []
    token = None
    while True:
        page, token = store.list_directories(project_id=project.id, page_size=3, page_token=token)
        seen.extend(d.id for d in page)
        if token is None:
            break
    assert sorted(seen) == sorted(made)


def test_job_settings_are_stored_resolved_and_old_rows_still_read(store: Store) -> None:
    from sqlalchemy import update

    from reams.store import tables as t

    job = _job_with_files(store, 1)
    assert job.settings == resolve(CONFIG)
    assert store.get_job(job.id, project_id=None).settings.to_json() == resolve(CONFIG).to_json()
    # A job written before settings were stored (migration 0004) has NULL there.
    with store.tx() as conn:
        conn.execute(update(t.jobs).where(t.jobs.c.id == job.id).values(settings=None))
    assert store.get_job(job.id, project_id=None).settings == resolve(CONFIG)
