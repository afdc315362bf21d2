"""Classify: the v2 product API (one document) and the v1 classifier-job views of batch jobs.

`POST /api/v2/classify` classifies one directory file as a one-item batch job (see
`api.product_jobs`); `GET /api/v2/classify/{id}` answers that job's id or a classify batch
item's result id (`cjb-...`), with the classification inline. For the v1 shape, a
classify batch job *is* the classifier job: `GET /api/v1/classifier/jobs/{batch_job_id}` is the
`ClassifyJob` record and `.../results` lists every classified file (AIP-132 paging).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from reams.api import product_jobs
from reams.api.deps import ProjectId, ServicesDep
from reams.api.present import USER_ID
from reams.domain.analysis_config import pages_from_one_based
from reams.domain.errors import InvalidRequest, NotFound
from reams.domain.records import Job, Result
from reams.domain.states import JobStatus
from reams.service.results import load_output
from reams.wire import analysis as wa

router = APIRouter(tags=["classify results"])

MAX_PAGE = 1000


def _rules(config: dict[str, Any]) -> list[wa.ClassifyRule]:
    return [wa.ClassifyRule(type=r["type"], description=r["description"]) for r in config["rules"]]


def _v2_configuration(config: dict[str, Any]) -> wa.ClassifyConfigurationV2:
    parsing = config.get("parsing_configuration") or {}
    pages = parsing.get("target_pages")
    return wa.ClassifyConfigurationV2(
        rules=_rules(config),
        # The v2 model knows FAST only; MULTIMODAL jobs show no mode there.
        mode="FAST" if config.get("mode", "FAST") == "FAST" else None,
        parsing_configuration=wa.ClassifyParsingV2(
            lang=parsing.get("lang"),
            max_pages=parsing.get("max_pages"),
            target_pages=",".join(str(p + 1) for p in pages) if pages else None,
        )
        if parsing
        else None,
    )


def _classification(out: dict[str, Any]) -> wa.ClassifyResult:
    return wa.ClassifyResult.model_validate(out["result"])


def _v2_job(job: product_jobs.ProductJob) -> wa.ClassifyV2Job:
    out = job.output or {}
    return wa.ClassifyV2Job(
        id=job.id,
        configuration=_v2_configuration(job.job_config),
        document_input_type="file_id",
        file_input=job.file_input,
        project_id=job.project_id,
        status=job.status,
        user_id=USER_ID,
        created_at=job.created_at,
        updated_at=job.updated_at,
        error_message=job.error_message,
        result=_classification(out) if job.output else None,
        usage=out.get("usage"),
        engine=out.get("engine"),
    )


def _batch_config(body: wa.ClassifyCreate) -> dict[str, Any]:
    """The v2 create body as a v1 ``ClassifyJob``-shaped batch config."""
    config = product_jobs.configuration_of(body.configuration, body.configuration_id, needs="rules")
    parsing = dict(config.pop("parsing_configuration", None) or {})
    if parsing.get("target_pages") is not None:
        where = "configuration.parsing_configuration.target_pages"
        parsing["target_pages"] = pages_from_one_based(parsing["target_pages"], where)
    return config | ({"parsing_configuration": parsing} if parsing else {})


@router.post(
    "/api/v2/classify",
    response_model=wa.ClassifyV2Job,
    response_model_exclude_none=True,
    summary="Classify one document (a directory file): a one-item classify batch job",
)
def create_classification(
    body: wa.ClassifyCreate, services: ServicesDep, project_id: ProjectId
) -> wa.ClassifyV2Job:
    """`file_input` is a directory file id (`dfl-...`). The job runs asynchronously: poll
    `GET /api/v2/classify/{id}` until its status is COMPLETED or FAILED."""
    file_input = body.file_input or body.file_id
    job = product_jobs.create(services, project_id, file_input, _batch_config(body))
    return _v2_job(product_jobs.find(services, job.id, project_id, "classify"))


@router.get(
    "/api/v2/classify/{job_id}",
    response_model=wa.ClassifyV2Job,
    response_model_exclude_none=True,
    summary="A classify job (POST /api/v2/classify) or a classify batch item's result",
)
def get_classification(
    job_id: str, services: ServicesDep, project_id: ProjectId
) -> wa.ClassifyV2Job:
    return _v2_job(product_jobs.find(services, job_id, project_id, "classify"))


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


def _classify_job(services: ServicesDep, job_id: str, project_id: str) -> Job:
    job = services.catalog.get_job(job_id, project_id=project_id)
    if job.job_type != "classify":
        raise NotFound("classifier job", job_id)
    return job


@router.get(
    "/api/v1/classifier/jobs/{classify_job_id}",
    response_model=wa.ClassifierJobV1,
    response_model_exclude_none=True,
    summary="A classify batch job as a v1 classifier job",
)
def get_classifier_job(
    classify_job_id: str, services: ServicesDep, project_id: ProjectId
) -> wa.ClassifierJobV1:
    job = _classify_job(services, classify_job_id, project_id)
    config = job.job_config
    return wa.ClassifierJobV1(
        id=job.id,
        project_id=job.project_id,
        user_id=USER_ID,
        status=_v1_status(job),
        rules=_rules(config),
        mode=config.get("mode"),
        parsing_configuration=config.get("parsing_configuration"),
        created_at=job.created_at,
        updated_at=job.updated_at,
        error_message=job.error_message,
    )


def _offset(page_token: str | None) -> int:
    if page_token is None or page_token == "":
        return 0
    if not page_token.isdigit():
        raise InvalidRequest(f"page_token {page_token!r} is not a token this API returned")
    return int(page_token)


def _classified(job: Job, result: Result, file_id: str, out: dict[str, Any]) -> wa.ClassifiedFile:
    return wa.ClassifiedFile(
        id=result.id,
        classify_job_id=job.id,
        file_id=file_id,
        result=_classification(out),
        created_at=result.processed_at,
        updated_at=result.processed_at,
    )


@router.get(
    "/api/v1/classifier/jobs/{classify_job_id}/results",
    response_model=wa.ClassifierResultsPage,
    response_model_exclude_none=True,
    summary="Every classified file of a classify batch job",
)
def get_classifier_results(
    classify_job_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    page_token: Annotated[str | None, Query()] = None,
) -> wa.ClassifierResultsPage:
    job = _classify_job(services, classify_job_id, project_id)
    offset = _offset(page_token)
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
