"""Extract: the v2 product API (spec §9.3) for one document, and schema validation.

`POST /api/v2/extract` extracts from one directory file as a one-item batch job (see
`api.product_jobs`); `GET /api/v2/extract/{id}` answers that job's id or an extract batch item's
result id (`ejb-...`). As in LlamaCloud's API,
`extract_result` is always inline; `expand=extract_metadata` adds the per-field evidence
(`field_metadata.document_metadata`: citations with page and matching text, confidence) and
`expand=configuration` the job's configuration.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Query

from reams.api import product_jobs
from reams.api.deps import ProjectId, ServicesDep
from reams.domain.errors import InvalidField
from reams.service.jobs import check_config
from reams.wire import analysis as wa

router = APIRouter(prefix="/api/v2/extract", tags=["extract results"])

EXPANDS: Final = ("extract_metadata", "configuration", "usage")


def _configuration(config: dict[str, Any]) -> dict[str, Any]:
    """The job's extract configuration in LlamaCloud's `ExtractConfiguration` shape."""
    merged = dict(config.get("extract_config") or {})
    merged["data_schema"] = config.get("data_schema", merged.get("data_schema"))
    return merged


def _metadata(out: dict[str, Any]) -> dict[str, Any]:
    document = out.get("document") or {}
    usage: dict[str, Any] = {"num_pages_extracted": document.get("parsed_pages")}
    usage |= out.get("usage") or {}
    return {
        "usage": usage,
        "engine": out.get("engine"),
        "warnings": document.get("warnings", []),
    }


def _check_expand(expand: list[str]) -> None:
    unknown = sorted(set(expand) - set(EXPANDS))
    if unknown:
        raise InvalidField(
            f"unsupported expand value(s) {', '.join(unknown)}; allowed: {', '.join(EXPANDS)}",
        )


def _v2_job(job: product_jobs.ProductJob, wanted: list[str]) -> wa.ExtractV2Job:
    out = job.output
    return wa.ExtractV2Job(
        id=job.id,
        project_id=job.project_id,
        file_input=job.file_input,
        status=job.status,
        created_at=job.created_at,
        updated_at=job.updated_at,
        error_message=job.error_message,
        extract_result=out["extract_result"] if out else None,
        extract_metadata=out["extract_metadata"] if out and "extract_metadata" in wanted else None,
        configuration=_configuration(job.job_config) if "configuration" in wanted else None,
        metadata=_metadata(out) if out else None,
    )


def _batch_config(body: wa.ExtractCreate) -> dict[str, Any]:
    """The v2 create body as reams's extract batch config."""
    config = product_jobs.configuration_of(
        body.configuration, body.configuration_id, needs="data_schema"
    )
    return {"data_schema": config.pop("data_schema", None), "extract_config": config}


@router.post(
    "",
    response_model=wa.ExtractV2Job,
    response_model_exclude_none=True,
    summary="Extract from one document (a directory file): a one-item extract batch job",
)
def create_extraction(
    body: wa.ExtractCreate, services: ServicesDep, project_id: ProjectId
) -> wa.ExtractV2Job:
    """`file_input` is a directory file id (`dfl-...`). The job runs asynchronously: poll
    `GET /api/v2/extract/{id}` until its status is COMPLETED or FAILED."""
    job = product_jobs.create(services, project_id, body.file_input, _batch_config(body))
    return _v2_job(product_jobs.find(services, job.id, project_id, "extract"), [])


@router.get(
    "/{job_id}",
    response_model=wa.ExtractV2Job,
    response_model_exclude_none=True,
    summary="An extract job (POST /api/v2/extract) or an extract batch item's result",
)
def get_extraction(
    job_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    expand: Annotated[list[str] | None, Query(description=f"Any of: {', '.join(EXPANDS)}.")] = None,
) -> wa.ExtractV2Job:
    wanted = expand or []
    _check_expand(wanted)
    return _v2_job(product_jobs.find(services, job_id, project_id, "extract"), wanted)


@router.post(
    "/schema/validation",
    response_model=wa.SchemaValidation,
    summary="Check a JSON Schema before using it in an extract job",
)
def validate_schema(body: wa.SchemaValidation) -> wa.SchemaValidation:
    """422 with the reason when the schema cannot be used; the schema back when it can."""
    settings = check_config({"data_schema": body.data_schema})
    return wa.SchemaValidation(data_schema=settings.parameters["data_schema"])
