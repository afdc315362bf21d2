"""The item pipeline that every engine runs on one isolated worker: claim, begin, process, record.

Pipelined: while the child parses item N, the driver claims and prepares item N+1. Fast items
(the last one took under ``SMALL_ITEM_S``) wait in the child's queue, a claim's worth of them
(``Lane.ahead``), so the child goes from one to the next without waiting for this process: with
one item ahead, the child sat idle before more than half of 1,000 small files (a GIL switch or a
transaction of this process lasts about as long as such an item); slow ones are handed
over once N's output is in (before N is recorded), so a worker never sits on a long item that
an idle one could take. Either way the store's work overlaps the processor's instead of adding
to it. An item queued behind one that takes the child down (crash, timeout) was never begun:
it goes back to pending without spending an attempt. Engines differ only in what they claim
(any job, or one job up to a budget), when they stop, and what else happens when an item
settles.

Outcomes are recorded in batches: they wait in ``_Outcomes`` and are written in one
transaction when the batch is full (``FLUSH_MAX``), its oldest outcome is ``FLUSH_AGE_S`` old
(progress stays live), the pipeline runs dry or the next item is another job's (a small job
served in turns beside a big one completes when its last item does, not a batch later). While
the child works on an item, waiting outcomes are written as soon as the oldest is
``FLUSH_AGE_S`` old, not after that item: a slow item never holds the outcomes before it, and
items of a few tens of milliseconds (too slow to be claimed several at a time) are recorded
several per transaction too. On two cores the engine's process and the worker share the
machine, so fewer transactions is CPU the worker gets.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from reams.domain.errors import ProcessorError
from reams.domain.records import Item
from reams.domain.states import ItemStatus, Outcome, PartKind
from reams.engine.isolation import IsolatedWorker, Task
from reams.engine.processor_output import ProcessorOutput
from reams.engine.steps import RunContext, begin_item, end_item
from reams.store.transitions import Settlement

log = logging.getLogger(__name__)

SMALL_ITEM_S = 0.02  # items faster than this are claimed several at a time
CLAIM_AHEAD_S = 0.05  # fast items: a claim takes about this much work (one transaction)
CLAIM_BATCH = 32  # and never more items than this
FLUSH_MAX = 32  # outcomes written in one transaction at most
FLUSH_AGE_S = 0.1  # about the longest an outcome waits to be written (a job ends on time)

Claim = Callable[[int], list[Item]]
T = TypeVar("T")


@dataclass
class DriveHooks:
    """What an engine plugs into the pipeline.

    ``claim(n)`` takes up to n items (leased to the context's owner); ``stopping()`` says to
    take no new item; ``pause(s)`` waits before recording an infrastructure failure (and may
    return early when stopping); ``settled(item, outcome)`` hears of every item's outcome.
    """

    claim: Claim
    stopping: Callable[[], bool]
    pause: Callable[[float], object]
    settled: Callable[[Item, Outcome], None] = lambda _item, _outcome: None


class ItemDriver:
    """Runs claimed items through ``begin_item`` → the child process → ``end_item``."""

    def __init__(self, *, ctx: RunContext, worker: IsolatedWorker, hooks: DriveHooks) -> None:
        self.ctx = ctx
        self.worker = worker
        self.hooks = hooks
        self.lane = Lane()
        self.outcomes = _Outcomes()
        # Jobs found ended (cancelled) as an item of theirs came out of the child: the one
        # item of each that was recorded all the same (see ``_overtaken``).
        self._recorded_after_end: set[str] = set()

    def run(self) -> bool:
        """Process claimed items back to back; False when there was nothing to claim."""
        first = self._next_task_or_none()
        if first is None:
            return False
        self.worker.submit(first[1])
        handed: deque[tuple[Item, Task]] = deque([first])  # in the child's queue, in order
        while handed:
            upcoming = self._top_up(handed)
            item = handed.popleft()[0]
            if self.outcomes and not self.worker.answered(self.outcomes.wait_left()):
                self._flush()  # the child is still at work: the waiting outcomes go now
            output = _collect(self.worker)
            if upcoming is not None:  # slow items: handed over one at a time
                self.worker.submit(upcoming[1])
                handed.append(upcoming)
            if item.part is None or item.part.kind is not PartKind.MERGE:
                # A merge of page parts is quick whatever the document: it says nothing of
                # how long the next items take.
                self.lane.observe(output)
            if self._overtaken(item):
                continue
            ended = self._guarded(item, partial(end_item, self.ctx, item, output))
            if isinstance(ended, Settlement):
                self.outcomes.add(ended)
                if not handed or self.outcomes.due():
                    self._flush()
                elif handed[0][0].job_id != item.job_id:
                    # Claims turn to another job (fair turns): this one may have just had its
                    # last item, and its completion should not wait on the other's batch.
                    self._flush()
            else:
                self._settled(item, ended)
        self._flush()
        self._recorded_after_end.clear()
        return True

    def _top_up(self, handed: deque[tuple[Item, Task]]) -> tuple[Item, Task] | None:
        """Fast items: fill the child's queue up to ``lane.ahead`` tasks, so the child goes
        from one to the next without waiting for this process to read and record each (a
        few milliseconds of this process's time, a GIL switch or a transaction, would
        otherwise leave the child idle between items of about that length). Slow items: the
        next task, prepared now and handed over once the current one's output is in."""
        if self.hooks.stopping():
            return None
        if not self.lane.fast:
            return self._next_task_or_none() if len(handed) == 1 else None
        room = min(self.lane.ahead, self.worker.room)
        while len(handed) < room:
            upcoming = self._next_task_or_none()
            if upcoming is None:
                break
            self.worker.submit(upcoming[1])
            handed.append(upcoming)
        return None

    def _overtaken(self, item: Item) -> bool:
        """Whether ``item``'s job was cancelled (or failed) before this item reached the
        front of the child's queue: then it is given back (it ends cancelled, as a claimed
        item not yet begun does) and its output dropped. Of a job found ended here, the first
        item collected is recorded (the child may have been working on it when the cancel
        came); the ones queued behind it never count as completed, whatever the queue's
        depth."""
        try:
            if not self.ctx.job_ended(item.job_id):
                return False
        except Exception:  # the store failed: recording the item will say so
            log.exception("checking the job of %s failed", item.id)
            return False
        if item.job_id not in self._recorded_after_end:
            self._recorded_after_end.add(item.job_id)
            return False
        self._settled(item, self._guarded(item, partial(_give_back, self.ctx, item)))
        return True

    def _flush(self) -> None:
        """Write the waiting outcomes in one transaction and tell the engine of each."""
        batch = self.outcomes.take()
        if not batch:
            return
        try:
            won = self.ctx.store.settle(batch, owner=self.ctx.owner)
        except Exception:  # the store failed, not the documents
            log.exception("recording %d outcome(s) failed", len(batch))
            self.hooks.pause(self.ctx.config.poll_interval_s)
            for settlement in batch:
                self._settled(settlement.item, self._record_infrastructure_failure(settlement.item))
            return
        for settlement, ok in zip(batch, won, strict=True):
            if not ok:
                log.warning(
                    "lease on %s was lost before its outcome; discarded", settlement.item.id
                )
            outcome = _SETTLED_AS[settlement.to] if ok else Outcome.LOST
            self._settled(settlement.item, outcome)

    def unstarted(self) -> list[Item]:
        """Take back the items claimed but never begun (the driver stopped early)."""
        left = list(self.lane.claimed)
        self.lane.claimed.clear()
        for item in left:
            self.ctx.forget_prior(item)
        return left

    def _next_task_or_none(self) -> tuple[Item, Task] | None:
        """``_next_task`` for the pipeline: a store error must not strand the item in flight."""
        try:
            return self._next_task()
        except Exception:
            log.exception("claiming the next item failed; will try again")
            return None

    def _next_task(self) -> tuple[Item, Task] | None:
        """Take items (claiming a batch when the lane is empty) until one needs processing."""
        while True:
            if not self.lane.claimed:
                claimed = self.hooks.claim(self.lane.batch)
                if not claimed:
                    return None
                if len(claimed) > 1:
                    self._guarded_prefetch(claimed)
                self.lane.claimed.extend(claimed)
            item = self.lane.claimed.popleft()
            prepared = self._guarded(item, partial(begin_item, self.ctx, item))
            if isinstance(prepared, Task):
                return item, prepared
            self._settled(item, prepared)

    def _guarded_prefetch(self, claimed: list[Item]) -> None:
        try:
            self.ctx.prefetch_priors(claimed)
        except Exception:  # each item then asks for itself as it is begun
            log.exception("looking up earlier results failed; will ask per item")

    def _guarded(self, item: Item, step: Callable[[], T]) -> T | Outcome:
        try:
            return step()
        except Exception:  # the store or blob storage failed, not the document
            log.exception("recording failed for %s", item.id)
            return self._infrastructure_failure(item)

    def _settled(self, item: Item, state: Task | Outcome) -> None:
        """The item has its outcome (the store completed the job with the last one): tell the
        engine."""
        self.hooks.settled(item, state if isinstance(state, Outcome) else Outcome.ERROR)

    def _infrastructure_failure(self, item: Item) -> Outcome:
        """Retry later (or give up after max attempts); if even that fails, the lease expires."""
        self.hooks.pause(self.ctx.config.poll_interval_s)
        return self._record_infrastructure_failure(item)

    def _record_infrastructure_failure(self, item: Item) -> Outcome:
        config, store, owner = self.ctx.config, self.ctx.store, self.ctx.owner
        try:
            if item.attempts < config.max_attempts:
                store.retry_later(
                    item,
                    owner=owner,
                    code="internal_error",
                    message="reams could not record this item; it will be retried.",
                    delay_s=config.retry_backoff_s,
                )
                return Outcome.RETRY
            store.fail(
                item,
                owner=owner,
                code="internal_error",
                message="reams could not record this item after several attempts.",
            )
            return Outcome.FAILED
        except Exception:
            log.exception("could not record the failure of %s", item.id)
            return Outcome.ERROR


def _give_back(ctx: RunContext, item: Item) -> Outcome:
    """Release an item of an ended job unrecorded: the store cancels what returns to a
    cancelled job (a page part's item was cancelled with its job)."""
    if item.part is not None and item.part.kind is PartKind.PAGES:
        ctx.store.release_part(item, owner=ctx.owner)
    else:
        ctx.store.release(item, owner=ctx.owner)
    return Outcome.CANCELLED


def _collect(worker: IsolatedWorker) -> ProcessorOutput | ProcessorError:
    try:
        return worker.collect()
    except ProcessorError as exc:
        return exc


_SETTLED_AS = {ItemStatus.COMPLETED: Outcome.COMPLETED, ItemStatus.FAILED: Outcome.FAILED}


class _Outcomes:
    """Terminal outcomes waiting to be written together."""

    def __init__(self) -> None:
        self._waiting: list[Settlement] = []
        self._since = 0.0

    def __bool__(self) -> bool:
        return bool(self._waiting)

    def add(self, settlement: Settlement) -> None:
        if not self._waiting:
            self._since = time.monotonic()
        self._waiting.append(settlement)

    def due(self) -> bool:
        return len(self._waiting) >= FLUSH_MAX or self.wait_left() <= 0

    def wait_left(self) -> float:
        """How much longer the oldest waiting outcome may wait."""
        return FLUSH_AGE_S - (time.monotonic() - self._since)

    def take(self) -> list[Settlement]:
        taken, self._waiting = self._waiting, []
        return taken


@dataclass
class Lane:
    """Claimed-but-not-started items and how many to claim at once.

    Small items are claimed in batches sized to about ``CLAIM_AHEAD_S`` of work (one
    transaction for several, and no driver holds more than a moment of work another idle one
    could be doing, or that a job of another project waits behind); large ones one at a time.
    """

    claimed: deque[Item] = field(default_factory=deque)
    batch: int = 1
    _pace: float = SMALL_ITEM_S  # a running mean of fast items' processing time

    def observe(self, output: ProcessorOutput | ProcessorError) -> None:
        """Learn the pace from an item's output. A document answered only with "split me into
        page parts" (``split_pages``) took a moment to look at but is a large one: it must not
        make the lane claim several such documents at once (one driver then held eight 300-page
        PDFs while the other worker ran out of work: ``--workers 2`` scaled 1.3-1.4x)."""
        if (
            not isinstance(output, ProcessorOutput)
            or output.split_pages
            or output.duration_s >= SMALL_ITEM_S
        ):
            self.batch = 1
            return
        self._pace += (max(output.duration_s, 1e-4) - self._pace) * 0.2
        self.batch = max(2, min(CLAIM_BATCH, round(CLAIM_AHEAD_S / self._pace)))

    @property
    def fast(self) -> bool:
        return self.batch > 1

    @property
    def ahead(self) -> int:
        """How many tasks to keep in the child's queue: a claim's worth (about
        ``CLAIM_AHEAD_S`` of work) when items are fast."""
        return self.batch
