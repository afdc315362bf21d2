"""The v2 batches (`/api/v2/batches`, spec §10): one product job per file of a directory.

A v2 batch is a reams batch job seen through this model: the same id, engine, counters and
dedup as the v1 view of it (`/api/v1/beta/batch-processing/{id}`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from reams.wire.batch import PRIORITY_DOC, Priority
from reams.wire.common import WireModel

BatchJobType = Literal["parse_v2", "extract_v2"]
BatchStatusName = Literal["CANCELLED", "COMPLETED", "FAILED", "PENDING", "RUNNING", "THROTTLED"]


class BatchJobConfig(WireModel):
    """The job to create for each file of the source directory."""

    type: BatchJobType = Field(description="Product job run for each file.")
    configuration_id: str = Field(
        description="A saved configuration (`/api/v1/beta/configurations`) of the same product "
        "type, or a built-in preset such as `cfg-PARSE_AGENTIC`."
    )


class BatchConfig(WireModel):
    """The batch's configuration snapshot."""

    job: BatchJobConfig = Field(description="The job to create for each file.")


class BatchCreate(WireModel):
    """Body of `POST /api/v2/batches`."""

    source_directory_id: str = Field(description="The directory whose files are processed.")
    config: BatchConfig = Field(description="What to run on each file.")
    webhook_configuration_ids: list[str] | None = Field(
        default=None,
        description="Saved webhook configurations to notify (recorded; delivery is not "
        "implemented yet).",
    )
    webhook_configurations: list[dict[str, Any]] | None = Field(
        default=None, description="Inline webhook endpoints (accepted; not delivered yet)."
    )
    priority: Priority | None = Field(default=None, description=PRIORITY_DOC)


class JobReference(WireModel):
    """The product job that holds a file's result: read it at `/api/v2/parse/{id}` or
    `/api/v2/extract/{id}`."""

    id: str = Field(description="The product job id (`pjb-...` or `ejb-...`).")
    type: BatchJobType = Field(description="Its product type.")


class BatchResult(WireModel):
    """One file of the batch: its result's job, or why there is none."""

    source_directory_file_id: str = Field(description="The directory file (`dfl-...`).")
    job_reference: JobReference | None = Field(
        default=None, description="The file's product job, once it has a result."
    )
    error_message: str | None = Field(
        default=None,
        description="Why the file has no result: `<error_code>: <message>` for a failed file, "
        "`cancelled` or `skipped: <reason>`; null while it is pending or running.",
    )


class Batch(WireModel):
    """A batch. `FAILED` means its orchestration failed (never that some files failed:
    those show in `results`); pending and running are `PENDING` and `RUNNING`."""

    id: str = Field(description="The batch id (the same job as in the v1 batch API).")
    project_id: str = Field(description="Project the batch belongs to.")
    source_directory_id: str = Field(description="The directory being processed.")
    config: BatchConfig = Field(description="The batch's configuration snapshot.")
    status: BatchStatusName = Field(description="Current status (never THROTTLED here).")
    created_at: datetime | None = Field(default=None, description="When it was created.")
    updated_at: datetime | None = Field(default=None, description="When it last changed.")
    results: list[BatchResult] | None = Field(
        default=None, description="Per-file results: only with `expand=results`."
    )
    priority: int | None = Field(default=None, description=PRIORITY_DOC)
