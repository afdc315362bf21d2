"""The v1 batch family: `/api/v1/beta/batch-processing` (offset paging, `total_size`).

The API only creates jobs (every item pending) and requests cancellation; status always comes
from the store, whose counters move with each item transition, so `get_status` is O(1).
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Header, Query

from reams.api.deps import OffsetDep, ProjectId, ServicesDep, store_read
from reams.api.idempotent import IDEMPOTENT, IdempotentRoute
from reams.api.present import (
    batch_job_model,
    batch_status_model,
    job_item_model,
    processing_result_model,
)
from reams.domain.records import JobApi, JobOrigin
from reams.service.jobs import JobRequest
from reams.wire import batch as wb
from reams.wire.common import OffsetPage

router = APIRouter(
    prefix="/api/v1/beta/batch-processing", tags=["batch processing"], route_class=IdempotentRoute
)

NamespaceHeader = Annotated[
    str | None,
    Header(
        alias="temporal-namespace",
        description="Temporal engine: the namespace the job's workflow runs in "
        "(default: the server's); recorded on the job either way.",
    ),
]


# Registered before `/{job_id}...` so that its path reads as the routing note in the spec says.
@router.get(
    "/items/{item_id}/processing-results",
    response_model=wb.ItemProcessingResults,
    summary="Processing history of one item across batches",
)
def processing_results(
    item_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    job_type: Annotated[wb.JobTypeName | None, Query()] = None,
) -> wb.ItemProcessingResults:
    name = services.catalog.item_name(item_id, project_id=project_id)
    results = services.catalog.results_for_item(item_id, project_id=project_id, job_type=job_type)
    return wb.ItemProcessingResults(
        item_id=item_id,
        item_name=name,
        processing_results=[
            processing_result_model(r, output_uri=services.blobs.uri(r.output_sha256))
            for r in results
        ],
    )


@router.post(
    "", response_model=wb.BatchJob, summary="Create a batch job", dependencies=[IDEMPOTENT]
)
def create_batch(
    body: wb.BatchCreate,
    services: ServicesDep,
    project_id: ProjectId,
    namespace: NamespaceHeader = None,
) -> wb.BatchJob:
    """Plan the job (all items pending) in one transaction, then hand it to the engine.

    The job type comes from the shape of `job_config`:

    - **parse** (`{}`, or `{"job_name": "parse_raw_file_job", "parameters": {...}}`);
    - **classify**: the v1 `ClassifyJob` shape, `{"rules": [{"type", "description"}], "mode",
      "parsing_configuration": {"lang", "max_pages", "target_pages" (0-indexed)}}`. The
      server-side fields the SDK's typing requires (`id`, `project_id`, `user_id`, `status`) are
      accepted and **ignored**. reams adds `engine` (`auto` | `offline` | `llm`) and
      `confidence_threshold` (0..1; below it the result's `type` is null);
    - **extract**: `{"data_schema": <JSON Schema>, "extract_config": {"extraction_target",
      "target_pages" (1-based, "1,3-5"), "max_pages", "system_prompt", "cite_sources",
      "confidence_scores", "engine", ...}}`.

    Results: each item's `job_id` is readable at `/api/v2/parse/{id}`,
    `/api/v2/classify/{id}` or `/api/v2/extract/{id}`. Poll `GET .../{job_id}` for progress."""
    job = services.jobs.submit(
        JobRequest(
            project_id=project_id,
            job_config=body.job_config,
            directory_id=body.directory_id,
            item_ids=body.item_ids,
            namespace=namespace,
            page_size=body.page_size,
            continue_as_new_threshold=body.continue_as_new_threshold,
            origin=JobOrigin(api=JobApi.V1_BATCH),
            priority=body.priority or 0,
        )
    )
    return batch_job_model(services.catalog.get_job(job.id, project_id=project_id))


@router.get("", response_model=OffsetPage[wb.BatchJob], summary="List batch jobs")
def list_batches(
    services: ServicesDep,
    project_id: ProjectId,
    page: OffsetDep,
    directory_id: Annotated[str | None, Query()] = None,
    job_type: Annotated[wb.JobTypeName | None, Query()] = None,
    status: Annotated[wb.JobStatusName | None, Query()] = None,
) -> OffsetPage[wb.BatchJob]:
    jobs, total = services.catalog.list_jobs(
        project_id=project_id,
        limit=page.limit,
        offset=page.offset,
        directory_id=directory_id,
        job_type=job_type,
        status=status,
    )
    return OffsetPage[wb.BatchJob](
        items=[batch_job_model(j) for j in jobs],
        total_size=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{job_id}", response_model=wb.BatchStatus, summary="Status and progress of a job")
async def get_status(job_id: str, services: ServicesDep, project_id: ProjectId) -> wb.BatchStatus:
    # async: one indexed read, cheaper than the threadpool hop a plain def route would take.
    job = await store_read(services, services.catalog.get_job, job_id, project_id=project_id)
    return batch_status_model(job)


@router.post(
    "/{job_id}/cancel",
    response_model=wb.BatchCancelResponse,
    summary="Cancel a job",
    responses={409: {"description": "The job already completed or failed."}},
)
def cancel_batch(
    job_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    body: wb.BatchCancel | None = None,
    namespace: NamespaceHeader = None,
) -> wb.BatchCancelResponse:
    """Pending items become `cancelled` at once; items in flight finish and are recorded."""
    job = services.jobs.cancel(job_id, project_id=project_id, reason=body.reason if body else None)
    return wb.BatchCancelResponse(
        job_id=job.id,
        message=f"batch job {job.status}",
        processed_items=job.counts.completed,
        status=cast(wb.JobStatusName, job.status),
    )


@router.post(
    "/{job_id}/retry",
    response_model=wb.BatchRetryResponse,
    summary="Retry a job's failed items (reams extension)",
    responses={
        404: {"description": "No such job in this project."},
        409: {"description": "Nothing to retry, or the job was cancelled or failed."},
    },
)
def retry_batch(
    job_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    body: wb.BatchRetry | None = None,
) -> wb.BatchRetryResponse:
    """Send failed items round again: `{"error_codes": [...], "item_ids": [...]}`, both
    optional (empty: every failed item; both: items matching both).

    The items go back to `pending` with their attempt count reset (each gets the full retry
    budget again); their last `error_code` / `error_message` stay readable until the new
    attempt settles. A completed job becomes `running` again (a v2 batch shows `RUNNING`,
    then `COMPLETED`); a running job retries what has failed so far. Counters stay exact.
    409 when no failed item matches, or the job was cancelled or failed (create a new job
    for those items)."""
    job, moved = services.jobs.retry_failed(
        job_id,
        project_id=project_id,
        error_codes=(body.error_codes or []) if body else [],
        item_ids=(body.item_ids or []) if body else [],
    )
    return wb.BatchRetryResponse(
        job_id=job.id, retried_items=moved, status=cast(wb.JobStatusName, job.status)
    )


@router.get("/{job_id}/items", response_model=OffsetPage[wb.JobItem], summary="List a job's items")
async def list_items(
    job_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    page: OffsetDep,
    status: Annotated[wb.ItemStatusName | None, Query()] = None,
) -> OffsetPage[wb.JobItem]:
    items, total = await store_read(
        services,
        services.catalog.list_items,
        job_id,
        project_id=project_id,
        limit=page.limit,
        offset=page.offset,
        status=status,
    )
    return OffsetPage[wb.JobItem](
        items=[job_item_model(i) for i in items],
        total_size=total,
        limit=page.limit,
        offset=page.offset,
    )
