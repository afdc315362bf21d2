"""Worker heartbeat rows and a job's dispatch error: the same behaviour on SQLite and
PostgreSQL."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from sqlalchemy import update
from test_store_contract import _job_with_files, _outcome

from reams.api.present import batch_status_model
from reams.domain.workers import WorkerInfo, WorkerState
from reams.service.workers import WorkerDirectory
from reams.store import tables as t
from reams.store.db import utcnow
from reams.store.transitions import Store


def _info(**overrides: object) -> WorkerInfo:
    values: dict[str, object] = {
        "id": f"wkr-{uuid.uuid4()}",
        "hostname": "host-a",
        "pid": 4242,
        "task_queue": "reams",
        "namespace": "default",
        "slots": 4,
        "heartbeat_s": 5.0,
    }
    return WorkerInfo(**(values | overrides))  # type: ignore[arg-type]


def _age(store: Store, worker_id: str, *, seconds: float, stopped: bool = False) -> None:
    """Move a worker's times into the past (as if it beat ``seconds`` ago)."""
    then = utcnow() - timedelta(seconds=seconds)
    values = {"last_seen_at": then, "started_at": then} | ({"stopped_at": then} if stopped else {})
    with store.engine.begin() as conn:
        conn.execute(update(t.workers).where(t.workers.c.id == worker_id).values(**values))


def test_the_first_beat_writes_the_row_and_later_beats_move_it(store: Store) -> None:
    info = _info()
    store.worker_heartbeat(info, items_done=0)
    (first,) = store.list_workers()
    assert (first.id, first.hostname, first.pid, first.slots) == (info.id, "host-a", 4242, 4)
    assert (first.task_queue, first.namespace, first.heartbeat_s) == ("reams", "default", 5.0)
    assert first.items_done == 0 and first.stopped_at is None
    assert first.started_at == first.last_seen_at
    assert first.state(utcnow()) == WorkerState.ALIVE
    time.sleep(0.02)
    store.worker_heartbeat(info, items_done=7)
    (later,) = store.list_workers()
    assert later.items_done == 7
    assert later.started_at == first.started_at and later.last_seen_at > first.last_seen_at


def test_a_stopped_worker_says_so_and_a_silent_one_turns_stale(store: Store) -> None:
    gone, silent = _info(), _info(hostname="host-b")
    for info in (gone, silent):
        store.worker_heartbeat(info, items_done=1)
    store.worker_stopped(gone.id, items_done=3)
    _age(store, silent.id, seconds=16)  # more than 3 × 5 s
    views = {v.worker.id: v for v in WorkerDirectory(store).list()}
    assert views[gone.id].state == WorkerState.STOPPED
    assert views[gone.id].worker.items_done == 3
    assert views[silent.id].state == WorkerState.STALE
    assert views[silent.id].seen_ago_s >= 16
    running = store.list_workers(running_only=True)
    assert [w.id for w in running] == [silent.id]


def test_listing_filters_by_queue_and_shows_the_latest_first(store: Store) -> None:
    a, b, other = _info(), _info(), _info(task_queue="elsewhere")
    for info in (a, b, other):
        store.worker_heartbeat(info, items_done=0)
    _age(store, a.id, seconds=5)
    assert [w.id for w in store.list_workers(task_queue="reams")] == [b.id, a.id]
    assert [w.id for w in store.list_workers(task_queue="elsewhere")] == [other.id]


def test_old_rows_are_swept_and_a_swept_worker_comes_back(store: Store) -> None:
    alive, stopped_long_ago, unseen_long = _info(), _info(), _info()
    stopped_recently = _info()
    for info in (alive, stopped_long_ago, unseen_long, stopped_recently):
        store.worker_heartbeat(info, items_done=0)
    store.worker_stopped(stopped_recently.id, items_done=0)
    _age(store, stopped_long_ago.id, seconds=2 * 86400, stopped=True)
    _age(store, unseen_long.id, seconds=2 * 86400)
    assert store.sweep_workers(older_than_s=86400) == 2
    assert {w.id for w in store.list_workers()} == {alive.id, stopped_recently.id}
    # A worker cut off from the database for longer than that writes its row again.
    store.worker_heartbeat(unseen_long, items_done=9)
    assert {w.id: w.items_done for w in store.list_workers()}[unseen_long.id] == 9


def test_a_dispatch_error_is_recorded_kept_from_the_first_time_and_cleared(store: Store) -> None:
    job = _job_with_files(store, 2)
    assert store.mark_dispatched(job.id)
    fresh = store.get_job(job.id, project_id=None)
    assert (fresh.dispatch_error, fresh.dispatch_error_at) == (None, None)
    assert not store.clear_dispatch_error(job.id)  # nothing to clear: no write

    store.record_dispatch_error(job.id, "Temporal at x:7233 did not start the workflow: down")
    first = store.get_job(job.id, project_id=None)
    assert first.dispatch_error is not None and "down" in first.dispatch_error
    assert first.dispatch_error_at is not None
    assert first.updated_at == fresh.updated_at  # the ETA's clock does not move
    wire = batch_status_model(first).job
    assert wire.dispatch_error == first.dispatch_error
    assert wire.dispatch_error_at == first.dispatch_error_at

    time.sleep(0.02)
    store.record_dispatch_error(job.id, "Temporal at x:7233 did not start the workflow: timeout")
    again = store.get_job(job.id, project_id=None)
    assert again.dispatch_error is not None and again.dispatch_error.endswith("timeout")
    assert again.dispatch_error_at == first.dispatch_error_at  # since the first failure

    assert store.clear_dispatch_error(job.id)
    cleared = store.get_job(job.id, project_id=None)
    assert (cleared.dispatch_error, cleared.dispatch_error_at) == (None, None)
    assert batch_status_model(cleared).job.dispatch_error is None


def test_an_ended_job_shows_no_dispatch_error(store: Store) -> None:
    job = _job_with_files(store, 1)
    store.mark_dispatched(job.id)
    store.record_dispatch_error(job.id, "down")
    store.cancel_job(job.id, reason="no longer needed")
    ended = store.get_job(job.id, project_id=None)
    assert batch_status_model(ended).job.dispatch_error is None
    store.record_dispatch_error(job.id, "down again")  # ended jobs are not written
    assert store.get_job(job.id, project_id=None).dispatch_error == "down"


def test_a_start_that_failed_late_is_forgotten_once_the_job_ran(store: Store) -> None:
    """Two attempts to start a workflow can overlap (the API's own, still retrying, and the
    sweeper's): the one that fails may write its error after the other succeeded. Whoever
    succeeds clears it whatever its snapshot of the job said, and a completed job keeps none."""
    job = _job_with_files(store, 2)
    store.mark_dispatched(job.id)
    claimed = store.claim(owner="w", lease_s=30, limit=10)
    store.record_dispatch_error(job.id, "Temporal at x:7233 did not start the workflow: late")
    assert store.get_job(job.id, project_id=None).dispatch_error is not None  # still running
    assert store.clear_dispatch_error(job.id) and not store.clear_dispatch_error(job.id)

    store.record_dispatch_error(job.id, "Temporal at x:7233 did not start the workflow: late")
    for item in claimed:
        assert store.complete(item, owner="w", completion=_outcome(job))
    done = store.get_job(job.id, project_id=None)
    assert done.status == "completed"
    assert (done.dispatch_error, done.dispatch_error_at) == (None, None)
