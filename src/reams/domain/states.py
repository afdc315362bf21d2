"""Job and item states and the only transitions allowed between them.

The tables below are the documentation: the store's compare-and-set updates read them, so a
transition that is not listed here cannot happen.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class JobStatus(StrEnum):
    PENDING = "pending"
    DISPATCHED = "dispatched"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ItemStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class PartStatus(StrEnum):
    """A page part of a huge document (docs/slices.md). A merge part waits until every page
    part is completed, then is pending; claimed, it hands the item back to one worker."""

    WAITING = "waiting"
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"


class PartKind(StrEnum):
    PAGES = "pages"  # parse a range of pages
    MERGE = "merge"  # join the page parts into the item's result


class JobType(StrEnum):
    PARSE = "parse"
    EXTRACT = "extract"
    CLASSIFY = "classify"


class SkipReason(StrEnum):
    ALREADY_PROCESSED = "already_processed"
    SIZE_LIMIT_EXCEEDED = "size_limit_exceeded"


class Outcome(StrEnum):
    """How the engine settled one claimed item (what its driver reports back)."""

    COMPLETED = "completed"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"  # claimed, but its job was cancelled before it began
    RETRY = "pending"  # failed retryably: back to pending, due after a backoff
    LOST = "lost"  # the lease was lost before recording: another owner has the item
    ERROR = "error"  # not even the failure could be recorded; the lease will expire
    PARTS = "parts"  # split into page parts, or one part recorded: the item is still processing


# Outcomes after which the item no longer needs its claimant (only ERROR leaves it leased).
SETTLED: Final = frozenset(
    {
        Outcome.COMPLETED,
        Outcome.FAILED,
        Outcome.SKIPPED,
        Outcome.CANCELLED,
        Outcome.RETRY,
        Outcome.LOST,
        Outcome.PARTS,
    }
)


# to-state -> states it may be entered from. Terminal states are left in one case only: a
# user's "retry failed items" request (``Jobs.retry_failed``) moves ``failed`` items back to
# ``pending`` and a ``completed`` job back to ``running`` (see RETRY_REOPENS); engines never do.
ITEM_TRANSITIONS: Final[dict[ItemStatus, frozenset[ItemStatus]]] = {
    ItemStatus.PROCESSING: frozenset({ItemStatus.PENDING}),
    # a retry, a reclaimed lease, or (from failed) a user's retry of failed items
    ItemStatus.PENDING: frozenset({ItemStatus.PROCESSING, ItemStatus.FAILED}),
    ItemStatus.COMPLETED: frozenset({ItemStatus.PROCESSING}),
    ItemStatus.FAILED: frozenset({ItemStatus.PROCESSING}),
    ItemStatus.SKIPPED: frozenset({ItemStatus.PENDING, ItemStatus.PROCESSING}),
    ItemStatus.CANCELLED: frozenset({ItemStatus.PENDING}),
}

JOB_TRANSITIONS: Final[dict[JobStatus, frozenset[JobStatus]]] = {
    JobStatus.DISPATCHED: frozenset({JobStatus.PENDING}),
    # from completed: a user's retry of failed items reopens the job
    JobStatus.RUNNING: frozenset({JobStatus.PENDING, JobStatus.DISPATCHED, JobStatus.COMPLETED}),
    JobStatus.COMPLETED: frozenset({JobStatus.PENDING, JobStatus.DISPATCHED, JobStatus.RUNNING}),
    JobStatus.FAILED: frozenset({JobStatus.PENDING, JobStatus.DISPATCHED, JobStatus.RUNNING}),
    JobStatus.CANCELLED: frozenset({JobStatus.PENDING, JobStatus.DISPATCHED, JobStatus.RUNNING}),
}

# The only ways out of a terminal state, both taken by a user's retry of failed items and by
# nothing else: (from, to) for items and for jobs. Cancelled items and cancelled or failed jobs
# are never reopened (cancelling is the user's decision; a failed orchestration is final).
RETRY_REOPENS: Final = frozenset(
    {(ItemStatus.FAILED, ItemStatus.PENDING), (JobStatus.COMPLETED, JobStatus.RUNNING)}
)
# A job whose failed items may be retried (a running one: what has failed so far).
RETRYABLE_JOB: Final = frozenset({JobStatus.DISPATCHED, JobStatus.RUNNING, JobStatus.COMPLETED})

TERMINAL_ITEM: Final = frozenset(
    {ItemStatus.COMPLETED, ItemStatus.FAILED, ItemStatus.SKIPPED, ItemStatus.CANCELLED}
)
TERMINAL_JOB: Final = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED})
ACTIVE_JOB: Final = frozenset({JobStatus.PENDING, JobStatus.DISPATCHED, JobStatus.RUNNING})

# The job row keeps one counter column per item state.
COUNTER_COLUMN: Final[dict[ItemStatus, str]] = {s: f"n_{s.value}" for s in ItemStatus}


def item_sources(to: ItemStatus) -> frozenset[ItemStatus]:
    """The states an item may move to ``to`` from."""
    return ITEM_TRANSITIONS[to]


def job_sources(to: JobStatus) -> frozenset[JobStatus]:
    """The states a job may move to ``to`` from."""
    return JOB_TRANSITIONS[to]


def progress_percentage(*, total: int, terminal: int, job_terminal: bool) -> float:
    """100 x terminal items / total; an empty job is 0 until it ends, then 100."""
    if total == 0:
        return 100.0 if job_terminal else 0.0
    return round(100.0 * terminal / total, 2)


# The v2 surface (batches, parse / classify / extract jobs) speaks upper-case statuses; this
# table is the one place they come from. Nothing is THROTTLED in reams.
V2_JOB_STATUS: Final[dict[JobStatus, str]] = {
    JobStatus.PENDING: "PENDING",
    JobStatus.DISPATCHED: "PENDING",
    JobStatus.RUNNING: "RUNNING",
    JobStatus.COMPLETED: "COMPLETED",
    JobStatus.FAILED: "FAILED",
    JobStatus.CANCELLED: "CANCELLED",
}


def v2_statuses_for(v2_status: str) -> frozenset[JobStatus]:
    """The store states a v2 status filter (``status=PENDING``) selects."""
    return frozenset(s for s, name in V2_JOB_STATUS.items() if name == v2_status)
