"""What crosses the wire between workflows and activities: names and frozen payloads.

Pure data, imported by the workflow sandbox: no I/O, nothing but the standard library.
Payloads carry ids and numbers only; documents and results stay in the store and blob storage.
Renaming anything here breaks running workflows (their histories name it): add, never rename.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

WORKFLOW: Final = "BatchWorkflow"
PLAN: Final = "reams.plan"
PROCESS_SLICE: Final = "reams.process_slice"
JOB_STATE: Final = "reams.job_state"
FAIL_JOB: Final = "reams.fail_job"
CANCEL_JOB: Final = "reams.cancel_job"

# JobState.phase values
DONE: Final = "done"  # the job is terminal in the store: the workflow ends
READY: Final = "ready"  # items are due now (or leases were just reclaimed)
WAITING: Final = "waiting"  # the next item is due, or the next lease expires, in wait_s


@dataclass(frozen=True)
class RetrySpec:
    """Retry policy of item-work activities: covers infrastructure failures only (an item's
    own retryable errors are retried by the engine's item steps through the store)."""

    initial_s: float
    max_interval_s: float
    max_attempts: int  # 0: no limit
    backoff: float = 2.0


@dataclass(frozen=True)
class Plan:
    """How a job's workflow schedules work; decided once by the workers' settings and the
    job's own ``page_size`` / ``continue_as_new_threshold``, then carried across runs."""

    slice_size: int
    fan_out: int
    continue_as_new_threshold: int
    heartbeat_timeout_s: float
    slice_timeout_s: float
    retry: RetrySpec
    # Slices that come back full may grow up to this many items (0: never past slice_size,
    # as in plans from before it and for a job that set its own page size).
    max_slice_size: int = 0


@dataclass(frozen=True)
class BatchInput:
    """The workflow's input: a job id; after continue-as-new also its progress and plan."""

    job_id: str
    processed_so_far: int = 0
    plan: Plan | None = None


@dataclass(frozen=True)
class SliceInput:
    """``max_items``: the slice settles that many items at most; while its items are fast
    (claimed several at a time) it may go on up to ``grow_to`` (0: never past max_items, as
    in histories from before it), which the workflow reserved in its continue-as-new budget."""

    job_id: str
    max_items: int
    grow_to: int = 0


@dataclass(frozen=True)
class SliceResult:
    """``settled``: items this activity moved on (to an outcome or a scheduled retry);
    ``exhausted``: it stopped because the job had nothing due to claim; ``done``: the job's
    terminal items in the store when it ended (-1: unknown, as in histories from before it);
    ``yielded``: it stopped early to let its slot go to a job that ranks ahead (fair
    scheduling), so the workflow should hold back its fan-out for a while."""

    settled: int
    exhausted: bool
    done: int = -1
    yielded: bool = False


@dataclass(frozen=True)
class JobState:
    """``settled``: with DONE, the job's terminal items in the store (-1: unknown)."""

    phase: str
    status: str
    wait_s: float = 0.0
    settled: int = -1


@dataclass(frozen=True)
class FailJob:
    job_id: str
    message: str


@dataclass(frozen=True)
class BatchOutcome:
    job_id: str
    status: str
    settled: int
