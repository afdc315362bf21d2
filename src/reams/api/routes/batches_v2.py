"""v2 batches (`/api/v2/batches`): a parse_v2 or extract_v2 job for every file of a directory.

The batch is a reams batch job (the same id in the v1 batch API); each file's result is a
product job readable at `/api/v2/parse/{id}` or `/api/v2/extract/{id}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, cast

from fastapi import APIRouter, Query

from reams.api.deps import CursorDep, ProjectId, ServicesDep
from reams.api.idempotent import IDEMPOTENT, IdempotentRoute
from reams.api.openapi import FINISHED_JOB
from reams.domain.records import Job
from reams.domain.states import V2_JOB_STATUS
from reams.service.batches import Batches
from reams.wire import batches_v2 as wv
from reams.wire.common import CursorPage

router = APIRouter(prefix="/api/v2/batches", tags=["batches"], route_class=IdempotentRoute)


def batch_model(job: Job, results: list[wv.BatchResult] | None = None) -> wv.Batch:
    origin = job.origin
    assert origin is not None and origin.product_type and origin.configuration_id
    product = cast(wv.BatchJobType, origin.product_type)
    return wv.Batch(
        id=job.id,
        project_id=job.project_id,
        source_directory_id=job.directory_id or "",
        config=wv.BatchConfig(
            job=wv.BatchJobConfig(type=product, configuration_id=origin.configuration_id)
        ),
        status=cast(wv.BatchStatusName, V2_JOB_STATUS[job.status]),
        created_at=job.created_at,
        updated_at=job.updated_at,
        results=results,
        priority=job.priority,
    )


def _results(batches: Batches, job: Job) -> list[wv.BatchResult]:
    product = cast(wv.BatchJobType, job.origin.product_type if job.origin else "parse_v2")
    return [
        wv.BatchResult(
            source_directory_file_id=r.directory_file_id,
            job_reference=wv.JobReference(id=r.result_id, type=product) if r.result_id else None,
            error_message=r.error,
        )
        for r in batches.results(job)
    ]


@router.post("", response_model=wv.Batch, summary="Create a batch", dependencies=[IDEMPOTENT])
def create_batch(body: wv.BatchCreate, services: ServicesDep, project_id: ProjectId) -> wv.Batch:
    """Every file of `source_directory_id` gets a `config.job.type` job configured by
    `config.job.configuration_id`; files already processed with the same configuration are
    not processed again (their results are reused). Poll `GET /api/v2/batches/{id}`."""
    job = services.batches.create(
        project_id=project_id,
        source_directory_id=body.source_directory_id,
        product_type=body.config.job.type,
        configuration_id=body.config.job.configuration_id,
        webhook_configuration_ids=body.webhook_configuration_ids or (),
        webhooks=body.webhook_configurations or (),
        priority=body.priority or 0,
    )
    return batch_model(services.batches.get(job.id, project_id=project_id))


@router.get("", response_model=CursorPage[wv.Batch], summary="List batches")
def list_batches(
    services: ServicesDep,
    project_id: ProjectId,
    page: CursorDep,
    status: Annotated[wv.BatchStatusName | None, Query()] = None,
    source_directory_id: Annotated[str | None, Query()] = None,
    created_at_on_or_after: Annotated[datetime | None, Query()] = None,
    created_at_on_or_before: Annotated[datetime | None, Query()] = None,
) -> CursorPage[wv.Batch]:
    jobs, token = services.batches.list(
        project_id=project_id,
        page_size=page.page_size,
        page_token=page.page_token,
        status=status,
        source_directory_id=source_directory_id,
        created_after=created_at_on_or_after,
        created_before=created_at_on_or_before,
    )
    return CursorPage[wv.Batch](items=[batch_model(j) for j in jobs], next_page_token=token)


@router.get("/{batch_id}", response_model=wv.Batch, summary="A batch, with results on request")
def get_batch(
    batch_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    expand: Annotated[
        list[str] | None, Query(description="`results`: add each file's product job.")
    ] = None,
) -> wv.Batch:
    job = services.batches.get(batch_id, project_id=project_id)
    wanted = "results" in (expand or [])
    return batch_model(job, _results(services.batches, job) if wanted else None)


@router.post(
    "/{batch_id}/cancel", response_model=wv.Batch, summary="Cancel a batch", responses=FINISHED_JOB
)
def cancel_batch(batch_id: str, services: ServicesDep, project_id: ProjectId) -> wv.Batch:
    """Files not yet begun are cancelled at once; files being processed finish and keep
    their results. A batch that already completed or failed answers 409."""
    return batch_model(services.batches.cancel(batch_id, project_id=project_id))
