"""The item pipeline that every engine runs on one isolated worker: claim, begin, process, record.

Pipelined: while the child parses item N, the driver claims and prepares item N+1 and, once
N's output is in, hands N+1 to the child before recording N, so the store's work overlaps the
processor's instead of adding to it. Engines differ only in what they claim (any job, or one
job up to a budget), when they stop, and what else happens when an item settles.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from reams.domain.errors import ProcessorError
from reams.domain.records import Item
from reams.domain.states import Outcome
from reams.engine.isolation import IsolatedWorker, Task
from reams.engine.processor_output import ProcessorOutput
from reams.engine.steps import RunContext, begin_item, end_item

log = logging.getLogger(__name__)

SMALL_ITEM_S = 0.02  # items faster than this are claimed several at a time
CLAIM_BATCH = 8

Claim = Callable[[int], list[Item]]


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
        self.lane = _Lane()

    def run(self) -> bool:
        """Process claimed items back to back; False when there was nothing to claim."""
        current = self._next_task_or_none()
        if current is None:
            return False
        self.worker.submit(current[1])
        while current is not None:
            upcoming = None if self.hooks.stopping() else self._next_task_or_none()
            output = _collect(self.worker)
            if upcoming is not None:
                self.worker.submit(upcoming[1])
            self.lane.observe(output)
            item = current[0]
            self._settled(item, self._guarded(item, partial(end_item, self.ctx, item, output)))
            current = upcoming
        return True

    def unstarted(self) -> list[Item]:
        """Take back the items claimed but never begun (the driver stopped early)."""
        left = list(self.lane.claimed)
        self.lane.claimed.clear()
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
                self.lane.claimed.extend(claimed)
            item = self.lane.claimed.popleft()
            prepared = self._guarded(item, partial(begin_item, self.ctx, item))
            if isinstance(prepared, Task):
                return item, prepared
            self._settled(item, prepared)

    def _guarded(self, item: Item, step: Callable[[], Task | Outcome]) -> Task | Outcome:
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
        config, store, owner = self.ctx.config, self.ctx.store, self.ctx.owner
        self.hooks.pause(config.poll_interval_s)
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


def _collect(worker: IsolatedWorker) -> ProcessorOutput | ProcessorError:
    try:
        return worker.collect()
    except ProcessorError as exc:
        return exc


@dataclass
class _Lane:
    """Claimed-but-not-started items and how many to claim at once.

    Small items are claimed in batches (one transaction for several), large ones one at a
    time, so no driver sits on work another idle one could be doing.
    """

    claimed: deque[Item] = field(default_factory=deque)
    batch: int = 1

    def observe(self, output: ProcessorOutput | ProcessorError) -> None:
        fast = isinstance(output, ProcessorOutput) and output.duration_s < SMALL_ITEM_S
        self.batch = CLAIM_BATCH if fast else 1
