"""The local engine: worker threads, each driving one isolated child process, over the store.

Durable by construction: all state is in the store. On start it reclaims expired leases and
resumes every unfinished job; while running it renews the leases of its in-flight items, so a
killed process's items come back after one lease period and are processed exactly once.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from reams.domain.errors import ProcessorError
from reams.domain.records import Item, Job
from reams.domain.states import JobStatus
from reams.engine.base import EngineConfig
from reams.engine.isolation import IsolatedWorker, Task
from reams.engine.outputs import ProcessorOutput
from reams.engine.run_item import RunContext, begin_item, end_item
from reams.store.blobs import BlobStore
from reams.store.transitions import Store

log = logging.getLogger(__name__)

SMALL_ITEM_S = 0.02  # items faster than this are claimed several at a time
CLAIM_BATCH = 8


class LocalEngine:
    """Runs items of submitted jobs with ``config.workers`` isolated worker processes."""

    def __init__(self, *, store: Store, blobs: BlobStore, config: EngineConfig) -> None:
        self.store = store
        self.config = config
        self.owner = f"local-{uuid.uuid4().hex[:12]}"
        self.ctx = RunContext(store=store, blobs=blobs, config=config, owner=self.owner)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._inflight: dict[str, Item] = {}
        self._lock = threading.Lock()
        self.on_item_done: Callable[[Item, str], None] | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        if self._threads:
            return
        self.store.reclaim_expired(max_attempts=self.config.max_attempts)
        for job_id in self.store.active_job_ids():
            self._prepare(job_id)
        for n in range(self.config.workers):
            self._spawn(self._work_loop, f"reams-worker-{n}")
        self._spawn(self._housekeeping_loop, "reams-housekeeping")

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self, *, grace_s: float = 30.0) -> None:
        """Stop claiming; let in-flight items finish within ``grace_s``, then release them."""
        self._stopping.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(grace_s)
        self._threads.clear()
        with self._lock:
            leftover = list(self._inflight.values())
        for item in leftover:
            self.store.release(item, owner=self.owner)

    # -- jobs --------------------------------------------------------------------------------
    def submit(self, job_id: str) -> None:
        self._prepare(job_id)
        self._wake.set()

    def _prepare(self, job_id: str) -> None:
        """Dispatch a job: bulk-skip what planning can decide, then let workers claim the rest."""
        job = self.store.get_job(job_id, project_id=None)
        self.store.mark_dispatched(job_id)
        self.store.skip_too_large(job_id, max_bytes=self.config.max_file_bytes)
        settings = self.ctx.job_settings(job_id)
        if not settings.bypass_cache:
            self.store.skip_already_processed(
                job_id, project_id=job.project_id, parameters_hash=settings.parameters_hash
            )
        self.store.finalize_if_done(job_id)

    def cancel(self, job_id: str, *, reason: str | None) -> Job:
        return self.store.cancel_job(job_id, reason=reason)

    # -- threads -----------------------------------------------------------------------------
    def _work_loop(self) -> None:
        worker = IsolatedWorker(
            memory_limit_mb=self.config.worker_memory_limit_mb,
            max_items=self.config.worker_max_items,
            max_rss_mb=self.config.worker_max_rss_mb,
        )
        lane = _Lane()
        try:
            while not self._stopping.is_set():
                if not self._work_once(worker, lane):
                    self._wake.wait(self.config.poll_interval_s)
                    self._wake.clear()
        finally:
            worker.close()

    def _work_once(self, worker: IsolatedWorker, lane: _Lane) -> bool:
        """Process claimed items back to back; False when there was nothing to claim.

        Pipelined: while the child parses item N, this thread claims and prepares item N+1 and,
        once N's output is in, hands N+1 to the child before recording N, so the store's work
        overlaps the processor's instead of adding to it.
        """
        current = self._next_task_or_none(lane)
        if current is None:
            return False
        worker.submit(current[1])
        while current is not None:
            upcoming = None if self._stopping.is_set() else self._next_task_or_none(lane)
            output = _collect(worker)
            if upcoming is not None:
                worker.submit(upcoming[1])
            lane.observe(output)
            item = current[0]
            self._settled(item, self._guarded(item, partial(end_item, self.ctx, item, output)))
            current = upcoming
        return True

    def _next_task_or_none(self, lane: _Lane) -> tuple[Item, Task] | None:
        """``_next_task`` for the pipeline: a store error must not strand the item in flight."""
        try:
            return self._next_task(lane)
        except Exception:
            log.exception("claiming the next item failed; will try again")
            return None

    def _next_task(self, lane: _Lane) -> tuple[Item, Task] | None:
        """Take items (claiming a batch when the lane is empty) until one needs processing."""
        while True:
            if not lane.claimed:
                claimed = self.store.claim(
                    owner=self.owner, lease_s=self.config.lease_s, limit=lane.batch
                )
                if not claimed:
                    return None
                with self._lock:
                    self._inflight.update((i.id, i) for i in claimed)
                lane.claimed.extend(claimed)
            item = lane.claimed.popleft()
            prepared = self._guarded(item, partial(begin_item, self.ctx, item))
            if isinstance(prepared, Task):
                return item, prepared
            self._settled(item, prepared)

    def _guarded(self, item: Item, step: Callable[[], Task | str]) -> Task | str:
        try:
            return step()
        except Exception:  # the store or blob storage failed, not the document
            log.exception("recording failed for %s", item.id)
            return self._infrastructure_failure(item)

    def _settled(self, item: Item, state: Task | str) -> None:
        """The item has its outcome: forget it, end the job if it was the last one."""
        with self._lock:
            self._inflight.pop(item.id, None)
        self.store.finalize_if_done(item.job_id)
        if self.on_item_done is not None:
            self.on_item_done(item, state if isinstance(state, str) else "error")

    def _infrastructure_failure(self, item: Item) -> str:
        """Retry later (or give up after max attempts); if even that fails, the lease expires."""
        self._stopping.wait(self.config.poll_interval_s)
        try:
            if item.attempts < self.config.max_attempts:
                self.store.retry_later(
                    item,
                    owner=self.owner,
                    code="internal_error",
                    message="reams could not record this item; it will be retried.",
                    delay_s=self.config.retry_backoff_s,
                )
                return "pending"
            self.store.fail(
                item,
                owner=self.owner,
                code="internal_error",
                message="reams could not record this item after several attempts.",
            )
            return "failed"
        except Exception:
            log.exception("could not record the failure of %s", item.id)
            return "error"

    def _housekeeping_loop(self) -> None:
        interval = max(0.2, self.config.lease_s / 3)
        while not self._stopping.wait(interval):
            try:
                self._housekeeping()
            except Exception:
                log.exception("housekeeping failed; will try again")

    def _housekeeping(self) -> None:
        with self._lock:
            inflight = list(self._inflight)
        self.store.renew_leases(
            owner=self.owner, item_row_ids=inflight, lease_s=self.config.lease_s
        )
        if self.store.reclaim_expired(max_attempts=self.config.max_attempts):
            self._wake.set()
        # Jobs another process created but never dispatched (it died in between).
        for job_id in self.store.active_job_ids(statuses=[JobStatus.PENDING]):
            self._prepare(job_id)
        for job_id in self.store.active_job_ids():
            self.store.finalize_if_done(job_id)


def _collect(worker: IsolatedWorker) -> ProcessorOutput | ProcessorError:
    try:
        return worker.collect()
    except ProcessorError as exc:
        return exc


@dataclass
class _Lane:
    """One worker thread's claimed-but-not-started items and how many to claim at once.

    Small items are claimed in batches (one transaction for several), large ones one at a
    time, so no thread sits on work another idle thread could be doing.
    """

    claimed: deque[Item] = field(default_factory=deque)
    batch: int = 1

    def observe(self, output: ProcessorOutput | ProcessorError) -> None:
        fast = isinstance(output, ProcessorOutput) and output.duration_s < SMALL_ITEM_S
        self.batch = CLAIM_BATCH if fast else 1
