"""The v1 batch-processing family (spec §4–§5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from reams.domain.fairness import PRIORITY_MAX, PRIORITY_MIN
from reams.wire.common import WireModel

JobTypeName = Literal["parse", "extract", "classify"]
PRIORITY_DOC = (
    f"reams extension: orders this job among its project's jobs, higher first "
    f"({PRIORITY_MIN}..{PRIORITY_MAX}, default 0). Projects take turns whatever their jobs' "
    "priorities: a project's priorities never hold another project's jobs back."
)


def _json_integer(value: object) -> object:
    """An integer as JSON Schema has it (``3``, or ``3.0``), never a string or a boolean."""
    if isinstance(value, (bool, str)):
        raise ValueError("must be an integer")
    return value


# The bounds before the validator: that way pydantic writes them into the OpenAPI schema as
# ``minimum`` / ``maximum`` (after it, as keys no client or fuzzer understands).
Priority = Annotated[int, Field(ge=PRIORITY_MIN, le=PRIORITY_MAX), BeforeValidator(_json_integer)]
JobStatusName = Literal["pending", "running", "dispatched", "completed", "failed", "cancelled"]
ItemStatusName = Literal["pending", "processing", "completed", "failed", "skipped", "cancelled"]


class BatchCreate(WireModel):
    """Body of `POST /api/v1/beta/batch-processing`."""

    job_config: dict[str, Any] = Field(
        description=(
            "A parse config (`job_name: parse_raw_file_job`, `parameters`) or a classify config "
            "(`rules`). `{}` is a parse job with default parameters."
        )
    )
    directory_id: str | None = Field(default=None, description="Process every file here.")
    item_ids: list[str] | None = Field(
        default=None, description="Or: process only these directory files (`dfl-...`)."
    )
    page_size: int | None = Field(
        default=None,
        ge=1,
        le=10_000,
        description="Temporal engine: items one activity processes at most (a page). "
        "Default: the server's `temporal_slice_size`.",
    )
    continue_as_new_threshold: int | None = Field(
        default=None,
        ge=1,
        description="Temporal engine: items one workflow run processes before it continues "
        "as new, keeping histories small. Default: the server's setting.",
    )
    priority: Priority | None = Field(default=None, description=PRIORITY_DOC)


class BatchJob(WireModel):
    """A batch job and its item counters.

    `total_items` always equals the sum of the items in every state; `processed_items` counts
    completed items, `failed_items` failed ones and `skipped_items` skipped ones. `status` is
    `failed` only when the orchestration itself failed, never because some items failed.
    """

    id: str = Field(description="Batch job id (`bjb-<uuid>`).")
    job_type: JobTypeName
    project_id: str
    status: JobStatusName
    total_items: int = Field(description="Items in the job (sum over all item states).")
    processed_items: int | None = Field(default=None, description="Completed items.")
    failed_items: int | None = Field(default=None, description="Failed items.")
    skipped_items: int | None = Field(default=None, description="Already processed or too large.")
    pending_items: int | None = Field(default=None, description="Items not yet started.")
    processing_items: int | None = Field(default=None, description="Items in flight.")
    cancelled_items: int | None = Field(default=None, description="Items cancelled before start.")
    directory_id: str | None = None
    workflow_id: str | None = Field(default=None, description="`reams-batch-<job_id>`.")
    created_at: datetime | None = None
    updated_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    effective_at: datetime | None = Field(
        default=None,
        description="When the current status took effect: completion for a finished job, "
        "start for a running one, else its last change.",
    )
    error_message: str | None = None
    job_record_id: str | None = Field(
        default=None,
        description="Always null: a reams job keeps no status records apart from itself "
        "(its `id` is the record); items name theirs.",
    )
    estimated_completion_at: datetime | None = Field(
        default=None,
        description="Estimated completion time from recent throughput; null until estimable.",
    )
    dispatch_error: str | None = Field(
        default=None,
        description="reams extension: why the job's orchestration (its Temporal workflow) "
        "could not be started yet, e.g. Temporal is unreachable. The server keeps trying and "
        "the job starts by itself; null once it started, and always for a job that is only "
        "waiting for workers.",
    )
    dispatch_error_at: datetime | None = Field(
        default=None,
        description="reams extension: since when `dispatch_error` holds (its first failure).",
    )
    priority: int | None = Field(default=None, description=PRIORITY_DOC)
    pages_total: int | None = Field(
        default=None,
        description="reams extension: pages of the job's documents parsed in page parts "
        "(PDFs over `REAMS_SLICE_PAGES` pages, spread over several workers); 0 when none. "
        "An item that fails or is cancelled in parts takes its pages out of both counts.",
    )
    pages_done: int | None = Field(
        default=None,
        description="reams extension: of `pages_total`, the pages parsed so far.",
    )


class BatchStatus(WireModel):
    """`get_status`: the job plus `progress_percentage` = 100 × terminal items / total
    (terminal: completed, failed, skipped, cancelled; 100 for an empty finished job)."""

    job: BatchJob
    progress_percentage: float


class BatchCancel(WireModel):
    reason: str | None = Field(default=None, description="Why the job was cancelled.")


class BatchCancelResponse(WireModel):
    job_id: str
    message: str
    processed_items: int = Field(description="Items completed before cancellation.")
    status: JobStatusName


class BatchRetry(WireModel):
    """reams extension: which failed items to retry (both empty: every failed item)."""

    error_codes: list[str] | None = Field(
        default=None, description="Retry only items that failed with one of these codes."
    )
    item_ids: list[str] | None = Field(
        default=None, description="Retry only these items (directory file ids, `dfl-...`)."
    )


class BatchRetryResponse(WireModel):
    job_id: str
    retried_items: int = Field(description="Failed items moved back to pending.")
    status: JobStatusName


class JobItem(WireModel):
    item_id: str = Field(description="The directory file id (`dfl-...`).")
    item_name: str
    status: ItemStatusName
    job_id: str | None = Field(
        default=None, description="Underlying result job id: GET /api/v2/parse/{job_id}."
    )
    skip_reason: str | None = None
    error_code: str | None = Field(default=None, description="Stable error code of a failure.")
    error_message: str | None = None
    attempts: int | None = Field(
        default=None,
        description="Attempts charged to the item: claims that ended in an outcome or a retry "
        "(a claim lost with its process is counted in `losses` instead).",
    )
    losses: int | None = Field(
        default=None,
        description="reams extension: claims lost with their process (the server or worker was "
        "killed or crashed), not the item's fault and not counted as attempts; the item fails "
        "as `worker_lost` after REAMS_MAX_LOSSES of them.",
    )
    started_at: datetime | None = None
    completed_at: datetime | None = None
    effective_at: datetime | None = Field(
        default=None,
        description="When the current status took effect: completion of a finished item, "
        "start of one in flight, else its last change (creation or retry).",
    )
    job_record_id: str | None = Field(
        default=None,
        description="The result record behind the status (same as `job_id`), when it has one.",
    )


class ProcessingResult(WireModel):
    result_id: str
    item_id: str
    job_type: JobTypeName
    job_config: dict[str, Any]
    output_s3_path: str = Field(description="Where the output is stored (`reams-blob://sha256`).")
    parameters_hash: str
    processed_at: datetime
    output_metadata: dict[str, Any] | None = None


class ItemProcessingResults(WireModel):
    item_id: str
    item_name: str
    processing_results: list[ProcessingResult] | None = None
