"""v1 classifier jobs: `/api/v1/classifier/jobs` (create, list, get, results).

A classify batch job *is* the classifier job: `POST /api/v1/classifier/jobs` takes files
(`fil-...`) and runs one classify batch job over them (each file becomes a directory file in the
project's hidden `reams:inputs` directory); the list shows every classify batch job, whichever
API created it; `.../results` lists every classified file (AIP-132 paging).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from reams.api.deps import ProjectId, ServicesDep
from reams.api.present import USER_ID
from reams.domain.records import Job, Result
from reams.domain.states import JobStatus
from reams.service.classifier import Classifier, page_offset
from reams.service.results import load_output
from reams.wire import analysis as wa
from reams.wire import classifier as wc
from reams.wire.common import CursorPage

router = APIRouter(prefix="/api/v1/classifier/jobs", tags=["classifier jobs (v1)"])

MAX_PAGE = 1000
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Rows per page (max 1000).")]
PageToken = Annotated[str | None, Query(description="`next_page_token` of the previous page.")]


def _classifier(services: ServicesDep) -> Classifier:
    return Classifier(catalog=services.catalog, jobs=services.jobs)


def _v1_status(job: Job) -> str:
    if job.status == JobStatus.CANCELLED:
        return "CANCELLED"
    if job.status == JobStatus.FAILED:
        return "ERROR"
    if job.status != JobStatus.COMPLETED:
        return "PENDING"
    counts = job.counts
    if counts.failed == 0:
        return "SUCCESS"
    return "PARTIAL_SUCCESS" if counts.completed + counts.skipped > 0 else "ERROR"


def _classifier_job(job: Job) -> wa.ClassifierJobV1:
    config = job.job_config
    # A job made from a saved configuration has its rules only in its resolved settings.
    rules = config.get("rules") or job.settings.parameters.get("rules") or []
    return wa.ClassifierJobV1(
        id=job.id,
        project_id=job.project_id,
        user_id=USER_ID,
        status=_v1_status(job),
        rules=[wa.ClassifyRule(type=r["type"], description=r["description"]) for r in rules],
        mode=config.get("mode"),
        parsing_configuration=config.get("parsing_configuration"),
        created_at=job.created_at,
        updated_at=job.updated_at,
        error_message=job.error_message,
    )


@router.post(
    "",
    response_model=wa.ClassifierJobV1,
    response_model_exclude_none=True,
    summary="Classify files (fil-...) by rules: one classify batch job",
)
def create_classifier_job(
    body: wc.ClassifierJobCreate, services: ServicesDep, project_id: ProjectId
) -> wa.ClassifierJobV1:
    """The job runs asynchronously: poll `GET /api/v1/classifier/jobs/{id}` until its status is
    SUCCESS, PARTIAL_SUCCESS, ERROR or CANCELLED, then read `.../results`. Unknown file ids are
    a 404 and invalid rules a 422; nothing is created then. `webhook_configurations` are
    notified of the job's `classify.*` events."""
    job = _classifier(services).create(
        project_id=project_id,
        file_ids=body.file_ids,
        rules=[r.model_dump(include={"type", "description"}) for r in body.rules],
        mode=body.mode,
        parsing_configuration=(
            body.parsing_configuration.model_dump(exclude_none=True)
            if body.parsing_configuration
            else None
        ),
        webhooks=body.webhook_configurations or (),
    )
    return _classifier_job(job)


@router.get(
    "",
    response_model=CursorPage[wa.ClassifierJobV1],
    response_model_exclude_none=True,
    summary="Classify jobs, newest first",
)
def list_classifier_jobs(
    services: ServicesDep,
    project_id: ProjectId,
    page_size: PageSize = 50,
    page_token: PageToken = None,
) -> CursorPage[wa.ClassifierJobV1]:
    """Every classify batch job of the project (v1 batch, v2 classify and classifier creates)."""
    jobs, token = _classifier(services).list(
        project_id=project_id, page_size=page_size, page_token=page_token
    )
    return CursorPage[wa.ClassifierJobV1](
        items=[_classifier_job(j) for j in jobs], next_page_token=token
    )


@router.get(
    "/{classify_job_id}",
    response_model=wa.ClassifierJobV1,
    response_model_exclude_none=True,
    summary="A classify batch job as a v1 classifier job",
)
def get_classifier_job(
    classify_job_id: str, services: ServicesDep, project_id: ProjectId
) -> wa.ClassifierJobV1:
    return _classifier_job(_classifier(services).get(classify_job_id, project_id=project_id))


def _classified(job: Job, result: Result, file_id: str, out: dict[str, Any]) -> wa.ClassifiedFile:
    return wa.ClassifiedFile(
        id=result.id,
        classify_job_id=job.id,
        file_id=file_id,
        result=wa.ClassifyResult.model_validate(out["result"]),
        created_at=result.processed_at,
        updated_at=result.processed_at,
    )


@router.get(
    "/{classify_job_id}/results",
    response_model=wa.ClassifierResultsPage,
    response_model_exclude_none=True,
    summary="Every classified file of a classify batch job",
)
def get_classifier_results(
    classify_job_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    page_size: PageSize = 100,
    page_token: PageToken = None,
) -> wa.ClassifierResultsPage:
    job = _classifier(services).get(classify_job_id, project_id=project_id)
    offset = page_offset(page_token)
    rows, total = services.catalog.job_results(
        job.id, project_id=project_id, offset=offset, limit=page_size
    )
    items = [
        _classified(job, result, file_id, load_output(services.blobs.get, result, "result"))
        for result, file_id in rows
    ]
    following = offset + len(items)
    return wa.ClassifierResultsPage(
        items=items,
        next_page_token=str(following) if following < total else None,
        total_size=total,
    )
