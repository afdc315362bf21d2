"""The batch workflow's activities: everything that touches the store, blobs or processors.

Idempotent by construction: every state change is a compare-and-set in the store, so an
activity retried after a worker died, or run twice by a zombie, never counts an item twice.
Synchronous (they run on the worker's thread pool, one slot per isolated child process) and
never interrupted mid-transaction: cancellation is read between items, not raised into them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from reams.domain.errors import NotFound
from reams.domain.records import Job
from reams.domain.states import TERMINAL_JOB, JobStatus, Outcome
from reams.engine.base import EngineConfig
from reams.engine.dispatch import prepare_job
from reams.engine.steps import RunContext
from reams.engine.temporal.config import TemporalConfig
from reams.engine.temporal.planning import make_plan
from reams.engine.temporal.slices import ChildPool, SliceLimits, SliceRun
from reams.engine.temporal.workflow import contracts as c
from reams.store.blobs import BlobStore
from reams.store.db import utcnow
from reams.store.transitions import Store

CANCEL_REASON = "Cancelled in Temporal."
# The outcomes a worker counts as items done (not retries, lost leases or cancelled claims).
DONE = frozenset({Outcome.COMPLETED, Outcome.FAILED, Outcome.SKIPPED})


class BatchActivities:
    """The activities of one worker process, sharing its store, blobs and child processes."""

    def __init__(
        self, *, store: Store, blobs: BlobStore, config: EngineConfig, temporal: TemporalConfig
    ) -> None:
        self.store = store
        self.blobs = blobs
        self.config = config
        self.temporal = temporal
        self.children = ChildPool(config)
        self._done = 0  # items this process settled to an outcome (``reams workers``)
        self._done_lock = threading.Lock()

    @property
    def items_done(self) -> int:
        return self._done

    def _count(self, outcome: Outcome) -> None:
        if outcome in DONE:
            with self._done_lock:
                self._done += 1

    def definitions(self) -> list[Callable[..., Any]]:
        return [self.plan, self.process_slice, self.job_state, self.fail_job, self.cancel_job]

    def close(self) -> None:
        self.children.close()

    @activity.defn(name=c.PLAN, no_thread_cancel_exception=True)
    def plan(self, job_id: str) -> c.Plan:
        """Decide how the job's workflow schedules work, dispatching the job first if nobody
        has. The API dispatches every job before it starts its workflow, and now sends the
        plan in the workflow's input, so this runs only for workflows started without one
        (before plans rode along): one read, not the dispatch's half-dozen transactions again
        (an item over this worker's size limit, or already processed, is still skipped as it
        is begun)."""
        job = _existing(lambda: self.store.get_job(job_id, project_id=None))
        if job.status == JobStatus.PENDING:
            job = _existing(
                lambda: prepare_job(self.store, job_id, max_file_bytes=self.config.max_file_bytes)
            )
        return make_plan(job, self.config, self.temporal)

    @activity.defn(name=c.PROCESS_SLICE, no_thread_cancel_exception=True)
    def process_slice(self, request: c.SliceInput) -> c.SliceResult:
        """Claim and settle up to ``max_items`` due items of the job; heartbeats throughout."""
        info = activity.info()
        owner = f"t:{info.workflow_run_id}:{info.activity_id}:{info.attempt}"[:64]
        ctx = RunContext(store=self.store, blobs=self.blobs, config=self.config, owner=owner)
        keep_every = min(self.config.lease_s, self.temporal.heartbeat_timeout_s) / 3
        run = SliceRun(
            ctx=ctx,
            job_id=request.job_id,
            limits=SliceLimits(
                request.max_items, self.temporal.slice_max_s, keep_every, request.grow_to
            ),
            interrupted=_interrupted,
            heartbeat=activity.heartbeat,
            on_outcome=self._count,
        )
        with self.children.lease() as child:
            return run.execute(child, self.children)

    @activity.defn(name=c.JOB_STATE, no_thread_cancel_exception=True)
    def job_state(self, job_id: str) -> c.JobState:
        """Nothing was left to claim: is the job done, due later, or holding dead leases?"""
        job = _existing(lambda: self.store.get_job(job_id, project_id=None))
        if job.status in TERMINAL_JOB:
            if self.store.cancel_leftovers(job_id):
                job = self.store.get_job(job_id, project_id=None)
            return c.JobState(c.DONE, job.status, settled=job.counts.terminal)
        if (ended := self.store.finalize_if_done(job_id)) is not None:
            return c.JobState(c.DONE, JobStatus.COMPLETED.value, settled=ended.counts.terminal)
        if self.store.reclaim_expired(max_losses=self.config.max_losses):
            return c.JobState(c.READY, job.status)
        due, expiry = self.store.next_times(job_id)
        upcoming = [t for t in (due, expiry) if t is not None]
        if not upcoming:  # moved on since we looked: look again
            return c.JobState(c.READY, job.status)
        wait_s = max(0.0, (min(upcoming) - utcnow()).total_seconds())
        return c.JobState(c.WAITING if wait_s > 0 else c.READY, job.status, wait_s)

    @activity.defn(name=c.FAIL_JOB, no_thread_cancel_exception=True)
    def fail_job(self, request: c.FailJob) -> None:
        self.store.fail_job(request.job_id, request.message)

    @activity.defn(name=c.CANCEL_JOB, no_thread_cancel_exception=True)
    def cancel_job(self, job_id: str) -> None:
        self.store.cancel_job(job_id, reason=CANCEL_REASON)
        self.store.cancel_leftovers(job_id)


def _interrupted() -> bool:
    return activity.is_cancelled() or activity.is_worker_shutdown()


def _existing(read: Callable[[], Job]) -> Job:
    """A job deleted from the store will not come back: retrying cannot help."""
    try:
        return read()
    except NotFound as exc:
        raise ApplicationError(str(exc), type="NotFound", non_retryable=True) from exc
