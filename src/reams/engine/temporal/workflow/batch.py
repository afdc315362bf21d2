"""``BatchWorkflow``: one workflow per batch job, deterministic, holding no item state.

The store is the truth, so the workflow never sees item ids: it keeps up to ``fan_out``
``process_slice`` activities running, each of which claims the job's due items from the store
and settles up to ``slice_size`` of them. When the job has nothing left to claim, ``job_state``
says whether it is done, has items due later (retry backoff: sleep until then) or has leases
of dead workers to reclaim. After ``continue_as_new_threshold`` items the workflow continues
as new, so a 100,000-item job never grows one long history.

Imports nothing with I/O (checked by import-linter): only ``temporalio.workflow`` and the
contracts. Any change here must replay the recorded histories in tests/integration/data.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, CancelledError

with workflow.unsafe.imports_passed_through():
    from reams.engine.temporal.workflow import contracts as c

T = TypeVar("T")

BOOKKEEPING_TIMEOUT = timedelta(seconds=60)
# Bookkeeping reads and writes a few rows; while the database is away it waits for it.
BOOKKEEPING_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30)
)
IDLE_S = 1.0  # pause when the store said "ready" but the last round found nothing to claim
MIN_WAIT_S = 0.05
# A slice let its slot go to a job that ranks ahead (fair scheduling): start no new slice
# until the running ones ended, then wait this long before fanning out again.
HOLD_S = 1.0
# Slices that come back full (their items were fast: none ran out of work, time or turn)
# make the next ones twice as large, up to the plan's ``max_slice_size``: every slice
# boundary idles its child for an activity round trip, so 1,000 trivial items in slices of
# 50 spent a sizeable share of their time between slices. Slow items never fill a slice
# (``slice_max_s`` ends it first), and claims stay small, so leases and fairness are as
# before. Histories recorded before it replay without it (``workflow.patched``).
GROWTH_PATCH = "reams-slice-growth-1"
# Bookkeeping (plan, job_state, fail_job, cancel_job) runs as local activities: on the
# worker that runs the workflow task, inside it, on threads of their own. The plan no longer
# costs an activity and a second workflow task through the server before the first slices
# are scheduled, and a cancel reaches the store at once instead of waiting for a slot that
# long slices of fast items hold. Histories recorded before it replay them as activities.
LOCAL_BOOKKEEPING_PATCH = "reams-local-bookkeeping-1"
# Slices may also grow inside: the run's unreserved continue-as-new budget is shared out
# among new slices as ``grow_to``, up to ``max_slice_size``, and a slice whose items are fast
# goes on past its ``max_items`` up to that. The first slices (all scheduled before any came
# back) then take a fast job's items in a few long slices instead of many of ``slice_size``,
# each of whose ends idled its child for a round trip through the server. Slow items stop at
# ``max_items`` as before. Histories recorded before it replay without it.
REACH_PATCH = "reams-slice-reach-1"


@workflow.defn(name=c.WORKFLOW)
class BatchWorkflow:
    """Runs a batch job to its end: every item terminal, or the job cancelled or failed."""

    def __init__(self) -> None:
        self._store_cancelled = False
        self._sizes: Sizes | None = None

    @workflow.run
    async def run(self, batch: c.BatchInput) -> c.BatchOutcome:
        plan = batch.plan
        if plan is None:
            plan = await _bookkeeping(c.PLAN, batch.job_id, c.Plan)
        try:
            return await self._drive(batch, plan)
        except ActivityError as exc:
            if isinstance(exc.cause, CancelledError):
                await self._cancelled(batch.job_id)
                raise
            # Item work failed on every retry: the orchestration failed, not the items.
            message = f"Item work failed on every retry: {exc.cause or exc}"
            await _bookkeeping(c.FAIL_JOB, c.FailJob(batch.job_id, message[:2000]), type(None))
            return c.BatchOutcome(batch.job_id, "failed", batch.processed_so_far)
        except asyncio.CancelledError:
            await self._cancelled(batch.job_id)
            raise

    async def _cancelled(self, job_id: str) -> None:
        """Cancelled through the API (already in the store) or in Temporal (the UI, the CLI):
        the store agrees, and its pending items are cancelled at once, as the API does."""
        if not self._store_cancelled:
            self._store_cancelled = True
            await _bookkeeping(c.CANCEL_JOB, job_id, type(None))

    async def _drive(self, batch: c.BatchInput, plan: c.Plan) -> c.BatchOutcome:
        progress, idle = Progress(batch.processed_so_far), False
        grow = workflow.patched(GROWTH_PATCH)
        self._sizes = Sizes(plan, grow=grow, reach=grow and workflow.patched(REACH_PATCH))
        while True:
            if progress.here >= plan.continue_as_new_threshold:
                carried = c.BatchInput(batch.job_id, progress.total, plan)
                workflow.continue_as_new(carried)
            settled, exhausted, held = await self._round(batch.job_id, plan, progress)
            if held and not exhausted:
                await workflow.sleep(HOLD_S)
                continue
            if not exhausted:
                continue
            state = await _bookkeeping(c.JOB_STATE, batch.job_id, c.JobState)
            if state.phase == c.DONE:
                total = state.settled if state.settled >= 0 else progress.total
                return c.BatchOutcome(batch.job_id, state.status, total)
            if state.phase == c.WAITING or (idle and settled == 0):
                await workflow.sleep(max(state.wait_s, MIN_WAIT_S if not idle else IDLE_S))
            idle = settled == 0

    async def _round(self, job_id: str, plan: c.Plan, progress: Progress) -> tuple[int, bool, bool]:
        """Keep ``fan_out`` slices running until the job has nothing due, a slice yielded its
        slot or the run's budget is spent; returns (items settled, whether a slice found
        nothing more to claim, whether one yielded)."""
        running: list[asyncio.Task[c.SliceResult]] = []
        settled, exhausted, held = 0, False, False
        sizes = self._sizes if self._sizes is not None else Sizes(plan, grow=False)
        try:
            while True:
                if not exhausted and not held:
                    room = plan.continue_as_new_threshold - progress.here
                    running += _more_slices(job_id, plan, room, running, sizes)
                if not running:
                    return settled, exhausted, held
                done, running = await workflow.wait(running, return_when=asyncio.FIRST_COMPLETED)
                _read_outcomes(done)
                for task in done:
                    result = task.result()
                    sizes.ended(task, result)
                    progress.add(result)
                    settled += result.settled
                    exhausted = exhausted or result.exhausted
                    held = held or result.yielded
        except asyncio.CancelledError:
            # The store first (slices then find nothing more to claim), then the running
            # slices hear of it, finish their item and give back what they hold.
            await self._cancelled(job_id)
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
            raise
        except ActivityError:
            # A slice failed for good: let the others end on their own (cancelling them could
            # race with their own failure) before the job is failed.
            await asyncio.gather(*running, return_exceptions=True)
            raise


def _read_outcomes(tasks: Iterable[asyncio.Task[c.SliceResult]]) -> None:
    """Read every finished slice's outcome before the loop raises the first failure: slices
    cancelled with the job often end together, and asyncio logs each whose exception was
    never read ("Task exception was never retrieved"). Reading issues no command."""
    for task in tasks:
        if not task.cancelled():
            task.exception()


class Progress:
    """Items settled: the job's so far (carried across continue-as-new) and this run's share,
    which is the continue-as-new budget.

    Exact from the store: each slice reports the job's terminal items when it ended
    (``SliceResult.done``), so the work of a slice attempt that died (its result never
    arrives) or of leases given up is not lost from the count. Without that report
    (histories recorded before it), the slices' own counts are summed, as they were.
    """

    def __init__(self, so_far: int) -> None:
        self.so_far = so_far
        self.counted = 0  # what the slices said they settled
        self.done = -1  # the largest terminal count the store reported (-1: none yet)

    def add(self, result: c.SliceResult) -> None:
        self.counted += result.settled
        self.done = max(self.done, result.done)

    @property
    def here(self) -> int:
        return self.counted if self.done < 0 else max(0, self.done - self.so_far)

    @property
    def total(self) -> int:
        return self.so_far + self.here


class Sizes:
    """How many items each slice may settle: the plan's ``slice_size``, doubled after a slice
    came back full, up to its ``max_slice_size`` (see ``GROWTH_PATCH``); without growth
    (histories from before it) always the plan's. With ``reach`` (``REACH_PATCH``) a slice of
    fast items may also grow inside, up to its share of the unreserved budget."""

    def __init__(self, plan: c.Plan, *, grow: bool, reach: bool = False) -> None:
        self.grow = grow
        self.reach = reach
        self.base = plan.slice_size
        self.size = plan.slice_size
        self.cap = max(plan.slice_size, plan.max_slice_size)
        # Per running slice: (its max_items, the items reserved for it: its grow_to or that).
        self._asked: dict[asyncio.Task[c.SliceResult], tuple[int, int]] = {}

    def asked(self, task: asyncio.Task[c.SliceResult], size: int, reserved: int) -> None:
        self._asked[task] = (size, max(size, reserved))

    def held(self, running: list[asyncio.Task[c.SliceResult]]) -> int:
        """Items the running slices may still settle, together."""
        if not self.grow:
            return len(running) * self.base
        return sum(self._asked.get(task, (self.base, self.base))[1] for task in running)

    def grow_to(self, new: list[int], room: int) -> int:
        """How far each of the ``new`` slices may grow inside: an equal share of ``room`` (the
        budget they leave unreserved) on top of the largest, at most ``cap``; 0: not past
        their ``max_items``."""
        if not self.reach or not new or room <= 0:
            return 0
        reach = min(self.cap, max(new) + room // len(new))
        return reach if reach > max(new) else 0

    def ended(self, task: asyncio.Task[c.SliceResult], result: c.SliceResult) -> None:
        asked = self._asked.pop(task, (self.base, self.base))[0]
        full = result.settled >= asked and not result.exhausted and not result.yielded
        if self.grow and full:
            self.size = min(max(self.size, asked) * 2, self.cap)


def _more_slices(
    job_id: str, plan: c.Plan, room: int, running: list[asyncio.Task[c.SliceResult]], sizes: Sizes
) -> list[asyncio.Task[c.SliceResult]]:
    """Slices that bring the running ones up to ``fan_out`` without letting them, together,
    settle more than ``room`` items (the rest of the run's continue-as-new budget)."""
    new: list[int] = []
    room -= sizes.held(running)
    while len(running) + len(new) < plan.fan_out and room > 0:
        new.append(min(sizes.size, room))
        room -= sizes.size
    grow_to = sizes.grow_to(new, room)
    tasks = []
    for size in new:
        task = asyncio.create_task(_slice(job_id, plan, size, grow_to))
        sizes.asked(task, size, grow_to)
        tasks.append(task)
    return tasks


async def _slice(job_id: str, plan: c.Plan, size: int, grow_to: int) -> c.SliceResult:
    retry = plan.retry
    result = await workflow.execute_activity(
        c.PROCESS_SLICE,
        c.SliceInput(job_id, size, grow_to),
        result_type=c.SliceResult,
        start_to_close_timeout=timedelta(seconds=plan.slice_timeout_s),
        heartbeat_timeout=timedelta(seconds=plan.heartbeat_timeout_s),
        retry_policy=RetryPolicy(
            initial_interval=timedelta(seconds=retry.initial_s),
            backoff_coefficient=retry.backoff,
            maximum_interval=timedelta(seconds=retry.max_interval_s),
            maximum_attempts=retry.max_attempts,
        ),
        cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    )
    assert isinstance(result, c.SliceResult)
    return result


async def _bookkeeping(name: str, arg: Any, result_type: type[T]) -> T:
    execute = (
        workflow.execute_local_activity
        if workflow.patched(LOCAL_BOOKKEEPING_PATCH)
        else workflow.execute_activity
    )
    result = await execute(
        name,
        arg,
        result_type=result_type,
        start_to_close_timeout=BOOKKEEPING_TIMEOUT,
        retry_policy=BOOKKEEPING_RETRY,
    )
    assert isinstance(result, result_type)
    return result
