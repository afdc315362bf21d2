"""One ``process_slice`` activity's work: claim a job's due items and drive them to outcomes.

Items are claimed as the pipeline needs them (a few at a time when they are fast, one at a
time when slow), so a worker that dies holds few leases and slow items are not hoarded. A
keeper thread heartbeats to Temporal (how a dead worker is noticed, and how cancellation
arrives) and renews the slice's leases while an item runs, however long it takes.

Nothing here imports temporalio: the activity passes in how to heartbeat and how to tell that
it should stop (cancelled, or the worker shutting down).
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from reams.domain.records import Item
from reams.domain.states import SETTLED, Outcome
from reams.engine.base import EngineConfig
from reams.engine.drive import DriveHooks, ItemDriver, Lane
from reams.engine.isolation import IsolatedWorker
from reams.engine.steps import RunContext
from reams.engine.temporal.workflow.contracts import SliceResult

log = logging.getLogger(__name__)


class ChildPool:
    """The worker process's isolated children: one per busy activity slot, reused across
    slices so a child's warm imports and caches outlive one slice."""

    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self._idle: list[IsolatedWorker] = []
        self._lock = threading.Lock()
        # Per child (by id): the job of its last slice and the claim pace its driver learnt.
        self._lanes: dict[int, tuple[str, Lane]] = {}

    def warm(self, count: int) -> None:
        """Boot ``count`` children now (in the background), as the local engine does when it
        starts: a worker's first slices then begin at once instead of waiting out an
        interpreter's start-up and imports while their claimed items' leases run."""
        with self._lock:
            missing = max(0, count - len(self._idle))
        children = [self._new_child() for _ in range(missing)]
        for child in children:
            child.warm()
        with self._lock:
            self._idle.extend(children)

    def _new_child(self) -> IsolatedWorker:
        return IsolatedWorker(
            memory_limit_mb=self.config.worker_memory_limit_mb,
            max_items=self.config.worker_max_items,
            max_rss_mb=self.config.worker_max_rss_mb,
            niceness=self.config.worker_niceness,
        )

    def lane(self, child: IsolatedWorker, job_id: str) -> Lane:
        """How the child's next slice claims: as its last one ended when that was the same
        job's (its items' pace is known: a fast job's slice claims in batches from its first
        claim instead of ramping up again), else from scratch (one at a time until an item
        showed it is fast, so a slow job's items are never hoarded on another's pace)."""
        with self._lock:
            kept = self._lanes.get(id(child))
        return kept[1] if kept is not None and kept[0] == job_id else Lane()

    def keep_lane(self, child: IsolatedWorker, job_id: str, lane: Lane) -> None:
        with self._lock:
            self._lanes[id(child)] = (job_id, lane)

    @contextmanager
    def lease(self) -> Iterator[IsolatedWorker]:
        with self._lock:
            child = self._idle.pop() if self._idle else None
        if child is None:
            child = self._new_child()
        try:
            yield child
        finally:
            if child.busy:  # a task was handed over but never collected: its state is unknown
                child.close(kill=True)
            with self._lock:
                self._idle.append(child)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            child.close()


@dataclass
class SliceLimits:
    max_items: int
    max_s: float
    keep_every_s: float
    # While the items are fast (claimed several at a time), claim past max_items up to this.
    grow_to: int = 0


# How often a slice asks the store whether to let its slot go (fair scheduling): at its first
# claim, then at most this often, so a slice of a long job costs one more read per interval.
YIELD_CHECK_S = 0.25


