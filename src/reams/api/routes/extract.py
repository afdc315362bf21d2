"""Extract results: `GET /api/v2/extract/{job_id}` (spec §9.3), and schema validation.

An extract batch item's `job_id` is its result id (`ejb-...`). As in LlamaCloud's API,
`extract_result` is always inline; `expand=extract_metadata` adds the per-field evidence
(`field_metadata.document_metadata`: citations with page and matching text, confidence) and
`expand=configuration` the job's configuration.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Query

from reams import processors
from reams.api.deps import ProjectId, ServicesDep
from reams.api.outputs import load_output, result_of_type
from reams.domain.analysis_config import extract_parameters
from reams.domain.errors import InvalidRequest
from reams.domain.records import Result
from reams.wire import analysis as wa

router = APIRouter(prefix="/api/v2/extract", tags=["extract results"])

EXPANDS: Final = ("extract_metadata", "configuration", "usage")


def _configuration(result: Result) -> dict[str, Any]:
    """The job's extract configuration in LlamaCloud's `ExtractConfiguration` shape."""
    config = result.job_config
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
        raise InvalidRequest(
            f"unsupported expand value(s) {', '.join(unknown)}; allowed: {', '.join(EXPANDS)}",
            status_code=422,
        )


@router.get(
    "/{job_id}",
    response_model=wa.ExtractV2Job,
    response_model_exclude_none=True,
    summary="One document's extracted fields (an extract batch item's `job_id`)",
)
def get_extraction(
    job_id: str,
    services: ServicesDep,
    project_id: ProjectId,
    expand: Annotated[list[str] | None, Query(description=f"Any of: {', '.join(EXPANDS)}.")] = None,
) -> wa.ExtractV2Job:
    wanted = expand or []
    _check_expand(wanted)
    result = result_of_type(services.store.get_result, job_id, project_id, "extract")
    out = load_output(services.blobs.get, result, "extract result output")
    file_id = services.store.item_file_id(result.item_id, project_id=project_id)
    return wa.ExtractV2Job(
        id=result.id,
        project_id=result.project_id,
        file_input=file_id or result.item_id,
        status="COMPLETED",
        created_at=result.processed_at,
        updated_at=result.processed_at,
        extract_result=out["extract_result"],
        extract_metadata=out["extract_metadata"] if "extract_metadata" in wanted else None,
        configuration=_configuration(result) if "configuration" in wanted else None,
        metadata=_metadata(out),
    )


@router.post(
    "/schema/validation",
    response_model=wa.SchemaValidation,
    summary="Check a JSON Schema before using it in an extract job",
)
def validate_schema(body: wa.SchemaValidation) -> wa.SchemaValidation:
    """422 with the reason when the schema cannot be used; the schema back when it can."""
    parameters = extract_parameters({"data_schema": body.data_schema})
    processors.check("extract", parameters)
    return wa.SchemaValidation(data_schema=parameters["data_schema"])
