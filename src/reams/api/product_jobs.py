"""Single-document classify / extract jobs (`POST /api/v2/classify`, `POST /api/v2/extract`).

LlamaCloud's v2 product APIs take one document (`file_input`: a directory file id, `dfl-...`)
and a configuration. In reams such a job is a one-item batch job, so it runs on the same engine,
is deduplicated the same way and shows up in the batch list; its id is the batch job's id. The
`GET /api/v2/{classify,extract}/{id}` routes answer both that id (the job, with its state) and a
batch item's result id (`cjb-...` / `ejb-...`, always completed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reams.bootstrap import Services
from reams.domain import ids
from reams.domain.errors import InvalidField, NotFound
from reams.domain.records import Item, Job, JobApi, JobOrigin, Result
from reams.domain.states import ItemStatus, JobStatus
from reams.service.jobs import JobRequest
from reams.service.results import load_output, result_of_type

Output = dict[str, Any]


@dataclass(frozen=True)
class ProductJob:
    """What a v2 product view needs, whether it was asked for by job id or by result id."""

    id: str
    project_id: str
    job_config: dict[str, Any]
    file_input: str
    status: str  # PENDING | RUNNING | COMPLETED | FAILED
    created_at: datetime
    updated_at: datetime
    output: Output | None = None
    error_message: str | None = None


def configuration_of(
    configuration: dict[str, Any] | None, configuration_id: str | None, *, needs: str
) -> dict[str, Any]:
    """The inline configuration of a create request (saved configurations are not supported)."""
    if configuration_id:
        raise InvalidField(
            "saved configurations (configuration_id) are not supported: pass configuration",
        )
    if configuration is None:
        raise InvalidField(f"configuration (with {needs}) is required")
    return dict(configuration)


def create(
    services: Services, project_id: str, file_input: object, job_config: dict[str, Any]
) -> Job:
    """Validate, then create and submit a one-item batch job over ``file_input``."""
    if not isinstance(file_input, str) or not file_input.startswith(f"{ids.DIRECTORY_FILE}-"):
        raise InvalidField(
            "file_input must be a directory file id (dfl-...): upload the document with "
            "POST /api/v1/beta/directories/{directory_id}/files first",
        )
    origin = JobOrigin(api=JobApi.PRODUCT, file_input=file_input)
    return services.jobs.submit(
        JobRequest(
            project_id=project_id, job_config=job_config, item_ids=[file_input], origin=origin
        )
    )


def find(services: Services, job_id: str, project_id: str, job_type: str) -> ProductJob:
    """The product job ``job_id``: a batch job id, or a batch item's result id."""
    if job_id.startswith(f"{ids.BATCH_JOB}-"):
        return _from_job(services, job_id, project_id, job_type)
    result = result_of_type(services.catalog.get_result, job_id, project_id, job_type)
    return _from_result(services, result, project_id)


def _from_result(services: Services, result: Result, project_id: str) -> ProductJob:
    file_id = services.catalog.item_file_id(result.item_id, project_id=project_id)
    return ProductJob(
        id=result.id,
        project_id=result.project_id,
        job_config=result.job_config,
        file_input=file_id or result.item_id,
        status="COMPLETED",
        created_at=result.processed_at,
        updated_at=result.processed_at,
        output=load_output(services.blobs.get, result, f"{result.job_type} result output"),
    )


def _from_job(services: Services, job_id: str, project_id: str, job_type: str) -> ProductJob:
    job = services.catalog.get_job(job_id, project_id=project_id)
    items, _ = services.catalog.list_items(job.id, project_id=project_id, limit=2, offset=0)
    if job.job_type != job_type or len(items) != 1:
        raise NotFound(f"{job_type} job", job_id)
    (item,) = items
    status, output, error = _state(job, item, services.catalog.get_result, services.blobs.get)
    return ProductJob(
        id=job.id,
        project_id=job.project_id,
        job_config=job.job_config,
        file_input=item.item_id,
        status=status,
        created_at=job.created_at,
        updated_at=job.updated_at,
        output=output,
        error_message=error,
    )


def _state(
    job: Job,
    item: Item,
    get_result: Callable[..., Result],
    read: Callable[[str], bytes],
) -> tuple[str, Output | None, str | None]:
    if item.result_id is not None and item.status in (ItemStatus.COMPLETED, ItemStatus.SKIPPED):
        result = get_result(item.result_id, project_id=job.project_id)
        return "COMPLETED", load_output(read, result, "result output"), None
    if item.status == ItemStatus.FAILED:
        return "FAILED", None, f"{item.error_code}: {item.error_message}"
    if job.status == JobStatus.CANCELLED or item.status == ItemStatus.CANCELLED:
        return "FAILED", None, f"cancelled: {job.cancel_reason or 'the job was cancelled'}"
    if item.status == ItemStatus.SKIPPED:  # skipped without a result (too large)
        return "FAILED", None, f"skipped: {item.skip_reason}"
    return ("RUNNING" if item.status == ItemStatus.PROCESSING else "PENDING"), None, None