class SliceRun:
    """Settles up to ``max_items`` of one job's items with one child process (up to
    ``grow_to`` while they are fast)."""

    def __init__(
        self,
        *,
        ctx: RunContext,
        job_id: str,
        limits: SliceLimits,
        interrupted: Callable[[], bool],
        heartbeat: Callable[[int], None],
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.job_id = job_id
        self.limits = limits
        self.interrupted = interrupted
        self.heartbeat = heartbeat
        self.on_outcome = on_outcome
        self.settled = 0
        self.exhausted = False
        self.yielded = False
        self._checked_at: float | None = None
        self._claimed = 0
        self._deadline = time.monotonic() + limits.max_s
        self._inflight: dict[str, Item] = {}
        self._lock = threading.Lock()
        self._failure: Exception | None = None
        self._driver: ItemDriver | None = None

    def execute(self, child: IsolatedWorker, pool: ChildPool | None = None) -> SliceResult:
        """Drive the child until the slice ends; with ``pool``, start from the claim pace the
        child's previous slice of this job learnt, and leave this one's for the next."""
        hooks = DriveHooks(
            claim=self._claim, stopping=self._stopping, pause=time.sleep, settled=self._settled
        )
        driver = self._driver = ItemDriver(ctx=self.ctx, worker=child, hooks=hooks)
        if pool is not None:
            driver.lane = pool.lane(child, self.job_id)
        with self._keeper():
            try:
                driver.run()
            finally:
                self._give_back(driver.unstarted())  # the lane holds no claimed item after it
                if pool is not None:
                    pool.keep_lane(child, self.job_id, driver.lane)
        if self._failure is not None and self.settled == 0:
            raise self._failure  # the store is away: let the activity's retry policy wait
        return SliceResult(
            settled=self.settled,
            exhausted=self.exhausted,
            done=self._job_done(),
            yielded=self.yielded,
        )

    def _job_done(self) -> int:
        """The job's terminal items in the store (one indexed read): what the workflow counts,
        exact however many slice attempts died before reporting theirs; -1 if unreadable."""
        try:
            return self.ctx.store.get_job(self.job_id, project_id=None).counts.terminal
        except Exception:
            log.exception("could not read the progress of job %s", self.job_id)
            return -1

    def _limit(self) -> int:
        """The items this slice may claim: ``max_items``, or up to ``grow_to`` while its items
        are fast (the driver claims them several at a time); slow ones stop it at max_items."""
        fast = self._driver is not None and self._driver.lane.fast
        return max(self.limits.max_items, self.limits.grow_to if fast else 0)

    def _claim(self, wanted: int) -> list[Item]:
        wanted = min(wanted, self._limit() - self._claimed)
        if wanted <= 0 or self._should_yield():
            return []
        try:
            items = self.ctx.store.claim(
                owner=self.ctx.owner,
                lease_s=self.ctx.config.lease_s,
                limit=wanted,
                job_ids=[self.job_id],
            )
        except Exception as exc:
            self._failure = exc
            raise
        self.exhausted = len(items) < wanted
        self._claimed += len(items)
        with self._lock:
            self._inflight.update((i.id, i) for i in items)
        return items

    def _should_yield(self) -> bool:
        """Another job ranks ahead of this one and has fewer items in flight: take nothing
        more, so this slice ends and its slot goes to that job's work (store.should_yield)."""
        now = time.monotonic()
        if self.yielded or (
            self._checked_at is not None and now - self._checked_at < YIELD_CHECK_S
        ):
            return self.yielded
        self._checked_at = now
        try:
            self.yielded = self.ctx.store.should_yield(self.job_id)
        except Exception:  # the claim that follows meets the same trouble and reports it
            log.exception("could not ask whether job %s should yield", self.job_id)
        return self.yielded

    def _stopping(self) -> bool:
        return self.interrupted() or time.monotonic() >= self._deadline

    def _settled(self, item: Item, state: Outcome) -> None:
        with self._lock:
            self._inflight.pop(item.id, None)
        if state in SETTLED:
            self.settled += 1
        if self.on_outcome is not None:
            self.on_outcome(state)

    def _give_back(self, unstarted: list[Item]) -> None:
        """Release claimed items never begun (the attempt does not count); if the job was
        cancelled meanwhile, they end ``cancelled`` like its other pending items."""
        if not unstarted:
            return
        try:
            for item in unstarted:
                self.ctx.store.release(item, owner=self.ctx.owner)
                with self._lock:
                    self._inflight.pop(item.id, None)
            self.ctx.store.cancel_leftovers(self.job_id)
        except Exception:  # their leases expire and the workflow reclaims them
            log.exception("could not give back the unstarted items of job %s", self.job_id)

    @contextmanager
    def _keeper(self) -> Iterator[None]:
        stop = threading.Event()
        # The activity's context (contextvars) lets the thread heartbeat on its behalf.
        context = contextvars.copy_context()
        thread = threading.Thread(
            target=context.run, args=(self._keep, stop), name="reams-slice-keeper", daemon=True
        )
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def _keep(self, stop: threading.Event) -> None:
        while not stop.wait(self.limits.keep_every_s):
            try:
                self.heartbeat(self.settled)
                with self._lock:
                    held = list(self._inflight)
                self.ctx.store.renew_leases(
                    owner=self.ctx.owner, item_row_ids=held, lease_s=self.ctx.config.lease_s
                )
            except Exception:  # a missed renewal is survivable: leases outlast several
                log.exception("keeping the slice of job %s alive failed", self.job_id)
